//! The files programs read rather than people: sitemap.xml and atom.xml must stay well-formed
//! XML whatever characters a title holds, and matrix.csv must never hand a spreadsheet a
//! formula. Both are read back with real parsers (roxmltree, csv), as their readers would.

mod common;

use common::Site;

/// Every character XML 1.0 forbids that a TOML string can hold, in the site's title and
/// description and a page's title and summary; and formula triggers in the cells of the
/// comparison table.
fn hostile_site() -> Site {
    let site = Site::fixture("guidance-site");
    let forbidden = "\\u0001\\u0008\\u000B\\u000C\\u001F\\uFFFE\\uFFFF";
    site.edit(
        "site.toml",
        "title = \"Test guidance\"",
        &format!("title = \"Test{forbidden} guidance\""),
    );
    site.edit(
        "site.toml",
        "description = \"",
        &format!("description = \"Bad{forbidden} text. "),
    );
    site.edit(
        "content/treatments/methadone.md",
        "title = \"Methadone & other substitutes\"\nsummary = \"A daily prescribed medicine that replaces heroin.\"",
        &format!(
            "title = \"=HYPERLINK(\\\"https://evil.example\\\"){forbidden}\"\n\
             summary = \"\\t=1+1{forbidden}\"\n\
             pros = [\"+SUM(A1)\", \"-2+3\", \"@cmd\", \"\\r=2\", \" =3\", \"a;b,c\"]\n\
             cons = [\"＝1\"]"
        ),
    );
    site.build(&[]).success();
    site
}

#[test]
fn sitemap_and_feed_are_well_formed_whatever_the_titles_hold() {
    let site = hostile_site();
    for file in ["sitemap.xml", "atom.xml"] {
        let xml = site.output(file);
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{file} is not well-formed XML: {e}\n{xml}");
        }
    }
    let atom = site.output("atom.xml");
    let document = roxmltree::Document::parse(&atom).expect("parsed above");
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"Test guidance"), "{titles:?}");
    assert!(
        titles.contains(&"=HYPERLINK(\"https://evil.example\")"),
        "the title keeps everything XML allows: {titles:?}"
    );
}

#[test]
fn no_cell_of_the_matrix_csv_can_be_read_as_a_formula() {
    let site = hostile_site();
    let text = site.output("compare/matrix.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV record")).collect();
    assert!(rows.len() >= 3, "a header and the guidance pages: {text}");
    let mut cells = rows.iter().flat_map(|row| row.iter());
    assert!(
        cells.all(|cell| !cell
            .trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＠'])),
        "a cell starts with a formula trigger:\n{text}"
    );
    let methadone = rows
        .iter()
        .find(|row| row.get(1).is_some_and(|title| title.contains("HYPERLINK")))
        .expect("the methadone row");
    assert_eq!(
        methadone.get(1),
        Some("'=HYPERLINK(\"https://evil.example\")\u{1}\u{8}\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}")
    );
    // Every cell is quoted, so neither a `,` nor a `;` separator splits a cell.
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
    }
    // A `;` inside a cell does not split it.
    assert!(
        methadone
            .iter()
            .any(|cell| cell.starts_with("'+SUM(A1); ") && cell.ends_with("; a;b,c")),
        "{methadone:?}"
    );
}
