//! The repository's own site (site.toml and content/ at the top of the repository) builds, links
//! only to pages it has, and shows every guidance page's review date.

mod common;

use std::path::Path;

use common::{Site, assert_no_broken_urls, html_files, signpost_in, visible_text};
use signpost::config::Overrides;

#[test]
fn the_shipped_site_builds_with_working_links_and_review_dates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Only the output goes to a temporary folder: the repository's public/ is never touched.
    let temp = Site::empty();
    let out = temp.temp().join("public");
    let run = signpost_in(
        temp.temp(),
        &[
            "build",
            "--root",
            root.to_str().expect("UTF-8 path"),
            "--output",
            out.to_str().expect("UTF-8 path"),
        ],
    )
    .success();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);

    let built = signpost::pipeline::build(root, &Overrides::default(), &|_| {})
        .unwrap_or_else(|d| panic!("the library build fails where the binary passed: {:?}", d.sorted()));
    let base_url = built.config.base_url.permalink("");
    assert_no_broken_urls(&out, &base_url);

    let pages = html_files(&out);
    let mut guidance_pages = 0;
    for page in &built.content.pages {
        if !built.content.sections[page.section].meta.guidance {
            continue;
        }
        guidance_pages += 1;
        let name = format!("{}index.html", page.path);
        let html = pages
            .get(&name)
            .unwrap_or_else(|| panic!("{} was not written to {name}", page.file.display.display()));
        assert!(
            visible_text(html).contains("Page last reviewed"),
            "{} ({name}) does not show \"Page last reviewed\"",
            page.file.display.display()
        );
    }
    assert!(guidance_pages > 0, "the shipped site has no guidance pages");
}
