//! Words out of text and HTML. `tokens` in themes/default/static/search.js follows the same
//! rules, so that what a reader types splits and lowercases the way the index did.

use memchr::memchr;
use memchr::memmem::Finder;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Longer runs of letters are not words a reader types (hashes, URLs run together).
pub const MAX_WORD_CHARS: usize = 40;

/// Words that are in almost every page and say nothing about it: left out of the index, and
/// listed in the manifest so that the browser drops them from queries too.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "each", "for", "from", "had",
    "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "me", "more", "most", "my", "of", "off", "on", "once", "or", "other", "our", "ours", "out",
    "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "to", "too", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

pub fn is_stop_word(word: &str) -> bool {
    static SET: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    SET.contains(word)
}

/// Each byte's class, for the word loop's common case: an ASCII letter or digit, and whether
/// it is uppercase. One load per byte instead of three range tests.
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() {
            table[byte] = if b.is_ascii_uppercase() { ALNUM | UPPER } else { ALNUM };
        }
        byte += 1;
    }
    table
};

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The lowercased words of `text`: runs of letters and digits in any script. An apostrophe
/// between two letters is dropped ("don't" is "dont", "people’s" is "peoples"); words longer
/// than [`MAX_WORD_CHARS`] are skipped.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |word| out.push(word.to_string()));
    out
}

/// [`words`] without a string per word: `f` sees each word in a reused buffer. ASCII, most
/// of any English page, takes a byte-at-a-time path; other characters are decoded.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::new();
    let mut lowered = String::new();
    let mut previous_is_word = false;
    let next_is_word = |at: usize| {
        text.get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(is_word_char)
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most words are lowercase ASCII that ends at an ASCII character: those are handed
        // over as they stand in `text`, not copied a character at a time.
        if word.is_empty() && ASCII_CLASS[b as usize] & ALNUM != 0 {
            let start = i;
            let mut classes = 0;
            while let Some(&b) = bytes.get(i) {
                let class = ASCII_CLASS[b as usize];
                if class & ALNUM == 0 {
                    break;
                }
                classes |= class;
                i += 1;
            }
            let upper = classes & UPPER != 0;
            let joined = |at: usize| {
                bytes
                    .get(at)
                    .is_some_and(|&b| !b.is_ascii() || (b == b'\'' && next_is_word(at + 1)))
            };
            if !upper && !joined(i) {
                if i - start <= MAX_WORD_CHARS {
                    f(&text[start..i]);
                }
                previous_is_word = true;
                continue;
            }
            // The word goes on (a letter outside ASCII, or an apostrophe), or needs lowercasing.
            word.push_str(&text[start..i]);
            word.make_ascii_lowercase();
            previous_is_word = true;
            continue;
        }
        let (c, width) = if b.is_ascii() {
            (b as char, 1)
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        i += width;
        if is_word_char(c) {
            // ASCII is lowercased here; a word with other letters is lowercased whole in `flush`.
            word.push(c.to_ascii_lowercase());
            previous_is_word = true;
            continue;
        }
        if (c == '\'' || c == '\u{2019}') && previous_is_word && next_is_word(i) {
            continue;
        }
        previous_is_word = false;
        flush(&mut word, &mut lowered, &mut f);
    }
    flush(&mut word, &mut lowered, &mut f);
}

fn flush(word: &mut String, lowered: &mut String, f: &mut impl FnMut(&str)) {
    if word.is_empty() {
        return;
    }
    if word.is_ascii() {
        if word.len() <= MAX_WORD_CHARS {
            f(word);
        }
    } else if word.chars().count() <= MAX_WORD_CHARS {
        // `str::to_lowercase`, not per char: it knows a final sigma.
        *lowered = word.to_lowercase();
        f(lowered);
    }
    word.clear();
}

/// English Snowball stems.
pub struct Stemmer(rust_stemmers::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer(rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
    }
}

impl Stemmer {
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.0.stem(word)
    }
}

/// Elements that are not text: a heading's "#" link, citation numbers, scripts.
fn skipped(name: &str, attributes: &str) -> bool {
    // Searchers built once: a search set up per tag cost more than the search.
    static ANCHOR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("heading-anchor"));
    static CITATION: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("class=\"citation\""));
    matches!(name, "script" | "style" | "template")
        || (!attributes.is_empty()
            && (ANCHOR.find(attributes.as_bytes()).is_some() || CITATION.find(attributes.as_bytes()).is_some()))
}

/// Elements inside a line of text: their edges do not separate words.
fn inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// The text of rendered HTML as a reader sees it, with whitespace collapsed: tags removed
/// (block edges become spaces), entities decoded, heading anchors and citation marks left out.
pub fn html_to_text(html: &str) -> String {
    let mut out = Collapsed {
        text: String::with_capacity(html.len() / 2),
        space: false,
    };
    let mut rest = html;
    // The element being skipped and how deep inside copies of it we are.
    let mut skipping: Option<(String, usize)> = None;
    // memchr's vector search, not `str::find`: tags and entities are looked for in every
    // page's whole HTML, and the standard library's byte search is several times slower.
    while let Some(lt) = memchr(b'<', rest.as_bytes()) {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let after = &rest[lt + 1..];
        let Some(gt) = memchr(b'>', after.as_bytes()) else {
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let tag = tag.trim_start_matches('/');
        let name_end = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
        // Lowercased in place: no string per tag. A name too long for the buffer is no name
        // this function knows, and is compared as written.
        let mut buffer = [0u8; 16];
        let name = lowercase_name(&tag[..name_end], &mut buffer);
        let self_closing = tag.ends_with('/') || matches!(name, "br" | "hr" | "img" | "input" | "wbr");
        if let Some((skipped_name, depth)) = &mut skipping {
            if skipped_name.eq_ignore_ascii_case(name) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && !self_closing && skipped(name, &tag[name_end..]) {
            skipping = Some((name.to_string(), 1));
            continue;
        }
        // A heading ends like a sentence, so that an excerpt can start after it.
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if closing && heading && out.text.chars().last().is_some_and(char::is_alphanumeric) {
            out.space = false;
            out.text.push('.');
        }
        if !inline(name) {
            out.push(' ');
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    out.text
}

/// `name` lowercased into `buffer`, or as it is when longer than the buffer.
fn lowercase_name<'a>(name: &'a str, buffer: &'a mut [u8; 16]) -> &'a str {
    let Some(lowered) = buffer.get_mut(..name.len()) else {
        return name;
    };
    lowered.copy_from_slice(name.as_bytes());
    lowered.make_ascii_lowercase();
    // ASCII lowercasing keeps UTF-8 valid.
    std::str::from_utf8(lowered).unwrap_or(name)
}

fn push_text(out: &mut Collapsed, text: &str) {
    let mut rest = text;
    while let Some(amp) = memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // An entity name is short: its ';' is looked for in the next few bytes only.
        let end = memchr(b';', &after.as_bytes()[..after.len().min(11)]);
        match end.and_then(|e| entity(&after[..e]).map(|c| (e, c))) {
            Some((e, c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201d}',
        "ldquo" => '\u{201c}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        _ => return None,
    })
}

/// One space between words, none at either end, and none before a full stop or comma (where
/// a citation mark was taken out).
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = Collapsed {
        text: String::with_capacity(text.len()),
        space: false,
    };
    out.push_str(text);
    out.text
}

/// What no space is put before: where a citation mark was taken out, the text goes on.
const PUNCTUATION: [char; 7] = ['.', ',', ';', ':', '!', '?', ')'];

/// Text with its whitespace collapsed as it is written ([`collapse_whitespace`]'s rules): a
/// run of whitespace is held back as one pending space, written only when more text follows.
struct Collapsed {
    text: String,
    space: bool,
}

impl Collapsed {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space |= !self.text.is_empty();
            return;
        }
        let mut bytes = [0; 4];
        self.push_word(c.encode_utf8(&mut bytes));
    }

    fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Skip printable ASCII in a tight loop: only spaces, control characters and
            // characters outside ASCII can be whitespace.
            match bytes[i..].iter().position(|&b| b <= b' ' || !b.is_ascii()) {
                Some(skip) => i += skip,
                None => break,
            }
            // One space between two words comes out as it is: copied with them, not split.
            if bytes[i] == b' '
                && i > start
                && bytes
                    .get(i + 1)
                    .is_some_and(|&b| b > b' ' && b.is_ascii() && !PUNCTUATION.contains(&(b as char)))
            {
                i += 1;
                continue;
            }
            let (space, width) = match bytes[i] {
                // char::is_whitespace in ASCII, vertical tab included.
                b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' => (true, 1),
                b if b.is_ascii() => (false, 1),
                _ => match text[i..].chars().next() {
                    Some(c) => (c.is_whitespace(), c.len_utf8()),
                    None => break,
                },
            };
            if space {
                self.push_word(&text[start..i]);
                self.space |= !self.text.is_empty();
                start = i + width;
            }
            i += width;
        }
        self.push_word(&text[start..]);
    }

    /// Words with no whitespace in or around them but single spaces between.
    fn push_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.space && !word.starts_with(PUNCTUATION) {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
