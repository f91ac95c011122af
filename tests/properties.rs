//! Property tests: the rules slugs, base URLs and served paths promise, checked on generated
//! input (any Unicode, not only the examples in the unit tests). Case counts are kept modest so
//! the suite stays fast; a failure prints the smallest input proptest could shrink it to.

use proptest::prelude::*;
use signpost::config::BaseUrl;
use signpost::serve::http::clean_path;
use signpost::slug::slugify;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 500,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text likely to hit the interesting cases: ASCII punctuation, separators, apostrophes,
/// letters with case mappings that grow (İ, ß, ǅ), digits of other scripts, and any char.
fn texty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::char::range('a', 'z'),
            2 => prop::char::range('A', 'Z'),
            2 => prop::sample::select(vec![
                ' ', '-', '_', '/', '.', '\'', '\u{2019}', '&', '—', '\t', 'İ', 'ß', 'ǅ', 'Σ', 'ﬁ',
                '٣', '𝐀', 'Ⅻ', '\u{301}', '\u{200d}', '日', 'é',
            ]),
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Strings made of the characters URL paths are built from, and any others.
fn urlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![
                "/", "//", ".", "..", "%", "%2e", "%2E", "%2f", "%5c", "%00", "%c0%ae", "%+2", "%", "\\",
                "?", "#", "a", "b", "é", "%C3%A9", "%ff", " ", ":", "http://", "https://",
            ])
            .prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn slugify_is_idempotent(text in texty()) {
        let once = slugify(&text);
        prop_assert_eq!(slugify(&once), once.clone(), "slugify({:?}) = {:?}", text, once);
    }

    #[test]
    fn slugs_are_lowercase_alphanumerics_joined_by_single_hyphens(text in texty()) {
        let slug = slugify(&text);
        prop_assert!(
            slug.chars().all(|c| c == '-' || c.is_alphanumeric()),
            "slugify({:?}) = {:?} holds other characters", text, slug
        );
        prop_assert_eq!(slug.to_lowercase(), slug.clone(), "slugify({:?}) is not lowercase", text);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "slugify({:?}) = {:?}", text, slug);
        prop_assert!(!slug.contains("--"), "slugify({:?}) = {:?}", text, slug);
    }

    #[test]
    fn base_url_paths_start_and_end_with_a_slash(text in urlish()) {
        if let Ok(base) = BaseUrl::parse(&text) {
            prop_assert!(base.path.starts_with('/') && base.path.ends_with('/'), "{:?} -> {:?}", text, base);
        }
    }

    #[test]
    fn base_url_links_never_hold_a_double_slash(
        text in urlish(),
        site_path in prop::sample::select(vec!["", "treatments/", "treatments/methadone/", "search/index.json"]),
    ) {
        if let Ok(base) = BaseUrl::parse(&text) {
            let link = base.link(site_path);
            prop_assert!(!link.contains("//"), "{:?} links {:?} as {:?}", text, site_path, link);
            let permalink = base.permalink(site_path);
            let after_scheme = permalink
                .strip_prefix("https://")
                .or_else(|| permalink.strip_prefix("http://"))
                .unwrap_or(&permalink);
            prop_assert!(!after_scheme.contains("//"), "{:?} permalinks {:?} as {:?}", text, site_path, permalink);
        }
    }

    #[test]
    fn clean_path_never_lets_a_request_leave_the_site(target in urlish()) {
        if let Some(path) = clean_path(&target) {
            prop_assert!(path.starts_with('/'), "{:?} -> {:?}", target, path);
            prop_assert!(!path.split('/').any(|s| s == ".." || s == "."), "{:?} -> {:?}", target, path);
            prop_assert!(!path.contains('\\') && !path.contains('\0'), "{:?} -> {:?}", target, path);
        }
    }

    #[test]
    fn clean_path_never_panics_on_any_input(target in any::<String>()) {
        let _ = clean_path(&target);
        let _ = clean_path(&format!("/{target}"));
    }
}

#[test]
fn examples_the_properties_found() {
    assert_eq!(slugify("İstanbul"), "istanbul");
    assert_eq!(
        BaseUrl::parse("/guidance//sub/").map(|b| b.path),
        Ok("/guidance/sub/".to_string())
    );
    assert_eq!(
        BaseUrl::parse("https://example.org//x//").map(|b| b.link("a/")),
        Ok("/x/a/".to_string())
    );
    assert!(BaseUrl::parse("/a/./").is_err());
    assert_eq!(clean_path("/%+5"), None, "a sign is not a hex digit");
    assert_eq!(clean_path("/caf%C3%A9/"), Some("/café/".to_string()));
}
