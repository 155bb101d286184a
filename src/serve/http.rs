//! Answering HTTP requests from the session's outputs.
//!
//! Paths are only ever looked up in the in-memory map of the last good
//! build; nothing here touches the file system, so no path — `..`, encoded
//! slashes, backslashes, NUL, symbolic links — can reach a file that is not
//! part of the site.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use tokio::sync::{broadcast, watch};

use super::guard::{self, AllowedHosts, Timeouts, local_location};
use super::live::{self, LiveEvent, RESERVED};
use super::session::{Session, Snapshot};
use crate::escape::{decode_path, encode_location};

/// What every request handler shares.
pub struct AppState {
    /// The site being served.
    pub session: Arc<Session>,
    /// Live-reload events, fanned out to every open event stream.
    pub events: broadcast::Sender<LiveEvent>,
    /// The host names requests may name.
    pub hosts: Arc<AllowedHosts>,
    /// How long connections may take and wait.
    pub timeouts: Timeouts,
    /// Turns true when the server stops; open event streams then end.
    pub stopping: watch::Receiver<bool>,
}

/// The axum application: every request goes to one handler, since the
/// site's paths are data, not routes, behind [`guard::check_host`].
pub fn router(state: Arc<AppState>) -> Router {
    let hosts = Arc::clone(&state.hosts);
    Router::new()
        .fallback(handle)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            hosts,
            guard::check_host,
        ))
}

/// The query flag that turns off the live-reload snippet: the page exactly
/// as `utlys build` writes it.
pub const RAW_FLAG: &str = "utlys-raw";

async fn handle(State(state): State<Arc<AppState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served.\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let mut snapshot = state.session.snapshot();
    if method == Method::GET && is_event_stream(&snapshot, uri.path()) {
        return live::event_stream(&state);
    }
    // A feed or the data asked for while the rebuild is still making it
    // is answered once it is made, never from the site before.
    if snapshot.is_settling_for(uri.path()) {
        state.session.settled().await;
        snapshot = state.session.snapshot();
    }
    respond(&snapshot, uri.path(), uri.query())
}

/// Whether `raw_path` is the live-reload stream's address.
fn is_event_stream(snapshot: &Snapshot, raw_path: &str) -> bool {
    resolve(raw_path, snapshot.base_path(), |_| false) == Target::Events
}

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output of the site (`challenges/x/index.html`).
    Output(String),
    /// Go to this path instead (already percent-encoded).
    Redirect(String),
    /// The dev server's own status document.
    Status,
    /// The live-reload event stream.
    Events,
    /// No such page; the output path it would have had, when there is one.
    NotFound(Option<String>),
}

/// Maps a raw request path onto the site under `base_path`. `is_dir` tells
/// whether an output path is a folder with an `index.html`.
pub fn resolve(raw_path: &str, base_path: &str, is_dir: impl Fn(&str) -> bool) -> Target {
    let Some(path) = decode_path(raw_path) else {
        return Target::NotFound(None);
    };
    // Outputs never have such segments; refusing them here rather than
    // normalising keeps the rule simple enough to trust.
    if path.contains(['\\', '\0'])
        || path.split('/').any(|s| s == ".." || s == ".")
        || !path.starts_with('/')
    {
        return Target::NotFound(None);
    }
    if path.ends_with(&format!("/{RESERVED}status")) {
        return Target::Status;
    }
    if path.ends_with(&format!("/{RESERVED}events")) {
        return Target::Events;
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        // `/` or the base path without its slash: the site is one step away.
        return if path == "/" || format!("{path}/") == base_path {
            Target::Redirect(encode_location(base_path))
        } else {
            Target::NotFound(None)
        };
    };
    if rest.starts_with('/') {
        // `//x` would make a protocol-relative redirect; no output has it.
        return Target::NotFound(None);
    }
    if rest.is_empty() || rest.ends_with('/') {
        return Target::Output(format!("{rest}index.html"));
    }
    if is_dir(rest) {
        return Target::Redirect(encode_location(&format!("{base_path}{rest}/")));
    }
    Target::Output(rest.to_string())
}

/// The answer to a GET of `raw_path` from `snapshot`.
pub fn respond(snapshot: &Snapshot, raw_path: &str, query: Option<&str>) -> Response {
    let raw = query.is_some_and(|q| q.split('&').any(|p| p.split('=').next() == Some(RAW_FLAG)));
    let target = resolve(raw_path, snapshot.base_path(), |p| {
        snapshot.get(&format!("{p}/index.html")).is_some()
    });
    match target {
        Target::Status => {
            let mut r = bytes(StatusCode::OK, live::status_json(snapshot).into());
            set_type(&mut r, "application/json");
            r
        }
        // A GET is answered by the stream itself (see `handle`); a HEAD
        // gets its headers, without events.
        Target::Events => {
            let mut r = bytes(StatusCode::OK, Bytes::new());
            set_type(&mut r, "text/event-stream");
            r
        }
        Target::Redirect(location) => {
            let location = match query {
                Some(q) => format!("{location}?{q}"),
                None => location,
            };
            redirect(StatusCode::FOUND, &location)
        }
        _ if !snapshot.has_site() => no_site(snapshot, raw),
        Target::Output(path) => match snapshot.get(&path) {
            Some(body) => file(snapshot, &path, body, StatusCode::OK, raw),
            None => not_found(snapshot, Some(&path), raw),
        },
        Target::NotFound(path) => not_found(snapshot, path.as_deref(), raw),
    }
}

/// A redirect to `location`, made a path on this server first: every
/// `Location` the server sends goes through here, so none leads off it,
/// whatever the request or the site's base path.
fn redirect(status: StatusCode, location: &str) -> Response {
    match HeaderValue::from_str(&local_location(location)) {
        Ok(value) => {
            let mut r = text(status, "");
            r.headers_mut().insert(header::LOCATION, value);
            r
        }
        Err(_) => text(StatusCode::BAD_REQUEST, "Bad request.\n"),
    }
}

/// The site's own 404 page: the one nearest to the path (`en/404.html`
/// under `/en/`), else `404.html`.
fn not_found(snapshot: &Snapshot, path: Option<&str>, raw: bool) -> Response {
    let mut dir = path.unwrap_or("");
    loop {
        dir = match dir.rfind('/') {
            Some(i) => &dir[..i],
            None => "",
        };
        let page = if dir.is_empty() {
            "404.html".to_string()
        } else {
            format!("{dir}/404.html")
        };
        if let Some(body) = snapshot.get(&page) {
            return file(snapshot, &page, body, StatusCode::NOT_FOUND, raw);
        }
        if dir.is_empty() {
            return text(StatusCode::NOT_FOUND, "404 Not Found\n");
        }
    }
}

/// Before the first good build there is nothing to show but the problems.
fn no_site(snapshot: &Snapshot, raw: bool) -> Response {
    let message = match snapshot.error() {
        Some(d) => live::error_text(d),
        None => crate::msg!(
            "Webbplatsen har inte byggts än.",
            "The site has not been built yet."
        )
        .to_string(),
    };
    if raw {
        return text(StatusCode::INTERNAL_SERVER_ERROR, &message);
    }
    let page = "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
        <title>Webbplatsen kunde inte byggas / The site could not be built</title>\n</head>\n<body>\n\
        <main>\n<h1>Webbplatsen kunde inte byggas / The site could not be built</h1>\n\
        <p>Rätta felen nedan och spara; sidan laddas om av sig själv. / Fix the problems below and save; this page reloads by itself.</p>\n\
        </main>\n</body>\n</html>\n";
    let mut r = bytes(
        StatusCode::INTERNAL_SERVER_ERROR,
        live::inject(page.as_bytes(), snapshot).into(),
    );
    set_type(&mut r, "text/html; charset=utf-8");
    r
}

/// One output, with the live-reload snippet in HTML unless `raw`.
fn file(
    snapshot: &Snapshot,
    path: &str,
    body: &Arc<Vec<u8>>,
    status: StatusCode,
    raw: bool,
) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") && !raw {
        Bytes::from(live::inject(body, snapshot))
    } else {
        Bytes::from_owner(Shared(Arc::clone(body)))
    };
    let mut r = bytes(status, body);
    set_type(&mut r, kind);
    r
}

/// Lets a response body share an output's bytes instead of copying them.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn bytes(status: StatusCode, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r
}

fn text(status: StatusCode, message: &str) -> Response {
    let mut r = bytes(status, Bytes::copy_from_slice(message.as_bytes()));
    set_type(&mut r, "text/plain; charset=utf-8");
    r
}

fn set_type(r: &mut Response, kind: &'static str) {
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
}

/// The media type of an output, by its name.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" {
        return "application/atom+xml";
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> Target {
        resolve(raw, "/utmaningar/", |p| p == "challenges" || p == "en")
    }

    #[test]
    fn paths_map_onto_outputs() {
        assert_eq!(at("/utmaningar/"), Target::Output("index.html".into()));
        assert_eq!(
            at("/utmaningar/challenges/"),
            Target::Output("challenges/index.html".into())
        );
        assert_eq!(
            at("/utmaningar/atom.xml"),
            Target::Output("atom.xml".into())
        );
        assert_eq!(at("/utmaningar/%C3%A5.txt"), Target::Output("å.txt".into()));
    }

    #[test]
    fn folders_and_the_base_redirect_to_their_slash_form() {
        assert_eq!(
            at("/utmaningar/challenges"),
            Target::Redirect("/utmaningar/challenges/".into())
        );
        assert_eq!(at("/utmaningar"), Target::Redirect("/utmaningar/".into()));
        assert_eq!(at("/"), Target::Redirect("/utmaningar/".into()));
        assert_eq!(at("/favicon.ico"), Target::NotFound(None));
    }

    #[test]
    fn traversal_never_resolves() {
        for raw in [
            "/../Cargo.toml",
            "/utmaningar/../site.toml",
            "/utmaningar/..%2f..%2fsite.toml",
            "/utmaningar/%2e%2e/",
            "/utmaningar/%2E%2E/site.toml",
            "/utmaningar/static/../../site.toml",
            "/utmaningar/..\\site.toml",
            "/utmaningar/%5c..%5csite.toml",
            "/utmaningar/index.html%00.txt",
            "/utmaningar/./index.html",
            "/utmaningar/%ff",
            "/utmaningar//etc/passwd",
        ] {
            assert_eq!(at(raw), Target::NotFound(None), "{raw}");
        }
    }

    #[test]
    fn double_encoding_is_decoded_once() {
        assert_eq!(
            at("/utmaningar/%252e%252e/x"),
            Target::Output("%2e%2e/x".into())
        );
    }

    #[test]
    fn the_server_paths_are_reserved() {
        assert_eq!(at("/utmaningar/__utlys/status"), Target::Status);
        assert_eq!(at("/utmaningar/__utlys/events"), Target::Events);
    }

    #[test]
    fn content_types_follow_the_name() {
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("en/atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("LOGO.PNG"), "image/png");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn the_event_stream_never_redirects() {
        // The path as sent must never become a Location: it may start with
        // `//other-host`.
        let snapshot = Snapshot::default();
        for raw in ["//evil.example/__utlys/events", "///__utlys/events"] {
            let r = respond(&snapshot, raw, None);
            assert_eq!(r.status(), StatusCode::OK, "{raw}");
            assert_eq!(r.headers().get(header::LOCATION), None, "{raw}");
            assert_eq!(
                r.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
                Some(&b"text/event-stream"[..]),
                "{raw}"
            );
        }
    }

    #[test]
    fn locations_are_ascii() {
        assert_eq!(at("/utmaningar/%C3%A5%20b"), Target::Output("å b".into()));
        let folder = resolve("/å b", "/å b/", |_| false);
        assert_eq!(folder, Target::Redirect("/%C3%A5%20b/".into()));
    }
}
