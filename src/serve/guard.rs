//! What the dev server refuses before a request reaches the site: requests
//! for another host name, request heads that never finish, connections that
//! sit idle, and redirects that could leave the site.
//!
//! The preview serves drafts and build problems. A web page the writer
//! visits can point a name it controls at 127.0.0.1 (DNS rebinding) and then
//! read the preview as if it were its own site; the only thing that gives it
//! away is the `Host` header, which names the attacker's host. So every
//! request, the live-reload stream included, must name this server
//! ([`check_host`], an axum middleware in front of every route).
//!
//! The time and size limits of a request head sit before axum ([`accept`]):
//! hyper, under axum, has no time limit for a head of its own.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::{Instant, Sleep};

use crate::diagnostics::{Msg, language};
use crate::model::Lang;

/// The longest request head (request line and headers) looked at; a longer
/// one is answered 431.
pub const MAX_HEAD: usize = 64 * 1024;

/// How long a connection may take, and wait, before it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From the first byte of a request to the end of its headers.
    pub head: Duration,
    /// With nothing sent or received: before the first byte, and while a
    /// response is being written.
    pub idle: Duration,
}

impl Timeouts {
    /// 10 s for a request head, 60 s idle. Tests shorten them with
    /// `UTLYS_SERVE_HEAD_TIMEOUT_MS` and `UTLYS_SERVE_IDLE_TIMEOUT_MS`
    /// (milliseconds); these are not documented for users, since waiting
    /// that long in a test suite would make it slow, and nobody else needs
    /// other values.
    pub fn from_env() -> Timeouts {
        let ms = |name: &str, default: u64| {
            let ms = std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&ms| ms > 0)
                .unwrap_or(default);
            Duration::from_millis(ms)
        };
        Timeouts {
            head: ms("UTLYS_SERVE_HEAD_TIMEOUT_MS", 10_000),
            idle: ms("UTLYS_SERVE_IDLE_TIMEOUT_MS", 60_000),
        }
    }
}

/// The host names the server answers to: loopback names and those given
/// with `--allow-host`, bare or with the server's port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts {
    names: Vec<String>,
    port: u16,
}

/// The names every preview answers to.
pub const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl AllowedHosts {
    /// The loopback names plus `extra` (already checked by
    /// [`parse_host_name`]), for a server on `port`.
    pub fn new(extra: &[String], port: u16) -> AllowedHosts {
        let mut names: Vec<String> = LOOPBACK_NAMES.iter().map(|n| n.to_string()).collect();
        for name in extra {
            let name = name.to_ascii_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        AllowedHosts { names, port }
    }

    /// Whether `value` (a `Host` header, or the authority of an
    /// absolute-form request target) names this server.
    pub fn allows(&self, value: &str) -> bool {
        let value = value.trim().to_ascii_lowercase();
        // A trailing dot names the same host in DNS; accept both spellings.
        let (name, port) = split_port(&value);
        let name = name.strip_suffix('.').unwrap_or(name);
        let port_ok = match port {
            None => true,
            Some(p) => p.parse::<u16>().is_ok_and(|p| p == self.port),
        };
        port_ok && self.names.iter().any(|n| n == name)
    }

    /// Checks a request head: its `Host` header and, for an absolute-form
    /// target (`GET http://host/x`), the host in it.
    pub fn check(&self, host: Option<&str>, authority: Option<&str>) -> Result<(), Refused> {
        let Some(host) = host else {
            return Err(Refused::NoHost);
        };
        for value in std::iter::once(host).chain(authority) {
            if !self.allows(value) {
                return Err(Refused::Host(value.to_string()));
            }
        }
        Ok(())
    }
}

/// `name:port` into its parts; `[v6]:port` keeps the brackets on the name.
fn split_port(value: &str) -> (&str, Option<&str>) {
    if value.starts_with('[') {
        return match value.find(']') {
            Some(end) => {
                let rest = &value[end + 1..];
                (&value[..=end], rest.strip_prefix(':'))
            }
            None => (value, None),
        };
    }
    match value.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (value, None),
    }
}

/// Checks a `--allow-host` value: a host name or an IP address, without a
/// port (the server's own port is always allowed with it).
pub fn parse_host_name(value: &str) -> Result<String, String> {
    let value = value.trim();
    let bracketed = value.starts_with('[') && value.ends_with(']') && value.len() > 2;
    let plain = !value.is_empty()
        && value.len() <= 253
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !value.starts_with(['.', '-']);
    if bracketed
        && value[1..value.len() - 1]
            .parse::<std::net::Ipv6Addr>()
            .is_ok()
    {
        return Ok(value.to_ascii_lowercase());
    }
    if let Ok(v6) = value.parse::<std::net::Ipv6Addr>() {
        return Ok(format!("[{v6}]"));
    }
    if plain {
        return Ok(value.to_ascii_lowercase());
    }
    Err(format!(
        "`{value}` is not a host name: give a name such as `min-dator.local` or an address such as `192.168.1.20`, without `http://`, a port or a path"
    ))
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The request has no `Host` header.
    NoHost,
    /// The request names another host.
    Host(String),
}

impl Refused {
    /// The plain-text body of the 421 answer, in Swedish and English.
    pub fn body(&self) -> String {
        // The name is shown only when it could be typed after the flag;
        // anything else is not worth echoing.
        let name = match self {
            Refused::Host(value) => {
                let (name, _) = split_port(value.trim());
                parse_host_name(name).ok()
            }
            Refused::NoHost => None,
        };
        let (sv_what, en_what) = match (self, &name) {
            (Refused::NoHost, _) => (
                "Begäran saknar värdnamn (Host).".to_string(),
                "The request names no host (no Host header).".to_string(),
            ),
            (Refused::Host(_), Some(name)) => (
                format!("Värdnamnet \"{name}\" är inte tillåtet."),
                format!("The host name \"{name}\" is not allowed."),
            ),
            (Refused::Host(_), None) => (
                "Värdnamnet är inte tillåtet.".to_string(),
                "The host name is not allowed.".to_string(),
            ),
        };
        let flag = format!("--allow-host {}", name.as_deref().unwrap_or("NAMN"));
        let flag_en = format!("--allow-host {}", name.as_deref().unwrap_or("NAME"));
        format!(
            "421 Misdirected Request\n\n\
             {sv_what} Förhandsgranskningen svarar bara på 127.0.0.1, localhost och [::1], \
             så att andra webbsidor inte kan läsa utkasten. Vill du nå den under ett annat namn, \
             starta om med `utlys serve {flag}`.\n\n\
             {en_what} The preview answers only 127.0.0.1, localhost and [::1], \
             so that other web pages cannot read the drafts. To reach it under another name, \
             restart with `utlys serve {flag_en}`.\n"
        )
    }

    /// The 421 answer.
    pub fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body()));
        *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// Where the blank line ending a head is (the index after it).
fn head_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What waiting for a request head came to.
#[derive(Debug)]
pub enum Peeked {
    /// A whole head arrived (it is still unread on the connection).
    Head,
    /// The head is longer than [`MAX_HEAD`].
    TooLarge,
    /// The client closed, failed, sat idle or sent too slowly.
    Gone,
}

/// Waits for a whole request head on `stream` without consuming it: the
/// first byte within `timeouts.idle`, the rest within `timeouts.head` of it.
pub async fn peek_head(stream: &TcpStream, timeouts: Timeouts) -> Peeked {
    let mut buf = vec![0u8; MAX_HEAD];
    // Browsers open connections ahead of need; such a connection may stay
    // silent for a while, but not for ever.
    let mut deadline = Instant::now() + timeouts.idle;
    let mut started = false;
    loop {
        let n = match tokio::time::timeout_at(deadline, stream.peek(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => n,
            _ => return Peeked::Gone,
        };
        if !started {
            started = true;
            deadline = Instant::now() + timeouts.head;
        }
        if head_end(&buf[..n]).is_some() {
            return Peeked::Head;
        }
        if n == buf.len() {
            return Peeked::TooLarge;
        }
        if Instant::now() >= deadline {
            return Peeked::Gone;
        }
        // Peeking again at once would return the same bytes; a short pause
        // lets more arrive.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The answer to a head over [`MAX_HEAD`].
pub fn too_large(lang: Lang) -> Vec<u8> {
    let body = Msg::new(
        "Begäran har för stora huvuden.\n",
        "The request headers are too large.\n",
    );
    let body = body.get(lang);
    format!(
        "HTTP/1.1 431 Request Header Fields Too Large\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Hands connections to axum through [`axum::serve`], once [`accept`] has
/// seen a whole request head on each.
pub struct Handoff {
    connections: mpsc::Receiver<(IdleLimited, SocketAddr)>,
    local: SocketAddr,
}

impl axum::serve::Listener for Handoff {
    type Io = IdleLimited;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (IdleLimited, SocketAddr) {
        match self.connections.recv().await {
            Some(connection) => connection,
            // The accept loop only ends with the server; wait for shutdown.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Accepts connections on `listener`. Each must send a whole request head
/// within the time limits, and one no longer than [`MAX_HEAD`] (else it is
/// answered 431), before axum gets it, wrapped in [`IdleLimited`].
///
/// Axum serves each connection through hyper, which has no time limit of
/// its own for a head: so every answer closes its connection
/// ([`common_headers`]) and each request is the first on a new one, where
/// this check sees it.
pub fn accept(listener: TcpListener, timeouts: Timeouts) -> io::Result<Handoff> {
    let local = listener.local_addr()?;
    let (to_axum, connections) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: pause, then go on.
                    eprintln!("warning: accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let to_axum = to_axum.clone();
            tokio::spawn(async move {
                match peek_head(&stream, timeouts).await {
                    Peeked::Head => {
                        let stream = IdleLimited::new(stream, timeouts.idle);
                        // Fails only when the server is stopping.
                        let _ = to_axum.send((stream, peer)).await;
                    }
                    Peeked::TooLarge => answer_and_close(stream, &too_large(language())).await,
                    // Dropping the stream closes the connection.
                    Peeked::Gone => {}
                }
            });
        }
    });
    Ok(Handoff { connections, local })
}

/// Sends `answer` and closes the connection without losing it: closing
/// with the request still unread would make the system reset the
/// connection, and the client could lose the answer with it. So the
/// sending side is shut, and what the client still sends is read and
/// dropped for a short while (at most 1 s and 1 MiB).
async fn answer_and_close(mut stream: TcpStream, answer: &[u8]) {
    if write_all(&stream, answer).await.is_err() {
        return;
    }
    let shut = std::future::poll_fn(|cx| AsyncWrite::poll_shutdown(Pin::new(&mut stream), cx));
    if shut.await.is_err() {
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 8192];
    let mut left: usize = 1024 * 1024;
    while left > 0 {
        match tokio::time::timeout_at(deadline, read_some(&stream, &mut buf)).await {
            Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
            _ => return,
        }
    }
}

// Tokio's `AsyncReadExt`/`AsyncWriteExt` need its `io-util` feature, which
// is not enabled; readiness plus `try_read`/`try_write` is all they do here.

/// Reads what has arrived (at least one byte, or 0 at the end).
async fn read_some(stream: &TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            other => return other,
        }
    }
}

/// Writes all of `bytes`.
async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The axum middleware in front of every route, the event stream
/// included: a request that does not name this server is answered 421
/// before anything of the site is looked at, and every answer gets the
/// headers of [`common_headers`].
pub async fn check_host(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let mut values = request.headers().get_all(header::HOST).iter();
    // Sent twice, the header names no one host.
    let host = match (values.next(), values.next()) {
        (Some(value), None) => Some(String::from_utf8_lossy(value.as_bytes()).into_owned()),
        _ => None,
    };
    let authority = request.uri().authority().map(|a| a.as_str());
    let mut response = match hosts.check(host.as_deref(), authority) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.response(),
    };
    common_headers(&mut response);
    response
}

/// `Cache-Control: no-cache` unless the answer set its own, `nosniff`, and
/// `Connection: close` (one request per connection, see [`accept`]).
fn common_headers(response: &mut Response) {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
}

/// Makes a `Location` value a path on this server: exactly one leading `/`,
/// never followed by another `/` or `\`, so no browser reads it as
/// `//other-host/…` (scheme-relative) or as an absolute URL.
pub fn local_location(location: &str) -> String {
    let rest = location.trim_start_matches(['/', '\\']);
    format!("/{rest}")
}

/// A connection that is closed when nothing is read or written for
/// `limit` while it waits to do so: a client that stops reading its
/// answer, or stops sending its body, cannot hold the connection for ever.
pub struct IdleLimited {
    inner: TcpStream,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
}

impl IdleLimited {
    /// Wraps `inner`; the clock starts now.
    pub fn new(inner: TcpStream, limit: Duration) -> IdleLimited {
        IdleLimited {
            inner,
            limit,
            timer: Box::pin(tokio::time::sleep(limit)),
        }
    }

    /// After progress, the connection may wait `limit` again.
    fn progressed(&mut self) {
        let at = Instant::now() + self.limit;
        self.timer.as_mut().reset(at);
    }

    /// While waiting: the error that ends the connection once the limit
    /// has passed, else still pending.
    fn expired<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the connection was idle for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for IdleLimited {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.progressed();
                Poll::Ready(result)
            }
            Poll::Pending => this.expired(cx),
        }
    }
}

impl AsyncWrite for IdleLimited {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                this.progressed();
                Poll::Ready(result)
            }
            Poll::Pending => this.expired(cx),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.expired(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> AllowedHosts {
        AllowedHosts::new(&["dator.local".to_string()], 1111)
    }

    #[test]
    fn loopback_names_and_allowed_names_with_or_without_the_port() {
        let h = hosts();
        for ok in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "[::1]",
            "[::1]:1111",
            "dator.local",
            "dator.local:1111",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1:2222",
            "localhost:abc",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "[::1]:2222",
            "::1",
            "",
            "127.0.0.2",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_request_needs_one_allowed_host_and_an_allowed_authority() {
        let h = hosts();
        assert_eq!(h.check(Some("localhost:1111"), None), Ok(()));
        assert_eq!(h.check(None, None), Err(Refused::NoHost));
        assert_eq!(
            h.check(Some("localhost"), Some("evil.example")),
            Err(Refused::Host("evil.example".into()))
        );
    }

    #[test]
    fn heads_are_complete_only_at_their_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), Some(27));
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n"), Some(16));
    }

    #[test]
    fn allowed_host_values_are_names_or_addresses() {
        assert_eq!(parse_host_name("Dator.Local").as_deref(), Ok("dator.local"));
        assert_eq!(
            parse_host_name("192.168.1.20").as_deref(),
            Ok("192.168.1.20")
        );
        assert_eq!(parse_host_name("fe80::1").as_deref(), Ok("[fe80::1]"));
        assert_eq!(parse_host_name("[fe80::1]").as_deref(), Ok("[fe80::1]"));
        for bad in ["", "http://x", "x:80", "x/y", "-x", "a b"] {
            assert!(parse_host_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_refusal_names_the_flag_in_both_languages() {
        let body = Refused::Host("evil.example:1111".into()).body();
        assert!(body.contains("Värdnamnet \"evil.example\" är inte tillåtet."));
        assert!(body.contains("`utlys serve --allow-host evil.example`"));
        assert!(body.contains("The host name \"evil.example\" is not allowed."));
        let odd = Refused::Host("<script>".into()).body();
        assert!(!odd.contains("<script>"));
        assert!(odd.contains("--allow-host NAME"));
    }

    #[test]
    fn the_too_large_answer_has_the_length_it_says() {
        for (lang, words) in [
            (Lang::Sv, "Begäran har för stora huvuden.\n"),
            (Lang::En, "The request headers are too large.\n"),
        ] {
            let answer = too_large(lang);
            let text = std::str::from_utf8(&answer).expect("UTF-8");
            let (head, body) = text.split_once("\r\n\r\n").expect("a head");
            assert!(head.contains(&format!("Content-Length: {}", body.len())));
            assert_eq!(body, words);
        }
    }

    #[test]
    fn locations_stay_on_this_server() {
        assert_eq!(local_location("/utmaningar/"), "/utmaningar/");
        assert_eq!(local_location("//evil.example/"), "/evil.example/");
        assert_eq!(local_location("/\\evil.example"), "/evil.example");
        assert_eq!(local_location("\\/\\/evil"), "/evil");
        assert_eq!(local_location("evil"), "/evil");
    }
}
