//! Output: the only stage that writes to disk.
//!
//! A build is written to a fresh folder beside the output folder and swapped in only when
//! complete, so a failed or killed build leaves the previous site as it was. A folder is only
//! ever replaced if Signpost made it (it holds a marker file) or it is empty: a mistyped
//! `--output` must never delete someone's files.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::render::{Contents, RenderedSite};

/// The file that marks a folder as Signpost's output.
pub const MARKER: &str = ".signpost-output";
const MARKER_TEXT: &str = "This folder is written by `signpost build` and replaced on every build.\n";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
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

/// Writes the site into a new folder, then swaps it in place of the old output.
pub fn write(site: &RenderedSite, config: &Config) -> Result<WriteStats, Diagnostic> {
    let out = check_output_dir(config)?;
    let io_error = |path: &Path, what: &str, e: std::io::Error| {
        Diagnostic::error(path.to_path_buf(), format!("cannot {what}: {e}")).code(Code::OutputRefused)
    };
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
    // A build killed between its two renames left the previous output aside: put it back.
    if !out.exists() && previous.join(MARKER).is_file() {
        fs::rename(&previous, &out).map_err(|e| io_error(&previous, "restore the previous output", e))?;
    }
    remove_own_folder(&previous)?;

    fs::create_dir(&staging).map_err(|e| io_error(&staging, "create the folder", e))?;
    fs::write(staging.join(MARKER), MARKER_TEXT).map_err(|e| io_error(&staging, "write", e))?;
    let mut stats = WriteStats::default();
    for (path, contents) in &site.files {
        let target = staging.join(safe_relative(path).ok_or_else(|| {
            Diagnostic::error(path.as_str(), "refusing to write outside the output folder").code(Code::OutputRefused)
        })?);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", e))?;
        }
        stats.bytes += match contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
            Contents::Embedded(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
            Contents::CopyOf(from) => fs::copy(from, &target),
        }
        .map_err(|e| io_error(&target, "write", e))?;
        stats.files += 1;
    }

    if out.exists() {
        fs::rename(&out, &previous).map_err(|e| io_error(&out, "move the previous output aside", e))?;
    }
    if let Err(e) = fs::rename(&staging, &out) {
        // Put the previous output back so the site is never left without one.
        let _ = fs::rename(&previous, &out);
        return Err(io_error(&out, "move the new output into place", e));
    }
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(|e| io_error(&previous, "remove the previous output", e))?;
    }
    Ok(stats)
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
