//! A table too long for one page (more rows than its `page_size`) is split: one page per
//! top-level section its rows are in, each section of more than `page_size` rows over several
//! numbered pages, and an index page at the table's own path listing them all. Rows at the top
//! of the content folder, in no section, are grouped by their first type of help instead.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Filter, FilterValue, IndexLink, Matrix};
use crate::config::{Config, Facet};
use crate::content::{Content, Page};
use crate::slug::slugify;

/// One page of a split table.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// Site-relative path ("compare/treatments/", "compare/treatments/2/").
    pub path: String,
    /// What its rows have in common: the section's title, or the type of help.
    pub group: String,
    /// 1-based, within its group.
    pub number: usize,
    /// How many pages its group has.
    pub of: usize,
    /// Indexes into the table's rows, in title order.
    #[serde(skip)]
    pub rows: Vec<usize>,
}

/// The pages of a table whose rows are `pages` (in title order), or none when they fit on one.
pub fn split(config: &Config, content: &Content, table_path: &str, pages: &[&Page], page_size: usize) -> Vec<Part> {
    let page_size = page_size.max(1);
    if pages.len() <= page_size {
        return Vec::new();
    }
    // Group keys in first-seen order would follow titles; sorted by slug instead, so the
    // index reads alphabetically and the output does not depend on which title comes first.
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (row, page) in pages.iter().enumerate() {
        let (slug, title) = group_of(config, content, page);
        groups.entry(slug).or_insert_with(|| (title, Vec::new())).1.push(row);
    }
    let mut used = BTreeSet::new();
    let mut parts = Vec::new();
    for (slug, (group, rows)) in groups {
        let slug = unique(slug, &mut used);
        let chunks: Vec<&[usize]> = rows.chunks(page_size).collect();
        let of = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let number = i + 1;
            let path = match number {
                1 => format!("{table_path}{slug}/"),
                n => format!("{table_path}{slug}/{n}/"),
            };
            parts.push(Part {
                path,
                group: group.clone(),
                number,
                of,
                rows: chunk.to_vec(),
            });
        }
    }
    parts
}

impl Matrix {
    /// The index page of a split table: everything but the rows.
    pub fn index_page(&self) -> Matrix {
        Matrix {
            rows: Vec::new(),
            filters: Vec::new(),
            ..self.clone_outline()
        }
    }

    /// The page of part `p`: its rows, with the filters counted over them alone.
    pub fn part_page(&self, p: usize) -> Matrix {
        let part = &self.parts[p];
        let rows: Vec<_> = part.rows.iter().filter_map(|&r| self.rows.get(r).cloned()).collect();
        let filters = self
            .filters
            .iter()
            .filter_map(|filter| {
                let values: Vec<FilterValue> = filter
                    .values
                    .iter()
                    .map(|v| FilterValue {
                        count: rows
                            .iter()
                            .filter(|row| {
                                row.cells
                                    .iter()
                                    .any(|c| c.field == filter.field && c.values.iter().any(|cv| cv.id == v.id))
                            })
                            .count(),
                        ..v.clone()
                    })
                    .filter(|v| v.count > 0)
                    .collect();
                (!values.is_empty()).then(|| Filter {
                    values,
                    ..filter.clone()
                })
            })
            .collect();
        let title = match part.of {
            1 => format!("{}: {}", self.title, part.group),
            of => format!("{}: {}, page {} of {of}", self.title, part.group, part.number),
        };
        Matrix {
            path: part.path.clone(),
            title,
            rows,
            filters,
            index: Some(IndexLink {
                path: self.path.clone(),
                title: self.title.clone(),
            }),
            ..self.clone_outline()
        }
    }

    /// A copy without the rows, which may be many.
    fn clone_outline(&self) -> Matrix {
        Matrix {
            path: self.path.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            columns: self.columns.clone(),
            rows: Vec::new(),
            filters: self.filters.clone(),
            data_path: self.data_path.clone(),
            row_count: self.row_count,
            parts: self.parts.clone(),
            index: self.index.clone(),
        }
    }
}

/// A page's group: its top-level section (slug and title), or, for a page in no section,
/// its first type of help.
fn group_of(config: &Config, content: &Content, page: &Page) -> (String, String) {
    let mut at = page.section;
    while let Some(parent) = content.sections[at].parent {
        if content.sections[parent].parent.is_none() {
            let section = &content.sections[at];
            let slug = section.path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            return (slugify(slug), section.meta.title.clone());
        }
        at = parent;
    }
    let vocabulary = config.vocabularies.get(Facet::TreatmentType);
    page.meta
        .facet_values(Facet::TreatmentType)
        .first()
        .map(|id| {
            let label = vocabulary.value(id).map_or(id.as_str(), |v| v.label.as_str());
            (slugify(id), label.to_string())
        })
        .filter(|(slug, _)| !slug.is_empty())
        .unwrap_or_else(|| ("other".to_string(), "Other options".to_string()))
}

/// `slug`, or `slug-2`, `slug-3`… when a group already has it; never a bare number, which
/// would read as a page of another group.
fn unique(slug: String, used: &mut BTreeSet<String>) -> String {
    let base = match slug.is_empty() || slug.chars().all(|c| c.is_ascii_digit()) {
        true => format!("group-{slug}").trim_end_matches('-').to_string(),
        false => slug,
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::unique;
    use std::collections::BTreeSet;

    #[test]
    fn group_slugs_are_unique_and_never_a_page_number() {
        let mut used = BTreeSet::new();
        assert_eq!(unique("a".into(), &mut used), "a");
        assert_eq!(unique("a".into(), &mut used), "a-2");
        assert_eq!(unique("2".into(), &mut used), "group-2");
        assert_eq!(unique(String::new(), &mut used), "group");
    }
}
