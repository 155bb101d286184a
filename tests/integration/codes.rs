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

/// The problems `check` finds in `site`, each with its code; every one
/// must have a code and a Swedish text of its own.
fn checked(site: &TestSite) -> Vec<utlys::diagnostics::Diagnostic> {
    let options = BuildOptions {
        root: site.root(),
        output: None,
        base_url: None,
        now: NOW.parse().expect("a time"),
        fixed_clock: true,
        drafts: false,
    };
    let found = utlys::check::check(&options).diagnostics.0;
    for d in &found {
        let texts = std::iter::once(&d.message).chain(d.hint.as_ref());
        assert!(
            !d.code.is_empty() && !texts.into_iter().any(untranslated),
            "untranslated or without a code: {}: [{}] {:?} {:?}",
            d.location(),
            d.code,
            d.message,
            d.hint
        );
    }
    found
}

/// The codes of `found`, each with the file it is in.
fn codes(found: &[utlys::diagnostics::Diagnostic]) -> BTreeSet<(String, &'static str)> {
    found
        .iter()
        .map(|d| (d.path.to_string_lossy().replace('\\', "/"), d.code))
        .collect()
}

/// Links, images and ids of the Markdown text, and pages and files over
/// the paths the build writes itself, are named in both languages with a code.
#[test]
fn markdown_and_generated_path_problems_have_codes_and_both_languages() {
    let site = TestSite::new()
        .file(
            "content/challenges/a.md",
            format!(
                "{}[saknas](@/challenges/saknas.md) [fel](javascript:alert(1)) \
                 [rubrik](@/om.md#finns-inte) ![](bild.png)\n\n<p id=\"main\">x</p>\n",
                challenge("A", "")
            ),
        )
        .file("content/om.md", "---\ntitle: Om\n---\n## Kontakt\n");
    let found = checked(&site);
    let a = "content/challenges/a.md".to_string();
    let expected: BTreeSet<(String, &str)> = [
        (a.clone(), "broken-link"),
        (a.clone(), "invalid-url"),
        (a.clone(), "missing-anchor"),
        (a.clone(), "missing-alt"),
        (a, "renamed-id"),
    ]
    .into_iter()
    .collect();
    assert_eq!(codes(&found), expected, "{found:#?}");
    // Paths the build writes itself are checked on a site without other
    // errors.
    for (path, text) in [
        ("static/sitemap.xml", "<urlset/>"),
        ("content/tags.md", "---\ntitle: Taggar\n---\n"),
    ] {
        let found = checked(&TestSite::new().file(path, text));
        let expected = [(path.to_string(), "generated-address")];
        assert_eq!(codes(&found), expected.into_iter().collect(), "{found:#?}");
    }
    let found = checked(&TestSite::new().file("content/tags.md", "---\ntitle: Taggar\n---\n"));
    assert_eq!(
        found[0].message.sv,
        "den skulle publiceras som /tags/, som bygget skriver själv: sidorna för taggar"
    );
    assert_eq!(
        found[0].message.en,
        "it would be published as /tags/, which the build writes itself: the tag pages"
    );
    assert_eq!(
        found[0].hint.as_ref().map(|h| h.sv.as_str()),
        Some("byt namn på filen eller mappen, eller ange en `slug` för sidan")
    );
}

/// A theme whose texts cannot be read, and a theme that does not exist,
/// are named in both languages with a code.
#[test]
fn theme_problems_have_codes_and_both_languages() {
    let site = TestSite::new().file("themes/default/i18n/sv.toml", "nyckel = \n");
    let found = checked(&site);
    assert_eq!(
        codes(&found),
        [("themes/default/i18n/sv.toml".to_string(), "invalid-toml")]
            .into_iter()
            .collect(),
        "{found:#?}"
    );
    let site = TestSite::new();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write("site.toml", format!("{toml}theme = \"saknas\"\n"));
    let found = checked(&site);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "missing-theme");
    assert_eq!(
        found[0].message.sv,
        "temat `saknas` finns inte: det finns ingen mapp themes/saknas/"
    );
}
