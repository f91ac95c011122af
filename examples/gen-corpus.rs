//! Writes a generated guidance site of N pages for benchmarks:
//! `cargo run --release --example gen-corpus -- N DIR [SECTIONS]`.
//!
//! Deterministic (the same N gives the same files). The site uses the shipped site.toml, so
//! the facet vocabularies, sources, glossary and quick-exit page are the real ones; pages have
//! full front matter, SECTIONS sections (10 unless given, as in issue 9's corpus; the search
//! figures in docs/benchmarks.md used N/100), and bodies shaped like that corpus's (see
//! `page_body`): prose with citations and the long tail of rare words (places, services,
//! names) that real sites have, lists, tables, links to other pages and code. It prints the
//! bodies' shape so that a corpus can be checked.

use std::path::Path;

mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (args.get(1).and_then(|n| n.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: cargo run --release --example gen-corpus -- N DIR [SECTIONS]");
        std::process::exit(2);
    };
    let section_count = args.get(3).and_then(|s| s.parse::<usize>().ok()).unwrap_or(10).max(1);
    match corpus::generate(n, Path::new(dir), section_count) {
        Ok(mut shape) => {
            println!("wrote {n} pages in {section_count} sections to {dir}");
            shape.report();
        }
        Err(why) => {
            eprintln!("could not write the corpus to {dir}: {why}");
            std::process::exit(1);
        }
    }
}
