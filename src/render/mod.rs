//! Render: every page and section through its Tera template, plus the 404 page, sitemap,
//! robots.txt, feed, highlight stylesheet and static files, as a map of output files.
//!
//! Uses `config`, `content`, `markdown` (types only) and `links`. Returns data; writing it is
//! the `output` stage's job.

pub mod feeds;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, closest};
use crate::links::Linked;
pub use theme::{Contents, Theme};
use views::Views;

/// The finished site: site-relative output path ("a/b/index.html") to contents.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Contents>,
}

pub fn render(
    config: &Config,
    content: &Content,
    linked: &Linked,
    theme: &Theme,
    syntax_css: String,
) -> (RenderedSite, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut site = RenderedSite::default();
    let views = Views::new(config, content, linked);

    let tera = match templates(config, content, theme, &views) {
        Ok(tera) => tera,
        Err(d) => {
            diagnostics.push(d);
            return (site, diagnostics);
        }
    };

    let pages: Vec<(usize, Result<String, Diagnostic>)> = (0..content.pages.len())
        .into_par_iter()
        .map(|i| {
            let page = &content.pages[i];
            let name = page_template(content, i);
            let mut context = Context::new();
            context.insert("page", &views.page(i));
            context.insert("current_path", &page.path);
            (
                i,
                render_one(&tera, theme, &name, &context, &page.file.display),
            )
        })
        .collect();
    let sections: Vec<(usize, Result<String, Diagnostic>)> = (0..content.sections.len())
        .into_par_iter()
        .map(|i| {
            let section = &content.sections[i];
            let name = section_template(content, i);
            let mut context = Context::new();
            context.insert("section", &views.section(i));
            context.insert("current_path", &section.path);
            (
                i,
                render_one(&tera, theme, &name, &context, &section.file.display),
            )
        })
        .collect();

    // A broken template fails every page that uses it: report each problem once.
    let mut seen = BTreeMap::new();
    let mut keep =
        |result: Result<String, Diagnostic>, path: String, site: &mut RenderedSite| match result {
            Ok(html) => {
                site.files.insert(
                    format!("{path}index.html"),
                    Contents::Bytes(html.into_bytes()),
                );
            }
            Err(d) => {
                let key = (d.file.clone(), d.location.clone(), d.message.clone());
                seen.entry(key).or_insert(d);
            }
        };
    for (i, result) in pages {
        keep(result, content.pages[i].path.clone(), &mut site);
    }
    for (i, result) in sections {
        keep(result, content.sections[i].path.clone(), &mut site);
    }
    let mut context = Context::new();
    context.insert("current_path", "404.html");
    match render_one(
        &tera,
        theme,
        "404.html",
        &context,
        &PathBuf::from("404.html"),
    ) {
        Ok(html) => {
            site.files
                .insert("404.html".to_string(), Contents::Bytes(html.into_bytes()));
        }
        Err(d) => {
            seen.entry((d.file.clone(), d.location.clone(), d.message.clone()))
                .or_insert(d);
        }
    }
    diagnostics.extend(seen.into_values());

    let mut add = |path: &str, text: String| {
        site.files
            .insert(path.to_string(), Contents::Bytes(text.into_bytes()));
    };
    add("sitemap.xml", feeds::sitemap(config, content));
    add("robots.txt", feeds::robots(config));
    add("atom.xml", feeds::atom(config, content));
    add("syntax.css", syntax_css);
    for (path, contents) in &theme.static_files {
        site.files
            .entry(path.clone())
            .or_insert_with(|| contents.clone());
    }
    for asset in &content.assets {
        site.files
            .entry(asset.to.clone())
            .or_insert_with(|| Contents::CopyOf(asset.from.clone()));
    }
    (site, diagnostics)
}

fn page_template(content: &Content, index: usize) -> String {
    let page = &content.pages[index];
    let section = &content.sections[page.section];
    page.meta
        .template
        .clone()
        .or_else(|| section.meta.page_template.clone())
        .unwrap_or_else(|| {
            if section.meta.guidance {
                "guidance.html"
            } else {
                "page.html"
            }
            .to_string()
        })
}

fn section_template(content: &Content, index: usize) -> String {
    let section = &content.sections[index];
    section.meta.template.clone().unwrap_or_else(|| {
        if section.parent.is_none() {
            "index.html"
        } else {
            "section.html"
        }
        .to_string()
    })
}

/// Compiles the theme's templates, registers the helper functions and sets the data every
/// template sees (`site`, `nav`, `sources`, `vocabularies`).
fn templates(
    config: &Config,
    content: &Content,
    theme: &Theme,
    views: &Views<'_>,
) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.text.as_str())),
    )
    .map_err(|e| template_error(&e, theme, None))?;

    for (kind, name) in content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (&p.file.display, page_template(content, i)))
        .chain(
            content
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (&s.file.display, section_template(content, i))),
        )
        .map(|(file, name)| (file.clone(), name))
        .chain(std::iter::once((
            PathBuf::from("404.html"),
            "404.html".to_string(),
        )))
        .collect::<BTreeMap<_, _>>()
    {
        if !tera.contains_template(&name) {
            let names: Vec<&str> = theme.templates.keys().map(String::as_str).collect();
            return Err(Diagnostic::error(
                kind,
                format!(
                    "template `{name}` not found in theme `{}` or templates/",
                    config.theme
                ),
            )
            .with_optional_hint(
                closest(&name, names.iter().copied()).map(|n| format!("did you mean `{n}`?")),
            ));
        }
    }

    let urls: Arc<BTreeMap<String, String>> = Arc::new(
        content
            .pages
            .iter()
            .map(|p| (p.key.clone(), config.base_url.link(&p.path)))
            .chain(
                content
                    .sections
                    .iter()
                    .map(|s| (s.key.clone(), config.base_url.link(&s.path))),
            )
            .collect(),
    );
    let base_path = config.base_url.path.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            url_for(&urls, &base_path, path)
        },
    );
    let links: Arc<BTreeMap<String, Value>> = Arc::new(
        content
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), Value::from_serializable(&views.page_link(i))))
            .chain(content.sections.iter().enumerate().map(|(i, s)| {
                let pages: Vec<_> = s.pages.iter().map(|&p| views.page_link(p)).collect();
                let link = SectionWithPages {
                    section: views.section_link(i),
                    pages,
                };
                (s.key.clone(), Value::from_serializable(&link))
            }))
            .collect(),
    );
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let key = path.trim_start_matches("@/");
            links.get(key).cloned().ok_or_else(|| {
                tera::Error::message(format!("get_page: no page or section `{path}`"))
            })
        },
    );

    let global = tera.global_context();
    global.insert("site", &views.site());
    global.insert("nav", &views.navigation());
    global.insert(
        "sources",
        &config
            .sources
            .iter()
            .map(|s| views.source_view(s))
            .collect::<Vec<_>>(),
    );
    global.insert("vocabularies", &config.vocabularies);
    Ok(tera)
}

#[derive(serde::Serialize)]
struct SectionWithPages<'a> {
    #[serde(flatten)]
    section: views::SectionLink<'a>,
    pages: Vec<views::PageLink<'a>>,
}

/// `get_url(path="@/a/b.md")` for a page, `get_url(path="style.css")` for a static file.
fn url_for(urls: &BTreeMap<String, String>, base_path: &str, path: &str) -> TeraResult<String> {
    if let Some(key) = path.strip_prefix("@/") {
        let (key, fragment) = match key.split_once('#') {
            Some((k, f)) => (k, Some(f)),
            None => (key, None),
        };
        let url = urls
            .get(key)
            .ok_or_else(|| tera::Error::message(format!("get_url: no page or section `{path}`")))?;
        return Ok(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url.clone(),
        });
    }
    Ok(format!("{base_path}{}", path.trim_start_matches('/')))
}

fn render_one(
    tera: &Tera,
    theme: &Theme,
    name: &str,
    context: &Context,
    file: &std::path::Path,
) -> Result<String, Diagnostic> {
    tera.render(name, context)
        .map_err(|e| template_error(&e, theme, Some(file)))
}

/// A Tera error as a diagnostic pointing at the template file and line.
fn template_error(
    error: &tera::Error,
    theme: &Theme,
    rendering: Option<&std::path::Path>,
) -> Diagnostic {
    let mut message = error.to_string();
    let mut report = None;
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tera_error) = e.downcast_ref::<tera::Error>() {
            match tera_error.kind() {
                ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                    report = Some(r.clone());
                    break;
                }
                ErrorKind::Msg(m) => message = m.clone(),
                _ => {}
            }
        }
        current = e.source();
    }
    let hint = rendering.map(|file| format!("while rendering {}", file.display()));
    let Some(report) = report else {
        return Diagnostic::error("templates", message).with_optional_hint(hint);
    };
    let template = theme.templates.get(report.filename());
    let file = template
        .map(|t| t.display.clone())
        .unwrap_or_else(|| PathBuf::from(report.filename()));
    let mut diagnostic =
        Diagnostic::error(file, report.message().to_string()).with_optional_hint(hint);
    let span = report.span();
    let line_text = template
        .and_then(|t| t.text.lines().nth(span.start_line.saturating_sub(1)))
        .unwrap_or("")
        .to_string();
    diagnostic.location = Some(Location {
        line: span.start_line.max(1),
        column: span.start_col + 1,
        line_text,
    });
    diagnostic
}
