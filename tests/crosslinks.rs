//! Cross-links, facet pages, the A–Z index and the comparison tables, on the `crosslinks`
//! fixture (built for the sub-path /sub/).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The fixture is built once; every test reads the output.
fn site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| common::build_fixture("crosslinks"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

#[test]
fn facet_index_pages_list_used_values_with_counts() {
    let html = read("treatment-type/index.html");
    assert!(html.contains("<a href=\"/sub/treatment-type/talking/\">Talking</a> <span class=\"count\">(3 pages)"));
    assert!(
        html.contains("<a href=\"/sub/treatment-type/medication/\">Medication</a> <span class=\"count\">(2 pages)")
    );
    assert!(!html.contains("Never used"));
    assert!(
        !site().join("treatment-type/unused-type").exists(),
        "an unused value gets no page"
    );
}

#[test]
fn facet_value_pages_list_their_pages_by_title() {
    let html = read("settings/residential/index.html");
    let list = between(&html, "<ul class=\"page-list\">", "</ul>");
    let titles: Vec<&str> = list
        .split("<a href=\"/sub/")
        .skip(1)
        .filter_map(|link| link.split_once("\">").and_then(|(_, rest)| rest.split('<').next()))
        .filter(|title| ["Beta", "Epsilon", "Gamma", "Alpha", "Delta"].contains(title))
        .collect();
    assert_eq!(titles, ["Beta", "Epsilon", "Gamma"]);
}

#[test]
fn unused_vocabulary_value_is_a_warning_in_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crosslinks");
    let result = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .env("SIGNPOST_TODAY", "2026-06-01")
        .args(["check", "--root"])
        .arg(&root)
        .output();
    let result = result.expect("run signpost");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success());
    assert!(
        stderr.contains("site.toml:13:6: warning: the `treatment_type` value `unused-type` is not used"),
        "{stderr}"
    );
    let strict = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .env("SIGNPOST_TODAY", "2026-06-01")
        .args(["check", "--strict", "--root"])
        .arg(&root)
        .output();
    assert_eq!(
        strict.expect("run signpost").status.code(),
        Some(1),
        "--strict fails on the warning"
    );
}

#[test]
fn guidance_pages_link_their_facet_values() {
    let html = read("treatments/beta/index.html");
    assert!(html.contains("<a href=\"/sub/treatment-type/talking/\">Talking</a>"));
    assert!(html.contains("<a href=\"/sub/settings/community/\">Community</a>"));
    assert!(html.contains("<a href=\"/sub/settings/residential/\">Residential</a>"));
}

#[test]
fn related_lists_explicit_pages_first_then_shared_facets() {
    let html = read("treatments/alpha/index.html");
    let related = between(&html, "id=\"related-heading\"", "</section>");
    let order: Vec<&str> = ["Gamma", "Beta", "Epsilon", "Delta"]
        .into_iter()
        .filter(|t| related.contains(&format!(">{t}</a>")))
        .collect();
    // Gamma is written in front matter; Beta shares type and setting (score 3); Epsilon the
    // type (2); Delta only a setting (1) and falls outside count = 3.
    assert_eq!(order, ["Gamma", "Beta", "Epsilon"]);
    let g = related.find(">Gamma<").unwrap_or(usize::MAX);
    let b = related.find(">Beta<").unwrap_or(0);
    let e = related.find(">Epsilon<").unwrap_or(0);
    assert!(g < b && b < e, "{related}");
}

#[test]
fn backlinks_come_from_the_link_graph() {
    let alpha = read("treatments/alpha/index.html");
    let backlinks = between(&alpha, "id=\"backlinks-heading\"", "</section>");
    assert!(backlinks.contains("<a href=\"/sub/treatments/gamma/\">Gamma</a>"));
    let delta = read("treatments/delta/index.html");
    assert!(!delta.contains("backlinks-heading"), "no one links to Delta");
}

#[test]
fn glossary_terms_link_first_mention_outside_headings_links_and_code() {
    let html = read("treatments/alpha/index.html");
    let body = between(&html, "<div class=\"body\">", "</div>");
    let detox = "<a class=\"glossary-term\" href=\"/sub/glossary/#detox\">";
    assert_eq!(body.matches(detox).count(), 1, "{body}");
    assert!(
        body.contains("Then <a class=\"glossary-term\" href=\"/sub/glossary/#detox\">detox</a> in text"),
        "{body}"
    );
    assert!(body.contains("<code>detox</code>"));
    assert!(body.contains(">detox link</a>"));
    assert!(!between(&html, "<h2 id=\"detox-and-more\">", "</h2>").contains("glossary-term"));
    // Case-insensitive, first mention only.
    assert!(body.contains("Your <a class=\"glossary-term\" href=\"/sub/glossary/#key-worker\">key worker</a> helps."));
    assert!(body.contains("Your Key Worker helps again."));
    // Longest match wins; skipped terms stay plain.
    assert!(body.contains(">opioid substitution treatment</a>"));
    assert!(body.contains("A skipped term."));
}

#[test]
fn the_glossary_page_does_not_link_its_own_terms() {
    assert!(!read("glossary/index.html").contains("glossary-term"));
}

#[test]
fn a_to_z_groups_every_page_by_letter() {
    let html = read("a-z/index.html");
    for (letter, title) in [
        ("a", "Alpha"),
        ("b", "Beta"),
        ("d", "Delta"),
        ("e", "Epsilon"),
        ("g", "Glossary"),
    ] {
        let group = between(&html, &format!("<h2 id=\"letter-{letter}\">"), "</section>");
        assert!(group.contains(&format!(">{title}</a>")), "{letter}: {group}");
    }
    assert!(html.find("letter-a").unwrap_or(0) < html.find("letter-g").unwrap_or(0));
}

#[test]
fn compare_table_has_a_row_per_guidance_page_with_linked_facets() {
    let html = read("compare/index.html");
    assert_eq!(html.matches("<tr id=\"row-").count(), 5);
    assert!(html.contains("<caption id=\"matrix-caption\">Compare all: 5 options, one per row</caption>"));
    let beta = between(&html, "<tr id=\"row-beta\"", "</tr>");
    assert!(beta.contains("<th scope=\"row\" data-label=\"Option\"><a href=\"/sub/treatments/beta/\">Beta</a></th>"));
    assert!(beta.contains("data-field=\"settings\" data-values=\"community residential\""));
    assert!(beta.contains("<a href=\"/sub/settings/community/\">Community</a>"));
    assert!(beta.contains("<li>Good, with a comma</li>"));
    assert!(beta.contains(">A few weeks</td>"));
    assert!(html.contains("<th scope=\"col\" data-field=\"pros\" data-kind=\"list\">Pros</th>"));
}

#[test]
fn a_second_matrix_takes_only_its_sections() {
    let html = read("compare-other/index.html");
    assert_eq!(html.matches("<tr id=\"row-").count(), 1);
    assert!(html.contains("row-epsilon"));
}

#[test]
fn matrix_json_has_stable_fields() {
    let json: serde_json::Value = serde_json::from_str(&read("compare/matrix.json")).expect("valid JSON");
    let columns: Vec<&str> = json["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(columns, ["treatment_type", "settings", "pros", "duration"]);
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 5);
    let alpha = &rows[0];
    assert_eq!(alpha["id"], "alpha");
    assert_eq!(alpha["url"], "/sub/treatments/alpha/");
    assert_eq!(alpha["treatment_type"][0]["id"], "talking");
    assert_eq!(alpha["pros"][1], "Also \"quoted\"");
    assert_eq!(alpha["duration"], "A few weeks");
}

#[test]
fn matrix_csv_quotes_fields() {
    let csv = read("compare/matrix.csv");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("\"id\",\"title\",\"url\",\"treatment_type\",\"settings\",\"pros\",\"duration\"")
    );
    assert_eq!(
        lines.next(),
        Some(
            "\"alpha\",\"Alpha\",\"/sub/treatments/alpha/\",\"Talking\",\"Community\",\"Good, with a comma; Also \"\"quoted\"\"\",\"A few weeks\""
        )
    );
}

#[test]
fn generated_pages_are_in_the_sitemap() {
    let sitemap = read("sitemap.xml");
    for path in [
        "/sub/compare/",
        "/sub/a-z/",
        "/sub/settings/",
        "/sub/settings/community/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{path}</loc>")), "{path}");
    }
}

/// The shipped site: the comparison lists every guidance page, and every facet value in use
/// has its page.
#[test]
fn shipped_site_compares_every_guidance_page_and_has_every_facet_page() {
    use signpost::config::{Facet, Overrides};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = signpost::pipeline::build(root, &Overrides::default(), &|_| {})
        .unwrap_or_else(|d| panic!("the shipped site has errors: {:?}", d.sorted()));
    let guidance: Vec<_> = built
        .content
        .pages
        .iter()
        .filter(|p| built.content.sections[p.section].meta.guidance)
        .collect();
    assert!(guidance.len() >= 40, "only {} guidance pages", guidance.len());
    let compare = match built.site.files.get("compare/index.html") {
        Some(signpost::render::Contents::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        _ => panic!("no compare page"),
    };
    for page in &guidance {
        let url = built.config.base_url.link(&page.path);
        assert!(
            compare.contains(&format!("<a href=\"{url}\">")),
            "{} is not in /compare/",
            page.key
        );
    }
    for page in &built.content.pages {
        for facet in Facet::ALL {
            for value in page.meta.facet_values(facet) {
                let path = format!("{}index.html", built.config.vocabularies.value_path(facet, value));
                assert!(
                    built.site.files.contains_key(&path),
                    "{} uses {value} but {path} is missing",
                    page.key
                );
            }
        }
    }
}

/// Templates see a comparison table as its rows serialised, whatever the renderer shares
/// between rows to keep the value small: checked on this fixture and on the shipped site.
#[test]
fn the_compare_page_sees_every_row_and_cell_as_serialised() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crosslinks");
    for root in [fixture.as_path(), Path::new(env!("CARGO_MANIFEST_DIR"))] {
        let config = signpost::config::load(root, &Default::default()).expect("site.toml loads");
        let (content, _) = signpost::content::load(&config);
        let matrices = signpost::matrix::build(&config, &content);
        assert!(
            matrices.iter().any(|m| m.rows.len() > 1),
            "{}: no table to compare",
            root.display()
        );
        for matrix in &matrices {
            assert!(
                signpost::render::views::matrix_value(matrix) == tera::Value::from_serializable(matrix),
                "{}: table {} differs",
                root.display(),
                matrix.path
            );
        }
    }
}
