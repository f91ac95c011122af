//! The range of every number site.toml holds. A number outside its range is an error at the
//! value (SP007) rather than a panic, a frozen build or a page with a million links later on.
//! docs/reference.md lists the same ranges.

use std::ops::RangeInclusive;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::{ImageOptions, LinkOptions, ListOptions, MatrixConfig, RelatedOptions, SearchOptions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};

/// `[related] count`: more would make a list no reader scans.
pub const RELATED_COUNT: RangeInclusive<usize> = 0..=50;
/// `[search] excerpt_words`: a result shows at least one word and no more than a paragraph.
pub const EXCERPT_WORDS: RangeInclusive<usize> = 1..=200;
/// `[search.weights] *`: 0 leaves a part out; the ratio between them is what counts.
pub const SEARCH_WEIGHT: RangeInclusive<f32> = 0.0..=100.0;

/// Readers' words (`[search.synonyms]`, `synonym_groups`, `[glossary.also]`): words listed
/// for one key or in one group. A longer list is a thesaurus, not the words readers use.
pub const SYNONYM_LIST: RangeInclusive<usize> = 1..=30;
/// Words in one phrase and characters in one entry: a phrase is what a reader types.
pub const SYNONYM_WORDS: usize = 5;
pub const SYNONYM_CHARS: usize = 60;
/// Pairs in all (a group of n words makes n×(n−1)): each is in the search manifest, which
/// every search fetches first; 2,000 short pairs add about 30 KB.
pub const SYNONYM_PAIRS: RangeInclusive<usize> = 0..=2000;

/// `[[matrix]] page_size`: at least one row; at 1,000 rows a page is already megabytes.
pub const MATRIX_PAGE_SIZE: RangeInclusive<usize> = 1..=1000;

/// Checks a `[[matrix]]`'s `page_size`, pointing at the value (or the table) in site.toml.
/// `index` is the table's place among the `[[matrix]]` tables.
pub(super) fn check_matrix(
    text: &str,
    matrix: &toml::Spanned<MatrixConfig>,
    index: usize,
    file: &Path,
    out: &mut Diagnostics,
) {
    let page_size = matrix.get_ref().page_size;
    if MATRIX_PAGE_SIZE.contains(&page_size) {
        return;
    }
    let offset = array_value_offset(text, "matrix", index, "page_size").unwrap_or(matrix.span().start);
    out.push(
        Diagnostic::error(
            file,
            format!("[[matrix]] page_size is {page_size}, which is out of range"),
        )
        .code(Code::ConfigOutOfRange)
        .at(text, offset)
        .with_hint(format!(
            "use a whole number from {} to {}; a table with more rows is split into one page per section",
            MATRIX_PAGE_SIZE.start(),
            MATRIX_PAGE_SIZE.end()
        )),
    );
}

/// `[images] widths`: a copy narrower than a phone's icon or wider than an 8K screen helps no one.
pub const IMAGE_WIDTH: RangeInclusive<u32> = 16..=8192;
/// `[images] max_bytes`: at least a byte.
pub const IMAGE_MAX_BYTES: RangeInclusive<u64> = 1..=u64::MAX;

/// Checks the numbers in `[images]`.
pub(super) fn check_images(text: &str, images: &ImageOptions, file: &Path, out: &mut Diagnostics) {
    let report = |key: &str, message: String, hint: String| {
        let mut d = Diagnostic::error(file, message)
            .code(Code::ConfigOutOfRange)
            .with_hint(hint);
        if let Some(offset) = value_offset(text, &["images", key]) {
            d = d.at(text, offset);
        }
        d
    };
    if let Some(width) = images.widths.iter().find(|w| !IMAGE_WIDTH.contains(w)) {
        out.push(report(
            "widths",
            format!("[images] widths holds {width}, which is out of range"),
            format!(
                "use widths in pixels from {} to {}",
                IMAGE_WIDTH.start(),
                IMAGE_WIDTH.end()
            ),
        ));
    }
    if let Some(bytes) = images.max_bytes.filter(|b| !IMAGE_MAX_BYTES.contains(b)) {
        out.push(report(
            "max_bytes",
            format!("[images] max_bytes is {bytes}, which is out of range"),
            "use a number of bytes of at least 1, such as 300000 for 300 kB".to_string(),
        ));
    }
}

/// `[links] external_timeout`, in seconds: a site slower than 2 minutes is as good as down.
pub const EXTERNAL_TIMEOUT: RangeInclusive<u64> = 1..=120;
/// `[links] external_concurrency`: sites asked at once.
pub const EXTERNAL_CONCURRENCY: RangeInclusive<u64> = 1..=32;
/// `[links] external_host_delay_ms`: up to a minute between requests to one host.
pub const EXTERNAL_HOST_DELAY_MS: RangeInclusive<u64> = 0..=60_000;
/// `[links] external_max_age`, in days: 0 fetches every URL on every run.
pub const EXTERNAL_MAX_AGE: RangeInclusive<u64> = 0..=365;

/// `[lists] page_size`: fewer than 10 entries a page is paging for its own sake; more than
/// 10,000 makes pages of megabytes.
pub const LIST_PAGE_SIZE: RangeInclusive<usize> = 10..=10_000;

/// Checks `[lists] page_size`.
pub(super) fn check_lists(text: &str, lists: &ListOptions, file: &Path, out: &mut Diagnostics) {
    if LIST_PAGE_SIZE.contains(&lists.page_size) {
        return;
    }
    let mut d = Diagnostic::error(
        file,
        format!("[lists] page_size is {}, which is out of range", lists.page_size),
    )
    .code(Code::ConfigOutOfRange)
    .with_hint(format!(
        "use a whole number from {} to {}",
        LIST_PAGE_SIZE.start(),
        LIST_PAGE_SIZE.end()
    ));
    if let Some(offset) = value_offset(text, &["lists", "page_size"]) {
        d = d.at(text, offset);
    }
    out.push(d);
}

/// Checks the numbers in `[links]`.
pub(super) fn check_links(text: &str, links: &LinkOptions, file: &Path, out: &mut Diagnostics) {
    let named = [
        ("external_timeout", links.external_timeout, EXTERNAL_TIMEOUT),
        (
            "external_concurrency",
            links.external_concurrency as u64,
            EXTERNAL_CONCURRENCY,
        ),
        (
            "external_host_delay_ms",
            links.external_host_delay_ms,
            EXTERNAL_HOST_DELAY_MS,
        ),
        ("external_max_age", u64::from(links.external_max_age), EXTERNAL_MAX_AGE),
    ];
    for (name, value, range) in named {
        if range.contains(&value) {
            continue;
        }
        let mut d = Diagnostic::error(file, format!("[links] {name} is {value}, which is out of range"))
            .code(Code::ConfigOutOfRange)
            .with_hint(format!("use a whole number from {} to {}", range.start(), range.end()));
        if let Some(offset) = value_offset(text, &["links", name]) {
            d = d.at(text, offset);
        }
        out.push(d);
    }
}

/// Checks the numbers in `[related]` and `[search]`; `text` is site.toml's text, to point at
/// the values.
pub(super) fn check(text: &str, related: &RelatedOptions, search: &SearchOptions, file: &Path, out: &mut Diagnostics) {
    let mut report = |path: &[&str], message: String, hint: String| {
        let mut d = Diagnostic::error(file, message)
            .code(Code::ConfigOutOfRange)
            .with_hint(hint);
        if let Some(offset) = value_offset(text, path) {
            d = d.at(text, offset);
        }
        out.push(d);
    };
    if !RELATED_COUNT.contains(&related.count) {
        report(
            &["related", "count"],
            format!("[related] count is {}, which is out of range", related.count),
            format!(
                "use a whole number from {} to {}",
                RELATED_COUNT.start(),
                RELATED_COUNT.end()
            ),
        );
    }
    if !EXCERPT_WORDS.contains(&search.excerpt_words) {
        report(
            &["search", "excerpt_words"],
            format!(
                "[search] excerpt_words is {}, which is out of range",
                search.excerpt_words
            ),
            format!(
                "use a whole number from {} to {}",
                EXCERPT_WORDS.start(),
                EXCERPT_WORDS.end()
            ),
        );
    }
    let weights = &search.weights;
    let named = [
        ("title", weights.title),
        ("headings", weights.headings),
        ("summary", weights.summary),
        ("body", weights.body),
    ];
    let mut all_in_range = true;
    for (name, weight) in named {
        // NaN is in no range, so `contains` refuses it too.
        if !SEARCH_WEIGHT.contains(&weight) {
            all_in_range = false;
            report(
                &["search", "weights", name],
                format!("[search.weights] {name} is {weight}, which is out of range"),
                format!(
                    "use a number from {} to {}; 0 leaves that part of a page out of the index",
                    SEARCH_WEIGHT.start(),
                    SEARCH_WEIGHT.end()
                ),
            );
        }
    }
    if search.enabled && all_in_range && named.iter().all(|(_, weight)| *weight == 0.0) {
        report(
            &["search", "weights"],
            "[search.weights] are all 0, so no page could ever be found".to_string(),
            "give at least one part a weight above 0 (the defaults are title 8, headings 3, summary 2, body 1), \
             or turn search off with [search] enabled = false"
                .to_string(),
        );
    }
}

/// The byte offset of the value at `path` ("search", "weights", "title") in a TOML text, or of
/// the deepest table on the way that is written; `None` when none is.
pub(super) fn value_offset(text: &str, path: &[&str]) -> Option<usize> {
    let document = DeTable::parse(text).ok()?;
    let mut table: &DeTable = document.get_ref();
    let mut found = None;
    for key in path {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref() == key)?;
        found = Some(value.span().start);
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    found
}

/// The byte offset of `key`'s value in the `index`th `[[array]]` table of a TOML text.
fn array_value_offset(text: &str, array: &str, index: usize, key: &str) -> Option<usize> {
    let document = DeTable::parse(text).ok()?;
    let (_, tables) = document.get_ref().iter().find(|(k, _)| k.get_ref() == array)?;
    let DeValue::Array(tables) = tables.get_ref() else {
        return None;
    };
    let DeValue::Table(table) = tables.get(index)?.get_ref() else {
        return None;
    };
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == key)?;
    Some(value.span().start)
}

#[cfg(test)]
mod tests {
    use super::{array_value_offset, value_offset};

    #[test]
    fn array_value_offsets_find_the_nth_table() {
        let text = "[[m]]\np = 1\n[[m]]\np = 2\n";
        assert_eq!(array_value_offset(text, "m", 1, "p"), text.find('2'));
        assert_eq!(array_value_offset(text, "m", 2, "p"), None);
    }

    #[test]
    fn value_offsets_follow_tables_dotted_keys_and_inline_tables() {
        let text = "a = 1\n[search.weights]\ntitle = 0\n";
        assert_eq!(value_offset(text, &["search", "weights", "title"]), text.find("0\n"));
        let text = "search.weights.body = 7\n";
        assert_eq!(value_offset(text, &["search", "weights", "body"]), text.find('7'));
        let text = "[search]\nweights = { title = 5 }\n";
        assert_eq!(value_offset(text, &["search", "weights", "title"]), text.find('5'));
        assert_eq!(value_offset(text, &["related", "count"]), None);
    }
}
