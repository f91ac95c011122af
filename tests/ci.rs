//! What a CI pipeline relies on: machine-readable diagnostics (`--format json` and
//! `--format github`), stable codes, and review dates (overdue warnings, `check --due`).
//! Dates are fixed with SIGNPOST_TODAY so the tests do not depend on the day they run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn signpost(args: &[&str], today: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .env("SIGNPOST_TODAY", today)
        .output()
        .expect("run signpost")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn crosslinks() -> String {
    fixture("crosslinks").to_string_lossy().into_owned()
}

#[test]
fn json_format_prints_one_object_per_diagnostic_on_stdout() {
    let root = crosslinks();
    let full_url = ["--base-url", "https://example.org/sub/"];
    let output = signpost(
        &[&["check", "--root", &root, "--format", "json"][..], &full_url].concat(),
        "2026-06-01",
    );
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let d = &lines[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["code"], "SP050");
    assert_eq!(d["file"], "site.toml");
    assert_eq!(d["line"], 13);
    assert_eq!(d["column"], 6);
    assert!(d["message"].as_str().is_some_and(|m| m.contains("unused-type")));
    assert!(d["hint"].is_string());
}

#[test]
fn json_format_reports_errors_with_codes_and_positions() {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(site.path().join("site.toml"), "title = \"x\"\n").expect("write");
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    std::fs::write(
        site.path().join("content/a.md"),
        "+++\ntitle = \"A\"\n+++\nSee [b](@/b.md) and [@nobody].\n",
    )
    .expect("write");
    let root = site.path().to_string_lossy().into_owned();
    let output = signpost(&["build", "--root", &root, "--format", "json"], "2026-06-01");
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let codes: Vec<&str> = lines.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["SP030", "SP019"], "{lines:?}");
    assert_eq!(lines[0]["file"], "content/a.md");
    assert_eq!(
        (lines[0]["line"].as_u64(), lines[0]["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn github_format_writes_workflow_annotations() {
    let root = crosslinks();
    let output = signpost(&["check", "--root", &root, "--format", "github"], "2026-06-01");
    let out = stdout(&output);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::warning file=site.toml,line=13,col=6,title=SP050::the `treatment_type` value")),
        "{out}"
    );
}

#[test]
fn overdue_reviews_are_warnings_and_fail_strict() {
    let root = crosslinks();
    let output = signpost(&["check", "--root", &root], "2027-02-01");
    assert!(output.status.success(), "overdue is a warning, not an error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/treatments/alpha.md:11:1: warning: review overdue: next_review was 2027-01-01 (31 days ago) [SP051]"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("review overdue").count(), 5);
    let strict = signpost(&["check", "--strict", "--root", &root], "2027-02-01");
    assert_eq!(strict.status.code(), Some(1));
    // The day before the review date nothing is overdue (only the unused-value warning).
    let before = signpost(&["check", "--root", &root], "2026-12-31");
    assert!(!String::from_utf8_lossy(&before.stderr).contains("review overdue"));
}

#[test]
fn due_lists_pages_falling_due_soonest_first() {
    let root = crosslinks();
    let output = signpost(&["check", "--root", &root, "--due", "30"], "2026-12-15");
    let out = stdout(&output);
    assert!(out.contains("5 pages are due for review in the next 30 days:"), "{out}");
    assert!(
        out.contains("  content/other/epsilon.md: next review 2027-01-01 (in 17 days): Epsilon"),
        "{out}"
    );
    let none = signpost(&["check", "--root", &root, "--due", "10"], "2026-12-15");
    assert!(stdout(&none).contains("No page is due for review in the next 10 days."));
    let json = signpost(
        &["check", "--root", &root, "--due", "30", "--format", "json"],
        "2026-12-15",
    );
    let due: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "review_due")
        .collect();
    assert_eq!(due.len(), 5);
    assert_eq!(due[0]["days_left"], 17);
}

#[test]
fn output_to_a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["check", "--due", "1000", "--root", &crosslinks()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    let status = child.wait().expect("wait");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.code().is_some(), "exited normally");
}

#[test]
fn every_code_is_documented() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md");
    for code in signpost::diagnostics::Code::ALL {
        assert!(
            docs.contains(&format!("## {}", code.id())),
            "{} is not in docs/diagnostics.md",
            code.id()
        );
    }
}

#[test]
fn a_source_no_page_uses_is_a_warning() {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        site.path().join("site.toml"),
        "title = \"x\"\n\n[[sources]]\nid = \"used\"\ntitle = \"U\"\npublisher_type = \"charity\"\n\n[[sources]]\nid = \"unused\"\ntitle = \"N\"\npublisher_type = \"charity\"\n",
    )
    .expect("write");
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    std::fs::write(
        site.path().join("content/a.md"),
        "+++\ntitle = \"A\"\n+++\nA fact [@used].\n",
    )
    .expect("write");
    let root = site.path().to_string_lossy().into_owned();
    let output = signpost(&["check", "--root", &root], "2026-06-01");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success());
    assert!(
        stderr.contains("site.toml:9:1: warning: the source `unused` is not cited or named by any page [SP052]"),
        "{stderr}"
    );
    assert!(!stderr.contains("`used`"), "{stderr}");
}
