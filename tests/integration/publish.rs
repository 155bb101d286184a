//! Publishing: atomic, deterministic, incremental, and never over the
//! site's own files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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
    [".json", ".csv", ".xml", ".ics"]
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
            ".public.utlys-history",
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
            ".public.utlys-history",
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
        [
            ".public.utlys-history",
            ".public.utlys-lock",
            ".public.utlys-manifest",
            "public"
        ]
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
            "embed/index.html",
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

/// The files (not folders) of a tree read by [`tree`].
fn files_only(tree: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    tree.into_iter()
        .filter(|(k, _)| !k.ends_with('/'))
        .collect()
}

/// The spare tree beside a site's output.
fn spare_of(site: &TestSite) -> PathBuf {
    site.tmp().join("out/.public.utlys-spare")
}

#[test]
fn the_manifest_is_kept_beside_the_output_and_never_published() {
    let site = site();
    for _ in 0..3 {
        site.build(&[]).success();
        for dir in [site.output(), spare_of(&site)] {
            for path in tree(&dir).keys() {
                assert!(!path.contains("utlys-manifest"), "{path} in {dir:?}");
            }
        }
    }
    let manifest = site.tmp().join("out/.public.utlys-manifest");
    let text = fs::read_to_string(&manifest).unwrap();
    // It names the published files, with a hash of each.
    assert!(text.contains("\"challenges/a/index.html\""), "{text}");
    assert!(!text.contains("Alfas text"), "{text}");
}

#[test]
fn a_repeat_build_with_nothing_changed_reads_no_output_file() {
    let site = site();
    // The third build writes into the first one's tree, and records it;
    // the fourth into the second's.
    for _ in 0..4 {
        site.build(&[]).success();
    }
    let files = files_only(site.build(&[]).success().tree()).len();
    let (build, trace) = site.build_traced(&[]);
    let build = build.success();
    assert!(
        build
            .stdout
            .contains(&format!("0 files written, {files} unchanged, 0 removed")),
        "{}",
        build.stdout
    );
    let (output, spare) = (site.output(), spare_of(&site));
    let opened: Vec<&str> = trace
        .touches
        .iter()
        // Opened for reading or writing, not listed as a folder; a look
        // for a file that is not there (an older version's manifest) fails
        // and reads nothing.
        .filter(|t| t.line.starts_with("open") && !t.line.contains("O_DIRECTORY"))
        .filter(|t| !t.line.contains(" = -1 "))
        .filter(|t| t.path.starts_with(&output) || t.path.starts_with(&spare))
        .map(|t| t.line.as_str())
        .collect();
    assert_eq!(opened, Vec::<&str>::new());
    // The trace did see the build: it opened its sources and the manifest.
    assert!(
        trace
            .touches
            .iter()
            .any(|t| t.path.ends_with("content/om.md"))
    );
    assert!(
        trace
            .touches
            .iter()
            .any(|t| t.path.ends_with(".public.utlys-manifest"))
    );
}

#[test]
fn a_file_edited_by_hand_in_the_published_tree_is_put_right() {
    let site = site();
    for _ in 0..3 {
        site.build(&[]).success();
    }
    let expected = files_only(site.build(&[]).success().tree());
    let page = site.output().join("challenges/a/index.html");
    let right = fs::read(&page).unwrap();
    // Other bytes of the same length, and a file removed by hand.
    let mut wrong = right.clone();
    let at = wrong.len() / 2;
    wrong[at] = if wrong[at] == b'x' { b'y' } else { b'x' };
    fs::write(&page, &wrong).unwrap();
    fs::remove_file(site.output().join("om/index.html")).unwrap();
    // The next build publishes its other tree; the one after writes into
    // the edited tree, and must notice both.
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
    let build = site.build(&[]).success();
    assert!(
        build.stdout.contains(&format!(
            "2 files written, {} unchanged, 0 removed",
            expected.len() - 2
        )),
        "{}",
        build.stdout
    );
    assert_eq!(files_only(build.tree()), expected);
}

/// Turns the trees beside `site`'s output into ones an older Utlys made:
/// a `.utlys-manifest` inside each, and none beside them.
fn make_old_style(site: &TestSite) {
    fs::remove_file(site.tmp().join("out/.public.utlys-manifest")).unwrap();
    for dir in [site.output(), spare_of(site)] {
        let files: Vec<String> = files_only(tree(&dir)).into_keys().collect();
        let old = serde_json::json!({"utlys_manifest": 1, "complete": true, "files": files});
        fs::write(dir.join(".utlys-manifest"), old.to_string()).unwrap();
    }
}

#[test]
fn trees_from_an_older_version_are_taken_over_and_their_manifest_removed() {
    let site = site();
    for _ in 0..2 {
        site.build(&[]).success();
    }
    let expected = files_only(site.build(&[]).success().tree());
    make_old_style(&site);
    // The first build writes into the old spare: its manifest goes.
    let first = files_only(site.build(&[]).success().tree());
    assert_eq!(first, expected);
    assert!(spare_of(&site).join(".utlys-manifest").exists());
    // The second writes into the tree that was published with it.
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
    for dir in [site.output(), spare_of(&site)] {
        assert!(!dir.join(".utlys-manifest").exists(), "{dir:?}");
    }
    // A stray file in an old tree is refused as before.
    make_old_style(&site);
    fs::write(site.output().join("notes.txt"), "mine").unwrap();
    site.build(&[])
        .failure()
        .stderr_has(&["notes.txt (not written by Utlys)"]);
    assert_eq!(
        fs::read_to_string(site.output().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_manifest_with_the_older_hash_keeps_its_trees_and_is_rewritten() {
    let site = site();
    for _ in 0..3 {
        site.build(&[]).success();
    }
    let expected = files_only(site.build(&[]).success().tree());
    let manifest = site.tmp().join("out/.public.utlys-manifest");
    // The manifest an earlier version wrote: format 2, whose hashes were
    // SipHash-1-3. Its lists still prove the trees are Utlys's own.
    let mut old: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(old["utlys_manifest"], 3);
    old["utlys_manifest"] = 2.into();
    for tree in old["trees"].as_array_mut().unwrap() {
        for file in tree["files"].as_array_mut().unwrap() {
            if let Some(digest) = file[1].get_mut("digest") {
                *digest = "0123456789abcdef0123456789abcdef".into();
            }
        }
    }
    fs::write(&manifest, old.to_string()).unwrap();
    // Nothing is refused; every file is compared once (the bytes are
    // right, so none is written) and the manifest is written anew.
    let build = site.build(&[]).success();
    assert!(
        build.stdout.contains(&format!(
            "0 files written, {} unchanged, 0 removed",
            expected.len()
        )),
        "{}",
        build.stdout
    );
    assert_eq!(files_only(build.tree()), expected);
    let now: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(now["utlys_manifest"], 3);
    assert!(!now.to_string().contains("0123456789abcdef"));
    // A stray file is still refused under the older manifest.
    fs::write(&manifest, old.to_string()).unwrap();
    fs::write(site.output().join("notes.txt"), "mine").unwrap();
    site.build(&[])
        .failure()
        .stderr_has(&["notes.txt (not written by Utlys)"]);
}

/// Replaces folder `dir` by a copy of itself: the same files, a new
/// identity, as a restore from a backup gives.
fn replace_by_copy(dir: &Path) {
    let copy = dir.with_extension("copy");
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(dir)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    fs::remove_dir_all(dir).unwrap();
    fs::rename(&copy, dir).unwrap();
}

#[test]
fn a_copied_tree_is_accepted_only_with_the_recorded_bytes() {
    let site = site();
    for _ in 0..3 {
        site.build(&[]).success();
    }
    let expected = files_only(site.build(&[]).success().tree());
    // A copy: no record names it, but every file is one a record lists.
    replace_by_copy(&site.output());
    replace_by_copy(&spare_of(&site));
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
    // A copy with a file changed is not Utlys's to overwrite.
    let page = site.output().join("challenges/a/index.html");
    fs::write(&page, "someone's page").unwrap();
    replace_by_copy(&site.output());
    let before = tree(site.tmp());
    site.build(&[])
        .failure()
        .stderr_has(&["index.html (not written by Utlys)"]);
    assert_eq!(tree(site.tmp()), before);
}

#[test]
fn a_broken_manifest_is_never_trusted() {
    let site = site();
    for _ in 0..3 {
        site.build(&[]).success();
    }
    let expected = files_only(site.build(&[]).success().tree());
    let manifest = site.tmp().join("out/.public.utlys-manifest");
    // Records that name other folders (here: another device) vouch for
    // nothing: each tree is checked file by file against their hashes, and
    // every output is compared with what is there.
    let text = fs::read_to_string(&manifest).unwrap();
    let other = text.replace("\"dev\":", "\"dev\":1");
    fs::write(&manifest, other).unwrap();
    replace_by_copy(&site.output());
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
    // A manifest that cannot be read proves nothing: trees with files are
    // refused, unchanged, and an empty start works.
    fs::write(&manifest, "{\"utlys_manifest\":2,\"tre").unwrap();
    let before = tree(site.tmp());
    site.build(&[])
        .failure()
        .stderr_has(&["holds files that Utlys did not make"]);
    assert_eq!(tree(site.tmp()), before);
    fs::remove_dir_all(site.output()).unwrap();
    fs::remove_dir_all(spare_of(&site)).unwrap();
    assert_eq!(files_only(site.build(&[]).success().tree()), expected);
}
