//! Each build stage on its own, and the whole build beside them, on a generated site
//! (examples/corpus): `cargo bench --bench stages`. The site has 1,000 pages unless
//! `SIGNPOST_BENCH_PAGES` says otherwise. Every stage runs as the build runs it (in parallel
//! where the build is); nothing is written to disk, so the figures are the build's own work.
//! docs/benchmarks.md keeps the figures.

use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use signpost::config::{self, Config, Overrides};
use signpost::content::{self, Content};
use signpost::links::{self, Linked};
use signpost::markdown::{self, Highlighter, Rendered};
use signpost::pipeline::{self, Cache};
use signpost::render::{self, Discard};
use signpost::{matrix, search};

#[path = "../examples/corpus/mod.rs"]
mod corpus;

// As the `signpost` binary allocates.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Every stage's input, made once: the site read, its markdown rendered and its links
/// resolved.
struct Site {
    config: Config,
    content: Content,
    highlighter: Highlighter,
    pages: Vec<Rendered>,
    sections: Vec<Rendered>,
    linked: Linked,
}

fn markdown_of(config: &Config, content: &Content, highlighter: &Highlighter) -> (Vec<Rendered>, Vec<Rendered>) {
    let render =
        |file: &content::SourceFile| markdown::render(&file.text, file.body_start, &file.display, config, highlighter);
    (
        content.pages.par_iter().map(|p| render(&p.file)).collect(),
        content.sections.par_iter().map(|s| render(&s.file)).collect(),
    )
}

fn load(root: &Path) -> Site {
    let config = match config::load(root, &Overrides::default()) {
        Ok(config) => config,
        Err(diagnostics) => panic!("the generated site.toml fails: {:?}", diagnostics.sorted().first()),
    };
    let (content, _) = content::load(&config);
    let highlighter = Highlighter::new(&config.markdown.highlight_theme);
    let (pages, sections) = markdown_of(&config, &content, &highlighter);
    let theme = signpost::theme::load(&config).expect("the default theme loads");
    let (linked, _) = links::resolve(
        &config,
        &content,
        &theme,
        pages.clone(),
        sections.clone(),
        &links::NoCache,
    );
    Site {
        config,
        content,
        highlighter,
        pages,
        sections,
        linked,
    }
}

fn stages(c: &mut Criterion) {
    let pages = std::env::var("SIGNPOST_BENCH_PAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    corpus::generate(pages, dir.path(), 10)
        .expect("the corpus is written")
        .report();
    let root = dir.path();
    let site = load(root);
    let Site {
        config,
        content,
        highlighter,
        linked,
        ..
    } = &site;
    let theme = signpost::theme::load(config).expect("the default theme loads");

    let mut group = c.benchmark_group(format!("stages, {pages} pages"));
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    group.bench_function("reading content", |b| b.iter(|| content::load(config)));
    // The floor under the markdown stage: the same bodies through pulldown-cmark and nothing
    // else (no highlighting, heading anchors, citations or link checks).
    group.bench_function("pulldown-cmark alone", |b| {
        b.iter(|| {
            let files = content.pages.iter().map(|p| &p.file);
            let files: Vec<_> = files.chain(content.sections.iter().map(|s| &s.file)).collect();
            files
                .par_iter()
                .map(|file| {
                    let body = file.text.get(file.body_start..).unwrap_or_default();
                    let mut html = String::with_capacity(body.len() * 2);
                    let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
                    pulldown_cmark::html::push_html(&mut html, parser);
                    html.len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("rendering markdown", |b| {
        b.iter(|| markdown_of(config, content, highlighter))
    });
    group.bench_function("resolving links", |b| {
        b.iter_batched(
            || (site.pages.clone(), site.sections.clone()),
            |(pages, sections)| links::resolve(config, content, &theme, pages, sections, &links::NoCache),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("building the search index", |b| {
        b.iter(|| search::build(config, content, linked))
    });
    group.bench_function("building comparison tables", |b| {
        b.iter(|| matrix::build(config, content))
    });
    let matrices = matrix::build(config, content);
    let syntax_css = highlighter.css().unwrap_or_default();
    group.bench_function("rendering templates", |b| {
        b.iter_batched(
            || search::build(config, content, linked),
            |index| {
                let rendered = render::render(
                    config,
                    content,
                    linked,
                    &matrices,
                    index,
                    &theme,
                    syntax_css.clone(),
                    &Discard,
                );
                assert!(!rendered.0.has_errors(), "the generated site renders");
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("whole build, nothing written", |b| {
        b.iter(|| {
            let built = pipeline::prepare(root, &Overrides::default(), &|_| {}, &mut Cache::default())
                .and_then(|prepared| prepared.render_into(&Discard, &|_| {}));
            assert!(built.is_ok(), "the generated site builds");
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
