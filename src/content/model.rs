//! The site model: pages, challenges and the files copied beside them.

use std::path::PathBuf;

use serde::Deserialize;

use crate::text::TextKind;
use crate::text::TextKind::{Line, Multiline};

use super::frontmatter::{DateText, Text};
use crate::model::Lang;
use crate::time::{Moment, Status};

/// The stages of an innovation procurement, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Need analysis: an early signal.
    Need,
    /// The problem described in plain words.
    Challenge,
    /// Request for information.
    Rfi,
    /// Market dialogue.
    Dialogue,
    /// Formal procurement.
    Procurement,
    /// Concept phase.
    Concept,
    /// Prototype phase.
    Prototype,
    /// Pilot phase.
    Pilot,
    /// In use; outcome known.
    Implementation,
    /// Stopped.
    Cancelled,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 10] = [
        Stage::Need,
        Stage::Challenge,
        Stage::Rfi,
        Stage::Dialogue,
        Stage::Procurement,
        Stage::Concept,
        Stage::Prototype,
        Stage::Pilot,
        Stage::Implementation,
        Stage::Cancelled,
    ];

    /// The name written in front matter and used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Need => "need",
            Stage::Challenge => "challenge",
            Stage::Rfi => "rfi",
            Stage::Dialogue => "dialogue",
            Stage::Procurement => "procurement",
            Stage::Concept => "concept",
            Stage::Prototype => "prototype",
            Stage::Pilot => "pilot",
            Stage::Implementation => "implementation",
            Stage::Cancelled => "cancelled",
        }
    }

    /// Parses a stage name.
    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.key() == s)
    }

    /// Whether suppliers can be expected to answer by a deadline at this stage.
    pub fn needs_deadline(self) -> bool {
        matches!(self, Stage::Rfi | Stage::Procurement)
    }
}

/// What a page is.
#[derive(Debug, Clone)]
pub enum PageKind {
    /// `content/_index.md`: the home page's intro.
    Home,
    /// `content/challenges/_index.md`: the challenge list's intro.
    ChallengeList,
    /// A challenge under `content/challenges/`.
    Challenge(Box<Challenge>),
    /// Any other page.
    Plain,
}

/// One Markdown file, loaded and validated.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path for messages, relative to the site root (`content/om.md`).
    pub source: PathBuf,
    /// Path relative to `content/`, with `/` separators: the key of `@/` links.
    pub rel: String,
    /// `rel` without a language suffix: a page and its translations
    /// (`om.md`, `om.en.md`) share it.
    pub key: String,
    /// Output folder relative to the site root URL, `""` or ending in `/`.
    pub url_path: String,
    /// What the page is.
    pub kind: PageKind,
    /// Title.
    pub title: String,
    /// One or two plain sentences.
    pub summary: String,
    /// Language of the page.
    pub lang: Lang,
    /// Order in menus; lower first.
    pub weight: i64,
    /// Whether the page is in the main navigation.
    pub menu: bool,
    /// Whether the page is a draft (only built with `--drafts`).
    pub draft: bool,
    /// The whole file (BOM removed), kept for messages that point into it.
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
}

#[cfg(test)]
impl Page {
    /// A Swedish page of `kind` at `rel` with no text, for tests.
    pub(crate) fn for_tests(rel: &str, url_path: &str, title: &str, kind: PageKind) -> Page {
        Page {
            source: PathBuf::from("content").join(rel),
            rel: rel.into(),
            key: rel.into(),
            url_path: url_path.into(),
            kind,
            title: title.into(),
            summary: String::new(),
            lang: Lang::Sv,
            weight: 0,
            menu: false,
            draft: false,
            text: String::new(),
            body_offset: 0,
        }
    }
}

#[cfg(test)]
impl Challenge {
    /// An open `rfi` challenge with nothing but a buyer and its dates, for
    /// tests to fill in.
    pub(crate) fn for_tests(buyer: &str, published: Moment, deadline: Option<Moment>) -> Challenge {
        Challenge {
            id: None,
            buyer: buyer.into(),
            stage: Stage::Rfi,
            published,
            opens: None,
            deadline,
            questions_deadline: None,
            timezone: "Europe/Stockholm".into(),
            status: Status::Open,
            contact: None,
            respond: None,
            compensation: String::new(),
            facts: Vec::new(),
            documents: Vec::new(),
            tags: Vec::new(),
            category: None,
            cpv: Vec::new(),
            notice: None,
            related: Vec::new(),
            regions: Vec::new(),
            value: None,
            suitable_for: Vec::new(),
            outcome: String::new(),
            updates: Vec::new(),
            questions: Vec::new(),
            events: Vec::new(),
            phases: Vec::new(),
            deadline_sequence: 0,
            questions_deadline_sequence: 0,
            held_updates: Vec::new(),
            unannounced: None,
            image: None,
            questions_url: String::new(),
        }
    }
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The challenge, if this page is one.
    pub fn challenge(&self) -> Option<&Challenge> {
        match &self.kind {
            PageKind::Challenge(c) => Some(c),
            _ => None,
        }
    }

    /// The stable id of the contracting process this challenge is part of,
    /// the local part of its OCID: the `id` written in front matter, else
    /// the page's address with `-` for `/` (`challenges-klimat`).
    pub fn process_id(&self) -> String {
        match self.challenge().and_then(|c| c.id.as_deref()) {
            Some(id) => id.to_string(),
            None => self.url_path.trim_matches('/').replace('/', "-"),
        }
    }
}

/// The stable id of the process whose language versions are `versions`,
/// `primary` speaking for it: the `id` one of them writes, else the
/// primary version's address (see [`Page::process_id`]).
pub fn process_id_of(versions: &[&Page], primary: &Page) -> String {
    versions
        .iter()
        .find_map(|p| p.challenge()?.id.clone())
        .unwrap_or_else(|| primary.process_id())
}

/// Whether `id` may be a challenge's `id`: lower-case letters, digits and
/// single hyphens between them, at most 100 characters, so that it reads
/// well in an OCID and in a URL.
pub fn is_process_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A challenge's fields, resolved and validated.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// The stable id written in front matter (`id`), which keeps the OCID
    /// when the address changes; `None` when not written.
    pub id: Option<String>,
    /// The buying organisation.
    pub buyer: String,
    /// Where the process stands.
    pub stage: Stage,
    /// When it was published.
    pub published: Moment,
    /// When answers open (before: upcoming).
    pub opens: Option<Moment>,
    /// The last time to respond.
    pub deadline: Option<Moment>,
    /// The last time to ask questions.
    pub questions_deadline: Option<Moment>,
    /// IANA name of the zone its times are shown in.
    pub timezone: String,
    /// Status at the build clock.
    pub status: Status,
    /// Whom to ask.
    pub contact: Option<Contact>,
    /// How to respond.
    pub respond: Option<Respond>,
    /// Pay for responding, if any.
    pub compensation: String,
    /// Key figures.
    pub facts: Vec<Fact>,
    /// Documents to read.
    pub documents: Vec<Document>,
    /// Free tags.
    pub tags: Vec<String>,
    /// One category.
    pub category: Option<String>,
    /// EU procurement codes, `NNNNNNNN-N`.
    pub cpv: Vec<String>,
    /// The official notice of the procurement, if written.
    pub notice: Option<super::links::Notice>,
    /// Links to other challenges of the site, as written (see
    /// [`super::links`]).
    pub related: Vec<super::links::Related>,
    /// The regions it concerns, each once, in the order written.
    pub regions: Vec<super::Region>,
    /// The estimated value, if written.
    pub value: Option<super::Value>,
    /// Who may respond, each once, in the table's order.
    pub suitable_for: Vec<super::Suitable>,
    /// Markdown: what came of it.
    pub outcome: String,
    /// Dated amendments, oldest first.
    pub updates: Vec<Update>,
    /// Public questions and answers, in the order written.
    pub questions: Vec<Question>,
    /// Market-dialogue meetings, earliest first.
    pub events: Vec<Event>,
    /// The phase plan, in order.
    pub phases: Vec<Phase>,
    /// How many amendments moved the deadline (the calendar's SEQUENCE).
    pub deadline_sequence: u32,
    /// How many amendments moved the questions deadline.
    pub questions_deadline_sequence: u32,
    /// The dates of the amendments written with a `date` after the build
    /// clock: not shown, and their new times not applied, until then.
    pub held_updates: Vec<Moment>,
    /// A change of the challenge's times that no amendment announced, as
    /// the kept history of the published site found it (see
    /// [`crate::history`]); the feed tells it.
    pub unannounced: Option<Unannounced>,
    /// The picture shown when the page is shared (`image`), with its text.
    pub image: Option<Image>,
    /// Where suppliers ask their questions (`questions_url`): a web
    /// address or a `mailto:` link; empty when not written (the contact's
    /// e-mail is used then).
    pub questions_url: String,
}

/// A challenge's picture for sharing: a file beside the page or in the
/// site's `static/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The name as written: `bild.png` (beside the page) or
    /// `/bilder/bild.png` (in `static/`).
    pub written: String,
    /// Output path relative to the site root, once the file is found;
    /// empty before.
    pub out_path: String,
    /// The text alternative (`image_alt`); may be empty.
    pub alt: String,
}

/// Times of a challenge that changed without an amendment since the site
/// was last published.
#[derive(Debug, Clone)]
pub struct Unannounced {
    /// When the change was first published (that build's clock).
    pub at: Moment,
    /// Each time that changed: its field (`opens`, `deadline`,
    /// `questions_deadline`), the time before and after.
    pub moves: Vec<(&'static str, Moment, Moment)>,
}

/// A dated amendment.
#[derive(Debug, Clone)]
pub struct Update {
    /// When it was made.
    pub date: Moment,
    /// Markdown: what changed.
    pub text: String,
    /// The deadline before and after, when the amendment moved it.
    pub deadline: Option<(Option<Moment>, Moment)>,
    /// The questions deadline before and after, when the amendment moved it.
    pub questions_deadline: Option<(Option<Moment>, Moment)>,
}

/// A public question with its answer.
#[derive(Debug, Clone)]
pub struct Question {
    /// The question as asked.
    pub question: String,
    /// Markdown answer.
    pub answer: String,
    /// When it was asked.
    pub asked: Moment,
    /// When it was answered, if known.
    pub answered: Option<Moment>,
    /// Anchor on the challenge page (`fraga-1`).
    pub anchor: String,
}

/// A meeting, such as a market-dialogue session.
#[derive(Debug, Clone)]
pub struct Event {
    /// Title.
    pub title: String,
    /// Start.
    pub start: Moment,
    /// End (after start).
    pub end: Moment,
    /// Where it is held.
    pub place: String,
    /// Where to join or sign up (http, https).
    pub url: String,
    /// Markdown: what it is about.
    pub description: String,
}

/// One phase of the plan.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Name, such as "Konceptfas".
    pub name: String,
    /// First day.
    pub start: Moment,
    /// Last day.
    pub end: Moment,
    /// Pay per supplier, as written ("25 000 kr").
    pub pay: String,
    /// How many suppliers take part, as written.
    pub suppliers: String,
}

/// An amendment as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateMeta {
    pub(crate) date: DateText,
    #[serde(default)]
    pub(crate) text: String,
    pub(crate) deadline: Option<DateText>,
    pub(crate) questions_deadline: Option<DateText>,
}

/// A question as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionMeta {
    pub(crate) question: String,
    #[serde(default)]
    pub(crate) answer: String,
    pub(crate) date: DateText,
    pub(crate) answered: Option<DateText>,
}

/// A meeting as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventMeta {
    pub(crate) title: String,
    pub(crate) start: DateText,
    pub(crate) end: Option<DateText>,
    #[serde(default)]
    pub(crate) place: String,
    #[serde(default)]
    pub(crate) url: String,
    #[serde(default)]
    pub(crate) description: String,
}

/// A phase as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PhaseMeta {
    pub(crate) name: String,
    pub(crate) start: DateText,
    pub(crate) end: DateText,
    #[serde(default, deserialize_with = "text")]
    pub(crate) pay: String,
    #[serde(default, deserialize_with = "text")]
    pub(crate) suppliers: String,
}

/// Contact person.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// Role or title.
    #[serde(default)]
    pub role: String,
    /// E-mail address.
    #[serde(default)]
    pub email: String,
    /// Phone number as written.
    #[serde(default, deserialize_with = "text")]
    pub phone: String,
}

/// How to respond.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    /// Where to send the answer (http, https or mailto).
    #[serde(default)]
    pub url: String,
    /// Markdown instructions.
    #[serde(default)]
    pub instructions: String,
}

/// A label and a value, such as "Inköp per år" and "3,4 miljarder kr".
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What the figure is.
    pub label: String,
    /// The figure, as written.
    #[serde(deserialize_with = "text")]
    pub value: String,
}

/// A document as written in front matter.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// Title.
    pub title: String,
    /// A file in the challenge's folder.
    #[serde(default)]
    pub file: Option<String>,
    /// An external address.
    #[serde(default)]
    pub url: Option<String>,
    /// When it was added to the challenge, if written: the date its entry
    /// in the challenge's feed carries.
    #[serde(default)]
    pub(crate) date: Option<DateText>,
}

/// A document, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title.
    pub title: String,
    /// Root-relative output path of a copied file, or an external URL.
    pub target: DocumentTarget,
    /// When it was added (`date`), if written: the start of that day in the
    /// challenge's zone, or the time written.
    pub date: Option<Moment>,
}

/// Where a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentTarget {
    /// A file copied beside the page.
    File {
        /// Output path relative to the site root.
        out_path: String,
        /// Size in bytes.
        size: u64,
        /// Upper-case extension, such as `PDF`.
        kind: String,
    },
    /// An external address.
    Url(String),
}

/// A non-Markdown file under `content/`, copied to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The file on disk.
    pub source: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Output path relative to the site root.
    pub out_path: String,
    /// Size in bytes.
    pub size: u64,
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Text::deserialize(d).map(|t| t.0)
}

/// Every field a challenge may have, as written.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChallengeMeta {
    pub(crate) title: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) buyer: Option<String>,
    /// With its place: a passed deadline at a stage that invites answers
    /// is warned about at the stage, in thousands of files of a large site.
    pub(crate) stage: Option<super::frontmatter::At<String>>,
    pub(crate) published: Option<DateText>,
    pub(crate) opens: Option<DateText>,
    pub(crate) deadline: Option<DateText>,
    pub(crate) questions_deadline: Option<DateText>,
    pub(crate) timezone: Option<String>,
    pub(crate) contact: Option<Contact>,
    pub(crate) respond: Option<Respond>,
    #[serde(default)]
    pub(crate) compensation: Option<Text>,
    #[serde(default)]
    pub(crate) facts: Vec<Fact>,
    #[serde(default)]
    pub(crate) documents: Vec<DocumentMeta>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    pub(crate) category: Option<String>,
    #[serde(default)]
    pub(crate) cpv: Vec<String>,
    pub(crate) notice: Option<super::links::NoticeMeta>,
    #[serde(default)]
    pub(crate) related: Vec<super::links::RelatedMeta>,
    #[serde(default)]
    pub(crate) regions: Vec<String>,
    pub(crate) value: Option<super::suppliers::ValueMeta>,
    #[serde(default)]
    pub(crate) suitable_for: Vec<String>,
    pub(crate) outcome: Option<String>,
    #[serde(default)]
    pub(crate) updates: Vec<UpdateMeta>,
    #[serde(default)]
    pub(crate) questions: Vec<QuestionMeta>,
    #[serde(default)]
    pub(crate) events: Vec<EventMeta>,
    #[serde(default)]
    pub(crate) phases: Vec<PhaseMeta>,
    pub(crate) lang: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    pub(crate) publish_date: Option<DateText>,
    pub(crate) slug: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) image: Option<String>,
    pub(crate) image_alt: Option<String>,
    pub(crate) questions_url: Option<String>,
}

/// The fields of [`ChallengeMeta`], for unknown-field suggestions.
pub(crate) const CHALLENGE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "buyer",
    "stage",
    "published",
    "opens",
    "deadline",
    "questions_deadline",
    "timezone",
    "contact",
    "respond",
    "compensation",
    "facts",
    "documents",
    "tags",
    "category",
    "cpv",
    "notice",
    "related",
    "regions",
    "value",
    "suitable_for",
    "outcome",
    "updates",
    "questions",
    "events",
    "phases",
    "lang",
    "draft",
    "publish_date",
    "slug",
    "id",
    "image",
    "image_alt",
    "questions_url",
];

/// One text field of a front matter as written, with what it may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextField<'a> {
    /// The keys leading to it: `["title"]`, `["contact", "email"]`, or for
    /// an item of a list `["documents", "title"]` and `["tags"]`.
    pub(crate) path: Vec<&'static str>,
    /// Which item of the list (from 0), when it is in one.
    pub(crate) item: Option<usize>,
    /// One line, or Markdown.
    pub(crate) kind: TextKind,
    /// The value.
    pub(crate) value: &'a str,
}

/// The text fields of a part of the front matter, each with what it may
/// hold: the one list of which fields are a single line and which are
/// Markdown. Each part lists its own keys; the parts holding it add theirs
/// in front.
pub(crate) trait TextFields {
    /// `(key, kind, value)` for each text field of this part that is set.
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)>;
}

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

impl TextFields for Contact {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("name", Line, &self.name),
            ("role", Line, &self.role),
            ("email", Line, &self.email),
            ("phone", Line, &self.phone),
        ]
    }
}

impl TextFields for Respond {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("url", Line, &self.url),
            ("instructions", Multiline, &self.instructions),
        ]
    }
}

impl TextFields for Fact {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![("label", Line, &self.label), ("value", Line, &self.value)]
    }
}

impl TextFields for DocumentMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("title", Line, &self.title),
            ("file", Line, opt(&self.file)),
            ("url", Line, opt(&self.url)),
            ("date", Line, self.date.as_ref().map_or("", |d| &d.0)),
        ]
    }
}

impl TextFields for UpdateMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("date", Line, &self.date.0),
            ("text", Multiline, &self.text),
            (
                "deadline",
                Line,
                self.deadline.as_ref().map_or("", |d| &d.0),
            ),
            (
                "questions_deadline",
                Line,
                self.questions_deadline.as_ref().map_or("", |d| &d.0),
            ),
        ]
    }
}

impl TextFields for QuestionMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            // A question is quoted as asked, which may be several lines.
            ("question", Multiline, &self.question),
            ("answer", Multiline, &self.answer),
            ("date", Line, &self.date.0),
            (
                "answered",
                Line,
                self.answered.as_ref().map_or("", |d| &d.0),
            ),
        ]
    }
}

impl TextFields for EventMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("title", Line, &self.title),
            ("start", Line, &self.start.0),
            ("end", Line, self.end.as_ref().map_or("", |d| &d.0)),
            ("place", Line, &self.place),
            ("url", Line, &self.url),
            ("description", Multiline, &self.description),
        ]
    }
}

impl TextFields for PhaseMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("name", Line, &self.name),
            ("start", Line, &self.start.0),
            ("end", Line, &self.end.0),
            ("pay", Line, &self.pay),
            ("suppliers", Line, &self.suppliers),
        ]
    }
}

impl TextFields for super::links::NoticeMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("url", Line, &self.url),
            ("id", Line, &self.id),
            ("source", Line, &self.source),
        ]
    }
}

impl TextFields for super::links::RelatedMeta {
    fn text_fields(&self) -> Vec<(&'static str, TextKind, &str)> {
        vec![
            ("challenge", Line, &self.challenge),
            ("relation", Line, opt(&self.relation)),
        ]
    }
}

/// Adds the fields of `part` under `key`, item `item` of a list when given.
fn nested<'a>(
    out: &mut Vec<TextField<'a>>,
    key: &'static str,
    item: Option<usize>,
    part: &'a dyn TextFields,
) {
    for (inner, kind, value) in part.text_fields() {
        out.push(TextField {
            path: vec![key, inner],
            item,
            kind,
            value,
        });
    }
}

impl ChallengeMeta {
    /// Every text field of the challenge that is set.
    pub(crate) fn all_text_fields(&self) -> Vec<TextField<'_>> {
        fn date(d: &Option<DateText>) -> &str {
            d.as_ref().map_or("", |d| d.0.as_str())
        }
        let mut out: Vec<TextField<'_>> = [
            ("title", Line, opt(&self.title)),
            ("summary", Line, opt(&self.summary)),
            ("buyer", Line, opt(&self.buyer)),
            (
                "stage",
                Line,
                self.stage.as_ref().map_or("", |s| s.value.as_str()),
            ),
            ("published", Line, date(&self.published)),
            ("opens", Line, date(&self.opens)),
            ("deadline", Line, date(&self.deadline)),
            ("questions_deadline", Line, date(&self.questions_deadline)),
            ("timezone", Line, opt(&self.timezone)),
            (
                "compensation",
                Line,
                self.compensation.as_ref().map_or("", |c| c.0.as_str()),
            ),
            ("category", Line, opt(&self.category)),
            ("outcome", Multiline, opt(&self.outcome)),
            ("lang", Line, opt(&self.lang)),
            ("publish_date", Line, date(&self.publish_date)),
            ("slug", Line, opt(&self.slug)),
            ("id", Line, opt(&self.id)),
            ("image", Line, opt(&self.image)),
            ("image_alt", Line, opt(&self.image_alt)),
            ("questions_url", Line, opt(&self.questions_url)),
        ]
        .into_iter()
        .map(|(key, kind, value)| TextField {
            path: vec![key],
            item: None,
            kind,
            value,
        })
        .collect();
        if let Some(c) = &self.contact {
            nested(&mut out, "contact", None, c);
        }
        if let Some(r) = &self.respond {
            nested(&mut out, "respond", None, r);
        }
        if let Some(n) = &self.notice {
            nested(&mut out, "notice", None, n);
        }
        for (i, link) in self.related.iter().enumerate() {
            nested(&mut out, "related", Some(i), link);
        }
        for (list, items) in [
            ("tags", &self.tags),
            ("cpv", &self.cpv),
            ("regions", &self.regions),
            ("suitable_for", &self.suitable_for),
        ] {
            out.extend(items.iter().enumerate().map(|(i, value)| TextField {
                path: vec![list],
                item: Some(i),
                kind: Line,
                value,
            }));
        }
        let lists: [(&'static str, Vec<&dyn TextFields>); 6] = [
            ("facts", self.facts.iter().map(|x| x as _).collect()),
            ("documents", self.documents.iter().map(|x| x as _).collect()),
            ("updates", self.updates.iter().map(|x| x as _).collect()),
            ("questions", self.questions.iter().map(|x| x as _).collect()),
            ("events", self.events.iter().map(|x| x as _).collect()),
            ("phases", self.phases.iter().map(|x| x as _).collect()),
        ];
        for (list, items) in lists {
            for (i, part) in items.into_iter().enumerate() {
                nested(&mut out, list, Some(i), part);
            }
        }
        out
    }
}

impl PageMeta {
    /// Every text field of the page that is set.
    pub(crate) fn all_text_fields(&self) -> Vec<TextField<'_>> {
        [
            ("title", opt(&self.title)),
            ("summary", self.summary.as_str()),
            ("slug", opt(&self.slug)),
            ("lang", opt(&self.lang)),
            (
                "publish_date",
                self.publish_date.as_ref().map_or("", |d| d.0.as_str()),
            ),
        ]
        .into_iter()
        .map(|(key, value)| TextField {
            path: vec![key],
            item: None,
            kind: Line,
            value,
        })
        .collect()
    }
}

/// Every field a plain page (or a section intro) may have.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) summary: String,
    pub(crate) slug: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    pub(crate) lang: Option<String>,
    #[serde(default)]
    pub(crate) weight: i64,
    #[serde(default)]
    pub(crate) menu: bool,
    pub(crate) publish_date: Option<DateText>,
}

/// The fields of [`PageMeta`].
pub(crate) const PAGE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "draft",
    "lang",
    "weight",
    "menu",
    "publish_date",
];

/// Everything loaded from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Every page that is published in this build, sorted by `rel`.
    pub pages: Vec<Page>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// `rel` of Markdown files that could not be loaded (their errors are
    /// reported); links to them are not reported as broken as well.
    pub unloadable: Vec<String>,
    /// `rel` of the pages this build leaves out, sorted: drafts and pages
    /// whose `publish_date` is still ahead (none when drafts are built).
    pub held_back: Vec<String>,
}

impl Site {
    /// The index of the page at `rel`, if there is one.
    pub fn page_index(&self, rel: &str) -> Option<usize> {
        self.pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
            .ok()
    }

    /// Indices of the pages shown in language `lang`: each page's own
    /// translation, or the default language's version when there is none.
    /// Every list, feed and index of a language follows this one rule.
    pub fn pages_in(&self, default: Lang, lang: Lang) -> Vec<usize> {
        let mut chosen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for (i, p) in self.pages.iter().enumerate() {
            let better = match chosen.get(p.key.as_str()) {
                None => p.lang == lang || p.lang == default,
                Some(&j) => p.lang == lang && self.pages[j].lang != lang,
            };
            if better {
                chosen.insert(&p.key, i);
            }
        }
        chosen.into_values().collect()
    }

    /// The challenges, in source order.
    pub fn challenges(&self) -> impl Iterator<Item = (&Page, &Challenge)> {
        self.pages
            .iter()
            .filter_map(|p| p.challenge().map(|c| (p, c)))
    }

    /// The page `id` names.
    pub fn page(&self, id: crate::model::PageId) -> &Page {
        &self.pages[id.index()]
    }

    /// Lets go of every page's source text once nothing will read it again
    /// (its Markdown is rendered and its fields are parsed), so a large site
    /// is not held twice while it is rendered.
    pub fn release_texts(&mut self) {
        for page in &mut self.pages {
            page.text = String::new();
            page.body_offset = 0;
        }
    }
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
    fn stable_ids_are_lower_case_words_joined_by_single_hyphens() {
        for good in ["klimat", "klimat-rfi-2023", "a1-b2", &"a".repeat(100)] {
            assert!(is_process_id(good), "{good}");
        }
        for bad in [
            "",
            "Klimat",
            "klimat--rfi",
            "-klimat",
            "klimat-",
            "klimat rfi",
            "klimat_rfi",
            "klimat/rfi",
            "åtgärd",
            &"a".repeat(101),
        ] {
            assert!(!is_process_id(bad), "{bad}");
        }
    }

    #[test]
    fn the_process_id_is_the_written_id_else_the_address() {
        let challenge = |id: Option<&str>| {
            let published = crate::time::resolve_start(
                "2023-06-15",
                &crate::time::TimeZone::UTC,
                crate::time::Timestamp::UNIX_EPOCH,
            )
            .expect("a valid date");
            PageKind::Challenge(Box::new(Challenge {
                id: id.map(str::to_string),
                ..Challenge::for_tests("B", published, None)
            }))
        };
        let sv = Page::for_tests("challenges/a.md", "challenges/a/", "A", challenge(None));
        let en = Page {
            lang: Lang::En,
            ..Page::for_tests(
                "challenges/a.en.md",
                "en/challenges/a/",
                "A",
                challenge(Some("klimat")),
            )
        };
        assert_eq!(sv.process_id(), "challenges-a");
        assert_eq!(en.process_id(), "klimat");
        // The id one version writes is the process's, whichever speaks for it.
        assert_eq!(process_id_of(&[&sv, &en], &sv), "klimat");
        assert_eq!(process_id_of(&[&sv], &sv), "challenges-a");
    }
}
