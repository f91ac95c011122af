//! Rendering one piece of markdown (a page's body, a snippet, a shortcode's body) with the
//! shortcodes it calls: each call's HTML is made when its token is met in the event stream,
//! so that citations are numbered in reading order, and put in place of the token at the end.

use std::borrow::Cow;
use std::sync::Arc;

use pulldown_cmark::{BrokenLink, CowStr, LinkType, Parser, html};
use tera::{Context, Value};

use super::include::{SNIPPET, replace_site_links};
use super::shortcode::{self, Call};
use super::{CITATION_PREFIX, Frame, Origin, Renderer, callout, parser_options, rewrite_tables, sanitize};
use crate::config::{RawHtmlPolicy, Rule};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic, closest};

/// How deep shortcode bodies and snippets may nest.
const MAX_DEPTH: usize = 32;

impl<'a> Renderer<'a> {
    /// The HTML of one piece of markdown, its shortcodes' HTML in place.
    pub(super) fn fragment(&mut self, origin: Origin<'a>, snippet: Option<&'a Arc<SourceFile>>) -> String {
        if self.frames.len() >= MAX_DEPTH {
            // A hostile page could nest bodies thousands deep; each level is a stack frame.
            self.out.diagnostics.push(
                Diagnostic::error(
                    origin.file,
                    format!("shortcodes and snippets are nested more than {MAX_DEPTH} deep here"),
                )
                .code(Code::ShortcodeError)
                .at(origin.text, origin.body_start)
                .with_hint("a shortcode's body or a snippet may hold others, but not this many levels"),
            );
            return String::new();
        }
        let saved = (
            std::mem::replace(&mut self.origin, origin),
            std::mem::replace(&mut self.snippet, snippet),
            std::mem::take(&mut self.has_raw_html),
        );
        let options = parser_options(&self.config.markdown);
        let no_calls = || Frame {
            calls: Vec::new(),
            tokens: Vec::new(),
            outputs: Vec::new(),
        };
        let (text, frame) = match shortcode::scan(origin.body(), options) {
            Ok(None) => (Cow::Borrowed(origin.body()), no_calls()),
            Ok(Some(scan)) => {
                let outputs = vec![None; scan.calls.len()];
                let frame = Frame {
                    calls: scan.calls,
                    tokens: scan.tokens,
                    outputs,
                };
                (Cow::Owned(scan.text), frame)
            }
            Err(errors) => {
                for e in errors {
                    self.error_at(e.offset, Code::ShortcodeError, e.message, Some(e.hint));
                }
                (Cow::Borrowed(origin.body()), no_calls())
            }
        };
        let has_calls = !frame.calls.is_empty();
        self.frames.push(frame);
        let callback = |link: BrokenLink<'_>| {
            let reference = link.reference.trim();
            reference
                .starts_with('@')
                .then(|| (CowStr::from(format!("{CITATION_PREFIX}{reference}")), CowStr::from("")))
        };
        let parser = Parser::new_with_broken_link_callback(&text, options, Some(callback));
        let pieces = callout::callouts(parser.into_offset_iter().collect(), &origin, &mut self.out.diagnostics);
        let mut events = Vec::new();
        for piece in pieces {
            match piece {
                // A callout begins and ends between blocks, where the transform holds nothing open.
                callout::Piece::Events(run) => events.extend(self.transform(run.into_iter())),
                // Callout markup is Signpost's, not the writer's raw HTML: no raw-HTML policy applies.
                callout::Piece::Markup(html) => events.push(pulldown_cmark::Event::Html(html.into())),
            }
        }
        let mut out = String::with_capacity(text.len() * 3 / 2);
        html::push_html(&mut out, events.into_iter());
        let mut out = rewrite_tables(out);
        if self.has_raw_html && self.config.markdown.raw_html == RawHtmlPolicy::Sanitize {
            out = sanitize(&out);
        }
        if has_calls {
            // Calls the event stream never showed (a token inside a link's address) still run.
            self.render_calls_in("");
        }
        if let Some(frame) = self.frames.pop()
            && has_calls
        {
            out = substitute(&out, &frame);
        }
        (self.origin, self.snippet, self.has_raw_html) = saved;
        out
    }

    /// Renders the calls whose tokens are in `text` (every call left, when `text` is empty).
    pub(super) fn render_calls_in(&mut self, text: &str) {
        let Some(frame) = self.frames.last().filter(|f| !f.calls.is_empty()) else {
            return;
        };
        let wanted: Vec<usize> = (0..frame.calls.len())
            .filter(|&i| frame.outputs[i].is_none() && (text.is_empty() || text.contains(&frame.tokens[i])))
            .collect();
        for i in wanted {
            let Some(call) = self.frames.last().map(|f| f.calls[i].clone()) else {
                return;
            };
            let html = self.call(&call);
            if let Some(frame) = self.frames.last_mut() {
                frame.outputs[i] = Some(html);
            }
        }
    }

    /// `text` with each call's token replaced by the text of its HTML: a heading's id and its
    /// entry in the table of contents are made from what the reader sees.
    pub(super) fn calls_as_text(&self, text: &str) -> String {
        let Some(frame) = self.frames.last() else {
            return text.to_string();
        };
        let mut out = text.to_string();
        for (token, output) in frame.tokens.iter().zip(&frame.outputs) {
            if out.contains(token.as_str()) {
                out = out.replace(token.as_str(), &strip_tags(output.as_deref().unwrap_or("")));
            }
        }
        out
    }

    fn error_at(&mut self, offset: usize, code: Code, message: String, hint: Option<String>) {
        self.out.diagnostics.push(
            Diagnostic::error(self.origin.file, message)
                .code(code)
                .at(self.origin.text, self.origin.body_start + offset)
                .with_optional_hint(hint),
        );
    }

    fn call(&mut self, call: &Call) -> String {
        if call.name == SNIPPET {
            return self.snippet_call(call);
        }
        let shortcodes = self.includes.shortcodes;
        if !shortcodes.has(&call.name) {
            let hint = closest(&call.name, shortcodes.names())
                .map(|best| format!("did you mean `{best}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "shortcodes are templates in templates/shortcodes/; `{}` would be templates/shortcodes/{}.html",
                        call.name, call.name
                    )
                });
            self.error_at(
                call.range.start,
                Code::ShortcodeError,
                format!("unknown shortcode `{}`", call.name),
                Some(hint),
            );
            return String::new();
        }
        let mut context = Context::new();
        for (name, value, _) in &call.args {
            context.insert_value(name.clone(), value.clone());
        }
        if let Some(body) = &call.body {
            let origin = Origin {
                body_start: self.origin.body_start + body.start,
                body_end: self.origin.body_start + body.end,
                ..self.origin
            };
            let html = self.fragment(origin, self.snippet);
            context.insert_value("body", Value::from(html));
        }
        let nth = self.calls_made.entry(call.name.clone()).or_insert(0);
        *nth += 1;
        context.insert("nth", nth);
        match shortcodes.render(&call.name, &context) {
            Ok(html) => {
                let html = replace_site_links(&html, |path| self.site_link(path, call.range.start));
                // What a call's arguments put in the template's output is checked like the
                // page's own HTML: nothing may load from another site.
                let requests = crate::third_party::in_html(&html, &self.config.privacy);
                for request in &requests {
                    let diagnostic = crate::third_party::diagnostic(self.origin.file, request)
                        .at(self.origin.text, self.origin.body_start + call.range.start);
                    self.out.diagnostics.push(diagnostic);
                }
                if !requests.is_empty() {
                    return String::new();
                }
                // A template file's last line break is not part of an inline call's text.
                match call.alone_on_line {
                    true => html,
                    false => html.trim_end_matches(['\n', '\r']).to_string(),
                }
            }
            Err(problem) => {
                let place = match &problem.location {
                    Some(l) => format!("{}:{}:{}", problem.file.display(), l.line, l.column),
                    None => problem.file.display().to_string(),
                };
                self.error_at(
                    call.range.start,
                    Code::ShortcodeError,
                    format!("shortcode `{}` failed: {}", call.name, problem.message),
                    Some(format!("in its template, {place}")),
                );
                String::new()
            }
        }
    }

    /// A path a shortcode's template wrote with `site_link`, read as a markdown link written
    /// where the shortcode is called: checked, and written as the link's placeholder (or, for
    /// another site, the URL itself), ready for an attribute.
    fn site_link(&mut self, path: &str, offset: usize) -> String {
        match self.link_destination(&CowStr::from(path.to_string()), LinkType::Inline, offset) {
            Some(dest) => super::escape_attribute(&dest),
            None => "#".to_string(),
        }
    }

    fn snippet_call(&mut self, call: &Call) -> String {
        let id = match call.args.as_slice() {
            [(name, value, _)] if name == "id" => value.as_str().map(str::to_string),
            _ => None,
        };
        let Some(id) = id else {
            self.error_at(
                call.range.start,
                Code::ShortcodeError,
                "`snippet` takes one text argument, `id`".to_string(),
                Some("write {{ snippet(id=\"NAME\") }} for content/_snippets/NAME.md".to_string()),
            );
            return String::new();
        };
        if !call.alone_on_line {
            self.error_at(
                call.range.start,
                Code::ShortcodeError,
                format!("the snippet `{id}` must be on a line of its own"),
                Some("a snippet is whole paragraphs: put the call on its own line".to_string()),
            );
        }
        match self.includes.snippets.contains_key(&id) {
            true => self.include_snippet(&id, call.range.start),
            false => {
                let hint = closest(&id, self.includes.snippets.keys().map(String::as_str))
                    .map(|best| format!("did you mean `{best}`?"))
                    .unwrap_or_else(|| {
                        format!("snippets are files in content/_snippets/: add content/_snippets/{id}.md")
                    });
                self.error_at(
                    call.range.start,
                    Code::UnknownSnippet,
                    format!("unknown snippet `{id}`"),
                    Some(hint),
                );
                String::new()
            }
        }
    }

    /// A snippet's HTML in its box; `offset` is where it is called, for a loop's error.
    fn include_snippet(&mut self, id: &str, offset: usize) -> String {
        let Some(snippet) = self.includes.snippets.get(id) else {
            return String::new();
        };
        if self.including.iter().any(|i| i == id) {
            let chain = self.including.join(" → ");
            self.error_at(
                offset,
                Code::UnknownSnippet,
                format!("the snippet `{id}` includes itself ({chain} → {id})"),
                Some("a snippet may include others, but never one that includes it".to_string()),
            );
            return String::new();
        }
        if !self.out.snippets.iter().any(|s| s == id) {
            self.out.snippets.push(id.to_string());
        }
        self.including.push(id.to_string());
        let file = &snippet.file;
        let html = self.fragment(Origin::file(&file.display, &file.text, file.body_start), Some(file));
        self.including.pop();
        format!(
            "<div class=\"snippet\" data-snippet=\"{}\">\n{html}</div>\n",
            super::escape_attribute(id)
        )
    }

    /// A snippet a rule puts on the page.
    pub(super) fn placed(&mut self, rule: &Rule) -> String {
        if self.includes.snippets.contains_key(&rule.snippet) {
            return self.include_snippet(&rule.snippet, 0);
        }
        let config = self.config;
        let hint = closest(&rule.snippet, self.includes.snippets.keys().map(String::as_str))
            .map(|best| format!("did you mean `{best}`?"))
            .unwrap_or_else(|| format!("add content/_snippets/{}.md", rule.snippet));
        self.out.diagnostics.push(
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("[[rules]] names an unknown snippet `{}`", rule.snippet),
            )
            .code(Code::UnknownSnippet)
            .at(&config.text, rule.offset)
            .with_hint(hint),
        );
        String::new()
    }
}

/// The text of a piece of HTML: its tags left out (entities stay as written).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// `html` with each call's token replaced by its HTML; a call alone in a paragraph replaces
/// the paragraph, since its HTML is blocks of its own. One pass: a token is the frame's prefix,
/// its call's number and padding, so each place the prefix appears is read, not searched for.
fn substitute(html: &str, frame: &Frame) -> String {
    let Some(first) = frame.tokens.first() else {
        return html.to_string();
    };
    let prefix = &first[..first.find(|c: char| c.is_ascii_digit()).unwrap_or(first.len())];
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), prefix.as_bytes()) {
        let rest = &html[at + prefix.len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(i) = rest[..digits].parse::<usize>().ok().filter(|&i| i < frame.tokens.len()) else {
            continue;
        };
        let token = frame.tokens[i].as_str();
        if at < done || !html[at..].starts_with(token) {
            continue;
        }
        let end = at + token.len();
        let (start, end) = match html[..at].ends_with("<p>") && html[end..].starts_with("</p>") {
            true => (at - "<p>".len(), end + "</p>".len()),
            false => (at, end),
        };
        out.push_str(&html[done..start]);
        out.push_str(frame.outputs[i].as_deref().unwrap_or(""));
        done = end;
    }
    out.push_str(&html[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_token_is_replaced_once_and_a_paragraph_of_its_own_with_it() {
        let tokens: Vec<String> = (0..12).map(|i| format!("Zq{i}zzz")).collect();
        let outputs = (0..12).map(|i| Some(format!("<b>{i}</b>"))).collect();
        let frame = Frame {
            calls: Vec::new(),
            tokens,
            outputs,
        };
        let html = "<p>Zq1zzz</p>\n<p>a Zq11zzz b Zq10zzz Zq2zz Zq0zzzz</p>\n";
        assert_eq!(
            substitute(html, &frame),
            "<b>1</b>\n<p>a <b>11</b> b <b>10</b> Zq2zz <b>0</b>z</p>\n",
            "a shorter look-alike is left, and padding past a token is text"
        );
    }
}
