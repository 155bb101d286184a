//! A throw-away site in a temporary folder, built with the real `utlys`
//! binary.
//!
//! Layout of every test site:
//!
//! ```text
//! <tmp>/site/site.toml, <tmp>/site/content/…   the site (`--root`)
//! <tmp>/out/public/                            the output (`--output`)
//! ```
//!
//! The output has a folder of its own so a test can see every file a build
//! leaves beside it (the `.public.utlys-spare` / `.public.utlys-lock`
//! siblings).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::rc::Rc;

/// The build clock used unless a test passes its own `--now`.
pub(crate) const NOW: &str = "2023-08-25T10:00:00+02:00";

/// The `site.toml` every test site starts with.
pub(crate) const SITE_TOML: &str = "title = \"Testportal\"\nbase_url = \"https://example.se/\"\n";

/// Front matter of a valid challenge at the `rfi` stage, deadline
/// 2023-08-31, plus `extra` lines (each ending in `\n`).
pub(crate) fn challenge(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\n{extra}---\n"
    )
}

/// Front matter of a valid challenge with no deadline (stage `need`).
pub(crate) fn open_challenge(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: need\npublished: 2023-06-15\n{extra}---\n"
    )
}

/// A site in a temporary folder.
pub(crate) struct TestSite {
    /// Shared with every [`Build`] of the site, so a build's output
    /// outlives a `TestSite::new()…build()` chain.
    tmp: Rc<tempfile::TempDir>,
}

impl TestSite {
    /// A site with a minimal valid `site.toml` and an empty `content/`.
    pub(crate) fn new() -> TestSite {
        let tmp = tempfile::Builder::new()
            .prefix("utlys-it-")
            .tempdir()
            .expect("create a temporary folder");
        let site = TestSite { tmp: Rc::new(tmp) };
        fs::create_dir_all(site.root().join("content")).expect("create content/");
        site.file("site.toml", SITE_TOML)
    }

    /// Writes `contents` to `path` (relative to the site root).
    pub(crate) fn file(self, path: &str, contents: impl AsRef<[u8]>) -> TestSite {
        self.write(path, contents);
        self
    }

    /// Writes (or overwrites) a file of the site without consuming it.
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().expect("a file has a parent"))
            .expect("create the file's folder");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes a file of the site.
    pub(crate) fn remove(&self, path: &str) {
        let path = self.root().join(path);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// The temporary folder holding the site and its output.
    pub(crate) fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// The site root (`--root`).
    pub(crate) fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    /// The default output folder (`--output`).
    pub(crate) fn output(&self) -> PathBuf {
        self.tmp.path().join("out").join("public")
    }

    /// Runs `utlys build --root <root>` with `args`. `--output` defaults to
    /// [`TestSite::output`] and `--now` to [`NOW`] unless `args` give them.
    pub(crate) fn build(&self, args: &[&str]) -> Build {
        let mut all: Vec<String> = vec!["build".into(), "--root".into()];
        all.push(self.root().display().to_string());
        let output = match args.iter().position(|a| *a == "--output") {
            Some(i) => PathBuf::from(args[i + 1]),
            None => {
                all.push("--output".into());
                all.push(self.output().display().to_string());
                self.output()
            }
        };
        if !args.contains(&"--now") {
            all.push("--now".into());
            all.push(NOW.into());
        }
        all.extend(args.iter().map(|a| a.to_string()));
        let run = run(&all);
        Build {
            output,
            _tmp: Some(Rc::clone(&self.tmp)),
            ..run
        }
    }
}

/// Runs the `utlys` binary with `args` (in the system temp folder, so a
/// relative path can never land in the repository).
pub(crate) fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Build {
    let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run the utlys binary");
    Build {
        status: out.status,
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        output: PathBuf::new(),
        _tmp: None,
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Build {
    /// Exit status.
    pub(crate) status: ExitStatus,
    /// Everything printed to stdout.
    pub(crate) stdout: String,
    /// Everything printed to stderr.
    pub(crate) stderr: String,
    /// The output folder the build was given.
    pub(crate) output: PathBuf,
    /// Keeps the site's temporary folder alive while the build is read.
    _tmp: Option<Rc<tempfile::TempDir>>,
}

impl Build {
    /// Panics (showing stderr) unless the build succeeded.
    #[track_caller]
    pub(crate) fn success(self) -> Build {
        assert!(
            self.status.success(),
            "build failed ({:?})\n--- stderr ---\n{}",
            self.status,
            self.stderr
        );
        self
    }

    /// Panics unless the build failed with exit code 1 (a site error).
    #[track_caller]
    pub(crate) fn failure(self) -> Build {
        assert_eq!(
            self.status.code(),
            Some(1),
            "expected a failed build\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics unless stderr contains every one of `needles`.
    #[track_caller]
    pub(crate) fn stderr_has(self, needles: &[&str]) -> Build {
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}\n--- stderr ---\n{}",
                self.stderr
            );
        }
        self
    }

    /// The lines of stderr that start a diagnostic (`error: …`).
    pub(crate) fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    /// A file of the output, as text.
    #[track_caller]
    pub(crate) fn read(&self, path: &str) -> String {
        let path = self.output.join(path);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "read {}: {e}\n--- stderr ---\n{}",
                path.display(),
                self.stderr
            )
        })
    }

    /// Whether the output has the file `path`.
    pub(crate) fn exists(&self, path: &str) -> bool {
        self.output.join(path).is_file()
    }

    /// Every file of the output: path → bytes.
    pub(crate) fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.output)
    }
}

/// Every file under `dir` (recursively), as `/`-separated relative path →
/// bytes. Folders are listed too (with a trailing `/` and no bytes) so an
/// added empty folder is seen.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("list a folder");
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .expect("inside the base")
                .to_string_lossy()
                .replace('\\', "/");
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names directly inside `dir`, sorted.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list a folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The visible text of the first element whose start tag contains `marker`
/// (such as `class="badge `), with tags removed and spaces collapsed.
#[track_caller]
pub(crate) fn element_text(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in the page"));
    let start = html[..=at].rfind('<').expect("a start tag");
    let name: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut text = String::new();
    let mut rest = &html[start..];
    loop {
        let lt = rest.find('<').expect("the element is closed");
        text.push_str(&rest[..lt]);
        let gt = rest[lt..].find('>').expect("a tag ends") + lt;
        let tag = &rest[lt..=gt];
        if tag.starts_with(&close) {
            depth -= 1;
        } else if tag.starts_with(&open)
            && tag[open.len()..].starts_with([' ', '>', '/'])
            && !tag.ends_with("/>")
        {
            depth += 1;
        }
        rest = &rest[gt + 1..];
        if depth == 0 {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `href="…"` and `src="…"` value of `html`, with `&amp;` decoded.
pub(crate) fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("the attribute is closed");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// Decodes `%XX` escapes of a URL path.
pub(crate) fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("decoded path is UTF-8")
}

/// The paths whose bytes differ between two trees (added, removed or
/// changed), sorted.
pub(crate) fn changed_paths(
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut paths: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Panics, naming the paths that differ, unless both trees are identical.
#[track_caller]
pub(crate) fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let changed = changed_paths(a, b);
    if let Some(first) = changed.first() {
        let show = |t: &BTreeMap<String, Vec<u8>>| {
            t.get(first).map_or("(missing)".into(), |b| {
                String::from_utf8_lossy(b).into_owned()
            })
        };
        panic!(
            "the trees differ in {changed:?}\n--- {first} (left) ---\n{}\n--- {first} (right) ---\n{}",
            show(a),
            show(b)
        );
    }
}
