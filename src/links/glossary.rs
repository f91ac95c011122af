//! Glossary links: the first mention of each glossary term on a page links to its entry.
//!
//! Terms are the `##` headings of the configured glossary page. Matching is case-insensitive,
//! on whole words, longest term first, and never inside headings, links, code or the glossary
//! page itself.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use memchr::memchr;

/// A term to link and where its entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Lowercase (ASCII) form used for matching.
    pub matcher: String,
    pub url: String,
}

/// The terms, longest first, and one automaton that finds them all in a single pass over a
/// text (a search per term per text was most of the links stage).
pub struct Terms {
    list: Vec<Term>,
    finder: Option<AhoCorasick>,
}

impl Terms {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Terms sorted longest first, so "opioid substitution treatment" wins over "opioid".
pub fn terms(headings: impl IntoIterator<Item = (String, String)>, skip: &[String]) -> Terms {
    let skip: Vec<String> = skip.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
    let mut terms: Vec<Term> = headings
        .into_iter()
        .map(|(title, url)| Term {
            matcher: title.trim().to_ascii_lowercase(),
            url,
        })
        .filter(|t| !t.matcher.is_empty() && !skip.contains(&t.matcher))
        .collect();
    terms.sort_by(|a, b| {
        b.matcher
            .len()
            .cmp(&a.matcher.len())
            .then_with(|| a.matcher.cmp(&b.matcher))
    });
    terms.dedup_by(|a, b| a.matcher == b.matcher);
    // Terms are a page's headings: a few dozen short strings, well inside the automaton's
    // limits, and small enough for a DFA, the fastest kind to search every page's text with.
    let finder = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(terms.iter().map(|t| &t.matcher))
        .ok();
    Terms { list: terms, finder }
}

/// Elements whose text is never linked.
const SKIPPED: [&str; 11] = [
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style",
];

/// Links the first mention of each term in `html`.
pub fn link_terms(html: &str, terms: &Terms) -> String {
    let Some(finder) = terms.finder.as_ref().filter(|_| !terms.is_empty()) else {
        return html.to_string();
    };
    let mut linked = vec![false; terms.list.len()];
    let mut unlinked = terms.list.len();
    let mut out = String::with_capacity(html.len() + 256);
    let mut skip_depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = memchr(b'>', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            let name = tag_name(tag);
            if !name.is_empty() && SKIPPED.iter().any(|skipped| name.eq_ignore_ascii_case(skipped)) {
                if tag.starts_with("</") {
                    skip_depth = skip_depth.saturating_sub(1);
                } else if !tag.ends_with("/>") {
                    skip_depth += 1;
                }
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
        let text = &rest[..end];
        if skip_depth == 0 && unlinked > 0 {
            unlinked -= link_in_text(text, &terms.list, finder, &mut linked, &mut out);
        } else {
            out.push_str(text);
        }
        rest = &rest[end..];
    }
    // Every page's HTML is held until the templates: no slack from the buffer's growth.
    out.shrink_to_fit();
    out
}

/// The element name of a tag, as written ("" for a comment or a stray `<`).
fn tag_name(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    &inner[..end]
}

/// Writes `text` with its first mentions of unlinked terms linked; how many it linked.
fn link_in_text(text: &str, terms: &[Term], finder: &AhoCorasick, linked: &mut [bool], out: &mut String) -> usize {
    // Most text mentions no term: a plain search says so faster than the overlapping one.
    if !finder.is_match(text) {
        out.push_str(text);
        return 0;
    }
    let mut count = 0;
    // Every whole-word mention of an unlinked term, by place and then by term (longest first).
    let mut mentions: Vec<(usize, usize)> = finder
        .find_overlapping_iter(text)
        .filter(|m| !linked[m.pattern().as_usize()] && is_whole_word(text, m.start(), m.end()))
        .map(|m| (m.start(), m.pattern().as_usize()))
        .collect();
    mentions.sort_unstable();
    let mut position = 0;
    for (at, i) in mentions {
        // The earliest mention of a term not yet linked that starts after the last link.
        if at < position || linked[i] {
            continue;
        }
        let end = at + terms[i].matcher.len();
        out.push_str(&text[position..at]);
        out.push_str("<a class=\"glossary-term\" href=\"");
        out.push_str(&terms[i].url);
        out.push_str("\">");
        out.push_str(&text[at..end]);
        out.push_str("</a>");
        linked[i] = true;
        count += 1;
        position = end;
    }
    out.push_str(&text[position..]);
    count
}

/// Whether `text[start..end]` is a whole word: no letter, digit or hyphen on either side.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
    boundary(text[..start].chars().next_back()) && boundary(text[end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_list(words: &[&str]) -> Terms {
        terms(words.iter().map(|w| (w.to_string(), format!("/g/#{w}"))), &[])
    }

    #[test]
    fn links_only_the_first_whole_word_mention() {
        let html = "<p>Detox, then detox again. Detoxification is longer.</p>";
        let out = link_terms(html, &term_list(&["detox"]));
        assert_eq!(
            out,
            "<p><a class=\"glossary-term\" href=\"/g/#detox\">Detox</a>, then detox again. Detoxification is longer.</p>"
        );
    }

    #[test]
    fn never_inside_headings_links_or_code() {
        let html = "<h2 id=\"x\">Detox</h2><p><a href=\"/\">detox</a> <code>detox</code> and detox.</p>";
        let out = link_terms(html, &term_list(&["detox"]));
        assert!(out.contains("<h2 id=\"x\">Detox</h2>"));
        assert!(out.contains("<a href=\"/\">detox</a> <code>detox</code> and <a class=\"glossary-term\""));
    }

    #[test]
    fn longest_term_wins() {
        let out = link_terms(
            "<p>opioid substitution treatment</p>",
            &term_list(&["opioid", "opioid substitution treatment"]),
        );
        assert!(out.contains("href=\"/g/#opioid substitution treatment\">opioid substitution treatment</a>"));
        assert_eq!(out.matches("<a ").count(), 1);
    }

    #[test]
    fn skipped_terms_are_not_linked() {
        let t = terms(
            [("Abstinence".to_string(), "/g/".to_string())],
            &["abstinence".to_string()],
        );
        assert!(t.is_empty());
    }
}
