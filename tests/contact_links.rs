//! `tel:` and `mailto:` links checked for shape (docs/reference.md, "Links and images"): a
//! number or address that goes nowhere is an error at its file, line and column; every form
//! readers and editors write correctly passes.

mod common;

use common::{Site, href_of};

fn page(body: &str) -> String {
    format!(
        r#"+++
title = "Contact"
summary = "Ways to reach the service."
treatment_type = "talking-therapy"
sources = ["frank"]
last_reviewed = 2026-01-01
next_review = 2027-01-01
+++

{body}
"#
    )
}

const BAD: &str = "## Call or write

[Call FRANK](tel:frank) or [the clinic](tel:0300.123.6600).
Text [12](tel:12), write to [us](mailto:help.example.org) or [the team](mailto:team@clinic).
Or <someone@localdomain>, or [two at signs](mailto:a@b@example.org?subject=Hi).";

/// Each error's place and its first line's message.
const BAD_ERRORS: [(&str, &str); 7] = [
    (
        "content/treatments/contact.md:12:1",
        "the phone link `tel:frank` is not a phone number: it contains `f` [SP035]",
    ),
    (
        "content/treatments/contact.md:12:28",
        "the phone link `tel:0300.123.6600` is not a phone number: it contains `.` [SP035]",
    ),
    (
        "content/treatments/contact.md:13:6",
        "the phone link `tel:12` is not a phone number: it has fewer than 3 digits [SP035]",
    ),
    (
        "content/treatments/contact.md:13:29",
        "the email link `mailto:help.example.org` is not an email address: it has no `@` [SP035]",
    ),
    (
        "content/treatments/contact.md:13:62",
        "the email link `mailto:team@clinic` is not an email address: its domain is not a domain such as `example.org` [SP035]",
    ),
    (
        "content/treatments/contact.md:14:4",
        "the email link `mailto:someone@localdomain` is not an email address: its domain is not a domain such as `example.org` [SP035]",
    ),
    (
        "content/treatments/contact.md:14:30",
        "the email link `mailto:a@b@example.org?subject=Hi` is not an email address: it has more than one `@` [SP035]",
    ),
];

#[test]
fn a_contact_link_that_is_not_a_number_or_address_is_an_error_at_its_place() {
    let site = Site::fixture("guidance-site");
    site.write("content/treatments/contact.md", page(BAD));
    for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
        for (place, message) in BAD_ERRORS {
            let diagnostic = run.diagnostic(place);
            let first = diagnostic.lines().next().unwrap_or_default();
            assert_eq!(first, format!("{place}: error: {message}"), "{}", run.stderr);
            assert!(diagnostic.contains("hint: "), "{diagnostic}");
        }
        assert!(run.stderr.contains("failed with 7 errors"), "{}", run.stderr);
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
}

#[test]
fn numbers_and_addresses_as_people_write_them_pass() {
    let site = Site::fixture("guidance-site");
    let good = "## Call or write\n\n[Helpline](tel:+44%2020%207946%200000), [clinic](tel:0300-123-6600), \
                [US line](tel:+1(555)0100199), [NHS](TEL:111).\n\
                [Write](mailto:help@example.org?subject=A%20question), <help@example.org>, \
                [both](mailto:a@example.org,b@example.org), [local](mailto:me@localhost).\n";
    site.write("content/treatments/contact.md", page(good));
    site.check(&["--strict", "--base-url", "https://example.org/"])
        .success();
    site.build(&[]).success();
    let html = site.output("treatments/contact/index.html");
    assert_eq!(href_of(&html, "Helpline"), "tel:+44%2020%207946%200000");
    assert_eq!(href_of(&html, "help@example.org"), "mailto:help@example.org");
}
