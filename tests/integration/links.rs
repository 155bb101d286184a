//! `@/` internal links and anchors.

use crate::util::{TestSite, open_challenge};

#[test]
fn broken_internal_link_and_anchor_are_errors_at_their_line() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "")
                + "\nFörsta stycket.\n\nSe [saknad](@/challenges/missing.md) här.\n\nOch [fel ankare](@/challenges/b.md#nope).\n",
        )
        .file(
            "content/challenges/b.md",
            open_challenge("B", "") + "\n## Heading Slug\n\nText.\n",
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:11:4: the link `@/challenges/missing.md` points to a page that does not exist",
            "error: content/challenges/a.md:13:5: the link points to `#nope`, which is not a heading in challenges/b.md",
        ],
        "{}",
        build.stderr
    );
    assert!(!build.output.exists());
}

#[test]
fn anchor_suggestion_names_the_nearest_heading() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "") + "[x](@/challenges/b.md#heading-slg)\n",
        )
        .file(
            "content/challenges/b.md",
            open_challenge("B", "") + "## Heading Slug\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&["= hint: did you mean `#heading-slug`?"]);
}

#[test]
fn working_links_resolve_to_page_urls_with_the_base_path() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "")
                + "[rubrik](@/challenges/b.md#heading-slug) [mapp](@/challenges/mapp.md) [om](@/om.md) [svensk](@/challenges/b.md#sa-gor-du)\n",
        )
        .file(
            "content/challenges/b.md",
            open_challenge("B", "") + "## Heading Slug\n\n## Så gör du\n",
        )
        .file("content/challenges/mapp/index.md", open_challenge("Mapp", ""))
        .file("content/om.md", "---\ntitle: Om\n---\n")
        .build(&["--base-url", "https://example.se/utmaningar/"])
        .success();
    let a = build.read("challenges/a/index.html");
    for href in [
        "href=\"/utmaningar/challenges/b/#heading-slug\"",
        "href=\"/utmaningar/challenges/mapp/\"",
        "href=\"/utmaningar/om/\"",
        "href=\"/utmaningar/challenges/b/#sa-gor-du\"",
    ] {
        assert!(a.contains(href), "no {href} in\n{a}");
    }
    assert!(!a.contains("@/"));
    let b = build.read("challenges/b/index.html");
    assert!(b.contains("<h2 id=\"heading-slug\">Heading Slug</h2>"));
    assert!(b.contains("<h2 id=\"sa-gor-du\">Så gör du</h2>"));
}

#[test]
fn link_to_a_draft_is_broken_without_drafts() {
    let site = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "") + "[utkast](@/challenges/d.md)\n",
        )
        .file(
            "content/challenges/d.md",
            open_challenge("D", "draft: true\n"),
        );
    site.build(&[]).failure().stderr_has(&[
        "error: content/challenges/a.md:8:1: the link `@/challenges/d.md` points to a page that does not exist",
    ]);
    let build = site.build(&["--drafts"]).success();
    assert!(
        build
            .read("challenges/a/index.html")
            .contains("href=\"/challenges/d/\"")
    );
}
