//! The command line: parses arguments, runs the pipeline, prints diagnostics and a summary,
//! and chooses the exit code (0 ok, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::config::{CONFIG_FILE, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::Cache;
use crate::render::Discard;
use crate::{external, output, pipeline, plural, review, scaffold, serve};

#[derive(Debug, Parser)]
#[command(
    name = "signpost",
    version,
    about = "Builds static websites of multi-source treatment guidance."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Run everything a build runs, without writing; exit 1 on any error.
    Check(CheckArgs),
    /// Build the site into memory, serve it, and rebuild and reload on every change.
    Serve(ServeArgs),
    /// Create a new site in DIR, ready to build.
    Init {
        /// The folder to create (it must be missing or empty).
        dir: PathBuf,
    },
    /// Create a new page with every front-matter field written out.
    New {
        /// The page to create, relative to content/ (e.g. treatments/methadone.md).
        path: PathBuf,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// The site folder (holding site.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site (default: output_dir in site.toml, or public/).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override base_url, e.g. "/guidance/" or "https://example.org/".
    #[arg(long)]
    base_url: Option<String>,
    /// If another build is writing the same output folder, wait for it instead of failing.
    #[arg(long)]
    wait: bool,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// How problems are printed: for people, as JSON lines for tools, or as GitHub Actions
/// annotations that show on a pull request's diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Only this machine can connect unless you choose another
    /// (such as 0.0.0.0, to preview on a phone on the same network).
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in a browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Fail on warnings too (including pages overdue for review).
    #[arg(long)]
    strict: bool,
    /// Check with this base_url, as `build --base-url` builds, e.g. "https://example.org/".
    #[arg(long)]
    base_url: Option<String>,
    /// Also list the guidance pages due for review in the next N days.
    #[arg(long, value_name = "DAYS")]
    due: Option<u32>,
    /// Also fetch every external http(s) URL the pages and site.toml link to, and warn about
    /// dead links and permanent redirects. Answers are kept in .signpost-link-cache.json.
    #[arg(long)]
    external: bool,
    /// With --external: ask again the URLs whose cached answer is DAYS days old or more
    /// (default: [links] external_max_age, 7; 0 asks every URL).
    #[arg(long, value_name = "DAYS", requires = "external")]
    external_max_age: Option<u32>,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// Checks a command line (without the program name) the way `signpost` would parse it, for
/// tests of the deploy recipes in docs/deploy/.
pub fn accepts<S: AsRef<str>>(args: &[S]) -> Result<(), String> {
    let line = std::iter::once("signpost").chain(args.iter().map(AsRef::as_ref));
    Cli::try_parse_from(line).map(|_| ()).map_err(|e| e.to_string())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Serve(args) => {
            if let Err(code) = require_site(&args.site.root) {
                return code;
            }
            let options = serve::ServeOptions {
                root: args.site.root,
                bind: args.bind,
                port: args.port,
                drafts: args.site.drafts,
                open: args.open,
            };
            match serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => usage_error(&message),
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                for file in files {
                    outln!("created {}", file.display());
                }
                outln!("Build it with: signpost build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(message) => usage_error(&message),
        },
        Command::New { path, root } => match scaffold::new_page(&root, &path) {
            Ok(file) => {
                outln!(
                    "created {} (a draft: set draft = false when it is ready)",
                    file.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => usage_error(&message),
        },
    }
}

fn usage_error(message: &str) -> ExitCode {
    errln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// A missing site.toml is a usage error (wrong folder), not a content error.
fn require_site(root: &Path) -> Result<(), ExitCode> {
    if root.join(CONFIG_FILE).is_file() {
        return Ok(());
    }
    Err(usage_error(&format!(
        "{} has no {CONFIG_FILE}: pass --root with a site folder, or create a site with `signpost init DIR`",
        root.display()
    )))
}

fn build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    if let Err(code) = require_site(&args.site.root) {
        return code;
    }
    let format = args.format;
    let overrides = Overrides {
        base_url: args.base_url,
        output_dir: args.output,
        drafts: args.site.drafts,
    };
    let progress = progress_printer(format);
    let mut cache = Cache::copies_beside_output();
    let prepared = match pipeline::prepare(&args.site.root, &overrides, &progress, &mut cache) {
        Ok(prepared) => prepared,
        Err(diagnostics) => return report_failure(diagnostics, format),
    };
    // A site with errors is rendered only to report template errors too; nothing is written.
    if prepared.has_errors() {
        return match prepared.render_into(&Discard, &progress) {
            Ok(_) => ExitCode::SUCCESS,
            Err(diagnostics) => report_failure(diagnostics, format),
        };
    }
    let waiting = |lock: &Path| {
        clear_progress(format);
        errln!(
            "waiting for another build writing this output folder to finish ({})",
            lock.display()
        );
    };
    let wait: Option<&dyn Fn(&Path)> = if args.wait { Some(&waiting) } else { None };
    let staging = match output::Staging::begin(prepared.config(), wait) {
        Ok(staging) => staging,
        Err(diagnostic) => {
            clear_progress(format);
            print_diagnostic(&diagnostic, format);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // Pages are written as they are rendered; dropping `staging` on failure removes them.
    let mut built = match prepared.render_into(&staging, &progress) {
        Ok(built) => built,
        Err(diagnostics) => return report_failure(diagnostics, format),
    };
    built.warnings.extend(base_url_warning(&built.config));
    clear_progress(format);
    print_diagnostics(&built.warnings, format);
    let stats = match staging.finish() {
        Ok(stats) => stats,
        Err(diagnostic) => {
            print_diagnostic(&diagnostic, format);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    summary(
        format,
        &format!(
            "Built {} and {} ({} files, {}{}) in {:.2} s into {}{}",
            plural(built.content.pages.len(), "page"),
            plural(built.content.sections.len(), "section"),
            stats.files,
            size(stats.bytes),
            stats.changed.map_or_else(String::new, |n| format!(", {n} changed")),
            started.elapsed().as_secs_f64(),
            built.config.output_dir.display(),
            warning_suffix(&built.warnings),
        ),
    );
    // The process ends here, and the system takes its memory back at once: freeing the
    // site's pages one by one first would only make the command slower.
    std::mem::forget(built);
    ExitCode::SUCCESS
}

fn check(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    if let Err(code) = require_site(&args.site.root) {
        return code;
    }
    let format = args.format;
    let overrides = Overrides {
        base_url: args.base_url,
        drafts: args.site.drafts,
        ..Overrides::default()
    };
    let progress = progress_printer(format);
    let mut built = match pipeline::prepare(&args.site.root, &overrides, &progress, &mut Cache::default())
        .and_then(|prepared| prepared.render_into(&Discard, &progress))
    {
        Ok(built) => built,
        Err(diagnostics) => return report_failure(diagnostics, format),
    };
    built.warnings.extend(base_url_warning(&built.config));
    let external = args.external.then(|| {
        progress("checking external links");
        external::check(&built.config, &built.content, args.external_max_age)
    });
    clear_progress(format);
    if let Some(report) = &external {
        built.warnings.extend(report.diagnostics.clone());
    }
    print_diagnostics(&built.warnings, format);
    if let Some(report) = &external {
        print_external_summary(report, format);
    }
    if let Err(d) = output::check_output_dir(&built.config) {
        print_diagnostic(&d, format);
        return ExitCode::from(EXIT_USAGE);
    }
    if let Some(days) = args.due {
        print_due(&built.content, i64::from(days), format);
    }
    print_rules(&built.config, &built.content, format);
    summary(
        format,
        &format!(
            "Checked {} and {} in {:.2} s: no errors{}",
            plural(built.content.pages.len(), "page"),
            plural(built.content.sections.len(), "section"),
            started.elapsed().as_secs_f64(),
            warning_suffix(&built.warnings),
        ),
    );
    if args.strict && built.warnings.warning_count() > 0 {
        errln!("error: --strict: {}", plural(built.warnings.warning_count(), "warning"));
        return ExitCode::from(EXIT_CONTENT);
    }
    ExitCode::SUCCESS
}

/// How many external URLs were asked and how many answered from the cache.
fn print_external_summary(report: &external::Report, format: Format) {
    if let Some(message) = &report.cache_error {
        errln!("note: {message}; the next run asks every external URL again");
    }
    let asked = report.urls - report.cached;
    summary(
        format,
        &format!(
            "External links: {} ({} asked, {} from {})",
            plural(report.urls, "URL"),
            asked,
            report.cached,
            external::CACHE_FILE
        ),
    );
}

/// SP092, for a site `build` and `check` find publishable: a failed build publishes no
/// sitemap, and `serve` previews on this machine, so neither is told.
fn base_url_warning(config: &crate::config::Config) -> Option<Diagnostic> {
    crate::render::feeds::base_url_warning(config)
}

/// How many pages each `[[rules]]` entry applies to, so an editor sees that it reaches them.
fn print_rules(config: &crate::config::Config, content: &crate::content::Content, format: Format) {
    if config.rules.is_empty() {
        return;
    }
    if format == Format::Human {
        outln!("Rules:");
    }
    for (rule, pages) in config
        .rules
        .iter()
        .zip(crate::markdown::pages_per_rule(config, content))
    {
        let what = match rule.require {
            true => "required on",
            false => "placed on",
        };
        match format {
            Format::Human => outln!(
                "  snippet `{}` {what} {} ({})",
                rule.snippet,
                plural(pages, "page"),
                rule.describe()
            ),
            Format::Json => outln!(
                "{}",
                serde_json::json!({"type": "rule", "snippet": rule.snippet, "require": rule.require, "pages": pages, "where": rule.describe()})
            ),
            Format::Github => {}
        }
    }
}

/// The pages due for review within `days`, soonest first.
fn print_due(content: &crate::content::Content, days: i64, format: Format) {
    let today = review::today();
    let due = review::due_within(content, today, days);
    if format == Format::Human {
        match due.len() {
            0 => outln!("No page is due for review in the next {}.", plural(days, "day")),
            n => outln!(
                "{n} {} due for review in the next {}:",
                if n == 1 { "page is" } else { "pages are" },
                plural(days, "day")
            ),
        }
    }
    for (page, date) in due {
        let left = date.days() - today.days();
        let when = if left < 0 {
            format!("overdue by {}", plural(-left, "day"))
        } else {
            format!("in {}", plural(left, "day"))
        };
        let file = page.file.display.to_string_lossy().replace('\\', "/");
        match format {
            Format::Human => outln!("  {file}: next review {} ({when}): {}", date.iso(), page.meta.title),
            Format::Json => outln!(
                "{}",
                serde_json::json!({"type": "review_due", "file": file, "title": page.meta.title, "next_review": date.iso(), "days_left": left})
            ),
            Format::Github => outln!(
                "::notice file={file},title=Review due::{} is due for review {when} ({})",
                page.meta.title,
                date.iso()
            ),
        }
    }
}

/// A size as hosts state their limits (GitHub Pages: 1 GB): decimal units, three figures.
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.0} KB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.2} GB", b / 1e9),
    }
}

/// The closing line: on stdout for people and GitHub logs, on stderr beside JSON lines so
/// that stdout stays machine-readable.
fn summary(format: Format, line: &str) {
    match format {
        Format::Json => errln!("{line}"),
        Format::Human | Format::Github => outln!("{line}"),
    }
}

fn warning_suffix(warnings: &Diagnostics) -> String {
    match warnings.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn report_failure(diagnostics: Diagnostics, format: Format) -> ExitCode {
    clear_progress(format);
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    print_diagnostics(&diagnostics, format);
    errln!(
        "error: the build failed with {}{}; nothing was written",
        plural(errors, "error"),
        if warnings > 0 {
            format!(" and {}", plural(warnings, "warning"))
        } else {
            String::new()
        }
    );
    ExitCode::from(EXIT_CONTENT)
}

fn print_diagnostics(diagnostics: &Diagnostics, format: Format) {
    let sorted: Vec<Diagnostic> = diagnostics.clone().sorted();
    for d in sorted {
        print_diagnostic(&d, format);
    }
}

/// People read problems on stderr; tools read JSON lines or workflow commands on stdout.
fn print_diagnostic(d: &Diagnostic, format: Format) {
    match format {
        Format::Human => errln!("{d}\n"),
        Format::Json => outln!("{}", d.to_json()),
        Format::Github => outln!("{}", d.to_github()),
    }
}

/// Stage names on one updating line, only when a person is watching the terminal.
fn progress_printer(format: Format) -> impl Fn(&str) {
    let tty = format == Format::Human && std::io::stderr().is_terminal();
    move |stage: &str| {
        if tty {
            err!("\r\x1b[2K{stage}…");
        }
    }
}

fn clear_progress(format: Format) {
    if format == Format::Human && std::io::stderr().is_terminal() {
        err!("\r\x1b[2K");
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_as_hosts_state_their_limits() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(999), "999 bytes");
        assert_eq!(size(1_000), "1 KB");
        assert_eq!(size(48_200), "48 KB");
        assert_eq!(size(2_345_678), "2.3 MB");
        assert_eq!(size(307_961_912), "308.0 MB");
        assert_eq!(size(1_500_000_000), "1.50 GB");
    }
}
