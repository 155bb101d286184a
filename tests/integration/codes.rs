//! Every problem has a stable code and its text in Swedish and English.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use utlys::BuildOptions;
use utlys::diagnostics::Msg;

use crate::util::{NOW, TestSite, challenge};

/// `check --format json` on a site with one mistake of each common kind
/// names each by its code, whatever the wording.
#[test]
fn check_json_names_each_kind_of_problem_by_its_code() {
    let site = TestSite::new()
        .file(
            "content/challenges/stavfel.md",
            challenge("Stavfel", "dedline: 2023-09-30\n").replace("stage: rfi", "stage: rfii"),
        )
        .file(
            "content/challenges/datum.md",
            challenge("Datum", "").replace("deadline: 2023-08-31", "deadline: 2023-02-30"),
        )
        .file(
            "content/challenges/saknas.md",
            challenge("Saknas", "").replace("buyer: Exempelstad\n", ""),
        )
        .file(
            "content/challenges/bilaga/index.md",
            challenge(
                "Bilaga",
                "documents:\n  - title: Svar\n    file: svar.pdf\n",
            ),
        );
    let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args([
            "check",
            "--allow-example-url",
            "--format",
            "json",
            "--now",
            NOW,
            "--root",
        ])
        .arg(site.root())
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run the utlys binary");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found: BTreeSet<(String, String, String)> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (text("path"), text("field"), text("code"))
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        ("stavfel.md", "dedline", "unknown-field"),
        ("stavfel.md", "stage", "invalid-stage"),
        ("datum.md", "deadline", "invalid-date"),
        ("saknas.md", "buyer", "missing-field"),
        ("bilaga/index.md", "documents.file", "missing-document"),
    ]
    .iter()
    .map(|(path, field, code)| {
        let path = format!("content/challenges/{path}");
        (path, field.to_string(), code.to_string())
    })
    .collect();
    assert_eq!(found, expected, "{}", String::from_utf8_lossy(&out.stdout));
    let unknown = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["code"] == "unknown-field")
        .expect("the unknown field");
    assert_eq!(unknown["message"], "unknown field `dedline`");
    assert_eq!(unknown["hint"], "did you mean `deadline`?");
}

/// The words of `text` outside backticks: what a translation changes.
/// Values, field names and examples in backticks stay the same in both
/// languages.
fn words(text: &str) -> String {
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// Whether `msg` reads the same in both languages although it has words
/// to translate: a message nobody translated.
fn untranslated(msg: &Msg) -> bool {
    msg.sv == msg.en && words(&msg.sv).chars().any(char::is_alphabetic)
}

#[test]
fn the_untranslated_check_can_fail() {
    assert!(untranslated(&Msg::new(
        "unknown field `x`",
        "unknown field `x`"
    )));
    assert!(!untranslated(&Msg::new("`x`: `y`", "`x`: `y`")));
    assert!(!untranslated(&Msg::new(
        "okänt fält `x`",
        "unknown field `x`"
    )));
}

/// Every problem `check` finds in the fixture sites (the broken one
/// included) has a code and a Swedish text that is not the English one.
#[test]
fn every_problem_in_the_fixtures_has_a_code_and_both_languages() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut sites: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("tests/fixtures")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.join("site.toml").is_file())
        .collect();
    sites.sort();
    assert!(
        sites.iter().any(|p| p.ends_with("broken-site")),
        "{sites:?}"
    );
    let mut seen = 0;
    let mut wrong = Vec::new();
    for root in &sites {
        let options = BuildOptions {
            root: root.clone(),
            output: None,
            base_url: None,
            now: NOW.parse().expect("a time"),
            fixed_clock: true,
            drafts: false,
        };
        let report = utlys::check::check(&options);
        if root.ends_with("broken-site") {
            assert!(report.diagnostics.error_count() >= 10, "{report:?}");
        }
        for d in &report.diagnostics.0 {
            seen += 1;
            let texts = std::iter::once(&d.message).chain(d.hint.as_ref());
            if d.code.is_empty() || texts.into_iter().any(untranslated) {
                wrong.push(format!(
                    "{}: [{}] {:?} {:?}",
                    d.location(),
                    d.code,
                    d.message,
                    d.hint
                ));
            }
        }
    }
    assert!(seen > 0);
    assert!(
        wrong.is_empty(),
        "untranslated or without a code:\n{}",
        wrong.join("\n")
    );
}
