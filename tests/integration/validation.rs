//! Field validation and what reaches the HTML: required fields, stages,
//! dates, zones, unsafe addresses, raw HTML and escaping.

use crate::util::{TestSite, element_text, open_challenge};

#[test]
fn missing_required_fields_are_each_reported() {
    let build = TestSite::new()
        .file("content/challenges/tom.md", "---\nopens: 2023-09-01\n---\n")
        .file("content/sida.md", "---\nsummary: Ingen titel.\n---\n")
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/tom.md:1:1: `buyer`: missing required field `buyer`",
            "error: content/challenges/tom.md:1:1: `published`: missing required field `published`",
            "error: content/challenges/tom.md:1:1: `stage`: missing required field `stage`",
            "error: content/challenges/tom.md:1:1: `summary`: missing required field `summary`",
            "error: content/challenges/tom.md:1:1: `title`: missing required field `title`",
            "error: content/sida.md:1:1: `title`: missing required field `title`",
        ],
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("= hint: add a line such as `stage: rfi` to the front matter")
    );
}

#[test]
fn empty_required_field_is_reported() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: \"  \"\nsummary: S\nbuyer: B\nstage: need\npublished: 2023-06-15\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&["error: content/challenges/a.md:2:8: `title`: `title` is empty"]);
}

#[test]
fn rfi_and_procurement_need_a_deadline() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: procurement\npublished: 2023-06-15\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&["`deadline`: a challenge at the `procurement` stage needs a `deadline`"]);
}

#[test]
fn unknown_stage_suggests_the_nearest() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: rfii\npublished: 2023-06-15\n---\n",
        )
        .file(
            "content/challenges/b.md",
            "---\ntitle: B\nsummary: S\nbuyer: B\nstage: banana\npublished: 2023-06-15\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:5:8: `stage`: unknown stage `rfii`\n  |\n5 | stage: rfii\n  |        ^^^^\n  |\n  = hint: did you mean `rfi`?\n",
            "error: content/challenges/b.md:5:8: `stage`: unknown stage `banana`",
            "= hint: use one of: need, challenge, rfi, dialogue, procurement, concept, prototype, pilot, implementation, cancelled",
        ]);
    assert_eq!(build.error_lines().len(), 2);
}

#[test]
fn impossible_date_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-02-30\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:7:11: `deadline`: invalid date \"2023-02-30\": there is no day 30 in February 2023; it has 28 days",
            "= hint: Write one of: \"2023-08-31\" (the day, closing at 23:59 in Europe/Stockholm)",
        ]);
}

#[test]
fn opens_after_deadline_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: rfi\npublished: 2023-06-15\nopens: 2023-09-01\ndeadline: 2023-08-31\n---\n",
        )
        .build(&[])
        .failure()
        .stderr_has(&["error: content/challenges/a.md:7:8: `opens`: `opens` is not before `deadline`"]);
}

#[test]
fn unknown_timezone_is_rejected_with_a_suggestion() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "timezone: Europe/Stokholm\n"),
        )
        .file(
            "content/challenges/b.md",
            open_challenge("B", "timezone: Mars/Olympus\n"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:7:11: `timezone`: unknown time zone \"Europe/Stokholm\"",
            "= hint: Did you mean \"Europe/Stockholm\"?",
            "error: content/challenges/b.md:7:11: `timezone`: unknown time zone \"Mars/Olympus\"",
        ]);
    assert_eq!(build.error_lines().len(), 2);
}

#[test]
fn unknown_site_timezone_is_rejected() {
    TestSite::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.se/\"\ntimezone = \"Europe/Stokholm\"\n",
        )
        .file("content/challenges/a.md", open_challenge("A", ""))
        .build(&[])
        .failure()
        .stderr_has(&["error: site.toml:3:12: `timezone`: unknown time zone \"Europe/Stokholm\""]);
}

#[test]
fn javascript_respond_url_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "respond:\n  url: javascript:alert(1)\n"),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/a.md:8:8: `respond.url`: addresses starting with `javascript:` are not allowed in a link",
        ]);
}

#[test]
fn javascript_document_url_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge(
                "A",
                "documents:\n  - title: X\n    url: \"JavaScript:alert(1)\"\n",
            ),
        )
        .build(&[])
        .failure()
        .stderr_has(&["error: content/challenges/a.md:9:10: `documents.url`: addresses starting with `javascript:` are not allowed in a link"]);
}

#[test]
fn javascript_link_in_markdown_is_rejected() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "")
                + "\nKlicka [här](javascript:alert(1)) och ![bild](data:image/png;base64,AA).\n",
        )
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/a.md:9:8: the address `javascript:alert(1)` is not allowed",
            "error: content/challenges/a.md:9:39: the address `data:image/png;base64,AA` is not allowed",
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn raw_script_in_markdown_is_removed() {
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge("A", "")
                + "\nFöre skriptet.\n\n<script>alert(\"x\")</script>\n\n<img src=\"x.png\" onerror=\"alert(2)\" alt=\"bild\">\n\n<p onclick=\"alert(3)\">Efter skriptet.</p>\n",
        )
        .build(&[])
        .success();
    let html = build.read("challenges/a/index.html");
    assert!(!html.contains("alert("), "{html}");
    assert!(!html.contains("onerror") && !html.contains("onclick"));
    assert!(html.contains("<p>Före skriptet.</p>"));
    assert!(html.contains("<p>Efter skriptet.</p>"));
    assert!(html.contains("alt=\"bild\""));
}

#[test]
fn quotes_and_tags_in_title_and_summary_are_escaped() {
    let title = r#"Citat "här" <b>fet</b> </script>"#;
    let summary = r#"Sammanfattning "med" <i>kursiv</i> & </script><script>alert(1)</script>"#;
    let build = TestSite::new()
        .file(
            "content/challenges/a.md",
            format!(
                "---\ntitle: '{title}'\nsummary: '{summary}'\nbuyer: B\nstage: need\npublished: 2023-06-15\n---\n"
            ),
        )
        .build(&[])
        .success();
    let page = build.read("challenges/a/index.html");
    assert_eq!(
        element_text(&page, "<h1"),
        "Citat &quot;här&quot; &lt;b&gt;fet&lt;/b&gt; &lt;/script&gt;"
    );
    for (path, bytes) in build.tree() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(!html.contains("<b>fet"), "{path}: raw title");
        assert!(!html.contains("<i>kursiv"), "{path}: raw summary");
        assert!(!html.contains("alert(1)</script>"), "{path}: raw script");
        assert!(!html.contains("\"här\""), "{path}: raw quotes");
        assert_eq!(
            html.matches("</script").count(),
            html.matches("<script").count(),
            "{path}: a </script> without its <script>"
        );
    }
    assert!(page.contains("&lt;i&gt;kursiv&lt;"));
    assert!(page.contains(" &amp; "));
    assert!(build.read("index.html").contains("&lt;b&gt;fet&lt;"));
}
