//! The resized copies that `[images] widths` asks for ([`Resized`]), made before any page's
//! `srcset` is written, so that it names the file published: each is decoded, scaled and
//! encoded in its source's format and, for a PNG or JPEG, as lossless WebP too; the smaller
//! is published (a tie keeps the source's format). Each encoding is kept in a [`CopyCache`]
//! by the hash of the source's bytes, the copy's size and the format, so a rebuild takes it
//! from there instead of decoding again (`output` keeps it beside the output folder). The
//! encoders have no clock or randomness in them, so a copy is the same bytes every build,
//! and the choice, made from those bytes, is the same with or without the cache.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, display_path};

use super::images::Resized;

/// Where encoded copies are kept between builds. Defined here, where copies are made, and
/// implemented by `output`, which owns the folder; a cache that cannot be written only costs
/// the next build time.
pub trait CopyCache: Sync {
    /// The bytes kept under `key` by an earlier build, if any.
    fn cached(&self, key: &str) -> Option<Vec<u8>>;
    fn keep(&self, key: &str, bytes: &[u8]);
}

/// No cache: every copy is made (`check`, `serve`, tests).
pub struct NoCache;

impl CopyCache for NoCache {
    fn cached(&self, _key: &str) -> Option<Vec<u8>> {
        None
    }

    fn keep(&self, _key: &str, _bytes: &[u8]) {}
}

/// A resized copy as published: its site path, and its bytes (shared, not copied, by every
/// page that shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub path: String,
    pub bytes: Arc<[u8]>,
}

/// Every copy in `wanted`, made in parallel; one error for each that cannot be made, in the
/// copies' order.
pub fn make_all(
    config: &Config,
    wanted: BTreeSet<Resized>,
    cache: &dyn CopyCache,
) -> (BTreeMap<Resized, Made>, Diagnostics) {
    let results: Vec<(Resized, Result<Made, Diagnostic>)> = wanted
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .with_max_len(1)
        .map(|resized| {
            let made = make(&config.root, &resized, cache);
            (resized, made)
        })
        .collect();
    let mut made = BTreeMap::new();
    let mut diagnostics = Diagnostics::new();
    for (resized, result) in results {
        match result {
            Ok(copy) => {
                made.insert(resized, copy);
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    (made, diagnostics)
}

/// One copy: each encoding from the cache or made now, and the smaller of them.
fn make(root: &Path, resized: &Resized, cache: &dyn CopyCache) -> Result<Made, Diagnostic> {
    let display = display_path(root, &resized.from);
    let own_path = resized.path(resized.extension());
    let unreadable = |why: String| {
        Diagnostic::error(&display, format!("cannot make the resized copy /{own_path}: {why}"))
            .code(Code::ImageUnreadable)
            .with_hint("export the image again; its header can be read but its pixels cannot")
    };
    let source = std::fs::read(&resized.from).map_err(|e| {
        Diagnostic::error(&display, format!("cannot read the image to resize it: {e}")).code(Code::FileUnreadable)
    })?;
    let own_extension = resized.extension().to_ascii_lowercase();
    let own = ImageFormat::from_extension(&own_extension).ok_or_else(|| unreadable("not a known format".into()))?;
    // The source's format first, so that it wins a tie.
    let mut formats = vec![(own, own_extension.as_str())];
    if own != ImageFormat::WebP {
        formats.push((ImageFormat::WebP, "webp"));
    }
    let hash = xxhash_rust::xxh3::xxh3_64(&source);
    let key = |extension: &str| format!("{hash:016x}-{}x{}.{extension}", resized.width, resized.height);
    let mut scaled = None;
    let mut encoded = Vec::with_capacity(formats.len());
    for &(format, extension) in &formats {
        let bytes = match cache.cached(&key(extension)) {
            Some(bytes) => bytes,
            None => {
                // Decoded and scaled once, for whichever encodings the cache lacks.
                let image = match scaled.take() {
                    Some(image) => image,
                    None => scale(&source, own, resized).map_err(&unreadable)?,
                };
                let mut bytes = Cursor::new(Vec::new());
                image
                    .write_to(&mut bytes, format)
                    .map_err(|e| unreadable(e.to_string()))?;
                scaled = Some(image);
                let bytes = bytes.into_inner();
                cache.keep(&key(extension), &bytes);
                bytes
            }
        };
        encoded.push((bytes, extension));
    }
    let (bytes, extension) = encoded
        .into_iter()
        .reduce(|best, next| if next.0.len() < best.0.len() { next } else { best })
        .ok_or_else(|| unreadable("no format to encode in".into()))?;
    let path = match extension == own_extension {
        true => own_path,
        false => resized.path(extension),
    };
    Ok(Made {
        path,
        bytes: bytes.into(),
    })
}

/// The source decoded and scaled to the copy's size, in the pixels both encoders take.
fn scale(source: &[u8], format: ImageFormat, resized: &Resized) -> Result<DynamicImage, String> {
    let image = image::load_from_memory_with_format(source, format).map_err(|e| e.to_string())?;
    let scaled = image.resize_exact(resized.width, resized.height, FilterType::Lanczos3);
    // JPEG has no transparency; the others keep what the source had.
    Ok(match (format, scaled.color().has_alpha()) {
        (ImageFormat::Jpeg, _) | (_, false) => DynamicImage::ImageRgb8(scaled.to_rgb8()),
        (_, true) => DynamicImage::ImageRgba8(scaled.to_rgba8()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache that holds every key, each encoding's bytes by its extension.
    struct Holds(&'static [u8], &'static [u8]);

    impl CopyCache for Holds {
        fn cached(&self, key: &str) -> Option<Vec<u8>> {
            Some(if key.ends_with(".webp") { self.1 } else { self.0 }.to_vec())
        }

        fn keep(&self, _key: &str, _bytes: &[u8]) {}
    }

    #[test]
    fn the_smaller_encoding_is_published_and_a_tie_keeps_the_sources_format() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let from = folder.path().join("map.png");
        std::fs::write(&from, b"the source's bytes, never decoded: both encodings are cached").expect("write");
        let resized = Resized {
            image: "guides/map.png".into(),
            width: 480,
            height: 320,
            from,
        };
        let made = |cache: &Holds| make(folder.path(), &resized, cache).map(|made| made.path);
        assert_eq!(made(&Holds(b"png!", b"webp")), Ok("guides/map-480w.png".into()));
        assert_eq!(made(&Holds(b"png!", b"web")), Ok("guides/map-480w.webp".into()));
        assert_eq!(made(&Holds(b"png", b"webp")), Ok("guides/map-480w.png".into()));
    }
}
