//! What the last published build showed of each challenge's times.
//!
//! A supplier plans by the deadline the portal showed last week. When a
//! time changes, the change must reach them: as an amendment under
//! `updates` on the page and in the feed, and in the calendar, whose event
//! only replaces the old one in a subscriber's calendar when its `SEQUENCE`
//! rises. So every build that publishes keeps, beside the output (the
//! emit layer's history file, never published), what it published per
//! challenge: `opens`, `deadline` and `questions_deadline`, each with its
//! calendar `SEQUENCE`, and which amendments were shown. The next build
//! compares:
//!
//! - a time that changed raises its `SEQUENCE`, whatever the cause;
//! - a time that changed with no new amendment announcing it (one with that
//!   new time, shown for the first time; for `opens`, which amendments
//!   cannot carry, any new amendment) is a warning (`deadline-moved`), and
//!   the challenge's entry in the feed is updated to say the new time.
//!
//! Challenges are known by their stable id and language, so a page that
//! moves to another address keeps its history. `check` reads the history
//! and writes nothing; `serve` does not read it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::frontmatter::{self, Fields, Step};
use crate::content::{Challenge, Page, Site, Unannounced};
use crate::diagnostics::{Diagnostic, Span};
use crate::msg;
use crate::time::{self, Moment, Timestamp, Written};

/// The history's format.
const FORMAT: u32 = 1;

/// The times a build published, per challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    utlys_history: u32,
    /// By [`key`]: stable id and language.
    challenges: BTreeMap<String, Record>,
}

/// What was published of one challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    #[serde(default)]
    opens: Option<Kept>,
    #[serde(default)]
    deadline: Option<Kept>,
    #[serde(default)]
    questions_deadline: Option<Kept>,
    /// The amendments shown, each by [`update_key`].
    #[serde(default)]
    updates: Vec<String>,
    /// The last change no amendment announced, as the feed tells it.
    #[serde(default)]
    unannounced: Option<KeptChange>,
}

/// One time as published, and the calendar `SEQUENCE` it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    /// RFC 3339 with offset.
    at: String,
    sequence: u32,
}

/// A change no amendment announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptChange {
    /// The clock of the build that first published it.
    at: String,
    /// `(field, from, to)`, RFC 3339.
    moves: Vec<(String, String, String)>,
}

/// Why the bytes beside the output are not a history to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Not a file Utlys wrote: it must not be replaced.
    Foreign,
    /// Written by a version of Utlys with another format: it is replaced,
    /// and this build compares with nothing.
    OtherFormat,
}

impl History {
    /// Reads a history Utlys wrote.
    pub fn parse(bytes: &[u8]) -> Result<History, Unreadable> {
        #[derive(Deserialize)]
        struct Marker {
            utlys_history: u32,
        }
        let marker: Marker = serde_json::from_slice(bytes).map_err(|_| Unreadable::Foreign)?;
        if marker.utlys_history != FORMAT {
            return Err(Unreadable::OtherFormat);
        }
        serde_json::from_slice(bytes).map_err(|_| Unreadable::OtherFormat)
    }

    /// The bytes to keep.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Plain strings and numbers: serialising into memory cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Whether it records no challenge.
    pub fn is_empty(&self) -> bool {
        self.challenges.is_empty()
    }
}

/// The key of a challenge in the history: its stable id and language.
fn key(page: &Page) -> String {
    format!(
        "{}@{}",
        page.process_id(),
        crate::config::lang_code(page.lang)
    )
}

/// The key of an amendment: its date and the times it sets.
fn update_key(u: &crate::content::Update) -> String {
    let at = |m: &Moment| m.zoned.timestamp().to_string();
    let new = |c: &Option<(Option<Moment>, Moment)>| c.as_ref().map(|(_, n)| at(n));
    format!(
        "{}|{}|{}",
        at(&u.date),
        new(&u.deadline).unwrap_or_default(),
        new(&u.questions_deadline).unwrap_or_default()
    )
}

/// Compares `site` with what was published last (`previous`; `None` on a
/// first build), sets each challenge's calendar sequences and unannounced
/// change, and gives the warnings and the history to keep when this build
/// publishes. `now` is the build clock.
pub fn follow(
    site: &mut Site,
    previous: Option<&History>,
    now: Timestamp,
) -> (Vec<Diagnostic>, History) {
    let mut warnings = Vec::new();
    let mut next = History {
        utlys_history: FORMAT,
        challenges: BTreeMap::new(),
    };
    for page in &mut site.pages {
        let key = key(page);
        let before = previous.and_then(|h| h.challenges.get(&key));
        let Some(record) = follow_page(page, before, now, &mut warnings) else {
            continue;
        };
        next.challenges.insert(key, record);
    }
    (warnings, next)
}

/// One time of a challenge, for comparing.
struct Field {
    name: &'static str,
    now: Option<Moment>,
    /// How many amendments moved it.
    amended: u32,
    /// Whether a new amendment announces its time `now`.
    announced: bool,
}

/// [`follow`] for one page: its record, `None` when it is no challenge.
fn follow_page(
    page: &mut Page,
    before: Option<&Record>,
    now: Timestamp,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let c = page.challenge()?;
    let shown: Vec<String> = c.updates.iter().map(update_key).collect();
    let fields = fields_of(c, before, &shown);
    let zone = time::parse_zone(&c.timezone).ok()?;
    let mut record = Record {
        updates: shown,
        unannounced: before.and_then(|b| b.unannounced.clone()),
        ..Record::default()
    };
    let mut sequences = Vec::new();
    let mut moves = Vec::new();
    for field in fields {
        let old = before.and_then(|b| b.field(field.name).as_ref());
        let old_at = old.and_then(|k| parse_moment(&k.at, &zone));
        let (sequence, moved) = match (old, &old_at, &field.now) {
            (Some(kept), Some(old_at), Some(new)) if !same(old_at, new) => {
                (field.amended.max(kept.sequence + 1), !field.announced)
            }
            (Some(kept), _, _) => (field.amended.max(kept.sequence), false),
            (None, _, _) => (field.amended, false),
        };
        if moved && let (Some(from), Some(to)) = (old_at, field.now.clone()) {
            warnings.push(moved_warning(page, field.name, &from, &to, now));
            moves.push((field.name, from, to));
        }
        sequences.push(sequence);
        *record.field_mut(field.name) = field.now.as_ref().map(|m| Kept {
            at: time::rfc3339(&m.zoned),
            sequence,
        });
    }
    if !moves.is_empty() {
        record.unannounced = Some(KeptChange {
            at: now.to_string(),
            moves: moves
                .iter()
                .map(|(f, a, b)| {
                    let at = |m: &Moment| time::rfc3339(&m.zoned);
                    (f.to_string(), at(a), at(b))
                })
                .collect(),
        });
    }
    let unannounced = record
        .unannounced
        .as_ref()
        .and_then(|k| read_change(k, &zone));
    if let crate::content::PageKind::Challenge(c) = &mut page.kind {
        c.deadline_sequence = sequences[1];
        c.questions_deadline_sequence = sequences[2];
        c.unannounced = unannounced;
    }
    Some(record)
}

/// The three times of `c` in order (`opens`, `deadline`,
/// `questions_deadline`), with whether an amendment not in `before`
/// announces each.
fn fields_of(c: &Challenge, before: Option<&Record>, shown: &[String]) -> [Field; 3] {
    let new_updates: Vec<&crate::content::Update> = c
        .updates
        .iter()
        .zip(shown)
        .filter(|(_, k)| before.is_none_or(|b| !b.updates.contains(k)))
        .map(|(u, _)| u)
        .collect();
    let announces = |now: &Option<Moment>, pick: fn(&crate::content::Update) -> Option<&Moment>| {
        now.as_ref().is_some_and(|m| {
            new_updates
                .iter()
                .any(|u| pick(u).is_some_and(|n| same(n, m)))
        })
    };
    [
        Field {
            name: "opens",
            now: c.opens.clone(),
            amended: 0,
            announced: !new_updates.is_empty(),
        },
        Field {
            name: "deadline",
            now: c.deadline.clone(),
            amended: c.deadline_sequence,
            announced: announces(&c.deadline, |u| u.deadline.as_ref().map(|(_, n)| n)),
        },
        Field {
            name: "questions_deadline",
            now: c.questions_deadline.clone(),
            amended: c.questions_deadline_sequence,
            announced: announces(&c.questions_deadline, |u| {
                u.questions_deadline.as_ref().map(|(_, n)| n)
            }),
        },
    ]
}

impl Record {
    fn field(&self, name: &str) -> &Option<Kept> {
        match name {
            "opens" => &self.opens,
            "deadline" => &self.deadline,
            _ => &self.questions_deadline,
        }
    }

    fn field_mut(&mut self, name: &str) -> &mut Option<Kept> {
        match name {
            "opens" => &mut self.opens,
            "deadline" => &mut self.deadline,
            _ => &mut self.questions_deadline,
        }
    }
}

/// Whether two moments are the same instant.
fn same(a: &Moment, b: &Moment) -> bool {
    a.zoned.timestamp() == b.zoned.timestamp()
}

/// A kept RFC 3339 time, in the challenge's `zone`.
fn parse_moment(text: &str, zone: &time::TimeZone) -> Option<Moment> {
    let at: Timestamp = text.parse().ok()?;
    Some(Moment {
        zoned: at.to_zoned_datetime(zone.clone()),
        written: Written::Offset,
    })
}

/// A kept change, read back for the feed.
fn read_change(kept: &KeptChange, zone: &time::TimeZone) -> Option<Unannounced> {
    let field = |name: &str| -> Option<&'static str> {
        ["opens", "deadline", "questions_deadline"]
            .into_iter()
            .find(|f| *f == name)
    };
    let moves = kept
        .moves
        .iter()
        .filter_map(|(f, a, b)| Some((field(f)?, parse_moment(a, zone)?, parse_moment(b, zone)?)))
        .collect();
    Some(Unannounced {
        at: parse_moment(&kept.at, zone)?,
        moves,
    })
}

/// A time as it may be written in front matter: the local date and time
/// in the challenge's zone (`2023-09-15T23:59`).
fn written(m: &Moment) -> String {
    m.zoned.strftime("%Y-%m-%dT%H:%M").to_string()
}

/// The warning for a time that changed with no amendment announcing it.
fn moved_warning(
    page: &Page,
    field: &'static str,
    from: &Moment,
    to: &Moment,
    now: Timestamp,
) -> Diagnostic {
    let lang_time = |m: &Moment, lang| time::format_long(&m.zoned, lang);
    let (from_sv, from_en) = (
        lang_time(from, crate::model::Lang::Sv),
        lang_time(from, crate::model::Lang::En),
    );
    let (to_sv, to_en) = (
        lang_time(to, crate::model::Lang::Sv),
        lang_time(to, crate::model::Lang::En),
    );
    let old = written(from);
    let new = written(to);
    let zone = to.zoned.time_zone().clone();
    let today = now.to_zoned_datetime(zone).strftime("%Y-%m-%d").to_string();
    let message = msg!(
        "`{field}` har ändrats sedan sajten publicerades senast, från {from_sv} till {to_sv}, men ingen ny ändring under `updates` berättar det",
        "`{field}` changed since the site was last published, from {from_en} to {to_en}, but no new entry under `updates` announces it"
    );
    // One line: a hint shows its text as it is, line ends made visible.
    let hint = if field == "opens" {
        msg!(
            "leverantörer som redan har läst sidan missar en ändring som ingen meddelar; lägg till en ändring som berättar det under `updates`: `- {{date: {today}, text: \"Vi öppnar för svar {to_sv}.\"}}`",
            "suppliers who have read the page already miss a change nobody announces; add an amendment that tells it under `updates`: `- {{date: {today}, text: \"Answers open {to_en}.\"}}`"
        )
    } else {
        msg!(
            "leverantörer som redan har läst sidan missar en ändring som ingen meddelar; skriv tillbaka `{field}: {old}` och lägg till en ändring som flyttar tiden under `updates`: `- {{date: {today}, {field}: {new}, text: \"Vi flyttar tiden.\"}}`",
            "suppliers who have read the page already miss a change nobody announces; put back `{field}: {old}` and add an amendment that moves the time under `updates`: `- {{date: {today}, {field}: {new}, text: \"We are moving the time.\"}}`"
        )
    };
    let d = Diagnostic::warning(&page.source, message)
        .with_code("deadline-moved")
        .with_field(field)
        .with_hint(hint);
    match field_span(page, field) {
        Some(span) => d.at_span(&page.text, span),
        None => d,
    }
}

/// Where the value of top-level `field` is written in `page`'s file.
fn field_span(page: &Page, field: &str) -> Option<Span> {
    let split = frontmatter::split(&page.text).ok()?;
    let fields = Fields::read(split.format, split.front)?;
    Some(
        fields
            .value(&[Step::Key(field)])?
            .shifted(split.front_offset),
    )
}
