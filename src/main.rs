//! The `utlys` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            now,
            drafts,
        } => {
            let now = match now.as_deref().map(time::parse_now) {
                None => Timestamp::now(),
                Some(Ok(t)) => t,
                Some(Err(e)) => {
                    eprintln!("error: --now: {}\n  = hint: {}", e.message, e.hint);
                    return ExitCode::from(2);
                }
            };
            let options = BuildOptions {
                root,
                output,
                base_url,
                now,
                drafts,
            };
            match build(&options) {
                Ok(report) => {
                    eprint!("{}", report.warnings);
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
    }
}
