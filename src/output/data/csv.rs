//! `api/challenges.csv`: one row per challenge and language, for the
//! people who take the portal to a spreadsheet.
//!
//! Excel is the reader to please: the file starts with a UTF-8 byte order
//! mark (without it Excel reads `å`, `ä` and `ö` as two characters each),
//! fields are separated by `;` (the list separator Excel uses for Swedish
//! and most European settings, so a double click opens it in columns),
//! and quoting follows RFC 4180: a field holding `;`, `"`, a line break or
//! space at either end is quoted, with `"` doubled, and rows end in CRLF.
//! A text that starts like a formula (`=`, `+`, `-`, `@`) gets a `'` in
//! front, so a spreadsheet shows it instead of running it.

use super::{absolute, date, given, stable_id};
use crate::config::lang_code;
use crate::content::model::Contact;
use crate::emit::Output;
use crate::escape::encode_uri;
use crate::output::OutputContext;
use crate::time::Moment;

/// Output path of the CSV of all challenges.
pub const CSV_PATH: &str = "api/challenges.csv";

/// The columns, in order: the header row.
pub const COLUMNS: [&str; 30] = [
    "id",
    "lang",
    "title",
    "summary",
    "buyer",
    "stage",
    "status",
    "published",
    "opens",
    "deadline",
    "questions_deadline",
    "timezone",
    "category",
    "tags",
    "cpv",
    "contact_name",
    "contact_email",
    "contact_phone",
    "respond_url",
    "url",
    "calendar_url",
    "notice_url",
    "notice_id",
    "notice_source",
    "related",
    "regions",
    "value_min",
    "value_max",
    "value_currency",
    "suitable_for",
];

/// Renders `api/challenges.csv`.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let mut out = String::from('\u{FEFF}');
    push_row(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    let related = super::RelatedIndex::new(ctx);
    for (_, page, c) in ctx.challenges() {
        let notice = |f: fn(&crate::content::Notice) -> &str| {
            c.notice.as_ref().map(f).unwrap_or_default().to_string()
        };
        // `follows:challenges/klimat-rfi; related:challenges/skola`
        let links: Vec<String> = related
            .of(page)
            .into_iter()
            .map(|(relation, other)| format!("{}:{}", relation.key(), stable_id(other.page)))
            .collect();
        let contact =
            |f: fn(&Contact) -> &str| c.contact.as_ref().and_then(|p| given(f(p))).unwrap_or("");
        let respond = c.respond.as_ref().and_then(|r| given(&r.url)).unwrap_or("");
        let optional = |m: &Option<Moment>| m.as_ref().map(date).unwrap_or_default();
        let amount = |a: Option<u64>| a.map(|v| v.to_string()).unwrap_or_default();
        let value = c.value.as_ref();
        let row = [
            stable_id(page),
            lang_code(page.lang).to_string(),
            page.title.clone(),
            page.summary.clone(),
            c.buyer.clone(),
            c.stage.key().to_string(),
            c.status.key().to_string(),
            date(&c.published),
            optional(&c.opens),
            optional(&c.deadline),
            optional(&c.questions_deadline),
            c.timezone.clone(),
            c.category.clone().unwrap_or_default(),
            c.tags.join("; "),
            c.cpv.join("; "),
            contact(|p| &p.name).to_string(),
            contact(|p| &p.email).to_string(),
            contact(|p| &p.phone).to_string(),
            encode_uri(respond),
            absolute(ctx, &page.url_path),
            absolute(ctx, &format!("{}calendar.ics", page.url_path)),
            encode_uri(&notice(|n| &n.url)),
            notice(|n| &n.id),
            notice(|n| &n.source),
            links.join("; "),
            c.regions
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
                .join("; "),
            amount(value.and_then(|v| v.min)),
            amount(value.and_then(|v| v.max)),
            value.map(|v| v.currency.clone()).unwrap_or_default(),
            c.suitable_for
                .iter()
                .map(|s| s.key())
                .collect::<Vec<_>>()
                .join("; "),
        ];
        push_row(&mut out, row.into_iter());
    }
    vec![Output {
        path: CSV_PATH.to_string(),
        data: crate::emit::OutputData::Bytes(out.into_bytes()),
    }]
}

/// Appends one row of `fields`, each quoted when it needs to be, ended by
/// CRLF.
fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_field(out, &field);
    }
    out.push_str("\r\n");
}

/// Appends `field` as RFC 4180 asks (with `;` as the separator), with a
/// `'` before a text a spreadsheet would take for a formula.
fn push_field(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula
        || field.contains([';', '"', '\n', '\r'])
        || field.starts_with(' ')
        || field.ends_with(' ');
    if !quote {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, text);
        out
    }

    #[test]
    fn fields_are_quoted_only_when_they_need_to_be() {
        assert_eq!(field("Helsingborgs stad"), "Helsingborgs stad");
        assert_eq!(field("Malmö; Lund"), "\"Malmö; Lund\"");
        assert_eq!(field("Säg \"hej\""), "\"Säg \"\"hej\"\"\"");
        assert_eq!(field("rad 1\nrad 2"), "\"rad 1\nrad 2\"");
        assert_eq!(field(" kant"), "\" kant\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn a_text_that_starts_like_a_formula_is_not_run() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-5"), "\"'-5\"");
        assert_eq!(field("@a"), "\"'@a\"");
    }

    #[test]
    fn rows_end_in_crlf() {
        let mut out = String::new();
        push_row(&mut out, ["a", "b;c"].into_iter().map(String::from));
        assert_eq!(out, "a;\"b;c\"\r\n");
    }
}
