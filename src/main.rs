//! The `utlys` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use utlys::check::check;
use utlys::scaffold::{self, Kind, ScaffoldError};
use utlys::time::{self, Timestamp};
use utlys::{BuildOptions, build};

/// Publish public-sector innovation challenges as a static portal.
#[derive(Debug, Parser)]
#[command(name = "utlys", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site from content/ and themes/ into public/.
    Build {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to publish the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace base_url from site.toml, e.g. https://example.se/utmaningar/.
        #[arg(long)]
        base_url: Option<String>,
        /// Build as if the time were this (RFC 3339, e.g. 2023-08-25T10:00:00+02:00).
        #[arg(long)]
        now: Option<String>,
        /// Include drafts and pages whose publish_date is still ahead.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site on a local web server; pages reload when files change.
    Serve {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; only this computer can connect unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also answer requests for this host name or address (repeatable).
        ///
        /// The server answers only requests for 127.0.0.1, localhost and [::1]
        /// (with or without its port), so that other web pages cannot read the
        /// preview through a host name of their own. With --bind 0.0.0.0, give
        /// the name or address the other computers will use.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = utlys::serve::guard::parse_host_name)]
        allow_host: Vec<String>,
        /// Build as if the time were this (RFC 3339); otherwise the time of each rebuild.
        #[arg(long)]
        now: Option<String>,
        /// Include drafts and pages whose publish_date is still ahead.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site as a build would, and more, without writing anything.
    ///
    /// Exits with 1 when there is an error, 0 when there are only warnings.
    Check {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as if the time were this (RFC 3339, e.g. 2023-08-25T10:00:00+02:00).
        #[arg(long)]
        now: Option<String>,
        /// Include drafts and pages whose publish_date is still ahead.
        #[arg(long)]
        drafts: bool,
        /// How to print the problems: for people, or one JSON document for
        /// editors and CI.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Create a challenge or page with every field explained.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Create a new site in DIR (which must be missing or empty).
    Init {
        /// The folder of the new site.
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum New {
    /// Create content/challenges/<slug>.md, e.g. `utlys new challenge "Minskat matsvinn"`.
    Challenge {
        /// The title; the file name is made from it.
        title: String,
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create content/<slug>.md, e.g. `utlys new page "Om portalen"`.
    Page {
        /// The title; the file name is made from it.
        title: String,
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Messages with the source line, like a compiler.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// A build frees tens of thousands of small template values at once. With
/// glibc's fast bins, each free that joins a large free block first sorts
/// every fast bin back in; without them freeing the cards of 10,000
/// challenges took a quarter less time (docs/performance.md).
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value of the allocator, before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            now,
            drafts,
        } => {
            let now = match parse_now(now.as_deref()) {
                Ok(now) => now,
                Err(code) => return code,
            };
            run_build(BuildOptions {
                root,
                output,
                base_url,
                now,
                drafts,
            })
        }
        Command::Serve {
            root,
            port,
            bind,
            allow_host,
            now,
            drafts,
        } => {
            let now = match now.as_deref().map(time::parse_now).transpose() {
                Ok(now) => now,
                Err(e) => {
                    eprintln!("error: --now: {}\n  = hint: {}", e.message, e.hint);
                    return ExitCode::from(2);
                }
            };
            let options = utlys::serve::ServeOptions {
                root,
                bind,
                port,
                now,
                drafts,
                allow_hosts: allow_host,
            };
            match utlys::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            root,
            now,
            drafts,
            format,
        } => {
            let now = match parse_now(now.as_deref()) {
                Ok(now) => now,
                Err(code) => return code,
            };
            run_check(
                BuildOptions {
                    root,
                    output: None,
                    base_url: None,
                    now,
                    drafts,
                },
                format,
            )
        }
        Command::New { what } => {
            let (kind, title, root) = match what {
                New::Challenge { title, root } => (Kind::Challenge, title, root),
                New::Page { title, root } => (Kind::Page, title, root),
            };
            match scaffold::create(&root, kind, &title, Timestamp::now()) {
                Ok(path) => {
                    // Only the path on stdout, so `$EDITOR "$(utlys new …)"` works.
                    println!("{}", path.display());
                    eprintln!(
                        "The file is a draft (`draft: true`): preview it with `utlys serve --drafts`, and remove that line to publish it."
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => scaffold_failed(&e),
            }
        }
        Command::Init { dir } => match scaffold::init(&dir, Timestamp::now()) {
            Ok(files) => {
                println!("Created a new site in {}:", dir.display());
                for file in &files {
                    println!("  {}", file.display());
                }
                println!(
                    "Next: set base_url in site.toml, preview with `utlys serve --root {0}`, and publish with `utlys build --root {0}` (into {0}/public).",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => scaffold_failed(&e),
        },
    }
}

/// The build clock: `--now`, else the system time. A bad `--now` is a usage
/// error (exit 2), like any other bad argument.
fn parse_now(now: Option<&str>) -> Result<Timestamp, ExitCode> {
    match now.map(time::parse_now) {
        None => Ok(Timestamp::now()),
        Some(Ok(t)) => Ok(t),
        Some(Err(e)) => {
            eprintln!("error: --now: {}\n  = hint: {}", e.message, e.hint);
            Err(ExitCode::from(2))
        }
    }
}

fn run_build(options: BuildOptions) -> ExitCode {
    match build(&options) {
        Ok(report) => {
            print_warnings(&report.warnings);
            let c = &report.counts;
            let w = &report.written;
            println!(
                "Built {} pages ({} challenges, {} open) into {} in {} ms: {} files written, {} unchanged, {} removed{}",
                c.pages,
                c.challenges,
                c.open,
                options.output_dir().display(),
                report.elapsed.as_millis(),
                w.written,
                w.unchanged,
                w.removed,
                match report.warnings.warning_count() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            eprintln!(
                "Build failed: {} error(s), {} warning(s). Nothing was published; the site in {} is unchanged.",
                diagnostics.error_count(),
                diagnostics.warning_count(),
                options.output_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}

fn run_check(options: BuildOptions, format: Format) -> ExitCode {
    let report = check(&options);
    let d = &report.diagnostics;
    match format {
        Format::Json => println!("{}", d.to_json()),
        Format::Human => {
            eprint!("{d}");
            match &report.counts {
                Some(c) if d.is_empty() => println!(
                    "No problems found in {} pages ({} challenges, {} open). Nothing was written.",
                    c.pages, c.challenges, c.open
                ),
                Some(c) => println!(
                    "Checked {} pages ({} challenges, {} open): {} warning(s), no errors. Nothing was written.",
                    c.pages,
                    c.challenges,
                    c.open,
                    d.warning_count()
                ),
                None => eprintln!(
                    "Check failed: {} error(s), {} warning(s). Nothing was written.",
                    d.error_count(),
                    d.warning_count()
                ),
            }
        }
    }
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn scaffold_failed(e: &ScaffoldError) -> ExitCode {
    eprintln!("error: {e}\n  = hint: {}", e.hint());
    ExitCode::FAILURE
}

/// How many warnings `build` prints before it only counts the rest.
const WARNINGS_SHOWN: usize = 20;

/// Prints a build's warnings, at most [`WARNINGS_SHOWN`] of them: a large
/// site can have thousands, and `utlys check` lists them all.
fn print_warnings(warnings: &utlys::diagnostics::Diagnostics) {
    for d in warnings.0.iter().take(WARNINGS_SHOWN) {
        eprintln!("{d}\n");
    }
    if warnings.0.len() > WARNINGS_SHOWN {
        eprintln!(
            "… and {} more warnings; `utlys check` lists them all.\n",
            warnings.0.len() - WARNINGS_SHOWN
        );
    }
}
