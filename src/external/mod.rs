//! `signpost check --external`: every external http(s) URL the site links to, asked once.
//! `build` never fetches anything; this is a separate, slower check for editors and CI.
//!
//! URLs are grouped by host: hosts are asked in parallel (`[links] external_concurrency`),
//! the URLs of one host one at a time with `[links] external_host_delay_ms` between them, so
//! no site is hammered. Answers are cached (`cache.rs`). A dead link (4xx, 5xx, no answer)
//! is SP033 and a permanent redirect SP034, both warnings at every place the URL is written.
//!
//! Uses `config`, `content`, `markdown` (its parser options) and `review` (today's date).

mod cache;
mod collect;
mod fetch;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use cache::CACHE_FILE;
use cache::{Cache, Entry};
use collect::Uses;
use fetch::Outcome;

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};

/// What one run did, for the summary line.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// Distinct URLs the site links to.
    pub urls: usize,
    /// How many of them were answered from the cache.
    pub cached: usize,
    /// Why the cache could not be written, if it could not.
    pub cache_error: Option<String>,
}

/// Checks every external URL; `max_age` overrides `[links] external_max_age`.
pub fn check(config: &Config, content: &Content, max_age: Option<u32>) -> Report {
    let uses = collect::collect(config, content);
    let today = crate::review::today();
    let max_age = max_age.unwrap_or(config.links.external_max_age);
    let cache = Cache::load(&config.root);
    let mut results: BTreeMap<String, Entry> = BTreeMap::new();
    let mut to_ask = Vec::new();
    for url in uses.urls.keys() {
        match cache.fresh(url, today, max_age) {
            Some(entry) => {
                results.insert(url.clone(), entry.clone());
            }
            None => to_ask.push(url.clone()),
        }
    }
    let cached = results.len();
    let answers: BTreeMap<String, Entry> = ask_all(config, to_ask)
        .into_iter()
        .map(|(url, outcome)| {
            let entry = Entry {
                checked: today.iso(),
                outcome,
            };
            (url, entry)
        })
        .collect();
    results.extend(answers.clone());
    let diagnostics = report(&uses, &results);
    // Not the site's fault, so not a warning: the next run asks every URL again.
    let cache_error = cache.save(answers, uses.urls.keys().cloned()).err();
    Report {
        diagnostics,
        urls: uses.urls.len(),
        cached,
        cache_error,
    }
}

/// Each URL's answer, asking hosts in parallel and each host's URLs in turn.
fn ask_all(config: &Config, urls: Vec<String>) -> Vec<(String, Outcome)> {
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in urls {
        let host = url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(url);
    }
    let workers = config.links.external_concurrency.clamp(1, by_host.len().max(1));
    let queue = Mutex::new(by_host.into_values().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::new());
    let timeout = Duration::from_secs(config.links.external_timeout);
    let delay = Duration::from_millis(config.links.external_host_delay_ms);
    let agent = fetch::agent(timeout);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(host_urls) = next(&queue) {
                    let mut last: Option<Instant> = None;
                    for url in host_urls {
                        if let Some(wait) = last.map(|at| delay.saturating_sub(at.elapsed())) {
                            std::thread::sleep(wait);
                        }
                        last = Some(Instant::now());
                        let outcome = fetch::check(&agent, &url, timeout);
                        lock(&results).push((url, outcome));
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn next(queue: &Mutex<VecDeque<Vec<String>>>) -> Option<Vec<String>> {
    lock(queue).pop_front()
}

/// A lock that a panicked worker does not poison for the others.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A warning at every place each dead or moved URL is written.
fn report(uses: &Uses, results: &BTreeMap<String, Entry>) -> Diagnostics {
    let mut out = Diagnostics::new();
    for (url, places) in &uses.urls {
        let Some(entry) = results.get(url) else { continue };
        let (code, message, hint) = match &entry.outcome {
            Outcome::Ok { .. } => continue,
            Outcome::Broken { status } => (
                Code::ExternalLinkBroken,
                format!("the link {url} is broken: {}", fetch::status_text(*status)),
                format!(
                    "checked on {}: find where the page went, or remove the link",
                    entry.checked
                ),
            ),
            Outcome::Unreachable { reason } => (
                Code::ExternalLinkBroken,
                format!("the link {url} could not be reached: {reason}"),
                format!(
                    "checked on {}: if the site is up, run the check again; otherwise find where the page went",
                    entry.checked
                ),
            ),
            Outcome::Moved { status, to } => (
                Code::ExternalLinkMoved,
                format!(
                    "the link {url} has moved permanently ({}) to {to}",
                    fetch::status_text(*status)
                ),
                format!("checked on {}: link to {to} instead", entry.checked),
            ),
        };
        for place in places {
            let diagnostic = Diagnostic::warning(uses.path(place), message.clone())
                .code(code)
                .with_hint(hint.clone());
            out.push(uses.at(place, diagnostic));
        }
    }
    out
}
