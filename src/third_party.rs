//! What in a page, a template or a stylesheet would make a reader's browser contact another
//! site: an image, a frame, a script, a stylesheet, media, a font in CSS. A reader's visit to
//! a drug-treatment page must not reach a tracker, an image host or a font service, so each is
//! an error unless the site allows its origin in `[privacy] allow`.
//!
//! Read the way a browser reads it: scheme in any case, tabs and newlines inside a URL ignored,
//! `\` as `/`, `//host` (protocol-relative) and `https:host` both reaching `host`. Links a reader
//! chooses to follow (`<a href>`) are not requests and are never reported.

use std::path::Path;

use crate::config::Privacy;
use crate::diagnostics::{Code, Diagnostic};

/// One request to another site: where it is (a byte offset in the text scanned), what asks
/// for it (`img src`, `url()`), the URL and the origin it contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub offset: usize,
    pub what: String,
    pub url: String,
    pub origin: String,
}

/// The elements and attributes that load something as the page opens (or when played).
const LOADING: &[(&str, &[&str])] = &[
    ("img", &["src", "srcset"]),
    ("source", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("track", &["src"]),
    ("iframe", &["src"]),
    ("frame", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("script", &["src"]),
    ("input", &["src"]),
    ("link", &["href", "imagesrcset"]),
    ("image", &["href", "xlink:href"]),
    ("use", &["href", "xlink:href"]),
    ("body", &["background"]),
    ("table", &["background"]),
    ("td", &["background"]),
];

/// `<link rel>` values that never fetch anything by themselves.
const LINK_RELS_THAT_DO_NOT_LOAD: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "external",
    "help",
    "license",
    "me",
    "next",
    "nofollow",
    "noopener",
    "noreferrer",
    "prev",
    "search",
    "tag",
];

/// The origin `url` contacts, if it is another site's and not allowed: `None` for the site's
/// own URLs, relative URLs, and schemes that reach no server (data:, mailto:, tel:).
pub fn foreign_origin(url: &str, privacy: &Privacy) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let (scheme, rest) = match url.strip_prefix("//") {
        Some(rest) => (None, rest),
        None => {
            let colon = url.find(':')?;
            let scheme = url[..colon].to_ascii_lowercase();
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !is_scheme || url[..colon].contains('/') {
                return None;
            }
            if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss" | "ftp") {
                return None;
            }
            (Some(scheme), url[colon + 1..].trim_start_matches('/'))
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_and_port = authority.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    if host_and_port.is_empty() {
        return None;
    }
    let origin = match &scheme {
        Some(scheme) => format!("{scheme}://{host_and_port}"),
        None => format!("//{host_and_port}"),
    };
    (!privacy.permits(scheme.as_deref(), &host_and_port)).then_some(origin)
}

/// The request a markdown image (`![alt](url)`) makes, if it goes to another site.
pub fn image(url: &str, privacy: &Privacy) -> Option<Request> {
    let origin = foreign_origin(url, privacy)?;
    Some(Request {
        offset: 0,
        what: "image".to_string(),
        url: url.to_string(),
        origin,
    })
}

/// The error for a request found in `file` (the caller places it at a line and column).
pub fn diagnostic(file: impl AsRef<Path>, request: &Request) -> Diagnostic {
    let origin = &request.origin;
    let allow = if origin.starts_with("//") {
        format!("https:{origin}")
    } else {
        origin.clone()
    };
    Diagnostic::error(
        file.as_ref(),
        format!(
            "{} loads `{}` from another site ({origin}): every reader's browser would contact it",
            request.what,
            truncate(&request.url, 80)
        ),
    )
    .code(Code::ThirdPartyRequest)
    .with_hint(format!(
        "save the file in the site (in static/ or beside the page) and link to it there, or allow the site in site.toml: [privacy] allow = [\"{allow}\"]"
    ))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Every request to another site that `html` makes: loading attributes of the elements in
/// [`LOADING`], and `url()` in `style` attributes and `<style>` elements.
pub fn in_html(html: &str, privacy: &Privacy) -> Vec<Request> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        if html[lt..].starts_with("<!--") {
            at = html[lt + 4..].find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
            continue;
        }
        let name_end = bytes[lt + 1..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b':' || *b == b'-'))
            .map_or(bytes.len(), |i| lt + 1 + i);
        let name = html[lt + 1..name_end].to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        if name.is_empty() {
            at = lt + 1;
            continue;
        }
        let attributes = attributes(&html[name_end..end], name_end);
        check_tag(&name, &attributes, privacy, &mut found);
        if name == "style" {
            let close = find_ignoring_case(html, end, "</style").unwrap_or(html.len());
            found.extend(in_css_at(&html[end..close], end, privacy));
            at = close.max(end);
        } else {
            at = end.max(lt + 1);
        }
    }
    found
}

fn check_tag(name: &str, attributes: &[Attribute], privacy: &Privacy, found: &mut Vec<Request>) {
    let loads = LOADING.iter().find(|(tag, _)| *tag == name).map(|(_, names)| *names);
    let inert_link = name == "link"
        && attributes.iter().any(|a| {
            a.name == "rel"
                && a.value
                    .split_ascii_whitespace()
                    .all(|rel| LINK_RELS_THAT_DO_NOT_LOAD.contains(&rel.to_ascii_lowercase().as_str()))
        });
    for attribute in attributes {
        if attribute.name == "style" {
            found.extend(in_css_at(&attribute.value, attribute.offset, privacy));
            continue;
        }
        if inert_link || !loads.is_some_and(|names| names.contains(&attribute.name.as_str())) {
            continue;
        }
        let urls: Vec<&str> = if attribute.name.ends_with("srcset") {
            // "a.png 1x, https://b/c.png 2x": each candidate's URL is its first word.
            attribute
                .value
                .split(',')
                .filter_map(|candidate| candidate.split_whitespace().next())
                .collect()
        } else {
            vec![attribute.value.as_str()]
        };
        for url in urls {
            if let Some(origin) = foreign_origin(url, privacy) {
                found.push(Request {
                    offset: attribute.offset,
                    what: format!("<{name} {}>", attribute.name),
                    url: url.to_string(),
                    origin,
                });
            }
        }
    }
}

/// Every `url(…)` and `@import "…"` in CSS that reaches another site.
pub fn in_css(css: &str, privacy: &Privacy) -> Vec<Request> {
    in_css_at(css, 0, privacy)
}

fn in_css_at(css: &str, base: usize, privacy: &Privacy) -> Vec<Request> {
    let lower = css.to_ascii_lowercase();
    let mut found = Vec::new();
    for (needle, what) in [("url(", "url()"), ("@import", "@import")] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(needle).map(|i| from + i) {
            let rest = css[i + needle.len()..].trim_start();
            let url = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
                _ => rest.split([')', ';', ' ', '\n']).next().unwrap_or(""),
            };
            if !url.to_ascii_lowercase().starts_with("url(")
                && let Some(origin) = foreign_origin(url, privacy)
            {
                found.push(Request {
                    offset: base + i,
                    what: what.to_string(),
                    url: url.to_string(),
                    origin,
                });
            }
            from = i + needle.len();
        }
    }
    found.sort_by_key(|r| r.offset);
    found
}

pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) value: String,
    /// Where the attribute's name starts, in the whole text.
    pub(crate) offset: usize,
}

/// Where a tag that starts before `from` ends: just past its `>`, quotes respected.
pub(crate) fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    bytes.len()
}

/// The attributes in the text of a tag after its name, values with character references
/// decoded. `base` is where that text starts in the whole.
pub(crate) fn attributes(text: &str, base: usize) -> Vec<Attribute> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let name = text[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (from, to) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = bytes[i + 1..]
                        .iter()
                        .position(|&b| b == q)
                        .map_or(bytes.len(), |p| i + 1 + p);
                    (i + 1, close)
                }
                _ => {
                    let close = bytes[i..]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'>')
                        .map_or(bytes.len(), |p| i + p);
                    (i, close)
                }
            };
            value = decode_references(&text[from..to]);
            i = to + 1;
        }
        out.push(Attribute {
            name,
            value,
            offset: base + start,
        });
    }
    out
}

/// Numeric character references and the named ones that can spell a URL's punctuation.
fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let decoded = match name.strip_prefix('#') {
            Some(number) => {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                code.and_then(char::from_u32)
            }
            None => match name {
                "amp" => Some('&'),
                "colon" => Some(':'),
                "sol" => Some('/'),
                "bsol" => Some('\\'),
                "period" => Some('.'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let skip = if rest[end..].starts_with(';') { end + 1 } else { end };
                rest = &rest[skip..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_ignoring_case(text: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let needle = needle.as_bytes();
    (from..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privacy(allow: &[&str], own: Option<&str>) -> Privacy {
        Privacy::new(allow.iter().map(|s| s.to_string()).collect(), own.map(str::to_string))
    }

    #[test]
    fn urls_are_read_as_a_browser_reads_them() {
        let none = privacy(&[], Some("https://guidance.example.org"));
        for (url, origin) in [
            ("https://tracker.example/p.png", Some("https://tracker.example")),
            ("HTTPS://Tracker.Example/p.png", Some("https://tracker.example")),
            ("//tracker.example/p.png", Some("//tracker.example")),
            ("\\\\tracker.example/p.png", Some("//tracker.example")),
            (" https://tracker.example", Some("https://tracker.example")),
            ("ht\ttps://tracker.example/x", Some("https://tracker.example")),
            ("https:tracker.example/x", Some("https://tracker.example")),
            (
                "https://user@tracker.example:8080/x",
                Some("https://tracker.example:8080"),
            ),
            ("https://guidance.example.org/images/kit.png", None),
            ("/images/kit.png", None),
            ("kit.png", None),
            ("data:image/png;base64,AAAA", None),
            ("mailto:help@example.org", None),
            ("a:b/c", None),
        ] {
            assert_eq!(foreign_origin(url, &none).as_deref(), origin, "{url}");
        }
        let allowed = privacy(&["https://www.youtube-nocookie.com"], None);
        assert_eq!(
            foreign_origin("https://www.youtube-nocookie.com/embed/x", &allowed),
            None
        );
        assert_eq!(foreign_origin("//www.youtube-nocookie.com/embed/x", &allowed), None);
        assert!(foreign_origin("http://www.youtube-nocookie.com/embed/x", &allowed).is_some());
        assert!(foreign_origin("https://youtube-nocookie.com/embed/x", &allowed).is_some());
    }

    #[test]
    fn every_loading_element_and_css_url_is_found() {
        let none = privacy(&[], None);
        let html = r#"<p><a href="https://example.org/">a link is fine</a>
<img alt="x" src="https://a.example/p.png"><img srcset="local.png 1x, //b.example/p.png 2x">
<IMG SRC=https://c.example/x>
<script src="https:&#x2F;&#x2F;d.example/t.js"></script>
<link rel="stylesheet" href="https://fonts.example/css">
<link rel="canonical" href="https://other.example/">
<video poster="https://e.example/p.jpg"></video>
<div style="background: url('https://f.example/bg.png')"></div>
<style>@import "https://g.example/x.css"; p { background: url(https://h.example/y.png) }</style>
<!-- <img src="https://commented.example/x.png"> -->
<iframe src="https://i.example/embed"></iframe></p>"#;
        let origins: Vec<String> = in_html(html, &none).into_iter().map(|r| r.origin).collect();
        assert_eq!(
            origins,
            [
                "https://a.example",
                "//b.example",
                "https://c.example",
                "https://d.example",
                "https://fonts.example",
                "https://e.example",
                "https://f.example",
                "https://g.example",
                "https://h.example",
                "https://i.example",
            ]
        );
    }

    #[test]
    fn offsets_point_at_the_attribute() {
        let html = r#"<p>x</p><img alt="" src="//t.example/p.gif">"#;
        let found = in_html(html, &privacy(&[], None));
        assert_eq!(&html[found[0].offset..found[0].offset + 3], "src");
        assert_eq!(found[0].what, "<img src>");
    }
}
