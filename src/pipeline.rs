//! The build, stage by stage: load the configuration, read the content, render markdown,
//! resolve links, build the comparison tables and the search index, render templates. Nothing
//! here writes to disk; `output::write` does that with the result, so `check` runs exactly what
//! `build` runs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Content};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::links;
use crate::markdown::{self, Highlighter, Rendered};
use crate::matrix;
use crate::render::{self, RenderedSite, theme};
use crate::review;
use crate::search;

/// A site ready to be written, and the warnings met on the way.
pub struct Built {
    pub config: Config,
    pub content: Content,
    pub site: RenderedSite,
    pub warnings: Diagnostics,
}

/// Work kept between builds of the same site (by `serve`), so that a rebuild skips what did
/// not change. A build with a cache gives exactly what a build without one gives: entries are
/// keyed by everything their result depends on.
#[derive(Default)]
pub struct Cache {
    /// site.toml's text when the entries were made; any change to it empties the cache.
    config_text: String,
    /// Rendered markdown by file, with the text it was rendered from.
    markdown: HashMap<PathBuf, (String, Rendered)>,
    /// The highlight stylesheet, by theme name.
    syntax_css: Option<(String, Result<String, String>)>,
    /// How many files the last build rendered (cache misses), for the rebuild summary.
    pub last_rendered: usize,
}

/// Runs every stage. Problems are collected across stages so that one run reports them all;
/// any error means no site.
pub fn build(root: &Path, overrides: &Overrides, progress: &dyn Fn(&str)) -> Result<Built, Diagnostics> {
    build_cached(root, overrides, progress, &mut Cache::default())
}

/// [`build`], reusing and refreshing `cache`.
pub fn build_cached(
    root: &Path,
    overrides: &Overrides,
    progress: &dyn Fn(&str),
    cache: &mut Cache,
) -> Result<Built, Diagnostics> {
    progress("reading site.toml");
    let config = config::load(root, overrides)?;
    let mut diagnostics = Diagnostics::new();
    if cache.config_text != config.text {
        *cache = Cache {
            config_text: config.text.clone(),
            ..Cache::default()
        };
    }

    let highlighter = Highlighter::new(&config.markdown.highlight_theme);
    let css = match &cache.syntax_css {
        Some((theme, css)) if *theme == config.markdown.highlight_theme => css.clone(),
        _ => {
            let css = highlighter.css();
            cache.syntax_css = Some((config.markdown.highlight_theme.clone(), css.clone()));
            css
        }
    };
    let syntax_css = css.unwrap_or_else(|why| {
        diagnostics.push(
            Diagnostic::error(
                config::CONFIG_FILE,
                format!(
                    "unknown [markdown] highlight_theme `{}`",
                    config.markdown.highlight_theme
                ),
            )
            .code(Code::ConfigInvalidValue)
            .with_hint(why),
        );
        String::new()
    });

    progress("reading content");
    let (content, content_diagnostics) = content::load(&config);
    diagnostics.extend(content_diagnostics);
    diagnostics.extend(review::overdue(&content, review::today()));
    let theme = theme::load(&config).map_err(|d| {
        diagnostics.push(d);
        diagnostics.clone()
    })?;

    progress("rendering markdown");
    let render_file = |file: &content::SourceFile| -> (Rendered, bool) {
        match cache.markdown.get(&file.display) {
            Some((text, rendered)) if *text == file.text => (rendered.clone(), false),
            _ => (
                markdown::render(&file.text, file.body_start, &file.display, &config, &highlighter),
                true,
            ),
        }
    };
    let pages: Vec<(Rendered, bool)> = content.pages.par_iter().map(|p| render_file(&p.file)).collect();
    let sections: Vec<(Rendered, bool)> = content.sections.par_iter().map(|s| render_file(&s.file)).collect();
    cache.last_rendered = pages.iter().chain(&sections).filter(|(_, fresh)| *fresh).count();
    let files = content
        .pages
        .iter()
        .map(|p| &p.file)
        .chain(content.sections.iter().map(|s| &s.file));
    let live: HashSet<&PathBuf> = files.clone().map(|f| &f.display).collect();
    cache.markdown.retain(|path, _| live.contains(path));
    for (file, (rendered, fresh)) in files.zip(pages.iter().chain(&sections)) {
        if *fresh {
            cache
                .markdown
                .insert(file.display.clone(), (file.text.clone(), rendered.clone()));
        }
    }
    let take = |list: Vec<(Rendered, bool)>, diagnostics: &mut Diagnostics| -> Vec<Rendered> {
        list.into_iter()
            .map(|(mut rendered, _)| {
                diagnostics.extend(std::mem::take(&mut rendered.diagnostics));
                rendered
            })
            .collect()
    };
    let pages = take(pages, &mut diagnostics);
    let sections = take(sections, &mut diagnostics);

    progress("resolving links");
    let (linked, link_diagnostics) = links::resolve(&config, &content, pages, sections);
    diagnostics.extend(link_diagnostics);

    progress("building comparison tables");
    let matrices = matrix::build(&config, &content);

    progress("building the search index");
    let search = search::build(&config, &content, &linked);

    progress("rendering templates");
    let (site, render_diagnostics) = render::render(&config, &content, &linked, &matrices, &search, &theme, syntax_css);
    diagnostics.extend(render_diagnostics);

    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Built {
        config,
        content,
        site,
        warnings: diagnostics,
    })
}
