//! Slugs: the URL-safe names made from file names and heading text.

use std::collections::{HashMap, HashSet};

/// Lowercase letters and digits (any script), with every other run of characters turned into
/// one hyphen: "Alcohol & Drugs — A&E" becomes "alcohol-drugs-a-e".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            // Some lowercase forms add a combining mark ("İ" is "i" + U+0307), which is not
            // alphanumeric: keep only the letters, so slugs stay slugs and slugify is idempotent.
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if c == '\'' || c == '\u{2019}' {
            // "What's" reads better as "whats" than "what-s".
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// Ids made unique within one page: the first "a" stays "a", later ones become "a-1", "a-2"…,
/// skipping any id already taken (a heading whose own text is "A 1"). Each base remembers its
/// next suffix, so n repeats cost O(n), not O(n²).
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl UniqueIds {
    /// `base` if it is free, else the first free `base-N`; the result is taken from now on.
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{UniqueIds, slugify};

    #[test]
    fn repeated_ids_are_numbered_in_order_and_never_collide() {
        let mut ids = UniqueIds::default();
        let claimed: Vec<String> = ["a", "a", "a-1", "a", "b", "a-3", "a", "a"]
            .iter()
            .map(|base| ids.claim(base))
            .collect();
        assert_eq!(claimed, ["a", "a-1", "a-1-1", "a-2", "b", "a-3", "a-4", "a-5"]);
    }

    fn check(input: &str, expected: &str) {
        assert_eq!(slugify(input), expected, "slugify({input:?})");
    }

    #[test]
    fn slugs() {
        check("Methadone maintenance", "methadone-maintenance");
        check("  What's  detox? ", "whats-detox");
        check("A&E", "a-e");
        check("12-step (Minnesota) model", "12-step-minnesota-model");
        check("Café niño", "café-niño");
        check("---", "");
        check("Über_Größe", "über-größe");
        check("İstanbul", "istanbul");
    }
}
