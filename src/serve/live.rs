//! Live reload: the events the browser is sent, the script and overlay put
//! into served pages, and the event stream itself.
//!
//! The stream is `text/event-stream` at `<base>__utlys/events`, served by
//! axum's [`Sse`] like any other answer ([`event_stream`]), behind the same
//! host check.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, stream};
use serde_json::json;
use tokio::sync::{broadcast, watch};

use super::http::AppState;
use super::session::{Changes, Snapshot};
use crate::diagnostics::{Diagnostics, Msg, language};
use crate::model::Lang;
use crate::msg;

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

    /// The event for the stream: `event: NAME` and `data: JSON`. `data`
    /// is JSON on one line, so it stays one `data` line.
    fn to_event(&self) -> Event {
        Event::default().event(self.name).data(&self.data)
    }
}

/// The problems as one text, as the terminal shows them.
pub fn error_text(diagnostics: &Diagnostics) -> String {
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    let summary = msg!(
        "Bygget misslyckades: {errors} fel, {warnings} varning(ar). Den senaste fungerande versionen visas fortfarande.",
        "Build failed: {errors} error(s), {warnings} warning(s). The last good version is still served."
    );
    format!("{diagnostics}{summary}")
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
                "code": d.code,
                "message": d.message.shown(),
                "hint": d.hint.as_ref().map(|h| h.shown()),
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
    snippet_in(snapshot, language())
}

/// [`snippet`] with its own words in `lang`.
fn snippet_in(snapshot: &Snapshot, lang: Lang) -> String {
    let heading = msg!(
        "Webbplatsen kunde inte byggas om – du ser den senaste fungerande versionen.",
        "The site could not be rebuilt – this is the last good version."
    );
    let heading = heading.get(lang);
    let close = Msg::new("Dölj", "Hide");
    let close = close.get(lang);
    let code = match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    };
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
<div id="utlys-overlay" role="alert" lang="{code}"{hidden} style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;border-top:6px solid #b3261e;box-shadow:0 -2px 12px rgba(0,0,0,.3);font:16px/1.4 system-ui,sans-serif">
<p style="margin:0 0 .5rem;font-weight:bold">{heading}</p>
<pre id="utlys-overlay-text" style="margin:0;white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace;color:#1a1a1a">{text}</pre>
<button type="button" id="utlys-overlay-close" style="margin-top:.75rem;font:inherit;padding:.25rem .75rem">{close}</button>
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

/// The answer to `GET <base>__utlys/events`: `retry` and a greeting, then
/// every [`LiveEvent`] as it is sent, with a comment now and then so that
/// connections that died silently are found and a quiet stream is never
/// taken for an idle connection. The stream ends when the server stops.
pub fn event_stream(state: &AppState) -> Response {
    // Subscribed before the answer leaves, so no later event is missed.
    let events = state.events.subscribe();
    let session = Arc::clone(&state.session);
    let catch_up = move || {
        let snapshot = session.snapshot();
        match snapshot.error() {
            Some(d) => LiveEvent::error(d),
            None => LiveEvent::reload(&snapshot, &Changes::default()),
        }
    };
    let ping = (state.timeouts.idle / 2).min(PING);
    Sse::new(feed(events, state.stopping.clone(), catch_up))
        .keep_alive(KeepAlive::new().interval(ping).text("ping"))
        .into_response()
}

/// The longest pause between two comments on a quiet event stream.
const PING: Duration = Duration::from_secs(15);

/// Where an event stream stands between two events.
struct Feed<F> {
    greeted: bool,
    events: broadcast::Receiver<LiveEvent>,
    stopping: watch::Receiver<bool>,
    catch_up: F,
}

/// The events of one stream: the greeting, then what `events` carries
/// until `stopping` turns true (or its sender is gone). A stream that fell
/// behind gets `catch_up()` instead of what it missed: the page's own
/// status check puts it right.
fn feed<F>(
    events: broadcast::Receiver<LiveEvent>,
    stopping: watch::Receiver<bool>,
    catch_up: F,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static
where
    F: Fn() -> LiveEvent + Send + 'static,
{
    let start = Feed {
        greeted: false,
        events,
        stopping,
        catch_up,
    };
    stream::unfold(start, |mut feed| async move {
        if !feed.greeted {
            feed.greeted = true;
            let hello = Event::default()
                .retry(Duration::from_millis(1000))
                .comment("utlys live reload");
            return Some((Ok(hello), feed));
        }
        let event = tokio::select! {
            // Stopping wins over an event that arrives at the same moment.
            biased;
            _ = feed.stopping.wait_for(|stop| *stop) => return None,
            received = feed.events.recv() => match received {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(_)) => (feed.catch_up)(),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        };
        Some((Ok(event.to_event()), feed))
    })
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
    fn the_overlay_speaks_the_chosen_language() {
        let snapshot = Snapshot::default();
        let sv = snippet_in(&snapshot, Lang::Sv);
        assert!(sv.contains(r#"lang="sv""#), "{sv}");
        assert!(sv.contains(
            ">Webbplatsen kunde inte byggas om – du ser den senaste fungerande versionen.</p>"
        ));
        assert!(sv.contains(">Dölj</button>"));
        assert!(!sv.contains("Hide"));
        let en = snippet_in(&snapshot, Lang::En);
        assert!(en.contains(r#"lang="en""#), "{en}");
        assert!(en.contains(">The site could not be rebuilt – this is the last good version.</p>"));
        assert!(en.contains(">Hide</button>"));
        assert!(!en.contains("Dölj"));
    }

    #[test]
    fn without_a_body_end_tag_the_snippet_goes_last() {
        let out = String::from_utf8(inject(b"<p>x", &Snapshot::default())).unwrap();
        assert!(out.starts_with("<p>x"));
        assert!(out.trim_end().ends_with(SNIPPET_END));
    }

    /// The stream's answer as a sequence of frames, read one at a time.
    struct Frames(axum::body::BodyDataStream);

    impl Frames {
        fn of(stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Frames {
            Frames(
                Sse::new(stream)
                    .into_response()
                    .into_body()
                    .into_data_stream(),
            )
        }

        /// The next frame as text; `None` once the stream has ended.
        async fn next(&mut self) -> Option<String> {
            use futures_util::StreamExt;
            let frame = tokio::time::timeout(Duration::from_secs(10), self.0.next())
                .await
                .expect("a frame or the end within 10 s")?;
            Some(String::from_utf8(frame.expect("a frame").to_vec()).expect("UTF-8"))
        }
    }

    fn never_behind() -> LiveEvent {
        panic!("the stream did not fall behind")
    }

    #[tokio::test]
    async fn the_stream_greets_sends_each_event_and_ends_when_the_server_stops() {
        let (events, receiver) = broadcast::channel(4);
        let (stop, stopping) = watch::channel(false);
        let mut frames = Frames::of(feed(receiver, stopping, never_behind));
        assert_eq!(
            frames.next().await.as_deref(),
            Some("retry: 1000\n: utlys live reload\n\n")
        );
        let ok = LiveEvent::ok(&Snapshot::default());
        events.send(ok.clone()).expect("a receiver");
        assert_eq!(
            frames.next().await,
            Some(format!("event: ok\ndata: {}\n\n", ok.data))
        );
        stop.send(true).expect("a receiver");
        assert_eq!(frames.next().await, None);
    }

    #[tokio::test]
    async fn a_stream_that_fell_behind_is_told_where_the_site_stands() {
        let (events, receiver) = broadcast::channel(1);
        let (_stop, stopping) = watch::channel(false);
        let current = || LiveEvent {
            name: "reload",
            data: "{\"generation\":7}".to_string(),
        };
        let mut frames = Frames::of(feed(receiver, stopping, current));
        frames.next().await.expect("the greeting");
        for _ in 0..3 {
            events
                .send(LiveEvent::ok(&Snapshot::default()))
                .expect("a receiver");
        }
        assert_eq!(
            frames.next().await.as_deref(),
            Some("event: reload\ndata: {\"generation\":7}\n\n")
        );
        // The newest event, kept by the channel, follows.
        assert!(
            frames
                .next()
                .await
                .expect("an event")
                .starts_with("event: ok\n")
        );
    }

    #[tokio::test]
    async fn events_are_single_line_json() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            crate::diagnostics::Diagnostic::error("content/a.md", Msg::new("bad\n<b>", "bad\n<b>"))
                .at_offset("---\ntitle: x\n", 5),
        );
        let (events, receiver) = broadcast::channel(4);
        let (_stop, stopping) = watch::channel(false);
        let mut frames = Frames::of(feed(receiver, stopping, never_behind));
        frames.next().await.expect("the greeting");
        events
            .send(LiveEvent::error(&diagnostics))
            .expect("a receiver");
        let sse = frames.next().await.expect("an event");
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
