//! Challenge folders: documents copied beside the page and listed.

use crate::util::{TestSite, open_challenge};

#[test]
fn folder_document_is_copied_and_listed_with_its_size() {
    let pdf: Vec<u8> = (0..2500u32).map(|i| (i % 251) as u8).collect();
    let build = TestSite::new()
        .file(
            "content/challenges/klimat/index.md",
            open_challenge(
                "Klimat",
                "documents:\n  - title: Frågor till marknaden\n    file: fragor.pdf\n  - title: Bakgrund\n    url: https://example.org/bakgrund\n",
            ),
        )
        .file("content/challenges/klimat/fragor.pdf", &pdf)
        .file("content/challenges/klimat/noter.txt", "Kopieras också.\n")
        .build(&[])
        .success();
    assert_eq!(
        std::fs::read(build.output.join("challenges/klimat/fragor.pdf")).unwrap(),
        pdf
    );
    assert_eq!(
        build.read("challenges/klimat/noter.txt"),
        "Kopieras också.\n"
    );
    let page = build.read("challenges/klimat/index.html");
    let doc = "<a href=\"/challenges/klimat/fragor.pdf\">Frågor till marknaden</a>";
    assert!(page.contains(doc), "{page}");
    let after = &page[page.find(doc).unwrap() + doc.len()..];
    let meta_end = after.find("</li>").unwrap();
    assert!(
        after[..meta_end].contains("(PDF, 2,5\u{a0}kB)"),
        "{}",
        &after[..meta_end]
    );
    assert!(page.contains("<a href=\"https://example.org/bakgrund\">Bakgrund</a>"));
    assert!(page.contains("(Länk)"));
}

#[test]
fn document_of_a_flat_challenge_and_a_renamed_folder_follow_the_page() {
    let build = TestSite::new()
        .file(
            "content/challenges/mapp/index.md",
            open_challenge(
                "Mapp",
                "slug: nytt-namn\ndocuments:\n  - title: Bilaga\n    file: Bilaga 1.pdf\n",
            ),
        )
        .file("content/challenges/mapp/Bilaga 1.pdf", "x".repeat(12))
        .build(&[])
        .success();
    assert!(build.exists("challenges/nytt-namn/Bilaga 1.pdf"));
    assert!(!build.exists("challenges/mapp/Bilaga 1.pdf"));
    let page = build.read("challenges/nytt-namn/index.html");
    assert!(page.contains("href=\"/challenges/nytt-namn/Bilaga%201.pdf\""));
    assert!(page.contains("(PDF, 12 B)"));
}

#[test]
fn listed_document_that_is_missing_is_an_error() {
    let build = TestSite::new()
        .file(
            "content/challenges/klimat/index.md",
            open_challenge(
                "Klimat",
                "documents:\n  - title: Frågor\n    file: saknas.pdf\n",
            ),
        )
        .build(&[])
        .failure()
        .stderr_has(&[
            "error: content/challenges/klimat/index.md:9:11: `documents.file`: the document `saknas.pdf` does not exist\n  |\n9 |     file: saknas.pdf\n  |           ^^^^^^^^^^\n",
        ]);
    assert_eq!(build.error_lines().len(), 1);
}

#[test]
fn document_outside_the_challenge_folder_is_rejected() {
    let build = TestSite::new()
        .file(
            "content/challenges/klimat/index.md",
            open_challenge(
                "Klimat",
                "documents:\n  - title: Utanför\n    file: ../x.pdf\n  - title: Absolut\n    file: /etc/passwd\n",
            ),
        )
        // The file exists, so only the path is wrong.
        .file("content/challenges/x.pdf", "pdf")
        .build(&[])
        .failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: content/challenges/klimat/index.md:9:11: `documents.file`: `../x.pdf` is not a file name inside the challenge's folder",
            "error: content/challenges/klimat/index.md:11:11: `documents.file`: `/etc/passwd` is not a file name inside the challenge's folder",
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn document_with_both_file_and_url_is_rejected() {
    TestSite::new()
        .file(
            "content/challenges/a.md",
            open_challenge(
                "A",
                "documents:\n  - title: Båda\n    file: a.pdf\n    url: https://example.org/a.pdf\n",
            ),
        )
        .build(&[])
        .failure()
        .stderr_has(&["document 1 (`Båda`) needs exactly one of `file` and `url`"]);
}
