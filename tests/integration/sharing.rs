//! Sharing and embedding: Open Graph and Twitter card tags, a challenge's
//! `image`, the list other sites embed, and the "ask a question" action.

use std::collections::BTreeSet;
use std::process::Command;

use crate::util::{NOW, TestSite, challenge, open_challenge};

/// A PNG signature and a little more: the build copies it, never reads it.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot a real picture";

/// `(field, code, severity)` of every problem `check --format json` finds.
fn problems(site: &TestSite, now: &str) -> BTreeSet<(String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args([
            "check",
            "--allow-example-url",
            "--format",
            "json",
            "--now",
            now,
            "--root",
        ])
        .arg(site.root())
        .output()
        .expect("run the utlys binary");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (text("field"), text("code"), text("severity"))
        })
        .collect()
}

fn one(field: &str, code: &str, severity: &str) -> BTreeSet<(String, String, String)> {
    [(field.to_string(), code.to_string(), severity.to_string())].into()
}

/// The value of `<meta property|name="key" content="…">` in `page`.
fn meta<'a>(page: &'a str, key: &str) -> Option<&'a str> {
    ["property", "name"].iter().find_map(|attr| {
        let start = format!("<meta {attr}=\"{key}\" content=\"");
        let from = page.find(&start)? + start.len();
        Some(&page[from..from + page[from..].find('"')?])
    })
}

#[test]
fn a_challenge_page_is_an_article_with_its_image_and_escaped_texts() {
    let build = TestSite::new()
        .file(
            "content/challenges/klimat/index.md",
            open_challenge(
                "Klimat \"<b>&</b>\"",
                "image: delning.png\nimage_alt: Karta \"över\" <staden>\n",
            ),
        )
        .file("content/challenges/klimat/delning.png", PNG)
        .build(&[])
        .success();
    assert_eq!(
        std::fs::read(build.output.join("challenges/klimat/delning.png")).unwrap(),
        PNG
    );
    let page = build.read("challenges/klimat/index.html");
    let expected = [
        ("og:type", "article"),
        ("og:title", "Klimat &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;"),
        ("og:description", "En kort sammanfattning."),
        ("og:url", "https://example.se/challenges/klimat/"),
        ("og:site_name", "Testportal"),
        ("og:locale", "sv_SE"),
        (
            "og:image",
            "https://example.se/challenges/klimat/delning.png",
        ),
        ("og:image:alt", "Karta &quot;över&quot; &lt;staden&gt;"),
        ("twitter:card", "summary_large_image"),
        (
            "twitter:image",
            "https://example.se/challenges/klimat/delning.png",
        ),
        ("twitter:image:alt", "Karta &quot;över&quot; &lt;staden&gt;"),
    ];
    for (key, value) in expected {
        assert_eq!(meta(&page, key), Some(value), "{key} in {page}");
    }
    // A page of one language names no other.
    assert!(!page.contains("og:locale:alternate"), "{page}");
    let home = build.read("index.html");
    assert_eq!(meta(&home, "og:type"), Some("website"));
    assert_eq!(meta(&home, "twitter:card"), Some("summary"));
    assert_eq!(meta(&home, "og:url"), Some("https://example.se/"));
    assert_eq!(meta(&home, "og:image"), None);
}

#[test]
fn an_image_in_static_and_the_other_language_are_named() {
    let build = TestSite::new()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://example.se/portal/\"\nlanguages = [\"sv\", \"en\"]\n",
        )
        .file(
            "content/challenges/klimat.md",
            open_challenge("Klimat", "image: /bilder/dela mig.jpg\nimage_alt: En bild\n"),
        )
        .file(
            "content/challenges/klimat.en.md",
            open_challenge("Climate", "image: /bilder/dela mig.jpg\nimage_alt: A picture\n"),
        )
        .file("static/bilder/dela mig.jpg", PNG)
        .build(&[])
        .success();
    let sv = build.read("challenges/klimat/index.html");
    let image = "https://example.se/portal/bilder/dela%20mig.jpg";
    assert_eq!(meta(&sv, "og:image"), Some(image));
    assert_eq!(meta(&sv, "og:locale"), Some("sv_SE"));
    assert_eq!(meta(&sv, "og:locale:alternate"), Some("en_GB"));
    let en = build.read("en/challenges/klimat/index.html");
    assert_eq!(meta(&en, "og:locale"), Some("en_GB"));
    assert_eq!(meta(&en, "og:locale:alternate"), Some("sv_SE"));
    assert_eq!(meta(&en, "og:image:alt"), Some("A picture"));
}

#[test]
fn an_image_that_is_not_there_is_an_error_and_one_without_alt_a_warning() {
    let missing = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", "image: saknas.png\nimage_alt: Text\n"),
    );
    assert_eq!(
        problems(&missing, NOW),
        one("image", "missing-image", "error")
    );
    missing.build(&[]).failure();
    let outside = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", "image: ../../site.toml\nimage_alt: Text\n"),
    );
    assert_eq!(
        problems(&outside, NOW),
        one("image", "invalid-image-path", "error")
    );
    let script = TestSite::new()
        .file(
            "content/challenges/a/index.md",
            open_challenge("A", "image: bild.svg\nimage_alt: Text\n"),
        )
        .file("content/challenges/a/bild.svg", "<svg/>");
    assert!(problems(&script, NOW).contains(&(
        "image".to_string(),
        "invalid-image-type".to_string(),
        "error".to_string()
    )));
    let no_alt = TestSite::new()
        .file(
            "content/challenges/a/index.md",
            open_challenge("A", "image: bild.png\n"),
        )
        .file("content/challenges/a/bild.png", PNG);
    assert_eq!(
        problems(&no_alt, NOW),
        one("image", "image-alt-missing", "warning")
    );
    let page = no_alt.build(&[]).success().read("challenges/a/index.html");
    assert_eq!(
        meta(&page, "og:image"),
        Some("https://example.se/challenges/a/bild.png")
    );
    assert_eq!(meta(&page, "og:image:alt"), None);
}

#[test]
fn the_embedded_list_shows_open_and_upcoming_challenges_only() {
    let build = TestSite::new()
        .file("content/challenges/oppen.md", challenge("Öppen & fin", ""))
        .file(
            "content/challenges/kommande.md",
            open_challenge("Kommande", "opens: 2023-10-01\n"),
        )
        .file(
            "content/challenges/stangd.md",
            challenge("Stängd", "").replace("2023-08-31", "2023-05-01"),
        )
        .build(&[])
        .success();
    let page = build.read("embed/index.html");
    assert!(page.contains("<base target=\"_top\">"), "{page}");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    let sheet = build
        .hashed("static/embed.css")
        .expect("the embed style sheet");
    assert!(page.contains(&format!("/{sheet}\"")), "{page}");
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("site-header") && !page.contains("skip-link"));
    let open = page.find("href=\"https://example.se/challenges/oppen/\">Öppen &amp; fin</a>");
    let upcoming = page.find("href=\"https://example.se/challenges/kommande/\">Kommande</a>");
    assert!(open.is_some() && upcoming.is_some(), "{page}");
    assert!(open < upcoming, "open ones come first");
    assert!(!page.contains("Stängd"), "{page}");
    assert!(
        page.contains("torsdag 31 augusti 2023 kl. 23.59 CEST"),
        "{page}"
    );
    assert!(page.contains("<a href=\"/\">Testportal</a>"), "{page}");
    assert!(!build.read("sitemap.xml").contains("embed"));
}

#[test]
fn ask_a_question_is_offered_until_the_questions_deadline() {
    let extra =
        "questions_deadline: 2023-08-28\ncontact:\n  name: Anna\n  email: anna@example.se\n";
    let site = TestSite::new().file(
        "content/challenges/a.md",
        challenge("Frågor & svar? Ja", extra),
    );
    let before = site.build(&[]).success().read("challenges/a/index.html");
    let link = "href=\"mailto:anna@example.se?subject=Fr%C3%A5gor%20%26%20svar%3F%20Ja\"";
    assert!(before.contains(link), "{before}");
    assert!(
        before.contains("data-utlys-until=\"2023-08-28T23:59:00+02:00\""),
        "{before}"
    );
    assert!(before.contains("publiceras på den här sidan, för alla leverantörer samtidigt"));
    let after = site
        .build(&["--now", "2023-08-29T00:00:00+02:00"])
        .success()
        .read("challenges/a/index.html");
    assert!(!after.contains("mailto:anna@example.se?subject"), "{after}");
    assert!(!after.contains("data-utlys-until"), "{after}");
}

#[test]
fn questions_url_replaces_the_email_and_no_address_is_warned_about() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        challenge(
            "A",
            "questions_deadline: 2023-08-28\nquestions_url: https://fragor.example.se/a?x=1&y=2\n",
        ),
    );
    assert_eq!(problems(&site, NOW), BTreeSet::new());
    let page = site.build(&[]).success().read("challenges/a/index.html");
    assert!(
        page.contains("<a class=\"button\" href=\"https://fragor.example.se/a?x=1&amp;y=2\">"),
        "{page}"
    );
    let bad = TestSite::new().file(
        "content/challenges/a.md",
        challenge(
            "A",
            "questions_deadline: 2023-08-28\nquestions_url: www.example.se\n",
        ),
    );
    assert_eq!(
        problems(&bad, NOW),
        one("questions_url", "invalid-url", "error")
    );
    let nowhere = TestSite::new().file(
        "content/challenges/a.md",
        challenge("A", "questions_deadline: 2023-08-28\n"),
    );
    assert_eq!(
        problems(&nowhere, NOW),
        one("questions_deadline", "questions-without-address", "warning")
    );
    let page = nowhere.build(&[]).success().read("challenges/a/index.html");
    assert!(!page.contains("data-utlys-until"), "{page}");
}

#[test]
fn the_site_image_stands_in_for_pages_without_their_own() {
    let toml = "title = \"Testportal\"\nbase_url = \"https://example.se/\"\nimage = \"/bilder/portal.png\"\nimage_alt = \"Portalens logotyp\"\n";
    let site = TestSite::new()
        .file("site.toml", toml)
        .file("static/bilder/portal.png", PNG)
        .file("content/challenges/utan.md", open_challenge("Utan", ""))
        .file(
            "content/challenges/med/index.md",
            open_challenge("Med", "image: egen.png\nimage_alt: Egen bild\n"),
        )
        .file("content/challenges/med/egen.png", PNG);
    assert_eq!(problems(&site, NOW), BTreeSet::new());
    let build = site.build(&[]).success();
    let site_image = Some("https://example.se/bilder/portal.png");
    for page in [
        "index.html",
        "challenges/index.html",
        "challenges/utan/index.html",
    ] {
        let html = build.read(page);
        assert_eq!(meta(&html, "og:image"), site_image, "{page}");
        assert_eq!(meta(&html, "og:image:alt"), Some("Portalens logotyp"));
        assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    }
    let own = build.read("challenges/med/index.html");
    assert_eq!(
        meta(&own, "og:image"),
        Some("https://example.se/challenges/med/egen.png")
    );
    let missing = TestSite::new().file(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\nimage = \"saknas.png\"\n",
    );
    assert_eq!(
        problems(&missing, NOW),
        [
            ("image".into(), "missing-image".into(), "error".into()),
            (
                "image_alt".into(),
                "image-alt-missing".into(),
                "warning".into()
            ),
        ]
        .into()
    );
    let outside = TestSite::new().file(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\nimage = \"../hemlig.png\"\n",
    );
    assert_eq!(
        problems(&outside, NOW),
        one("image", "invalid-image-path", "error")
    );
}
