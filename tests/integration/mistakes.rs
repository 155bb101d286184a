//! Common writing mistakes, through `utlys check --format json` and
//! `utlys build`: each is reported with its code, at the line and column
//! of the mistake, with a hint that fits the case. The messages are read in
//! English (`LC_ALL` pins it); their Swedish text is checked by the unit
//! tests next to them.

use serde_json::Value;

use crate::util::{Build, NOW, TestSite, run_with_env};

/// The environment of every run here: English messages whatever the
/// machine's locale.
const ENGLISH: &[(&str, &str)] = &[("LC_ALL", "en_US.UTF-8")];

/// A challenge at the `rfi` stage with `title` and the lines `rest` (each
/// ending in `\n`) after `published`, which is on line 6; `rest` starts on
/// line 7.
fn page(title: &str, rest: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\n{rest}---\n\nText.\n"
    )
}

/// A site with the one challenge `text`.
fn site(text: &str) -> TestSite {
    TestSite::new().file("content/challenges/a.md", text)
}

/// `utlys check --format json` on `site`, at [`NOW`] unless `args` give
/// another `--now`.
fn check(site: &TestSite, args: &[&str]) -> Value {
    let root = site.root().display().to_string();
    let mut all = vec![
        "check",
        "--allow-example-url",
        "--root",
        &root,
        "--format",
        "json",
    ];
    if !args.contains(&"--now") {
        all.extend(["--now", NOW]);
    }
    all.extend(args);
    let out: Build = run_with_env(&all, ENGLISH);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}\n{}", out.stdout, out.stderr))
}

/// The diagnostics of a report.
fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
}

/// The one diagnostic with `code`; fails when there is none or several.
#[track_caller]
fn only<'a>(report: &'a Value, code: &str) -> &'a Value {
    let found: Vec<&Value> = diagnostics(report)
        .iter()
        .filter(|d| d["code"] == code)
        .collect();
    assert_eq!(found.len(), 1, "one `{code}` expected in {report:#}");
    found[0]
}

/// Checks the severity, path, line and column of `d`.
#[track_caller]
fn assert_at(d: &Value, severity: &str, line: u64, column: u64) {
    assert_eq!(d["severity"], severity, "{d:#}");
    assert_eq!(d["path"], "content/challenges/a.md", "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line), Some(column)),
        "{d:#}"
    );
}

fn text<'a>(d: &'a Value, key: &str) -> &'a str {
    d[key].as_str().unwrap_or_default()
}

#[test]
fn a_misspelt_field_is_reported_instead_of_the_missing_one() {
    let report = check(&site(&page("A", "dedline: 2023-08-31\n")), &[]);
    let d = only(&report, "unknown-field");
    assert_at(d, "error", 7, 1);
    assert_eq!(text(d, "message"), "unknown field `dedline`");
    assert_eq!(text(d, "hint"), "did you mean `deadline`?");
    assert_eq!(report["errors"], 1, "{report:#}");
    assert!(
        diagnostics(&report)
            .iter()
            .all(|d| d["code"] != "missing-field"),
        "{report:#}"
    );
    // Without the misspelling, the missing deadline is the problem.
    let report = check(&site(&page("A", "")), &[]);
    assert_eq!(report["errors"], 1, "{report:#}");
    let d = &diagnostics(&report)[0];
    assert!(text(d, "message").contains("`deadline`"), "{d:#}");
}

#[test]
fn curly_quotes_around_a_title_are_taken_off_with_a_warning() {
    let site = site(&page("”Smartare snöröjning”", "deadline: 2023-08-31\n"));
    let report = check(&site, &[]);
    let d = only(&report, "curly-quotes");
    assert_at(d, "warning", 2, 8);
    assert!(text(d, "message").contains("curly quotes"), "{d:#}");
    assert!(text(d, "hint").contains("straight quotes"), "{d:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    // The built page shows the title without the quotes.
    let root = site.root().display().to_string();
    let output = site.output().display().to_string();
    let args = [
        "build",
        "--allow-example-url",
        "--root",
        &root,
        "--output",
        &output,
        "--now",
        NOW,
    ];
    let build = run_with_env(&args, ENGLISH);
    assert!(build.status.success(), "{}", build.stderr);
    assert!(build.stderr.contains("curly quotes"), "{}", build.stderr);
    let html = std::fs::read_to_string(site.output().join("challenges/a/index.html"))
        .expect("the challenge page is built");
    assert!(
        html.contains("<h1") && html.contains(">Smartare snöröjning</h1>"),
        "{html}"
    );
    assert!(!html.contains('”'), "{html}");
}

#[test]
fn curly_quotes_around_a_value_with_a_colon_are_named_not_yamls_words() {
    let report = check(
        &site(&page("”Exempel: minskat”", "deadline: 2023-08-31\n")),
        &[],
    );
    let d = only(&report, "curly-quotes");
    assert_at(d, "warning", 2, 8);
    assert!(text(d, "hint").contains("straight quotes `\"`"), "{d:#}");
    assert!(text(d, "hint").contains("`:`"), "{d:#}");
    assert!(
        !text(d, "message").contains("mapping values"),
        "the parser's words are only a detail: {d:#}"
    );
}

#[test]
fn a_tab_in_the_indentation_is_named() {
    let rest = "deadline: 2023-08-31\ncontact:\n  name: A\n\trole: B\n";
    let d = &check(&site(&page("A", rest)), &[]);
    let d = only(d, "yaml-tab");
    assert_at(d, "error", 10, 1);
    assert!(
        text(d, "hint").contains("two spaces instead of a tab"),
        "{d:#}"
    );
}

#[test]
fn a_list_item_without_its_dash_is_named() {
    let rest = "deadline: 2023-08-31\ntags:\n  - måltider\n  skola\n";
    let d = &check(&site(&page("A", rest)), &[]);
    let d = only(d, "yaml-list-dash");
    assert_at(d, "error", 10, 3);
    assert!(text(d, "hint").contains("`- skola`"), "{d:#}");
}

#[test]
fn a_field_off_its_item_under_updates_shows_the_shape() {
    let rest = "deadline: 2023-08-31\nupdates:\n  - date: 2023-07-01\n   text: Ny tid\n";
    let d = &check(&site(&page("A", rest)), &[]);
    let d = only(d, "yaml-indentation");
    assert_at(d, "error", 10, 4);
    assert!(
        text(d, "hint").contains("updates:\n  - date: 2023-09-01\n    text: …"),
        "{d:#}"
    );
}

#[test]
fn a_field_written_twice_names_both_lines() {
    let rest = "deadline: 2023-08-31\nbuyer: Annan stad\n";
    let d = &check(&site(&page("A", rest)), &[]);
    let d = only(d, "duplicate-field");
    assert_at(d, "error", 8, 1);
    assert_eq!(
        text(d, "message"),
        "the field `buyer` is written twice: on line 4 and line 8"
    );
}

#[test]
fn a_non_breaking_space_after_the_colon_is_named() {
    let text_with_nbsp = page("A", "deadline:\u{a0}2023-08-31\n");
    let d = &check(&site(&text_with_nbsp), &[]);
    let d = only(d, "nbsp");
    assert_at(d, "error", 7, 10);
    assert!(text(d, "message").contains("non-breaking space"), "{d:#}");
}

#[test]
fn a_date_written_another_way_is_shown_written_right() {
    for written in ["15/9/2023", "15.9.2023", "2023/09/15", "15 september 2023"] {
        let rest = format!("deadline: {written}\n");
        let report = check(&site(&page("A", &rest)), &[]);
        let d = only(&report, "invalid-date");
        assert_at(d, "error", 7, 11);
        assert_eq!(d["field"], "deadline");
        assert!(text(d, "message").contains(written), "{d:#}");
        assert!(text(d, "hint").starts_with("Write \"2023-09-15\""), "{d:#}");
    }
}

#[test]
fn a_date_that_reads_two_ways_gets_the_build_clocks_date() {
    let site = site(&page("A", "deadline: 3/4/2023\n"));
    let d = check(&site, &[]);
    let d = only(&d, "invalid-date");
    assert_at(d, "error", 7, 11);
    assert!(text(d, "hint").contains("two ways"), "{d:#}");
    // NOW is 25 August 2023; another --now gives another example.
    assert!(text(d, "hint").contains("\"2023-08-25\""), "{d:#}");
    let d = check(&site, &["--now", "2024-02-10T10:00:00+01:00"]);
    let d = only(&d, "invalid-date");
    assert!(text(d, "hint").contains("\"2024-02-10\""), "{d:#}");
}

#[test]
fn a_deadline_time_written_the_swedish_way_is_shown_with_a_colon() {
    let site = TestSite::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.se/\"\ndeadline_time = \"kl. 12.00\"\n",
    );
    let root = site.root().display().to_string();
    let out = run_with_env(
        &[
            "check",
            "--allow-example-url",
            "--root",
            &root,
            "--format",
            "json",
        ],
        ENGLISH,
    );
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let d = &diagnostics(&report)[0];
    assert_eq!(d["code"], "invalid-time", "{d:#}");
    assert_eq!(d["path"], "site.toml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(17))
    );
    assert!(text(d, "hint").contains("\"12:00\""), "{d:#}");
}
