//! Browser tests: builds the shipped site (and `tests/browser/fixture`: markup-shaped titles,
//! an emergency line with a page) with the real binary, then runs `node --test` on
//! `tests/browser/*.test.mjs`, which drive Debian's headless Chromium through playwright-core:
//! the compare page, the theme's accessibility (axe-core) and validity (the Nu Html Checker),
//! its quick exit, emergency line, helpline, keyboard order, privacy, print and weight, and
//! `signpost serve`'s live reload (the binary is passed as SIGNPOST_BIN).
//!
//! Needs Chromium at /usr/bin/chromium (`apt-get update && apt-get install -y chromium`), Java
//! for the Nu Html Checker (`apt-get install -y default-jre-headless`), Node.js and the npm
//! packages (`npm ci` at the repository root). `.ci/run` installs them all; when one is missing
//! this test fails and says what to install, rather than skipping.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site at `root` into `output` with the real `signpost` binary.
fn build(root: &Path, output: &Path) {
    let result = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run the signpost binary");
    assert!(
        result.status.success(),
        "signpost build --root {} failed:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(
        output.join("compare/index.html").is_file(),
        "the build wrote no compare/index.html"
    );
    assert!(output.join("compare.js").is_file(), "the build wrote no compare.js");
}

/// Everything the node tests need, or a panic naming what to install.
fn check_tools() -> PathBuf {
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {}: run `apt-get update && apt-get install -y chromium` (Debian's package)",
            chromium.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("Node.js (`node` on PATH), version 20 or later".to_string());
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !repo().join("node_modules").join(package).join("package.json").is_file() {
            missing.push(format!(
                "the npm package {package}: run `npm ci` in {}",
                repo().display()
            ));
        }
    }
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        missing.push(
            "Java (`java` on PATH), for the Nu Html Checker: `apt-get install -y default-jre-headless`".to_string(),
        );
    }
    assert!(
        missing.is_empty(),
        "the browser tests cannot run; install what is missing (.ci/run does all of it):\n  - {}",
        missing.join("\n  - ")
    );
    chromium
}

#[test]
fn the_site_in_headless_chromium() {
    let chromium = check_tools();

    let temp = tempfile::Builder::new()
        .prefix("signpost-browser-")
        .tempdir()
        .expect("create a temporary folder");
    let site = temp.path().join("site");
    let fixture = temp.path().join("fixture");
    build(repo(), &site);
    build(&repo().join("tests/browser/fixture"), &fixture);

    // The test files, named one by one: `node --test <dir>` means different things across
    // Node versions.
    let mut files: Vec<PathBuf> = fs::read_dir(repo().join("tests/browser"))
        .expect("read tests/browser")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no tests/browser/*.test.mjs files");

    let mut args: Vec<OsString> = vec!["--test".into()];
    args.extend(files.into_iter().map(PathBuf::into_os_string));
    let result = Command::new("node")
        .args(&args)
        .current_dir(repo())
        .env("SITE_DIR", &site)
        .env("FIXTURE_SITE_DIR", &fixture)
        .env("CHROMIUM", &chromium)
        .env("SIGNPOST_BIN", env!("CARGO_BIN_EXE_signpost"))
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "node --test tests/browser/ failed ({}):\n{stdout}{stderr}",
        result.status
    );
    // The runner's summary, for `cargo test -- --nocapture`.
    let summary = |l: &&str| l.starts_with("ok ") || l.starts_with("# ") && !l.starts_with("# Subtest");
    for line in stdout.lines().filter(summary) {
        println!("{line}");
    }
    // The page weights that tests/browser/theme.test.mjs reports.
    for line in stdout.lines().filter_map(|l| l.trim_start().strip_prefix("# weight: ")) {
        println!("page weight: {line}");
    }
    assert!(
        stdout.contains("# fail 0") && !stdout.contains("# pass 0"),
        "node ran no browser test, or reported failures:\n{stdout}{stderr}"
    );
}
