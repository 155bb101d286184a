//! One module per subcommand. Each holds its clap arguments, turns the raw
//! flags into the library's validated options, runs the library and prints
//! the outcome; `main` only parses and dispatches.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod serve;

use std::process::ExitCode;

use utlys::scaffold::ScaffoldError;
use utlys::time::{self, Timestamp};

/// The build clock: `--now`, else the system time. A bad `--now` is a usage
/// error (exit 2), like any other bad argument.
fn clock(now: Option<&str>) -> Result<Timestamp, ExitCode> {
    Ok(fixed_clock(now)?.unwrap_or_else(Timestamp::now))
}

/// `--now` when given. `serve` keeps `None` apart from the system time
/// because it reads the clock again on every rebuild.
fn fixed_clock(now: Option<&str>) -> Result<Option<Timestamp>, ExitCode> {
    now.map(time::parse_now).transpose().map_err(|e| {
        eprintln!("error: --now: {}\n  = hint: {}", e.message, e.hint);
        ExitCode::from(2)
    })
}

/// Reports a failed `new` or `init`, which share their errors.
fn scaffold_failed(e: &ScaffoldError) -> ExitCode {
    eprintln!("error: {e}\n  = hint: {}", e.hint());
    ExitCode::FAILURE
}
