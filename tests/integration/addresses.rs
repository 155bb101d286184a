//! Addresses that are not links: every URL field is checked, a mistake
//! stops the build with the corrected address, and Markdown links with
//! the same mistakes get a warning.

use crate::util::{NOW, SITE_TOML, TestSite, challenge, open_challenge, run_english};

/// Runs `utlys check --format json` on the site, in English, and gives the
/// diagnostics as JSON values.
fn check_json(site: &TestSite) -> Vec<serde_json::Value> {
    let root = site.root();
    let root = root.to_str().expect("a UTF-8 path");
    let out = run_english(&["check", "--format", "json", "--now", NOW, "--root", root]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("check prints JSON");
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The one diagnostic with `code`, failing the test unless there is
/// exactly one.
#[track_caller]
fn only(diagnostics: &[serde_json::Value], code: &str) -> serde_json::Value {
    let found: Vec<_> = diagnostics.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    found[0].clone()
}

/// A site with one challenge whose front matter has `extra`.
fn site_with(extra: &str) -> TestSite {
    TestSite::new().file("content/challenges/a.md", open_challenge("A", extra))
}

#[test]
fn a_bare_www_in_respond_url_stops_the_build_with_the_full_address() {
    let site = site_with("respond:\n  url: www.helsingborg.se/rfi\n");
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:8:8: `respond.url`: `www.helsingborg.se/rfi` lacks `https://`, so it becomes a path inside the portal"
        ],
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("hint: add `https://` in front: `https://www.helsingborg.se/rfi`"),
        "{}",
        build.stderr
    );
    assert!(!site.output().exists(), "nothing is published");
    let d = only(&check_json(&site), "invalid-url");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(d["field"], "respond.url");
    assert_eq!(d["severity"], "error");
}

#[test]
fn misspelt_schemes_in_every_url_field_are_shown_corrected() {
    let site = site_with(
        "respond:\n  url: https//example.se/svara\ndocuments:\n  - title: Rapport\n    url: http:/example.se/r.pdf\nevents:\n  - title: Möte\n    start: 2023-06-20T10:00\n    url: htps://example.se/anmalan\n",
    );
    let build = site.build(&[]).failure();
    assert_eq!(build.error_lines().len(), 3, "{}", build.stderr);
    for fixed in [
        "hint: write `https://example.se/svara`",
        "hint: write `http://example.se/r.pdf`",
        "hint: write `https://example.se/anmalan`",
    ] {
        assert!(build.stderr.contains(fixed), "{fixed}\n{}", build.stderr);
    }
    let diagnostics = check_json(&site);
    let places: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "invalid-url")
        .map(|d| (d["field"].as_str().unwrap_or(""), d["line"].as_u64()))
        .collect();
    assert_eq!(
        places,
        [
            ("respond.url", Some(8)),
            ("documents.url", Some(11)),
            ("events.url", Some(15))
        ]
    );
}

#[test]
fn an_email_address_in_a_url_field_points_to_mailto_or_to_the_contact() {
    let site = site_with(
        "respond:\n  url: anna@kommun.se\ndocuments:\n  - title: Rapport\n    url: anna@kommun.se\n",
    );
    let build = site.build(&[]).failure();
    assert!(
        build
            .stderr
            .contains("hint: write `mailto:` in front: `mailto:anna@kommun.se`"),
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("an e-mail address belongs in `email` under `contact`"),
        "{}",
        build.stderr
    );
}

#[test]
fn spaces_scripts_and_empty_hosts_are_refused() {
    let site = site_with(
        "documents:\n  - title: Rapport\n    url: https://example.se/min rapport.pdf\n  - title: Tom\n    url: https://\nrespond:\n  url: javascript:void(0)\n",
    );
    let build = site.build(&[]).failure();
    let lines = build.error_lines();
    assert_eq!(lines.len(), 3, "{}", build.stderr);
    for expected in [
        "a.md:13:8: `respond.url`: addresses starting with `javascript:` are not allowed in a link",
        "a.md:9:10: `documents.url`: the address `https://example.se/min rapport.pdf` holds a space",
        "a.md:11:10: `documents.url`: `https://` has no site name after `//`",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(expected)),
            "{expected}\n{lines:#?}"
        );
    }
    assert!(
        build
            .stderr
            .contains("`https://example.se/min%20rapport.pdf`")
    );
}

#[test]
fn a_relative_path_in_a_url_field_is_refused_and_a_site_path_is_not() {
    let build = site_with("respond:\n  url: svara.html\n")
        .build(&[])
        .failure();
    assert!(
        build
            .stderr
            .contains("`svara.html` is not a complete address"),
        "{}",
        build.stderr
    );
    let built = site_with("respond:\n  url: /svara/\n").build(&[]).success();
    assert!(
        built
            .read("challenges/a/index.html")
            .contains("href=\"/svara/\"")
    );
}

#[test]
fn markdown_links_with_the_same_mistakes_are_warned_about() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        challenge("A", "")
            + "\nLäs mer på [vår webbplats](www.kommun.se/mer) eller skriv till [oss](anna@kommun.se).\n",
    );
    let build = site.build(&[]).success();
    assert!(
        build.stderr.contains(
            "warning: content/challenges/a.md:10:12: `www.kommun.se/mer` lacks `https://`"
        ),
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("`https://www.kommun.se/mer`"));
    assert!(build.stderr.contains("`mailto:anna@kommun.se`"));
    let diagnostics = check_json(&site);
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "invalid-url" && d["severity"] == "warning")
        .collect();
    assert_eq!(warnings.len(), 2, "{diagnostics:#?}");
}

#[test]
fn a_base_url_without_https_is_an_error_with_the_fix() {
    let site = TestSite::new().file(
        "site.toml",
        SITE_TOML.replace("https://example.se/", "www.kommun.se/utmaningar/"),
    );
    let build = site.build(&[]).failure();
    assert!(
        build.stderr.contains(
            "error: site.toml:2:12: `base_url`: `www.kommun.se/utmaningar/` lacks `https://`"
        ),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("`https://www.kommun.se/utmaningar/`"),
        "{}",
        build.stderr
    );
    let bad_flag = TestSite::new()
        .build(&["--base-url", "https//kommun.se/"])
        .failure();
    assert!(
        bad_flag.stderr.contains("hint: write `https://kommun.se/`"),
        "{}",
        bad_flag.stderr
    );
}
