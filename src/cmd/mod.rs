//! One module per subcommand. Each holds its clap arguments, turns the raw
//! flags into the library's validated options, runs the library and prints
//! the outcome; `main` only parses and dispatches.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod cms;
pub(crate) mod docs;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod serve;

use std::path::Path;
use std::process::ExitCode;

use utlys::config::Config;
use utlys::diagnostics::{language_chosen, language_from_env, set_language};
use utlys::model::Lang;
use utlys::scaffold::ScaffoldError;
use utlys::time::{self, Timestamp};

/// The `--lang` flag every subcommand takes.
#[derive(Debug, clap::Args)]
pub(crate) struct LangArg {
    /// The language of messages. Without it, LC_ALL, LC_MESSAGES or LANG
    /// decide, else the site's `language` in site.toml, else Swedish.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub(crate) lang: Option<LangFlag>,
}

/// The values of `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LangFlag {
    /// Swedish.
    Sv,
    /// English.
    En,
}

/// Chooses the language of messages from `--lang`, else from the
/// environment (`LC_ALL`, `LC_MESSAGES`, `LANG`). When neither names
/// Swedish or English, nothing is chosen yet: the site's default language
/// decides once `site.toml` is read ([`choose_site_language`]).
pub(crate) fn choose_language(flag: Option<LangFlag>) {
    let chosen = match flag {
        Some(LangFlag::Sv) => Some(Lang::Sv),
        Some(LangFlag::En) => Some(Lang::En),
        None => language_from_env(|name| std::env::var(name).ok()),
    };
    if let Some(lang) = chosen {
        set_language(lang);
    }
}

/// When neither `--lang` nor the environment chose a language: the
/// `language` of the site at `root`, or Swedish when its `site.toml`
/// cannot be read (the command then reports that problem in Swedish).
pub(crate) fn choose_site_language(root: &Path) {
    if language_chosen() {
        return;
    }
    set_language(Config::load(root).map_or(Lang::Sv, |config| config.language));
}

/// The build clock: `--now`, else the system time. A bad `--now` is a usage
/// error (exit 2), like any other bad argument.
fn clock(now: Option<&str>) -> Result<Timestamp, ExitCode> {
    Ok(fixed_clock(now)?.unwrap_or_else(Timestamp::now))
}

/// `--now` when given. `serve` keeps `None` apart from the system time
/// because it reads the clock again on every rebuild.
fn fixed_clock(now: Option<&str>) -> Result<Option<Timestamp>, ExitCode> {
    now.map(time::parse_now).transpose().map_err(|e| {
        // The texts come from the time module; only the frame is ours.
        eprintln!("error: --now: {}\n  = hint: {}", e.message, e.hint);
        ExitCode::from(2)
    })
}

/// Reports a failed `new` or `init`, which share their errors.
fn scaffold_failed(e: &ScaffoldError) -> ExitCode {
    let (message, hint) = (e.message(), e.hint());
    eprintln!("error: {message}\n  = hint: {hint}");
    ExitCode::FAILURE
}
