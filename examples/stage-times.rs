//! Prints how long each build stage takes on a site, and the memory in use when it ends,
//! without writing the site: `cargo run --release --example stage-times -- DIR [--again]`.
//! With `--again`, the site is built once with `serve`'s cache and the figures are for a
//! second build with that cache (what `serve` does after an edit). With `--heap`, the heap
//! in use and its peak are counted too (which slows allocation a little: time the stages
//! without it). Used for docs/benchmarks.md.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

use signpost::pipeline::{self, Cache};
use signpost::render::Discard;

/// The system allocator, counting the bytes live and their peak: RSS also holds memory the
/// allocator has freed but kept, so the heap figures say what the build itself holds.
struct Counting;

// Signed: the few frees of memory allocated before counting started take a little off.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);

impl Counting {
    fn add(bytes: usize) {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        let bytes = bytes as isize;
        let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }

    fn sub(bytes: usize) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(bytes as isize, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed straight to jemalloc, as the `signpost` binary allocates; only
// the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::add(layout.size());
        unsafe { tikv_jemallocator::Jemalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Counting::sub(layout.size());
        unsafe { tikv_jemallocator::Jemalloc.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Counting::add(layout.size());
        unsafe { tikv_jemallocator::Jemalloc.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Counting::sub(layout.size());
        Counting::add(new_size);
        unsafe { tikv_jemallocator::Jemalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes live now and at their peak so far, in MB; the peak starts again from now.
fn heap() -> (isize, isize) {
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    (live >> 20, peak >> 20)
}

/// Resident memory now and at its peak, in MB, from /proc (Linux).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time used by the process so far, in seconds (user + system, from /proc/self/stat).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --release --example stage-times -- DIR [--again] [--heap]");
        std::process::exit(2);
    };
    let again = std::env::args().any(|a| a == "--again");
    // Counting starts before anything is allocated, so that frees match allocations.
    COUNTING.store(std::env::args().any(|a| a == "--heap"), Ordering::Relaxed);
    let mut cache = if again { Cache::new() } else { Cache::default() };
    let overrides = signpost::config::Overrides::default();
    // As `serve` does before a full build: pages whose text is unchanged keep their search
    // analysis.
    if again && let Ok(mut served) = pipeline::build_served(root.as_ref(), &overrides, &mut cache) {
        cache.reuse_search(served.kept.take_search_analysis());
    }
    // Each stage's name, start and the memory in use as it started.
    type Stage = (String, Instant, (u64, u64), f64, (isize, isize));
    let stages: RefCell<Vec<Stage>> = RefCell::new(Vec::new());
    let progress = |stage: &str| {
        stages
            .borrow_mut()
            .push((stage.to_string(), Instant::now(), memory(), cpu(), heap()));
    };
    let built = pipeline::prepare(root.as_ref(), &overrides, &progress, &mut cache)
        .and_then(|prepared| prepared.render_into(&Discard, &progress));
    let end = (Instant::now(), memory(), cpu(), heap());
    let stages = stages.into_inner();
    println!(
        "{:>8}  {:>8}  {:>9}  {:>9}  {:>10}  {:>10}  stage",
        "time", "CPU", "RSS after", "RSS peak", "heap after", "heap peak"
    );
    for (i, (stage, start, _, cpu_start, _)) in stages.iter().enumerate() {
        let (next, (rss, peak), cpu_end, (live, heap_peak)) =
            stages.get(i + 1).map_or(end, |(_, t, m, c, h)| (*t, *m, *c, *h));
        let wall = (next - *start).as_secs_f64();
        println!(
            "{wall:>6.2} s  {:>6.0} %  {rss:>6} MB  {peak:>6} MB  {live:>7} MB  {heap_peak:>7} MB  {stage}",
            100.0 * (cpu_end - cpu_start) / wall.max(1e-9)
        );
    }
    if let Err(diagnostics) = built {
        eprintln!("the build failed: {:?}", diagnostics.sorted().first());
        std::process::exit(1);
    }
}
