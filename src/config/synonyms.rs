//! Readers' words: `[search.synonyms]` (one way), `[search] synonym_groups` (every way) and
//! `[glossary.also]` (words that find a glossary term), resolved into one list of pairs
//! "the reader types this, pages say that". Only what needs no tokenizer is checked here;
//! `search::synonyms` checks stop words and words no page uses.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;

use super::limits::{SYNONYM_CHARS, SYNONYM_LIST, SYNONYM_PAIRS, SYNONYM_WORDS};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};

/// Words as written: a key and its list.
pub type WrittenMap = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

/// One reader's word or phrase and a page word or phrase it also finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonym {
    /// What the reader types, as written.
    pub from: String,
    /// What pages say, as written.
    pub to: String,
    /// Where each was written in site.toml.
    pub from_at: Location,
    pub to_at: Location,
    pub kind: Kind,
}

/// Where a pair was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `[search.synonyms]`.
    OneWay,
    /// The Nth of `[search] synonym_groups`: any word of it finds the others.
    Group(usize),
    /// `[glossary.also]`: `to` must be a glossary term.
    Glossary,
}

/// What to resolve: the three places readers' words are written.
pub struct Written<'a> {
    pub synonyms: &'a WrittenMap,
    pub groups: &'a [Spanned<Vec<Spanned<String>>>],
    pub also: &'a WrittenMap,
}

/// The pairs, in the order written, after the checks a TOML text allows.
pub(super) fn resolve(text: &str, written: Written<'_>, file: &Path, out: &mut Diagnostics) -> Vec<Synonym> {
    let mut check = Check { text, file, out };
    let mut pairs = Vec::new();
    for (setting, map, kind) in [
        ("[search.synonyms]", written.synonyms, Kind::OneWay),
        ("[glossary.also]", written.also, Kind::Glossary),
    ] {
        for (key, list) in map {
            let key_ok = check.phrase(setting, key);
            check.length(setting, key, list.len(), *SYNONYM_LIST.start());
            for word in list {
                if check.phrase(setting, word) && key_ok && !check.same(setting, key, word) {
                    // Pages use the key; the reader types the words listed.
                    pairs.push(check.pair(word, key, kind));
                }
            }
        }
    }
    for (n, group) in written.groups.iter().enumerate() {
        let setting = "[search] synonym_groups";
        check.group_length(group);
        let ok: Vec<&Spanned<String>> = group.get_ref().iter().filter(|w| check.phrase(setting, w)).collect();
        for (i, a) in ok.iter().enumerate() {
            for b in &ok[i + 1..] {
                if !check.same(setting, a, b) {
                    pairs.push(check.pair(a, b, Kind::Group(n)));
                    pairs.push(check.pair(b, a, Kind::Group(n)));
                }
            }
        }
    }
    if !SYNONYM_PAIRS.contains(&pairs.len()) {
        check.out.push(
            Diagnostic::error(
                file,
                format!("readers' words make {} pairs, which is too many", pairs.len()),
            )
            .code(Code::ConfigOutOfRange)
            .with_hint(format!(
                "keep [search.synonyms], synonym_groups and [glossary.also] to at most {} pairs \
                     (a group of n words makes n×(n−1)); every pair is in the search manifest",
                SYNONYM_PAIRS.end()
            )),
        );
    }
    pairs
}

/// Lowercase, with runs of spaces as one: how two written words are compared here.
pub fn normalise(word: &str) -> String {
    word.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

struct Check<'a, 'o> {
    text: &'a str,
    file: &'a Path,
    out: &'o mut Diagnostics,
}

impl Check<'_, '_> {
    fn error(&mut self, code: Code, at: usize, message: String, hint: &str) {
        self.out.push(
            Diagnostic::error(self.file, message)
                .code(code)
                .at(self.text, at)
                .with_hint(hint.to_string()),
        );
    }

    /// Whether a word or phrase is neither empty nor over-long.
    fn phrase(&mut self, setting: &str, word: &Spanned<String>) -> bool {
        let at = word.span().start;
        let written = word.get_ref();
        if written.trim().is_empty() {
            let hint = "write a word or phrase, or remove the empty string";
            self.error(
                Code::ConfigInvalidValue,
                at,
                format!("{setting} has an empty word"),
                hint,
            );
            return false;
        }
        let words = written.split_whitespace().count();
        if written.chars().count() > SYNONYM_CHARS || words > SYNONYM_WORDS {
            let hint = format!("use at most {SYNONYM_WORDS} words and {SYNONYM_CHARS} characters");
            let message = format!("{setting} has `{written}`, which is too long");
            self.error(Code::ConfigOutOfRange, at, message, &hint);
            return false;
        }
        true
    }

    /// Whether `a` and `b` are one word; that is an error.
    fn same(&mut self, setting: &str, a: &Spanned<String>, b: &Spanned<String>) -> bool {
        let same = normalise(a.get_ref()) == normalise(b.get_ref());
        if same {
            let message = format!("{setting} maps `{}` to itself", b.get_ref());
            let hint = "remove it: a word always finds itself";
            self.error(Code::ConfigInvalidValue, b.span().start, message, hint);
        }
        same
    }

    fn length(&mut self, setting: &str, key: &Spanned<String>, len: usize, least: usize) {
        if !(least..=*SYNONYM_LIST.end()).contains(&len) {
            let message = format!("{setting} lists {len} words for `{}`", key.get_ref());
            let hint = format!("list from {least} to {} words", SYNONYM_LIST.end());
            self.error(Code::ConfigOutOfRange, key.span().start, message, &hint);
        }
    }

    fn group_length(&mut self, group: &Spanned<Vec<Spanned<String>>>) {
        let len = group.get_ref().len();
        if !(2..=*SYNONYM_LIST.end()).contains(&len) {
            let message = format!("[search] synonym_groups has a group of {len} words");
            let hint = format!(
                "a group lists from 2 to {} words that mean the same",
                SYNONYM_LIST.end()
            );
            self.error(Code::ConfigOutOfRange, group.span().start, message, &hint);
        }
    }

    fn pair(&self, from: &Spanned<String>, to: &Spanned<String>, kind: Kind) -> Synonym {
        Synonym {
            from: from.get_ref().trim().to_string(),
            to: to.get_ref().trim().to_string(),
            from_at: Location::of_offset(self.text, from.span().start),
            to_at: Location::of_offset(self.text, to.span().start),
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::synonyms::Kind;
    use crate::config::{Overrides, parse};
    use crate::diagnostics::Code;

    fn site(extra: &str) -> String {
        format!("title = \"x\"\n{extra}")
    }

    /// The first error's code and line.
    fn first_error(extra: &str) -> (Code, usize, String) {
        let errors = parse(Path::new("."), &site(extra), &Overrides::default()).expect_err("an error");
        let d = errors.sorted().remove(0);
        (d.code, d.location.map_or(0, |l| l.line), d.message)
    }

    #[test]
    fn one_way_groups_and_glossary_words_become_pairs() {
        let text = site(
            "[search]\nsynonym_groups = [[\"naloxone\", \"Narcan\"]]\n\
             [search.synonyms]\nheroin = [\"gear\", \"cold turkey\"]\n\
             [glossary.also]\nNaloxone = [\"nalox\"]\n",
        );
        let config = parse(Path::new("."), &text, &Overrides::default()).expect("valid");
        let pairs: Vec<(&str, &str, Kind, usize)> = config
            .synonyms
            .iter()
            .map(|p| (p.from.as_str(), p.to.as_str(), p.kind, p.from_at.line))
            .collect();
        assert_eq!(
            pairs,
            [
                ("gear", "heroin", Kind::OneWay, 5),
                ("cold turkey", "heroin", Kind::OneWay, 5),
                ("nalox", "Naloxone", Kind::Glossary, 7),
                ("naloxone", "Narcan", Kind::Group(0), 3),
                ("Narcan", "naloxone", Kind::Group(0), 3),
            ]
        );
    }

    #[test]
    fn empty_words_are_errors_at_their_line() {
        let (code, line, _) = first_error("[search.synonyms]\nheroin = [\"gear\",\n  \" \"]\n");
        assert_eq!((code, line), (Code::ConfigInvalidValue, 4));
        let (code, line, _) = first_error("[search.synonyms]\n\"\" = [\"gear\"]\n");
        assert_eq!((code, line), (Code::ConfigInvalidValue, 3));
    }

    #[test]
    fn a_word_mapped_to_itself_is_an_error() {
        let (code, line, message) = first_error("[search.synonyms]\nheroin = [\"gear\", \"Heroin\"]\n");
        assert_eq!((code, line), (Code::ConfigInvalidValue, 3));
        assert!(message.contains("to itself"), "{message}");
        let (code, _, _) = first_error("[search]\nsynonym_groups = [[\"a b\", \"A  b\"]]\n");
        assert_eq!(code, Code::ConfigInvalidValue);
    }

    #[test]
    fn over_long_lists_groups_and_phrases_are_out_of_range() {
        let many: Vec<String> = (0..31).map(|i| format!("\"w{i}\"")).collect();
        let (code, line, _) = first_error(&format!("[search.synonyms]\nheroin = [{}]\n", many.join(",")));
        assert_eq!((code, line), (Code::ConfigOutOfRange, 3));
        let (code, _, _) = first_error("[search.synonyms]\nheroin = []\n");
        assert_eq!(code, Code::ConfigOutOfRange);
        let (code, _, _) = first_error("[search]\nsynonym_groups = [[\"alone\"]]\n");
        assert_eq!(code, Code::ConfigOutOfRange);
        let (code, _, _) = first_error("[search.synonyms]\nheroin = [\"one two three four five six\"]\n");
        assert_eq!(code, Code::ConfigOutOfRange);
    }

    #[test]
    fn too_many_pairs_in_all_is_out_of_range() {
        // Five groups of 23 words make 5 × 23 × 22 = 2,530 pairs.
        let group = |g: usize| {
            let words: Vec<String> = (0..23).map(|i| format!("\"g{g}w{i}\"")).collect();
            format!("[{}]", words.join(","))
        };
        let text = format!(
            "[search]\nsynonym_groups = [{}, {}, {}, {}, {}]\n",
            group(0),
            group(1),
            group(2),
            group(3),
            group(4)
        );
        let (code, _, message) = first_error(&text);
        assert_eq!(code, Code::ConfigOutOfRange);
        assert!(message.contains("pairs"), "{message}");
    }
}
