//! Every number and link site.toml holds is checked when it is read: a value out of range, a
//! link to a missing page or a base_url no browser could use is an error at the value
//! (file:line:col), never a panic, a frozen build or a link that silently disappears.

mod common;

use common::{Run, Site};

/// guidance-site with `extra` added to the end of its site.toml (71 lines, so what is added
/// starts on line 72).
fn site_with(extra: &str) -> Site {
    let site = Site::fixture("guidance-site");
    let mut text = site.read("site.toml");
    assert_eq!(text.lines().count(), 71, "the fixture's site.toml changed length");
    text.push_str(extra);
    site.write("site.toml", text);
    site
}

/// The build fails with one error at `location` that says each of `says`, and writes nothing.
fn fails_at(site: &Site, location: &str, says: &[&str]) -> Run {
    let run = site.build(&[]).code(1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let diagnostic = run.diagnostic(location);
    for text in says {
        assert!(diagnostic.contains(text), "expected {text:?} in:\n{diagnostic}");
    }
    assert!(
        run.stderr.contains("the build failed with 1 error"),
        "expected exactly one error:\n{}",
        run.stderr
    );
    assert!(!site.public().exists(), "a failed build wrote public/");
    run
}

#[test]
fn all_search_weights_zero_is_an_error_not_a_panic() {
    // This used to panic with "index out of bounds" in the search stage.
    let site = site_with("\n[search.weights]\ntitle = 0\nheadings = 0\nsummary = 0.0\nbody = 0\n");
    fails_at(
        &site,
        "site.toml:73:1",
        &["[search.weights] are all 0", "[SP007]", "enabled = false"],
    );
}

#[test]
fn a_huge_related_count_is_an_error_at_the_value_not_a_panic() {
    // This used to panic with "capacity overflow".
    let site = site_with("\n[related]\ncount = 9223372036854775807\n");
    fails_at(
        &site,
        "site.toml:74:9",
        &[
            "[related] count is 9223372036854775807, which is out of range",
            "from 0 to 50",
        ],
    );
}

#[test]
fn each_search_weight_outside_its_range_is_an_error_at_the_value() {
    for (value, shown) in [
        ("-1", "-1"),
        ("nan", "NaN"),
        ("inf", "inf"),
        ("1e300", "inf"),
        ("101", "101"),
    ] {
        let site = site_with(&format!("\n[search.weights]\nbody = {value}\n"));
        fails_at(
            &site,
            "site.toml:74:8",
            &[
                &format!("[search.weights] body is {shown}, which is out of range"),
                "from 0 to 100",
            ],
        );
    }
}

#[test]
fn excerpt_words_outside_its_range_is_an_error_at_the_value() {
    for value in ["0", "201", "100000000000"] {
        // Written as a dotted key inside [search]: the value is found wherever it is written.
        let site = site_with(&format!("\n[search]\nenabled = true\nexcerpt_words = {value}\n"));
        fails_at(
            &site,
            "site.toml:75:17",
            &[&format!("[search] excerpt_words is {value}"), "from 1 to 200"],
        );
    }
}

#[test]
fn numbers_at_the_ends_of_their_ranges_build() {
    let site = site_with(
        "\n[related]\ncount = 50\n\n[search]\nexcerpt_words = 200\n\n[search.weights]\ntitle = 100\nheadings = 0\nsummary = 0\nbody = 0\n",
    );
    site.build(&[]).success();
}

#[test]
fn all_weights_zero_is_fine_when_search_is_off() {
    let site =
        site_with("\n[search]\nenabled = false\n\n[search.weights]\ntitle = 0\nheadings = 0\nsummary = 0\nbody = 0\n");
    site.build(&[]).success();
}

#[test]
fn a_front_matter_weight_outside_its_range_is_an_error_at_the_value() {
    let site = Site::fixture("guidance-site");
    site.edit("content/about.md", "+++\n", "+++\nweight = -99999999999\n");
    // Links to the page fail too, since a page with errors is not built.
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic("content/about.md:2:10");
    for text in [
        "weight -99999999999 is out of range",
        "[SP024]",
        "from -1000000 to 1000000",
    ] {
        assert!(diagnostic.contains(text), "expected {text:?} in:\n{diagnostic}");
    }
}

#[test]
fn a_glossary_page_that_does_not_exist_is_a_broken_link_at_the_value() {
    // It used to be reported at the [glossary] header, and only when terms were linked.
    for link_terms in ["true", "false"] {
        let site = site_with(&format!(
            "\n[glossary]\npage = \"@/abuot.md\"\nlink_terms = {link_terms}\n"
        ));
        fails_at(
            &site,
            "site.toml:74:8",
            &[
                "[glossary] page: link to a missing page `@/abuot.md`",
                "[SP030]",
                "@/about.md",
            ],
        );
    }
}

#[test]
fn every_page_link_in_site_toml_is_checked_at_its_value() {
    let cases = [
        (
            "[quick_exit]\nsafety_page = \"@/nope.md\"\n",
            "site.toml:74:15",
            "[quick_exit] safety_page",
        ),
        (
            "[emergency]\ntext = \"Call now.\"\nphone = \"999\"\npage = \"@/nope.md\"\n",
            "site.toml:76:8",
            "[emergency] page",
        ),
        (
            "[glossary]\npage = \"@/treatments/nope.md\"\n",
            "site.toml:74:8",
            "[glossary] page",
        ),
        (
            "[quick_exit]\nsafety_page = \"@/about.md#no-such-heading\"\n",
            "site.toml:74:15",
            "[quick_exit] safety_page",
        ),
    ];
    for (extra, location, setting) in cases {
        let site = site_with(&format!("\n{extra}"));
        let run = site.check(&["--strict"]).code(1);
        let diagnostic = run.diagnostic(location);
        assert!(diagnostic.contains(setting), "{extra}: {diagnostic}");
        assert!(diagnostic.contains("[SP03"), "{extra}: {diagnostic}");
    }
}

#[test]
fn a_glossary_page_that_exists_still_links_terms() {
    let site = site_with("\n[glossary]\npage = \"@/about.md\"\nlink_terms = true\n");
    site.build(&[]).success();
}

#[test]
fn a_base_url_no_browser_could_use_is_an_error_at_the_value() {
    let cases = [
        ("https://example.org/guidance/#top", "fragment"),
        ("https://example.org/?lang=en", "query"),
        ("/my guidance/", "a space"),
        ("https://exam\u{FFFE}ple.org/", "U+FFFE"),
        ("/guidance\u{1}/", "U+0001"),
        ("https://example.org/\\\"onmouseover=", "which a URL cannot hold"),
        ("ftp://example.org/", "only http:// and https://"),
        ("example.org/guidance/", "looks like a host name"),
        ("https://example.org:70000/", "not a valid URL"),
    ];
    for (value, why) in cases {
        let site = Site::fixture("guidance-site");
        let escaped: String = value.chars().map(toml_escape).collect();
        site.edit("site.toml", "base_url = \"/\"", &format!("base_url = \"{escaped}\""));
        fails_at(&site, "site.toml:5:12", &["invalid base_url", why, "[SP004]"]);
    }
}

/// A character as a TOML basic string writes it.
fn toml_escape(c: char) -> String {
    match c {
        '"' | '\\' => format!("\\{c}"),
        c if c.is_control() || c as u32 >= 0xFFFE => format!("\\u{:04X}", c as u32),
        c => c.to_string(),
    }
}

#[test]
fn a_base_url_scheme_and_host_in_capitals_are_read_as_lowercase() {
    let site = Site::fixture("guidance-site");
    site.edit(
        "site.toml",
        "base_url = \"/\"",
        "base_url = \"HTTPS://Example.ORG/Guidance/\"",
    );
    site.build(&[]).success();
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/Guidance/</loc>"),
        "{sitemap}"
    );
    let about = site.output("about/index.html");
    assert!(
        about.contains("href=\"/Guidance/treatments/\""),
        "links use the path as written"
    );
}

#[test]
fn a_content_folder_named_in_site_toml_that_holds_no_page_is_an_error_at_the_value() {
    // A typo here used to leave the search index or the comparison table silently empty.
    for (extra, location, setting) in [
        (
            "[search]\nsections = [\"treatmnets\"]\n",
            "site.toml:74:13",
            "[search] sections",
        ),
        (
            "[[matrix]]\npath = \"compare\"\ntitle = \"Compare\"\nsections = [\"/treatmnets/\"]\n",
            "site.toml:76:13",
            "[[matrix]] sections",
        ),
    ] {
        let site = site_with(&format!("\n{extra}"));
        let run = fails_at(
            &site,
            location,
            &[setting, "no page is in a content folder `treatmnets`"],
        );
        assert!(run.stderr.contains("did you mean `treatments`?"), "{}", run.stderr);
    }
    let site = site_with("\n[search]\nsections = [\"treatments/\", \"sources\"]\n");
    site.build(&[]).success();
}
