//! Every link and image form (docs/reference.md, "Links and images"): `@/` paths, relative
//! files, root-relative site paths, same-page ids, images beside a page and under static/,
//! built at `/` and under a sub-path and crawled for 404s; and each way a link can lead
//! nowhere, reported at its file, line and column with the nearest path.

mod common;

use common::{Site, assert_no_broken_urls, elements, href_of};

/// The guidance site with content/treatments/links.md, which uses every form.
fn site() -> Site {
    Site::layers(&["guidance-site", "site-links"])
}

/// The `src` of the image whose alt text is `alt`.
fn src_of(html: &str, alt: &str) -> String {
    elements(html)
        .into_iter()
        .find(|e| e.name == "img" && e.attribute("alt") == Some(alt))
        .and_then(|e| e.attribute("src").map(str::to_string))
        .unwrap_or_else(|| panic!("no image {alt:?} in:\n{html}"))
}

/// Each link text or image alt on links.md, and where it leads, under `base` ("/" or
/// "/guidance/").
fn expected(base: &str) -> Vec<(&'static str, String)> {
    [
        ("A sibling file", "treatments/counselling/"),
        ("A heading in a sibling", "treatments/methadone/#what-happens"),
        ("A file one folder up", "about/"),
        ("The section index", "treatments/"),
        ("A section by its folder", "treatments/"),
        ("The home page file", ""),
        ("An at-slash link", "treatments/counselling/#what-it-is"),
        ("A root-relative page", "treatments/methadone/"),
        ("A root-relative heading", "treatments/methadone/#what-happens"),
        ("The home page", ""),
        ("The A to Z", "a-z/"),
        ("Search", "search/?q=rehab"),
        ("The kit, as a link", "images/kit.png"),
        ("methadone", "treatments/methadone/#what-happens"),
        ("the kit", "images/kit.png"),
        ("A kit under static", "images/kit.png"),
        ("A photo beside the content", "images/photo.png"),
        ("A photo by its site path", "images/photo.png"),
        ("A clinic beside this page", "treatments/clinic.png"),
        ("The same clinic by its site path", "treatments/clinic.png"),
        ("A map in a folder with a space", "getting-help/map%20one.png"),
        ("A kit", "images/photo.png"),
    ]
    .into_iter()
    .map(|(text, path)| (text, format!("{base}{path}")))
    .collect()
}

fn assert_every_form_resolves(site: &Site, base: &str) {
    let html = site.output("treatments/links/index.html");
    for (text, url) in expected(base) {
        let found = match elements(&html)
            .iter()
            .any(|e| e.name == "img" && e.attribute("alt") == Some(text))
        {
            true => src_of(&html, text),
            false => href_of(&html, text),
        };
        assert_eq!(found, url, "{text}");
    }
    assert_eq!(href_of(&html, "Back to the top"), "#pages");
    assert_eq!(href_of(&html, "The images below"), "#images-beside-and-under-static");
    // Every href and src of every page leads to a file of the output, and every #id to an id.
    assert_no_broken_urls(&site.public(), base);
}

#[test]
fn every_link_and_image_form_resolves_at_the_root() {
    let site = site();
    site.build(&[]).success();
    assert_every_form_resolves(&site, "/");
}

#[test]
fn every_link_and_image_form_resolves_under_a_sub_path() {
    let site = site();
    site.build(&["--base-url", "/guidance/"]).success();
    assert_every_form_resolves(&site, "/guidance/");
}

#[test]
fn external_email_and_phone_links_are_left_alone() {
    let site = site();
    site.build(&["--base-url", "/guidance/"]).success();
    let html = site.output("treatments/links/index.html");
    assert_eq!(href_of(&html, "help@example.org"), "mailto:help@example.org");
    assert_eq!(href_of(&html, "0300 000 0000"), "tel:03000000000");
    assert_eq!(href_of(&html, "FRANK"), "https://www.talktofrank.com/");
}

/// A page with every kind of broken link, one or two a line.
const BROKEN: &str = r#"+++
title = "Broken links"
summary = "Every way a link can lead nowhere."
treatment_type = "talking-therapy"
sources = ["frank"]
last_reviewed = 2026-01-01
next_review = 2027-01-01
+++

## Broken

A [missing sibling](counseling.md) and a [missing page](/treatments/methadon/).
![A missing static file](/images/kit.jpg)
![A missing image beside the page](clinc.png)
[Same page](#brokn), [sibling](methadone.md#what-happen), [site path](/treatments/methadone/#what-happen).
[At-slash](@/treatments/methadone.md#what-happen) and [out of content](../../secrets.txt).
[A generated page](/a-zz/)
"#;

/// Each error's place, its first line's message and the hint.
const BROKEN_ERRORS: [(&str, &str, &str); 10] = [
    (
        "content/treatments/broken.md:12:3",
        "link to a missing page `@/treatments/counseling.md` [SP030]",
        "did you mean `@/treatments/counselling.md`?",
    ),
    (
        "content/treatments/broken.md:12:42",
        "link to a missing page or file `/treatments/methadon/` [SP030]",
        "did you mean `/treatments/methadone/`?",
    ),
    (
        "content/treatments/broken.md:13:1",
        "link to a missing page or file `/images/kit.jpg` [SP030]",
        "did you mean `/images/kit.png`?",
    ),
    (
        "content/treatments/broken.md:14:1",
        "link to a missing page or file `/treatments/clinc.png` [SP030]",
        "did you mean `/treatments/clinic.png`?",
    ),
    (
        "content/treatments/broken.md:15:1",
        "link to a missing heading `#brokn` on this page [SP031]",
        "did you mean `#broken`?",
    ),
    (
        "content/treatments/broken.md:15:22",
        "link to a missing heading `#what-happen` in `@/treatments/methadone.md` [SP031]",
        "did you mean `#what-happens`?",
    ),
    (
        "content/treatments/broken.md:15:59",
        "link to a missing heading `#what-happen` in `/treatments/methadone/` [SP031]",
        "did you mean `#what-happens`?",
    ),
    (
        "content/treatments/broken.md:16:1",
        "link to a missing heading `#what-happen` in `@/treatments/methadone.md` [SP031]",
        "did you mean `#what-happens`?",
    ),
    (
        "content/treatments/broken.md:16:55",
        "the link `../../secrets.txt` climbs out of content/ [SP030]",
        "a relative link is read from the file's own folder",
    ),
    (
        "content/treatments/broken.md:17:1",
        "link to a missing page or file `/a-zz/` [SP030]",
        "did you mean `/a-z/`?",
    ),
];

#[test]
fn each_broken_link_is_an_error_at_its_place_with_the_nearest_path() {
    let site = site();
    site.write("content/treatments/broken.md", BROKEN);
    for sub_path in [false, true] {
        if sub_path {
            site.edit("site.toml", "base_url = \"/\"", "base_url = \"/guidance/\"");
        }
        for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
            for (place, message, hint) in BROKEN_ERRORS {
                let diagnostic = run.diagnostic(place);
                let first = diagnostic.lines().next().unwrap_or_default();
                assert_eq!(first, format!("{place}: error: {message}"), "{}", run.stderr);
                assert!(diagnostic.contains(&format!("hint: {hint}")), "{diagnostic}");
            }
            assert!(
                run.stderr.contains("failed with 10 errors"),
                "{}: {}",
                run.args,
                run.stderr
            );
        }
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
}

#[test]
fn a_snippets_links_are_read_from_its_own_file_and_reported_there() {
    let site = site();
    site.write(
        "content/_snippets/contact.md",
        "Ask about [methadone](../treatments/methadon.md) or\nsee ![the kit](../images/kitt.png) [top](#nowhere).\n",
    );
    let run = site.check(&[]).code(1);
    assert!(
        run.diagnostic("content/_snippets/contact.md:1:11")
            .contains("link to a missing page `@/treatments/methadon.md`"),
        "{}",
        run.stderr
    );
    // Read from content/_snippets/, `../images/` is the site's images/ folder.
    let image = run.diagnostic("content/_snippets/contact.md:2:5");
    assert!(
        image.contains("link to a missing page or file `/images/kitt.png`")
            && image.contains("did you mean `/images/kit.png`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.diagnostic("content/_snippets/contact.md:2:36")
            .contains("link to a missing heading `#nowhere` on this page"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_a_template_or_raw_html_writes_are_crawled_and_each_broken_one_named() {
    let site = site();
    // The site's own partial, on every page: one good link, one to nothing, one to a missing id.
    site.write(
        "templates/partials/helpline.html",
        "<p class=\"contact\"><a href=\"{{ get_url(path='@/about.md') }}\">About</a> \
         <a href=\"/contact-us/\">Contact</a> <a href=\"/about/#the-team\">Team</a></p>\n",
    );
    site.write(
        "content/raw-links.md",
        "+++\ntitle = \"Raw links\"\n+++\n\n<p><a href=\"/treatments/nope/\">Nope</a> and text that says href=\"/not-a-link/\".</p>\n",
    );
    for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
        let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
        assert_eq!(errors.len(), 3, "{}", run.stderr);
        let contact = errors
            .iter()
            .find(|l| l.contains("`/contact-us/`"))
            .expect("the partial's link");
        assert!(
            contact.contains("leads nowhere: no page or file is written there [SP030]"),
            "{contact}"
        );
        assert!(
            contact.contains("other pages)"),
            "reported once for every page: {contact}"
        );
        let team = errors
            .iter()
            .find(|l| l.contains("`/about/#the-team`"))
            .expect("the missing id");
        assert!(team.contains("the page has no id `the-team`"), "{team}");
        let raw = errors
            .iter()
            .find(|l| l.contains("`/treatments/nope/`"))
            .expect("the raw HTML link");
        assert!(
            raw.starts_with("content/raw-links.md: error: `/treatments/nope/` on /raw-links/ leads nowhere"),
            "{raw}"
        );
        assert!(
            !run.stderr.contains("/not-a-link/"),
            "text is not a link: {}",
            run.stderr
        );
    }
    assert!(!site.public().exists(), "a failed build writes nothing");

    // Under a sub-path, a link a template writes from the root leaves the site.
    site.write(
        "templates/partials/helpline.html",
        "<p><a href=\"{{ get_url(path='@/about.md') }}\">About</a> <a href=\"/about/\">Root</a></p>\n",
    );
    site.write("content/raw-links.md", "+++\ntitle = \"Raw links\"\n+++\n\nNone.\n");
    site.edit("site.toml", "base_url = \"/\"", "base_url = \"/guidance/\"");
    let run = site.build(&[]).code(1);
    assert!(run.stderr.contains("error: `/about/` on /"), "{}", run.stderr);
    assert!(
        run.stderr.contains("it is outside the site's base path /guidance/"),
        "{}",
        run.stderr
    );
}
