//! `utlys init`: create a new site.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::scaffold;
use utlys::time::Timestamp;

/// The flags of `utlys init`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The folder of the new site.
    dir: PathBuf,
}

/// Creates the site and lists its files: 0 when created, 1 when not.
pub(crate) fn execute(args: Args) -> ExitCode {
    let dir = args.dir;
    match scaffold::init(&dir, Timestamp::now()) {
        Ok(files) => {
            println!("Created a new site in {}:", dir.display());
            for file in &files {
                println!("  {}", file.display());
            }
            println!(
                "Next: set base_url in site.toml (the build refuses the example address https://example.se/), fill in the accessibility statement, turn the example challenge (a draft) into your own or remove it, preview with `utlys serve --root {0}`, list what is left with `utlys check --root {0}`, and publish with `utlys build --root {0}` (into {0}/public).",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::scaffold_failed(&e),
    }
}
