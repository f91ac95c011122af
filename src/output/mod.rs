//! Output: the only stage that writes to disk.
//!
//! A build is written, page by page as it is rendered, to a staging folder, and put in place
//! only when complete, so a failed build (a bad page, a full disk) leaves the previous site as
//! it was. A first build's folder is made beside the output and renamed into place; a build
//! into a folder that exists (a previous output, an empty folder, a mounted volume) stages
//! inside it, writes only the files whose bytes changed and then moves each into place
//! ([`in_place`]). One build at a time holds the output's [`lock`]. A folder is only ever
//! replaced if Signpost made it (it holds a marker file) or it is empty: a mistyped
//! `--output` must never delete someone's files.

mod in_place;
mod lock;

use rustc_hash::FxHashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use lock::{LockError, OutputLock};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::links::CopyCache;
use crate::render::{Contents, Sink};

/// The file that marks a folder as Signpost's output.
pub const MARKER: &str = ".signpost-output";
const MARKER_TEXT: &str = "This folder is written by `signpost build` and replaced on every build.\n";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
    /// Of `files`, how many were written over a previous output (new or changed bytes);
    /// `None` when the whole folder was new.
    pub changed: Option<usize>,
}

/// Refuses output folders that a build must never replace.
pub fn check_output_dir(config: &Config) -> Result<PathBuf, Diagnostic> {
    let out = absolute(&config.output_dir);
    let root = absolute(&config.root);
    let refuse = |why: String| {
        Err(Diagnostic::error(out.clone(), why).code(Code::OutputRefused).with_hint(
            "choose an output folder of its own, such as `public`, with --output or output_dir in site.toml",
        ))
    };
    if out == root {
        return refuse("the output folder is the site folder itself; building would replace the whole site".into());
    }
    if root.starts_with(&out) {
        return refuse("the output folder contains the site folder; building would replace it".into());
    }
    for protected in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(protected)) {
            return refuse(format!("the output folder is inside the site's {protected}/ folder"));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return refuse("the output path is a file, not a folder".into());
        }
        if !out.join(MARKER).is_file() && !is_empty_dir(&out) {
            return refuse(format!(
                "the output folder already holds files that signpost did not write (it has no {MARKER} file); it will not be replaced"
            ));
        }
    }
    Ok(out)
}

/// A build being written. Into a folder that exists, files go into a staging folder inside
/// it (so on the same file system even when the output is a mount point), and
/// [`Staging::finish`] moves in the changed ones file by file. A first build writes a fresh
/// folder beside the output and renames it into place. Dropped unfinished (a failed build), the
/// staging folder is removed and the previous output was never touched. Each build holds the
/// output's lock from start to end and has a staging folder of its own.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    /// Every file the build made, relative to the output folder, and its name in the staging
    /// folder if it changed; set when updating a folder in place.
    made: Option<Mutex<Vec<MadeFile>>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// The first write that failed (a full disk fails every write after it: one is enough).
    failed: OnceLock<Diagnostic>,
    finished: bool,
    // Declared last: dropped after `drop` has removed an unfinished staging folder.
    _lock: OutputLock,
}

/// A file of an update in place: its path in the output folder, and its name in the staging
/// folder if its bytes changed.
struct MadeFile {
    relative: PathBuf,
    staged: Option<String>,
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path.to_path_buf(), format!("cannot {what}: {e}")).code(Code::OutputRefused)
}

impl Staging {
    /// Takes the output's lock, checks the output folder and makes an empty staging folder.
    /// `wait` is told when another build holds the lock, and then this one waits for it;
    /// without `wait`, a held lock is an error.
    pub fn begin(config: &Config, wait: Option<&dyn Fn(&Path)>) -> Result<Staging, Diagnostic> {
        let out = check_output_dir(config)?;
        let lock = OutputLock::acquire(&out, wait).map_err(|e| lock_error(&out, e))?;
        // Checked again: the build that held the lock may have changed the folder meanwhile.
        let out = check_output_dir(config)?;
        let process = std::process::id();
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = output_name(&out);
        remove_leftovers(&parent, &name);
        let beside = parent.join(format!(".{name}.signpost-new-{process}"));
        let unchanged = "the previous output is unchanged";
        let (staging, made) = if out.is_dir() {
            let staging = if can_move_into(&beside, &out) {
                beside
            } else {
                // A mount point, or a parent that cannot be written: stage where a rename
                // into the output always works.
                out.join(format!(".signpost-new-{process}"))
            };
            remove_own_folder(&staging)?;
            (staging, Some(Mutex::new(Vec::new())))
        } else {
            fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create the folder", e))?;
            (beside, None)
        };
        fs::create_dir(&staging).map_err(|e| io_error(&staging, "create the folder", e).with_hint(unchanged))?;
        fs::write(staging.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error(&staging, "write", e).with_hint(unchanged))?;
        Ok(Staging {
            out,
            staging,
            made,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            failed: OnceLock::new(),
            finished: false,
            _lock: lock,
        })
    }

    /// Puts the new output in place of the old one, or reports the first write that failed
    /// (and the previous output is as it was).
    pub fn finish(mut self) -> Result<WriteStats, Diagnostic> {
        if let Some(failure) = self.failed.take() {
            return Err(failure);
        }
        self.finished = true;
        let mut stats = WriteStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            changed: None,
        };
        if let Some(made) = self.made.take() {
            let made = made.into_inner().unwrap_or_else(PoisonError::into_inner);
            stats.changed = Some(made.iter().filter(|file| file.staged.is_some()).count());
            self.update_in_place(made)?;
            return Ok(stats);
        }
        if let Err(e) = fs::rename(&self.staging, &self.out) {
            let _ = fs::remove_dir_all(&self.staging);
            return Err(io_error(&self.out, "move the new output into place", e));
        }
        Ok(stats)
    }

    /// The changed files moved in, new ones first, then what the build no longer makes
    /// removed (staging folders of builds that died among it). Each file is replaced in one
    /// step, so a reader never sees half of one; a kill part way leaves some files old and
    /// some new, and the next build finishes the job.
    fn update_in_place(&self, made: Vec<MadeFile>) -> Result<(), Diagnostic> {
        let changed: Vec<(&str, &Path)> = made
            .iter()
            .filter_map(|file| Some((file.staged.as_deref()?, file.relative.as_path())))
            .collect();
        let marker = self.out.join(MARKER);
        if !marker.is_file() {
            // A folder that was empty becomes Signpost's, before any file goes in: a build
            // killed part way must leave a folder the next build will take over.
            fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, "write", e))?;
        }
        in_place::move_in(&self.staging, &self.out, &changed)
            .map_err(|e| io_error(&self.out, "move the new files into place", e))?;
        remove_tree(&self.staging).map_err(|e| io_error(&self.staging, "remove the staging folder", e))?;
        let mut keep: FxHashSet<PathBuf> = made.into_iter().map(|file| file.relative).collect();
        keep.insert(PathBuf::from(MARKER));
        keep.insert(PathBuf::from(lock::INSIDE_NAME));
        in_place::remove_stale(&self.out, &keep)
            .map_err(|e| io_error(&self.out, "remove files the build no longer makes", e))
    }

    /// Keeps the first write failure to report at the end; later writes are skipped.
    fn write_failed(&self, failure: Diagnostic) {
        let _ = self.failed.set(failure.with_hint(
            "the previous output is unchanged; make room (or fix the folder's permissions) and build again",
        ));
    }
}

/// Whether a staging folder at `staging` (beside the output) can be made and a file in it
/// renamed into `out`. Not when `out` is a mount point (the rename crosses file systems) or its
/// parent cannot be written. Tried, not guessed: a bind mount of the same disk looks like
/// any folder yet refuses the rename. The probe is removed either way.
fn can_move_into(staging: &Path, out: &Path) -> bool {
    if fs::create_dir(staging).is_err() {
        return false;
    }
    let probe = staging.join(".probe");
    let landed = out.join(format!(".signpost-probe-{}", std::process::id()));
    let moved = fs::write(&probe, b"").is_ok() && fs::rename(&probe, &landed).is_ok();
    if moved {
        let _ = fs::remove_file(&landed);
    }
    let _ = fs::remove_dir_all(staging);
    moved
}

fn lock_error(out: &Path, error: LockError) -> Diagnostic {
    match error {
        LockError::Busy(lock) => Diagnostic::error(
            out.to_path_buf(),
            format!(
                "another signpost build is writing this folder (it holds {})",
                lock.display()
            ),
        )
        .code(Code::OutputBusy)
        .with_hint("run again when it has finished, or pass --wait to wait for it"),
        LockError::Io(lock, e) => io_error(&lock, "lock the output folder", e),
    }
}

fn output_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string())
}

/// Removes staging folders that builds which died left beside the output. Only called while
/// holding the lock, so none of them belongs to a live build. One that cannot be removed, or
/// that Signpost cannot tell is its own (no marker), is left: each build stages under a name
/// of its own, so it is in no one's way.
fn remove_leftovers(parent: &Path, name: &str) {
    let ours = [format!(".{name}.signpost-new"), format!(".{name}.signpost-old")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && ours.iter().any(|prefix| file_name.starts_with(prefix.as_str())) {
            let _ = remove_own_folder(&entry.path());
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, contents: Contents) -> Result<(), Diagnostic> {
        let relative = safe_relative(path).ok_or_else(|| {
            Diagnostic::error(path, "refusing to write outside the output folder").code(Code::OutputRefused)
        })?;
        if self.failed.get().is_some() {
            return Ok(());
        }
        // A write that fails is reported once, by `finish`, and fails the build; it is not a
        // problem in the content, so the page it belongs to is not blamed.
        match self.stage(relative, contents) {
            Ok(written) => {
                self.bytes.fetch_add(written, Ordering::Relaxed);
                self.files.fetch_add(1, Ordering::Relaxed);
            }
            Err(failure) => self.write_failed(failure),
        }
        Ok(())
    }
}

/// The folder beside the output (`.public.signpost-images` for `public/`) where resized
/// copies of images are kept between builds, by the hash of their source, their size and
/// format (`links::CopyCache`).
pub struct CopyFolder(PathBuf);

impl CopyFolder {
    /// The folder for the site's output; `None` when the output folder is refused (the
    /// build then fails before writing anything).
    pub fn for_site(config: &Config) -> Option<CopyFolder> {
        check_output_dir(config).ok().map(|out| CopyFolder(image_cache(&out)))
    }
}

impl CopyCache for CopyFolder {
    fn cached(&self, key: &str) -> Option<Vec<u8>> {
        fs::read(self.0.join(key)).ok()
    }

    /// Written under a temporary name and renamed, so a killed build never leaves half a
    /// file under a key.
    fn keep(&self, key: &str, bytes: &[u8]) {
        let temporary = self.0.join(format!(".{key}.{}", std::process::id()));
        if fs::create_dir_all(&self.0).is_ok() && fs::write(&temporary, bytes).is_ok() {
            let _ = fs::rename(&temporary, self.0.join(key));
        }
    }
}

fn image_cache(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    out.parent()
        .unwrap_or_else(|| Path::new("."))
        .join(format!(".{name}.signpost-images"))
}

impl Staging {
    /// Writes one file into the staging folder unless the previous output already holds its
    /// bytes; returns its length.
    fn stage(&self, relative: PathBuf, contents: Contents) -> Result<u64, Diagnostic> {
        let shown = self.out.join(&relative);
        let (target, unchanged) = match &self.made {
            None => {
                let target = self.staging.join(relative);
                if let Some(dir) = target.parent() {
                    // Safe from several threads at once: a folder made meanwhile by another counts.
                    fs::create_dir_all(dir).map_err(|e| io_error(&shown, "create a folder for this file", e))?;
                }
                (target, None)
            }
            Some(made) => {
                let unchanged = in_place::unchanged_len(&self.out, &relative, &contents);
                let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
                // A changed file waits in the staging folder under a number, not its path: no
                // folders to make there and remove again.
                let name = made.len().to_string();
                made.push(MadeFile {
                    relative,
                    staged: unchanged.is_none().then(|| name.clone()),
                });
                (self.staging.join(name), unchanged)
            }
        };
        if let Some(len) = unchanged {
            return Ok(len);
        }
        match contents {
            Contents::Bytes(bytes) => fs::write(&target, &bytes).map(|_| bytes.len() as u64),
            Contents::Embedded(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
            Contents::CopyOf(from) => fs::copy(from, &target),
        }
        .map_err(|e| io_error(&shown, "write", e))
    }
}

/// Removes a folder and everything in it, its top-level entries in parallel: a site's
/// folders are many and small, and removing them is most of a rebuild's file-system time.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        }
    })?;
    fs::remove_dir(dir)
}

/// Removes a staging folder left by an interrupted build, if it is one of ours.
fn remove_own_folder(dir: &Path) -> Result<(), Diagnostic> {
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(MARKER).is_file() || is_empty_dir(dir) {
        return fs::remove_dir_all(dir).map_err(|e| {
            Diagnostic::error(
                dir.to_path_buf(),
                format!("cannot remove a folder left by an earlier build: {e}"),
            )
            .code(Code::OutputRefused)
        });
    }
    Err(Diagnostic::error(
        dir.to_path_buf(),
        "a folder with this name exists and was not made by signpost",
    )
    .code(Code::OutputRefused)
    .with_hint("move or rename it; signpost uses it while building"))
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// A site-relative output path as a relative filesystem path, or None if it would escape.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/') {
        match part {
            "" | "." => continue,
            ".." => return None,
            p if p.contains('\\') || p.contains(':') || p.contains('\0') => return None,
            p => out.push(p),
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// An absolute, normalised path without requiring it to exist (symlinks in the existing part
/// are resolved, so `public` and `./x/../public` compare equal).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match part.to_str() {
            Some("..") => {
                resolved.pop();
            }
            Some(".") => {}
            _ => resolved.push(part),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        assert_eq!(safe_relative("a/b/index.html"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(safe_relative("../x"), None);
        assert_eq!(safe_relative("a/../../x"), None);
        assert_eq!(safe_relative("/"), None);
    }
}
