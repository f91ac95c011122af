//! Output: the only stage that writes to disk.
//!
//! A build is written, page by page as it is rendered, to a fresh folder beside the output
//! folder, and put in place only when complete, so a failed build leaves the previous site as
//! it was. A first build's folder is swapped in whole (in one atomic step on Linux); a rebuild
//! over a previous output writes only the files whose bytes changed and then moves each into
//! place ([`in_place`]). A folder is only
//! ever replaced if Signpost made it (it holds a marker file) or it is empty: a mistyped
//! `--output` must never delete someone's files.

mod in_place;

use rustc_hash::FxHashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
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

/// A build being written: files go into a fresh folder beside the output folder, which
/// [`Staging::finish`] swaps in, or, over a previous output, moves in file by file. Dropped
/// unfinished (a failed build), the folder is removed and the previous output was never touched.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    /// Every file the build made, relative to the output folder, and its name in the staging
    /// folder if it changed; set when there is a previous output to update in place.
    made: Option<Mutex<Vec<MadeFile>>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    finished: bool,
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
    /// Checks the output folder and makes an empty staging folder for the build.
    pub fn begin(config: &Config) -> Result<Staging, Diagnostic> {
        let out = check_output_dir(config)?;
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create the folder", e))?;
        let staging = parent.join(format!(".{name}.signpost-new"));
        let previous = parent.join(format!(".{name}.signpost-old"));
        remove_own_folder(&staging)?;
        // A build killed between the two renames of the fallback swap left the previous
        // output aside: put it back.
        if !out.exists() && previous.join(MARKER).is_file() {
            fs::rename(&previous, &out).map_err(|e| io_error(&previous, "restore the previous output", e))?;
        }
        remove_own_folder(&previous)?;
        fs::create_dir(&staging).map_err(|e| io_error(&staging, "create the folder", e))?;
        fs::write(staging.join(MARKER), MARKER_TEXT).map_err(|e| io_error(&staging, "write", e))?;
        // `check_output_dir` has made sure a folder there is Signpost's or empty.
        let made = out.join(MARKER).is_file().then(|| Mutex::new(Vec::new()));
        Ok(Staging {
            out,
            staging,
            previous,
            made,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            finished: false,
        })
    }

    /// Puts the new output in place of the old one.
    pub fn finish(mut self) -> Result<WriteStats, Diagnostic> {
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
        // One atomic step where the file system allows it: the output folder is never absent,
        // even for a moment, and the old output ends up under the staging name.
        if self.out.exists() && exchange(&self.staging, &self.out).is_ok() {
            remove_tree(&self.staging).map_err(|e| io_error(&self.staging, "remove the previous output", e))?;
            return Ok(stats);
        }
        if self.out.exists() {
            fs::rename(&self.out, &self.previous)
                .map_err(|e| io_error(&self.out, "move the previous output aside", e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.out) {
            // Put the previous output back so the site is never left without one.
            let _ = fs::rename(&self.previous, &self.out);
            let _ = fs::remove_dir_all(&self.staging);
            return Err(io_error(&self.out, "move the new output into place", e));
        }
        if self.previous.exists() {
            fs::remove_dir_all(&self.previous)
                .map_err(|e| io_error(&self.previous, "remove the previous output", e))?;
        }
        Ok(stats)
    }

    /// The changed files moved in, new ones first, then what the build no longer makes
    /// removed. Each file is replaced in one step, so a reader never sees half of one; a kill
    /// part way leaves some files old and some new, and the next build finishes the job.
    fn update_in_place(&self, made: Vec<MadeFile>) -> Result<(), Diagnostic> {
        let changed: Vec<(&str, &Path)> = made
            .iter()
            .filter_map(|file| Some((file.staged.as_deref()?, file.relative.as_path())))
            .collect();
        in_place::move_in(&self.staging, &self.out, &changed)
            .map_err(|e| io_error(&self.out, "move the new files into place", e))?;
        let mut keep: FxHashSet<PathBuf> = made.into_iter().map(|file| file.relative).collect();
        keep.insert(PathBuf::from(MARKER));
        in_place::remove_stale(&self.out, &keep)
            .map_err(|e| io_error(&self.out, "remove files the build no longer makes", e))?;
        remove_tree(&self.staging).map_err(|e| io_error(&self.staging, "remove the staging folder", e))
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
        let (target, unchanged) = match &self.made {
            None => {
                let target = self.staging.join(relative);
                if let Some(dir) = target.parent() {
                    // Safe from several threads at once: a folder made meanwhile by another counts.
                    fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", e))?;
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
        let written = match unchanged {
            Some(len) => len,
            None => match contents {
                Contents::Bytes(bytes) => fs::write(&target, &bytes).map(|_| bytes.len() as u64),
                Contents::Embedded(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
                Contents::CopyOf(from) => fs::copy(from, &target),
            }
            .map_err(|e| io_error(&target, "write", e))?,
        };
        self.bytes.fetch_add(written, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
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

/// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`). Fails where the
/// system or file system cannot; the caller then falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call; the call reads them only.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
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
