//! `[emergency]`: the line shown at the top of every page, in a box of its own, saying what to
//! do when a life is at risk.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{SettingLink, phone, tel_target};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};

/// The emergency line: what to do when a life is at risk, shown at the top of every page in a
/// box of its own, above the helpline. Take the number and the wording from a source you trust
/// (the national emergency number of the site's country) and check them before publishing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmergency {
    /// What to do, in one or two short, plain sentences ("If someone has collapsed, is not
    /// breathing or you think they have overdosed, call 999.").
    text: Spanned<String>,
    /// The number to call, as readers dial it: digits and spaces, with an optional leading `+`
    /// ("999", "+44 20 7946 0000"). It is shown as written and called through a `tel:` link.
    phone: Spanned<String>,
    /// A page on what to do until help comes, linked from the box ("@/if-someone-has-collapsed.md").
    /// It must exist: a link to a missing page is an error.
    page: Option<Spanned<String>>,
}

/// The emergency line, checked: `text` and `phone` are not empty and `phone` is a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emergency {
    pub text: String,
    /// The number as written.
    pub phone: String,
    /// The number as a `tel:` link's target.
    pub tel: String,
    /// The page linked from the box; `links` checks that it exists.
    pub page: Option<SettingLink>,
}

/// What the emergency number must look like, for messages.
const PHONE_EXPECTED: &str =
    "expected digits and spaces, with an optional leading `+`, such as \"999\" or \"+44 20 7946 0000\"";

/// What is wrong with `phone` as a number to dial, if anything: it must hold digits, and
/// nothing but digits and spaces after an optional leading `+` (the shared rule,
/// `phone::EMERGENCY`).
fn phone_problem(phone: &str) -> Option<String> {
    Some(match phone::problem(phone, phone::EMERGENCY)? {
        phone::Problem::Empty => "[emergency] phone is empty".to_string(),
        phone::Problem::Contains(bad) => format!("[emergency] phone `{phone}` contains `{bad}`"),
        phone::Problem::TooFewDigits => format!("[emergency] phone `{phone}` has no digits"),
    })
}

/// Checks `[emergency]`, reporting each problem at its value.
pub(super) fn check_emergency(text: &str, raw: RawEmergency, file: &Path, out: &mut Diagnostics) -> Option<Emergency> {
    let error = |message: String, value_at: usize| {
        Diagnostic::error(file, message)
            .code(Code::ConfigInvalidValue)
            .at(text, value_at)
    };
    let mut ok = true;
    if raw.text.get_ref().trim().is_empty() {
        out.push(
            error("[emergency] text is empty".to_string(), raw.text.span().start)
                .with_hint("say what to do and who to call, in one or two short, plain sentences"),
        );
        ok = false;
    }
    let phone = raw.phone.get_ref();
    if let Some(problem) = phone_problem(phone) {
        out.push(
            error(format!("{problem}: {PHONE_EXPECTED}"), raw.phone.span().start)
                .with_hint("use the emergency number of the site's country, copied from a source you trust"),
        );
        ok = false;
    }
    let page = raw.page.map(|page| SettingLink {
        setting: "[emergency] page",
        offset: page.span().start,
        written: page.into_inner(),
    });
    ok.then(|| Emergency {
        text: raw.text.into_inner().trim().to_string(),
        phone: phone.trim().to_string(),
        tel: tel_target(phone),
        page,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{Overrides, parse};

    fn emergency(table: &str) -> Result<Option<Emergency>, Vec<Diagnostic>> {
        let text = format!("title = \"x\"\n\n[emergency]\n{table}");
        parse(Path::new("."), &text, &Overrides::default())
            .map(|config| config.emergency)
            .map_err(Diagnostics::sorted)
    }

    /// The one error `[emergency]` gives, as (line, column, message).
    fn emergency_error(table: &str) -> (usize, usize, String) {
        let mut errors = emergency(table).expect_err("an invalid [emergency]");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let d = errors.remove(0);
        let location = d.location.expect("a line and column");
        (location.line, location.column, d.message)
    }

    #[test]
    fn emergency_is_read_with_its_tel_target() {
        let emergency = emergency("text = \" Call now. \"\nphone = \"+44 20 7946 0000\"\npage = \"@/help.md\"\n")
            .expect("a valid [emergency]")
            .expect("an emergency line");
        assert_eq!(emergency.text, "Call now.");
        assert_eq!(emergency.phone, "+44 20 7946 0000");
        assert_eq!(emergency.tel, "+442079460000");
        let page = emergency.page.expect("a page");
        assert_eq!(page.written, "@/help.md");
        assert_eq!(page.setting, "[emergency] page");
        let without = parse(Path::new("."), "title = \"x\"\n", &Overrides::default()).expect("valid");
        assert_eq!(without.emergency, None);
    }

    #[test]
    fn emergency_without_a_phone_is_an_error() {
        let (line, _, message) = emergency_error("text = \"Call now.\"\n");
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("missing field `phone`"), "{message}");
    }

    #[test]
    fn emergency_phone_must_be_a_number_at_its_line_and_column() {
        let check = |phone: &str, expected: &str| {
            let (line, column, message) = emergency_error(&format!("text = \"Call now.\"\nphone = \"{phone}\"\n"));
            assert_eq!((line, column), (5, 9), "{phone}: {message}");
            assert!(message.starts_with(expected), "{phone}: {message}");
            assert!(message.contains("expected digits and spaces"), "{phone}: {message}");
        };
        check("", "[emergency] phone is empty");
        check("  ", "[emergency] phone is empty");
        check("999-123", "[emergency] phone `999-123` contains `-`");
        check("ambulance", "[emergency] phone `ambulance` contains `a`");
        check("1+1", "[emergency] phone `1+1` contains `+`");
        check("+", "[emergency] phone `+` has no digits");
    }

    #[test]
    fn emergency_text_must_not_be_empty() {
        let (line, column, message) = emergency_error("text = \"\"\nphone = \"999\"\n");
        assert_eq!((line, column), (4, 8));
        assert_eq!(message, "[emergency] text is empty");
    }

    #[test]
    fn emergency_unknown_key_is_an_error_with_a_suggestion() {
        let errors = emergency("text = \"Call now.\"\nphone = \"999\"\npgae = \"@/a.md\"\n").expect_err("unknown key");
        let d = &errors[0];
        assert_eq!(d.code, Code::ConfigUnknownKey);
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(6));
        assert_eq!(d.hint.as_deref(), Some("did you mean `page`?"));
    }
}
