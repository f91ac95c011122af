//! The theme: its templates (with the site's own `templates/` overriding them by file name)
//! and its static files. The default theme is built into the binary, so a site made with
//! `signpost init` works without a copy of it; a `themes/<name>/` folder on disk wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::third_party;
use tera::ErrorKind;

use crate::diagnostics::{Code, Diagnostic, Location, display_path};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's text and the path shown when it has an error.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub display: PathBuf,
    pub text: String,
}

/// Every request to another site that the theme's templates, stylesheets and HTML files
/// make as written (a URL a template computes is not known until it renders).
pub fn third_party_requests(theme: &Theme, config: &Config) -> Vec<Diagnostic> {
    let privacy = &config.privacy;
    let mut found = Vec::new();
    for template in theme.templates.values() {
        for request in third_party::in_html(&template.text, privacy) {
            found.push(third_party::diagnostic(&template.display, &request).at(&template.text, request.offset));
        }
    }
    for (path, contents) in &theme.static_files {
        let is_css = path.ends_with(".css");
        if !(is_css || path.ends_with(".html") || path.ends_with(".htm")) {
            continue;
        }
        let (shown, bytes) = match contents {
            Contents::CopyOf(file) => (display_path(&config.root, file), contents.to_bytes()),
            Contents::Embedded(bytes) => (PathBuf::from(format!("(built-in theme) static/{path}")), bytes.to_vec()),
            Contents::Bytes(bytes) => (PathBuf::from(path), bytes.clone()),
        };
        let text = String::from_utf8_lossy(&bytes);
        let requests = if is_css {
            third_party::in_css(&text, privacy)
        } else {
            third_party::in_html(&text, privacy)
        };
        for request in requests {
            found.push(third_party::diagnostic(&shown, &request).at(&text, request.offset));
        }
    }
    found
}

/// Bytes to write, or a file on disk to copy.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Embedded(&'static [u8]),
    CopyOf(PathBuf),
}

impl Contents {
    /// The bytes, reading a file to copy now (empty if it has gone: the next build reports it).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Contents::Bytes(bytes) => bytes.clone(),
            Contents::Embedded(bytes) => bytes.to_vec(),
            Contents::CopyOf(from) => std::fs::read(from).unwrap_or_default(),
        }
    }

    /// [`Contents::to_bytes`] without a copy of rendered bytes, which are kept without the
    /// spare room their buffer grew (a page is rendered into a buffer of at least 16 KiB).
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Contents::Bytes(mut bytes) => {
                bytes.shrink_to_fit();
                bytes
            }
            other => other.to_bytes(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Theme {
    /// By template name ("page.html", "partials/nav.html").
    pub templates: BTreeMap<String, TemplateSource>,
    /// By site-relative output path; the site's static/ overrides the theme's.
    pub static_files: BTreeMap<String, Contents>,
}

impl Theme {
    /// Whether a template calls `get_page`, whose data (every page's link card) is made only
    /// then, and once per build.
    pub fn calls_get_page(&self) -> bool {
        self.templates.values().any(|t| t.text.contains("get_page"))
    }
}

pub fn load(config: &Config) -> Result<Theme, Diagnostic> {
    let root = &config.root;
    let theme_dir = root.join("themes").join(&config.theme);
    let mut theme = Theme {
        templates: BTreeMap::new(),
        static_files: BTreeMap::new(),
    };
    if theme_dir.is_dir() {
        read_templates(root, &theme_dir.join("templates"), &mut theme.templates)?;
        list_static(&theme_dir.join("static"), &mut theme.static_files)?;
    } else if config.theme == "default" {
        embedded(&mut theme)?;
    } else {
        return Err(Diagnostic::error(
            "site.toml",
            format!(
                "theme `{}` not found: there is no folder {}",
                config.theme,
                display_path(root, &theme_dir).display()
            ),
        )
        .code(Code::TemplateMissing)
        .with_hint("set theme = \"default\" to use the built-in theme"));
    }
    read_templates(root, &root.join("templates"), &mut theme.templates)?;
    list_static(&root.join("static"), &mut theme.static_files)?;
    Ok(theme)
}

fn embedded(theme: &mut Theme) -> Result<(), Diagnostic> {
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = file.contents_utf8().ok_or_else(|| {
                    Diagnostic::error(format!("(built-in theme) {path}"), "template is not UTF-8")
                        .code(Code::TemplateError)
                })?;
                theme.templates.insert(
                    name.to_string(),
                    TemplateSource {
                        display: PathBuf::from(format!("(built-in theme) templates/{name}")),
                        text: text.to_string(),
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                theme
                    .static_files
                    .insert(name.to_string(), Contents::Embedded(file.contents()));
            }
        }
    }
    Ok(())
}

fn read_templates(root: &Path, dir: &Path, out: &mut BTreeMap<String, TemplateSource>) -> Result<(), Diagnostic> {
    for (name, path) in files_under(dir)? {
        let display = display_path(root, &path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(&display, format!("cannot read the template: {e}")).code(Code::TemplateError)
        })?;
        out.insert(name, TemplateSource { display, text });
    }
    Ok(())
}

fn list_static(dir: &Path, out: &mut BTreeMap<String, Contents>) -> Result<(), Diagnostic> {
    for (name, path) in files_under(dir)? {
        out.insert(name, Contents::CopyOf(path));
    }
    Ok(())
}

/// Files under `dir` by '/'-separated relative name, skipping hidden ones. A missing folder
/// has no files.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| Diagnostic::error(dir, format!("cannot read: {e}")).code(Code::TemplateError))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push((name.join("/"), entry.path().to_path_buf()));
    }
    Ok(files)
}

/// A Tera error as a diagnostic pointing at the template file and line.
pub fn template_error(error: &tera::Error, theme: &Theme, rendering: Option<&std::path::Path>) -> Diagnostic {
    let mut message = error.to_string();
    let mut report = None;
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tera_error) = e.downcast_ref::<tera::Error>() {
            match tera_error.kind() {
                ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                    report = Some(r.clone());
                    break;
                }
                ErrorKind::Msg(m) => message = m.clone(),
                _ => {}
            }
        }
        current = e.source();
    }
    let hint = rendering.map(|file| format!("while rendering {}", file.display()));
    let Some(report) = report else {
        return match located_report(&message, theme) {
            Some(located) => located.with_optional_hint(hint),
            None => Diagnostic::error("templates", message)
                .code(Code::TemplateError)
                .with_optional_hint(hint),
        };
    };
    let template = theme.templates.get(report.filename());
    let file = template
        .map(|t| t.display.clone())
        .unwrap_or_else(|| PathBuf::from(report.filename()));
    let mut diagnostic = Diagnostic::error(file, report.message().to_string())
        .code(Code::TemplateError)
        .with_optional_hint(hint);
    let span = report.span();
    let line_text = template
        .and_then(|t| t.text.lines().nth(span.start_line.saturating_sub(1)))
        .unwrap_or("")
        .to_string();
    diagnostic.location = Some(Location {
        line: span.start_line.max(1),
        column: span.start_col + 1,
        line_text,
    });
    diagnostic
}

/// Tera reports unknown filters, tests and functions as text, one report per problem:
/// "error: Unknown filter `x`\n --> page.html:3:21\n...". The first one, as a diagnostic at the
/// template file, line and column it names.
fn located_report(message: &str, theme: &Theme) -> Option<Diagnostic> {
    let mut lines = message.lines();
    let first = lines.next()?.trim();
    let text = first.strip_prefix("error: ").unwrap_or(first);
    let place = lines.next()?.trim().strip_prefix("--> ")?;
    let mut parts = place.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let template = theme.templates.get(parts.next()?)?;
    let mut diagnostic = Diagnostic::error(template.display.clone(), text.to_string()).code(Code::TemplateError);
    diagnostic.location = Some(Location {
        line: line.max(1),
        column: column.max(1),
        line_text: template
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string(),
    });
    Some(diagnostic)
}

#[cfg(test)]
mod tests {
    use super::Contents;

    #[test]
    fn contents_taken_are_the_bytes_a_copy_gives_without_spare_room() {
        let mut page = Vec::with_capacity(16 * 1024);
        page.extend_from_slice(b"<!DOCTYPE html><p>page</p>");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let copied = dir.path().join("style.css");
        std::fs::write(&copied, "p { margin: 0 }").expect("a file to copy");
        let rendered = Contents::Bytes(page);
        let copy = rendered.to_bytes();
        let taken = rendered.into_bytes();
        assert_eq!(taken, copy);
        assert_eq!(taken.capacity(), taken.len(), "a rendered page keeps no spare room");
        for contents in [Contents::Embedded(b"embedded"), Contents::CopyOf(copied)] {
            let copy = contents.to_bytes();
            assert_eq!(contents.into_bytes(), copy);
        }
    }
}
