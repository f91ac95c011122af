//! Snippets, shortcodes and `[[rules]]`, on the `snippets` fixture: what comes out, and the
//! errors an editor gets for each mistake.

mod common;

use common::Site;

fn built() -> Site {
    let site = Site::fixture("snippets");
    site.build(&[]).success();
    site
}

/// The page's `<main>`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("the end of main");
    &html[start..end]
}

#[test]
fn a_rule_places_its_snippet_on_exactly_the_matching_pages() {
    let site = built();
    let overdose = "data-snippet=\"overdose-risk\"";
    let doctor = "data-snippet=\"see-a-doctor\"";
    let methadone = site.output("treatments/methadone/index.html");
    let methadone = main_of(&methadone);
    assert_eq!(methadone.matches(overdose).count(), 1, "{methadone}");
    assert!(
        methadone.find(overdose) < methadone.find("Methadone is prescribed"),
        "placed at the top"
    );
    // Alcohol pages get theirs at the bottom.
    let withdrawal = site.output("alcohol/withdrawal/index.html");
    let withdrawal = main_of(&withdrawal);
    assert_eq!(withdrawal.matches(doctor).count(), 1);
    assert!(withdrawal.find(doctor) > withdrawal.find("Withdrawal can start"));
    assert!(!withdrawal.contains(overdose));
    for page in [
        "treatments/talking/index.html",
        "index.html",
        "alcohol/index.html",
        "treatments/index.html",
    ] {
        let html = site.output(page);
        assert!(!main_of(&html).contains(overdose), "{page} matches no opioid rule");
    }
}

#[test]
fn a_page_that_includes_the_snippet_itself_is_not_given_it_twice() {
    let site = built();
    let detox = site.output("treatments/detox/index.html");
    let detox = main_of(&detox);
    assert_eq!(detox.matches("data-snippet=\"overdose-risk\"").count(), 1);
    assert!(
        detox.find("Intro") < detox.find("data-snippet=\"overdose-risk\""),
        "where the editor put it"
    );
}

#[test]
fn snippet_citations_are_numbered_in_the_page_reference_list() {
    let site = built();
    let html = site.output("treatments/methadone/index.html");
    let body = main_of(&html);
    // The rule's snippet comes first and cites alpha; the page cites beta; the included
    // see-a-doctor cites beta again and reuses its number.
    let first = body.find("call 999 <sup class=\"citation\">[<a href=\"#ref-1\">1</a>]</sup>");
    let second = body.find("prescribed <sup class=\"citation\">[<a href=\"#ref-2\">2</a>]</sup>");
    assert!(first.is_some() && second.is_some() && first < second, "{body}");
    assert_eq!(
        body.matches("see a doctor first <sup class=\"citation\">[<a href=\"#ref-2\">2</a>]")
            .count(),
        2
    );
    let references = &body[body.find("class=\"references\"").expect("references")..];
    let alpha = references.find("<li id=\"ref-1\">\n      <cite>Alpha report</cite>");
    let beta = references.find("<li id=\"ref-2\">\n      <cite>Beta guide</cite>");
    assert!(alpha.is_some() && beta.is_some(), "{references}");
}

#[test]
fn a_snippet_may_be_a_callout() {
    let site = built();
    let html = site.output("alcohol/withdrawal/index.html");
    assert!(
        html.contains("<div class=\"snippet\" data-snippet=\"see-a-doctor\">\n<div class=\"callout callout-warning\" data-callout=\"warning\" role=\"note\">"),
        "{html}"
    );
}

#[test]
fn a_snippet_included_twice_and_one_inside_a_list_both_render() {
    let site = built();
    let html = site.output("treatments/methadone/index.html");
    let body = main_of(&html);
    assert_eq!(body.matches("data-snippet=\"see-a-doctor\"").count(), 2);
    assert!(
        body.contains("<li><div class=\"snippet\" data-snippet=\"see-a-doctor\">"),
        "{body}"
    );
    assert!(!body.contains("snippet(id"), "no call is left as text");
}

#[test]
fn a_snippet_included_twice_keeps_heading_ids_unique() {
    let site = Site::fixture("snippets");
    site.edit(
        "content/treatments/talking.md",
        "No rule applies here.",
        "{{ snippet(id=\"overdose-risk\") }}\n\n{{ snippet(id=\"overdose-risk\") }}",
    );
    site.build(&[]).success();
    let html = site.output("treatments/talking/index.html");
    assert!(html.contains("<h2 id=\"overdose-risk\">"), "{html}");
    assert!(html.contains("<h2 id=\"overdose-risk-1\">"), "{html}");
}

#[test]
fn a_snippet_link_is_resolved_from_the_snippet() {
    let site = built();
    let html = site.output("treatments/methadone/index.html");
    assert!(
        html.contains("<a href=\"/treatments/detox/#what-happens\">detox</a>"),
        "{html}"
    );
    let sub = Site::fixture("snippets");
    sub.build(&["--base-url", "/guidance/"]).success();
    let html = sub.output("treatments/methadone/index.html");
    assert!(html.contains("<a href=\"/guidance/treatments/detox/#what-happens\">detox</a>"));
}

#[test]
fn snippets_include_snippets_and_are_not_pages() {
    let site = built();
    let html = site.output("treatments/talking/index.html");
    let body = main_of(&html);
    let outer = body.find("data-snippet=\"nested\"").expect("the outer snippet");
    let inner = body
        .find("data-snippet=\"see-a-doctor\"")
        .expect("the snippet it includes");
    assert!(outer < inner);
    assert!(!site.public().join("_snippets").exists() && !site.public().join("snippets").exists());
    let sitemap = site.output("sitemap.xml");
    assert!(!sitemap.contains("snippet"), "{sitemap}");
}

#[test]
fn an_included_snippet_reviewed_before_the_page_shows_its_date() {
    let site = built();
    let methadone = site.output("treatments/methadone/index.html");
    let dates = &methadone[methadone.find("class=\"review-dates\"").expect("review dates")..];
    assert!(
        dates.contains("“Overdose risk” (shared text on this page) last reviewed"),
        "{dates}"
    );
    assert!(dates.contains("<time datetime=\"2025-01-10\">10 January 2025</time>"));
    // Detox was reviewed before the snippet was; Talking's nested snippet is newer.
    for page in ["treatments/detox/index.html", "treatments/talking/index.html"] {
        assert!(!site.output(page).contains("shared text on this page"), "{page}");
    }
}

#[test]
fn shortcodes_take_typed_arguments_and_bodies_and_leave_code_alone() {
    let site = built();
    let home = site.output("index.html");
    assert!(
        home.contains("<span class=\"badge\" data-count=\"3\" data-ratio=\"0.5\" data-open=\"true\" data-nth=\"1\">New</span> inline."),
        "{home}"
    );
    let panel = &home[home.find("<section class=\"panel\">").expect("the panel")..];
    assert!(panel.starts_with("<section class=\"panel\"><h2>Read this</h2>\n<p>A <strong>bold</strong> body"));
    assert!(panel.contains("<sup class=\"citation\">[<a href=\"#ref-1\">1</a>]</sup>"));
    assert!(panel.contains("<a href=\"/treatments/methadone/\">link</a>"));
    assert!(
        home.contains("<code>{{ snippet(id=&quot;nope&quot;) }}</code>")
            || home.contains("<code>{{ snippet(id=\"nope\") }}</code>")
    );
    assert!(
        home.contains("{% panel() %}\n</code></pre>"),
        "fenced code is left alone"
    );
}

#[test]
fn check_lists_each_rule_with_the_pages_it_reaches() {
    let site = Site::fixture("snippets");
    let run = site.check(&[]).success();
    assert!(
        run.stdout
            .contains("snippet `overdose-risk` placed on 2 pages (pages with substances = opioids)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("snippet `see-a-doctor` placed on 1 page (pages in alcohol/)")
    );
}

#[test]
fn a_rule_that_matches_no_page_is_a_warning() {
    let site = Site::fixture("snippets");
    site.edit(
        "site.toml",
        "where = { section = \"alcohol\" }",
        "where = { section = \"alcohl\" }",
    );
    let run = site.check(&[]).success();
    assert!(
        run.stderr
            .contains("site.toml:36:1: warning: the rule for the snippet `see-a-doctor` matches no page [SP074]"),
        "{}",
        run.stderr
    );
    site.check(&["--strict"]).code(1);
}

#[test]
fn a_required_snippet_missing_from_a_matching_page_is_an_error() {
    let site = Site::fixture("snippets");
    site.edit("site.toml", "place = \"top\"", "require = true");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/treatments/methadone.md");
    assert!(error.contains("must include the snippet `overdose-risk`"), "{error}");
    assert!(error.contains("site.toml (line 31)"), "{error}");
    assert!(error.contains("[SP073]"), "{error}");
    // Detox includes it itself.
    assert!(!run.stderr.contains("content/treatments/detox.md"), "{}", run.stderr);
}

#[test]
fn an_unknown_snippet_is_an_error_at_the_call() {
    let site = Site::fixture("snippets");
    site.edit("content/treatments/talking.md", "id=\"nested\"", "id=\"see-a-docter\"");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/treatments/talking.md:8:1");
    assert!(error.contains("unknown snippet `see-a-docter` [SP071]"), "{error}");
    assert!(error.contains("did you mean `see-a-doctor`?"), "{error}");
}

#[test]
fn a_snippet_that_includes_itself_is_an_error() {
    let site = Site::fixture("snippets");
    site.write(
        "content/_snippets/see-a-doctor.md",
        "Loop.\n\n{{ snippet(id=\"nested\") }}\n",
    );
    let run = site.check(&[]).code(1);
    assert!(
        run.stderr.contains("includes itself (nested → see-a-doctor → nested)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_shortcode_and_a_bad_argument_are_errors_at_the_call() {
    let site = Site::fixture("snippets");
    site.edit("content/_index.md", "{{ badge(", "{{ bagde(");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/_index.md:5:10");
    assert!(error.contains("unknown shortcode `bagde`"), "{error}");
    assert!(error.contains("did you mean `badge`?"), "{error}");

    let site = Site::fixture("snippets");
    site.edit("content/_index.md", "count=3", "count=three");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/_index.md:5:38");
    assert!(
        error.contains("expected a value: text in quotes, a number, true or false"),
        "{error}"
    );
}

#[test]
fn a_shortcode_template_error_names_the_page_and_the_template() {
    let site = Site::fixture("snippets");
    // The call leaves out `heading`, which the template uses.
    site.edit("content/_index.md", "panel(heading=\"Read this\")", "panel()");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/_index.md:7:1");
    assert!(error.contains("shortcode `panel` failed"), "{error}");
    assert!(error.contains("heading"), "{error}");
    assert!(error.contains("templates/shortcodes/panel.html"), "{error}");
}

#[test]
fn a_body_shortcode_without_its_end_is_an_error() {
    let site = Site::fixture("snippets");
    site.edit("content/_index.md", "{% end %}", "");
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/_index.md:7:4");
    assert!(error.contains("has no `{% end %}`"), "{error}");
}

#[test]
fn a_broken_link_in_a_snippet_is_reported_once_at_the_snippet() {
    let site = Site::fixture("snippets");
    site.write(
        "content/_snippets/see-a-doctor.md",
        "See a doctor.\n\nBroken [x](@/nowhere.md).\n",
    );
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/_snippets/see-a-doctor.md:3:8");
    assert!(error.contains("link to a missing page `@/nowhere.md`"), "{error}");
    assert_eq!(run.stderr.matches("@/nowhere.md` [SP030]").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("failed with 1 error;"), "{}", run.stderr);
}

#[test]
fn a_snippet_names_its_sources_on_every_page_that_includes_it() {
    let site = built();
    let html = site.output("treatments/methadone/index.html");
    let sources = &html[html.find("Sources for this page").expect("a sources list")..];
    assert!(sources.contains("Alpha report"), "{sources}");
}

#[test]
fn hostile_nesting_and_unclosed_bodies_are_errors_not_crashes() {
    let site = Site::fixture("snippets");
    let deep = format!(
        "{}x{}",
        "{% panel(heading=\"a\") %}\n".repeat(5000),
        "{% end %}\n".repeat(5000)
    );
    site.write("content/deep.md", format!("+++\ntitle = \"Deep\"\n+++\n{deep}"));
    let run = site.check(&[]).code(1);
    assert!(run.stderr.contains("nested more than 32 deep"), "{}", run.stderr);

    let site = Site::fixture("snippets");
    site.write(
        "content/open.md",
        format!("+++\ntitle = \"Open\"\n+++\n{}", "{% panel() %} ".repeat(20_000)),
    );
    let run = site.check(&[]).code(1);
    let error = run.diagnostic("content/open.md:4:4");
    assert!(error.contains("has no `{% end %}`"), "{error}");
    assert_eq!(
        run.stderr.matches("has no `{% end %}`").count(),
        1,
        "one unclosed body is reported"
    );
}
