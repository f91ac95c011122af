//! Snippets: markdown written once in `content/_snippets/NAME.md` and included in pages with
//! `{{ snippet(id="NAME") }}` or by a `[[rules]]` entry. A snippet is not a page: it has no
//! URL of its own, and its front matter is optional.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::SourceFile;
use super::front_matter::{self, Date};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, hint_for_serde_message};

/// The folder under content/ that holds snippets.
pub const SNIPPETS_DIR: &str = "_snippets";

#[derive(Debug, Clone)]
pub struct Snippet {
    /// Its path under `_snippets/` without `.md` ("overdose-risk", "alcohol/withdrawal").
    pub id: String,
    /// Shared with the links its markdown makes, so that an error in one points at this file.
    pub file: Arc<SourceFile>,
    pub title: Option<String>,
    /// Sources it draws on, checked against site.toml.
    pub sources: Vec<String>,
    pub last_reviewed: Option<Date>,
}

/// A snippet's front matter as written: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSnippetMeta {
    title: Option<String>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
    last_reviewed: Option<Date>,
}

/// The snippet id of a content key under `_snippets/`, or None for any other file.
pub fn id_of(key: &str) -> Option<&str> {
    key.strip_prefix(SNIPPETS_DIR)?.strip_prefix('/')?.strip_suffix(".md")
}

/// Reads each snippet file's front matter; a snippet with errors is reported and left out.
pub fn read(
    config: &Config,
    files: Vec<(String, SourceFile)>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Snippet> {
    files
        .into_iter()
        .filter_map(|(id, file)| read_one(config, id, file, diagnostics))
        .map(|snippet| (snippet.id.clone(), snippet))
        .collect()
}

fn read_one(config: &Config, id: String, mut file: SourceFile, diagnostics: &mut Diagnostics) -> Option<Snippet> {
    let split = super::split_front_matter(&file, diagnostics)?;
    let raw: RawSnippetMeta = match toml::from_str(split.front_matter) {
        Ok(raw) => raw,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(&file.display, e.message().trim_end().to_string())
                    .code(Code::for_toml_message(e.message(), false))
                    .at(&file.text, split.front_matter_start + e.span().map_or(0, |s| s.start))
                    .with_optional_hint(hint_for_serde_message(e.message()).or_else(|| {
                        Some("a snippet's front matter may set `title`, `sources` and `last_reviewed`".to_string())
                    })),
            );
            return None;
        }
    };
    let mut sources = Vec::new();
    for source in raw.sources {
        if config.source(source.get_ref()).is_none() {
            diagnostics.push(
                Diagnostic::error(
                    &file.display,
                    format!("`sources` names an unknown source `{}`", source.get_ref()),
                )
                .code(Code::UnknownSource)
                .at(&file.text, split.front_matter_start + source.span().start)
                .with_hint(front_matter::unknown_source_hint(config, source.get_ref())),
            );
            continue;
        }
        sources.push(source.into_inner());
    }
    file.body_start = split.body_start;
    Some(Snippet {
        id,
        file: Arc::new(file),
        title: raw.title,
        sources,
        last_reviewed: raw.last_reviewed,
    })
}

#[cfg(test)]
mod tests {
    use super::id_of;

    #[test]
    fn only_markdown_under_the_snippets_folder_is_a_snippet() {
        assert_eq!(id_of("_snippets/overdose-risk.md"), Some("overdose-risk"));
        assert_eq!(id_of("_snippets/alcohol/withdrawal.md"), Some("alcohol/withdrawal"));
        assert_eq!(id_of("_snippetsx/a.md"), None);
        assert_eq!(id_of("treatments/_snippets/a.md"), None);
        assert_eq!(id_of("_snippets/chart.svg"), None);
    }
}
