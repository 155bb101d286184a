//! The `utlys` command line: parses the arguments and hands them to the
//! subcommand's module in [`cmd`].

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

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
    Build(cmd::build::Args),
    /// Preview the site on a local web server; pages reload when files change.
    Serve(cmd::serve::Args),
    /// Check the site as a build would, and more, without writing anything.
    ///
    /// Exits with 1 when there is an error, 0 when there are only warnings.
    Check(cmd::check::Args),
    /// Create a challenge or page with every field explained.
    New(cmd::new::Args),
    /// Create a new site in DIR (which must be missing or empty).
    Init(cmd::init::Args),
    /// Write the browser editor (Decap CMS) into static/admin/, from the
    /// site's fields and the [cms] settings in site.toml.
    Cms(cmd::cms::Args),
    /// Print the shell completions (bash, zsh, fish, elvish, powershell).
    Completions(cmd::docs::CompletionsArgs),
    /// Print the man page (roff), as the Debian package installs it.
    Manpage(cmd::docs::ManpageArgs),
}

/// Tunes glibc's allocator for a build, which makes and frees hundreds of
/// thousands of values and output buffers.
///
/// - No fast bins: a build frees tens of thousands of small template values
///   at once, and each free that joins a large free block first sorts every
///   fast bin back in; without them freeing the cards of 10,000 challenges
///   took a quarter less time.
/// - Freed memory is kept for the next allocation instead of being handed
///   back to the system and faulted in again page by page, and buffers up
///   to 32 MiB come from the heap instead of a fresh mapping each: a fifth
///   less CPU time for a 10,000-page build, at the same peak memory
///   (docs/performance.md).
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tuning values of the allocator, before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let command = Cli::parse().command;
    cmd::choose_language(match &command {
        Command::Build(args) => args.lang.lang,
        Command::Serve(args) => args.lang.lang,
        Command::Check(args) => args.lang.lang,
        Command::New(args) => args.lang.lang,
        Command::Init(args) => args.lang.lang,
        Command::Cms(args) => args.lang.lang,
        Command::Completions(args) => args.lang.lang,
        Command::Manpage(args) => args.lang.lang,
    });
    match command {
        Command::Build(args) => cmd::build::execute(args),
        Command::Serve(args) => cmd::serve::execute(args),
        Command::Check(args) => cmd::check::execute(args),
        Command::New(args) => cmd::new::execute(args),
        Command::Init(args) => cmd::init::execute(args),
        Command::Cms(args) => cmd::cms::execute(args),
        Command::Completions(args) => cmd::docs::completions(args, Cli::command()),
        Command::Manpage(args) => cmd::docs::manpage(args, Cli::command()),
    }
}
