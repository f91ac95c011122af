//! The link graph: backlinks ("pages that link here") and related pages ranked by the facet
//! values they share.

use std::collections::BTreeMap;

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
    let mut scores = vec![0u32; content.pages.len()];
    let mut touched = Vec::new();
    explicit
        .into_iter()
        .enumerate()
        .map(|(i, mut list)| {
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
            ranked.sort_by(|a, b| {
                b.0.cmp(&a.0).then_with(|| {
                    let (pa, pb) = (&content.pages[a.1], &content.pages[b.1]);
                    pa.meta
                        .title
                        .to_lowercase()
                        .cmp(&pb.meta.title.to_lowercase())
                        .then_with(|| pa.key.cmp(&pb.key))
                })
            });
            list.extend(
                ranked
                    .into_iter()
                    .take(count - list.len())
                    .map(|(_, o)| Target::Page(o)),
            );
            list
        })
        .collect()
}
