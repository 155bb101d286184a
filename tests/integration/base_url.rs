//! A base URL with a path: every root-relative link carries it and leads to
//! a file of the output.

use crate::util::{Build, TestSite, assert_same_tree, challenge, links, percent_decode};

/// A site with every kind of page and a link of every kind.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "content/_index.md",
            "---\ntitle: Startsida\n---\n\nSe [alla](@/challenges/_index.md) och [om](@/om.md).\n",
        )
        .file(
            "content/challenges/_index.md",
            "---\ntitle: Alla utmaningar\n---\n\nIntro.\n",
        )
        .file(
            "content/challenges/platt.md",
            challenge(
                "Platt",
                "category: Klimat och miljö\ntags:\n  - klimat\n  - inköp\n",
            ) + "\n## Bakgrund\n\nSe [mappen](@/challenges/mapp.md#fragor).\n",
        )
        .file(
            "content/challenges/mapp/index.md",
            challenge(
                "Mapp",
                "documents:\n  - title: Frågor\n    file: Frågor och svar.pdf\n  - title: Extern\n    url: https://example.org/a.pdf\n",
            ) + "\n## Frågor\n\n![Karta](karta.png)\n\n[Tillbaka](@/challenges/platt.md#bakgrund)\n",
        )
        .file("content/challenges/mapp/Frågor och svar.pdf", "%PDF-1.4\n")
        .file("content/challenges/mapp/karta.png", [0x89, b'P', b'N', b'G'])
        .file(
            "content/om.md",
            "---\ntitle: Om portalen\nmenu: true\nweight: 1\n---\n\nOm.\n",
        )
        .file(
            "content/tillganglighetsredogorelse.md",
            "---\ntitle: Tillgänglighetsredogörelse\n---\n\nText.\n",
        )
}

/// Checks every `href` and `src` of every HTML page: root-relative ones
/// start with `/utmaningar/` and name a file of the output; absolute ones
/// into the site start with the base URL.
fn assert_links_carry_the_base(build: &Build) {
    let files = build.tree();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).expect("HTML is UTF-8");
        for link in links(&html) {
            if link.starts_with("https://example.se") {
                assert!(
                    link.starts_with("https://example.se/utmaningar/"),
                    "{path}: {link}"
                );
                continue;
            }
            if !link.starts_with('/') {
                continue;
            }
            assert!(!link.starts_with("//"), "{path}: {link}");
            let Some(rest) = link.strip_prefix("/utmaningar/") else {
                panic!("{path}: {link} lacks the base path");
            };
            let rest = percent_decode(rest.split(['#', '?']).next().unwrap_or(""));
            let target = if rest.is_empty() || rest.ends_with('/') {
                format!("{rest}index.html")
            } else {
                rest
            };
            assert!(
                files.contains_key(&target),
                "{path}: {link} leads to no file ({target})"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn base_url_flag_prefixes_every_internal_link() {
    let build = site()
        .build(&["--base-url", "https://example.se/utmaningar/"])
        .success();
    assert_links_carry_the_base(&build);
    let page = build.read("challenges/mapp/index.html");
    assert!(page.contains("href=\"/utmaningar/challenges/mapp/Fr%C3%A5gor%20och%20svar.pdf\""));
    assert!(page.contains("href=\"/utmaningar/challenges/platt/#bakgrund\""));
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.se/utmaningar/challenges/mapp/\">"
    ));
    assert!(page.contains("href=\"https://example.org/a.pdf\""));
    assert!(
        build
            .read("index.html")
            .contains("href=\"/utmaningar/challenges/\"")
    );
}

#[test]
fn base_url_in_site_toml_prefixes_every_internal_link() {
    // Without the trailing slash: it is added.
    let build = site()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://example.se/utmaningar\"\n",
        )
        .build(&[])
        .success();
    assert_links_carry_the_base(&build);
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let flag = site()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://annan.example.se/x/\"\n",
        )
        .build(&["--base-url", "https://example.se/utmaningar/"])
        .success();
    let toml = site()
        .file(
            "site.toml",
            "title = \"Testportal\"\nbase_url = \"https://example.se/utmaningar/\"\n",
        )
        .build(&[])
        .success();
    assert_same_tree(&flag.tree(), &toml.tree());
}

#[test]
fn invalid_base_url_flag_is_an_error() {
    let build = site()
        .build(&["--base-url", "example.se/utmaningar"])
        .failure()
        .stderr_has(&[
            "error: --base-url: `example.se/utmaningar` lacks `https://`, so it becomes a path inside the portal",
            "= hint: add `https://` in front: `https://example.se/utmaningar`",
        ]);
    assert!(!build.output.exists());
}
