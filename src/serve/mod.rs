//! `utlys serve`: a live preview of the site while it is written.
//!
//! The site is built into memory by the same pipeline as `utlys build`
//! ([`Session`]) and served over HTTP under the path of its `base_url`. A
//! watcher ([`watch`]) sees saved files in `content/`, `themes/`, `static/`
//! and `site.toml`; the site is then rebuilt and open pages reload by
//! themselves ([`live`]). A failed rebuild keeps the last good site served
//! and shows the problems over the page until they are fixed.

pub mod guard;
pub mod http;
pub mod live;
pub mod session;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::diagnostics::Msg;
use crate::msg;
use crate::time::Timestamp;
use http::AppState;
use live::LiveEvent;
pub use session::{Changes, Session, Snapshot};
use watch::{SiteWatcher, WatchMessage};

/// What `utlys serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder, holding `site.toml` and `content/`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// A fixed build clock; `None` takes the time at every rebuild.
    pub now: Option<Timestamp>,
    /// Include drafts and pages scheduled for later.
    pub drafts: bool,
    /// Host names requests may name besides 127.0.0.1, localhost and
    /// [::1] (checked by [`guard::parse_host_name`]).
    pub allow_hosts: Vec<String>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            now: None,
            drafts: false,
            allow_hosts: Vec::new(),
        }
    }
}

/// Why the server could not start. Shown in the language messages are
/// shown in ([`ServeError::message`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum ServeError {
    /// The address could not be listened on.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The file watcher could not start.
    Watch(#[from] notify::Error),
    /// The async runtime or the server failed.
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// What went wrong, in Swedish and English.
    pub fn message(&self) -> Msg {
        match self {
            ServeError::Bind { addr, source } => msg!(
                "det går inte att lyssna på {addr}: {source}; ett annat program kanske använder porten: välj en annan med --port N, eller --port 0 för vilken ledig port som helst",
                "cannot listen on {addr}: {source}; another program may be using the port: choose another with --port N, or --port 0 for any free one"
            ),
            ServeError::Watch(e) => msg!(
                "det går inte att bevaka webbplatsens filer: {e}",
                "cannot watch the site's files: {e}"
            ),
            ServeError::Io(e) => msg!("servern slutade fungera: {e}", "the server failed: {e}"),
        }
    }
}

/// Builds the site and serves it until Ctrl+C. Prints `Serving <url>` as
/// the first line on stdout once the first build is done (good or not).
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(serve(options));
    // Connections still sending their first request would otherwise keep
    // the runtime waiting.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr()?;
    warn_if_reachable(local, &options);
    let build = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: None,
        now: options.now.unwrap_or_else(Timestamp::now),
        fixed_clock: options.now.is_some(),
        drafts: options.drafts,
    };
    let shown = shown_address(local);
    let mut session = Session::new(build).serve_at(format!("http://{shown}"));
    if options.now.is_none() {
        session = session.with_live_clock();
    }
    let session = Arc::new(session);

    // Watch before the first build, so a file saved during it is not missed.
    let (messages_tx, messages) = std::sync::mpsc::channel();
    let watcher = SiteWatcher::start(&options.root, messages_tx)?;

    let first = Arc::clone(&session);
    let started = Instant::now();
    let result = tokio::task::spawn_blocking(move || first.rebuild())
        .await
        .map_err(std::io::Error::other)?;
    report(&session, result, started, &mut false, None);

    // The address printed must work: a specific address given with --bind
    // is allowed as a name too (an address is no name a page can rebind).
    let mut allowed = options.allow_hosts.clone();
    if !shown.ip().is_loopback() {
        allowed.push(match shown.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        });
    }
    let (events, _) = broadcast::channel(64);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let timeouts = guard::Timeouts::from_env();
    let state = Arc::new(AppState {
        session: Arc::clone(&session),
        events: events.clone(),
        hosts: Arc::new(guard::AllowedHosts::new(&allowed, local.port())),
        timeouts,
        stopping,
    });
    let handoff = guard::accept(listener, timeouts)?;

    print_serving(&format!("http://{shown}{}", session.snapshot().base_path()));

    std::thread::Builder::new()
        .name("utlys-rebuild".into())
        .spawn(move || rebuild_on_change(&session, watcher, &messages, &events))?;

    axum::serve(handoff, http::router(state))
        .with_graceful_shutdown(async move {
            if tokio::signal::ctrl_c().await.is_err() {
                // Without a signal handler, run until killed.
                std::future::pending::<()>().await;
            }
            // Axum waits for every answer to finish; the event streams
            // finish when told to.
            let _ = stop.send(true);
        })
        .await?;
    eprintln!("{}", msg!("Stoppad.", "Stopped."));
    Ok(())
}

/// Warns that a preview listening on `local` can be seen by other
/// computers, unless `local` is a loopback address.
fn warn_if_reachable(local: SocketAddr, options: &ServeOptions) {
    if local.ip().is_loopback() {
        return;
    }
    eprintln!(
        "warning: {}",
        msg!(
            "lyssnar på {local}: andra datorer i nätverket kan se förhandsvisningen, utkast också",
            "listening on {local}: other computers on the network can see this preview, drafts included"
        )
    );
    if options.allow_hosts.is_empty() {
        eprintln!(
            "  = hint: {}",
            msg!(
                "de måste använda ett namn som anges med --allow-host NAMN (till exempel datorns adress); andra namn avvisas",
                "they must use a name given with --allow-host NAME (such as this computer's address); other names are refused"
            )
        );
    }
}

/// The address to open on this computer for a server listening on
/// `local`: on all interfaces (0.0.0.0, ::) the loopback one, for 0.0.0.0
/// is no host name a request may use.
fn shown_address(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), local.port())
        }
        _ => local,
    }
}

/// Prints the `Serving <url>` line that tools read for the address, at
/// once: it must not sit in a buffer.
fn print_serving(url: &str) {
    let serving = msg!(
        "Visar {url} (tryck Ctrl+C för att stoppa)",
        "Serving {url} (press Ctrl+C to stop)"
    );
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{serving}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        eprintln!("{serving}");
    }
}

/// Rebuilds after every settled change and tells the browsers.
fn rebuild_on_change(
    session: &Session,
    mut watcher: SiteWatcher,
    messages: &Receiver<WatchMessage>,
    events: &broadcast::Sender<LiveEvent>,
) {
    let mut broken = session.last_error().is_some();
    while let Ok(first) = messages.recv() {
        let mut changed = Vec::new();
        let mut take = |message| match message {
            WatchMessage::Changed(paths) => changed.extend(paths),
            WatchMessage::Failed(why) => eprintln!("warning: {}", watch_failed(&why)),
        };
        take(first);
        // Saves that arrived while the last rebuild ran are one rebuild.
        loop {
            match messages.recv_timeout(Duration::ZERO) {
                Ok(message) => take(message),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if changed.is_empty() {
            continue;
        }
        if let Err(e) = watcher.refresh(&changed) {
            eprintln!("warning: {}", watch_failed(&e));
        }
        let started = Instant::now();
        let was_broken = broken;
        // The browsers hear as soon as the pages are current; the feeds and
        // data follow, and requests for them wait until they are made.
        let result = session.rebuild_changed(Some(&changed), |result| {
            // No browser listening is not an error, hence the ignored sends.
            match result {
                Ok(changes) => {
                    if was_broken {
                        let _ = events.send(LiveEvent::ok(&session.snapshot()));
                    }
                    if !changes.is_empty() {
                        let _ = events.send(LiveEvent::reload(&session.snapshot(), changes));
                    }
                }
                Err(diagnostics) => {
                    let _ = events.send(LiveEvent::error(diagnostics));
                }
            }
        });
        report(session, result, started, &mut broken, Some(&changed));
    }
}

/// A problem of the file watcher, to print after `warning: `.
fn watch_failed(why: &dyn std::fmt::Display) -> Msg {
    msg!("filbevakningen: {why}", "watching files: {why}")
}

/// Prints what a build did. After a change, only the warnings about the
/// changed files are repeated; the first build shows them all.
fn report(
    session: &Session,
    result: Result<Changes, crate::diagnostics::Diagnostics>,
    started: Instant,
    broken: &mut bool,
    trigger: Option<&[PathBuf]>,
) {
    let ms = started.elapsed().as_millis();
    let root = std::path::absolute(session.root()).unwrap_or_default();
    let shown: Vec<PathBuf> = trigger
        .unwrap_or_default()
        .iter()
        .map(|p| crate::diagnostics::display_path(&root, p))
        .collect();
    let what = match trigger {
        None => msg!("Byggde", "Built"),
        Some(_) => {
            let names: Vec<String> = shown
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let names = names.join(", ");
            match shown.len().saturating_sub(3) {
                0 => msg!("{names} ändrades; byggde om", "{names} changed; rebuilt"),
                more => msg!(
                    "{names} och {more} till ändrades; byggde om",
                    "{names} and {more} more changed; rebuilt"
                ),
            }
        }
    };
    match result {
        Ok(changes) => {
            *broken = false;
            let mut warnings = changes.warnings.clone();
            if trigger.is_some() {
                warnings.0.retain(|d| shown.contains(&d.path));
            }
            if !warnings.is_empty() {
                eprint!("{warnings}");
            }
            let (pages, challenges, open) = (
                changes.counts.pages,
                changes.counts.challenges,
                changes.counts.open,
            );
            let (changed, removed) = (changes.changed.len(), changes.removed.len());
            let (read, rendered) = (changes.work.loaded, changes.work.pages);
            let files = match trigger {
                None => msg!("{changed} filer", "{changed} files"),
                Some(_) => msg!(
                    "{changed} filer ändrade, {removed} borttagna ({read} lästa, {rendered} renderade)",
                    "{changed} files changed, {removed} removed ({read} read, {rendered} rendered)"
                ),
            };
            let (what_sv, what_en, files_sv, files_en) = (&what.sv, &what.en, &files.sv, &files.en);
            eprintln!(
                "{}",
                msg!(
                    "{what_sv} {pages} sidor ({challenges} utmaningar, {open} öppna) på {ms} ms: {files_sv}",
                    "{what_en} {pages} pages ({challenges} challenges, {open} open) in {ms} ms: {files_en}"
                )
            );
        }
        Err(diagnostics) => {
            *broken = true;
            eprint!("{}", diagnostics.render(crate::diagnostics::stderr_color()));
            let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
            let next = if session.snapshot().has_site() {
                msg!(
                    "Den senaste fungerande versionen visas fortfarande.",
                    "Still serving the last good version."
                )
            } else {
                msg!(
                    "Rätta problemen och spara; förhandsvisningen startar av sig själv.",
                    "Fix the problems and save; the preview starts by itself."
                )
            };
            let (next_sv, next_en) = (&next.sv, &next.en);
            eprintln!(
                "{}",
                msg!(
                    "Bygget misslyckades efter {ms} ms: {errors} fel, {warnings} varning(ar). {next_sv}",
                    "Build failed in {ms} ms: {errors} error(s), {warnings} warning(s). {next_en}"
                )
            );
        }
    }
}
