//! Asking one URL whether it is still there: HEAD first (no body is sent), GET when the server
//! refuses HEAD (405, 501). Redirects are followed by hand, so that a permanent one (301, 308)
//! is reported with its new address while a temporary one is followed to its end.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ureq::Agent;

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// A 2xx answer (after any temporary redirects).
    Ok { status: u16 },
    /// A 4xx or 5xx answer, but 429 (too many requests).
    Broken { status: u16 },
    /// A permanent redirect to `to`.
    Moved { status: u16, to: String },
    /// No answer about the page: the host was not found, the connection failed or timed
    /// out, or the server asked for fewer requests (429).
    Unreachable { reason: String },
}

impl Outcome {
    /// Whether the answer is the server's own, worth keeping for a while; a network failure
    /// may be this machine's and is asked again next time.
    pub fn is_answer(&self) -> bool {
        !matches!(self, Outcome::Unreachable { .. })
    }
}

/// Temporary redirects followed before giving up.
const MAX_HOPS: usize = 5;

/// The client for every request of one run.
pub fn agent(timeout: Duration) -> Agent {
    Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "Signpost/",
            env!("CARGO_PKG_VERSION"),
            " (link checker; run by the site's editors with `signpost check --external`)"
        ))
        .build()
        .new_agent()
}

/// Asks `url` and follows temporary redirects.
pub fn check(agent: &Agent, url: &str, timeout: Duration) -> Outcome {
    // As a browser sends it: `café` and spaces percent-encoded, the host in lowercase.
    let mut current = url::Url::parse(url).map_or_else(|_| url.to_string(), String::from);
    for _ in 0..=MAX_HOPS {
        let (status, location) = match ask(agent, &current) {
            Ok(answer) => answer,
            Err(error) => {
                return Outcome::Unreachable {
                    reason: describe(&error, timeout),
                };
            }
        };
        let next = location.and_then(|to| resolve(&current, &to));
        match (status, next) {
            // "Too many requests" says nothing of the page: ask again on the next run.
            (429, _) => {
                return Outcome::Unreachable {
                    reason: format!("{} (the site asked for fewer requests)", status_text(status)),
                };
            }
            (301 | 308, Some(to)) => return Outcome::Moved { status, to },
            (300..=399, Some(to)) => current = to,
            (200..=399, _) => return Outcome::Ok { status },
            _ => return Outcome::Broken { status },
        }
    }
    Outcome::Unreachable {
        reason: format!("more than {MAX_HOPS} redirects"),
    }
}

/// The status and `Location` of one request: HEAD, then GET if HEAD is refused.
fn ask(agent: &Agent, url: &str) -> Result<(u16, Option<String>), ureq::Error> {
    let mut response = agent.head(url).call()?;
    if matches!(response.status().as_u16(), 405 | 501) {
        // The body is not read: dropping the response closes the connection.
        response = agent.get(url).call()?;
    }
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    Ok((response.status().as_u16(), location))
}

/// A `Location` header's URL, which may be relative to the one asked.
fn resolve(base: &str, location: &str) -> Option<String> {
    url::Url::parse(base)
        .and_then(|b| b.join(location))
        .ok()
        .map(String::from)
}

fn describe(error: &ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs()),
        ureq::Error::HostNotFound => "its host was not found".to_string(),
        ureq::Error::ConnectionFailed => "the connection failed".to_string(),
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::TimedOut => format!("no answer within {} s", timeout.as_secs()),
            std::io::ErrorKind::ConnectionRefused => "the connection was refused".to_string(),
            std::io::ErrorKind::ConnectionReset => "the connection was reset".to_string(),
            _ => e.to_string(),
        },
        other => other.to_string(),
    }
}

/// "404 Not Found".
pub fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_against_the_url_asked() {
        assert_eq!(
            resolve("http://a.example/x/y", "/new").as_deref(),
            Some("http://a.example/new")
        );
        assert_eq!(
            resolve("http://a.example/x/y", "z").as_deref(),
            Some("http://a.example/x/z")
        );
        assert_eq!(
            resolve("http://a.example/x", "https://b.example/").as_deref(),
            Some("https://b.example/")
        );
    }

    #[test]
    fn statuses_are_named() {
        assert_eq!(status_text(404), "404 Not Found");
        assert_eq!(status_text(599), "599");
    }
}
