//! Images' sizes and loading: each markdown image that is a file of the site (beside a page,
//! or under static/) gets its pixel `width` and `height`, so the page does not move as it
//! loads, and every image of a page but the first (which may be on the first screen) loads
//! lazily.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::display_path;
use crate::markdown::InternalLink;
use crate::svg::{self, Size};
use crate::theme::{Contents, Theme};

use super::copies::Made;

/// Where a file of the site comes from.
#[derive(Clone, Copy)]
enum Source<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

/// The site's files by site path, and the sizes read so far: one image is often shown on
/// many pages, which are resolved in parallel.
pub struct Images<'a> {
    root: &'a Path,
    widths: &'a [u32],
    sources: HashMap<&'a str, Source<'a>>,
    sizes: Mutex<HashMap<String, Result<Option<Size>, String>>>,
}

impl<'a> Images<'a> {
    pub fn new(config: &'a Config, content: &'a Content, theme: &'a Theme) -> Images<'a> {
        let assets = content.assets.iter().map(|a| (a.to.as_str(), Source::File(&a.from)));
        // A static file wins over a content file at the same path, as `render` copies them.
        let statics = theme.static_files.iter().map(|(path, contents)| {
            let source = match contents {
                Contents::CopyOf(from) => Source::File(from),
                Contents::Bytes(bytes) => Source::Bytes(bytes),
                Contents::Embedded(bytes) => Source::Bytes(bytes),
            };
            (path.as_str(), source)
        });
        Images {
            root: &config.root,
            widths: &config.images.widths,
            sources: assets.chain(statics).collect(),
            sizes: Mutex::new(HashMap::new()),
        }
    }

    /// The size of the image at site path `path`: `Ok(None)` when it is no file of the site,
    /// not an image by its name, or an SVG that gives no size; `Err` with what is wrong when
    /// it cannot be read as the image its name says.
    pub fn size(&self, path: &str) -> Result<Option<Size>, String> {
        let Some(&source) = self.sources.get(path) else {
            return Ok(None);
        };
        let Some(kind) = Kind::of(path) else {
            return Ok(None);
        };
        let known = self
            .sizes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned();
        if let Some(known) = known {
            return known;
        }
        let size = self.read(source, kind);
        self.sizes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), size.clone());
        size
    }

    /// The file on disk the site path `path` is copied from, if it is one.
    pub fn file(&self, path: &str) -> Option<&'a Path> {
        match self.sources.get(path) {
            Some(Source::File(from)) => Some(from),
            _ => None,
        }
    }

    /// The resized copies `[images] widths` asks for of the image at `path`, `size` wide:
    /// one for each width narrower than it, of PNG, JPEG and WebP files (a GIF would lose its
    /// animation, an SVG needs none). Their format, and so their paths, are chosen as they
    /// are made (`copies`).
    pub fn resized(&self, path: &str, size: Size) -> Vec<Resized> {
        let (Some(from), Some((_, extension))) = (self.file(path), path.rsplit_once('.')) else {
            return Vec::new();
        };
        if !matches!(extension.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg" | "webp") {
            return Vec::new();
        }
        self.widths
            .iter()
            .filter(|&&width| width < size.width)
            .map(|&width| {
                let height =
                    (u64::from(size.height) * u64::from(width) + u64::from(size.width) / 2) / u64::from(size.width);
                Resized {
                    image: path.to_string(),
                    width,
                    height: u32::try_from(height).unwrap_or(u32::MAX).max(1),
                    from: from.to_path_buf(),
                }
            })
            .collect()
    }

    /// Whether site path `path` is a file of the site (so no copy may be published there).
    pub fn is_file(&self, path: &str) -> bool {
        self.sources.contains_key(path)
    }

    fn read(&self, source: Source<'_>, kind: Kind) -> Result<Option<Size>, String> {
        let name = match source {
            Source::File(from) => format!("`{}`", display_path(self.root, from).display()),
            Source::Bytes(_) => "the theme's file".to_string(),
        };
        match kind {
            Kind::Raster => {
                let read = match source {
                    Source::File(from) => imagesize::size(from),
                    Source::Bytes(bytes) => imagesize::blob_size(bytes),
                };
                let size = read.map_err(|e| match e {
                    imagesize::ImageError::IoError(e) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
                        format!("cannot read {name}: {e}")
                    }
                    _ => format!("{name} is not a PNG, JPEG, GIF or WebP image, or is damaged"),
                })?;
                let width = u32::try_from(size.width).ok().filter(|w| *w > 0);
                let height = u32::try_from(size.height).ok().filter(|h| *h > 0);
                match width.zip(height) {
                    Some((width, height)) => Ok(Some(Size { width, height })),
                    None => Err(format!("{name} says it is {}×{} pixels", size.width, size.height)),
                }
            }
            Kind::Svg => {
                let bytes = match source {
                    Source::File(from) => std::fs::read(from).map_err(|e| format!("cannot read {name}: {e}"))?,
                    Source::Bytes(bytes) => bytes.to_vec(),
                };
                let text = String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))?;
                svg::size(&text).map_err(|e| format!("{name} cannot be read as an SVG: {e}"))
            }
        }
    }
}

/// What an image file of the site brings to its `<img>`: its size, and its resized copies
/// as a `srcset`.
#[derive(Debug, Clone)]
pub struct Shown {
    pub size: Size,
    /// The original's URL as the page writes it, for the `srcset`.
    pub url: String,
    /// `srcset` and `sizes`, already escaped, when it has resized copies; written once the
    /// copies are made.
    pub srcset: Option<String>,
    pub resized: Vec<Resized>,
    /// The original file, for `[images] max_bytes`.
    pub file: Option<PathBuf>,
}

/// The image files of the site that pages show (by site path), and the resized copies of
/// them, made, for `render` to publish.
#[derive(Debug, Clone, Default)]
pub struct ImageFiles {
    pub shown: BTreeMap<String, PathBuf>,
    pub resized: BTreeMap<Resized, Made>,
}

impl ImageFiles {
    pub(super) fn add(&mut self, links: &[InternalLink], shown: &[Option<Shown>]) {
        for (link, shown) in links.iter().zip(shown) {
            if let Some(file) = shown.as_ref().and_then(|shown| shown.file.as_ref()) {
                self.shown.insert(link.target.clone(), file.clone());
            }
        }
    }

    /// Whether every image `shown` on a page, and its copies, are among these.
    pub(super) fn holds(&self, links: &[InternalLink], shown: &[Option<Shown>]) -> bool {
        let mut more = ImageFiles::default();
        more.add(links, shown);
        let mut copies = shown.iter().flatten().flat_map(|shown| &shown.resized);
        more.shown.keys().all(|path| self.shown.contains_key(path)) && copies.all(|r| self.resized.contains_key(r))
    }
}

/// A smaller copy of an image to make: the site path of the image, the copy's size, and
/// the file it is made from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Resized {
    pub image: String,
    pub width: u32,
    pub height: u32,
    pub from: PathBuf,
}

impl Resized {
    /// The image's extension as written.
    pub fn extension(&self) -> &str {
        self.image.rsplit_once('.').map_or("", |(_, extension)| extension)
    }

    /// The copy's site path in the format of `extension`: `stem-480w.webp`.
    pub fn path(&self, extension: &str) -> String {
        let stem = self
            .image
            .rsplit_once('.')
            .map_or(self.image.as_str(), |(stem, _)| stem);
        format!("{stem}-{}w.{extension}", self.width)
    }
}

/// The kinds of image whose size is read, by file name.
#[derive(Clone, Copy)]
enum Kind {
    Raster,
    Svg,
}

impl Kind {
    fn of(path: &str) -> Option<Kind> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "png" | "jpg" | "jpeg" | "gif" | "webp" => Some(Kind::Raster),
            "svg" => Some(Kind::Svg),
            _ => None,
        }
    }
}

/// Whether the file at `path` is an image whose size pages write (by its name).
pub fn is_sized_image(path: &str) -> bool {
    Kind::of(path).is_some()
}

/// `html` with `loading="lazy"` and `decoding="async"` on every `<img>` but the first,
/// unless the tag already says how it loads.
pub fn lazy(html: String) -> String {
    let starts: Vec<usize> = memchr::memmem::find_iter(html.as_bytes(), b"<img")
        .filter(|&at| matches!(html.as_bytes().get(at + 4), Some(b' ' | b'\t' | b'\n' | b'/' | b'>')))
        .skip(1)
        .collect();
    if starts.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + starts.len() * 34);
    let mut done = 0;
    for at in starts {
        let tag_end = html[at..].find('>').map_or(html.len(), |end| at + end);
        let tag = &html[at..tag_end];
        out.push_str(&html[done..at + 4]);
        if !tag.contains(" loading=") {
            out.push_str(" loading=\"lazy\"");
        }
        if !tag.contains(" decoding=") {
            out.push_str(" decoding=\"async\"");
        }
        done = at + 4;
    }
    out.push_str(&html[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_image_but_the_first_loads_lazily() {
        let html = "<p><img src=\"a.png\" alt=\"a\" /><img src=\"b.png\" alt=\"b\" />\
                    <img loading=\"eager\" src=\"c.png\"><imgx></p>"
            .to_string();
        assert_eq!(
            lazy(html),
            "<p><img src=\"a.png\" alt=\"a\" /><img loading=\"lazy\" decoding=\"async\" src=\"b.png\" alt=\"b\" />\
             <img decoding=\"async\" loading=\"eager\" src=\"c.png\"><imgx></p>"
        );
        assert_eq!(lazy("<p>no images</p>".to_string()), "<p>no images</p>");
    }
}
