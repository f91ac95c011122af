//! `[privacy]`: the other sites a reader's browser may contact. None by default: a page that
//! would load an image, frame, script, stylesheet or font from another site is an error
//! (`third_party`), unless its origin is listed in `allow`. Allowed origins also go into the
//! Content-Security-Policy the site sends.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrivacy {
    /// Origins ("https://www.youtube-nocookie.com") a page may load things from.
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

/// Which origins a page may contact: its own, and those the site allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privacy {
    /// (scheme, host with any port but the scheme's default), lower case.
    allow: Vec<(String, String)>,
    own: Option<(String, String)>,
}

impl Privacy {
    /// From origins already checked by [`parse_origin`]; `own` is the site's own origin (from
    /// base_url), if it has one.
    pub fn new(allow: Vec<String>, own: Option<String>) -> Privacy {
        Privacy {
            allow: allow.iter().filter_map(|origin| parse_origin(origin).ok()).collect(),
            own: own.and_then(|origin| parse_origin(&origin).ok()),
        }
    }

    /// Whether a request to `host` (with its port, lower case) over `scheme` (`None` for a
    /// protocol-relative URL, which takes the page's scheme) is the site's own or allowed.
    pub fn permits(&self, scheme: Option<&str>, host: &str) -> bool {
        let host = without_default_port(scheme.unwrap_or("https"), host);
        self.own
            .iter()
            .chain(&self.allow)
            .any(|(allowed_scheme, allowed_host)| {
                *allowed_host == host && scheme.is_none_or(|scheme| scheme == allowed_scheme)
            })
    }

    /// The allowed origins as written in a Content-Security-Policy, in the order given.
    pub fn csp_sources(&self) -> Vec<String> {
        self.allow
            .iter()
            .map(|(scheme, host)| format!("{scheme}://{host}"))
            .collect()
    }

    /// The Content-Security-Policy for the site's pages: nothing from anywhere but the site
    /// itself and the allowed origins.
    pub fn content_security_policy(&self) -> String {
        let mut sources = vec!["'self'".to_string()];
        sources.extend(self.csp_sources());
        format!(
            "default-src {}; base-uri 'self'; form-action 'self'; object-src 'none'",
            sources.join(" ")
        )
    }
}

/// `https://host[:port]` as (scheme, host), lower case, the scheme's default port dropped;
/// or what is wrong with it.
pub fn parse_origin(text: &str) -> Result<(String, String), String> {
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| "it is not an origin such as \"https://www.example.org\"".to_string())?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(format!("`{scheme}:` is not http: or https:"));
    }
    let host = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
    if host.is_empty() {
        return Err("it has no host name".to_string());
    }
    if let Some(bad) = host.chars().find(|c| {
        matches!(c, '/' | '?' | '#' | '@' | '*' | '\'' | '"' | ';' | ',') || c.is_whitespace() || c.is_control()
    }) {
        return Err(format!(
            "it contains `{}`: give the scheme and host only, with no path, query or wildcard",
            bad.escape_default()
        ));
    }
    if let Some((_, port)) = host.rsplit_once(':')
        && !host.ends_with(']')
        && port.parse::<u16>().is_err()
    {
        return Err(format!("the port `{port}` is not a number from 0 to 65535"));
    }
    let host = without_default_port(&scheme, &host);
    Ok((scheme, host))
}

fn without_default_port(scheme: &str, host: &str) -> String {
    let default = if scheme == "http" || scheme == "ws" {
        ":80"
    } else {
        ":443"
    };
    host.strip_suffix(default).unwrap_or(host).to_string()
}

/// Checks `[privacy] allow`, reporting each entry that is not an origin at its value.
pub(super) fn check_privacy(
    text: &str,
    raw: RawPrivacy,
    own: Option<String>,
    file: &Path,
    out: &mut Diagnostics,
) -> Privacy {
    let mut allow = Vec::new();
    for entry in raw.allow {
        match parse_origin(entry.get_ref()) {
            Ok(_) => allow.push(entry.get_ref().clone()),
            Err(why) => out.push(
                Diagnostic::error(file, format!("[privacy] allow `{}`: {why}", entry.get_ref()))
                    .code(Code::ConfigInvalidValue)
                    .at(text, entry.span().start)
                    .with_hint("an origin is a scheme and a host, such as \"https://www.youtube-nocookie.com\""),
            ),
        }
    }
    Privacy::new(allow, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_and_normalised() {
        assert_eq!(
            parse_origin("HTTPS://Www.Example.org/"),
            Ok(("https".into(), "www.example.org".into()))
        );
        assert_eq!(
            parse_origin("https://example.org:443"),
            Ok(("https".into(), "example.org".into()))
        );
        assert_eq!(
            parse_origin("http://localhost:8080"),
            Ok(("http".into(), "localhost:8080".into()))
        );
        for bad in [
            "example.org",
            "ftp://example.org",
            "https://",
            "https://example.org/path",
            "https://*.example.org",
            "https://example.org:99999",
            "https://exa mple.org",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_policy_lists_the_allowed_origins() {
        let privacy = Privacy::new(
            vec!["https://video.example".into()],
            Some("https://site.example".into()),
        );
        assert_eq!(
            privacy.content_security_policy(),
            "default-src 'self' https://video.example; base-uri 'self'; form-action 'self'; object-src 'none'"
        );
        assert!(privacy.permits(Some("https"), "site.example"));
        assert!(privacy.permits(None, "video.example"));
        assert!(!privacy.permits(Some("http"), "video.example"));
    }
}
