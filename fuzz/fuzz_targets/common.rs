//! A configuration loaded once per fuzzing process: the shipped site.toml, so that the
//! vocabularies, sources and glossary are the real ones.

use std::path::Path;
use std::sync::OnceLock;

use signpost::config::{self, Config, Overrides};

pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        match config::load(&root, &Overrides::default()) {
            Ok(config) => config,
            Err(_) => panic!("the shipped site.toml must load"),
        }
    })
}
