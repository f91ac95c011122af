//! Every kind of content error: `signpost build` prints `path:line:col: error: message` (lines
//! counted from the top of the file), a hint where one helps, exits with 1 and writes nothing.
//!
//! Each case is the guidance-site fixture with one fixture from `tests/fixtures/errors/` copied
//! over it; open that fixture to see the line and column a test expects.

mod common;

use common::{Run, Site};

/// Builds guidance-site with `errors/<case>` over it and checks that the build fails with
/// exactly one error, at `location`, whose message and hint say each of `says`.
fn check(case: &str, location: &str, says: &[&str]) -> Run {
    let site = Site::layers(&["guidance-site", &format!("errors/{case}")]);
    check_site(&site, location, says)
}

fn check_site(site: &Site, location: &str, says: &[&str]) -> Run {
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic(location);
    for text in says {
        assert!(
            diagnostic.contains(text),
            "expected {text:?} in:\n{diagnostic}\n\nfull stderr:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("error: the build failed with 1 error; nothing was written"),
        "expected exactly one error:\n{}",
        run.stderr
    );
    assert!(!site.public().exists(), "a failed build wrote public/");
    run
}

#[test]
fn broken_toml_in_front_matter_is_located_from_the_top_of_the_file() {
    // Line 4 of the file is line 3 of the front matter: the file's line must be printed.
    check(
        "toml-syntax",
        "content/treatments/broken.md:4:18",
        &["4 | treatment_type = talking-therapy"],
    );
}

#[test]
fn a_page_without_a_title() {
    check(
        "missing-title",
        "content/notes.md:2:1",
        &["missing required field `title`"],
    );
}

#[test]
fn a_guidance_page_without_a_required_guidance_field() {
    check(
        "missing-guidance-field",
        "content/treatments/no-sources.md:2:1",
        &["guidance page is missing required field `sources`"],
    );
}

#[test]
fn a_field_of_the_wrong_type() {
    check(
        "wrong-type",
        "content/treatments/weight.md:4:10",
        &["invalid type: string \"x\", expected i64"],
    );
}

#[test]
fn an_unknown_vocabulary_value_names_the_field_the_value_and_the_closest_value() {
    check(
        "unknown-vocabulary",
        "content/treatments/rehab.md:5:26",
        &[
            "`residental` is not a value of `settings`",
            "did you mean `residential`?",
        ],
    );
}

#[test]
fn a_date_that_does_not_exist() {
    check(
        "invalid-date",
        "content/treatments/leap.md:6:17",
        &["invalid date", "6 | last_reviewed = 2026-02-30"],
    );
}

#[test]
fn a_quoted_date_with_a_month_that_does_not_exist() {
    check(
        "invalid-date-quoted",
        "content/treatments/month.md:7:15",
        &["month 13 does not exist"],
    );
}

#[test]
fn next_review_before_last_reviewed() {
    check(
        "review-order",
        "content/treatments/backwards.md:7:15",
        &["next_review (2026-05-01) is before last_reviewed (2026-06-01)"],
    );
}

/// The one error line of `run`, which must name both files.
fn assert_one_error_names(run: &Run, files: [&str; 2]) {
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") && !l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error:\n{}", run.stderr);
    for file in files {
        assert!(
            errors[0].contains(file),
            "the error does not name {file}: {}",
            errors[0]
        );
    }
    assert!(
        errors[0].contains("/treatments/counselling/"),
        "the error does not name the URL: {}",
        errors[0]
    );
}

#[test]
fn two_pages_with_the_same_url_are_both_named() {
    let site = Site::layers(&["guidance-site", "errors/duplicate-url"]);
    let run = site.build(&[]).code(1);
    assert_one_error_names(
        &run,
        [
            "content/treatments/counselling.md",
            "content/treatments/counselling-again.md",
        ],
    );
    assert!(!site.public().exists());
}

#[test]
fn two_pages_whose_names_differ_only_in_case_are_both_named() {
    // Written here rather than kept as a fixture: a case-insensitive checkout could not hold both.
    let site = Site::fixture("guidance-site");
    site.write(
        "content/treatments/Counselling.md",
        site.read("content/treatments/counselling.md"),
    );
    let run = site.build(&[]).code(1);
    assert_one_error_names(
        &run,
        ["content/treatments/counselling.md", "content/treatments/Counselling.md"],
    );
    assert!(!site.public().exists());
}

#[test]
fn a_link_to_a_missing_page_names_the_file_and_line_of_the_link() {
    check(
        "broken-link",
        "content/treatments/linker.md:13:10",
        &["link to a missing page `@/treatments/nope.md`"],
    );
}

#[test]
fn a_link_to_a_missing_heading_names_the_file_and_line_of_the_link() {
    check(
        "missing-heading",
        "content/treatments/linker.md:12:6",
        &[
            "link to a missing heading `#how-to-get-in`",
            "did you mean `#how-to-get-it`?",
        ],
    );
}

#[test]
fn a_citation_of_an_unknown_source() {
    check(
        "unknown-citation",
        "content/treatments/citer.md:12:35",
        &["citation of an unknown source `frnak`", "did you mean `frank`?"],
    );
}

#[test]
fn an_unknown_source_in_the_sources_field() {
    check(
        "unknown-source-field",
        "content/treatments/sourced.md:5:21",
        &["`sources` names an unknown source `nhss`", "did you mean `nhs`?"],
    );
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    check(
        "template-syntax",
        "templates/page.html:3:19",
        &["3 | <h1>{{ page.title }</h1>"],
    );
}

#[test]
fn a_template_rendering_error_names_the_template_line_and_page() {
    check(
        "template-undefined",
        "templates/page.html:3:12",
        &["no_such_field", "while rendering content/about.md"],
    );
}

#[test]
fn an_unknown_template_filter_names_the_template_and_line() {
    check(
        "template-unknown-filter",
        "templates/page.html:3:21",
        &["Unknown filter `no_such_filter`"],
    );
}

#[test]
fn a_file_that_is_not_utf8_points_at_the_first_bad_byte() {
    let site = Site::fixture("guidance-site");
    // "Café" in Latin-1: the é is the single byte 0xE9, at line 2, column 13.
    site.write(
        "content/treatments/latin1.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\n\nBody.\n",
    );
    check_site(&site, "content/treatments/latin1.md:2:13", &["not valid UTF-8"]);
}

#[test]
fn an_unknown_key_in_site_toml_gets_a_did_you_mean_hint() {
    check(
        "unknown-config-key",
        "site.toml:2:1",
        &["unknown field `desciption`", "did you mean `description`?"],
    );
}

#[test]
fn an_unknown_key_in_front_matter_gets_a_did_you_mean_hint() {
    check(
        "unknown-front-matter-key",
        "content/treatments/typo.md:6:1",
        &["unknown field `last_reviewd`", "did you mean `last_reviewed`?"],
    );
}

#[test]
fn front_matter_that_is_never_closed() {
    check(
        "unclosed-front-matter",
        "content/treatments/unclosed.md:1:1",
        &["never closed", "+++"],
    );
}

#[test]
fn yaml_front_matter_is_refused_with_a_hint_to_use_toml() {
    check(
        "yaml-front-matter",
        "content/treatments/yaml.md:1:1",
        &[
            "front matter must be TOML between `+++` lines",
            "replace the `---` lines with `+++`",
        ],
    );
}

/// The errors in tests/fixtures/errors/several, one per file and stage.
const SEVERAL: [(&str, &str); 5] = [
    ("content/notes.md:2:1", "missing required field `title`"),
    ("content/sources/bad-date.md:3:17", "invalid date"),
    (
        "content/treatments/bad-link.md:10:5",
        "link to a missing page `@/nowhere.md`",
    ),
    (
        "content/treatments/bad-link.md:10:38",
        "citation of an unknown source `nobody`",
    ),
    (
        "content/treatments/bad-vocabulary.md:4:18",
        "`talking` is not a value of `treatment_type`",
    ),
];

#[test]
fn several_errors_in_several_files_are_all_reported_in_one_run() {
    let site = Site::layers(&["guidance-site", "errors/several"]);
    let run = site.build(&[]).code(1);
    for (location, message) in SEVERAL {
        assert!(
            run.diagnostic(location).contains(message),
            "{location}: expected {message:?}\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("the build failed with 5 errors; nothing was written"),
        "{}",
        run.stderr
    );
    // Sorted by file, then line: the order an editor's error list shows them in.
    let positions: Vec<usize> = SEVERAL
        .iter()
        .map(|(location, _)| run.stderr.find(location).expect("printed"))
        .collect();
    assert!(positions.is_sorted(), "errors are not in file order:\n{}", run.stderr);
    assert!(!site.public().exists());
}

#[test]
fn the_library_returns_every_error_as_data() {
    let site = Site::layers(&["guidance-site", "errors/several"]);
    let Err(diagnostics) = site.pipeline(&Default::default()) else {
        panic!("the build should fail");
    };
    let found: Vec<String> = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let location = d.location.expect("a location");
            format!("{}:{}:{}", d.file.display(), location.line, location.column)
        })
        .collect();
    let expected: Vec<&str> = SEVERAL.iter().map(|(location, _)| *location).collect();
    assert_eq!(found, expected);
}

#[test]
fn a_quick_exit_safety_page_that_does_not_exist() {
    // A missing safety page used to be dropped without a word, leaving the exit control
    // without its "Browsing safely" link.
    let site = Site::fixture("guidance-site");
    site.edit(
        "site.toml",
        "[helpline]",
        "[quick_exit]\nsafety_page = \"@/browsing-safely.md\"\n\n[helpline]",
    );
    check_site(
        &site,
        "site.toml:9:15",
        &["[quick_exit] safety_page: link to a missing page `@/browsing-safely.md`"],
    );
}
