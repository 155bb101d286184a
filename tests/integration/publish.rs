//! Publishing: atomic, deterministic, incremental, and never over the
//! site's own files.

use crate::util::{TestSite, assert_same_tree, challenge, changed_paths, names_in, tree};

fn site() -> TestSite {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            challenge("Alfa", "tags:\n  - alfa\n") + "\nAlfas text.\n",
        )
        .file(
            "content/challenges/b.md",
            challenge("Beta", "tags:\n  - beta\n") + "\nBetas text.\n",
        )
        .file(
            "content/om.md",
            "---\ntitle: Om portalen\nmenu: true\n---\n\nOm.\n",
        )
}

/// The changed paths, split into HTML pages and the rest.
fn split_html(paths: Vec<String>) -> (Vec<String>, Vec<String>) {
    paths.into_iter().partition(|p| p.ends_with(".html"))
}

/// Whether `path` is a machine-readable export (feed, calendar, data),
/// which may repeat any field of a challenge.
fn is_data_export(path: &str) -> bool {
    [".json", ".xml", ".ics"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[test]
fn a_failing_build_leaves_the_published_site_unchanged() {
    let site = site();
    // Two builds, so the spare tree beside the output exists too.
    site.build(&[]).success();
    let first = site.build(&[]).success();
    let out_parent = site.output().parent().unwrap().to_path_buf();
    let before = first.tree();
    let parent_before = tree(&out_parent);
    let site_before = tree(&site.root());
    assert!(before.contains_key("challenges/a/index.html"));
    assert_eq!(
        names_in(&out_parent),
        [
            ".public.utlys-lock",
            ".public.utlys-manifest",
            ".public.utlys-spare",
            "public"
        ]
    );

    // A change that renders fine, plus one error.
    site.write(
        "content/challenges/a.md",
        challenge("Alfa ändrad", "") + "\nNy text.\n",
    );
    site.write(
        "content/challenges/b.md",
        challenge("Beta", "stage: rfii\n"),
    );
    let failed = site.build(&[]).failure();
    assert!(failed.stderr.contains("Nothing was published"));

    assert_eq!(failed.tree(), before, "the output changed");
    assert_eq!(
        tree(&out_parent),
        parent_before,
        "output or its siblings changed"
    );
    assert_eq!(
        names_in(&out_parent),
        [
            ".public.utlys-lock",
            ".public.utlys-manifest",
            ".public.utlys-spare",
            "public"
        ]
    );
    let mut site_after = tree(&site.root());
    site_after.remove("content/challenges/a.md");
    site_after.remove("content/challenges/b.md");
    let mut site_expected = site_before;
    site_expected.remove("content/challenges/a.md");
    site_expected.remove("content/challenges/b.md");
    assert_eq!(
        site_after, site_expected,
        "files appeared in the site folder"
    );
    assert_eq!(names_in(site.tmp()), ["out", "site"]);
}

#[test]
fn a_failing_first_build_writes_nothing() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        challenge("Alfa", "dedline: 2023-08-31\n"),
    );
    site.build(&[]).failure();
    assert_eq!(names_in(site.tmp()), ["site"]);
}

#[test]
fn the_first_build_leaves_only_the_output_and_its_lock() {
    let site = site();
    site.build(&[]).success();
    let out_parent = site.output().parent().unwrap().to_path_buf();
    assert_eq!(
        names_in(&out_parent),
        [".public.utlys-lock", ".public.utlys-manifest", "public"]
    );
    assert_eq!(names_in(site.tmp()), ["out", "site"]);
    assert_eq!(names_in(&site.root()), ["content", "site.toml"]);
}

#[test]
fn builds_with_the_same_clock_are_byte_identical() {
    let site = site();
    let other = site.tmp().join("other");
    let other_str = other.display().to_string();
    let a = site.build(&[]).success();
    let b = site.build(&["--output", &other_str]).success();
    let first = a.tree();
    assert!(first.len() > 10, "{first:?}");
    assert_same_tree(&first, &b.tree());
    // Rebuilding in place (through the spare tree) gives the same bytes too.
    for _ in 0..3 {
        assert_same_tree(&site.build(&[]).success().tree(), &first);
    }
}

#[test]
fn a_changed_body_changes_only_its_page() {
    let site = site();
    let before = site.build(&[]).success().tree();
    site.write(
        "content/challenges/a.md",
        challenge("Alfa", "tags:\n  - alfa\n") + "\nAlfas nya text.\n",
    );
    let build = site.build(&[]).success();
    let after = build.tree();
    let (html, other) = split_html(changed_paths(&before, &after));
    assert_eq!(html, ["challenges/a/index.html"]);
    assert!(other.iter().all(|p| is_data_export(p)), "{other:?}");
    assert!(
        build
            .read("challenges/a/index.html")
            .contains("Alfas nya text.")
    );
    // The next builds (which reuse older trees as their spare) agree.
    assert_same_tree(&site.build(&[]).success().tree(), &after);
    assert_same_tree(&site.build(&[]).success().tree(), &after);
}

#[test]
fn a_changed_title_changes_its_page_and_the_lists_that_show_it() {
    let site = site();
    let before = site.build(&[]).success().tree();
    site.write(
        "content/challenges/b.md",
        challenge("Beta två", "tags:\n  - beta\n") + "\nBetas text.\n",
    );
    let after = site.build(&[]).success().tree();
    let (html, other) = split_html(changed_paths(&before, &after));
    assert!(other.iter().all(|p| is_data_export(p)), "{other:?}");
    // Every page that shows B's card or page, nothing else.
    assert_eq!(
        html,
        [
            "buyers/exempelstad/index.html",
            "challenges/b/index.html",
            "challenges/index.html",
            "index.html",
            "stages/rfi/index.html",
            "status/closing-soon/index.html",
            "tags/beta/index.html",
        ]
    );
    for (path, bytes) in &after {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(">Beta<") && !text.contains("\"Beta\""),
            "{path} shows the old title"
        );
    }
}

#[test]
fn a_removed_page_disappears_from_the_output() {
    let site = site();
    site.build(&[]).success();
    site.build(&[]).success();
    site.remove("content/challenges/b.md");
    // Twice: the spare tree of the second build still holds B's page.
    for _ in 0..2 {
        let build = site.build(&[]).success();
        let files = build.tree();
        assert!(!files.contains_key("challenges/b/index.html"));
        assert!(!files.contains_key("challenges/b/"));
        assert!(!files.contains_key("tags/beta/index.html"));
        assert!(files.contains_key("challenges/a/index.html"));
        for (path, bytes) in &files {
            assert!(
                !String::from_utf8_lossy(bytes).contains("/challenges/b/"),
                "{path} still links to the removed page"
            );
        }
    }
}

#[test]
fn build_summary_counts_written_unchanged_and_removed_files() {
    let site = site();
    let first = site.build(&[]).success();
    let files = first.tree().keys().filter(|k| !k.ends_with('/')).count();
    assert!(
        first
            .stdout
            .contains(&format!("{files} files written, 0 unchanged, 0 removed")),
        "{}",
        first.stdout
    );
    assert!(first.stdout.starts_with("Built "));
    assert!(first.stdout.contains("(2 challenges, 2 open)"));
    site.build(&[]).success();
    // The third build's spare holds the first build, identical to it.
    let third = site.build(&[]).success();
    assert!(
        third
            .stdout
            .contains(&format!("0 files written, {files} unchanged, 0 removed")),
        "{}",
        third.stdout
    );
}

/// Runs a build with `--output output` that must be refused, and checks
/// nothing anywhere in the temporary folder changed.
#[track_caller]
fn assert_refused(site: &TestSite, output: &std::path::Path, message: &str) {
    let before = tree(site.tmp());
    let output_str = output.display().to_string();
    let build = site
        .build(&["--output", &output_str])
        .failure()
        .stderr_has(&[message, "Nothing was published"]);
    assert_eq!(build.error_lines().len(), 1, "{}", build.stderr);
    assert!(build.stdout.is_empty());
    assert_eq!(tree(site.tmp()), before, "something was written");
}

#[test]
fn output_equal_to_the_site_root_is_refused() {
    let site = site();
    let root = site.root();
    assert_refused(&site, &root, "is, or contains, the site folder");
}

#[test]
fn output_that_contains_the_site_root_is_refused() {
    let site = site();
    // The temporary folder holds the site; its own parent is shared, so use
    // the temporary folder itself.
    let parent = site.tmp().to_path_buf();
    assert_refused(&site, &parent, "is, or contains, the site folder");
    // Nor was a lock or spare put beside it.
    let name = parent.file_name().unwrap().to_string_lossy().into_owned();
    let grandparent = parent.parent().unwrap();
    for sibling in [".utlys-lock", ".utlys-spare"] {
        assert!(!grandparent.join(format!(".{name}{sibling}")).exists());
    }
}

#[test]
fn output_inside_content_is_refused() {
    let site = site();
    let inside = site.root().join("content").join("out");
    assert_refused(&site, &inside, "is inside");
    let existing = site.root().join("content").join("challenges");
    assert_refused(&site, &existing, "is inside");
}

#[test]
fn output_inside_themes_or_static_is_refused() {
    let site = site().file("static/robots.txt", "User-agent: *\n");
    let themes = site.root().join("themes").join("out");
    assert_refused(&site, &themes, "is inside");
    let static_dir = site.root().join("static");
    assert_refused(&site, &static_dir, "is inside");
}

#[test]
fn output_given_relative_to_the_site_is_refused_too() {
    let site = site();
    // `site/../site` names the root through a detour.
    let detour = site.root().join("..").join("site");
    assert_refused(&site, &detour, "is, or contains, the site folder");
    let detour = site
        .root()
        .join("content")
        .join("..")
        .join("content")
        .join("x");
    assert_refused(&site, &detour, "is inside");
}

#[test]
fn output_next_to_the_site_is_accepted() {
    let site = site();
    let beside = site.tmp().join("public");
    let beside_str = beside.display().to_string();
    let build = site.build(&["--output", &beside_str]).success();
    assert!(build.exists("index.html"));
}
