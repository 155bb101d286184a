//! The fields suppliers filter by: `regions`, `value`, `suitable_for` and
//! the names of `cpv` codes, from front matter to the pages, the term pages,
//! the filters and the open data; and each mistake in them, in both
//! languages, at its place in the file.

use crate::util::{SITE_TOML, TestSite, challenge, open_challenge};

/// A site with one challenge using every field, and one without any.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "site.toml",
            format!("{SITE_TOML}languages = [\"en\"]\n"),
        )
        .file(
            "content/challenges/klimat.md",
            challenge(
                "Klimat",
                "regions: [helsingborg, SE110]\nvalue: { min: 500 000, max: 2_000_000 }\nsuitable_for: [SME, civil_society]\ncpv: [72000000-5, 71311200-3]\n",
            ),
        )
        .file(
            "content/challenges/skolvag.md",
            open_challenge("Skolväg", "value: { max: 300000, currency: eur }\n"),
        )
}

#[test]
fn every_field_is_shown_filed_and_published_as_data() {
    let build = site().build(&[]).success();
    let page = build.read("challenges/klimat/index.html");
    for needle in [
        // Regions by their official names, with their pages.
        "<a href=\"/regions/helsingborg/\">Helsingborg</a>",
        "<a href=\"/regions/stockholms-lan/\">Stockholms län</a>",
        // The value grouped for Swedish, with the bands it reaches into.
        "500\u{a0}000–2\u{a0}000\u{a0}000\u{a0}kr",
        "<a href=\"/value/under-1m/\">Under 1 miljon kr</a>",
        "<a href=\"/value/1m-10m/\">1–10 miljoner kr</a>",
        "<a href=\"/suitable-for/sme/\">Små och medelstora företag</a>",
        "<a href=\"/suitable-for/civil-society/\">Idéburen sektor</a>",
        // A CPV code in the list by its own name; a finer one by its group's.
        "<code>72000000-5</code> <a href=\"/cpv/72000000/\">IT-tjänster: konsultverksamhet, programvaruutveckling, Internet och stöd</a></li>",
        "<code>71311200-3</code> <a href=\"/cpv/71000000/\">Ingenjörstjänster</a> <span class=\"cpv-list__note\">",
    ] {
        assert!(page.contains(needle), "{needle}\n{page}");
    }
    // A kommun's challenge is also under its län; each term has a page.
    for term in [
        "regions/helsingborg/",
        "regions/skane-lan/",
        "regions/stockholms-lan/",
        "value/under-1m/",
        "value/1m-10m/",
        "suitable-for/sme/",
        "cpv/72000000/",
        "cpv/71000000/",
        "en/cpv/72000000/",
    ] {
        let html = build.read(&format!("{term}index.html"));
        assert!(html.contains("/challenges/klimat/"), "{term}");
    }
    assert!(!build.exists("value/over-10m/index.html"));
    let english = build.read("en/cpv/72000000/index.html");
    assert!(
        english.contains("72000000 IT services: consulting"),
        "{english}"
    );
    // The list's filters, with and without JavaScript.
    let list = build.read("challenges/index.html");
    for needle in [
        "data-filter=\"regions\" data-term=\"skane-lan\"",
        "data-filter=\"value\" data-term=\"1m-10m\"",
        "data-filter=\"suitable-for\" data-term=\"civil-society\"",
        "data-filter=\"cpv\" data-term=\"72000000\"",
        "data-regions=\"helsingborg stockholms-lan skane-lan\"",
        "data-value=\"under-1m 1m-10m\"",
        "data-cpv=\"72000000 71000000\"",
        "data-label-regions=\"Regioner\"",
    ] {
        assert!(list.contains(needle), "{needle}");
    }
    // Another currency is shown, but in no band.
    let skolvag = build.read("challenges/skolvag/index.html");
    assert!(skolvag.contains("högst 300\u{a0}000\u{a0}EUR"), "{skolvag}");
    assert!(!skolvag.contains("/value/"), "{skolvag}");
    // The taxonomy index lists the new taxonomies.
    assert!(build.read("regions/index.html").contains("Skåne län"));
}

#[test]
fn the_open_data_carries_every_field() {
    let build = site().build(&[]).success();
    let json: serde_json::Value =
        serde_json::from_str(&build.read("api/challenges.json")).expect("JSON");
    assert_eq!(json["version"], "2.1");
    let klimat = json["challenges"]
        .as_array()
        .expect("challenges")
        .iter()
        .find(|c| c["title"] == "Klimat")
        .expect("the challenge");
    assert_eq!(
        klimat["regions"][0],
        serde_json::json!({"name": "Helsingborg", "kind": "municipality", "code": "1283", "nuts": "SE224", "county": "Skåne län"})
    );
    assert_eq!(klimat["regions"][1]["nuts"], "SE110");
    assert_eq!(
        klimat["value"],
        serde_json::json!({"min": 500000, "max": 2000000, "currency": "SEK", "bands": ["under-1m", "1m-10m"]})
    );
    assert_eq!(
        klimat["suitable_for"],
        serde_json::json!(["sme", "civil-society"])
    );
    assert_eq!(klimat["cpv_details"][0]["exact"], true);
    assert_eq!(klimat["cpv_details"][1]["exact"], false);
    assert_eq!(klimat["cpv_details"][1]["division"], "71000000");
    let csv = build.read("api/challenges.csv");
    let header = csv.lines().next().expect("a header");
    assert!(
        header.ends_with(";regions;value_min;value_max;value_currency;suitable_for"),
        "{header}"
    );
    assert!(
        csv.contains(
            ";\"Helsingborg; Stockholms län\";500000;2000000;SEK;\"sme; civil-society\"\r\n"
        ),
        "{csv}"
    );
}

/// `check --format json` names each mistake by its code and field.
#[test]
fn check_names_each_mistake_by_its_code() {
    let site = TestSite::new()
        .file(
            "content/challenges/a.md",
            challenge("A", "regions: [Lund, Atlantis]\n"),
        )
        .file(
            "content/challenges/b.md",
            challenge("B", "suitable_for: [everyone]\n"),
        )
        .file(
            "content/challenges/c.md",
            challenge("C", "value: { min: 9, max: 1 }\n"),
        )
        .file("content/challenges/d.md", challenge("D", "value: 3 mnkr\n"))
        .file(
            "content/challenges/e.md",
            challenge("E", "value: { min: 1, currency: SKR }\n"),
        );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_utlys"))
        .args([
            "check",
            "--allow-example-url",
            "--format",
            "json",
            "--now",
            crate::util::NOW,
            "--root",
        ])
        .arg(site.root())
        .output()
        .expect("run the utlys binary");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut found: Vec<(String, String, String, u64)> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (
                text("path"),
                text("field"),
                text("code"),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String, String, u64)> = [
        ("a", "regions", "unknown-region"),
        ("b", "suitable_for", "unknown-suitable-for"),
        ("c", "value.min", "value-min-over-max"),
        ("d", "value", "invalid-value"),
        ("e", "value.currency", "unknown-currency"),
    ]
    .iter()
    .map(|(f, field, code)| {
        (
            format!("content/challenges/{f}.md"),
            field.to_string(),
            code.to_string(),
            8,
        )
    })
    .collect();
    assert_eq!(found, expected, "{}", String::from_utf8_lossy(&out.stdout));
}

/// Builds a site whose one challenge has `extra`, in `lang`, expecting
/// it to fail with `needles` in stderr.
fn fails_with(extra: &str, lang: &str, needles: &[&str]) {
    TestSite::new()
        .file("content/challenges/fel.md", challenge("Fel", extra))
        .build(&["--lang", lang])
        .failure()
        .stderr_has(needles);
}

#[test]
fn an_unknown_region_names_the_nearest_in_both_languages() {
    let extra = "regions: [Helsinborg]\n";
    fails_with(
        extra,
        "en",
        &[
            "content/challenges/fel.md:8:11",
            "`Helsinborg` is not a Swedish kommun or län",
            "did you mean Helsingborg",
        ],
    );
    fails_with(
        extra,
        "sv",
        &[
            "content/challenges/fel.md:8:11",
            "`Helsinborg` är ingen svensk kommun eller något län",
            "menade du Helsingborg",
        ],
    );
    fails_with(
        "regions:\n  - Skane lan\n",
        "en",
        &["content/challenges/fel.md:9:5", "Skåne län"],
    );
}

#[test]
fn a_cpv_code_of_no_division_or_with_the_wrong_check_digit_fails_in_both_languages() {
    let extra = "cpv: [72000000-4, 02000000-1, 71311200-3]\n";
    fails_with(
        extra,
        "en",
        &[
            "content/challenges/fel.md:8:7",
            "`72000000-4` has the wrong check digit: the check digit of 72000000 is 5",
            "write 72000000-5",
            "content/challenges/fel.md:8:19",
            "`02000000-1` is not a CPV code: CPV has no division starting with 02",
            "2 error(s)",
        ],
    );
    fails_with(
        extra,
        "sv",
        &[
            "`72000000-4` har fel kontrollsiffra: 72000000 har kontrollsiffran 5",
            "skriv 72000000-5",
            "`02000000-1` är inte en CPV-kod: CPV har ingen huvudgrupp som börjar med 02",
        ],
    );
}

#[test]
fn an_unknown_suitable_for_lists_the_values_in_both_languages() {
    let extra = "suitable_for: [sme, smes]\n";
    fails_with(
        extra,
        "en",
        &[
            "content/challenges/fel.md:8:21",
            "`smes` is not one of the values of `suitable_for`",
            "choose from sme, startup, large-enterprise, research, civil-society, public-sector, consortium",
        ],
    );
    fails_with(
        extra,
        "sv",
        &[
            "`smes` finns inte bland värdena för `suitable_for`",
            "välj bland sme, startup",
        ],
    );
}

#[test]
fn a_value_with_min_over_max_shows_it_swapped_in_both_languages() {
    let extra = "value:\n  min: 5000000\n  max: 2000000\n";
    fails_with(
        extra,
        "en",
        &[
            "content/challenges/fel.md:9:8",
            "the lowest amount in `value` (5000000) is larger than the highest (2000000)",
            "value: { min: 2000000, max: 5000000 }",
        ],
    );
    fails_with(
        extra,
        "sv",
        &[
            "det lägsta beloppet i `value` (5000000) är större än det högsta (2000000)",
            "byt plats",
        ],
    );
}

#[test]
fn a_value_that_is_not_a_whole_amount_is_an_error_in_both_languages() {
    for (extra, en, sv) in [
        (
            "value: 2,5 mnkr\n",
            "`2,5 mnkr` in `value` is not an amount",
            "`2,5 mnkr` i `value` är inte ett belopp",
        ),
        (
            "value: -300\n",
            "the amount `-300` in `value` is negative",
            "beloppet `-300` i `value` är negativt",
        ),
        (
            "value: { max: 2.5 }\n",
            "the amount `2.5` in `value` is not a whole number",
            "beloppet `2.5` i `value` är inte ett helt antal kronor",
        ),
        (
            "value: { maximum: 3000000 }\n",
            "`value` has an unknown field `maximum`",
            "`value` har ett okänt fält `maximum`",
        ),
    ] {
        fails_with(extra, "en", &["content/challenges/fel.md:8:", en]);
        fails_with(
            extra,
            "sv",
            &[sv, "value: { min: 2000000, max: 5000000, currency: SEK }"],
        );
    }
}

#[test]
fn an_unknown_currency_is_an_error_in_both_languages() {
    let extra = "value: { min: 100, max: 200, currency: kr }\n";
    fails_with(
        extra,
        "en",
        &[
            "content/challenges/fel.md:8:40",
            "`kr` is not a known currency code",
            "write Swedish kronor as SEK",
        ],
    );
    fails_with(
        "value: { min: 100, currency: ABC }\n",
        "sv",
        &["`ABC` är ingen känd valutakod", "ISO 4217"],
    );
}

#[test]
fn toml_front_matter_takes_the_same_fields() {
    let toml = "+++\ntitle = \"Toml\"\nsummary = \"En kort sammanfattning.\"\nbuyer = \"Exempelstad\"\nstage = \"need\"\npublished = 2023-06-15\nregions = [\"Skåne län\"]\nvalue = { min = 1_000_000, max = 20_000_000 }\nsuitable_for = [\"startup\"]\n+++\n";
    let build = TestSite::new()
        .file("site.toml", format!("{SITE_TOML}languages = [\"en\"]\n"))
        .file("content/challenges/toml.md", toml)
        .build(&[])
        .success();
    let page = build.read("challenges/toml/index.html");
    assert!(
        page.contains("1\u{a0}000\u{a0}000–20\u{a0}000\u{a0}000\u{a0}kr"),
        "{page}"
    );
    assert!(page.contains(">Över 10 miljoner kr</a>"), "{page}");
    assert!(page.contains(">Startupföretag</a>"), "{page}");
    // The English list shows the Swedish challenge with English words.
    let list = build.read("en/challenges/index.html");
    assert!(list.contains("SEK\u{a0}1,000,000–20,000,000"), "{list}");
    assert!(build.exists("en/value/1m-10m/index.html"));
    assert!(
        build
            .read("en/value/over-10m/index.html")
            .contains("Over SEK 10 million")
    );
    assert!(
        build
            .read("en/suitable-for/startup/index.html")
            .contains("Startups")
    );
}
