//! Markdown: `render` with sanitising on, as every site builds.
//!
//! Whatever the writer (or whoever they copied from) put in the Markdown,
//! the HTML must not run script: no `<script>` element, no `on…` event
//! handler attribute, no `javascript:`/`vbscript:`/`data:` address in an
//! attribute that the browser follows, and no inline style beyond the table
//! alignment Markdown itself writes (arbitrary CSS can overlay a fake page).
//! The words "javascript:" or "onclick" as visible, escaped text are fine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use utlys::markdown::{Links, render};

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = render(markdown, &Links::default(), true);
    check_html(&rendered.html);
    for problem in &rendered.problems {
        assert!(problem.span().is_some_and(|s| s.end <= markdown.len()));
        let _ = problem.clone().placed("f.md", markdown, 0).to_string();
    }
    for id in &rendered.anchors {
        assert!(
            !id.is_empty() && !id.contains(['"', '<', '>', ' ', '&']),
            "{id:?}"
        );
    }
});

/// Attributes whose value the browser loads or navigates to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "cite",
    "srcset",
    "data",
];

fn check_html(html: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a script element survived:\n{html}"
    );
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            // `</…>`, `<!…>` or a lone `<` (which a real parser treats as
            // text); end tags and comments carry no attributes.
            continue;
        }
        let tag = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        rest = check_attributes(&tag, rest, html);
    }
}

/// Reads the attributes of one start tag; returns the text after it.
fn check_attributes<'a>(tag: &str, mut rest: &'a str, html: &str) -> &'a str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return rest;
        }
        if let Some(after) = rest.strip_prefix('>') {
            return after;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = remaining;
        }
        assert!(
            !name.starts_with("on"),
            "event handler `{name}` on <{tag}>:\n{html}"
        );
        if URL_ATTRIBUTES.contains(&name.as_str()) {
            let url = as_browser_reads(&value);
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !url.starts_with(scheme),
                    "`{name}={value:?}` on <{tag}>:\n{html}"
                );
            }
        }
        if name == "style" {
            let allowed = value.split(';').map(str::trim).all(|decl| {
                decl.is_empty()
                    || decl
                        .split_once(':')
                        .is_some_and(|(p, _)| p.trim().eq_ignore_ascii_case("text-align"))
            });
            assert!(allowed, "style {value:?} on <{tag}>:\n{html}");
        }
    }
}

/// The address as a browser's URL parser sees its scheme: C0 controls and
/// spaces trimmed from both ends, tabs and line breaks removed anywhere,
/// letters folded. Other controls stay, and make the text a relative path
/// rather than a scheme (`jav\x10ascript:` is harmless; the first run of
/// this target flagged it because the check stripped every control).
fn as_browser_reads(value: &str) -> String {
    value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Decodes the character references a serializer writes (`&amp;`, `&quot;`,
/// `&#NN;`, `&#xNN;`) and the named ones an attacker would try (`&colon;`,
/// `&Tab;`, `&NewLine;`), so the scheme check sees what the browser sees.
fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
