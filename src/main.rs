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

/// The allocator. A build makes and frees tens of millions of small values
/// (template values, cards, output buffers) on every core; jemalloc does
/// that with a tenth less CPU time than glibc's allocator
/// (docs/performance.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts. Memory freed and not used again
/// within 300 ms goes back to the system, from a thread of jemalloc's own:
/// kept for jemalloc's default 10 s, a 10,000-page build peaked a fifth
/// higher; handed back after 100 ms, the build was slower, asking the
/// system for the same memory again.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_SETTINGS: &[u8; 42] = b"background_thread:true,dirty_decay_ms:300\0";

fn main() -> ExitCode {
    utlys::timing::begin();
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
