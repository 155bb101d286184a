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
//! leaves beside it (the `.public.utlys-spare`, `.public.utlys-lock`,
//! `.public.utlys-manifest` and `.public.utlys-history` siblings).

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

    /// Writes (or overwrites) a file of the site without consuming it, the
    /// way an editor saves (see [`save`]).
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        save(&self.root().join(path), contents);
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
    /// [`TestSite::output`] and `--now` to [`NOW`] unless `args` give them;
    /// `--allow-example-url` is added unless `args` give `--base-url`.
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
        // The test sites live at the example address (`SITE_TOML`); a
        // test of the refusal runs the binary itself.
        if !args.contains(&"--base-url") {
            all.push("--allow-example-url".into());
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

/// Writes `contents` to `path` the way an editor saves a file: into a
/// hidden temporary file in the same folder, then renamed over `path` in one
/// step. A watcher (`utlys serve`) never sees `path` half-written: it sees
/// the hidden name, which it ignores, and then the whole file at once. Every
/// test that writes a file a server may be watching writes through here.
pub(crate) fn save(path: &Path, contents: impl AsRef<[u8]>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static SAVES: AtomicUsize = AtomicUsize::new(0);
    let folder = path.parent().expect("a file has a parent");
    fs::create_dir_all(folder).unwrap_or_else(|e| panic!("create {}: {e}", folder.display()));
    let name = path.file_name().expect("a file name").to_string_lossy();
    // Unique per process and save, so threads saving at once never share it.
    let n = SAVES.fetch_add(1, Ordering::Relaxed);
    let temporary = folder.join(format!(".{name}.{}-{n}.utlys-save", std::process::id()));
    fs::write(&temporary, contents)
        .unwrap_or_else(|e| panic!("write {}: {e}", temporary.display()));
    fs::rename(&temporary, path).unwrap_or_else(|e| {
        let _ = fs::remove_file(&temporary);
        panic!("rename {} to {}: {e}", temporary.display(), path.display())
    });
}

/// Runs the `utlys` binary with `args` (in the system temp folder, so a
/// relative path can never land in the repository).
pub(crate) fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Build {
    run_with_env(args, &[])
}

/// Runs the binary like [`run`], with the variables `env` set, such as
/// `LC_ALL` to pin the language of its messages.
pub(crate) fn run_with_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Build {
    run_command(
        Command::new(env!("CARGO_BIN_EXE_utlys"))
            .env("LC_ALL", "en_US.UTF-8")
            .args(args)
            .envs(env.iter().copied()),
    )
}

/// Runs the `utlys` binary with `args` as [`run`] does, with the
/// messages in English whatever the machine's locale.
pub(crate) fn run_english<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Build {
    run(args)
}

fn run_command(command: &mut Command) -> Build {
    let out = command
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

    /// The output path of the file published under a hashed name from
    /// `path` (`static/brand.css` → `static/brand.3f2a9c1e.css`), if any.
    pub(crate) fn hashed(&self, path: &str) -> Option<String> {
        let (stem, ext) = path.rsplit_once('.').expect("a name with an extension");
        self.tree().into_keys().find(|p| {
            p.strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|rest| rest.strip_suffix(ext))
                .and_then(|hash| hash.strip_suffix('.'))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    }

    /// The file published under a hashed name from `path`, as text.
    #[track_caller]
    pub(crate) fn read_hashed(&self, path: &str) -> String {
        let found = self
            .hashed(path)
            .unwrap_or_else(|| panic!("no hashed {path}\n--- stderr ---\n{}", self.stderr));
        self.read(&found)
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

// --- Confinement: which paths a build opens or changes (tests/hostile.rs) ---

/// One file-system call of a traced build.
#[derive(Debug, Clone)]
pub(crate) struct Touch {
    /// The absolute path, with `.` and `..` resolved lexically.
    pub(crate) path: PathBuf,
    /// Whether the call could change something (a write, create, rename,
    /// delete), as opposed to opening for reading.
    pub(crate) writes: bool,
    /// The strace line, for the failure message.
    pub(crate) line: String,
}

/// Paths any process opens while starting (loader, libc, rayon's CPU count;
/// the allocator's settings file, a link it reads but never follows, and the
/// system's huge-page setting): not site data.
const SYSTEM_READS: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.preload",
    "/etc/_rjem_malloc.conf",
    "/sys/kernel/mm/transparent_hugepage/enabled",
    "/lib/",
    "/lib64/",
    "/usr/lib/",
    "/proc/",
    "/sys/fs/cgroup/",
    "/sys/devices/system/cpu/",
    "/dev/null",
    "/dev/urandom",
];

/// What a traced build did, and what stood around it before.
#[derive(Debug)]
pub(crate) struct Trace {
    /// Every path the build opened, created, renamed or removed.
    pub(crate) touches: Vec<Touch>,
    /// The symbolic links in the test's temporary folder before the build.
    pub(crate) links: Vec<PathBuf>,
    /// The output folder the build was given.
    pub(crate) output: PathBuf,
}

impl TestSite {
    /// Runs `utlys build` like [`TestSite::build`], but under `strace -f`,
    /// and returns every path the build opened, created, renamed or removed.
    /// `--output` defaults to [`TestSite::output`] unless `args` give it.
    pub(crate) fn build_traced(&self, args: &[&str]) -> (Build, Trace) {
        let output = match args.iter().position(|a| *a == "--output") {
            Some(i) => PathBuf::from(args[i + 1]),
            None => self.output(),
        };
        // Links are listed before the build, so one the build removed is
        // still known to have been there.
        let links: Vec<PathBuf> = walkdir::WalkDir::new(self.tmp())
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path_is_symlink())
            .map(|e| e.path().to_path_buf())
            .collect();
        let trace_dir = self.tmp().join("strace");
        fs::create_dir_all(&trace_dir).expect("create the trace folder");
        let mut all: Vec<String> = [
            "-f",
            "-ff",
            "-qq",
            "-y",
            "-e",
            "trace=%file",
            "-o",
            &trace_dir.join("t").display().to_string(),
            env!("CARGO_BIN_EXE_utlys"),
            "build",
            "--root",
            &self.root().display().to_string(),
            "--now",
            NOW,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if !args.contains(&"--output") {
            all.push("--output".into());
            all.push(output.display().to_string());
        }
        if !args.contains(&"--base-url") {
            all.push("--allow-example-url".into());
        }
        all.extend(args.iter().map(|a| a.to_string()));
        let out = Command::new("strace")
            .env("LC_ALL", "en_US.UTF-8")
            .args(&all)
            .current_dir(std::env::temp_dir())
            .output()
            .expect("run strace (apt-get install strace)");
        let build = Build {
            status: out.status,
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            output: output.clone(),
            _tmp: Some(Rc::clone(&self.tmp)),
        };
        let cwd = std::env::temp_dir();
        let mut touches = Vec::new();
        for entry in fs::read_dir(&trace_dir).expect("list the traces") {
            let path = entry.expect("a trace").path();
            let text = fs::read_to_string(&path).expect("read a trace");
            touches.extend(text.lines().flat_map(|l| parse_strace_line(l, &cwd)));
            fs::remove_file(&path).expect("remove a trace");
        }
        fs::remove_dir(&trace_dir).expect("remove the trace folder");
        let trace = Trace {
            touches,
            links,
            output,
        };
        (build, trace)
    }

    /// Panics unless every touched path is inside the site root (read only)
    /// or the output folder and its siblings (spare, lock, manifest and the
    /// manifest's next version), apart from what every
    /// process reads at start-up; and unless nothing was created, written,
    /// renamed, truncated or removed at or through a symbolic link that
    /// stood there before the build.
    #[track_caller]
    pub(crate) fn assert_confined(&self, trace: &Trace) {
        let output = &trace.output;
        let parent = output.parent().expect("the output has a parent");
        let name = output
            .file_name()
            .expect("the output has a name")
            .to_string_lossy();
        let writable = [
            output.clone(),
            parent.join(format!(".{name}.utlys-spare")),
            parent.join(format!(".{name}.utlys-lock")),
            parent.join(format!(".{name}.utlys-manifest")),
            parent.join(format!(".{name}.utlys-manifest.new")),
            parent.join(format!(".{name}.utlys-history")),
            parent.join(format!(".{name}.utlys-history.new")),
        ];
        for t in trace.touches.iter().filter(|t| t.writes) {
            if let Some(link) = trace.links.iter().find(|l| t.path.starts_with(l)) {
                panic!(
                    "the build changed {} at or through the symbolic link {}:\n{}",
                    t.path.display(),
                    link.display(),
                    t.line
                );
            }
        }
        let touches = &trace.touches;
        let exe = PathBuf::from(env!("CARGO_BIN_EXE_utlys"));
        // The loader searches the library path cargo sets for tests.
        let library_dirs: Vec<PathBuf> = std::env::var_os("LD_LIBRARY_PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default();
        for t in touches {
            // Creating the output's parent folder is part of publishing.
            let ok_write = writable.iter().any(|w| t.path.starts_with(w)) || t.path == parent;
            let ok_read = ok_write
                || t.path.starts_with(self.root())
                || t.path == exe
                || library_dirs.iter().any(|d| t.path.starts_with(d))
                || SYSTEM_READS
                    .iter()
                    .any(|p| t.path.to_string_lossy().starts_with(p));
            if t.writes {
                assert!(
                    ok_write,
                    "the build changed {}:\n{}",
                    t.path.display(),
                    t.line
                );
            } else {
                assert!(
                    ok_read,
                    "the build opened {}:\n{}",
                    t.path.display(),
                    t.line
                );
            }
        }
    }
}

/// The paths one strace line (`syscall(args) = result`, `-y` style) opens or
/// changes. Metadata calls (stat, readlink, access) are not counted: they
/// read no file's contents.
fn parse_strace_line(line: &str, cwd: &Path) -> Vec<Touch> {
    let Some(open) = line.find('(') else {
        return Vec::new();
    };
    let name = &line[..open];
    let args = split_strace_args(&line[open + 1..]);
    let path_at = |dir: usize, path: usize| -> Option<PathBuf> {
        let base = match args.get(dir)? {
            StraceArg::Fd(Some(p)) => p.clone(),
            _ => cwd.to_path_buf(),
        };
        match args.get(path)? {
            StraceArg::Str(s) => Some(normalise(&base.join(s))),
            _ => None,
        }
    };
    let plain = |path: usize| path_at(usize::MAX, path);
    let flags = |i: usize| match args.get(i) {
        Some(StraceArg::Other(f)) => ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
            .iter()
            .any(|w| f.contains(w)),
        _ => false,
    };
    let touch = |path: Option<PathBuf>, writes: bool| {
        path.map(|path| Touch {
            path,
            writes,
            line: line.to_string(),
        })
    };
    // `-y` prints the file a successful open reached, links resolved: a
    // path inside the site may lead outside it.
    let reached = line
        .rsplit_once(") = ")
        .and_then(|(_, result)| result.split_once('<'))
        .filter(|(fd, _)| fd.bytes().all(|b| b.is_ascii_digit()))
        .map(|(_, p)| PathBuf::from(p.trim_end_matches('>')));
    let found = match name {
        "open" => vec![touch(plain(0), flags(1)), touch(reached, flags(1))],
        "openat" | "openat2" => vec![touch(path_at(0, 1), flags(2)), touch(reached, flags(2))],
        "creat" | "mkdir" | "rmdir" | "unlink" | "truncate" | "chmod" | "chown" => {
            vec![touch(plain(0), true)]
        }
        "mkdirat" | "unlinkat" | "fchmodat" | "fchownat" | "mknodat" => {
            vec![touch(path_at(0, 1), true)]
        }
        "rename" | "link" => vec![touch(plain(0), true), touch(plain(1), true)],
        "renameat" | "renameat2" | "linkat" => {
            vec![touch(path_at(0, 1), true), touch(path_at(2, 3), true)]
        }
        "symlink" => vec![touch(plain(1), true)],
        "symlinkat" => vec![touch(path_at(1, 2), true)],
        _ => Vec::new(),
    };
    found.into_iter().flatten().collect()
}

/// One argument of a strace call.
#[derive(Debug)]
enum StraceArg {
    /// A quoted string, unescaped.
    Str(std::ffi::OsString),
    /// A file descriptor or `AT_FDCWD`, with the path `-y` printed for it.
    Fd(Option<PathBuf>),
    /// Anything else, as printed.
    Other(String),
}

/// Splits the argument list of a strace call (after the opening
/// parenthesis) at top-level commas, unescaping strings.
fn split_strace_args(text: &str) -> Vec<StraceArg> {
    use std::os::unix::ffi::OsStringExt;
    let bytes = text.as_bytes();
    let mut args = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b')') => break,
            Some(b'"') => {
                let mut s = Vec::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        i += 1;
                        match bytes[i] {
                            b'n' => s.push(b'\n'),
                            b't' => s.push(b'\t'),
                            b'x' => {
                                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("3f");
                                s.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                                i += 2;
                            }
                            d @ b'0'..=b'7' => {
                                let mut value = u32::from(d - b'0');
                                while i + 1 < bytes.len()
                                    && (b'0'..=b'7').contains(&bytes[i + 1])
                                    && value < 0o40
                                {
                                    i += 1;
                                    value = value * 8 + u32::from(bytes[i] - b'0');
                                }
                                s.push(u8::try_from(value).unwrap_or(b'?'));
                            }
                            other => s.push(other),
                        }
                    } else {
                        s.push(bytes[i]);
                    }
                    i += 1;
                }
                i += 1;
                // `"..."...` marks a truncated string; the rest is skipped.
                while i < bytes.len() && bytes[i] != b',' && bytes[i] != b')' {
                    i += 1;
                }
                args.push(StraceArg::Str(std::ffi::OsString::from_vec(s)));
            }
            Some(_) => {
                let start = i;
                let mut depth = 0i32;
                while i < bytes.len() {
                    match bytes[i] {
                        b'{' | b'[' | b'<' => depth += 1,
                        b'}' | b']' | b'>' => depth -= 1,
                        b',' | b')' if depth <= 0 => break,
                        _ => {}
                    }
                    i += 1;
                }
                let raw = &text[start..i];
                let fd_path = raw
                    .split_once('<')
                    .filter(|(fd, _)| fd == &"AT_FDCWD" || fd.bytes().all(|b| b.is_ascii_digit()))
                    .map(|(_, p)| PathBuf::from(p.trim_end_matches('>')));
                args.push(match fd_path {
                    Some(p) => StraceArg::Fd(Some(p)),
                    None if raw == "AT_FDCWD" => StraceArg::Fd(None),
                    None => StraceArg::Other(raw.to_string()),
                });
            }
        }
        if bytes.get(i) == Some(&b',') {
            i += 1;
        }
    }
    args
}

/// `path` with `.` and `..` resolved without asking the file system.
pub(crate) fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Runs `command` with a time limit; `None` if it had to be killed.
pub(crate) fn output_within(
    command: &mut Command,
    limit: std::time::Duration,
) -> Option<std::process::Output> {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the command");
    let started = std::time::Instant::now();
    // Read the pipes on threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Some(std::process::Output {
        status,
        stdout: out_reader
            .join()
            .expect("stdout reader")
            .unwrap_or_default(),
        stderr: err_reader
            .join()
            .expect("stderr reader")
            .unwrap_or_default(),
    })
}

impl TestSite {
    /// Runs `utlys build` on this site with a time limit, so a hang fails the
    /// test instead of stalling the suite; `None` if it had to be killed.
    pub(crate) fn build_within(&self, limit: std::time::Duration) -> Option<Build> {
        let out = output_within(
            Command::new(env!("CARGO_BIN_EXE_utlys"))
                .env("LC_ALL", "en_US.UTF-8")
                .args(["build", "--allow-example-url", "--root"])
                .arg(self.root())
                .arg("--output")
                .arg(self.output())
                .args(["--now", NOW])
                .current_dir(std::env::temp_dir()),
            limit,
        )?;
        Some(Build {
            status: out.status,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            output: self.output(),
            _tmp: Some(Rc::clone(&self.tmp)),
        })
    }
}

/// Copies the sample portal's `site.toml` and `folders` (of `content`,
/// `themes`, `static`) into `root`, to be changed by a test.
pub(crate) fn copy_sample(root: &Path, folders: &[&str]) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in folders {
        let from = repo.join(folder);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk the sample");
            let target = root
                .join(folder)
                .join(entry.path().strip_prefix(&from).expect("inside"));
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).expect("make a folder");
            } else {
                fs::copy(entry.path(), &target).expect("copy a file");
            }
        }
    }
    fs::copy(repo.join("site.toml"), root.join("site.toml")).expect("copy site.toml");
}
