//! Signpost turns a folder of markdown guidance pages into a static website.
//!
//! The modules are listed in pipeline order. Each stage may use the stages above it, never the
//! ones below: configuration is loaded, then content, then markdown is rendered, links are
//! resolved, templates are rendered, and only then does anything touch the output folder.

/// Like `println!`, but a closed pipe (`signpost check | head`) is not a panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Like `eprintln!`, but never panics.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Like `eprint!`, but never panics.
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// "1 page", "2 pages", "0 days": a count with its noun, for messages.
pub fn plural(n: impl std::fmt::Display, noun: &str) -> String {
    let n = n.to_string();
    let s = if n == "1" { "" } else { "s" };
    format!("{n} {noun}{s}")
}

pub mod date;
pub mod diagnostics;
pub mod slug;
/// SVG files: their display size, and their text made safe to publish.
pub mod svg;

pub mod config;
pub mod content;
/// `check --external`: the external URLs pages link to, fetched and cached.
pub mod external;
pub mod links;
pub mod markdown;
pub mod matrix;
pub mod output;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod theme;
/// Finds requests to other sites in HTML and CSS; used by every stage that checks what it makes.
pub mod third_party;

pub mod cli;
pub mod pipeline;
pub mod scaffold;
