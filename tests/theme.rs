//! Theme output that depends on site.toml: the urgent-help line and the quick exit.

use std::process::Command;

fn build(site_toml: &str) -> (tempfile::TempDir, String) {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(site.path().join("site.toml"), site_toml).expect("write");
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    std::fs::write(
        site.path().join("content/_index.md"),
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    )
    .expect("write");
    let status = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("build")
        .arg("--root")
        .arg(site.path())
        .status()
        .expect("run");
    assert!(status.success());
    let html = std::fs::read_to_string(site.path().join("public/index.html")).expect("home page");
    (site, html)
}

#[test]
fn the_urgent_help_line_shows_only_where_configured() {
    let with = "title = \"x\"\n[helpline]\nname = \"Line\"\nphone = \"0100 000 000\"\nurgent = \"In an emergency, call <the number>\"\n";
    let (_site, html) = build(with);
    assert!(
        html.contains("<p class=\"urgent\"><strong>In an emergency, call &lt;the number&gt;</strong></p>"),
        "{html}"
    );
    let (_site, html) = build("title = \"x\"\n[helpline]\nname = \"Line\"\n");
    assert!(!html.contains("class=\"urgent\""));
}

#[test]
fn the_quick_exit_is_a_plain_link_and_can_be_turned_off() {
    let (_site, html) = build("title = \"x\"\n[quick_exit]\nurl = \"https://example.org/weather\"\n");
    assert!(html.contains(
        "<a class=\"quick-exit-button\" href=\"https://example.org/weather\" rel=\"nofollow noreferrer\" data-quick-exit>Exit this page</a>"
    ));
    assert!(html.contains("quick-exit.js"));
    let (_site, html) = build("title = \"x\"\n[quick_exit]\nenabled = false\n");
    assert!(!html.contains("data-quick-exit"));
    assert!(!html.contains("quick-exit.js"));
}
