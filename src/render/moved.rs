//! Old URLs that no longer lead anywhere: each URL the previous build's sitemap.xml listed
//! that no page, section, generated page or alias has now. A page whose URL changed (a new
//! slug, a renamed file or folder) leaves every link, bookmark and search result to its old
//! URL on a 404 unless an alias keeps it, so `build` and `check` warn about it.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, display_path};

/// The previous build's sitemap.
pub struct Previous {
    /// Its path as diagnostics show it ("public/sitemap.xml").
    pub file: PathBuf,
    pub text: String,
}

/// The sitemap in the output folder, if a previous build left one.
pub fn previous(config: &Config) -> Option<Previous> {
    let path = config.output_dir.join("sitemap.xml");
    let text = std::fs::read_to_string(&path).ok()?;
    Some(Previous {
        file: display_path(&config.root, &path),
        text,
    })
}

/// The site-relative paths a sitemap lists. The previous build may have had another base URL
/// (`check` without `--base-url`, `build` with it): its home page, the shortest URL, is taken
/// as its base. A sitemap that does not parse lists nothing.
fn listed(text: &str) -> BTreeSet<String> {
    let Ok(document) = roxmltree::Document::parse(text) else {
        return BTreeSet::new();
    };
    let urls: Vec<&str> = document
        .descendants()
        .filter(|node| node.tag_name().name() == "loc")
        .filter_map(|node| node.text())
        .map(str::trim)
        .collect();
    let Some(home) = urls.iter().min_by_key(|url| url.len()) else {
        return BTreeSet::new();
    };
    urls.iter()
        .filter_map(|url| url.strip_prefix(home))
        .map(str::to_string)
        .collect()
}

/// A warning for each URL of `previous` that nothing has now. `generated` are the paths of
/// the pages Signpost makes (A–Z, facet pages, tables), and `generated_folders` the folders
/// they are in: only content pages and sections are compared, since a facet value's page
/// goes with its last page (SP050 says so) and nobody links to it from elsewhere.
pub fn check(
    content: &Content,
    generated: &[String],
    generated_folders: &[String],
    previous: &Previous,
) -> Vec<Diagnostic> {
    let old = listed(&previous.text);
    if old.is_empty() {
        return Vec::new();
    }
    let targets: Vec<(&str, &Path)> = content
        .sections
        .iter()
        .map(|s| (s.path.as_str(), s.file.display.as_path()))
        .chain(
            content
                .pages
                .iter()
                .map(|p| (p.path.as_str(), p.file.display.as_path())),
        )
        .collect();
    let mut now: HashSet<&str> = generated.iter().map(String::as_str).collect();
    now.extend(targets.iter().map(|(path, _)| *path));
    now.extend(super::redirects::all(content).iter().map(|r| r.alias.path.as_str()));
    let new: Vec<(&str, &Path)> = targets.into_iter().filter(|(path, _)| !old.contains(*path)).collect();
    old.iter()
        .filter(|path| !now.contains(path.as_str()))
        .filter(|path| !generated_folders.iter().any(|folder| path.starts_with(folder.as_str())))
        .map(|gone| match successor(gone, &new) {
            Some((path, file)) => Diagnostic::warning(
                file,
                format!("this page's URL /{path} is new since the last build, and /{gone} is gone: links, bookmarks and search results to /{gone} will break"),
            )
            .code(Code::PageMoved)
            .with_hint(format!(
                "if this page was at /{gone}, keep the old URL working: add aliases = [\"/{gone}\"] to its front matter"
            )),
            None => Diagnostic::warning(
                &previous.file,
                format!("/{gone} was in the last build, and no page or alias has that URL now: links, bookmarks and search results to it will break"),
            )
            .code(Code::PageMoved)
            .with_hint(format!(
                "if another page now covers it, add aliases = [\"/{gone}\"] to that page's front matter; if it is gone for good, the next build forgets it"
            )),
        })
        .collect()
}

/// The new page that most likely took the place of `gone`: the only one with the same last
/// segment (its folder moved), or else the only one in the same folder (it was renamed).
fn successor<'a>(gone: &str, new: &[(&'a str, &'a Path)]) -> Option<(&'a str, &'a Path)> {
    let name = |path: &str| path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
    let folder = |path: &str| {
        let trimmed = path.trim_end_matches('/');
        trimmed
            .rsplit_once('/')
            .map_or(String::new(), |(folder, _)| folder.to_string())
    };
    let only = |matches: Vec<&(&'a str, &'a Path)>| match matches.as_slice() {
        [one] => Some(**one),
        _ => None,
    };
    only(new.iter().filter(|(path, _)| name(path) == name(gone)).collect())
        .or_else(|| only(new.iter().filter(|(path, _)| folder(path) == folder(gone)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_urls_are_read_relative_to_the_home_page() {
        let text = "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
            <url><loc>https://example.org/guidance/a/b/</loc></url>\
            <url><loc>https://example.org/guidance/</loc></url>\
            <url><loc>https://example.org/guidance/q&amp;a/</loc></url></urlset>";
        let listed: Vec<String> = listed(text).into_iter().collect();
        assert_eq!(listed, ["", "a/b/", "q&a/"]);
        assert!(super::listed("not xml <").is_empty());
    }

    #[test]
    fn a_successor_shares_a_name_or_else_a_folder() {
        let (a, b) = (Path::new("a.md"), Path::new("b.md"));
        assert_eq!(
            successor("x/old/", &[("y/old/", a), ("x/new/", b)]),
            Some(("y/old/", a))
        );
        assert_eq!(successor("x/old/", &[("x/new/", b)]), Some(("x/new/", b)));
        assert_eq!(successor("x/old/", &[("x/new/", b), ("x/other/", a)]), None);
        assert_eq!(successor("x/old/", &[]), None);
    }
}
