//! The comparison page on generated sites: plurals, column labels, and (with many rows) one
//! page per section with an index, built with the real binary.

mod common;

use common::Site;

/// A site with `per_section` guidance pages in each of `sections`, and `extra` appended to
/// site.toml.
fn guidance_site(sections: &[&str], per_section: usize, extra: &str) -> Site {
    let site = Site::empty();
    site.write("site.toml", common::two_facet_site_toml("Compare test", extra));
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n");
    for section in sections {
        site.write(
            &format!("content/{section}/_index.md"),
            format!("+++\ntitle = \"Section {section}\"\nguidance = true\n+++\n"),
        );
        for i in 0..per_section {
            site.write(
                &format!("content/{section}/page-{i:03}.md"),
                format!(
                    "+++\ntitle = \"{section} option {i:03}\"\nsummary = \"About option {i}.\"\n\
                     treatment_type = \"talking\"\nsubstances = [\"alcohol\"]\n\
                     duration = \"Six weeks\"\nsources = [\"src\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\nText.\n"
                ),
            );
        }
    }
    site
}

#[test]
fn one_option_is_singular_and_two_are_plural() {
    let one = guidance_site(&["help"], 1, "");
    one.build(&[]).success();
    let html = one.output("compare/index.html");
    assert!(html.contains(": 1 option, one per row</caption>"), "{html}");
    assert!(!html.contains("1 options"));
    let facet = one.output("treatment-type/index.html");
    assert!(facet.contains("(1 page)"), "{facet}");
    assert!(one.output("treatment-type/talking/index.html").contains("<p>1 page in"));

    let two = guidance_site(&["help"], 2, "");
    two.build(&[]).success();
    assert!(
        two.output("compare/index.html")
            .contains(": 2 options, one per row</caption>")
    );
    assert!(two.output("treatment-type/index.html").contains("(2 pages)"));
    assert!(
        two.output("treatment-type/talking/index.html")
            .contains("<p>2 pages in")
    );
}

#[test]
fn a_facet_column_without_a_label_is_headed_by_its_vocabulary_name() {
    let site = guidance_site(
        &["help"],
        2,
        r#"
[[matrix]]
path = "compare"
title = "Compare"
columns = [
  { field = "treatment_type" },
  { field = "substances" },
  { field = "settings" },
  { field = "duration" },
  { field = "not_suited" },
  { field = "access", label = "Getting it" },
]
"#,
    );
    site.build(&[]).success();
    let html = site.output("compare/index.html");
    let head = |field: &str, label: &str| format!("data-field=\"{field}\" data-kind=\"{}\">{label}</th>", kind(field));
    fn kind(field: &str) -> &'static str {
        match field {
            "duration" => "text",
            "not_suited" => "list",
            _ => "facet",
        }
    }
    for (field, label) in [
        ("treatment_type", "Kind of help"),
        ("substances", "Substance"),
        // No vocabulary name: a fixed heading.
        ("settings", "Setting"),
        ("duration", "How long"),
        ("not_suited", "Who it may not suit"),
        ("access", "Getting it"),
    ] {
        assert!(
            html.contains(&head(field, label)),
            "no {label} heading for {field}:\n{html}"
        );
    }
    assert!(html.contains("data-label=\"Kind of help\" data-field=\"treatment_type\""));
    let json = site.output("compare/matrix.json");
    assert!(json.contains("\"label\": \"Substance\""), "{json}");
}

#[test]
fn the_default_table_uses_the_vocabulary_names_too() {
    let site = guidance_site(&["help"], 2, "");
    site.build(&[]).success();
    let html = site.output("compare/index.html");
    assert!(html.contains(">Substance</th>"), "{html}");
    assert!(!html.contains(">Substances</th>"));
    assert!(html.contains(">Kind of help</th>"));
}

/// Every `href` in `html` that starts with `prefix`.
fn hrefs_under<'h>(html: &'h str, prefix: &str) -> Vec<&'h str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .collect()
}

#[test]
fn a_long_table_gets_a_page_per_section_and_an_index() {
    let site = guidance_site(
        &["alpha", "beta", "gamma"],
        50,
        "\n[[matrix]]\npath = \"compare\"\ntitle = \"Compare\"\npage_size = 100\n",
    );
    // base_url with a path, so every link must carry it.
    site.edit(
        "site.toml",
        "base_url = \"/\"",
        "base_url = \"https://example.org/sub/\"",
    );
    site.build(&[]).success();

    let index = site.output("compare/index.html");
    assert!(!index.contains("<tr id=\"row-"), "the index holds no rows");
    assert!(!index.contains("compare.js"), "the index needs no script");
    for section in ["alpha", "beta", "gamma"] {
        let link =
            format!("href=\"/sub/compare/{section}/\">Section {section}</a> <span class=\"count\">(50 options)</span>");
        assert!(index.contains(&link), "the index does not list {section}:\n{index}");
        let page = site.output(&format!("compare/{section}/index.html"));
        assert_eq!(page.matches("<tr id=\"row-").count(), 50, "{section}");
        assert!(page.contains(&format!("<h1>Compare: Section {section}</h1>")));
        assert!(
            page.contains("href=\"/sub/compare/\">All parts of Compare</a>"),
            "{section} links back"
        );
        assert!(page.contains(": 50 options, one per row</caption>"));
        assert!(
            page.contains("id=\"matrix-filters\""),
            "{section} has the same controls"
        );
        assert!(page.contains("compare.js"));
        // The whole table's data, from every page.
        assert!(page.contains("href=\"/sub/compare/matrix.csv\""));
        // Only its own rows.
        let own = format!("/sub/{section}/");
        assert!(
            hrefs_under(&page, "/sub/")
                .iter()
                .filter(|h| h.contains("/page-"))
                .all(|h| h.starts_with(&own))
        );
    }
    let sitemap = site.output("sitemap.xml");
    for path in ["compare/", "compare/alpha/", "compare/beta/", "compare/gamma/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/sub/{path}</loc>")),
            "{path} not in the sitemap"
        );
    }
    assert_eq!(
        site.output("compare/matrix.csv").lines().count(),
        151,
        "the whole table as CSV"
    );
    let json: serde_json::Value = serde_json::from_str(&site.output("compare/matrix.json")).expect("JSON");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(150));
    common::assert_no_broken_urls(&site.public(), "https://example.org/sub/");
}

#[test]
fn a_section_longer_than_a_page_is_numbered_and_a_short_table_stays_whole() {
    let site = guidance_site(
        &["alpha", "beta"],
        25,
        "\n[[matrix]]\npath = \"compare\"\ntitle = \"Compare\"\npage_size = 10\n",
    );
    site.build(&[]).success();
    let index = site.output("compare/index.html");
    for (path, label, rows) in [
        ("alpha/", "Section alpha, page 1 of 3", 10),
        ("alpha/2/", "Section alpha, page 2 of 3", 10),
        ("alpha/3/", "Section alpha, page 3 of 3", 5),
        ("beta/3/", "Section beta, page 3 of 3", 5),
    ] {
        assert!(
            index.contains(&format!("href=\"/compare/{path}\">{label}</a>")),
            "{path}:\n{index}"
        );
        let page = site.output(&format!("compare/{path}index.html"));
        assert_eq!(page.matches("<tr id=\"row-").count(), rows, "{path}");
        assert!(
            page.contains(&format!("<span aria-current=\"page\">{label}</span>")),
            "{path}"
        );
    }
    // Title order runs on across a section's pages.
    let first = site.output("compare/alpha/index.html");
    assert!(
        first.contains("alpha option 000") && first.contains("alpha option 009") && !first.contains("alpha option 010")
    );
    common::assert_no_broken_urls(&site.public(), "/");

    let short = guidance_site(&["alpha", "beta"], 5, "");
    short.build(&[]).success();
    assert_eq!(short.output("compare/index.html").matches("<tr id=\"row-").count(), 10);
    assert!(!short.path("public/compare/alpha").exists());
}

#[test]
fn rows_in_no_section_are_grouped_by_type_of_help() {
    let site = guidance_site(
        &[],
        0,
        "\n[[matrix]]\npath = \"compare\"\ntitle = \"Compare\"\npage_size = 2\n",
    );
    site.edit(
        "content/_index.md",
        "title = \"Home\"",
        "title = \"Home\"\nguidance = true",
    );
    for i in 0..3 {
        site.write(
            &format!("content/top-{i}.md"),
            "+++\ntitle = \"Top\"\nsummary = \"S.\"\ntreatment_type = \"talking\"\nsources = [\"src\"]\n\
             last_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\nText.\n",
        );
    }
    site.build(&[]).success();
    let index = site.output("compare/index.html");
    assert!(
        index.contains("href=\"/compare/talking/\">Talking, page 1 of 2</a>"),
        "{index}"
    );
    assert_eq!(
        site.output("compare/talking/2/index.html")
            .matches("<tr id=\"row-")
            .count(),
        1
    );
}

#[test]
fn page_size_out_of_range_is_an_error_at_the_value() {
    let site = guidance_site(
        &["alpha"],
        1,
        "\n[[matrix]]\npath = \"compare\"\ntitle = \"Compare\"\npage_size = 0\n",
    );
    let run = site.build(&[]).code(1);
    let text = site.read("site.toml");
    let line = text
        .lines()
        .position(|l| l.starts_with("page_size"))
        .map_or(0, |i| i + 1);
    let diagnostic = run.diagnostic(&format!("site.toml:{line}:13"));
    assert!(
        diagnostic.contains("[[matrix]] page_size is 0, which is out of range [SP007]"),
        "{diagnostic}"
    );
    assert!(diagnostic.contains("from 1 to 1000"));
}
