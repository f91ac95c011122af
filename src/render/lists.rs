//! Generated lists that grow with the site, split so that no page of them grows past what a
//! phone on a slow connection loads (`[lists] page_size`): a facet value's page continues on
//! numbered pages (`/settings/community/2/`), and an A to Z of more entries than a page holds
//! becomes an index of letters with a page per letter (`/a-z/m/`, then `/a-z/m/2/`).

use serde::Serialize;

use crate::config::Config;
use crate::content::{Content, Target};
use crate::slug::{UniqueIds, slugify};

/// How many pages a list of `len` entries takes: at least one, so an empty list has its page.
pub fn page_count(len: usize, page_size: usize) -> usize {
    len.div_ceil(page_size.max(1)).max(1)
}

/// The folder of page `number` (1-based) of a list whose first page is at `base`.
pub fn numbered_path(base: &str, number: usize) -> String {
    match number {
        0 | 1 => base.to_string(),
        n => format!("{base}{n}/"),
    }
}

/// The entries of page `number` (1-based).
pub fn page_of<T>(entries: &[T], page_size: usize, number: usize) -> &[T] {
    let size = page_size.max(1);
    let start = number.saturating_sub(1).saturating_mul(size).min(entries.len());
    &entries[start..(start + size).min(entries.len())]
}

/// Where one page of a list is among its pages, for `partials/pagination.html`.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// This page, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub of: usize,
    /// Entries in the whole list.
    pub total: usize,
    /// The place in the whole list of this page's first and last entries, from 1.
    pub first_entry: usize,
    pub last_entry: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageNumber>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// Page `number` of a list of `total` entries whose first page is at the folder `base`.
    pub fn new(config: &Config, base: &str, total: usize, number: usize) -> Pagination {
        let size = config.lists.page_size.max(1);
        let of = page_count(total, size);
        let number = number.clamp(1, of);
        let url = |n: usize| config.base_url.link(&numbered_path(base, n));
        let first_entry = ((number - 1) * size + 1).min(total);
        Pagination {
            number,
            of,
            total,
            first_entry,
            last_entry: (number * size).min(total),
            previous: (number > 1).then(|| url(number - 1)),
            next: (number < of).then(|| url(number + 1)),
            pages: (1..=of)
                .map(|n| PageNumber {
                    number: n,
                    url: url(n),
                    current: n == number,
                })
                .collect(),
        }
    }
}

/// The pages and sections (but the home page) whose titles start with one letter.
#[derive(Debug, Clone)]
pub struct LetterGroup {
    /// As shown: "A", or "#" for titles that do not start with a letter.
    pub letter: String,
    /// For its heading's id and its page's folder: "a", or "other"; unique in the index.
    pub id: String,
    /// In title order.
    pub entries: Vec<Target>,
}

/// The A to Z's letter and id for a title: its first letter upper-cased, or "#".
pub fn letter_of(title: &str) -> (String, String) {
    match title.chars().find(|c| !c.is_whitespace()) {
        Some(first) if first.is_alphabetic() => {
            let upper: String = first.to_uppercase().collect();
            let id = slugify(&upper);
            (upper, id)
        }
        _ => ("#".to_string(), "other".to_string()),
    }
}

/// Every page and section but the home page, by title, grouped by first letter; titles not
/// starting with a letter last.
pub fn a_to_z(content: &Content) -> Vec<LetterGroup> {
    let pages = content.pages.iter().enumerate().map(|(i, p)| (p, Target::Page(i)));
    let titled = pages
        .map(|(p, target)| (p.meta.title.as_str(), p.path.as_str(), target))
        .chain(
            content
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.parent.is_some())
                .map(|(i, s)| (s.meta.title.as_str(), s.path.as_str(), Target::Section(i))),
        );
    let mut entries: Vec<(String, &str, &str, Target)> = titled
        .map(|(title, path, target)| (title.to_lowercase(), title, path, target))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(b.2)));
    let mut groups: Vec<LetterGroup> = Vec::new();
    for (_, title, _, target) in entries {
        let (letter, id) = letter_of(title);
        match groups.iter_mut().find(|g| g.letter == letter) {
            Some(group) => group.entries.push(target),
            None => groups.push(LetterGroup {
                letter,
                id,
                entries: vec![target],
            }),
        }
    }
    groups.sort_by(|a, b| {
        (a.id == "other")
            .cmp(&(b.id == "other"))
            .then_with(|| a.letter.cmp(&b.letter))
    });
    // Two letters may make one slug ("L" and "Ł" both give "l"): each gets its own id.
    let mut ids = UniqueIds::default();
    for group in &mut groups {
        group.id = ids.claim(if group.id.is_empty() { "letter" } else { &group.id });
    }
    groups
}

/// The folder of a letter's first page in a split A to Z.
pub fn letter_path(id: &str) -> String {
    format!("{}{id}/", super::A_TO_Z_PATH)
}

/// Whether the A to Z is split into a page per letter: it holds more than a page's entries
/// (every page, and every section but the home page).
pub fn a_to_z_is_split(config: &Config, content: &Content) -> bool {
    let sections = content.sections.iter().filter(|s| s.parent.is_some()).count();
    content.pages.len() + sections > config.lists.page_size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_pages_of_the_size_with_one_page_at_least() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        let entries: Vec<usize> = (0..25).collect();
        assert_eq!(page_of(&entries, 10, 1), &entries[..10]);
        assert_eq!(page_of(&entries, 10, 3), &entries[20..]);
        assert!(page_of(&entries, 10, 4).is_empty());
        assert_eq!(numbered_path("a-z/m/", 1), "a-z/m/");
        assert_eq!(numbered_path("a-z/m/", 2), "a-z/m/2/");
    }

    #[test]
    fn letters_are_upper_cased_and_anything_else_is_other() {
        assert_eq!(letter_of("  methadone"), ("M".to_string(), "m".to_string()));
        assert_eq!(letter_of("12 steps"), ("#".to_string(), "other".to_string()));
        assert_eq!(letter_of(""), ("#".to_string(), "other".to_string()));
    }
}
