//! `utlys check`: everything a build checks, and more, with nothing written.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use utlys::check::{CheckReport, check};
use utlys::diagnostics::Severity;
use utlys::{BuildOptions, msg};

/// The flags of `utlys check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
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
    /// Do not warn that base_url in site.toml is still the example address
    /// https://example.se/ that `utlys init` wrote.
    #[arg(long)]
    allow_example_url: bool,
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
    super::choose_site_language(&args.root);
    let allow_example = args.allow_example_url;
    let options = match args.options() {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut report = check(&options);
    if !allow_example
        && let Some(d) = utlys::config::example_base_url(&options.root, Severity::Warning)
    {
        report.diagnostics.push(d);
        report.diagnostics.sort();
    }
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
    let (errors, warnings) = (d.error_count(), d.warning_count());
    match &report.counts {
        Some(c) => {
            let (pages, challenges, open) = (c.pages, c.challenges, c.open);
            if d.is_empty() {
                println!(
                    "{}",
                    msg!(
                        "Inga problem hittades i {pages} sidor ({challenges} utmaningar, {open} öppna). Ingenting skrevs.",
                        "No problems found in {pages} pages ({challenges} challenges, {open} open). Nothing was written."
                    )
                );
            } else {
                println!(
                    "{}",
                    msg!(
                        "Kontrollerade {pages} sidor ({challenges} utmaningar, {open} öppna): {warnings} varning(ar), inga fel. Ingenting skrevs.",
                        "Checked {pages} pages ({challenges} challenges, {open} open): {warnings} warning(s), no errors. Nothing was written."
                    )
                );
            }
        }
        None => eprintln!(
            "{}",
            msg!(
                "Kontrollen misslyckades: {errors} fel, {warnings} varning(ar). Ingenting skrevs.",
                "Check failed: {errors} error(s), {warnings} warning(s). Nothing was written."
            )
        ),
    }
    for note in &report.notes {
        println!("{note}");
    }
}
