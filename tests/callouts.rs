//! Callouts (`> [!WARNING]`, docs/reference.md) built by the real binary from the `callouts`
//! fixture: every kind's markup, callouts in lists and lists in callouts, citations and links
//! inside them, a leading URGENT callout shown before a guidance page's summary and facts, and
//! `check` failing at the marker of an unknown kind.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::Site;

/// The fixture is built once; every test reads the output.
fn site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| common::build_fixture("callouts"))
}

fn read(path: &str) -> String {
    common::read(&site().join(path))
}

/// The opening tag of a callout of `kind`.
fn opening(kind: &str) -> String {
    format!("<div class=\"callout callout-{kind}\" data-callout=\"{kind}\" role=\"note\">")
}

/// Where `needle` is in `html`; it must be there.
fn position(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("no {needle:?} in:\n{html}"))
}

#[test]
fn every_kind_is_built_with_its_class_attribute_role_and_title() {
    let html = read("notes/index.html");
    let titled = |kind: &str, title: &str| format!("{}\n<p class=\"callout-title\">{title}</p>\n", opening(kind));
    for expected in [
        titled("note", "Note"),
        titled(
            "tip",
            "<span class=\"visually-hidden\">Tip: </span>Eat before you drink",
        ),
        titled("important", "Important"),
        titled(
            "warning",
            "<span class=\"visually-hidden\">Warning: </span>Stopping drinking suddenly",
        ),
        titled("caution", "Caution"),
        titled("urgent", "Urgent"),
        format!(
            "{}\n<p class=\"callout-title visually-hidden\">Information</p>\n<p>A quiet aside.</p>\n</div>",
            opening("inset")
        ),
    ] {
        assert!(html.contains(&expected), "no {expected:?} in:\n{html}");
    }
    // The page's own raw HTML made the sanitizer run over all of it, and the callouts stayed.
    assert!(html.contains("raw <b>HTML</b> too"));
    assert_eq!(html.matches("data-callout=").count(), 8);
    // A quote without a marker stays a quote.
    assert!(html.contains("<blockquote>\n<p>Just a quote.</p>\n</blockquote>"));
}

#[test]
fn callouts_sit_in_list_items_and_hold_lists() {
    let html = read("notes/index.html");
    let in_item = format!(
        "<li>\n<p>Talk to your GP.</p>\n{}\n<p class=\"callout-title\">Tip</p>\n<p>Write your questions down first.</p>\n</div>\n</li>",
        opening("tip")
    );
    assert!(html.contains(&in_item), "{html}");
    let holding = format!(
        "{}\n<p class=\"callout-title\">Caution</p>\n<p>Mixing alcohol with:</p>\n<ul>\n<li>opioids</li>\n<li>benzodiazepines</li>\n</ul>\n</div>",
        opening("caution")
    );
    assert!(html.contains(&holding), "{html}");
}

#[test]
fn citations_and_internal_links_in_a_callout_are_resolved() {
    let html = read("notes/index.html");
    assert!(
        html.contains(
            "<p>See <a href=\"/treatments/detox/#during-a-fit\">the detox page</a> \
             <sup class=\"citation\">[<a href=\"#ref-1\">1</a>]</sup>.</p>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<li id=\"ref-1\">\n      <cite>Alcohol advice</cite>"),
        "{html}"
    );
    // The link graph saw the link inside the callout.
    let detox = read("treatments/detox/index.html");
    let backlinks = &detox[position(&detox, "id=\"backlinks-heading\"")..];
    assert!(backlinks.contains("<a href=\"/notes/\">Notes</a>"), "{detox}");
}

#[test]
fn a_leading_urgent_callout_comes_straight_after_the_heading() {
    let detox = read("treatments/detox/index.html");
    let urgent = opening("urgent");
    let order = [
        "<h1>Alcohol detox</h1>\n",
        urgent.as_str(),
        "<span class=\"visually-hidden\">Urgent: </span>If someone is having a fit</p>",
        "<a href=\"#during-a-fit\">keep them safe</a>",
        "<p class=\"lead\">",
        "<dl class=\"facts\">",
        "<div class=\"body\">\n<p>A detox is planned",
    ]
    .map(|needle| position(&detox, needle));
    assert!(order.is_sorted(), "out of order {order:?}:\n{detox}");
    assert_eq!(detox.matches(&urgent).count(), 1, "shown once:\n{detox}");
    assert!(detox.contains(&format!("<h1>Alcohol detox</h1>\n{urgent}")));

    // On a page that is not guidance, before the summary too.
    let about = read("about/index.html");
    assert!(about.contains(&format!("<h1>About</h1>\n{urgent}")), "{about}");
    assert_eq!(about.matches(&urgent).count(), 1);

    // An URGENT callout later in the text stays where it was written.
    let notes = read("notes/index.html");
    assert!(position(&notes, "<p>A page with one callout") < position(&notes, &urgent));
}

#[test]
fn check_fails_at_the_marker_of_an_unknown_kind() {
    let site = Site::fixture("callouts");
    site.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\n+++\n\n> [!DANGERR]\n> Text.\n\n- Item\n\n  > [!Warnnig] Careful\n  > Text.\n",
    );
    let run = site.check(&[]).code(1);
    let far = run.diagnostic("content/bad.md:5:3");
    assert!(far.contains("unknown callout kind `DANGERR` [SP070]"), "{far}");
    assert!(far.contains("hint: callout kinds are NOTE, TIP, IMPORTANT, WARNING, CAUTION, URGENT, INSET"));
    let near = run.diagnostic("content/bad.md:10:5");
    assert!(near.contains("unknown callout kind `Warnnig` [SP070]"), "{near}");
    assert!(near.contains("10 |   > [!Warnnig] Careful"), "{near}");
    assert!(near.contains("hint: did you mean `WARNING`?"), "{near}");
    assert!(run.stderr.contains("failed with 2 errors"), "{}", run.stderr);
}
