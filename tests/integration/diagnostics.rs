//! How problems are reported: unknown fields with suggestions, every problem
//! of a build at once, and the exact message format.

use crate::util::{TestSite, open_challenge};

#[test]
fn unknown_field_is_reported_with_a_suggestion() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: Stavfel\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: need\npublished: 2023-06-15\ndedline: 2023-08-31\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:7:1: `dedline`: unknown field `dedline`\n  |\n7 | dedline: 2023-08-31\n  | ^^^^^^^\n  |\n  = hint: did you mean `deadline`?\n",
        ]);
    assert_eq!(build.error_lines().len(), 1);
}

#[test]
fn unknown_toml_field_and_page_field_are_reported() {
    TestSite::new()
        .file(
            "content/challenges/t.md",
            "+++\ntitle = \"T\"\nsummary = \"S\"\nbuyer = \"B\"\nstage = \"need\"\npublished = 2023-06-15\nsumary = \"x\"\n+++\n",
        )
        .file("content/om.md", "---\ntitle: Om\nmenu: true\nwieght: 2\n---\n")
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/t.md:7:1: `sumary`: unknown field `sumary`",
            "= hint: did you mean `summary`?",
            "error: content/om.md:4:1: `wieght`: unknown field `wieght`",
            "= hint: did you mean `weight`?",
        ]);
}

#[test]
fn an_unknown_field_is_reported_beside_a_value_of_the_wrong_kind() {
    // The typed reading stops at `tags`; the misspelt key after it is
    // still found.
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\ntags: {a: 1}\ndedline: 2023-08-31\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:8:1: `dedline`: unknown field `dedline`",
            "error: content/challenges/a.md:7:",
        ]);
    assert_eq!(build.error_lines().len(), 2, "{:?}", build.error_lines());
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let build = TestSite::new()
        // Two problems in one file.
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: rfii\npublished: 2023-06-15\ndedline: 2023-08-31\n---\n",
        )
        // A TOML file with an impossible date.
        .file(
            "content/challenges/b.md",
            "+++\ntitle = \"B\"\nsummary = \"S\"\nbuyer = \"B\"\nstage = \"need\"\npublished = \"2023-02-30\"\n+++\n",
        )
        // A required field missing.
        .file(
            "content/challenges/c.md",
            "---\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\n---\n",
        )
        // A plain page with a misspelt field.
        .file("content/om.md", "---\ntitle: Om\nmenyu: true\n---\n")
        .build(&[])
        .failure();
    let errors = build.error_lines();
    assert_eq!(
        errors,
        [
            "error: content/challenges/a.md:5:8: `stage`: unknown stage `rfii`",
            "error: content/challenges/a.md:7:1: `dedline`: unknown field `dedline`",
            "error: content/challenges/b.md:6:13: `published`: invalid date \"2023-02-30\": there is no day 30 in February 2023; it has 28 days",
            "error: content/challenges/c.md:1:1: `title`: missing required field `title`",
            "error: content/om.md:3:1: `menyu`: unknown field `menyu`",
        ],
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.ends_with(&format!(
            "Build failed: 5 error(s), 0 warning(s). Nothing was published; the site in {} is unchanged.\n",
            build.output.display()
        )),
        "{}",
        build.stderr
    );
    assert!(build.stdout.is_empty());
}

#[test]
fn warnings_do_not_fail_the_build() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\noutcome: Det gick bra.\n---\n",
        )
        .build(&[])
        .success();
    assert!(build.stderr.starts_with(
        "warning: content/challenges/a.md:7:10: `outcome`: an `outcome` at the `need` stage\n"
    ));
    // The summary, then the note that no OCDS is written without a prefix.
    let lines: Vec<&str> = build.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", build.stdout);
    assert!(lines[0].ends_with(", 1 warning(s)"), "{}", build.stdout);
    assert!(lines[1].starts_with("note: site.toml has no `ocid_prefix`"));
    assert!(build.exists("challenges/a/index.html"));
}

#[test]
fn without_an_ocid_prefix_build_and_check_say_once_that_no_ocds_is_written() {
    let challenge =
        "---\ntitle: A\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\n---\n";
    let site = TestSite::new()
        .file("content/challenges/a.md", challenge)
        .file("content/challenges/b.md", challenge);
    let build = site.build(&[]).success();
    assert_eq!(
        build.stdout.matches("note: ").count(),
        1,
        "{}",
        build.stdout
    );
    let root = site.root();
    let check = crate::util::run(&[
        "check".as_ref(),
        "--allow-example-url".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--now".as_ref(),
        std::ffi::OsStr::new(crate::util::NOW),
    ]);
    assert_eq!(
        check.stdout.matches("note: ").count(),
        1,
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.starts_with("No problems found"),
        "{}",
        check.stdout
    );
    assert!(
        build.stderr.is_empty(),
        "a note, not a warning: {}",
        build.stderr
    );
    assert!(build.exists("api/challenges.json"));
    assert!(!build.exists("api/ocds.json"));
    assert!(!build.exists("api/ocds-records.json"));
    let with_prefix = TestSite::new()
        .file(
            "site.toml",
            format!("{}ocid_prefix = \"ocds-213czf\"\n", crate::util::SITE_TOML),
        )
        .file("content/challenges/a.md", challenge)
        .build(&[])
        .success();
    assert!(
        !with_prefix.stdout.contains("ocid_prefix"),
        "{}",
        with_prefix.stdout
    );
    assert!(with_prefix.exists("api/ocds.json"));
    assert!(with_prefix.exists("api/ocds-records.json"));
}

#[test]
fn a_malformed_ocid_prefix_names_the_line_and_the_fix() {
    let build = TestSite::new()
        .file(
            "site.toml",
            format!("{}ocid_prefix = \"ocds-utlys\"\n", crate::util::SITE_TOML),
        )
        .build(&[])
        .failure();
    assert!(
        build.stderr.starts_with(
            "error: site.toml:3:15: `ocid_prefix`: `ocds-utlys` is not an OCID prefix: it must be `ocds-` and six lower-case letters or digits"
        ),
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("ocds-213czf"), "{}", build.stderr);
}

#[test]
fn two_challenges_with_one_stable_id_are_an_error() {
    let challenge = |id: &str| {
        format!(
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\nid: {id}\n---\n"
        )
    };
    let build = TestSite::new()
        .file("content/challenges/a.md", challenge("klimat"))
        .file("content/challenges/b.md", challenge("klimat"))
        .file("content/challenges/c.md", challenge("Klimat 2024"))
        .build(&[])
        .failure();
    let errors = build.error_lines();
    assert_eq!(errors.len(), 2, "{}", build.stderr);
    assert!(
        errors[0].starts_with("error: content/challenges/b.md:")
            && errors[0].contains("`klimat` is also the id of `content/challenges/a.md`"),
        "{}",
        build.stderr
    );
    assert!(
        errors[1].starts_with(
            "error: content/challenges/c.md:7:5: `id`: `Klimat 2024` is not a stable id"
        ),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("`id: klimat-2024`"),
        "{}",
        build.stderr
    );
}

/// The whole message for one file with two errors, so any change to the
/// format shows up in review.
#[test]
fn message_format_snapshot() {
    let site = TestSite::new().file(
        "content/challenges/klimat.md",
        "---\ntitle: Klimat\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfii\npublished: 2023-06-15\ndeadline: 2023-08-31\ndedline: 2023-09-01\n---\n\nText.\n",
    );
    let build = site.build(&[]).failure();
    let stderr = build
        .stderr
        .replace(&site.tmp().display().to_string(), "[TMP]");
    insta::assert_snapshot!("two_errors_in_one_file", stderr);
}

#[test]
fn a_template_error_names_the_template_and_what_was_being_rendered() {
    let page = TestSite::new()
        .file("content/challenges/a.md", open_challenge("A", ""))
        .file(
            "themes/default/templates/challenge.html",
            "{% extends \"base.html\" %}{% block content %}{{ challenge.missing.deeper }}{% endblock %}\n",
        )
        .build(&[])
        .failure();
    let errors = page.error_lines();
    assert_eq!(errors.len(), 1, "{}", page.stderr);
    assert!(
        errors[0].starts_with(
            "error: themes/default/templates/challenge.html: rendering content/challenges/a.md failed: "
        ) && errors[0].contains("`missing`"),
        "{}",
        page.stderr
    );
    assert!(page.stderr.contains(
        "hint: check the template near the place named, and that the variables it uses exist"
    ));

    let card = TestSite::new()
        .file("content/challenges/a.md", open_challenge("A", ""))
        .file(
            "themes/default/templates/challenge_card.html",
            "<p>{{ item.nothing.deeper }}</p>\n",
        )
        .build(&[])
        .failure();
    assert!(
        card.error_lines().iter().any(|e| e.starts_with(
            "error: themes/default/templates/challenge_card.html: rendering a challenge card failed: "
        ) && e.contains("`nothing`")),
        "{}",
        card.stderr
    );
}
