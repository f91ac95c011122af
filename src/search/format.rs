//! The binary files of the search index, written here and read by search.js (and by
//! [`Shard::decode`], for tests). Numbers are unsigned LEB128 varints; word lists are sorted
//! by their UTF-8 bytes and front-coded (bytes shared with the previous word, then the rest).
//!
//! A shard (`s<id>.bin`) holds every indexed word in one range of the alphabet:
//!
//! ```text
//! lists:  count, then per list: n, n page-id gaps (the first from 0), n impact bytes
//! words:  count, then per word: shared, suffix length, suffix bytes, list number
//! titles: count, then per title: shared, suffix length, suffix bytes, page id
//! ```
//!
//! A list is one stem's pages in page-id order, each with its impact (1–255, higher is a
//! better match). Words with the same stem share a list, so the browser matches what the
//! reader typed against real words and uses the stem's pages. Titles are whole page titles
//! as lowercased words joined by spaces, filed under their first word that is not a stop word.
//!
//! A near-word file (`n<id>.bin`) is one front-coded word list (count, then the words): the
//! words one of whose two "first letter deleted" forms falls in its range. The browser reads
//! them only when a word has no match in its own shard, to find typos in the first letters.

/// One posting: a page and how well the stem matches it.
pub type Posting = (u32, u8);

pub fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Front-codes `word` after `previous`, never splitting a UTF-8 sequence.
fn push_front_coded(out: &mut Vec<u8>, previous: &str, word: &str) {
    let mut shared = previous.bytes().zip(word.bytes()).take_while(|(a, b)| a == b).count();
    while !word.is_char_boundary(shared) {
        shared -= 1;
    }
    push_varint(out, shared as u64);
    push_varint(out, (word.len() - shared) as u64);
    out.extend_from_slice(&word.as_bytes()[shared..]);
}

/// The bytes of one shard. Words and titles must be sorted; lists are in page order.
pub fn encode_shard(lists: &[Vec<Posting>], words: &[(String, usize)], titles: &[(String, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    push_varint(&mut out, lists.len() as u64);
    for list in lists {
        push_varint(&mut out, list.len() as u64);
        let mut previous = 0;
        for &(page, _) in list {
            push_varint(&mut out, u64::from(page - previous));
            previous = page;
        }
        out.extend(list.iter().map(|&(_, impact)| impact));
    }
    push_varint(&mut out, words.len() as u64);
    let mut previous = "";
    for (word, list) in words {
        push_front_coded(&mut out, previous, word);
        push_varint(&mut out, *list as u64);
        previous = word;
    }
    push_varint(&mut out, titles.len() as u64);
    let mut previous = "";
    for (title, page) in titles {
        push_front_coded(&mut out, previous, title);
        push_varint(&mut out, u64::from(*page));
        previous = title;
    }
    out
}

/// The bytes of one near-word file; `words` must be sorted.
pub fn encode_words(words: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    push_varint(&mut out, words.len() as u64);
    let mut previous = "";
    for word in words {
        push_front_coded(&mut out, previous, word);
        previous = word;
    }
    out
}

/// A shard read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shard {
    pub lists: Vec<Vec<Posting>>,
    /// Each word and the number of its list.
    pub words: Vec<(String, usize)>,
    pub titles: Vec<(String, u32)>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or("unexpected end of file")?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("varint too long".to_string())
    }

    fn number(&mut self) -> Result<usize, String> {
        usize::try_from(self.varint()?).map_err(|e| e.to_string())
    }

    fn bytes(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("unexpected end of file")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn front_coded(&mut self, previous: &str) -> Result<String, String> {
        let shared = self.number()?;
        let len = self.number()?;
        let mut word = previous
            .as_bytes()
            .get(..shared)
            .ok_or("shared prefix too long")?
            .to_vec();
        word.extend_from_slice(self.bytes(len)?);
        String::from_utf8(word).map_err(|e| e.to_string())
    }
}

impl Shard {
    pub fn decode(bytes: &[u8]) -> Result<Shard, String> {
        let mut r = Reader { bytes, at: 0 };
        let mut shard = Shard::default();
        for _ in 0..r.number()? {
            let n = r.number()?;
            let mut pages = Vec::with_capacity(n);
            let mut page = 0u32;
            for _ in 0..n {
                page += u32::try_from(r.varint()?).map_err(|e| e.to_string())?;
                pages.push(page);
            }
            let impacts = r.bytes(n)?;
            shard
                .lists
                .push(pages.into_iter().zip(impacts.iter().copied()).collect());
        }
        let mut previous = String::new();
        for _ in 0..r.number()? {
            let word = r.front_coded(&previous)?;
            let list = r.number()?;
            previous.clone_from(&word);
            shard.words.push((word, list));
        }
        let mut previous = String::new();
        for _ in 0..r.number()? {
            let title = r.front_coded(&previous)?;
            let page = u32::try_from(r.varint()?).map_err(|e| e.to_string())?;
            previous.clone_from(&title);
            shard.titles.push((title, page));
        }
        if r.at != bytes.len() {
            return Err(format!("{} bytes left over", bytes.len() - r.at));
        }
        Ok(shard)
    }

    /// The pages of `word`'s stem, if the word is in this shard.
    pub fn pages(&self, word: &str) -> Option<&[Posting]> {
        let i = self.words.binary_search_by(|(w, _)| w.as_str().cmp(word)).ok()?;
        Some(&self.lists[self.words[i].1])
    }
}

/// Reads a near-word file.
pub fn decode_words(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut r = Reader { bytes, at: 0 };
    let mut words = Vec::new();
    let mut previous = String::new();
    for _ in 0..r.number()? {
        let word = r.front_coded(&previous)?;
        previous.clone_from(&word);
        words.push(word);
    }
    Ok(words)
}

/// The first `n` characters of `word` (all of it if shorter).
pub fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Splits sorted keys, each with a size in bytes, into consecutive ranges of about `target`
/// bytes. Ranges break only between groups of keys sharing their first two characters, or,
/// for a group bigger than `max`, between smaller groups sharing three, four… characters: so
/// a reader's prefix of two letters or more usually needs one file. Returns the first key of
/// each range, the first being "" so that every string falls in some range.
///
/// Where a range ends depends on the groups near it, not on all those before it: a range
/// ends before a group when the group would take it over `target`, or, once it holds half
/// of `target`, before a group whose prefix is an anchor (half of all prefixes, by a hash).
/// A change in one group's size then moves the ends of a range or two, and the ranges after
/// them are the same again, so an edit to one page changes only the files that hold its words.
pub fn pack(keys: &[(&str, usize)], target: usize, max: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let mut groups = Vec::new();
    split(keys, 0, 2, max, &mut groups);
    let mut ranges: Vec<(String, std::ops::Range<usize>, usize)> = Vec::new();
    for (prefix, range, size) in groups {
        match ranges.last_mut() {
            Some((_, last, last_size))
                if *last_size + size <= target && (*last_size < target / 2 || !is_anchor(&prefix)) =>
            {
                last.end = range.end;
                *last_size += size;
            }
            _ => ranges.push((prefix, range, size)),
        }
    }
    match ranges.first_mut() {
        Some(first) => first.0 = String::new(),
        // No words at all (every one a stop word): still one range, for the pages' titles.
        None => ranges.push((String::new(), 0..0, 0)),
    }
    ranges.into_iter().map(|(key, range, _)| (key, range)).collect()
}

/// Whether a range may end before the group with this prefix (see [`pack`]).
fn is_anchor(prefix: &str) -> bool {
    let mut hash = FNV_OFFSET;
    fnv1a(&mut hash, prefix.as_bytes());
    hash >> 63 == 1
}

/// Groups `keys[..]` (which start at index `offset` of the whole list) by their first `depth`
/// characters, splitting a group bigger than `max` one character deeper.
fn split(
    keys: &[(&str, usize)],
    offset: usize,
    depth: usize,
    max: usize,
    out: &mut Vec<(String, std::ops::Range<usize>, usize)>,
) {
    let mut start = 0;
    while start < keys.len() {
        let key = prefix(keys[start].0, depth);
        let end = start
            + keys[start..]
                .iter()
                .take_while(|(k, _)| prefix(k, depth) == key)
                .count();
        let size: usize = keys[start..end].iter().map(|(_, s)| s).sum();
        let deeper = keys[start..end].iter().any(|(k, _)| k.chars().count() > depth);
        if size > max && deeper && end - start > 1 {
            split(&keys[start..end], offset + start, depth + 1, max, out);
        } else {
            out.push((key.to_string(), offset + start..offset + end, size));
        }
        start = end;
    }
}

/// The range (by its index in `boundaries`) that `key` falls in.
pub fn range_of(boundaries: &[String], key: &str) -> usize {
    boundaries.partition_point(|b| b.as_str() <= key).saturating_sub(1)
}

/// FNV-1a: a stable 64-bit hash for content-addressed names (not for security).
pub fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
