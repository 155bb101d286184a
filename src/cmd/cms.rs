//! `utlys cms`: write (or rewrite) the browser editor's files.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::{cms, msg};

/// The flags of `utlys cms`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
    /// The site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Writes `static/admin/`: 0 when written, 1 when not.
pub(crate) fn execute(args: Args) -> ExitCode {
    super::choose_site_language(&args.root);
    written(cms::write(&args.root))
}

/// Prints what `cms::write` did.
pub(crate) fn written(result: Result<Vec<PathBuf>, cms::CmsError>) -> ExitCode {
    match result {
        Ok(files) => {
            for file in &files {
                println!("  {}", file.display());
            }
            println!(
                "{}",
                msg!(
                    "Redigeringsverktyget publiceras på admin/. Välj Git-tjänst under [cms] i site.toml och kör `utlys cms` igen; se docs/redigera-i-webblasaren.md.",
                    "The editor is published at admin/. Choose the Git service under [cms] in site.toml and run `utlys cms` again; see docs/editing-in-the-browser.md."
                )
            );
            ExitCode::SUCCESS
        }
        Err(cms::CmsError::Site(ds)) => {
            for d in &ds {
                eprintln!("{d}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            let (message, hint) = (e.message(), e.hint());
            eprintln!("error: {message}\n  = hint: {hint}");
            ExitCode::FAILURE
        }
    }
}
