//! The floor a build cannot go under: read every markdown file of a site, turn it into HTML
//! with pulldown-cmark alone (no front matter checks, links, templates or index), and write
//! one file per page, on both cores. `cargo run --release --example parse-write-floor -- SITE OUT`.
//! docs/benchmarks.md compares a full build with this.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(site), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: parse-write-floor SITE OUT");
        std::process::exit(2);
    };
    let started = Instant::now();
    let files: Vec<_> = walkdir::WalkDir::new(Path::new(&site).join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    let bytes: usize = files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            // Skip the front matter, as the real build does before parsing.
            let body = text.splitn(3, "+++").nth(2).unwrap_or(&text);
            let mut html = String::with_capacity(body.len() * 2);
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
            );
            let dir = Path::new(&out).join(format!("{i}"));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("index.html"), &html);
            html.len()
        })
        .sum();
    println!(
        "{} files, {:.1} MB of HTML, {:.2} s",
        files.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}
