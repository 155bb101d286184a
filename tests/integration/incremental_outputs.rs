//! Incremental equals full, for every kind of job: after each kind of
//! change, the site a running dev server holds and the site a repeat
//! `build` leaves in its output folder are byte for byte what a fresh full
//! build of the same files makes, every file, and no file more or less.
//!
//! Each change names outputs it must reach (pages, theme files, copied
//! files and the whole-site formats: open data, feeds, calendars, search
//! indexes, sitemaps). The test first checks that a fresh build does change
//! them, so it cannot pass because the change did nothing; a job that is
//! not run again after its inputs changed then shows as a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use utlys::BuildOptions;
use utlys::serve::session::Session;
use utlys::time::Timestamp;

/// Output path → bytes; the publisher's manifest left out.
type Tree = BTreeMap<String, Vec<u8>>;

/// The sample portal with its theme and a `static/` folder, in a temporary
/// folder; a dev-server session and an output folder, both built from it.
struct Twin {
    tmp: tempfile::TempDir,
    root: PathBuf,
    session: Session,
    /// The last fresh full build, to tell what a change reached.
    last: Tree,
    /// Fresh builds made so far, each in a folder of its own.
    fresh_builds: usize,
}

/// After the sample's newest amendment (2026-12-10), which an earlier clock
/// holds back: editing it must reach the outputs.
const NOW: &str = "2026-12-11T10:00:00+01:00";
const CHALLENGE: &str = "content/challenges/trygg-skolvag.md";
const RFI: &str = "content/challenges/minskat-matsvinn-i-skolkoket.md";
const DOCUMENT: &str = "content/challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt";
const STATIC: &str = "static/extra.txt";

impl Twin {
    /// Copies the sample, starts a session on it, and builds it twice into
    /// the output folder: from then on the publisher's spare tree holds a
    /// whole earlier site, which a repeat build brings up to date.
    fn new() -> Twin {
        let tmp = tempfile::Builder::new()
            .prefix("utlys-twin-")
            .tempdir()
            .expect("temporary folder");
        let root = tmp.path().join("site");
        crate::util::copy_sample(&root, &["content", "themes"]);
        fs::create_dir_all(root.join("static/bilder")).expect("static/");
        fs::write(root.join(STATIC), "hej\n").expect("static file");
        fs::write(root.join("static/bilder/prick.txt"), "·\n").expect("static file");
        let session = Session::new(options(&root, None));
        let mut twin = Twin {
            tmp,
            root,
            session,
            last: Tree::new(),
            fresh_builds: 0,
        };
        twin.session
            .rebuild()
            .unwrap_or_else(|d| panic!("the first serve build fails:\n{d}"));
        twin.last = twin.fresh(false);
        for _ in 0..2 {
            twin.build();
        }
        assert_same("first serve build", "served", &twin.served(), &twin.last);
        assert_same("first builds", "built", &twin.built(), &twin.last);
        twin
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn output(&self) -> PathBuf {
        self.tmp.path().join("out").join("public")
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        fs::write(&path, text).expect("write");
        path
    }

    /// Replaces `from` by `to` in file `rel`, which must contain it.
    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let text = fs::read_to_string(self.path(rel)).expect("read");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    fn remove(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        fs::remove_file(&path).expect("remove");
        path
    }

    /// A repeat `build` into the output folder.
    fn build(&self) {
        utlys::build(&options(&self.root, Some(self.output())))
            .unwrap_or_else(|d| panic!("the repeat build fails:\n{d}"));
    }

    /// A full build into a new, empty folder: what every other way of
    /// building must give. With `history`, the history the output folder
    /// keeps of the last published times is copied beside the new folder
    /// first, so the fresh build compares with what a repeat build compares
    /// with (a time changed since then raises its calendar `SEQUENCE`);
    /// without it, the fresh build is a first publication, as `serve` is.
    fn fresh(&mut self, history: bool) -> Tree {
        self.fresh_builds += 1;
        let parent = self.tmp.path().join(format!("fresh-{}", self.fresh_builds));
        let out = parent.join("public");
        if history {
            let kept = self.output().with_file_name(".public.utlys-history");
            fs::create_dir_all(&parent).expect("fresh folder");
            fs::copy(kept, parent.join(".public.utlys-history")).expect("copy the history");
        }
        utlys::build(&options(&self.root, Some(out.clone())))
            .unwrap_or_else(|d| panic!("the fresh build fails:\n{d}"));
        let tree = read_tree(&out);
        fs::remove_dir_all(out.parent().expect("parent")).expect("remove the fresh build");
        tree
    }

    /// What the session serves.
    fn served(&self) -> Tree {
        let snapshot = self.session.snapshot();
        snapshot
            .outputs()
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
            .collect()
    }

    /// What the output folder holds.
    fn built(&self) -> Tree {
        read_tree(&self.output())
    }

    /// After a change to the files at `paths`: checks that a fresh build
    /// changes (or adds or removes) every output in `reaches`, then that the
    /// session, told of `paths`, serves that fresh build.
    fn check_serve(&mut self, step: &str, paths: &[PathBuf], reaches: &[&str]) {
        let full = self.fresh(false);
        assert_reached(step, &self.last, &full, reaches);
        self.session
            .rebuild_changed(Some(paths), |_| {})
            .unwrap_or_else(|d| panic!("{step}: the serve rebuild fails:\n{d}"));
        assert_same(step, "served", &self.served(), &full);
        self.last = full;
    }

    /// As [`Twin::check_serve`], for two repeat builds into the output
    /// folder: the first writes over the site of two builds ago, the second
    /// over the site of just before the change.
    fn check_build(&mut self, step: &str, reaches: &[&str]) {
        let full = self.fresh(false);
        assert_reached(step, &self.last, &full, reaches);
        let published = self.fresh(true);
        for round in ["first repeat build", "second repeat build"] {
            self.build();
            assert_same(step, round, &self.built(), &published);
            assert_same_folders(step, &self.output(), &published);
        }
        self.last = full;
    }

    /// Both checks: the session, then the repeat builds.
    fn check(&mut self, step: &str, paths: &[PathBuf], reaches: &[&str]) {
        self.check_serve(step, paths, reaches);
        self.check_build(step, &[]);
    }
}

fn options(root: &Path, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output,
        base_url: None,
        now: NOW.parse::<Timestamp>().expect("clock"),
        fixed_clock: true,
        drafts: false,
    }
}

/// Every file under `dir`, by `/`-separated path.
fn read_tree(dir: &Path) -> Tree {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk the output"))
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let rel = entry.path().strip_prefix(dir).expect("inside");
            let rel = rel.to_str().expect("UTF-8 path").replace('\\', "/");
            (rel, fs::read(entry.path()).expect("read an output"))
        })
        .collect()
}

/// Asserts that `got` (what `how` made) is `full`, file for file.
fn assert_same(step: &str, how: &str, got: &Tree, full: &Tree) {
    let only_full: Vec<&String> = full.keys().filter(|k| !got.contains_key(*k)).collect();
    let only_got: Vec<&String> = got.keys().filter(|k| !full.contains_key(*k)).collect();
    assert!(
        only_full.is_empty() && only_got.is_empty(),
        "{step}: only in the fresh full build: {only_full:?}; only {how}: {only_got:?}"
    );
    let differ: Vec<&String> = full.keys().filter(|k| got[*k] != full[*k]).collect();
    assert!(
        differ.is_empty(),
        "{step}: {how} differs from the fresh full build in {differ:?}"
    );
}

/// Asserts that the output folder has no folder a fresh build would not
/// make (an empty one left behind by a removed page).
fn assert_same_folders(step: &str, dir: &Path, full: &Tree) {
    let expected: BTreeSet<String> = full
        .keys()
        .flat_map(|path| {
            let parts: Vec<&str> = path.split('/').collect();
            (1..parts.len())
                .map(|n| parts[..n].join("/"))
                .collect::<Vec<_>>()
        })
        .collect();
    let found: BTreeSet<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| entry.expect("walk the output"))
        .filter(|entry| entry.file_type().is_dir())
        .map(|entry| {
            let rel = entry.path().strip_prefix(dir).expect("inside");
            rel.to_str().expect("UTF-8 path").replace('\\', "/")
        })
        .collect();
    let extra: Vec<&String> = found.difference(&expected).collect();
    assert!(extra.is_empty(), "{step}: folders left over: {extra:?}");
}

/// Asserts that each output in `reaches` differs between `before` and
/// `after` (changed, added or removed): the change reaches it.
fn assert_reached(step: &str, before: &Tree, after: &Tree, reaches: &[&str]) {
    let missed: Vec<&&str> = reaches
        .iter()
        .filter(|path| before.get(**path) == after.get(**path))
        .collect();
    assert!(
        missed.is_empty(),
        "{step}: the change does not reach {missed:?} in a fresh build, so the test would not see it left out"
    );
}

#[test]
fn a_challenge_body() {
    let mut twin = Twin::new();
    let p = twin.edit(
        CHALLENGE,
        "## Vad vi vet hittills",
        "Ett nytt stycke om skolvägar.\n\n## Vad vi vet hittills",
    );
    twin.check(
        "body",
        &[p],
        &["challenges/trygg-skolvag/index.html", "api/challenges.json"],
    );
}

#[test]
fn a_challenge_title() {
    let mut twin = Twin::new();
    let p = twin.edit(
        CHALLENGE,
        "title: Trygg skolväg för alla barn",
        "title: Trygg och säker skolväg",
    );
    twin.check(
        "title",
        &[p],
        &[
            "challenges/trygg-skolvag/index.html",
            "index.html",
            "tags/skola/index.html",
            "en/challenges/index.html",
            "atom.xml",
            "challenges/trygg-skolvag/atom.xml",
            "tags/skola/atom.xml",
            "en/buyers/exempelstads-kommun/atom.xml",
            "api/challenges.json",
            "api/ocds.json",
            "search-index.json",
        ],
    );
}

#[test]
fn a_deadline() {
    let mut twin = Twin::new();
    // The amendment that moved the deadline last: it is the one in effect.
    let p = twin.edit(
        RFI,
        "deadline = \"2027-03-15T12:00:00+01:00\"",
        "deadline = \"2027-03-22T12:00:00+01:00\"",
    );
    twin.check(
        "deadline",
        &[p],
        &[
            "challenges/minskat-matsvinn-i-skolkoket/index.html",
            "challenges/minskat-matsvinn-i-skolkoket/calendar.ics",
            "calendar.ics",
            "atom.xml",
            "index.html",
            "search-index.json",
            "api/challenges.json",
            "api/ocds.json",
        ],
    );
}

#[test]
fn a_stage() {
    let mut twin = Twin::new();
    let p = twin.edit(RFI, "stage = \"rfi\"", "stage = \"dialogue\"");
    twin.check(
        "stage",
        &[p],
        &[
            "challenges/minskat-matsvinn-i-skolkoket/index.html",
            "stages/rfi/index.html",
            "stages/dialogue/index.html",
            "en/stages/index.html",
            "sitemap.xml",
            "api/challenges.json",
            "api/ocds.json",
        ],
    );
}

#[test]
fn a_tag_added_and_removed() {
    let mut twin = Twin::new();
    let p = twin.edit(CHALLENGE, "  - barn\n", "  - barn\n  - cykel\n");
    twin.check(
        "tag added",
        &[p],
        &[
            "tags/cykel/index.html",
            "tags/index.html",
            "challenges/trygg-skolvag/index.html",
            "sitemap.xml",
            "api/challenges.json",
        ],
    );
    let p = twin.edit(CHALLENGE, "  - cykel\n", "");
    twin.check(
        "tag removed",
        &[p],
        &["tags/cykel/index.html", "tags/index.html", "sitemap.xml"],
    );
}

#[test]
fn a_page_added_and_removed() {
    let mut twin = Twin::new();
    let new = "content/challenges/ny-utmaning.md";
    let p = twin.write(
        new,
        "---\ntitle: Ny utmaning\nsummary: En ny utmaning.\nbuyer: Exempelstads kommun\nstage: rfi\npublished: 2026-11-01\ndeadline: 2027-01-31\ncategory: Trafik och stadsmiljö\ntags: [skola]\n---\n\nSe också [skolvägen](@/challenges/trygg-skolvag.md).\n",
    );
    let reaches = [
        "challenges/ny-utmaning/index.html",
        "challenges/ny-utmaning/calendar.ics",
        "index.html",
        "tags/skola/index.html",
        "en/challenges/index.html",
        "atom.xml",
        "calendar.ics",
        "sitemap.xml",
        "search-index.json",
        "api/challenges.json",
        "api/ocds.json",
    ];
    twin.check("page added", &[p], &reaches);
    let p = twin.remove(new);
    twin.check("page removed", &[p], &reaches);
}

#[test]
fn a_translation_added() {
    let mut twin = Twin::new();
    let p = twin.write(
        "content/challenges/trygg-skolvag.en.md",
        "---\ntitle: Safe routes to school\nsummary: More children should walk or cycle to school.\nbuyer: Exempelstad\nstage: need\npublished: 2026-10-01\n---\n\n## Why\n\nIn English.\n",
    );
    twin.check(
        "translation added",
        &[p],
        &[
            "en/challenges/trygg-skolvag/index.html",
            "challenges/trygg-skolvag/index.html",
            "en/index.html",
            "en/search-index.json",
            "sitemap.xml",
        ],
    );
}

#[test]
fn a_document_file() {
    let mut twin = Twin::new();
    let mut text = fs::read_to_string(twin.path(DOCUMENT)).expect("read");
    text.push_str(&"Fler frågor.\n".repeat(200));
    let p = twin.write(DOCUMENT, &text);
    twin.check(
        "document changed",
        &[p],
        &[
            "challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt",
            "challenges/klimatavtryck-offentlig-konsumtion/index.html",
        ],
    );
}

#[test]
fn a_static_file_changed_added_and_removed() {
    let mut twin = Twin::new();
    let p = twin.write(STATIC, "hej och hå\n");
    twin.check("static file changed", &[p], &["extra.txt"]);
    let p = twin.write("static/ny fil.txt", "ny\n");
    twin.check("static file added", &[p], &["ny fil.txt"]);
    let p = twin.remove("static/ny fil.txt");
    twin.check("static file removed", &[p], &["ny fil.txt"]);
}

/// Writes new bytes of the same length into `rel` and sets its time of
/// change back to what it was: only the bytes tell the change.
fn rewrite_keeping_size_and_time(twin: &Twin, rel: &str, text: &str) -> PathBuf {
    let path = twin.path(rel);
    let before = fs::metadata(&path).expect("metadata");
    let modified: SystemTime = before.modified().expect("time of change");
    assert_eq!(before.len(), text.len() as u64, "the same size");
    fs::write(&path, text).expect("write");
    let file = fs::File::options()
        .write(true)
        .open(&path)
        .expect("open to set the time");
    file.set_modified(modified).expect("set the time back");
    drop(file);
    let after = fs::metadata(&path).expect("metadata");
    assert_eq!(after.modified().expect("time"), modified);
    path
}

#[test]
fn a_static_file_rewritten_with_the_same_size_and_time_in_a_repeat_build() {
    let mut twin = Twin::new();
    rewrite_keeping_size_and_time(&twin, STATIC, "hoj\n");
    twin.check_build("same size and time", &["extra.txt"]);
}

#[test]
fn a_static_file_rewritten_with_the_same_size_and_time_in_serve() {
    let mut twin = Twin::new();
    let p = rewrite_keeping_size_and_time(&twin, STATIC, "hoj\n");
    twin.check_serve("same size and time", &[p], &["extra.txt"]);
}

#[test]
fn a_document_rewritten_with_the_same_size_and_time_in_serve() {
    let mut twin = Twin::new();
    let text = fs::read_to_string(twin.path(DOCUMENT)).expect("read");
    let swapped: String = text
        .chars()
        .map(|c| match c {
            'a' => 'e',
            'e' => 'a',
            c => c,
        })
        .collect();
    let p = rewrite_keeping_size_and_time(&twin, DOCUMENT, &swapped);
    twin.check_serve(
        "document with the same size and time",
        &[p],
        &["challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt"],
    );
}

#[test]
fn a_theme_template() {
    let mut twin = Twin::new();
    let p = twin.edit(
        "themes/default/templates/challenge.html",
        "{% block content %}",
        "{% block content %}<!-- egen -->",
    );
    twin.check(
        "template changed",
        &[p],
        &[
            "challenges/trygg-skolvag/index.html",
            "en/challenges/upplev-min-verklighet/index.html",
        ],
    );
}

#[test]
fn a_theme_static_file() {
    let mut twin = Twin::new();
    let p = twin.edit(
        "themes/default/static/style.css",
        "\n",
        "\n/* Egen regel. */\n",
    );
    // Its new name reaches every page; the old file is gone from both.
    twin.check(
        "theme file changed",
        &[p],
        &["index.html", "challenges/trygg-skolvag/index.html"],
    );
}

#[test]
fn a_theme_string() {
    let mut twin = Twin::new();
    let p = twin.edit(
        "themes/default/i18n/sv.toml",
        "deadline = \"Sista svarsdag\"",
        "deadline = \"Sista dag att svara\"",
    );
    twin.check(
        "string changed",
        &[p],
        &[
            "challenges/minskat-matsvinn-i-skolkoket/index.html",
            "calendar.ics",
            "challenges/minskat-matsvinn-i-skolkoket/calendar.ics",
        ],
    );
}

#[test]
fn the_settings() {
    let mut twin = Twin::new();
    let p = twin.edit(
        "site.toml",
        "title = \"Innovationsutmaningar\"",
        "title = \"Utmaningar\"",
    );
    twin.check(
        "site title",
        &[p],
        &["index.html", "om/index.html", "atom.xml", "api/ocds.json"],
    );
    let p = twin.edit(
        "site.toml",
        "base_url = \"https://utmaningar.example.se/\"",
        "base_url = \"https://example.se/portal/\"",
    );
    twin.check(
        "base URL",
        &[p],
        &[
            "index.html",
            "sitemap.xml",
            "robots.txt",
            "atom.xml",
            "calendar.ics",
            "api/challenges.json",
            "api/ocds.json",
        ],
    );
    let p = twin.edit(
        "site.toml",
        "closing_soon_days = 7",
        "closing_soon_days = 90",
    );
    twin.check(
        "closing soon",
        &[p],
        &[
            "challenges/minskat-matsvinn-i-skolkoket/index.html",
            "index.html",
        ],
    );
}

#[test]
fn a_draft_toggled() {
    let mut twin = Twin::new();
    let reaches = [
        "challenges/trygg-skolvag/index.html",
        "challenges/trygg-skolvag/calendar.ics",
        "index.html",
        "tags/barn/index.html",
        "sitemap.xml",
        "search-index.json",
        "api/challenges.json",
        "api/ocds.json",
    ];
    let p = twin.edit(CHALLENGE, "lang: sv\n", "lang: sv\ndraft: true\n");
    twin.check("made a draft", &[p], &reaches);
    let p = twin.edit(CHALLENGE, "draft: true\n", "");
    twin.check("published again", &[p], &reaches);
}
