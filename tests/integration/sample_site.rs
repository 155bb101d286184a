//! The sample site in the repository builds.

use crate::util::{names_in, run};

#[test]
fn bundled_sample_site_builds_with_open_challenges_first() {
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("public");
    let build = run(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        output.to_str().unwrap(),
        "--now",
        "2023-08-25T10:00:00+02:00",
    ]);
    assert!(
        build.status.success(),
        "the sample site failed to build:\n{}",
        build.stderr
    );
    assert_eq!(build.status.code(), Some(0));
    assert!(build.stdout.starts_with("Built "), "{}", build.stdout);
    assert_eq!(
        names_in(tmp.path()),
        [
            ".public.utlys-history",
            ".public.utlys-lock",
            ".public.utlys-manifest",
            "public"
        ]
    );

    let home = std::fs::read_to_string(output.join("index.html")).unwrap();
    let helsingborg = "href=\"/challenges/klimatavtryck-offentlig-konsumtion/\"";
    let at = |needle: &str| {
        home.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} on the home page"))
    };
    let open_heading = at("Öppna nu");
    let card = at(helsingborg);
    let closed_heading = home.rfind("Avslutade").expect("a closed group");
    assert!(
        open_heading < card && card < closed_heading,
        "the Helsingborg challenge is not listed under open challenges, before the closed ones"
    );
    // Its card says it closes soon, with the Swedish deadline date.
    let card_html = &home[card..closed_heading];
    assert!(card_html.contains("Stänger snart"));
    assert!(card_html.contains("datetime=\"2023-08-31T23:59:00+02:00\""));

    let page = std::fs::read_to_string(
        output.join("challenges/klimatavtryck-offentlig-konsumtion/index.html"),
    )
    .unwrap();
    assert!(page.contains("Helsingborgs stad"));
    assert!(page.contains("torsdag 31 augusti 2023 kl. 23.59"));
}

/// The hostile site fixture (`tests/fixtures/hostile-site/`, built by
/// `benches/same_output.py`) builds, and still holds what it is there for.
#[test]
fn hostile_site_fixture_builds_with_its_odd_names_dates_and_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("public");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-site");
    let build = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--now",
        "2026-03-01T12:00:00+01:00",
        "--allow-example-url",
    ]);
    assert!(build.status.success(), "{}", build.stderr);
    for published in [
        "challenges/atgard-med-mellanslag/underlag med mellanslag.txt",
        "challenges/atgard-med-mellanslag/bild ö.png",
        "challenges/toml-windows/index.html",
        "en/challenges/atgard-med-mellanslag/index.html",
        "fil med mellanslag/stil ö.css",
        "läs mig.txt",
        "om-oss/index.html",
        "tags/script/index.html",
    ] {
        assert!(output.join(published).is_file(), "{published} is missing");
    }
    assert!(
        !output.join("challenges/utkast").exists(),
        "the draft is published"
    );
    // The deadline half an hour after the spring clock change, and the
    // meeting just after the autumn change's repeated hour, in UTC.
    let ics = std::fs::read_to_string(output.join("challenges/atgard-med-mellanslag/calendar.ics"))
        .unwrap();
    assert!(ics.contains("DTSTART:20990329T013000Z"), "{ics}");
    assert!(ics.contains("DTSTART:20991025T020000Z"), "{ics}");
    for entry in walkdir::WalkDir::new(&output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("<script>alert"),
                "{}: a script from the content runs",
                entry.path().display()
            );
        }
    }
}

/// The first command of the README, `utlys build` on the sample, prints no
/// warning: at a clock of the winter the sample was last brought up to
/// date, and at the clock the other tests use. The clocks are fixed so the
/// test gives the same answer on any day; the sample's open RFI on school
/// meals closes on 26 February 2027, and after that the sample must be
/// moved on, as a city would, for the README's build to stay quiet.
#[test]
fn bundled_sample_site_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, clock) in [
        ("winter-2026", Some("2026-12-06T12:00:00+01:00")),
        ("sample-clock", Some("2023-08-25T10:00:00+02:00")),
    ] {
        let output = tmp.path().join(name);
        let mut args = vec![
            "build",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--output",
            output.to_str().unwrap(),
        ];
        args.extend(clock.iter().flat_map(|c| ["--now", *c]));
        let build = run(&args);
        assert!(build.status.success(), "{name}: {}", build.stderr);
        assert_eq!(
            build.stderr, "",
            "{name}: the sample build printed warnings"
        );
        assert!(
            build.stdout.starts_with("Built ") && !build.stdout.contains("warning"),
            "{name}: {}",
            build.stdout
        );
    }
}
