//! `[brand]` in `site.toml`: the colour checked for contrast, the logo read
//! and published with its size, the contact details in the footer.

use crate::util::{Build, SITE_TOML, TestSite, challenge};

/// An SVG logo of 240 × 60 by its viewBox.
const LOGO_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 60\"><rect width=\"240\" height=\"60\" fill=\"#fff\"/></svg>\n";

/// A site with one challenge and `brand` (the lines of `[brand]`).
fn site(brand: &str) -> TestSite {
    TestSite::new()
        .file("site.toml", format!("{SITE_TOML}\n[brand]\n{brand}"))
        .file("content/challenges/a.md", challenge("A", ""))
}

/// `check` of `site` with the messages in `lang`.
fn check(site: &TestSite, lang: &str) -> Build {
    let root = site.root().display().to_string();
    crate::util::run(&[
        "check",
        "--root",
        &root,
        "--allow-example-url",
        "--now",
        crate::util::NOW,
        "--lang",
        lang,
    ])
}

/// The codes `check --format json` gives for `site`, with their fields.
fn codes(site: &TestSite) -> Vec<(String, String)> {
    let root = site.root().display().to_string();
    let out = crate::util::run(&[
        "check",
        "--root",
        &root,
        "--allow-example-url",
        "--format",
        "json",
        "--now",
        crate::util::NOW,
    ]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (text("field"), text("code"))
        })
        .collect()
}

/// Asserts that `check` finds exactly the problems `expected` (field, code).
#[track_caller]
fn assert_codes(site: &TestSite, expected: &[(&str, &str)]) {
    let found = codes(site);
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
}

/// The colour in the hint's `color = "#rrggbb"`.
fn suggested(stderr: &str) -> String {
    let at = stderr.rfind("color = \"#").expect("a suggested colour") + 9;
    stderr[at..at + 7].to_string()
}

#[test]
fn a_low_contrast_colour_is_refused_with_a_shade_that_passes() {
    let low = site("color = \"#FFCC00\"\n");
    let en = low.build(&["--lang", "en"]).failure().stderr_has(&[
        "site.toml:5:9",
        "`brand.color`",
        "the colour `#FFCC00` gives only 1.51:1 contrast against the white text",
        "at least 4.5:1",
        "the nearest darker shade of the same hue that passes is #",
    ]);
    assert!(!low.output().exists(), "nothing is published");
    assert_codes(&low, &[("brand.color", "brand-contrast")]);
    let sv = low.build(&["--lang", "sv"]).failure().stderr_has(&[
        "färgen `#FFCC00` ger bara kontrasten 1,51:1",
        "minst 4,5:1",
        "närmaste mörkare nyans av samma färgton som klarar kravet är #",
    ]);
    let fixed = suggested(&en.stderr);
    assert_eq!(fixed, suggested(&sv.stderr));
    // The suggestion is taken as it is written in the hint.
    let fixed_site = site(&format!("color = \"{fixed}\"\n"));
    let build = fixed_site.build(&[]).success();
    assert!(
        build
            .read_hashed("static/brand.css")
            .contains(&format!("--brand: {fixed};"))
    );
}

#[test]
fn a_passing_colour_reaches_the_css_and_every_page_links_it() {
    let build = site("color = \"#00587A\"\norganisation = \"Exempelby kommun\"\n")
        .build(&[])
        .success();
    let css = build.read_hashed("static/brand.css");
    assert!(css.contains("--brand: #00587a;"), "{css}");
    assert!(css.contains("--brand-dark: #"), "{css}");
    assert!(css.contains("--focus: #"), "{css}");
    let home = build.read("index.html");
    let css_path = build.hashed("static/brand.css").unwrap();
    assert!(home.contains(&format!("<link rel=\"stylesheet\" href=\"/{css_path}\">")));
    // Without a logo the name is written in the header, and heads the footer.
    assert!(home.contains("<span class=\"site-org\">Exempelby kommun</span>"));
    assert!(home.contains("id=\"footer-org-heading\">Exempelby kommun</h2>"));
    let challenge = build.read("challenges/a/index.html");
    assert!(challenge.contains(&format!("href=\"/{css_path}\"")));
}

#[test]
fn a_colour_that_is_not_a_colour_is_named() {
    let site = site("color = \"blå\"\n");
    assert_codes(&site, &[("brand.color", "invalid-color")]);
    site.build(&["--lang", "en"]).failure().stderr_has(&[
        "`blå` is not a colour Utlys can read",
        "color = \"#00587a\"",
    ]);
}

#[test]
fn without_brand_nothing_is_added() {
    let build = TestSite::new()
        .file("content/challenges/a.md", challenge("A", ""))
        .build(&[])
        .success();
    assert!(build.hashed("static/brand.css").is_none());
    let home = build.read("index.html");
    assert!(!home.contains("static/brand.") && !home.contains("footer-org"));
}

#[test]
fn the_logo_is_published_with_its_size() {
    let build = site("logo = \"static/bilder/logga.svg\"\nlogo_alt = \"Exempelby <kommun>\"\n")
        .file("static/bilder/logga.svg", LOGO_SVG)
        .build(&[])
        .success();
    let home = build.read("index.html");
    // 240 × 60 shown 48 high: 192 wide.
    assert!(
        home.contains("<img class=\"site-logo\" src=\"/bilder/logga.svg\" width=\"192\" height=\"48\" alt=\"Exempelby &lt;kommun&gt;\">"),
        "{home}"
    );
    assert_eq!(build.read("bilder/logga.svg"), LOGO_SVG);
    assert!(build.read_hashed("static/brand.css").contains(".site-logo"));
}

#[test]
fn a_logo_without_alt_text_is_refused() {
    let site = site("logo = \"static/logga.svg\"\n").file("static/logga.svg", LOGO_SVG);
    assert_codes(&site, &[("brand", "logo-alt-missing")]);
    site.build(&["--lang", "en"]).failure().stderr_has(&[
        "`logo` is set but `logo_alt` is missing",
        "logo_alt = \"Exempelby kommun\"",
    ]);
}

#[test]
fn a_large_logo_gives_a_warning() {
    let mut svg = LOGO_SVG.replace("</svg>", "");
    svg.push_str(&"<!-- fyllnad -->".repeat(8_000));
    svg.push_str("</svg>\n");
    let site = site("logo = \"static/logga.svg\"\nlogo_alt = \"Exempelby kommun\"\n")
        .file("static/logga.svg", &svg);
    let out = check(&site, "en");
    assert!(out.status.success(), "{}", out.stderr);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert_codes(&site, &[("brand.logo", "logo-large")]);
    assert!(
        text.contains("the logo `static/logga.svg` is 129 kB"),
        "{text}"
    );
    let out = check(&site, "sv");
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(
        text.contains("logotypen `static/logga.svg` är 129 kB"),
        "{text}"
    );
    // A build warns the same way and still publishes.
    site.build(&["--lang", "en"])
        .success()
        .stderr_has(&["is 129 kB"]);
}

#[test]
fn a_missing_logo_or_one_of_another_kind_is_an_error() {
    let cases = [
        (
            "static/logga.svg",
            None,
            "logo-missing",
            "the logo `static/logga.svg` does not exist",
        ),
        (
            "static/logga.gif",
            Some("GIF89a"),
            "logo-type",
            "neither SVG nor PNG",
        ),
        (
            "static/logga.png",
            Some(LOGO_SVG),
            "logo-type",
            "is not what its name says",
        ),
        (
            "content/logga.svg",
            Some(LOGO_SVG),
            "logo-outside-static",
            "is not in the site's static/ folder",
        ),
        (
            "static/../../logga.svg",
            None,
            "logo-outside-static",
            "is not in the site's static/ folder",
        ),
    ];
    for (path, contents, code, message) in cases {
        let mut s = site(&format!("logo = \"{path}\"\nlogo_alt = \"X\"\n"));
        if let Some(contents) = contents {
            s = s.file(path, contents);
        }
        assert_codes(&s, &[("brand.logo", code)]);
        s.build(&["--lang", "en"]).failure().stderr_has(&[message]);
    }
}

#[cfg(unix)]
#[test]
fn a_logo_linked_from_outside_the_site_is_refused() {
    let site = site("logo = \"static/logga.svg\"\nlogo_alt = \"Exempelby kommun\"\n");
    let outside = site.tmp().join("utanfor.svg");
    std::fs::write(&outside, LOGO_SVG).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(&outside, site.root().join("static/logga.svg")).unwrap();
    site.build(&["--lang", "en"])
        .failure()
        .stderr_has(&["`brand.logo`", "the symbolic link points outside the site"]);
    assert!(!site.output().exists());
    assert_codes(&site, &[("brand.logo", "link-outside-site")]);
}

#[test]
fn the_footer_shows_the_contact_details_escaped() {
    let build = site(concat!(
        "organisation = \"Exempelby <b>kommun</b>\"\n",
        "[brand.footer]\n",
        "address = \"Stadshuset, 123 45 Exempelby\"\n",
        "phone = \"+46 10-123 45 67\"\n",
        "email = \"kontakt@exempelby.se\"\n",
        "org_number = \"212000-0000\"\n",
        "links = [{ title = \"Personuppgifter\", url = \"https://www.exempelby.se/personuppgifter\" }]\n",
    ))
    .build(&[])
    .success();
    let home = build.read("index.html");
    for needle in [
        "Exempelby &lt;b&gt;kommun&lt;/b&gt;",
        "Stadshuset, 123 45 Exempelby",
        "<a href=\"tel:+46101234567\">+46 10-123 45 67</a>",
        "<a href=\"mailto:kontakt@exempelby.se\">kontakt@exempelby.se</a>",
        "Organisationsnummer: 212000-0000",
        "<a href=\"https://www.exempelby.se/personuppgifter\">Personuppgifter</a>",
    ] {
        assert!(home.contains(needle), "{needle}\n{home}");
    }
}

#[test]
fn footer_addresses_are_checked() {
    let site = site(concat!(
        "[brand.footer]\n",
        "email = \"kontakt at exempelby.se\"\n",
        "phone = \"ring oss\"\n",
        "links = [{ title = \"Kommunen\", url = \"www.exempelby.se\" }]\n",
    ));
    assert_codes(
        &site,
        &[
            ("brand.footer.email", "invalid-email"),
            ("brand.footer.phone", "invalid-phone"),
            ("brand.footer.links[0].url", "invalid-url"),
        ],
    );
    site.build(&["--lang", "en"])
        .failure()
        .stderr_has(&["`brand.footer.links[0].url`", "`https://www.exempelby.se`"]);
}
