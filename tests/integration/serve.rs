//! `utlys serve`: a real server process on a fixture site, driven over
//! plain TCP. Every wait is bounded, and the child is killed when a test
//! ends, however it ends.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{NOW, TestSite, challenge, save};

/// How long a live-reload event may take after a save.
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The start of the snippet the server puts into HTML pages.
const SNIPPET_START: &str = "<!-- utlys serve: live reload -->";
const SNIPPET_END: &str = "<!-- /utlys serve -->\n";

const SITE_TOML: &str = "title = \"Testportal\"\nbase_url = \"https://example.se/utmaningar/\"\nlanguages = [\"sv\", \"en\"]\n";

/// The challenge under test; `deadline` is on line 7 of its front matter.
pub(crate) const CHALLENGE: &str = "content/challenges/trygg-skolvag/index.md";

pub(crate) fn challenge_text(body: &str) -> String {
    let documents = "documents:\n  - title: Underlag\n    file: underlag.pdf\n";
    format!("{}\n{body}\n", challenge("Trygg skolväg", documents))
}

/// A small bilingual site with a folder challenge and its document, a
/// plain page, a static file and (on Unix) a link out of the site.
pub(crate) fn fixture() -> TestSite {
    let site = TestSite::new()
        .file("site.toml", SITE_TOML)
        .file(
            CHALLENGE,
            challenge_text("Barnen ska kunna gå säkert till skolan."),
        )
        .file(
            "content/challenges/trygg-skolvag/underlag.pdf",
            b"%PDF-1.4\n\x00\x01\x02 not really a PDF\n%%EOF\n",
        )
        .file(
            "content/challenges/matsvinn.md",
            format!("{}\nMindre mat i soporna.\n", challenge("Matsvinn", "")),
        )
        .file("content/om.md", "---\ntitle: Om portalen\n---\nOm oss.\n")
        .file("content/om.en.md", "---\ntitle: About\n---\nAbout us.\n")
        .file(
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("site.toml"),
        site.root().join("static/secret.toml"),
    )
    .expect("make a symbolic link");
    site
}

/// A running `utlys serve`, killed on drop.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub(crate) addr: String,
    /// `/utmaningar/`.
    pub(crate) base: String,
    /// The URL printed on the first line.
    pub(crate) url: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `utlys serve --port 0` on `site` and waits for its URL.
    pub(crate) fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[], &[])
    }

    /// Like [`Server::start`], with more arguments and environment variables.
    pub(crate) fn start_with(site: &TestSite, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_utlys"))
            .env("LC_ALL", "en_US.UTF-8")
            .args(["serve", "--port", "0", "--now", NOW, "--root"])
            .arg(site.root())
            .args(args)
            .envs(envs.iter().copied())
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start utlys serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap_or_else(|e| e.into_inner());
                all.push_str(&line);
                all.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            base: String::new(),
            url: String::new(),
            stderr,
        };
        let first = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(e) => panic!(
                "no first line from utlys serve ({e})\n--- stderr ---\n{}",
                server.stderr()
            ),
        };
        let url = first
            .strip_prefix("Serving ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        let rest = url.strip_prefix("http://").expect("an http URL");
        let slash = rest.find('/').expect("a path");
        server.addr = rest[..slash].to_string();
        server.base = rest[slash..].to_string();
        server.url = url.to_string();
        server
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits until stderr contains `needle`, and returns all of it.
    #[track_caller]
    fn wait_for_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            let log = self.stderr();
            if log.contains(needle) {
                return log;
            }
            assert!(Instant::now() < deadline, "no {needle:?} in stderr:\n{log}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `GET target` (sent exactly as given).
    #[track_caller]
    pub(crate) fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }

    #[track_caller]
    pub(crate) fn request(&self, method: &str, target: &str) -> Reply {
        let mut stream = self.connect();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send a request");
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("read the answer to {target}: {e}"));
        Reply::parse(&raw)
    }

    pub(crate) fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(EVENT_TIMEOUT))
            .expect("set a read timeout");
        stream
            .set_write_timeout(Some(EVENT_TIMEOUT))
            .expect("set a write timeout");
        stream
    }

    /// Opens the live-reload event stream.
    #[track_caller]
    pub(crate) fn subscribe(&self) -> Events {
        let mut stream = self.connect();
        write!(
            stream,
            "GET {}__utlys/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.base, self.addr
        )
        .expect("send the request");
        let mut events = Events {
            stream,
            buf: Vec::new(),
            head: String::new(),
        };
        let head = events.read_until(b"\r\n\r\n", Instant::now() + EVENT_TIMEOUT);
        let head = String::from_utf8_lossy(&head).to_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        events.head = head;
        events
    }

    /// Stops the server as Ctrl+C does, and waits for it to exit.
    #[cfg(unix)]
    #[track_caller]
    pub(crate) fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a process id");
        // SAFETY: `kill` only sends a signal to our own child process.
        let sent = unsafe { libc::kill(pid, libc::SIGINT) };
        assert_eq!(sent, 0, "send SIGINT");
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("ask for the exit status") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop within {EVENT_TIMEOUT:?}\n--- stderr ---\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for event `name` (skipping others) and returns its data.
    #[track_caller]
    pub(crate) fn wait_for(&self, events: &mut Events, name: &str) -> String {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            match events.next(deadline) {
                Some((event, data)) if event == name => return data,
                Some(_) => continue,
                None => panic!(
                    "no `{name}` event within {EVENT_TIMEOUT:?}\n--- stderr ---\n{}",
                    self.stderr()
                ),
            }
        }
    }
}

/// An HTTP answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn parse(raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size = std::str::from_utf8(&body[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .expect("a hexadecimal chunk size");
        body = &body[end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

/// An open event stream.
pub(crate) struct Events {
    stream: TcpStream,
    buf: Vec<u8>,
    /// The answer's head, in lower case.
    head: String,
}

impl Events {
    /// Reads until `marker`, returning everything before it, or panics at
    /// `deadline`.
    fn read_until(&mut self, marker: &[u8], deadline: Instant) -> Vec<u8> {
        self.try_read_until(marker, deadline)
            .unwrap_or_else(|| panic!("nothing more from the event stream"))
    }

    fn try_read_until(&mut self, marker: &[u8], deadline: Instant) -> Option<Vec<u8>> {
        loop {
            if let Some(i) = self.buf.windows(marker.len()).position(|w| w == marker) {
                let found = self.buf[..i].to_vec();
                self.buf.drain(..i + marker.len());
                return Some(found);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .ok()?;
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(e) => panic!("reading the event stream: {e}"),
            }
        }
    }

    /// Whether the server closes the stream before `deadline`; what it sent
    /// until then stays in the buffer.
    fn ends(&mut self, deadline: Instant) -> bool {
        let mut chunk = [0u8; 4096];
        loop {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            if self
                .stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .is_err()
            {
                return false;
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return true,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
                Err(_) => return false,
            }
        }
    }

    /// The next event (name, data), skipping comments and `retry:`.
    fn next(&mut self, deadline: Instant) -> Option<(String, String)> {
        loop {
            let block = self.try_read_until(b"\n\n", deadline)?;
            let block = String::from_utf8(block).expect("events are UTF-8");
            let mut name = None;
            let mut data = Vec::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = Some(n.to_string());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push(d);
                }
            }
            if let Some(name) = name {
                return Some((name, data.join("\n")));
            }
        }
    }
}

/// The page without the live-reload snippet.
#[track_caller]
fn strip_snippet(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(html.to_vec()).expect("HTML is UTF-8");
    let start = text.find(SNIPPET_START).expect("the snippet is there");
    let end = text[start..].find(SNIPPET_END).expect("the snippet ends") + start;
    format!("{}{}", &text[..start], &text[end + SNIPPET_END.len()..]).into_bytes()
}

/// Every file of a build of `site` for the server's URL.
fn build_for(site: &TestSite, server: &Server) -> BTreeMap<String, Vec<u8>> {
    let build = site.build(&["--base-url", &server.url]).success();
    build
        .tree()
        .into_iter()
        .filter(|(path, _)| !path.ends_with('/'))
        .collect()
}

#[test]
fn serves_every_output_byte_for_byte_as_built() {
    let site = fixture();
    let server = Server::start(&site);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(server.base, "/utmaningar/");
    let built = build_for(&site, &server);
    assert!(built.contains_key("challenges/trygg-skolvag/underlag.pdf"));
    assert!(built.contains_key("logo.svg"));
    for (path, bytes) in &built {
        let raw = server.get(&format!("{}{path}?utlys-raw", server.base));
        assert_eq!(raw.status, 200, "/{path}");
        assert!(raw.body == *bytes, "/{path} differs from the built file");
        assert_eq!(raw.header("cache-control"), Some("no-cache"), "/{path}");
        assert_eq!(
            raw.header("x-content-type-options"),
            Some("nosniff"),
            "/{path}"
        );
        let served = server.get(&format!("{}{path}", server.base));
        if path.ends_with(".html") {
            let text = served.text();
            assert!(
                text.contains("__utlys/events"),
                "/{path} has no live reload"
            );
            assert!(
                strip_snippet(&served.body) == *bytes,
                "/{path} differs beyond the snippet"
            );
            assert!(
                !String::from_utf8_lossy(bytes).contains("__utlys"),
                "the built /{path} has the dev server's script"
            );
        } else {
            assert!(served.body == *bytes, "/{path} was changed in serving");
        }
    }
    let folder = server.get(&format!("{}challenges/trygg-skolvag/", server.base));
    assert_eq!(
        strip_snippet(&folder.body),
        built["challenges/trygg-skolvag/index.html"]
    );
}

#[test]
fn content_types_by_kind_of_file() {
    let site = fixture();
    let server = Server::start(&site);
    for (path, expected) in [
        ("", "text/html; charset=utf-8"),
        ("calendar.ics", "text/calendar; charset=utf-8"),
        (
            "challenges/matsvinn/calendar.ics",
            "text/calendar; charset=utf-8",
        ),
        ("atom.xml", "application/atom+xml"),
        ("sitemap.xml", "application/xml"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("api/challenges.json", "application/json"),
        ("logo.svg", "image/svg+xml"),
        ("challenges/trygg-skolvag/underlag.pdf", "application/pdf"),
    ] {
        let reply = server.get(&format!("{}{path}", server.base));
        assert_eq!(reply.status, 200, "/{path}");
        assert_eq!(reply.header("content-type"), Some(expected), "/{path}");
    }
}

#[test]
fn paths_outside_the_site_are_never_served() {
    let site = fixture();
    let server = Server::start(&site);
    let base = &server.base;
    for target in [
        "/../Cargo.toml".to_string(),
        "/../site.toml".to_string(),
        format!("{base}..%2f..%2fsite.toml"),
        format!("{base}%2e%2e/"),
        format!("{base}%2e%2e/site.toml"),
        format!("{base}%2E%2E%2Fsite.toml"),
        format!("{base}static/../../site.toml"),
        format!("{base}..%5csite.toml"),
        format!("{base}%5c..%5c..%5csite.toml"),
        format!("{base}index.html%00"),
        format!("{base}content/om.md"),
        format!("{base}site.toml"),
        format!("{base}secret.toml"),
        format!("{base}/etc/passwd"),
    ] {
        let reply = server.get(&target);
        assert!(reply.status == 404, "{target}: status {}", reply.status);
        let text = reply.text();
        assert!(
            !text.contains("base_url") && !text.contains("[package]") && !text.contains("root:"),
            "{target} served a file's contents"
        );
    }
}

#[test]
fn redirects_and_not_found_pages() {
    let site = fixture();
    let server = Server::start(&site);
    let built = build_for(&site, &server);
    let base = &server.base;

    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some(base.as_str()));
    let bare = server.get(base.trim_end_matches('/'));
    assert_eq!(bare.header("location"), Some(base.as_str()));

    let folder = server.get(&format!("{base}challenges/trygg-skolvag?utlys-raw"));
    assert_eq!(folder.status, 302);
    assert_eq!(
        folder.header("location"),
        Some(format!("{base}challenges/trygg-skolvag/?utlys-raw").as_str())
    );

    let missing = server.get(&format!("{base}finns-inte/?utlys-raw"));
    assert_eq!(missing.status, 404);
    assert!(missing.body == built["404.html"]);
    let missing_en = server.get(&format!("{base}en/does-not-exist?utlys-raw"));
    assert_eq!(missing_en.status, 404);
    assert!(missing_en.body == built["en/404.html"]);
    assert_ne!(built["404.html"], built["en/404.html"]);
    let served_404 = server.get(&format!("{base}finns-inte/"));
    assert!(served_404.text().contains("__utlys/events"));

    let post = server.request("POST", base);
    assert_eq!(post.status, 405);
}

#[test]
fn edits_reload_the_page_and_errors_keep_the_last_good_site() {
    let site = fixture();
    let server = Server::start(&site);
    let page = format!("{}challenges/trygg-skolvag/", server.base);
    assert!(
        server
            .get(&page)
            .text()
            .contains("Barnen ska kunna gå säkert")
    );

    let mut events = server.subscribe();
    site.write(CHALLENGE, challenge_text("Nu med gångfartsgator."));
    let reload = server.wait_for(&mut events, "reload");
    assert!(reload.contains("\"generation\""), "{reload}");
    let edited = server.get(&page);
    assert!(
        edited.text().contains("Nu med gångfartsgator."),
        "{}",
        edited.text()
    );

    // Break the front matter: an impossible deadline on line 7.
    let broken = challenge_text("Nu med gångfartsgator.")
        .replace("deadline: 2023-08-31", "deadline: 2023-02-30");
    site.write(CHALLENGE, &broken);
    let error = server.wait_for(&mut events, "error");
    let error: serde_json::Value = serde_json::from_str(&error).expect("the error data is JSON");
    let message = error["message"].as_str().expect("a message");
    assert!(
        message.contains("content/challenges/trygg-skolvag/index.md:7:"),
        "{message}"
    );
    assert!(message.contains("2023-02-30"), "{message}");

    let still = server.get(&page);
    assert_eq!(still.status, 200);
    let html = still.text();
    assert!(
        html.contains("Nu med gångfartsgator."),
        "the last good page is served"
    );
    assert!(
        html.contains("id=\"utlys-overlay\" role=\"alert\" lang=\"en\" style="),
        "the overlay is shown"
    );
    assert!(
        html.contains("trygg-skolvag/index.md:7:"),
        "the overlay names the file and line"
    );
    assert!(
        html.contains("__utlys/status"),
        "the page asks for the state on load"
    );
    let status: serde_json::Value =
        serde_json::from_str(&server.get(&format!("{}__utlys/status", server.base)).text())
            .expect("status is JSON");
    assert_eq!(status["ok"], false);

    site.write(CHALLENGE, challenge_text("Rättat och klart."));
    server.wait_for(&mut events, "ok");
    server.wait_for(&mut events, "reload");
    let fixed = server.get(&page).text();
    assert!(fixed.contains("Rättat och klart."));
    assert!(
        fixed.contains("id=\"utlys-overlay\" role=\"alert\" lang=\"en\" hidden"),
        "the overlay is gone"
    );
    let status: serde_json::Value =
        serde_json::from_str(&server.get(&format!("{}__utlys/status", server.base)).text())
            .expect("status is JSON");
    assert_eq!(status["ok"], true);
}

#[test]
fn the_event_stream_is_an_answer_like_any_other() {
    let site = fixture();
    let server = Server::start(&site);
    let mut events = server.subscribe();
    for header in [
        "cache-control: no-cache",
        "x-content-type-options: nosniff",
        "connection: close",
    ] {
        assert!(events.head.contains(header), "{header}: {}", events.head);
    }
    let greeting = events.read_until(b"\n\n", Instant::now() + EVENT_TIMEOUT);
    let greeting = String::from_utf8_lossy(&greeting).into_owned();
    assert!(
        greeting.ends_with("retry: 1000\n: utlys live reload"),
        "{greeting:?}"
    );
    save(
        &site.root().join(CHALLENGE),
        challenge_text("Sparad medan strömmen var öppen."),
    );
    let reload: serde_json::Value =
        serde_json::from_str(&server.wait_for(&mut events, "reload")).expect("JSON data");
    assert!(reload["generation"].is_string(), "{reload}");
    assert!(reload["changed"].as_u64() >= Some(1), "{reload}");

    // The stream's address for another host gets the refusal, not events.
    let mut other = server.connect();
    write!(
        other,
        "GET {}__utlys/events HTTP/1.1\r\nHost: evil.example\r\nAccept: text/event-stream\r\n\r\n",
        server.base
    )
    .expect("send the request");
    let mut raw = Vec::new();
    other
        .read_to_end(&mut raw)
        .expect("the refusal ends its connection");
    let refused = Reply::parse(&raw);
    assert_eq!(refused.status, 421);
    assert_eq!(
        refused.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(!refused.text().contains("event:"), "{}", refused.text());

    // HEAD names the stream without opening it.
    let head = server.request("HEAD", &format!("{}__utlys/events", server.base));
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/event-stream"));
}

#[cfg(unix)]
#[test]
fn stopping_the_server_ends_open_event_streams() {
    let site = fixture();
    let mut server = Server::start(&site);
    let mut first = server.subscribe();
    let mut second = server.subscribe();
    let status = server.interrupt();
    assert!(status.success(), "{status:?}\n{}", server.stderr());
    for events in [&mut first, &mut second] {
        assert!(
            events.ends(Instant::now() + EVENT_TIMEOUT),
            "the stream stayed open"
        );
        // The answer was finished (its last, empty chunk sent), not cut off.
        assert!(
            events.buf.ends_with(b"\r\n0\r\n\r\n"),
            "{:?}",
            String::from_utf8_lossy(&events.buf)
        );
    }
    assert!(server.stderr().contains("Stopped."), "{}", server.stderr());
}

#[test]
fn editor_scratch_files_start_no_rebuild() {
    let site = fixture();
    let server = Server::start(&site);
    let mut events = server.subscribe();
    // What Vim does around a save: a swap file, a test file `4913` made and
    // removed, a backup; Emacs leaves `#…#` and `.#…`.
    let dir = "content/challenges/trygg-skolvag";
    site.write(&format!("{dir}/.index.md.swp"), "swap");
    site.write(&format!("{dir}/4913"), "");
    site.remove(&format!("{dir}/4913"));
    site.write(&format!("{dir}/index.md~"), "backup");
    site.write(&format!("{dir}/#index.md#"), "autosave");
    site.write(CHALLENGE, challenge_text("Sparad av en editor."));
    server.wait_for(&mut events, "reload");
    // The log line is written before the event is sent, but reaches this
    // process through a pipe and a thread of its own.
    let log = server.wait_for_log("changed; rebuilt");
    let rebuilds: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("changed; rebuilt"))
        .collect();
    assert!(!rebuilds.is_empty(), "{log}");
    for line in &rebuilds {
        assert!(
            !line.contains(".swp")
                && !line.contains("4913")
                && !line.contains('~')
                && !line.contains('#'),
            "a scratch file started a rebuild: {line}"
        );
    }
    assert!(
        server
            .get(&format!("{}challenges/trygg-skolvag/", server.base))
            .text()
            .contains("Sparad av en editor.")
    );
}

#[test]
fn a_site_that_does_not_build_yet_shows_its_problems_until_fixed() {
    let site = fixture();
    let good = challenge_text("Till slut fungerar det.");
    site.write(CHALLENGE, good.replace("stage: rfi", "stage: rfx"));
    let server = Server::start(&site);
    let first = server.get(&server.base);
    assert_eq!(first.status, 500);
    let html = first.text();
    assert!(html.contains("trygg-skolvag/index.md:5:"), "{html}");
    assert!(html.contains("__utlys/events"));

    let mut events = server.subscribe();
    site.write(CHALLENGE, &good);
    server.wait_for(&mut events, "ok");
    let page = server.get(&format!("{}challenges/trygg-skolvag/", server.base));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Till slut fungerar det."));
}

/// A request that failed, for the load test's report.
fn try_get(addr: &str, target: &str) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(EVENT_TIMEOUT))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err(format!("no complete answer: {} bytes", raw.len()));
    }
    Ok(Reply::parse(&raw))
}

#[test]
fn a_hundred_clients_during_rebuilds_get_only_whole_pages() {
    let site = fixture();
    let server = Server::start(&site);
    let page = format!("{}challenges/trygg-skolvag/", server.base);
    let versions = ["Version A av texten.", "Version B av texten."];
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));

    // Rebuilds keep coming: the challenge is saved every 150 ms, alternating
    // between two texts, for a bounded time.
    let editor = {
        let stop = Arc::clone(&stop);
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                save(&root.join(CHALLENGE), challenge_text(versions[n % 2]));
                n += 1;
                std::thread::sleep(Duration::from_millis(150));
            }
            n
        })
    };

    let deadline = Instant::now() + Duration::from_secs(6);
    let clients: Vec<_> = (0..100)
        .map(|_| {
            let addr = server.addr.clone();
            let page = page.clone();
            std::thread::spawn(move || {
                let (mut ok, mut problems) = (0, Vec::new());
                let mut seen = std::collections::BTreeSet::new();
                while Instant::now() < deadline {
                    match try_get(&addr, &page) {
                        Ok(r) if r.status == 200 => {
                            let text = String::from_utf8_lossy(&r.body).into_owned();
                            // A whole page: the document ends, and it holds
                            // one of the two versions, never a mix or a cut.
                            let whole = text.trim_end().ends_with("</html>");
                            // Before the first save the page still has the
                            // fixture's own text.
                            let one = versions
                                .iter()
                                .chain(["Barnen ska kunna gå säkert till skolan."].iter())
                                .filter(|v| text.contains(*v))
                                .count()
                                == 1;
                            if whole && one {
                                ok += 1;
                                seen.extend(versions.iter().filter(|v| text.contains(*v)).copied());
                            } else {
                                problems.push(format!(
                                    "partial page ({} bytes, whole {whole}, versions {}): {}",
                                    r.body.len(),
                                    versions.iter().filter(|v| text.contains(*v)).count(),
                                    &text[text.len().saturating_sub(200)..]
                                ));
                            }
                        }
                        Ok(r) => problems.push(format!("status {}", r.status)),
                        Err(e) => problems.push(e),
                    }
                }
                (ok, problems, seen)
            })
        })
        .collect();
    let mut served = 0;
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for c in clients {
        let (ok, p, s) = c.join().expect("client thread");
        served += ok;
        problems.extend(p);
        seen.extend(s);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = editor.join().expect("editor thread");
    assert!(
        problems.is_empty(),
        "{} failed requests, e.g. {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    assert!(served >= 100, "only {served} pages served");
    assert!(saves >= 10, "only {saves} saves");
    // The rebuilds really happened while the clients were reading.
    assert_eq!(seen.len(), 2, "versions served: {seen:?}");
    eprintln!("load: {served} whole pages to 100 clients during {saves} saves");
}

#[test]
fn allow_host_admits_that_name_also_when_listening_on_every_interface() {
    let site = fixture();
    let server = Server::start_with(
        &site,
        &[
            "--bind",
            "0.0.0.0",
            "--allow-host",
            "Forhandsvisning.Example",
        ],
        &[],
    );
    // 0.0.0.0 is no name to open; the printed address is this computer's.
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let port = server.addr.rsplit(':').next().expect("a port").to_string();
    let base = server.base.clone();
    let ask = |host: &str| {
        let mut stream = server.connect();
        write!(
            stream,
            "GET {base}__utlys/status HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send a request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the answer");
        Reply::parse(&raw)
    };
    assert_eq!(ask(&format!("forhandsvisning.example:{port}")).status, 200);
    assert_eq!(ask("forhandsvisning.example").status, 200);
    assert_eq!(ask(&format!("localhost:{port}")).status, 200);
    let other = ask(&format!("annan.example:{port}"));
    assert_eq!(other.status, 421);
    assert!(
        other
            .text()
            .contains("restart with `utlys serve --allow-host annan.example`."),
        "{}",
        other.text()
    );
    server.wait_for_log("warning: listening on 0.0.0.0:");
}

#[test]
fn allow_host_refuses_values_that_are_not_host_names() {
    for value in ["http://example.se", "example.se:8080", "example.se/x", ""] {
        let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
            .env("LC_ALL", "en_US.UTF-8")
            .args(["serve", "--port", "0", "--allow-host", value])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .output()
            .expect("run utlys serve");
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is not a host name: give a name such as `min-dator.local` or an address such as `192.168.1.20`, without `http://`, a port or a path"),
            "{value}: {stderr}"
        );
    }
}
