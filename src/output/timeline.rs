//! The dated history of a challenge: every thing the content tells about it
//! with a date, oldest first. The OCDS files make a release of each step
//! ([`super::data::ocds`]); the feeds make an entry of each
//! ([`super::feed`]). Both read it from here, so they tell one history.
//!
//! Each reader asks for the steps it shows ([`Reading`]): OCDS also records
//! what the build clock has passed (answers opened or closed, meetings and
//! phases over), while a feed holds only what the content dates itself, so
//! that it is the same whenever it is built.

use crate::content::{Challenge, Question, Stage};
use crate::time::{self, Moment, Timestamp};

/// What a step records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The challenge was published.
    Published,
    /// Update `n` (from 0) was made.
    Amendment(usize),
    /// Question `n` (from 0) was answered.
    Answer(usize),
    /// Document `n` (from 0), written with a `date`, was added.
    Document(usize),
    /// Meeting `n` (from 0) was announced. The content does not say when a
    /// meeting was added, so this step takes the publication's date: see
    /// [`Reading::Announcements`].
    Meeting(usize),
    /// Answers opened (`opens`, after publication).
    Opened,
    /// The deadline of an RFI or a market dialogue passed.
    Closed,
    /// Meeting `n` ended.
    EventHeld(usize),
    /// Phase `n` ended.
    PhaseDone(usize),
    /// Related process `n` (from 0) was published after this one: only in
    /// the open-data record, which adds these steps itself (it knows the
    /// other processes).
    Related(usize),
    /// The challenge is past its tender: at a later stage, or cancelled
    /// (with its outcome, when written).
    Stage,
}

/// One dated thing in a challenge's history.
#[derive(Debug, Clone)]
pub struct Step<'c> {
    /// What it records.
    pub kind: Kind,
    /// RFC 3339 in the challenge's zone: the sort key, as OCDS tools sort
    /// releases by this text.
    pub date: String,
    /// The day (`2023-08-20`), for ids.
    pub day: String,
    /// The moment itself; for [`Kind::Stage`], which the content does not
    /// date, the moment of the step before it.
    pub moment: &'c Moment,
}

impl Step<'_> {
    /// The step `kind` at `moment`.
    pub fn new(kind: Kind, moment: &Moment) -> Step<'_> {
        Step {
            kind,
            date: time::rfc3339(&moment.zoned),
            day: moment.zoned.date().to_string(),
            moment,
        }
    }
}

/// Which steps a reader takes besides the ones every reader shares (the
/// publication, the amendments, the answers and the stage reached).
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// The open-data record: also what the clock `now` has passed (the
    /// answer period opened, when `opened` says the process was published
    /// before it; an RFI's or dialogue's deadline; meetings and phases
    /// ended).
    Record {
        /// The build clock.
        now: Timestamp,
        /// Whether the opening of answers is a step of its own.
        opened: bool,
    },
    /// The feeds: also the documents written with a `date` and the
    /// meetings. Nothing depends on the clock. A meeting is dated by the
    /// challenge's publication: the content keeps no date of when it was
    /// added, and a date guessed from the build clock would change the
    /// feed at every build. A meeting added later is announced at its
    /// moment by an amendment, which has a date.
    Announcements,
}

/// Every step of `c` that `reading` takes, ordered by date, then by kind.
/// A challenge past its tender ends with [`Kind::Stage`], dated by the step
/// before it: the content keeps no date for a change of stage, so the step
/// comes last without claiming a moment nobody wrote down.
pub fn steps(c: &Challenge, reading: Reading) -> Vec<Step<'_>> {
    let mut steps = vec![Step::new(Kind::Published, &c.published)];
    for (n, u) in c.updates.iter().enumerate() {
        steps.push(Step::new(Kind::Amendment(n), &u.date));
    }
    for (n, q) in c.questions.iter().enumerate() {
        if !q.answer.trim().is_empty() {
            steps.push(Step::new(Kind::Answer(n), answered(q)));
        }
    }
    match reading {
        Reading::Record { now, opened } => {
            // A document dated after the publication was added then; one
            // dated no later is part of the publication.
            let published = c.published.zoned.timestamp();
            for (n, d) in c.documents.iter().enumerate() {
                if let Some(date) = d.date.as_ref().filter(|m| m.zoned.timestamp() > published) {
                    steps.push(Step::new(Kind::Document(n), date));
                }
            }
            passed(c, now, opened, &mut steps)
        }
        Reading::Announcements => {
            for (n, d) in c.documents.iter().enumerate() {
                if let Some(date) = &d.date {
                    steps.push(Step::new(Kind::Document(n), date));
                }
            }
            for n in 0..c.events.len() {
                steps.push(Step::new(Kind::Meeting(n), &c.published));
            }
        }
    }
    steps.sort_by(|a, b| (&a.date, a.kind).cmp(&(&b.date, b.kind)));
    if past_tender(c.stage) {
        // The publication is always a step: there is one before this one.
        let before = steps.last().map_or(&c.published, |s| s.moment);
        steps.push(Step::new(Kind::Stage, before));
    }
    steps
}

/// The steps of what the clock `now` has passed since publication.
fn passed<'c>(c: &'c Challenge, now: Timestamp, opened: bool, steps: &mut Vec<Step<'c>>) {
    let published = c.published.zoned.timestamp();
    let passed = |m: &Moment| m.zoned.timestamp() > published && m.zoned.timestamp() <= now;
    if let Some(opens) = &c.opens
        && opened
        && passed(opens)
    {
        steps.push(Step::new(Kind::Opened, opens));
    }
    if let Some(deadline) = &c.deadline
        && matches!(c.stage, Stage::Rfi | Stage::Dialogue)
        && passed(deadline)
    {
        steps.push(Step::new(Kind::Closed, deadline));
    }
    for (n, e) in c.events.iter().enumerate() {
        if passed(&e.end) {
            steps.push(Step::new(Kind::EventHeld(n), &e.end));
        }
    }
    for (n, p) in c.phases.iter().enumerate() {
        if passed(&p.end) {
            steps.push(Step::new(Kind::PhaseDone(n), &p.end));
        }
    }
}

/// Whether the tender of a challenge at `stage` is over.
pub fn past_tender(stage: Stage) -> bool {
    matches!(
        stage,
        Stage::Concept | Stage::Prototype | Stage::Pilot | Stage::Implementation | Stage::Cancelled
    )
}

/// When a question was answered: `answered`, else when it was asked.
pub fn answered(q: &Question) -> &Moment {
    q.answered.as_ref().unwrap_or(&q.asked)
}
