//! Readers' words (`[search.synonyms]`, `[search] synonym_groups`, `[glossary.also]`): what the
//! search manifest ships, that the index does not grow, and what `check` says of words that
//! cannot work. How search.js uses them is tests/browser/search.test.mjs.

mod common;

use std::collections::BTreeMap;

use common::Site;
use signpost::config::Overrides;
use signpost::render::Contents;

/// The guidance fixture with a glossary page and `toml` added to site.toml (before `[helpline]`,
/// so that tables may follow).
fn site_with(toml: &str) -> Site {
    let site = Site::fixture("guidance-site");
    site.write(
        "content/glossary.md",
        "+++\ntitle = \"Glossary\"\n+++\n\n## Methadone\n\nA medicine.\n\n## Key worker\n\nYour worker.\n",
    );
    site.edit("site.toml", "[helpline]", &format!("{toml}\n[helpline]"));
    site
}

/// The search files of the built site, by path.
fn search_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let built = site
        .pipeline(&Overrides::default())
        .unwrap_or_else(|d| panic!("build failed: {:?}", d.sorted()));
    built
        .site
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("search/") && *path != "search/index.html")
        .filter_map(|(path, contents)| match contents {
            Contents::Bytes(bytes) => Some((path.clone(), bytes.clone())),
            _ => None,
        })
        .collect()
}

/// Where line `n` of the text [`site_with`] adds is in site.toml, as `site.toml:LINE:COL`.
fn at(n: usize, column: usize) -> String {
    let fixture = common::read(&common::fixtures_dir().join("guidance-site/site.toml"));
    let before = fixture.split("[helpline]").next().map_or(0, |t| t.lines().count());
    format!("site.toml:{}:{column}", before + n)
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(&files["search/manifest.json"]).expect("the manifest is JSON")
}

const WORDS: &str = "[glossary]\npage = \"@/glossary.md\"\n\n\
    [search]\nsynonym_groups = [[\"counselling\", \"Talking Therapy\"]]\n\n\
    [search.synonyms]\nmethadone = [\"Meth-a-done\", \"the green stuff\", \"juice\"]\n\n\
    [glossary.also]\n\"Key worker\" = [\"drug worker\"]\n";

#[test]
fn the_manifest_ships_each_readers_word_normalised_with_the_words_it_finds() {
    let files = search_files(&site_with(WORDS));
    let syn = &manifest(&files)["syn"];
    let expected = serde_json::json!({
        // Cut into words as the index cuts them, stop words ("a", "the") left out, in order.
        "meth done": ["methadone"],
        "green stuff": ["methadone"],
        "juice": ["methadone"],
        // A group finds every way.
        "counselling": ["talking therapy"],
        "talking therapy": ["counselling"],
        "drug worker": ["key worker"],
    });
    assert_eq!(syn, &expected);
}

#[test]
fn synonyms_expand_the_query_never_the_index() {
    let with = search_files(&site_with(WORDS));
    let without = search_files(&site_with("[glossary]\npage = \"@/glossary.md\"\n"));
    let others = |files: &BTreeMap<String, Vec<u8>>| {
        let mut files = files.clone();
        files.remove("search/manifest.json");
        files
    };
    assert_eq!(others(&with), others(&without), "only the manifest may change");
    // A site without readers' words ships no `syn` at all.
    assert!(manifest(&without).get("syn").is_none());
    let grown = files_len(&with, "search/manifest.json") - files_len(&without, "search/manifest.json");
    assert!(grown < 200, "the manifest grew by {grown} bytes");
}

fn files_len(files: &BTreeMap<String, Vec<u8>>, path: &str) -> usize {
    files[path].len()
}

#[test]
fn check_warns_at_the_line_of_a_page_word_no_page_uses() {
    let site = site_with(
        "[search]\nsynonym_groups = [[\"methadone\", \"linctus\"]]\n\n\
         [search.synonyms]\nmethadone = [\"juice\"]\nzopiclone = [\"zimmers\"]\n",
    );
    let run = site.check(&[]).success();
    assert!(
        run.stderr
            .contains(&format!("{}: warning: no page uses `zopiclone`", at(6, 1))),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("[SP008]"), "{}", run.stderr);
    // A group is readers' words too: "linctus" is no page's word, but "methadone" is.
    assert!(!run.stderr.contains("linctus"), "{}", run.stderr);
}

#[test]
fn stop_words_alone_and_unknown_glossary_terms_are_errors_at_their_line() {
    let site = site_with("[search.synonyms]\nmethadone = [\"juice\",\n  \"the it\"]\n");
    let run = site.check(&[]).code(1);
    let d = run.diagnostic(&at(3, 3));
    assert!(d.contains("only stop words") && d.contains("[SP004]"), "{d}");

    let site =
        site_with("[glossary]\npage = \"@/glossary.md\"\n\n[glossary.also]\n\"Key workers\" = [\"drug worker\"]\n");
    let run = site.check(&[]).code(1);
    let d = run.diagnostic(&at(5, 1));
    assert!(d.contains("`Key workers` is not a glossary term"), "{d}");
}

#[test]
fn the_shipped_readers_words_all_lead_to_words_its_pages_use() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = signpost::pipeline::build(root, &Overrides::default(), &|_| {})
        .unwrap_or_else(|d| panic!("the shipped site does not build: {:?}", d.sorted()));
    let never: Vec<String> = built
        .warnings
        .sorted()
        .into_iter()
        .filter(|d| d.code == signpost::diagnostics::Code::SynonymNeverMatches)
        .map(|d| d.message)
        .collect();
    assert!(never.is_empty(), "{never:?}");
    assert!(
        built.config.synonyms.len() > 50,
        "the shipped list is {}",
        built.config.synonyms.len()
    );
}
