//! Deadline forms, time zones, daylight-saving changes and the status of a
//! challenge at the build clock.

use crate::util::{SITE_TOML, TestSite, challenge, element_text};

fn with_deadline(title: &str, deadline: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\ndeadline: {deadline}\n---\n"
    )
}

#[test]
fn deadline_forms_resolve_in_the_site_zone() {
    let build = TestSite::new()
        .file(
            "content/challenges/datum.md",
            with_deadline("Datum", "2023-08-31"),
        )
        .file(
            "content/challenges/lokal.md",
            with_deadline("Lokal", "2023-08-31T12:00"),
        )
        .file(
            "content/challenges/utc.md",
            with_deadline("UTC", "2023-08-31T12:00:00Z"),
        )
        .file(
            "content/challenges/offset.md",
            with_deadline("Offset", "2023-08-31T12:00:00-04:00"),
        )
        .build(&[])
        .success();
    for (slug, rfc3339, display) in [
        (
            "datum",
            "2023-08-31T23:59:00+02:00",
            "torsdag 31 augusti 2023 kl. 23.59",
        ),
        (
            "lokal",
            "2023-08-31T12:00:00+02:00",
            "torsdag 31 augusti 2023 kl. 12.00",
        ),
        (
            "utc",
            "2023-08-31T14:00:00+02:00",
            "torsdag 31 augusti 2023 kl. 14.00",
        ),
        (
            "offset",
            "2023-08-31T18:00:00+02:00",
            "torsdag 31 augusti 2023 kl. 18.00",
        ),
    ] {
        let html = build.read(&format!("challenges/{slug}/index.html"));
        let time = format!("<time datetime=\"{rfc3339}\">{display} CEST</time>");
        assert!(html.contains(&time), "{slug}: no {time} in\n{html}");
    }
}

#[test]
fn challenge_timezone_and_site_deadline_time_apply() {
    let build = TestSite::new()
        .file(
            "site.toml",
            format!("{SITE_TOML}deadline_time = \"12:00\"\n"),
        )
        .file(
            "content/challenges/helsingfors.md",
            challenge("Helsingfors", "timezone: Europe/Helsinki\n"),
        )
        .file(
            "content/challenges/vinter.md",
            with_deadline("Vinter", "2023-12-01"),
        )
        .build(&[])
        .success();
    // Date only: the site's deadline_time, in the challenge's zone.
    assert!(build.read("challenges/helsingfors/index.html").contains(
        "<time datetime=\"2023-08-31T12:00:00+03:00\">torsdag 31 augusti 2023 kl. 12.00 EEST</time>"
    ));
    // Winter time in Stockholm.
    assert!(build.read("challenges/vinter/index.html").contains(
        "<time datetime=\"2023-12-01T12:00:00+01:00\">fredag 1 december 2023 kl. 12.00 CET</time>"
    ));
}

/// Builds one challenge that opens 2023-09-01 (start of day, +02:00) and
/// closes 2023-10-31 23:59 (+01:00, after the change to winter time) at
/// `now`, then checks the status on its page and in the status taxonomy.
#[track_caller]
fn assert_status(now: &str, key: &str, label: &str) {
    let build = TestSite::new()
        .file(
            "content/challenges/c.md",
            "---\ntitle: Statusprov\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\nopens: 2023-09-01\ndeadline: 2023-10-31\n---\n",
        )
        .build(&["--now", now])
        .success();
    let page = build.read("challenges/c/index.html");
    assert_eq!(
        element_text(&page, "class=\"badge "),
        format!("Status: {label}"),
        "status on the challenge page at {now}"
    );
    assert!(page.contains(&format!("class=\"badge badge--{key}\"")));

    let term = build.read(&format!("status/{key}/index.html"));
    assert_eq!(element_text(&term, "<h1"), label, "term page at {now}");
    assert!(term.contains("href=\"/challenges/c/\""));
    for other in ["upcoming", "open", "closing-soon", "closed"] {
        if other != key {
            assert!(
                !build.exists(&format!("status/{other}/index.html")),
                "status/{other}/ exists at {now}"
            );
        }
    }
    let taxonomy = build.read("status/index.html");
    assert!(
        taxonomy.contains(&format!("href=\"/status/{key}/\"")),
        "status/ links to {key}"
    );
    assert!(taxonomy.contains(label));
}

#[test]
fn status_upcoming_before_opens() {
    assert_status("2023-08-25T10:00:00+02:00", "upcoming", "Kommande");
    assert_status("2023-08-31T23:59:59+02:00", "upcoming", "Kommande");
}

#[test]
fn status_open_from_opens() {
    assert_status("2023-09-01T00:00:00+02:00", "open", "Öppen");
    assert_status("2023-09-10T10:00:00+02:00", "open", "Öppen");
    // One second more than seven days before the deadline.
    assert_status("2023-10-24T23:58:59+01:00", "open", "Öppen");
}

#[test]
fn status_closing_soon_within_seven_days() {
    // Exactly seven days (of 24 hours) before the deadline.
    assert_status("2023-10-24T23:59:00+01:00", "closing-soon", "Stänger snart");
    assert_status("2023-10-28T10:00:00+02:00", "closing-soon", "Stänger snart");
    assert_status("2023-10-31T23:58:59+01:00", "closing-soon", "Stänger snart");
}

#[test]
fn status_closed_from_the_deadline() {
    assert_status("2023-10-31T23:59:00+01:00", "closed", "Stängd");
    assert_status("2023-11-01T08:00:00Z", "closed", "Stängd");
}

#[test]
fn local_time_in_the_spring_gap_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/x.md",
            with_deadline("Lucka", "2023-03-26T02:30"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/x.md:7:11: `deadline`: \"2023-03-26T02:30\" does not exist in Europe/Stockholm",
            "7 | deadline: 2023-03-26T02:30\n  |           ^^^^^^^^^^^^^^^^\n",
            "Build failed: 1 error(s)",
        ]);
}

#[test]
fn local_time_in_the_autumn_fold_is_rejected() {
    let build = TestSite::new()
        .file(
            "content/challenges/x.md",
            with_deadline("Dubbel", "2023-10-29T02:30"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/x.md:7:11: `deadline`: \"2023-10-29T02:30\" is ambiguous in Europe/Stockholm",
            "\"2023-10-29T02:30:00+02:00\" for the first time, \"2023-10-29T02:30:00+01:00\" for the second",
        ]);
    assert_eq!(build.error_lines().len(), 1);
    assert!(!build.output.exists(), "nothing is published");
}

#[test]
fn toml_local_time_in_the_gap_is_rejected_at_its_line() {
    TestSite::new()
        .file(
            "content/challenges/x.md",
            "+++\ntitle = \"Lucka\"\nsummary = \"S\"\nbuyer = \"B\"\nstage = \"rfi\"\npublished = 2023-06-15\n\ndeadline = 2023-03-26T02:30:00\n+++\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&["error: content/challenges/x.md:8:12: `deadline`: \"2023-03-26T02:30:00\" does not exist"]);
}

#[test]
fn date_only_deadline_at_a_deadline_time_in_the_gap_is_rejected() {
    TestSite::new()
        .file(
            "site.toml",
            format!("{SITE_TOML}deadline_time = \"02:30\"\n"),
        )
        .file(
            "content/challenges/x.md",
            with_deadline("Lucka", "2023-03-26"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/x.md:7:11: `deadline`: \"2023-03-26\" at 02:30 does not exist in Europe/Stockholm",
            "comes from the site's deadline_time",
        ]);
}

#[test]
fn explicit_offset_inside_the_gap_is_an_exact_instant() {
    let build = TestSite::new()
        .file(
            "content/challenges/x.md",
            with_deadline("Offset", "2023-03-26T02:30:00+01:00"),
        )
        .build(&["--now", "2023-03-01T10:00:00+01:00"])
        .success();
    assert!(build.read("challenges/x/index.html").contains(
        "<time datetime=\"2023-03-26T03:30:00+02:00\">söndag 26 mars 2023 kl. 03.30 CEST</time>"
    ));
}

/// The `<body>` start tag of `html`.
fn body_tag(html: &str) -> &str {
    let start = html.find("<body").expect("a <body> tag");
    let end = html[start..].find('>').expect("the tag ends") + start;
    &html[start..=end]
}

#[test]
fn pages_built_for_a_chosen_time_tell_their_script_to_keep_to_it() {
    let site = TestSite::new().file("content/challenges/a.md", with_deadline("A", "2023-08-31"));
    // `--now`: every page says its clock is fixed, so the script does not
    // swap the statuses for the reader's clock.
    let fixed = site.build(&[]).success();
    for page in [
        "index.html",
        "challenges/index.html",
        "challenges/a/index.html",
    ] {
        let body = body_tag(&fixed.read(page)).to_string();
        assert!(
            body.contains(" data-utlys-clock=\"fixed\""),
            "{page}: {body}"
        );
        assert!(body.contains("data-utlys-built=\"2023-08-25T10:00:00+02:00\""));
    }
    // The real clock: the script may refresh from the reader's clock.
    let output = site.tmp().join("live");
    let live = crate::util::run(&[
        "build",
        "--allow-example-url",
        "--root",
        site.root().to_str().expect("a UTF-8 path"),
        "--output",
        output.to_str().expect("a UTF-8 path"),
    ]);
    assert!(live.status.success(), "{}", live.stderr);
    let home = std::fs::read_to_string(output.join("index.html")).expect("the home page");
    assert!(
        !body_tag(&home).contains("data-utlys-clock"),
        "{}",
        body_tag(&home)
    );
}
