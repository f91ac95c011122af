//! Stop words in titles. A query made only of stop words ("what is it") has nothing else to
//! find pages by, so a stop word is indexed where it is in a title, in the title field only.
//! It does not count in the title's length, so no other word's score changes, and the browser
//! looks for stop words only when a query has no other word (docs/search.md, "Stop words").

use super::{Interner, Scratch, TITLE};

impl Scratch {
    /// Counts the stop word `word` of a title.
    pub(super) fn count_title_stop_word(&mut self, interner: &Interner, word: &str) {
        let id = interner.id(word);
        let slot = id as usize;
        if slot >= self.counts.len() {
            self.counts.resize(slot + 1, [0; 4]);
        }
        if self.counts[slot] == [0; 4] {
            self.touched.push(id);
        }
        self.counts[slot][TITLE] = self.counts[slot][TITLE].saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_stop_word_is_counted_in_the_title_only() {
        let interner = Interner::default();
        let mut scratch = Scratch::default();
        scratch.count_title_stop_word(&interner, "what");
        scratch.count_title_stop_word(&interner, "what");
        let id = interner.id("what");
        assert_eq!(scratch.take(), vec![(id, [2, 0, 0, 0])]);
    }
}
