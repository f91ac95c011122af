//! Which `[[rules]]` apply to a page, and which snippets the page includes itself.

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::Options;

use super::include::{Includes, SNIPPET};
use super::shortcode;
use crate::config::{Config, Place, Rule};
use crate::content::{Content, Meta};
use crate::diagnostics::{Code, Diagnostic, Location};

/// The rules that apply to one page.
#[derive(Debug, Default, PartialEq)]
pub struct Placement<'c> {
    pub top: Vec<&'c Rule>,
    pub bottom: Vec<&'c Rule>,
    /// Rules whose snippet the page must include itself.
    pub required: Vec<&'c Rule>,
}

impl Placement<'_> {
    pub fn is_empty(&self) -> bool {
        self.top.is_empty() && self.bottom.is_empty() && self.required.is_empty()
    }
}

/// The rules that apply to a page in content folder `dir` ("medication", "" at the top).
pub fn placement<'c>(config: &'c Config, dir: &str, meta: &Meta) -> Placement<'c> {
    let mut placement = Placement::default();
    for rule in config.rules.iter().filter(|r| r.matches(dir, |f| meta.facet_values(f))) {
        match (rule.require, rule.place) {
            (true, _) => placement.required.push(rule),
            (false, Place::Top) => placement.top.push(rule),
            (false, Place::Bottom) => placement.bottom.push(rule),
        }
    }
    placement
}

/// The snippets a page's markdown includes, directly or through the snippets it includes.
pub fn included_by_hand(body: &str, includes: &Includes<'_>, options: Options) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut to_read = vec![body];
    while let Some(text) = to_read.pop() {
        let Ok(Some(scan)) = shortcode::scan(text, options) else {
            continue;
        };
        for call in scan.calls.iter().filter(|c| c.name == SNIPPET) {
            let Some(id) = call
                .args
                .iter()
                .find(|(n, _, _)| n == "id")
                .and_then(|(_, v, _)| v.as_str())
            else {
                continue;
            };
            if found.insert(id.to_string())
                && let Some(snippet) = includes.snippets.get(id)
            {
                to_read.push(snippet.file.body());
            }
        }
    }
    found
}

/// The error for a page that a `require` rule applies to but that lacks its snippet.
pub fn missing(config: &Config, page: &Path, rule: &Rule) -> Diagnostic {
    let line = Location::of_offset(&config.text, rule.offset).line;
    Diagnostic::error(
        page,
        format!(
            "this page must include the snippet `{}`: a rule in site.toml (line {line}) requires it of {}",
            rule.snippet,
            rule.describe()
        ),
    )
    .code(Code::RuleNotFollowed)
    .with_hint(format!(
        "add {{{{ snippet(id=\"{}\") }}}} on a line of its own where it belongs on the page",
        rule.snippet
    ))
}

/// How many pages each rule in site.toml applies to, in the rules' order.
pub fn pages_per_rule(config: &Config, content: &Content) -> Vec<usize> {
    config
        .rules
        .iter()
        .map(|rule| {
            content
                .pages
                .iter()
                .filter(|p| rule.matches(p.dir(), |f| p.meta.facet_values(f)))
                .count()
        })
        .collect()
}

/// A warning for each rule that applies to no page: its snippet is shown nowhere.
pub fn unused_rules(config: &Config, content: &Content) -> Vec<Diagnostic> {
    config
        .rules
        .iter()
        .zip(pages_per_rule(config, content))
        .filter(|(_, pages)| *pages == 0)
        .map(|(rule, _)| {
            Diagnostic::warning(
                crate::config::CONFIG_FILE,
                format!("the rule for the snippet `{}` matches no page", rule.snippet),
            )
            .code(Code::RuleMatchesNothing)
            .at(&config.text, rule.offset)
            .with_hint(format!(
                "it applies to {}: check the values and the folder against the pages' front matter",
                rule.describe()
            ))
        })
        .collect()
}
