//! The SVG files the site copies (beside pages, under static/), published sanitised
//! (`svg::sanitise`): a warning names the file and what was taken out, and a file that is
//! not an SVG at all is an error naming it.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::theme::Contents;

/// Whether the file at site path `path` is an SVG, by its name.
pub fn is_svg(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("svg"))
}

/// The bytes to publish for the SVG at `path`, and the warning for what was removed.
pub fn publish(root: &Path, path: &str, contents: Contents) -> (Result<Contents, Diagnostic>, Option<Diagnostic>) {
    let (display, bytes) = match &contents {
        Contents::CopyOf(from) => match std::fs::read(from) {
            Ok(bytes) => (display_path(root, from), bytes),
            Err(e) => {
                let problem = Diagnostic::error(display_path(root, from), format!("cannot read the file: {e}"))
                    .code(Code::FileUnreadable);
                return (Err(problem), None);
            }
        },
        Contents::Embedded(bytes) => (format!("(built-in theme) static/{path}").into(), bytes.to_vec()),
        Contents::Bytes(bytes) => (path.into(), bytes.clone()),
    };
    let unreadable = |why: String| {
        Diagnostic::error(&display, format!("this SVG cannot be published: {why}"))
            .code(Code::ImageUnreadable)
            .with_hint("export it again from the drawing program as plain SVG")
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return (Err(unreadable("it is not UTF-8 text".to_string())), None);
    };
    let cleaned = match crate::svg::sanitise(&text) {
        Ok(cleaned) => cleaned,
        Err(why) => return (Err(unreadable(why)), None),
    };
    let (Some(clean), Some(first)) = (cleaned.text, cleaned.removed.first()) else {
        return (Ok(contents), None);
    };
    let mut whats: Vec<&str> = Vec::new();
    for removed in &cleaned.removed {
        if !whats.contains(&removed.what.as_str()) {
            whats.push(&removed.what);
        }
    }
    let more = whats.len().saturating_sub(5);
    whats.truncate(5);
    let mut list = whats.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    let warning = Diagnostic::warning(&display, format!("removed from this SVG before publishing it: {list}"))
        .code(Code::SvgSanitised)
        .at(&text, first.offset)
        .with_hint(
            "an SVG opened on its own can run script and load from other sites; save it without \
             scripts, event handlers, <foreignObject> and links to other files",
        );
    (Ok(Contents::Bytes(clean.into_bytes())), Some(warning))
}
