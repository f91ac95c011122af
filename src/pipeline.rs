//! The build, stage by stage: load the configuration, read the content, render markdown,
//! resolve links, build the comparison tables and the search index, render templates. Nothing
//! here writes to disk: rendered files go to a [`Sink`] (memory, `output::Staging`, or nowhere
//! for `check`), so `check` runs exactly what `build` runs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Content};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::links;
use crate::markdown::{self, Highlighter, Includes, Placement, Rendered, Shortcodes};
use crate::matrix;
use crate::output;
use crate::render::{self, Collect, RenderedSite, Sink};
use crate::review;
use crate::search;
use crate::theme;

mod quick;
pub use quick::{
    Reindexed, Tables, passed_by, recopy_static, reindex, render_later, rerender_edit, rerender_templates, take_tables,
};

/// A built site and the warnings met on the way.
pub struct Built {
    pub config: Config,
    pub content: Content,
    /// The files, when rendered into memory ([`build`], [`build_cached`]); empty when
    /// [`Prepared::render_into`] sent them elsewhere.
    pub site: RenderedSite,
    pub warnings: Diagnostics,
    /// What the build made on the way and no longer needs (a one-off build's links, tables
    /// and link cards): freed when the build is dropped, or never by a command about to exit.
    pub leftovers: Leftovers,
}

/// Values held only to be freed: at 10,000 pages, freeing a one-off build's links, tables
/// and link cards takes a tenth of a second of one core.
#[derive(Default)]
pub struct Leftovers {
    _held: Vec<Box<dyn Send>>,
}

/// Everything up to the templates: the site loaded, linked and indexed, ready to render.
pub struct Prepared {
    config: Config,
    content: Content,
    linked: links::Linked,
    matrices: Vec<matrix::Matrix>,
    /// The search index, made here for `serve`; `None` when [`Prepared::render_into`] is to
    /// make it straight into the sink, never holding it whole.
    search: Option<search::SearchIndex>,
    /// What the search index was made from, for `serve` ([`reindex`]).
    search_analysis: Option<search::Analysis>,
    theme: theme::Theme,
    shortcodes: Shortcodes,
    syntax_css: String,
    highlighter: Highlighter,
    diagnostics: Diagnostics,
}

/// The last good build, kept by `serve` so that an edit to one page can be rendered without
/// a full build ([`rerender_edit`]).
pub struct Kept {
    pub config: Config,
    pub content: Content,
    linked: links::Linked,
    matrices: Vec<matrix::Matrix>,
    theme: Arc<theme::Theme>,
    tera: Arc<tera::Tera>,
    shortcodes: Shortcodes,
    highlighter: Highlighter,
    /// The search index's manifest path, which the search page names.
    search_manifest: Option<String>,
    /// What the search index was made from, and its files' paths, for [`reindex`].
    search_analysis: Option<search::Analysis>,
    search_paths: Vec<String>,
    /// What quick re-renders left to [`render_later`].
    later: quick::Later,
}

impl Kept {
    /// The search analysis, for the next full build to reuse ([`Cache::reuse_search`]); the
    /// kept build can no longer bring the search index up to date afterwards.
    pub fn take_search_analysis(&mut self) -> Option<search::Analysis> {
        self.search_analysis.take()
    }
}

/// A build kept in memory for `serve`.
pub struct Served {
    pub site: RenderedSite,
    pub warnings: Diagnostics,
    pub kept: Kept,
}

impl Prepared {
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the stages so far found an error: the site will not be published, so render
    /// it into [`render::Discard`] only to report template errors as well.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Renders every file into `sink`. An error means the sink did not get a whole site.
    pub fn render_into(self, sink: &dyn Sink, progress: &dyn Fn(&str)) -> Result<Built, Diagnostics> {
        if self.search.is_none() {
            return self.render_streamed(sink, progress);
        }
        let (kept, warnings) = self.render_keeping(sink, progress)?;
        Ok(Built {
            config: kept.config,
            content: kept.content,
            site: RenderedSite::default(),
            warnings,
            leftovers: Leftovers::default(),
        })
    }

    /// A one-off build's rendering: each content page's HTML is analysed for search, rendered
    /// and freed, a page at a time; then the search index is written and the other files
    /// rendered. The site's HTML and every page's search analysis are never held together.
    fn render_streamed(self, sink: &dyn Sink, progress: &dyn Fn(&str)) -> Result<Built, Diagnostics> {
        let Prepared {
            config,
            content,
            mut linked,
            matrices,
            theme,
            syntax_css,
            mut diagnostics,
            ..
        } = self;
        release_freed_memory();
        progress("rendering pages");
        let html = linked
            .pages
            .iter_mut()
            .map(|page| Mutex::new(std::mem::take(&mut page.html)))
            .collect();
        let manifest = search::manifest_path(&config);
        let mut renderer =
            match render::Renderer::new(&config, &content, &linked, &matrices, &theme, manifest.as_deref()) {
                Ok(renderer) => renderer,
                Err(problems) => {
                    diagnostics.extend(problems);
                    return Err(diagnostics);
                }
            };
        if let Some(previous) = render::moved::previous(&config) {
            diagnostics.extend(renderer.moved(&previous));
        }
        let indexer = search::Indexer::new(&config, &content, &linked);
        let seen = |index: usize, html: &str| {
            if let Some(indexer) = &indexer {
                indexer.page(index, html);
            }
        };
        let mut problems = renderer.pages(&render::Bodies { html, seen: &seen }, sink);
        release_freed_memory();
        progress("building the search index");
        let search = match indexer {
            Some(indexer) => search_into(indexer, sink, &mut diagnostics),
            None => search::SearchIndex::default(),
        };
        release_freed_memory();
        // The renderer was planned with the tables' outlines; their rows are made only now.
        progress("building comparison tables");
        let tables = matrix::build(&config, &content);
        progress("rendering templates");
        problems.extend(renderer.rest(&tables, search, syntax_css, render::Round::AllButPages, sink));
        let page_links = renderer.take_page_links();
        if diagnostics.has_errors() {
            renderer.skip_crawl();
        }
        let (problems, _) = renderer.finish(problems);
        diagnostics.extend(problems);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Built {
            config,
            content,
            site: RenderedSite::default(),
            warnings: diagnostics,
            leftovers: Leftovers {
                _held: vec![
                    Box::new(linked),
                    Box::new(matrices),
                    Box::new(tables),
                    Box::new(page_links),
                ],
            },
        })
    }

    fn render_keeping(self, sink: &dyn Sink, progress: &dyn Fn(&str)) -> Result<(Kept, Diagnostics), Diagnostics> {
        let mut diagnostics = self.diagnostics;
        let mut search = self.search.unwrap_or_default();
        diagnostics.extend(std::mem::take(&mut search.warnings));
        progress("rendering templates");
        let search_manifest = search.manifest.clone();
        let search_paths = search.files.iter().map(|(path, _)| path.clone()).collect();
        let (problems, tera) = render::render(
            &self.config,
            &self.content,
            &self.linked,
            &self.matrices,
            search,
            &self.theme,
            self.syntax_css,
            sink,
        );
        diagnostics.extend(problems);
        let Some(tera) = tera.filter(|_| !diagnostics.has_errors()) else {
            return Err(diagnostics);
        };
        let kept = Kept {
            config: self.config,
            content: self.content,
            linked: self.linked,
            matrices: self.matrices,
            theme: Arc::new(self.theme),
            tera: Arc::new(tera),
            shortcodes: self.shortcodes,
            highlighter: self.highlighter,
            search_manifest,
            search_analysis: self.search_analysis,
            search_paths,
            later: quick::Later::default(),
        };
        Ok((kept, diagnostics))
    }
}

/// Hands the memory a stage freed back to the system before the next stage starts. An
/// allocator keeps freed memory for reuse, spread over one heap per thread, so without this a
/// one-off build's resident memory grows by what each stage freed that the next could not
/// reuse. The binary allocates with jemalloc; C libraries (Oniguruma), and programs that use
/// this crate with the system allocator, with glibc's malloc: both are asked.
fn release_freed_memory() {
    #[cfg(not(target_env = "msvc"))]
    // SAFETY: "arena.<MALLCTL_ARENAS_ALL>.purge" takes no value and returns none (all pointers
    // null); it only returns unused pages of every arena to the system. Its result is not
    // needed: a purge that fails leaves memory as it was.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it touches nothing in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The search index written straight into `sink`, each file as soon as it is made; a file
/// the sink refuses is an error.
fn search_into(indexer: search::Indexer<'_>, sink: &dyn Sink, diagnostics: &mut Diagnostics) -> search::SearchIndex {
    let written = Mutex::new(Vec::new());
    let problem = Mutex::new(None);
    let (manifest, warnings) = indexer.finish(&|path, bytes| match sink.put(&path, render::Contents::Bytes(bytes)) {
        Ok(()) => written.lock().unwrap_or_else(PoisonError::into_inner).push(path),
        Err(d) => {
            problem.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(d);
        }
    });
    diagnostics.extend(problem.into_inner().unwrap_or_else(PoisonError::into_inner));
    diagnostics.extend(warnings);
    search::SearchIndex {
        files: Vec::new(),
        written: written.into_inner().unwrap_or_else(PoisonError::into_inner),
        manifest: Some(manifest),
        warnings: Vec::new(),
    }
}

/// [`build_cached`], keeping what [`rerender_edit`] needs.
pub fn build_served(root: &Path, overrides: &Overrides, cache: &mut Cache) -> Result<Served, Diagnostics> {
    let prepared = prepare(root, overrides, &|_| {}, cache)?;
    cache.stopped()?;
    let collect = Collect::default();
    let (kept, warnings) = prepared.render_keeping(&collect, &|_| {})?;
    Ok(Served {
        site: collect.into_site(),
        warnings,
        kept,
    })
}

/// Work kept between builds of the same site (by `serve`), so that a rebuild skips what did
/// not change. A build with a cache gives exactly what a build without one gives: entries are
/// keyed by everything their result depends on.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep entries at all: a one-off build has no use for them.
    keep: bool,
    /// site.toml's text when the entries were made; any change to it empties the cache.
    config_text: String,
    /// Rendered markdown by file, with the text it was rendered from.
    markdown: HashMap<PathBuf, (String, Rendered)>,
    /// The last build's search analysis, for pages whose text did not change
    /// ([`Cache::reuse_search`]).
    search: Option<search::Analysis>,
    /// A fingerprint of the snippets and shortcodes the entries were rendered with.
    includes: u64,
    /// The highlight stylesheet, by theme name.
    syntax_css: Option<(String, Result<String, String>)>,
    /// How many files the last build rendered (cache misses), for the rebuild summary.
    pub last_rendered: usize,
    /// Asked between stages: true when the build has become useless (`serve`: a newer change
    /// came in) and should stop.
    stop: Option<Stop>,
    /// Whether resized copies of images are kept beside the output folder (`build`).
    copies_beside_output: bool,
}

type Stop = Arc<dyn Fn() -> bool + Send + Sync>;

impl Cache {
    /// A cache that keeps what each build made, for the next one.
    pub fn new() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    /// A one-off build's cache, which keeps only the resized copies of images, beside the
    /// output folder (`output::CopyFolder`), so that the next build need not make them.
    pub fn copies_beside_output() -> Cache {
        Cache {
            copies_beside_output: true,
            ..Cache::default()
        }
    }

    /// Builds with this cache stop between stages once `stop` says so, returning `Err` with
    /// no diagnostics.
    pub fn stop_when(&mut self, stop: impl Fn() -> bool + Send + Sync + 'static) {
        self.stop = Some(Arc::new(stop));
    }

    /// The next build analyses for search only the pages whose text changed since `analysis`
    /// was made.
    pub fn reuse_search(&mut self, analysis: Option<search::Analysis>) {
        self.search = analysis;
    }

    fn stopped(&self) -> Result<(), Diagnostics> {
        match &self.stop {
            Some(stop) if stop() => Err(Diagnostics::new()),
            _ => Ok(()),
        }
    }
}

/// Runs every stage, keeping the site in memory. Problems are collected across stages so
/// that one run reports them all; any error means no site.
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
    let prepared = prepare(root, overrides, progress, cache)?;
    let collect = Collect::default();
    let built = prepared.render_into(&collect, progress)?;
    Ok(Built {
        site: collect.into_site(),
        ..built
    })
}

/// Every stage before the templates. Fails only when there is nothing to render (no
/// configuration or theme); other errors are kept in the result.
pub fn prepare(
    root: &Path,
    overrides: &Overrides,
    progress: &dyn Fn(&str),
    cache: &mut Cache,
) -> Result<Prepared, Diagnostics> {
    progress("reading site.toml");
    let config = config::load(root, overrides)?;
    let mut diagnostics = Diagnostics::new();
    if cache.config_text != config.text {
        *cache = Cache {
            keep: cache.keep,
            stop: cache.stop.take(),
            copies_beside_output: cache.copies_beside_output,
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
    diagnostics.extend(theme::third_party_requests(&theme, &config));

    progress("rendering markdown");
    let shortcodes = Shortcodes::load(&theme).unwrap_or_else(|d| {
        diagnostics.push(d);
        Shortcodes::none()
    });
    let mut content = content;
    let snippets = std::mem::take(&mut content.snippets);
    let includes = Includes {
        snippets: &snippets,
        shortcodes: &shortcodes,
    };
    // A page's cached HTML holds what it includes: any change to those and it is made again.
    let fingerprint = includes.fingerprint();
    if cache.includes != fingerprint {
        cache.markdown.clear();
        cache.includes = fingerprint;
    }
    diagnostics.extend(markdown::unused_rules(&config, &content));
    let keep = cache.keep;
    let markdown_cache = &cache.markdown;
    let render_file = |file: &mut content::SourceFile, placement: Placement<'_>| -> (Rendered, bool) {
        let rendered = match markdown_cache.get(&file.display) {
            Some((text, rendered)) if *text == file.text => (rendered.clone(), false),
            _ => {
                let origin = markdown::Origin::file(&file.display, &file.text, file.body_start);
                let rendered = markdown::render_page(origin, &config, &highlighter, &includes, &placement);
                (rendered, true)
            }
        };
        if !keep {
            // A one-off build reads a file's text no more once it is rendered (an error's
            // position in a link reads it again): freeing it now keeps the site's source and
            // its HTML from being in memory together.
            file.text = String::new();
            file.body_start = 0;
        }
        rendered
    };
    let pages: Vec<(Rendered, bool)> = content
        .pages
        .par_iter_mut()
        .map(|p| {
            let placement = markdown::placement(&config, p.dir(), &p.meta);
            render_file(&mut p.file, placement)
        })
        .collect();
    let sections: Vec<(Rendered, bool)> = content
        .sections
        .par_iter_mut()
        .map(|s| render_file(&mut s.file, Placement::default()))
        .collect();
    content.snippets = snippets;
    cache.last_rendered = pages.iter().chain(&sections).filter(|(_, fresh)| *fresh).count();
    let files = content
        .pages
        .iter()
        .map(|p| &p.file)
        .chain(content.sections.iter().map(|s| &s.file));
    let live: HashSet<&PathBuf> = files.clone().map(|f| &f.display).collect();
    cache.markdown.retain(|path, _| live.contains(path));
    for (file, (rendered, fresh)) in files.zip(pages.iter().chain(&sections)) {
        if *fresh && cache.keep {
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

    cache.stopped()?;
    progress("resolving links");
    let folder = cache
        .copies_beside_output
        .then(|| output::CopyFolder::for_site(&config))
        .flatten();
    let copies: &dyn links::CopyCache = match &folder {
        Some(folder) => folder,
        None => &links::NoCache,
    };
    let (linked, link_diagnostics) = links::resolve(&config, &content, &theme, pages, sections, copies);
    diagnostics.extend(link_diagnostics);
    diagnostics.extend(search::synonyms::check(&config, &content, &linked));

    // A one-off build makes the tables' rows once the pages are rendered and the search
    // index written, so that they are never held with either.
    let matrices = match cache.keep {
        true => {
            progress("building comparison tables");
            matrix::build(&config, &content)
        }
        false => matrix::outlines(&config, &content),
    };

    cache.stopped()?;
    // A one-off build makes the index as it renders, straight into its output.
    let (search, search_analysis) = match cache.keep {
        true => {
            progress("building the search index");
            let (index, analysis) = search::build_kept(&config, &content, &linked, cache.search.take());
            (Some(index), analysis)
        }
        false => (None, None),
    };

    // Errors so far do not stop here: rendering may find more, and one run reports them all.
    Ok(Prepared {
        config,
        content,
        linked,
        matrices,
        search,
        search_analysis,
        theme,
        shortcodes,
        syntax_css,
        highlighter,
        diagnostics,
    })
}
