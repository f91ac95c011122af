//! Glossary links: the first mention of each glossary term on a page links to its entry.
//!
//! Terms are the `##` headings of the configured glossary page. Matching is case-insensitive,
//! on whole words, longest term first, and never inside headings, links, code or the glossary
//! page itself.

/// A term to link and where its entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Lowercase (ASCII) form used for matching.
    pub matcher: String,
    pub url: String,
}

/// Terms sorted longest first, so "opioid substitution treatment" wins over "opioid".
pub fn terms(headings: impl IntoIterator<Item = (String, String)>, skip: &[String]) -> Vec<Term> {
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
    terms
}

/// Elements whose text is never linked.
const SKIPPED: [&str; 11] = [
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style",
];

/// Links the first mention of each term in `html`.
pub fn link_terms(html: &str, terms: &[Term]) -> String {
    if terms.is_empty() {
        return html.to_string();
    }
    let mut linked = vec![false; terms.len()];
    let mut out = String::with_capacity(html.len() + 256);
    let mut skip_depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            if let Some(name) = tag_name(tag)
                && SKIPPED.contains(&name.as_str())
            {
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
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        if skip_depth == 0 && linked.iter().any(|l| !l) {
            link_in_text(text, terms, &mut linked, &mut out);
        } else {
            out.push_str(text);
        }
        rest = &rest[end..];
    }
    out
}

fn tag_name(tag: &str) -> Option<String> {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

fn link_in_text(text: &str, terms: &[Term], linked: &mut [bool], out: &mut String) {
    let lower = text.to_ascii_lowercase();
    let mut position = 0;
    loop {
        // The earliest mention of any unlinked term; at the same place, the longest.
        let best = terms
            .iter()
            .enumerate()
            .filter(|(i, _)| !linked[*i])
            .filter_map(|(i, term)| find_word(&lower, &term.matcher, position).map(|at| (at, i)))
            .min_by_key(|&(at, i)| (at, i));
        let Some((at, i)) = best else {
            break;
        };
        let end = at + terms[i].matcher.len();
        out.push_str(&text[position..at]);
        out.push_str("<a class=\"glossary-term\" href=\"");
        out.push_str(&terms[i].url);
        out.push_str("\">");
        out.push_str(&text[at..end]);
        out.push_str("</a>");
        linked[i] = true;
        position = end;
    }
    out.push_str(&text[position..]);
}

/// The first whole-word occurrence of `word` in `text` at or after `from`.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(found) = text.get(start..)?.find(word) {
        let at = start + found;
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        start = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_list(words: &[&str]) -> Vec<Term> {
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
