//! The output folder: builds are reproducible, a failed build changes nothing, and signpost
//! never replaces a folder it did not make.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Site, assert_same_tree, file_names, tree};

#[test]
fn the_summary_gives_the_files_and_their_size() {
    // A host's limit is on the site's size (GitHub Pages: 1 GB), so the summary states it.
    let site = Site::fixture("guidance-site");
    let run = site.build(&[]).success();
    let files: BTreeMap<String, Vec<u8>> = tree(&site.public())
        .into_iter()
        .filter(|(name, _)| name != ".signpost-output")
        .collect();
    let bytes: usize = files.values().map(Vec::len).sum();
    let (count, size) = run
        .stdout
        .split_once(" files, ")
        .and_then(|(before, after)| Some((before.rsplit('(').next()?, after.split([',', ')']).next()?)))
        .unwrap_or_else(|| panic!("no file count and size in {:?}", run.stdout));
    assert_eq!(count, files.len().to_string(), "{}", run.stdout);
    let (number, unit) = size.split_once(' ').unwrap_or_else(|| panic!("a size: {size:?}"));
    let scale = match unit {
        "bytes" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        other => panic!("unit {other:?} in {:?}", run.stdout),
    };
    let stated: f64 = number.parse().unwrap_or_else(|_| panic!("a number: {number:?}"));
    // Rounded to the figures shown: within half a unit of the last one.
    let step = if unit == "MB" {
        0.1
    } else if unit == "GB" {
        0.01
    } else {
        1.0
    };
    assert!(
        (stated - bytes as f64 / scale).abs() <= step / 2.0 + 1e-9,
        "stated {size}, wrote {bytes} bytes: {}",
        run.stdout
    );
}

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    // Two copies in different temporary folders: no absolute path, time or hash order may leak
    // into the output.
    let first = Site::fixture("guidance-site");
    let second = Site::fixture("guidance-site");
    first.build(&[]).success();
    second.build(&[]).success();
    let first_tree = tree(&first.public());
    assert!(
        first_tree.len() > 10,
        "too few files to be a real test: {:?}",
        first_tree.keys()
    );
    assert_same_tree(&first_tree, &tree(&second.public()));

    // And a rebuild in place gives the same bytes again.
    first.build(&[]).success();
    assert_same_tree(&first_tree, &tree(&first.public()));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    let before = tree(&site.public());
    let around_before = file_names(site.temp());

    site.write(
        "content/treatments/broken.md",
        "+++\ntitle = \"Broken\"\nweight = \"x\"\n+++\n",
    );
    site.edit("content/about.md", "About this site", "About this site, changed");
    let run = site.build(&[]).code(1);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);

    assert_same_tree(&before, &tree(&site.public()));
    // No half-written staging folder is left beside it either.
    let mut expected = around_before;
    expected.insert("site/content/treatments/broken.md".to_string());
    assert_eq!(file_names(site.temp()), expected);
}

/// What a refused `--output` must leave: exit code 2, a message, and every file as it was.
fn assert_output_refused(site: &Site, output: &Path, says: &str) {
    let watched = site.temp();
    let before = tree(watched);
    let run = site.build(&["--output", output.to_str().expect("UTF-8 path")]).code(2);
    assert!(run.stderr.contains(says), "expected {says:?} in:\n{}", run.stderr);
    assert_same_tree(&before, &tree(watched));
}

#[test]
fn output_into_the_site_folder_itself_is_refused() {
    let site = Site::fixture("guidance-site");
    assert_output_refused(&site, &site.root, "the output folder is the site folder itself");
}

#[test]
fn output_into_content_is_refused() {
    let site = Site::fixture("guidance-site");
    assert_output_refused(&site, &site.path("content"), "inside the site's content/ folder");
    assert_output_refused(
        &site,
        &site.path("content/treatments"),
        "inside the site's content/ folder",
    );
}

#[test]
fn output_into_a_folder_that_contains_the_site_is_refused() {
    let site = Site::fixture("guidance-site");
    assert_output_refused(&site, site.temp(), "the output folder contains the site folder");
}

#[test]
fn output_into_a_non_empty_folder_not_made_by_signpost_is_refused() {
    let site = Site::fixture("guidance-site");
    let precious = site.temp().join("precious");
    fs::create_dir_all(precious.join("notes")).expect("create a folder");
    fs::write(precious.join("thesis.txt"), "years of work").expect("write a file");
    fs::write(precious.join("notes/a.txt"), "more work").expect("write a file");
    assert_output_refused(&site, &precious, "signpost did not write");
}

#[test]
fn output_into_a_folder_made_by_signpost_replaces_it_with_no_leftovers() {
    let site = Site::fixture("guidance-site");
    let out = site.temp().join("out");
    let out_arg = out.to_str().expect("UTF-8 path");
    site.build(&["--output", out_arg]).success();
    assert!(out.join("about/index.html").is_file());

    // The page goes away, and a stray file appears in the output.
    fs::remove_file(site.path("content/about.md")).expect("remove a page");
    site.edit("content/_index.md", " or read [about this site](@/about.md)", "");
    fs::write(out.join("stray.txt"), "left by hand").expect("write a file");

    site.build(&["--output", out_arg]).success();
    let names = file_names(&out);
    assert!(
        !names.contains("about/index.html"),
        "a removed page is still in the output"
    );
    assert!(
        !names.contains("stray.txt"),
        "a file from before the build is still in the output"
    );
    assert!(names.contains("treatments/counselling/index.html"));

    // A fresh build elsewhere gives exactly the same tree: nothing old survived.
    let fresh = site.temp().join("fresh");
    site.build(&["--output", fresh.to_str().expect("UTF-8 path")]).success();
    assert_same_tree(&tree(&fresh), &tree(&out));

    // Nothing but the two outputs and the site is left beside them.
    let beside: Vec<String> = fs::read_dir(site.temp())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(beside, ["fresh", "out", "site"]);
}

#[test]
fn output_into_an_empty_folder_is_allowed() {
    let site = Site::fixture("guidance-site");
    let out = site.temp().join("empty");
    fs::create_dir(&out).expect("create a folder");
    site.build(&["--output", out.to_str().expect("UTF-8 path")]).success();
    assert!(out.join("index.html").is_file());
}

#[test]
fn output_dir_in_site_toml_is_checked_the_same_way() {
    for (output_dir, says) in [
        (".", "the output folder is the site folder itself"),
        ("content", "inside the site's content/ folder"),
        ("..", "the output folder contains the site folder"),
    ] {
        let site = Site::fixture("guidance-site");
        site.edit(
            "site.toml",
            "base_url = \"/\"",
            &format!("base_url = \"/\"\noutput_dir = {output_dir:?}"),
        );
        let before = tree(site.temp());
        let run = site.build(&[]).code(2);
        assert!(
            run.stderr.contains(says),
            "output_dir = {output_dir:?}: expected {says:?} in:\n{}",
            run.stderr
        );
        assert_same_tree(&before, &tree(site.temp()));
    }
}

/// A web server reading the output folder while a rebuild swaps it in never finds it missing:
/// on Linux the new folder takes the old one's place in one step.
#[cfg(target_os = "linux")]
#[test]
fn the_output_folder_is_never_missing_during_a_rebuild() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    let home = site.public().join("index.html");
    let done = Arc::new(AtomicBool::new(false));
    let (missing, looks) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (done, missing, looks) = (Arc::clone(&done), Arc::clone(&missing), Arc::clone(&looks));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if !home.is_file() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for n in 0..10 {
        site.edit("content/about.md", "About this site", &format!("About this site {n}"));
        site.build(&[]).success();
        site.edit("content/about.md", &format!("About this site {n}"), "About this site");
    }
    done.store(true, Ordering::Relaxed);
    reader.join().expect("the reader thread");
    assert!(looks.load(Ordering::Relaxed) > 1000, "the reader hardly ran");
    assert_eq!(
        missing.load(Ordering::Relaxed),
        0,
        "index.html was missing during a rebuild"
    );
}

/// A rebuild over a previous output writes only what changed: a page whose bytes are the same
/// is the very same file afterwards (same inode, same modification time), so a deploy that
/// compares times uploads only the edited pages.
#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;

    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    let public = site.public();
    let stamp = |relative: &str| {
        let meta = fs::metadata(public.join(relative)).expect("a built file");
        (meta.ino(), meta.modified().expect("a modification time"))
    };
    let untouched = "sources/frank/index.html";
    let edited = "about/index.html";
    let (untouched_before, edited_before) = (stamp(untouched), stamp(edited));
    let edited_text = site.output(edited);
    assert!(!edited_text.contains("An edited line."));

    // A rebuild with nothing to change says so, and changes nothing.
    let run = site.build(&[]).success();
    assert!(run.stdout.contains(", 0 changed)"), "{}", run.stdout);
    assert_eq!(stamp(edited), edited_before, "a rebuild with no edit replaced a page");

    site.edit(
        "content/about.md",
        "## How we write\n",
        "## How we write\n\nAn edited line.\n",
    );
    let run = site.build(&[]).success();
    assert!(!run.stdout.contains(" 0 changed)"), "{}", run.stdout);
    assert!(
        site.output(edited).contains("An edited line."),
        "the edit is not in the output"
    );
    assert_ne!(stamp(edited), edited_before, "the edited page was not replaced");
    assert_eq!(
        stamp(untouched),
        untouched_before,
        "an unchanged page was written again"
    );

    // And the whole tree is what a fresh build makes, with nothing left beside it.
    let fresh = site.temp().join("fresh");
    site.build(&["--output", fresh.to_str().expect("UTF-8 path")]).success();
    assert_same_tree(&tree(&fresh), &tree(&public));
    let beside: Vec<String> = fs::read_dir(site.path(""))
        .expect("list the site")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("signpost-"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

/// Whatever was put in the previous output by hand is cleared from the way: a folder where a
/// page goes, a file where a folder goes, and links, which are removed and never followed.
#[cfg(unix)]
#[test]
fn a_rebuild_clears_what_stands_where_its_files_go() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    let public = site.public();
    let outside = site.temp().join("outside");
    fs::create_dir_all(outside.join("inner")).expect("a folder outside the output");
    fs::write(outside.join("inner/keep.txt"), "not the site's").expect("a file outside");
    fs::write(outside.join("index.html"), "not the site's").expect("a file outside");

    // A folder where the home page goes.
    fs::remove_file(public.join("index.html")).expect("remove the home page");
    fs::create_dir_all(public.join("index.html/deep")).expect("a folder in its place");
    // A file where a section's folder goes.
    fs::remove_dir_all(public.join("treatments")).expect("remove a section");
    fs::write(public.join("treatments"), "a file in the way").expect("a file in its place");
    // A link to a folder outside where a page's folder goes (holding the very bytes of the
    // page, which must not count as the page being there), and a link to a file outside where
    // a page goes.
    fs::copy(
        public.join("sources/frank/index.html"),
        outside.join("inner/index.html"),
    )
    .expect("copy the page");
    fs::remove_dir_all(public.join("sources/frank")).expect("remove a page's folder");
    std::os::unix::fs::symlink(outside.join("inner"), public.join("sources/frank")).expect("link a folder");
    fs::remove_file(public.join("about/index.html")).expect("remove a page");
    std::os::unix::fs::symlink(outside.join("index.html"), public.join("about/index.html")).expect("link a file");
    // A link that the site does not make at all.
    std::os::unix::fs::symlink(&outside, public.join("stray-link")).expect("link a stray");

    site.build(&[]).success();
    for relative in ["sources/frank", "about/index.html", "stray-link"] {
        let meta = fs::symlink_metadata(public.join(relative));
        assert!(
            meta.as_ref().map_or(true, |m| !m.file_type().is_symlink()),
            "{relative} is still a link"
        );
    }
    assert_eq!(
        fs::read_to_string(outside.join("inner/keep.txt")).expect("read"),
        "not the site's"
    );
    assert_eq!(
        fs::read_to_string(outside.join("index.html")).expect("read"),
        "not the site's"
    );
    let fresh = site.temp().join("fresh");
    site.build(&["--output", fresh.to_str().expect("UTF-8 path")]).success();
    assert_same_tree(&tree(&fresh), &tree(&public));
}
