//! Live reload: the events the browser is sent, the script and overlay put
//! into served pages, and the event stream itself.
//!
//! The stream is `text/event-stream` at `<base>__utlys/events`. Its
//! connections are taken before axum sees them ([`accept`]) and answered
//! here by hand, because axum's streaming bodies need a `Stream`
//! implementation (the `futures` traits), which is not among this crate's
//! dependencies; everything else is served by axum. Since one connection
//! would otherwise carry several requests, every axum response closes its
//! connection, so each request's first line is seen here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc};

use super::guard::{self, Head, IdleLimited, Peeked};
use super::http::{self, AppState};
use super::session::{Changes, Snapshot};
use crate::diagnostics::Diagnostics;

/// The path under the base path reserved for the dev server.
pub const RESERVED: &str = "__utlys/";

/// Something the browser should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// `reload`, `error` or `ok`.
    pub name: &'static str,
    /// JSON on one line.
    pub data: String,
}

impl LiveEvent {
    /// A good rebuild changed what the browser may be showing.
    pub fn reload(snapshot: &Snapshot, changes: &Changes) -> LiveEvent {
        LiveEvent {
            name: "reload",
            data: json!({
                "generation": snapshot.version(),
                "changed": changes.changed.len(),
                "removed": changes.removed.len(),
            })
            .to_string(),
        }
    }

    /// A rebuild failed; the last good site is still served.
    pub fn error(diagnostics: &Diagnostics) -> LiveEvent {
        LiveEvent {
            name: "error",
            data: error_json(diagnostics).to_string(),
        }
    }

    /// The build works again after failing.
    pub fn ok(snapshot: &Snapshot) -> LiveEvent {
        LiveEvent {
            name: "ok",
            data: json!({ "generation": snapshot.version() }).to_string(),
        }
    }

    /// The event in the `text/event-stream` format. `data` is JSON on one
    /// line, so it needs no splitting.
    fn to_sse(&self) -> String {
        format!("event: {}\ndata: {}\n\n", self.name, self.data)
    }
}

/// The problems as one text, as the terminal shows them.
pub fn error_text(diagnostics: &Diagnostics) -> String {
    format!(
        "{}Build failed: {} error(s), {} warning(s). The last good version is still served.",
        diagnostics,
        diagnostics.error_count(),
        diagnostics.warning_count()
    )
}

/// `{message, diagnostics: [{severity, file, line, column, end_line,
/// end_column, field, message, hint}]}`: the text for people, the parts for tools.
fn error_json(diagnostics: &Diagnostics) -> serde_json::Value {
    let parts: Vec<serde_json::Value> = diagnostics
        .0
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity.as_str(),
                "file": d.path.to_string_lossy().replace('\\', "/"),
                "line": d.position().map(|p| p.line),
                "column": d.position().map(|p| p.column),
                "end_line": d.end_position().map(|p| p.line),
                "end_column": d.end_position().map(|p| p.column),
                "field": d.field,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    json!({ "message": error_text(diagnostics), "diagnostics": parts })
}

/// The body of `<base>__utlys/status`: which build is served and whether
/// the last one failed.
pub fn status_json(snapshot: &Snapshot) -> String {
    let mut status = json!({
        "generation": snapshot.version(),
        "ok": snapshot.error().is_none(),
        "message": null,
    });
    if let Some(d) = snapshot.error() {
        status["message"] = json!(error_text(d));
        status["diagnostics"] = error_json(d)["diagnostics"].take();
    }
    status.to_string()
}

/// Marks the start of the injected snippet, so tests and tools can find
/// and remove it.
pub const SNIPPET_START: &str = "<!-- utlys serve: live reload -->";
/// Marks the end of the injected snippet.
pub const SNIPPET_END: &str = "<!-- /utlys serve -->";

/// The overlay and script put before `</body>` of every served page. When
/// the build is broken the overlay is already shown, with the problems, so
/// it is there before the script has run.
pub fn snippet(snapshot: &Snapshot) -> String {
    let (hidden, text) = match snapshot.error() {
        Some(d) => ("", error_text(d)),
        None => (" hidden", String::new()),
    };
    // JSON string literals are JavaScript string literals; `<\/` keeps the
    // base path from ever closing the script element.
    let base = json!(snapshot.base_path())
        .to_string()
        .replace("</", "<\\/");
    let generation = json!(snapshot.version());
    let text = crate::escape::xml(&text);
    format!(
        r##"{SNIPPET_START}
<div id="utlys-overlay" role="alert"{hidden} style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;border-top:6px solid #b3261e;box-shadow:0 -2px 12px rgba(0,0,0,.3);font:16px/1.4 system-ui,sans-serif">
<p style="margin:0 0 .5rem;font-weight:bold">Webbplatsen kunde inte byggas om – du ser den senaste fungerande versionen. / The site could not be rebuilt – this is the last good version.</p>
<pre id="utlys-overlay-text" style="margin:0;white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace;color:#1a1a1a">{text}</pre>
<button type="button" id="utlys-overlay-close" style="margin-top:.75rem;font:inherit;padding:.25rem .75rem">Dölj / Hide</button>
</div>
<script>
(function () {{
  var base = {base}, generation = {generation};
  var box = document.getElementById("utlys-overlay");
  var text = document.getElementById("utlys-overlay-text");
  function show(message) {{ text.textContent = message; box.hidden = false; }}
  function hide() {{ box.hidden = true; text.textContent = ""; }}
  document.getElementById("utlys-overlay-close").addEventListener("click", function () {{ box.hidden = true; }});
  // The site may have been rebuilt, or broken, while this page was on its
  // way, or while the connection was down: ask the server where it stands.
  function sync() {{
    fetch(base + "__utlys/status", {{ cache: "no-store" }})
      .then(function (r) {{ return r.json(); }})
      .then(function (s) {{
        if (s.generation !== generation) {{ location.reload(); }}
        else if (s.ok) {{ hide(); }}
        else {{ show(s.message); }}
      }})
      .catch(function () {{}});
  }}
  var events = new EventSource(base + "__utlys/events");
  events.addEventListener("open", sync);
  events.addEventListener("reload", function () {{ location.reload(); }});
  events.addEventListener("ok", hide);
  // A lost connection is an "error" event too, but without data.
  events.addEventListener("error", function (e) {{
    if (!e.data) return;
    try {{ show(JSON.parse(e.data).message); }} catch (_) {{}}
  }});
}})();
</script>
{SNIPPET_END}
"##
    )
}

/// Puts [`snippet`] before the last `</body>` of `html` (or at the end
/// when there is none).
pub fn inject(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let snippet = snippet(snapshot);
    let at = find_last_ignore_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Hands connections to axum through [`axum::serve`], after [`accept`] has
/// looked at them.
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

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Accepts connections on `listener`. Each waits for a whole request head
/// (within the time limits); a head for another host is refused here, for
/// the event stream and every other path alike; the event stream is
/// answered here, everything else goes to axum through the returned
/// [`Handoff`].
pub fn accept(listener: TcpListener, state: Arc<AppState>) -> std::io::Result<Handoff> {
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
            let state = Arc::clone(&state);
            let to_axum = to_axum.clone();
            tokio::spawn(async move {
                let head = match guard::peek_head(&stream, state.timeouts).await {
                    Peeked::Head(head) => head,
                    Peeked::TooLarge => {
                        answer_and_close(stream, &guard::too_large()).await;
                        return;
                    }
                    // Dropping the stream closes the connection.
                    Peeked::Gone => return,
                };
                if let Err(refused) = state.hosts.check(head.host.as_deref(), head.authority()) {
                    answer_and_close(stream, &refused.response()).await;
                    return;
                }
                if is_event_stream_request(&head) {
                    stream_events(stream, &state).await;
                } else {
                    let stream = IdleLimited::new(stream, state.timeouts.idle);
                    // Fails only when the server is stopping.
                    let _ = to_axum.send((stream, peer)).await;
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
    let shut = std::future::poll_fn(|cx| {
        tokio::io::AsyncWrite::poll_shutdown(std::pin::Pin::new(&mut stream), cx)
    });
    if shut.await.is_err() {
        return;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 8192];
    let mut left: usize = 1024 * 1024;
    while left > 0 {
        match tokio::time::timeout_at(deadline, read_some(&stream, &mut buf)).await {
            Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
            _ => return,
        }
    }
}

/// Whether the head asks for the event stream: `GET …/__utlys/events`.
fn is_event_stream_request(head: &Head) -> bool {
    head.method == "GET"
        && http::decode_path(head.path())
            .is_some_and(|p| p.ends_with(&format!("/{RESERVED}events")))
}

/// Serves one event stream until the browser goes away.
async fn stream_events(stream: TcpStream, state: &AppState) {
    // Subscribe before answering, so no event after the answer is missed.
    let mut events = state.events.subscribe();
    if !read_request_head(&stream).await {
        return;
    }
    let head = "HTTP/1.1 200 OK\r\n\
        Content-Type: text/event-stream\r\n\
        Cache-Control: no-cache\r\n\
        X-Content-Type-Options: nosniff\r\n\
        Connection: close\r\n\r\n\
        retry: 1000\n: utlys live reload\n\n";
    if write_all(&stream, head.as_bytes()).await.is_err() {
        return;
    }
    let mut ignored = [0u8; 256];
    // A comment now and then finds connections that died silently.
    let mut ping = tokio::time::interval(Duration::from_secs(15));
    ping.tick().await;
    loop {
        let text = tokio::select! {
            event = events.recv() => match event {
                Ok(event) => event.to_sse(),
                // Missed some: the page's own status check puts it right.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let snapshot = state.session.snapshot();
                    match snapshot.error() {
                        Some(d) => LiveEvent::error(d).to_sse(),
                        None => LiveEvent::reload(&snapshot, &Changes::default()).to_sse(),
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            read = read_some(&stream, &mut ignored) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            },
            _ = ping.tick() => ": ping\n\n".to_string(),
        };
        if write_all(&stream, text.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads the request's line and headers (up to the blank line), so the
/// answer follows a fully read request.
async fn read_request_head(stream: &TcpStream) -> bool {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        if head.len() > 16 * 1024 {
            return false;
        }
        match tokio::time::timeout_at(deadline, read_some(stream, &mut buf)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
            _ => return false,
        }
    }
    true
}

// Tokio's `AsyncReadExt`/`AsyncWriteExt` need its `io-util` feature, which
// is not enabled; readiness plus `try_read`/`try_write` is all they do here.

/// Reads what has arrived (at least one byte, or 0 at the end).
async fn read_some(stream: &TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            other => return other,
        }
    }
}

/// Writes all of `bytes`.
async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end_tag() {
        let snapshot = Snapshot::default();
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, &snapshot)).unwrap();
        let at = out.find(SNIPPET_START).unwrap();
        assert!(out[..at].ends_with("<p>x</p>"));
        assert!(out.ends_with(&format!("{SNIPPET_END}\n</BODY></html>")));
        assert!(out.contains("__utlys/events"));
    }

    #[test]
    fn without_a_body_end_tag_the_snippet_goes_last() {
        let out = String::from_utf8(inject(b"<p>x", &Snapshot::default())).unwrap();
        assert!(out.starts_with("<p>x"));
        assert!(out.trim_end().ends_with(SNIPPET_END));
    }

    #[test]
    fn events_are_single_line_json() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            crate::diagnostics::Diagnostic::error("content/a.md", "bad\n<b>")
                .at_offset("---\ntitle: x\n", 5),
        );
        let sse = LiveEvent::error(&diagnostics).to_sse();
        assert!(sse.starts_with("event: error\ndata: {"));
        assert_eq!(sse.matches('\n').count(), 3, "{sse}");
        let data: serde_json::Value =
            serde_json::from_str(sse.trim_end().strip_prefix("event: error\ndata: ").unwrap())
                .unwrap();
        assert!(
            data["message"]
                .as_str()
                .unwrap()
                .contains("content/a.md:2:2")
        );
        assert_eq!(data["diagnostics"][0]["line"], 2);
    }
}
