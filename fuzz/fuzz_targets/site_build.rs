//! A one-page site whose page is any text: the whole build (every stage, templates included)
//! reports problems and never panics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signpost::config::Overrides;
use signpost::pipeline::{self, Cache};
use signpost::render::Discard;

/// A site folder made once per process; each input overwrites its one page.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("signpost-fuzz-site-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the folder");
            std::fs::write(path, text).expect("write");
        };
        write(
            "site.toml",
            "title = \"Fuzz\"\n\n[[sources]]\nid = \"src\"\ntitle = \"A source\"\npublisher = \"Someone\"\npublisher_type = \"charity\"\naudience = \"public\"\n",
        );
        write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\nSee [the page](@/guide/page.md).\n");
        write("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n");
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    if std::fs::write(root.join("content/guide/page.md"), data).is_err() {
        return;
    }
    let _ = pipeline::prepare(root, &Overrides::default(), &|_| {}, &mut Cache::default())
        .and_then(|prepared| prepared.render_into(&Discard, &|_| {}));
});
