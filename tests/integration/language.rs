//! The language of messages: `--lang`, else the environment, else the
//! site's default language, else Swedish.

use std::process::Command;

use crate::util::{NOW, SITE_TOML, TestSite, open_challenge};

/// What one run printed, and whether it succeeded.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs the binary on `site` with exactly the locale variables `env` (the
/// machine's own are removed) and `args` after the subcommand's `--root`.
fn run_with(site: &TestSite, env: &[(&str, &str)], command: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utlys"));
    cmd.arg(command)
        .arg("--root")
        .arg(site.root())
        .args(["--now", NOW, "--allow-example-url"])
        .args(args)
        .current_dir(site.tmp())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (name, value) in env {
        cmd.env(name, value);
    }
    if command == "build" {
        cmd.arg("--output").arg(site.output());
    }
    let out = cmd.output().expect("run the utlys binary");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A valid site with one open challenge, in `language`.
fn site_in(language: &str) -> TestSite {
    TestSite::new()
        .file(
            "site.toml",
            format!("{SITE_TOML}language = \"{language}\"\n"),
        )
        .file("content/challenges/a.md", open_challenge("A", ""))
}

/// A site whose `site.toml` has a value out of range, in `language`.
fn broken_site_in(language: &str) -> TestSite {
    TestSite::new().file(
        "site.toml",
        format!("{SITE_TOML}language = \"{language}\"\nclosing_soon_days = 400\n"),
    )
}

#[test]
fn the_lang_flag_chooses_the_language_of_the_summaries() {
    let site = site_in("en");
    let check = run_with(
        &site,
        &[("LC_ALL", "en_US.UTF-8")],
        "check",
        &["--lang", "sv"],
    );
    assert!(check.ok, "{}", check.stderr);
    assert_eq!(
        check.stdout.lines().next(),
        Some("Inga problem hittades i 17 sidor (1 utmaningar, 1 öppna). Ingenting skrevs."),
        "{}",
        check.stdout
    );
    let build = run_with(
        &site,
        &[("LC_ALL", "sv_SE.UTF-8")],
        "build",
        &["--lang", "en"],
    );
    assert!(build.ok, "{}", build.stderr);
    assert!(
        build
            .stdout
            .starts_with("Built 17 pages (1 challenges, 1 open) into "),
        "{}",
        build.stdout
    );
    let build = run_with(&site, &[], "build", &["--lang", "sv"]);
    assert!(
        build
            .stdout
            .starts_with("Byggde 17 sidor (1 utmaningar, 1 öppna) i "),
        "{}",
        build.stdout
    );
    // The OCDS note follows too, in one language only.
    assert!(
        build
            .stdout
            .contains("note: site.toml har ingen `ocid_prefix`"),
        "{}",
        build.stdout
    );
    assert!(
        !build.stdout.contains("has no `ocid_prefix`"),
        "{}",
        build.stdout
    );
}

#[test]
fn the_lang_flag_chooses_the_language_of_a_diagnostic_and_its_hint() {
    let site = broken_site_in("sv");
    let sv = run_with(&site, &[], "check", &["--lang", "sv"]);
    assert!(!sv.ok);
    assert!(
        sv.stderr
            .contains("`closing_soon_days`: 400 är inte ett antal dagar från 0 till 365"),
        "{}",
        sv.stderr
    );
    assert!(
        sv.stderr.contains("= hint: standardvärdet är 7"),
        "{}",
        sv.stderr
    );
    assert!(
        sv.stderr
            .contains("Kontrollen misslyckades: 1 fel, 0 varning(ar)."),
        "{}",
        sv.stderr
    );
    let en = run_with(&site, &[], "check", &["--lang", "en"]);
    assert!(
        en.stderr
            .contains("`closing_soon_days`: 400 is not a number of days from 0 to 365"),
        "{}",
        en.stderr
    );
    assert!(
        en.stderr.contains("= hint: the default is 7"),
        "{}",
        en.stderr
    );
    assert!(
        en.stderr
            .contains("Check failed: 1 error(s), 0 warning(s)."),
        "{}",
        en.stderr
    );
}

#[test]
fn a_swedish_locale_without_the_flag_gives_swedish() {
    let site = site_in("en");
    let check = run_with(&site, &[("LANG", "sv_SE.UTF-8")], "check", &[]);
    assert!(
        check.stdout.starts_with("Inga problem hittades"),
        "{}",
        check.stdout
    );
    // LC_ALL comes before LANG.
    let check = run_with(
        &site,
        &[("LANG", "sv_SE.UTF-8"), ("LC_ALL", "en_GB.UTF-8")],
        "check",
        &[],
    );
    assert!(
        check.stdout.starts_with("No problems found"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_locale_naming_no_language_falls_back_to_the_site_language() {
    let check = run_with(&site_in("en"), &[("LC_ALL", "C")], "check", &[]);
    assert!(
        check.stdout.starts_with("No problems found"),
        "{}",
        check.stdout
    );
    let check = run_with(&site_in("sv"), &[("LC_ALL", "C")], "check", &[]);
    assert!(
        check.stdout.starts_with("Inga problem hittades"),
        "{}",
        check.stdout
    );
    // A site.toml that cannot be read is reported in Swedish.
    let site = TestSite::new().file("site.toml", "language = \"en\"\nbase_url = 3\n");
    let check = run_with(&site, &[("LC_ALL", "C")], "check", &[]);
    assert!(
        check.stderr.contains("Kontrollen misslyckades"),
        "{}",
        check.stderr
    );
}

#[test]
fn the_json_report_names_the_kind_of_problem_in_either_language() {
    let site = broken_site_in("sv");
    for lang in ["sv", "en"] {
        let check = run_with(&site, &[], "check", &["--format", "json", "--lang", lang]);
        let report: serde_json::Value =
            serde_json::from_str(&check.stdout).expect("check prints JSON");
        let first = &report["diagnostics"][0];
        assert_eq!(first["code"], "out-of-range", "{report}");
        assert_eq!(first["field"], "closing_soon_days");
        let message = first["message"].as_str().unwrap_or_default();
        let expected = if lang == "sv" {
            "är inte ett antal dagar"
        } else {
            "is not a number of days"
        };
        assert!(message.contains(expected), "{lang}: {message}");
    }
}

#[test]
fn new_and_init_speak_the_chosen_language() {
    let site = site_in("sv");
    let new = run_with(&site, &[], "new", &["--lang", "en", "page", "Om oss"]);
    assert!(!new.ok, "new takes --root after the kind: {}", new.stderr);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utlys"));
    let out = cmd
        .args(["new", "--lang", "en", "page", "Om oss", "--root"])
        .arg(site.root())
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .output()
        .expect("run utlys new");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("The file is a draft"), "{stderr}");
    let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args(["new", "page", "Om oss", "--lang", "sv", "--root"])
        .arg(site.root())
        .output()
        .expect("run utlys new");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: content/om-oss.md finns redan")
            || stderr.contains("om-oss.md finns redan"),
        "{stderr}"
    );
    assert!(stderr.contains("= hint: välj en annan titel"), "{stderr}");
    let target = site.tmp().join("ny");
    let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args(["init", "--lang", "sv"])
        .arg(&target)
        .output()
        .expect("run utlys init");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Skapade en ny webbplats i "), "{stdout}");
}

#[test]
fn the_note_on_pages_left_out_is_in_one_language() {
    let site = site_in("sv").file(
        "content/sida.md",
        "---\ntitle: Hemlig sida\ndraft: true\n---\n",
    );
    let sv = run_with(&site, &[], "check", &["--lang", "sv"]);
    assert!(
        sv.stdout.contains(
            "note: 1 sida publiceras inte (utkast eller publish_date framåt): content/sida.md. Ta bort `draft: true`"
        ),
        "{}",
        sv.stdout
    );
    assert!(!sv.stdout.contains("not published"), "{}", sv.stdout);
    let en = run_with(&site, &[], "check", &["--lang", "en"]);
    assert!(
        en.stdout.contains(
            "note: 1 page not published (draft, or publish_date ahead): content/sida.md. Remove `draft: true`"
        ),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains("publiceras"), "{}", en.stdout);
}
