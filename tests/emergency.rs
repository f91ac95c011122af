//! The emergency line (`[emergency]` in site.toml) on the `emergency` fixture: a box on every
//! kind of page, above the helpline, with a `tel:` link and a link to its page; a link to a
//! missing page fails the build at the setting.

mod common;

use common::{Site, elements, html_files, visible_text};

const TEL: &str = "tel:+442079460000";
const BOX_START: &str = "<section class=\"emergency\" aria-label=\"Emergency\">";

/// The emergency box of a page (its HTML, to the end of the section), checking that there is
/// one, after the exit button and before the helpline.
fn emergency_box<'a>(page: &str, html: &'a str) -> &'a str {
    let position = |what: &str| html.find(what).unwrap_or_else(|| panic!("{page}: no {what}"));
    let start = position(BOX_START);
    assert_eq!(html.matches(BOX_START).count(), 1, "{page}: one emergency box");
    assert!(
        position("class=\"quick-exit-button\"") < start,
        "{page}: the exit button comes first"
    );
    assert!(
        start < position("<aside class=\"helpline\""),
        "{page}: the box is above the helpline"
    );
    let end = html[start..]
        .find("</section>")
        .unwrap_or_else(|| panic!("{page}: the box does not end"));
    &html[start..start + end]
}

/// The links of an emergency box: each `href` and text.
fn links(html: &str) -> Vec<(String, String)> {
    elements(html)
        .into_iter()
        .filter(|e| e.name == "a")
        .map(|a| (a.attribute("href").unwrap_or_default().to_string(), a.text))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(href, text)| (href.to_string(), text.to_string()))
        .collect()
}

#[test]
fn every_kind_of_page_shows_the_emergency_box_above_the_helpline() {
    let site = Site::fixture("emergency");
    let run = site.build(&["--base-url", "https://example.org/guidance/"]).success();
    assert_eq!(run.stderr, "", "the fixture builds without warnings");

    let pages = html_files(&site.public());
    let kinds = [
        "index.html",
        "404.html",
        "search/index.html",
        "compare/index.html",
        "a-z/index.html",
        "settings/index.html",
        "settings/community/index.html",
        "treatments/index.html",
        "treatments/counselling/index.html",
        "if-someone-has-collapsed/index.html",
    ];
    for kind in kinds {
        assert!(pages.contains_key(kind), "no {kind} in {:?}", pages.keys());
    }
    let expected = pairs(&[
        (TEL, "Call +44 20 7946 0000"),
        ("/guidance/if-someone-has-collapsed/", "What to do"),
    ]);
    for (page, html) in &pages {
        let emergency = emergency_box(page, html);
        assert!(
            visible_text(emergency).contains("If someone is hurt in this test, call the test number."),
            "{page}: the text"
        );
        assert_eq!(
            links(emergency),
            expected,
            "{page}: the number, and the page under the base URL"
        );
    }
}

#[test]
fn without_a_page_the_box_has_the_number_alone() {
    let site = Site::fixture("emergency");
    site.edit("site.toml", "page = \"@/if-someone-has-collapsed.md\"\n", "");
    site.build(&[]).success();
    let html = site.output("index.html");
    assert_eq!(
        links(emergency_box("index.html", &html)),
        pairs(&[(TEL, "Call +44 20 7946 0000")])
    );
}

#[test]
fn a_link_to_a_missing_emergency_page_fails_the_build_at_the_setting() {
    let site = Site::fixture("emergency");
    site.edit(
        "site.toml",
        "page = \"@/if-someone-has-collapsed.md\"",
        "page = \"@/if-someone-collapsed.md\"",
    );
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic("site.toml:15:8");
    for says in [
        "[emergency] page: link to a missing page `@/if-someone-collapsed.md`",
        "15 | page = \"@/if-someone-collapsed.md\"",
        "did you mean `@/if-someone-has-collapsed.md`?",
    ] {
        assert!(diagnostic.contains(says), "expected {says:?} in:\n{diagnostic}");
    }
    assert!(
        run.stderr
            .contains("the build failed with 1 error; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists(), "a failed build wrote public/");
}
