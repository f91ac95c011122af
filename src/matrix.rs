//! Matrix: the comparison tables, one row per guidance page and one column per configured
//! field, as data for the compare page and as `matrix.json` and `matrix.csv`.
//!
//! Uses `config`, `content` and `links`. Pure: returns data, rendering and writing are later.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, MatrixConfig, MatrixField};
use crate::content::{Content, Page};
use crate::slug::slugify;

mod parts;
mod spreadsheet;

pub use parts::Part;

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Site-relative path of the compare page ("compare/").
    pub path: String,
    pub title: String,
    pub description: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The facet filters: each facet shown in a column, with the values rows use.
    pub filters: Vec<Filter>,
    /// Where `matrix.csv` and `matrix.json`, the whole table, are: `path` but on a part's page.
    pub data_path: String,
    /// Rows in the whole table (`rows` has only a part's on a part's page, none on an index).
    pub row_count: usize,
    /// The pages of a table split for its length; empty when it is one page.
    pub parts: Vec<Part>,
    /// On a part's page: the index page listing every part.
    pub index: Option<IndexLink>,
}

/// The index page of a split table, as its parts link to it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexLink {
    pub path: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub field: &'static str,
    pub label: String,
    /// "facet" (links to facet pages), "list" or "text".
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Stable within the matrix: the page's slug, or its section and slug when two pages
    /// share a slug.
    pub id: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    /// One per column, in column order.
    pub cells: Vec<RowCell>,
}

/// A cell with its column, so templates need not index the columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RowCell {
    pub field: &'static str,
    pub label: String,
    pub kind: &'static str,
    /// Facet values (kind "facet").
    pub values: Vec<FacetCellValue>,
    /// List items (kind "list").
    pub items: Vec<String>,
    /// Text (kind "text").
    pub text: String,
}

/// A row as `matrix.json` has it: id, title, url, summary and one field per column, keys in
/// sorted order (the file's stable shape), serialised straight from the row.
struct RowJson<'a>(&'a Row);

impl Serialize for RowJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct IdLabel<'a> {
            id: &'a str,
            label: &'a str,
        }
        enum Field<'a> {
            Text(&'a str),
            Items(&'a [String]),
            Values(&'a [FacetCellValue]),
        }
        let row = self.0;
        let mut fields: Vec<(&str, Field<'_>)> = vec![
            ("id", Field::Text(&row.id)),
            ("title", Field::Text(&row.title)),
            ("url", Field::Text(&row.url)),
            ("summary", Field::Text(&row.summary)),
        ];
        fields.extend(row.cells.iter().map(|cell| {
            let field = match cell.kind {
                "facet" => Field::Values(&cell.values),
                "list" => Field::Items(&cell.items),
                _ => Field::Text(&cell.text),
            };
            (cell.field, field)
        }));
        // Sorted by key; of two fields with one key, the later one counts.
        fields.reverse();
        fields.sort_by_key(|(key, _)| *key);
        fields.dedup_by_key(|(key, _)| *key);
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (key, field) in fields {
            match field {
                Field::Text(text) => map.serialize_entry(key, text)?,
                Field::Items(items) => map.serialize_entry(key, items)?,
                Field::Values(values) => {
                    let values: Vec<IdLabel<'_>> = values
                        .iter()
                        .map(|v| IdLabel {
                            id: &v.id,
                            label: &v.label,
                        })
                        .collect();
                    map.serialize_entry(key, &values)?
                }
            }
        }
        map.end()
    }
}

/// What one cell holds, before it is laid out.
#[derive(Debug, Clone)]
enum Cell {
    Facet(Vec<FacetCellValue>),
    List(Vec<String>),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FacetCellValue {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub field: &'static str,
    pub label: String,
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterValue {
    pub id: String,
    pub label: String,
    /// How many rows carry this value.
    pub count: usize,
}

pub fn build(config: &Config, content: &Content) -> Vec<Matrix> {
    config.matrices.iter().map(|m| build_one(config, content, m)).collect()
}

/// The guidance pages that are a table's rows, in row order (by title).
fn row_pages<'c>(content: &'c Content, matrix: &MatrixConfig) -> Vec<&'c Page> {
    let sections: Vec<String> = matrix
        .sections
        .iter()
        .map(|s| s.trim_matches('/').to_string())
        .collect();
    let mut pages: Vec<&Page> = content
        .pages
        .iter()
        .filter(|p| {
            let section = &content.sections[p.section];
            section.meta.guidance
                && (sections.is_empty() || sections.iter().any(|s| p.key.starts_with(&format!("{s}/"))))
        })
        .collect();
    pages.sort_by_cached_key(|p| (p.meta.title.to_lowercase(), p.key.clone()));
    pages
}

/// Makes a page's row again in every table that has one, after an edit to its text that left
/// its place among the titles and its facet values as they were (`serve`).
pub fn update_row(config: &Config, content: &Content, matrices: &mut [Matrix], index: usize) {
    let page = &content.pages[index];
    let url = config.base_url.link(&page.path);
    for (matrix, settings) in matrices.iter_mut().zip(&config.matrices) {
        if let Some(row) = matrix.rows.iter_mut().find(|row| row.url == url) {
            row.title.clone_from(&page.meta.title);
            row.summary.clone_from(&page.meta.summary);
            row.cells = row_cells(config, page, settings);
        }
    }
}

fn row_cells(config: &Config, page: &Page, matrix: &MatrixConfig) -> Vec<RowCell> {
    matrix
        .columns
        .iter()
        .map(|c| row_cell(cell(config, page, c.field), c.field, &c.label))
        .collect()
}

fn build_one(config: &Config, content: &Content, matrix: &MatrixConfig) -> Matrix {
    let pages = row_pages(content, matrix);
    let ids = row_ids(&pages);
    let rows = pages
        .par_iter()
        .zip(ids)
        .map(|(page, id)| Row {
            id,
            title: page.meta.title.clone(),
            url: config.base_url.link(&page.path),
            summary: page.meta.summary.clone(),
            cells: row_cells(config, page, matrix),
        })
        .collect::<Vec<_>>();

    let filters = matrix
        .columns
        .iter()
        .filter_map(|column| {
            let facet = column.field.facet()?;
            let values = config
                .vocabularies
                .get(facet)
                .values
                .iter()
                .map(|v| FilterValue {
                    id: v.id.clone(),
                    label: v.label.clone(),
                    count: pages
                        .par_iter()
                        .filter(|p| p.meta.facet_values(facet).contains(&v.id))
                        .count(),
                })
                .filter(|v| v.count > 0)
                .collect::<Vec<_>>();
            (!values.is_empty()).then(|| Filter {
                field: column.field.key(),
                label: column.label.clone(),
                values,
            })
        })
        .collect();

    Matrix {
        rows,
        filters,
        ..outline(config, content, matrix, &pages)
    }
}

/// Every table without its rows and filters: where it is, what it is called and the pages
/// it is split into, which is all that links to it need (a one-off build makes the rows
/// after the pages).
pub fn outlines(config: &Config, content: &Content) -> Vec<Matrix> {
    config
        .matrices
        .iter()
        .map(|m| outline(config, content, m, &row_pages(content, m)))
        .collect()
}

fn outline(config: &Config, content: &Content, matrix: &MatrixConfig, pages: &[&Page]) -> Matrix {
    let path = format!("{}/", slugify(&matrix.path));
    Matrix {
        parts: parts::split(config, content, &path, pages, matrix.page_size),
        data_path: path.clone(),
        row_count: pages.len(),
        index: None,
        path,
        title: matrix.title.clone(),
        description: matrix.description.clone(),
        columns: matrix
            .columns
            .iter()
            .map(|c| Column {
                field: c.field.key(),
                label: c.label.clone(),
                kind: column_kind(c.field),
            })
            .collect(),
        rows: Vec::new(),
        filters: Vec::new(),
    }
}

/// Slugs, made unique by prefixing the section where two pages share one.
fn row_ids(pages: &[&Page]) -> Vec<String> {
    let slug = |p: &Page| {
        p.path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let mut seen = BTreeSet::new();
    let duplicates: BTreeSet<String> = pages
        .iter()
        .map(|p| slug(p))
        .filter(|s| !seen.insert(s.clone()))
        .collect();
    pages
        .iter()
        .map(|p| {
            let s = slug(p);
            if duplicates.contains(&s) {
                p.path.trim_end_matches('/').replace('/', "-")
            } else {
                s
            }
        })
        .collect()
}

fn column_kind(field: MatrixField) -> &'static str {
    match field {
        f if f.facet().is_some() => "facet",
        MatrixField::Suits | MatrixField::NotSuited | MatrixField::Pros | MatrixField::Cons | MatrixField::Sources => {
            "list"
        }
        _ => "text",
    }
}

fn row_cell(cell: Cell, field: MatrixField, label: &str) -> RowCell {
    let mut row_cell = RowCell {
        field: field.key(),
        label: label.to_string(),
        kind: column_kind(field),
        values: Vec::new(),
        items: Vec::new(),
        text: String::new(),
    };
    match cell {
        Cell::Facet(values) => row_cell.values = values,
        Cell::List(items) => row_cell.items = items,
        Cell::Text(text) => row_cell.text = text,
    }
    row_cell
}

fn cell(config: &Config, page: &Page, field: MatrixField) -> Cell {
    let meta = &page.meta;
    if let Some(facet) = field.facet() {
        let vocabulary = config.vocabularies.get(facet);
        return Cell::Facet(
            meta.facet_values(facet)
                .iter()
                .filter_map(|id| vocabulary.value(id))
                .map(|v| FacetCellValue {
                    id: v.id.clone(),
                    label: v.label.clone(),
                    url: config.base_url.link(&config.vocabularies.value_path(facet, &v.id)),
                })
                .collect(),
        );
    }
    match field {
        MatrixField::Summary => Cell::Text(meta.summary.clone()),
        MatrixField::Duration => Cell::Text(meta.duration.clone().unwrap_or_default()),
        MatrixField::LastReviewed => Cell::Text(meta.last_reviewed.map(|d| d.iso()).unwrap_or_default()),
        MatrixField::Suits => Cell::List(meta.suits.clone()),
        MatrixField::NotSuited => Cell::List(meta.not_suited.clone()),
        MatrixField::Pros => Cell::List(meta.pros.clone()),
        MatrixField::Cons => Cell::List(meta.cons.clone()),
        MatrixField::Sources => Cell::List(
            meta.sources
                .iter()
                .filter_map(|id| config.source(id))
                .map(|s| s.title.clone())
                .collect(),
        ),
        _ => Cell::Text(String::new()),
    }
}

impl Matrix {
    /// `matrix.json`: the documented, stable shape (docs/matrix.md).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Export<'a> {
            title: &'a str,
            description: &'a str,
            columns: &'a [Column],
            rows: Vec<RowJson<'a>>,
        }
        let export = Export {
            title: &self.title,
            description: &self.description,
            columns: &self.columns,
            rows: self.rows.iter().map(RowJson).collect(),
        };
        let mut json = serde_json::to_string_pretty(&export).unwrap_or_default();
        json.push('\n');
        json
    }

    /// `matrix.csv`: id, title, url, then one column per configured column; lists and facet
    /// values joined with "; ".
    pub fn to_csv(&self) -> String {
        let header: Vec<String> = ["id", "title", "url"]
            .into_iter()
            .map(String::from)
            .chain(self.columns.iter().map(|c| c.field.to_string()))
            .collect();
        let mut rows = vec![header];
        for row in &self.rows {
            let mut fields = vec![row.id.clone(), row.title.clone(), row.url.clone()];
            fields.extend(row.cells.iter().map(|cell| {
                match cell.kind {
                    "facet" => cell
                        .values
                        .iter()
                        .map(|v| v.label.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    "list" => cell.items.join("; "),
                    _ => cell.text.clone(),
                }
            }));
            rows.push(fields);
        }
        spreadsheet::csv(&rows)
    }
}
