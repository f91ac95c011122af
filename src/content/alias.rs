//! Aliases: old URLs of a page or section (`aliases = ["/old/path/"]`), each checked and
//! normalised here; `render::redirects` writes a redirect at each.

use crate::diagnostics::Location;

/// One alias as front matter wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The site-relative path, normalised as the site's own URLs are: "old/path/", or
    /// "old.html" for a file name with an extension.
    pub path: String,
    /// Where the value was written, for errors about it (kept: a one-off build frees the
    /// file's text before aliases are checked against the other files).
    pub location: Location,
}

impl Alias {
    /// The output file that holds the redirect ("old/path/index.html", "old.html").
    pub fn output(&self) -> String {
        output_of(&self.path)
    }
}

/// The file written for a site-relative path: a folder's `index.html`, or the file itself.
pub fn output_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Checks an alias as written ("/old/path", "/old.html") and returns its site-relative path
/// ("old/path/", "old.html"), or why it cannot be one.
pub fn normalise(written: &str) -> Result<String, String> {
    let Some(rest) = written.strip_prefix('/') else {
        return Err(match written.contains("://") {
            true => "an alias is a path on this site, not a full URL".to_string(),
            false => "an alias must start with `/` (a path from the site's root)".to_string(),
        });
    };
    if let Some(bad) = written
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>'))
    {
        let what = match bad {
            '?' => "a query (`?`)".to_string(),
            '#' => "a fragment (`#`)".to_string(),
            c if c.is_whitespace() => "a space".to_string(),
            c if c.is_control() => "a control character".to_string(),
            c => format!("`{c}`"),
        };
        return Err(format!("an alias may not contain {what}"));
    }
    if rest.is_empty() {
        return Ok(String::new());
    }
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<&str> = trimmed.split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err("an alias may not contain an empty segment (`//`)".to_string());
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("an alias may not contain `.` or `..` segments".to_string());
    }
    // A last segment with an extension ("old.html") is an old file's name and kept as one;
    // anything else ends with `/`, as every URL the site makes does.
    let is_file = !rest.ends_with('/') && segments.last().is_some_and(|s| s.contains('.'));
    Ok(match is_file {
        true => trimmed.to_string(),
        false => format!("{trimmed}/"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_normalised_like_site_urls() {
        assert_eq!(normalise("/old/path").as_deref(), Ok("old/path/"));
        assert_eq!(normalise("/old/path/").as_deref(), Ok("old/path/"));
        assert_eq!(normalise("/old.html").as_deref(), Ok("old.html"));
        assert_eq!(normalise("/v1.2/").as_deref(), Ok("v1.2/"));
        assert_eq!(normalise("/").as_deref(), Ok(""));
        assert_eq!(output_of("old/path/"), "old/path/index.html");
        assert_eq!(output_of("old.html"), "old.html");
    }

    #[test]
    fn bad_aliases_say_why() {
        for (written, why) in [
            ("old/", "must start with `/`"),
            ("https://example.org/old/", "not a full URL"),
            ("/a/../b/", "`..`"),
            ("/a?x=1", "query"),
            ("/a#top", "fragment"),
            ("/a b/", "space"),
            ("/a\u{7}/", "control character"),
            ("/a//b/", "empty segment"),
        ] {
            let error = normalise(written).expect_err(written);
            assert!(error.contains(why), "{written}: {error}");
        }
    }
}
