//! Signpost turns a folder of markdown guidance pages into a static website.
//!
//! The modules are listed in pipeline order. Each stage may use the stages above it, never the
//! ones below: configuration is loaded, then content, then markdown is rendered, links are
//! resolved, templates are rendered, and only then does anything touch the output folder.

pub mod diagnostics;
pub mod slug;

pub mod config;
pub mod content;
pub mod links;
pub mod markdown;
pub mod matrix;
pub mod output;
pub mod render;
pub mod serve;

pub mod cli;
pub mod pipeline;
pub mod scaffold;
