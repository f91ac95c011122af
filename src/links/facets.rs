//! Facets: which pages carry each vocabulary value, for the facet pages and their counts.

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config, Facet};
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic};

/// One facet's values that some page uses, in vocabulary order, each with its pages sorted
/// by title.
#[derive(Debug, Clone)]
pub struct FacetPages {
    pub facet: Facet,
    pub values: Vec<(String, Vec<usize>)>,
}

pub fn index(config: &Config, content: &Content) -> (Vec<FacetPages>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    // Each title lowered once, not twice per comparison; keys are unique, so the order is
    // the same whatever the sort.
    let mut by_title: Vec<(String, &str, usize)> = content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| (page.meta.title.to_lowercase(), page.key.as_str(), i))
        .collect();
    by_title.par_sort_unstable();
    let by_title: Vec<usize> = by_title.into_iter().map(|(_, _, i)| i).collect();
    let facets = Facet::ALL
        .into_iter()
        .map(|facet| {
            let mut values = Vec::new();
            for value in &config.vocabularies.get(facet).values {
                let pages: Vec<usize> = by_title
                    .iter()
                    .copied()
                    .filter(|&p| content.pages[p].meta.facet_values(facet).contains(&value.id))
                    .collect();
                if pages.is_empty() {
                    warnings.push(
                        config.diagnostic_at(
                            Diagnostic::warning(
                                CONFIG_FILE,
                                format!(
                                    "the `{}` value `{}` is not used by any page, so it gets no page",
                                    facet.key(),
                                    value.id
                                ),
                            )
                            .code(Code::UnusedVocabularyValue)
                            .with_hint("use it on a page, or remove it from the vocabulary"),
                            &format!("\"{}\"", value.id),
                        ),
                    );
                } else {
                    values.push((value.id.clone(), pages));
                }
            }
            FacetPages { facet, values }
        })
        .collect();
    (facets, warnings)
}
