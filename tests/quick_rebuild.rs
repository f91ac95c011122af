//! `serve` renders only what an edit to one page changes (`pipeline::rerender_edit`): the page
//! alone after a change to its text, and also the pages, lists and tables that show it after
//! a change to its title, summary, pros and cons, then the search index files that hold the
//! page (`pipeline::reindex`). Every file must come out byte for byte as a full build makes
//! it, nothing a full build would change may be missed, no file a full build would not make
//! may be left, and any other edit must be refused, so that it waits for a full build instead.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::Site;
use signpost::config::Overrides;
use signpost::pipeline::{self, Cache, Kept};

const ALPHA: &str = "content/treatments/alpha.md";

fn kept(site: &Site) -> Kept {
    match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served.kept,
        Err(d) => panic!(
            "the fixture does not build: {:?}",
            d.sorted().into_iter().find(|d| d.is_error())
        ),
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

/// The page an edit to its text re-renders: the only page or list file it renders.
fn quick(kept: &mut Kept, relative: &str) -> Option<(String, Vec<u8>)> {
    let mut files = pipeline::rerender_edit(kept, Path::new(relative))?;
    assert!(pipeline::take_tables(kept).is_none(), "a text edit re-rendered a table");
    files.extend(pipeline::render_later(kept, &|| false));
    assert_eq!(files.len(), 1, "a text edit re-rendered more than its page");
    files.pop()
}

/// What a quick re-render changes: files made, and files gone.
type Changes = (Vec<(String, Vec<u8>)>, Vec<String>);

/// What `serve` renders for an edit: the page and the pages near it, then the tables, the
/// long lists and the search index files that changed.
fn quick_files(kept: &mut Kept, relative: &str) -> Option<Changes> {
    let mut files = pipeline::rerender_edit(kept, Path::new(relative))?;
    if let Some(tables) = pipeline::take_tables(kept) {
        files.extend(tables.render(&|| false));
    }
    files.extend(pipeline::render_later(kept, &|| false));
    let index = pipeline::reindex(kept, &|| false).expect("the search index is kept");
    files.extend(index.files);
    Some((files, index.removed))
}

/// Every file of a fresh full build.
fn full_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let built = site.pipeline(&Overrides::default()).expect("full build");
    built
        .site
        .files
        .into_iter()
        .map(|(path, contents)| (path, contents.to_bytes()))
        .collect()
}

/// A copy of the shipped guidance site.
fn shipped_site() -> Site {
    let site = Site::empty();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repository.join("content"), &site.root.join("content"));
    std::fs::copy(repository.join("site.toml"), site.root.join("site.toml")).expect("copy site.toml");
    site
}

/// Makes each edit in turn and checks that the files re-rendered for it, laid over the site
/// as it was, give exactly the fresh full build.
fn check_edits(site: &Site, file: &str, edits: &[(&str, &str)]) {
    check_edits_with(site, file, edits, quick_files);
}

/// [`check_edits`] for edits to templates.
fn check_template_edits(site: &Site, file: &str, edits: &[(&str, &str)]) {
    let quick =
        |kept: &mut Kept, file: &str| Some((pipeline::rerender_templates(kept, &[Path::new(file)])?, Vec::new()));
    check_edits_with(site, file, edits, quick);
}

fn check_edits_with(
    site: &Site,
    file: &str,
    edits: &[(&str, &str)],
    quick: impl Fn(&mut Kept, &str) -> Option<Changes>,
) {
    let mut kept = kept(site);
    let mut served = full_build(site);
    for (from, to) in edits {
        site.edit(file, from, to);
        let (files, removed) = quick(&mut kept, file).unwrap_or_else(|| panic!("`{from}` → `{to}` was refused"));
        let full = full_build(site);
        for path in removed {
            assert!(!full.contains_key(&path), "{path} removed after `{from}` → `{to}`");
            served.remove(&path);
        }
        for (path, bytes) in files {
            assert!(
                full.get(&path) == Some(&bytes),
                "{path} after `{from}` → `{to}`: {:?}",
                String::from_utf8_lossy(&bytes)
            );
            served.insert(path, bytes);
        }
        for (path, bytes) in &full {
            assert!(
                served.get(path) == Some(bytes),
                "{path} changed in the full build after `{from}` → `{to}`, but was not re-rendered"
            );
        }
        let extra: Vec<&String> = served.keys().filter(|p| !full.contains_key(*p)).collect();
        assert!(extra.is_empty(), "left after `{from}` → `{to}`: {extra:?}");
    }
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

/// Text edits change the search index too: the files that hold the page come out as a full
/// build makes them, and the files they replace are gone.
#[test]
fn text_edits_update_the_search_index_as_a_full_build() {
    let site = Site::fixture("crosslinks");
    check_edits(
        &site,
        ALPHA,
        &[
            (
                "Then detox in text",
                "Then, in a new sentence with zebras, detox in text",
            ),
            ("## Detox and more\n", "## Detox and more\n\nA key worker first, now.\n"),
            ("A key worker first, now.\n", ""),
            (
                "Then, in a new sentence with zebras, detox in text",
                "Then detox in text",
            ),
        ],
    );
}

#[test]
fn title_and_summary_edits_render_every_page_that_shows_them() {
    let site = Site::fixture("crosslinks");
    check_edits(
        &site,
        ALPHA,
        &[
            // A longer title that keeps its place among the titles.
            ("title = \"Alpha\"", "title = \"Alpha, changed\""),
            // One that moves it to the end of every list sorted by title.
            ("title = \"Alpha, changed\"", "title = \"Zulu <b>&</b> more\""),
            ("summary = \"Summary of Alpha.\"", "summary = \"A new summary.\""),
            ("pros = [\"Good, with a comma\", ", "pros = [\"Better\", "),
            ("duration = \"A few weeks\"", "duration = \"Months\"\ncons = [\"Slow\"]"),
            // Title and text together, and back to where it started.
            ("title = \"Zulu <b>&</b> more\"", "title = \"Alpha\""),
            ("Then detox in text", "Then, in a new sentence, detox in text"),
        ],
    );
}

/// The shipped guidance has differences, sources with their own pages, citations, related
/// links and two sort orders.
#[test]
fn title_edits_to_shipped_pages_match_a_full_build() {
    let site = shipped_site();
    for page in [
        "content/medication/methadone-maintenance.md",
        "content/detox-and-rehab/residential-rehab.md",
    ] {
        let text = site.read(page);
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title = "))
            .expect("a title")
            .to_string();
        let summary = text
            .lines()
            .find_map(|l| l.strip_prefix("summary = "))
            .expect("a summary")
            .to_string();
        check_edits(
            &site,
            page,
            &[
                (&format!("title = {title}"), "title = \"A new title\""),
                ("title = \"A new title\"", "title = \"Zzz last\""),
                (&format!("summary = {summary}"), "summary = \"Short.\""),
            ],
        );
    }
}

#[test]
fn edits_that_change_links_facets_or_order_wait_for_a_full_build() {
    let refused: [(&str, &str, &str); 10] = [
        // Overdue for review after the edit: the full build warns.
        (ALPHA, "next_review = 2027-01-01", "next_review = 2026-01-02"),
        // A citation (the source's page lists the pages citing it).
        (ALPHA, "Your key worker helps.", "Cited [@src]."),
        // The glossary's own text sets the terms linked on every page.
        (
            "content/glossary.md",
            "A key worker is your main contact.",
            "A key worker helps.",
        ),
        // A facet value no page used before gets a page of its own.
        (
            ALPHA,
            "treatment_type = \"talking\"",
            "treatment_type = \"unused-type\"",
        ),
        // Related pages are named in front matter.
        (
            ALPHA,
            "related = [\"@/treatments/gamma.md\"]",
            "related = [\"@/treatments/beta.md\"]",
        ),
        (ALPHA, "sources = [\"src\"]", "sources = []"),
        (ALPHA, "+++\ntitle", "+++\nweight = 5\ntitle"),
        (ALPHA, "+++\ntitle", "+++\nslug = \"other\"\ntitle"),
        // A new alias is a new redirect page and a new line in _redirects.
        (ALPHA, "+++\ntitle", "+++\naliases = [\"/old-alpha/\"]\ntitle"),
        // A problem to report: the full build reports it.
        (ALPHA, "treatment_type = \"talking\"", "treatment_type = \"talkin\""),
    ];
    for (file, from, to) in refused {
        let site = Site::fixture("crosslinks");
        let mut kept = kept(&site);
        site.edit(file, from, to);
        assert!(
            quick_files(&mut kept, file).is_none(),
            "`{from}` → `{to}` in {file} was rendered alone"
        );
    }
}

/// A link to another page, or one removed, changes that page's backlinks: the page and those
/// pages are rendered. New and renamed headings that no other page links to change the page
/// alone.
#[test]
fn link_and_heading_edits_render_the_pages_whose_backlinks_change() {
    let site = Site::fixture("crosslinks");
    check_edits(
        &site,
        ALPHA,
        &[
            (
                "Your key worker helps.",
                "See [gamma](@/treatments/gamma.md). Your key worker helps.",
            ),
            ("[detox link](@/treatments/beta.md)", "detox link"),
            ("## Detox and more", "## Detox and less"),
            (
                "Your key worker helps.",
                "Your key worker helps.\n\n## A new heading\n\nMore text.",
            ),
            (
                "detox link",
                "[detox link](@/treatments/beta.md) and [again](@/treatments/delta.md)",
            ),
            ("See [gamma](@/treatments/gamma.md). ", ""),
        ],
    );
}

/// Facet values decide the facet pages, related pages and the tables' filters: an edit to them
/// renders those too, as long as no value gains its first page or loses its last.
#[test]
fn facet_edits_render_facet_pages_related_lists_and_tables() {
    let site = Site::fixture("crosslinks");
    check_edits(
        &site,
        ALPHA,
        &[
            ("settings = [\"community\"]", "settings = [\"residential\"]"),
            ("treatment_type = \"talking\"", "treatment_type = \"medication\""),
            ("title = \"Alpha\"", "title = \"Omega\""),
            (
                "settings = [\"residential\"]",
                "settings = [\"community\", \"residential\"]",
            ),
            ("treatment_type = \"medication\"", "treatment_type = \"talking\""),
            ("title = \"Omega\"", "title = \"Alpha\""),
            (
                "settings = [\"community\", \"residential\"]",
                "settings = [\"community\"]",
            ),
        ],
    );
    // The last page with a value cannot leave it alone: the value's page would go.
    site.edit(
        "site.toml",
        "label = \"Residential\"",
        "label = \"Residential\"\n[[vocabularies.settings.values]]\nid = \"peer\"\nlabel = \"Peer-led\"",
    );
    site.edit(
        ALPHA,
        "settings = [\"community\"]",
        "settings = [\"community\", \"peer\"]",
    );
    let mut kept = kept(&site);
    site.edit(
        ALPHA,
        "settings = [\"community\", \"peer\"]",
        "settings = [\"community\"]",
    );
    assert!(quick_files(&mut kept, ALPHA).is_none(), "the peer-led page would go");
}

/// Facet edits on the shipped guidance, where related lists are ranked among many pages.
#[test]
fn facet_edits_to_shipped_pages_match_a_full_build() {
    let site = shipped_site();
    check_edits(
        &site,
        "content/medication/methadone-maintenance.md",
        &[
            ("settings = [\"community\", \"gp\"]", "settings = [\"residential\"]"),
            ("substances = [\"opioids\"]", "substances = [\"any-drug\", \"opioids\"]"),
            ("settings = [\"residential\"]", "settings = [\"community\", \"gp\"]"),
            ("substances = [\"any-drug\", \"opioids\"]", "substances = [\"opioids\"]"),
        ],
    );
}

/// Review dates show on the page and its cards, and decide the feed and the sitemap's dates.
#[test]
fn review_date_edits_render_the_feed_and_sitemap_too() {
    let site = Site::fixture("crosslinks");
    check_edits(
        &site,
        ALPHA,
        &[
            ("last_reviewed = 2026-01-01", "last_reviewed = 2026-02-01"),
            ("next_review = 2027-01-01", "next_review = 2027-06-01"),
            ("last_reviewed = 2026-02-01", "last_reviewed = 2026-01-01"),
        ],
    );
}

/// A heading another page links to cannot change alone: that page's link would break.
#[test]
fn a_heading_another_page_links_to_waits_for_a_full_build() {
    let site = Site::fixture("crosslinks");
    let gamma = "content/treatments/gamma.md";
    let text = site.read(gamma);
    site.write(
        gamma,
        format!("{text}\nSee [alpha's detox](@/treatments/alpha.md#detox-and-more).\n"),
    );
    let mut kept = kept(&site);
    site.edit(ALPHA, "## Detox and more", "## Detox and less");
    assert!(quick_files(&mut kept, ALPHA).is_none(), "gamma's link would break");
    site.edit(ALPHA, "## Detox and less", "## Detox and more\n\n## Another");
    assert!(quick_files(&mut kept, ALPHA).is_some(), "gamma's link still resolves");
}

/// `get_page` data is made once per build, for any page: a title edit cannot tell who shows it.
#[test]
fn title_edits_wait_for_a_full_build_when_templates_call_get_page() {
    let site = Site::fixture("crosslinks");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% set alpha = get_page(path=\"@/treatments/alpha.md\") %}{{ alpha.title }}{% endblock content %}",
    );
    let mut kept = kept(&site);
    site.edit(ALPHA, "title = \"Alpha\"", "title = \"Alpha two\"");
    assert!(quick_files(&mut kept, ALPHA).is_none());
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

#[test]
fn links_to_static_or_generated_files_are_left_to_the_full_build() {
    let site = Site::fixture("crosslinks");
    let mut kept = kept(&site);
    // A page by its file or by its URL is checked at once, and renders as a full build does.
    site.edit(
        ALPHA,
        "Your key worker helps.",
        "See [beta](beta.md) and [beta again](/treatments/beta/). Your key worker helps.",
    );
    let (output, html) = quick(&mut kept, ALPHA).expect("links to pages are rendered at once");
    assert_eq!(html, full_build_page(&site, &output));
    // A file under static/ or a generated page is known only to a full build, which checks it.
    for link in ["![Kit](/images/kit.png)", "[A to Z](/a-z/)"] {
        site.edit(
            ALPHA,
            "Your key worker helps.",
            &format!("{link} Your key worker helps."),
        );
        assert!(quick(&mut kept, ALPHA).is_none(), "{link} must wait for a full build");
        site.edit(ALPHA, &format!("{link} "), "");
    }
}

/// The shipped guidance: citations, glossary terms, sources, differences and related pages.
/// A new closing paragraph on each of a few pages renders exactly as a full build does.
#[test]
fn text_edits_to_shipped_pages_match_a_full_build() {
    let site = shipped_site();
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

/// Many pages with few facet values, so that related lists are decided by ties, which go by
/// title: moving one page through the title order changes other pages' lists.
#[test]
fn a_title_moving_through_tied_related_lists_matches_a_full_build() {
    let site = Site::fixture("crosslinks");
    let types = ["talking", "medication"];
    let settings = ["community", "residential", "community\", \"residential"];
    for n in 0..30 {
        site.write(
            &format!("content/treatments/tied-{n:02}.md"),
            format!(
                "+++\ntitle = \"Tied {n:02}\"\nsummary = \"Tied page {n}.\"\ntreatment_type = \"{}\"\nsettings = [\"{}\"]\nsources = [\"src\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\nText.\n",
                types[n % 2],
                settings[n % 3]
            ),
        );
    }
    let page = "content/treatments/tied-07.md";
    check_edits(
        &site,
        page,
        &[
            ("title = \"Tied 07\"", "title = \"Aaa first\""),
            ("title = \"Aaa first\"", "title = \"Tied 15b\""),
            ("title = \"Tied 15b\"", "title = \"Zzz last\""),
            ("title = \"Zzz last\"", "title = \"Tied 07\""),
        ],
    );
}

/// A template edit renders again every page that uses the template, directly or through
/// `extends` and `include`, and nothing else changes.
#[test]
fn template_edits_render_every_page_that_uses_them() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let site = Site::fixture("crosslinks");
    for name in ["partials/review.html", "base.html", "a-z.html", "search.html"] {
        let text = common::read(&theme.join(name));
        site.write(&format!("templates/{name}"), format!("{{# v0 #}}{text}"));
    }
    check_template_edits(
        &site,
        "templates/partials/review.html",
        &[("{# v0 #}", "<p>Reviewed text v1</p>")],
    );
    check_template_edits(
        &site,
        "templates/a-z.html",
        &[("{# v0 #}", ""), ("{% block", "{# v2 #}{% block")],
    );
    check_template_edits(&site, "templates/search.html", &[("{# v0 #}", "{# v1 #}")]);
    check_template_edits(&site, "templates/base.html", &[("</body>", "<p>Footer v1</p></body>")]);
}

#[test]
fn broken_added_or_other_files_are_left_to_the_full_build() {
    let site = Site::fixture("crosslinks");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    site.write("templates/a-z.html", common::read(&theme.join("a-z.html")));
    let mut kept = kept(&site);
    let quick = |kept: &mut Kept, files: &[&str]| {
        let paths: Vec<&Path> = files.iter().map(Path::new).collect();
        pipeline::rerender_templates(kept, &paths)
    };
    site.edit("templates/a-z.html", "{% block", "{% blok");
    assert!(quick(&mut kept, &["templates/a-z.html"]).is_none(), "a broken template");
    site.edit("templates/a-z.html", "{% blok", "{% block");
    assert!(quick(&mut kept, &["templates/a-z.html", ALPHA]).is_none(), "a page too");
    site.write("templates/new.html", "New");
    assert!(quick(&mut kept, &["templates/new.html"]).is_none(), "a new template");
    assert!(quick(&mut kept, &["static/extra.css"]).is_none(), "not a template");
}

/// A static file edit is served as the file, and nothing else changes; a static file that
/// the build does not copy as it is (a new one, or one at a path the build makes) waits.
#[test]
fn static_file_edits_are_copied_again() {
    let site = Site::fixture("crosslinks");
    site.write("static/extra.css", "body { color: red; }\n");
    site.write("static/sitemap.xml", "<not-this/>");
    let quick = |kept: &mut Kept, file: &str| pipeline::recopy_static(kept, &[Path::new(file)]);
    check_edits_with(
        &site,
        "static/extra.css",
        &[("red", "navy"), ("navy", "teal")],
        |kept, file| Some((quick(kept, file)?, Vec::new())),
    );
    let mut kept = kept(&site);
    site.write("static/sitemap.xml", "<still-not-this/>");
    assert!(
        quick(&mut kept, "static/sitemap.xml").is_none(),
        "the build makes sitemap.xml"
    );
    site.write("static/new.css", "p {}");
    assert!(quick(&mut kept, "static/new.css").is_none(), "a new file");
    assert!(quick(&mut kept, ALPHA).is_none(), "a page");
}

/// A search update cut short by a newer change keeps its pages for the next one, which then
/// gives the full build's index.
#[test]
fn a_search_update_cut_short_is_done_by_the_next() {
    let site = Site::fixture("crosslinks");
    check_edits_with(
        &site,
        ALPHA,
        &[("Then detox in text", "Then zebras detox in text")],
        |kept, file| {
            let files = pipeline::rerender_edit(kept, Path::new(file))?;
            let stopped = pipeline::reindex(kept, &|| true);
            assert!(matches!(stopped, Err(signpost::search::NotUpdated::Stopped)));
            let index = pipeline::reindex(kept, &|| false).expect("the search index is kept");
            assert!(!index.files.is_empty(), "the second call updated nothing");
            Some((files.into_iter().chain(index.files).collect(), index.removed))
        },
    );
}

/// A full build in `serve` reuses the search analysis of pages whose text did not change; what
/// it makes still equals a fresh build, after edits that keep and that change the pages.
#[test]
fn a_full_build_reusing_the_search_analysis_equals_a_fresh_build() {
    let site = Site::fixture("crosslinks");
    let mut cache = Cache::new();
    let served = |cache: &mut Cache| match pipeline::build_served(&site.root, &Overrides::default(), cache) {
        Ok(served) => served,
        Err(d) => panic!("build failed: {:?}", d.sorted()),
    };
    let mut analysis = served(&mut cache).kept.take_search_analysis();
    let pages = analysis.as_ref().map(|a| a.analysed_last()).expect("an analysis");
    let edits: [(&str, &str, &str); 3] = [
        (ALPHA, "Then detox in text", "Then zebras detox in text"),
        // A new page: every page's id after it moves.
        (
            "content/treatments/aardvark.md",
            "",
            "+++\ntitle = \"Aardvark\"\nsummary = \"A new page.\"\ntreatment_type = \"talking\"\nsettings = [\"community\"]\nsources = [\"src\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\nZebras and aardvarks.\n",
        ),
        (ALPHA, "Then zebras detox in text", "Then detox in text"),
    ];
    for (file, from, to) in edits {
        match from {
            "" => site.write(file, to),
            _ => site.edit(file, from, to),
        }
        cache.reuse_search(analysis);
        let mut next = served(&mut cache);
        let fresh = full_build(&site);
        let made: BTreeMap<String, Vec<u8>> = next
            .site
            .files
            .iter()
            .map(|(path, contents)| (path.clone(), contents.to_bytes()))
            .collect();
        assert!(made == fresh, "after the edit to {file}: {:?}", {
            let keys: std::collections::BTreeSet<&String> = made.keys().chain(fresh.keys()).collect();
            keys.into_iter()
                .filter(|k| made.get(*k) != fresh.get(*k))
                .collect::<Vec<_>>()
        });
        analysis = next.kept.take_search_analysis();
        let analysed = analysis.as_ref().map(|a| a.analysed_last()).expect("an analysis");
        // Only the edited or new page: the others' analysis is kept by URL, even when their
        // place in the index moves.
        assert_eq!(
            analysed, 1,
            "after the edit to {file}, {analysed} of {pages} pages analysed"
        );
    }
}

/// A snippet is not a page: its edit waits for a full build, which renders again every page
/// that includes it (the cache of rendered pages is not used for them), as a fresh build does.
/// A page that includes snippets is still rendered alone after an edit to its own text.
#[test]
fn snippet_edits_take_a_full_build_that_equals_a_fresh_one() {
    let site = Site::fixture("snippets");
    let mut cache = Cache::new();
    let served = pipeline::build_served(&site.root, &Overrides::default(), &mut cache).expect("builds");
    let mut kept = served.kept;
    site.edit(
        "content/_snippets/see-a-doctor.md",
        "see a doctor first",
        "speak to a GP first",
    );
    assert!(pipeline::rerender_edit(&mut kept, Path::new("content/_snippets/see-a-doctor.md")).is_none());
    let served = pipeline::build_served(&site.root, &Overrides::default(), &mut cache).expect("builds");
    let files: BTreeMap<String, Vec<u8>> = served
        .site
        .files
        .into_iter()
        .map(|(path, contents)| (path, contents.to_bytes()))
        .collect();
    assert!(String::from_utf8_lossy(&files["alcohol/withdrawal/index.html"]).contains("speak to a GP first"));
    assert_eq!(files, full_build(&site));

    let mut kept = served.kept;
    site.edit(
        "content/treatments/methadone.md",
        "Methadone is prescribed",
        "Methadone is given",
    );
    let (path, html) = quick(&mut kept, "content/treatments/methadone.md").expect("a quick re-render");
    assert_eq!(path, "treatments/methadone/index.html");
    assert_eq!(html, full_build_page(&site, &path));

    // A facet edit that changes which rules apply waits for a full build.
    site.edit(
        "content/treatments/methadone.md",
        "substances = [\"opioids\"]",
        "substances = [\"alcohol\"]",
    );
    assert!(pipeline::rerender_edit(&mut kept, Path::new("content/treatments/methadone.md")).is_none());
    site.edit(
        "content/treatments/methadone.md",
        "substances = [\"alcohol\"]",
        "substances = [\"opioids\"]",
    );

    site.edit(
        "templates/shortcodes/badge.html",
        "class=\"badge\"",
        "class=\"badge edited\"",
    );
    assert!(pipeline::rerender_templates(&mut kept, &[Path::new("templates/shortcodes/badge.html")]).is_none());
}

/// The crosslinks fixture with `[lists] page_size = 10` and `extra` more community pages
/// titled "Extra NN", so that the community list is 10 pages and the A to Z is split.
fn site_with_long_lists(extra: usize) -> Site {
    let site = Site::fixture("crosslinks");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).expect("read site.toml");
    site.write("site.toml", format!("{toml}\n[lists]\npage_size = 10\n"));
    for i in 0..extra {
        site.write(
            &format!("content/treatments/extra-{i:02}.md"),
            format!(
                "+++\ntitle = \"Extra {i:02}\"\nsummary = \"Extra.\"\ntreatment_type = \"talking\"\n\
                 settings = [\"community\"]\nsources = [\"src\"]\nlast_reviewed = 2026-01-01\n\
                 next_review = 2027-01-01\n+++\n\nExtra text.\n"
            ),
        );
    }
    site
}

/// An edit that adds a numbered page to a long list, or moves a page to another letter of a
/// split A to Z, waits for a full build; one that keeps every list's pages is rendered as a
/// full build renders it.
#[test]
fn edits_that_add_a_page_to_a_long_list_wait_for_a_full_build() {
    // Alpha, Beta, Delta and 7 extras: the community list is one full page of 10.
    let site = site_with_long_lists(7);
    let built = full_build(&site);
    assert!(built.contains_key("settings/community/index.html"));
    assert!(!built.contains_key("settings/community/2/index.html"));
    assert!(built.contains_key("a-z/a/index.html"), "the A to Z is split");

    const GAMMA: &str = "content/treatments/gamma.md";
    let refused = [
        // Gamma joins: an eleventh community page, on a new `/2/`.
        (
            GAMMA,
            "settings = [\"residential\"]",
            "settings = [\"community\", \"residential\"]",
        ),
        // A title under a letter no other title has: a new letter's page.
        (ALPHA, "title = \"Alpha\"", "title = \"Omega\""),
    ];
    for (file, from, to) in refused {
        let site = site_with_long_lists(7);
        let mut kept = kept(&site);
        site.edit(file, from, to);
        assert!(
            quick_files(&mut kept, file).is_none(),
            "`{from}` → `{to}` was rendered alone"
        );
    }
    // Within one letter, and a list that stays one page: rendered as a full build.
    check_edits(
        &site,
        ALPHA,
        &[
            ("title = \"Alpha\"", "title = \"Another\""),
            ("settings = [\"community\"]", "settings = [\"residential\"]"),
        ],
    );
}
