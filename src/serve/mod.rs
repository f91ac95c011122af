//! Serve: `signpost serve`, the editor's preview. Builds the site into memory, serves it over
//! HTTP, watches the site's files and rebuilds on every change, and tells open browser tabs
//! to reload (or to swap a stylesheet, or to show a build error).
//!
//! Uses `pipeline` (the same code as `build`, with a cache) and `render` (for the file
//! contents). The only module that knows about HTTP and live reload; the published site never
//! contains the reload script, which is added to pages as they are served.

mod builder;
pub mod http;
mod snapshot;
pub mod watch;

pub use snapshot::{Response, Snapshot};

use std::net::{IpAddr, TcpListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Instant;

use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::pipeline::{self, Cache, Kept};
use crate::plural;
use crate::render::Files;
use crate::search::NotUpdated;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

fn diagnostics_text(diagnostics: Diagnostics) -> String {
    diagnostics
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// What the watcher and the builder share.
struct State {
    /// The last good build, with pages re-rendered alone since patched in.
    kept: Option<Kept>,
    /// Whether `kept` matches the files: no change is waiting for a full build.
    fresh: bool,
    /// Counts changes, so that a full build overtaken by a later change is thrown away.
    generation: u64,
    /// A full build is wanted.
    dirty: bool,
    /// What changed since the last full build was published, for the terminal.
    changes: Vec<String>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// The newest change's number, readable without the lock: a full build stops between stages
/// once it is no longer the newest.
type Latest = Arc<AtomicU64>;

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared.0.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs the preview server until the process is stopped.
///
/// An edit to pages, templates or static files is rendered from the last good build and
/// served at once (`pipeline::rerender_edit`, `rerender_templates`, `recopy_static`); the long
/// lists and the search index files it touches follow once the files are quiet, and then the
/// site served equals a full build of the files as they are. Any other change goes to a full
/// build (the same pipeline as `build`, with cached markdown) on a builder thread at a lower
/// priority; one overtaken by a newer change stops at its next stage and is thrown away.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let overrides = Overrides {
        drafts: options.drafts,
        ..Overrides::default()
    };
    // Watch before the first build, so that a save during it is not missed.
    let mut watcher = watch::Watcher::new(&options.root)?;
    let mut cache = Cache::new();
    let started = Instant::now();
    let site = Arc::new(RwLock::new(Snapshot::default()));
    let listeners = Arc::new(http::Listeners::default());
    let mut kept = None;
    match builder::build_catching(&options.root, &overrides, &mut cache) {
        Ok(mut served) => {
            print_warnings(&served.warnings);
            outln!(
                "Built {} pages and {} sections in {} ms",
                served.kept.content.pages.len(),
                served.kept.content.sections.len(),
                started.elapsed().as_millis()
            );
            *site.write().map_err(|_| "lock poisoned")? =
                Snapshot::from_site(std::mem::take(&mut served.site), &served.kept.config.base_url.path);
            kept = Some(served.kept);
        }
        Err(failed) => {
            let text = failed.text("");
            errln!("{text}\n\nThe site did not build; serving the error until it is fixed.");
            listeners.build_failed(&text);
            *site.write().map_err(|_| "lock poisoned")? = Snapshot {
                error: Some(text),
                ..Snapshot::default()
            };
        }
    }

    let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
        format!(
            "cannot listen on {}:{}: {e} (choose another with --port)",
            options.bind, options.port
        )
    })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let base_path = site.read().map(|s| s.base_path.clone()).unwrap_or_else(|_| "/".into());
    let url = format!(
        "http://{address}{}",
        if base_path.is_empty() { "/" } else { &base_path }
    );
    outln!("Serving at {url}  (Ctrl+C to stop)");
    {
        let site = Arc::clone(&site);
        let listeners = Arc::clone(&listeners);
        std::thread::spawn(move || http::run(listener, address, site, listeners));
    }
    if options.open {
        open_browser(&url);
    }

    let root = options.root.canonicalize().unwrap_or_else(|_| options.root.clone());
    let latest: Latest = Arc::new(AtomicU64::new(0));
    let shared: Shared = Arc::new((
        Mutex::new(State {
            fresh: kept.is_some(),
            kept,
            generation: 0,
            dirty: false,
            changes: Vec::new(),
        }),
        Condvar::new(),
    ));
    {
        let shared = Arc::clone(&shared);
        let site = Arc::clone(&site);
        let listeners = Arc::clone(&listeners);
        let root = root.clone();
        let latest = Arc::clone(&latest);
        // Full builds run in the background, at a lower priority than quick re-renders and
        // requests, so that a page being edited is never kept waiting behind one.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("full-build-{i}"))
            .start_handler(|_| background_priority())
            .build()
            .map_err(|e| format!("cannot start build threads: {e}"))?;
        std::thread::spawn(move || {
            background_priority();
            pool.install(|| builder::builder(&root, &overrides, cache, &shared, &latest, &site, &listeners));
        });
    }
    // Quick re-renders get threads of their own: the global pool may be busy with a full build
    // that this change has just overtaken, and would run their work after its own.
    let quick_pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("quick-render-{i}"))
        .build()
        .map_err(|e| format!("cannot start render threads: {e}"))?;
    let waiting = watcher.changes_waiting();
    // The change whose long lists (A–Z, tables, facet pages) are still to render, if any.
    let mut later: Option<(String, Instant)> = None;
    loop {
        // The long lists wait until the files have been quiet for a moment, so that quick
        // saves in a row each get their page at once.
        let changed = match &later {
            None => watcher.next_change(),
            Some((what, started)) => match watcher.next_change_within(LATER_AFTER) {
                Some(changed) => changed,
                None => {
                    let stop = || waiting.load(Ordering::Relaxed);
                    match publish_later(&shared, &latest, &quick_pool, &stop, &site, &listeners, what, *started) {
                        Later::CutShort => {}
                        Later::Done => later = None,
                        Later::NeedsFullBuild => {
                            let mut state = lock(&shared);
                            state.fresh = false;
                            state.dirty = true;
                            state.changes.push(what.clone());
                            shared.1.notify_one();
                            later = None;
                        }
                    }
                    continue;
                }
            },
        };
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        let what = describe(&root, &changed);
        let mut state = lock(&shared);
        state.generation += 1;
        latest.store(state.generation, Ordering::Relaxed);
        match quick_render(&mut state, &quick_pool, &root, &changed, &what) {
            Some(files) => {
                publish_files(files, &site, &listeners, &what, started);
                later = Some((what.clone(), started));
            }
            None => {
                state.fresh = false;
                later = None;
                if !state.changes.contains(&what) {
                    state.changes.push(what);
                }
                state.dirty = true;
                shared.1.notify_one();
            }
        }
    }
}

/// How long the files must be quiet before the long lists are rendered after a quick edit.
const LATER_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// How [`publish_later`] ended.
enum Later {
    /// A newer change came first: the work stays for next time.
    CutShort,
    Done,
    /// The search index could not be brought up to date alone.
    NeedsFullBuild,
}

/// Renders and serves the long lists left by quick edits ([`pipeline::render_later`]) and
/// the search index files that changed ([`pipeline::reindex`]), with the kept build taken out
/// of the shared state meanwhile, so that the builder is not held up; comparison tables are
/// rendered on a thread of their own, from a copy, and served unless a newer change came
/// first.
#[allow(clippy::too_many_arguments)]
fn publish_later(
    shared: &Shared,
    latest: &Latest,
    pool: &rayon::ThreadPool,
    stop: &(dyn Fn() -> bool + Sync),
    site: &Arc<RwLock<Snapshot>>,
    listeners: &Arc<http::Listeners>,
    what: &str,
    started: Instant,
) -> Later {
    let (taken, generation) = {
        let mut state = lock(shared);
        let taken = if state.fresh { state.kept.take() } else { None };
        (taken, state.generation)
    };
    // No kept build: a full build is on its way and makes everything.
    let Some(mut kept) = taken else {
        return Later::Done;
    };
    if let Some(tables) = pipeline::take_tables(&mut kept) {
        let (site, listeners, latest) = (Arc::clone(site), Arc::clone(listeners), Arc::clone(latest));
        let what = what.to_string();
        std::thread::spawn(move || {
            let current = || latest.load(Ordering::Relaxed) == generation;
            let files = tables.render(&|| !current());
            let rendered = files.len();
            // Checked under the lock that a newer change's files are published under.
            if let Ok(mut snapshot) = site.write()
                && current()
            {
                let urls = snapshot.insert_changed(files);
                drop(snapshot);
                report_files(&listeners, &what, rendered, &urls, started);
            }
        });
    }
    let (files, removed, outcome) = match catch_unwind(AssertUnwindSafe(|| later_files(pool, &mut kept, stop))) {
        Ok(done) => done,
        // The kept build, perhaps half changed, is dropped: a full build makes everything.
        Err(panic) => {
            let message = builder::panic_message(&*panic);
            errln!(
                "changed {what}: internal error while rendering the lists that show it: {message}; building in full"
            );
            return Later::NeedsFullBuild;
        }
    };
    let mut state = lock(shared);
    // Only this thread makes changes, so a full build published meanwhile is of the same
    // files: it replaced the kept build, and its output equals these files.
    if state.kept.is_none() {
        state.kept = Some(kept);
    }
    if !files.is_empty() {
        publish_files(files, site, listeners, what, started);
    }
    // After the new files, so that no manifest served names a file that is gone.
    if !removed.is_empty()
        && let Ok(mut current) = site.write()
    {
        current.remove(&removed);
    }
    outcome
}

/// The long lists and the search index files ([`publish_later`]): the files to serve, the
/// files to stop serving, and how it ended.
fn later_files(
    pool: &rayon::ThreadPool,
    kept: &mut Kept,
    stop: &(dyn Fn() -> bool + Sync),
) -> (Files, Vec<String>, Later) {
    let mut files = pool.install(|| pipeline::render_later(kept, stop));
    if stop() && files.is_empty() {
        return (files, Vec::new(), Later::CutShort);
    }
    match pool.install(|| pipeline::reindex(kept, stop)) {
        Ok(index) => {
            files.extend(index.files);
            (files, index.removed, Later::Done)
        }
        Err(NotUpdated::Stopped) => (files, Vec::new(), Later::CutShort),
        Err(NotUpdated::OtherPages) => (files, Vec::new(), Later::NeedsFullBuild),
    }
}

/// [`quick_pages`] from the kept build, if it is fresh. A panic drops the kept build, which it
/// may have left half changed, and leaves the change to a full build.
fn quick_render(
    state: &mut State,
    pool: &rayon::ThreadPool,
    root: &Path,
    changed: &[PathBuf],
    what: &str,
) -> Option<Files> {
    if !state.fresh {
        return None;
    }
    let kept = state.kept.as_mut()?;
    match catch_unwind(AssertUnwindSafe(|| pool.install(|| quick_pages(kept, root, changed)))) {
        Ok(files) => files,
        Err(panic) => {
            let message = builder::panic_message(&*panic);
            errln!("changed {what}: internal error while rendering it alone: {message}; building in full");
            state.kept = None;
            None
        }
    }
}

/// The changed files, for the terminal: the first three and how many more.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    if changed.len() > 3 {
        names.push(format!("and {} more", changed.len() - 3));
    }
    names.join(", ")
}

/// Re-renders what the changed files show, if they are all pages whose edits allow it
/// ([`pipeline::rerender_edit`]), all templates ([`pipeline::rerender_templates`]) or all
/// static files ([`pipeline::recopy_static`]); `None` means a full build is needed first.
fn quick_pages(kept: &mut Kept, root: &Path, changed: &[PathBuf]) -> Option<Files> {
    let relative: Vec<&Path> = changed
        .iter()
        .map(|p| p.strip_prefix(root).ok())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .filter(|path| !pipeline::passed_by(kept, path))
        .collect();
    if relative.is_empty() {
        return Some(Files::new());
    }
    if let Some(files) = pipeline::rerender_templates(kept, &relative) {
        return Some(files);
    }
    if let Some(files) = pipeline::recopy_static(kept, &relative) {
        return Some(files);
    }
    let mut files = Vec::new();
    for path in relative {
        files.extend(pipeline::rerender_edit(kept, path)?);
    }
    Some(files)
}

/// Serves files rendered alone, and tells the browsers showing those that changed.
fn publish_files(files: Files, site: &RwLock<Snapshot>, listeners: &http::Listeners, what: &str, started: Instant) {
    let Ok(mut current) = site.write() else {
        return;
    };
    let rendered = files.len();
    let urls = current.insert_changed(files);
    drop(current);
    report_files(listeners, what, rendered, &urls, started);
}

/// Tells the terminal and the browsers about files served after a quick re-render.
fn report_files(listeners: &http::Listeners, what: &str, rendered: usize, urls: &[String], started: Instant) {
    if !urls.is_empty() {
        let css_only = urls.iter().all(|p| p.ends_with(".css"));
        let data = serde_json::to_string(urls).unwrap_or_else(|_| "[]".into());
        listeners.send(if css_only { "css" } else { "reload" }, &data);
    }
    outln!(
        "changed {what}: {} re-rendered, {} updated in {} ms",
        plural(rendered, "file"),
        plural(urls.len(), "file"),
        started.elapsed().as_millis()
    );
}

/// Lowers the calling thread's scheduling priority (Linux: each thread has its own nice
/// value). Elsewhere, threads keep their priority.
fn background_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; failure only leaves its priority as it was.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 10);
    }
}

fn print_warnings(warnings: &Diagnostics) {
    for warning in warnings.clone().sorted() {
        errln!("{warning}\n");
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command).arg(url).spawn().is_err() {
        errln!("could not open a browser; visit {url}");
    }
}
