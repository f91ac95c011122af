//! Images and embeds: alt text is required (SP081), whatever the sanitiser removes from raw
//! HTML is a warning at its place (SP082), and the video shortcode links to a video without
//! loading anything from another site.

mod common;

use common::{Site, elements};

/// A site with a home page, a page `content/a.md` of `body`, and `static/kit.png`.
fn site_with(body: &str) -> Site {
    let site = Site::empty();
    site.write("site.toml", "title = \"T\"\n");
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome to the guide.\n",
    );
    site.write("content/a.md", format!("+++\ntitle = \"Treatment\"\n+++\n\n{body}"));
    site.write("static/kit.png", common::png(4, 3));
    site
}

/// The warnings printed for `file`, as "line:col: message [CODE]".
fn warnings(stderr: &str, file: &str) -> Vec<String> {
    let prefix = format!("{file}:");
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .filter(|line| line.contains(": warning: "))
        .map(|line| line.replace(": warning: ", ": "))
        .collect()
}

// ---- Alt text ----

#[test]
fn an_image_without_alt_text_is_an_error_at_its_place() {
    let site = site_with("Intro.\n\nSee ![](/kit.png) here.\n\n![   ](/kit.png)\n");
    let run = site.check(&[]).code(1);
    let first = run.diagnostic("content/a.md:7:5");
    assert!(first.contains("an image without alt text [SP081]"), "{first}");
    assert!(
        first.contains("![\"\"](kit.png)"),
        "the hint shows the decorative form: {first}"
    );
    let spaces = run.diagnostic("content/a.md:9:1");
    assert!(
        spaces.contains("[SP081]"),
        "alt of only spaces is no alt text: {spaces}"
    );
}

#[test]
fn an_image_marked_decorative_is_written_with_empty_alt() {
    let site = site_with("![\"\"](/kit.png)\n\n![Naloxone kit](/kit.png)\n");
    site.build(&[]).success();
    let html = site.output("a/index.html");
    let images: Vec<_> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    assert_eq!(images.len(), 2, "{html}");
    assert_eq!(images[0].attribute("alt"), Some(""));
    assert_eq!(images[1].attribute("alt"), Some("Naloxone kit"));
}

#[test]
fn decorative_images_work_with_smart_punctuation() {
    let site = site_with("![\"\"](/kit.png)\n");
    site.write("site.toml", "title = \"T\"\n\n[markdown]\nsmart_punctuation = true\n");
    site.build(&[]).success();
    assert!(site.output("a/index.html").contains("alt=\"\""));
}

#[test]
fn raw_html_images_follow_the_same_rule() {
    let site = site_with(
        "<p>\n<img src=\"/kit.png\">\n<img src=\"/kit.png\" alt=\"\"> <img alt=\"Kit\" src=\"/kit.png\">\n</p>\n\nText <img src=\"/kit.png\" alt=\" \">\n",
    );
    let run = site.check(&[]).code(1);
    assert!(
        run.diagnostic("content/a.md:6:1")
            .contains("an `<img>` without alt text [SP081]")
    );
    assert!(run.diagnostic("content/a.md:10:6").contains("[SP081]"));
    assert_eq!(run.stderr.matches("[SP081]").count(), 2, "{}", run.stderr);
}

// ---- What the sanitiser removes ----

#[test]
fn each_removal_is_warned_at_its_line_and_column() {
    let site = Site::fixture("raw-html");
    let run = site.build(&[]).success();
    let found = warnings(&run.stderr, "content/raw.md");
    let expected = [
        "5:1: removed `<script>` and its code: scripts are not allowed in page text [SP082]",
        "7:4: removed the `onclick` attribute of `<p>`: event handlers run scripts [SP082]",
        "9:4: removed the `href` of `<a>`: the URL `javascript:alert('link')` is not allowed [SP082]",
        "11:1: removed a link to an unsafe URL `javascript:alert('md')` [SP032]",
        "13:1: removed `<iframe>`: third-party embeds are not allowed by the site's privacy policy [SP082]",
        "15:6: removed the `src` of `<img>`: the URL `data:image/png;base64,AAAA` is not allowed [SP082]",
        "15:53: removed the `onerror` attribute of `<img>`: event handlers run scripts [SP082]",
        "17:14: removed the `onmouseover` attribute of `<span>`: event handlers run scripts [SP082]",
    ];
    assert_eq!(found, expected, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("use the video shortcode, or a link the reader chooses to follow; or, where the site's writers are trusted, set [markdown] raw_html = \"trust\" and allow the embed's origin in [privacy] allow"),
        "the iframe's hint names what to do instead: {}",
        run.stderr
    );
}

#[test]
fn styles_unknown_tags_and_tags_over_several_lines_are_warned() {
    let site = site_with(
        "<div class=\"box\"\n     style=\"color: red\">\n<marquee>News</marquee>\n</div>\n\nInline <font color=\"red\">red</font> and <style>p {}</style>.\n",
    );
    let run = site.build(&[]).success();
    let found = warnings(&run.stderr, "content/a.md");
    let expected = [
        "6:6: removed the `style` attribute of `<div>`: inline styles are not allowed [SP082]",
        "7:1: removed `<marquee>` (its text is kept): the sanitiser does not allow it [SP082]",
        "10:8: removed `<font>` (its text is kept): the sanitiser does not allow it [SP082]",
        "10:41: removed `<style>` and its rules: styles are not allowed in page text [SP082]",
    ];
    assert_eq!(found, expected, "{}", run.stderr);
    let html = site.output("a/index.html");
    assert!(html.contains("News") && !html.contains("<marquee") && !html.contains("color: red"));
}

#[test]
fn check_strict_fails_on_a_removal() {
    let site = site_with("<p style=\"color: red\">Red</p>\n");
    let run = site.check(&[]).success();
    assert!(run.stderr.contains("[SP082]"), "{}", run.stderr);
    // A full base URL, so that the sanitiser's warning is the only one.
    let strict = site.check(&["--strict", "--base-url", "https://example.org/"]).code(1);
    assert!(strict.stderr.contains("--strict: 1 warning\n"), "{}", strict.stderr);
}

#[test]
fn html_the_sanitiser_keeps_gives_no_warning() {
    let site = site_with(
        "<div class=\"note\" id=\"n\">\n<p lang=\"en\" title=\"t\">A <b>b</b> <a href=\"/\">home</a> <a href=\"https://example.org/\">out</a> <img src=\"/kit.png\" alt=\"Kit\"></p>\n<details><summary>More</summary>\n\nText <!-- a note --> <abbr title=\"x\">x</abbr>\n\n</details>\n</div>\n\n<table><tr><td>1</td></tr></table>\n",
    );
    let run = site
        .check(&["--strict", "--base-url", "https://example.org/"])
        .success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn trusted_or_escaped_html_removes_nothing_and_warns_of_nothing() {
    for policy in ["trust", "escape"] {
        let site = site_with("<p style=\"color: red\" onclick=\"x()\">Red</p>\n\n<iframe src=\"/kit.png\"></iframe>\n");
        site.write(
            "site.toml",
            format!("title = \"T\"\n\n[markdown]\nraw_html = \"{policy}\"\n"),
        );
        let run = site
            .check(&["--strict", "--base-url", "https://example.org/"])
            .success();
        assert!(!run.stderr.contains("SP082"), "{policy}: {}", run.stderr);
    }
}

#[test]
fn a_third_party_embed_is_reported_once_as_a_request() {
    let site = site_with("<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>\n");
    let run = site.check(&[]).code(1);
    assert!(run.diagnostic("content/a.md:5:9").contains("[SP080]"), "{}", run.stderr);
    assert!(!run.stderr.contains("SP082"), "not reported twice: {}", run.stderr);
}

// ---- The video shortcode ----

/// The `<figure class="video">` of a built page, from its `<figure` to its `</figure>`.
fn video_figure(html: &str) -> &str {
    let start = html.find("<figure class=\"video\">").expect("a video figure");
    let end = start + html[start..].find("</figure>").expect("a closed figure") + "</figure>".len();
    &html[start..end]
}

#[test]
fn the_video_shortcode_writes_a_local_poster_and_a_plain_link() {
    let site = site_with(
        "Watch:\n\n{{ video(url=\"https://www.youtube.com/watch?v=abc&t=1\", title=\"How naloxone <works>\", poster=\"/kit.png\") }}\n",
    );
    site.build(&[]).success();
    let html = site.output("a/index.html");
    assert_eq!(
        video_figure(&html),
        "<figure class=\"video\">\n\
         <a class=\"video-link\" href=\"https://www.youtube.com/watch?v=abc&amp;t=1\">\
         <img class=\"video-poster\" src=\"/kit.png\" alt=\"\" loading=\"lazy\">\
         <span class=\"video-title\"><span class=\"video-play\" aria-hidden=\"true\">▶</span> How naloxone &lt;works&gt;</span></a>\n\
         <figcaption class=\"video-note\">Watch on another site: it sees your visit only if you follow the link.</figcaption>\n\
         </figure>"
    );
    // Nothing on the page loads from another site: every src is the site's own.
    for element in elements(&html) {
        for name in ["src", "poster", "data"] {
            if let Some(url) = element.attribute(name) {
                assert!(
                    url.starts_with('/') && !url.starts_with("//"),
                    "<{} {name}={url}>",
                    element.name
                );
            }
        }
        assert!(
            !matches!(element.name.as_str(), "iframe" | "video" | "embed" | "object"),
            "{html}"
        );
    }
}

#[test]
fn the_video_shortcode_writes_its_poster_and_a_local_video_under_the_base_path() {
    let site = site_with("Intro.\n");
    site.write(
        "content/treatments/naloxone.md",
        "+++\ntitle = \"Naloxone\"\n+++\n\n{{ video(url=\"/videos/talk.mp4\", title=\"A talk\", poster=\"poster.png\") }}\n\n{{ video(url=\"https://v.example/1\", title=\"No poster\") }}\n",
    );
    site.write("content/treatments/_index.md", "+++\ntitle = \"Treatments\"\n+++\n");
    site.write("content/treatments/poster.png", common::png(4, 3));
    site.write("static/videos/talk.mp4", b"not really a video");
    for (base, prefix) in [("/", "/"), ("/guidance/", "/guidance/")] {
        site.build(&["--base-url", base]).success();
        let html = site.output("treatments/naloxone/index.html");
        let figure = video_figure(&html);
        assert!(
            figure.contains(&format!("href=\"{prefix}videos/talk.mp4\"")),
            "{base}: {figure}"
        );
        assert!(
            figure.contains(&format!("src=\"{prefix}treatments/poster.png\" alt=\"\"")),
            "{base}: {figure}"
        );
        assert!(
            !figure.contains("figcaption"),
            "a video on the site needs no warning: {figure}"
        );
        let second = video_figure(&html[html.find("No poster").expect("the second video") - 200..]);
        assert!(
            !second.contains("<img") && second.contains("href=\"https://v.example/1\""),
            "{second}"
        );
        common::assert_no_broken_urls(&site.public(), base);
    }
}

#[test]
fn a_missing_poster_is_an_error_at_the_call() {
    let site = site_with("Intro.\n\n  {{ video(url=\"https://v.example/1\", title=\"T\", poster=\"/nope.png\") }}\n");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/a.md:7:3");
    assert!(error.contains("[SP030]") && error.contains("nope.png"), "{error}");
}

#[test]
fn a_video_without_a_title_is_a_shortcode_error() {
    let site = site_with(
        "Intro.\n\nSee {{ video(url=\"https://v.example/1\", poster=\"/kit.png\") }}.\n\n{{ video(url=\"https://v.example/2\", title=\"\") }}\n",
    );
    let run = site.check(&[]).code(1);
    for at in ["content/a.md:7:5", "content/a.md:9:1"] {
        let error = run.diagnostic(at);
        assert!(
            error.contains("[SP072]") && error.contains("needs a `title`"),
            "{error}"
        );
    }
}

#[test]
fn a_poster_from_another_site_is_a_third_party_request_at_the_call() {
    let site = site_with(
        "Intro.\n\n{{ video(url=\"https://v.example/1\", title=\"T\", poster=\"https://img.example/p.jpg\") }}\n",
    );
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/a.md:7:1");
    assert!(error.contains("[SP080]") && error.contains("img.example"), "{error}");
}
