//! Watching the site's sources: site.toml, content/, templates/, static/ and themes/.
//! Events are debounced (an editor's save is often several events: a temporary file, a
//! rename, a write) and editor scratch files are ignored.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// The folders under the site root whose changes trigger a rebuild.
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];
/// How long the files must be quiet before a rebuild starts, and the longest wait.
const QUIET: Duration = Duration::from_millis(30);
const MAX_WAIT: Duration = Duration::from_millis(300);

pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    /// Set as soon as a change arrives that [`Watcher::next_change`] has not yet returned.
    waiting: Arc<AtomicBool>,
}

impl Watcher {
    pub fn new(root: &Path) -> Result<Watcher, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let (sender, events) = channel();
        let waiting = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&waiting);
        let events_root = root.clone();
        // Only edits reach the channel: a full build opening every file would otherwise keep
        // the debounce waiting.
        let handler = move |event: notify::Result<Event>| {
            if let Ok(event) = &event {
                if !is_edit(event) {
                    return;
                }
                if event
                    .paths
                    .iter()
                    .any(|p| p.strip_prefix(&events_root).is_ok_and(is_source))
                {
                    flag.store(true, Ordering::Relaxed);
                }
            }
            // The receiver only goes when serve stops.
            let _ = sender.send(event);
        };
        let mut watcher = notify::recommended_watcher(handler).map_err(|e| format!("cannot watch for changes: {e}"))?;
        // The root itself non-recursively (site.toml, and folders created later), each source
        // folder recursively; never the output folder or build artefacts.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut this = Watcher {
            root,
            watcher,
            events,
            waiting,
        };
        for dir in WATCHED_DIRS {
            this.watch_dir(dir);
        }
        Ok(this)
    }

    fn watch_dir(&mut self, name: &str) {
        let dir = self.root.join(name);
        if dir.is_dir() {
            let _ = self.watcher.watch(&dir, RecursiveMode::Recursive);
        }
    }

    /// Blocks until something relevant changes, then returns the changed paths once the
    /// files have been quiet for a moment.
    pub fn next_change(&mut self) -> Vec<PathBuf> {
        let Ok(first) = self.events.recv() else {
            // The watcher has stopped; nothing more will come.
            std::thread::sleep(Duration::from_secs(3600));
            return Vec::new();
        };
        self.gather(first)
    }

    /// [`Watcher::next_change`], or `None` if nothing happens within `timeout`.
    pub fn next_change_within(&mut self, timeout: Duration) -> Option<Vec<PathBuf>> {
        match self.events.recv_timeout(timeout) {
            Ok(first) => Some(self.gather(first)),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(self.next_change()),
        }
    }

    /// The changed paths from `first` and the events that follow it until the files are quiet.
    fn gather(&mut self, first: notify::Result<Event>) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = Vec::new();
        self.collect(first, &mut changed);
        let started = Instant::now();
        loop {
            let wait = if changed.is_empty() { MAX_WAIT } else { QUIET };
            match self.events.recv_timeout(wait) {
                Ok(event) => self.collect(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => {
                    if !changed.is_empty() || started.elapsed() >= MAX_WAIT {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if started.elapsed() >= MAX_WAIT && !changed.is_empty() {
                break;
            }
        }
        changed.sort();
        changed.dedup();
        self.waiting.store(false, Ordering::Relaxed);
        changed
    }

    /// A flag that turns true as soon as a change arrives after the last
    /// [`Watcher::next_change`] returned: work for the last change can stop early.
    pub fn changes_waiting(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.waiting)
    }

    fn collect(&mut self, event: notify::Result<Event>, changed: &mut Vec<PathBuf>) {
        // Only edits reach the channel (see the handler in `new`).
        let Ok(event) = event else {
            return;
        };
        for path in event.paths {
            let Some(relative) = path.strip_prefix(&self.root).ok().map(Path::to_path_buf) else {
                continue;
            };
            if !is_source(&relative) {
                continue;
            }
            // A source folder created after start (say templates/) is watched from now on.
            if relative.components().count() == 1
                && path.is_dir()
                && let Some(name) = relative.to_str()
            {
                self.watch_dir(name);
            }
            changed.push(path);
        }
    }
}

/// Reads (other programs opening files) and permission changes are not edits.
fn is_edit(event: &Event) -> bool {
    !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) | EventKind::Other
    )
}

/// site.toml, or a file under a watched folder that is not an editor's scratch file.
pub fn is_source(relative: &Path) -> bool {
    let mut components = relative.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = components.next() else {
        return false;
    };
    if first == crate::config::CONFIG_FILE {
        return relative.components().count() == 1;
    }
    if !WATCHED_DIRS.contains(&first.as_ref()) {
        return false;
    }
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !crate::content::is_ignored(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_scratch_files() {
        for (path, expected) in [
            ("site.toml", true),
            ("content/a.md", true),
            ("themes/default/static/style.css", true),
            ("content/.a.md.swp", false),
            ("content/a.md~", false),
            ("content/4913", false),
            ("public/index.html", false),
            ("target/debug/x", false),
            ("other.toml", false),
        ] {
            assert_eq!(is_source(Path::new(path)), expected, "{path}");
        }
    }
}
