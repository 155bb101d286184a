//! `utlys check`: everything a build checks, and more, with nothing written.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use utlys::BuildOptions;
use utlys::check::{CheckReport, check};

/// The flags of `utlys check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The site folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The output folder a build would publish to (default: <root>/public):
    /// its kept history is compared with the site; nothing is written there.
    #[arg(long)]
    output: Option<PathBuf>,
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
}

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Messages with the source line, like a compiler.
    Human,
    /// One JSON document on stdout.
    Json,
}

impl Args {
    /// The validated options; a bad `--now` has been reported. A check
    /// writes nothing, so it has no base URL to replace; the output folder
    /// is only read, for the history of the published site.
    fn options(self) -> Result<BuildOptions, ExitCode> {
        Ok(BuildOptions {
            root: self.root,
            output: self.output,
            base_url: None,
            now: super::clock(self.now.as_deref())?,
            fixed_clock: self.now.is_some(),
            drafts: self.drafts,
        })
    }
}

/// Checks the site and prints the problems: exit 1 when there is an error,
/// 0 when there are only warnings, 2 for a bad flag.
pub(crate) fn execute(args: Args) -> ExitCode {
    let format = args.format;
    let options = match args.options() {
        Ok(options) => options,
        Err(code) => return code,
    };
    let report = check(&options);
    match format {
        Format::Json => println!("{}", report.diagnostics.to_json()),
        Format::Human => print_human(&report),
    }
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The problems on stderr, then one line that sums them up.
fn print_human(report: &CheckReport) {
    let d = &report.diagnostics;
    eprint!("{}", d.render(utlys::diagnostics::stderr_color()));
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
    for note in &report.notes {
        println!("{note}");
    }
}
