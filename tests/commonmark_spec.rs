//! Conformance: every example of the CommonMark spec 0.31.2 (the npm package `commonmark-spec`,
//! installed by `npm ci`) and of the GFM extensions' sections (tests/conformance/
//! gfm-extensions.txt) rendered by Signpost's markdown stage and compared with the reference
//! HTML, both read into normalised trees by html5ever. Each difference must fall in a category
//! that docs/reference.md documents as intended (tests/conformance/categories.rs); the counts
//! are printed (`cargo test --test commonmark_spec -- --nocapture`).
//!
//! Smart punctuation, on by default, is turned off: the specs are written without it.

mod conformance;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use conformance::categories::{Category, Output, Verdict, judge};
use conformance::examples::{self, Example};
use conformance::tree::{self, Show};
use signpost::config::{self, Config, Overrides};
use signpost::diagnostics::Code;
use signpost::markdown::{self, Highlighter};

/// Examples of CommonMark 0.31.2 that match exactly, as measured: fewer is a regression.
const COMMONMARK_EXACT: usize = 379;
/// Likewise for the GFM extension examples.
const GFM_EXACT: usize = 5;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config(raw_html: &str) -> Config {
    let text = format!("title = \"Spec\"\n[markdown]\nsmart_punctuation = false\nraw_html = \"{raw_html}\"\n");
    match config::parse(Path::new("."), &text, &Overrides::default()) {
        Ok(config) => config,
        Err(e) => panic!("the test's site.toml must load: {e:?}"),
    }
}

/// How a spec's examples compare: the numbers of those that match exactly, and of those
/// that differ in each documented way.
struct Report {
    exact: Vec<usize>,
    per_category: BTreeMap<Category, Vec<usize>>,
}

/// Renders every example with both raw-HTML policies and judges it; prints the counts, and
/// panics with every difference that no category explains.
fn run(spec_name: &str, examples: &[Example]) -> Report {
    let sanitise = config("sanitize");
    let trust = config("trust");
    let highlighter = Highlighter::new(&sanitise.markdown.highlight_theme);
    let file = Path::new("content/spec.md");
    let mut report = Report {
        exact: Vec::new(),
        per_category: BTreeMap::new(),
    };
    let mut unexplained = Vec::new();
    for example in examples {
        let sanitised = markdown::render(&example.markdown, 0, file, &sanitise, &highlighter);
        let trusted = markdown::render(&example.markdown, 0, file, &trust, &highlighter);
        let (ours, ours_trusted) = (tree::parse(&sanitised.html), tree::parse(&trusted.html));
        let reference = tree::parse(&example.html);
        let sanitised_output = Output {
            tree: &ours,
            links: &sanitised.links,
            dropped_unsafe_link: sanitised.diagnostics.iter().any(|d| d.code == Code::UnsafeUrlRemoved),
        };
        let trusted_output = Output {
            tree: &ours_trusted,
            links: &trusted.links,
            dropped_unsafe_link: false,
        };
        match judge(&example.section, &sanitised_output, &trusted_output, &reference) {
            Verdict::Exact => report.exact.push(example.number),
            Verdict::Explained(categories) => {
                for category in categories {
                    report.per_category.entry(category).or_default().push(example.number);
                }
            }
            Verdict::Unexplained => unexplained.push(format!(
                "example {} ({}):\n  markdown: {:?}\n  expected: {}\n  signpost: {}\n  html:     {:?}",
                example.number,
                example.section,
                example.markdown,
                Show(&reference),
                Show(&ours),
                sanitised.html
            )),
        }
    }
    println!(
        "{spec_name}: {} examples, {} match exactly",
        examples.len(),
        report.exact.len()
    );
    for (category, numbers) in &report.per_category {
        let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
        println!(
            "  {:>4} differ by: {} (examples {})",
            numbers.len(),
            category.name(),
            numbers.join(", ")
        );
    }
    assert!(
        unexplained.is_empty(),
        "{spec_name}: {} examples differ in no documented way:\n\n{}",
        unexplained.len(),
        unexplained.join("\n\n")
    );
    report
}

fn read(path: &Path, hint: &str) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}; {hint}", path.display()),
    }
}

#[test]
fn commonmark_spec_examples_match_or_differ_as_documented() {
    let path = repo().join("node_modules/commonmark-spec/spec.txt");
    let spec = read(&path, "run `npm ci --ignore-scripts` in the repository (.ci/run does)");
    assert!(
        spec.contains("version: '0.31.2'"),
        "{} is not CommonMark 0.31.2",
        path.display()
    );
    let examples = examples::parse(&spec);
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let report = run("CommonMark 0.31.2", &examples);
    let exact = report.exact.len();
    assert!(
        exact >= COMMONMARK_EXACT,
        "{exact} examples match exactly, fewer than {COMMONMARK_EXACT}"
    );
    // An email autolink (`<help@example.org>`) once became a link into the site.
    let emails: Vec<usize> = examples
        .iter()
        .filter(|e| e.html.contains("href=\"mailto:"))
        .map(|e| e.number)
        .collect();
    assert!(emails.len() >= 2, "the spec's email autolinks: {emails:?}");
    for number in emails {
        assert!(
            report.exact.contains(&number),
            "example {number}, an email autolink, does not match exactly"
        );
    }
}

#[test]
fn gfm_extension_examples_match_or_differ_as_documented() {
    let spec = read(
        &repo().join("tests/conformance/gfm-extensions.txt"),
        "it is in the repository",
    );
    let examples = examples::parse(&spec);
    assert_eq!(examples.len(), 24, "GFM 0.29's extension sections have 24 examples");
    let exact = run("GFM 0.29 extensions", &examples).exact.len();
    assert!(
        exact >= GFM_EXACT,
        "{exact} examples match exactly, fewer than {GFM_EXACT}"
    );
}
