//! `utlys build`: publish the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::diagnostics::{Diagnostics, stderr_color};
use utlys::{BuildOptions, BuildReport, build, msg};

/// The flags of `utlys build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
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
    super::choose_site_language(&args.root);
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
            let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
            let output = options.output_dir();
            let output = output.display();
            eprintln!(
                "{}",
                msg!(
                    "Bygget misslyckades: {errors} fel, {warnings} varning(ar). Inget publicerades; webbplatsen i {output} är oförändrad.",
                    "Build failed: {errors} error(s), {warnings} warning(s). Nothing was published; the site in {output} is unchanged."
                )
            );
            ExitCode::FAILURE
        }
    }
}

/// The one line on stdout after a published build.
fn print_summary(options: &BuildOptions, report: &BuildReport) {
    let (pages, challenges, open) = (
        report.counts.pages,
        report.counts.challenges,
        report.counts.open,
    );
    let (written, unchanged, removed) = (
        report.written.written,
        report.written.unchanged,
        report.written.removed,
    );
    let output = options.output_dir();
    let output = output.display();
    let ms = report.elapsed.as_millis();
    let warnings = match report.warnings.warning_count() {
        0 => msg!("", ""),
        n => msg!(", {n} varning(ar)", ", {n} warning(s)"),
    };
    println!(
        "{}",
        msg!(
            "Byggde {pages} sidor ({challenges} utmaningar, {open} öppna) i {output} på {ms} ms: {written} filer skrivna, {unchanged} oförändrade, {removed} borttagna{warnings}",
            "Built {pages} pages ({challenges} challenges, {open} open) into {output} in {ms} ms: {written} files written, {unchanged} unchanged, {removed} removed{warnings}"
        )
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
        let more = warnings.0.len() - WARNINGS_SHOWN;
        eprintln!(
            "{}\n",
            msg!(
                "… och {more} varningar till; `utlys check` visar alla.",
                "… and {more} more warnings; `utlys check` lists them all."
            )
        );
    }
}
