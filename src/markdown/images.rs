//! Images in markdown: their alt text is collected as their events pass, and an image without
//! any is an error (SP081); `![""](x.png)` marks one decorative, written `alt=""`.

use pulldown_cmark::Event;

use super::{OpenHeading, Renderer};
use crate::diagnostics::{Code, Diagnostic};

/// An image being collected: where it starts, its alt text so far and its inner events.
pub(super) struct OpenImage<'e> {
    pub offset: usize,
    pub alt: String,
    pub inner: Vec<Event<'e>>,
}

/// Where the next event goes: into the innermost open image, the open heading, or the output.
pub(super) fn sink<'s, 'e>(
    images: &'s mut [OpenImage<'e>],
    heading: &'s mut Option<OpenHeading<'e>>,
    out: &'s mut Vec<Event<'e>>,
) -> &'s mut Vec<Event<'e>> {
    if let Some(image) = images.last_mut() {
        return &mut image.inner;
    }
    match heading {
        Some((_, _, _, inner)) => inner,
        None => out,
    }
}

impl Renderer<'_> {
    /// Reports an image without alt text; whether it is marked decorative (`![""](x.png)`),
    /// so that it is written with `alt=""`.
    pub(super) fn check_alt(&mut self, image: &OpenImage<'_>) -> bool {
        let alt = image.alt.trim();
        if matches!(alt, "\"\"" | "\u{201c}\u{201d}") {
            return true;
        }
        if alt.is_empty() {
            self.out.diagnostics.push(
                Diagnostic::error(self.origin.file, "an image without alt text")
                    .code(Code::MissingAltText)
                    .at(self.origin.text, self.origin.body_start + image.offset)
                    .with_hint("describe what the image shows for readers who cannot see it, as `![Naloxone kit](kit.png)`, or mark it decorative with `![\"\"](kit.png)`"),
            );
        }
        false
    }
}
