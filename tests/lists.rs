//! Long generated lists (docs/reference.md, `[lists]`): a facet value's page continues on
//! numbered pages, and an A to Z longer than a page becomes an index with a page per letter,
//! at `/` and under a sub-path, with every link leading somewhere; built with the real binary.

mod common;

use common::{Site, assert_no_broken_urls, elements, visible_text};

/// A site of `pages` guidance pages, every one about alcohol, titled "Option NNN" but for the
/// first `early` ones, titled "Aid NNN"; `extra` is appended to site.toml.
fn site(pages: usize, early: usize, extra: &str) -> Site {
    let site = Site::empty();
    site.write("site.toml", common::two_facet_site_toml("Lists test", extra));
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n");
    site.write(
        "content/help/_index.md",
        "+++\ntitle = \"Help\"\nguidance = true\n+++\n",
    );
    for i in 0..pages {
        let title = if i < early {
            format!("Aid {i:03}")
        } else {
            format!("Option {i:03}")
        };
        site.write(
            &format!("content/help/page-{i:03}.md"),
            format!(
                "+++\ntitle = \"{title}\"\nsummary = \"About {title}.\"\ntreatment_type = \"talking\"\nsubstances = [\"alcohol\"]\n\
                 sources = [\"src\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\nText.\n"
            ),
        );
    }
    site
}

/// The hrefs of a page's links whose text is `text`.
fn links_named(html: &str, text: &str) -> Vec<String> {
    elements(html)
        .into_iter()
        .filter(|e| e.name == "a" && e.text.trim() == text)
        .filter_map(|e| e.attribute("href").map(str::to_string))
        .collect()
}

/// How many of the site's guidance pages a list page links to.
fn listed(html: &str) -> usize {
    elements(html)
        .into_iter()
        .filter(|e| e.name == "a" && e.attribute("href").is_some_and(|h| h.contains("/help/page-")))
        .count()
}

#[test]
fn a_facet_value_with_more_pages_than_a_page_holds_continues_on_numbered_pages() {
    for base in ["/", "/guidance/"] {
        let site = site(25, 0, "\n[lists]\npage_size = 10\n");
        site.build(&["--base-url", base]).success();
        let first = site.output("substances/alcohol/index.html");
        let second = site.output("substances/alcohol/2/index.html");
        let third = site.output("substances/alcohol/3/index.html");
        assert!(!site.public().join("substances/alcohol/4").exists());
        assert_eq!((listed(&first), listed(&second), listed(&third)), (10, 10, 5));
        // Every page says how many there are in all, and where this page is.
        assert!(
            visible_text(&first).contains("25 pages in substance: alcohol."),
            "{first}"
        );
        assert!(
            visible_text(&second).contains("Showing 11 to 20 of 25: page 2 of 3."),
            "{second}"
        );
        assert_eq!(
            links_named(&first, "Next page"),
            [format!("{base}substances/alcohol/2/")]
        );
        assert!(links_named(&first, "Previous page").is_empty());
        assert_eq!(
            links_named(&third, "Previous page"),
            [format!("{base}substances/alcohol/2/")]
        );
        assert!(second.contains("<span aria-current=\"page\">2</span>"), "{second}");
        assert!(site.output("sitemap.xml").contains("substances/alcohol/3/"));
        assert_no_broken_urls(&site.public(), base);
    }
}

#[test]
fn a_short_list_stays_one_page_without_page_links() {
    let site = site(12, 3, "");
    site.build(&[]).success();
    let facet = site.output("substances/alcohol/index.html");
    assert_eq!(listed(&facet), 12);
    assert!(!facet.contains("class=\"pagination\""));
    assert!(!site.public().join("substances/alcohol/2").exists());
    let a_to_z = site.output("a-z/index.html");
    assert_eq!(listed(&a_to_z), 12, "the whole A to Z on one page");
    assert!(links_named(&a_to_z, "A").contains(&"#letter-a".to_string()));
    assert!(!site.public().join("a-z/a").exists());
}

#[test]
fn a_long_a_to_z_is_an_index_of_letters_each_on_its_own_pages() {
    for base in ["/", "/guidance/"] {
        // 3 pages under A, 22 under O and the section "Help" under H: 26 entries.
        let site = site(25, 3, "\n[lists]\npage_size = 10\n");
        site.build(&["--base-url", base]).success();
        let index = site.output("a-z/index.html");
        assert_eq!(listed(&index), 0, "the index lists letters, not pages");
        assert_eq!(links_named(&index, "O")[0], format!("{base}a-z/o/"));
        assert!(visible_text(&index).contains("O (22 pages)"), "{index}");
        let a = site.output("a-z/a/index.html");
        assert_eq!(listed(&a), 3);
        assert!(visible_text(&a).contains("3 pages starting with A."), "{a}");
        let o = [
            site.output("a-z/o/index.html"),
            site.output("a-z/o/2/index.html"),
            site.output("a-z/o/3/index.html"),
        ];
        assert_eq!(o.each_ref().map(|html| listed(html)), [10, 10, 2]);
        assert!(
            o[0].contains("<span aria-current=\"page\">O</span>"),
            "the letter is marked"
        );
        assert_eq!(links_named(&o[1], "Next page"), [format!("{base}a-z/o/3/")]);
        assert!(site.output("a-z/h/index.html").contains(">Help</a>"));
        assert!(site.output("sitemap.xml").contains("a-z/o/2/"));
        assert_no_broken_urls(&site.public(), base);
    }
}

#[test]
fn page_size_out_of_range_is_an_error_at_the_value() {
    let site = site(2, 0, "\n[lists]\npage_size = 0\n");
    let run = site.check(&[]).code(1);
    let diagnostic = run.diagnostic("site.toml:22:13");
    assert!(
        diagnostic.contains("[lists] page_size is 0, which is out of range"),
        "{diagnostic}"
    );
    assert!(diagnostic.contains("from 10 to 10000"), "{diagnostic}");
}

#[test]
fn the_same_long_site_builds_to_the_same_bytes() {
    let site = site(25, 3, "\n[lists]\npage_size = 10\n");
    site.build(&[]).success();
    let first = common::tree(&site.public());
    site.build(&[]).success();
    common::assert_same_tree(&first, &common::tree(&site.public()));
}
