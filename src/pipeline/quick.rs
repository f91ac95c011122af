//! Quick re-renders for `serve`: after an edit, render only the outputs that show what
//! changed, from the last good build, and serve them at once. For a page: first the page and
//! the pages near it ([`rerender_edit`]), then the long lists ([`render_later`]), the
//! comparison tables ([`take_tables`]) and the search index files that hold it
//! ([`reindex`]). For templates: every output that uses them ([`rerender_templates`]). For
//! static files: the file itself ([`recopy_static`]). What is made here must agree byte for
//! byte with a full build of the same files (tests/quick_rebuild.rs).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::content::front_matter::{self, Kind, Meta};
use crate::content::{self, Content, Target};
use crate::links;
use crate::markdown;
use crate::matrix::{self, Matrix};
use crate::render::{self, Files, Theme, Wanted, lists};
use crate::search::{self, NotUpdated};
use crate::theme;

use super::Kept;

/// What a quick re-render left for [`render_later`] and [`take_tables`]: the outputs that
/// list every page (A–Z, facet pages, feed; comparison tables) and the work to bring their
/// data up to date.
#[derive(Default)]
pub struct Later {
    wanted: Wanted,
    /// Comparison tables, by index.
    tables: BTreeSet<usize>,
    /// A page moved in title order: the tables and facet pages are sorted again.
    resort: bool,
    /// Pages whose text the search index is to take in again.
    reindex: BTreeSet<usize>,
}

/// Comparison tables to render again, with all they need, so that the work can run on another
/// thread while the kept build takes the next edit: at 10,000 pages a table is the longest
/// output to make.
pub struct Tables {
    tera: Arc<tera::Tera>,
    theme: Arc<Theme>,
    matrices: Vec<Matrix>,
}

impl Tables {
    /// The tables' pages and data files, each path with its bytes; nothing once `stop` says
    /// so. A template error is left for the full build to report.
    pub fn render(&self, stop: &dyn Fn() -> bool) -> Files {
        let mut files = Vec::new();
        for matrix in &self.matrices {
            if stop() {
                return Vec::new();
            }
            files.extend(render::render_table(&self.tera, &self.theme, matrix).unwrap_or_default());
        }
        files
    }
}

/// The comparison tables left by [`rerender_edit`], ready to render anywhere.
pub fn take_tables(kept: &mut Kept) -> Option<Tables> {
    if kept.later.tables.is_empty() {
        return None;
    }
    settle(kept);
    let tables = std::mem::take(&mut kept.later.tables);
    Some(Tables {
        tera: Arc::clone(&kept.tera),
        theme: Arc::clone(&kept.theme),
        matrices: tables.into_iter().map(|m| kept.matrices[m].clone()).collect(),
    })
}

/// Sorts the tables and facet pages again if a page moved in title order.
fn settle(kept: &mut Kept) {
    if kept.later.resort {
        kept.matrices = matrix::build(&kept.config, &kept.content);
        kept.linked.facets = links::facets::index(&kept.config, &kept.content).0;
        kept.later.resort = false;
    }
}

/// The files an edit to one page changes, rendered from the last good build: the page, and,
/// when the edit changed what other pages show of it (its title, summary, pros and cons and
/// the like), its section's list and the pages whose related links, backlinks, neighbours or
/// source lists show it. The long lists that show it too are left to [`render_later`].
/// `None` when the edit needs a full build: the file is not a page; it
/// changed anything that decides where links go, which facet pages list it, or what the
/// site warns about; the page is the glossary; the templates read pages through
/// `get_page`; or there is a problem to report. `relative` is the file's path under the
/// site folder.
pub fn rerender_edit(kept: &mut Kept, relative: &Path) -> Option<Files> {
    let key = relative.strip_prefix("content").ok()?.to_str()?.replace('\\', "/");
    let Some(Target::Page(index)) = kept.content.find(&key) else {
        return None;
    };
    let page = &kept.content.pages[index];
    let text = content::read_text(&kept.config.root.join(relative), &page.file.display).ok()?;
    let old = front_matter::split(&page.file.text).ok()?;
    let new = front_matter::split(&text).ok()?;
    let meta = if new.front_matter == old.front_matter {
        None
    } else {
        if kept.theme.calls_get_page() {
            // Its data is made once per build, for every page: no telling who shows what.
            return None;
        }
        let kind = match kept.content.sections[page.section].meta.guidance {
            true => Kind::GuidancePage,
            false => Kind::Page,
        };
        let meta = front_matter::parse(&text, &new, &page.file.display, kind, &kept.config).ok()?;
        let change = front_matter_change(kept, index, &meta)?;
        Some((meta, change))
    };
    let body_start = new.body_start;
    let placement = markdown::placement(&kept.config, page.dir(), &page.meta);
    if let Some((meta, _)) = &meta
        && markdown::placement(&kept.config, page.dir(), meta) != placement
    {
        // The rules that apply to the page changed: so may the warnings about rules.
        return None;
    }
    let includes = markdown::Includes {
        snippets: &kept.content.snippets,
        shortcodes: &kept.shortcodes,
    };
    let origin = markdown::Origin::file(&page.file.display, &text, body_start);
    let rendered = markdown::render_page(origin, &kept.config, &kept.highlighter, &includes, &placement);
    let relinked = links::relink_page(
        &kept.config,
        &kept.content,
        &kept.theme,
        &kept.linked,
        index,
        &text,
        rendered,
    )?;

    // Every check has passed: from here on the kept build is brought up to date.
    kept.later.reindex.insert(index);
    let file = &mut kept.content.pages[index].file;
    file.text = text;
    file.body_start = body_start;
    kept.linked.pages[index] = relinked.rendered;
    // Pages it links to now, or no longer, list it among their backlinks.
    let backlinked = links::graph::move_backlinks(
        &mut kept.linked.backlinks,
        Target::Page(index),
        &relinked.targets_before,
        &relinked.targets,
    );
    let mut wanted = match meta {
        None => Wanted {
            pages: BTreeSet::from([index]),
            ..Wanted::default()
        },
        Some((meta, change)) => {
            if change.dates {
                // The feed lists reviewed pages by date; the sitemap gives each page's date.
                kept.later.wanted.feed = true;
                kept.later.wanted.sitemap = true;
            }
            match change.facets {
                true => refacet(kept, index, meta),
                false => retitle(kept, index, meta),
            }
        }
    };
    wanted.pages.extend(backlinked);
    render_kept(kept, &wanted, &|| false).ok().flatten()
}

/// Whether a changed path is a file that came and went without the kept build ever reading
/// it: a scratch file an editor or tool wrote and renamed or removed (`sed -i` writes one
/// beside the file it edits). Such a change changes nothing.
pub fn passed_by(kept: &Kept, relative: &Path) -> bool {
    let root = &kept.config.root;
    let full = root.join(relative);
    if full.exists() {
        return false;
    }
    let text = relative.to_string_lossy().replace('\\', "/");
    if let Some(key) = text.strip_prefix("content/") {
        return kept.content.find(key).is_none() && !kept.content.assets.iter().any(|a| a.from == full);
    }
    let theme_templates = format!("themes/{}/templates/", kept.config.theme);
    if let Some(name) = text
        .strip_prefix("templates/")
        .or_else(|| text.strip_prefix(&theme_templates))
    {
        return !kept.theme.templates.contains_key(name);
    }
    text != crate::config::CONFIG_FILE
        && !kept
            .theme
            .static_files
            .values()
            .any(|contents| matches!(contents, render::Contents::CopyOf(from) if *from == full))
}

/// [`render::render_wanted`] with the kept build's data and templates.
fn render_kept(
    kept: &Kept,
    wanted: &Wanted,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Files>, crate::diagnostics::Diagnostic> {
    render::render_wanted(
        &kept.config,
        &kept.content,
        &kept.linked,
        &kept.matrices,
        &kept.theme,
        &kept.tera,
        kept.search_manifest.is_some(),
        wanted,
        stop,
    )
}

/// Whether two versions of a page's front matter differ only in text that other pages show
/// as it is (title, summary, pros, cons, who it suits, duration, the views in `differences`,
/// `extra`): not in its URL, template, facets, sources, related links, dates or order weight.
fn same_but_shown_text(old: &Meta, new: &Meta) -> bool {
    let mut masked = new.clone();
    masked.title.clone_from(&old.title);
    masked.summary.clone_from(&old.summary);
    masked.pros.clone_from(&old.pros);
    masked.cons.clone_from(&old.cons);
    masked.suits.clone_from(&old.suits);
    masked.not_suited.clone_from(&old.not_suited);
    masked.duration.clone_from(&old.duration);
    masked.extra.clone_from(&old.extra);
    // Where `related` links were written moves with the text above them; where they go may not.
    let targets = |meta: &Meta| meta.related.iter().map(|l| l.target.clone()).collect::<Vec<_>>();
    if targets(old) == targets(new) {
        masked.related.clone_from(&old.related);
    }
    // Likewise aliases: where they were written may move, but a changed alias means new
    // redirect files and a new `_redirects`, which only a full build makes.
    let aliases = |meta: &Meta| meta.aliases.iter().map(|a| a.path.clone()).collect::<Vec<_>>();
    if aliases(old) == aliases(new) {
        masked.aliases.clone_from(&old.aliases);
    }
    // A difference's topic and views are text; which sources hold them decides which source
    // pages list this one.
    let sources = |meta: &Meta| {
        meta.differences
            .iter()
            .map(|d| d.views.iter().map(|v| v.source.clone()).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    if sources(old) == sources(new) {
        masked.differences.clone_from(&old.differences);
    }
    masked == *old
}

/// What an edit to a page's front matter changed beyond text other pages show.
struct FrontMatterChange {
    facets: bool,
    /// `last_reviewed` or `next_review`.
    dates: bool,
}

/// How a page's new front matter differs from its kept one, if only in text other pages show
/// ([`same_but_shown_text`]), facet values and review dates. `None` (a full build) when a facet
/// value would gain its first page or lose its last (a facet page would come or go, and a
/// warning with it), or the page is overdue for review before or after (the full build warns).
fn front_matter_change(kept: &Kept, index: usize, new: &Meta) -> Option<FrontMatterChange> {
    let old = &kept.content.pages[index].meta;
    let mut masked = new.clone();
    masked.treatment_type.clone_from(&old.treatment_type);
    masked.settings.clone_from(&old.settings);
    masked.substances.clone_from(&old.substances);
    masked.access.clone_from(&old.access);
    let facets = masked != *new;
    masked.last_reviewed = old.last_reviewed;
    masked.next_review = old.next_review;
    let dates = old.last_reviewed != new.last_reviewed || old.next_review != new.next_review;
    if !same_but_shown_text(old, &masked) {
        return None;
    }
    let today = crate::review::today();
    if dates && (crate::review::is_overdue(old, today) || crate::review::is_overdue(new, today)) {
        return None;
    }
    if facets && !facet_values_stay_used(kept, index, new) {
        return None;
    }
    if !list_pages_stay(kept, index, new) {
        return None;
    }
    Some(FrontMatterChange { facets, dates })
}

/// Whether the generated lists keep their pages: no facet value's list gains or loses a
/// numbered page, and in an A to Z split by letter the page keeps its letter. Otherwise a
/// page of a list would come or go, which only a full build writes and removes.
fn list_pages_stay(kept: &Kept, index: usize, new: &Meta) -> bool {
    let old = &kept.content.pages[index].meta;
    let size = kept.config.lists.page_size;
    if lists::a_to_z_is_split(&kept.config, &kept.content)
        && lists::letter_of(&old.title).1 != lists::letter_of(&new.title).1
    {
        return false;
    }
    kept.linked.facets.iter().all(|facet| {
        let (before, after) = (old.facet_values(facet.facet), new.facet_values(facet.facet));
        facet.values.iter().all(|(id, pages)| {
            let count = pages.len() + usize::from(after.contains(id)) - usize::from(before.contains(id));
            lists::page_count(count, size) == lists::page_count(pages.len(), size)
        })
    })
}

/// Whether every facet value of the page's old and new front matter is used by some page
/// after the edit, as before it.
fn facet_values_stay_used(kept: &Kept, index: usize, new: &Meta) -> bool {
    let old = &kept.content.pages[index].meta;
    kept.linked.facets.iter().all(|facet| {
        let (before, after) = (old.facet_values(facet.facet), new.facet_values(facet.facet));
        let used = |id: &String| facet.values.iter().find(|(v, _)| v == id).map(|(_, pages)| pages);
        after.iter().all(|id| used(id).is_some())
            && before
                .iter()
                .filter(|id| !after.contains(id))
                .all(|id| used(id).is_some_and(|pages| pages.iter().any(|&p| p != index)))
    })
}

/// [`retitle`] for an edit that also changed facet values: the facet's pages, the pages
/// whose related lists change (they are ranked by shared values) and the comparison tables
/// follow too.
fn refacet(kept: &mut Kept, index: usize, meta: Meta) -> Wanted {
    let changed: Vec<usize> = kept
        .linked
        .facets
        .iter()
        .enumerate()
        .filter(|(_, f)| kept.content.pages[index].meta.facet_values(f.facet) != meta.facet_values(f.facet))
        .map(|(f, _)| f)
        .collect();
    let mut wanted = retitle(kept, index, meta);
    kept.linked.facets = links::facets::index(&kept.config, &kept.content).0;
    let related = links::graph::related(&kept.content, kept.linked.explicit.clone(), kept.config.related.count);
    wanted
        .pages
        .extend((0..related.len()).filter(|&p| related[p] != kept.linked.related[p]));
    kept.linked.related = related;
    // Every value page of a changed facet shows the facet's counts.
    for f in changed {
        let later = &mut kept.later.wanted;
        later.facets.insert(f);
        later
            .facet_values
            .extend((0..kept.linked.facets[f].values.len()).map(|v| (f, v)));
    }
    // The tables' filters count pages by value.
    kept.later.resort = true;
    kept.later.tables.extend(0..kept.matrices.len());
    wanted
}

/// The long lists left by [`rerender_edit`], rendered: the A–Z, the facet value pages and the
/// feed (the comparison tables are [`take_tables`]). Empty when nothing was left. Once `stop` says
/// so (a newer change is waiting), it stops early, returns nothing and keeps the work for the
/// next call.
pub fn render_later(kept: &mut Kept, stop: &(dyn Fn() -> bool + Sync)) -> Files {
    if kept.later.wanted == Wanted::default() || stop() {
        return Vec::new();
    }
    settle(kept);
    match render_kept(kept, &kept.later.wanted, stop) {
        Ok(None) => Vec::new(),
        // Done; an error is left for the full build that follows to report.
        rendered => {
            kept.later.wanted = Wanted::default();
            rendered.ok().flatten().unwrap_or_default()
        }
    }
}

/// The search index files that changed with the pages edited since the last call
/// ([`rerender_edit`]), and the paths of the files it no longer has. Only the edited pages
/// are analysed again, and files are named by their bytes, so only the files holding those
/// pages change.
#[derive(Default)]
pub struct Reindexed {
    pub files: Files,
    pub removed: Vec<String>,
}

/// [`Reindexed`] for the pages edited since the last call. `Err(Stopped)` once `stop` says so
/// (the pages stay for the next call); `Err(OtherPages)` when a full build must make the index.
pub fn reindex(kept: &mut Kept, stop: &(dyn Fn() -> bool + Sync)) -> Result<Reindexed, NotUpdated> {
    if kept.later.reindex.is_empty() || kept.search_manifest.is_none() {
        return Ok(Reindexed::default());
    }
    let analysis = kept.search_analysis.as_mut().ok_or(NotUpdated::OtherPages)?;
    let pages = &kept.later.reindex;
    let index = search::update(analysis, &kept.config, &kept.content, &kept.linked, pages, stop)?;
    kept.later.reindex.clear();
    let current: BTreeSet<&String> = index.paths.iter().collect();
    let removed = kept
        .search_paths
        .iter()
        .filter(|p| !current.contains(p))
        .cloned()
        .collect();
    // Same name, same bytes: only new names, and the manifest, need serving.
    let old: BTreeSet<&String> = kept.search_paths.iter().collect();
    let manifest = kept.search_manifest.as_deref();
    let files = index
        .files
        .into_iter()
        .filter(|(path, _)| !old.contains(path) || Some(path.as_str()) == manifest)
        .collect();
    kept.search_paths = index.paths;
    Ok(Reindexed { files, removed })
}

/// Puts a page's new front matter in the kept build, ranks related pages again if it moved in
/// title order, and says which outputs show the page: the near ones now, the long lists
/// later (in `kept.later`).
fn retitle(kept: &mut Kept, index: usize, meta: Meta) -> Wanted {
    let section = kept.content.pages[index].section;
    let old_order = kept.content.sections[section].pages.clone();
    let old_title = std::mem::replace(&mut kept.content.pages[index].meta, meta).title;
    let mut related_changed = Vec::new();
    if moved_in_title_order(&kept.content, index, &old_title) {
        kept.content.sort_pages(section);
        related_changed = links::rerank(&kept.config, &kept.content, &mut kept.linked, index);
        kept.later.resort = true;
    } else {
        matrix::update_row(&kept.config, &kept.content, &mut kept.matrices, index);
    }

    let content = &kept.content;
    let linked = &kept.linked;
    let page = &content.pages[index];
    let later = &mut kept.later.wanted;
    later.a_to_z = true;
    later.feed |= page.meta.last_reviewed.is_some();
    // Which facet pages and tables show the page does not change with its title.
    for (f, facet) in linked.facets.iter().enumerate() {
        for (v, (_, pages)) in facet.values.iter().enumerate() {
            if pages.contains(&index) {
                later.facet_values.insert((f, v));
            }
        }
    }
    let url = kept.config.base_url.link(&page.path);
    kept.later
        .tables
        .extend((0..kept.matrices.len()).filter(|&m| kept.matrices[m].rows.iter().any(|row| row.url == url)));

    let mut wanted = Wanted {
        sections: BTreeSet::from([section]),
        ..Wanted::default()
    };
    wanted.pages.insert(index);
    wanted.pages.extend(related_changed);
    let shows = |list: &Vec<Target>| list.contains(&Target::Page(index));
    wanted
        .pages
        .extend((0..content.pages.len()).filter(|&q| shows(&linked.related[q]) || shows(&linked.backlinks[q])));
    // Pages whose previous or next page is this one, or changed with the new order.
    let new_order = &content.sections[section].pages;
    for order in [&old_order, new_order] {
        if let Some(at) = order.iter().position(|&p| p == index) {
            wanted.pages.extend(order.get(at.wrapping_sub(1)));
            wanted.pages.extend(order.get(at + 1));
        }
    }
    if old_order != *new_order {
        let neighbours = |order: &[usize], p: usize| {
            let at = order.iter().position(|&q| q == p);
            at.map(|at| (order.get(at.wrapping_sub(1)).copied(), order.get(at + 1).copied()))
        };
        wanted.pages.extend(
            new_order
                .iter()
                .copied()
                .filter(|&p| neighbours(&old_order, p) != neighbours(new_order, p)),
        );
    }
    // Source pages list the pages that name or cite their source.
    let uses =
        |id: &str| page.meta.sources.iter().any(|s| s == id) || linked.pages[index].citations.iter().any(|s| s == id);
    wanted
        .pages
        .extend((0..content.pages.len()).filter(|&p| content.pages[p].meta.about_source.as_deref().is_some_and(uses)));
    wanted
}

/// Whether a page's new title puts it somewhere else among the pages sorted by title (the
/// order of section lists, facet pages, comparison tables and ties between related pages).
fn moved_in_title_order(content: &Content, index: usize, old_title: &str) -> bool {
    let page = &content.pages[index];
    let old = old_title.to_lowercase();
    let new = page.meta.title.to_lowercase();
    if old == new {
        return false;
    }
    let (low, high) = if old < new { (old, new) } else { (new, old) };
    let key = page.key.as_str();
    content.pages.iter().enumerate().any(|(i, other)| {
        if i == index {
            return false;
        }
        let title = other.meta.title.to_lowercase();
        let place = (title.as_str(), other.key.as_str());
        (low.as_str(), key) < place && place < (high.as_str(), key)
    })
}

/// Renders again, with the theme as it now is, every output whose template changed or uses
/// a changed template (through `extends`, `include` or `import`), after edits to template
/// files alone (`relative`: their paths under the site folder). `None` when a full build is
/// needed: a path is not a template, templates were added or removed, or one does not
/// compile or render (the full build reports it).
pub fn rerender_templates(kept: &mut Kept, relative: &[&Path]) -> Option<Files> {
    let theme_templates = Path::new("themes").join(&kept.config.theme).join("templates");
    let is_template = |path: &&Path| path.starts_with("templates") || path.starts_with(&theme_templates);
    if relative.is_empty() || !relative.iter().all(is_template) {
        return None;
    }
    let theme = theme::load(&kept.config).ok()?;
    settle(kept);
    let old = &kept.theme.templates;
    if !theme.templates.keys().eq(old.keys()) {
        return None;
    }
    let changed: BTreeSet<String> = theme
        .templates
        .iter()
        .filter(|(name, template)| old.get(*name).is_none_or(|o| o.text != template.text))
        .map(|(name, _)| name.clone())
        .collect();
    if changed.iter().any(|name| name.starts_with(markdown::SHORTCODES_DIR)) {
        // A shortcode's HTML is inside the markdown of the pages that call it.
        return None;
    }
    let tera = render::compile(
        &kept.config,
        &kept.content,
        &kept.linked,
        &kept.matrices,
        &theme,
        kept.search_manifest.as_deref(),
    )
    .ok()?;
    let wanted = Wanted {
        templates: users(&theme, changed),
        ..Wanted::default()
    };
    let files = render::render_wanted(
        &kept.config,
        &kept.content,
        &kept.linked,
        &kept.matrices,
        &theme,
        &tera,
        kept.search_manifest.is_some(),
        &wanted,
        &|| false,
    )
    .ok()
    .flatten()?;
    kept.theme = Arc::new(theme);
    kept.tera = Arc::new(tera);
    Some(files)
}

/// The templates among `changed` and every template that uses one of them, directly or not.
/// A template uses another if the other's name appears quoted in one of its `{% %}` tags:
/// that finds `extends`, `include` and `import`, and at worst a few more.
fn users(theme: &Theme, mut changed: BTreeSet<String>) -> BTreeSet<String> {
    let uses = |text: &str, name: &str| {
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        text.split("{%").skip(1).any(|tag| {
            let tag = tag.split("%}").next().unwrap_or("");
            quoted.iter().any(|q| tag.contains(q.as_str()))
        })
    };
    loop {
        let more: Vec<String> = theme
            .templates
            .iter()
            .filter(|(name, t)| !changed.contains(*name) && changed.iter().any(|c| uses(&t.text, c)))
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return changed;
        }
        changed.extend(more);
    }
}

/// The site's or theme's static files among `relative` (paths under the site folder), read
/// again, each at its output path, after edits to static files alone. `None` when a full
/// build is needed: a path is not a static file the last build copied (a new or deleted file,
/// one another file overrides, or one at a path the build makes itself), or it is an image,
/// whose size the pages showing it write.
pub fn recopy_static(kept: &Kept, relative: &[&Path]) -> Option<Files> {
    if relative.is_empty()
        || relative
            .iter()
            .any(|path| links::is_sized_image(&path.to_string_lossy()))
    {
        return None;
    }
    let root = &kept.config.root;
    relative
        .iter()
        .map(|path| {
            let output = kept
                .theme
                .static_files
                .iter()
                .find_map(|(output, contents)| match contents {
                    render::Contents::CopyOf(from) if from.strip_prefix(root).is_ok_and(|f| f == *path) => Some(output),
                    _ => None,
                })?;
            let made = render::is_made(
                &kept.config,
                &kept.content,
                &kept.linked,
                &kept.matrices,
                kept.search_manifest.is_some(),
                output,
            );
            let bytes = std::fs::read(root.join(path)).ok().filter(|_| !made)?;
            Some((output.clone(), bytes))
        })
        .collect()
}
