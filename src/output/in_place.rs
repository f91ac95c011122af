//! Updating a previous output in place: files whose bytes did not change are left alone, the
//! changed ones move in from the staging folder one rename each, and then files the build no
//! longer makes are removed.
//!
//! Why: on an ordinary disk, making 10,000 folders and files afresh and removing the old ones
//! costs far more than the build itself (most of it the file system's own bookkeeping). A
//! rebuild that changes a few pages now touches a few files, and deploy tools that compare
//! modification times upload only those.

use rustc_hash::FxHashSet;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Contents;

/// The length of `out/relative` (a file of the previous output) if it already holds exactly
/// `contents`, `None` if it must be written. A link or a folder in its place, or a link among
/// the folders above it, is never the same: it is replaced (a file reached through a link is
/// not the output's own).
pub fn unchanged_len(out: &Path, relative: &Path, contents: &Contents) -> Option<u64> {
    let existing = out.join(relative);
    let meta = fs::symlink_metadata(&existing).ok()?;
    if !meta.is_file() || !real_folders(out, relative) {
        return None;
    }
    let len = meta.len();
    let same_bytes = |wanted: &[u8]| len == wanted.len() as u64 && file_holds(&existing, wanted).unwrap_or(false);
    let same = match contents {
        Contents::Bytes(bytes) => same_bytes(bytes),
        Contents::Embedded(bytes) => same_bytes(bytes),
        Contents::CopyOf(from) => {
            fs::metadata(from).is_ok_and(|m| m.len() == len) && files_match(&existing, from).unwrap_or(false)
        }
    };
    same.then_some(len)
}

/// Whether every folder between `out` and `relative` is a folder itself, not a link to one.
fn real_folders(out: &Path, relative: &Path) -> bool {
    let mut path = out.to_path_buf();
    let Some(parent) = relative.parent() else {
        return true;
    };
    parent.components().all(|part| {
        path.push(part);
        fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
    })
}

/// Whether two files of the same length hold the same bytes, a block of each at a time (a
/// static file may be large: neither is read whole into memory).
fn files_match(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut block_a, mut block_b) = ([0u8; 16 * 1024], [0u8; 16 * 1024]);
    loop {
        let read = a.read(&mut block_a)?;
        if read == 0 {
            // `b` may have grown since its length was read.
            return Ok(b.read(&mut block_b[..1])? == 0);
        }
        if b.read_exact(&mut block_b[..read]).is_err() || block_a[..read] != block_b[..read] {
            return Ok(false);
        }
    }
}

/// Whether the file at `path` holds exactly `wanted`, read a block at a time into one buffer
/// on the stack: no allocation per file, and a difference stops the reading.
fn file_holds(path: &Path, mut wanted: &[u8]) -> std::io::Result<bool> {
    let mut file = fs::File::open(path)?;
    let mut block = [0u8; 16 * 1024];
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            return Ok(wanted.is_empty());
        }
        match wanted.strip_prefix(&block[..read]) {
            Some(rest) => wanted = rest,
            None => return Ok(false),
        }
    }
}

/// Moves each changed file (its name in `staging`, its path in `out`) into `out`, making its
/// folders and clearing anything of another kind in its way.
pub fn move_in(staging: &Path, out: &Path, changed: &[(&str, &Path)]) -> std::io::Result<()> {
    changed.par_iter().try_for_each(|&(staged, relative)| {
        if let Some(parent) = relative.parent() {
            make_folders(out, parent)?;
        }
        let target = out.join(relative);
        if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&target)?;
        }
        fs::rename(staging.join(staged), target)
    })
}

/// Makes `out/relative` a folder, one part at a time: a file or link where a folder must go
/// is removed (links are never followed out of the output).
fn make_folders(out: &Path, relative: &Path) -> std::io::Result<()> {
    let mut path = out.to_path_buf();
    for part in relative.components() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => {
                if let Err(e) = fs::remove_file(&path) {
                    // Other threads moving files into the same folder clear it too: one of
                    // them may have removed it, or already made the folder, first.
                    match fs::symlink_metadata(&path) {
                        Ok(meta) if meta.is_dir() => continue,
                        Err(gone) if gone.kind() == ErrorKind::NotFound => {}
                        _ => return Err(e),
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match fs::create_dir(&path) {
            // Made meanwhile by another thread moving a file into the same folder (a real
            // folder: a link is never taken for one).
            Err(e) if e.kind() == ErrorKind::AlreadyExists && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) => {
            }
            other => other?,
        }
    }
    Ok(())
}

/// Removes from `out` every file, link and folder the build did not make. `keep` holds the
/// relative paths of the files it made (and the marker).
pub fn remove_stale(out: &Path, keep: &FxHashSet<PathBuf>) -> std::io::Result<()> {
    let folders: FxHashSet<&Path> = keep
        .iter()
        .flat_map(|p| p.ancestors().skip(1))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    remove_stale_in(out, Path::new(""), keep, &folders)
}

fn remove_stale_in(
    out: &Path,
    relative: &Path,
    keep: &FxHashSet<PathBuf>,
    folders: &FxHashSet<&Path>,
) -> std::io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(out.join(relative))?.collect::<Result<_, _>>()?;
    // Folders in parallel: a site's are many and small.
    entries.par_iter().try_for_each(|entry| {
        let path = relative.join(entry.file_name());
        // `file_type` does not follow a link: a link to a folder is removed, never entered.
        if entry.file_type()?.is_dir() {
            if folders.contains(path.as_path()) {
                remove_stale_in(out, &path, keep, folders)
            } else {
                fs::remove_dir_all(entry.path())
            }
        } else if keep.contains(&path) {
            Ok(())
        } else {
            fs::remove_file(entry.path())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many threads move files into a folder where a file stands: each finds it in its way,
    /// and all but one find it already gone (or already a folder) when they come to clear it.
    #[test]
    fn threads_clearing_the_same_file_in_the_way_do_not_fail() {
        for _ in 0..30 {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let (staging, out) = (dir.path().join("staging"), dir.path().join("out"));
            fs::create_dir_all(&staging).expect("staging");
            fs::create_dir_all(out.join("deep")).expect("out");
            fs::write(out.join("section"), "a file where a folder goes").expect("in the way");
            fs::write(out.join("deep/section"), "another").expect("in the way");
            let names: Vec<(String, PathBuf)> = (0..64)
                .map(|i| {
                    fs::write(staging.join(i.to_string()), i.to_string()).expect("staged");
                    let folder = if i % 2 == 0 { "section" } else { "deep/section/inner" };
                    (i.to_string(), PathBuf::from(format!("{folder}/page{i}.html")))
                })
                .collect();
            let changed: Vec<(&str, &Path)> = names.iter().map(|(s, p)| (s.as_str(), p.as_path())).collect();
            move_in(&staging, &out, &changed).expect("every file moved in");
            for (staged, relative) in &names {
                assert_eq!(fs::read_to_string(out.join(relative)).expect("moved"), *staged);
            }
        }
    }

    #[test]
    fn only_the_same_bytes_in_a_plain_file_count_as_unchanged() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path();
        let same = |relative: &str, contents: &Contents| unchanged_len(out, Path::new(relative), contents).is_some();
        // Longer than one block, so the comparison crosses a block's edge.
        let long: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(out.join("page.html"), &long).expect("write");
        assert!(same("page.html", &Contents::Bytes(long.clone())));
        let embedded: &'static [u8] = Box::leak(long.clone().into_boxed_slice());
        assert!(same("page.html", &Contents::Embedded(embedded)));
        let mut last_differs = long.clone();
        *last_differs.last_mut().expect("a byte") ^= 1;
        assert!(!same("page.html", &Contents::Bytes(last_differs.clone())));
        assert!(!same("page.html", &Contents::Bytes(long[..long.len() - 1].to_vec())));
        assert!(!same("missing", &Contents::Bytes(Vec::new())));
        fs::create_dir(out.join("folder")).expect("a folder");
        assert!(!same("folder", &Contents::Bytes(Vec::new())), "a folder");

        let source = out.join("static.bin");
        fs::write(&source, &long).expect("write");
        assert!(same("page.html", &Contents::CopyOf(source.clone())));
        fs::write(&source, &last_differs).expect("write");
        assert!(!same("page.html", &Contents::CopyOf(source.clone())));

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(out.join("page.html"), out.join("link.html")).expect("a link");
            assert!(
                !same("link.html", &Contents::Bytes(long.clone())),
                "a link is replaced, not followed"
            );
            // The same bytes reached through a linked folder are not the output's own.
            fs::create_dir(out.join("real")).expect("a folder");
            fs::write(out.join("real/page.html"), &long).expect("write");
            std::os::unix::fs::symlink(out.join("real"), out.join("linked")).expect("a link");
            assert!(same("real/page.html", &Contents::Bytes(long.clone())));
            assert!(
                !same("linked/page.html", &Contents::Bytes(long)),
                "through a linked folder"
            );
        }
    }

    #[test]
    fn stale_files_and_folders_go_and_made_ones_stay() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path();
        for file in [
            "a/index.html",
            "a/old.html",
            "b/c/index.html",
            "gone/deep/x.html",
            "top.txt",
        ] {
            let path = out.join(file);
            fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            fs::write(path, file).expect("write");
        }
        let keep: FxHashSet<PathBuf> = ["a/index.html", "b/c/index.html"].iter().map(PathBuf::from).collect();
        remove_stale(out, &keep).expect("remove stale files");
        let mut left: Vec<String> = walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| {
                e.path()
                    .strip_prefix(out)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        left.sort();
        assert_eq!(left, ["", "a", "a/index.html", "b", "b/c", "b/c/index.html"]);
    }
}
