//! Times that move between builds: the kept history of the published
//! site, amendments dated later than the build clock, and text that still
//! names a day an amendment moved away from.

use std::path::Path;

use utlys::BuildOptions;
use utlys::model::Lang;

use crate::util::{TestSite, run};

const PAGE: &str = "content/challenges/klimat.md";

fn page(deadline: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: Klimat\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\ndeadline: {deadline}\n{extra}---\n{body}"
    )
}

/// The lines of the deadline event of a challenge's calendar.
fn deadline_event(ics: &str) -> String {
    let start = ics
        .find("UID:challenges/klimat/deadline@")
        .expect("a deadline event");
    let end = start + ics[start..].find("END:VEVENT").expect("its end");
    ics[start..end].to_string()
}

/// `utlys check --format json` of `site` against `output`, parsed.
fn check_json(site: &TestSite, output: &Path, now: &str) -> serde_json::Value {
    let root = site.root();
    let out = run(&[
        "check",
        "--allow-example-url",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--now",
        now,
        "--format",
        "json",
    ]);
    serde_json::from_str(&out.stdout).expect("check prints JSON")
}

/// The codes of the diagnostics of a JSON report.
fn codes(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The library's check, for messages in both languages.
fn check_lib(site: &TestSite, output: &Path, now: &str) -> Vec<utlys::diagnostics::Diagnostic> {
    let options = BuildOptions {
        root: site.root(),
        output: Some(output.to_path_buf()),
        base_url: None,
        now: utlys::time::parse_now(now).unwrap(),
        fixed_clock: true,
        drafts: false,
    };
    utlys::check::check(&options).diagnostics.0
}

#[test]
fn a_deadline_moved_without_an_amendment_warns_and_raises_the_sequence() {
    let site = TestSite::new().file(PAGE, page("2023-08-31", "", ""));
    let first = site.build(&[]).success();
    // A first build has no history: no warning, SEQUENCE as before.
    assert!(!first.stderr.contains("warning"), "{}", first.stderr);
    let ics = first.read("challenges/klimat/calendar.ics");
    assert!(deadline_event(&ics).contains("SEQUENCE:0"), "{ics}");
    let history = site.tmp().join("out/.public.utlys-history");
    assert!(history.is_file());
    assert!(!first.exists(".public.utlys-history"));
    let feed_before = first.read("atom.xml");

    site.write(PAGE, page("2023-09-15", "", ""));
    let kept = std::fs::read(&history).unwrap();
    let report = check_json(&site, &site.output(), "2023-08-26T10:00:00+02:00");
    assert_eq!(codes(&report), ["deadline-moved"], "{report}");
    let d = &report["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["field"].as_str()),
        (Some(7), Some("deadline"))
    );
    assert!(
        d["hint"]
            .as_str()
            .unwrap()
            .contains("deadline: 2023-09-15T23:59"),
        "{d}"
    );
    // `check` reads the history and never writes it.
    assert_eq!(std::fs::read(&history).unwrap(), kept);
    let found = check_lib(&site, &site.output(), "2023-08-26T10:00:00+02:00");
    let moved = found.iter().find(|d| d.code == "deadline-moved").unwrap();
    assert_eq!(
        moved.message.get(Lang::Sv),
        "`deadline` har ändrats sedan sajten publicerades senast, från torsdag 31 augusti 2023 kl. 23.59 CEST till fredag 15 september 2023 kl. 23.59 CEST, men ingen ny ändring under `updates` berättar det"
    );
    assert_eq!(
        moved.message.get(Lang::En),
        "`deadline` changed since the site was last published, from Thursday 31 August 2023, 23:59 CEST to Friday 15 September 2023, 23:59 CEST, but no new entry under `updates` announces it"
    );
    let hint = moved.hint.as_ref().unwrap();
    assert!(
        hint.get(Lang::Sv)
            .contains("skriv tillbaka `deadline: 2023-08-31T23:59`")
    );
    assert!(
        hint.get(Lang::En)
            .contains("put back `deadline: 2023-08-31T23:59`")
    );

    let second = site
        .build(&["--now", "2023-08-26T10:00:00+02:00"])
        .success()
        .stderr_has(&["`deadline` changed since the site was last published"]);
    let event = deadline_event(&second.read("challenges/klimat/calendar.ics"));
    assert!(event.contains("SEQUENCE:1"), "{event}");
    assert!(event.contains("DTSTART:20230915T215900Z"), "{event}");
    let feed = second.read("atom.xml");
    assert_ne!(feed, feed_before);
    assert!(
        feed.contains("<updated>2023-08-26T10:00:00+02:00</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains("Sista svarsdag flyttad från torsdag 31 augusti 2023 kl. 23.59 CEST till fredag 15 september 2023 kl. 23.59 CEST."),
        "{feed}"
    );

    // Built again unchanged: no warning, and the same calendar and feed.
    let third = site
        .build(&["--now", "2023-08-27T10:00:00+02:00"])
        .success();
    assert!(!third.stderr.contains("warning"), "{}", third.stderr);
    assert_eq!(third.read("atom.xml"), feed);
    assert!(deadline_event(&third.read("challenges/klimat/calendar.ics")).contains("SEQUENCE:1"));
}

#[test]
fn an_amendment_that_moves_the_deadline_is_no_warning_but_still_raises_the_sequence() {
    let site = TestSite::new().file(PAGE, page("2023-08-31", "", ""));
    site.build(&[]).success();
    let amended =
        "updates:\n  - date: 2023-08-26\n    text: Vi flyttar.\n    deadline: 2023-09-15\n";
    site.write(PAGE, page("2023-08-31", amended, ""));
    let build = site
        .build(&["--now", "2023-08-26T10:00:00+02:00"])
        .success();
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let event = deadline_event(&build.read("challenges/klimat/calendar.ics"));
    assert!(event.contains("SEQUENCE:1"), "{event}");
    // The amendment is removed again: the deadline goes back unannounced.
    site.write(PAGE, page("2023-08-31", "", ""));
    let report = check_json(&site, &site.output(), "2023-08-27T10:00:00+02:00");
    assert_eq!(codes(&report), ["deadline-moved"], "{report}");
    let build = site
        .build(&["--now", "2023-08-27T10:00:00+02:00"])
        .success();
    let event = deadline_event(&build.read("challenges/klimat/calendar.ics"));
    assert!(event.contains("SEQUENCE:2"), "{event}");
}

#[test]
fn an_amendment_dated_later_waits_for_its_date() {
    let amended = "updates:\n  - date: 2023-08-28\n    text: Vi flyttar sista svarsdagen.\n    deadline: 2023-09-15\n";
    let site = TestSite::new().file(PAGE, page("2023-08-31", amended, ""));
    let before = site.build(&[]).success();
    assert!(
        before.stdout.contains("note: 1 amendment under `updates` is dated later and is held back, its new times not applied, until then: content/challenges/klimat.md (Monday 28 August 2023, 00:00 CEST)."),
        "{}",
        before.stdout
    );
    let html = before.read("challenges/klimat/index.html");
    assert!(!html.contains("Vi flyttar sista svarsdagen"));
    assert!(html.contains("2023-08-31T23:59:00+02:00"));
    assert!(!before.read("atom.xml").contains("andring-1"));
    let after = site
        .build(&["--now", "2023-08-28T10:00:00+02:00"])
        .success();
    assert!(!after.stdout.contains("held back"), "{}", after.stdout);
    let html = after.read("challenges/klimat/index.html");
    assert!(html.contains("Vi flyttar sista svarsdagen"));
    assert!(html.contains("2023-09-15T23:59:00+02:00"));
    // Announced on its date, the move is no warning.
    assert!(!after.stderr.contains("warning"), "{}", after.stderr);
}

#[test]
fn text_that_still_names_the_old_deadline_is_reported() {
    let amended =
        "updates:\n  - date: 2023-08-20\n    text: Vi flyttar.\n    deadline: 2023-09-15\n";
    let body = "Svara senast den 31 augusti.\n\nLast day: August 31st, or 2023-08-31 (31/8).\n\nSista dagen flyttades från 31 augusti till 15 september.\n";
    let site = TestSite::new().file(PAGE, page("2023-08-31", amended, body));
    let report = check_json(&site, &site.output(), crate::util::NOW);
    assert_eq!(codes(&report), ["stale-date"; 4], "{report}");
    let places: Vec<(u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(13, 18), (15, 11), (15, 27), (15, 39)]);
    let found = check_lib(&site, &site.output(), crate::util::NOW);
    let d = &found[0];
    assert_eq!(
        d.message.get(Lang::Sv),
        "texten nämner `31 augusti`, men en ändring under `updates` har flyttat `deadline` från den dagen"
    );
    assert_eq!(
        d.message.get(Lang::En),
        "the text mentions `31 augusti`, but an amendment under `updates` moved `deadline` away from that day"
    );
    let hint = d.hint.as_ref().unwrap();
    assert!(
        hint.get(Lang::Sv)
            .contains("fredag 15 september 2023 kl. 23.59 CEST")
    );
    assert!(
        hint.get(Lang::En)
            .contains("Friday 15 September 2023, 23:59 CEST")
    );
    // The build warns too.
    site.build(&[])
        .success()
        .stderr_has(&["the text mentions `2023-08-31`"]);
}

#[cfg(unix)]
#[test]
fn the_history_is_never_written_through_a_link_or_over_a_foreign_file() {
    let site = TestSite::new().file(PAGE, page("2023-08-31", "", ""));
    std::fs::create_dir_all(site.tmp().join("out")).unwrap();
    let elsewhere = site.tmp().join("elsewhere.txt");
    std::fs::write(&elsewhere, "mine").unwrap();
    let history = site.tmp().join("out/.public.utlys-history");
    std::os::unix::fs::symlink(&elsewhere, &history).unwrap();
    site.build(&[])
        .failure()
        .stderr_has(&["is a symbolic link"]);
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "mine");
    assert!(!site.output().exists());
    std::fs::remove_file(&history).unwrap();
    std::fs::write(&history, "my notes").unwrap();
    site.build(&[])
        .failure()
        .stderr_has(&["is not a history Utlys wrote"]);
    assert_eq!(std::fs::read_to_string(&history).unwrap(), "my notes");
    assert!(!site.output().exists());
}
