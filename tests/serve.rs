//! `signpost serve` driven as an editor would: start it on a copy of a fixture site, change
//! files, and fetch pages over HTTP. The fixture is served under the sub-path /guidance/.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::{Server, get_raw, page, start, start_fixture, subscribe};

#[test]
fn serves_the_site_under_its_sub_path_with_the_reload_script() {
    let server = start("basics", &[]);
    let (status, body) = server.get("/guidance/notes/first/");
    assert_eq!(status, 200);
    assert!(body.contains("The first version of the note."));
    assert!(body.contains("<script src=\"/__signpost/livereload.js\" defer></script></body>"));
    let (status, script) = server.get("/__signpost/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    // Outside the sub-path, and unknown pages, get the theme's 404 page with status 404.
    let (status, body) = server.get("/notes/first/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    assert_eq!(server.get("/guidance/no-such-page/").0, 404);
    assert_eq!(
        server.get("/guidance").0,
        200,
        "the sub-path without its slash is the home page"
    );
}

#[test]
fn binds_to_loopback_unless_told_otherwise() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", "0", "--root"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let serving = lines
        .find_map(|l| l.ok().filter(|l| l.starts_with("Serving at")))
        .expect("address line");
    let _ = child.kill();
    let _ = child.wait();
    assert!(serving.starts_with("Serving at http://127.0.0.1:"), "{serving}");
}

#[test]
fn traversal_attempts_are_refused() {
    let server = start("traversal", &[]);
    for target in [
        "/guidance/../site.toml",
        "/../site.toml",
        "/guidance/%2e%2e/site.toml",
        "/guidance/%2E%2E%2Fsite.toml",
        "/guidance/..%5csite.toml",
        "/guidance/notes%00/first/",
        "//etc/passwd",
        "/guidance/./notes/",
    ] {
        let (status, body) = server.get(target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(!body.contains("base_url"), "{target} leaked site.toml");
    }
    let (status, _) = get_raw(server.port, "GET relative HTTP/1.1\r\n\r\n");
    assert_eq!(status, 400);
}

#[test]
fn edits_creations_renames_and_deletions_are_served() {
    let server = start("edits", &[]);
    server.write("content/notes/first.md", &page("First note", "The second version."));
    server.wait_for("/guidance/notes/first/", 200, "The second version.");

    server.write("content/notes/second.md", &page("Second note", "A new page."));
    server.wait_for("/guidance/notes/second/", 200, "A new page.");
    server.wait_for("/guidance/notes/", 200, "Second note");

    std::fs::rename(
        server.root.join("content/notes/second.md"),
        server.root.join("content/notes/renamed.md"),
    )
    .expect("rename");
    server.wait_for("/guidance/notes/renamed/", 200, "A new page.");
    server.wait_for("/guidance/notes/second/", 404, "Page not found");

    std::fs::remove_file(server.root.join("content/notes/renamed.md")).expect("delete");
    server.wait_for("/guidance/notes/renamed/", 404, "Page not found");
    server.wait_for("/guidance/notes/", 200, "First note");
}

/// Saves the first note as editors that write a new file and rename it over the old one do,
/// through `scratch` (a path under content/notes/), and waits until `body` is served.
fn save_by_rename(server: &Server, scratch: &str, body: &str) {
    let temporary = server.root.join("content/notes").join(scratch);
    std::fs::write(&temporary, page("First note", body)).expect("write");
    std::fs::rename(&temporary, server.root.join("content/notes/first.md")).expect("rename");
    server.wait_for("/guidance/notes/first/", 200, body);
}

#[test]
fn saves_by_atomic_rename_are_seen() {
    // Editors such as vim write a new file and rename it over the old one.
    let server = start("atomic", &[]);
    save_by_rename(&server, ".first.md.swp", "Saved by rename.");
}

/// `sed -i` and some editors write a scratch file beside the page and rename it over the page:
/// the scratch file, gone by the time the change is handled, is no reason for a full build.
#[test]
fn a_scratch_file_renamed_over_a_page_is_rendered_alone() {
    let server = start("scratch", &[]);
    save_by_rename(&server, "sedX1b2c3", "Saved through a scratch file.");
    let deadline = Instant::now() + Duration::from_secs(30);
    let first = loop {
        if let Some(line) = server
            .log
            .lock()
            .expect("log")
            .iter()
            .find(|l| l.starts_with("changed "))
        {
            break line.clone();
        }
        assert!(Instant::now() < deadline, "no rebuild line");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(first.contains("first.md") && !first.contains("full build"), "{first}");
}

#[test]
fn a_broken_page_keeps_the_last_good_site_until_it_is_fixed() {
    let server = start("broken", &[]);
    let mut events = subscribe(server.port);
    server.write("content/notes/first.md", "+++\ntitle = \"unclosed\n+++\nBroken.\n");
    let error = events.next_event("build-error");
    assert!(error.contains("content/notes/first.md:2:"), "{error}");
    let (status, body) = server.get("/guidance/notes/first/");
    assert_eq!(status, 200);
    assert!(
        body.contains("The first version of the note."),
        "the last good page is still served"
    );

    server.write("content/notes/first.md", &page("First note", "Fixed now."));
    events.next_event("ok");
    let reload = events.next_event("reload");
    assert!(reload.contains("/guidance/notes/first/"), "{reload}");
    server.wait_for("/guidance/notes/first/", 200, "Fixed now.");
}

#[test]
fn a_stylesheet_change_is_sent_as_a_css_event() {
    let server = start("css", &[]);
    let mut events = subscribe(server.port);
    server.write("static/extra.css", "body { color: navy; }\n");
    let css = events.next_event("css");
    assert!(css.contains("/guidance/extra.css"), "{css}");
    assert!(server.get("/guidance/extra.css").1.contains("navy"));
}

/// A template edit is served on the pages that use it.
#[test]
fn a_template_edit_is_served() {
    let server = start("template", &[]);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let text = std::fs::read_to_string(theme).expect("read the theme's 404 template");
    server.write(
        "templates/404.html",
        &text.replace("{% block content %}", "{% block content %}<p>Lost v1</p>"),
    );
    server.wait_for("/guidance/nowhere/", 404, "Lost v1");
    server.write(
        "templates/404.html",
        &text.replace("{% block content %}", "{% block content %}<p>Lost v2</p>"),
    );
    server.wait_for("/guidance/nowhere/", 404, "Lost v2");
}

/// The dev server's output equals a fresh full build of the same files.
#[test]
fn incremental_output_equals_a_full_build() {
    let server = start("equality", &[]);
    server.write(
        "content/notes/first.md",
        &page("First note renamed", "Body [link](@/notes/second.md)."),
    );
    server.write("content/notes/second.md", &page("Second", "Second body."));
    server.write("content/_index.md", &page("Home page", "New home."));
    server.wait_for("/guidance/", 200, "New home.");
    server.wait_for("/guidance/notes/first/", 200, "First note renamed");

    let differences = differences_from_a_full_build(&server, "/guidance/");
    assert!(
        differences.is_empty(),
        "served files differ from a full build: {differences:?}"
    );
}

/// A title edit is served at once on the page and on every list that shows it (quick
/// re-renders), and the site then ends equal to a full build (search index included, with
/// the index files it replaced no longer served).
#[test]
fn a_title_edit_reaches_every_list_and_ends_equal_to_a_full_build() {
    let server = start_fixture("crosslinks", "title", &[]);
    let index_files = || -> Vec<String> {
        let (status, manifest) = server.get("/sub/search/manifest.json");
        assert_eq!(status, 200);
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
        let mut files = Vec::new();
        for (kind, extension) in [("s", "bin"), ("n", "bin"), ("m", "json"), ("t", "json"), ("f", "bin")] {
            let ids = manifest["ids"][kind].as_str().expect("ids");
            files.extend(
                ids.as_bytes()
                    .chunks(7)
                    .map(|id| format!("/sub/search/{kind}{}.{extension}", String::from_utf8_lossy(id))),
            );
        }
        files
    };
    let before = index_files();
    let alpha = "content/treatments/alpha.md";
    let text = std::fs::read_to_string(server.root.join(alpha)).expect("read");
    server.write(alpha, &text.replace("title = \"Alpha\"", "title = \"Zeta renamed\""));
    for list in [
        "/sub/treatments/alpha/",
        "/sub/treatments/",
        "/sub/a-z/",
        "/sub/compare/",
    ] {
        server.wait_for(list, 200, "Zeta renamed");
    }
    let (_, json) = server.get("/sub/compare/matrix.json");
    assert!(json.contains("Zeta renamed"), "{json:.300}");
    wait_until_equal_to_a_full_build(&server, "/sub/");
    let after = index_files();
    let gone: Vec<&String> = before.iter().filter(|f| !after.contains(f)).collect();
    assert!(!gone.is_empty(), "the title's index files kept their names");
    for file in gone {
        assert_eq!(server.get(file).0, 404, "{file} is still served");
    }
}

/// Waits until the server serves every file exactly as a fresh full build writes it.
fn wait_until_equal_to_a_full_build(server: &Server, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let differences = differences_from_a_full_build(server, base);
        if differences.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still different from a full build: {differences:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The output files that the server does not serve exactly as a fresh full build writes them.
fn differences_from_a_full_build(server: &Server, base: &str) -> Vec<String> {
    let out = server.root.join("full-build");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["build", "--root"])
        .arg(&server.root)
        .arg("--output")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .expect("build");
    assert!(status.success());
    let script = "<script src=\"/__signpost/livereload.js\" defer></script>";
    let mut differences = Vec::new();
    let files = files_under(&out);
    assert!(files.len() > 10, "only {} files built", files.len());
    for file in files {
        let relative = file
            .strip_prefix(&out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if relative.starts_with('.') {
            continue;
        }
        let built = std::fs::read(&file).expect("read");
        let (status, served) = server.get(&format!("{base}{relative}"));
        let same = match String::from_utf8(built.clone()) {
            Ok(text) => served.replace(script, "") == text,
            // The served body was read as lossy UTF-8 (binary search index files, images).
            Err(_) => served == String::from_utf8_lossy(&built),
        };
        if status != 200 || !same {
            differences.push(relative);
        }
    }
    differences
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read").flatten() {
        if entry.path().is_dir() {
            files.extend(files_under(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}

/// A snippet edited while serving reaches every page that includes it, by hand or by a rule,
/// and a shortcode template edit every page that calls it; the site then equals a full build.
#[test]
fn snippet_and_shortcode_edits_reach_every_page_that_includes_them() {
    let server = start_fixture("snippets", "snippets", &[]);
    server.write(
        "content/_snippets/see-a-doctor.md",
        "Stopping drinking suddenly can cause fits: talk to a doctor first [@beta].\n",
    );
    for page in ["/treatments/methadone/", "/alcohol/withdrawal/", "/treatments/talking/"] {
        server.wait_for(page, 200, "can cause fits");
    }
    server.write(
        "templates/shortcodes/badge.html",
        "<span class=\"badge badge-edited\">{{ label }}</span>\n",
    );
    server.wait_for("/", 200, "badge-edited");
    // The search index files follow the pages once the files are quiet.
    wait_until_equal_to_a_full_build(&server, "/");
}

/// A full build whose pages' search text did not change (an edit to the home page) still
/// serves every file the search manifest names: the index is served whole, not only the
/// files that changed.
#[test]
fn a_full_build_with_unchanged_search_text_serves_every_index_file() {
    let server = start_fixture("crosslinks", "unchanged-search", &[]);
    for round in ["First edit.", "Second edit."] {
        let text = std::fs::read_to_string(server.root.join("content/_index.md")).expect("read");
        server.write("content/_index.md", &format!("{text}\n{round}\n"));
        server.wait_for("/sub/", 200, round);
    }
    let (status, manifest) = server.get("/sub/search/manifest.json");
    assert_eq!(status, 200);
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
    for (kind, extension) in [("s", "bin"), ("n", "bin"), ("m", "json"), ("t", "json"), ("f", "bin")] {
        let ids = manifest["ids"][kind].as_str().expect("ids");
        for id in ids.as_bytes().chunks(7) {
            let file = format!("/sub/search/{kind}{}.{extension}", String::from_utf8_lossy(id));
            assert_eq!(
                server.get(&file).0,
                200,
                "{file} is named by the manifest but not served"
            );
        }
    }
}
