//! `utlys completions SHELL` and `utlys manpage`: the shell completions and
//! the man page, generated from the command-line definition itself so they
//! cannot fall behind it. The Debian package ships both.

use std::io::Write;
use std::process::ExitCode;

/// The flags of `utlys completions`.
#[derive(Debug, clap::Args)]
pub(crate) struct CompletionsArgs {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// The flags of `utlys manpage`.
#[derive(Debug, clap::Args)]
pub(crate) struct ManpageArgs {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
}

/// Prints the completion script for `args.shell` of the command `cmd`.
pub(crate) fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> ExitCode {
    let name = cmd.get_name().to_string();
    clap_complete::generate(args.shell, &mut cmd, name, &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// Prints the man page (roff) of the command `cmd`.
pub(crate) fn manpage(_: ManpageArgs, cmd: clap::Command) -> ExitCode {
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    match std::io::stdout().write_all(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
