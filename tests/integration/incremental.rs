//! Incremental rebuilds of the dev server: after every kind of change the
//! site a [`Session`] serves equals a full build of the same files, byte for
//! byte, and the rebuild read and rendered only what the change reaches.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use utlys::BuildOptions;
use utlys::emit::OutputData;
use utlys::serve::session::{Changes, Session};
use utlys::time::Timestamp;

/// A copy of the sample portal (two languages, a folder challenge with a
/// document, amendments, plain pages in the menu) in a temporary folder.
struct Sample {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Sample {
    fn new() -> Sample {
        let tmp = tempfile::Builder::new()
            .prefix("utlys-incr-")
            .tempdir()
            .expect("temporary folder");
        let root = tmp.path().join("site");
        crate::util::copy_sample(&root, &["content"]);
        Sample { _tmp: tmp, root }
    }

    /// A copy of the sample with a session that has built it once, and
    /// what that first build did.
    fn served() -> (Sample, Session, Changes) {
        let sample = Sample::new();
        let session = Session::new(sample.options());
        let first = session.rebuild().expect("the first build succeeds");
        (sample, session, first)
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: None,
            now: "2026-11-30T10:00:00+01:00"
                .parse::<Timestamp>()
                .expect("clock"),
            fixed_clock: true,
            drafts: false,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Saves `rel` as an editor does (see [`crate::util::save`]).
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        crate::util::save(&path, text);
        path
    }

    /// Replaces `from` by `to` in file `rel`, which must contain it.
    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// What `utlys build` makes of the files as they are now.
    fn full_build(&self) -> BTreeMap<String, Vec<u8>> {
        let (outputs, _, _) = utlys::render(&self.options()).expect("the full build succeeds");
        outputs
            .into_iter()
            .map(|o| {
                let bytes = match o.data {
                    OutputData::Bytes(b) => b,
                    OutputData::Copy(p) => fs::read(p).expect("read copied file"),
                };
                (o.path, bytes)
            })
            .collect()
    }
}

/// Asserts that the session serves exactly what a full build makes.
fn assert_same_as_full_build(session: &Session, sample: &Sample, step: &str) {
    let full = sample.full_build();
    let snapshot = session.snapshot();
    let served: BTreeMap<&String, &Vec<u8>> =
        snapshot.outputs().iter().map(|(k, v)| (k, &**v)).collect();
    let only_full: Vec<&String> = full.keys().filter(|k| !served.contains_key(k)).collect();
    let only_served: Vec<&&String> = served.keys().filter(|k| !full.contains_key(**k)).collect();
    assert!(
        only_full.is_empty() && only_served.is_empty(),
        "{step}: only in the full build: {only_full:?}; only served: {only_served:?}"
    );
    for (path, bytes) in &full {
        assert!(
            served[path] == bytes,
            "{step}: {path} differs from the full build"
        );
    }
}

fn rebuild(session: &Session, paths: &[PathBuf]) -> Changes {
    session
        .rebuild_changed(Some(paths), |_| {})
        .unwrap_or_else(|d| panic!("the rebuild fails:\n{d}"))
}

/// The number of HTML pages the site has.
fn page_count(session: &Session) -> usize {
    session
        .snapshot()
        .outputs()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count()
}

#[test]
fn every_kind_of_change_gives_the_full_build_byte_for_byte() {
    let (sample, session, first) = Sample::served();
    assert_same_as_full_build(&session, &sample, "first build");
    let pages = page_count(&session);
    assert_eq!(
        first.work.pages, pages,
        "the first build renders every page"
    );

    let challenge = "content/challenges/trygg-skolvag.md";

    // The body of one challenge: that page alone is read and rendered.
    let p = sample.edit(
        challenge,
        "## Vad vi vet hittills",
        "Ett nytt stycke om skolvägar.\n\n## Vad vi vet hittills",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "body edit");
    assert_eq!((c.work.loaded, c.work.markdown, c.work.pages), (1, 1, 1));
    assert!(
        c.changed
            .contains(&"challenges/trygg-skolvag/index.html".to_string()),
        "{:?}",
        c.changed
    );

    // Saving the same text again changes nothing.
    let p = sample.path(challenge);
    let c = rebuild(&session, &[p]);
    assert!(c.is_empty(), "{:?}", c.changed);
    assert_eq!(c.work.pages, 0);

    // The title shows in every list with the challenge, not on other pages.
    let p = sample.edit(
        challenge,
        "title: Trygg skolväg för alla barn",
        "title: Trygg och säker skolväg",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "title edit");
    assert_eq!(c.work.markdown, 1);
    assert!(
        c.work.pages > 1 && c.work.pages < pages / 2,
        "{} of {pages}",
        c.work.pages
    );
    assert!(c.changed.contains(&"index.html".to_string()));

    // A new tag: a new term page, and the tag lists change.
    let p = sample.edit(challenge, "  - barn\n", "  - barn\n  - cykel\n");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "tag added");
    assert!(
        c.changed.iter().any(|p| p.starts_with("tags/cykel/")),
        "{:?}",
        c.changed
    );

    // The tag goes again: its page is removed.
    let p = sample.edit(challenge, "  - cykel\n", "");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "tag removed");
    assert!(
        c.removed.iter().any(|p| p.starts_with("tags/cykel/")),
        "{:?}",
        c.removed
    );

    // An amendment moving the deadline of the open RFI.
    let rfi = "content/challenges/minskat-matsvinn-i-skolkoket.md";
    let text = sample.read(rfi);
    let p = if text.starts_with("+++") {
        sample.edit(
            rfi,
            "[[updates]]",
            "[[updates]]\ndate = 2026-11-29\ntext = \"Sista svarsdag flyttad en vecka.\"\ndeadline = 2027-02-28\n\n[[updates]]",
        )
    } else {
        sample.edit(
            rfi,
            "updates:\n",
            "updates:\n  - date: 2026-11-29\n    text: Sista svarsdag flyttad en vecka.\n    deadline: 2027-02-28\n",
        )
    };
    rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "amendment");

    // A plain page in the menu: its title is on every page of its language.
    let p = sample.edit(
        "content/om.md",
        "title: Om portalen",
        "title: Om den här portalen",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "menu page title");
    assert_eq!(c.work.markdown, 1, "the other pages' Markdown is reused");

    // A translation.
    let p = sample.edit(
        "content/challenges/upplev-min-verklighet.en.md",
        "\n## ",
        "\nA new paragraph in English.\n\n## ",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "translation body");
    assert_eq!(c.work.pages, 1);

    // A new challenge: read in full, but only its page and the lists and
    // taxonomy pages (whose counts change) are rendered, in both languages
    // (the English lists show Swedish pages without a translation).
    let p = sample.write(
        "content/challenges/ny-utmaning.md",
        "---\ntitle: Ny utmaning\nsummary: En ny utmaning.\nbuyer: Exempelstads kommun\nstage: need\npublished: 2026-11-01\ncategory: Trafik och stadsmiljö\n---\n\nSe också [skolvägen](@/challenges/trygg-skolvag.md).\n",
    );
    let c = rebuild(&session, std::slice::from_ref(&p));
    assert_same_as_full_build(&session, &sample, "challenge added");
    assert!(
        c.changed
            .contains(&"challenges/ny-utmaning/index.html".to_string())
    );
    assert!(c.work.pages < pages * 2 / 3, "{} of {pages}", c.work.pages);
    assert!(
        !c.changed
            .iter()
            .any(|p| p.starts_with("challenges/trygg") || p.starts_with("om/")),
        "{:?}",
        c.changed
    );

    // And removed again.
    fs::remove_file(&p).expect("remove");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "challenge removed");
    assert!(
        c.removed
            .contains(&"challenges/ny-utmaning/index.html".to_string())
    );

    // The document beside a challenge grows: its size on the page changes.
    let doc = "content/challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt";
    let mut text = sample.read(doc);
    text.push_str(&"Fler frågor.\n".repeat(200));
    let p = sample.write(doc, &text);
    rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "document changed");

    // A challenge made a draft leaves the site.
    let p = sample.edit(challenge, "lang: sv\n", "lang: sv\ndraft: true\n");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "made a draft");
    assert!(
        c.removed
            .contains(&"challenges/trygg-skolvag/index.html".to_string())
    );
    let p = sample.edit(challenge, "draft: true\n", "");
    rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "draft published again");

    // A template: every page is rendered again, no Markdown is.
    let base = String::from_utf8(
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"))
            .expect("read the default template"),
    )
    .expect("UTF-8");
    let p = sample.write(
        "themes/default/templates/page.html",
        &base.replace("{% block content %}", "{% block content %}<!-- egen -->"),
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "template changed");
    assert_eq!((c.work.loaded, c.work.markdown), (0, 0));
    assert!(
        c.changed.iter().any(|p| p == "om/index.html"),
        "{:?}",
        c.changed
    );

    // A style sheet of the site's own theme comes and goes.
    let p = sample.write("themes/default/static/extra.css", "body { margin: 0 }\n");
    rebuild(&session, std::slice::from_ref(&p));
    assert_same_as_full_build(&session, &sample, "theme file added");
    fs::remove_file(&p).expect("remove");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "theme file removed");
    // Published under its hashed name (`static/extra.<hash>.css`).
    assert!(
        matches!(
            c.removed.as_slice(),
            [one] if one.starts_with("static/extra.") && one.ends_with(".css") && one.len() == "static/extra..css".len() + 8
        ),
        "{:?}",
        c.removed
    );

    // A file in the site's own static/ folder.
    let p = sample.write("static/extra.txt", "hej\n");
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "static file");
    assert_eq!(c.changed, ["extra.txt"]);

    // The settings: everything is read again.
    let p = sample.edit(
        "site.toml",
        "title = \"Innovationsutmaningar\"",
        "title = \"Utmaningar\"",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "site.toml");
    assert_eq!(c.work.pages, pages);
}

#[test]
fn a_failed_rebuild_keeps_the_site_and_the_fix_gives_the_full_build() {
    let (sample, session, _) = Sample::served();
    let before = session.snapshot();
    let challenge = "content/challenges/trygg-skolvag.md";

    // Broken front matter.
    let p = sample.edit(challenge, "stage: need", "stage: [need");
    let error = session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("the rebuild fails");
    assert!(error.to_string().contains("trygg-skolvag.md"), "{error}");
    assert!(std::sync::Arc::ptr_eq(&before, &session.snapshot()) || session.last_error().is_some());
    assert_eq!(
        session.snapshot().outputs().len(),
        before.outputs().len(),
        "the last good site is still served"
    );

    // A broken link in the body, found without reading the other pages.
    let p = sample.edit(challenge, "stage: [need", "stage: need");
    rebuild(&session, &[p]);
    let p = sample.edit(
        challenge,
        "## Vad vi vet hittills",
        "Se [saknad](@/challenges/finns-inte.md).\n\n## Vad vi vet hittills",
    );
    let error = session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("a broken link fails the rebuild");
    assert!(error.to_string().contains("finns-inte"), "{error}");

    // Fixed: the site equals a full build again.
    let p = sample.edit(
        challenge,
        "Se [saknad](@/challenges/finns-inte.md).",
        "Se [tillgänglighet](@/tillganglighetsredogorelse.md).",
    );
    rebuild(&session, &[p]);
    assert!(session.last_error().is_none());
    assert_same_as_full_build(&session, &sample, "after the fix");
}

#[test]
fn feeds_and_data_follow_the_pages() {
    let (sample, session, _) = Sample::served();
    let p = sample.edit(
        "content/challenges/trygg-skolvag.md",
        "title: Trygg skolväg för alla barn",
        "title: Skolvägen",
    );
    let mut seen_at_pages = None;
    let changes = session
        .rebuild_changed(Some(&[p]), |result| {
            let snapshot = session.snapshot();
            let changes = result.as_ref().expect("pages rebuilt");
            seen_at_pages = Some((
                changes.changed.clone(),
                snapshot.is_settling_for("/api/challenges.json"),
                snapshot.is_settling_for("/challenges/trygg-skolvag/"),
            ));
        })
        .expect("rebuilt");
    let (pages_changed, data_waits, page_waits) =
        seen_at_pages.expect("told when pages were ready");
    assert!(pages_changed.contains(&"challenges/trygg-skolvag/index.html".to_string()));
    assert!(!pages_changed.contains(&"api/challenges.json".to_string()));
    assert!(data_waits, "the data is not served from before the change");
    assert!(!page_waits, "pages never wait");
    assert!(changes.changed.contains(&"api/challenges.json".to_string()));
    assert!(!session.snapshot().is_settling_for("/api/challenges.json"));
    let data = String::from_utf8(session.get("api/challenges.json").expect("data").to_vec())
        .expect("UTF-8");
    assert!(data.contains("Skolvägen"));
    assert_same_as_full_build(&session, &sample, "after the aggregates");
}

#[test]
fn a_few_pages_saved_render_alone_and_links_to_their_headings_are_checked() {
    let (sample, session, _) = Sample::served();

    // A plain page's body: that page alone, the menu is as it was.
    let p = sample.edit(
        "content/hur-du-svarar.md",
        "## Håll koll på tiden",
        "Ett nytt råd.\n\n## Håll koll på tiden",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "plain page body");
    assert_eq!((c.work.loaded, c.work.markdown, c.work.pages), (1, 1, 1));

    // Two challenges saved at once, one in each language.
    let a = sample.edit(
        "content/challenges/trygg-skolvag.md",
        "## Vad vi vet hittills",
        "Ännu ett stycke.\n\n## Vad vi vet hittills",
    );
    let b = sample.edit(
        "content/challenges/upplev-min-verklighet.en.md",
        "\n## ",
        "\nOne more paragraph.\n\n## ",
    );
    let c = rebuild(&session, &[a, b]);
    assert_same_as_full_build(&session, &sample, "two challenges");
    assert_eq!((c.work.loaded, c.work.markdown, c.work.pages), (2, 2, 2));

    // A heading another page links to is renamed: the link is reported at
    // the page that has it, though only the renamed page was read.
    let upplev = "content/challenges/upplev-min-verklighet.md";
    let p = sample.edit(upplev, "## Så gick det till", "## Hur det gick till");
    let error = session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("the broken heading link fails the rebuild");
    let text = error.to_string();
    assert!(
        text.contains("klimatavtryck-offentlig-konsumtion") && text.contains("sa-gick-det-till"),
        "{text}"
    );

    // While it is broken another page is edited; after the fix both edits
    // are served, as a full build makes them.
    let p = sample.edit(
        "content/om.md",
        "\n## ",
        "\nEn mening till om portalen.\n\n## ",
    );
    session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("still broken");
    let p = sample.edit(upplev, "## Hur det gick till", "## Så gick det till");
    rebuild(&session, &[p]);
    assert!(session.last_error().is_none());
    assert_same_as_full_build(&session, &sample, "heading restored");

    // A theme that does not load while a challenge is edited: the edit is
    // not lost when the theme is fixed.
    let strings = sample.write("themes/default/i18n/sv.toml", "trasig = [\n");
    session
        .rebuild_changed(Some(std::slice::from_ref(&strings)), |_| {})
        .expect_err("a strings file that does not parse fails the rebuild");
    let p = sample.edit(
        "content/challenges/trygg-skolvag.md",
        "## Vad vi vet hittills",
        "Skrivet medan temat var trasigt.\n\n## Vad vi vet hittills",
    );
    session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("the theme is still broken");
    fs::remove_file(&strings).expect("remove");
    rebuild(&session, &[strings]);
    assert_same_as_full_build(&session, &sample, "theme fixed");
    let page = session
        .get("challenges/trygg-skolvag/index.html")
        .expect("the challenge page");
    assert!(String::from_utf8_lossy(&page).contains("Skrivet medan temat var trasigt."));
}

#[test]
fn a_related_challenge_remakes_the_pages_that_show_it() {
    let (sample, session, _) = Sample::served();
    let a = "content/challenges/trygg-skolvag.md";
    let b = "content/challenges/minskat-matsvinn-i-skolkoket.md";
    let a_page = "challenges/trygg-skolvag/index.html".to_string();
    let b_page = "challenges/minskat-matsvinn-i-skolkoket/index.html".to_string();

    // A names B: both pages show the link, B's reversed.
    let p = sample.edit(
        a,
        "stage: need\n",
        "stage: need\nrelated:\n  - challenge: minskat-matsvinn-i-skolkoket\n    relation: followed-by\n",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "link added");
    assert!(
        c.changed.contains(&a_page) && c.changed.contains(&b_page),
        "{:?}",
        c.changed
    );
    let shown = |page: &str| {
        let bytes = session.get(page).expect("the page is served");
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    };
    assert!(shown(&b_page).contains("Följer på <a href=\"/challenges/trygg-skolvag/\">"));

    // B's title changes: A's page, which shows it, is made again.
    let text = sample.read(b);
    let (from, to) = if text.starts_with("+++") {
        (
            "title = \"Mindre matsvinn i skolköken\"",
            "title = \"Mindre matsvinn i alla skolkök\"",
        )
    } else {
        (
            "title: Mindre matsvinn i skolköken",
            "title: Mindre matsvinn i alla skolkök",
        )
    };
    let p = sample.edit(b, from, to);
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "related title edit");
    assert!(c.changed.contains(&a_page), "{:?}", c.changed);
    assert!(shown(&a_page).contains(">Mindre matsvinn i alla skolkök</a>"));

    // The link goes: neither page shows it.
    let p = sample.edit(
        a,
        "related:\n  - challenge: minskat-matsvinn-i-skolkoket\n    relation: followed-by\n",
        "",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "link removed");
    assert!(c.changed.contains(&b_page), "{:?}", c.changed);
    assert!(!shown(&b_page).contains("Följer på"));

    // Neither links any more: a save of either one's text makes its own
    // page and no other.
    for (file, page) in [(a, &a_page), (b, &b_page)] {
        let p = sample.edit(file, "## ", "Skrivet när ingen länk fanns kvar.\n\n## ");
        let c = rebuild(&session, &[p]);
        assert_same_as_full_build(&session, &sample, "a text save after the link went");
        assert_eq!((c.work.markdown, c.work.pages), (1, 1), "{file}");
        assert!(shown(page).contains("Skrivet när ingen länk fanns kvar."));
    }
}

/// The feeds of one challenge and of one term are jobs of their own:
/// editing a challenge makes its own feed and the feeds of the terms it is
/// filed under again, in every language that lists it, and no other feed.
#[test]
fn editing_one_challenge_remakes_its_own_feed_and_its_terms_feeds_only() {
    let (sample, session, first) = Sample::served();
    let full = sample.full_build();
    let feeds: Vec<&String> = full
        .keys()
        .filter(|p| p.ends_with("/atom.xml") && p.as_str() != "en/atom.xml")
        .collect();
    assert_eq!(
        first.work.feeds.len(),
        feeds.len(),
        "the first build makes every feed of a challenge or term"
    );

    let p = sample.edit(
        "content/challenges/trygg-skolvag.md",
        "summary: Exempelstad vill",
        "summary: Exempelstads kommun vill",
    );
    let c = rebuild(&session, &[p]);
    assert_same_as_full_build(&session, &sample, "summary edit");

    // What must be made again: every feed that holds the challenge.
    let full = sample.full_build();
    let holding =
        |bytes: &[u8]| String::from_utf8_lossy(bytes).contains("/challenges/trygg-skolvag/</id>");
    let mut expected: Vec<String> = full
        .iter()
        .filter(|(p, b)| p.ends_with("/atom.xml") && p.as_str() != "en/atom.xml" && holding(b))
        .map(|(p, _)| p.clone())
        .collect();
    expected.sort();
    for feed in [
        "challenges/trygg-skolvag/atom.xml",
        "tags/skola/atom.xml",
        "en/tags/skola/atom.xml",
        "categories/trafik-och-stadsmiljo/atom.xml",
        "buyers/exempelstads-kommun/atom.xml",
        "stages/need/atom.xml",
    ] {
        assert!(expected.contains(&feed.to_string()), "{feed}: {expected:?}");
    }
    assert_eq!(c.work.feeds, expected);
    // Others are left as they were: the other challenges' feeds, and the
    // terms it is not filed under.
    for untouched in [
        "challenges/upplev-min-verklighet/atom.xml",
        "tags/klimat/atom.xml",
        "stages/rfi/atom.xml",
    ] {
        assert!(full.contains_key(untouched), "{untouched}");
        assert!(
            !c.work.feeds.contains(&untouched.to_string()),
            "{untouched}"
        );
    }
    assert!(c.work.feeds.len() < feeds.len() / 2, "{:?}", c.work.feeds);
}

#[test]
fn a_page_over_a_generated_path_is_refused_after_saves_that_skip_the_check() {
    let (sample, session, _) = Sample::served();
    let challenge = "content/challenges/trygg-skolvag.md";
    // Saves of a page's text leave every address as it was: the dev server
    // does not check the addresses again, and the site stays right.
    for n in 0..2 {
        let p = sample.edit(
            challenge,
            "## Vad vi vet hittills",
            &format!("Ett stycke till ({n}).\n\n## Vad vi vet hittills"),
        );
        rebuild(&session, &[p]);
    }
    assert_same_as_full_build(&session, &sample, "after two saves of the text");

    // A new page at the address of the tag list is found.
    let page = sample.write("content/tags.md", "---\ntitle: Taggar\n---\n\nText.\n");
    let error = session
        .rebuild_changed(Some(std::slice::from_ref(&page)), |_| {})
        .expect_err("a page over the tag list fails the rebuild");
    let text = error.to_string();
    assert!(
        text.contains("tags.md") && text.contains("/tags/"),
        "{text}"
    );

    // A save of the text does not hide the problem that is still there.
    let p = sample.edit(challenge, "Ett stycke till (1).", "Ett stycke till (2).");
    let error = session
        .rebuild_changed(Some(&[p]), |_| {})
        .expect_err("the page over the tag list is still refused");
    assert!(error.to_string().contains("tags.md"), "{error}");

    fs::remove_file(&page).expect("remove the page");
    rebuild(&session, &[page]);
    assert!(session.last_error().is_none());
    assert_same_as_full_build(&session, &sample, "after the page is removed");
}
