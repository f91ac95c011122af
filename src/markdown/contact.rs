//! `mailto:` and `tel:` links checked for shape: a reader who taps a contact link on a
//! treatment site is often asking for help, and a number or address that goes nowhere fails
//! them silently. The phone rule is the one `[emergency] phone` shares (`config::phone`).

use percent_encoding::percent_decode_str;

use crate::config::phone::{self, Problem};

/// What is wrong with a `mailto:` or `tel:` destination, as a sentence and a hint; `None`
/// for one that is well shaped, or that is neither.
pub fn problem(dest: &str) -> Option<(String, &'static str)> {
    let trimmed = dest.trim();
    let (scheme, rest) = trimmed.split_once(':')?;
    let rest = percent_decode_str(rest).decode_utf8_lossy();
    if scheme.eq_ignore_ascii_case("tel") {
        return tel_problem(&rest).map(|why| {
            (
                format!("the phone link `{}` {why}", shorten(trimmed)),
                "write the number as readers dial it: digits, spaces, `-`, `(` and `)`, with an optional leading `+`, such as `tel:+44 20 7946 0000`",
            )
        });
    }
    if scheme.eq_ignore_ascii_case("mailto") {
        return mailto_problem(&rest).map(|why| {
            (
                format!("the email link `{}` {why}", shorten(trimmed)),
                "write one address per recipient, such as `mailto:help@example.org` or `mailto:help@example.org?subject=Question`",
            )
        });
    }
    None
}

fn tel_problem(number: &str) -> Option<String> {
    Some(match phone::problem(number, phone::LINK)? {
        Problem::Empty => "has no number".to_string(),
        Problem::Contains(bad) => format!("is not a phone number: it contains `{bad}`"),
        Problem::TooFewDigits => "is not a phone number: it has fewer than 3 digits".to_string(),
    })
}

/// The addresses before any `?subject=…`, each checked.
fn mailto_problem(rest: &str) -> Option<String> {
    let addresses = rest.split_once('?').map_or(rest, |(before, _)| before);
    if addresses.trim().is_empty() {
        return Some("has no address".to_string());
    }
    addresses
        .split(',')
        .find_map(|address| address_problem(address.trim()).map(|why| format!("is not an email address: {why}")))
}

/// One address: a local part, one `@`, and a domain with a dot (or `localhost`).
fn address_problem(address: &str) -> Option<&'static str> {
    let Some((local, domain)) = address.split_once('@') else {
        return Some("it has no `@`");
    };
    if domain.contains('@') {
        return Some("it has more than one `@`");
    }
    if local.is_empty() {
        return Some("nothing comes before the `@`");
    }
    if address
        .chars()
        .any(|c| c.is_whitespace() || "<>()[]\\,;:\"".contains(c))
    {
        return Some("it contains a space or a character no address has");
    }
    let labels_ok = domain
        .split('.')
        .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    if domain.eq_ignore_ascii_case("localhost") || (domain.contains('.') && labels_ok) {
        return None;
    }
    Some("its domain is not a domain such as `example.org`")
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(dest: &str) -> String {
        problem(dest).map(|(message, _)| message).unwrap_or_default()
    }

    #[test]
    fn phone_numbers_as_readers_dial_them_pass() {
        for ok in [
            "tel:999",
            "tel:+44 20 7946 0000",
            "tel:+44%2020%207946%200000",
            "TEL:0300-123-6600",
            "tel:+1(555)0100199",
            "https://example.org",
            "#top",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn a_tel_link_that_is_not_a_number_is_named() {
        assert_eq!(
            why("tel:frank"),
            "the phone link `tel:frank` is not a phone number: it contains `f`"
        );
        assert_eq!(
            why("tel:0300.123.6600"),
            "the phone link `tel:0300.123.6600` is not a phone number: it contains `.`"
        );
        assert_eq!(
            why("tel:12"),
            "the phone link `tel:12` is not a phone number: it has fewer than 3 digits"
        );
        assert_eq!(why("tel:"), "the phone link `tel:` has no number");
    }

    #[test]
    fn email_addresses_need_one_at_and_a_domain() {
        for ok in [
            "mailto:help@example.org",
            "mailto:help@example.org?subject=A%20question",
            "MAILTO:a.b+c@mail.example.co.uk",
            "mailto:me@localhost",
            "mailto:a@example.org,b@example.org",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        assert!(why("mailto:help.example.org").ends_with("it has no `@`"));
        assert!(why("mailto:a@b@example.org").ends_with("more than one `@`"));
        assert!(why("mailto:@example.org").ends_with("nothing comes before the `@`"));
        assert!(why("mailto:help@example").ends_with("not a domain such as `example.org`"));
        assert!(why("mailto:help@example.").ends_with("not a domain such as `example.org`"));
        assert!(why("mailto:he lp@example.org").ends_with("no address has"));
        assert_eq!(
            why("mailto:?subject=x"),
            "the email link `mailto:?subject=x` has no address"
        );
    }
}
