//! SVG files the site ships: their display size, for the `width` and `height` an `<img>`
//! needs so that the page does not move as it loads, and their text made safe to publish.

mod sanitise;

pub use sanitise::{Cleaned, Removed, sanitise};

/// An image's size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// Parses `text` as XML; DTDs are allowed, as drawing programs write them (roxmltree limits
/// entity expansion).
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

/// The size an SVG asks to be shown at: its root's `width` and `height`, one of them and the
/// `viewBox`'s proportions, or the `viewBox` alone. `Ok(None)` when it says nothing usable
/// (percentages, no viewBox); `Err` when it is not well-formed XML or not an `<svg>`.
pub fn size(text: &str) -> Result<Option<Size>, String> {
    let document = parse(text).map_err(|e| format!("it is not well-formed XML ({e})"))?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" {
        return Err(format!("its root element is <{}>, not <svg>", root.tag_name().name()));
    }
    let width = root.attribute("width").and_then(length);
    let height = root.attribute("height").and_then(length);
    let view_box = root.attribute("viewBox").and_then(view_box);
    let (width, height) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some((vw, vh))) => (vw, vh),
        _ => return Ok(None),
    };
    Ok(pixels(width)
        .zip(pixels(height))
        .map(|(width, height)| Size { width, height }))
}

/// A length in CSS pixels: a number with no unit, or px, pt, pc, in, cm or mm.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        _ => return None,
    };
    Some(number * scale).filter(|n| n.is_finite() && *n > 0.0)
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// A length as the whole pixels an HTML attribute takes; at least 1.
fn pixels(value: f64) -> Option<u32> {
    let rounded = value.round().max(1.0);
    (rounded.is_finite() && rounded <= f64::from(u32::MAX)).then_some(rounded as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(text: &str) -> Option<(u32, u32)> {
        size(text).ok().flatten().map(|s| (s.width, s.height))
    }

    #[test]
    fn sizes_come_from_width_height_or_view_box() {
        let ns = "xmlns=\"http://www.w3.org/2000/svg\"";
        assert_eq!(
            sized(&format!("<svg {ns} width=\"40\" height=\"20px\"/>")),
            Some((40, 20))
        );
        assert_eq!(sized(&format!("<svg {ns} viewBox=\"0 0 300 150\"/>")), Some((300, 150)));
        assert_eq!(
            sized(&format!("<svg {ns} width=\"60\" viewBox=\"0,0,300,150\"/>")),
            Some((60, 30))
        );
        assert_eq!(
            sized(&format!("<svg {ns} width=\"1in\" height=\"72pt\"/>")),
            Some((96, 96))
        );
        assert_eq!(sized(&format!("<svg {ns} width=\"100%\" height=\"50%\"/>")), None);
        assert_eq!(sized(&format!("<svg {ns} viewBox=\"0 0 0 10\"/>")), None);
        assert!(size("<svg><g></svg>").is_err());
        assert!(size("<html/>").is_err());
    }
}
