//! One build at a time per output folder: an advisory lock on a file beside the output
//! (`.public.signpost-lock` for `public/`), or inside it when its parent cannot be written
//! (a volume mounted at `/public`).
//!
//! Why a lock: two builds into one folder (a save while a CI job builds, two terminals) would
//! each move files in and remove the other's. The lock is the system's (`flock` on Unix), so a
//! build that dies, however it dies, lets go of it at once.
//!
//! The lock file is removed when the build ends, so none is left beside the output. A build
//! that was waiting on it then holds a lock on a file that is gone: it checks, after taking
//! the lock, that the file at the path is still the one it locked, and tries again if not.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The name of the lock file when it has to go inside the output folder.
pub const INSIDE_NAME: &str = ".signpost-lock";

/// Held for the whole build; dropping it removes the lock file and lets go of the lock.
pub struct OutputLock {
    path: PathBuf,
    // Kept open: closing the file releases the lock.
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another build holds it (only when not waiting).
    Busy(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl OutputLock {
    /// Takes the lock for the output folder `out`. `wait` is called once, with the lock file's
    /// path, if another build holds it; without `wait`, that is [`LockError::Busy`].
    pub fn acquire(out: &Path, wait: Option<&dyn Fn(&Path)>) -> Result<OutputLock, LockError> {
        let path = lock_path(out);
        let mut told = false;
        loop {
            let file = open(&path).map_err(|e| LockError::Io(path.clone(), e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => match wait {
                    None => return Err(LockError::Busy(path)),
                    Some(notify) => {
                        if !told {
                            notify(&path);
                            told = true;
                        }
                        file.lock().map_err(|e| LockError::Io(path.clone(), e))?;
                    }
                },
                Err(TryLockError::Error(e)) => return Err(LockError::Io(path, e)),
            }
            if still_at_path(&file, &path) {
                return Ok(OutputLock { path, _file: file });
            }
            // The build before removed the file as it finished: lock the new one.
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock the old file and think it current.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
    }
}

/// Beside the output if its parent can be written, otherwise inside it. Every build of the
/// same folder makes the same choice, so they all meet at the same file.
fn lock_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let parent = out.parent().unwrap_or_else(|| Path::new("."));
    let beside = parent.join(format!(".{name}.signpost-lock"));
    if out.is_dir() && !can_write_in(parent) {
        return out.join(INSIDE_NAME);
    }
    beside
}

/// Whether files can be made in `dir` (false for a read-only or unwritable folder; a missing
/// folder counts as writable, and making it will say what is wrong if it is not).
fn can_write_in(dir: &Path) -> bool {
    if !dir.exists() {
        return true;
    }
    let probe = dir.join(format!(".signpost-probe-{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            true
        }
        Err(e) => !matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem),
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

#[cfg(unix)]
fn still_at_path(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(now)) => held.dev() == now.dev() && held.ino() == now.ino(),
        _ => false,
    }
}

/// Elsewhere the file is never removed, so the one locked is always the one at the path.
#[cfg(not(unix))]
fn still_at_path(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    #[test]
    fn a_second_build_is_told_the_lock_is_held() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("public");
        let held = OutputLock::acquire(&out, None).expect("the first lock");
        match OutputLock::acquire(&out, None) {
            Err(LockError::Busy(path)) => assert_eq!(path, dir.path().join(".public.signpost-lock")),
            _ => panic!("a second lock was taken while the first was held"),
        }
        drop(held);
        assert!(
            !dir.path().join(".public.signpost-lock").exists(),
            "the lock file is left behind"
        );
        assert!(OutputLock::acquire(&out, None).is_ok(), "free again once released");
    }

    /// Many threads take and release the lock in turn, each removing the file as it goes:
    /// never are two inside at once.
    #[test]
    fn waiting_builds_take_turns_and_never_overlap() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = Arc::new(dir.path().join("public"));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (out, inside, most, start) = (
                    Arc::clone(&out),
                    Arc::clone(&inside),
                    Arc::clone(&most),
                    Arc::clone(&start),
                );
                std::thread::spawn(move || {
                    start.wait();
                    for _ in 0..50 {
                        let lock = OutputLock::acquire(&out, Some(&|_: &Path| {})).expect("the lock");
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(lock);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("a thread");
        }
        assert_eq!(most.load(Ordering::SeqCst), 1, "two holders at once");
    }
}
