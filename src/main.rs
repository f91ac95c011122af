use std::process::ExitCode;

// Faster than glibc's malloc for a build's many small, short-lived values, at about the same
// peak memory (docs/benchmarks.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    signpost::cli::main()
}
