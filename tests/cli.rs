//! The command line: init, new, check, --help, and the exit codes (0 ok, 1 content errors,
//! 2 usage errors).

mod common;

use std::fs;

use common::{Site, assert_same_tree, signpost_in, tree};

#[test]
fn init_makes_a_site_that_builds_without_errors_or_warnings() {
    let site = Site::empty();
    let run = site.signpost(&["init", "site"]).success();
    assert!(run.stdout.contains("created"), "{}", run.stdout);
    assert!(site.path("site.toml").is_file());

    // Until base_url is where the site is published, the one warning says so (SP092).
    let run = site.build(&[]).success();
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].ends_with("[SP092]"), "{}", run.stderr);
    let published = ["--base-url", "https://example.org/"];
    let run = site.build(&published).success();
    assert_eq!(run.stderr, "", "a new site builds without warnings");
    assert!(site.public().join("index.html").is_file());
    assert!(site.public().join("treatments/example-treatment/index.html").is_file());
    let check = site
        .check(&["--strict", "--base-url", "https://example.org/"])
        .success();
    assert_eq!(check.stderr, "");
    // The example page shows a callout and includes the example snippet; the rule that would
    // place it is there to uncomment.
    let example = site.output("treatments/example-treatment/index.html");
    assert!(example.contains("data-snippet=\"where-to-get-help\""), "{example}");
    assert!(example.contains("<div class=\"callout callout-tip\" data-callout=\"tip\" role=\"note\">"));
    assert!(example.contains("Writing for your readers"));
    assert!(
        site.read("site.toml")
            .contains("# [[rules]]\n# snippet = \"where-to-get-help\"")
    );
}

#[test]
fn init_writes_the_emergency_line_commented_out_with_a_note_to_check_it() {
    let site = Site::empty();
    site.signpost(&["init", "site"]).success();
    let toml = site.read("site.toml");
    for line in [
        "# [emergency]",
        "# text = \"\"",
        "# phone = \"\"",
        "# page = \"@/if-someone-has-collapsed.md\"",
    ] {
        assert!(toml.lines().any(|l| l == line), "no {line:?} in site.toml:\n{toml}");
    }
    assert!(toml.contains("from a trusted source"), "{toml}");
    assert!(toml.contains("check them before you publish"), "{toml}");

    // Filled in and uncommented (without the optional page), it builds.
    site.edit(
        "site.toml",
        "# [emergency]\n# text = \"\"\n# phone = \"\"\n",
        "[emergency]\ntext = \"Call the test number.\"\nphone = \"0100\"\n",
    );
    site.build(&[]).success();
    assert!(
        site.output("index.html")
            .contains("<a class=\"emergency-call\" href=\"tel:0100\">Call 0100</a>")
    );
}

#[test]
fn init_accepts_an_empty_folder() {
    let site = Site::empty();
    fs::create_dir(&site.root).expect("create the folder");
    site.signpost(&["init", "site"]).success();
    site.build(&[]).success();
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::empty();
    fs::create_dir(&site.root).expect("create the folder");
    fs::write(site.path("notes.txt"), "mine").expect("write a file");
    let before = tree(&site.root);
    let run = site.signpost(&["init", "site"]).code(2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_same_tree(&before, &tree(&site.root));
}

/// Every key of a page's front matter, as listed in docs/reference.md.
const PAGE_FIELDS: [&str; 22] = [
    "title",
    "summary",
    "weight",
    "draft",
    "slug",
    "template",
    "treatment_type",
    "settings",
    "substances",
    "access",
    "pros",
    "cons",
    "suits",
    "not_suited",
    "duration",
    "sources",
    "related",
    "last_reviewed",
    "next_review",
    "about_source",
    "differences",
    "extra",
];

/// A site made by `signpost init`, with a new page at content/treatments/new-thing.md.
fn site_with_new_page() -> Site {
    let site = Site::empty();
    site.signpost(&["init", "site"]).success();
    let run = site
        .signpost(&["new", "treatments/new-thing.md", "--root", "site"])
        .success();
    assert!(run.stdout.contains("created"), "{}", run.stdout);
    site
}

#[test]
fn new_writes_a_page_with_every_front_matter_field() {
    let site = site_with_new_page();
    let page = site.read("content/treatments/new-thing.md");
    let front_matter = page
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split_once("\n+++\n"))
        .map(|(front_matter, _)| front_matter)
        .unwrap_or_else(|| panic!("no +++ front matter in:\n{page}"));
    // A field may be written out or commented out, but every one must be there to fill in.
    let written: Vec<&str> = front_matter
        .lines()
        .map(|line| line.trim_start_matches('#').trim())
        .filter_map(|line| {
            line.split_once(" =").map(|(key, _)| key).or_else(|| {
                line.strip_prefix("[[")
                    .or_else(|| line.strip_prefix('['))
                    .and_then(|l| l.split(&['.', ']'][..]).next())
            })
        })
        .collect();
    for field in PAGE_FIELDS {
        assert!(
            written.contains(&field),
            "`signpost new` does not write `{field}`:\n{front_matter}"
        );
    }
    assert!(
        page.contains("title = \"New thing\""),
        "the title comes from the file name:\n{page}"
    );
    assert!(page.contains("draft = true"), "a new page starts as a draft");
}

#[test]
fn a_new_page_passes_check_once_its_fields_are_filled_in() {
    let site = site_with_new_page();
    // As a draft it is left out, so the site still checks cleanly.
    site.check(&[]).success();

    let file = "content/treatments/new-thing.md";
    site.edit(file, "summary = \"\"", "summary = \"A new kind of help.\"");
    site.edit(file, "treatment_type = \"\"", "treatment_type = \"talking-therapy\"");
    site.edit(file, "sources = []", "sources = [\"example-source\"]");
    let run = site.check(&["--drafts"]).success();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn new_refuses_to_overwrite_a_page() {
    let site = site_with_new_page();
    site.write("content/treatments/new-thing.md", "mine");
    let run = site
        .signpost(&["new", "treatments/new-thing.md", "--root", "site"])
        .code(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(site.read("content/treatments/new-thing.md"), "mine");
}

#[test]
fn check_exits_0_on_a_good_site_and_writes_nothing() {
    let site = Site::fixture("guidance-site");
    let before = tree(site.temp());
    let run = site.check(&[]).success();
    assert!(run.stdout.contains("no errors"), "{}", run.stdout);
    assert_same_tree(&before, &tree(site.temp()));
}

#[test]
fn check_exits_1_on_a_bad_site_and_writes_nothing() {
    let site = Site::layers(&["guidance-site", "errors/several"]);
    let before = tree(site.temp());
    let run = site.check(&[]).code(1);
    assert!(
        run.diagnostic("content/notes.md:2:1")
            .contains("missing required field `title`")
    );
    assert_same_tree(&before, &tree(site.temp()));
}

#[test]
fn check_leaves_an_existing_output_alone() {
    let site = Site::fixture("guidance-site");
    site.build(&[]).success();
    let before = tree(site.temp());
    site.check(&[]).success();
    assert_same_tree(&before, &tree(site.temp()));
}

#[test]
fn help_works_for_every_command() {
    let site = Site::empty();
    for (args, mentions) in [
        (&["--help"][..], &["build", "check", "init", "new"][..]),
        (&["help"][..], &["build", "check", "init", "new"][..]),
        (
            &["build", "--help"][..],
            &["--root", "--drafts", "--output", "--base-url"][..],
        ),
        (&["check", "--help"][..], &["--root", "--drafts", "--strict"][..]),
        (&["init", "--help"][..], &["DIR"][..]),
        (&["new", "--help"][..], &["PATH", "--root"][..]),
        (&["help", "build"][..], &["--output"][..]),
    ] {
        let run = site.signpost(args).success();
        assert!(run.stdout.contains("Usage:"), "signpost {args:?}:\n{}", run.stdout);
        for text in mentions {
            assert!(
                run.stdout.contains(text),
                "signpost {args:?} does not mention {text}:\n{}",
                run.stdout
            );
        }
    }
    let version = site.signpost(&["--version"]).success();
    assert!(version.stdout.starts_with("signpost "), "{}", version.stdout);
}

#[test]
fn a_folder_without_site_toml_is_a_usage_error() {
    let site = Site::empty();
    fs::create_dir_all(site.path("content")).expect("create a folder");
    for command in ["build", "check"] {
        let run = site.signpost(&[command, "--root", "site"]).code(2);
        assert!(run.stderr.contains("has no site.toml"), "{command}: {}", run.stderr);
    }
    // The current folder is the default site folder.
    let run = signpost_in(&site.root, &["build"]).code(2);
    assert!(run.stderr.contains("has no site.toml"), "{}", run.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn unknown_commands_and_options_are_usage_errors() {
    let site = Site::fixture("guidance-site");
    site.signpost(&["publish"]).code(2);
    site.signpost(&["build", "--root", "site", "--no-such-option"]).code(2);
    assert!(!site.public().exists());
}

/// `init` writes a .gitignore that keeps out what builds leave beside the site: the output,
/// the resized-image cache beside it, and `check --external`'s answers.
#[test]
fn init_ignores_what_builds_leave_beside_the_site() {
    let site = Site::empty();
    site.signpost(&["init", "site"]).success();
    let ignore = site.read(".gitignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    // A pattern of the simple shapes written there: `/name/`, `/name` or `/prefix*`.
    let ignored = |name: &str| {
        patterns.iter().any(|p| {
            let p = p.trim_start_matches('/').trim_end_matches('/');
            match p.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => name == p,
            }
        })
    };
    // A build that makes resized copies leaves the image cache beside the output.
    site.write(
        "site.toml",
        format!("{}\n[images]\nwidths = [16]\n", site.read("site.toml")),
    );
    site.write("content/treatments/dot.png", common::png(40, 20));
    site.edit(
        "content/treatments/example-treatment.md",
        "\n+++\n",
        "\n+++\n\n![A grey box](dot.png)\n",
    );
    site.build(&[]).success();
    let mut left: Vec<String> = fs::read_dir(&site.root)
        .expect("read the site folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert!(left.contains(&".public.signpost-images".to_string()), "{left:?}");
    for name in &left {
        let source = ["content", "site.toml", ".gitignore"].contains(&name.as_str());
        assert!(
            source || ignored(name),
            "{name} is left beside the site and not ignored: {ignore}"
        );
    }
    assert!(ignored(".signpost-link-cache.json"));
    assert!(!ignored("content") && !ignored("site.toml") && !ignored("static"));
}
