//! `serve` renders a page alone when only its text changed (`pipeline::rerender_page`). The
//! page must come out byte for byte as a full build makes it, and any edit that other pages
//! would show must be refused, so that it waits for a full build instead.

mod common;

use std::path::Path;

use common::Site;
use signpost::config::Overrides;
use signpost::pipeline::{self, Cache, Kept};

const ALPHA: &str = "content/treatments/alpha.md";

fn kept(site: &Site) -> Kept {
    match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served.kept,
        Err(d) => panic!("the fixture does not build: {:?}", d.sorted().first()),
    }
}

/// The page's HTML from a fresh full build of the files as they are now.
fn full_build_page(site: &Site, output: &str) -> Vec<u8> {
    let built = site.pipeline(&Overrides::default()).expect("full build");
    match built.site.files.get(output) {
        Some(signpost::render::Contents::Bytes(bytes)) => bytes.clone(),
        other => panic!("no page {output} in the full build: {other:?}"),
    }
}

fn quick(kept: &mut Kept, relative: &str) -> Option<(String, Vec<u8>)> {
    pipeline::rerender_page(kept, Path::new(relative))
}

#[test]
fn a_text_edit_renders_the_page_exactly_as_a_full_build() {
    let site = Site::fixture("crosslinks");
    let mut kept = kept(&site);
    let edits: [(&str, &str); 4] = [
        ("Then detox in text", "Then, in a new sentence, detox in text"),
        // A new paragraph, with a glossary term first mentioned earlier than before.
        ("## Detox and more\n", "## Detox and more\n\nA key worker first, now.\n"),
        // The same link target written again, with a list and a table.
        (
            "Your key worker helps.",
            "- one\n- two [again](@/treatments/beta.md)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nYour key worker helps.",
        ),
        // Back to the start.
        ("A key worker first, now.\n", ""),
    ];
    for (from, to) in edits {
        site.edit(ALPHA, from, to);
        let (output, html) = quick(&mut kept, ALPHA).unwrap_or_else(|| panic!("edit `{from}` was refused"));
        assert_eq!(output, "treatments/alpha/index.html");
        let full = full_build_page(&site, &output);
        assert_eq!(
            String::from_utf8_lossy(&html),
            String::from_utf8_lossy(&full),
            "after the edit `{from}` → `{to}`"
        );
    }
}

#[test]
fn edits_that_other_pages_show_wait_for_a_full_build() {
    let refused: [(&str, &str, &str); 6] = [
        (ALPHA, "title = \"Alpha\"", "title = \"Alpha two\""),
        (ALPHA, "summary = \"Summary of Alpha.\"", "summary = \"Changed.\""),
        // A heading id other pages may link to.
        (ALPHA, "## Detox and more", "## Detox and less"),
        // A link to a page it did not link to (a backlink appears there).
        (ALPHA, "Your key worker helps.", "See [gamma](@/treatments/gamma.md)."),
        // A citation (the source's page lists the pages citing it).
        (ALPHA, "Your key worker helps.", "Cited [@src]."),
        // The glossary's own text sets the terms linked on every page.
        (
            "content/glossary.md",
            "A key worker is your main contact.",
            "A key worker helps.",
        ),
    ];
    for (file, from, to) in refused {
        let site = Site::fixture("crosslinks");
        let mut kept = kept(&site);
        site.edit(file, from, to);
        assert!(
            quick(&mut kept, file).is_none(),
            "`{from}` → `{to}` in {file} was rendered alone"
        );
    }
}

#[test]
fn broken_links_sections_and_other_files_are_left_to_the_full_build() {
    let site = Site::fixture("crosslinks");
    let mut kept = kept(&site);
    site.edit(
        ALPHA,
        "Your key worker helps.",
        "A [broken](@/treatments/nowhere.md) link.",
    );
    assert!(
        quick(&mut kept, ALPHA).is_none(),
        "a broken link must be reported by a full build"
    );
    assert!(
        quick(&mut kept, "content/treatments/_index.md").is_none(),
        "sections list pages"
    );
    assert!(quick(&mut kept, "site.toml").is_none());
    assert!(quick(&mut kept, "content/treatments/missing.md").is_none());
}

/// The shipped guidance: citations, glossary terms, sources, differences and related pages.
/// A new closing paragraph on each of a few pages renders exactly as a full build does.
#[test]
fn text_edits_to_shipped_pages_match_a_full_build() {
    let site = Site::empty();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repository.join("content"), &site.root.join("content"));
    std::fs::copy(repository.join("site.toml"), site.root.join("site.toml")).expect("copy site.toml");
    let mut kept = kept(&site);
    for page in [
        "content/medication/methadone-maintenance.md",
        "content/detox-and-rehab/residential-rehab.md",
        "content/getting-help/self-referral.md",
    ] {
        let text = site.read(page);
        site.write(
            page,
            format!("{text}\nA closing paragraph about detox and a key worker.\n"),
        );
        let (output, html) = quick(&mut kept, page).unwrap_or_else(|| panic!("the edit to {page} was refused"));
        assert_eq!(
            String::from_utf8_lossy(&html),
            String::from_utf8_lossy(&full_build_page(&site, &output)),
            "{page}"
        );
    }
}
