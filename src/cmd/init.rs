//! `utlys init`: create a new site.

use std::path::PathBuf;
use std::process::ExitCode;

use utlys::time::Timestamp;
use utlys::{msg, scaffold};

/// The flags of `utlys init`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
    /// The folder of the new site.
    dir: PathBuf,
    /// Also write a browser editor into static/admin/ (as `utlys cms` does).
    #[arg(long, value_enum, value_name = "CMS")]
    cms: Option<CmsFlag>,
}

/// The values of `--cms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CmsFlag {
    /// Decap CMS.
    Decap,
}

/// Creates the site and lists its files: 0 when created, 1 when not.
pub(crate) fn execute(args: Args) -> ExitCode {
    let dir = args.dir;
    let root = dir.clone();
    // A new site has no settings yet: the environment or Swedish.
    super::choose_site_language(&dir);
    match scaffold::init(&dir, Timestamp::now()) {
        Ok(files) => {
            let dir = dir.display();
            println!(
                "{}",
                msg!(
                    "Skapade en ny webbplats i {dir}:",
                    "Created a new site in {dir}:"
                )
            );
            for file in &files {
                println!("  {}", file.display());
            }
            println!(
                "{}",
                msg!(
                    "Nästa steg: skriv base_url i site.toml (bygget vägrar exempeladressen https://example.se/), fyll i tillgänglighetsredogörelsen, gör exempelutmaningen (ett utkast) till er egen eller ta bort den, förhandsgranska med `utlys serve --root {dir}`, se vad som återstår med `utlys check --root {dir}` och publicera med `utlys build --root {dir}` (till {dir}/public).",
                    "Next: set base_url in site.toml (the build refuses the example address https://example.se/), fill in the accessibility statement, turn the example challenge (a draft) into your own or remove it, preview with `utlys serve --root {dir}`, list what is left with `utlys check --root {dir}`, and publish with `utlys build --root {dir}` (into {dir}/public)."
                )
            );
            if args.cms == Some(CmsFlag::Decap) {
                return super::cms::written(utlys::cms::write(&root));
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::scaffold_failed(&e),
    }
}
