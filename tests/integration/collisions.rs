//! Two sources that would be published at one address.

use crate::util::{TestSite, open_challenge};

#[test]
fn file_and_folder_page_with_one_address_are_one_error_naming_both() {
    let build = TestSite::new()
        .file("content/a.md", "---\ntitle: A\n---\n")
        .file("content/a/index.md", "---\ntitle: A igen\n---\n")
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        ["error: content/a.md: `content/a/index.md` and `content/a.md` both become /a/"],
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("= hint: rename one of the files, or give one a different `slug`")
    );
    assert!(!build.output.exists());
}

#[test]
fn two_challenges_with_the_same_slug_are_an_error() {
    let build = TestSite::new()
        .file(
            "content/challenges/forsta.md",
            open_challenge("Första", "slug: samma\n"),
        )
        .file(
            "content/challenges/andra.md",
            open_challenge("Andra", "slug: samma\n"),
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/forsta.md: `content/challenges/andra.md` and `content/challenges/forsta.md` both become /challenges/samma/"
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn slug_that_matches_another_file_name_is_an_error() {
    TestSite::new()
        .file("content/challenges/klimat.md", open_challenge("Klimat", ""))
        .file(
            "content/challenges/annan.md",
            open_challenge("Annan", "slug: klimat\n"),
        )
        .build(&[])
        .failure()
        .stderr_has(&["both become /challenges/klimat/"]);
}

#[test]
fn a_hidden_draft_does_not_collide() {
    let site = TestSite::new()
        .file("content/challenges/klimat.md", open_challenge("Klimat", ""))
        .file(
            "content/challenges/utkast.md",
            open_challenge("Utkast", "slug: klimat\ndraft: true\n"),
        );
    let build = site.build(&[]).success();
    assert!(
        build
            .read("challenges/klimat/index.html")
            .contains("Klimat")
    );
    site.build(&["--drafts"])
        .failure()
        .stderr_has(&["both become /challenges/klimat/"]);
}

#[test]
fn page_over_a_generated_list_is_an_error() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "tags:\n  - x\n"),
        )
        .file("content/tags.md", "---\ntitle: Taggar\n---\n")
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/tags.md: it would be published as /tags/, which the build writes itself: the tag pages",
        ]);
}
