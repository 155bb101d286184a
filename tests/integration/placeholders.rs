//! The example texts `utlys init` and `utlys new` write are named while
//! they are still in place, and a site at the example address is not
//! published unless that is meant.

use crate::util::{Build, NOW, TestSite, run_english};
use std::fs;
use std::path::Path;

/// Runs the binary with `args` in English.
fn utlys(args: &[&str]) -> Build {
    run_english(args)
}

/// The 1-based line and column of the first `needle` in the file.
fn position(path: &Path, needle: &str) -> (usize, usize) {
    let text = fs::read_to_string(path).expect("read the file");
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {}", path.display()));
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The diagnostics of `utlys check --format json` with `extra` flags.
fn check_json(root: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["check", "--format", "json", "--now", NOW, "--root"];
    let root = root.to_str().expect("a UTF-8 path");
    args.push(root);
    args.extend(extra);
    let out = utlys(&args);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn codes(diagnostics: &[serde_json::Value]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_new_site_is_not_published_at_the_example_address_and_names_its_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ny-portal");
    let root = dir.to_str().unwrap();
    assert!(utlys(&["init", root]).status.success());
    let statement = "content/tillganglighetsredogorelse.md";

    // `check`: the address and each placeholder of the statement are
    // warnings; the example challenge is a draft, so not published.
    let found = check_json(&dir, &[]);
    let mut expected: Vec<_> = (0..6)
        .map(|_| ("placeholder".to_string(), statement.to_string()))
        .collect();
    expected.push(("example-base-url".to_string(), "site.toml".to_string()));
    assert_eq!(codes(&found), expected, "{found:#?}");
    assert!(found.iter().all(|d| d["severity"] == "warning"));
    let address = &found[6];
    assert_eq!(
        (address["line"].as_u64(), address["column"].as_u64()),
        (Some(8), Some(12))
    );
    let (line, column) = position(&dir.join(statement), "E-post: fyll i");
    assert!(found.iter().any(|d| d["line"].as_u64() == Some(line as u64)
        && d["column"].as_u64() == Some(column as u64)
        && d["message"]
            == "the example text `E-post: fyll i` from `utlys init` or `utlys new` is still in place"));
    let quiet = check_json(&dir, &["--allow-example-url"]);
    assert_eq!(quiet.len(), 6, "{quiet:#?}");

    // `build` refuses, and writes nothing.
    let public = tmp.path().join("public");
    let out = public.to_str().unwrap();
    let refused = utlys(&["build", "--root", root, "--output", out]);
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "error: site.toml:8:12: `base_url`: `base_url` is still the example address `https://example.se/` from `utlys init`"
        ),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--allow-example-url"));
    assert!(!public.exists(), "nothing was written");

    // With the real address, or said to be meant, it is published, with
    // a warning per placeholder.
    for flags in [
        &["--base-url", "https://utmaningar.kommun.se/"][..],
        &["--allow-example-url"][..],
    ] {
        let mut args = vec!["build", "--root", root, "--output", out];
        args.extend(flags);
        let built = utlys(&args);
        assert!(built.status.success(), "{}", built.stderr);
        assert_eq!(
            built
                .stderr
                .matches("warning: content/tillganglighetsredogorelse.md:")
                .count(),
            6,
            "{}",
            built.stderr
        );
        assert!(
            !built.stderr.contains("example address"),
            "{}",
            built.stderr
        );
        assert!(
            !public
                .join("challenges/exempel-minskat-matsvinn/index.html")
                .exists()
        );
    }
}

#[test]
fn every_placeholder_of_a_new_challenge_and_page_is_named_at_its_place() {
    let site = TestSite::new();
    let root = site.root();
    let root_str = root.to_str().unwrap();
    for (kind, title) in [("challenge", "Trygg skolväg"), ("page", "Om oss")] {
        assert!(
            utlys(&["new", kind, title, "--root", root_str])
                .status
                .success()
        );
    }
    // Drafts are not published, so their example text is not a problem yet.
    let plain = site.build(&[]).success();
    assert!(!plain.stderr.contains("example text"), "{}", plain.stderr);

    let build = site.build(&["--drafts"]).success();
    for (file, text) in [
        (
            "content/challenges/trygg-skolvag.md",
            "Skriv en eller två meningar om vad som efterfrågas.",
        ),
        (
            "content/challenges/trygg-skolvag.md",
            "Fyll i beställarens namn",
        ),
        (
            "content/challenges/trygg-skolvag.md",
            "Beskriv problemet med egna ord",
        ),
        (
            "content/challenges/trygg-skolvag.md",
            "Beskriv vilken sorts lösning",
        ),
        (
            "content/challenges/trygg-skolvag.md",
            "Berätta hur och när leverantörer svarar",
        ),
        (
            "content/om-oss.md",
            "Skriv en mening om vad sidan handlar om.",
        ),
        ("content/om-oss.md", "Skriv sidans text här med Markdown."),
    ] {
        let (line, column) = position(&root.join(file), text);
        let expected = format!("warning: {file}:{line}:{column}: the example text `{text}");
        assert!(
            build.stderr.contains(&expected),
            "{expected}\n{}",
            build.stderr
        );
    }
    assert_eq!(
        build.stderr.matches("the example text").count(),
        7,
        "{}",
        build.stderr
    );
    let found = check_json(&root, &["--drafts", "--allow-example-url"]);
    assert_eq!(
        found.iter().filter(|d| d["code"] == "placeholder").count(),
        7
    );
}

#[test]
fn only_the_texts_the_scaffold_writes_count_as_placeholders() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n# summary: \"Skriv en mening om vad sidan handlar om.\"\n---\n\nFyll i formuläret på kommunens webbplats. E-post: fyll i gärna.\n",
        )
        .build(&[])
        .success();
    assert!(!build.stderr.contains("example text"), "{}", build.stderr);
}

#[test]
fn the_refusal_of_the_example_address_comes_with_the_other_errors() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        crate::util::open_challenge("A", "dedline: 2023-08-31\n"),
    );
    let root = site.root();
    let output = site.output();
    let build = utlys(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(build.status.code(), Some(1), "{}", build.stderr);
    let errors = build.error_lines();
    assert_eq!(errors.len(), 2, "{}", build.stderr);
    assert!(
        errors[0].starts_with("error: content/challenges/a.md:"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("error: site.toml:2:12: `base_url`"),
        "{errors:?}"
    );
    assert!(
        build.stderr.contains("Build failed: 2 error(s)"),
        "{}",
        build.stderr
    );
    assert!(!output.exists(), "nothing was written");
}
