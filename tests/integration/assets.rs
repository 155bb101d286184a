//! The theme's own files are published under names that carry a hash of
//! their bytes, named by the templates through `asset(path=…)`; the site's
//! `static/` files keep their names.

use crate::util::{TestSite, links, open_challenge};

/// The published name under `static/` of the theme file `stem.*.ext`.
fn published(tree: &std::collections::BTreeMap<String, Vec<u8>>, stem: &str, ext: &str) -> String {
    let found: Vec<&String> = tree
        .keys()
        .filter(|p| {
            p.strip_prefix(&format!("static/{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "static/{stem}.<hash>.{ext} in {:?}",
        tree.keys()
    );
    found[0].clone()
}

#[test]
fn theme_files_carry_a_hash_of_their_bytes_and_pages_name_them() {
    let site = TestSite::new()
        .file("content/challenges/a.md", open_challenge("A", ""))
        .file("static/logo.svg", "<svg/>")
        .file("themes/default/static/fonts/text.woff2", "font 1")
        .file(
            "themes/default/static/extra.css",
            "@font-face{font-family:T;src:url(\"fonts/text.woff2\") format(\"woff2\")}\n",
        );
    let first = site.build(&[]).success().tree();
    let css = published(&first, "style", "css");
    let script = published(&first, "utlys", "js");
    let font = published(&first, "fonts/text", "woff2");
    let extra = published(&first, "extra", "css");
    // No unhashed copy; the site's own file keeps its name.
    for plain in ["static/style.css", "static/utlys.js", "static/favicon.svg"] {
        assert!(!first.contains_key(plain), "{plain} is published");
    }
    assert!(first.contains_key("logo.svg"));
    let page = String::from_utf8(first["challenges/a/index.html"].clone()).unwrap();
    let page_links = links(&page);
    for name in [&css, &script] {
        let url = format!("/{name}");
        assert!(page_links.contains(&url), "{url} not in {page_links:?}");
    }
    let extra_text = String::from_utf8(first[&extra].clone()).unwrap();
    let font_file = font.rsplit('/').next().unwrap();
    assert!(
        extra_text.contains(&format!("url(\"fonts/{font_file}\")")),
        "{extra_text}"
    );

    // A new font: a new name for it and for the style sheet naming it;
    // the other files keep theirs.
    site.write("themes/default/static/fonts/text.woff2", "font 2");
    let second = site.build(&[]).success().tree();
    assert_ne!(published(&second, "fonts/text", "woff2"), font);
    assert_ne!(published(&second, "extra", "css"), extra);
    assert_eq!(published(&second, "style", "css"), css);
    assert!(!second.contains_key(&font), "the old font is left behind");
}

#[test]
fn a_changed_style_sheet_gets_a_new_name_that_every_page_follows() {
    let site = TestSite::new().file("content/challenges/a.md", open_challenge("A", ""));
    let first = site.build(&[]).success().tree();
    let old = published(&first, "style", "css");
    site.write("themes/default/static/style.css", "body { color: #111; }\n");
    let second = site.build(&[]).success().tree();
    let new = published(&second, "style", "css");
    assert_ne!(old, new);
    assert!(!second.contains_key(&old));
    // Every page but the embedded list, which has its own style sheet.
    let pages = second
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && !p.contains("embed/"));
    for (path, bytes) in pages {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains(&format!("/{new}\"")),
            "{path} does not name {new}"
        );
        assert!(!html.contains(&old), "{path} still names {old}");
    }
}

#[test]
fn a_template_naming_a_missing_theme_file_stops_the_build() {
    let site = TestSite::new()
        .file("content/challenges/a.md", open_challenge("A", ""))
        .file(
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}{% block content %}\n<img src=\"{{ asset(path=\"logo.svg\") }}\" alt=\"\">{% endblock %}\n",
        );
    let build = site.build(&["--lang", "en"]).failure();
    assert_eq!(
        build.error_lines(),
        [
            "error: themes/default/templates/page.html:2:26: the template names the theme's file `static/logo.svg`, which does not exist"
        ],
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains(
            "hint: put the file in the theme's static/ folder, or correct the name to one of the theme's files: embed.css, favicon.svg, style.css, utlys.js"
        ),
        "{}",
        build.stderr
    );
    assert!(!site.output().exists());

    let sv = site.build(&["--lang", "sv"]).failure();
    assert!(
        sv.stderr
            .contains("mallen hänvisar till temats fil `static/logo.svg`, som inte finns"),
        "{}",
        sv.stderr
    );
}
