//! Front matter: `split`, `parse`, `keys` and `locate` on arbitrary files.
//!
//! Beyond "does not panic", it checks the contracts the loader relies on:
//! the split's offsets point at the slices it returns, parse errors point
//! into the front matter, and `locate` answers a char boundary inside the
//! front matter (the loader slices `front[start..]` with it, so anything
//! else would be a panic on a user's file).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use utlys::content::frontmatter::{self, DateText, Step, Text};
use utlys::content::{Contact, DocumentMeta, Fact, Respond};
use utlys::diagnostics::Diagnostic;

// The challenge metadata type is crate-private; this mirror is built from
// the same public field types so the same serde code paths (DateText's map
// visitor for TOML dates, Text's number visitors, deny_unknown_fields on
// nested tables) run on fuzzed input.
#[allow(dead_code)]
#[derive(Deserialize)]
struct Meta {
    title: Option<String>,
    summary: Option<String>,
    buyer: Option<String>,
    stage: Option<String>,
    published: Option<DateText>,
    opens: Option<DateText>,
    deadline: Option<DateText>,
    questions_deadline: Option<DateText>,
    timezone: Option<String>,
    contact: Option<Contact>,
    respond: Option<Respond>,
    #[serde(default)]
    compensation: Option<Text>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    documents: Vec<DocumentMeta>,
    #[serde(default)]
    tags: Vec<String>,
    category: Option<String>,
    #[serde(default)]
    cpv: Vec<String>,
    outcome: Option<String>,
    #[serde(default)]
    updates: Vec<Dated>,
    #[serde(default)]
    questions: Vec<Dated>,
    #[serde(default)]
    events: Vec<Meeting>,
    #[serde(default)]
    phases: Vec<Meeting>,
    lang: Option<String>,
    #[serde(default)]
    draft: bool,
    publish_date: Option<DateText>,
    slug: Option<String>,
    weight: Option<i64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Dated {
    date: DateText,
    text: Option<String>,
    deadline: Option<DateText>,
    answered: Option<DateText>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Meeting {
    start: DateText,
    end: Option<DateText>,
    pay: Option<Text>,
}

/// Paths the loader asks `locate` for, nested ones included.
const PATHS: &[&[&str]] = &[
    &["title"],
    &["deadline"],
    &["contact", "email"],
    &["contact", "name"],
    &["respond", "url"],
    &["documents"],
    &["updates"],
    &["events"],
    &["slug"],
];

fuzz_target!(|data: &[u8]| {
    let Ok(file) = std::str::from_utf8(data) else {
        return;
    };
    // The walker removes a BOM and turns CRLF into LF before splitting; the
    // splitter also promises to cope with CRLF itself, so fuzz both forms.
    let file = file.strip_prefix('\u{feff}').unwrap_or(file);
    check(file);
    if file.contains('\r') {
        check(&file.replace("\r\n", "\n"));
    }
});

fn check(text: &str) {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            assert!(e.span().is_some_and(|s| s.end <= text.len()));
            assert!(!e.message.is_empty() && e.hint.is_some());
            let _ = e.placed("f.md", text, 0).to_string();
            return;
        }
    };
    assert_eq!(
        &text[split.front_offset..split.front_offset + split.front.len()],
        split.front
    );
    assert_eq!(&text[split.body_offset..], split.body);
    assert!(split.front_offset + split.front.len() <= split.body_offset);

    let front = split.front;
    let keys = frontmatter::keys(split.format, front);
    let parsed = frontmatter::parse::<Meta>(split.format, front);
    for error in [keys.as_ref().err(), parsed.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if let Some(span) = error.span() {
            assert!(span.end <= front.len(), "{span:?} in {} bytes", front.len());
        }
        // The loader places the error in the file, with its source line.
        let d = error.clone().placed("f.md", text, split.front_offset);
        let _ = d.to_string();
    }

    let mut paths: Vec<Vec<&str>> = PATHS.iter().map(|p| p.to_vec()).collect();
    if let Ok(keys) = &keys {
        paths.extend(keys.iter().take(16).map(|k| vec![k.as_str()]));
    }
    let Some(fields) = frontmatter::Fields::read(split.format, front) else {
        return;
    };
    for path in &paths {
        let steps: Vec<Step<'_>> = path.iter().map(|k| Step::Key(k)).collect();
        for span in [fields.value(&steps), fields.key(&steps)].into_iter().flatten() {
            assert!(
                span.end <= front.len()
                    && front.is_char_boundary(span.start)
                    && front.is_char_boundary(span.end),
                "{path:?} at {span:?} in a front matter of {} bytes",
                front.len()
            );
            let _ = Diagnostic::error("f.md", "x")
                .at_span(text, span.shifted(split.front_offset))
                .to_string();
        }
    }
}
