//! The content folders site.toml names (`[search] sections`, `[[matrix]] sections`): one that
//! holds no page is an error at the value, with the nearest folder that does, rather than a
//! search index or a comparison table left silently empty by a typo.

use std::collections::BTreeSet;

use crate::config::{CONFIG_FILE, Config};
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, closest};

pub fn check(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let folders = folders(content);
    let named = config
        .search
        .sections
        .iter()
        .map(|folder| ("[search] sections", folder))
        .chain(
            config
                .matrices
                .iter()
                .flat_map(|matrix| matrix.sections.iter().map(|folder| ("[[matrix]] sections", folder))),
        );
    let mut reported = BTreeSet::new();
    named
        .filter(|(_, written)| {
            let folder = written.trim_matches('/');
            !folder.is_empty() && !folders.contains(folder)
        })
        .filter(|(setting, written)| reported.insert((*setting, written.as_str())))
        .map(|(setting, written)| {
            let folder = written.trim_matches('/');
            let diagnostic = Diagnostic::error(
                CONFIG_FILE,
                format!("{setting}: no page is in a content folder `{folder}`"),
            )
            .code(Code::ConfigInvalidValue)
            .with_optional_hint(
                closest(folder, folders.iter().map(String::as_str)).map(|near| format!("did you mean `{near}`?")),
            );
            config.diagnostic_at(diagnostic, &format!("\"{written}\""))
        })
        .collect()
}

/// Every folder under content/ that holds a page, and each folder above it ("a", "a/b").
fn folders(content: &Content) -> BTreeSet<String> {
    let mut folders = BTreeSet::new();
    for key in content.keys() {
        let mut folder = key;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            folders.insert(parent.to_string());
            folder = parent;
        }
    }
    folders
}
