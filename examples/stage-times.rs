//! Prints how long each build stage takes on a site, without writing it:
//! `cargo run --release --example stage-times -- DIR`. Used for docs/benchmarks.md.

use std::cell::RefCell;
use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --release --example stage-times -- DIR");
        std::process::exit(2);
    };
    let stages: RefCell<Vec<(String, Instant)>> = RefCell::new(Vec::new());
    let progress = |stage: &str| stages.borrow_mut().push((stage.to_string(), Instant::now()));
    let built = signpost::pipeline::build(root.as_ref(), &signpost::config::Overrides::default(), &progress);
    let end = Instant::now();
    let stages = stages.into_inner();
    for (i, (stage, start)) in stages.iter().enumerate() {
        let next = stages.get(i + 1).map_or(end, |(_, t)| *t);
        println!("{:>8.2} s  {stage}", (next - *start).as_secs_f64());
    }
    if let Err(diagnostics) = built {
        eprintln!("the build failed: {:?}", diagnostics.sorted().first());
        std::process::exit(1);
    }
}
