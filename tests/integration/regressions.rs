//! Regression tests: one per fixed bug, named after it, each checking the
//! exact behaviour of the fix. Also the search index and the JSON-LD block.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::{TestSite, assert_same_tree, open_challenge, tree};

/// `text` with CRLF line ends and a UTF-8 byte-order mark.
fn windows_file(text: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    bytes
}

/// Every `id="…"` value of `html` (attributes only: ` id="`).
fn ids(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + " id=\"".len()..];
        let end = rest.find('"').expect("the attribute is closed");
        found.push(&rest[..end]);
        rest = &rest[end..];
    }
    found
}

/// The value of the first JSON string member `"key":"…"` in `text` (the
/// tests' values hold no escapes).
#[track_caller]
fn json_string<'a>(text: &'a str, key: &str) -> &'a str {
    let marker = format!("\"{key}\":\"");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    let end = text[at..].find('"').expect("the string is closed") + at;
    &text[at..end]
}

// --- 1. src/content/mod.rs `load`: files of held-back folder pages ---

#[test]
fn draft_folder_files_are_not_published() {
    let site = TestSite::new()
        .file(
            "content/challenges/doc/index.md",
            open_challenge(
                "Hemligt utkast",
                "draft: true\ndocuments:\n  - title: Frågor\n    file: fragor.pdf\n",
            ),
        )
        .file("content/challenges/doc/fragor.pdf", "%PDF-utkast")
        // The same for a folder page scheduled for later.
        .file(
            "content/challenges/plan/index.md",
            open_challenge(
                "Schemalagd",
                "publish_date: 2023-09-01\ndocuments:\n  - title: Plan\n    file: plan.pdf\n",
            ),
        )
        .file("content/challenges/plan/plan.pdf", "%PDF-plan")
        .file("content/challenges/klar.md", open_challenge("Klar", ""));

    let build = site.build(&[]).success();
    assert!(build.exists("challenges/klar/index.html"));
    for path in [
        "challenges/doc/index.html",
        "challenges/doc/fragor.pdf",
        "challenges/plan/index.html",
        "challenges/plan/plan.pdf",
    ] {
        assert!(!build.exists(path), "{path} was published without --drafts");
    }
    let leaked: Vec<String> = build
        .tree()
        .into_keys()
        .filter(|p| p.starts_with("challenges/doc") || p.starts_with("challenges/plan"))
        .collect();
    assert!(leaked.is_empty(), "published: {leaked:?}");

    let build = site.build(&["--drafts"]).success();
    assert!(build.exists("challenges/doc/index.html"));
    assert_eq!(build.read("challenges/doc/fragor.pdf"), "%PDF-utkast");
    assert!(build.exists("challenges/plan/index.html"));
    assert_eq!(build.read("challenges/plan/plan.pdf"), "%PDF-plan");
}

// --- 2. src/write.rs `absolute`: `..` through a missing folder ---

#[test]
fn output_dotdot_through_a_missing_folder_is_refused() {
    let site = TestSite::new()
        .file("content/challenges/a.md", open_challenge("A", ""))
        .file("content/om.md", "---\ntitle: Om\n---\n");
    let content_before = tree(&site.root().join("content"));
    let tmp_before = tree(site.tmp());
    let output = site.root().join("nothere").join("..").join("content");
    let output_str = output.display().to_string();

    let build = site.build(&["--output", &output_str]).failure();
    let content = site
        .root()
        .canonicalize()
        .expect("the site root exists")
        .join("content");
    assert_eq!(
        build.error_lines(),
        [format!(
            "error: {output_str}: the output folder {c} is inside {c}; choose a folder outside the site's sources, such as public/",
            c = content.display()
        )],
        "{}",
        build.stderr
    );
    assert!(build.stdout.is_empty(), "{}", build.stdout);
    assert_eq!(tree(&site.root().join("content")), content_before);
    assert_eq!(tree(site.tmp()), tmp_before, "something was written");
    assert!(!site.root().join("nothere").exists());
}

// --- 3. src/content/frontmatter.rs `yaml_error`: plain YAML messages ---

#[test]
fn yaml_syntax_error_shows_only_our_position() {
    // `tags: [a, b` is line 7 of the file (line 6 of the front matter).
    let build = TestSite::new()
        .file(
            "content/challenges/y.md",
            "---\ntitle: Y\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: need\npublished: 2023-06-15\ntags: [a, b\n---\n\nText.\n",
        )
        .build(&[])
        .failure();
    let errors = build.error_lines();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    // Ours is the only `error:` (none nested inside the message).
    assert_eq!(
        build.stderr.matches("error:").count(),
        1,
        "{}",
        build.stderr
    );
    assert!(
        errors[0].starts_with("error: content/challenges/y.md:7:"),
        "{}",
        build.stderr
    );
    assert!(
        errors[0].contains("the front matter cannot be read: "),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("\n7 | tags: [a, b\n"),
        "{}",
        build.stderr
    );
    for leak in ["line 6", "<input>", " at line "] {
        assert!(
            !build.stderr.contains(leak),
            "stderr has {leak:?}\n{}",
            build.stderr
        );
    }
}

// --- 4. src/pipeline.rs: Markdown checked even when loading failed ---

#[test]
fn link_errors_are_reported_beside_front_matter_errors() {
    let build = TestSite::new()
        // An unknown field: an error, though the page itself still loads.
        .file(
            "content/challenges/a.md",
            open_challenge("A", "dedline: 2023-08-31\n") + "\nText.\n",
        )
        .file(
            "content/challenges/b.md",
            open_challenge("B", "")
                + "\nSe [saknad](@/challenges/missing.md), [a](@/challenges/a.md) och [c](@/challenges/c.md).\n",
        )
        // A YAML syntax error: the page cannot be loaded at all.
        .file(
            "content/challenges/c.md",
            "---\ntitle: C\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\ntags: [a, b\n---\n\nText.\n",
        )
        .build(&[])
        .failure();
    // The links to a.md and c.md are not reported as broken: c.md's own
    // error says what is wrong with it.
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:7:1: `dedline`: unknown field `dedline`",
            "error: content/challenges/b.md:9:4: the link `@/challenges/missing.md` points to a page that does not exist",
            "error: content/challenges/c.md:7:7: the front matter cannot be read: unclosed bracket '['",
        ],
        "{}",
        build.stderr
    );
    for link in ["`@/challenges/a.md`", "`@/challenges/c.md`"] {
        assert!(!build.stderr.contains(link), "{}", build.stderr);
    }
    assert!(
        build
            .stderr
            .contains("Build failed: 3 error(s), 0 warning(s)."),
        "{}",
        build.stderr
    );
    assert!(!build.output.exists());
}

// --- 5. src/content/walk.rs: line ends normalised when read ---

#[test]
fn crlf_line_ends_do_not_leak_into_open_data() {
    let toml = "+++\ntitle = \"Svar i TOML\"\nsummary = \"En kort sammanfattning.\"\nbuyer = \"Exempelstad\"\nstage = \"rfi\"\npublished = 2023-06-15\ndeadline = 2023-08-31\n\n[respond]\ninstructions = \"\"\"\nRad ett\nrad två.\n\nTredje stycket.\n\"\"\"\n+++\n\nText med\ntvå rader.\n";
    let settings = format!("{}ocid_prefix = \"ocds-test00\"\n", crate::util::SITE_TOML);
    let lf = TestSite::new()
        .file("site.toml", &settings)
        .file("content/challenges/t.md", toml)
        .build(&[])
        .success();
    let crlf = TestSite::new()
        .file("site.toml", &settings)
        .file("content/challenges/t.md", windows_file(toml))
        .build(&[])
        .success();
    let challenges = lf.read("api/challenges.json");
    assert!(
        challenges.contains("Rad ett\\nrad två.\\n\\nTredje stycket."),
        "{challenges}"
    );
    assert!(lf.exists("api/ocds.json"));
    for build in [&lf, &crlf] {
        for api in [
            "api/challenges.json",
            "api/ocds.json",
            "api/ocds-records.json",
        ] {
            let text = build.read(api);
            assert!(
                !text.contains('\r') && !text.contains("\\r"),
                "{api}: {text}"
            );
        }
    }
    // Every file of the output, pages and data alike.
    assert_same_tree(&lf.tree(), &crlf.tree());
}

// --- 6. src/markdown.rs + src/render/theme.rs `reserved_ids` ---

#[test]
fn heading_ids_do_not_repeat_the_themes_ids() {
    let build = TestSite::new()
        .file(
            "content/challenges/h.md",
            open_challenge("Rubriker", "")
                + "\n## Main\n\nText.\n\n## Glance heading\n\nMer text.\n\n## Main\n\nIgen.\n",
        )
        .build(&[])
        .success();
    let page = build.read("challenges/h/index.html");
    let all = ids(&page);
    // The theme's own ids are there, and so are the headings'.
    for id in ["main", "glance-heading"] {
        assert!(all.contains(&id), "no id {id:?} in {all:?}");
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &all {
        *counts.entry(id).or_default() += 1;
    }
    let repeated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "repeated ids {repeated:?} in\n{page}");
    // Both `## Main` headings have ids of their own, not the theme's.
    assert_eq!(page.matches(">Main</h2>").count(), 2, "{page}");
    assert!(!page.contains("<h2 id=\"main\">"), "{page}");
    assert!(!page.contains("<h2 id=\"glance-heading\">Glance heading</h2>"));
}

// --- Search index and JSON-LD ---

#[test]
fn search_index_lists_every_published_challenge_with_url_and_status() {
    let fm = |title: &str, stage: &str, extra: &str| {
        format!(
            "---\ntitle: {title}\nsummary: En kort sammanfattning.\nbuyer: Exempelstad\nstage: {stage}\npublished: 2023-06-15\n{extra}---\n"
        )
    };
    let build = TestSite::new()
        .file("content/challenges/oppen.md", fm("Öppen", "need", ""))
        .file(
            "content/challenges/snart.md",
            fm("Snart", "rfi", "deadline: 2023-08-31\n"),
        )
        .file(
            "content/challenges/stangd.md",
            fm("Stängd", "rfi", "deadline: 2023-08-01\n"),
        )
        .file(
            "content/challenges/mapp/index.md",
            fm(
                "Kommande",
                "rfi",
                "opens: 2023-09-01\ndeadline: 2023-10-31\n",
            ),
        )
        .file(
            "content/challenges/utkast.md",
            fm("Utkast", "need", "draft: true\n"),
        )
        .file("content/om.md", "---\ntitle: Om oss\n---\n")
        .build(&["--base-url", "https://example.se/utmaningar/"])
        .success();
    let index = build.read("search-index.json");
    assert!(
        index.starts_with("{\"version\":\"1\",\"challenges\":["),
        "{index}"
    );
    let entries: Vec<(String, String)> = index
        .split("{\"url\":")
        .skip(1)
        .map(|entry| {
            let entry = format!("\"url\":{entry}");
            (
                json_string(&entry, "url").to_string(),
                json_string(&entry, "status").to_string(),
            )
        })
        .collect();
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("/utmaningar/challenges/mapp/", "upcoming"),
            ("/utmaningar/challenges/oppen/", "open"),
            ("/utmaningar/challenges/snart/", "closing-soon"),
            ("/utmaningar/challenges/stangd/", "closed"),
        ]
        .map(|(u, s)| (u.to_string(), s.to_string())),
        "{index}"
    );
    for (url, _) in &entries {
        let path = url.strip_prefix("/utmaningar/").expect("the base path");
        assert!(build.exists(&format!("{path}index.html")), "{url}");
    }
    assert!(!index.contains("Utkast") && !index.contains("Om oss"));
    assert!(index.contains("\"title\":\"Stängd\""), "{index}");
}

/// Parses `json` with Python's `json` module and returns the `name` of
/// every object of the top-level array, one a line.
fn python_names(json: &str) -> String {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import json,sys\nd=json.loads(sys.stdin.read())\nitems=d if isinstance(d,list) else [d]\nsys.stdout.write('\\n'.join(str(i.get('name')) for i in items))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json.as_bytes())
        .expect("write to python3");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(
        out.status.success(),
        "not JSON: {}\n--- JSON ---\n{json}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn json_ld_cannot_end_its_script_element() {
    let title = "Test </script><script>alert(1)</script> & <!-- x";
    let build = TestSite::new()
        .file(
            "content/challenges/x.md",
            open_challenge(&format!("'{title}'"), ""),
        )
        .build(&[])
        .success();
    let page = build.read("challenges/x/index.html");
    let open = "<script type=\"application/ld+json\">";
    assert_eq!(page.matches(open).count(), 1, "{page}");
    let start = page.find(open).unwrap() + open.len();
    let end = page[start..]
        .find("</script>")
        .expect("the block is closed")
        + start;
    let block = &page[start..end];
    assert!(!block.contains('<'), "{block}");
    assert!(!block.contains('>'), "{block}");
    assert!(
        block.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"),
        "{block}"
    );
    assert_eq!(python_names(block), title);
    // Nowhere else on the page does the title open a script either.
    assert!(!page.contains("<script>alert(1)"), "{page}");
}
