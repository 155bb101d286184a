//! Drafts and scheduled pages.

use crate::util::{TestSite, open_challenge};

/// Whether any file of the output mentions `needle`.
fn mentioned(build: &crate::util::Build, needle: &str) -> bool {
    build
        .tree()
        .values()
        .any(|b| String::from_utf8_lossy(b).contains(needle))
}

#[test]
fn drafts_are_built_only_with_the_drafts_flag() {
    let site = TestSite::new()
        .file("content/challenges/klar.md", open_challenge("Klar", ""))
        .file(
            "content/challenges/utkast.md",
            open_challenge("Hemligt utkast", "draft: true\n"),
        )
        .file(
            "content/sida.md",
            "---\ntitle: Hemlig sida\ndraft: true\nmenu: true\n---\n",
        );
    let build = site.build(&[]).success();
    // The pages left out are named, in the language of the messages.
    assert!(
        build.stdout.contains(
            "2 pages not published (draft, or publish_date ahead): content/challenges/utkast.md, content/sida.md."
        ),
        "{}",
        build.stdout
    );
    let root = site.root();
    let check = crate::util::run(&[
        "check",
        "--allow-example-url",
        "--root",
        root.to_str().unwrap(),
        "--now",
        crate::util::NOW,
    ])
    .success();
    assert!(
        check
            .stdout
            .contains("content/challenges/utkast.md, content/sida.md"),
        "{}",
        check.stdout
    );
    assert!(build.exists("challenges/klar/index.html"));
    assert!(!build.exists("challenges/utkast/index.html"));
    assert!(!build.exists("sida/index.html"));
    assert!(!mentioned(&build, "Hemlig"));
    assert!(
        build.stdout.contains("(1 challenges, 1 open)"),
        "{}",
        build.stdout
    );

    let build = site.build(&["--drafts"]).success();
    assert!(!build.stdout.contains("not published"), "{}", build.stdout);
    assert!(
        build
            .read("challenges/utkast/index.html")
            .contains("<h1>Hemligt utkast</h1>")
    );
    assert!(build.read("sida/index.html").contains("Hemlig sida"));
    assert!(build.read("index.html").contains("Hemligt utkast"));
    assert!(
        build.stdout.contains("(2 challenges, 2 open)"),
        "{}",
        build.stdout
    );
}

#[test]
fn future_publish_date_hides_the_page_until_that_day() {
    let site = TestSite::new()
        .file(
            "content/challenges/snart.md",
            open_challenge("Schemalagd", "publish_date: 2023-09-01\n"),
        )
        .file(
            "content/nyhet.md",
            "---\ntitle: Schemalagd sida\npublish_date: 2023-09-01\n---\n",
        );
    let before = site
        .build(&["--now", "2023-08-31T23:59:59+02:00"])
        .success();
    assert!(!before.exists("challenges/snart/index.html"));
    assert!(!before.exists("nyhet/index.html"));
    assert!(!mentioned(&before, "Schemalagd"));

    // From the start of the day, in the site's zone.
    let on_the_day = site
        .build(&["--now", "2023-09-01T00:00:00+02:00"])
        .success();
    assert!(on_the_day.exists("challenges/snart/index.html"));
    assert!(on_the_day.exists("nyhet/index.html"));
    assert!(on_the_day.read("index.html").contains("Schemalagd"));

    // --drafts shows it ahead of time.
    let drafts = site
        .build(&["--now", "2023-08-25T10:00:00+02:00", "--drafts"])
        .success();
    assert!(drafts.exists("challenges/snart/index.html"));
}

#[test]
fn invalid_publish_date_is_an_error_even_for_a_draft() {
    TestSite::new()
        .file(
            "content/challenges/x.md",
            open_challenge("X", "draft: true\npublish_date: 2023-13-01\n"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/x.md:8:15: `publish_date`: invalid date \"2023-13-01\": there is no month 13",
        ]);
}
