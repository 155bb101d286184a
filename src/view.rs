//! The data templates see: challenges, taxonomies and pages as JSON values,
//! built once per build and shared by every page that shows them.

use serde_json::{Value, json};
use tera::Value as TValue;
use tera::value::Key;

use crate::config::Config;
use crate::content::{Challenge, DocumentTarget, Page};
use crate::model::Lang;
use crate::time::{self, Moment, Status, Timestamp};

pub use crate::content::{Taxonomy, stage_label, status_label};
pub use crate::escape::encode_path;
pub use crate::model::{PageHtml, Strings, t};

/// Everything the challenge context needs besides the challenge.
pub struct Env<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// UI strings of the page's language.
    pub strings: &'a Strings,
    /// The page language.
    pub lang: Lang,
    /// The build clock.
    pub now: Timestamp,
    /// The language's folder: `""` or `en/`.
    pub prefix: String,
}

impl Env<'_> {
    /// Root-relative URL (with the base path) of output folder `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// Absolute URL of output folder `path`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// URL of a taxonomy term page.
    pub fn term_url(&self, taxonomy: Taxonomy, slug: &str) -> String {
        self.url(&format!("{}{}/{slug}/", self.prefix, taxonomy.key()))
    }

    fn moment(&self, m: &Moment, with_days: bool) -> TValue {
        let mut v = tera::Map::default();
        let mut put = |key: &'static str, value: TValue| {
            v.insert(Key::Str(key), value);
        };
        put("rfc3339", time::rfc3339(&m.zoned).into());
        put("display", time::format_long(&m.zoned, self.lang).into());
        put("date", time::format_date_short(&m.zoned, self.lang).into());
        put("date_long", time::format_date(&m.zoned, self.lang).into());
        put("zone", m.zoned.time_zone().iana_name().unwrap_or("").into());
        if with_days {
            let days = time::days_left(self.now, &m.zoned);
            put("days_left", days.into());
            put(
                "days_left_text",
                time::days_left_text(days, self.lang).into(),
            );
            put("passed", (m.zoned.timestamp() <= self.now).into());
        }
        TValue::from(v)
    }
}

/// A template object with fixed keys. Cards and challenges are made as the
/// values templates read, without JSON in between: a large site makes
/// thousands of them, and every key and string of a converted value would
/// be allocated again.
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut map = tera::Map::default();
        $( map.insert(Key::Str($key), TValue::from($value)); )*
        TValue::from(map)
    }};
}

/// The short form of a challenge that lists and cards show: built once per
/// language and shared by every list the challenge appears in.
pub fn card(env: &Env<'_>, page: &Page, c: &Challenge) -> TValue {
    let strings = env.strings;
    let term = |tax: Taxonomy, name: &str| {
        obj! { "name" => name, "url" => env.term_url(tax, &slug::slugify(name)) }
    };
    obj! {
        "title" => page.title.as_str(),
        "summary" => page.summary.as_str(),
        "url" => env.url(&page.url_path),
        "permalink" => env.permalink(&page.url_path),
        "lang" => crate::config::lang_code(page.lang),
        "buyer" => term(Taxonomy::Buyers, &c.buyer),
        "stage" => obj! {
            "key" => c.stage.key(),
            "label" => stage_label(c.stage, strings),
            "url" => env.term_url(Taxonomy::Stages, c.stage.key()),
        },
        "status" => obj! {
            "key" => c.status.key(),
            "label" => status_label(c.status, strings),
            "url" => env.term_url(Taxonomy::Status, c.status.key()),
        },
        "deadline" => c.deadline.as_ref().map(|m| env.moment(m, true)),
        "opens" => c.opens.as_ref().map(|m| env.moment(m, true)),
        "questions_deadline" => c.questions_deadline.as_ref().map(|m| env.moment(m, true)),
        "published" => env.moment(&c.published, false),
        "timezone" => c.timezone.as_str(),
        "category" => c.category.as_deref().map(|n| term(Taxonomy::Categories, n)),
        "tags" => c.tags.iter().map(|n| term(Taxonomy::Tags, n)).collect::<Vec<_>>(),
    }
}

/// The `challenge` object of a challenge page: the card and everything else.
pub fn challenge(env: &Env<'_>, page: &Page, c: &Challenge, html: &PageHtml) -> TValue {
    let strings = env.strings;
    let documents: Vec<TValue> = c
        .documents
        .iter()
        .map(|d| match &d.target {
            DocumentTarget::File {
                out_path,
                size,
                kind,
            } => obj! {
                "title" => d.title.as_str(),
                "url" => env.url(&encode_path(out_path)),
                "kind" => kind.as_str(),
                "size" => format_size(*size, env.lang),
                "external" => false,
            },
            DocumentTarget::Url(url) => obj! {
                "title" => d.title.as_str(),
                "url" => url.as_str(),
                "kind" => t(strings, "doc_link", "Länk"),
                "size" => "",
                "external" => true,
            },
        })
        .collect();
    let strs = |v: &[String]| {
        v.iter()
            .map(String::as_str)
            .map(TValue::from)
            .collect::<Vec<_>>()
    };
    let full = obj! {
        "cpv" => strs(&c.cpv),
        "contact" => c.contact.as_ref().map(|p| obj! {
            "name" => p.name.as_str(), "role" => p.role.as_str(), "email" => p.email.as_str(),
            "phone" => p.phone.as_str(), "phone_uri" => phone_uri(&p.phone),
        }),
        "respond" => c.respond.as_ref().map(|r| obj! {
            "url" => r.url.as_str(), "instructions_html" => html.instructions.as_str(),
        }),
        "compensation" => c.compensation.as_str(),
        "facts" => c.facts.iter().map(|f| obj! { "label" => f.label.as_str(), "value" => f.value.as_str() }).collect::<Vec<_>>(),
        "documents" => documents,
        "outcome_html" => html.outcome.as_str(),
        "content" => html.content.as_str(),
        // Newest first on the page; anchors count oldest first, as the feed does.
        "updates" => c.updates.iter().zip(&html.updates).enumerate().rev().map(|(n, (u, text))| {
            let change = |ch: &Option<(Option<Moment>, Moment)>| ch.as_ref().map(|(old, new)| obj! {
                "from" => old.as_ref().map(|m| env.moment(m, false)),
                "to" => env.moment(new, false),
            });
            obj! {
                "anchor" => format!("andring-{}", n + 1),
                "date" => env.moment(&u.date, false),
                "text_html" => text.as_str(),
                "deadline_change" => change(&u.deadline),
                "questions_deadline_change" => change(&u.questions_deadline),
            }
        }).collect::<Vec<_>>(),
        "questions" => c.questions.iter().zip(&html.answers).map(|(q, answer)| obj! {
            "question" => q.question.as_str(),
            "answer_html" => answer.as_str(),
            "asked" => env.moment(&q.asked, false),
            "answered" => q.answered.as_ref().map(|m| env.moment(m, false)),
            "anchor" => q.anchor.as_str(),
        }).collect::<Vec<_>>(),
        "events" => c.events.iter().zip(&html.events).map(|(e, description)| obj! {
            "title" => e.title.as_str(),
            "start" => env.moment(&e.start, true),
            "end" => env.moment(&e.end, false),
            "time_range" => time_range(&e.start.zoned, &e.end.zoned, env.lang),
            "place" => e.place.as_str(),
            "url" => e.url.as_str(),
            "description_html" => description.as_str(),
        }).collect::<Vec<_>>(),
        "phases" => c.phases.iter().map(|p| obj! {
            "name" => p.name.as_str(),
            "start" => env.moment(&p.start, false),
            "end" => env.moment(&p.end, false),
            "pay" => p.pay.as_str(),
            "suppliers" => p.suppliers.as_str(),
        }).collect::<Vec<_>>(),
        "phases_svg" => timeline_svg(c),
        "calendar_url" => env.url(&format!("{}calendar.ics", page.url_path)),
        "json_ld" => json_ld(env, page, c),
    };
    with_entries(card(env, page, c), full.into_map().unwrap_or_default())
}

/// Object `value` with the entries of `extra` added.
pub fn with_entries(value: TValue, extra: tera::Map) -> TValue {
    let mut map = value.into_map().unwrap_or_default();
    map.extend(extra);
    TValue::from(map)
}

/// schema.org JSON-LD for a challenge page: a `Demand` sought by the buyer,
/// plus an `FAQPage` when there are public questions. Returned as text that
/// is safe inside `<script type="application/ld+json">`.
fn json_ld(env: &Env<'_>, page: &Page, c: &Challenge) -> String {
    let permalink = env.permalink(&page.url_path);
    let mut demand = json!({
        "@context": "https://schema.org",
        "@type": "Demand",
        "@id": format!("{permalink}#demand"),
        "name": page.title,
        "description": page.summary,
        "url": permalink,
        "@reverse": { "seeks": { "@type": "GovernmentOrganization", "name": c.buyer } },
    });
    if let Some(d) = &c.deadline {
        demand["availabilityEnds"] = json!(time::rfc3339(&d.zoned));
    }
    if let Some(o) = c.opens.as_ref().or(Some(&c.published)) {
        demand["availabilityStarts"] = json!(time::rfc3339(&o.zoned));
    }
    if let Some(cat) = &c.category {
        demand["category"] = json!(cat);
    }
    let mut graph = vec![demand];
    if !c.questions.is_empty() {
        graph.push(json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "url": permalink,
            "mainEntity": c.questions.iter().map(|q| json!({
                "@type": "Question",
                "name": q.question,
                "url": format!("{permalink}#{}", q.anchor),
                "dateCreated": time::rfc3339(&q.asked.zoned),
                "acceptedAnswer": { "@type": "Answer", "text": q.answer },
            })).collect::<Vec<_>>(),
        }));
    }
    script_safe_json(&Value::Array(graph))
}

/// JSON that cannot end a `<script>` element or open a comment: `<`, `>`
/// and `&` are written as `\u` escapes, which JSON parsers read back as is.
pub fn script_safe_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// "14.00–16.00" on one day, or two long dates when a meeting spans days.
fn time_range(start: &time::Zoned, end: &time::Zoned, lang: Lang) -> String {
    let hm = |z: &time::Zoned| match lang {
        Lang::Sv => z.strftime("%H.%M").to_string(),
        Lang::En => z.strftime("%H:%M").to_string(),
    };
    if start.date() == end.date() {
        format!(
            "{} {}–{}",
            time::format_date(start, lang),
            hm(start),
            hm(end)
        )
    } else {
        format!(
            "{} – {}",
            time::format_long(start, lang),
            time::format_long(end, lang)
        )
    }
}

/// The phase plan as a small inline SVG: one bar per phase on a shared time
/// axis. It is decorative (`aria-hidden`): the same plan is shown as a list.
fn timeline_svg(c: &Challenge) -> String {
    let (Some(first), Some(last)) = (
        c.phases.iter().map(|p| p.start.zoned.timestamp()).min(),
        c.phases.iter().map(|p| p.end.zoned.timestamp()).max(),
    ) else {
        return String::new();
    };
    let span = (last.as_second() - first.as_second()).max(1) as f64;
    let (width, row) = (600.0, 28.0);
    let height = row * c.phases.len() as f64 + 4.0;
    let mut svg = format!(
        r#"<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" aria-hidden="true" focusable="false">"#
    );
    for (i, p) in c.phases.iter().enumerate() {
        let x = (p.start.zoned.timestamp().as_second() - first.as_second()) as f64 / span
            * (width - 2.0)
            + 1.0;
        let w = ((p.end.zoned.timestamp().as_second() - p.start.zoned.timestamp().as_second())
            as f64
            / span
            * (width - 2.0))
            .max(4.0);
        let y = i as f64 * row + 2.0;
        svg.push_str(&format!(
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" rx="3"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            row - 8.0,
            (x + 6.0).min(width - 150.0),
            y + row / 2.0 + 1.0,
            crate::escape::xml(&p.name),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// `tel:` form of a phone number: digits and a leading `+` only.
fn phone_uri(phone: &str) -> String {
    let mut digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if phone.trim_start().starts_with('+') {
        digits.insert(0, '+');
    }
    digits
}

/// A file size as people write it: "240 kB", "1,2 MB" (sv) / "1.2 MB" (en).
pub fn format_size(bytes: u64, lang: Lang) -> String {
    let (value, unit) = match bytes {
        0..1_000 => return format!("{bytes} B"),
        1_000..1_000_000 => (bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => (bytes as f64 / 1e6, "MB"),
        _ => (bytes as f64 / 1e9, "GB"),
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = match lang {
        Lang::Sv => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text}\u{a0}{unit}")
}

/// Order of challenges on the home page and in lists: open ones by soonest
/// deadline, then upcoming by opening, then closed by latest deadline.
pub fn list_order(a: &Challenge, b: &Challenge) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let group = |c: &Challenge| match c.status {
        Status::ClosingSoon | Status::Open => 0,
        Status::Upcoming => 1,
        Status::Closed => 2,
    };
    let ts = |m: &Option<Moment>| m.as_ref().map(|m| m.zoned.timestamp());
    group(a).cmp(&group(b)).then_with(|| match group(a) {
        0 => match (ts(&a.deadline), ts(&b.deadline)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        1 => ts(&a.opens).cmp(&ts(&b.opens)),
        _ => ts(&b.deadline).cmp(&ts(&a.deadline)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(240_000, Lang::Sv), "240\u{a0}kB");
        assert_eq!(format_size(1_234_567, Lang::Sv), "1,2\u{a0}MB");
        assert_eq!(format_size(1_234_567, Lang::En), "1.2\u{a0}MB");
        assert_eq!(format_size(12, Lang::En), "12 B");
    }

    #[test]
    fn json_for_scripts_cannot_close_the_element() {
        let v = json!({ "t": "</script><!-- & \u{2028}" });
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
