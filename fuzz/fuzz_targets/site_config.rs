//! Any text as site.toml: reading it reports problems and never panics, and when it is read
//! the whole build of a small site with it does not panic either (a number out of range used
//! to pass the reading and panic in a later stage). The text is also tried as a base_url.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signpost::config::{self, BaseUrl, Overrides};
use signpost::pipeline::{self, Cache};
use signpost::render::Discard;

/// A site folder made once per process, with a guidance page and a glossary; each input that
/// reads as a configuration becomes its site.toml.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("signpost-fuzz-config-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the folder");
            std::fs::write(path, text).expect("write");
        };
        write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\nSee [the guide](@/guide/page.md).\n");
        write("content/glossary.md", "+++\ntitle = \"Glossary\"\n+++\n\n## Detox\n\nStopping.\n");
        write("content/guide/_index.md", "+++\ntitle = \"Guide\"\nguidance = true\n+++\n");
        write(
            "content/guide/page.md",
            "+++\ntitle = \"Detox\"\nsummary = \"Stopping safely.\"\ntreatment_type = \"detox\"\nsources = [\"src\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\npros = [\"=1+1\"]\n+++\n\n## What it is\n\nDetox with support [@src].\n",
        );
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = BaseUrl::parse(text);
    let root = site();
    if config::parse(root, text, &Overrides::default()).is_err() {
        return;
    }
    if std::fs::write(root.join("site.toml"), text).is_err() {
        return;
    }
    let _ = pipeline::prepare(root, &Overrides::default(), &|_| {}, &mut Cache::default())
        .and_then(|prepared| prepared.render_into(&Discard, &|_| {}));
});
