//! The link graph: backlinks ("pages that link here") and related pages ranked by the facet
//! values they share.

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Facet;
use crate::content::{Content, Target};

/// For each page, the pages and sections whose text links to it, in site order.
pub fn backlinks(content: &Content, page_targets: &[Vec<Target>], section_targets: &[Vec<Target>]) -> Vec<Vec<Target>> {
    let mut backlinks: Vec<Vec<Target>> = vec![Vec::new(); content.pages.len()];
    let sources = page_targets
        .iter()
        .enumerate()
        .map(|(i, t)| (Target::Page(i), t))
        .chain(section_targets.iter().enumerate().map(|(i, t)| (Target::Section(i), t)));
    for (from, targets) in sources {
        for target in targets {
            if let Target::Page(to) = *target
                && from != *target
                && !backlinks[to].contains(&from)
            {
                backlinks[to].push(from);
            }
        }
    }
    backlinks
}

/// Brings [`backlinks`] up to date after `from`'s text changed which pages it links to
/// (`before`, `after`); returns the pages whose backlinks changed.
pub fn move_backlinks(
    backlinks: &mut [Vec<Target>],
    from: Target,
    before: &BTreeSet<Target>,
    after: &BTreeSet<Target>,
) -> Vec<usize> {
    // Site order, as `backlinks` lists them: pages, then sections, each by index.
    let order = |t: &Target| match *t {
        Target::Page(i) => (0, i),
        Target::Section(i) => (1, i),
    };
    let mut changed = Vec::new();
    for target in before.symmetric_difference(after) {
        let Target::Page(to) = *target else {
            continue;
        };
        if *target == from {
            continue;
        }
        let list = &mut backlinks[to];
        if after.contains(target) {
            let at = list.iter().position(|t| order(t) > order(&from)).unwrap_or(list.len());
            list.insert(at, from);
        } else {
            list.retain(|t| *t != from);
        }
        changed.push(to);
    }
    changed
}

/// Each page's related list: what its front matter names, then the pages sharing the most
/// facet values (a shared treatment type counts double), up to `count` in all; ties go to the
/// page that comes first by title.
///
/// Every page is compared with every other, so this is quadratic, but with a small constant:
/// each facet value is a bitset over pages in title order, a page's scores against all others
/// are sums of a few bitsets kept as bit-sliced counters, and the best pages are read off the
/// counters from the highest score down, in title order.
pub fn related(content: &Content, explicit: Vec<Vec<Target>>, count: usize) -> Vec<Vec<Target>> {
    let ranking = Ranking::new(content);
    explicit
        .into_par_iter()
        .enumerate()
        .map_init(Vec::new, |planes, (i, list)| ranking.list(i, list, count, planes))
        .collect()
}

/// [`related`] again after page `moved` changed place in title order, its facet values and
/// every `related` list as they were (`serve`, after a title edit). Only a list that holds
/// the page, or whose last ranked page ties with it, can change: those are ranked again.
/// Returns the pages whose list changed.
pub fn rerank_moved(
    content: &Content,
    explicit: &[Vec<Target>],
    count: usize,
    related: &mut [Vec<Target>],
    moved: usize,
) -> Vec<usize> {
    let ranking = Ranking::new(content);
    let shared = |a: usize, b: usize| -> u32 {
        let theirs = &ranking.page_values[b];
        ranking.page_values[a]
            .iter()
            .filter(|(value, _)| theirs.iter().any(|(v, _)| v == value))
            .map(|&(_, weight)| weight)
            .sum()
    };
    let mut planes = Vec::new();
    let mut changed = Vec::new();
    for (i, listed) in explicit.iter().enumerate() {
        let list = &related[i];
        let holds = list.contains(&Target::Page(moved));
        // How many places the editor's own list takes (repeats written together count once).
        let listed_places = listed.len() - listed.windows(2).filter(|w| w[0] == w[1]).count();
        let ties_last = || {
            let last = match list.last() {
                Some(Target::Page(last)) if list.len() == count && listed_places < count => *last,
                _ => return false,
            };
            let score = shared(i, moved);
            score > 0 && !listed.contains(&Target::Page(last)) && score == shared(i, last)
        };
        if i == moved || !(holds || ties_last()) {
            continue;
        }
        let again = ranking.list(i, listed.clone(), count, &mut planes);
        if again != related[i] {
            related[i] = again;
            changed.push(i);
        }
    }
    changed
}

/// Facet values as bitsets over pages in title order, for ranking related pages.
struct Ranking {
    /// Per facet value, the pages having it (bit = title rank).
    bitsets: Vec<Vec<u64>>,
    /// Per page, its values and their weights.
    page_values: Vec<Vec<(usize, u32)>>,
    /// Page index by title rank.
    by_title: Vec<usize>,
    words: usize,
}

impl Ranking {
    fn new(content: &Content) -> Ranking {
        let n = content.pages.len();
        // Title order: bit `r` of every bitset is the page ranked `r` by title.
        let titles: Vec<String> = content.pages.iter().map(|p| p.meta.title.to_lowercase()).collect();
        let mut by_title: Vec<usize> = (0..n).collect();
        by_title.sort_by(|&a, &b| {
            titles[a]
                .cmp(&titles[b])
                .then_with(|| content.pages[a].key.cmp(&content.pages[b].key))
        });
        let words = n.div_ceil(64);
        // Each used facet value's pages, and each page's values with their weights.
        // Ids are given in title order, so they do not depend on the map's order.
        let mut value_ids: FxHashMap<(Facet, &str), usize> = FxHashMap::default();
        let mut bitsets: Vec<Vec<u64>> = Vec::new();
        let mut page_values: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
        for (rank, &page) in by_title.iter().enumerate() {
            for facet in Facet::ALL {
                let weight = if facet == Facet::TreatmentType { 2 } else { 1 };
                for value in content.pages[page].meta.facet_values(facet) {
                    let id = *value_ids.entry((facet, value.as_str())).or_insert_with(|| {
                        bitsets.push(vec![0; words]);
                        bitsets.len() - 1
                    });
                    if bitsets[id][rank / 64] & (1 << (rank % 64)) == 0 {
                        bitsets[id][rank / 64] |= 1 << (rank % 64);
                        page_values[page].push((id, weight));
                    }
                }
            }
        }
        Ranking {
            bitsets,
            page_values,
            by_title,
            words,
        }
    }

    /// Page `i`'s related list: what its front matter names (`list`), then the best ranked.
    fn list(&self, i: usize, mut list: Vec<Target>, count: usize, planes: &mut Vec<u64>) -> Vec<Target> {
        list.dedup();
        // What an editor listed is always kept; ranking only fills the remaining places.
        if list.len() < count {
            let scorer = Scorer {
                bitsets: &self.bitsets,
                page_values: &self.page_values,
                by_title: &self.by_title,
                words: self.words,
            };
            let ranked = scorer.best(i, &list, count - list.len(), planes);
            list.extend(ranked.into_iter().map(Target::Page));
        }
        list
    }
}

struct Scorer<'a> {
    /// Per facet value, the pages having it (bit = title rank).
    bitsets: &'a [Vec<u64>],
    /// Per page, its values and their weights.
    page_values: &'a [Vec<(usize, u32)>],
    /// Page index by title rank.
    by_title: &'a [usize],
    words: usize,
}

impl Scorer<'_> {
    /// The `wanted` pages sharing most with page `i`, best first and then by title, leaving
    /// out `i` itself and the pages already `listed`. `planes` is reused scratch space.
    fn best(&self, i: usize, listed: &[Target], wanted: usize, planes: &mut Vec<u64>) -> Vec<usize> {
        let values = &self.page_values[i];
        let max: u32 = values.iter().map(|&(_, weight)| weight).sum();
        // Counter bits: plane `p` holds bit `p` of every page's score.
        let bits = (u32::BITS - max.leading_zeros()) as usize;
        let words = self.words;
        planes.clear();
        planes.resize(bits * words, 0);
        for &(value, weight) in values {
            for shift in (0..bits).filter(|&b| weight & (1 << b) != 0) {
                for (w, &set) in self.bitsets[value].iter().enumerate() {
                    let mut carry = set;
                    let mut p = shift;
                    while carry != 0 && p < bits {
                        let plane = &mut planes[p * words + w];
                        let next = *plane & carry;
                        *plane ^= carry;
                        carry = next;
                        p += 1;
                    }
                }
            }
        }
        let mut best = Vec::with_capacity(wanted);
        for score in (1..=max).rev() {
            for w in 0..words {
                let mut equal = !0u64;
                for p in 0..bits {
                    let plane = planes[p * words + w];
                    equal &= if score & (1 << p) != 0 { plane } else { !plane };
                }
                while equal != 0 {
                    let rank = w * 64 + equal.trailing_zeros() as usize;
                    equal &= equal - 1;
                    let Some(&page) = self.by_title.get(rank) else { break };
                    if page != i && !listed.contains(&Target::Page(page)) {
                        best.push(page);
                        if best.len() == wanted {
                            return best;
                        }
                    }
                }
            }
        }
        best
    }
}
