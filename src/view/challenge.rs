//! The `challenge` of a challenge page: its card and everything else.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Env, MomentView, Taxonomy, card, encode_path, script_safe_json, t, value, with_entries,
};
use crate::content::{Challenge, DocumentTarget, Page};
use crate::model::{Lang, PageHtml};
use crate::time::{self, Moment};

/// What `challenge` in `challenge.html` has besides the fields of its
/// [`Card`](super::Card). The texts written in Markdown come as HTML (fields ending in
/// `_html`, and `content`), to be shown with `| safe`.
#[derive(Debug, Serialize)]
pub struct ChallengeDetails<'a> {
    /// CPV codes (`NNNNNNNN-N`).
    pub cpv: &'a [String],
    /// The CPV codes with their meaning and their division's page.
    pub cpv_codes: Vec<CpvView<'a>>,
    /// Whom to ask, if anyone is named.
    pub contact: Option<ContactView<'a>>,
    /// How to respond, if written.
    pub respond: Option<RespondView<'a>>,
    /// The official notice of the procurement, if written.
    pub notice: Option<NoticeView<'a>>,
    /// The other challenges of the site this one is related to, both those
    /// it names and those that name it (the relation then reversed).
    pub related: &'a [RelatedLink],
    /// What respondents are paid, in words; empty when not written.
    pub compensation: &'a str,
    /// Key figures, as label and value pairs.
    pub facts: Vec<FactView<'a>>,
    /// Documents: files beside the page and links.
    pub documents: Vec<DocumentView<'a>>,
    /// The outcome as HTML; empty when not written.
    pub outcome_html: &'a str,
    /// The page's text as HTML.
    pub content: &'a str,
    /// Amendments, newest first.
    pub updates: Vec<UpdateView<'a>>,
    /// Public questions and answers, in the order written.
    pub questions: Vec<QuestionView<'a>>,
    /// Meetings of the market dialogue.
    pub events: Vec<EventView<'a>>,
    /// The phase plan.
    pub phases: Vec<PhaseView<'a>>,
    /// The phase plan as an inline SVG (decorative, `aria-hidden`); empty
    /// without phases.
    pub phases_svg: String,
    /// The "ask a question" action: where to ask and until when. Set only
    /// while the last day for questions is ahead at the build clock and
    /// there is somewhere to ask (`questions_url`, else the contact's
    /// e-mail).
    pub ask: Option<AskView>,
    /// The challenge's own calendar file.
    pub calendar_url: String,
    /// The challenge's own Atom feed.
    pub feed: super::FeedLink,
    /// schema.org JSON-LD (`Demand`, and `FAQPage` with questions), safe
    /// inside `<script type="application/ld+json">` with `| safe`.
    pub json_ld: String,
}

/// A CPV code with what it means.
#[derive(Debug, Serialize)]
pub struct CpvView<'a> {
    /// The code as written: `72000000-5`.
    pub code: &'a str,
    /// Its name in the page's language: the code's own when the built-in
    /// list has it, else its group's or division's; empty when unknown.
    pub name: &'static str,
    /// Whether `name` is the code's own (not its group's or division's).
    pub exact: bool,
    /// The page of its division (`/cpv/72000000/`); empty when unknown.
    pub division_url: String,
}

/// The person to ask.
#[derive(Debug, Serialize)]
pub struct ContactView<'a> {
    /// Name.
    pub name: &'a str,
    /// Role or title; may be empty.
    pub role: &'a str,
    /// E-mail address; may be empty.
    pub email: &'a str,
    /// Phone number as written; may be empty.
    pub phone: &'a str,
    /// The phone number for a `tel:` link: digits and a leading `+`.
    pub phone_uri: String,
}

/// How to respond.
#[derive(Debug, Serialize)]
pub struct RespondView<'a> {
    /// Where to send the answer; may be empty.
    pub url: &'a str,
    /// The instructions as HTML; may be empty.
    pub instructions_html: &'a str,
}

/// The official notice of a procurement.
#[derive(Debug, Serialize)]
pub struct NoticeView<'a> {
    /// Where it is published.
    pub url: &'a str,
    /// Its number in the database (`2026/S 123-456789`); may be empty.
    pub id: &'a str,
    /// The database (`TED`, `e-Avrop`); may be empty.
    pub source: &'a str,
}

/// A link to a related challenge, as the page it is shown on sees it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct RelatedLink {
    /// How the page stands to the other challenge: `follows`,
    /// `followed-by` or `related`.
    pub relation: &'static str,
    /// That relation in words of the page's language (`Följs av`).
    pub label: String,
    /// The other challenge's title.
    pub title: String,
    /// Its page, in the page's language when it has that version.
    pub url: String,
    /// The language of the page linked to (`sv`).
    pub lang: &'static str,
    /// Whether that language differs from the page's own.
    pub other_lang: bool,
    /// The other challenge's stage: key (`procurement`) and name.
    pub stage: &'static str,
    /// See `stage`.
    pub stage_label: String,
}

/// Where and until when suppliers may ask a question.
#[derive(Debug, Serialize)]
pub struct AskView {
    /// `questions_url` as written, or a `mailto:` link to the contact with
    /// the challenge's title as the subject (percent-encoded).
    pub url: String,
    /// Whether `url` is an e-mail link.
    pub email: bool,
    /// The last day for questions in force, RFC 3339: the page's script
    /// hides the action once the reader's clock passes it.
    pub until: String,
}

/// A key figure.
#[derive(Debug, Serialize)]
pub struct FactView<'a> {
    /// What the figure is.
    pub label: &'a str,
    /// The figure.
    pub value: &'a str,
}

/// A document: a file published beside the page, or a link.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    /// The title.
    pub title: &'a str,
    /// Where it is.
    pub url: Cow<'a, str>,
    /// The kind of file (`PDF`), or the word for a link.
    pub kind: &'a str,
    /// A file's size in words (`240 kB`); empty for a link.
    pub size: String,
    /// Whether it is a link to another site.
    pub external: bool,
}

/// An amendment.
#[derive(Debug, Serialize)]
pub struct UpdateView<'a> {
    /// The id of its element: `andring-1` for the oldest, as in the feed.
    pub anchor: String,
    /// When it was made.
    pub date: MomentView<'a>,
    /// The text as HTML.
    pub text_html: &'a str,
    /// The deadline it moved, if it did.
    pub deadline_change: Option<ChangeView<'a>>,
    /// The last day for questions it moved, if it did.
    pub questions_deadline_change: Option<ChangeView<'a>>,
}

/// A moved date.
#[derive(Debug, Serialize)]
pub struct ChangeView<'a> {
    /// The date before; none when the amendment sets a first date.
    pub from: Option<MomentView<'a>>,
    /// The date after.
    pub to: MomentView<'a>,
}

/// A public question and its answer.
#[derive(Debug, Serialize)]
pub struct QuestionView<'a> {
    /// The question.
    pub question: &'a str,
    /// The answer as HTML.
    pub answer_html: &'a str,
    /// When it was asked.
    pub asked: MomentView<'a>,
    /// When it was answered, if written.
    pub answered: Option<MomentView<'a>>,
    /// The id of its element.
    pub anchor: &'a str,
}

/// A meeting.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    /// The title.
    pub title: &'a str,
    /// When it starts, with days left.
    pub start: MomentView<'a>,
    /// When it ends.
    pub end: MomentView<'a>,
    /// "torsdag 31 augusti 2023 14.00–16.00", or two dates and times when
    /// it spans days.
    pub time_range: String,
    /// Where; may be empty.
    pub place: &'a str,
    /// A link (to sign up, to join online); may be empty.
    pub url: &'a str,
    /// The description as HTML; may be empty.
    pub description_html: &'a str,
}

/// A phase of the plan.
#[derive(Debug, Serialize)]
pub struct PhaseView<'a> {
    /// The name.
    pub name: &'a str,
    /// When it starts.
    pub start: MomentView<'a>,
    /// When it ends.
    pub end: MomentView<'a>,
    /// What each supplier is paid; may be empty.
    pub pay: &'a str,
    /// Who takes part; may be empty.
    pub suppliers: &'a str,
}

/// The `challenge` object of a challenge page: the fields of its [`Card`](super::Card)
/// and of [`ChallengeDetails`].
pub fn challenge(
    env: &Env<'_>,
    page: &Page,
    c: &Challenge,
    html: &PageHtml,
    related: &[RelatedLink],
) -> tera::Value {
    let details = ChallengeDetails {
        cpv: &c.cpv,
        cpv_codes: c
            .cpv
            .iter()
            .map(|code| {
                let (name, exact) = crate::content::cpv_name(code, env.lang).unwrap_or(("", false));
                CpvView {
                    code,
                    name,
                    exact,
                    division_url: crate::content::cpv_division(code)
                        .map(|(d, _)| env.term_url(Taxonomy::Cpv, &d))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        contact: c.contact.as_ref().map(|p| ContactView {
            name: &p.name,
            role: &p.role,
            email: &p.email,
            phone: &p.phone,
            phone_uri: phone_uri(&p.phone),
        }),
        respond: c.respond.as_ref().map(|r| RespondView {
            url: &r.url,
            instructions_html: &html.instructions,
        }),
        notice: c.notice.as_ref().map(|n| NoticeView {
            url: &n.url,
            id: &n.id,
            source: &n.source,
        }),
        related,
        compensation: &c.compensation,
        facts: c
            .facts
            .iter()
            .map(|f| FactView {
                label: &f.label,
                value: &f.value,
            })
            .collect(),
        documents: documents(env, c),
        outcome_html: &html.outcome,
        content: &html.content,
        updates: updates(env, c, html),
        questions: questions(env, c, html),
        events: events(env, c, html),
        phases: phases(env, c),
        phases_svg: timeline_svg(c),
        ask: ask(env, page, c),
        calendar_url: env.url(&format!("{}calendar.ics", page.url_path)),
        feed: super::FeedLink::new(env.config, &crate::output::feed::challenge_feed_path(page)),
        json_ld: json_ld(env, page, c),
    };
    let details = value(&details).into_map().unwrap_or_default();
    with_entries(value(&card(env, page, c)), details)
}

/// The "ask a question" action of `c`, while questions may still be asked.
fn ask(env: &Env<'_>, page: &Page, c: &Challenge) -> Option<AskView> {
    let deadline = c.questions_deadline.as_ref()?;
    if deadline.zoned.timestamp() <= env.now || c.status == time::Status::Closed {
        return None;
    }
    let (url, email) = if c.questions_url.is_empty() {
        let to = c.contact.as_ref().map(|p| p.email.as_str()).unwrap_or("");
        if to.is_empty() {
            return None;
        }
        let subject = crate::escape::encode_component(&page.title);
        (format!("mailto:{to}?subject={subject}"), true)
    } else {
        let url = &c.questions_url;
        (
            url.clone(),
            url.get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("mailto:")),
        )
    };
    Some(AskView {
        url,
        email,
        until: time::rfc3339(&deadline.zoned),
    })
}

fn documents<'a>(env: &Env<'a>, c: &'a Challenge) -> Vec<DocumentView<'a>> {
    c.documents
        .iter()
        .map(|d| match &d.target {
            DocumentTarget::File {
                out_path,
                size,
                kind,
            } => DocumentView {
                title: &d.title,
                url: Cow::Owned(env.url(&encode_path(out_path))),
                kind,
                size: super::format_size(*size, env.lang),
                external: false,
            },
            DocumentTarget::Url(url) => DocumentView {
                title: &d.title,
                url: Cow::Borrowed(url),
                kind: t(env.strings, "doc_link", "Länk"),
                size: String::new(),
                external: true,
            },
        })
        .collect()
}

/// Newest first on the page; anchors count oldest first, as the feed does.
fn updates<'a>(env: &Env<'_>, c: &'a Challenge, html: &'a PageHtml) -> Vec<UpdateView<'a>> {
    let change = |ch: &'a Option<(Option<Moment>, Moment)>| {
        ch.as_ref().map(|(old, new)| ChangeView {
            from: old.as_ref().map(|m| env.moment(m)),
            to: env.moment(new),
        })
    };
    c.updates
        .iter()
        .zip(&html.updates)
        .enumerate()
        .rev()
        .map(|(n, (u, text))| UpdateView {
            anchor: format!("andring-{}", n + 1),
            date: env.moment(&u.date),
            text_html: text,
            deadline_change: change(&u.deadline),
            questions_deadline_change: change(&u.questions_deadline),
        })
        .collect()
}

fn questions<'a>(env: &Env<'_>, c: &'a Challenge, html: &'a PageHtml) -> Vec<QuestionView<'a>> {
    c.questions
        .iter()
        .zip(&html.answers)
        .map(|(q, answer)| QuestionView {
            question: &q.question,
            answer_html: answer,
            asked: env.moment(&q.asked),
            answered: q.answered.as_ref().map(|m| env.moment(m)),
            anchor: &q.anchor,
        })
        .collect()
}

fn events<'a>(env: &Env<'_>, c: &'a Challenge, html: &'a PageHtml) -> Vec<EventView<'a>> {
    c.events
        .iter()
        .zip(&html.events)
        .map(|(e, description)| EventView {
            title: &e.title,
            start: env.countdown(&e.start),
            end: env.moment(&e.end),
            time_range: time_range(&e.start.zoned, &e.end.zoned, env.lang),
            place: &e.place,
            url: &e.url,
            description_html: description,
        })
        .collect()
}

fn phases<'a>(env: &Env<'_>, c: &'a Challenge) -> Vec<PhaseView<'a>> {
    c.phases
        .iter()
        .map(|p| PhaseView {
            name: &p.name,
            start: env.moment(&p.start),
            end: env.moment(&p.end),
            pay: &p.pay,
            suppliers: &p.suppliers,
        })
        .collect()
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
