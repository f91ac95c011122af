//! The builder thread: full builds in the background, each published unless a newer change
//! came in while it ran. A panic in a build is caught and shown like a build error, as an
//! internal error with the files being built, and the next change builds again.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use super::{Latest, Shared, Snapshot, diagnostics_text, http, lock, print_warnings};
use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::pipeline::{self, Cache, Served};
use crate::plural;

/// What stopped a full build.
pub(super) enum Failed {
    Diagnostics(Diagnostics),
    /// A panic, with its message: a fault in Signpost rather than in the site.
    Panic(String),
}

impl Failed {
    /// The text shown in the terminal and over the page; `what` names the changed files.
    pub(super) fn text(self, what: &str) -> String {
        match self {
            Failed::Diagnostics(diagnostics) => diagnostics_text(diagnostics),
            Failed::Panic(message) => {
                let what = if what.is_empty() { "the site" } else { what };
                format!(
                    "internal error while building {what}: {message}\n\nThis is a fault in Signpost, not in the site: please report it. The next save builds again."
                )
            }
        }
    }
}

/// [`pipeline::build_served`], with a panic caught. The cache a panic interrupted is emptied:
/// what it held midway cannot be trusted.
pub(super) fn build_catching(root: &Path, overrides: &Overrides, cache: &mut Cache) -> Result<Served, Failed> {
    match catch_unwind(AssertUnwindSafe(|| pipeline::build_served(root, overrides, cache))) {
        Ok(result) => result.map_err(Failed::Diagnostics),
        Err(panic) => {
            *cache = Cache::new();
            Err(Failed::Panic(panic_message(&*panic)))
        }
    }
}

/// The message a panic was given.
pub(super) fn panic_message(panic: &(dyn Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => (*message).to_string(),
        (_, Some(message)) => message.clone(),
        _ => "a panic without a message".to_string(),
    }
}

/// A full build whenever one is wanted, published unless a newer change came in while it ran
/// (then it starts again).
pub(super) fn builder(
    root: &Path,
    overrides: &Overrides,
    mut cache: Cache,
    shared: &Shared,
    latest: &Latest,
    site: &RwLock<Snapshot>,
    listeners: &http::Listeners,
) {
    loop {
        let generation = wait_for_work(shared, &mut cache);
        let started = Instant::now();
        let newest = Arc::clone(latest);
        cache.stop_when(move || newest.load(Ordering::Relaxed) != generation);
        let result = build_catching(root, overrides, &mut cache);
        if latest.load(Ordering::Relaxed) != generation {
            continue;
        }
        // The new snapshot and what differs from the one served are made before taking the
        // lock, which quick re-renders wait for. A quick re-render published meanwhile belongs
        // to a newer change, which throws this build away below.
        let result = result.map(|mut served| {
            let next = Snapshot::from_site(std::mem::take(&mut served.site), &served.kept.config.base_url.path);
            let updated = site
                .read()
                .map(|current| next.changed_since(&current))
                .unwrap_or_default();
            (served, next, updated)
        });
        let mut state = lock(shared);
        if state.generation != generation {
            continue;
        }
        let what = std::mem::take(&mut state.changes).join(", ");
        match result {
            Ok((served, next, updated)) => {
                print_warnings(&served.warnings);
                state.kept = Some(served.kept);
                state.fresh = true;
                let Ok(mut current) = site.write() else {
                    return;
                };
                *current = next;
                drop(current);
                // The terminal and the clients' queues are told without the lock.
                drop(state);
                report_build(listeners, &what, &updated, cache.last_rendered, started);
            }
            Err(failed) => {
                state.fresh = false;
                let text = failed.text(&what);
                if let Ok(mut current) = site.write() {
                    current.error = Some(text.clone());
                }
                drop(state);
                errln!("changed {what}: the build failed; still serving the last good site\n{text}");
                listeners.build_failed(&text);
            }
        }
    }
}

/// Waits until a full build is wanted; returns the change it is for.
fn wait_for_work(shared: &Shared, cache: &mut Cache) -> u64 {
    let mut state = lock(shared);
    while !state.dirty {
        state = shared.1.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
    state.dirty = false;
    // A kept build that is not fresh takes no more quick edits: its search analysis saves the
    // build analysing pages whose text did not change.
    if !state.fresh
        && let Some(kept) = state.kept.as_mut()
        && let Some(analysis) = kept.take_search_analysis()
    {
        cache.reuse_search(Some(analysis));
    }
    state.generation
}

/// Tells the terminal and the browsers what a full build changed.
fn report_build(listeners: &http::Listeners, what: &str, updated: &[String], rendered: usize, started: Instant) {
    outln!(
        "changed {what}: full build, {} re-rendered, {} updated in {} ms",
        plural(rendered, "page"),
        plural(updated.len(), "file"),
        started.elapsed().as_millis()
    );
    listeners.build_fixed();
    if !updated.is_empty() {
        let css_only = updated.iter().all(|p| p.ends_with(".css"));
        let data = serde_json::to_string(&updated).unwrap_or_else(|_| "[]".into());
        listeners.send(if css_only { "css" } else { "reload" }, &data);
    }
}
