//! The site as served: every output file in memory, looked up by request path, with the
//! live-reload script added to HTML pages on the way out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::http;
use crate::render::{Files, RenderedSite};

/// The site as last built successfully, or the error that stopped the first build.
#[derive(Default)]
pub struct Snapshot {
    pub(super) base_path: String,
    pub(super) files: BTreeMap<String, Arc<Vec<u8>>>,
    pub(super) error: Option<String>,
}

/// What one request gets.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Snapshot {
    /// Takes the site's files rather than copying them: at 10,000 pages a copy held a second
    /// 300 MB while the build's own was still alive.
    pub(super) fn from_site(site: RenderedSite, base_path: &str) -> Snapshot {
        let files = site
            .files
            .into_iter()
            // A file to copy is read now, so that a change to a static file shows as a change.
            .map(|(path, contents)| (path, Arc::new(contents.into_bytes())))
            .collect();
        Snapshot {
            base_path: base_path.to_string(),
            files,
            error: None,
        }
    }

    /// The error of the last build, if it failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The response for a decoded request path.
    pub fn response(&self, path: &str) -> Response {
        if let Some(error) = &self.error
            && self.files.is_empty()
        {
            return html_response(500, error_page(error));
        }
        let Some(relative) = path.strip_prefix(&self.base_path).or_else(|| {
            // "/guidance" without its slash still means the home page.
            (format!("{path}/") == self.base_path).then_some("")
        }) else {
            return self.not_found();
        };
        let mut key = relative.to_string();
        if key.is_empty() || key.ends_with('/') {
            key.push_str("index.html");
        }
        let found = self.files.get(&key).or_else(|| {
            // "/a/b" for "/a/b/": serve the page rather than a 404.
            (!key.contains('.'))
                .then(|| self.files.get(&format!("{key}/index.html")))
                .flatten()
        });
        match found {
            Some(bytes) if key.ends_with(".html") || !key.contains('.') => {
                html_response(200, with_reload_script(bytes))
            }
            Some(bytes) => Response {
                status: 200,
                content_type: http::content_type(&key),
                body: bytes.to_vec(),
            },
            None => self.not_found(),
        }
    }

    fn not_found(&self) -> Response {
        match self.files.get("404.html") {
            Some(bytes) => html_response(404, with_reload_script(bytes)),
            None => html_response(404, b"<!DOCTYPE html><title>Not found</title><p>Not found</p>".to_vec()),
        }
    }

    /// Serves these files from now on; returns the URL paths of those whose bytes changed.
    pub(super) fn insert_changed(&mut self, files: Files) -> Vec<String> {
        let mut urls = Vec::new();
        for (path, bytes) in files {
            if self.files.get(&path).is_some_and(|old| **old == bytes) {
                continue;
            }
            urls.push(format!(
                "{}{}",
                self.base_path,
                path.strip_suffix("index.html").unwrap_or(&path)
            ));
            self.files.insert(path, Arc::new(bytes));
        }
        urls
    }

    /// Stops serving these files; returns the URL paths of those that were served.
    pub(super) fn remove(&mut self, paths: &[String]) -> Vec<String> {
        paths
            .iter()
            .filter(|path| self.files.remove(*path).is_some())
            .map(|path| format!("{}{path}", self.base_path))
            .collect()
    }

    /// Output paths whose bytes differ between two snapshots, as URL paths.
    pub(super) fn changed_since(&self, before: &Snapshot) -> Vec<String> {
        let paths: BTreeSet<&String> = self.files.keys().chain(before.files.keys()).collect();
        paths
            .into_iter()
            .filter(|p| self.files.get(*p) != before.files.get(*p))
            .map(|p| format!("{}{}", self.base_path, p.strip_suffix("index.html").unwrap_or(p)))
            .collect()
    }
}

fn html_response(status: u16, body: Vec<u8>) -> Response {
    Response {
        status,
        content_type: "text/html; charset=utf-8",
        body,
    }
}

/// Adds the live-reload script before `</body>` (or at the end).
fn with_reload_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{}\" defer></script>", http::RELOAD_SCRIPT);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn error_page(error: &str) -> Vec<u8> {
    let escaped = crate::markdown::escape_text(error);
    with_reload_script(
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build error</title></head><body><h1>The site did not build</h1><pre>{escaped}</pre><p>Fix the problem and save: this page reloads by itself.</p></body></html>"
        )
        .as_bytes(),
    )
}
