//! The search tokeniser as it was before it was made faster (commit 8f780f8), kept as the
//! model that tests/properties.rs checks the current one against: the index must not change.

#![allow(dead_code)]

pub const MAX_WORD_CHARS: usize = 40;

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

/// Elements that are not text: a heading's "#" link, citation numbers, scripts.
fn skipped(name: &str, attributes: &str) -> bool {
    matches!(name, "script" | "style" | "template")
        || attributes.contains("heading-anchor")
        || attributes.contains("class=\"citation\"")
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
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // The element being skipped and how deep inside copies of it we are.
    let mut skipping: Option<(String, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
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
        let name = tag[..name_end].to_ascii_lowercase();
        let self_closing = tag.ends_with('/') || matches!(name.as_str(), "br" | "hr" | "img" | "input" | "wbr");
        if let Some((skipped_name, depth)) = &mut skipping {
            if *skipped_name == name && !self_closing {
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
        if !closing && !self_closing && skipped(&name, &tag[name_end..]) {
            skipping = Some((name, 1));
            continue;
        }
        // A heading ends like a sentence, so that an excerpt can start after it.
        let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if closing && heading && out.trim_end().chars().last().is_some_and(char::is_alphanumeric) {
            let end = out.trim_end().len();
            out.truncate(end);
            out.push('.');
        }
        if !inline(&name) {
            out.push(' ');
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    collapse_whitespace(&out)
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
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
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() && !word.starts_with(['.', ',', ';', ':', '!', '?', ')']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
