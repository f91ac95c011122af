//! Readers' words in the index: the pairs site.toml lists (`config::synonyms`) normalised
//! into the words search.js compares, shipped in the manifest. Synonyms expand the reader's
//! query in the browser, never the index, so the index is the same size with or without them.

use std::collections::{BTreeMap, BTreeSet};

use super::tokenize::{is_stop_word, words};
use crate::config::synonyms::Kind;
use crate::config::{CONFIG_FILE, Config, Synonym};
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::links::{self, Linked};

/// A word or phrase as the browser compares it: its words as the index cuts them, stop words
/// left out (search.js drops them from queries too), joined by single spaces.
pub fn normalise(text: &str) -> String {
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the manifest ships: each reader's word or phrase and the page words it also finds,
/// sorted, each once. Pairs the checks refuse are left out.
pub fn table(config: &Config) -> BTreeMap<String, Vec<String>> {
    let mut table: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for pair in &config.synonyms {
        let (from, to) = (normalise(&pair.from), normalise(&pair.to));
        if !from.is_empty() && !to.is_empty() && from != to {
            table.entry(from).or_default().insert(to);
        }
    }
    table
        .into_iter()
        .map(|(from, to)| (from, to.into_iter().collect()))
        .collect()
}

/// Errors in the pairs that only the index's rules show: a side that is only stop words, a
/// word that is itself once normalised, a `[glossary.also]` key that is no glossary term.
pub fn check(config: &Config, content: &Content, linked: &Linked) -> Diagnostics {
    let mut out = Diagnostics::new();
    if !config.search.enabled {
        return out;
    }
    let terms: Option<BTreeSet<String>> = links::glossary_headings(config, content, linked)
        .map(|headings| headings.iter().map(|h| h.trim().to_lowercase()).collect());
    let mut reported = BTreeSet::new();
    for pair in &config.synonyms {
        for (written, at) in [(&pair.from, &pair.from_at), (&pair.to, &pair.to_at)] {
            if normalise(written).is_empty() && reported.insert((at.line, at.column)) {
                out.push(error(
                    at,
                    format!("`{written}` is only stop words, which search leaves out"),
                    "use the words that carry the meaning, such as \"heroin\" rather than \"the\"",
                ));
            }
        }
        let (from, to) = (normalise(&pair.from), normalise(&pair.to));
        if !from.is_empty() && from == to && reported.insert((pair.from_at.line, pair.from_at.column)) {
            out.push(error(
                &pair.from_at,
                format!("`{}` and `{}` are the same word to search", pair.from, pair.to),
                "remove it: search already ignores case, punctuation and stop words",
            ));
        }
        let known = |t: &BTreeSet<String>| t.contains(&pair.to.trim().to_lowercase());
        if pair.kind == Kind::Glossary
            && !terms.as_ref().is_some_and(known)
            && reported.insert((pair.to_at.line, pair.to_at.column))
        {
            out.push(not_a_term(pair, terms.is_some()));
        }
    }
    out
}

fn not_a_term(pair: &Synonym, has_glossary: bool) -> Diagnostic {
    let hint = if has_glossary {
        "write the term as its `##` heading on the glossary page writes it"
    } else {
        "set [glossary] page to the page whose `##` headings are the terms"
    };
    error(
        &pair.to_at,
        format!("[glossary.also] `{}` is not a glossary term", pair.to),
        hint,
    )
}

fn error(at: &Location, message: String, hint: &str) -> Diagnostic {
    let mut d = Diagnostic::error(CONFIG_FILE, message)
        .code(Code::ConfigInvalidValue)
        .with_hint(hint.to_string());
    d.location = Some(at.clone());
    d
}

/// A warning for each page word or phrase with a word that no indexed page uses (`known`
/// says which are): a reader's word that leads there finds nothing. A group's words are
/// readers' words too, so a group is warned about only when no page uses any of it.
pub(super) fn never_matching(config: &Config, known: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let missing = |text: &str| {
        normalise(text)
            .split(' ')
            .find(|w| !w.is_empty() && !known(w))
            .map(str::to_string)
    };
    let used_groups: BTreeSet<usize> = config
        .synonyms
        .iter()
        .filter_map(|p| match p.kind {
            Kind::Group(n) if missing(&p.to).is_none() => Some(n),
            _ => None,
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for pair in &config.synonyms {
        let Some(missing) = missing(&pair.to) else {
            continue;
        };
        let grouped = matches!(pair.kind, Kind::Group(n) if used_groups.contains(&n));
        if grouped || !seen.insert((pair.to_at.line, pair.to_at.column)) {
            continue;
        }
        let mut d = Diagnostic::warning(
            CONFIG_FILE,
            format!("no page uses `{missing}`, so `{}` can never find a page", pair.to),
        )
        .code(Code::SynonymNeverMatches)
        .with_hint("map readers' words to words the pages use; check the spelling");
        d.location = Some(pair.to_at.clone());
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn words_are_compared_as_the_index_cuts_them() {
        assert_eq!(normalise("Cold-Turkey!"), "cold turkey");
        assert_eq!(normalise("  passed   out "), "passed");
        assert_eq!(normalise("OD'd"), "odd");
        assert_eq!(normalise("the it"), "");
        assert_eq!(normalise("needle and syringe programme"), "needle syringe programme");
    }
}
