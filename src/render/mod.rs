//! Render: every page and section through its Tera template, plus the 404 page, sitemap,
//! robots.txt, feed, highlight stylesheet and static files, as a map of output files.
//!
//! Uses `config`, `content`, `markdown` (types only) and `links`. Returns data; writing it is
//! the `output` stage's job.

mod crawl;
pub mod feeds;
mod headers;
pub mod lists;
pub mod moved;
pub mod redirects;
mod resize;
mod site_paths;
mod svg_files;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::links::Linked;
use crate::matrix::Matrix;
use crate::search::SearchIndex;
use crate::theme::template_error;
pub use crate::theme::{Contents, Theme};
use views::Views;

/// The finished site held in memory: site-relative output path ("a/b/index.html") to contents.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Contents>,
}

/// Where rendered files go as they are made: memory ([`Collect`], for `serve` and tests), the
/// output stage's staging folder (`build`), or nowhere ([`Discard`], for `check`). Pages are
/// handed over one by one from several threads, so a build never holds the whole site.
pub trait Sink: Sync {
    fn put(&self, path: &str, contents: Contents) -> Result<(), Diagnostic>;
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<RenderedSite>);

impl Collect {
    pub fn into_site(self) -> RenderedSite {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, contents: Contents) -> Result<(), Diagnostic> {
        let mut site = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        site.files.insert(path.to_string(), contents);
        Ok(())
    }
}

/// Keeps nothing: `check` renders every page to find template errors, and writes none.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: Contents) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Renders every file of the site into `sink`. Any error diagnostic means the site is
/// incomplete and must not be published (the sink's files are then to be thrown away).
#[allow(clippy::too_many_arguments)]
pub fn render(
    config: &Config,
    content: &Content,
    linked: &Linked,
    matrices: &[Matrix],
    search: SearchIndex,
    theme: &Theme,
    syntax_css: String,
    sink: &dyn Sink,
) -> (Diagnostics, Option<Tera>) {
    let renderer = match Renderer::new(config, content, linked, matrices, theme, search.manifest.as_deref()) {
        Ok(renderer) => renderer,
        Err(diagnostics) => return (diagnostics, None),
    };
    let problems = renderer.rest(matrices, search, syntax_css, Round::Everything, sink);
    renderer.finish(problems)
}

/// Page bodies held apart from `Linked` (a one-off build): each is taken out, shown to `seen`
/// (the search index analyses it there), rendered and freed, so that the site's HTML is
/// never in memory with everything made from it.
pub struct Bodies<'b> {
    /// Each page's HTML, by page index.
    pub html: Vec<Mutex<String>>,
    pub seen: &'b (dyn Fn(usize, &str) + Sync),
}

/// What [`Renderer::rest`] renders.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Every file.
    Everything,
    /// Every file but the content pages, which [`Renderer::pages`] rendered.
    AllButPages,
}

/// The work every round of rendering shares: the site's jobs, the template views and the
/// compiled templates. [`render`] renders everything in one round; a one-off build renders
/// the content pages first ([`Renderer::pages`]), makes the search index, and then the rest.
pub struct Renderer<'a> {
    config: &'a Config,
    content: &'a Content,
    linked: &'a Linked,
    matrices: &'a [Matrix],
    theme: &'a Theme,
    jobs: Vec<Job>,
    /// Indexes into `jobs` of the ones rendered: the first at each output path.
    kept: Vec<usize>,
    views: Views<'a>,
    tera: Tera,
    /// Problems found before rendering (generated pages clashing with content pages).
    diagnostics: Diagnostics,
    /// Every page's links and ids, checked once all are rendered.
    crawl: crawl::Crawl,
    search_manifest: Option<String>,
}

impl<'a> Renderer<'a> {
    /// Plans the site's files and compiles the templates. Of `matrices`, only where each
    /// table is and what it is called is read ([`crate::matrix::outlines`] will do);
    /// `search_manifest` is where the search index's manifest is (or will be) written.
    pub fn new(
        config: &'a Config,
        content: &'a Content,
        linked: &'a Linked,
        matrices: &'a [Matrix],
        theme: &'a Theme,
        search_manifest: Option<&str>,
    ) -> Result<Renderer<'a>, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let jobs = jobs(config, content, linked, matrices, search_manifest.is_some());
        // A generated page may not take a content page's place; two content files at one URL
        // are already reported by `content`, naming both: the first is kept.
        let mut taken: HashSet<&str> = HashSet::new();
        let mut kept = Vec::with_capacity(jobs.len());
        for (at, job) in jobs.iter().enumerate() {
            if taken.insert(&job.output) {
                kept.push(at);
            } else if !matches!(job.kind, JobKind::Page(_) | JobKind::Section(_)) {
                diagnostics.push(Diagnostic::error(
                    job.origin.clone(),
                    format!("the generated page /{} would replace a content page at the same URL", job.output),
                ).code(Code::GeneratedPageClash).with_hint("rename the content folder, or set a different `slug` for the vocabulary or matrix `path` in site.toml"));
            }
        }
        if !linked.unverified.is_empty() {
            let resized = linked.images.resized.values().map(|made| made.path.as_str());
            let pages = jobs.iter().map(|job| job.output.as_str()).chain(resized);
            let outputs = site_paths::output_paths(content, theme, pages, matrices, search_manifest);
            diagnostics.extend(site_paths::check(&linked.unverified, &outputs));
        }
        let aliases = redirects::all(content);
        if !aliases.is_empty() {
            let pages = kept
                .iter()
                .map(|&at| (jobs[at].output.as_str(), jobs[at].origin.as_path()));
            let owners = redirects::owners(config, content, theme, pages, &made_paths(matrices));
            let search_dir = search_manifest.map(|_| SEARCH_PATH);
            diagnostics.extend(redirects::clashes(&aliases, &owners, search_dir));
        }
        let views = Views::new(config, content, linked);
        let tera = match templates(config, content, theme, &views, &jobs, matrices, search_manifest) {
            Ok(tera) => tera,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        Ok(Renderer {
            config,
            content,
            linked,
            matrices,
            theme,
            jobs,
            kept,
            views,
            tera,
            diagnostics,
            crawl: crawl::Crawl::default(),
            search_manifest: search_manifest.map(str::to_string),
        })
    }

    /// Leaves the crawl out of [`Renderer::finish`]: when earlier stages found errors, the
    /// pages they left out would only be reported again as links leading nowhere.
    pub fn skip_crawl(&mut self) {
        self.crawl = crawl::Crawl::disabled();
    }

    fn kept_jobs(&self) -> impl Iterator<Item = &Job> {
        self.kept.iter().map(|&at| &self.jobs[at])
    }

    /// Renders every content page, in parallel, taking each page's HTML from `bodies` and
    /// freeing it once the page is written.
    pub fn pages(&self, bodies: &Bodies<'_>, sink: &dyn Sink) -> Vec<Diagnostic> {
        let pages: Vec<(usize, &Job)> = self
            .kept_jobs()
            .filter_map(|job| match job.kind {
                JobKind::Page(index) => Some((index, job)),
                _ => None,
            })
            .collect();
        pages
            .into_par_iter()
            .with_max_len(1)
            .filter_map(|(index, job)| {
                let html = bodies
                    .html
                    .get(index)
                    .map(|body| std::mem::take(&mut *body.lock().unwrap_or_else(PoisonError::into_inner)))
                    .unwrap_or_default();
                (bodies.seen)(index, &html);
                let context = job.context(&self.views, self.linked, self.matrices, Some(&html));
                self.render_job(job, &context, sink).err()
            })
            .collect()
    }

    /// Renders every other file in parallel, the biggest first (the comparison page, the
    /// tables' data, lists of many pages) so that no thread is left finishing a long one
    /// alone at the end. `matrices` are the tables with their rows, in the order given to
    /// [`Renderer::new`]; `search` is the index (its files in memory, or already written).
    pub fn rest(
        &self,
        matrices: &[Matrix],
        search: SearchIndex,
        syntax_css: String,
        round: Round,
        sink: &dyn Sink,
    ) -> Vec<Diagnostic> {
        let (config, content, theme) = (self.config, self.content, self.theme);
        let taken: HashSet<&str> = self.kept_jobs().map(|job| job.output.as_str()).collect();
        let generated = generated_paths(&self.jobs);
        let mut big: Vec<&Job> = self.kept_jobs().filter(|j| j.kind.is_generated()).collect();
        big.sort_by_key(|j| j.kind.size_rank());
        let mut work: Vec<Work<'_>> = big.into_iter().map(Work::Page).collect();
        let mut made: Vec<(String, Made<'_>)> = vec![
            (
                "sitemap.xml".into(),
                Box::new(move || feeds::sitemap(config, content, &generated)),
            ),
            ("robots.txt".into(), Box::new(|| feeds::robots(config))),
            ("atom.xml".into(), Box::new(|| feeds::atom(config, content))),
        ];
        if !theme.static_files.contains_key(headers::PATH) {
            made.push((headers::PATH.into(), Box::new(|| headers::headers(config))));
        }
        let aliases = redirects::all(content);
        for redirect in &aliases {
            let target = redirect.target;
            made.push((
                redirect.alias.output(),
                Box::new(move || redirects::page(config, target)),
            ));
        }
        if !aliases.is_empty() {
            let rules = redirects::file(config, &aliases, theme.static_files.get(redirects::PATH));
            made.push((redirects::PATH.into(), Box::new(move || rules)));
        }
        for matrix in matrices {
            made.push((format!("{}matrix.json", matrix.path), Box::new(|| matrix.to_json())));
            made.push((format!("{}matrix.csv", matrix.path), Box::new(|| matrix.to_csv())));
        }
        let mut files: Vec<(String, Contents)> = vec![("syntax.css".into(), Contents::Bytes(syntax_css.into_bytes()))];
        files.extend(
            search
                .files
                .into_iter()
                .map(|(path, bytes)| (path, Contents::Bytes(bytes))),
        );
        // The theme's static files and the content's assets never replace a file made above,
        // or one of the search index's already written.
        let mut owned: HashSet<String> = taken.iter().map(|p| p.to_string()).collect();
        owned.extend(search.written);
        owned.extend(made.iter().map(|(path, _)| path.clone()));
        owned.extend(files.iter().map(|(path, _)| path.clone()));
        for (path, contents) in theme.static_files.iter() {
            if owned.insert(path.clone()) {
                files.push((path.clone(), contents.clone()));
            }
        }
        for asset in &content.assets {
            if owned.insert(asset.to.clone()) {
                files.push((asset.to.clone(), Contents::CopyOf(asset.from.clone())));
            }
        }
        let not_taken = |path: &String| !taken.contains(path.as_str());
        let images = &self.linked.images;
        for (resized, made) in &images.resized {
            if not_taken(&made.path) && owned.insert(made.path.clone()) {
                work.push(Work::Resized(resized, made));
            }
        }
        let oversized: Vec<Diagnostic> = images
            .shown
            .iter()
            .filter_map(|(path, from)| {
                let bytes = std::fs::metadata(from).ok()?.len();
                resize::too_large(config, path, from, bytes)
            })
            .collect();
        work.extend(
            made.into_iter()
                .filter(|(path, _)| not_taken(path))
                .map(|(path, make)| Work::Made(path, make)),
        );
        work.extend(
            files
                .into_iter()
                .filter(|(path, _)| not_taken(path))
                .map(|(path, contents)| Work::File(path, contents)),
        );
        work.extend(
            self.kept_jobs()
                .filter(|j| !j.kind.is_generated())
                .filter(|j| round == Round::Everything || !matches!(j.kind, JobKind::Page(_)))
                .map(Work::Page),
        );
        work.into_par_iter()
            .with_max_len(1)
            .flat_map_iter(|work| {
                let (result, warning) = match work {
                    Work::Page(job) => {
                        let context = job.context(&self.views, self.linked, matrices, None);
                        (self.render_job(job, &context, sink), None)
                    }
                    Work::Made(path, make) => (sink.put(&path, Contents::Bytes(make().into_bytes())), None),
                    Work::File(path, contents) if svg_files::is_svg(&path) => {
                        let (published, warning) = svg_files::publish(&config.root, &path, contents);
                        (published.and_then(|contents| sink.put(&path, contents)), warning)
                    }
                    Work::File(path, contents) => (sink.put(&path, contents), None),
                    Work::Resized(resized, made) => {
                        let warning = resize::too_large(config, &made.path, &resized.from, made.bytes.len() as u64);
                        (sink.put(&made.path, Contents::Bytes(made.bytes.to_vec())), warning)
                    }
                };
                result.err().into_iter().chain(warning)
            })
            .chain(oversized)
            .collect()
    }

    fn render_job(&self, job: &Job, context: &Context, sink: &dyn Sink) -> Result<(), Diagnostic> {
        let html = render_one(&self.tera, self.theme, &job.template, context, &job.origin)?;
        self.crawl.record(&job.output, &job.template, &job.origin, &html);
        sink.put(&job.output, Contents::Bytes(html))
    }

    /// Every path the site's files are written to, for the crawl: pages, generated files,
    /// static files, resized images and the redirect pages.
    fn outputs(&self) -> BTreeSet<String> {
        let resized = self.linked.images.resized.values().map(|made| made.path.as_str());
        let pages = self.kept_jobs().map(|job| job.output.as_str()).chain(resized);
        let manifest = self.search_manifest.as_deref();
        let mut outputs = site_paths::output_paths(self.content, self.theme, pages, self.matrices, manifest);
        let aliases = redirects::all(self.content);
        outputs.extend(aliases.iter().map(|redirect| redirect.alias.output()));
        if !aliases.is_empty() {
            outputs.insert(redirects::PATH.to_string());
        }
        outputs
    }

    /// A warning for each URL the previous build published that nothing has now
    /// ([`moved::check`]).
    pub fn moved(&self, previous: &moved::Previous) -> Vec<Diagnostic> {
        let mut generated_folders: Vec<String> = crate::config::Facet::ALL
            .iter()
            .map(|&facet| self.config.vocabularies.path(facet))
            .collect();
        generated_folders.extend([A_TO_Z_PATH.to_string(), SEARCH_PATH.to_string()]);
        generated_folders.extend(self.matrices.iter().map(|m| m.path.clone()));
        moved::check(self.content, &generated_paths(&self.jobs), &generated_folders, previous)
    }

    /// Every page's link card made so far, taken out for the caller to free (or not).
    pub fn take_page_links(&mut self) -> Vec<std::sync::OnceLock<tera::Value>> {
        self.views.take_page_links()
    }

    /// The problems of every round, each reported once (a broken template fails every page
    /// that uses it), and the compiled templates.
    pub fn finish(self, mut problems: Vec<Diagnostic>) -> (Diagnostics, Option<Tera>) {
        if problems.is_empty() && !self.diagnostics.has_errors() {
            let outputs = self.outputs();
            problems.extend(self.crawl.check(&self.config.base_url, &outputs));
        }
        let mut diagnostics = self.diagnostics;
        let mut seen = BTreeMap::new();
        for d in problems {
            seen.entry((d.file.clone(), d.location.clone(), d.message.clone()))
                .or_insert(d);
        }
        diagnostics.extend(seen.into_values());
        (diagnostics, Some(self.tera))
    }
}

/// Output files made outside a full build: each site-relative path with its bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// Which outputs of a finished build to render again ([`render_wanted`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// Page indexes.
    pub pages: BTreeSet<usize>,
    /// Section indexes.
    pub sections: BTreeSet<usize>,
    /// Facet pages (the list of a facet's values), by index into `Linked::facets`.
    pub facets: BTreeSet<usize>,
    /// Facet value pages, as (index into `Linked::facets`, value index).
    pub facet_values: BTreeSet<(usize, usize)>,
    pub a_to_z: bool,
    /// The Atom feed.
    pub feed: bool,
    pub sitemap: bool,
    /// Every page rendered with one of these templates (a template edit).
    pub templates: BTreeSet<String>,
}

/// The site-relative paths of the pages Signpost makes itself (A–Z, facet pages, tables…),
/// which the sitemap lists beside the content.
fn generated_paths(jobs: &[Job]) -> Vec<String> {
    jobs.iter()
        .filter(|j| j.kind.is_generated())
        .map(|j| j.output.trim_end_matches("index.html").to_string())
        .collect()
}

/// Renders some outputs again with the templates of a finished build (`serve`, after an edit
/// that few pages show): each output path with its bytes, exactly as [`render`] made them,
/// in path order. Rendering runs in parallel; once `stop` says so, no more outputs are
/// started and the result is `None`.
#[allow(clippy::too_many_arguments)]
pub fn render_wanted(
    config: &Config,
    content: &Content,
    linked: &Linked,
    matrices: &[Matrix],
    theme: &Theme,
    tera: &Tera,
    has_search: bool,
    wanted: &Wanted,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Files>, Diagnostic> {
    let is_wanted = |job: &Job| {
        wanted.templates.contains(&job.template)
            || match job.kind {
                JobKind::Page(i) => wanted.pages.contains(&i),
                JobKind::Section(i) => wanted.sections.contains(&i),
                JobKind::Facet(f) => wanted.facets.contains(&f),
                JobKind::FacetValue(f, v, _) => wanted.facet_values.contains(&(f, v)),
                JobKind::AtoZ(_) => wanted.a_to_z,
                JobKind::Matrix(_) | JobKind::MatrixPart(..) | JobKind::Search | JobKind::NotFound => false,
            }
    };
    let all = jobs(config, content, linked, matrices, has_search);
    let generated = generated_paths(&all);
    let jobs: Vec<Job> = all.into_iter().filter(is_wanted).collect();
    let mut made: Vec<(String, Made<'_>)> = Vec::new();
    if wanted.feed {
        made.push(("atom.xml".into(), Box::new(|| feeds::atom(config, content))));
    }
    if wanted.sitemap {
        made.push((
            "sitemap.xml".into(),
            Box::new(|| feeds::sitemap(config, content, &generated)),
        ));
    }
    let views = Views::new(config, content, linked);
    let mut work: Vec<Work<'_>> = jobs.iter().map(Work::Page).collect();
    work.extend(made.into_iter().map(|(path, make)| Work::Made(path, make)));
    let files = work
        .into_par_iter()
        .with_max_len(1)
        .map(|work| {
            if stop() {
                return Ok(None);
            }
            Ok(Some(match work {
                Work::Page(job) => {
                    let context = job.context(&views, linked, matrices, None);
                    let html = render_one(tera, theme, &job.template, &context, &job.origin)?;
                    (job.output.clone(), html)
                }
                Work::Made(path, make) => (path, make().into_bytes()),
                Work::File(path, contents) => (path, contents.into_bytes()),
                // Quick re-renders make no images: a new copy takes a full build.
                Work::Resized(_, made) => (made.path.clone(), Vec::new()),
            }))
        })
        .collect::<Result<Option<Vec<_>>, Diagnostic>>()?;
    Ok(files.map(|mut files| {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }))
}

/// A table's own page as templates see it: the whole table, or, split, its index.
fn table_value(matrix: &Matrix) -> tera::Value {
    match matrix.parts.is_empty() {
        true => views::matrix_value(matrix),
        false => views::matrix_value(&matrix.index_page()),
    }
}

/// One comparison table's pages and data files again, with the templates of a finished build
/// (`serve`, after an edit to a page in it): each output path with its bytes, exactly as
/// [`render`] made them. Needs nothing but the table, so it can run on any thread.
pub fn render_table(tera: &Tera, theme: &Theme, matrix: &Matrix) -> Result<Files, Diagnostic> {
    let origin = PathBuf::from(crate::config::CONFIG_FILE);
    let page = |path: &str, value: tera::Value| -> Result<(String, Vec<u8>), Diagnostic> {
        let mut context = Context::new();
        context.insert("current_path", path);
        context.insert_value("matrix", value);
        let html = render_one(tera, theme, "compare.html", &context, &origin)?;
        Ok((format!("{path}index.html"), html))
    };
    let mut files = vec![page(&matrix.path, table_value(matrix))?];
    for (p, part) in matrix.parts.iter().enumerate() {
        files.push(page(&part.path, views::matrix_value(&matrix.part_page(p)))?);
    }
    files.push((format!("{}matrix.csv", matrix.path), matrix.to_csv().into_bytes()));
    files.push((format!("{}matrix.json", matrix.path), matrix.to_json().into_bytes()));
    Ok(files)
}

/// The files [`Renderer::rest`] makes itself at fixed paths, for alias clashes.
fn made_paths(matrices: &[Matrix]) -> Vec<String> {
    let mut made: Vec<String> = ["sitemap.xml", "robots.txt", "atom.xml", "syntax.css", headers::PATH]
        .map(String::from)
        .to_vec();
    for matrix in matrices {
        made.push(format!("{}matrix.json", matrix.path));
        made.push(format!("{}matrix.csv", matrix.path));
    }
    made
}

/// Whether [`render`] makes the file at `path` itself (a page, a generated page, the feeds,
/// the highlight stylesheet, a table's data, the search index, a redirect or `_redirects`),
/// so that a static file or asset of the same name is not copied there.
pub fn is_made(
    config: &Config,
    content: &Content,
    linked: &Linked,
    matrices: &[Matrix],
    has_search: bool,
    path: &str,
) -> bool {
    const MADE: [&str; 4] = ["sitemap.xml", "robots.txt", "atom.xml", "syntax.css"];
    MADE.contains(&path)
        || path.starts_with(crate::search::SEARCH_DIR)
        || matrices
            .iter()
            .any(|m| path == format!("{}matrix.json", m.path) || path == format!("{}matrix.csv", m.path))
        || jobs(config, content, linked, matrices, has_search)
            .iter()
            .any(|job| job.output == path)
        || {
            let aliases = redirects::all(content);
            (path == redirects::PATH && !aliases.is_empty()) || aliases.iter().any(|r| r.alias.output() == path)
        }
}

/// The templates of a theme compiled as [`render`] compiles them, for a finished build whose
/// templates changed (`serve`). `search_manifest` is the search index the build made.
pub fn compile(
    config: &Config,
    content: &Content,
    linked: &Linked,
    matrices: &[Matrix],
    theme: &Theme,
    search_manifest: Option<&str>,
) -> Result<Tera, Diagnostic> {
    let views = Views::new(config, content, linked);
    let jobs = jobs(config, content, linked, matrices, search_manifest.is_some());
    templates(config, content, theme, &views, &jobs, matrices, search_manifest)
}

/// Text made on demand (a feed, the sitemap, a table's data).
type Made<'a> = Box<dyn FnOnce() -> String + Send + 'a>;

/// One file of the site to produce.
enum Work<'a> {
    Page(&'a Job),
    Made(String, Made<'a>),
    File(String, Contents),
    /// A resized copy `links` made, to publish.
    Resized(&'a crate::links::Resized, &'a crate::links::Made),
}

/// One HTML file to render.
struct Job {
    kind: JobKind,
    /// Output path ("a/b/index.html").
    output: String,
    template: String,
    /// The file named in error hints.
    origin: PathBuf,
}

enum JobKind {
    Page(usize),
    Section(usize),
    /// Index into `Linked::facets`.
    Facet(usize),
    /// Facet index, value index and page number (from 1) of the value's list.
    FacetValue(usize, usize, usize),
    /// The A to Z's own page (all of it, or the index of a split one), or page `.1` (from 1)
    /// of letter `.0`'s page in a split one.
    AtoZ(Option<(usize, usize)>),
    /// A table's page: the whole table, or the index of a split one.
    Matrix(usize),
    /// Table and part index: one page of a split table.
    MatrixPart(usize, usize),
    Search,
    NotFound,
}

impl JobKind {
    /// A page Signpost makes (not from a content file, nor the 404 page).
    fn is_generated(&self) -> bool {
        matches!(
            self,
            JobKind::Facet(_)
                | JobKind::FacetValue(..)
                | JobKind::AtoZ(_)
                | JobKind::Matrix(_)
                | JobKind::MatrixPart(..)
                | JobKind::Search
        )
    }

    /// Roughly how big the page gets, biggest first: a comparison table has a row per page.
    fn size_rank(&self) -> u8 {
        match self {
            JobKind::Matrix(_) | JobKind::MatrixPart(..) => 0,
            JobKind::AtoZ(_) => 1,
            JobKind::FacetValue(..) => 2,
            _ => 3,
        }
    }
}

/// The A–Z index's folder.
pub const A_TO_Z_PATH: &str = "a-z/";

/// The search page's folder (the index itself is in a content-hashed folder inside it).
pub const SEARCH_PATH: &str = crate::search::SEARCH_DIR;

/// Every page to render with a template, in site order (`has_search`: the search page too).
fn jobs(config: &Config, content: &Content, linked: &Linked, matrices: &[Matrix], has_search: bool) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (i, page) in content.pages.iter().enumerate() {
        jobs.push(Job {
            kind: JobKind::Page(i),
            output: format!("{}index.html", page.path),
            template: page_template(content, i),
            origin: page.file.display.clone(),
        });
    }
    for (i, section) in content.sections.iter().enumerate() {
        jobs.push(Job {
            kind: JobKind::Section(i),
            output: format!("{}index.html", section.path),
            template: section_template(content, i),
            origin: section.file.display.clone(),
        });
    }
    let site_toml = PathBuf::from(crate::config::CONFIG_FILE);
    for (f, facet) in linked.facets.iter().enumerate() {
        if facet.values.is_empty() {
            continue;
        }
        jobs.push(Job {
            kind: JobKind::Facet(f),
            output: format!("{}index.html", config.vocabularies.path(facet.facet)),
            template: "facet.html".to_string(),
            origin: site_toml.clone(),
        });
        for (v, (id, pages)) in facet.values.iter().enumerate() {
            let base = config.vocabularies.value_path(facet.facet, id);
            for number in 1..=lists::page_count(pages.len(), config.lists.page_size) {
                jobs.push(Job {
                    kind: JobKind::FacetValue(f, v, number),
                    output: format!("{}index.html", lists::numbered_path(&base, number)),
                    template: "facet-value.html".to_string(),
                    origin: site_toml.clone(),
                });
            }
        }
    }
    a_to_z_jobs(config, content, &site_toml, &mut jobs);
    for (m, matrix) in matrices.iter().enumerate() {
        jobs.push(Job {
            kind: JobKind::Matrix(m),
            output: format!("{}index.html", matrix.path),
            template: "compare.html".to_string(),
            origin: site_toml.clone(),
        });
        for (p, part) in matrix.parts.iter().enumerate() {
            jobs.push(Job {
                kind: JobKind::MatrixPart(m, p),
                output: format!("{}index.html", part.path),
                template: "compare.html".to_string(),
                origin: site_toml.clone(),
            });
        }
    }
    if has_search {
        jobs.push(Job {
            kind: JobKind::Search,
            output: format!("{SEARCH_PATH}index.html"),
            template: "search.html".to_string(),
            origin: site_toml.clone(),
        });
    }
    jobs.push(Job {
        kind: JobKind::NotFound,
        output: "404.html".to_string(),
        template: "404.html".to_string(),
        origin: PathBuf::from("404.html"),
    });
    jobs
}

impl Job {
    /// The template context; `body`: the page's HTML, where it is held apart from `Linked`.
    fn context(&self, views: &Views<'_>, linked: &Linked, matrices: &[Matrix], body: Option<&str>) -> Context {
        let mut context = Context::new();
        context.insert("current_path", self.output.trim_end_matches("index.html"));
        match self.kind {
            JobKind::Page(i) => {
                let mut page = views.page(i);
                if let Some(body) = body {
                    page.set_content(body);
                }
                context.insert("page", &page);
            }
            JobKind::Section(i) => context.insert("section", &views.section(i)),
            JobKind::Facet(f) => context.insert("facet", &views.facet(&linked.facets[f])),
            JobKind::FacetValue(f, v, number) => {
                context.insert("facet", &views.facet(&linked.facets[f]));
                if let Some((value, pages, pagination)) = views.facet_value_page(&linked.facets[f], v, number) {
                    context.insert("value", &value);
                    context.insert("pages", &pages);
                    context.insert("pagination", &pagination);
                }
            }
            JobKind::AtoZ(shown) => a_to_z_context(views.config(), views, shown, &mut context),
            JobKind::Matrix(m) => context.insert_value("matrix", table_value(&matrices[m])),
            JobKind::MatrixPart(m, p) => context.insert_value("matrix", views::matrix_value(&matrices[m].part_page(p))),
            JobKind::Search | JobKind::NotFound => {}
        }
        context
    }
}

/// The A to Z's page, and, when it is split, each letter's pages.
fn a_to_z_jobs(config: &Config, content: &Content, site_toml: &std::path::Path, jobs: &mut Vec<Job>) {
    let job = |kind: JobKind, folder: String| Job {
        kind,
        output: format!("{folder}index.html"),
        template: "a-z.html".to_string(),
        origin: site_toml.to_path_buf(),
    };
    jobs.push(job(JobKind::AtoZ(None), A_TO_Z_PATH.to_string()));
    if !lists::a_to_z_is_split(config, content) {
        return;
    }
    let groups = lists::a_to_z(content);
    for (l, group) in groups.iter().enumerate() {
        let base = lists::letter_path(&group.id);
        for number in 1..=lists::page_count(group.entries.len(), config.lists.page_size) {
            jobs.push(job(
                JobKind::AtoZ(Some((l, number))),
                lists::numbered_path(&base, number),
            ));
        }
    }
}

/// `letters` for the A to Z's templates, and `split` when it has a page per letter; on a
/// letter's page also `letter` (its entries on this page) and `pagination`.
fn a_to_z_context(config: &Config, views: &Views<'_>, shown: Option<(usize, usize)>, context: &mut Context) {
    let (letters, letter, split) = views.a_to_z(shown);
    context.insert("split", &split);
    context.insert("letters", &letters);
    if let (Some(letter), Some((_, number))) = (letter, shown) {
        let base = lists::letter_path(&letter.id);
        let pagination = lists::Pagination::new(config, &base, letter.count, number);
        context.insert("letter", &letter);
        context.insert("pagination", &pagination);
    }
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
    jobs: &[Job],
    matrices: &[Matrix],
    search_manifest: Option<&str>,
) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    // `{{ n | plural(noun="option") }}`: "1 option", "2 options", as messages say it.
    tera.register_filter("plural", |n: i64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let noun: &str = kwargs.must_get("noun")?;
        Ok(crate::plural(n, noun))
    });
    // Functions first: Tera checks, as templates are added, that every function they call exists.
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
    tera.register_function("get_url", move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        url_for(&urls, &base_path, path)
    });
    // Every page's link card, only when a template may ask for one.
    let links: Arc<BTreeMap<String, Value>> = Arc::new(match theme.calls_get_page() {
        false => BTreeMap::new(),
        true => content
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), views.page_link(i)))
            .chain(content.sections.iter().enumerate().map(|(i, s)| {
                // A section link with its pages added.
                let mut link = views.section_link(i).into_map().unwrap_or_default();
                let pages: Vec<Value> = s.pages.iter().map(|&p| views.page_link(p)).collect();
                link.insert("pages".into(), Value::from(pages));
                (s.key.clone(), Value::from(link))
            }))
            .collect(),
    });
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        let key = path.trim_start_matches("@/");
        links
            .get(key)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("get_page: no page or section `{path}`")))
    });

    // Shortcode templates are among the theme's: the function they write site paths with
    // must exist here too, but only the markdown stage can resolve what it is given.
    tera.register_function(
        crate::markdown::SITE_LINK,
        |_: Kwargs, _: &State| -> TeraResult<String> {
            Err(tera::Error::message(
                "site_link is for shortcode templates; page templates write links with get_url",
            ))
        },
    );
    tera.add_raw_templates(theme.templates.iter().map(|(name, t)| (name.as_str(), t.text.as_str())))
        .map_err(|e| template_error(&e, theme, None))?;

    for job in jobs {
        if !tera.contains_template(&job.template) {
            let names: Vec<&str> = theme.templates.keys().map(String::as_str).collect();
            return Err(Diagnostic::error(
                job.origin.clone(),
                format!(
                    "template `{}` not found in theme `{}` or templates/",
                    job.template, config.theme
                ),
            )
            .code(Code::TemplateMissing)
            .with_optional_hint(
                closest(&job.template, names.iter().copied()).map(|n| format!("did you mean `{n}`?")),
            ));
        }
    }

    let global = tera.global_context();
    global.insert("site", &views.site());
    global.insert("nav", &views.navigation());
    global.insert(
        "sources",
        &config.sources.iter().map(|s| views.source_view(s)).collect::<Vec<_>>(),
    );
    global.insert("vocabularies", &config.vocabularies);
    global.insert(
        "generated",
        &Generated {
            a_to_z_url: config.base_url.link(A_TO_Z_PATH),
            search_url: search_manifest.map(|_| config.base_url.link(SEARCH_PATH)),
            search_index_url: search_manifest.map(|m| config.base_url.link(m)),
            matrices: matrices
                .iter()
                .map(|m| GeneratedLink {
                    title: &m.title,
                    url: config.base_url.link(&m.path),
                })
                .collect(),
            facets: views
                .facets()
                .into_iter()
                .filter(|f| !f.values.is_empty())
                .map(|f| GeneratedLink {
                    title: f.name,
                    url: f.url,
                })
                .collect(),
        },
    );
    Ok(tera)
}

/// Links to the pages Signpost generates, for navigation.
#[derive(serde::Serialize)]
struct Generated<'a> {
    a_to_z_url: String,
    /// The search page, when `[search]` is on.
    search_url: Option<String>,
    /// The search index's manifest, which the search page's script reads.
    search_index_url: Option<String>,
    matrices: Vec<GeneratedLink<'a>>,
    facets: Vec<GeneratedLink<'a>>,
}

#[derive(serde::Serialize)]
struct GeneratedLink<'a> {
    title: &'a str,
    url: String,
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

/// The file's bytes. Rendered into bytes, not a `String`: Tera's output is UTF-8 already, and
/// checking it again was half a percent of a build.
fn render_one(
    tera: &Tera,
    theme: &Theme,
    name: &str,
    context: &Context,
    file: &std::path::Path,
) -> Result<Vec<u8>, Diagnostic> {
    // About a page of the default theme: most files need no more room than this.
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, context, &mut out)
        .map_err(|e| template_error(&e, theme, Some(file)))?;
    Ok(out)
}
