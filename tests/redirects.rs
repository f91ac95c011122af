//! Redirects: `aliases` in front matter write a redirect page at each old URL and a line in
//! `_redirects`, under the base path; aliases that clash or are not site paths are errors;
//! a page whose URL changed since the last build is warned about; a path base_url is too.

mod common;

use common::{Site, assert_no_broken_urls, xml_texts};

const ABOUT: &str = "content/about.md";

/// The guidance site with two aliases on a page and one on a section.
fn site_with_aliases() -> Site {
    let site = Site::fixture("guidance-site");
    site.edit(
        ABOUT,
        "+++\ntitle",
        "+++\naliases = [\"/old-about\", \"/info/about.html\"]\ntitle",
    );
    site.edit(
        "content/treatments/_index.md",
        "+++\ntitle",
        "+++\naliases = [\"/help/\"]\ntitle",
    );
    site
}

fn warnings_with(stderr: &str, code: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains("warning:") && l.ends_with(&format!("[{code}]")))
        .count()
}

/// The redirect page leads to `to` by refresh and by a visible link, names it canonical,
/// asks not to be indexed, and has no script or style (so the CSP allows it).
fn assert_redirect_page(html: &str, to: &str, canonical: &str) {
    assert!(
        html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={to}\">")),
        "{html}"
    );
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
        "{html}"
    );
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{html}");
    assert!(html.contains(&format!("<a href=\"{to}\">{canonical}</a>")), "{html}");
    assert!(html.contains("<html lang=\"en-GB\">"), "{html}");
    assert!(!html.contains("<script") && !html.contains("style"), "{html}");
}

#[test]
fn aliases_write_redirect_pages_and_redirects_at_the_root() {
    let site = site_with_aliases();
    site.build(&[]).success();
    assert_redirect_page(&site.output("old-about/index.html"), "/about/", "/about/");
    assert_redirect_page(&site.output("info/about.html"), "/about/", "/about/");
    assert_redirect_page(&site.output("help/index.html"), "/treatments/", "/treatments/");
    let rules = site.output("_redirects");
    let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/help/ /treatments/ 301",
            "/info/about.html /about/ 301",
            "/old-about/ /about/ 301"
        ]
    );
    // Not pages: not in the sitemap, the feed or the search index.
    let sitemap = site.output("sitemap.xml");
    for old in ["old-about", "info/about", "help/"] {
        assert!(xml_texts(&sitemap, "loc").iter().all(|l| !l.contains(old)), "{sitemap}");
        assert!(!site.output("atom.xml").contains(old));
        for (path, bytes) in common::tree(&site.public().join("search")) {
            assert!(!String::from_utf8_lossy(&bytes).contains(old), "{old} in search/{path}");
        }
    }
    assert_no_broken_urls(&site.public(), "/");
}

#[test]
fn aliases_and_their_targets_are_under_a_sub_path_base_url() {
    let site = site_with_aliases();
    site.build(&["--base-url", "/guidance/"]).success();
    assert_redirect_page(
        &site.output("old-about/index.html"),
        "/guidance/about/",
        "/guidance/about/",
    );
    assert!(
        site.output("_redirects")
            .contains("\n/guidance/old-about/ /guidance/about/ 301\n")
    );
    assert_no_broken_urls(&site.public(), "/guidance/");

    site.build(&["--base-url", "https://example.org/guidance/"]).success();
    assert_redirect_page(
        &site.output("old-about/index.html"),
        "/guidance/about/",
        "https://example.org/guidance/about/",
    );
}

#[test]
fn a_sites_own_redirects_come_first_and_are_kept_without_aliases() {
    let site = site_with_aliases();
    site.write("static/_redirects", "/news/* /updates/:splat 302");
    site.build(&[]).success();
    let rules = site.output("_redirects");
    assert!(rules.starts_with("/news/* /updates/:splat 302\n#"), "{rules}");
    assert!(rules.ends_with("/old-about/ /about/ 301\n"), "{rules}");

    let plain = Site::fixture("guidance-site");
    plain.build(&[]).success();
    assert!(!plain.public().join("_redirects").exists(), "no aliases, no _redirects");
    plain.write("static/_redirects", "/a/ /b/ 301\n");
    plain.build(&[]).success();
    assert_eq!(plain.output("_redirects"), "/a/ /b/ 301\n");
}

#[test]
fn an_alias_that_clashes_is_an_error_naming_both_files() {
    let cases = [
        // A page's URL (ignoring case, as some hosts do).
        (
            "/Treatments/Methadone/",
            "it is the URL of content/treatments/methadone.md",
        ),
        // A section's URL.
        ("/treatments/", "it is the URL of content/treatments/_index.md"),
        // A static file.
        ("/kit.html", "static/kit.html is written there"),
        // A file next to the content.
        (
            "/treatments/dose-chart.svg",
            "content/treatments/dose-chart.svg is written there",
        ),
        // A file Signpost makes.
        ("/atom.xml", "Signpost writes /atom.xml there itself"),
        // Another page's alias.
        ("/old-home/", "content/_index.md has the same alias, for /"),
    ];
    for (alias, other) in cases {
        let site = Site::fixture("guidance-site");
        site.write("static/kit.html", "<p>kit</p>");
        site.edit("content/_index.md", "+++\n", "+++\naliases = [\"/old-home/\"]\n");
        site.edit(ABOUT, "+++\ntitle", &format!("+++\naliases = [\"{alias}\"]\ntitle"));
        let run = site.build(&[]).code(1);
        let error = run.diagnostic("content/about.md:2:12");
        assert!(error.contains("alias `/"), "{error}");
        assert!(error.contains(other), "{alias}: {error}");
        assert!(error.ends_with("[SP090]") || error.contains("[SP090]\n"), "{error}");
        assert!(!site.public().exists(), "nothing is written");
    }
}

#[test]
fn an_invalid_alias_is_an_error_at_its_line_and_column() {
    for (alias, why) in [
        ("old/", "must start with `/`"),
        ("/a/../b/", "`..`"),
        ("/a?page=2", "a query"),
        ("/a#top", "a fragment"),
        ("/a b/", "a space"),
        ("https://example.org/a/", "not a full URL"),
    ] {
        let site = Site::fixture("guidance-site");
        site.edit(
            ABOUT,
            "+++\ntitle",
            &format!("+++\naliases = [\"/fine/\", \"{alias}\"]\ntitle"),
        );
        let run = site.check(&[]).code(1);
        let error = run.diagnostic("content/about.md:2:22");
        assert!(error.contains(why), "{alias}: {error}");
        assert!(error.contains("[SP093]"), "{error}");
    }
}

#[test]
fn a_page_moved_since_the_last_build_is_warned_about_until_an_alias_keeps_its_url() {
    let site = Site::fixture("guidance-site");
    assert_eq!(
        warnings_with(&site.check(&[]).success().stderr, "SP091"),
        0,
        "no previous build"
    );
    site.build(&[]).success();

    // A new slug.
    site.edit(ABOUT, "+++\ntitle", "+++\nslug = \"about-us\"\ntitle");
    let run = site.check(&[]).success();
    assert_eq!(warnings_with(&run.stderr, "SP091"), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/about.md: warning: this page's URL /about-us/ is new since the last build, and /about/ is gone"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("add aliases = [\"/about/\"] to its front matter"),
        "{}",
        run.stderr
    );
    site.check(&["--strict", "--base-url", "https://example.org/"]).code(1);

    site.edit(ABOUT, "+++\n", "+++\naliases = [\"/about/\"]\n");
    let run = site.check(&[]).success();
    assert_eq!(warnings_with(&run.stderr, "SP091"), 0, "{}", run.stderr);
}

#[test]
fn a_renamed_file_or_a_removed_page_is_warned_about_even_across_base_urls() {
    let site = Site::fixture("guidance-site");
    site.build(&["--base-url", "https://example.org/guidance/"]).success();
    std::fs::rename(site.path(ABOUT), site.path("content/about-us.md")).expect("rename");
    site.edit("content/_index.md", "@/about.md", "@/about-us.md");
    let run = site.check(&[]).success();
    assert!(
        run.stderr.contains(
            "content/about-us.md: warning: this page's URL /about-us/ is new since the last build, and /about/ is gone"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(warnings_with(&run.stderr, "SP091"), 1, "{}", run.stderr);

    std::fs::remove_file(site.path("content/about-us.md")).expect("remove");
    site.edit("content/_index.md", "@/about-us.md", "@/sources/_index.md");
    let run = site.check(&[]).success();
    assert!(
        run.stderr.contains(
            "public/sitemap.xml: warning: /about/ was in the last build, and no page or alias has that URL now"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(warnings_with(&run.stderr, "SP091"), 1, "{}", run.stderr);
}

#[test]
fn a_path_base_url_is_warned_about_once_and_fails_check_strict() {
    let site = Site::fixture("guidance-site");
    let run = site.build(&[]).success();
    assert_eq!(warnings_with(&run.stderr, "SP092"), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("site.toml:5:12: warning: base_url `/` is a path, not a full URL: sitemap.xml, atom.xml and robots.txt need full URLs"),
        "{}",
        run.stderr
    );
    let run = site.build(&["--base-url", "/guidance/"]).success();
    assert!(
        run.stderr
            .contains("site.toml: warning: base_url `/guidance/` is a path"),
        "{}",
        run.stderr
    );
    assert_eq!(warnings_with(&run.stderr, "SP092"), 1, "{}", run.stderr);

    site.check(&[]).success();
    let strict = site.check(&["--strict"]).code(1);
    assert!(strict.stderr.contains("[SP092]"), "{}", strict.stderr);

    let full = ["--base-url", "https://example.org/guidance/"];
    let run = site.build(&full).success();
    assert_eq!(warnings_with(&run.stderr, "SP092"), 0, "{}", run.stderr);
    let strict = site.check(&[&["--strict"][..], &full[..]].concat()).success();
    assert_eq!(strict.stderr, "");
}

/// The shipped site keeps `base_url = "/"` (its address is not known here): it passes
/// `check --strict` with the `--base-url` the deploy recipes pass, and SP092 is its only
/// warning without one.
#[test]
fn the_shipped_site_passes_check_strict_with_a_full_base_url() {
    let site = Site::empty();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repository.join("content"), &site.root.join("content"));
    std::fs::copy(repository.join("site.toml"), site.root.join("site.toml")).expect("copy site.toml");
    let run = site
        .check(&["--strict", "--base-url", "https://example.org/"])
        .success();
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    let run = site.check(&["--strict"]).code(1);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].ends_with("[SP092]"), "{}", run.stderr);
}
