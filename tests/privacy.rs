//! Nothing a build writes makes a reader's browser contact another site, unless site.toml
//! allows that site: images, frames, scripts, stylesheets and CSS `url()` from elsewhere are
//! errors at their file, line and column, and the Content-Security-Policy names exactly the
//! allowed origins.

mod common;

use common::{Site, elements, html_files};

/// The about page with an image from another site on line 7, a protocol-relative one on line
/// 9 and raw HTML on line 11 (its front matter is four lines, then a blank line).
fn site_with_foreign_images() -> Site {
    let site = Site::fixture("guidance-site");
    site.write(
        "content/about.md",
        "+++\ntitle = \"About this site\"\nsummary = \"Who writes this guidance and how.\"\n+++\n\n\
         ## How we write\n\
         A pixel: ![p](https://tracker.example/p.png)\n\n\
         ![kit](//cdn.example/kit.png)\n\n\
         <img alt=\"logo\" src=\"HTTPS://images.example/logo.png\">\n\n\
         A [link to another site](https://www.example.org/) is fine.\n",
    );
    site
}

/// The Content-Security-Policy in a page's `<meta http-equiv>`, entities decoded.
fn meta_policy(html: &str) -> Option<String> {
    elements(html)
        .into_iter()
        .find(|e| e.name == "meta" && e.attribute("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|e| e.attribute("content").map(str::to_string))
}

/// Adds `text` at the end of site.toml; returns the line it starts on.
fn append_to_site_toml(site: &Site, text: &str) -> usize {
    let config = site.read("site.toml");
    let config = format!("{}\n\n", config.trim_end());
    let line = config.lines().count() + 1;
    site.write("site.toml", format!("{config}{text}\n"));
    line
}

#[test]
fn images_from_other_sites_are_errors_at_their_line_and_column() {
    let site = site_with_foreign_images();
    let run = site.check(&[]).code(1);
    let first = run.diagnostic("content/about.md:7:10");
    assert!(
        first.contains("https://tracker.example/p.png") && first.contains("[SP080]"),
        "{first}"
    );
    assert!(
        first.contains("[privacy] allow = [\"https://tracker.example\"]"),
        "{first}"
    );
    let second = run.diagnostic("content/about.md:9:1");
    assert!(second.contains("//cdn.example"), "{second}");
    let third = run.diagnostic("content/about.md:11:17");
    assert!(
        third.contains("<img src>") && third.contains("https://images.example"),
        "{third}"
    );
    assert_eq!(run.stderr.matches("[SP080]").count(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains("www.example.org"), "a link is not a request");
}

#[test]
fn an_allowed_origin_passes_and_goes_into_the_content_security_policy() {
    let site = site_with_foreign_images();
    append_to_site_toml(
        &site,
        "[privacy]\nallow = [\"https://tracker.example\", \"https://cdn.example\", \"https://images.example\"]",
    );
    site.build(&[]).success();
    let about = site.output("about/index.html");
    assert!(about.contains("https://tracker.example/p.png"));
    let policy = "default-src 'self' https://tracker.example https://cdn.example https://images.example; \
                  base-uri 'self'; form-action 'self'; object-src 'none'";
    assert_eq!(meta_policy(&about).as_deref(), Some(policy));
    let headers = site.output("_headers");
    assert!(
        headers.contains(&format!("Content-Security-Policy: {policy}; frame-ancestors 'none'")),
        "{headers}"
    );
}

#[test]
fn an_allow_entry_that_is_not_an_origin_is_an_error_at_its_place() {
    let site = Site::fixture("guidance-site");
    let line = append_to_site_toml(
        &site,
        "[privacy]\nallow = [\"https://ok.example\", \"https://cdn.example/path\"]",
    ) + 1;
    let run = site.check(&[]).code(1);
    let error = run.diagnostic(&format!("site.toml:{line}:32"));
    assert!(error.contains("no path"), "{error}");
}

#[test]
fn templates_and_stylesheets_that_load_from_other_sites_are_errors() {
    let site = Site::fixture("guidance-site");
    site.write(
        "templates/partials/emergency.html",
        "<link rel=\"stylesheet\" href=\"https://fonts.example/css?family=X\">\n\
         <link rel=\"canonical\" href=\"https://other.example/\">\n",
    );
    site.write(
        "static/extra.css",
        "body { color: black; }\n@import url(\"https://fonts.example/more.css\");\n",
    );
    let run = site.check(&[]).code(1);
    let template = run.diagnostic("templates/partials/emergency.html:1:24");
    assert!(template.contains("<link href>"), "{template}");
    let css = run.diagnostic("static/extra.css:2:9");
    assert!(css.contains("url()"), "{css}");
    assert_eq!(
        run.stderr.matches("[SP080]").count(),
        2,
        "canonical is not a request:\n{}",
        run.stderr
    );
}

/// The default theme and the fixture's content make no request to another origin: every
/// loading attribute on every built page is a path on the site.
#[test]
fn a_built_site_loads_nothing_from_another_site() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    for (path, html) in html_files(&site.public()) {
        let policy = meta_policy(&html);
        assert_eq!(
            policy.as_deref(),
            Some("default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'"),
            "{path}"
        );
        for element in elements(&html) {
            for name in ["src", "srcset", "poster", "data"] {
                if let Some(url) = element.attribute(name) {
                    assert!(
                        !url.contains("//") && !url.contains(':'),
                        "{path}: <{} {name}={url:?}>",
                        element.name
                    );
                }
            }
            if element.name == "link" && element.attribute("rel") != Some("alternate") {
                let href = element.attribute("href").unwrap_or("");
                assert!(!href.contains("//"), "{path}: <link href={href:?}>");
            }
        }
    }
}

#[test]
fn a_sites_own_headers_file_replaces_the_generated_one() {
    let site = Site::fixture("guidance-site");
    site.write("static/_headers", "/*\n  X-Custom: yes\n");
    site.build(&[]).success();
    assert_eq!(site.output("_headers"), "/*\n  X-Custom: yes\n");
}
