//! Any file text: splitting and checking its front matter never panics, whatever the TOML.
#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use signpost::content::front_matter::{self, Kind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(split) = front_matter::split(text) else {
        return;
    };
    for kind in [Kind::GuidancePage, Kind::Page, Kind::Section] {
        let _ = front_matter::parse(text, &split, Path::new("content/fuzz.md"), kind, common::config());
    }
});
