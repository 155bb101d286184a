//! The command line itself.

use crate::util::{TestSite, open_challenge, run};

#[test]
fn version_prints_the_crate_version() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, format!("utlys {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn help_lists_the_build_command_and_its_options() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    assert!(
        out.stdout.contains("Usage: utlys <COMMAND>"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("build"));

    let out = run(&["build", "--help"]);
    assert!(out.status.success());
    for option in ["--root", "--output", "--base-url", "--now", "--drafts"] {
        assert!(out.stdout.contains(option), "build --help lacks {option}");
    }
}

#[test]
fn invalid_now_is_a_clear_error() {
    let site = TestSite::new().file("content/challenges/a.md", open_challenge("A", ""));
    for (now, why) in [
        ("igår", "not a recognised date format"),
        ("2023-08-25T10:00:00", "it needs a time and an offset"),
        ("2023-08-25", "it needs a time and an offset"),
        (
            "2023-02-30T10:00:00Z",
            "there is no day 30 in February 2023; it has 28 days",
        ),
    ] {
        let build = site.build(&["--now", now]);
        assert_eq!(build.status.code(), Some(2), "--now {now}");
        assert!(
            build
                .stderr
                .starts_with(&format!("error: --now: invalid --now \"{now}\": {why}\n")),
            "{}",
            build.stderr
        );
        assert!(
            build
                .stderr
                .contains("= hint: Give --now as RFC 3339 with an offset or Z")
        );
        assert!(build.stdout.is_empty());
        assert!(!site.tmp().join("out").exists(), "nothing is written");
    }
}

#[test]
fn unknown_command_and_option_are_refused() {
    let out = run(&["bild"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.contains("unrecognized subcommand 'bild'"));
    let out = run(&["build", "--utdata", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.contains("unexpected argument '--utdata'"));
}

#[test]
fn missing_site_toml_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--output",
        tmp.path().join("out").to_str().unwrap(),
        "--now",
        "2023-08-25T10:00:00+02:00",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr
            .starts_with("error: site.toml: cannot read the site settings:"),
        "{}",
        out.stderr
    );
}

#[test]
fn completions_and_man_page_cover_every_subcommand() {
    let subcommands = [
        "build",
        "serve",
        "check",
        "new",
        "init",
        "cms",
        "completions",
        "manpage",
    ];
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{}", out.stderr);
        for sub in subcommands {
            assert!(out.stdout.contains(sub), "{shell} completions lack {sub}");
        }
    }
    assert!(run(&["completions", "tcsh"]).status.code() == Some(2));
    let out = run(&["manpage"]);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(out.stdout.contains(".TH utlys 1"));
    for sub in subcommands {
        assert!(
            out.stdout.contains(&format!("utlys\\-{sub}")),
            "the man page lacks {sub}"
        );
    }
}
