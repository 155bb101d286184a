//! The browser editor: `utlys init --cms decap` and `utlys cms`.

use std::fs;

use crate::util::run;

#[test]
fn init_with_cms_writes_an_admin_page_that_is_published_but_not_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    let d = dir.to_str().unwrap();
    let out = run(&["init", d, "--cms", "decap", "--lang", "en"]);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(
        out.stdout.contains("static/admin/config.yml"),
        "{}",
        out.stdout
    );
    let config = fs::read_to_string(dir.join("static/admin/config.yml")).unwrap();
    assert!(config.contains("publish_mode: editorial_workflow"));
    let public = tmp.path().join("public");
    let out = run(&[
        "build",
        "--root",
        d,
        "--output",
        public.to_str().unwrap(),
        "--allow-example-url",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", out.stderr);
    let page = fs::read_to_string(public.join("admin/index.html")).unwrap();
    assert!(page.contains("noindex"));
    assert!(public.join("admin/config.yml").is_file());
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("admin"), "{sitemap}");
    for entry in fs::read_dir(&public).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("search") && path.is_file() {
            let index = fs::read_to_string(&path).unwrap();
            assert!(!index.contains("/admin/"), "{name} lists the admin page");
        }
    }
}

#[test]
fn cms_rewrites_its_own_files_and_refuses_others() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    let out = run(&["cms", "--root", d, "--lang", "en"]);
    assert!(out.status.success(), "{}", out.stderr);
    // After a setting changes, a second run follows it.
    let toml = tmp.path().join("site.toml");
    let settings = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("{settings}\n[cms]\nbackend = \"github\"\nrepo = \"stad/portal\"\n"),
    )
    .unwrap();
    assert!(run(&["cms", "--root", d]).status.success());
    let config = fs::read_to_string(tmp.path().join("static/admin/config.yml")).unwrap();
    assert!(
        config.contains("backend:\n  name: \"github\"\n  repo: \"stad/portal\""),
        "{config}"
    );

    // A configuration written by hand is never replaced.
    let own = "backend:\n  name: git-gateway\n";
    fs::write(tmp.path().join("static/admin/config.yml"), own).unwrap();
    let out = run(&["cms", "--root", d, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.contains("was not made by `utlys cms`"),
        "{}",
        out.stderr
    );
    let after = fs::read_to_string(tmp.path().join("static/admin/config.yml")).unwrap();
    assert_eq!(after, own);
}

#[test]
fn cms_follows_no_link_out_of_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let d = tmp.path().join("site");
    let d = d.to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    let site = tmp.path().join("site");
    // `static/admin` as a link to a folder outside the site.
    fs::create_dir_all(site.join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.join("static/admin")).unwrap();
    for lang in ["en", "sv"] {
        let out = run(&["cms", "--root", d, "--lang", lang]);
        assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
        let says = if lang == "en" {
            "is a symbolic link, which may lead out of the site; nothing was written"
        } else {
            "är en symbolisk länk, som kan leda ut ur webbplatsen; ingenting skrevs"
        };
        assert!(out.stderr.contains(says), "{}", out.stderr);
    }
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    // A link as one of the files, to a file outside that even carries the
    // mark of `utlys cms`: left as it is.
    fs::remove_file(site.join("static/admin")).unwrap();
    fs::create_dir(site.join("static/admin")).unwrap();
    let target = outside.path().join("kept.yml");
    fs::write(&target, "# Gjord av `utlys cms`\nmine\n").unwrap();
    std::os::unix::fs::symlink(&target, site.join("static/admin/config.yml")).unwrap();
    let out = run(&["cms", "--root", d, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "# Gjord av `utlys cms`\nmine\n"
    );
}

#[test]
fn an_unknown_cms_backend_is_named_in_site_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    let toml = tmp.path().join("site.toml");
    let settings = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("{settings}\n[cms]\nbackend = \"bitbucket\"\n"),
    )
    .unwrap();
    let out = run(&["cms", "--root", d, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.contains("invalid-cms-setting") || out.stderr.contains("bitbucket"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("gitlab, gitea, github"),
        "{}",
        out.stderr
    );
    assert!(!tmp.path().join("static/admin").exists());
}
