//! `[images] max_bytes`: a warning for each published image, or resized copy (made by
//! `links`), larger than it.

use std::path::Path;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, display_path};

/// A warning when a published image file is larger than `[images] max_bytes`; `published`
/// is its site path, `from` the file it is made from.
pub fn too_large(config: &Config, published: &str, from: &Path, bytes: u64) -> Option<Diagnostic> {
    let max = config.images.max_bytes?;
    if bytes <= max {
        return None;
    }
    let display = display_path(&config.root, from);
    let what = match from
        .file_name()
        .is_some_and(|name| published.ends_with(&*name.to_string_lossy()))
    {
        true => format!("the image /{published}"),
        false => format!("the resized copy /{published} of this image"),
    };
    Some(
        Diagnostic::warning(
            &display,
            format!("{what} is {bytes} bytes, more than [images] max_bytes ({max})"),
        )
        .code(Code::ImageTooLarge)
        .with_hint(
            "make it smaller (fewer pixels, or more compression); [images] widths makes smaller copies for small screens",
        ),
    )
}
