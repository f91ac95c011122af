//! The HTML a piece of markdown becomes, made safe and fit for a phone: URLs checked, tables
//! in a scrolling box, raw HTML sanitized, text escaped.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// Relative URLs and a small set of schemes; never `javascript:`, `data:` or `vbscript:`.
pub(super) fn is_safe_url(url: &str) -> bool {
    match super::site_link::scheme(url) {
        None => true,
        Some(scheme) => matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel" | "sms"),
    }
}

pub(super) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Markdown's tables, made fit for a phone and a strict Content-Security-Policy, in one pass
/// over the page: a wide table scrolls inside its own box (which keyboard users can focus and
/// scroll) rather than widening the page, and the style attributes pulldown-cmark aligns cells
/// with become classes.
pub(super) fn rewrite_tables(html: String) -> String {
    // Each pattern and what it becomes: first the box's edges and the empty body of a table
    // with only a header row (which GFM leaves out), then the aligned cells.
    const REWRITES: [(&str, &str); 9] = [
        (
            "<table>",
            "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table (scrolls sideways)\"><table>",
        ),
        ("</table>", "</table></div>"),
        ("<tbody>\n</tbody>", ""),
        ("<th style=\"text-align: left\">", "<th class=\"align-left\">"),
        ("<td style=\"text-align: left\">", "<td class=\"align-left\">"),
        ("<th style=\"text-align: center\">", "<th class=\"align-center\">"),
        ("<td style=\"text-align: center\">", "<td class=\"align-center\">"),
        ("<th style=\"text-align: right\">", "<th class=\"align-right\">"),
        ("<td style=\"text-align: right\">", "<td class=\"align-right\">"),
    ];
    static FINDER: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(REWRITES.map(|(pattern, _)| pattern)).ok());
    // memchr's vector substring search first: most pages have no table.
    let count = |needle: &str| memchr::memmem::find_iter(html.as_bytes(), needle).count();
    let opened = count("<table>");
    // Only markdown's own tables, which open with a bare `<table>`: raw HTML tables with
    // attributes would leave the closing tags unmatched.
    let wrap = opened > 0 && opened == count("</table>");
    let align = memchr::memmem::find(html.as_bytes(), b" style=\"text-align: ").is_some();
    let Some(finder) = FINDER.as_ref().filter(|_| wrap || align) else {
        return html;
    };
    // A rewrite not wanted on this page puts back what it found.
    let replacements: Vec<&str> = REWRITES
        .iter()
        .enumerate()
        .map(|(i, &(pattern, rewritten))| {
            if (i < 3 && wrap) || (i >= 3 && align) {
                rewritten
            } else {
                pattern
            }
        })
        .collect();
    finder.replace_all(&html, &replacements)
}

/// Removes scripts, event handlers, styles, frames and unsafe URLs from raw HTML, keeping
/// what markdown itself produces.
pub(super) fn sanitize(html: &str) -> String {
    builder().clean(html).to_string()
}

/// The sanitiser's policy: what it keeps, which `raw_html.rs` also reads to report what it
/// removes.
pub(super) fn builder() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "section", "figure", "figcaption", "details", "summary"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("div", ["role", "tabindex", "data-callout"])
        .add_generic_attributes(["id", "class", "aria-label"])
        .link_rel(None);
    builder
}

/// `text` with `&`, `<` and `>` as character references: pulldown-cmark's own escaping, which
/// looks for them 16 bytes at a time.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

/// [`escape_text`] and both quotes, for an attribute value, in one pass. The bytes looked for
/// are ASCII, which never occurs inside another character's UTF-8, so the text is cut only
/// between characters.
pub fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut done = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(escaped);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}
