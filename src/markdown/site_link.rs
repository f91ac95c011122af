//! What a link's or image's destination names, as written in markdown: a content file (by
//! `@/` or a relative path ending in `.md`), a path on the site (root-relative, or relative
//! to the file it is written in), a heading on the same page, or something outside the site
//! that is left alone. A pure function of the destination and the folder of the file it is
//! written in, so that every form is resolved the same way wherever it is met.

use percent_encoding::percent_decode_str;

use crate::slug::slugify;

/// A classified destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A page's or section's markdown file: its content key as written ("a/b.md", "a/").
    Content { key: String, fragment: Option<String> },
    /// A path on the site, without its leading slash ("images/kit.png", "treatments/", ""
    /// for the home page); `query` is "" or "?…", kept as written.
    SitePath {
        path: String,
        query: String,
        fragment: Option<String>,
    },
    /// `#id`: an id on the page the link is shown on.
    SamePage { fragment: String },
    /// Another site, a scheme (`mailto:`, `tel:`), a bare `#` or `?query`: left as written.
    External,
    /// A relative path that climbs above content/.
    OutsideSite,
}

/// Classifies `dest`, written in a file whose folder under content/ is `dir` ("" for
/// content/ itself, "treatments", "_snippets").
pub fn classify(dest: &str, dir: &str) -> Destination {
    if let Some(path) = dest.strip_prefix("@/") {
        let (key, fragment) = split_fragment(path);
        return Destination::Content {
            key: key.to_string(),
            fragment,
        };
    }
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") || dest.starts_with('?') || dest == "#" {
        return Destination::External;
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return Destination::SamePage {
            fragment: decode(fragment),
        };
    }
    let (rest, fragment) = split_fragment(dest);
    let (path, query) = match rest.find('?') {
        Some(at) => (&rest[..at], rest[at..].to_string()),
        None => (rest, String::new()),
    };
    let path = decode(path);
    if let Some(absolute) = path.strip_prefix('/') {
        return match normalise(absolute) {
            Some(path) => Destination::SitePath { path, query, fragment },
            None => Destination::OutsideSite,
        };
    }
    let joined = if dir.is_empty() { path } else { format!("{dir}/{path}") };
    let Some(key) = normalise(&joined) else {
        return Destination::OutsideSite;
    };
    if key.ends_with(".md") {
        return Destination::Content { key, fragment };
    }
    Destination::SitePath {
        path: site_path(&key),
        query,
        fragment,
    }
}

fn has_scheme(dest: &str) -> bool {
    scheme(dest).is_some()
}

/// The scheme of a URL (`https`, `mailto`), lowercased, as a browser reads it (WHATWG URL):
/// spaces and control characters at either end and tabs and newlines anywhere are ignored,
/// and a scheme is a letter, then letters, digits, `+`, `-` or `.`, up to a colon. Anything
/// else (`foo):`, `a b:c`) is a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let mut chars = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let mut scheme = String::new();
    for c in chars.by_ref() {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

fn split_fragment(text: &str) -> (&str, Option<String>) {
    match text.split_once('#') {
        Some((before, fragment)) => (before, Some(decode(fragment))),
        None => (text, None),
    }
}

/// `%20` and the like as the characters they stand for: files are named by characters.
fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `a/./b/../c` as `a/c`, keeping a trailing slash; `None` when `..` climbs above the start.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut out = parts.join("/");
    let folder = matches!(path.rsplit('/').next(), Some("" | "." | ".."));
    if folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The site path of a file or folder under content/: its folders by their slugs, as the
/// content stage places pages and co-located files ("Getting Help/map.png" becomes
/// "getting-help/map.png").
fn site_path(key: &str) -> String {
    let (dirs, name) = match key.strip_suffix('/') {
        Some(folder) => (folder, ""),
        None => key.rsplit_once('/').unwrap_or(("", key)),
    };
    let mut out: String = dirs
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect();
    out.push_str(name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_has_the_shape_a_browser_reads() {
        assert_eq!(scheme("HTTPS://x.org/").as_deref(), Some("https"));
        assert_eq!(scheme(" java\tscript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("a+b-c.d:e").as_deref(), Some("a+b-c.d"));
        for relative in ["foo):", "a b:c", "1a:b", "/x:y", "x", ":x", "ja\u{1}va:x"] {
            assert_eq!(scheme(relative), None, "{relative}");
        }
        assert_eq!(
            classify("foo):", "t"),
            Destination::SitePath {
                path: "t/foo):".to_string(),
                query: String::new(),
                fragment: None
            }
        );
    }

    fn content(key: &str, fragment: Option<&str>) -> Destination {
        Destination::Content {
            key: key.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    fn site(path: &str, query: &str, fragment: Option<&str>) -> Destination {
        Destination::SitePath {
            path: path.to_string(),
            query: query.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn content_links_by_at_slash_or_relative_markdown_path() {
        assert_eq!(classify("@/t/m.md#dose", "x"), content("t/m.md", Some("dose")));
        assert_eq!(classify("rehab.md", "treatments"), content("treatments/rehab.md", None));
        assert_eq!(
            classify("../other/page.md#id", "treatments"),
            content("other/page.md", Some("id"))
        );
        assert_eq!(classify("./folder/_index.md", ""), content("folder/_index.md", None));
        assert_eq!(classify("my%20page.md", "a"), content("a/my page.md", None));
    }

    #[test]
    fn root_relative_paths_are_site_paths() {
        assert_eq!(
            classify("/treatments/methadone/", "x"),
            site("treatments/methadone/", "", None)
        );
        assert_eq!(classify("/images/kit.png", "x"), site("images/kit.png", "", None));
        assert_eq!(classify("/", "x"), site("", "", None));
        assert_eq!(classify("/search/?q=x#top", ""), site("search/", "?q=x", Some("top")));
        assert_eq!(classify("/a/../b/", ""), site("b/", "", None));
        assert_eq!(classify("/../b/", ""), Destination::OutsideSite);
    }

    #[test]
    fn relative_files_are_site_paths_from_the_files_folder() {
        assert_eq!(
            classify("clinic.png", "Getting Help"),
            site("getting-help/clinic.png", "", None)
        );
        assert_eq!(
            classify("../images/kit.png", "treatments"),
            site("images/kit.png", "", None)
        );
        assert_eq!(classify("My%20Map.png", ""), site("My Map.png", "", None));
        assert_eq!(classify("../", "a/b"), site("a/", "", None));
        assert_eq!(classify("..", "a"), site("", "", None));
    }

    #[test]
    fn climbing_out_of_content_is_outside_the_site() {
        assert_eq!(classify("../x.png", ""), Destination::OutsideSite);
        assert_eq!(classify("../../x.md", "a"), Destination::OutsideSite);
    }

    #[test]
    fn fragments_and_external_destinations() {
        assert_eq!(
            classify("#side-effects", "a"),
            Destination::SamePage {
                fragment: "side-effects".to_string()
            }
        );
        for dest in [
            "https://example.org/x",
            "mailto:a@b.org",
            "tel:+441234",
            "//cdn.example/x",
            "#",
            "?q=1",
            "",
        ] {
            assert_eq!(classify(dest, "a"), Destination::External, "{dest}");
        }
    }
}
