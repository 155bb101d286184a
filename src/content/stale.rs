//! Text that still names a time an amendment moved.
//!
//! A writer who moves the deadline with an amendment often forgets the
//! sentence in the summary or the body that says "senast den 31 augusti".
//! The page then gives two deadlines. For each time an amendment moved to
//! another day, the summary and the body are searched for that old day in
//! the forms people write it in Swedish and English (`31 augusti`,
//! `31 August`, `August 31st`, `2023-08-31`, `31/8`), and each mention is a
//! warning (`stale-date`) at its line and column. A mention on a line that
//! also names the new day ("flyttad från 31 augusti till 15 september")
//! tells the change and is left alone, and so is a day that is still one of
//! the challenge's current times.

use crate::diagnostics::{Diagnostic, Span};
use crate::model::Lang;
use crate::msg;
use crate::time::{self, Moment};

use super::frontmatter::{self, Fields, Step};
use super::model::{Challenge, Page};

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Day {
    year: i16,
    month: i8,
    day: i8,
}

impl Day {
    fn of(m: &Moment) -> Day {
        Day {
            year: m.zoned.year(),
            month: m.zoned.month(),
            day: m.zoned.day(),
        }
    }
}

/// Month names and their short forms, lower case, January first.
const MONTHS: [&[&str]; 12] = [
    &["januari", "january", "jan"],
    &["februari", "february", "feb"],
    &["mars", "march", "mar"],
    &["april", "apr"],
    &["maj", "may"],
    &["juni", "june", "jun"],
    &["juli", "july", "jul"],
    &["augusti", "august", "aug"],
    &["september", "sept", "sep"],
    &["oktober", "october", "okt", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];

/// The month a word names (1–12), if it names one.
fn month_of(word: &str) -> Option<i8> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    (1..=12i8).find(|&m| MONTHS[(m - 1) as usize].contains(&word))
}

/// A date found in a text: where it is and what it says (the year only
/// when written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mention {
    start: usize,
    end: usize,
    month: i8,
    day: i8,
    year: Option<i16>,
}

impl Mention {
    fn is(&self, d: Day) -> bool {
        self.month == d.month && self.day == d.day && self.year.is_none_or(|y| y == d.year)
    }
}

/// The run of ASCII digits at `i` in `s`, as (end, value).
fn digits_at(s: &[u8], i: usize) -> (usize, u32) {
    let mut end = i;
    let mut value = 0u32;
    while end < s.len() && s[end].is_ascii_digit() && end - i < 6 {
        value = value * 10 + u32::from(s[end] - b'0');
        end += 1;
    }
    (end, value)
}

/// The word of letters after the spaces at `i` in `text`, with the
/// position after it; empty when no space comes first.
fn word_after(text: &str, mut i: usize) -> (usize, &str) {
    let rest = &text[i..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\u{a0}', '\t']).len();
    if skipped == 0 {
        return (i, "");
    }
    i += skipped;
    let len: usize = text[i..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let end = i + len;
    (end, &text[i..end])
}

/// A year written right after `i` (`, 2023` or ` 2023`), with its end.
fn year_after(text: &str, i: usize) -> Option<(usize, i16)> {
    let rest = text[i..].strip_prefix(',').unwrap_or(&text[i..]);
    let skip = text.len() - i - rest.len();
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let at = i + skip + (rest.len() - trimmed.len());
    let (end, value) = digits_at(text.as_bytes(), at);
    let ends_word = !text[end..].starts_with(|c: char| c.is_alphanumeric());
    (end - at == 4 && at > i && ends_word).then_some((end, value as i16))
}

/// Every date written in `text`, in the forms the module names.
fn mentions(text: &str) -> Vec<Mention> {
    let s = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if !s[i].is_ascii_digit()
            || (i > 0 && (s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'/'))
        {
            i += 1;
            continue;
        }
        let (end, value) = digits_at(s, i);
        let m = iso_at(text, i, end, value)
            .or_else(|| numeric_at(text, i, end, value))
            .or_else(|| day_month_at(text, i, end, value))
            .or_else(|| month_day_before(text, i, end, value));
        if let Some(m) = m {
            found.push(m);
            i = m.end.max(end);
        } else {
            i = end;
        }
    }
    found
}

/// `2023-08-31`.
fn iso_at(text: &str, i: usize, end: usize, year: u32) -> Option<Mention> {
    let s = text.as_bytes();
    if end - i != 4 || s.get(end) != Some(&b'-') {
        return None;
    }
    let (m_end, month) = digits_at(s, end + 1);
    if m_end - end - 1 != 2 || s.get(m_end) != Some(&b'-') {
        return None;
    }
    let (d_end, day) = digits_at(s, m_end + 1);
    if d_end - m_end - 1 != 2 || s.get(d_end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    valid(i, d_end, month, day, Some(year))
}

/// `31/8`, `31/08`, `31/8/2023`, `31/8 2023`.
fn numeric_at(text: &str, i: usize, end: usize, day: u32) -> Option<Mention> {
    let s = text.as_bytes();
    if end - i > 2 || s.get(end) != Some(&b'/') {
        return None;
    }
    let (m_end, month) = digits_at(s, end + 1);
    if m_end == end + 1 || m_end - end - 1 > 2 {
        return None;
    }
    let mut stop = m_end;
    let mut year = None;
    if s.get(m_end) == Some(&b'/') {
        let (y_end, y) = digits_at(s, m_end + 1);
        match y_end - m_end - 1 {
            4 => year = Some(y),
            2 => year = Some(2000 + y),
            _ => return None,
        }
        stop = y_end;
    } else if let Some((y_end, y)) = year_after(text, m_end) {
        year = Some(y as u32);
        stop = y_end;
    }
    if s.get(stop)
        .is_some_and(|b| b.is_ascii_digit() || *b == b'/')
    {
        return None;
    }
    valid(i, stop, month, day, year)
}

/// `31 augusti`, `31 August 2023`, `31st August`, `31:a augusti`.
fn day_month_at(text: &str, i: usize, end: usize, day: u32) -> Option<Mention> {
    if end - i > 2 {
        return None;
    }
    let after = ["st", "nd", "rd", "th", ":a", ":e", "."]
        .iter()
        .find_map(|suffix| text[end..].strip_prefix(suffix).map(|_| end + suffix.len()))
        .unwrap_or(end);
    let (w_end, word) = word_after(text, after);
    let month = month_of(word)?;
    let (stop, year) = match year_after(text, w_end) {
        Some((y_end, y)) => (y_end, Some(y as u32)),
        None => (w_end, None),
    };
    valid(i, stop, month as u32, day, year)
}

/// `August 31`, `August 31st, 2023`: a day after a month name.
fn month_day_before(text: &str, i: usize, end: usize, day: u32) -> Option<Mention> {
    if end - i > 2 {
        return None;
    }
    let before = text[..i].trim_end_matches([' ', '\u{a0}']);
    if before.len() == i {
        return None;
    }
    let len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let start = before.len() - len;
    let month = month_of(&before[start..])?;
    let after = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| text[end..].strip_prefix(suffix).map(|_| end + suffix.len()))
        .unwrap_or(end);
    let (stop, year) = match year_after(text, after) {
        Some((y_end, y)) => (y_end, Some(y as u32)),
        None => (after, None),
    };
    valid(start, stop, month as u32, day, year)
}

/// A mention when the numbers make a date.
fn valid(start: usize, end: usize, month: u32, day: u32, year: Option<u32>) -> Option<Mention> {
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| Mention {
        start,
        end,
        month: month as i8,
        day: day as i8,
        year: year.and_then(|y| i16::try_from(y).ok()),
    })
}

/// A time an amendment moved to another day: the field, the old day and
/// the time it is now.
struct Moved<'a> {
    field: &'static str,
    old: Day,
    now: &'a Moment,
}

/// The days amendments moved away from that are none of the current times.
fn moved_days(c: &Challenge) -> Vec<Moved<'_>> {
    let current: Vec<Day> = [&c.opens, &c.deadline, &c.questions_deadline]
        .into_iter()
        .flatten()
        .map(Day::of)
        .collect();
    let mut moved = Vec::new();
    for u in &c.updates {
        for (field, change, now) in [
            ("deadline", &u.deadline, &c.deadline),
            (
                "questions_deadline",
                &u.questions_deadline,
                &c.questions_deadline,
            ),
        ] {
            let (Some((Some(old), _)), Some(now)) = (change, now) else {
                continue;
            };
            let old = Day::of(old);
            if !current.contains(&old) && !moved.iter().any(|m: &Moved<'_>| m.old == old) {
                moved.push(Moved { field, old, now });
            }
        }
    }
    moved
}

/// A warning for each mention of a day an amendment moved away from, in
/// the summary and the body of `page`.
pub fn stale_dates(page: &Page) -> Vec<Diagnostic> {
    let Some(c) = page.challenge() else {
        return Vec::new();
    };
    let moved = moved_days(c);
    if moved.is_empty() {
        return Vec::new();
    }
    let current: Vec<Day> = [&c.opens, &c.deadline, &c.questions_deadline]
        .into_iter()
        .flatten()
        .map(Day::of)
        .collect();
    let mut found = Vec::new();
    for (text, at) in [
        (page.summary.as_str(), None),
        (page.body(), Some(page.body_offset)),
    ] {
        for (mention, moved) in stale_in(text, &moved, &current) {
            let written = &text[mention.start..mention.end];
            let d = warning(page, written, moved);
            found.push(match at {
                Some(offset) => d.at_span(
                    &page.text,
                    Span::new(offset + mention.start, offset + mention.end),
                ),
                None => place_at_summary(page, d),
            });
        }
    }
    found
}

/// The mentions in `text` of a moved day, each with the move it names,
/// except on lines that also name a current day.
fn stale_in<'a, 'm>(
    text: &str,
    moved: &'a [Moved<'m>],
    current: &[Day],
) -> Vec<(Mention, &'a Moved<'m>)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let here = mentions(line);
        if !here.iter().any(|m| current.iter().any(|&d| m.is(d))) {
            for m in here {
                if let Some(mv) = moved.iter().find(|mv| m.is(mv.old)) {
                    let shifted = Mention {
                        start: m.start + line_start,
                        end: m.end + line_start,
                        ..m
                    };
                    out.push((shifted, mv));
                }
            }
        }
        line_start += line.len();
    }
    out
}

/// The warning for `written`, a mention of the day `moved` left.
fn warning(page: &Page, written: &str, moved: &Moved<'_>) -> Diagnostic {
    let field = moved.field;
    let now_sv = time::format_long(&moved.now.zoned, Lang::Sv);
    let now_en = time::format_long(&moved.now.zoned, Lang::En);
    Diagnostic::warning(
        &page.source,
        msg!(
            "texten nämner `{written}`, men en ändring under `updates` har flyttat `{field}` från den dagen",
            "the text mentions `{written}`, but an amendment under `updates` moved `{field}` away from that day"
        ),
    )
    .with_code("stale-date")
    .with_hint(msg!(
        "skriv den tid som gäller nu, {now_sv}, eller ta bort datumet ur texten",
        "write the time that holds now, {now_en}, or take the date out of the text"
    ))
}

/// Places a warning about the summary at its value in the front matter.
fn place_at_summary(page: &Page, d: Diagnostic) -> Diagnostic {
    let d = d.with_field("summary");
    let span = frontmatter::split(&page.text).ok().and_then(|split| {
        let fields = Fields::read(split.format, split.front)?;
        Some(
            fields
                .value(&[Step::Key("summary")])?
                .shifted(split.front_offset),
        )
    });
    match span {
        Some(span) => d.at_span(&page.text, span),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str) -> Vec<(i8, i8, Option<i16>, &str)> {
        mentions(text)
            .into_iter()
            .map(|m| (m.day, m.month, m.year, &text[m.start..m.end]))
            .collect()
    }

    #[test]
    fn finds_dates_in_swedish_and_english_forms() {
        assert_eq!(
            days("Svara senast den 31 augusti. Last day: 31 August 2023, or August 31st."),
            [
                (31, 8, None, "31 augusti"),
                (31, 8, Some(2023), "31 August 2023"),
                (31, 8, None, "August 31st"),
            ]
        );
        assert_eq!(
            days("2023-08-31, 31/8, 31/08/2023 och 31:a aug"),
            [
                (31, 8, Some(2023), "2023-08-31"),
                (31, 8, None, "31/8"),
                (31, 8, Some(2023), "31/08/2023"),
                (31, 8, None, "31:a aug"),
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_dates_are_left_alone() {
        assert!(days("115 000 ton, 3,4 miljarder, 50 % till 2030, 12/31, 5 apelsiner").is_empty());
        assert!(days("version 2023-8-31 och 131/8").is_empty());
    }

    #[test]
    fn a_year_that_differs_is_another_day() {
        let old = Day {
            year: 2023,
            month: 8,
            day: 31,
        };
        let found = mentions("31 augusti 2024, 31 augusti 2023, 31 augusti");
        let is: Vec<bool> = found.iter().map(|m| m.is(old)).collect();
        assert_eq!(is, [false, true, true]);
    }
}
