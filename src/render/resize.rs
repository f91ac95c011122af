//! The resized copies of images that `[images] widths` asks for (`links::Resized`): decoded,
//! scaled and encoded again in the image's own format with the `image` crate. Each copy is
//! named in the cache by the hash of its source's bytes and its size, so a rebuild takes it
//! from there instead of decoding again (the `Sink` keeps the cache: `output` writes it
//! beside the output folder). The encoders have no clock or randomness in them, so a copy is
//! the same bytes every build.

use std::io::Cursor;
use std::path::Path;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::links::Resized;

use super::Sink;

/// The bytes of one resized copy, from the cache or made now.
pub fn make(config: &Config, resized: &Resized, sink: &dyn Sink) -> Result<Vec<u8>, Diagnostic> {
    let display = display_path(&config.root, &resized.from);
    let source = std::fs::read(&resized.from).map_err(|e| {
        Diagnostic::error(&display, format!("cannot read the image to resize it: {e}")).code(Code::FileUnreadable)
    })?;
    let extension = resized
        .path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let key = format!(
        "{:016x}-{}x{}.{extension}",
        xxhash_rust::xxh3::xxh3_64(&source),
        resized.width,
        resized.height
    );
    if let Some(bytes) = sink.cached(&key) {
        return Ok(bytes);
    }
    let unreadable = |why: String| {
        Diagnostic::error(
            &display,
            format!("cannot make the resized copy /{}: {why}", resized.path),
        )
        .code(Code::ImageUnreadable)
        .with_hint("export the image again; its header can be read but its pixels cannot")
    };
    let format = ImageFormat::from_extension(&extension).ok_or_else(|| unreadable("not a known format".into()))?;
    let image = image::load_from_memory_with_format(&source, format).map_err(|e| unreadable(e.to_string()))?;
    let scaled = image.resize_exact(resized.width, resized.height, FilterType::Lanczos3);
    // JPEG has no transparency; the others keep what the source had.
    let scaled = match (format, scaled.color().has_alpha()) {
        (ImageFormat::Jpeg, _) | (_, false) => DynamicImage::ImageRgb8(scaled.to_rgb8()),
        (_, true) => DynamicImage::ImageRgba8(scaled.to_rgba8()),
    };
    let mut bytes = Cursor::new(Vec::new());
    scaled
        .write_to(&mut bytes, format)
        .map_err(|e| unreadable(e.to_string()))?;
    let bytes = bytes.into_inner();
    sink.keep(&key, &bytes);
    Ok(bytes)
}

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
