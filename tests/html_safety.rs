//! Nothing a writer types becomes script: raw HTML is sanitized (or escaped), and titles,
//! summaries and labels are escaped wherever a template shows them.

mod common;

use common::{Element, Scan, Site, dangers, elements, html_files, visible_text, xml_texts};

/// The page's `<main>`, where the markdown goes (the theme may add its own scripts elsewhere).
fn main_content(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("a closed <main>");
    &html[start..end]
}

fn assert_no_dangers(site: &Site) {
    for (name, html) in html_files(&site.public()) {
        let found: Vec<String> = elements(&html)
            .iter()
            .flat_map(|e| dangers(e, Scan::WholePage))
            .collect();
        assert!(found.is_empty(), "{name} could run script: {found:?}");
    }
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let site = Site::fixture("raw-html");
    let run = site.build(&[]).success();
    assert_no_dangers(&site);
    let html = site.output("raw/index.html");
    let lower = main_content(&html).to_lowercase();
    for gone in [
        "<script",
        "alert(",
        "<iframe",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "data:image",
    ] {
        assert!(!lower.contains(gone), "{gone} survived sanitizing:\n{html}");
    }
    // The harmless parts stay.
    let text = visible_text(&html);
    for kept in [
        "Click text",
        "Raw javascript link",
        "Markdown javascript link",
        "hover text",
        "bold text",
    ] {
        assert!(text.contains(kept), "{kept:?} was removed:\n{html}");
    }
    assert!(elements(&html).iter().any(|e| e.name == "b"), "safe tags are kept");
    // Dropping the markdown javascript: link is worth a warning, with its place.
    assert!(
        run.stderr
            .contains("content/raw.md:11:1: warning: removed a link to an unsafe URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_is_shown_as_text_with_escape() {
    let site = Site::fixture("raw-html");
    site.write(
        "site.toml",
        "title = \"Raw HTML\"\n\n[markdown]\nraw_html = \"escape\"\n",
    );
    site.build(&[]).success();
    assert_no_dangers(&site);
    let html = site.output("raw/index.html");
    let text = visible_text(&html);
    for shown in [
        "<script>alert(\"script\")</script>",
        "<p onclick=\"alert('click')\">",
        "<iframe src=\"/frame/\"></iframe>",
        "<span onmouseover=\"alert('hover')\">",
    ] {
        assert!(text.contains(shown), "{shown:?} is not shown as text:\n{html}");
    }
    let body: Vec<String> = elements(&html).into_iter().map(|e| e.name).collect();
    for tag in ["span", "b", "img"] {
        assert!(
            !body.contains(&tag.to_string()),
            "<{tag}> from raw HTML became a tag:\n{html}"
        );
    }
}

#[test]
fn titles_are_escaped_everywhere_they_appear() {
    let site = Site::fixture("hostile-titles");
    site.build(&[]).success();
    assert_no_dangers(&site);
    for (name, html) in html_files(&site.public()) {
        let found: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
        assert!(found.is_empty(), "{name} has an <img> made from a title: {found:?}");
    }

    let payload = "<img src=x onerror=alert(1)>";
    // Each page, and the titles that must be shown on it as text.
    for (page, titles) in [
        (
            "treatments/hostile/index.html",
            &[
                "Site ", "Section ", "Label ", "Type ", "Pro ", "Topic ", "View ", "Source ", "",
            ][..],
        ),
        ("treatments/plain/index.html", &["", "Section ", "Site "][..]),
        (
            "treatments/index.html",
            &["", "Section ", "Section description ", "Label "][..],
        ),
        ("index.html", &["Home ", "Section ", "Site "][..]),
        ("404.html", &["Site ", "Section "][..]),
    ] {
        let text = visible_text(&site.output(page));
        for title in titles {
            let shown = format!("{title}{payload}");
            assert!(text.contains(&shown), "{page} does not show {shown:?} as text");
        }
    }
    // The summary tries to close the description attribute: it must stay inside it.
    let page = elements(&site.output("treatments/hostile/index.html"));
    let description = page
        .iter()
        .find(|e| e.name == "meta" && e.attribute("name") == Some("description"))
        .and_then(|e| e.attribute("content"))
        .expect("a description");
    assert_eq!(description, "\"><img src=x onerror=alert(1)>");

    let atom = site.output("atom.xml");
    let titles = xml_texts(&atom, "title");
    assert!(
        titles.contains(&payload.to_string()),
        "the feed does not carry the title as text: {titles:?}"
    );
}
