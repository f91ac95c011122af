//! The output folder under faults: builds run at once, builds killed part way, an output
//! folder that is a mount point or whose parent is read-only, and a disk that fills up. Each
//! ends with a complete output (the previous one, or the new one), never a mix, and nothing
//! left for a person to clean up.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Site, assert_same_tree, tree};

/// A site whose about page says `word`: two versions of one site to build into one folder.
fn version(word: &str) -> Site {
    let site = Site::fixture("guidance-site");
    site.edit(
        "content/about.md",
        "About this site",
        &format!("About this site ({word})"),
    );
    site
}

fn fresh_tree(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let out = site.temp().join("fresh");
    site.build(&["--output", out.to_str().expect("UTF-8 path")]).success();
    tree(&out)
}

fn build_command(site: &Site, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
    command
        .env("SIGNPOST_TODAY", "2026-06-01")
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .arg("--output")
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// What is beside the output folder, other than the sites' own folders.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Hidden entries inside the output folder other than its marker.
fn hidden_inside(out: &Path) -> Vec<String> {
    beside(out)
        .into_iter()
        .filter(|name| name != ".signpost-output")
        .collect()
}

/// Two versions of a site built into one folder, four builds at a time, round after round.
/// With `--wait` every build succeeds; after each round the folder is exactly one version's
/// complete output, never a mix, and no staging or lock files are left.
#[test]
fn builds_at_once_take_turns_and_never_mix_their_output() {
    let (a, b) = (version("first"), version("second"));
    let (tree_a, tree_b) = (fresh_tree(&a), fresh_tree(&b));
    assert_ne!(tree_a, tree_b);
    let shared = tempfile::tempdir().expect("a temporary folder");
    let out = shared.path().join("public");
    for round in 0..5 {
        let children: Vec<_> = (0..4)
            .map(|i| {
                let site = if (round + i) % 2 == 0 { &a } else { &b };
                build_command(site, &out, &["--wait"]).spawn().expect("start a build")
            })
            .collect();
        for child in children {
            let result = child.wait_with_output().expect("a build");
            assert!(
                result.status.success(),
                "round {round}: a waiting build failed:\n{}",
                String::from_utf8_lossy(&result.stderr)
            );
        }
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "round {round}: the output is a mix of two builds"
        );
        assert_eq!(beside(shared.path()), Vec::<String>::new(), "left beside the output");
        assert_eq!(hidden_inside(&out), Vec::<String>::new(), "left inside the output");
    }
}

/// Without `--wait`, a build that finds another writing the folder stops at once with a clear
/// message (exit 2) and touches nothing.
#[test]
fn a_build_that_finds_the_folder_busy_says_so_and_changes_nothing() {
    let (a, b) = (version("first"), version("second"));
    let (tree_a, tree_b) = (fresh_tree(&a), fresh_tree(&b));
    let shared = tempfile::tempdir().expect("a temporary folder");
    let out = shared.path().join("public");
    let mut busy = 0;
    for _ in 0..10 {
        let _ = fs::remove_dir_all(&out);
        a.build(&["--output", out.to_str().expect("UTF-8 path")]).success();
        let children: Vec<_> = [&a, &b, &b]
            .iter()
            .map(|site| build_command(site, &out, &[]).spawn().expect("start a build"))
            .collect();
        let results: Vec<_> = children
            .into_iter()
            .map(|child| child.wait_with_output().expect("a build"))
            .collect();
        for result in &results {
            let stderr = String::from_utf8_lossy(&result.stderr);
            match result.status.code() {
                Some(0) => {}
                Some(2) => {
                    assert!(
                        stderr.contains("another signpost build is writing this folder")
                            && stderr.contains("--wait")
                            && stderr.contains("SP061"),
                        "unclear message: {stderr}"
                    );
                    busy += 1;
                }
                other => panic!("exit {other:?}: {stderr}"),
            }
        }
        let now = tree(&out);
        assert!(now == tree_a || now == tree_b, "the output is a mix of two builds");
        assert_eq!(beside(shared.path()), Vec::<String>::new(), "left beside the output");
        assert_eq!(hidden_inside(&out), Vec::<String>::new(), "left inside the output");
    }
    // Not asserted: whether any two builds overlapped depends on the machine's timing.
    eprintln!("{busy} of 30 builds found the folder busy");
}

/// Builds killed at any moment (the lock is the system's, so it is let go at once) leave their
/// staging folders; the next build runs without help, clears them and gives a clean output.
#[cfg(unix)]
#[test]
fn a_build_killed_part_way_never_blocks_the_next() {
    let site = Site::fixture("guidance-site");
    let expected = fresh_tree(&site);
    let shared = tempfile::tempdir().expect("a temporary folder");
    let out = shared.path().join("public");
    for round in 0..12u64 {
        if round == 6 {
            // Half the rounds kill a rebuild over a previous output, half a first build.
            site.build(&["--output", out.to_str().expect("UTF-8 path")]).success();
        }
        let mut child = build_command(&site, &out, &[]).spawn().expect("start a build");
        std::thread::sleep(std::time::Duration::from_millis(5 + round * 7));
        let _ = child.kill();
        let _ = child.wait();
    }
    site.build(&["--output", out.to_str().expect("UTF-8 path")]).success();
    assert_same_tree(&expected, &tree(&out));
    assert_eq!(beside(shared.path()), Vec::<String>::new(), "left beside the output");
    assert_eq!(hidden_inside(&out), Vec::<String>::new(), "left inside the output");
}

/// Staging folders that older builds left, beside the output and inside it, are cleared; one
/// that Signpost cannot prove is its own is left alone and does not stop the build.
#[test]
fn leftover_staging_folders_are_cleared_or_left_but_never_block() {
    let site = Site::fixture("guidance-site");
    let public = site.public();
    site.build(&[]).success();
    let dead = [
        site.path(".public.signpost-new"),
        site.path(".public.signpost-new-99999"),
        site.path(".public.signpost-old"),
        public.join(".signpost-new-4242"),
    ];
    for folder in &dead {
        fs::create_dir_all(folder).expect("a leftover folder");
        fs::write(folder.join(".signpost-output"), "").expect("its marker");
        fs::write(folder.join("0"), "half a page").expect("a staged file");
    }
    let foreign = site.path(".public.signpost-new-7");
    fs::create_dir_all(&foreign).expect("a folder");
    fs::write(foreign.join("notes.txt"), "someone's notes").expect("a file");

    site.edit("content/about.md", "About this site", "About this site, again");
    site.build(&[]).success();
    for folder in &dead {
        assert!(!folder.exists(), "{} is still there", folder.display());
    }
    assert_eq!(
        fs::read_to_string(foreign.join("notes.txt")).expect("kept"),
        "someone's notes"
    );
    assert!(site.output("about/index.html").contains("About this site, again"));
}

/// Runs `script` as root of a new user and mount namespace, so that it can mount a small
/// file system without privileges; `None` (and the test is skipped) where it cannot.
fn in_mount_namespace(script: &str, dir: &Path) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg("mount -t tmpfs -o size=64k tmpfs \"$0\"")
        .arg(dir)
        .output();
    if !probe.is_ok_and(|p| p.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs here (no unshare, or user namespaces are off)");
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "sh", "-euc", script, "sh"])
            .arg(env!("CARGO_BIN_EXE_signpost"))
            .arg(dir)
            .env("SIGNPOST_TODAY", "2026-06-01")
            .output()
            .expect("run the script"),
    )
}

fn snapshot_dirs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    (dir.join("snap1"), dir.join("snap2"), dir.join("snap3"))
}

/// An output folder that is a mount point (a CI or Docker volume) can be built into, first
/// build and rebuild, and nothing is left behind; likewise one whose parent is read-only.
#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_is_a_mount_point_can_be_built_into() {
    let site = Site::fixture("guidance-site");
    let expected = fresh_tree(&site);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (snap1, snap2, _) = snapshot_dirs(dir.path());
    let root = site.root.to_str().expect("UTF-8 path");
    // $1: the binary; $2: the work folder. `parent` is made read-only after the volume is
    // mounted inside it, as a container's root file system can be.
    let script = format!(
        r#"
        mkdir -p "$2/parent"
        mount -t tmpfs -o size=64m tmpfs "$2/parent"
        mkdir "$2/parent/public"
        mount -t tmpfs -o size=64m tmpfs "$2/parent/public"
        "$1" build --root {root} --output "$2/parent/public"
        cp -a "$2/parent/public" "$2/snap1"
        mount -o remount,ro "$2/parent"
        "$1" build --root {root} --output "$2/parent/public"
        cp -a "$2/parent/public" "$2/snap2"
        "#
    );
    let Some(result) = in_mount_namespace(&script, dir.path()) else {
        return;
    };
    assert!(
        result.status.success(),
        "a build into a mount point failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_same_tree(&expected, &tree(&snap1));
    assert_same_tree(&expected, &tree(&snap2));
    assert_eq!(hidden_inside(&snap2), Vec::<String>::new(), "left inside the output");
}

/// A disk that fills up part way through a rebuild: one error naming the file, exit 2, the
/// previous output untouched and no staging files left; once there is room, the build works.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_once_with_exit_2_and_keeps_the_previous_output() {
    let site = Site::fixture("guidance-site");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (snap1, snap2, snap3) = snapshot_dirs(dir.path());
    let root = site.root.to_str().expect("UTF-8 path");
    let about = site.path("content/about.md");
    let about = about.to_str().expect("UTF-8 path");
    // The disk is filled, less 64 KB, and every page is changed: the rebuild must
    // write them all and runs out of room part way.
    let script = format!(
        r#"
        mkdir "$2/disk"
        mount -t tmpfs -o size=4m tmpfs "$2/disk"
        "$1" build --root {root} --output "$2/disk/public"
        cp -a "$2/disk/public" "$2/snap1"
        dd if=/dev/zero of="$2/disk/filler" bs=4k 2>/dev/null || true
        truncate -s -64K "$2/disk/filler"
        sed -i 's/About this site/About this site, changed/' {about}
        sed -i 's/^title = "\(.*\)"/title = "\1 (changed)"/' {root}/site.toml
        set +e
        "$1" build --root {root} --output "$2/disk/public" 2>"$2/stderr"
        echo $? >"$2/code"
        set -e
        cp -a "$2/disk/public" "$2/snap2" 2>/dev/null || true
        ls -a "$2/disk" >"$2/beside"
        rm "$2/disk/filler"
        "$1" build --root {root} --output "$2/disk/public"
        cp -a "$2/disk/public" "$2/snap3"
        "#
    );
    let Some(result) = in_mount_namespace(&script, dir.path()) else {
        return;
    };
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let stderr = fs::read_to_string(dir.path().join("stderr")).expect("the failed build's stderr");
    let code = fs::read_to_string(dir.path().join("code")).expect("its exit code");
    assert_eq!(code.trim(), "2", "{stderr}");
    assert_eq!(
        stderr.matches("error:").count(),
        1,
        "one error, not one per file:\n{stderr}"
    );
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("previous output is unchanged"), "{stderr}");
    assert_same_tree(&tree(&snap1), &tree(&snap2));
    assert_eq!(
        hidden_inside(&snap2),
        Vec::<String>::new(),
        "staging left in the output"
    );
    let listing = fs::read_to_string(dir.path().join("beside")).expect("listing");
    let mut left: Vec<&str> = listing.lines().collect();
    left.sort();
    assert_eq!(left, [".", "..", "filler", "public"], "left beside the output");
    let after = tree(&snap3);
    assert!(
        String::from_utf8_lossy(&after["about/index.html"]).contains("About this site, changed"),
        "the build after making room did not work"
    );
}
