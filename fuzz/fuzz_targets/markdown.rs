//! Any markdown: rendering never panics, and nothing in the text becomes a script, a frame,
//! an event handler or a `javascript:` URL in the HTML.
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
            !matches!(name, "script" | "iframe" | "object" | "embed"),
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
                // The URL's scheme, as a browser reads it (spaces and control characters dropped).
                let value: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                let scheme = value.split(':').next().filter(|s| s.len() < value.len()).unwrap_or("");
                let scheme = if scheme.contains(['/', '?', '#']) { "" } else { scheme };
                assert!(
                    !matches!(scheme, "javascript" | "vbscript"),
                    "a {scheme}: URL in <{tag}>:\n{}",
                    rendered.html
                );
            }
        }
    }
});

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
