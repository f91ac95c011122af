//! What a phone number may look like, shared by `[emergency] phone` and `tel:` links in
//! pages: on a site people read in a crisis, a number that cannot be dialled matters.

/// The characters a number may hold besides digits (and one leading `+`), and how many
/// digits it needs.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub punctuation: &'static str,
    pub min_digits: usize,
}

/// `[emergency] phone`: shown large and read aloud, so digits and spaces only; "15" and
/// "112" are real emergency numbers.
pub const EMERGENCY: Rule = Rule {
    punctuation: " ",
    min_digits: 1,
};

/// A `tel:` link in a page: the separators people write ("+44 (0)20 7946-0000"), and at
/// least three digits, so that a stray `tel:` with a word or a fragment after it is caught.
pub const LINK: Rule = Rule {
    punctuation: " -()",
    min_digits: 3,
};

/// Why `phone` is not a number to dial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    /// The first character that is not allowed.
    Contains(char),
    /// Fewer digits than the rule asks for.
    TooFewDigits,
}

/// What is wrong with `phone` under `rule`, if anything. Surrounding spaces are ignored.
pub fn problem(phone: &str, rule: Rule) -> Option<Problem> {
    let trimmed = phone.trim();
    if trimmed.is_empty() {
        return Some(Problem::Empty);
    }
    let number = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if let Some(bad) = number
        .chars()
        .find(|c| !(c.is_ascii_digit() || rule.punctuation.contains(*c)))
    {
        return Some(Problem::Contains(bad));
    }
    let digits = number.chars().filter(char::is_ascii_digit).count();
    (digits < rule.min_digits.max(1)).then_some(Problem::TooFewDigits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_numbers_allow_separators_and_need_three_digits() {
        for ok in ["999", "+44 20 7946 0000", "0300 123 6600", "+1 (555) 010-0199", " 111 "] {
            assert_eq!(problem(ok, LINK), None, "{ok}");
        }
        assert_eq!(problem("", LINK), Some(Problem::Empty));
        assert_eq!(problem("call-us", LINK), Some(Problem::Contains('c')));
        assert_eq!(problem("0300.123", LINK), Some(Problem::Contains('.')));
        assert_eq!(problem("12+3", LINK), Some(Problem::Contains('+')));
        assert_eq!(problem("+12", LINK), Some(Problem::TooFewDigits));
        assert_eq!(problem("(-)", LINK), Some(Problem::TooFewDigits));
    }

    #[test]
    fn emergency_numbers_are_digits_and_spaces() {
        assert_eq!(problem("15", EMERGENCY), None);
        assert_eq!(problem("999-1", EMERGENCY), Some(Problem::Contains('-')));
        assert_eq!(problem("+", EMERGENCY), Some(Problem::TooFewDigits));
    }
}
