//! Any markdown: rendering never panics, and nothing in the text becomes a script, a frame,
//! an event handler or a `javascript:`, `vbscript:` or `data:` URL in the HTML (the same
//! dangers tests/html_safety.rs looks for in built pages).
#![no_main]

mod common;

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signpost::markdown::{self, Highlighter};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    let config = common::config();
    let highlighter = HIGHLIGHTER.get_or_init(|| Highlighter::new(&config.markdown.highlight_theme));
    let rendered = markdown::render(text, 0, Path::new("content/fuzz.md"), config, highlighter);
    // Text is escaped (a `<` in it is `&lt;`), so every `<` starts a real tag: check the tags.
    let html = rendered.html.to_ascii_lowercase();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        assert!(
            !matches!(name, "script" | "iframe" | "frame" | "object" | "embed"),
            "<{name}> in the output:\n{}",
            rendered.html
        );
        for (attribute, value) in attributes(&tag[name.len()..]) {
            assert!(
                !attribute.starts_with("on"),
                "event handler `{attribute}` in <{tag}>:\n{}",
                rendered.html
            );
            if matches!(
                attribute,
                "href" | "src" | "action" | "formaction" | "srcset" | "poster"
            ) {
                let scheme = scheme(value);
                assert!(
                    !matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
                    "a {scheme}: URL in <{tag}>:\n{}",
                    rendered.html
                );
            }
        }
    }
});

/// The scheme of a URL attribute, as a browser reads it (WHATWG URL): a NUL is read as U+FFFD,
/// control characters and spaces at either end are dropped, tabs and newlines anywhere, and a
/// scheme is a letter, then letters, digits, `+`, `-` or `.`, up to a colon. Anything else
/// (`d\u{7f}ata:…`, `java\u{1}script:…`) is a relative URL. The HTML here is serialized with
/// raw characters (only `&`, `"`, `'` and no-break spaces are written as references), so the
/// text needs no decoding to find a scheme.
fn scheme(value: &str) -> String {
    let value: String = value
        .replace('\0', "\u{fffd}")
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = value.split_once(':') else {
        return String::new();
    };
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if valid { scheme.to_ascii_lowercase() } else { String::new() }
}

/// A tag's attributes after its name, as (name, value), values unquoted.
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        rest = rest[end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, r) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v;
            rest = r;
        }
        if name.is_empty() {
            // A stray `=`: skip a character so that the loop always moves on.
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        out.push((name, value));
    }
}
