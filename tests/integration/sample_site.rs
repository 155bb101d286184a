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
        [".public.utlys-lock", ".public.utlys-manifest", "public"]
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
