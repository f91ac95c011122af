//! The links to site paths that `links` could not check (static files, generated pages such
//! as the comparison tables, the A–Z and search), checked once every output path is known.

use std::collections::BTreeSet;

use crate::content::Content;
use crate::diagnostics::{Diagnostic, closest};
use crate::links::Unverified;
use crate::matrix::Matrix;
use crate::theme::Theme;

/// Every file the build writes, by site path ("a/index.html", "images/kit.png"), but the
/// search index's shards, whose names are their contents' hashes: no page links to those.
pub fn output_paths<'a>(
    content: &Content,
    theme: &Theme,
    pages: impl Iterator<Item = &'a str>,
    matrices: &[Matrix],
    search_manifest: Option<&str>,
) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = pages.map(str::to_string).collect();
    let fixed = [
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "syntax.css",
        super::headers::PATH,
    ];
    paths.extend(fixed.map(str::to_string));
    paths.extend(search_manifest.map(str::to_string));
    for matrix in matrices {
        paths.insert(format!("{}matrix.json", matrix.path));
        paths.insert(format!("{}matrix.csv", matrix.path));
    }
    paths.extend(theme.static_files.keys().cloned());
    paths.extend(content.assets.iter().map(|a| a.to.clone()));
    paths
}

/// An error for each link whose path is not among `outputs`, with the nearest path that is.
pub fn check(unverified: &[Unverified], outputs: &BTreeSet<String>) -> Vec<Diagnostic> {
    let exists = |path: &str| {
        outputs.contains(path)
            || ((path.is_empty() || path.ends_with('/')) && outputs.contains(&format!("{path}index.html")))
    };
    let missing: Vec<&Unverified> = unverified.iter().filter(|u| !exists(&u.path)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    // What a reader would type: a page by its folder, any other file by its name.
    let urls: Vec<String> = outputs
        .iter()
        .map(|path| match path.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{path}"),
        })
        .collect();
    missing
        .into_iter()
        .map(|link| {
            let written = format!("/{}", link.path);
            let hint = closest(&written, urls.iter().map(String::as_str))
                .map(|best| format!("did you mean `{best}`?"))
                .unwrap_or_else(|| {
                    "a site path names a page (`/treatments/methadone/`), a file under static/ or one beside a page"
                        .to_string()
                });
            link.problem.clone().with_hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn unverified(path: &str) -> Unverified {
        Unverified {
            path: path.to_string(),
            problem: Diagnostic::error("content/a.md", format!("link to `/{path}`")).code(Code::BrokenLink),
        }
    }

    #[test]
    fn missing_paths_are_errors_with_the_nearest_path() {
        let outputs: BTreeSet<String> = ["index.html", "a-z/index.html", "images/kit.png", "search/manifest.json"]
            .map(str::to_string)
            .into();
        let links = ["", "a-z/", "a-z/index.html", "images/kit.png", "images/kit.jpg", "a-z"].map(unverified);
        let problems = check(&links, &outputs);
        let hints: Vec<_> = problems.iter().map(|p| p.hint.clone().unwrap_or_default()).collect();
        assert_eq!(hints, ["did you mean `/images/kit.png`?", "did you mean `/a-z/`?"]);
    }
}
