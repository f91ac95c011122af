//! Property tests: the rules slugs, base URLs and served paths promise, checked on generated
//! input (any Unicode, not only the examples in the unit tests). Case counts are kept modest so
//! the suite stays fast; a failure prints the smallest input proptest could shrink it to.

mod reference {
    pub mod tokenize;
}

use proptest::prelude::*;
use signpost::config::BaseUrl;
use signpost::search::tokenize;
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

/// HTML as pages have it and worse: tags the tokeniser skips or treats as inline, headings,
/// entities, words in either case with apostrophes, letters outside ASCII, every kind of
/// whitespace, stray angle brackets.
fn htmlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![
                "<p>", "</p>", "<h2 id=\"x\">", "</h2>", "<H3>", "</h3>", "<em>", "</em>", "<a href=\"#\">",
                "</a>", "<br>", "<br/>", "<hr />", "<script>", "</script>", "<SCRIPT>", "<style>x</style>",
                "<a class=\"heading-anchor\">#</a>", "<sup class=\"citation\">1</sup>", "<template>",
                "</template>", "<li>", "</li>", "<td>", "<!-- c -->", "<?x?>", "<", ">", "<averyveryverylongname>",
                "&amp;", "&nbsp;", "&#8217;", "&#x27;", "&rsquo;", "&bogus;", "&", ";",
            ]),
            6 => prop::sample::select(vec![
                "word", "Word", "WORD", "don't", "Don't", "people\u{2019}s", "café", "Straße", "ΣΑΣ", "日本",
                "a1", "x'", "'y", "it's'", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "İs",
            ]),
            4 => prop::sample::select(vec![
                " ", "  ", "\n", "\t", "\u{a0}", "\u{2003}", "\u{b}", "\u{c}", "\r\n", ".", ",", ")", "!", "-",
                "\u{2019}", "'",
            ]),
            1 => any::<char>().prop_map(|c| c.to_string().leak() as &str),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    /// The faster tokeniser finds the same words and text as the model: the index, its
    /// scores and its excerpts are unchanged.
    #[test]
    fn the_tokeniser_matches_its_model(html in htmlish()) {
        prop_assert_eq!(tokenize::html_to_text(&html), reference::tokenize::html_to_text(&html));
        prop_assert_eq!(tokenize::collapse_whitespace(&html), reference::tokenize::collapse_whitespace(&html));
        prop_assert_eq!(tokenize::words(&html), reference::tokenize::words(&html));
        let text = reference::tokenize::html_to_text(&html);
        prop_assert_eq!(tokenize::words(&text), reference::tokenize::words(&text));
    }
}
