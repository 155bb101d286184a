//! `utlys build`: publish the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::diagnostics::{Diagnostics, stderr_color};
use utlys::{BuildOptions, BuildReport, build};

/// The flags of `utlys build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
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
}

impl Args {
    /// The validated options; a bad `--now` has been reported.
    fn options(self) -> Result<BuildOptions, ExitCode> {
        Ok(BuildOptions {
            now: super::clock(self.now.as_deref())?,
            fixed_clock: self.now.is_some(),
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
        })
    }
}

/// Builds the site and reports the outcome: 0 when published, 1 when the
/// content has errors, 2 for a bad flag.
pub(crate) fn execute(args: Args) -> ExitCode {
    let options = match args.options() {
        Ok(options) => options,
        Err(code) => return code,
    };
    match build(&options) {
        Ok(report) => {
            print_warnings(&report.warnings);
            print_summary(&options, &report);
            for note in &report.notes {
                println!("{note}");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(stderr_color()));
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

/// The one line on stdout after a published build.
fn print_summary(options: &BuildOptions, report: &BuildReport) {
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
}

/// How many warnings `build` prints before it only counts the rest.
const WARNINGS_SHOWN: usize = 20;

/// Prints a build's warnings, at most [`WARNINGS_SHOWN`] of them: a large
/// site can have thousands, and `utlys check` lists them all.
fn print_warnings(warnings: &Diagnostics) {
    let color = stderr_color();
    for d in warnings.0.iter().take(WARNINGS_SHOWN) {
        eprintln!("{}\n", d.render(color));
    }
    if warnings.0.len() > WARNINGS_SHOWN {
        eprintln!(
            "… and {} more warnings; `utlys check` lists them all.\n",
            warnings.0.len() - WARNINGS_SHOWN
        );
    }
}
