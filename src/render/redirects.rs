//! Redirects from old URLs (`aliases` in front matter): a small HTML page at each old path,
//! which any host serves, and `_redirects`, which Netlify and Cloudflare Pages answer with a
//! 301 before the page is ever read. An alias may not take the place of any other file.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::feeds::escape_xml;
use crate::config::Config;
use crate::content::{Alias, Content, SourceFile};
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::theme::{Contents, Theme};

/// Where hosts look for the redirect rules.
pub const PATH: &str = "_redirects";

/// One alias and the page or section it leads to.
pub struct Redirect<'a> {
    pub alias: &'a Alias,
    /// The target's site-relative path ("treatments/methadone/").
    pub target: &'a str,
    /// The file that wrote the alias.
    pub file: &'a SourceFile,
}

/// Every alias of the site's pages and sections, by alias path.
pub fn all(content: &Content) -> Vec<Redirect<'_>> {
    let pages = content.pages.iter().map(|p| (&p.meta, p.path.as_str(), &p.file));
    let sections = content.sections.iter().map(|s| (&s.meta, s.path.as_str(), &s.file));
    let mut all: Vec<Redirect<'_>> = pages
        .chain(sections)
        .flat_map(|(meta, target, file)| meta.aliases.iter().map(move |alias| Redirect { alias, target, file }))
        .collect();
    all.sort_by(|a, b| {
        a.alias
            .path
            .cmp(&b.alias.path)
            .then_with(|| a.file.display.cmp(&b.file.display))
    });
    all
}

/// The page at an old URL: it sends the browser on at once (`refresh`), tells search engines
/// where the page is now (`canonical`) and not to list the old one, and shows a plain link
/// for readers whose browser does not follow it. No script or style, so any CSP allows it.
pub fn page(config: &Config, target: &str) -> String {
    let url = escape_xml(&config.base_url.permalink(target));
    let link = escape_xml(&config.base_url.link(target));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>This page has moved</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={link}\">\n</head>\n<body>\n<main>\n\
         <h1>This page has moved</h1>\n\
         <p>It is now at <a href=\"{link}\">{url}</a>.</p>\n</main>\n</body>\n</html>\n",
        lang = escape_xml(&config.language),
    )
}

/// `_redirects`: the site's own `static/_redirects` first, unchanged (hosts use the first rule
/// that matches, so the site's own rules win), then a 301 for each alias.
pub fn file(config: &Config, redirects: &[Redirect<'_>], own: Option<&Contents>) -> String {
    let mut text = own
        .map(|contents| String::from_utf8_lossy(&contents.to_bytes()).into_owned())
        .unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# Each page's `aliases` (front matter), for hosts that read this file (Netlify, Cloudflare Pages).\n",
    );
    for redirect in redirects {
        let _ = writeln!(
            text,
            "{} {} 301",
            config.base_url.link(&redirect.alias.path),
            config.base_url.link(redirect.target)
        );
    }
    text
}

/// What else is written at an output path, as an alias's error names it.
pub enum Owner<'a> {
    /// A content page or section, or a page Signpost makes (named by the file that asks for it).
    Page(&'a Path),
    /// A static file, or a file next to the content.
    File(PathBuf),
    /// A file Signpost makes itself (sitemap, feed, search index…).
    Made,
}

/// Every output path an alias could take, with its owner, case-folded (a case-insensitive
/// host would serve one file for both).
pub fn owners<'a>(
    config: &Config,
    content: &'a Content,
    theme: &Theme,
    pages: impl Iterator<Item = (&'a str, &'a Path)>,
    made: &[String],
) -> BTreeMap<String, Owner<'a>> {
    let mut owners = BTreeMap::new();
    for path in made {
        owners.insert(path.to_lowercase(), Owner::Made);
    }
    for (path, contents) in &theme.static_files {
        let file = match contents {
            Contents::CopyOf(from) => display_path(&config.root, from),
            _ => Path::new("the theme's static").join(path),
        };
        owners.entry(path.to_lowercase()).or_insert(Owner::File(file));
    }
    for asset in &content.assets {
        let file = display_path(&config.root, &asset.from);
        owners.entry(asset.to.to_lowercase()).or_insert(Owner::File(file));
    }
    for (path, origin) in pages {
        owners.insert(path.to_lowercase(), Owner::Page(origin));
    }
    owners
}

/// An error for each alias that would be written where another file is, or where another
/// alias is: each names both files.
pub fn clashes(
    redirects: &[Redirect<'_>],
    owners: &BTreeMap<String, Owner<'_>>,
    search_dir: Option<&str>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut aliases: BTreeMap<String, &Redirect<'_>> = BTreeMap::new();
    for redirect in redirects {
        let output = redirect.alias.output();
        let folded = output.to_lowercase();
        let shown = format!("/{}", redirect.alias.path);
        let other = match owners.get(&folded) {
            Some(Owner::Page(file)) => Some(format!("it is the URL of {}", file.display())),
            Some(Owner::File(file)) => Some(format!("{} is written there", file.display())),
            Some(Owner::Made) => Some(format!("Signpost writes /{output} there itself")),
            None if search_dir.is_some_and(|dir| folded.starts_with(dir)) => {
                Some("the search index is written in that folder".to_string())
            }
            None => aliases.get(&folded).map(|first| {
                format!(
                    "{} has the same alias, for /{}",
                    first.file.display.display(),
                    first.target
                )
            }),
        };
        match other {
            Some(other) => {
                let mut d = Diagnostic::error(
                    &redirect.file.display,
                    format!("alias `{shown}` clashes with another file: {other}"),
                )
                .code(Code::AliasClash)
                .with_hint("remove the alias, or the file it clashes with; an old URL can lead to only one page");
                d.location = Some(redirect.alias.location.clone());
                problems.push(d);
            }
            None => {
                aliases.insert(folded, redirect);
            }
        }
    }
    problems
}
