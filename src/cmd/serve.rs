//! `utlys serve`: preview the site on a local web server.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use utlys::serve::ServeOptions;

/// The flags of `utlys serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) lang: super::LangArg,
    /// The site folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; only this computer can connect unless you change it.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Also answer requests for this host name or address (repeatable).
    ///
    /// The server answers only requests for 127.0.0.1, localhost and [::1]
    /// (with or without its port), so that other web pages cannot read the
    /// preview through a host name of their own. With --bind 0.0.0.0, give
    /// the name or address the other computers will use.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = utlys::serve::guard::parse_host_name)]
    allow_host: Vec<String>,
    /// Build as if the time were this (RFC 3339); otherwise the time of each rebuild.
    #[arg(long)]
    now: Option<String>,
    /// Include drafts and pages whose publish_date is still ahead.
    #[arg(long)]
    drafts: bool,
}

impl Args {
    /// The validated options; a bad `--now` has been reported.
    fn options(self) -> Result<ServeOptions, ExitCode> {
        Ok(ServeOptions {
            now: super::fixed_clock(self.now.as_deref())?,
            root: self.root,
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
            allow_hosts: self.allow_host,
        })
    }
}

/// Serves until interrupted: 0 after a clean stop, 1 when the server could
/// not start or failed, 2 for a bad flag.
pub(crate) fn execute(args: Args) -> ExitCode {
    super::choose_site_language(&args.root);
    let options = match args.options() {
        Ok(options) => options,
        Err(code) => return code,
    };
    match utlys::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message());
            ExitCode::FAILURE
        }
    }
}
