//! `base_url`: where the site is published, as a full URL or a path. Checked strictly, since
//! it is written into every link, the sitemap and the feed: one stray character there breaks
//! every page, or makes the XML files unreadable.

use serde::Serialize;
use url::Url;

/// Where the site is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUrl {
    /// The path every internal link starts with: "/" or "/guidance/", percent-encoded.
    pub path: String,
    /// The scheme and host ("https://example.org"), when base_url is a full URL.
    pub origin: Option<String>,
}

impl BaseUrl {
    /// Parses "https://host/sub/", "/sub/" or "sub". The path always starts and ends with '/'.
    /// The scheme and host may be in any case ("HTTPS://Example.org" is https://example.org).
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        check_characters(text)?;
        match text.split_once("://") {
            Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => full_url(text, scheme),
            Some(_) => Err("a full URL starts with https:// or http://".to_string()),
            None => {
                let first = text.trim_start_matches('/').split('/').next().unwrap_or_default();
                if first.contains(':') {
                    return Err("a full URL starts with https:// or http://".to_string());
                }
                if !text.starts_with('/') && first.contains('.') {
                    return Err(format!(
                        "`{first}` looks like a host name without https:// in front of it"
                    ));
                }
                Ok(BaseUrl {
                    path: clean_path(text)?,
                    origin: None,
                })
            }
        }
    }

    /// The URL of a site-relative path ("treatments/methadone/") as links in pages use it.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path)
    }

    /// The absolute URL where one is known (sitemap, feed), else the path.
    pub fn permalink(&self, site_path: &str) -> String {
        match &self.origin {
            Some(origin) => format!("{origin}{}", self.link(site_path)),
            None => self.link(site_path),
        }
    }
}

/// Characters a URL never holds as written: spaces and other whitespace, control characters,
/// quotes and the characters URLs reserve for other things, the characters XML forbids
/// (U+FFFE, U+FFFF and the other non-characters), and a query or fragment, which would end
/// up in the middle of every link.
fn check_characters(text: &str) -> Result<(), String> {
    if text.contains('?') {
        return Err("a base URL cannot have a query (`?…`)".to_string());
    }
    if text.contains('#') {
        return Err("a base URL cannot have a fragment (`#…`)".to_string());
    }
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')
            || is_noncharacter(c)
    };
    if let Some(c) = text.chars().find(|&c| bad(c)) {
        return Err(format!(
            "it contains {}, which a URL cannot hold as written",
            describe(c)
        ));
    }
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('%') {
        let hex = bytes.get(at + 1..at + 3);
        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return Err("`%` must be followed by two hexadecimal digits (`%20`)".to_string());
        }
    }
    Ok(())
}

/// Unicode's non-characters: U+FDD0 to U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || c & 0xFFFE == 0xFFFE
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_whitespace() || c.is_control() || is_noncharacter(c) {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

fn full_url(text: &str, scheme: &str) -> Result<BaseUrl, String> {
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(format!("only http:// and https:// URLs can be used, not {scheme}://"));
    }
    let after_host_start = &text[scheme.len() + 3..];
    if after_host_start.is_empty() || after_host_start.starts_with('/') {
        // WHATWG parsing would take "https:///x" as host "x".
        return Err("the URL has no host name".to_string());
    }
    let url = Url::parse(text).map_err(|e| format!("it is not a valid URL ({e})"))?;
    let Some(host) = url.host_str().filter(|host| !host.is_empty()) else {
        return Err("the URL has no host name".to_string());
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a base URL cannot hold a user name or password".to_string());
    }
    // The path as written: `Url` would quietly resolve "a/../b", which is a mistake to report.
    let after_host = &text[scheme.len() + 3..];
    let written_path = after_host.find('/').map_or("", |at| &after_host[at..]);
    clean_path(written_path)?;
    let origin = match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    };
    Ok(BaseUrl {
        path: clean_path(url.path())?,
        origin: Some(origin),
    })
}

/// "/a//b" as "/a/b/": segments percent-encoded, empty ones dropped so links never hold "//",
/// and always starting and ending with '/'.
fn clean_path(path: &str) -> Result<String, String> {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    if segments.iter().any(|segment| *segment == ".." || *segment == ".") {
        return Err("the path may not contain '.' or '..' segments".to_string());
    }
    if segments.is_empty() {
        return Ok("/".to_string());
    }
    let encoded: Vec<String> = segments.iter().map(|segment| percent_encode(segment)).collect();
    Ok(format!("/{}/", encoded.join("/")))
}

/// Encodes what is not already safe in a URL path segment; `%XX` escapes are kept as written.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in segment.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&()*+,;=:@%".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::BaseUrl;

    fn check(input: &str, path: &str, origin: Option<&str>) {
        let url = BaseUrl::parse(input).expect(input);
        assert_eq!(url.path, path, "{input}");
        assert_eq!(url.origin.as_deref(), origin, "{input}");
    }

    #[test]
    fn full_urls_and_paths() {
        check("/", "/", None);
        check("", "/", None);
        check("/guidance", "/guidance/", None);
        check("guidance/", "/guidance/", None);
        check("https://example.org", "/", Some("https://example.org"));
        check("https://example.org/a/b/", "/a/b/", Some("https://example.org"));
        check(
            "HTTPS://Example.ORG/Guidance/",
            "/Guidance/",
            Some("https://example.org"),
        );
        check("http://localhost:8080/x", "/x/", Some("http://localhost:8080"));
        check("https://example.org:443/", "/", Some("https://example.org"));
        check("/guía/", "/gu%C3%ADa/", None);
        check("/a%20b/", "/a%20b/", None);
    }

    #[test]
    fn refused_with_the_reason() {
        let refused = |input: &str, why: &str| {
            let error = BaseUrl::parse(input).expect_err(input);
            assert!(error.contains(why), "{input:?}: {error}");
        };
        refused("ftp://x", "only http:// and https://");
        refused("/a/../b", "'..' segments");
        refused("https://example.org/a/../b", "'..' segments");
        refused("https:///x", "no host name");
        refused("https://", "no host name");
        refused("https://example.org/?page=1", "query");
        refused("https://example.org/#top", "fragment");
        refused("/my guidance/", "a space");
        refused("/a\"b/", "`\"`");
        refused("/a\u{7}b/", "U+0007");
        refused("/a\u{FFFE}/", "U+FFFE");
        refused("https://exa\u{FFFF}mple.org/", "U+FFFF");
        refused("/a%zz/", "two hexadecimal digits");
        refused("https://user:pw@example.org/", "user name");
        refused("https://example.org:99999/", "not a valid URL");
        refused("example.org/guidance/", "looks like a host name");
        refused("https:/example.org", "starts with https://");
    }
}
