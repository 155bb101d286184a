//! `utlys build`: publish the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::config::example_base_url;
use utlys::diagnostics::{Diagnostics, Severity, stderr_color};
use utlys::{BuildOptions, BuildReport, build, msg, prepare};

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
    /// Publish even though base_url in site.toml is still the example
    /// address https://example.se/ that `utlys init` wrote (for a trial).
    #[arg(long)]
    allow_example_url: bool,
}

impl Args {
    /// The validated options; a bad `--now` has been reported.
    fn options(self) -> Result<(BuildOptions, bool), ExitCode> {
        // `--base-url` says where the site goes, so the example address
        // in site.toml is not used.
        let allow_example = self.allow_example_url || self.base_url.is_some();
        let options = BuildOptions {
            now: super::clock(self.now.as_deref())?,
            fixed_clock: self.now.is_some(),
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
        };
        Ok((options, allow_example))
    }
}

/// Refuses to publish a site whose `base_url` is still the example
/// address, unless that is meant: every published link would lead there.
/// The site is still loaded and checked (nothing is written), so the
/// writer sees its other errors in the same run.
fn refuse_example_url(options: &BuildOptions) -> Result<(), ExitCode> {
    let Some(d) = example_base_url(&options.root, Severity::Error) else {
        return Ok(());
    };
    let mut problems = prepare(options).err().unwrap_or_default();
    problems.push(d);
    problems.sort();
    eprint!("{}", problems.render(stderr_color()));
    eprintln!(
        "Build failed: {} error(s), {} warning(s). Nothing was published; the site in {} is unchanged.",
        problems.error_count(),
        problems.warning_count(),
        options.output_dir().display()
    );
    Err(ExitCode::FAILURE)
}

/// Builds the site and reports the outcome: 0 when published, 1 when the
/// content has errors, 2 for a bad flag.
pub(crate) fn execute(args: Args) -> ExitCode {
    super::choose_site_language(&args.root);
    let (options, allow_example) = match args.options() {
        Ok(options) => options,
        Err(code) => return code,
    };
    if !allow_example && let Err(code) = refuse_example_url(&options) {
        return code;
    }
    match build(&options) {
        Ok(report) => {
            print_warnings(&report.warnings);
            print_summary(&options, &report);
            for note in &report.notes {
                println!("{note}");
            }
            // The process ends now: the system takes its memory back.
            report.spent.leave();
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
