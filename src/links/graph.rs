//! The link graph: backlinks ("pages that link here") and related pages ranked by the facet
//! values they share.

use std::collections::BTreeMap;

use rayon::prelude::*;

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

/// Each page's related list: what its front matter names, then the pages sharing the most
/// facet values (a shared treatment type counts double), up to `count` in all.
pub fn related(content: &Content, explicit: Vec<Vec<Target>>, count: usize) -> Vec<Vec<Target>> {
    // An inverted index keeps this near-linear: only pages that share a value are scored.
    let mut postings: BTreeMap<(Facet, &str), Vec<usize>> = BTreeMap::new();
    for (i, page) in content.pages.iter().enumerate() {
        for facet in Facet::ALL {
            for value in page.meta.facet_values(facet) {
                postings.entry((facet, value)).or_default().push(i);
            }
        }
    }
    // Ties go to the page that comes first by title: rank every page once, so that ranking
    // compares integers rather than strings.
    let mut by_title: Vec<usize> = (0..content.pages.len()).collect();
    let titles: Vec<String> = content.pages.iter().map(|p| p.meta.title.to_lowercase()).collect();
    by_title.sort_by(|&a, &b| {
        titles[a]
            .cmp(&titles[b])
            .then_with(|| content.pages[a].key.cmp(&content.pages[b].key))
    });
    let mut title_rank = vec![0usize; content.pages.len()];
    for (rank, &page) in by_title.iter().enumerate() {
        title_rank[page] = rank;
    }
    explicit
        .into_par_iter()
        .enumerate()
        .map_init(
            || (vec![0u32; content.pages.len()], Vec::new()),
            |(scores, touched), (i, mut list)| {
                list.dedup();
                // What an editor listed is always kept; ranking only fills the remaining places.
                if list.len() >= count {
                    return list;
                }
                let page = &content.pages[i];
                for facet in Facet::ALL {
                    let weight = if facet == Facet::TreatmentType { 2 } else { 1 };
                    for value in page.meta.facet_values(facet) {
                        for &other in postings.get(&(facet, value)).map_or(&[][..], Vec::as_slice) {
                            if scores[other] == 0 {
                                touched.push(other);
                            }
                            scores[other] += weight;
                        }
                    }
                }
                let mut ranked: Vec<(u32, usize)> = Vec::with_capacity(touched.len());
                for o in touched.drain(..) {
                    let score = std::mem::take(&mut scores[o]);
                    if o != i && !list.contains(&Target::Page(o)) {
                        ranked.push((score, o));
                    }
                }
                let order =
                    |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(title_rank[a.1].cmp(&title_rank[b.1]));
                let wanted = count - list.len();
                if ranked.len() > wanted {
                    ranked.select_nth_unstable_by(wanted, order);
                    ranked.truncate(wanted);
                }
                ranked.sort_by(order);
                list.extend(ranked.into_iter().map(|(_, o)| Target::Page(o)));
                list
            },
        )
        .collect()
}
