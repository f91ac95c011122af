//! Every SVG Signpost copies (beside a page, under static/) is published without script,
//! event handlers, `<foreignObject>` or references outside the file, with a warning (SP084)
//! naming the file and what was removed; an SVG that is not well-formed XML is an error
//! naming the file (docs/reference.md, "Image sizes").

mod common;

use common::{Site, assert_same_tree, read, tree};

const NS: &str = r#"xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink""#;

/// A drawing with every way an SVG can run script or load from elsewhere.
fn hostile() -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/css" href="https://tracker.example/a.css"?>
<svg {NS} width="20" height="10" onload="alert('load')">
  <script type="text/javascript">alert('script')</script>
  <Script>alert('capital')</Script>
  <style>@import url("https://fonts.example/f.css"); rect {{ fill: red }}</style>
  <rect id="box" width="20" height="10" onclick="alert('click')" onMouseOver="x()"/>
  <a xlink:href="javascript:alert('link')"><text x="1" y="8">Help</text></a>
  <a href="https://elsewhere.example/"><text>Away</text></a>
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
  <image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
  <use xlink:href="#box"/>
  <use href="other.svg#box"/>
  <circle r="2" style="fill: url('https://tracker.example/p')"/>
  <circle r="3" fill="url(#grad)" style="stroke: \75 rl(http://tracker.example/q)"/>
  <foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://x.example/"/></body></foreignObject>
  <set attributeName="href" to="javascript:alert('set')"/>
  <animate attributeName="onclick" to="alert('animate')"/>
</svg>
"##
    )
}

/// What must survive: the drawing itself and references inside the file.
const KEPT: [&str; 7] = [
    "<rect id=\"box\" width=\"20\" height=\"10\"/>",
    "<text x=\"1\" y=\"8\">Help</text>",
    "<text>Away</text>",
    "xlink:href=\"data:image/png;base64,iVBORw0KGgo=\"",
    "<use xlink:href=\"#box\"/>",
    "fill=\"url(#grad)\"",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
];

/// What must be gone, in any case.
const REMOVED: [&str; 13] = [
    "alert",
    "<script",
    "onload",
    "onclick",
    "onmouseover",
    "tracker.example",
    "fonts.example",
    "elsewhere.example",
    "other.svg",
    "foreignobject",
    "iframe",
    "javascript:",
    "@import",
];

fn site() -> Site {
    let site = Site::fixture("guidance-site");
    site.write("static/images/hostile.svg", hostile());
    site.write("content/treatments/hostile-beside.svg", hostile());
    site
}

fn assert_clean(published: &str) {
    let lower = published.to_ascii_lowercase();
    for gone in REMOVED {
        assert!(
            !lower.contains(&gone.to_ascii_lowercase()),
            "{gone} left in:\n{published}"
        );
    }
    for kept in KEPT {
        assert!(published.contains(kept), "{kept} lost from:\n{published}");
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(published, options)
        .unwrap_or_else(|e| panic!("not well-formed after cleaning: {e}\n{published}"));
    assert_eq!(document.root_element().tag_name().name(), "svg");
}

#[test]
fn hostile_svgs_are_published_clean_with_a_warning_naming_the_file() {
    let site = site();
    let run = site.build(&[]).success();
    assert_clean(&read(&site.public().join("images/hostile.svg")));
    assert_clean(&read(&site.public().join("treatments/hostile-beside.svg")));
    for file in ["static/images/hostile.svg", "content/treatments/hostile-beside.svg"] {
        // At the first thing removed: the stylesheet instruction on line 2.
        let head = format!("{file}:2:1: warning: removed from this SVG before publishing it: ");
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("no warning for {file} in:\n{}", run.stderr));
        for what in [
            "a processing instruction",
            "the event handler `onload`",
            "a <script> element",
        ] {
            assert!(line.contains(what), "{line}");
        }
        assert!(line.ends_with("more [SP084]"), "{line}");
    }
    // The site's own files are left alone: the favicon has nothing to remove.
    let favicon = include_bytes!("../themes/default/static/favicon.svg");
    assert_eq!(
        std::fs::read(site.public().join("favicon.svg")).ok().as_deref(),
        Some(&favicon[..])
    );
    let strict = site.check(&["--strict", "--base-url", "https://example.org/"]).code(1);
    assert!(strict.stderr.contains("[SP084]"), "{}", strict.stderr);
}

#[test]
fn a_clean_svg_is_copied_byte_for_byte_and_the_output_is_the_same_every_build() {
    let site = site();
    let clean = format!("<svg {NS} viewBox=\"0 0 4 4\">\r\n<!-- a note -->\n<use xlink:href=\"#a\"/></svg>");
    site.write("static/images/clean.svg", &clean);
    site.build(&[]).success();
    assert_eq!(read(&site.public().join("images/clean.svg")), clean);
    let first = tree(&site.public());
    site.build(&[]).success();
    assert_same_tree(&first, &tree(&site.public()));
}

#[test]
fn an_svg_that_is_not_well_formed_is_an_error_naming_the_file() {
    let site = site();
    site.write("static/images/broken.svg", format!("<svg {NS}><g></svg>"));
    site.write(
        "content/treatments/entities.svg",
        "<!DOCTYPE svg [<!ENTITY x \"<script>alert(1)</script>\">]><svg>&x;</svg>",
    );
    for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
        let broken = run.diagnostic("static/images/broken.svg");
        assert!(
            broken.contains("this SVG cannot be published: it is not well-formed XML"),
            "{broken}"
        );
        assert!(broken.contains("[SP083]"), "{broken}");
        let entities = run.diagnostic("content/treatments/entities.svg");
        assert!(entities.contains("declares XML entities"), "{entities}");
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
}
