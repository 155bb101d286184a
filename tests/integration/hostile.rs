//! Hostile and broken input: sites built to break the generator, each fed to
//! the real binary, with the exact outcome asserted. Tests of paths run the
//! build under strace and check that nothing outside the site root and the
//! output folder is opened or changed. Regression tests for bugs found here
//! and by the fuzzers (docs/robustness.md) are named after the bug.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{NOW, TestSite, assert_same_tree, challenge, names_in, open_challenge, tree};

/// Builds under strace; panics unless the build stayed inside the site and
/// its output.
#[track_caller]
fn traced(site: &TestSite) -> crate::util::Build {
    let (build, touches) = site.build_traced(&[]);
    site.assert_confined(&touches);
    // The trace must have seen the build read its own site, or the check
    // above passed on an empty or misread trace.
    assert!(
        touches
            .iter()
            .any(|t| t.path == site.root().join("site.toml")),
        "strace recorded no read of site.toml; the confinement check proves nothing"
    );
    build
}

/// A file outside the site (beside it in the temporary folder) with
/// `contents`; the tests check these bytes never reach the output.
fn outside(site: &TestSite, name: &str, contents: &str) -> PathBuf {
    let dir = site.tmp().join("outside");
    fs::create_dir_all(&dir).expect("create the outside folder");
    let path = dir.join(name);
    fs::write(&path, contents).expect("write the outside file");
    path
}

// --- Paths that try to leave the site ---

#[test]
fn slug_with_dot_dot_stays_inside_the_output() {
    let site = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "slug: ../../x\n"),
        )
        .file("content/challenges/b.md", open_challenge("B", "slug: ..\n"));
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            // The second line repeats the first's cause; both name the file.
            "error: content/challenges/b.md:1:1: `challenges/b.md` gives an empty web address part",
            "error: content/challenges/b.md:7:7: `slug`: `..` has no letters or digits",
        ],
        "{}",
        build.stderr
    );
    site.remove("content/challenges/b.md");
    let build = traced(&site).success();
    assert!(
        build.stderr.contains(
            "warning: content/challenges/a.md:7:7: `slug`: the slug `../../x` is used as `x`"
        ),
        "{}",
        build.stderr
    );
    assert!(build.exists("challenges/x/index.html"));
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [".public.utlys-lock", "public"]
    );
}

#[test]
fn document_paths_out_of_the_folder_are_errors() {
    let site = TestSite::new()
        .file(
            "content/challenges/k/index.md",
            open_challenge(
                "K",
                "documents:\n  - title: Upp\n    file: ../x.pdf\n  - title: Absolut\n    file: /etc/passwd\n  - title: Windows\n    file: C:\\x.pdf\n  - title: Nätverk\n    file: \\\\server\\share\\x.pdf\n",
            ),
        )
        // `../x.pdf` names a real file, so only the path rule can refuse it.
        .file("content/challenges/x.pdf", "%PDF-granne");
    let build = traced(&site).failure();
    let rule = "is not a file name inside the challenge's folder";
    assert_eq!(
        build.error_lines(),
        [
            format!(
                "error: content/challenges/k/index.md:9:11: `documents.file`: `../x.pdf` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:11:11: `documents.file`: `/etc/passwd` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:13:11: `documents.file`: `C:\\x.pdf` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:15:11: `documents.file`: `\\\\server\\share\\x.pdf` {rule}"
            ),
        ],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

#[test]
fn symlinks_to_files_outside_the_site_are_errors_and_never_read() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let page = outside(&site, "hemlig.md", &open_challenge("HEMLIG-SIDA-7f3a", ""));
    let pdf = outside(&site, "hemlig.pdf", "HEMLIG-PDF-7f3a");
    symlink(&page, site.root().join("content/challenges/lank.md")).expect("symlink");
    symlink(&pdf, site.root().join("content/bilaga.pdf")).expect("symlink");
    // A relative link that climbs out works the same way.
    symlink(
        "../../../outside/hemlig.pdf",
        site.root().join("content/challenges/rel.pdf"),
    )
    .expect("symlink");
    let build = traced(&site).failure();
    let rule = "the symbolic link points outside the site";
    assert_eq!(
        build.error_lines(),
        [
            format!("error: content/bilaga.pdf: {rule}"),
            format!("error: content/challenges/lank.md: {rule}"),
            format!("error: content/challenges/rel.pdf: {rule}"),
        ],
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("7f3a") && !build.stdout.contains("7f3a"));
    assert!(!site.output().exists());
}

#[test]
fn a_page_over_the_size_limit_is_refused_unread_also_through_a_link() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    // Sparse: 100 MiB and one byte, with no disk space used.
    let huge = site.root().join("content/stor.md");
    fs::File::create(&huge)
        .and_then(|f| f.set_len(100 * 1024 * 1024 + 1))
        .expect("a sparse file");
    // A small link to it is measured by what it points to.
    symlink("stor.md", site.root().join("content/lank.md")).expect("symlink");
    let build = traced(&site).failure();
    let message = "the file is 101 MB; pages may be at most 100 MB";
    assert_eq!(
        build.error_lines(),
        [
            format!("error: content/lank.md: {message}"),
            format!("error: content/stor.md: {message}"),
        ],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

/// Regression: with `content` itself a link to a folder elsewhere, the
/// error was reported but WalkDir still followed the link and read every
/// file in that folder.
#[test]
fn content_folder_linked_outside_the_site_is_not_read() {
    let site = TestSite::new();
    fs::remove_dir(site.root().join("content")).expect("remove content/");
    let elsewhere = site.tmp().join("outside/content");
    fs::create_dir_all(elsewhere.join("challenges")).expect("create the folder");
    fs::write(elsewhere.join("om.md"), "---\ntitle: HEMLIG-7f3a\n---\n").expect("write");
    fs::write(elsewhere.join("passwd"), "root:x:0:0-7f3a").expect("write");
    symlink(&elsewhere, site.root().join("content")).expect("symlink");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        ["error: content: the symbolic link points outside the site"],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

#[test]
fn symlink_loops_end_with_a_clear_error() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    // A folder link to its own parent, and a link to itself.
    symlink("..", site.root().join("content/challenges/loop")).expect("symlink");
    symlink("self", site.root().join("content/self")).expect("symlink");
    let started = Instant::now();
    let build = site
        .build_within(Duration::from_secs(60))
        .expect("the build hung on a symlink loop")
        .failure();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/loop: a symbolic link to a folder is not followed",
            "error: content/self: the symbolic link cannot be followed: Too many levels of symbolic links (os error 40)",
        ],
        "{}",
        build.stderr
    );
    traced(&site).failure();
}

// --- Encodings ---

/// Regression: the error showed a Latin-1 file name with `�`, which cannot
/// be typed and hides which byte is wrong.
#[test]
fn non_utf8_file_name_is_an_error_naming_it() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    fs::write(
        site.root().join("content/challenges").join(name),
        open_challenge("Kaffe", ""),
    )
    .expect("write a Latin-1 file name");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/caf\u{fffd}.md: the file name is not valid UTF-8: content/challenges/caf\\xE9.md"
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn non_utf8_file_is_an_error_at_the_first_bad_byte() {
    let mut latin1 = b"---\ntitle: Om oss\nsummary: Caf".to_vec();
    latin1.extend(b"\xe9 och te\n---\nText\n");
    let build = TestSite::new()
        .file("content/om.md", latin1)
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        ["error: content/om.md:3:13: the file is not valid UTF-8"],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("= hint: save it as UTF-8"));
}

#[test]
fn bom_and_crlf_build_in_yaml_and_toml() {
    let windows = |text: &str| {
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        bytes
    };
    let build = TestSite::new()
        .file(
            "content/challenges/y.md",
            windows(&challenge("Åtgärd YAML", "")),
        )
        .file(
            "content/challenges/t.md",
            windows(
                "+++\ntitle = \"Åtgärd TOML\"\nsummary = \"S.\"\nbuyer = \"B\"\nstage = \"need\"\npublished = 2023-06-15\n+++\nRad ett\nrad två\n",
            ),
        )
        .build(&[])
        .success();
    for (path, title) in [
        ("challenges/y/index.html", "Åtgärd YAML"),
        ("challenges/t/index.html", "Åtgärd TOML"),
    ] {
        let page = build.read(path);
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(!page.contains('\r') && !page.contains('\u{feff}'), "{path}");
    }
}

// --- Size and depth ---

/// Runs the built binary and returns its exit status, stderr and peak
/// resident memory in bytes (from `wait4`, for this child alone).
// The child is reaped by `wait4`, which `Child::wait` cannot replace: only it
// reports the peak memory of this one child.
#[allow(clippy::zombie_processes)]
fn run_measured(site: &TestSite) -> (std::process::ExitStatus, String, u64) {
    let stderr_path = site.tmp().join("stderr.txt");
    let child = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.output())
        .args(["--now", NOW])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_path).expect("create the stderr file"))
        .spawn()
        .expect("spawn utlys");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    let status = std::process::ExitStatus::from_raw(status);
    let stderr = fs::read_to_string(&stderr_path).expect("read stderr");
    // Linux reports ru_maxrss in kibibytes.
    let peak = u64::try_from(usage.ru_maxrss).expect("a size") * 1024;
    (status, stderr, peak)
}

#[test]
fn a_50_mb_page_builds_within_20_times_its_size_in_memory() {
    let paragraph = "Staden köper varor och tjänster för **3,4 miljarder kronor** om året, vilket ger \
                     ungefär 115 000 ton koldioxid. Läs mer på [stadens webbplats](https://example.se/klimat) \
                     och i `rapporten`.\n\n";
    let mut text = String::from("---\ntitle: Stor sida\n---\n");
    let mut n = 0;
    while text.len() < 50_000_000 {
        // A repeated heading: 20,000 identical ids to number.
        if n % 50 == 0 {
            text.push_str("## Avsnitt\n\n");
        }
        text.push_str(paragraph);
        n += 1;
    }
    let size = text.len() as u64;
    let site = TestSite::new().file("content/stor.md", &text);
    drop(text);
    let started = Instant::now();
    let (status, stderr, peak) = run_measured(&site);
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(
        peak < 20 * size,
        "peak RSS {} MB for a {} MB page",
        peak >> 20,
        size >> 20
    );
    eprintln!(
        "50 MB page: peak RSS {} MB ({:.1}× the file), {:?}",
        peak >> 20,
        peak as f64 / size as f64,
        started.elapsed()
    );
    let page = fs::read_to_string(site.output().join("stor/index.html")).expect("the page");
    assert!(page.contains("<h2 id=\"avsnitt-1\">Avsnitt</h2>"));
}

/// Each input once as its own page; the build must end normally (never by
/// a signal such as a stack overflow's SIGSEGV/SIGABRT) within a minute.
#[test]
fn deep_nesting_never_crashes_the_build() {
    let cases: [(&str, String); 6] = [
        ("blockquotes", format!("{} djup\n", ">".repeat(10_000))),
        ("list-items", format!("{}djup\n", "- ".repeat(10_000))),
        ("ordered-items", format!("{}djup\n", "1. ".repeat(10_000))),
        (
            "indented-items",
            (0..10_000)
                .map(|i| format!("{}- djup {i}\n", " ".repeat((i % 200) * 2)))
                .collect(),
        ),
        (
            "html-divs",
            format!(
                "{}djup{}\n",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            ),
        ),
        (
            "brackets-and-emphasis",
            format!(
                "{}djup{} {}djup{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000),
                "*".repeat(10_000),
                "*".repeat(10_000)
            ),
        ),
    ];
    for (name, body) in cases {
        let site =
            TestSite::new().file("content/djup.md", format!("---\ntitle: Djup\n---\n{body}"));
        let build = site
            .build_within(Duration::from_secs(120))
            .unwrap_or_else(|| panic!("{name}: the build hung"));
        assert_eq!(
            build.status.signal(),
            None,
            "{name}: killed by a signal\n{}",
            build.stderr
        );
        if name == "html-divs" {
            // Raw HTML is cleaned, and cleaning is refused past a depth.
            assert_eq!(
                build.error_lines(),
                [
                    "error: content/djup.md:4:1: the page's HTML nests more than 256 elements inside each other"
                ],
                "{}",
                build.stderr
            );
            continue;
        }
        assert!(build.status.success(), "{name}: {}", build.stderr);
        let page = build.read("djup/index.html");
        assert!(page.contains("djup"), "{name}");
    }
}

#[test]
fn a_1_mb_front_matter_builds() {
    // 4,000 questions and answers: about 1 MB of YAML.
    let mut extra = String::from("questions:\n");
    for i in 0..4_000 {
        extra.push_str(&format!(
            "  - question: Fråga nummer {i} om hur leverantörer får svara på utmaningen?\n    answer: {}\n    date: 2023-07-01\n",
            "Svar som förklarar hur det går till. ".repeat(4)
        ));
    }
    assert!(extra.len() > 1_000_000, "{}", extra.len());
    let build = TestSite::new()
        .file("content/challenges/stor.md", open_challenge("Stor", &extra))
        .build(&[])
        .success();
    let page = build.read("challenges/stor/index.html");
    assert!(
        page.contains("id=\"fraga-4000\""),
        "the last question is on the page"
    );
}

#[test]
fn a_1_mb_nested_front_matter_is_a_clear_error() {
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(500_000), close.repeat(500_000));
    let site = TestSite::new()
        .file(
            "content/challenges/y.md",
            open_challenge("Y", &format!("tags: {}\n", deep("[", "]"))),
        )
        .file(
            "content/challenges/t.md",
            format!(
                "+++\ntitle = \"T\"\nsummary = \"S\"\nbuyer = \"B\"\nstage = \"need\"\npublished = 2023-06-15\ntags = {}\n+++\n",
                deep("[", "]")
            ),
        );
    let build = site
        .build_within(Duration::from_secs(120))
        .expect("the build hung")
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/t.md:7:88: the front matter cannot be read: cannot recurse further; max recursion depth met",
            "error: content/challenges/y.md:7:262: the front matter cannot be read: recursion limit exceeded",
        ],
        "{}",
        build.stderr
    );
    // The megabyte line is shown as a window around the column, not whole.
    assert!(
        build.stderr.len() < 4_000,
        "{} bytes of stderr",
        build.stderr.len()
    );
}

/// Regression (fuzz target `deadline`): the "did you mean" search over zone
/// names cost minutes for a megabyte-long `timezone`.
#[test]
fn a_1_mb_timezone_is_refused_quickly() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", &format!("timezone: {}\n", "x".repeat(1_000_000))),
    );
    let build = site
        .build_within(Duration::from_secs(60))
        .expect("the zone suggestion search hung")
        .failure();
    let lines = build.error_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "error: content/challenges/a.md:7:11: `timezone`: unknown time zone \"xxx"
        ),
        "{}",
        &lines[0][..200]
    );
}

// --- Injection through front matter ---

const PAYLOAD: &str = "<script>alert(1)</script>\"'</script>]]>-->";

/// Labels of front-matter fields shown as plain (escaped) text.
const TEXT_FIELDS: &[&str] = &[
    "T1", "S1", "B1", "C1", "G1", "N1", "R1", "PH1", "K1", "FL1", "FV1", "D1", "Q1", "E1", "EP1",
    "PN1", "PP1", "PS1",
];
/// Labels of fields written in Markdown: on a page their raw HTML is
/// cleaned; in data formats they are kept as written, escaped.
const MARKDOWN_FIELDS: &[&str] = &["I1", "U1", "ED1", "A1"];

/// A YAML double-quoted scalar holding `label PAYLOAD`.
fn quoted(label: &str) -> String {
    let value = format!("{label} {PAYLOAD}");
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Parses every HTML, XML, JSON and iCalendar output with Python's own
/// parsers, checks that no script can run, and reports which labels'
/// complete `label PAYLOAD` text each file holds once decoded.
const CHECK_OUTPUTS: &str = r##"
import sys, os, json, re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

out, payload, labels = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
found, problems = {}, []

def note(key, texts):
    joined = "\n".join(texts)
    hits = {l for l in labels if l + " " + payload in joined}
    if hits:
        found.setdefault(key, set()).update(hits)

def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)

class Page(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.text, self.ld, self.script, self.buf = name, [], [], None, ""
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k.startswith("on"):
                problems.append(f"{self.name}: <{tag} {k}>")
            if k in ("href", "src", "action", "formaction") and v:
                if re.sub(r"[\x00-\x20]", "", v).lower().startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{self.name}: <{tag} {k}={v!r}>")
            if k in ("content", "title", "alt", "aria-label", "value") and v:
                self.text.append(v)
        if tag == "script":
            a = dict(attrs)
            if a.get("type") == "application/ld+json":
                self.script = "ld"
            elif "src" in a:
                self.script = "src"
            else:
                problems.append(f"{self.name}: an inline script")
                self.script = "inline"
            self.buf = ""
    def handle_endtag(self, tag):
        if tag == "script" and self.script:
            if self.script == "ld":
                self.ld.append(self.buf)
            elif self.buf.strip():
                problems.append(f"{self.name}: a script element with a body")
            self.script = None
    def handle_data(self, data):
        if self.script:
            self.buf += data
        else:
            self.text.append(data)

for folder, _, files in os.walk(out):
    for f in files:
        path = os.path.join(folder, f)
        rel = os.path.relpath(path, out)
        data = open(path, "rb").read()
        if f.endswith(".html"):
            text = data.decode("utf-8")
            if re.search(r"<script>\s*alert", text, re.I) or "alert(1)</script>" in text:
                problems.append(f"{rel}: an unescaped script")
            p = Page(rel)
            p.feed(text)
            p.close()
            note(rel, p.text)
            for block in p.ld:
                if "</" in block or "<!--" in block:
                    problems.append(f"{rel}: JSON-LD that can end its script element")
                note(rel + "#json-ld", list(strings(json.loads(block))))
        elif f.endswith(".xml"):
            root = ET.fromstring(data)
            note(rel, [t for e in root.iter() for t in [e.text or ""] + list(e.attrib.values())])
        elif f.endswith(".json"):
            note(rel, list(strings(json.loads(data.decode("utf-8")))))
        elif f.endswith(".ics"):
            if b"\n" in data.replace(b"\r\n", b""):
                problems.append(f"{rel}: a line feed without CR")
            for line in data.split(b"\r\n"):
                if len(line) > 75:
                    problems.append(f"{rel}: a line of {len(line)} octets")
            depth, values = 0, []
            for line in data.decode("utf-8").replace("\r\n ", "").split("\r\n"):
                name, _, value = line.partition(":")
                depth += (name == "BEGIN") - (name == "END")
                if depth < 0:
                    problems.append(f"{rel}: END without BEGIN")
                values.append(re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value))
            if depth != 0:
                problems.append(f"{rel}: BEGIN and END do not pair")
            note(rel, values)

print(json.dumps({"problems": problems, "found": {k: sorted(v) for k, v in found.items()}}))
"##;

#[test]
fn injection_in_every_field_is_escaped_in_every_output() {
    let q = quoted;
    let front = format!(
        "---\ntitle: {}\nsummary: {}\nbuyer: {}\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\ncategory: {}\ntags: [{}]\n\
         contact:\n  name: {}\n  role: {}\n  email: anna@example.se\n  phone: {}\n\
         respond:\n  url: https://example.se/svar\n  instructions: {}\ncompensation: {}\n\
         facts:\n  - label: {}\n    value: {}\n\
         documents:\n  - title: {}\n    url: https://example.se/d.pdf\n\
         updates:\n  - date: 2023-07-01\n    text: {}\n\
         questions:\n  - question: {}\n    answer: {}\n    date: 2023-07-02\n\
         events:\n  - title: {}\n    start: 2023-08-10T09:00\n    place: {}\n    description: {}\n\
         phases:\n  - name: {}\n    start: 2023-09-01\n    end: 2023-10-01\n    pay: {}\n    suppliers: {}\n\
         ---\nBrödtext {PAYLOAD}\n",
        q("T1"),
        q("S1"),
        q("B1"),
        q("C1"),
        q("G1"),
        q("N1"),
        q("R1"),
        q("PH1"),
        q("I1"),
        q("K1"),
        q("FL1"),
        q("FV1"),
        q("D1"),
        q("U1"),
        q("Q1"),
        q("A1"),
        q("E1"),
        q("EP1"),
        q("ED1"),
        q("PN1"),
        q("PP1"),
        q("PS1"),
    );
    let site = TestSite::new().file("content/challenges/injektion.md", front);
    let build = site.build(&[]).success();
    let labels: Vec<&str> = TEXT_FIELDS.iter().chain(MARKDOWN_FIELDS).copied().collect();
    let out = Command::new("python3")
        .arg("-c")
        .arg(CHECK_OUTPUTS)
        .arg(site.output())
        .arg(PAYLOAD)
        .arg(labels.join(","))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "an output does not parse:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report");
    assert_eq!(report["problems"], serde_json::json!([]), "{report:#}");
    let found: BTreeMap<String, BTreeSet<String>> = report["found"]
        .as_object()
        .expect("an object")
        .iter()
        .map(|(file, labels)| {
            let labels = labels.as_array().expect("a list");
            let labels = labels.iter().map(|l| l.as_str().expect("text").to_string());
            (file.clone(), labels.collect())
        })
        .collect();
    // Where each field's text must arrive intact (escaped for the format,
    // identical once decoded).
    let expected: &[(&str, &[&str])] = &[
        ("challenges/injektion/index.html", TEXT_FIELDS),
        (
            "challenges/injektion/index.html#json-ld",
            &["T1", "S1", "B1", "C1", "Q1", "A1"],
        ),
        ("index.html", &["T1", "S1", "B1"]),
        ("challenges/index.html", &["T1", "S1", "B1", "C1"]),
        ("atom.xml", &["T1", "S1", "B1"]),
        ("calendar.ics", &["T1", "E1", "EP1", "ED1"]),
        (
            "challenges/injektion/calendar.ics",
            &["T1", "E1", "EP1", "ED1"],
        ),
        ("search-index.json", &["T1", "S1"]),
        (
            "api/challenges.json",
            &[
                "T1", "S1", "B1", "C1", "G1", "N1", "R1", "PH1", "I1", "K1", "FL1", "FV1", "D1",
                "U1", "Q1", "A1", "E1", "EP1", "ED1", "PN1", "PP1", "PS1",
            ],
        ),
        (
            "api/ocds.json",
            &["T1", "S1", "B1", "N1", "D1", "U1", "Q1", "A1", "E1", "PN1"],
        ),
    ];
    for (file, labels) in expected {
        let got = found.get(*file).cloned().unwrap_or_default();
        let missing: Vec<&&str> = labels.iter().filter(|l| !got.contains(**l)).collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}; has {got:?}");
    }
    // Markdown fields keep their text; the script element is removed.
    let page = build.read("challenges/injektion/index.html");
    for label in MARKDOWN_FIELDS.iter().chain(&["Brödtext"]) {
        assert!(
            page.contains(&format!("{label} \u{201c}\u{2019}]]&gt;\u{2013}&gt;")),
            "{label} in\n{page}"
        );
    }
    // And the title is escaped, not dropped, in the page's own markup.
    assert!(page.contains(
        "T1 &lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;/script&gt;]]&gt;--&gt;"
    ));
}

#[test]
fn javascript_and_data_urls_are_errors() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            format!(
                "{}[Klicka](javascript:alert(1)) och ![bild](data:image/svg+xml;base64,PHN2Zz4=) \
                 och [ref][r] och <javascript:alert(2)>\n\n[r]: JaVaScRiPt:alert(3)\n",
                challenge(
                    "A",
                    "respond:\n  url: javascript:alert(1)\nevents:\n  - title: Möte\n    start: 2023-08-10T09:00\n    url: \"data:text/html,<script>alert(1)</script>\"\ndocuments:\n  - title: D\n    url: \"java\\tscript:alert(1)\"\n",
                )
            ),
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:9:8: `respond.url`: `javascript:alert(1)` is not a web or e-mail address",
            "error: content/challenges/a.md:13:11: `events.url`: `data:text/html,<script>alert(1)</script>` is not a web address",
            // A tab is a control character: refused in every one-line field.
            "error: content/challenges/a.md:16:11: `documents.url`: item 1 of `documents`: the value holds a tab (U+0009); this field is one line of plain text",
            "error: content/challenges/a.md:18:1: the address `javascript:alert(1)` is not allowed",
            "error: content/challenges/a.md:18:35: the address `data:image/svg+xml;base64,PHN2Zz4=` is not allowed",
            "error: content/challenges/a.md:18:83: the address `JaVaScRiPt:alert(3)` is not allowed",
            "error: content/challenges/a.md:18:96: the address `javascript:alert(2)` is not allowed",
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn event_handlers_in_raw_html_are_removed() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<img src=\"https://example.se/bild.png\" alt=\"Bild\" onerror=\"alert(1)\">\n\n\
             <a href=\"https://example.se/\" onclick=\"alert(1)\" OnMouseOver=\"alert(2)\">Länk</a>\n\n\
             <p onmouseover=alert(3)>Text</p>\n\n<svg onload=alert(4)><circle r=1 /></svg>\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    let main = &page[page.find("<main").expect("a main element")..];
    assert!(
        main.contains("<img src=\"https://example.se/bild.png\" alt=\"Bild\">"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"https://example.se/\">Länk</a>"),
        "{main}"
    );
    assert!(main.contains("<p>Text</p>"), "{main}");
    let lower = page.to_ascii_lowercase();
    for handler in [
        "onerror",
        "onclick",
        "onmouseover",
        "onload",
        "<svg",
        "alert(",
    ] {
        assert!(!lower.contains(handler), "{handler} survived in\n{main}");
    }
}

/// Regression (fuzz target `markdown`, crash-485fde4b): a table cell's raw
/// `style` kept any CSS, so a page could lay other content over itself.
#[test]
fn table_cell_style_cannot_cover_the_page() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<table><tr><td style=\"position:fixed;top:0\">x</td></tr></table>\n\n\
             | Kolumn |\n|-------:|\n| 1 |\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    // Every property went, so the attribute is left empty.
    assert!(page.contains("<td style=\"\">x</td>"), "{page}");
    assert!(
        page.contains("<th style=\"text-align:right\">Kolumn</th>"),
        "{page}"
    );
    assert!(!page.contains("position:fixed"), "{page}");
}

/// Kept from the `markdown` fuzz target (crash-dc925927; a false alarm of
/// its first checker): character references inside `javascript:` in raw
/// HTML. The first loses its address; the second keeps a control character
/// in the middle of the would-be scheme, which makes it a harmless relative
/// address to a browser's URL parser.
#[test]
fn encoded_javascript_in_raw_links_is_not_a_script_address() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<a href=\"&#106;avascript:alert(1)\">x</a> \
             <a href=\"jav&#x10;ascript:alert(1)\">y</a>\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    assert!(page.contains("<a>x</a>"), "{page}");
    assert!(
        page.contains("<a href=\"jav\u{10}ascript:alert(1)\">y</a>"),
        "{page}"
    );
    for href in crate::util::links(&page) {
        // What the URL parser strips before reading a scheme.
        let url: String = href
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        assert!(
            !url.to_ascii_lowercase().starts_with("javascript:"),
            "{href:?}"
        );
    }
}

// --- Dates ---

#[test]
fn impossible_dates_and_zones_are_errors_with_file_and_line() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            challenge("A", "").replace("2023-08-31", "2023-02-30"),
        )
        .file(
            "content/challenges/b.md",
            challenge("B", "").replace("2023-08-31", "2023-08-31T24:00"),
        )
        .file(
            "content/challenges/c.md",
            challenge("C", "timezone: Europe/Stokholm\n"),
        )
        .file(
            "content/challenges/d.md",
            challenge("D", "opens: 2023-09-01\n"),
        )
        .file(
            "content/challenges/e.md",
            challenge("E", "").replace("2023-08-31", "10000-01-01"),
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:7:11: `deadline`: invalid date \"2023-02-30\": there is no day 30 in February 2023; it has 28 days",
            "error: content/challenges/b.md:7:11: `deadline`: invalid date \"2023-08-31T24:00\": there is no hour 24; use 23:59, or 00:00 on the next day",
            "error: content/challenges/c.md:8:11: `timezone`: unknown time zone \"Europe/Stokholm\"",
            "error: content/challenges/d.md:8:8: `opens`: `opens` is not before `deadline`",
            "error: content/challenges/e.md:7:11: `deadline`: invalid date \"10000-01-01\": year 10000 is out of range (years are written with four digits)",
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("Did you mean \"Europe/Stockholm\"?"));
}

// --- Cost in proportion to size ---

/// What one `utlys check` of a site cost.
struct Cost {
    status: std::process::ExitStatus,
    stderr: String,
    /// CPU time of the process and its threads, user and system, in seconds:
    /// less disturbed than the wall clock by other work on the machine.
    cpu: f64,
    /// Peak resident memory in bytes.
    peak: u64,
}

/// Runs `utlys check` on `site` once and measures it from a small Python
/// parent, with `getrusage(RUSAGE_CHILDREN)`.
///
/// Not with `wait4` from this process: the child starts as a copy of this
/// (large, multi-threaded) test process, and Linux counts the copy's peak in
/// the child's, which hid the check's own memory.
fn check_cost(site: &TestSite) -> Cost {
    const MEASURE: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n\
        u = resource.getrusage(resource.RUSAGE_CHILDREN)\n\
        print(r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss)\n";
    let out = Command::new("python3")
        .args(["-c", MEASURE])
        .arg(env!("CARGO_BIN_EXE_utlys"))
        .args(["check", "--root"])
        .arg(site.root())
        .args(["--now", NOW])
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run python3 (needed to measure the check)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "python3 said {stdout:?}");
    let code: i32 = fields[0].parse().expect("an exit code");
    // A negative code is a signal, as Python reports it.
    let status = if code < 0 {
        std::process::ExitStatus::from_raw(-code)
    } else {
        std::process::ExitStatus::from_raw(code << 8)
    };
    Cost {
        status,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cpu: fields[1].parse().expect("seconds"),
        // Linux reports ru_maxrss in kibibytes.
        peak: fields[2].parse::<u64>().expect("a size") * 1024,
    }
}

/// How much more a check of `site(2 * n)` costs than one of `site(n)`:
/// (CPU time ratio, peak memory ratio), each run three times and the
/// least taken, so a busy moment of the machine does not count. Also gives
/// the stderr of the larger check.
fn doubling_cost(n: usize, site: impl Fn(usize) -> TestSite) -> (f64, f64, String) {
    let least = |site: &TestSite| {
        let runs: Vec<Cost> = (0..3).map(|_| check_cost(site)).collect();
        let cpu = runs.iter().map(|c| c.cpu).fold(f64::INFINITY, f64::min);
        let peak = runs.iter().map(|c| c.peak).min().unwrap_or(0);
        let last = runs.into_iter().next_back().expect("three runs");
        assert_eq!(last.status.signal(), None, "{}", last.stderr);
        (cpu, peak, last.stderr)
    };
    let (small_cpu, small_peak, _) = least(&site(n));
    let (large_cpu, large_peak, stderr) = least(&site(2 * n));
    let time = large_cpu / small_cpu;
    let memory = large_peak as f64 / small_peak as f64;
    eprintln!(
        "n = {n}: CPU {small_cpu:.2} s -> {large_cpu:.2} s ({time:.2}×), peak {} MB -> {} MB ({memory:.2}×)",
        small_peak >> 20,
        large_peak >> 20
    );
    (time, memory, stderr)
}

/// Regression (a 160 KB file took 12 GB to check): thousands of bad values
/// in one flow list on one line, and thousands of bad links in a page, each
/// made a problem holding the whole line and costing a pass over the file.
/// Past 50 per file they are counted, and the line is kept as a window.
#[test]
fn thousands_of_problems_in_one_file_cost_in_proportion() {
    let site = |n: usize| {
        TestSite::new()
            .file(
                "content/challenges/a.md",
                open_challenge("A", &format!("cpv: [{}]\n", vec!["bad"; n].join(", "))),
            )
            .file(
                "content/d.md",
                format!(
                    "---\ntitle: D\n---\n{}\n",
                    "[x](javascript:alert(1)) ".repeat(n)
                ),
            )
    };
    let (time, memory, stderr) = doubling_cost(8_000, site);
    // Cost first: a failure then says how much more it cost.
    assert!(
        time <= 2.5,
        "doubling the problems cost {time:.2}× the time"
    );
    assert!(
        memory <= 2.5,
        "doubling the problems cost {memory:.2}× the memory"
    );
    for file in ["content/challenges/a.md", "content/d.md"] {
        let summary = format!(
            "error: {file}: 15950 more problems in this file are not shown (15950 errors, 0 warnings): at most 50 are shown per file"
        );
        assert!(stderr.contains(&summary), "{summary}\n{stderr}");
    }
}

/// A problem on a long line keeps a window of it, not the whole line: 60
/// problems on a 1 MB line take about as much memory as one.
#[test]
fn problems_on_a_long_line_do_not_copy_it() {
    let items = 90_000;
    let peak = |bad: usize| {
        let mut cpv = vec!["bad"; bad];
        cpv.resize(items, "72000000-5");
        let text = open_challenge("A", &format!("cpv: [{}]\n", cpv.join(", ")));
        let size = text.len() as u64;
        let site = TestSite::new().file("content/challenges/a.md", text);
        let cost = check_cost(&site);
        assert_eq!(cost.status.code(), Some(1), "{}", cost.stderr);
        (cost.peak, size)
    };
    let (one, size) = peak(1);
    let (many, _) = peak(60);
    eprintln!(
        "1 MB line: peak {} MB with one problem, {} MB with 60",
        one >> 20,
        many >> 20
    );
    assert!(size > 1_000_000, "{size}");
    assert!(
        many < one + 5 * size,
        "60 problems took {} MB more than one on a {} KB line",
        (many.saturating_sub(one)) >> 20,
        size >> 10
    );
}

/// Regression: `check` took time growing with the square of a challenge's
/// tags: each was compared with every earlier one to drop repeats. Past 100
/// different tags a challenge is also refused.
#[test]
fn many_tags_on_a_challenge_cost_in_proportion() {
    let site = |n: usize| {
        let tags: Vec<String> = (0..n).map(|i| format!("tagg{i}")).collect();
        TestSite::new().file(
            "content/challenges/a.md",
            open_challenge("A", &format!("tags: [{}]\n", tags.join(", "))),
        )
    };
    let (time, _, stderr) = doubling_cost(20_000, site);
    assert!(time <= 2.5, "doubling the tags cost {time:.2}× the time");
    assert!(
        stderr.contains("error: content/challenges/a.md:7:7: `tags`: the challenge has 40000 different tags; at most 100 are allowed"),
        "{stderr}"
    );
    // At the limit the site is built.
    let tags: Vec<String> = (0..100).map(|i| format!("tagg{i}")).collect();
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", &format!("tags: [{}, tagg0]\n", tags.join(", "))),
        )
        .build(&[])
        .success();
    assert!(build.exists("tags/tagg99/index.html"));
}

/// Regression: each link to a heading on another page was looked up in a
/// list of that page's headings, so n links to n headings cost n².
#[test]
fn many_links_to_headings_cost_in_proportion() {
    let site = |n: usize| {
        let body: String = (0..n)
            .map(|i| format!("## Rubrik {i}\n\n[länk](@/d.md#rubrik-{i})\n\n"))
            .collect();
        TestSite::new().file("content/d.md", format!("---\ntitle: D\n---\n{body}"))
    };
    let (time, _, stderr) = doubling_cost(16_000, site);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(time <= 2.5, "doubling the links cost {time:.2}× the time");
}

/// Regression: thousands of nested raw HTML elements took seconds
/// to clean (time growing with the square of the depth). Past 256 levels
/// the page is refused, in a pass over it, before it is cleaned.
#[test]
fn deeply_nested_raw_html_is_refused_in_proportion() {
    let site = |n: usize| {
        TestSite::new()
            .file(
                "content/d.md",
                format!(
                    "---\ntitle: D\n---\nText\n\n{}x{}\n",
                    "<div>".repeat(n),
                    "</div>".repeat(n)
                ),
            )
            // The same flat page in both sites, so that a check takes a
            // measurable time even when the deep one is refused at once.
            .file(
                "content/flat.md",
                format!(
                    "---\ntitle: Platt\n---\n{}",
                    "Ett stycke med **fetstil** och [en länk](https://example.se).\n\n"
                        .repeat(10_000)
                ),
            )
    };
    let (time, _, stderr) = doubling_cost(10_000, site);
    assert!(time <= 2.5, "doubling the depth cost {time:.2}× the time");
    assert!(
        stderr.contains("error: content/d.md:6:1: the page's HTML nests more than 256 elements inside each other"),
        "{stderr}"
    );
    // 256 levels are cleaned and published.
    let build = site(256).build(&[]).success();
    assert!(build.read("d/index.html").contains("<div>x</div>"));
}

// --- Control characters ---

/// Regression: a line break in a one-line field went into the outputs as
/// it was (and a NUL made the feeds ill-formed XML). Every one-line field
/// refuses every control character, Markdown fields those XML forbids; the
/// error names the field and the character, at the field.
#[test]
fn control_characters_in_fields_are_errors_naming_the_character() {
    let yaml = challenge(
        "\"Titel\\nmed rad\"",
        concat!(
            "contact:\n  name: \"Anna\\rAndersson\"\n  email: anna@example.se\n",
            "tags: [klimat, \"ny\\u0085rad\"]\n",
            "documents:\n  - title: \"Dok\\vument\"\n    url: https://example.se/a.pdf\n",
            "events:\n  - title: \"Möte\\u2029\"\n    start: 2023-09-01T10:00\n",
            "respond:\n  url: \"https://example.se/svar\\0\"\n",
            "  instructions: \"Rad ett\\n\\tRad två\"\n",
            "updates:\n  - date: 2023-07-01\n    text: \"Ändrat\\x01\"\n",
        ),
    );
    let toml =
        "+++\ntitle = \"Om\\u0007oss\"\nsummary = \"Form\\ffeed\"\n+++\nText med NUL \u{0} här.\n";
    let site = TestSite::new()
        .file("content/challenges/a.md", yaml)
        .file("content/om.md", toml);
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:2:8: `title`: the value holds a line break (U+000A); this field is one line of plain text",
            "error: content/challenges/a.md:9:9: `contact.name`: the value holds a carriage return (U+000D); this field is one line of plain text",
            "error: content/challenges/a.md:11:17: `tags`: item 2 of `tags`: the value holds a next-line character (U+0085); this field is one line of plain text",
            "error: content/challenges/a.md:13:13: `documents.title`: item 1 of `documents`: the value holds a vertical tab (U+000B); this field is one line of plain text",
            "error: content/challenges/a.md:16:13: `events.title`: item 1 of `events`: the value holds a paragraph separator (U+2029); this field is one line of plain text",
            "error: content/challenges/a.md:19:8: `respond.url`: the value holds a NUL character (U+0000); this field is one line of plain text",
            "error: content/challenges/a.md:23:12: `updates.text`: item 1 of `updates`: the text holds a control character (U+0001), which XML feeds cannot carry",
            "error: content/om.md:2:9: `title`: the value holds a control character (U+0007); this field is one line of plain text",
            "error: content/om.md:3:11: `summary`: the value holds a form feed (U+000C); this field is one line of plain text",
            "error: content/om.md:5:14: the text holds a NUL character (U+0000), which XML feeds cannot carry",
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains(
        "= hint: remove the character and write the value on one line; text pasted from Word, a PDF or an e-mail often brings invisible characters along"
    ));
    // The source line is shown with a picture of the NUL, not the NUL.
    assert!(
        build.stderr.contains("  5 | Text med NUL \u{2400} här."),
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains('\0'));
    assert!(!build.output.exists(), "a failed build published something");

    // Line breaks and tabs are fine in Markdown fields: with the rest
    // fixed, the site builds and the instructions keep their two lines.
    site.write(
        "content/challenges/a.md",
        challenge(
            "Titel",
            "respond:\n  url: https://example.se/svar\n  instructions: \"Rad ett\\n\\tRad två\"\n",
        ),
    );
    site.remove("content/om.md");
    let build = site.build(&[]).success();
    assert!(build.read("challenges/a/index.html").contains("Rad två"));
}

/// Regression: a line break in `base_url` gave `robots.txt` lines of its
/// own, and other control characters made the feeds and the sitemap
/// ill-formed XML. `site.toml` and `--base-url` refuse them; the published
/// site stays as it was.
#[test]
fn base_url_with_control_characters_is_refused_and_nothing_changes() {
    let site = TestSite::new().file("content/om.md", "---\ntitle: Om\n---\nText\n");
    let published = site.build(&[]).success().tree();
    let robots = fs::read_to_string(site.output().join("robots.txt")).expect("robots.txt");
    assert_eq!(
        robots.lines().filter(|l| l.starts_with("Sitemap:")).count(),
        1,
        "{robots}"
    );

    site.write(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\\nDisallow: /\"\n",
    );
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: site.toml:2:1: `base_url`: the base URL holds a line break (U+000A) after `https://example.se/`; remove it: an address is one line without control characters"
        ],
        "{}",
        build.stderr
    );
    assert_same_tree(&published, &tree(&site.output()));

    site.write("site.toml", crate::util::SITE_TOML);
    for (c, name) in [
        ("\r\n", "a carriage return (U+000D)"),
        ("\u{2028}", "a line separator (U+2028)"),
        ("\u{85}", "a next-line character (U+0085)"),
        ("\u{7f}", "a delete character (U+007F)"),
        ("\t", "a tab (U+0009)"),
    ] {
        let url = format!("https://example.se/a{c}Disallow: /");
        let build = site.build(&["--base-url", &url]).failure();
        assert_eq!(
            build.error_lines(),
            [format!(
                "error: --base-url: the base URL holds {name} after `https://example.se/a`; remove it: an address is one line without control characters"
            )],
            "{}",
            build.stderr
        );
        assert_same_tree(&published, &tree(&site.output()));
    }
}

// --- Crash safety ---

/// A site of `pages` simple challenges; `version` goes into every title, so
/// two versions differ in every page.
fn big_site(pages: usize, version: &str) -> TestSite {
    let site = TestSite::new();
    write_big_site(&site, pages, version);
    site
}

fn write_big_site(site: &TestSite, pages: usize, version: &str) {
    for i in 0..pages {
        site.write(
            &format!("content/challenges/c{i:04}.md"),
            format!(
                "{}Utmaning nummer {i} i version {version}.\n\n## Bakgrund\n\nText.\n",
                open_challenge(&format!("Utmaning {i} {version}"), "tags: [test]\n")
            ),
        );
    }
}

/// A reference build of the site as it is now, in a folder of its own.
fn reference(site: &TestSite, name: &str) -> (BTreeMap<String, Vec<u8>>, Duration) {
    let out = site.tmp().join(name).join("public");
    let started = Instant::now();
    site.build(&["--output", &out.display().to_string()])
        .success();
    (tree(&out), started.elapsed())
}

/// A small, seedable generator for kill delays (no dependency needed).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn spawn_build(site: &TestSite) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.output())
        .args(["--now", NOW])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn utlys")
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let site = big_site(2_000, "A");
    let (tree_a, _) = reference(&site, "ref-a");
    write_big_site(&site, 2_000, "B");
    let (tree_b, _) = reference(&site, "ref-b");
    assert_ne!(tree_a, tree_b);
    // The published site starts as version A; timing a build over a
    // published site (not a first build) sets the span of the kills.
    write_big_site(&site, 2_000, "A");
    site.build(&[]).success();
    write_big_site(&site, 2_000, "B");
    let started = Instant::now();
    site.build(&[]).success();
    let took = started.elapsed();
    write_big_site(&site, 2_000, "A");
    site.build(&[]).success();
    assert_same_tree(&tree(&site.output()), &tree_a);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64 | 1);
    let mut random = XorShift(seed);
    // Kills spread over the whole build, a little past its usual end.
    let span = u64::try_from(took.as_millis()).unwrap_or(5_000) * 11 / 10;
    let mut current = "A";
    let mut swapped = 0;
    for round in 0..20 {
        let next = if current == "A" { "B" } else { "A" };
        write_big_site(&site, 2_000, next);
        let delay = random.below(span);
        let mut child = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL the build");
        let status = child.wait().expect("reap the build");
        let now = tree(&site.output());
        // The old site or the new one, complete; never a mix or nothing.
        if now == tree_a {
            current = "A";
        } else if now == tree_b {
            current = "B";
        } else {
            let expected = if current == "A" { &tree_a } else { &tree_b };
            panic!(
                "round {round} (seed {seed}, kill after {delay} ms, {status:?}): the published site is neither version:\n{:?}",
                crate::util::changed_paths(&now, expected)
            );
        }
        if current == next {
            swapped += 1;
        }
        // Put the content back to what is published, so the next round
        // again has a different version to write.
        write_big_site(&site, 2_000, current);
    }
    eprintln!("20 kills over {span} ms: {swapped} after the swap, the rest before it");

    // A normal build afterwards succeeds and leaves only the output, the
    // spare tree and the lock file.
    let final_version = if current == "A" { "B" } else { "A" };
    write_big_site(&site, 2_000, final_version);
    site.build(&[]).success();
    let expected = if final_version == "A" {
        &tree_a
    } else {
        &tree_b
    };
    assert_same_tree(&tree(&site.output()), expected);
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [".public.utlys-lock", ".public.utlys-spare", "public"]
    );
}

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let site = big_site(1_000, "A");
    let (expected, _) = reference(&site, "ref");
    let mut refused = 0;
    for round in 0..5 {
        let first = spawn_build(&site);
        let second = spawn_build(&site);
        let mut successes = 0;
        for child in [first, second] {
            let out = child.wait_with_output().expect("wait for a build");
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                successes += 1;
            } else {
                // The loser names the lock and changes nothing.
                assert_eq!(out.status.code(), Some(1), "round {round}: {stderr}");
                assert!(
                    stderr.contains("another build is publishing to"),
                    "round {round}: {stderr}"
                );
                refused += 1;
            }
        }
        assert!(successes >= 1, "round {round}: no build succeeded");
        assert_same_tree(&tree(&site.output()), &expected);
    }
    eprintln!("5 rounds of two builds at once: {refused} refused by the lock");
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [".public.utlys-lock", ".public.utlys-spare", "public"]
    );
}
