//! The comparison page on generated sites: plurals, column labels, and (with many rows) one
//! page per section with an index, built with the real binary.

mod common;

use common::Site;

/// A site with `per_section` guidance pages in each of `sections`, and `extra` appended to
/// site.toml.
fn guidance_site(sections: &[&str], per_section: usize, extra: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        format!(
            r#"title = "Compare test"
base_url = "/"

[vocabularies.treatment_type]
name = "Kind of help"
[[vocabularies.treatment_type.values]]
id = "talking"
label = "Talking"

[vocabularies.substances]
name = "Substance"
[[vocabularies.substances.values]]
id = "alcohol"
label = "Alcohol"

[[sources]]
id = "src"
title = "A source"
publisher_type = "charity"
{extra}"#
        ),
    );
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
