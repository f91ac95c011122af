//! The machine-read files: sitemap.xml, robots.txt and the Atom feed. Written directly
//! rather than through templates, so that they are always well-formed XML.

use std::fmt::Write;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{BaseUrl, CONFIG_FILE, Config};
use crate::content::{Content, Date};
use crate::diagnostics::{Code, Diagnostic};

/// A warning when `base_url` is a path: the sitemap protocol and Atom need full URLs, and
/// search engines ignore a sitemap of paths. Pointed at `base_url` in site.toml unless
/// `--base-url` replaced it.
pub fn base_url_warning(config: &Config) -> Option<Diagnostic> {
    if config.base_url.origin.is_some() {
        return None;
    }
    #[derive(Deserialize)]
    struct OnlyBaseUrl {
        base_url: Option<Spanned<String>>,
    }
    let written = toml::from_str::<OnlyBaseUrl>(&config.text)
        .ok()
        .and_then(|t| t.base_url);
    let mut warning = Diagnostic::warning(
        CONFIG_FILE,
        format!(
            "base_url `{}` is a path, not a full URL: sitemap.xml, atom.xml and robots.txt need full URLs (https://…) to work",
            config.base_url.path
        ),
    )
    .code(Code::BaseUrlNotAbsolute)
    .with_hint("set base_url in site.toml to the address the site is published at, such as \"https://example.org/guidance/\", or build with --base-url");
    if let Some(written) = written.filter(|w| BaseUrl::parse(w.get_ref()).as_ref() == Ok(&config.base_url)) {
        warning = warning.at(&config.text, written.span().start);
    }
    Some(warning)
}

/// Every page, section and generated page (`generated` holds their site-relative paths).
pub fn sitemap(config: &Config, content: &Content, generated: &[String]) -> String {
    let mut entries: Vec<(&str, Option<Date>)> = content
        .sections
        .iter()
        .map(|s| (s.path.as_str(), s.meta.last_reviewed))
        .chain(content.pages.iter().map(|p| (p.path.as_str(), p.meta.last_reviewed)))
        .chain(generated.iter().map(|g| (g.as_str(), None)))
        .collect();
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, reviewed) in entries {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape_xml(&config.base_url.permalink(path))
        );
        if let Some(date) = reviewed {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", date.iso());
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        config.base_url.permalink("sitemap.xml")
    )
}

/// The feed lists reviewed pages, most recently reviewed first, so that readers and partner
/// services can follow updates. Its dates come from the content, never the clock.
pub fn atom(config: &Config, content: &Content) -> String {
    const MAX_ENTRIES: usize = 50;
    let mut pages: Vec<_> = content
        .pages
        .iter()
        .filter_map(|p| p.meta.last_reviewed.map(|d| (d, p)))
        .collect();
    pages.sort_by(|(da, a), (db, b)| {
        db.cmp(da)
            .then_with(|| a.meta.title.cmp(&b.meta.title))
            .then_with(|| a.key.cmp(&b.key))
    });
    pages.truncate(MAX_ENTRIES);
    let updated = pages
        .first()
        .map(|(d, _)| d.iso())
        .unwrap_or_else(|| "1970-01-01".to_string());
    let home = config.base_url.permalink("");
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}T00:00:00Z</updated>\n",
        escape_xml(&config.language),
        escape_xml(&config.title),
        escape_xml(&config.description),
        escape_xml(&config.base_url.permalink("atom.xml")),
        escape_xml(&home),
        escape_xml(&home),
    );
    for (date, page) in pages {
        let url = escape_xml(&config.base_url.permalink(&page.path));
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            escape_xml(&page.meta.title),
            date.iso(),
            escape_xml(&config.title),
            escape_xml(&page.meta.summary),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// Escapes text for an XML attribute or element. This is the one function every XML file
/// Signpost writes goes through, so none can hold a character XML 1.0 forbids.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than producing an invalid feed.
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char`: tab, line feed, carriage return, and everything from U+0020 up except
/// U+FFFE and U+FFFF (surrogates cannot occur in a Rust string).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::escape_xml;

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(escape_xml("a\u{0}b\u{1F}c\u{FFFE}d\u{FFFF}e"), "abcde");
        assert_eq!(
            escape_xml("\t\n\r\u{FFFD}\u{10000}\u{7F}"),
            "\t\n\r\u{FFFD}\u{10000}\u{7F}"
        );
        assert_eq!(
            escape_xml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }
}
