use std::process::ExitCode;

fn main() -> ExitCode {
    signpost::cli::main()
}
