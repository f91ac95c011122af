//! The floor a build cannot go under: read every markdown file of a site, turn it into HTML
//! with pulldown-cmark alone (no front matter checks, links, templates or index), and write
//! one file per page, on both cores. `cargo run --release --example parse-write-floor -- SITE
//! OUT [BUILT]`. With BUILT, a site already built from SITE, what is written is instead every
//! file of BUILT, byte for byte, at its own path: the parsing of the plain floor and the
//! writing of the real site (its templates, listings and index), with nothing made in
//! between. BUILT is read into memory before the clock starts. docs/benchmarks.md compares a
//! full build with both.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && keep(e.path()))
        .map(|e| e.into_path())
        .collect()
}

fn html_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    // Skip the front matter, as the real build does before parsing.
    let body = text.splitn(3, "+++").nth(2).unwrap_or(&text);
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
    );
    html
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(path, bytes);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(site), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: parse-write-floor SITE OUT [BUILT]");
        std::process::exit(2);
    };
    let out = Path::new(&out);
    let built: Option<Vec<(PathBuf, Vec<u8>)>> = args.next().map(|built| {
        let built = Path::new(&built);
        files_under(built, |_| true)
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(&path).ok()?;
                Some((path.strip_prefix(built).ok()?.to_path_buf(), bytes))
            })
            .collect()
    });
    let started = Instant::now();
    let sources = files_under(&Path::new(&site).join("content"), |p| {
        p.extension().is_some_and(|x| x == "md")
    });
    let _ = std::fs::remove_dir_all(out);
    let (files, bytes) = match &built {
        None => {
            let bytes: usize = sources
                .par_iter()
                .enumerate()
                .map(|(i, path)| {
                    let html = html_of(path);
                    write(&out.join(format!("{i}/index.html")), html.as_bytes());
                    html.len()
                })
                .sum();
            (sources.len(), bytes)
        }
        Some(built) => {
            // Parse as above, then write the real site: the two halves on both cores.
            sources.par_iter().for_each(|path| drop(html_of(path)));
            built.par_iter().for_each(|(path, bytes)| write(&out.join(path), bytes));
            (built.len(), built.iter().map(|(_, b)| b.len()).sum())
        }
    };
    println!(
        "{} markdown files parsed; {files} files, {:.1} MB written, {:.2} s",
        sources.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}
