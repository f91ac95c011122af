//! The rendered pages, crawled: every `href`, `src`, `srcset` and `poster` inside the site
//! that a template or raw HTML wrote must lead to a file the build writes, and its `#id` to an
//! id in that page. Links written in markdown were checked with their line by `links`; this
//! catches the rest (a theme's menu, a partial, an `<a>` in raw HTML) before a reader does.
//!
//! Tags are read the way an HTML tokenizer reads them, but only as far as their attributes:
//! one pass over the page, with text skipped by `memchr`.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use memchr::memmem;

use crate::config::BaseUrl;
use crate::diagnostics::{Code, Diagnostic};

/// What one rendered page links to and which ids it has.
struct Page {
    output: String,
    template: String,
    origin: PathBuf,
    /// URLs as written, entities decoded.
    urls: Vec<String>,
    ids: HashSet<String>,
}

/// Collects pages as they are rendered, from many threads.
#[derive(Default)]
pub struct Crawl {
    pages: Mutex<Vec<Page>>,
    disabled: bool,
}

impl Crawl {
    /// A crawl that records and reports nothing.
    pub fn disabled() -> Crawl {
        Crawl {
            disabled: true,
            ..Crawl::default()
        }
    }

    pub fn record(&self, output: &str, template: &str, origin: &Path, html: &[u8]) {
        if self.disabled {
            return;
        }
        let (urls, ids) = scan(html);
        let page = Page {
            output: output.to_string(),
            template: template.to_string(),
            origin: origin.to_path_buf(),
            urls,
            ids,
        };
        self.pages.lock().unwrap_or_else(PoisonError::into_inner).push(page);
    }

    /// An error for each distinct URL inside the site that leads nowhere: to no file among
    /// `outputs` (site paths, "a/index.html"), outside the base path, or to an id its page
    /// lacks. Reported once, at the first page (by output path) that has it.
    pub fn check(self, base: &BaseUrl, outputs: &BTreeSet<String>) -> Vec<Diagnostic> {
        let mut pages = self.pages.into_inner().unwrap_or_else(PoisonError::into_inner);
        pages.sort_by(|a, b| a.output.cmp(&b.output));
        let ids: BTreeMap<&str, &HashSet<String>> = pages.iter().map(|p| (p.output.as_str(), &p.ids)).collect();
        // Each broken URL with the pages that have it, in output order.
        let mut broken: BTreeMap<&str, (String, Vec<&Page>)> = BTreeMap::new();
        for page in &pages {
            // A page's URLs are distinct, so each page is listed once per URL.
            for url in &page.urls {
                if let Some(why) = problem(url, page, base, outputs, &ids) {
                    broken
                        .entry(url.as_str())
                        .or_insert_with(|| (why, Vec::new()))
                        .1
                        .push(page);
                }
            }
        }
        let mut found: Vec<(&Page, Diagnostic)> = broken
            .into_iter()
            .map(|(url, (why, on))| {
                let first = on[0];
                let also = match on.len() {
                    1 => String::new(),
                    n => format!(" (and on {})", crate::plural(n - 1, "other page")),
                };
                let shown = format!("/{}", first.output.trim_end_matches("index.html"));
                let diagnostic =
                    Diagnostic::error(&first.origin, format!("`{url}` on {shown}{also} leads nowhere: {why}"))
                        .code(Code::BrokenLink)
                        .with_hint(format!(
                            "it is written by the template `{}` or by HTML in the page; link to pages with \
                     get_url(path=\"@/…\") in templates and with markdown links in pages, so they are \
                     checked where they are written",
                            first.template
                        ));
                (first, diagnostic)
            })
            .collect();
        found.sort_by(|a, b| a.0.output.cmp(&b.0.output));
        found.into_iter().map(|(_, d)| d).collect()
    }
}

/// Why `url` on `page` leads nowhere, or `None` when it leads somewhere (or is not ours to
/// judge: another site, `mailto:`, a relative URL).
fn problem(
    url: &str,
    page: &Page,
    base: &BaseUrl,
    outputs: &BTreeSet<String>,
    ids: &BTreeMap<&str, &HashSet<String>>,
) -> Option<String> {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or_default();
    let target = if path.is_empty() {
        if !rest.is_empty() {
            return None; // "?q=x" alone: this page with a query.
        }
        page.output.clone()
    } else {
        let local = match &base.origin {
            Some(origin) => path.strip_prefix(origin.as_str()).unwrap_or(path),
            None => path,
        };
        if !local.starts_with('/') || local.starts_with("//") {
            return None;
        }
        let Some(site_path) = local.strip_prefix(base.path.as_str()) else {
            return Some(format!("it is outside the site's base path {}", base.path));
        };
        let decoded = percent_encoding::percent_decode_str(site_path).decode_utf8_lossy();
        let file = if decoded.is_empty() || decoded.ends_with('/') {
            format!("{decoded}index.html")
        } else {
            decoded.into_owned()
        };
        if !outputs.contains(&file) {
            return Some("no page or file is written there".to_string());
        }
        file
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    match ids.get(target.as_str()) {
        Some(ids) if !ids.contains(decoded.as_ref()) => Some(format!("the page has no id `{decoded}`")),
        _ => None,
    }
}

/// The URLs in `href`, `src`, `poster` and `srcset` attributes, and the `id`s, of a page.
fn scan(html: &[u8]) -> (Vec<String>, HashSet<String>) {
    let mut urls = Vec::new();
    let mut ids = HashSet::new();
    for_each_attribute(html, |name, value| {
        let value = decode_entities(&String::from_utf8_lossy(value));
        if name.eq_ignore_ascii_case(b"href")
            || name.eq_ignore_ascii_case(b"src")
            || name.eq_ignore_ascii_case(b"poster")
        {
            urls.push(value);
        } else if name.eq_ignore_ascii_case(b"srcset") {
            urls.extend(
                value
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next())
                    .map(str::to_string),
            );
        } else if name.eq_ignore_ascii_case(b"id") {
            ids.insert(value);
        }
    });
    urls.sort();
    urls.dedup();
    (urls, ids)
}

/// Calls `found` with each attribute of each start tag, as an HTML tokenizer reads them
/// (quoted or not), skipping text, comments and the insides of `script`, `style` and
/// `textarea`. Text that only looks like an attribute (`href="x"` in a paragraph) is text.
fn for_each_attribute(html: &[u8], mut found: impl FnMut(&[u8], &[u8])) {
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &html[at..]) {
        let start = at + offset + 1;
        if html[start..].starts_with(b"!--") {
            at = memmem::find(&html[start..], b"-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        if !html.get(start).is_some_and(u8::is_ascii_alphabetic) {
            at = start;
            continue;
        }
        let name_end = start
            + html[start..]
                .iter()
                .take_while(|b| !is_space(**b) && !matches!(b, b'>' | b'/'))
                .count();
        let tag = html[start..name_end].to_ascii_lowercase();
        at = attributes(html, name_end, &mut found);
        if matches!(tag.as_slice(), b"script" | b"style" | b"textarea") {
            let closes = |&end: &usize| {
                html.get(end + 2..end + 2 + tag.len())
                    .is_some_and(|name| name.eq_ignore_ascii_case(&tag))
            };
            at = memmem::find_iter(&html[at..], b"</")
                .map(|end| at + end)
                .find(closes)
                .unwrap_or(html.len());
        }
    }
}

/// Reads one tag's attributes from `at` to its `>`; returns where the tag ends.
fn attributes(html: &[u8], mut at: usize, found: &mut impl FnMut(&[u8], &[u8])) -> usize {
    loop {
        while html.get(at).is_some_and(|b| is_space(*b) || *b == b'/') {
            at += 1;
        }
        match html.get(at) {
            None => return html.len(),
            Some(b'>') => return at + 1,
            Some(_) => {}
        }
        let name_start = at;
        while html
            .get(at)
            .is_some_and(|b| !is_space(*b) && !matches!(b, b'=' | b'>' | b'/'))
        {
            at += 1;
        }
        let name = &html[name_start..at];
        while html.get(at).is_some_and(|b| is_space(*b)) {
            at += 1;
        }
        if html.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while html.get(at).is_some_and(|b| is_space(*b)) {
            at += 1;
        }
        let value = match html.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr::memchr(quote, &html[at + 1..]).map_or(html.len(), |e| at + 1 + e);
                let value = &html[at + 1..end];
                at = (end + 1).min(html.len());
                value
            }
            _ => {
                let start = at;
                while html.get(at).is_some_and(|b| !is_space(*b) && *b != b'>') {
                    at += 1;
                }
                &html[start..at]
            }
        };
        found(name, value);
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// The character references Signpost's HTML writers use in attribute values.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (BaseUrl, BTreeSet<String>) {
        let base = BaseUrl::parse("https://example.org/guidance/").expect("a base URL");
        let outputs = ["index.html", "a/index.html", "style.css", "b/index.html"]
            .map(str::to_string)
            .into();
        (base, outputs)
    }

    fn crawl(pages: &[(&str, &str)]) -> Vec<String> {
        let crawl = Crawl::default();
        for (output, html) in pages {
            crawl.record(output, "page.html", Path::new("content/x.md"), html.as_bytes());
        }
        let (base, outputs) = site();
        crawl.check(&base, &outputs).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn links_that_lead_somewhere_pass() {
        let html = r##"<a href="/guidance/a/">a</a> <a id="top" href="#top">t</a> <link href="/guidance/style.css">
            <a href="/guidance/b/#x">b</a> <a href="https://other.example/x">o</a> <a href="mailto:a@b.org">m</a>
            <a href="https://example.org/guidance/a/?q=1">p</a> <img srcset="/guidance/style.css 1x, /guidance/a/ 2x">
            <p>Text that says href="/nope/" is not a link</p><!-- <a href="/nope/"> --><script>let a = '<a href="/nope/">';</script>
            <a href=/guidance/a/ title='x > y'>unquoted</a>"##;
        assert_eq!(
            crawl(&[("index.html", html), ("b/index.html", "<h2 id=\"x\">X</h2>")]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_kind_of_broken_link_is_named_once() {
        let messages = crawl(&[
            (
                "a/index.html",
                r#"<a href="/guidance/nope/">n</a> <img src="/guidance/nope/"> <a href="/elsewhere/">e</a>"#,
            ),
            (
                "b/index.html",
                r##"<a href="/guidance/nope/">n</a> <a href="/guidance/a/#gone">g</a> <a href="#here">h</a>"##,
            ),
        ]);
        assert_eq!(
            messages,
            [
                "`/elsewhere/` on /a/ leads nowhere: it is outside the site's base path /guidance/",
                "`/guidance/nope/` on /a/ (and on 1 other page) leads nowhere: no page or file is written there",
                "`#here` on /b/ leads nowhere: the page has no id `here`",
                "`/guidance/a/#gone` on /b/ leads nowhere: the page has no id `gone`",
            ]
        );
    }
}
