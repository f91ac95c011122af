//! The build, stage by stage: load the configuration, read the content, render markdown,
//! resolve links, build the comparison tables, render templates. Nothing here writes to disk; `output::write` does that
//! with the result, so `check` runs exactly what `build` runs.

use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::markdown::{self, Highlighter, Rendered};
use crate::matrix;
use crate::render::{self, RenderedSite, theme};

/// A site ready to be written, and the warnings met on the way.
pub struct Built {
    pub config: Config,
    pub content: Content,
    pub site: RenderedSite,
    pub warnings: Diagnostics,
}

/// Runs every stage. Problems are collected across stages so that one run reports them all;
/// any error means no site.
pub fn build(root: &Path, overrides: &Overrides, progress: &dyn Fn(&str)) -> Result<Built, Diagnostics> {
    progress("reading site.toml");
    let config = config::load(root, overrides)?;
    let mut diagnostics = Diagnostics::new();

    let highlighter = Highlighter::new(&config.markdown.highlight_theme);
    let syntax_css = highlighter.css().unwrap_or_else(|why| {
        diagnostics.push(
            Diagnostic::error(
                config::CONFIG_FILE,
                format!(
                    "unknown [markdown] highlight_theme `{}`",
                    config.markdown.highlight_theme
                ),
            )
            .with_hint(why),
        );
        String::new()
    });

    progress("reading content");
    let (content, content_diagnostics) = content::load(&config);
    diagnostics.extend(content_diagnostics);
    let theme = theme::load(&config).map_err(|d| {
        diagnostics.push(d);
        diagnostics.clone()
    })?;

    progress("rendering markdown");
    let render_file = |file: &content::SourceFile| {
        markdown::render(&file.text, file.body_start, &file.display, &config, &highlighter)
    };
    let mut pages: Vec<Rendered> = content.pages.par_iter().map(|p| render_file(&p.file)).collect();
    let mut sections: Vec<Rendered> = content.sections.par_iter().map(|s| render_file(&s.file)).collect();
    for rendered in pages.iter_mut().chain(sections.iter_mut()) {
        diagnostics.extend(std::mem::take(&mut rendered.diagnostics));
    }

    progress("resolving links");
    let (linked, link_diagnostics) = links::resolve(&config, &content, pages, sections);
    diagnostics.extend(link_diagnostics);

    progress("building comparison tables");
    let matrices = matrix::build(&config, &content);

    progress("rendering templates");
    let (site, render_diagnostics) = render::render(&config, &content, &linked, &matrices, &theme, syntax_css);
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
