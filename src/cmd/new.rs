//! `utlys new`: create a challenge or page with every field explained.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use utlys::msg;
use utlys::scaffold::{self, Kind};
use utlys::time::Timestamp;

/// The flags of `utlys new`: what to create.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
    #[command(subcommand)]
    what: What,
}

/// The kinds of file `utlys new` creates.
#[derive(Debug, Subcommand)]
enum What {
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

/// Creates the file and prints its path: 0 when created, 1 when not.
pub(crate) fn execute(args: Args) -> ExitCode {
    let (kind, title, root) = match args.what {
        What::Challenge { title, root } => (Kind::Challenge, title, root),
        What::Page { title, root } => (Kind::Page, title, root),
    };
    super::choose_site_language(&root);
    match scaffold::create(&root, kind, &title, Timestamp::now()) {
        Ok(path) => {
            // Only the path on stdout, so `$EDITOR "$(utlys new …)"` works.
            println!("{}", path.display());
            eprintln!(
                "{}",
                msg!(
                    "Filen är ett utkast (`draft: true`): förhandsgranska den med `utlys serve --drafts` och ta bort raden för att publicera den.",
                    "The file is a draft (`draft: true`): preview it with `utlys serve --drafts`, and remove that line to publish it."
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::scaffold_failed(&e),
    }
}
