//! The authoring commands: `utlys new`, `utlys init` and `utlys check`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{Build, NOW, TestSite, challenge, open_challenge, run, tree};

/// Every field a challenge may have (the model's list, written out here so
/// that a field added to the model without a place in the template fails).
const CHALLENGE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "buyer",
    "stage",
    "published",
    "opens",
    "deadline",
    "questions_deadline",
    "timezone",
    "contact",
    "respond",
    "compensation",
    "facts",
    "documents",
    "tags",
    "category",
    "cpv",
    "notice",
    "related",
    "regions",
    "value",
    "suitable_for",
    "outcome",
    "updates",
    "questions",
    "events",
    "phases",
    "lang",
    "draft",
    "publish_date",
    "slug",
    "id",
    "image",
    "image_alt",
    "questions_url",
];

const PAGE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "draft",
    "lang",
    "weight",
    "menu",
    "publish_date",
];

fn root_arg(site: &TestSite) -> String {
    site.root().display().to_string()
}

/// Panics unless `stderr` holds `count` warnings, each about an example
/// text of the template left in place.
#[track_caller]
fn assert_example_texts_only(stderr: &str, count: usize) {
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), count, "{stderr}");
    assert!(
        warnings.iter().all(|w| w.contains("the example text")),
        "{stderr}"
    );
}

/// `utlys new <kind> <title> --root <site>`.
fn new(site: &TestSite, kind: &str, title: &str) -> Build {
    run(&["new", kind, title, "--root", &root_arg(site)])
}

/// `utlys check --root <site> --now NOW --allow-example-url` plus `args`
/// (the test sites live at the example address).
fn check(site: &TestSite, args: &[&str]) -> Build {
    let mut all = vec!["check", "--allow-example-url", "--root"];
    let root = root_arg(site);
    all.push(&root);
    if !args.contains(&"--now") {
        all.extend(["--now", NOW]);
    }
    all.extend(args);
    run(&all)
}

fn json(out: &Build) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", out.stdout))
}

/// Today in Stockholm, as the scaffold writes `published`.
fn today() -> String {
    let zone = utlys::time::parse_zone("Europe/Stockholm").unwrap();
    utlys::time::Timestamp::now()
        .to_zoned_datetime(zone)
        .date()
        .to_string()
}

/// The top-level field lines of a front matter, live or commented out
/// (`title: …` or `# opens: …`), with the line before each.
fn field_lines(text: &str) -> Vec<(String, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines[1..].iter().position(|l| *l == "---").unwrap() + 1;
    let mut out = Vec::new();
    for i in 1..end {
        let line = lines[i].strip_prefix("# ").unwrap_or(lines[i]);
        if let Some((key, _)) = line.split_once(':')
            && !key.is_empty()
            && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            out.push((key.to_string(), lines[i - 1]));
        }
    }
    out
}

#[test]
fn new_challenge_is_named_from_the_title_and_has_every_field_explained() {
    let site = TestSite::new();
    let before = today();
    let out = new(&site, "challenge", "Titel med åäö");
    assert!(out.status.success(), "{}", out.stderr);
    let path = site.root().join("content/challenges/titel-med-aao.md");
    assert_eq!(out.stdout.trim_end(), path.display().to_string());
    let text = fs::read_to_string(&path).unwrap();

    let fields = field_lines(&text);
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort();
    let mut expected = CHALLENGE_FIELDS.to_vec();
    expected.sort();
    assert_eq!(keys, expected, "every field once\n{text}");
    for (key, comment) in &fields {
        assert!(
            comment.starts_with("# ") && comment[2..].starts_with(char::is_uppercase),
            "`{key}` has no comment line above it: {comment:?}"
        );
    }
    // In Swedish, for Swedish writers.
    for words in ["Sista svarsdag", "Beställaren", "Utkast"] {
        assert!(text.contains(words), "{words}");
    }
    assert!(text.contains("title: \"Titel med åäö\"\n"));
    assert!(text.contains("stage: need\n"));
    assert!(text.contains("draft: true\n"));
    let after = today();
    assert!(
        text.contains(&format!("published: {before}\n"))
            || text.contains(&format!("published: {after}\n")),
        "published is today\n{text}"
    );
}

#[test]
fn a_new_challenge_builds_at_once_as_a_draft() {
    let site = TestSite::new();
    new(&site, "challenge", "Titel med åäö").success();
    let build = site.build(&["--now", "2099-01-01T00:00:00Z"]).success();
    assert!(!build.exists("challenges/titel-med-aao/index.html"));
    assert!(build.stderr.is_empty(), "no warnings: {}", build.stderr);

    let build = site
        .build(&["--now", "2099-01-01T00:00:00Z", "--drafts"])
        .success();
    let html = build.read("challenges/titel-med-aao/index.html");
    assert!(html.contains("Titel med åäö"));
    // Published, its example texts are named: summary, buyer, three sections.
    assert_example_texts_only(&build.stderr, 5);
}

#[test]
fn new_refuses_to_overwrite_a_file() {
    let site = TestSite::new();
    new(&site, "challenge", "Titel med åäö").success();
    site.write("content/challenges/titel-med-aao.md", "mitt arbete");
    let out = new(&site, "challenge", "Titel  med ÅÄÖ");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.starts_with("error: ")
            && out.stderr.contains("titel-med-aao.md already exists")
            && out.stderr.contains("= hint: choose another title"),
        "{}",
        out.stderr
    );
    let kept = fs::read_to_string(site.root().join("content/challenges/titel-med-aao.md"));
    assert_eq!(kept.unwrap(), "mitt arbete");

    // A folder challenge has the same address.
    site.write(
        "content/challenges/klimat/index.md",
        open_challenge("K", ""),
    );
    let out = new(&site, "challenge", "Klimat");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert!(!site.root().join("content/challenges/klimat.md").exists());
}

#[test]
fn new_needs_a_site_and_a_usable_title() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&[
        "new",
        "challenge",
        "Något",
        "--root",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.contains("has no site.toml"), "{}", out.stderr);
    assert!(out.stderr.contains("utlys init"), "{}", out.stderr);
    assert!(!tmp.path().join("content").exists());

    let site = TestSite::new();
    for title in ["", "???", "två\nrader"] {
        let out = new(&site, "challenge", title);
        assert_eq!(out.status.code(), Some(1), "{title:?}");
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }
    assert!(!site.root().join("content/challenges").exists());
}

#[test]
fn new_page_creates_a_plain_page_that_builds() {
    let site = TestSite::new();
    let out = new(&site, "page", "Om portalen");
    assert!(out.status.success(), "{}", out.stderr);
    let path = site.root().join("content/om-portalen.md");
    assert_eq!(out.stdout.trim_end(), path.display().to_string());
    let text = fs::read_to_string(&path).unwrap();
    let mut keys: Vec<String> = field_lines(&text).into_iter().map(|(k, _)| k).collect();
    keys.sort();
    let mut expected = PAGE_FIELDS.to_vec();
    expected.sort();
    assert_eq!(keys, expected, "{text}");

    let build = site.build(&["--drafts"]).success();
    assert!(build.read("om-portalen/index.html").contains("Om portalen"));
    assert_example_texts_only(&build.stderr, 2);

    // A page may not take the address of the home page or the challenges.
    for title in ["Index", "Challenges"] {
        let out = new(&site, "page", title);
        assert_eq!(out.status.code(), Some(1), "{title}");
        assert!(
            out.stderr.contains("would take the address"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn init_creates_a_site_that_builds_at_once_with_its_address_given() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ny-portal");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr);
    for file in [
        "site.toml",
        "content/_index.md",
        "content/challenges/_index.md",
        "content/tillganglighetsredogorelse.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
        assert!(out.stdout.contains(file), "{file} is listed");
    }
    let config = fs::read_to_string(dir.join("site.toml")).unwrap();
    for line in [
        "base_url = \"https://example.se/\"",
        "language = \"sv\"",
        "timezone = \"Europe/Stockholm\"",
    ] {
        assert!(config.contains(line), "{line}");
    }
    let examples: Vec<_> = fs::read_dir(dir.join("content/challenges"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "_index.md")
        .collect();
    assert_eq!(examples.len(), 1, "{examples:?}");

    // The real clock: a new site is built the day it is made. Its only
    // warnings are the placeholders of the accessibility statement (the
    // example address is said to be meant).
    let check = run(&[
        "check",
        "--allow-example-url",
        "--root",
        dir.to_str().unwrap(),
    ]);
    assert!(check.status.success(), "{}", check.stderr);
    let warnings: Vec<_> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 6, "{}", check.stderr);
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("warning: content/tillganglighetsredogorelse.md:")),
        "{warnings:#?}"
    );
    let public = tmp.path().join("public");
    let build = run(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
        "--base-url",
        "https://utmaningar.kommun.se/",
        "--drafts",
    ]);
    assert!(build.status.success(), "{}", build.stderr);
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("minskat matsvinn"), "the example is listed");
    assert!(
        home.contains("href=\"/tillganglighetsredogorelse/\""),
        "the accessibility statement is linked"
    );
    let example = examples[0].trim_end_matches(".md");
    assert!(
        public
            .join(format!("challenges/{example}/index.html"))
            .is_file()
    );
    let text = fs::read_to_string(dir.join("content/challenges").join(&examples[0])).unwrap();
    assert!(text.contains("\ndraft: true\n"), "the example is a draft");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("anteckningar.txt"), "viktigt").unwrap();
    let before = tree(tmp.path());
    let out = run(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.contains("is not empty"), "{}", out.stderr);
    assert_eq!(tree(tmp.path()), before, "nothing was added");

    // An empty folder is fine.
    let empty = tmp.path().join("tom");
    fs::create_dir(&empty).unwrap();
    assert!(run(&["init", empty.to_str().unwrap()]).status.success());
    assert!(empty.join("site.toml").is_file());
}

/// A site with one error (an unknown field), an image without alt text and
/// a clean page.
fn broken_site() -> TestSite {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            challenge("A", "dedline: 2023-08-31\n") + "\n![](karta.png)\n",
        )
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n\nSå här: ![en karta](karta.png) och ![ ](logga.svg).\n",
        )
}

#[test]
fn check_reports_errors_with_positions_and_exits_1() {
    let site = broken_site();
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    for needle in [
        "error: content/challenges/a.md:8:1: `dedline`: unknown field `dedline`",
        "warning: content/challenges/a.md:11:1: the image `karta.png` has no alt text",
        "warning: content/om.md:5:36: the image `logga.svg` has no alt text",
        "  = hint: describe what the image shows",
        "Check failed: 1 error(s), 2 warning(s). Nothing was written.",
    ] {
        assert!(
            out.stderr.contains(needle),
            "lacks {needle:?}\n{}",
            out.stderr
        );
    }
    assert!(
        !out.stderr.contains("om.md:5:9"),
        "the described image is fine"
    );
}

#[test]
fn check_with_only_warnings_exits_0() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", "") + "\n![](bild.png)\n",
    );
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("content/challenges/a.md:9:1: the image `bild.png`")
    );
    assert!(
        out.stdout.contains("1 warning(s), no errors"),
        "{}",
        out.stdout
    );

    site.write(
        "content/challenges/a.md",
        open_challenge("A", "") + "\n![Bild](bild.png)\n",
    );
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(
        out.stdout.starts_with("No problems found"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_json_is_one_document_with_counts() {
    let site = broken_site();
    let out = check(&site, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "everything is in the JSON: {}",
        out.stderr
    );
    let v = json(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 2);
    let diagnostics = v["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3);
    for d in diagnostics {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        let mut keys = keys.clone();
        keys.sort();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "end_column",
                "end_line",
                "field",
                "hint",
                "line",
                "message",
                "path",
                "severity"
            ]
        );
    }
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["path"], "content/challenges/a.md");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(8), Some(1))
    );
    // The span is the misspelt key.
    assert_eq!(
        (error["end_line"].as_u64(), error["end_column"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(error["field"], "dedline");
    assert_eq!(error["message"], "unknown field `dedline`");
    assert_eq!(error["hint"], "did you mean `deadline`?");
    let image = diagnostics
        .iter()
        .find(|d| d["path"] == "content/om.md")
        .unwrap();
    assert_eq!(image["severity"], "warning");
    assert_eq!(
        (image["line"].as_u64(), image["column"].as_u64()),
        (Some(5), Some(36))
    );
    assert!(image["field"].is_null());

    // A clean site is a document with an empty list, and exit 0.
    let clean = TestSite::new().file("content/challenges/a.md", challenge("A", ""));
    let out = check(&clean, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(v["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn check_writes_nothing() {
    for site in [
        broken_site(),
        TestSite::new().file("content/challenges/a.md", challenge("A", "")),
    ] {
        let before = tree(site.tmp());
        let human = check(&site, &[]);
        let json = check(&site, &["--format", "json", "--drafts"]);
        assert_eq!(tree(site.tmp()), before, "{}{}", human.stderr, json.stderr);
        assert!(!site.root().join("public").exists());
    }
}

#[test]
fn check_warns_when_the_deadline_has_passed_at_an_answering_stage() {
    let site = TestSite::new().file("content/challenges/a.md", challenge("A", ""));
    let after = "2023-09-05T10:00:00+02:00";
    let out = check(&site, &["--now", after, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
    let v = json(&out);
    assert_eq!(v["warnings"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["field"], "stage");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(8))
    );
    assert_eq!(
        d["message"],
        "the deadline has passed but the stage is still `rfi`"
    );
    assert!(d["hint"].as_str().unwrap().contains("`stage: dialogue`"));

    // The build says so too, and still publishes.
    site.build(&["--now", after])
        .success()
        .stderr_has(&["a.md:5:8: `stage`: the deadline has passed"]);

    // Before the deadline, at a later stage, or with the deadline moved by
    // an amendment, all is well.
    let before = check(&site, &["--format", "json"]);
    assert_eq!(json(&before)["warnings"], 0);
    let moved = "updates:\n  - date: 2023-08-30\n    text: Förlängt.\n    deadline: 2023-09-15\n";
    for text in [
        challenge("A", "").replace("stage: rfi", "stage: dialogue"),
        challenge("A", moved),
    ] {
        site.write("content/challenges/a.md", text);
        let out = check(&site, &["--now", after, "--format", "json"]);
        assert_eq!(json(&out)["warnings"], 0, "{}", out.stdout);
    }

    let procurement = challenge("A", "").replace("stage: rfi", "stage: procurement");
    site.write("content/challenges/a.md", procurement);
    let out = check(&site, &["--now", after]);
    assert!(
        out.stderr
            .contains("the deadline has passed but the stage is still `procurement`"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_follows_drafts_like_build() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", "draft: true\n") + "\n![](bild.png)\n",
    );
    let out = check(&site, &["--format", "json"]);
    assert_eq!(json(&out)["warnings"], 0, "a draft is not published");
    let out = check(&site, &["--format", "json", "--drafts"]);
    assert_eq!(json(&out)["warnings"], 1);
}

#[test]
fn check_help_and_bad_arguments() {
    let out = run(&["check", "--help"]);
    assert!(out.status.success());
    for option in ["--root", "--now", "--drafts", "--format"] {
        assert!(out.stdout.contains(option), "check --help lacks {option}");
    }
    let site = TestSite::new();
    let out = check(&site, &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = check(&site, &["--now", "igår"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.starts_with("error: --now: "), "{}", out.stderr);
}

#[test]
fn check_reports_a_missing_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&[
        "check",
        "--root",
        tmp.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["diagnostics"][0]["path"], "site.toml");
    assert!(Path::new(tmp.path()).read_dir().unwrap().next().is_none());
}
