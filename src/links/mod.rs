//! Links: everything that connects pages. Internal links and `related` lists are checked
//! against the whole site and the placeholders left by `markdown` replaced with real URLs;
//! then the link graph (backlinks, related pages), the facet index and glossary links. The
//! resized copies of images are made here too (`copies`), so that `srcset` names each as
//! published.
//!
//! Uses `config`, `content` and `markdown`. A link to a missing page or heading is an error
//! naming the file and line where it was written.

mod copies;
pub mod facets;
mod folders;
pub mod glossary;
pub mod graph;
mod images;
mod resolver;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use std::path::Path;

use crate::config::{Config, SettingLink};
use crate::content::{Content, SourceFile, Target};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::markdown::{LINK_PLACEHOLDER, Rendered, escape_attribute};
use crate::theme::Theme;
pub use copies::{CopyCache, Made, NoCache};
pub use images::{ImageFiles, Resized, is_sized_image};
use images::{Images, Shown};
pub use resolver::Unverified;
use resolver::{Against, Resolved, Resolver, SitePaths, normalise};

/// Rendered pages and sections with their links resolved.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// One per [`Content::pages`], in the same order.
    pub pages: Vec<Rendered>,
    /// One per [`Content::sections`], in the same order.
    pub sections: Vec<Rendered>,
    /// Each page's related pages: its `related` list in the order written, then ranked ones.
    pub related: Vec<Vec<Target>>,
    /// Each page's `related` front matter, resolved: the start of its related list.
    pub explicit: Vec<Vec<Target>>,
    /// Each page's backlinks: the pages and sections whose text links to it.
    pub backlinks: Vec<Vec<Target>>,
    /// The used values of each facet and their pages.
    pub facets: Vec<facets::FacetPages>,
    /// Links to site paths that are no page or content file, for `render` to check against
    /// the static and generated files.
    pub unverified: Vec<Unverified>,
    /// The image files pages show, and the resized copies of them, made, for `render` to
    /// publish.
    pub images: ImageFiles,
}

/// Resolves every internal link; `pages` and `sections` are parallel to `content`'s. The
/// resized copies of images are made here, through `cache`.
pub fn resolve(
    config: &Config,
    content: &Content,
    theme: &Theme,
    mut pages: Vec<Rendered>,
    mut sections: Vec<Rendered>,
    cache: &dyn CopyCache,
) -> (Linked, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut unverified = Vec::new();
    let paths = SitePaths::new(content);
    let images = Images::new(config, content, theme);
    let rendered_of = |target: Target| -> &Rendered {
        match target {
            Target::Page(i) => &pages[i],
            Target::Section(i) => &sections[i],
        }
    };

    // Resolve first (reading every page's headings), then rewrite each page's HTML. Pages are
    // resolved in parallel, each with its own list of problems, reported in page order.
    type Found = (Vec<Resolved>, Vec<Option<Shown>>, Diagnostics, Vec<Unverified>);
    let resolve_all = |file: &SourceFile, rendered: &Rendered, here: Target| -> Found {
        let resolver = Resolver {
            config,
            content,
            text: &file.text,
            file: &file.display,
        };
        let against = Against {
            paths: &paths,
            rendered: rendered_of,
            here,
        };
        let (mut problems, mut unchecked) = (Diagnostics::new(), Vec::new());
        let links = rendered
            .links
            .iter()
            .map(|link| resolver.link(link, &against, &mut problems, &mut unchecked))
            .collect();
        let sizes = rendered
            .links
            .iter()
            .map(|link| resolver.image_size(link, &images, &mut problems))
            .collect();
        (links, sizes, problems, unchecked)
    };
    let mut unzip = |resolved: Vec<Found>| -> Vec<(Vec<Resolved>, Vec<Option<Shown>>)> {
        resolved
            .into_iter()
            .map(|(links, sizes, problems, unchecked)| {
                diagnostics.extend(problems);
                unverified.extend(unchecked);
                (links, sizes)
            })
            .collect()
    };
    let mut page_links = unzip(
        content
            .pages
            .par_iter()
            .zip(&pages)
            .enumerate()
            .map(|(i, (p, r))| resolve_all(&p.file, r, Target::Page(i)))
            .collect(),
    );
    let mut section_links = unzip(
        content
            .sections
            .par_iter()
            .zip(&sections)
            .enumerate()
            .map(|(i, (s, r))| resolve_all(&s.file, r, Target::Section(i)))
            .collect(),
    );
    // The copies are made before any page's HTML is finished, so that each srcset names the
    // file published.
    let shown = page_links
        .iter_mut()
        .chain(section_links.iter_mut())
        .flat_map(|(_, shown)| shown.iter_mut().flatten());
    let made = make_copies(config, &images, shown, cache, &mut diagnostics);
    drop((paths, images));
    pages
        .par_iter_mut()
        .zip(&page_links)
        .for_each(|(rendered, (links, sizes))| {
            rendered.html = finish_html(&rendered.html, links, sizes);
        });
    sections
        .par_iter_mut()
        .zip(&section_links)
        .for_each(|(rendered, (links, sizes))| {
            rendered.html = finish_html(&rendered.html, links, sizes);
        });
    let mut images = ImageFiles {
        resized: made,
        ..ImageFiles::default()
    };
    for (rendered, (_, shown)) in pages.iter().zip(&page_links).chain(sections.iter().zip(&section_links)) {
        images.add(&rendered.links, shown);
    }
    let targets = |(links, _): &(Vec<Resolved>, _)| links.iter().flatten().filter_map(|(t, _)| *t).collect::<Vec<_>>();
    let page_targets: Vec<Vec<Target>> = page_links.iter().map(targets).collect();
    let section_targets: Vec<Vec<Target>> = section_links.iter().map(targets).collect();

    check_setting_links(config, content, &mut diagnostics);
    diagnostics.extend(folders::check(config, content));
    let explicit = explicit_related(config, content, &mut diagnostics);
    let uncited = uncited_sources(config, content, &pages, &sections);
    // The page graph and facets read only the content and the links found above, so they
    // are made while the glossary pass rewrites the pages: much of them is one thread's work.
    let ((related, backlinks, (facets, facet_warnings)), ()) = rayon::join(
        || {
            (
                graph::related(content, explicit.clone(), config.related.count),
                graph::backlinks(content, &page_targets, &section_targets),
                facets::index(config, content),
            )
        },
        || link_glossary_terms(config, content, &mut pages, &mut sections),
    );
    diagnostics.extend(facet_warnings);
    diagnostics.extend(uncited);

    (
        Linked {
            pages,
            sections,
            related,
            explicit,
            backlinks,
            facets,
            unverified,
            images,
        },
        diagnostics,
    )
}

/// Makes every resized copy of the images `shown`, and writes each image's `srcset` naming
/// its copies as published; a copy whose path is a file of the site is not made.
fn make_copies<'s>(
    config: &Config,
    images: &Images<'_>,
    shown: impl Iterator<Item = &'s mut Shown>,
    cache: &dyn CopyCache,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<Resized, Made> {
    let mut shown: Vec<&mut Shown> = shown.collect();
    let wanted = shown.iter().flat_map(|shown| shown.resized.iter().cloned()).collect();
    let (mut made, problems) = copies::make_all(config, wanted, cache);
    diagnostics.extend(problems);
    made.retain(|_, copy| !images.is_file(&copy.path));
    for shown in &mut shown {
        shown.srcset = resolver::srcset(config, shown, &made);
    }
    made
}

/// Each page's `related` front matter, resolved (a link that leads nowhere is an error).
fn explicit_related(config: &Config, content: &Content, diagnostics: &mut Diagnostics) -> Vec<Vec<Target>> {
    content
        .pages
        .iter()
        .map(|page| {
            let resolver = Resolver {
                config,
                content,
                text: &page.file.text,
                file: &page.file.display,
            };
            page.meta
                .related
                .iter()
                .filter_map(|link| resolver.target(&link.target, link.offset, diagnostics))
                .collect()
        })
        .collect()
}

/// Checks the internal links written in site.toml, `[emergency] page`, `[quick_exit]
/// safety_page` and `[glossary] page`: a link to a missing page is an error at the setting, as
/// it would be in a page.
fn check_setting_links(config: &Config, content: &Content, diagnostics: &mut Diagnostics) {
    let emergency = config.emergency.as_ref().and_then(|e| e.page.clone());
    let links = [emergency, config.quick_exit.safety_link(), config.glossary.page_link()];
    for link in links.iter().flatten() {
        setting_target(config, content, link, diagnostics);
    }
}

/// The page or section a site.toml setting links to, resolved like a link in a page; `None`,
/// with an error naming the setting, when it leads nowhere.
fn setting_target(
    config: &Config,
    content: &Content,
    link: &SettingLink,
    diagnostics: &mut Diagnostics,
) -> Option<Target> {
    let resolver = Resolver {
        config,
        content,
        text: &config.text,
        file: Path::new(crate::config::CONFIG_FILE),
    };
    let mut problems = Diagnostics::new();
    let target = resolver.target(&link.written, link.offset, &mut problems);
    diagnostics.extend(problems.into_iter().map(|mut problem| {
        problem.message = format!("{}: {}", link.setting, problem.message);
        problem
    }));
    target
}

/// The page or section a site.toml setting links to, for the templates; `links` has reported
/// the link if it leads nowhere.
pub fn setting_link_target(content: &Content, link: &SettingLink) -> Option<Target> {
    content.find(&normalise(&link.written))
}

/// Ranks related pages again after page `moved` changed place in title order (ties go by
/// title), for `serve`; links and facet values must be as they were. Returns the pages whose
/// related list changed.
pub fn rerank(config: &Config, content: &Content, linked: &mut Linked, moved: usize) -> Vec<usize> {
    let count = config.related.count;
    graph::rerank_moved(content, &linked.explicit, count, &mut linked.related, moved)
}

/// A warning for each source in site.toml that no page names or cites: a reader can only
/// weigh a source the site actually uses.
fn uncited_sources(config: &Config, content: &Content, pages: &[Rendered], sections: &[Rendered]) -> Vec<Diagnostic> {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let metas = content
        .pages
        .iter()
        .map(|p| &p.meta)
        .chain(content.sections.iter().map(|s| &s.meta));
    for meta in metas {
        used.extend(meta.sources.iter().map(String::as_str));
        used.extend(
            meta.differences
                .iter()
                .flat_map(|d| d.views.iter().map(|v| v.source.as_str())),
        );
    }
    for rendered in pages.iter().chain(sections) {
        used.extend(rendered.citations.iter().map(String::as_str));
    }
    for snippet in content.snippets.values() {
        used.extend(snippet.sources.iter().map(String::as_str));
    }
    config
        .sources
        .iter()
        .filter(|source| !used.contains(source.id.as_str()))
        .map(|source| {
            config.diagnostic_at(
                Diagnostic::warning(
                    crate::config::CONFIG_FILE,
                    format!("the source `{}` is not cited or named by any page", source.id),
                )
                .code(Code::UncitedSource)
                .with_hint("cite it where the site uses it, as [@id], or remove it from [[sources]]"),
                &format!("id = \"{}\"", source.id),
            )
        })
        .collect()
}

/// Links glossary terms on every page but the glossary itself.
fn link_glossary_terms(config: &Config, content: &Content, pages: &mut [Rendered], sections: &mut [Rendered]) {
    let Some(glossary) = find_glossary(config, content) else {
        return;
    };
    if !config.glossary.link_terms {
        return;
    }
    let terms = glossary_terms(config, content, glossary, pages, sections);
    pages.par_iter_mut().enumerate().for_each(|(i, rendered)| {
        if glossary != Target::Page(i) {
            rendered.html = glossary::link_terms(&rendered.html, &terms);
        }
    });
    sections.par_iter_mut().enumerate().for_each(|(i, rendered)| {
        if glossary != Target::Section(i) {
            rendered.html = glossary::link_terms(&rendered.html, &terms);
        }
    });
}

/// The `[glossary] page`, if the site names one and it exists (`check_setting_links` reports
/// it when it does not).
fn find_glossary(config: &Config, content: &Content) -> Option<Target> {
    setting_link_target(content, &config.glossary.page_link()?)
}

/// The glossary's terms as its `##` headings write them (`None`: the site has no glossary
/// page), for the checks of `[glossary.also]`.
pub fn glossary_headings(config: &Config, content: &Content, linked: &Linked) -> Option<Vec<String>> {
    let entries = match find_glossary(config, content)? {
        Target::Page(i) => linked.pages.get(i)?,
        Target::Section(i) => linked.sections.get(i)?,
    };
    Some(
        entries
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| h.title.clone())
            .collect(),
    )
}

/// The glossary's terms: its `##` headings, each linking to its entry.
fn glossary_terms(
    config: &Config,
    content: &Content,
    glossary: Target,
    pages: &[Rendered],
    sections: &[Rendered],
) -> glossary::Terms {
    let (entries, path) = match glossary {
        Target::Page(i) => (&pages[i], &content.pages[i].path),
        Target::Section(i) => (&sections[i], &content.sections[i].path),
    };
    let url = config.base_url.link(path);
    glossary::terms(
        entries
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| (h.title.clone(), format!("{url}#{}", h.id))),
        &config.glossary.skip,
    )
}

/// One page linked again after an edit ([`relink_page`]), with the pages and sections it
/// linked to before and links to now: the pages among them whose backlinks change show it.
pub struct Relinked {
    pub rendered: Rendered,
    pub targets_before: BTreeSet<Target>,
    pub targets: BTreeSet<Target>,
}

/// Links one page's newly rendered text as [`resolve`] would, for `serve` to re-render the
/// page and the pages whose backlinks it changed. `None` when the edit needs a full build:
/// a link of its own or of a page linking to it (through a heading id) no longer resolves,
/// its citations changed (source pages list their citers), or there is a problem to report.
/// The glossary page itself is never done alone.
pub fn relink_page(
    config: &Config,
    content: &Content,
    theme: &Theme,
    linked: &Linked,
    index: usize,
    text: &str,
    mut rendered: Rendered,
) -> Option<Relinked> {
    let page = &content.pages[index];
    let before = &linked.pages[index];
    let glossary = find_glossary(config, content);
    if glossary.is_none() && config.glossary.page.is_some() {
        // A missing glossary page is an error only a full build reports.
        return None;
    }
    if glossary == Some(Target::Page(index))
        || !rendered.diagnostics.is_empty()
        || rendered.citations != before.citations
        || (!rendered.heading_ids().eq(before.heading_ids())
            && !links_here_resolve(config, content, linked, index, &rendered))
    {
        return None;
    }
    let paths = SitePaths::new(content);
    let images = Images::new(config, content, theme);
    // A link to a static or generated file is checked only by a full build.
    type Found = (Vec<Resolved>, Vec<Option<Shown>>);
    let resolve = |rendered: &Rendered, text: &str| -> Option<Found> {
        let resolver = Resolver {
            config,
            content,
            text,
            file: &page.file.display,
        };
        let against = Against {
            paths: &paths,
            rendered: rendered_with(linked, index, rendered),
            here: Target::Page(index),
        };
        let (mut problems, mut unverified) = (Diagnostics::new(), Vec::new());
        let links = rendered
            .links
            .iter()
            .map(|link| resolver.link(link, &against, &mut problems, &mut unverified))
            .collect();
        let sizes = rendered
            .links
            .iter()
            .map(|link| resolver.image_size(link, &images, &mut problems))
            .collect();
        (problems.is_empty() && unverified.is_empty()).then_some((links, sizes))
    };
    let targets = |links: &[Resolved]| -> BTreeSet<Target> { links.iter().flatten().filter_map(|(t, _)| *t).collect() };
    let (links, mut sizes) = resolve(&rendered, text)?;
    // A new image file, or a new resized copy, is for a full build to make and check.
    if !linked.images.holds(&rendered.links, &sizes) {
        return None;
    }
    for shown in sizes.iter_mut().flatten() {
        shown.srcset = resolver::srcset(config, shown, &linked.images.resized);
    }
    let (old_links, _) = resolve(before, &page.file.text)?;
    let (targets_before, targets) = (targets(&old_links), targets(&links));
    rendered.html = finish_html(&rendered.html, &links, &sizes);
    if let Some(glossary) = glossary.filter(|_| config.glossary.link_terms) {
        let terms = glossary_terms(config, content, glossary, &linked.pages, &linked.sections);
        rendered.html = glossary::link_terms(&rendered.html, &terms);
    }
    Some(Relinked {
        rendered,
        targets_before,
        targets,
    })
}

/// Whether every link into page `index` from the pages and sections that link to it still
/// resolves with its headings as newly rendered (a heading id they name may have gone).
fn links_here_resolve(config: &Config, content: &Content, linked: &Linked, index: usize, rendered: &Rendered) -> bool {
    let (mut problems, mut unverified) = (Diagnostics::new(), Vec::new());
    let paths = SitePaths::new(content);
    for &from in &linked.backlinks[index] {
        let (file, links) = match from {
            Target::Page(i) => (&content.pages[i].file, &linked.pages[i].links),
            Target::Section(i) => (&content.sections[i].file, &linked.sections[i].links),
        };
        let resolver = Resolver {
            config,
            content,
            text: &file.text,
            file: &file.display,
        };
        let against = Against {
            paths: &paths,
            rendered: rendered_with(linked, index, rendered),
            here: from,
        };
        for link in links {
            resolver.link(link, &against, &mut problems, &mut unverified);
        }
    }
    problems.is_empty()
}

/// Each page's and section's rendered text, with page `index` as newly `rendered`.
fn rendered_with<'a>(linked: &'a Linked, index: usize, rendered: &'a Rendered) -> impl Fn(Target) -> &'a Rendered + 'a {
    move |target| match target {
        Target::Page(i) if i == index => rendered,
        Target::Page(i) => &linked.pages[i],
        Target::Section(i) => &linked.sections[i],
    }
}

/// A page's HTML with its links' URLs and images' sizes in place, its images after the
/// first loading lazily.
fn finish_html(html: &str, urls: &[Resolved], sizes: &[Option<Shown>]) -> String {
    images::lazy(replace_placeholders(html, urls, sizes))
}

/// Replaces each `"@link:N"` attribute value with the Nth URL ("#" where it did not resolve,
/// which only happens in a build that fails anyway), followed by the image's `width` and
/// `height` when it is an image whose size is known.
fn replace_placeholders(html: &str, urls: &[Resolved], sizes: &[Option<Shown>]) -> String {
    let needle = format!("\"{LINK_PLACEHOLDER}");
    // memchr's vector search: `str::find` for a string was a percent of the build.
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    if finder.find(html.as_bytes()).is_none() {
        return html.to_string();
    }
    // Room for every URL, so that the buffer never doubles: every page's HTML is held until
    // the templates.
    let urls_len: usize = urls.iter().flatten().map(|(_, url)| url.len()).sum();
    let mut out = String::with_capacity(html.len() + urls_len);
    let mut rest = html;
    while let Some(start) = finder.find(rest.as_bytes()) {
        out.push_str(&rest[..start + 1]);
        let after = &rest[start + needle.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match index.and_then(|i| urls.get(i)) {
            Some(Some((_, url))) if after[digits..].starts_with('"') => {
                out.push_str(&escape_attribute(url));
                rest = &after[digits..];
                if let Some(Some(shown)) = index.and_then(|i| sizes.get(i)) {
                    let size = shown.size;
                    out.push_str(&format!("\" width=\"{}\" height=\"{}", size.width, size.height));
                    if let Some(srcset) = &shown.srcset {
                        out.push_str("\" ");
                        out.push_str(srcset.strip_suffix('"').unwrap_or(srcset));
                    }
                }
            }
            Some(None) if after[digits..].starts_with('"') => {
                out.push('#');
                rest = &after[digits..];
            }
            // Not one of ours (raw HTML that imitates a placeholder): leave it as written.
            _ => {
                out.push_str(&rest[start + 1..start + needle.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced() {
        let urls = vec![Some((Some(Target::Page(0)), "/a/".to_string())), None];
        assert_eq!(
            replace_placeholders(
                "<a href=\"@link:0\">x</a><a href=\"@link:1\">y</a><a href=\"@link:7\">z</a>",
                &urls,
                &[]
            ),
            "<a href=\"/a/\">x</a><a href=\"#\">y</a><a href=\"@link:7\">z</a>"
        );
    }
}
