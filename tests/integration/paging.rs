//! Long lists split into pages (`paginate`): where the pages are, how they
//! link to each other, that no page grows with the site, that a page of
//! the list is remade only when what it shows changes, and that nothing
//! else can be published among the pages.

use std::collections::BTreeMap;

use utlys::BuildOptions;
use utlys::emit::OutputData;
use utlys::serve::session::Session;

use crate::util::{TestSite, challenge};

/// The buyers, categories and tags the generated challenges share: a
/// fixed number, so only the number of challenges grows.
const BUYERS: [&str; 5] = [
    "Helsingborgs stad",
    "Karlstads kommun",
    "Region Skåne",
    "Umeå kommun",
    "Malmö stad",
];
const CATEGORIES: [&str; 3] = ["Klimat och miljö", "Skola", "Vård och omsorg"];

/// Front matter of challenge `i`: open, upcoming or closed by turns at the
/// test clock (2023-08-25), with a title that says its number.
fn numbered(i: usize) -> String {
    let (dates, stage) = match i % 3 {
        0 => (
            format!("deadline: 2023-{:02}-{:02}\n", 1 + i % 7, 1 + i % 27),
            "rfi",
        ),
        1 => (
            format!("deadline: 2023-{:02}-{:02}\n", 9 + i % 4, 1 + i % 27),
            "procurement",
        ),
        _ => (
            format!(
                "opens: 2023-10-01\ndeadline: 2024-{:02}-{:02}\n",
                1 + i % 11,
                1 + i % 27
            ),
            "rfi",
        ),
    };
    format!(
        "---\ntitle: Utmaning nummer {i:04}\nsummary: Sammanfattning av utmaning {i} om å, ä och ö.\nbuyer: {}\nstage: {stage}\npublished: 2022-12-01\n{dates}category: {}\ntags: [tagg{}, tagg{}]\n---\n\nText om utmaningen.\n",
        BUYERS[i % BUYERS.len()],
        CATEGORIES[i % CATEGORIES.len()],
        i % 4,
        i % 7,
    )
}

/// A site of `n` generated challenges, `per_page` on a page of a list.
fn site_of(n: usize, per_page: usize) -> TestSite {
    let mut site = TestSite::new().file(
        "site.toml",
        format!(
            "title = \"Testportal\"\nbase_url = \"https://example.se/\"\npaginate = {per_page}\n"
        ),
    );
    for i in 0..n {
        site = site.file(&format!("content/challenges/u{i:04}.md"), numbered(i));
    }
    site
}

/// The largest HTML page of a built tree: its path and size in bytes.
fn largest_page(tree: &BTreeMap<String, Vec<u8>>) -> (String, usize) {
    tree.iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.clone(), b.len()))
        .max_by_key(|(_, len)| *len)
        .expect("a page")
}

/// How many challenge cards a page shows.
fn cards(html: &str) -> usize {
    html.matches("<article class=\"card ").count()
}

#[test]
fn a_long_list_is_split_into_linked_pages_and_page_one_is_the_list_itself() {
    let build = site_of(23, 10).build(&[]).success();
    let first = build.read("challenges/index.html");
    let second = build.read("challenges/page/2/index.html");
    let third = build.read("challenges/page/3/index.html");
    assert_eq!((cards(&first), cards(&second), cards(&third)), (10, 10, 3));
    assert!(!build.exists("challenges/page/1/index.html"));
    assert!(!build.exists("challenges/page/4/index.html"));
    // The links in the head and in the page's navigation.
    assert!(first.contains(r#"<link rel="next" href="/challenges/page/2/">"#));
    assert!(!first.contains(r#"rel="prev""#));
    assert!(second.contains(r#"<link rel="prev" href="/challenges/">"#));
    assert!(second.contains(r#"<link rel="next" href="/challenges/page/3/">"#));
    assert!(third.contains(r#"<link rel="prev" href="/challenges/page/2/">"#));
    assert!(!third.contains(r#"rel="next""#));
    assert!(second.contains(
        r#"<a href="/challenges/page/2/" aria-current="page"><span class="visually-hidden">Sida </span>2</a>"#
    ));
    assert!(second.contains(r#"<nav class="pagination" aria-label="Sidor i listan">"#));
    assert!(second.contains("Visar 11–20 av 23"));
    // Each page says which it is in its title, and counts the whole list.
    assert!(second.contains("<title>Alla utmaningar (sida 2 av 3) – Testportal</title>"));
    assert!(second.contains(r#"data-utlys-count="23">(23)</span>"#));
    assert!(
        second.contains(r#"<link rel="canonical" href="https://example.se/challenges/page/2/">"#)
    );
    // Every challenge is on exactly one page.
    let all: Vec<&str> = [&first, &second, &third]
        .iter()
        .flat_map(|html| html.split("data-url=\"").skip(1))
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .collect();
    let unique: std::collections::BTreeSet<&&str> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (23, 23));
    // A term page splits the same way: 15 of the 23 are at the RFI stage.
    let term = build.read("stages/rfi/index.html");
    assert_eq!(cards(&term), 10);
    assert!(term.contains(r#"<link rel="next" href="/stages/rfi/page/2/">"#));
    assert!(term.contains("<p class=\"lead\">15 utmaningar</p>"));
    assert_eq!(cards(&build.read("stages/rfi/page/2/index.html")), 5);
}

/// The other-language addresses a page links to in its head (`hreflang`).
fn alternates(html: &str) -> Vec<&str> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
        .collect()
}

#[test]
fn a_term_links_to_the_same_page_of_the_term_in_the_languages_that_have_it() {
    // 12 challenges in both languages at the RFI stage, 6 of them also at
    // the dialogue stage in Swedish only, and a tag translated: `klimat` in
    // Swedish, `climate` in English.
    let mut site = TestSite::new().file(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\nlanguages = [\"sv\", \"en\"]\npaginate = 5\n",
    );
    for i in 0..12 {
        let sv_stage = if i < 6 { "dialogue" } else { "rfi" };
        site = site
            .file(
                &format!("content/challenges/u{i:02}.md"),
                format!("---\ntitle: Utmaning {i:02}\nsummary: Kort.\nbuyer: Staden\nstage: {sv_stage}\npublished: 2023-06-15\ndeadline: 2023-09-30\ntags: [klimat]\n---\nText.\n"),
            )
            .file(
                &format!("content/challenges/u{i:02}.en.md"),
                format!("---\ntitle: Challenge {i:02}\nsummary: Short.\nbuyer: Staden\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-09-30\ntags: [climate]\n---\nText.\n"),
            );
    }
    let build = site.build(&[]).success();
    // `rfi` has three pages in English (12 challenges) and two in Swedish
    // (6): pages 1 and 2 link across, page 3 does not.
    assert_eq!(
        alternates(&build.read("stages/rfi/index.html")),
        [
            "https://example.se/stages/rfi/",
            "https://example.se/en/stages/rfi/"
        ]
    );
    let second = build.read("en/stages/rfi/page/2/index.html");
    assert_eq!(
        alternates(&second),
        [
            "https://example.se/stages/rfi/page/2/",
            "https://example.se/en/stages/rfi/page/2/"
        ]
    );
    assert!(
        second.contains(r#"<a href="/stages/rfi/page/2/" hreflang="sv" lang="sv">"#),
        "{second}"
    );
    let third = build.read("en/stages/rfi/page/3/index.html");
    assert!(!build.exists("stages/rfi/page/3/index.html"));
    assert_eq!(alternates(&third), Vec::<&str>::new());
    assert!(!third.contains("hreflang=\"sv\""), "{third}");
    // A term only one language has links to no page of the other.
    for (page, missing) in [
        (
            "stages/dialogue/index.html",
            "en/stages/dialogue/index.html",
        ),
        ("tags/klimat/index.html", "en/tags/klimat/index.html"),
        ("en/tags/climate/index.html", "tags/climate/index.html"),
    ] {
        assert!(!build.exists(missing), "{missing}");
        let html = build.read(page);
        assert_eq!(alternates(&html), Vec::<&str>::new(), "{page}");
        assert!(!html.contains(" hreflang="), "{page}: {html}");
    }
}

#[test]
fn the_home_page_shows_a_page_of_open_and_upcoming_and_the_latest_closed() {
    let site = site_of(60, 5);
    let build = site.build(&[]).success();
    let home = build.read("index.html");
    // 20 open, 20 upcoming, 20 closed: five of the first two, six closed.
    assert_eq!(cards(&home), 5 + 5 + 6);
    assert!(home.contains(
        r#"<a class="more-link" href="/status/closed/">Arkivet: alla 20 avslutade utmaningar</a>"#
    ));
    assert!(home.contains(r#"href="/status/upcoming/">Visa alla 20 kommande utmaningar</a>"#));
    assert!(home.contains(">Visa alla 20 öppna utmaningar</a>"));
    // The latest closed first: the archive's first page begins with them.
    let archive = build.read("status/closed/index.html");
    let first_closed = |html: &str| {
        html.split("data-url=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
    };
    let closed_on_home = home
        .split(r#"id="closed-heading""#)
        .nth(1)
        .and_then(first_closed);
    assert_eq!(closed_on_home, first_closed(&archive));
    site.write(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\npaginate = 0\nhome_closed = 2\n",
    );
    let build = site.build(&[]).success();
    assert_eq!(cards(&build.read("index.html")), 20 + 20 + 2);
    assert_eq!(cards(&build.read("challenges/index.html")), 60);
    assert!(!build.exists("challenges/page"));
}

/// The bound on the largest page does not grow with the site: 300
/// challenges make no page larger than 60 do (beyond a few numbers' worth
/// of bytes), and none is near 150 KB.
#[test]
fn no_page_grows_with_the_number_of_challenges() {
    let small = site_of(60, 10).build(&[]).success().tree();
    let large = site_of(300, 10).build(&[]).success().tree();
    let (small_path, small_size) = largest_page(&small);
    let (large_path, large_size) = largest_page(&large);
    assert!(
        large_size <= small_size + small_size / 20,
        "{large_path} is {large_size} bytes with 300 challenges, {small_path} {small_size} with 60"
    );
    assert!(large_size < 150_000, "{large_path}: {large_size} bytes");
    let list_pages = large
        .keys()
        .filter(|p| p.starts_with("challenges/page/") && p.ends_with("/index.html"))
        .count();
    assert_eq!(
        list_pages, 29,
        "300 challenges, 10 a page: 29 pages after the first"
    );
    // The embedded list shows one page's worth and links to the rest.
    let embed = String::from_utf8_lossy(&large["embed/index.html"]).into_owned();
    assert_eq!(embed.matches("<li class=\"embed__item\"").count(), 10);
    let open_or_upcoming = 200;
    assert!(
        embed.contains(&format!(
            "<a href=\"/challenges/\">Alla {open_or_upcoming} öppna och kommande utmaningar</a>"
        )),
        "{embed}"
    );
}

#[test]
fn a_challenge_with_the_slug_page_would_sit_among_the_list_pages_and_is_an_error() {
    let site = site_of(3, 2).file(
        "content/challenges/sidan.md",
        challenge("Sidan", "slug: page\n"),
    );
    site.build(&["--lang", "en"]).failure().stderr_has(&[
        "content/challenges/sidan.md",
        "it would be published as /challenges/page/, which the build writes itself: the pages of the list after the first",
        "choose another `slug`",
    ]);
    // Without paging there are no such pages, and the slug is free.
    site.write(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\npaginate = 0\n",
    );
    let build = site.build(&[]).success();
    assert!(build.exists("challenges/page/index.html"));
}

#[test]
fn paginate_must_be_a_whole_number_of_challenges() {
    let site = site_of(1, 1).file(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\"\npaginate = -5\n",
    );
    let build = site.build(&["--lang", "en"]).failure();
    assert!(
        build.stderr.contains(
            "-5 is not a number of challenges per page from 1 to 1000 (0 turns paging off)"
        ),
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("write for example paginate = 20 (the default)")
    );
}

/// What a full build of `site` makes, by path.
fn full_build(options: &BuildOptions) -> BTreeMap<String, Vec<u8>> {
    let (outputs, _, _) = utlys::render(options).expect("the full build succeeds");
    outputs
        .into_iter()
        .map(|o| match o.data {
            OutputData::Bytes(b) => (o.path, b),
            OutputData::Copy(p) => (o.path, std::fs::read(p).expect("read a copied file")),
        })
        .collect()
}

#[test]
fn an_edited_challenge_remakes_only_the_list_page_it_is_on() {
    let site = site_of(25, 10);
    let options = BuildOptions {
        root: site.root(),
        output: None,
        base_url: None,
        now: crate::util::NOW.parse().expect("clock"),
        fixed_clock: true,
        drafts: false,
    };
    let session = Session::new(options.clone());
    session.rebuild().expect("the first build succeeds");
    let on_page = |n: usize| {
        let key = match n {
            1 => "challenges/index.html".to_string(),
            n => format!("challenges/page/{n}/index.html"),
        };
        let snapshot = session.snapshot();
        let bytes = snapshot.outputs().get(&key).expect("a list page");
        String::from_utf8_lossy(bytes).to_string()
    };
    // A challenge on the second page of the list.
    let url = on_page(2)
        .split("data-url=\"/challenges/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a card on page 2")
        .to_string();
    let rel = format!("content/challenges/{url}.md");
    let path = site.root().join(&rel);
    let text = std::fs::read_to_string(&path).expect("read the challenge");
    crate::util::save(
        &path,
        text.replacen("summary: Sammanfattning", "summary: Ny sammanfattning", 1),
    );
    let changes = session
        .rebuild_changed(Some(&[path]), |_| {})
        .unwrap_or_else(|d| panic!("the rebuild fails:\n{d}"));
    let lists: Vec<&String> = changes
        .changed
        .iter()
        .filter(|p| p.starts_with("challenges/index.html") || p.starts_with("challenges/page/"))
        .collect();
    assert_eq!(
        lists,
        ["challenges/page/2/index.html"],
        "{:?}",
        changes.changed
    );
    assert!(on_page(2).contains("Ny sammanfattning"));
    let served: BTreeMap<String, Vec<u8>> = session
        .snapshot()
        .outputs()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect();
    assert!(
        served == full_build(&options),
        "the session differs from a full build"
    );
}
