//! Hostile and broken input: sites built to break the generator, each fed to
//! the real binary, with the exact outcome asserted. Tests of paths run the
//! build under strace and check that nothing outside the site root and the
//! output folder is opened or changed. Regression tests for bugs found here
//! and by the fuzzers (docs/robustness.md) are named after the bug.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{NOW, TestSite, assert_same_tree, challenge, names_in, open_challenge, tree};

/// Builds under strace; panics unless the build stayed inside the site and
/// its output.
#[track_caller]
fn traced(site: &TestSite) -> crate::util::Build {
    let (build, trace) = site.build_traced(&[]);
    site.assert_confined(&trace);
    // The trace must have seen the build read its own site, or the check
    // above passed on an empty or misread trace.
    assert!(
        trace
            .touches
            .iter()
            .any(|t| t.path == site.root().join("site.toml")),
        "strace recorded no read of site.toml; the confinement check proves nothing"
    );
    build
}

/// A file outside the site (beside it in the temporary folder) with
/// `contents`; the tests check these bytes never reach the output.
fn outside(site: &TestSite, name: &str, contents: &str) -> PathBuf {
    let dir = site.tmp().join("outside");
    fs::create_dir_all(&dir).expect("create the outside folder");
    let path = dir.join(name);
    fs::write(&path, contents).expect("write the outside file");
    path
}

// --- Paths that try to leave the site ---

#[test]
fn slug_with_dot_dot_stays_inside_the_output() {
    let site = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "slug: ../../x\n"),
        )
        .file("content/challenges/b.md", open_challenge("B", "slug: ..\n"));
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            // The second line repeats the first's cause; both name the file.
            "error: content/challenges/b.md:1:1: `challenges/b.md` gives an empty web address part",
            "error: content/challenges/b.md:7:7: `slug`: `..` has no letters or digits",
        ],
        "{}",
        build.stderr
    );
    site.remove("content/challenges/b.md");
    let build = traced(&site).success();
    assert!(
        build.stderr.contains(
            "warning: content/challenges/a.md:7:7: `slug`: the slug `../../x` is used as `x`"
        ),
        "{}",
        build.stderr
    );
    assert!(build.exists("challenges/x/index.html"));
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [
            ".public.utlys-history",
            ".public.utlys-lock",
            ".public.utlys-manifest",
            "public"
        ]
    );
}

#[test]
fn document_paths_out_of_the_folder_are_errors() {
    let site = TestSite::new()
        .file(
            "content/challenges/k/index.md",
            open_challenge(
                "K",
                "documents:\n  - title: Upp\n    file: ../x.pdf\n  - title: Absolut\n    file: /etc/passwd\n  - title: Windows\n    file: C:\\x.pdf\n  - title: Nätverk\n    file: \\\\server\\share\\x.pdf\n",
            ),
        )
        // `../x.pdf` names a real file, so only the path rule can refuse it.
        .file("content/challenges/x.pdf", "%PDF-granne");
    let build = traced(&site).failure();
    let rule = "is not a file name inside the challenge's folder";
    assert_eq!(
        build.error_lines(),
        [
            format!(
                "error: content/challenges/k/index.md:9:11: `documents.file`: `../x.pdf` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:11:11: `documents.file`: `/etc/passwd` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:13:11: `documents.file`: `C:\\x.pdf` {rule}"
            ),
            format!(
                "error: content/challenges/k/index.md:15:11: `documents.file`: `\\\\server\\share\\x.pdf` {rule}"
            ),
        ],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

#[test]
fn symlinks_to_files_outside_the_site_are_errors_and_never_read() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let page = outside(&site, "hemlig.md", &open_challenge("HEMLIG-SIDA-7f3a", ""));
    let pdf = outside(&site, "hemlig.pdf", "HEMLIG-PDF-7f3a");
    symlink(&page, site.root().join("content/challenges/lank.md")).expect("symlink");
    symlink(&pdf, site.root().join("content/bilaga.pdf")).expect("symlink");
    // A relative link that climbs out works the same way.
    symlink(
        "../../../outside/hemlig.pdf",
        site.root().join("content/challenges/rel.pdf"),
    )
    .expect("symlink");
    let build = traced(&site).failure();
    let rule = "the symbolic link points outside the site";
    assert_eq!(
        build.error_lines(),
        [
            format!("error: content/bilaga.pdf: {rule}"),
            format!("error: content/challenges/lank.md: {rule}"),
            format!("error: content/challenges/rel.pdf: {rule}"),
        ],
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("7f3a") && !build.stdout.contains("7f3a"));
    assert!(!site.output().exists());
}

#[test]
fn a_page_over_the_size_limit_is_refused_unread_also_through_a_link() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    // Sparse: 100 MiB and one byte, with no disk space used.
    let huge = site.root().join("content/stor.md");
    fs::File::create(&huge)
        .and_then(|f| f.set_len(100 * 1024 * 1024 + 1))
        .expect("a sparse file");
    // A small link to it is measured by what it points to.
    symlink("stor.md", site.root().join("content/lank.md")).expect("symlink");
    let build = traced(&site).failure();
    let message = "the file is 101 MB; pages may be at most 100 MB";
    assert_eq!(
        build.error_lines(),
        [
            format!("error: content/lank.md: {message}"),
            format!("error: content/stor.md: {message}"),
        ],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

/// Regression: with `content` itself a link to a folder elsewhere, the
/// error was reported but WalkDir still followed the link and read every
/// file in that folder.
#[test]
fn content_folder_linked_outside_the_site_is_not_read() {
    let site = TestSite::new();
    fs::remove_dir(site.root().join("content")).expect("remove content/");
    let elsewhere = site.tmp().join("outside/content");
    fs::create_dir_all(elsewhere.join("challenges")).expect("create the folder");
    fs::write(elsewhere.join("om.md"), "---\ntitle: HEMLIG-7f3a\n---\n").expect("write");
    fs::write(elsewhere.join("passwd"), "root:x:0:0-7f3a").expect("write");
    symlink(&elsewhere, site.root().join("content")).expect("symlink");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        ["error: content: the symbolic link points outside the site"],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
}

#[test]
fn symlink_loops_end_with_a_clear_error() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    // A folder link to its own parent, and a link to itself.
    symlink("..", site.root().join("content/challenges/loop")).expect("symlink");
    symlink("self", site.root().join("content/self")).expect("symlink");
    let started = Instant::now();
    let build = site
        .build_within(Duration::from_secs(60))
        .expect("the build hung on a symlink loop")
        .failure();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/loop: a symbolic link to a folder is not followed",
            "error: content/self: the symbolic link cannot be followed: Too many levels of symbolic links (os error 40)",
        ],
        "{}",
        build.stderr
    );
    traced(&site).failure();
}

// --- The output side: links, and folders Utlys did not make ---

/// [`traced`] with more arguments, such as another `--output`.
#[track_caller]
fn traced_with(site: &TestSite, args: &[&str]) -> crate::util::Build {
    let (build, trace) = site.build_traced(args);
    site.assert_confined(&trace);
    build
}

/// A folder of someone's files outside the site, with a file in a
/// subfolder; the tests check that a build leaves it exactly as it was.
fn precious(site: &TestSite, name: &str) -> PathBuf {
    let dir = site.tmp().join(name);
    fs::create_dir_all(dir.join("sub")).expect("create the folder");
    fs::write(dir.join(".htaccess"), "Require all granted\n").expect("write a file");
    fs::write(dir.join("index.html"), "<p>the web root's own page</p>").expect("write a file");
    fs::write(dir.join("sub/thesis.docx"), "years of work").expect("write a file");
    dir
}

/// A small site that builds.
fn plain_site() -> TestSite {
    TestSite::new().file("content/challenges/a.md", open_challenge("A", ""))
}

#[test]
fn spare_folder_as_a_link_is_refused_and_nothing_is_touched() {
    let site = plain_site();
    let spare = site.tmp().join("out/.public.utlys-spare");
    fs::create_dir_all(spare.parent().expect("a parent")).expect("create out/");
    // Before any build, and after two (when a real spare would exist).
    for built_before in [0, 2] {
        for _ in 0..built_before {
            site.build(&[]).success();
        }
        if spare.exists() && !spare.is_symlink() {
            fs::remove_dir_all(&spare).expect("remove the real spare");
        }
        let _ = fs::remove_file(&spare);
        // The worst case: a link to the site's own folder.
        symlink(site.root(), &spare).expect("link the spare to the site");
        let root_before = tree(&site.root());
        let output_before = tree(&site.output());
        let build = traced(&site).failure();
        assert!(
            build.stderr.contains(&format!(
                "the spare folder {} is a symbolic link (to {})",
                spare.display(),
                site.root().display()
            )),
            "{}",
            build.stderr
        );
        assert_same_tree(&tree(&site.root()), &root_before);
        assert_same_tree(&tree(&site.output()), &output_before);
        assert!(spare.is_symlink(), "the link itself was removed");
        // Not even the lock file was made while the spare is a link.
        if built_before == 0 {
            assert!(!site.tmp().join("out/.public.utlys-lock").exists());
        }
        fs::remove_file(&spare).expect("remove the link");
    }
    // With the link gone, the build publishes again.
    traced(&site).success();
}

#[test]
fn lock_file_as_a_link_is_refused_and_its_target_untouched() {
    let site = plain_site();
    let lock = site.tmp().join("out/.public.utlys-lock");
    fs::create_dir_all(lock.parent().expect("a parent")).expect("create out/");
    let target = outside(&site, "passwords.txt", "do not truncate\n");
    let missing = site.tmp().join("outside/created-through-a-link");
    for to in [&target, &missing] {
        let _ = fs::remove_file(&lock);
        symlink(to, &lock).expect("link the lock");
        let build = traced(&site).failure();
        assert!(
            build.stderr.contains(&format!(
                "the lock file {} is a symbolic link",
                lock.display()
            )),
            "{}",
            build.stderr
        );
        assert!(!site.output().exists());
    }
    assert_eq!(fs::read_to_string(&target).unwrap(), "do not truncate\n");
    assert!(
        !missing.exists(),
        "a file was made through the dangling link"
    );
}

#[test]
fn output_folder_as_a_link_to_a_web_root_is_refused_and_the_web_root_untouched() {
    let site = plain_site();
    let web_root = precious(&site, "www");
    let before = tree(&web_root);
    let public = site.output();
    fs::create_dir_all(public.parent().expect("a parent")).expect("create out/");
    symlink(&web_root, &public).expect("link public to the web root");
    for _ in 0..2 {
        // Refused before the site is read.
        let build = traced_with(&site, &[]).failure();
        assert!(
            build.stderr.contains(&format!(
                "the output folder {} is a symbolic link (to {})",
                public.display(),
                web_root.display()
            )) && build
                .stderr
                .contains("make that folder a link to the output instead"),
            "{}",
            build.stderr
        );
        assert_same_tree(&tree(&web_root), &before);
        assert!(public.is_symlink());
    }
    // The documented way round: the web root is a link to the output,
    // and every build is seen through it at once.
    fs::remove_file(&public).expect("remove the link");
    let served = site.tmp().join("served");
    symlink(&public, &served).expect("link the web root to public");
    for title in ["Första", "Andra", "Tredje"] {
        site.write("content/challenges/a.md", open_challenge(title, ""));
        traced(&site).success();
        let page = fs::read_to_string(served.join("challenges/a/index.html"))
            .expect("read the page through the web root");
        assert!(page.contains(title), "{title} not served");
    }
}

#[test]
fn output_under_a_link_inside_the_site_is_refused() {
    let site = plain_site();
    let elsewhere = precious(&site, "elsewhere");
    let before = tree(&elsewhere);
    symlink(&elsewhere, site.root().join("build")).expect("link build/ out of the site");
    let output = site.root().join("build/public");
    let output_arg = output.display().to_string();
    let build = traced_with(&site, &["--output", &output_arg]).failure();
    assert!(
        build.stderr.contains(&format!(
            "the output folder {} is inside the site, but a symbolic link on its way leads to {}",
            output.display(),
            elsewhere.join("public").display()
        )),
        "{}",
        build.stderr
    );
    assert_same_tree(&tree(&elsewhere), &before);
}

#[test]
fn output_at_a_folder_of_someones_files_is_refused_on_every_build() {
    let site = plain_site();
    let documents = precious(&site, "documents");
    let before = tree(&documents);
    let arg = documents.display().to_string();
    // Once moved them aside, twice deleted them.
    for _ in 0..3 {
        let build = traced_with(&site, &["--output", &arg]).failure();
        assert!(
            build.stderr.contains(&format!(
                "the output folder {} holds files that Utlys did not make (the manifest beside it has no record of it)",
                documents.display()
            )),
            "{}",
            build.stderr
        );
        assert_same_tree(&tree(&documents), &before);
        assert!(!site.tmp().join(".documents.utlys-spare").exists());
    }
    // An empty folder is fine, and is Utlys's from then on.
    let empty = site.tmp().join("empty");
    fs::create_dir(&empty).expect("create an empty folder");
    let arg = empty.display().to_string();
    traced_with(&site, &["--output", &arg]).success();
    traced_with(&site, &["--output", &arg]).success();
    assert!(empty.join("challenges/a/index.html").is_file());
}

#[test]
fn files_and_links_put_into_the_published_folder_are_never_removed() {
    let site = plain_site();
    site.build(&[]).success();
    site.build(&[]).success();
    let public = site.output();
    fs::write(
        public.join(".htaccess"),
        "Header set X-Frame-Options DENY\n",
    )
    .unwrap();
    fs::write(public.join("challenges/notes.txt"), "mine").unwrap();
    let elsewhere = precious(&site, "elsewhere");
    symlink(&elsewhere, public.join("challenges/a/files")).unwrap();
    let before = tree(&elsewhere);
    // Twice: the second build is where the swapped-out tree was emptied.
    for _ in 0..2 {
        let build = traced(&site).failure();
        for named in [
            format!(
                "{} (not written by Utlys)",
                public.join(".htaccess").display()
            ),
            format!(
                "{} (not written by Utlys)",
                public.join("challenges/notes.txt").display()
            ),
            format!(
                "{} (a symbolic link to {})",
                public.join("challenges/a/files").display(),
                elsewhere.display()
            ),
        ] {
            assert!(build.stderr.contains(&named), "{named}\n{}", build.stderr);
        }
        assert_eq!(
            fs::read_to_string(public.join(".htaccess")).unwrap(),
            "Header set X-Frame-Options DENY\n"
        );
        assert_eq!(
            fs::read_to_string(public.join("challenges/notes.txt")).unwrap(),
            "mine"
        );
        assert_same_tree(&tree(&elsewhere), &before);
    }
}

#[test]
fn a_link_or_stray_file_in_the_spare_is_refused_before_anything_is_written() {
    let site = plain_site();
    site.build(&[]).success();
    site.build(&[]).success();
    let spare = site.tmp().join("out/.public.utlys-spare");
    // Writing challenges/a/index.html into the spare would land in the
    // site's own content/ through this link.
    fs::remove_dir_all(spare.join("challenges")).unwrap();
    symlink(site.root().join("content"), spare.join("challenges")).unwrap();
    let content_before = tree(&site.root().join("content"));
    let build = traced(&site).failure();
    assert!(
        build.stderr.contains(&format!(
            "the spare folder {} holds what Utlys did not make: {} (a symbolic link to {})",
            spare.display(),
            spare.join("challenges").display(),
            site.root().join("content").display()
        )),
        "{}",
        build.stderr
    );
    assert_same_tree(&tree(&site.root().join("content")), &content_before);
    fs::remove_file(spare.join("challenges")).unwrap();

    // A file of someone's in the spare, and the spare itself as a file.
    fs::write(spare.join("draft.docx"), "mine").unwrap();
    traced(&site)
        .failure()
        .stderr_has(&["draft.docx (not written by Utlys)"]);
    assert_eq!(
        fs::read_to_string(spare.join("draft.docx")).unwrap(),
        "mine"
    );
    fs::remove_dir_all(&spare).unwrap();
    fs::write(&spare, "a file by that name").unwrap();
    traced(&site)
        .failure()
        .stderr_has(&["exists and is not a folder"]);
    assert_eq!(fs::read_to_string(&spare).unwrap(), "a file by that name");
    fs::remove_file(&spare).unwrap();
    traced(&site).success();
}

// --- Only the site is published ---

/// Every name in `tree` whose path has a part starting with `.`. A build
/// writes none: its manifest is kept beside the output, never in it.
fn hidden_paths(tree: &BTreeMap<String, Vec<u8>>) -> Vec<&String> {
    tree.keys()
        .filter(|p| p.split('/').any(|part| part.starts_with('.')))
        .collect()
}

/// Regression: `static/` and `themes/<name>/` were walked without the
/// rule of `content/`: a link in them to a file elsewhere was skipped
/// without a word, and a linked folder was read wherever it pointed.
#[test]
fn static_and_theme_files_linked_out_of_the_site_are_errors_and_never_read() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let secret = outside(&site, "hemlig.txt", "HEMLIG-7f3a");
    for link in [
        "themes/default/templates/page.html",
        "themes/default/static/extra.css",
    ] {
        fs::create_dir_all(site.root().join(link).parent().expect("a parent")).expect("mkdir");
        symlink(&secret, site.root().join(link)).expect("symlink");
    }
    let build = traced(&site).failure();
    let rule = "the symbolic link points outside the site";
    assert_eq!(
        build.error_lines(),
        [
            format!("error: themes/default/static/extra.css: {rule}"),
            format!("error: themes/default/templates/page.html: {rule}"),
        ],
        "{}",
        build.stderr
    );
    fs::remove_dir_all(site.root().join("themes")).expect("remove themes/");
    fs::create_dir_all(site.root().join("static/bilder")).expect("mkdir");
    symlink(&secret, site.root().join("static/a.txt")).expect("symlink");
    symlink(
        "../../../outside/hemlig.txt",
        site.root().join("static/bilder/rel.txt"),
    )
    .expect("symlink");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            format!("error: static/a.txt: {rule}"),
            format!("error: static/bilder/rel.txt: {rule}"),
        ],
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("7f3a") && !build.stdout.contains("7f3a"));
    assert!(!site.output().exists());
    // The settings themselves are read by the same rule.
    fs::remove_dir_all(site.root().join("static")).expect("remove static/");
    let settings = outside(&site, "site.toml", crate::util::SITE_TOML);
    site.remove("site.toml");
    symlink(&settings, site.root().join("site.toml")).expect("symlink");
    // Not `traced`: the settings are refused unread, so no read of them
    // is in the trace.
    let (build, trace) = site.build_traced(&[]);
    site.assert_confined(&trace);
    let build = build.failure();
    assert_eq!(
        build.error_lines(),
        [format!("error: site.toml: {rule}")],
        "{}",
        build.stderr
    );
}

/// Regression: `static`, `themes` or `themes/<name>` linked to a folder
/// elsewhere was walked and every file in it read (and `static/`'s
/// published).
#[test]
fn static_and_theme_folders_linked_out_of_the_site_are_not_read() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let elsewhere = site.tmp().join("outside/mapp");
    fs::create_dir_all(elsewhere.join("default/templates")).expect("mkdir");
    fs::write(elsewhere.join("passwd"), "root:x:0:0-7f3a").expect("write");
    fs::write(elsewhere.join("default/templates/page.html"), "HEMLIG-7f3a").expect("write");
    for (link, target) in [
        ("static", elsewhere.clone()),
        ("themes/default", elsewhere.join("default")),
        ("themes", elsewhere.clone()),
    ] {
        if link.starts_with("themes/") {
            fs::create_dir_all(site.root().join("themes")).expect("mkdir");
        }
        symlink(&target, site.root().join(link)).expect("symlink");
        let build = traced(&site).failure();
        assert_eq!(
            build.error_lines(),
            [format!(
                "error: {link}: the symbolic link points outside the site"
            )],
            "{}",
            build.stderr
        );
        assert!(!build.stderr.contains("7f3a"), "{}", build.stderr);
        assert!(!site.output().exists());
        site.remove(link);
        if link.starts_with("themes/") {
            fs::remove_dir(site.root().join("themes")).expect("remove themes/");
        }
    }
}

#[test]
fn links_to_hidden_files_inside_the_site_are_errors() {
    let site = TestSite::new()
        .file("content/challenges/ok.md", open_challenge("Ok", ""))
        .file(".env", "LOSENORD=7f3a")
        .file(".git/config", "[remote] url = 7f3a");
    symlink("../.env", site.root().join("content/x.txt")).expect("symlink");
    let build = traced(&site).failure();
    let hidden = "which is hidden; hidden files and folders are never published";
    assert_eq!(
        build.error_lines(),
        [format!(
            "error: content/x.txt: the symbolic link points to `.env`, {hidden}"
        )],
        "{}",
        build.stderr
    );
    site.remove("content/x.txt");
    site.write("static/.keep", "");
    symlink("../.git/config", site.root().join("static/config.txt")).expect("symlink");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [format!(
            "error: static/config.txt: the symbolic link points to `.git/config`, {hidden}"
        )],
        "{}",
        build.stderr
    );
    site.remove("static/config.txt");
    site.write("themes/default/static/.keep", "");
    symlink(
        "../../../.env",
        site.root().join("themes/default/static/env.css"),
    )
    .expect("symlink");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [format!(
            "error: themes/default/static/env.css: the symbolic link points to `.env`, {hidden}"
        )],
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("7f3a"));
    assert!(!site.output().exists());
    // A link to a file of the site that is not meant to be published (the
    // settings) is not followed, with a warning.
    site.remove("themes/default/static/env.css");
    symlink("../site.toml", site.root().join("static/settings.txt")).expect("symlink");
    let build = traced(&site).success();
    assert!(
        build.stderr.contains(
            "warning: static/settings.txt: the symbolic link points to `site.toml`, which is not in content/, static/ or themes/; it is not published"
        ),
        "{}",
        build.stderr
    );
    assert!(!build.exists("settings.txt"));
    site.remove("static/settings.txt");
    symlink(
        "../../../site.toml",
        site.root().join("themes/default/static/settings.css"),
    )
    .expect("symlink");
    let build = traced(&site).success();
    assert!(
        build.stderr.contains(
            "warning: themes/default/static/settings.css: the symbolic link points to `site.toml`, which is not in content/, static/ or themes/; it is not published"
        ),
        "{}",
        build.stderr
    );
    assert!(!build.exists("static/settings.css"));
}

#[test]
fn hidden_files_and_folders_are_never_published() {
    let site = TestSite::new()
        .file(
            "content/challenges/k/index.md",
            open_challenge(
                "K",
                "documents:\n  - title: Hemlig\n    file: .utkast/svar.pdf\n",
            ),
        )
        .file("content/challenges/k/.utkast/svar.pdf", "%PDF-7f3a")
        .file("content/.env", "7f3a")
        .file("static/.env", "7f3a")
        .file("static/.git/config", "7f3a")
        .file("static/logo.txt", "logga")
        .file("themes/default/static/.htpasswd", "7f3a")
        .file("themes/default/.git/HEAD", "7f3a");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/k/index.md:9:11: `documents.file`: `.utkast/svar.pdf` is hidden (a part of its path starts with `.`); hidden files are never published"
        ],
        "{}",
        build.stderr
    );
    site.write("content/challenges/k/index.md", open_challenge("K", ""));
    let build = traced(&site).success();
    let published = build.tree();
    assert!(published.contains_key("logo.txt"));
    assert!(
        published
            .keys()
            .any(|p| p.starts_with("static/style.") && p.ends_with(".css"))
    );
    assert_eq!(hidden_paths(&published), Vec::<&String>::new());
    assert!(
        published
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("7f3a")),
        "a hidden file's bytes were published"
    );
}

/// Regression: an HTML, SVG or script file beside a page, or listed as a
/// document, was published and ran with the portal's origin.
#[test]
fn files_a_browser_would_run_are_refused_beside_pages_and_as_documents() {
    let site = TestSite::new()
        .file(
            "content/challenges/k/index.md",
            open_challenge(
                "K",
                "documents:\n  - title: Karta\n    file: karta.svg\n  - title: Frågor\n    file: fragor.pdf\n",
            ),
        )
        .file("content/challenges/k/karta.svg", "<svg onload='alert(1)'/>")
        .file("content/challenges/k/fragor.pdf", "%PDF-1.4")
        .file("content/challenges/k/sida.HTML", "<script>alert(1)</script>")
        .file("content/challenges/k/bild.php.png", "<?php ?>")
        .file("content/om.md", "---\ntitle: Om\n---\n")
        .file("content/om/skript.mjs", "alert(1)")
        .file("content/om/flode.xml", "<x/>")
        // The site's own static files are where scripts belong.
        .file("static/app.js", "console.log(1)")
        .file("static/ikon.svg", "<svg/>");
    let build = traced(&site).failure();
    let runs = "a browser would run it as part of the portal, so it is not published";
    assert_eq!(
        build.error_lines(),
        [
            format!(
                "error: content/challenges/k/bild.php.png: `bild.php.png` is a PHP program (`.php`); {runs}"
            ),
            format!(
                "error: content/challenges/k/index.md:9:11: `documents.file`: `karta.svg` is an SVG image, which may hold script (`.svg`); {runs}"
            ),
            format!(
                "error: content/challenges/k/sida.HTML: `sida.HTML` is a web page (`.html`); {runs}"
            ),
            format!(
                "error: content/om/flode.xml: `flode.xml` is an XML document, which may hold script (`.xml`); {runs}"
            ),
            format!(
                "error: content/om/skript.mjs: `skript.mjs` is a JavaScript module (`.mjs`); {runs}"
            ),
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains(
        "= hint: publish it as PDF (or as PNG, JPEG or plain text) instead; to publish `.svg` files anyway, see `allow_active_files` in site.toml"
    ));
    assert!(!site.output().exists());
    // A type the site allows is published; the others are still refused.
    site.write(
        "site.toml",
        format!("{}allow_active_files = [\"svg\"]\n", crate::util::SITE_TOML),
    );
    for refused in [
        "content/challenges/k/sida.HTML",
        "content/challenges/k/bild.php.png",
        "content/om/skript.mjs",
    ] {
        site.remove(refused);
    }
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [format!(
            "error: content/om/flode.xml: `flode.xml` is an XML document, which may hold script (`.xml`); {runs}"
        )],
        "{}",
        build.stderr
    );
    site.remove("content/om/flode.xml");
    let build = traced(&site).success();
    assert!(build.exists("challenges/k/karta.svg"));
    assert!(build.exists("challenges/k/fragor.pdf"));
    assert!(build.exists("app.js") && build.exists("ikon.svg"));
    // Only types that run can be listed.
    site.write(
        "site.toml",
        format!("{}allow_active_files = [\"pdf\"]\n", crate::util::SITE_TOML),
    );
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: site.toml:3:23: `allow_active_files`: `pdf` is not a file type that runs in the browser"
        ],
        "{}",
        build.stderr
    );
}

// --- Paths the build writes itself ---

/// Regression: a page or file of the site at a path the build writes
/// itself either replaced it without a word (`content/api.md` inside the
/// open data's folder, `content/en/…` among the English pages; in `serve`
/// every such file) or failed with a message naming only the output.
#[test]
fn content_over_generated_paths_is_an_error_naming_both() {
    let page = |title: &str, extra: &str| format!("---\ntitle: {title}\n{extra}---\n");
    let site = TestSite::new()
        .file(
            "site.toml",
            format!("{}languages = [\"sv\", \"en\"]\n", crate::util::SITE_TOML),
        )
        .file(
            "content/challenges/k/index.md",
            open_challenge("K", "tags:\n  - klimat\n"),
        )
        .file("content/challenges/k/calendar.ics", "BEGIN:VCALENDAR")
        .file("content/api.md", page("API", ""))
        .file("content/api/x.md", page("X", ""))
        .file("content/tags/_index.md", page("Taggar", ""))
        .file("content/robots.txt", "User-agent: *")
        .file("content/search-index.json", "[]")
        .file("content/b.md", page("B", "slug: categories\n"))
        .file("content/c.md", page("C", "slug: atom.xml\n"))
        .file("content/en/ny.md", page("Ny", ""))
        .file("content/tags.en.md", page("Tags", ""));
    let build = traced(&site).failure();
    let writes = "which the build writes itself:";
    let api = "which the build writes itself: the open data (api/challenges.json, api/challenges.csv, api/ocds.json, api/ocds-records.json)";
    assert_eq!(
        build.error_lines(),
        [
            "error: content/api/x.md: it would be published as /api/x/, inside /api/, which the build fills itself with the open data (api/challenges.json, api/challenges.csv, api/ocds.json, api/ocds-records.json)".to_string(),
            format!("error: content/api.md: it would be published as /api/, {api}"),
            format!("error: content/b.md:3:7: `slug`: it would be published as /categories/, {writes} the category pages"),
            format!(
                "error: content/challenges/k/calendar.ics: it would be published as /challenges/k/calendar.ics, {writes} the challenge's calendar"
            ),
            "error: content/en/ny.md: it would be published as /en/ny/, inside /en/, which the build fills itself with the pages in the `en` language".to_string(),
            format!("error: content/robots.txt: it would be published as /robots.txt, {writes} the instructions for search engines"),
            format!("error: content/search-index.json: it would be published as /search-index.json, {writes} the search index"),
            format!("error: content/tags/_index.md: it would be published as /tags/, {writes} the tag pages"),
            format!("error: content/tags.en.md: it would be published as /en/tags/, {writes} the tag pages"),
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains(
        "= hint: rename the file or its folder, or set a `slug` for the page; a translation is a file beside its original named like `om.en.md`"
    ));
    assert!(!site.output().exists());
    // `slug: atom.xml` is made `atom-xml`, which the build does not use.
    for path in [
        "content/challenges/k/calendar.ics",
        "content/api.md",
        "content/api/x.md",
        "content/tags/_index.md",
        "content/robots.txt",
        "content/search-index.json",
        "content/b.md",
        "content/en/ny.md",
        "content/tags.en.md",
    ] {
        site.remove(path);
    }
    // Files of static/ are published at the output root.
    let site = site
        .file("static/atom.xml", "<feed/>")
        .file("static/en/404.html", "x")
        .file("static/static/style.css", "x")
        .file("static/sitemap-2.xml", "x")
        .file("static/api", "x")
        .file("static/favicon.ico", "ikon");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: static/api: it would be published as /api, in the way of /api/, which the build writes itself: the open data (api/challenges.json, api/challenges.csv, api/ocds.json, api/ocds-records.json)".to_string(),
            format!("error: static/atom.xml: it would be published as /atom.xml, {writes} the Atom feed"),
            format!("error: static/en/404.html: it would be published as /en/404.html, {writes} the page shown for an address that does not exist"),
            "error: static/sitemap-2.xml: it would be published as /sitemap-2.xml, a name the build gives to the parts of a large sitemap (/sitemap-N.xml)".to_string(),
            "error: static/static/style.css: it would be published as /static/style.css, inside /static/, which the build fills itself with the theme's files (style sheet, script, icon)".to_string(),
        ],
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());
    for path in [
        "static/atom.xml",
        "static/en/404.html",
        "static/static/style.css",
        "static/sitemap-2.xml",
        "static/api",
    ] {
        site.remove(path);
    }
    let build = traced(&site).success();
    assert!(build.read("atom.xml").contains("<feed"));
    assert!(build.exists("atom-xml/index.html") && build.exists("favicon.ico"));
}

// --- Encodings ---

/// Regression: the error showed a Latin-1 file name with `�`, which cannot
/// be typed and hides which byte is wrong.
#[test]
fn non_utf8_file_name_is_an_error_naming_it() {
    let site = TestSite::new().file("content/challenges/ok.md", open_challenge("Ok", ""));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    fs::write(
        site.root().join("content/challenges").join(name),
        open_challenge("Kaffe", ""),
    )
    .expect("write a Latin-1 file name");
    let build = traced(&site).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/caf\u{fffd}.md: the file name is not valid UTF-8: content/challenges/caf\\xE9.md"
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn non_utf8_file_is_an_error_at_the_first_bad_byte() {
    let mut latin1 = b"---\ntitle: Om oss\nsummary: Caf".to_vec();
    latin1.extend(b"\xe9 och te\n---\nText\n");
    let build = TestSite::new()
        .file("content/om.md", latin1)
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        ["error: content/om.md:3:13: the file is not valid UTF-8"],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("= hint: save it as UTF-8"));
}

#[test]
fn bom_and_crlf_build_in_yaml_and_toml() {
    let windows = |text: &str| {
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        bytes
    };
    let build = TestSite::new()
        .file(
            "content/challenges/y.md",
            windows(&challenge("Åtgärd YAML", "")),
        )
        .file(
            "content/challenges/t.md",
            windows(
                "+++\ntitle = \"Åtgärd TOML\"\nsummary = \"S.\"\nbuyer = \"B\"\nstage = \"need\"\npublished = 2023-06-15\n+++\nRad ett\nrad två\n",
            ),
        )
        .build(&[])
        .success();
    for (path, title) in [
        ("challenges/y/index.html", "Åtgärd YAML"),
        ("challenges/t/index.html", "Åtgärd TOML"),
    ] {
        let page = build.read(path);
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(!page.contains('\r') && !page.contains('\u{feff}'), "{path}");
    }
}

// --- Size and depth ---

/// Runs the built binary and returns its exit status, stderr and peak
/// resident memory in bytes (from `wait4`, for this child alone).
// The child is reaped by `wait4`, which `Child::wait` cannot replace: only it
// reports the peak memory of this one child.
#[allow(clippy::zombie_processes)]
fn run_measured(site: &TestSite) -> (std::process::ExitStatus, String, u64) {
    let stderr_path = site.tmp().join("stderr.txt");
    let child = Command::new(env!("CARGO_BIN_EXE_utlys"))
        .env("LC_ALL", "en_US.UTF-8")
        .args(["build", "--allow-example-url", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.output())
        .args(["--now", NOW])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_path).expect("create the stderr file"))
        .spawn()
        .expect("spawn utlys");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    let status = std::process::ExitStatus::from_raw(status);
    let stderr = fs::read_to_string(&stderr_path).expect("read stderr");
    // Linux reports ru_maxrss in kibibytes.
    let peak = u64::try_from(usage.ru_maxrss).expect("a size") * 1024;
    (status, stderr, peak)
}

#[test]
fn a_50_mb_page_builds_within_20_times_its_size_in_memory() {
    let paragraph = "Staden köper varor och tjänster för **3,4 miljarder kronor** om året, vilket ger \
                     ungefär 115 000 ton koldioxid. Läs mer på [stadens webbplats](https://example.se/klimat) \
                     och i `rapporten`.\n\n";
    let mut text = String::from("---\ntitle: Stor sida\n---\n");
    let mut n = 0;
    while text.len() < 50_000_000 {
        // A repeated heading: 20,000 identical ids to number.
        if n % 50 == 0 {
            text.push_str("## Avsnitt\n\n");
        }
        text.push_str(paragraph);
        n += 1;
    }
    let size = text.len() as u64;
    let site = TestSite::new().file("content/stor.md", &text);
    drop(text);
    let started = Instant::now();
    let (status, stderr, peak) = run_measured(&site);
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(
        peak < 20 * size,
        "peak RSS {} MB for a {} MB page",
        peak >> 20,
        size >> 20
    );
    eprintln!(
        "50 MB page: peak RSS {} MB ({:.1}× the file), {:?}",
        peak >> 20,
        peak as f64 / size as f64,
        started.elapsed()
    );
    let page = fs::read_to_string(site.output().join("stor/index.html")).expect("the page");
    assert!(page.contains("<h2 id=\"avsnitt-1\">Avsnitt</h2>"));
}

/// Each input once as its own page; the build must end normally (never by
/// a signal such as a stack overflow's SIGSEGV/SIGABRT) within a minute.
#[test]
fn deep_nesting_never_crashes_the_build() {
    let cases: [(&str, String); 6] = [
        ("blockquotes", format!("{} djup\n", ">".repeat(10_000))),
        ("list-items", format!("{}djup\n", "- ".repeat(10_000))),
        ("ordered-items", format!("{}djup\n", "1. ".repeat(10_000))),
        (
            "indented-items",
            (0..10_000)
                .map(|i| format!("{}- djup {i}\n", " ".repeat((i % 200) * 2)))
                .collect(),
        ),
        (
            "html-divs",
            format!(
                "{}djup{}\n",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            ),
        ),
        (
            "brackets-and-emphasis",
            format!(
                "{}djup{} {}djup{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000),
                "*".repeat(10_000),
                "*".repeat(10_000)
            ),
        ),
    ];
    for (name, body) in cases {
        let site =
            TestSite::new().file("content/djup.md", format!("---\ntitle: Djup\n---\n{body}"));
        let build = site
            .build_within(Duration::from_secs(120))
            .unwrap_or_else(|| panic!("{name}: the build hung"));
        assert_eq!(
            build.status.signal(),
            None,
            "{name}: killed by a signal\n{}",
            build.stderr
        );
        if name == "html-divs" {
            // Raw HTML is cleaned, and cleaning is refused past a depth.
            assert_eq!(
                build.error_lines(),
                [
                    "error: content/djup.md:4:1: the page's HTML nests more than 256 elements inside each other"
                ],
                "{}",
                build.stderr
            );
            continue;
        }
        assert!(build.status.success(), "{name}: {}", build.stderr);
        let page = build.read("djup/index.html");
        assert!(page.contains("djup"), "{name}");
    }
}

#[test]
fn a_1_mb_front_matter_builds() {
    // 4,000 questions and answers: about 1 MB of YAML.
    let mut extra = String::from("questions:\n");
    for i in 0..4_000 {
        extra.push_str(&format!(
            "  - question: Fråga nummer {i} om hur leverantörer får svara på utmaningen?\n    answer: {}\n    date: 2023-07-01\n",
            "Svar som förklarar hur det går till. ".repeat(4)
        ));
    }
    assert!(extra.len() > 1_000_000, "{}", extra.len());
    let build = TestSite::new()
        .file("content/challenges/stor.md", open_challenge("Stor", &extra))
        .build(&[])
        .success();
    let page = build.read("challenges/stor/index.html");
    assert!(
        page.contains("id=\"fraga-4000\""),
        "the last question is on the page"
    );
}

#[test]
fn a_1_mb_nested_front_matter_is_a_clear_error() {
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(500_000), close.repeat(500_000));
    let site = TestSite::new()
        .file(
            "content/challenges/y.md",
            open_challenge("Y", &format!("tags: {}\n", deep("[", "]"))),
        )
        .file(
            "content/challenges/t.md",
            format!(
                "+++\ntitle = \"T\"\nsummary = \"S\"\nbuyer = \"B\"\nstage = \"need\"\npublished = 2023-06-15\ntags = {}\n+++\n",
                deep("[", "]")
            ),
        );
    let build = site
        .build_within(Duration::from_secs(120))
        .expect("the build hung")
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/t.md:7:88: the front matter cannot be read: cannot recurse further; max recursion depth met",
            "error: content/challenges/y.md:7:262: the front matter cannot be read: recursion limit exceeded",
        ],
        "{}",
        build.stderr
    );
    // The megabyte line is shown as a window around the column, not whole.
    assert!(
        build.stderr.len() < 4_000,
        "{} bytes of stderr",
        build.stderr.len()
    );
}

/// Regression (fuzz target `deadline`): the "did you mean" search over zone
/// names cost minutes for a megabyte-long `timezone`.
#[test]
fn a_1_mb_timezone_is_refused_quickly() {
    let site = TestSite::new().file(
        "content/challenges/a.md",
        open_challenge("A", &format!("timezone: {}\n", "x".repeat(1_000_000))),
    );
    let build = site
        .build_within(Duration::from_secs(60))
        .expect("the zone suggestion search hung")
        .failure();
    let lines = build.error_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "error: content/challenges/a.md:7:11: `timezone`: unknown time zone \"xxx"
        ),
        "{}",
        &lines[0][..200]
    );
}

// --- Injection through front matter ---

const PAYLOAD: &str = "<script>alert(1)</script>\"'</script>]]>-->";

/// Labels of front-matter fields shown as plain (escaped) text.
const TEXT_FIELDS: &[&str] = &[
    "T1", "S1", "B1", "C1", "G1", "N1", "R1", "PH1", "K1", "FL1", "FV1", "D1", "Q1", "E1", "EP1",
    "PN1", "PP1", "PS1",
];
/// Labels of fields written in Markdown: on a page their raw HTML is
/// cleaned; in data formats they are kept as written, escaped.
const MARKDOWN_FIELDS: &[&str] = &["I1", "U1", "ED1", "A1"];

/// A YAML double-quoted scalar holding `label PAYLOAD`.
fn quoted(label: &str) -> String {
    let value = format!("{label} {PAYLOAD}");
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Parses every HTML, XML, JSON and iCalendar output with Python's own
/// parsers, checks that no script can run, and reports which labels'
/// complete `label PAYLOAD` text each file holds once decoded.
const CHECK_OUTPUTS: &str = r##"
import sys, os, json, re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

out, payload, labels = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
found, problems = {}, []

def note(key, texts):
    joined = "\n".join(texts)
    hits = {l for l in labels if l + " " + payload in joined}
    if hits:
        found.setdefault(key, set()).update(hits)

def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)

class Page(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.text, self.ld, self.script, self.buf = name, [], [], None, ""
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k.startswith("on"):
                problems.append(f"{self.name}: <{tag} {k}>")
            if k in ("href", "src", "action", "formaction") and v:
                if re.sub(r"[\x00-\x20]", "", v).lower().startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{self.name}: <{tag} {k}={v!r}>")
            if k in ("content", "title", "alt", "aria-label", "value") and v:
                self.text.append(v)
        if tag == "script":
            a = dict(attrs)
            if a.get("type") == "application/ld+json":
                self.script = "ld"
            elif "src" in a:
                self.script = "src"
            else:
                problems.append(f"{self.name}: an inline script")
                self.script = "inline"
            self.buf = ""
    def handle_endtag(self, tag):
        if tag == "script" and self.script:
            if self.script == "ld":
                self.ld.append(self.buf)
            elif self.buf.strip():
                problems.append(f"{self.name}: a script element with a body")
            self.script = None
    def handle_data(self, data):
        if self.script:
            self.buf += data
        else:
            self.text.append(data)

for folder, _, files in os.walk(out):
    for f in files:
        path = os.path.join(folder, f)
        rel = os.path.relpath(path, out)
        data = open(path, "rb").read()
        if f.endswith(".html"):
            text = data.decode("utf-8")
            if re.search(r"<script>\s*alert", text, re.I) or "alert(1)</script>" in text:
                problems.append(f"{rel}: an unescaped script")
            p = Page(rel)
            p.feed(text)
            p.close()
            note(rel, p.text)
            for block in p.ld:
                if "</" in block or "<!--" in block:
                    problems.append(f"{rel}: JSON-LD that can end its script element")
                note(rel + "#json-ld", list(strings(json.loads(block))))
        elif f.endswith(".xml"):
            root = ET.fromstring(data)
            note(rel, [t for e in root.iter() for t in [e.text or ""] + list(e.attrib.values())])
        elif f.endswith(".json"):
            note(rel, list(strings(json.loads(data.decode("utf-8")))))
        elif f.endswith(".ics"):
            if b"\n" in data.replace(b"\r\n", b""):
                problems.append(f"{rel}: a line feed without CR")
            for line in data.split(b"\r\n"):
                if len(line) > 75:
                    problems.append(f"{rel}: a line of {len(line)} octets")
            depth, values = 0, []
            for line in data.decode("utf-8").replace("\r\n ", "").split("\r\n"):
                name, _, value = line.partition(":")
                depth += (name == "BEGIN") - (name == "END")
                if depth < 0:
                    problems.append(f"{rel}: END without BEGIN")
                values.append(re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value))
            if depth != 0:
                problems.append(f"{rel}: BEGIN and END do not pair")
            note(rel, values)

print(json.dumps({"problems": problems, "found": {k: sorted(v) for k, v in found.items()}}))
"##;

#[test]
fn injection_in_every_field_is_escaped_in_every_output() {
    let q = quoted;
    let front = format!(
        "---\ntitle: {}\nsummary: {}\nbuyer: {}\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\ncategory: {}\ntags: [{}]\n\
         contact:\n  name: {}\n  role: {}\n  email: anna@example.se\n  phone: {}\n\
         respond:\n  url: https://example.se/svar\n  instructions: {}\ncompensation: {}\n\
         facts:\n  - label: {}\n    value: {}\n\
         documents:\n  - title: {}\n    url: https://example.se/d.pdf\n\
         updates:\n  - date: 2023-07-01\n    text: {}\n\
         questions:\n  - question: {}\n    answer: {}\n    date: 2023-07-02\n\
         events:\n  - title: {}\n    start: 2023-08-10T09:00\n    place: {}\n    description: {}\n\
         phases:\n  - name: {}\n    start: 2023-09-01\n    end: 2023-10-01\n    pay: {}\n    suppliers: {}\n\
         ---\nBrödtext {PAYLOAD}\n",
        q("T1"),
        q("S1"),
        q("B1"),
        q("C1"),
        q("G1"),
        q("N1"),
        q("R1"),
        q("PH1"),
        q("I1"),
        q("K1"),
        q("FL1"),
        q("FV1"),
        q("D1"),
        q("U1"),
        q("Q1"),
        q("A1"),
        q("E1"),
        q("EP1"),
        q("ED1"),
        q("PN1"),
        q("PP1"),
        q("PS1"),
    );
    let site = TestSite::new()
        .file(
            "site.toml",
            format!("{}ocid_prefix = \"ocds-test00\"\n", crate::util::SITE_TOML),
        )
        .file("content/challenges/injektion.md", front);
    let build = site.build(&[]).success();
    let labels: Vec<&str> = TEXT_FIELDS.iter().chain(MARKDOWN_FIELDS).copied().collect();
    let out = Command::new("python3")
        .arg("-c")
        .arg(CHECK_OUTPUTS)
        .arg(site.output())
        .arg(PAYLOAD)
        .arg(labels.join(","))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "an output does not parse:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report");
    assert_eq!(report["problems"], serde_json::json!([]), "{report:#}");
    let found: BTreeMap<String, BTreeSet<String>> = report["found"]
        .as_object()
        .expect("an object")
        .iter()
        .map(|(file, labels)| {
            let labels = labels.as_array().expect("a list");
            let labels = labels.iter().map(|l| l.as_str().expect("text").to_string());
            (file.clone(), labels.collect())
        })
        .collect();
    // Where each field's text must arrive intact (escaped for the format,
    // identical once decoded).
    let expected: &[(&str, &[&str])] = &[
        ("challenges/injektion/index.html", TEXT_FIELDS),
        (
            "challenges/injektion/index.html#json-ld",
            &["T1", "S1", "B1", "C1", "Q1", "A1"],
        ),
        ("index.html", &["T1", "S1", "B1"]),
        ("challenges/index.html", &["T1", "S1", "B1", "C1"]),
        ("atom.xml", &["T1", "S1", "B1"]),
        ("calendar.ics", &["T1", "E1", "EP1", "ED1"]),
        (
            "challenges/injektion/calendar.ics",
            &["T1", "E1", "EP1", "ED1"],
        ),
        ("search-index.json", &["T1", "S1"]),
        (
            "api/challenges.json",
            &[
                "T1", "S1", "B1", "C1", "G1", "N1", "R1", "PH1", "I1", "K1", "FL1", "FV1", "D1",
                "U1", "Q1", "A1", "E1", "EP1", "ED1", "PN1", "PP1", "PS1",
            ],
        ),
        (
            "api/ocds.json",
            &["T1", "S1", "B1", "N1", "D1", "U1", "Q1", "A1", "E1", "PN1"],
        ),
    ];
    for (file, labels) in expected {
        let got = found.get(*file).cloned().unwrap_or_default();
        let missing: Vec<&&str> = labels.iter().filter(|l| !got.contains(**l)).collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}; has {got:?}");
    }
    // Markdown fields keep their text; the script element is removed.
    let page = build.read("challenges/injektion/index.html");
    for label in MARKDOWN_FIELDS.iter().chain(&["Brödtext"]) {
        assert!(
            page.contains(&format!("{label} \u{201c}\u{2019}]]&gt;\u{2013}&gt;")),
            "{label} in\n{page}"
        );
    }
    // And the title is escaped, not dropped, in the page's own markup.
    assert!(page.contains(
        "T1 &lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;/script&gt;]]&gt;--&gt;"
    ));
}

#[test]
fn javascript_and_data_urls_are_errors() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            format!(
                "{}[Klicka](javascript:alert(1)) och ![bild](data:image/svg+xml;base64,PHN2Zz4=) \
                 och [ref][r] och <javascript:alert(2)>\n\n[r]: JaVaScRiPt:alert(3)\n",
                challenge(
                    "A",
                    "respond:\n  url: javascript:alert(1)\nevents:\n  - title: Möte\n    start: 2023-08-10T09:00\n    url: \"data:text/html,<script>alert(1)</script>\"\ndocuments:\n  - title: D\n    url: \"java\\tscript:alert(1)\"\n",
                )
            ),
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:9:8: `respond.url`: addresses starting with `javascript:` are not allowed in a link",
            "error: content/challenges/a.md:13:10: `events.url`: addresses starting with `data:` are not allowed in a link",
            // A tab is a control character: refused in every one-line field.
            "error: content/challenges/a.md:16:10: `documents.url`: item 1 of `documents`: the value holds a tab (U+0009); this field is one line of plain text",
            "error: content/challenges/a.md:18:1: the address `javascript:alert(1)` is not allowed",
            "error: content/challenges/a.md:18:35: the address `data:image/svg+xml;base64,PHN2Zz4=` is not allowed",
            "error: content/challenges/a.md:18:83: the address `JaVaScRiPt:alert(3)` is not allowed",
            "error: content/challenges/a.md:18:96: the address `javascript:alert(2)` is not allowed",
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn event_handlers_in_raw_html_are_removed() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<img src=\"https://example.se/bild.png\" alt=\"Bild\" onerror=\"alert(1)\">\n\n\
             <a href=\"https://example.se/\" onclick=\"alert(1)\" OnMouseOver=\"alert(2)\">Länk</a>\n\n\
             <p onmouseover=alert(3)>Text</p>\n\n<svg onload=alert(4)><circle r=1 /></svg>\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    let main = &page[page.find("<main").expect("a main element")..];
    assert!(
        main.contains("<img src=\"https://example.se/bild.png\" alt=\"Bild\">"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"https://example.se/\">Länk</a>"),
        "{main}"
    );
    assert!(main.contains("<p>Text</p>"), "{main}");
    let lower = page.to_ascii_lowercase();
    for handler in [
        "onerror",
        "onclick",
        "onmouseover",
        "onload",
        "<svg",
        "alert(",
    ] {
        assert!(!lower.contains(handler), "{handler} survived in\n{main}");
    }
}

/// Regression (fuzz target `markdown`, crash-485fde4b): a table cell's raw
/// `style` kept any CSS, so a page could lay other content over itself.
#[test]
fn table_cell_style_cannot_cover_the_page() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<table><tr><td style=\"position:fixed;top:0\">x</td></tr></table>\n\n\
             | Kolumn |\n|-------:|\n| 1 |\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    // Every property went, so the attribute is left empty.
    assert!(page.contains("<td style=\"\">x</td>"), "{page}");
    assert!(
        page.contains("<th style=\"text-align:right\">Kolumn</th>"),
        "{page}"
    );
    assert!(!page.contains("position:fixed"), "{page}");
}

/// Kept from the `markdown` fuzz target (crash-dc925927; a false alarm of
/// its first checker): character references inside `javascript:` in raw
/// HTML. The first loses its address; the second keeps a control character
/// in the middle of the would-be scheme, which makes it a harmless relative
/// address to a browser's URL parser.
#[test]
fn encoded_javascript_in_raw_links_is_not_a_script_address() {
    let build = TestSite::new()
        .file(
            "content/om.md",
            "---\ntitle: Om\n---\n<a href=\"&#106;avascript:alert(1)\">x</a> \
             <a href=\"jav&#x10;ascript:alert(1)\">y</a>\n",
        )
        .build(&[])
        .success();
    let page = build.read("om/index.html");
    assert!(page.contains("<a>x</a>"), "{page}");
    assert!(
        page.contains("<a href=\"jav\u{10}ascript:alert(1)\">y</a>"),
        "{page}"
    );
    for href in crate::util::links(&page) {
        // What the URL parser strips before reading a scheme.
        let url: String = href
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        assert!(
            !url.to_ascii_lowercase().starts_with("javascript:"),
            "{href:?}"
        );
    }
}

// --- Dates ---

#[test]
fn impossible_dates_and_zones_are_errors_with_file_and_line() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            challenge("A", "").replace("2023-08-31", "2023-02-30"),
        )
        .file(
            "content/challenges/b.md",
            challenge("B", "").replace("2023-08-31", "2023-08-31T24:00"),
        )
        .file(
            "content/challenges/c.md",
            challenge("C", "timezone: Europe/Stokholm\n"),
        )
        .file(
            "content/challenges/d.md",
            challenge("D", "opens: 2023-09-01\n"),
        )
        .file(
            "content/challenges/e.md",
            challenge("E", "").replace("2023-08-31", "10000-01-01"),
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:7:11: `deadline`: invalid date \"2023-02-30\": there is no day 30 in February 2023; it has 28 days",
            "error: content/challenges/b.md:7:11: `deadline`: invalid date \"2023-08-31T24:00\": there is no hour 24; use 23:59, or 00:00 on the next day",
            "error: content/challenges/c.md:8:11: `timezone`: unknown time zone \"Europe/Stokholm\"",
            "error: content/challenges/d.md:8:8: `opens`: `opens` is not before `deadline`",
            "error: content/challenges/e.md:7:11: `deadline`: invalid date \"10000-01-01\": year 10000 is out of range (years are written with four digits)",
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("Did you mean \"Europe/Stockholm\"?"));
}

// --- Cost in proportion to size ---

/// What one `utlys check` of a site cost.
struct Cost {
    status: std::process::ExitStatus,
    stderr: String,
    /// CPU time of the process and its threads, user and system, in seconds:
    /// less disturbed than the wall clock by other work on the machine.
    cpu: f64,
    /// Peak resident memory in bytes.
    peak: u64,
}

/// Runs `utlys check` on `site` once and measures it from a small Python
/// parent, with `getrusage(RUSAGE_CHILDREN)`.
///
/// Not with `wait4` from this process: the child starts as a copy of this
/// (large, multi-threaded) test process, and Linux counts the copy's peak in
/// the child's, which hid the check's own memory.
fn check_cost(site: &TestSite) -> Cost {
    const MEASURE: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n\
        u = resource.getrusage(resource.RUSAGE_CHILDREN)\n\
        print(r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss)\n";
    let out = Command::new("python3")
        .args(["-c", MEASURE])
        .arg(env!("CARGO_BIN_EXE_utlys"))
        .args(["check", "--allow-example-url", "--root"])
        .arg(site.root())
        // The messages looked for are the English ones. The flag rather
        // than `LC_ALL`: the measuring script's shell warns on stderr about
        // a locale the machine lacks.
        .args(["--now", NOW, "--lang", "en"])
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run python3 (needed to measure the check)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "python3 said {stdout:?}");
    let code: i32 = fields[0].parse().expect("an exit code");
    // A negative code is a signal, as Python reports it.
    let status = if code < 0 {
        std::process::ExitStatus::from_raw(-code)
    } else {
        std::process::ExitStatus::from_raw(code << 8)
    };
    Cost {
        status,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cpu: fields[1].parse().expect("seconds"),
        // Linux reports ru_maxrss in kibibytes.
        peak: fields[2].parse::<u64>().expect("a size") * 1024,
    }
}

/// How much more a check of `site(2 * n)` costs than one of `site(n)`:
/// (CPU time ratio, peak memory ratio), each run three times and the
/// least taken, so a busy moment of the machine does not count. Also gives
/// the stderr of the larger check.
fn doubling_cost(n: usize, site: impl Fn(usize) -> TestSite) -> (f64, f64, String) {
    let least = |runs: Vec<Cost>| {
        let cpu = runs.iter().map(|c| c.cpu).fold(f64::INFINITY, f64::min);
        let peak = runs.iter().map(|c| c.peak).min().unwrap_or(0);
        let last = runs.into_iter().next_back().expect("four runs");
        assert_eq!(last.status.signal(), None, "{}", last.stderr);
        (cpu, peak, last.stderr)
    };
    // The two sizes in turn, so that a busy spell of the machine slows
    // both alike; the least of each is what the work itself costs.
    let (small, large) = (site(n), site(2 * n));
    let (mut small_runs, mut large_runs) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        small_runs.push(check_cost(&small));
        large_runs.push(check_cost(&large));
    }
    let (small_cpu, small_peak, _) = least(small_runs);
    let (large_cpu, large_peak, stderr) = least(large_runs);
    let time = large_cpu / small_cpu;
    let memory = large_peak as f64 / small_peak as f64;
    eprintln!(
        "n = {n}: CPU {small_cpu:.2} s -> {large_cpu:.2} s ({time:.2}×), peak {} MB -> {} MB ({memory:.2}×)",
        small_peak >> 20,
        large_peak >> 20
    );
    (time, memory, stderr)
}

/// Regression (a 160 KB file took 12 GB to check): thousands of bad values
/// in one flow list on one line, and thousands of bad links in a page, each
/// made a problem holding the whole line and costing a pass over the file.
/// Past 50 per file they are counted, and the line is kept as a window.
#[test]
fn thousands_of_problems_in_one_file_cost_in_proportion() {
    let site = |n: usize| {
        TestSite::new()
            .file(
                "content/challenges/a.md",
                open_challenge("A", &format!("cpv: [{}]\n", vec!["bad"; n].join(", "))),
            )
            .file(
                "content/d.md",
                format!(
                    "---\ntitle: D\n---\n{}\n",
                    "[x](javascript:alert(1)) ".repeat(n)
                ),
            )
    };
    let (time, memory, stderr) = doubling_cost(8_000, site);
    // Cost first: a failure then says how much more it cost.
    assert!(
        time <= 2.5,
        "doubling the problems cost {time:.2}× the time"
    );
    assert!(
        memory <= 2.5,
        "doubling the problems cost {memory:.2}× the memory"
    );
    for file in ["content/challenges/a.md", "content/d.md"] {
        let summary = format!(
            "error: {file}: 15950 more problems in this file are not shown (15950 errors, 0 warnings): at most 50 are shown per file"
        );
        assert!(stderr.contains(&summary), "{summary}\n{stderr}");
    }
}

/// A problem on a long line keeps a window of it, not the whole line: 60
/// problems on a 1 MB line take about as much memory as one.
#[test]
fn problems_on_a_long_line_do_not_copy_it() {
    let items = 90_000;
    let peak = |bad: usize| {
        let mut cpv = vec!["bad"; bad];
        cpv.resize(items, "72000000-5");
        let text = open_challenge("A", &format!("cpv: [{}]\n", cpv.join(", ")));
        let size = text.len() as u64;
        let site = TestSite::new().file("content/challenges/a.md", text);
        let cost = check_cost(&site);
        assert_eq!(cost.status.code(), Some(1), "{}", cost.stderr);
        (cost.peak, size)
    };
    let (one, size) = peak(1);
    let (many, _) = peak(60);
    eprintln!(
        "1 MB line: peak {} MB with one problem, {} MB with 60",
        one >> 20,
        many >> 20
    );
    assert!(size > 1_000_000, "{size}");
    assert!(
        many < one + 5 * size,
        "60 problems took {} MB more than one on a {} KB line",
        (many.saturating_sub(one)) >> 20,
        size >> 10
    );
}

/// Regression: `check` took time growing with the square of a challenge's
/// tags: each was compared with every earlier one to drop repeats. Past 100
/// different tags a challenge is also refused.
#[test]
fn many_tags_on_a_challenge_cost_in_proportion() {
    let site = |n: usize| {
        let tags: Vec<String> = (0..n).map(|i| format!("tagg{i}")).collect();
        TestSite::new().file(
            "content/challenges/a.md",
            open_challenge("A", &format!("tags: [{}]\n", tags.join(", "))),
        )
    };
    let (time, _, stderr) = doubling_cost(20_000, site);
    assert!(time <= 2.5, "doubling the tags cost {time:.2}× the time");
    assert!(
        stderr.contains("error: content/challenges/a.md:7:7: `tags`: the challenge has 40000 different tags; at most 100 are allowed"),
        "{stderr}"
    );
    // At the limit the site is built.
    let tags: Vec<String> = (0..100).map(|i| format!("tagg{i}")).collect();
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", &format!("tags: [{}, tagg0]\n", tags.join(", "))),
        )
        .build(&[])
        .success();
    assert!(build.exists("tags/tagg99/index.html"));
}

/// Regression: each link to a heading on another page was looked up in a
/// list of that page's headings, so n links to n headings cost n².
#[test]
fn many_links_to_headings_cost_in_proportion() {
    let site = |n: usize| {
        let body: String = (0..n)
            .map(|i| format!("## Rubrik {i}\n\n[länk](@/d.md#rubrik-{i})\n\n"))
            .collect();
        TestSite::new().file("content/d.md", format!("---\ntitle: D\n---\n{body}"))
    };
    let (time, _, stderr) = doubling_cost(16_000, site);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(time <= 2.5, "doubling the links cost {time:.2}× the time");
}

/// Regression: thousands of nested raw HTML elements took seconds
/// to clean (time growing with the square of the depth). Past 256 levels
/// the page is refused, in a pass over it, before it is cleaned.
#[test]
fn deeply_nested_raw_html_is_refused_in_proportion() {
    let site = |n: usize| {
        TestSite::new()
            .file(
                "content/d.md",
                format!(
                    "---\ntitle: D\n---\nText\n\n{}x{}\n",
                    "<div>".repeat(n),
                    "</div>".repeat(n)
                ),
            )
            // The same flat page in both sites, so that a check takes a
            // measurable time even when the deep one is refused at once.
            .file(
                "content/flat.md",
                format!(
                    "---\ntitle: Platt\n---\n{}",
                    "Ett stycke med **fetstil** och [en länk](https://example.se).\n\n"
                        .repeat(10_000)
                ),
            )
    };
    let (time, _, stderr) = doubling_cost(10_000, site);
    assert!(time <= 2.5, "doubling the depth cost {time:.2}× the time");
    assert!(
        stderr.contains("error: content/d.md:6:1: the page's HTML nests more than 256 elements inside each other"),
        "{stderr}"
    );
    // 256 levels are cleaned and published.
    let build = site(256).build(&[]).success();
    assert!(build.read("d/index.html").contains("<div>x</div>"));
}

// --- Control characters ---

/// Regression: a line break in a one-line field went into the outputs as
/// it was (and a NUL made the feeds ill-formed XML). Every one-line field
/// refuses every control character, Markdown fields those XML forbids; the
/// error names the field and the character, at the field.
#[test]
fn control_characters_in_fields_are_errors_naming_the_character() {
    let yaml = challenge(
        "\"Titel\\nmed rad\"",
        concat!(
            "contact:\n  name: \"Anna\\rAndersson\"\n  email: anna@example.se\n",
            "tags: [klimat, \"ny\\u0085rad\"]\n",
            "documents:\n  - title: \"Dok\\vument\"\n    url: https://example.se/a.pdf\n",
            "events:\n  - title: \"Möte\\u2029\"\n    start: 2023-09-01T10:00\n",
            "respond:\n  url: \"https://example.se/svar\\0\"\n",
            "  instructions: \"Rad ett\\n\\tRad två\"\n",
            "updates:\n  - date: 2023-07-01\n    text: \"Ändrat\\x01\"\n",
        ),
    );
    let toml =
        "+++\ntitle = \"Om\\u0007oss\"\nsummary = \"Form\\ffeed\"\n+++\nText med NUL \u{0} här.\n";
    let site = TestSite::new()
        .file("content/challenges/a.md", yaml)
        .file("content/om.md", toml);
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:2:8: `title`: the value holds a line break (U+000A); this field is one line of plain text",
            "error: content/challenges/a.md:9:9: `contact.name`: the value holds a carriage return (U+000D); this field is one line of plain text",
            "error: content/challenges/a.md:11:16: `tags`: item 2 of `tags`: the value holds a next-line character (U+0085); this field is one line of plain text",
            "error: content/challenges/a.md:13:12: `documents.title`: item 1 of `documents`: the value holds a vertical tab (U+000B); this field is one line of plain text",
            "error: content/challenges/a.md:16:12: `events.title`: item 1 of `events`: the value holds a paragraph separator (U+2029); this field is one line of plain text",
            "error: content/challenges/a.md:19:8: `respond.url`: the value holds a NUL character (U+0000); this field is one line of plain text",
            "error: content/challenges/a.md:23:11: `updates.text`: item 1 of `updates`: the text holds a control character (U+0001), which XML feeds cannot carry",
            "error: content/om.md:2:9: `title`: the value holds a control character (U+0007); this field is one line of plain text",
            "error: content/om.md:3:11: `summary`: the value holds a form feed (U+000C); this field is one line of plain text",
            "error: content/om.md:5:14: the text holds a NUL character (U+0000), which XML feeds cannot carry",
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains(
        "= hint: remove the character and write the value on one line; text pasted from Word, a PDF or an e-mail often brings invisible characters along"
    ));
    // The source line is shown with a picture of the NUL, not the NUL.
    assert!(
        build.stderr.contains("\n5 | Text med NUL \u{2400} här."),
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains('\0'));
    assert!(!build.output.exists(), "a failed build published something");

    // Line breaks and tabs are fine in Markdown fields: with the rest
    // fixed, the site builds and the instructions keep their two lines.
    site.write(
        "content/challenges/a.md",
        challenge(
            "Titel",
            "respond:\n  url: https://example.se/svar\n  instructions: \"Rad ett\\n\\tRad två\"\n",
        ),
    );
    site.remove("content/om.md");
    let build = site.build(&[]).success();
    assert!(build.read("challenges/a/index.html").contains("Rad två"));
}

/// Regression: a line break in `base_url` gave `robots.txt` lines of its
/// own, and other control characters made the feeds and the sitemap
/// ill-formed XML. `site.toml` and `--base-url` refuse them; the published
/// site stays as it was.
#[test]
fn base_url_with_control_characters_is_refused_and_nothing_changes() {
    let site = TestSite::new().file("content/om.md", "---\ntitle: Om\n---\nText\n");
    let published = site.build(&[]).success().tree();
    let robots = fs::read_to_string(site.output().join("robots.txt")).expect("robots.txt");
    assert_eq!(
        robots.lines().filter(|l| l.starts_with("Sitemap:")).count(),
        1,
        "{robots}"
    );

    site.write(
        "site.toml",
        "title = \"Testportal\"\nbase_url = \"https://example.se/\\nDisallow: /\"\n",
    );
    let build = site.build(&[]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: site.toml:2:12: `base_url`: the base URL holds a line break (U+000A) after `https://example.se/`"
        ],
        "{}",
        build.stderr
    );
    assert_same_tree(&published, &tree(&site.output()));

    site.write("site.toml", crate::util::SITE_TOML);
    for (c, name) in [
        ("\r\n", "a carriage return (U+000D)"),
        ("\u{2028}", "a line separator (U+2028)"),
        ("\u{85}", "a next-line character (U+0085)"),
        ("\u{7f}", "a delete character (U+007F)"),
        ("\t", "a tab (U+0009)"),
    ] {
        let url = format!("https://example.se/a{c}Disallow: /");
        let build = site.build(&["--base-url", &url]).failure();
        assert_eq!(
            build.error_lines(),
            [format!(
                "error: --base-url: the base URL holds {name} after `https://example.se/a`"
            )],
            "{}",
            build.stderr
        );
        assert_same_tree(&published, &tree(&site.output()));
    }
}

// --- Crash safety ---

/// A site of `pages` simple challenges; `version` goes into every title, so
/// two versions differ in every page.
fn big_site(pages: usize, version: &str) -> TestSite {
    let site = TestSite::new();
    write_big_site(&site, pages, version);
    site
}

fn write_big_site(site: &TestSite, pages: usize, version: &str) {
    for i in 0..pages {
        site.write(
            &format!("content/challenges/c{i:04}.md"),
            format!(
                "{}Utmaning nummer {i} i version {version}.\n\n## Bakgrund\n\nText.\n",
                open_challenge(&format!("Utmaning {i} {version}"), "tags: [test]\n")
            ),
        );
    }
}

/// A reference build of the site as it is now, in a folder of its own.
fn reference(site: &TestSite, name: &str) -> (BTreeMap<String, Vec<u8>>, Duration) {
    let out = site.tmp().join(name).join("public");
    let started = Instant::now();
    site.build(&["--output", &out.display().to_string()])
        .success();
    (tree(&out), started.elapsed())
}

/// A small, seedable generator for kill delays (no dependency needed).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn spawn_build(site: &TestSite) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_utlys"))
        .env("LC_ALL", "en_US.UTF-8")
        .args(["build", "--allow-example-url", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.output())
        .args(["--now", NOW])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn utlys")
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let site = big_site(2_000, "A");
    let (tree_a, _) = reference(&site, "ref-a");
    write_big_site(&site, 2_000, "B");
    let (tree_b, _) = reference(&site, "ref-b");
    assert_ne!(tree_a, tree_b);
    // The published site starts as version A; timing a build over a
    // published site (not a first build) sets the span of the kills.
    write_big_site(&site, 2_000, "A");
    site.build(&[]).success();
    write_big_site(&site, 2_000, "B");
    let started = Instant::now();
    site.build(&[]).success();
    let took = started.elapsed();
    write_big_site(&site, 2_000, "A");
    site.build(&[]).success();
    assert_same_tree(&tree(&site.output()), &tree_a);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64 | 1);
    let mut random = XorShift(seed);
    // Kills spread over the whole build, a little past its usual end.
    let span = u64::try_from(took.as_millis()).unwrap_or(5_000) * 11 / 10;
    let mut current = "A";
    let mut swapped = 0;
    for round in 0..20 {
        let next = if current == "A" { "B" } else { "A" };
        write_big_site(&site, 2_000, next);
        let delay = random.below(span);
        let mut child = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL the build");
        let status = child.wait().expect("reap the build");
        let now = tree(&site.output());
        // The old site or the new one, complete; never a mix or nothing.
        if now == tree_a {
            current = "A";
        } else if now == tree_b {
            current = "B";
        } else {
            let expected = if current == "A" { &tree_a } else { &tree_b };
            panic!(
                "round {round} (seed {seed}, kill after {delay} ms, {status:?}): the published site is neither version:\n{:?}",
                crate::util::changed_paths(&now, expected)
            );
        }
        if current == next {
            swapped += 1;
        }
        // Put the content back to what is published, so the next round
        // again has a different version to write.
        write_big_site(&site, 2_000, current);
    }
    eprintln!("20 kills over {span} ms: {swapped} after the swap, the rest before it");

    // A normal build afterwards succeeds and leaves only the output, the
    // spare tree and the lock file.
    let final_version = if current == "A" { "B" } else { "A" };
    write_big_site(&site, 2_000, final_version);
    site.build(&[]).success();
    let expected = if final_version == "A" {
        &tree_a
    } else {
        &tree_b
    };
    assert_same_tree(&tree(&site.output()), expected);
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [
            ".public.utlys-history",
            ".public.utlys-lock",
            ".public.utlys-manifest",
            ".public.utlys-spare",
            "public"
        ]
    );
}

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let site = big_site(1_000, "A");
    let (expected, _) = reference(&site, "ref");
    let mut refused = 0;
    for round in 0..5 {
        let first = spawn_build(&site);
        let second = spawn_build(&site);
        let mut successes = 0;
        for child in [first, second] {
            let out = child.wait_with_output().expect("wait for a build");
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                successes += 1;
            } else {
                // The loser names the lock and changes nothing.
                assert_eq!(out.status.code(), Some(1), "round {round}: {stderr}");
                assert!(
                    stderr.contains("another build is publishing to"),
                    "round {round}: {stderr}"
                );
                refused += 1;
            }
        }
        assert!(successes >= 1, "round {round}: no build succeeded");
        assert_same_tree(&tree(&site.output()), &expected);
    }
    eprintln!("5 rounds of two builds at once: {refused} refused by the lock");
    assert_eq!(
        names_in(&site.tmp().join("out")),
        [
            ".public.utlys-history",
            ".public.utlys-lock",
            ".public.utlys-manifest",
            ".public.utlys-spare",
            "public"
        ]
    );
}

// --- The dev server ---

/// Sends `request` as it is on a new connection to `server` and reads the
/// answer until the server closes the connection.
fn send_raw(server: &crate::serve::Server, request: &[u8]) -> crate::serve::Reply {
    use std::io::{Read, Write};
    let mut stream = server.connect();
    stream.write_all(request).expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap_or_else(|e| {
        panic!(
            "read the answer to {:?}: {e}",
            String::from_utf8_lossy(request)
        )
    });
    crate::serve::Reply::parse(&raw)
}

/// The port of a running server.
fn port_of(server: &crate::serve::Server) -> &str {
    server.addr.rsplit(':').next().expect("ADDRESS:PORT")
}

#[test]
fn dev_server_refuses_requests_for_other_host_names_on_every_route() {
    let site = crate::serve::fixture();
    let server = crate::serve::Server::start(&site);
    let port = port_of(&server);
    let base = &server.base;
    let other_port = if port == "1" { "2" } else { "1" };
    let routes = [
        "/".to_string(),
        base.clone(),
        format!("{base}challenges/trygg-skolvag/"),
        format!("{base}challenges/trygg-skolvag/underlag.pdf"),
        format!("{base}finns-inte"),
        format!("{base}__utlys/status"),
        format!("{base}__utlys/events"),
    ];
    // What a page on a rebinding name sends, and its variations.
    let refused = [
        "GET {route} HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_string(),
        format!("GET {{route}} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        format!("GET {{route}} HTTP/1.1\r\nHost: 127.0.0.1.evil.example:{port}\r\n\r\n"),
        "GET {route} HTTP/1.1\r\nHost: localhost.evil.example\r\n\r\n".to_string(),
        format!("GET {{route}} HTTP/1.1\r\nHost: localhost:{other_port}\r\n\r\n"),
        format!("GET {{route}} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n"),
        format!("GET http://evil.example{{route}} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
        "HEAD {route} HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_string(),
        "POST {route} HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\n\r\n".to_string(),
        "GET {route} HTTP/1.0\r\n\r\n".to_string(),
    ];
    for route in &routes {
        for template in &refused {
            let request = template.replace("{route}", route);
            let reply = send_raw(&server, request.as_bytes());
            assert_eq!(reply.status, 421, "{request:?}");
            assert_eq!(
                reply.header("content-type"),
                Some("text/plain; charset=utf-8"),
                "{request:?}"
            );
            assert_eq!(reply.header("location"), None, "{request:?}");
            if request.starts_with("HEAD") {
                continue;
            }
            let text = reply.text();
            assert!(text.starts_with("421 Misdirected Request\n\n"), "{text}");
            assert!(
                text.contains(
                    "Förhandsgranskningen svarar bara på 127.0.0.1, localhost och [::1], så att andra webbsidor inte kan läsa utkasten."
                ),
                "{text}"
            );
            assert!(
                text.contains(
                    "The preview answers only 127.0.0.1, localhost and [::1], so that other web pages cannot read the drafts."
                ),
                "{text}"
            );
            assert!(
                !text.contains("Trygg skolväg"),
                "{request:?} leaked the site"
            );
        }
    }
    let named = send_raw(
        &server,
        format!("GET {base} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes(),
    );
    assert!(
        named
            .text()
            .contains("restart with `utlys serve --allow-host evil.example`."),
        "{}",
        named.text()
    );
    let nameless = send_raw(&server, format!("GET {base} HTTP/1.0\r\n\r\n").as_bytes());
    assert!(
        nameless
            .text()
            .contains("The request names no host (no Host header). The preview answers only"),
        "{}",
        nameless.text()
    );

    // This computer's names, with and without the port, are answered.
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let reply = send_raw(
            &server,
            format!("GET {base}__utlys/status HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(reply.status, 200, "Host: {host}");
        assert!(reply.text().contains("\"generation\""), "Host: {host}");
    }
    let absolute = send_raw(
        &server,
        format!("GET http://localhost:{port}{base}__utlys/status HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(absolute.status, 200);
    // The event stream opens for the server's own name.
    let _events = server.subscribe();
}

#[test]
fn dev_server_never_redirects_off_the_site() {
    let site = crate::serve::fixture();
    let server = crate::serve::Server::start(&site);
    let port = port_of(&server);
    let base = &server.base;
    let long = "a/".repeat(20_000);
    let targets = [
        "//evil.example/".to_string(),
        "//evil.example".to_string(),
        "///evil.example/".to_string(),
        "//evil.example/utmaningar".to_string(),
        "/\\evil.example".to_string(),
        "/\\evil.example/".to_string(),
        "/%2F%2Fevil.example".to_string(),
        "/%2f%2fevil.example/".to_string(),
        "/%5Cevil.example".to_string(),
        "/%5C%5Cevil.example".to_string(),
        "/foo/..//evil.example".to_string(),
        "/foo/../%2F%2Fevil.example".to_string(),
        format!("{base}/evil.example"),
        format!("{base}//evil.example"),
        format!("{base}..//evil.example"),
        format!("{base}%2F%2Fevil.example"),
        format!("{base}%2F/evil.example"),
        format!("{base}\\evil.example"),
        format!("{base}challenges/..//evil.example"),
        format!("http://127.0.0.1:{port}//evil.example/"),
        format!("http://127.0.0.1:{port}/%2F%2Fevil.example"),
        format!("http://127.0.0.1:{port}{base}challenges"),
        format!("{base}{long}"),
        format!("/{long}"),
        format!("{base}challenges?next=//evil.example"),
        "/%09/evil.example".to_string(),
        "/%0D%0ALocation:%20//evil.example".to_string(),
    ];
    for target in &targets {
        let reply = send_raw(
            &server,
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        );
        let location: Vec<&str> = reply
            .headers
            .iter()
            .filter(|(k, _)| k == "location")
            .map(|(_, v)| v.as_str())
            .collect();
        let shown = &target[..target.len().min(80)];
        assert!(location.len() <= 1, "{shown}: {location:?}");
        if let Some(location) = location.first() {
            assert!((300..400).contains(&reply.status), "{shown}");
            let second = location.as_bytes().get(1).copied();
            assert!(
                location.starts_with('/') && second != Some(b'/') && second != Some(b'\\'),
                "{shown} redirects to {location:?}"
            );
            assert!(
                !location.contains(char::is_whitespace),
                "{shown}: {location:?}"
            );
        } else {
            assert!(!(300..400).contains(&reply.status), "{shown}");
        }
    }
    // The redirects that are meant stay as they were.
    let folder = send_raw(
        &server,
        format!("GET {base}challenges?next=//evil.example HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(folder.status, 302);
    assert_eq!(
        folder.header("location"),
        Some(format!("{base}challenges/?next=//evil.example").as_str())
    );

    // A base path that itself starts with `//` (a slip in site.toml) still
    // redirects to a path on this server.
    let slipped = TestSite::new()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://example.se//evil.example/\"\n",
        )
        .file("content/om.md", "---\ntitle: Om\n---\nOm oss.\n");
    let server = crate::serve::Server::start(&slipped);
    assert!(server.url.ends_with("//evil.example/"), "{}", server.url);
    for target in ["/", "//evil.example"] {
        let reply = send_raw(
            &server,
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes(),
        );
        assert_eq!(reply.status, 302, "{target}");
        assert_eq!(reply.header("location"), Some("/evil.example/"), "{target}");
    }
}

#[test]
fn dev_server_closes_half_sent_and_idle_connections_but_keeps_the_event_stream() {
    use std::io::{Read, Write};
    const HEAD_MS: u64 = 300;
    const IDLE_MS: u64 = 3_000;
    // A static file much larger than the kernel's socket buffers, so a
    // client that stops reading leaves the server waiting to write.
    const BIG: usize = 48 * 1024 * 1024;
    let site = crate::serve::fixture().file("static/big.bin", vec![b'x'; BIG]);
    let server = crate::serve::Server::start_with(
        &site,
        &[],
        &[
            ("UTLYS_SERVE_HEAD_TIMEOUT_MS", &HEAD_MS.to_string()),
            ("UTLYS_SERVE_IDLE_TIMEOUT_MS", &IDLE_MS.to_string()),
        ],
    );
    let base = server.base.clone();
    let host = server.addr.clone();

    /// Reads until the server closes; what arrived and when it closed.
    fn until_closed(stream: &mut std::net::TcpStream) -> (Vec<u8>, Instant) {
        let mut got = Vec::new();
        let mut chunk = [0u8; 65536];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => return (got, Instant::now()),
                Ok(n) => got.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                    return (got, Instant::now());
                }
                Err(e) => panic!("the server kept the connection open: {e}"),
            }
        }
    }

    // Headers sent a line at a time, never finished: closed at the head
    // limit, well before the idle limit, without an answer.
    let mut slow = server.connect();
    let started = Instant::now();
    slow.write_all(format!("GET {base} HTTP/1.1\r\nHost: {host}\r\n").as_bytes())
        .expect("send the first line");
    let mut dripping = slow.try_clone().expect("clone the stream");
    let drip = std::thread::spawn(move || {
        for i in 0..100 {
            if dripping
                .write_all(format!("X-{i}: y\r\n").as_bytes())
                .is_err()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let (got, closed) = until_closed(&mut slow);
    let took = closed - started;
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    assert!(
        took >= Duration::from_millis(HEAD_MS) && took < Duration::from_millis(IDLE_MS - 500),
        "a half-sent head was closed after {took:?}"
    );
    drip.join().expect("the drip thread");

    // A connection that sends nothing: closed at the idle limit.
    let mut silent = server.connect();
    let started = Instant::now();
    let (got, closed) = until_closed(&mut silent);
    let took = closed - started;
    assert!(got.is_empty());
    assert!(
        took >= Duration::from_millis(IDLE_MS) && took < Duration::from_secs(9),
        "a silent connection was closed after {took:?}"
    );

    // The event stream outlives the idle limit and still delivers.
    let mut events = server.subscribe();
    // A client that asks for a large file and stops reading it.
    let mut stalled = server.connect();
    stalled
        .write_all(format!("GET {base}big.bin HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .expect("ask for the big file");
    std::thread::sleep(Duration::from_millis(IDLE_MS + 1_500));
    site.write(
        crate::serve::CHALLENGE,
        crate::serve::challenge_text("Barnen ska kunna cykla säkert till skolan."),
    );
    server.wait_for(&mut events, "reload");
    let (got, _) = until_closed(&mut stalled);
    assert!(
        got.len() < BIG,
        "the stalled download was kept open: {} of {BIG} bytes arrived",
        got.len()
    );
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got[..got.len().min(200)])
    );
}

// --- Ids from raw HTML ---

/// For every HTML page under `out`: ids used more than once, and same-page
/// links (`href="#x"`) with no element `x`. Python's HTML parser reads the
/// pages, not this crate's code.
const CHECK_IDS: &str = r##"
import sys, os, json
from html.parser import HTMLParser

class Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.tags, self.links = [], {}, []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" and v:
                self.ids.append(v)
                self.tags.setdefault(v, tag)
            if k == "href" and v and v.startswith("#") and len(v) > 1:
                self.links.append(v[1:])

report = {"duplicates": {}, "dangling": {}, "pages": {}}
out = sys.argv[1]
for root, _, files in os.walk(out):
    for f in files:
        if not f.endswith(".html"):
            continue
        path = os.path.join(root, f)
        rel = os.path.relpath(path, out)
        p = Ids()
        p.feed(open(path, encoding="utf-8").read())
        dup = sorted({i for i in p.ids if p.ids.count(i) > 1})
        if dup:
            report["duplicates"][rel] = dup
        dangling = sorted({l for l in p.links if l not in p.tags})
        if dangling:
            report["dangling"][rel] = dangling
        report["pages"][rel] = {"ids": p.tags, "links": p.links}
print(json.dumps(report))
"##;

#[test]
fn raw_html_ids_never_repeat_the_theme_s_a_heading_s_or_each_other_s() {
    let default_page = fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .expect("read the default page template");
    // A site's own template adds an id; it is found in the template, not
    // in a list kept by hand.
    let own_page = default_page.replace(
        "<div class=\"prose\">",
        "<aside id=\"egen-ruta\">Ruta</aside>\n  <div class=\"prose\">",
    );
    assert_ne!(own_page, default_page, "the default page template changed");
    let body = "\
## Kontakt

<div id=\"main\">Vår egen huvuddel.</div>

<span id=\"egen-ruta\">x</span> <a id=\"kontakt\">y</a>

<p id=\"dubbel\">ett</p>

<p id='dubbel'>två</p>

[Till vår del](#main) [Till dubbel](#dubbel) [Till kontakt](#kontakt)
";
    let challenge_body = "\
<h2 id=\"description-heading\">Rå rubrik</h2>

<span id=\"content\">c</span> <a id=\"status\" href=\"#description-heading\">s</a>

Fotnot[^main]

[^main]: Text.
";
    let site = TestSite::new()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://example.se/\"\ntheme = \"egen\"\n",
        )
        .file("themes/egen/templates/page.html", &own_page)
        .file(
            "content/om.md",
            format!("---\ntitle: Om portalen\n---\n{body}"),
        )
        .file(
            "content/challenges/ra.md",
            format!(
                "{}\n{challenge_body}",
                open_challenge(
                    "Rå HTML",
                    "questions:\n  - question: Var?\n    answer: '<span id=\"content\">Svar</span> [där](#content)'\n    date: 2023-06-20\n    answered: 2023-06-21\n"
                )
            ),
        );
    let build = site.build(&[]).success();
    let warnings: Vec<&str> = build
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(
        warnings,
        [
            // The answer is on the same page as the body: its id is
            // renamed too, and its link follows it.
            "warning: content/challenges/ra.md:9:14: `questions.answer`: the id `content` is already used on this page by another element; it is published as `content-1`",
            "warning: content/challenges/ra.md:14:5: the id `description-heading` is already used on this page by the theme; it is published as `description-heading-1`",
            "warning: content/challenges/ra.md:20:1: the id `main` is already used on this page by the theme; it is published as `main-1`",
            "warning: content/om.md:6:6: the id `main` is already used on this page by the theme; it is published as `main-1`",
            "warning: content/om.md:8:7: the id `egen-ruta` is already used on this page by the theme; it is published as `egen-ruta-1`",
            "warning: content/om.md:8:34: the id `kontakt` is already used on this page by a heading; it is published as `kontakt-1`",
            "warning: content/om.md:12:4: the id `dubbel` is already used on this page by another element; it is published as `dubbel-1`",
        ],
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains(
            "give the element an id of its own, such as `main-1`; links on this page to `#main` now lead to `#main-1`"
        ),
        "{}",
        build.stderr
    );

    let out = Command::new("python3")
        .arg("-c")
        .arg(CHECK_IDS)
        .arg(site.output())
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report");
    assert_eq!(report["duplicates"], serde_json::json!({}), "{report:#}");
    assert_eq!(report["dangling"], serde_json::json!({}), "{report:#}");

    let om = &report["pages"]["om/index.html"];
    let ids = &om["ids"];
    // The skip link still reaches the theme's <main>; the text's link
    // follows its own renamed element.
    assert_eq!(ids["main"], "main", "{om:#}");
    assert_eq!(ids["main-1"], "div", "{om:#}");
    assert_eq!(ids["egen-ruta"], "aside", "{om:#}");
    assert_eq!(ids["egen-ruta-1"], "span", "{om:#}");
    assert_eq!(ids["kontakt"], "h2", "{om:#}");
    assert_eq!(ids["kontakt-1"], "a", "{om:#}");
    assert_eq!(ids["dubbel"], "p", "{om:#}");
    assert_eq!(ids["dubbel-1"], "p", "{om:#}");
    let links: Vec<&str> = om["links"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l.as_str().expect("text"))
        .collect();
    assert_eq!(links, ["main", "main-1", "dubbel", "kontakt"], "{om:#}");

    let ra = &report["pages"]["challenges/ra/index.html"];
    // The theme's id is kept free also where this page does not show it.
    assert!(
        [serde_json::json!(null), serde_json::json!("h2")]
            .contains(&ra["ids"]["description-heading"]),
        "{ra:#}"
    );
    assert_eq!(ra["ids"]["description-heading-1"], "h2", "{ra:#}");
    assert_eq!(ra["ids"]["main-1"], "div", "{ra:#}");
    // `content` and `status` are no ids of this theme: kept as written.
    assert_eq!(ra["ids"]["content"], "span", "{ra:#}");
    assert_eq!(ra["ids"]["status"], "a", "{ra:#}");
    assert_eq!(ra["ids"]["content-1"], "span", "{ra:#}");
    let ra_links = ra["links"].as_array().expect("a list");
    assert!(
        ra_links.contains(&serde_json::json!("description-heading-1"))
            && ra_links.contains(&serde_json::json!("main-1"))
            && ra_links.contains(&serde_json::json!("content-1")),
        "{ra:#}"
    );
}
