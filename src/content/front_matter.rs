//! Front matter: the TOML between `+++` lines, read strictly and checked against the
//! configuration (vocabularies, source ids, dates).

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::alias::{self, Alias};
use crate::config::{Config, Facet};
pub use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Location, closest, hint_for_serde_message};

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML text, without the `+++` lines ("" when the file has none).
    pub front_matter: &'a str,
    /// Byte offset of the TOML text in the file.
    pub front_matter_start: usize,
    /// Byte offset of the markdown body in the file.
    pub body_start: usize,
    pub has_front_matter: bool,
}

/// Finds the `+++` block at the top of `text`.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String, &'static str)> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = text[..first_line_end].trim_end();
    if first_line != "+++" {
        if first_line == "---" {
            return Err((
                0,
                "front matter must be TOML between `+++` lines".to_string(),
                "replace the `---` lines with `+++` and write the fields as TOML (key = \"value\")",
            ));
        }
        return Ok(Split {
            front_matter: "",
            front_matter_start: 0,
            body_start: 0,
            has_front_matter: false,
        });
    }
    let mut line_start = first_line_end;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i + 1);
        if text[line_start..line_end].trim_end() == "+++" {
            return Ok(Split {
                front_matter: &text[first_line_end..line_start],
                front_matter_start: first_line_end,
                body_start: line_end,
                has_front_matter: true,
            });
        }
        line_start = line_end;
    }
    Err((
        0,
        "the front matter opened here is never closed".to_string(),
        "add a line with only `+++` after the last front-matter field",
    ))
}

/// Front matter as written. Pages and sections share it; `_index.md`-only keys are checked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    weight: Option<Spanned<i64>>,
    draft: Option<bool>,
    slug: Option<Spanned<String>>,
    template: Option<String>,
    // Section-only.
    guidance: Option<Spanned<bool>>,
    sort_by: Option<Spanned<SortBy>>,
    page_template: Option<Spanned<String>>,
    // Guidance.
    treatment_type: Option<Spanned<String>>,
    settings: Option<Vec<Spanned<String>>>,
    substances: Option<Vec<Spanned<String>>>,
    access: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pros: Vec<String>,
    #[serde(default)]
    cons: Vec<String>,
    #[serde(default)]
    suits: Vec<String>,
    #[serde(default)]
    not_suited: Vec<String>,
    duration: Option<String>,
    sources: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    last_reviewed: Option<Spanned<Date>>,
    next_review: Option<Spanned<Date>>,
    about_source: Option<Spanned<String>>,
    #[serde(default)]
    differences: Vec<RawDifference>,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDifference {
    topic: String,
    views: Vec<RawView>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawView {
    source: Spanned<String>,
    view: String,
}

/// How a section lists its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Weight,
    Title,
}

/// A link written in front matter (`related`), with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLink {
    pub target: String,
    /// Byte offset in the file.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub topic: String,
    pub views: Vec<View>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    pub source: String,
    pub view: String,
}

/// Checked front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: String,
    pub summary: String,
    pub weight: i64,
    pub draft: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    pub guidance: bool,
    pub sort_by: SortBy,
    pub page_template: Option<String>,
    pub treatment_type: Option<String>,
    pub settings: Vec<String>,
    pub substances: Vec<String>,
    pub access: Vec<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub suits: Vec<String>,
    pub not_suited: Vec<String>,
    pub duration: Option<String>,
    pub sources: Vec<String>,
    pub related: Vec<WrittenLink>,
    /// Old URLs that redirect here.
    pub aliases: Vec<Alias>,
    pub last_reviewed: Option<Date>,
    pub next_review: Option<Date>,
    pub about_source: Option<String>,
    pub differences: Vec<Difference>,
    pub extra: toml::Table,
}

impl Meta {
    /// The page's value ids for a facet (no allocation: this is asked for every page often).
    pub fn facet_values(&self, facet: Facet) -> &[String] {
        match facet {
            Facet::TreatmentType => self.treatment_type.as_slice(),
            Facet::Settings => &self.settings,
            Facet::Substances => &self.substances,
            Facet::Access => &self.access,
        }
    }
}

/// What kind of file the front matter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Section,
    Page,
    GuidancePage,
}

/// Parses and checks one file's front matter. `text` is the whole file (offsets in the
/// diagnostics are counted from its start); `file` is its path for display.
pub fn parse(text: &str, split: &Split<'_>, file: &Path, kind: Kind, config: &Config) -> Result<Meta, Vec<Diagnostic>> {
    let base = split.front_matter_start;
    let raw: RawFrontMatter = if split.has_front_matter {
        toml::from_str(split.front_matter).map_err(|e| {
            let mut d = Diagnostic::error(file, e.message().trim_end().to_string())
                .code(Code::for_toml_message(e.message(), false))
                .with_optional_hint(hint_for_serde_message(e.message()));
            d = d.at(text, base + e.span().map_or(0, |s| s.start));
            vec![d]
        })?
    } else {
        RawFrontMatter::default()
    };
    let mut checker = Checker {
        text,
        base,
        file,
        config,
        errors: Vec::new(),
    };
    let meta = checker.check(raw, kind, split);
    if checker.errors.is_empty() {
        Ok(meta)
    } else {
        Err(checker.errors)
    }
}

struct Checker<'a> {
    text: &'a str,
    base: usize,
    file: &'a Path,
    config: &'a Config,
    errors: Vec<Diagnostic>,
}

/// A page's `weight` only orders it among its neighbours, so a small range is plenty; outside
/// it, arithmetic in templates could overflow.
pub const WEIGHT: std::ops::RangeInclusive<i64> = -1_000_000..=1_000_000;

impl Checker<'_> {
    fn weight(&mut self, weight: Spanned<i64>) -> i64 {
        let value = *weight.get_ref();
        if WEIGHT.contains(&value) {
            return value;
        }
        self.error_at(
            Code::FrontMatterOutOfRange,
            weight.span().start,
            format!("weight {value} is out of range"),
            Some(format!(
                "use a whole number from {} to {}; only the order of the weights counts",
                WEIGHT.start(),
                WEIGHT.end()
            )),
        );
        0
    }

    fn error_at(&mut self, code: Code, offset_in_front_matter: usize, message: String, hint: Option<String>) {
        self.errors.push(
            Diagnostic::error(self.file, message)
                .code(code)
                .at(self.text, self.base + offset_in_front_matter)
                .with_optional_hint(hint),
        );
    }

    fn check(&mut self, raw: RawFrontMatter, kind: Kind, split: &Split<'_>) -> Meta {
        let top = 0;
        if kind != Kind::Section {
            for (name, span) in [
                ("guidance", raw.guidance.as_ref().map(|s| s.span())),
                ("sort_by", raw.sort_by.as_ref().map(|s| s.span())),
                ("page_template", raw.page_template.as_ref().map(|s| s.span())),
            ] {
                if let Some(span) = span {
                    self.error_at(
                        Code::MisplacedKey,
                        span.start,
                        format!("`{name}` belongs in a section's _index.md, not in a page"),
                        Some("move it to the _index.md of this page's folder".to_string()),
                    );
                }
            }
        }
        let title = match raw.title {
            Some(title) if !title.trim().is_empty() => title,
            _ if kind == Kind::Section => String::new(),
            _ => {
                let message = if split.has_front_matter {
                    "missing required field `title`"
                } else {
                    "the page has no front matter, so it has no title"
                };
                self.error_at(
                    Code::MissingField,
                    top,
                    message.to_string(),
                    Some("start the file with:\n    +++\n    title = \"The page's title\"\n    +++".to_string()),
                );
                String::new()
            }
        };
        let summary = raw.summary.or(raw.description).unwrap_or_default();
        if kind == Kind::GuidancePage {
            self.require_guidance_fields(&raw_presence(
                &summary,
                &raw.treatment_type,
                &raw.sources,
                &raw.last_reviewed,
                &raw.next_review,
            ));
        }

        let treatment_type = raw
            .treatment_type
            .map(|value| self.vocabulary_value(Facet::TreatmentType, value));
        let settings = self.vocabulary_values(Facet::Settings, raw.settings);
        let substances = self.vocabulary_values(Facet::Substances, raw.substances);
        let access = self.vocabulary_values(Facet::Access, raw.access);
        let sources = raw
            .sources
            .unwrap_or_default()
            .into_iter()
            .map(|id| self.source_id("sources", id))
            .collect();
        let about_source = raw.about_source.map(|id| self.source_id("about_source", id));
        let differences = raw
            .differences
            .into_iter()
            .map(|d| Difference {
                topic: d.topic,
                views: d
                    .views
                    .into_iter()
                    .map(|v| View {
                        source: self.source_id("differences.views.source", v.source),
                        view: v.view,
                    })
                    .collect(),
            })
            .collect();
        if let (Some(last), Some(next)) = (&raw.last_reviewed, &raw.next_review)
            && next.get_ref() < last.get_ref()
        {
            self.error_at(
                Code::ReviewDatesOutOfOrder,
                next.span().start,
                format!(
                    "next_review ({}) is before last_reviewed ({})",
                    next.get_ref().iso(),
                    last.get_ref().iso()
                ),
                Some("the next review must come after the last one".to_string()),
            );
        }
        let related = raw
            .related
            .into_iter()
            .map(|link| WrittenLink {
                offset: self.base + link.span().start,
                target: link.into_inner(),
            })
            .collect();
        let aliases = self.aliases(raw.aliases);
        let slug = raw.slug.and_then(|slug| {
            let cleaned = crate::slug::slugify(slug.get_ref());
            if cleaned.is_empty() {
                self.error_at(
                    Code::InvalidSlug,
                    slug.span().start,
                    format!("slug `{}` has no letters or digits", slug.get_ref()),
                    None,
                );
                None
            } else {
                Some(cleaned)
            }
        });

        let weight = raw.weight.map_or(0, |weight| self.weight(weight));
        Meta {
            title,
            summary,
            weight,
            draft: raw.draft.unwrap_or(false),
            slug,
            template: raw.template,
            guidance: raw.guidance.is_some_and(|g| g.into_inner()),
            sort_by: raw.sort_by.map(Spanned::into_inner).unwrap_or_default(),
            page_template: raw.page_template.map(Spanned::into_inner),
            treatment_type,
            settings,
            substances,
            access,
            pros: raw.pros,
            cons: raw.cons,
            suits: raw.suits,
            not_suited: raw.not_suited,
            duration: raw.duration,
            sources,
            related,
            aliases,
            last_reviewed: raw.last_reviewed.map(Spanned::into_inner),
            next_review: raw.next_review.map(Spanned::into_inner),
            about_source,
            differences,
            extra: raw.extra,
        }
    }

    /// Each alias checked and normalised; one written twice in a file is kept once.
    fn aliases(&mut self, written: Vec<Spanned<String>>) -> Vec<Alias> {
        let mut aliases: Vec<Alias> = Vec::new();
        for value in written {
            match alias::normalise(value.get_ref()) {
                Ok(path) if aliases.iter().any(|a| a.path == path) => {}
                Ok(path) => aliases.push(Alias {
                    path,
                    location: Location::of_offset(self.text, self.base + value.span().start),
                }),
                Err(why) => self.error_at(
                    Code::InvalidAlias,
                    value.span().start,
                    format!("invalid alias `{}`: {why}", value.get_ref().escape_debug()),
                    Some(
                        "write the old URL's path from the site's root, such as \"/old/path/\", without the base path"
                            .to_string(),
                    ),
                ),
            }
        }
        aliases
    }

    fn require_guidance_fields(&mut self, missing: &[&'static str]) {
        for field in missing {
            self.error_at(
                Code::MissingField,
                0,
                format!("guidance page is missing required field `{field}`"),
                Some(format!(
                    "guidance pages need {}; see docs/reference.md",
                    GUIDANCE_REQUIRED.join(", ")
                )),
            );
        }
    }

    fn vocabulary_value(&mut self, facet: Facet, value: Spanned<String>) -> String {
        let vocabulary = self.config.vocabularies.get(facet);
        if vocabulary.value(value.get_ref()).is_none() {
            let allowed: Vec<&str> = vocabulary.ids().collect();
            let hint = match closest(value.get_ref(), allowed.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? allowed values: {}", allowed.join(", ")),
                None if allowed.is_empty() => format!(
                    "site.toml has no [vocabularies.{}] values yet; add this one there",
                    facet.key()
                ),
                None => format!("allowed values: {}", allowed.join(", ")),
            };
            self.error_at(
                Code::UnknownVocabularyValue,
                value.span().start,
                format!("`{}` is not a value of `{}`", value.get_ref(), facet.key()),
                Some(hint),
            );
        }
        value.into_inner()
    }

    fn vocabulary_values(&mut self, facet: Facet, values: Option<Vec<Spanned<String>>>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for value in values.unwrap_or_default() {
            let value = self.vocabulary_value(facet, value);
            if !out.contains(&value) {
                out.push(value);
            }
        }
        out
    }

    fn source_id(&mut self, field: &str, id: Spanned<String>) -> String {
        if self.config.source(id.get_ref()).is_none() {
            self.error_at(
                Code::UnknownSource,
                id.span().start,
                format!("`{field}` names an unknown source `{}`", id.get_ref()),
                Some(unknown_source_hint(self.config, id.get_ref())),
            );
        }
        id.into_inner()
    }
}

/// The hint for a source id site.toml does not list: the nearest id, or all of them.
pub fn unknown_source_hint(config: &Config, id: &str) -> String {
    let known: Vec<&str> = config.sources.iter().map(|s| s.id.as_str()).collect();
    match closest(id, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known sources (from site.toml [[sources]]): {}", known.join(", ")),
    }
}

const GUIDANCE_REQUIRED: [&str; 6] = [
    "summary",
    "treatment_type",
    "sources",
    "last_reviewed",
    "next_review",
    "title",
];

fn raw_presence(
    summary: &str,
    treatment_type: &Option<Spanned<String>>,
    sources: &Option<Vec<Spanned<String>>>,
    last_reviewed: &Option<Spanned<Date>>,
    next_review: &Option<Spanned<Date>>,
) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if summary.trim().is_empty() {
        missing.push("summary");
    }
    if treatment_type.is_none() {
        missing.push("treatment_type");
    }
    if sources.as_ref().is_none_or(Vec::is_empty) {
        missing.push("sources");
    }
    if last_reviewed.is_none() {
        missing.push("last_reviewed");
    }
    if next_review.is_none() {
        missing.push("next_review");
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_block_with_crlf() {
        let text = "+++\r\ntitle = \"a\"\r\n+++\r\nbody";
        let s = split(text).expect("split");
        assert_eq!(s.front_matter, "title = \"a\"\r\n");
        assert_eq!(&text[s.body_start..], "body");
    }

    #[test]
    fn split_reports_an_unclosed_block() {
        assert!(split("+++\ntitle = \"a\"\n").is_err());
        assert!(split("---\ntitle: a\n---\n").is_err());
        assert!(!split("just text").expect("no front matter").has_front_matter);
    }
}
