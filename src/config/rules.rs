//! `[[rules]]`: a snippet put on, or required of, every page that matches, so that a safety
//! message can never be forgotten on a page that needs it.

use serde::Deserialize;
use toml::Spanned;

use super::{CONFIG_FILE, Facet, Vocabularies};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};

/// One rule as written in site.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    /// The snippet's id: its file under content/_snippets/ without `.md`.
    snippet: String,
    /// Which pages: facet values (any of the values listed for a facet; every facet listed must
    /// match) and/or a content folder. Left out, every page matches.
    #[serde(default, rename = "where")]
    matching: RawWhere,
    /// Where the snippet goes on a page that does not include it itself.
    #[serde(default)]
    place: Place,
    /// Instead of placing the snippet, make it an error for a matching page not to include it.
    #[serde(default)]
    require: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhere {
    treatment_type: Option<OneOrMany>,
    settings: Option<OneOrMany>,
    substances: Option<OneOrMany>,
    access: Option<OneOrMany>,
    /// A folder under content/ ("medication", "services/local"): its pages and its subfolders'.
    section: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(value) => vec![value],
            OneOrMany::Many(values) => values,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    #[default]
    Top,
    Bottom,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub snippet: String,
    /// Each facet named, with the values any one of which matches.
    pub facets: Vec<(Facet, Vec<String>)>,
    /// A content folder, without slashes at either end.
    pub section: Option<String>,
    pub place: Place,
    pub require: bool,
    /// Where the rule is written in site.toml, for messages.
    pub offset: usize,
}

impl Rule {
    /// Whether a page in content folder `dir` ("medication/opioids", "" at the top) with these
    /// facet values matches.
    pub fn matches<'v>(&self, dir: &str, values: impl Fn(Facet) -> &'v [String]) -> bool {
        let in_section = self.section.as_deref().is_none_or(|section| {
            section.is_empty() || dir == section || dir.strip_prefix(section).is_some_and(|rest| rest.starts_with('/'))
        });
        in_section
            && self
                .facets
                .iter()
                .all(|(facet, wanted)| values(*facet).iter().any(|v| wanted.contains(v)))
    }

    /// "pages with substances = opioids in medication/", for messages.
    pub fn describe(&self) -> String {
        let facets: Vec<String> = self
            .facets
            .iter()
            .map(|(facet, values)| format!("{} = {}", facet.key(), values.join(" or ")))
            .collect();
        let mut out = "pages".to_string();
        if !facets.is_empty() {
            out.push_str(&format!(" with {}", facets.join(" and ")));
        }
        match &self.section {
            Some(section) if !section.is_empty() => out.push_str(&format!(" in {section}/")),
            _ if facets.is_empty() => out = "every page".to_string(),
            _ => {}
        }
        out
    }
}

/// Checks each rule's facet values against the vocabularies.
pub(super) fn resolve(
    text: &str,
    raw: Vec<Spanned<RawRule>>,
    vocabularies: &Vocabularies,
    diagnostics: &mut Diagnostics,
) -> Vec<Rule> {
    raw.into_iter()
        .map(|spanned| {
            let offset = spanned.span().start;
            let rule = spanned.into_inner();
            let written = [
                (Facet::TreatmentType, rule.matching.treatment_type),
                (Facet::Settings, rule.matching.settings),
                (Facet::Substances, rule.matching.substances),
                (Facet::Access, rule.matching.access),
            ];
            let mut facets = Vec::new();
            for (facet, values) in written {
                let Some(values) = values.map(OneOrMany::into_vec) else {
                    continue;
                };
                let vocabulary = vocabularies.get(facet);
                for value in &values {
                    if vocabulary.value(value).is_none() {
                        diagnostics.push(
                            Diagnostic::error(
                                CONFIG_FILE,
                                format!("[[rules]] names `{value}`, which is not a value of `{}`", facet.key()),
                            )
                            .code(Code::UnknownVocabularyValue)
                            .at(text, offset)
                            .with_optional_hint(
                                closest(value, vocabulary.ids())
                                    .map(|best| format!("did you mean `{best}`?"))
                                    .or_else(|| {
                                        Some(format!(
                                            "its values: {}",
                                            vocabulary.ids().collect::<Vec<_>>().join(", ")
                                        ))
                                    }),
                            ),
                        );
                    }
                }
                facets.push((facet, values));
            }
            Rule {
                snippet: rule.snippet,
                facets,
                section: rule.matching.section.map(|s| s.trim_matches('/').to_string()),
                place: rule.place,
                require: rule.require,
                offset,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(section: Option<&str>, facets: Vec<(Facet, Vec<String>)>) -> Rule {
        Rule {
            snippet: "s".into(),
            facets,
            section: section.map(str::to_string),
            place: Place::Top,
            require: false,
            offset: 0,
        }
    }

    #[test]
    fn a_rule_matches_any_value_of_every_facet_it_names_within_its_section() {
        let opioids = vec!["opioids".to_string()];
        let alcohol = vec!["alcohol".to_string()];
        let none: Vec<String> = Vec::new();
        let by_substance = rule(None, vec![(Facet::Substances, vec!["opioids".into(), "crack".into()])]);
        assert!(by_substance.matches("any", |f| if f == Facet::Substances {
            opioids.as_slice()
        } else {
            &[]
        }));
        assert!(!by_substance.matches("any", |f| if f == Facet::Substances {
            alcohol.as_slice()
        } else {
            &[]
        }));
        let in_medication = rule(Some("medication"), Vec::new());
        assert!(in_medication.matches("medication", |_| none.as_slice()));
        assert!(in_medication.matches("medication/opioids", |_| none.as_slice()));
        assert!(!in_medication.matches("medications", |_| none.as_slice()));
        assert!(rule(None, Vec::new()).matches("", |_| none.as_slice()));
    }
}
