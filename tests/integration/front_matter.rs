//! YAML and TOML front matter, line endings and byte-order marks.

use crate::util::{TestSite, assert_same_tree, challenge, element_text};

const DEADLINE_SV: &str = "torsdag 31 augusti 2023 kl. 23.59";

/// The page of a challenge whose deadline is 2023-08-31 (date only) shows
/// its title and the deadline as Swedish text and as RFC 3339.
#[track_caller]
fn assert_challenge_page(html: &str, title: &str) {
    assert_eq!(element_text(html, "<h1"), title);
    assert!(
        html.contains(&format!("<title>{title} – Testportal</title>")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<time datetime=\"2023-08-31T23:59:00+02:00\">{DEADLINE_SV}"
        )),
        "no Swedish deadline in\n{html}"
    );
}

#[test]
fn yaml_front_matter_builds() {
    let build = TestSite::new()
        .file(
            "content/challenges/yaml.md",
            challenge("Klimat i YAML", "") + "\nText.\n",
        )
        .build(&[])
        .success();
    assert_challenge_page(&build.read("challenges/yaml/index.html"), "Klimat i YAML");
}

#[test]
fn toml_front_matter_with_quoted_and_bare_dates_builds() {
    let toml = |title: &str, published: &str, deadline: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nsummary = \"En kort sammanfattning.\"\nbuyer = \"Exempelstad\"\nstage = \"rfi\"\npublished = {published}\ndeadline = {deadline}\n\n[contact]\nname = \"Anna Andersson\"\n+++\n\nText.\n"
        )
    };
    let build = TestSite::new()
        .file(
            "content/challenges/bare.md",
            toml("Nakna datum", "2023-06-15", "2023-08-31"),
        )
        .file(
            "content/challenges/quoted.md",
            toml("Citerade datum", "\"2023-06-15\"", "\"2023-08-31\""),
        )
        .build(&[])
        .success();
    for (slug, title) in [("bare", "Nakna datum"), ("quoted", "Citerade datum")] {
        let html = build.read(&format!("challenges/{slug}/index.html"));
        assert_challenge_page(&html, title);
        assert!(
            html.contains("<time datetime=\"2023-06-15T00:00:00+02:00\">"),
            "published date of {slug}"
        );
        assert!(html.contains("Anna Andersson"), "TOML table [contact]");
    }
}

#[test]
fn yaml_and_toml_give_the_same_page() {
    let yaml = "---\ntitle: Samma sida\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\ntags:\n  - klimat\n  - inköp\n---\n\n## Bakgrund\n\nText.\n";
    let toml = "+++\ntitle = \"Samma sida\"\nsummary = \"En kort sammanfattning.\"\nbuyer = \"Exempelstad\"\nstage = \"rfi\"\npublished = 2023-06-15\ndeadline = 2023-08-31\ntags = [\"klimat\", \"inköp\"]\n+++\n\n## Bakgrund\n\nText.\n";
    let a = TestSite::new()
        .file("content/challenges/samma.md", yaml)
        .build(&[])
        .success();
    let b = TestSite::new()
        .file("content/challenges/samma.md", toml)
        .build(&[])
        .success();
    assert_same_tree(&a.tree(), &b.tree());
}

/// `text` with CRLF line ends and a UTF-8 byte-order mark.
fn windows_file(text: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    bytes
}

#[test]
fn crlf_and_bom_build_like_lf() {
    let yaml = "---\ntitle: Åtgärd för skolmat\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\nrespond:\n  instructions: |\n    Rad ett\n    rad två.\n\n    - punkt\n---\n\n## Rubrik\n\nText med\ntvå rader.\n\n```\nkod\nrad\n```\n\n> citat\n> rad\n";
    let toml = "+++\ntitle = \"Åtgärd i TOML\"\nsummary = \"En kort sammanfattning.\"\nbuyer = \"Exempelstad\"\nstage = \"rfi\"\npublished = 2023-06-15\ndeadline = 2023-08-31\n\n[respond]\ninstructions = \"\"\"\nRad ett\nrad två.\n\"\"\"\n+++\n\nText med\ntvå rader.\n\n    indraget\n    block\n";
    let lf = TestSite::new()
        .file("content/challenges/a.md", yaml)
        .file("content/challenges/t.md", toml)
        .build(&[])
        .success();
    let crlf = TestSite::new()
        .file("content/challenges/a.md", windows_file(yaml))
        .file("content/challenges/t.md", windows_file(toml))
        .build(&[])
        .success();
    let page = lf.read("challenges/a/index.html");
    assert_eq!(element_text(&page, "<h1"), "Åtgärd för skolmat");
    assert!(!page.contains('\r') && !page.contains('\u{feff}'));
    assert_eq!(page, crlf.read("challenges/a/index.html"));
    assert_eq!(
        lf.read("challenges/t/index.html"),
        crlf.read("challenges/t/index.html")
    );
    // Every page of the site is the same too.
    let pages = |build: &crate::util::Build| {
        let mut tree = build.tree();
        tree.retain(|path, _| path.ends_with(".html"));
        tree
    };
    assert_same_tree(&pages(&lf), &pages(&crlf));
}

#[test]
fn crlf_and_bom_errors_point_where_lf_errors_do() {
    let bad = "---\ntitle: Å\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: rfii\npublished: 2023-06-15\n---\n";
    let lf = TestSite::new().file("content/challenges/a.md", bad);
    let crlf = TestSite::new().file("content/challenges/a.md", windows_file(bad));
    let lf_build = lf.build(&[]).failure();
    let crlf_build = crlf.build(&[]).failure();
    let normalise =
        |site: &TestSite, text: &str| text.replace(&site.tmp().display().to_string(), "[TMP]");
    assert_eq!(
        normalise(&lf, &lf_build.stderr),
        normalise(&crlf, &crlf_build.stderr)
    );
    assert!(!crlf_build.stderr.contains('\r'));
    assert!(
        crlf_build
            .stderr
            .starts_with("error: content/challenges/a.md:5:8: `stage`: unknown stage `rfii`\n  |\n5 | stage: rfii\n  |        ^^^^\n"),
        "{}",
        crlf_build.stderr
    );
}
