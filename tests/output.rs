//! What `signpost build` writes: URLs, links, citations, code, feeds, overrides, assets, drafts.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{
    Site, assert_no_broken_urls, elements, file_names, href_of, html_files, urls, visible_text, xml_attributes,
    xml_texts,
};

/// The guidance-site fixture built with `base_url` written in its site.toml.
fn guidance_site_with_base_url(base_url: &str) -> Site {
    let site = Site::fixture("guidance-site");
    site.edit("site.toml", "base_url = \"/\"", &format!("base_url = {base_url:?}"));
    site.build(&[]).success();
    site
}

#[test]
fn content_files_get_pretty_urls() {
    let site = Site::fixture("pretty-urls");
    site.build(&[]).success();
    let pages: BTreeSet<String> = file_names(&site.public())
        .into_iter()
        .filter(|name| name.ends_with(".html"))
        .collect();
    for expected in [
        "index.html",            // content/_index.md, the home page
        "about/index.html",      // content/about.md
        "a/index.html",          // content/a/_index.md, a section
        "a/b/index.html",        // content/a/b.md
        "a/new-name/index.html", // content/a/Renamed_File.md with slug = "New Name"
        "a/deeper/index.html",   // content/a/deeper/, a folder without _index.md
        "a/deeper/c/index.html", // content/a/deeper/c.md
        "404.html",
    ] {
        assert!(
            pages.contains(expected),
            "{expected} was not written; the pages are {pages:?}"
        );
    }
    // Every other page is a folder's index.html too (the theme's generated pages): no
    // "about.html", "a/b.html" or "a/Renamed_File/".
    for page in &pages {
        assert!(
            page == "404.html" || page.ends_with("/index.html") || page == "index.html",
            "{page} is not a pretty URL"
        );
        assert_eq!(page, &page.to_lowercase(), "URLs are lower case");
    }
    assert!(
        !pages
            .iter()
            .any(|p| p.contains("Renamed") || p.contains("renamed-file")),
        "{pages:?}"
    );
    assert!(visible_text(&site.output("a/b/index.html")).contains("Page B"));
    assert!(visible_text(&site.output("a/index.html")).contains("Section A"));
    assert!(
        visible_text(&site.output("a/deeper/index.html")).contains("Deeper"),
        "the folder name is the title"
    );
}

/// Every href and src of every page must lead to a file of the built site, under the base path.
fn assert_every_url_is_under(site: &Site, base_url: &str) {
    let public = site.public();
    assert_no_broken_urls(&public, base_url);
    let base_path = common::path_of(base_url);
    for (name, html) in html_files(&public) {
        let internal: Vec<String> = urls(&html)
            .into_iter()
            .filter(|u| u.starts_with('/') || common::origin_of(base_url).is_some_and(|o| u.starts_with(o)))
            .collect();
        assert!(
            internal.iter().any(|u| u.ends_with(&format!("{base_path}style.css"))),
            "{name} does not load {base_path}style.css: {internal:?}"
        );
        assert!(
            internal.len() >= 5,
            "{name} has too few internal URLs to be a real test: {internal:?}"
        );
    }
}

#[test]
fn every_internal_url_resolves_with_the_root_base_url() {
    let site = guidance_site_with_base_url("/");
    assert_every_url_is_under(&site, "/");
}

#[test]
fn a_sub_path_base_url_applies_to_every_internal_url() {
    let site = guidance_site_with_base_url("/guidance/");
    assert_every_url_is_under(&site, "/guidance/");
    let page = site.output("treatments/counselling/index.html");
    assert_eq!(
        href_of(&page, "methadone"),
        "/guidance/treatments/methadone/#what-happens"
    );
}

#[test]
fn a_full_base_url_with_a_path_applies_to_every_internal_url() {
    let site = guidance_site_with_base_url("https://example.org/guidance/");
    assert_every_url_is_under(&site, "https://example.org/guidance/");
}

#[test]
fn the_base_url_option_overrides_site_toml() {
    let site = Site::fixture("guidance-site");
    site.edit(
        "site.toml",
        "base_url = \"/\"",
        "base_url = \"https://example.org/guidance/\"",
    );
    site.build(&["--base-url", "/preview/"]).success();
    assert_every_url_is_under(&site, "/preview/");
    let sitemap = site.output("sitemap.xml");
    assert!(
        xml_texts(&sitemap, "loc")
            .iter()
            .all(|loc| loc.starts_with("/preview/")),
        "the sitemap ignores --base-url:\n{sitemap}"
    );
}

#[test]
fn internal_links_resolve_to_page_section_and_heading_urls() {
    for (base_url, prefix) in [("/", "/"), ("/guidance/", "/guidance/")] {
        let site = guidance_site_with_base_url(base_url);
        let check = |page: &str, text: &str, expected: &str| {
            assert_eq!(
                href_of(&site.output(page), text),
                format!("{prefix}{expected}"),
                "link {text:?} in {page} with base_url {base_url}"
            );
        };
        // @/treatments/counselling.md
        check("index.html", "counselling", "treatments/counselling/");
        // @/about.md, a page at the top
        check("index.html", "about this site", "about/");
        // @/sources/_index.md, a section
        check("about/index.html", "sources", "sources/");
        // @/treatments/methadone.md#what-happens
        check(
            "treatments/counselling/index.html",
            "methadone",
            "treatments/methadone/#what-happens",
        );
        check(
            "treatments/methadone/index.html",
            "talk to someone",
            "treatments/counselling/",
        );
        // `related` in front matter
        check(
            "treatments/counselling/index.html",
            "Methadone & other substitutes",
            "treatments/methadone/",
        );
        check("treatments/methadone/index.html", "Treatments", "treatments/");
    }
}

#[test]
fn citations_are_numbered_in_order_of_first_use_with_references_at_the_end() {
    let site = Site::fixture("citations");
    site.build(&[]).success();
    let html = site.output("notes/index.html");

    // "First [@beta]. Second [@alpha; @beta]. Third [@gamma], again [@beta]."
    let citations: Vec<String> = html
        .split("<sup class=\"citation\">")
        .skip(1)
        .map(|rest| visible_text(&rest[..rest.find("</sup>").expect("a closed citation")]))
        .collect();
    assert_eq!(citations, ["[1]", "[2, 1]", "[3]", "[1]"]);

    let references_start = html.find("id=\"references-heading\"").expect("a references list");
    let last_citation = html.rfind("<sup class=\"citation\">").expect("citations");
    assert!(last_citation < references_start, "the references come after the text");
    let mut previous = references_start;
    for (number, title) in [(1, "Beta guide"), (2, "Alpha report"), (3, "Gamma leaflet")] {
        let start = html
            .find(&format!("<li id=\"ref-{number}\">"))
            .unwrap_or_else(|| panic!("no reference {number} in:\n{html}"));
        assert!(start > previous, "reference {number} is out of order");
        let item = &html[start..start + html[start..].find("</li>").expect("a closed item")];
        assert!(
            visible_text(item).contains(title),
            "reference {number} is not {title}: {item}"
        );
        previous = start;
    }
    assert!(!html.contains("ref-4"), "only three sources are cited");
}

#[test]
fn fenced_code_is_highlighted_with_classes_and_a_stylesheet() {
    let site = Site::fixture("code");
    site.build(&[]).success();
    let html = site.output("example/index.html");
    let code_classes: Vec<String> = elements(&html)
        .into_iter()
        .filter(|e| e.name == "span")
        .filter_map(|e| e.attribute("class").map(str::to_string))
        .collect();
    assert!(
        code_classes
            .iter()
            .any(|c| c.split(' ').any(|class| class.starts_with("hl-"))),
        "no hl- classes in:\n{html}"
    );
    assert!(
        visible_text(&html).contains("println!(\"hello\");"),
        "the code is shown as written"
    );

    let css = site.output("syntax.css");
    assert!(css.contains(".hl-"), "syntax.css styles the hl- classes:\n{css}");
    assert!(
        urls(&html).iter().any(|u| u == "/syntax.css"),
        "the page with code loads syntax.css"
    );
}

#[test]
fn no_page_has_a_style_attribute() {
    // Code, aligned table cells and raw HTML with style= would each add one; a strict
    // Content-Security-Policy blocks inline styles.
    for fixture in ["code", "guidance-site"] {
        let site = Site::fixture(fixture);
        site.build(&[]).success();
        for (name, html) in html_files(&site.public()) {
            for element in elements(&html) {
                assert!(
                    element.attribute("style").is_none(),
                    "{fixture}: {name} has a style attribute on <{}>",
                    element.name
                );
            }
        }
    }
}

#[test]
fn sitemap_and_feed_are_well_formed_with_absolute_urls() {
    let site = guidance_site_with_base_url("https://example.org/guidance/");
    let base = "https://example.org/guidance/";

    let locs: Vec<String> = xml_texts(&site.output("sitemap.xml"), "loc");
    // The sitemap lists every page that was built, each once, by its absolute URL.
    let built: BTreeSet<String> = file_names(&site.public())
        .into_iter()
        .filter_map(|name| name.strip_suffix("index.html").map(|dir| format!("{base}{dir}")))
        .collect();
    assert_eq!(locs.iter().cloned().collect::<BTreeSet<_>>(), built);
    assert_eq!(locs.len(), built.len(), "the sitemap lists a page twice: {locs:?}");
    for path in [
        "",
        "about/",
        "sources/",
        "sources/frank/",
        "treatments/",
        "treatments/counselling/",
        "treatments/methadone/",
    ] {
        assert!(
            locs.contains(&format!("{base}{path}")),
            "the sitemap does not list {base}{path}"
        );
    }

    let atom = site.output("atom.xml");
    let titles = xml_texts(&atom, "title");
    // The feed's own title, then the reviewed pages, most recently reviewed first.
    assert_eq!(
        titles,
        ["Test guidance", "Methadone & other substitutes", "Counselling"]
    );
    let hrefs = xml_attributes(&atom, "link", "href");
    assert_eq!(
        hrefs,
        [
            format!("{base}atom.xml"),
            base.to_string(),
            format!("{base}treatments/methadone/"),
            format!("{base}treatments/counselling/"),
        ]
    );
    for id in xml_texts(&atom, "id") {
        assert!(id.starts_with(base), "feed id {id} is not absolute");
    }

    let robots = site.output("robots.txt");
    assert!(
        robots.lines().any(|l| l == format!("Sitemap: {base}sitemap.xml")),
        "robots.txt:\n{robots}"
    );
    let not_found = site.output("404.html");
    assert!(visible_text(&not_found).contains("Page not found"));
}

#[test]
fn sitemap_uses_paths_when_base_url_is_a_path() {
    let site = guidance_site_with_base_url("/guidance/");
    let locs = xml_texts(&site.output("sitemap.xml"), "loc");
    assert!(
        locs.contains(&"/guidance/treatments/counselling/".to_string()),
        "{locs:?}"
    );
    assert!(locs.iter().all(|l| l.starts_with("/guidance/")), "{locs:?}");
    // Both reviewed pages are in the feed, which parses as XML.
    assert_eq!(xml_texts(&site.output("atom.xml"), "entry").len(), 2);
}

#[test]
fn site_templates_override_the_themes() {
    let site = Site::layers(&["guidance-site", "overrides"]);
    site.build(&[]).success();
    let about = site.output("about/index.html");
    assert!(
        about.contains("<p class=\"site-page-template\">About this site from the site's page.html</p>"),
        "{about}"
    );
    let counselling = site.output("treatments/counselling/index.html");
    assert!(
        counselling.contains("<p class=\"site-guidance-template\">Counselling from the site's guidance.html</p>"),
        "{counselling}"
    );
    // Templates the site does not replace still come from the theme.
    assert!(site.output("treatments/index.html").contains("class=\"page-list\""));
}

#[test]
fn templates_can_use_get_url_and_get_page() {
    // docs/templates.md offers both functions to a site's own templates.
    let site = Site::layers(&["guidance-site", "template-functions"]);
    site.edit("site.toml", "base_url = \"/\"", "base_url = \"/guidance/\"");
    site.build(&[]).success();
    let about = site.output("about/index.html");
    assert_eq!(
        href_of(&about, "How to get counselling"),
        "/guidance/treatments/counselling/#how-to-get-it"
    );
    assert_eq!(
        href_of(&about, "Methadone & other substitutes"),
        "/guidance/treatments/methadone/"
    );
    assert_eq!(href_of(&about, "Stylesheet"), "/guidance/style.css");
}

#[test]
fn static_files_are_copied_and_override_the_themes() {
    let site = Site::layers(&["guidance-site", "overrides"]);
    site.build(&[]).success();
    let fixture = common::fixtures_dir().join("overrides/static");
    assert_eq!(
        fs::read(site.public().join("style.css")).expect("style.css"),
        fs::read(fixture.join("style.css")).expect("the fixture's style.css"),
        "the site's static/style.css replaces the theme's"
    );
    assert_eq!(
        fs::read(site.public().join("extra/notes.txt")).expect("extra/notes.txt"),
        fs::read(fixture.join("extra/notes.txt")).expect("the fixture's notes.txt"),
    );
}

#[test]
fn the_themes_static_files_are_copied_when_the_site_has_none() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    assert_eq!(
        fs::read(site.public().join("style.css")).expect("style.css"),
        fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"))
            .expect("the theme's style.css"),
    );
}

#[test]
fn assets_beside_pages_are_copied() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    assert_eq!(
        fs::read(site.public().join("treatments/dose-chart.svg")).expect("the asset"),
        fs::read(site.path("content/treatments/dose-chart.svg")).expect("the source"),
    );
}

#[test]
fn an_image_beside_a_page_shows_on_that_page() {
    // content/treatments/with-image.md is written to treatments/with-image/index.html, one
    // folder deeper than the file: a relative `![](chart.svg)` must still find
    // content/treatments/chart.svg, as it does in the author's editor.
    let site = Site::layers(&["guidance-site", "asset-link"]);
    site.edit("site.toml", "base_url = \"/\"", "base_url = \"/guidance/\"");
    site.build(&[]).success();
    assert!(site.public().join("treatments/chart.svg").is_file());
    assert_no_broken_urls(&site.public(), "/guidance/");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let draft_outputs = [
        "treatments/unfinished/index.html",
        "upcoming/index.html",
        "upcoming/inside/index.html",
    ];

    let site = Site::layers(&["guidance-site", "drafts"]);
    site.build(&[]).success();
    for path in draft_outputs {
        assert!(!site.public().join(path).exists(), "{path} was built without --drafts");
    }
    let everything: String = html_files(&site.public()).into_values().collect::<Vec<_>>().join("\n")
        + &site.output("sitemap.xml")
        + &site.output("atom.xml");
    for text in [
        "Unfinished page",
        "Upcoming section",
        "Inside a draft section",
        "/unfinished/",
        "/upcoming/",
    ] {
        assert!(
            !everything.contains(text),
            "{text:?} appears in the site without --drafts"
        );
    }

    site.build(&["--drafts"]).success();
    for path in draft_outputs {
        assert!(site.public().join(path).is_file(), "{path} was not built with --drafts");
    }
    assert!(visible_text(&site.output("treatments/index.html")).contains("Unfinished page"));
}

#[test]
fn an_unfinished_draft_is_only_checked_when_drafts_are_built() {
    // What `signpost new` writes: a draft whose required fields are still empty.
    let site = Site::fixture("guidance-site");
    site.write(
        "content/treatments/half-written.md",
        "+++\ntitle = \"Half written\"\ndraft = true\ntreatment_type = \"\"\nsources = []\n+++\n",
    );
    site.build(&[]).success();
    assert!(!site.public().join("treatments/half-written/index.html").exists());

    let run = site.build(&["--drafts"]).code(1);
    assert!(
        run.stderr
            .contains("content/treatments/half-written.md:4:18: error: `` is not a value of `treatment_type`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_draft_whose_front_matter_is_not_toml_still_fails() {
    let site = Site::fixture("guidance-site");
    site.write(
        "content/treatments/broken-draft.md",
        "+++\ntitle = \"Broken\"\ndraft = true\nweight = \n+++\n",
    );
    let run = site.build(&[]).code(1);
    assert!(
        run.stderr.contains("content/treatments/broken-draft.md:4:"),
        "{}",
        run.stderr
    );
}

/// The `<script type="application/ld+json">` data of a built page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).map(|i| i + open.len()).expect("a JSON-LD script");
    let end = start + html[start..].find("</script>").expect("the script's end");
    let json = &html[start..end];
    assert!(
        !json.contains(['<', '>']),
        "JSON-LD that could end its element early: {json}"
    );
    serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON-LD is not JSON ({e}): {json}"))
}

#[test]
fn guidance_pages_describe_themselves_for_search_engines() {
    let site = Site::fixture("guidance-site");
    let methadone = "content/treatments/methadone.md";
    site.edit(methadone, "replaces heroin.", "replaces heroin </script><!-- & more.");
    site.build(&[]).success();

    let counselling = json_ld(&site.output("treatments/counselling/index.html"));
    assert_eq!(counselling["@context"], "https://schema.org");
    assert_eq!(counselling["@type"], "MedicalWebPage");
    assert_eq!(counselling["name"], "Counselling");
    assert_eq!(counselling["about"]["@type"], "MedicalTherapy");
    assert_eq!(counselling["about"]["name"], "Counselling");
    assert_eq!(
        counselling["description"],
        "Talking with a trained counsellor about your drug use."
    );
    assert_eq!(
        counselling["citation"],
        serde_json::json!(["Types of treatment", "Drug addiction: getting help"])
    );
    assert_eq!(counselling["lastReviewed"], "2026-01-15");
    assert!(
        counselling["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/treatments/counselling/")),
        "{counselling}"
    );

    let methadone = json_ld(&site.output("treatments/methadone/index.html"));
    assert_eq!(methadone["name"], "Methadone & other substitutes");
    assert_eq!(
        methadone["description"],
        "A daily prescribed medicine that replaces heroin </script><!-- & more."
    );
    assert_eq!(methadone["lastReviewed"], "2026-03-01");
    assert_eq!(
        methadone["citation"],
        serde_json::json!(["Drug addiction: getting help"])
    );
}
