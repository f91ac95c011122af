//! Slugs: the URL-safe names made from file names and heading text.

/// Lowercase letters and digits (any script), with every other run of characters turned into
/// one hyphen: "Alcohol & Drugs — A&E" becomes "alcohol-drugs-a-e".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            // Some lowercase forms add a combining mark ("İ" is "i" + U+0307), which is not
            // alphanumeric: keep only the letters, so slugs stay slugs and slugify is idempotent.
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if c == '\'' || c == '\u{2019}' {
            // "What's" reads better as "whats" than "what-s".
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    fn check(input: &str, expected: &str) {
        assert_eq!(slugify(input), expected, "slugify({input:?})");
    }

    #[test]
    fn slugs() {
        check("Methadone maintenance", "methadone-maintenance");
        check("  What's  detox? ", "whats-detox");
        check("A&E", "a-e");
        check("12-step (Minnesota) model", "12-step-minnesota-model");
        check("Café niño", "café-niño");
        check("---", "");
        check("Über_Größe", "über-größe");
        check("İstanbul", "istanbul");
    }
}
