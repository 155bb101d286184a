//! Time zones, deadlines and how times are shown.
//!
//! Every rule from the product's "Deadlines and time" section lives here so
//! that the rest of the crate never has to think about time zones:
//!
//! - front-matter values are turned into instants by [`resolve`] and
//!   [`resolve_start`], which refuse local times that do not exist or that
//!   happen twice (daylight-saving changes) instead of silently moving them,
//!   because a deadline that is off by an hour is a legal problem for a buyer;
//! - the status of a challenge is computed from one clock by [`status`];
//! - dates are shown in Swedish or English by the `format_*` functions,
//!   without any locale machinery, since only these two languages exist.
//!
//! Zone names are looked up in the IANA database bundled into the binary (not
//! the system's copy) so that a site builds the same way on every machine.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, Offset, TimeZoneDatabase};

use crate::diagnostics::{Diagnostic, Msg, edit_distance};
use crate::model::Lang;
use crate::msg;

/// jiff 1.0 renamed `Zoned` to `ZonedDateTime`; the alias keeps the name
/// the rest of Utlys uses.
pub use jiff::{Timestamp, ZonedDateTime as Zoned, civil::Time, tz::TimeZone};

/// Error with a human message and a hint on how to fix it.
///
/// The message says what is wrong with the value; the hint says what to write
/// instead. Callers add the file and field the value came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TimeError {
    /// The kind of problem (`invalid-date`, `unknown-timezone`, …).
    pub code: &'static str,
    /// What is wrong, quoting the offending value.
    pub message: Msg,
    /// How to fix it, with the value the writer meant when it can be read,
    /// else an example of a correct value.
    pub hint: Msg,
}

fn err(code: &'static str, message: Msg, hint: Msg) -> TimeError {
    TimeError {
        code,
        message,
        hint,
    }
}

impl TimeError {
    /// The error as a problem in the file `path`, with its code and hint;
    /// the caller places it and names the field.
    pub fn into_diagnostic(self, path: impl Into<std::path::PathBuf>) -> Diagnostic {
        Diagnostic::error(path, self.message)
            .with_code(self.code)
            .with_hint(self.hint)
    }
}

/// Look up an IANA zone name in the bundled database ("Europe/Stockholm").
///
/// The lookup ignores ASCII case and surrounding whitespace. An unknown name
/// is an error whose hint suggests the nearest known name when one is close
/// (by edit distance, also matching a bare city such as "Stockholm"), else
/// gives an example.
pub fn parse_zone(name: &str) -> Result<TimeZone, TimeError> {
    let name = name.trim();
    // The bundled copy rather than `jiff::tz::db()`: the global database
    // prefers /usr/share/zoneinfo, whose version differs between machines,
    // and a static site must build identically everywhere.
    let db = TimeZoneDatabase::bundled();
    // jiff resolves "Etc/Unknown" to its "unknown" sentinel zone, which is
    // explicitly not an IANA zone and would print as "Etc/Unknown"; refuse it.
    if !name.is_empty()
        && let Ok(tz) = db.get(name)
        && !tz.is_unknown()
    {
        return Ok(tz);
    }
    let hint = match nearest_zone_name(&db, name) {
        Some(found) => msg!(
            "Menade du \"{found}\"? Tidszoner skrivs med sina namn i IANA-listan, Område/Stad.",
            "Did you mean \"{found}\"? Time zones are IANA names, written Area/City."
        ),
        None => msg!(
            "Skriv tidszonens namn i IANA-listan, Område/Stad, till exempel \"Europe/Stockholm\" eller \"Europe/Helsinki\".",
            "Use an IANA time zone name written Area/City, e.g. \"Europe/Stockholm\" or \"Europe/Helsinki\"."
        ),
    };
    Err(err(
        "unknown-timezone",
        msg!("okänd tidszon \"{name}\"", "unknown time zone \"{name}\""),
        hint,
    ))
}

/// The known zone name closest to `name`, if it is close enough to be a
/// plausible typo.
fn nearest_zone_name(db: &TimeZoneDatabase, name: &str) -> Option<String> {
    let wanted = name.to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    // People often write just the city ("Stockholm"); compare it with the
    // last part of each name as well.
    let bare = !wanted.contains('/');
    // Allow about one mistake per four characters, at most three: enough for
    // "Europe/Stokholm", not so much that "Mars/Olympus" gets a suggestion.
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 4).clamp(1, 3);
    // The edit distance is at least the difference in length, so only names
    // of about the wanted length can be close enough. Skipping the rest keeps
    // a hostile megabyte-long `timezone` from costing minutes of edit
    // distances (found by the `deadline` fuzz target).
    let near_length = |s: &str| s.chars().count().abs_diff(wanted_len) <= limit;
    let mut best: Option<(usize, String)> = None;
    for zone in db.available() {
        let candidate = zone.as_str();
        let lower = candidate.to_lowercase();
        let mut distance = if near_length(&lower) {
            edit_distance(&wanted, &lower)
        } else {
            usize::MAX
        };
        if bare
            && let Some((_, city)) = lower.rsplit_once('/')
            && near_length(city)
        {
            distance = distance.min(edit_distance(&wanted, city));
        }
        // Ties go to the alphabetically first name so the hint is stable.
        let better = match &best {
            None => true,
            Some((d, n)) => distance < *d || (distance == *d && candidate < n.as_str()),
        };
        if better {
            best = Some((distance, candidate.to_string()));
        }
    }
    let (distance, found) = best?;
    (distance <= limit).then_some(found)
}

/// Parse a time of day such as "23:59", "9:00" or "23:59:30" (the site's
/// `deadline_time`).
///
/// The clock is 24-hour; "24:00" and "25:00" are errors rather than the next
/// day, because a deadline time that silently moves to another date is worse
/// than a build error.
pub fn parse_time_of_day(s: &str) -> Result<Time, TimeError> {
    let s = s.trim();
    let hint = || {
        msg!(
            "Skriv tiden med 24-timmarsklocka som TT:MM, till exempel \"23:59\" eller \"9:00\" (sekunder går att lägga till: \"23:59:30\").",
            "Write a 24-hour time as HH:MM, e.g. \"23:59\" or \"9:00\" (seconds are optional: \"23:59:30\")."
        )
    };
    let invalid = msg!("ogiltig tid \"{s}\"", "invalid time of day \"{s}\"");
    parse_clock(s).map_err(|problem| match problem {
        ClockError::Hour24 => err(
            "invalid-time",
            msg!(
                "ogiltig tid \"{s}\": klockan 24 finns inte",
                "invalid time of day \"{s}\": there is no hour 24"
            ),
            msg!(
                "Skriv \"23:59\" för slutet av dagen.",
                "Use \"23:59\" for the end of the day."
            ),
        ),
        ClockError::OutOfRange => err(
            "invalid-time",
            msg!(
                "ogiltig tid \"{s}\": timmarna går till 23, minuterna och sekunderna till 59",
                "invalid time of day \"{s}\": hours go up to 23, minutes and seconds up to 59"
            ),
            hint(),
        ),
        // The Swedish way of writing times ("kl. 23.59") is the likeliest
        // mistake on a Swedish site: the hint shows the time meant.
        ClockError::Syntax => match guess_clock(s) {
            Some(time) => {
                let meant = clock_text(time);
                err(
                    "invalid-time",
                    invalid,
                    msg!(
                        "Skriv tiden som \"{meant}\": timmar och minuter med kolon emellan.",
                        "Write the time as \"{meant}\": hours and minutes with a colon between them."
                    ),
                )
            }
            None => err("invalid-time", invalid, hint()),
        },
    })
}

/// Parse the `--now` flag: RFC 3339 with an offset or `Z`
/// ("2023-08-25T10:00:00+02:00", "2023-08-25T08:00:00Z").
///
/// A value without an offset is refused: the build clock must be an exact
/// instant, and guessing a zone for it would make `--now` mean different
/// things on different machines.
pub fn parse_now(s: &str) -> Result<Timestamp, TimeError> {
    let s = s.trim();
    let bad = |why: Msg| {
        let (sv, en) = (why.sv, why.en);
        err(
            "invalid-now",
            msg!(
                "ogiltigt värde för --now \"{s}\": {sv}",
                "invalid --now \"{s}\": {en}"
            ),
            msg!(
                "Ge --now enligt RFC 3339 med tidsskillnad eller Z, till exempel \"2023-08-25T10:00:00+02:00\" eller \"2023-08-25T08:00:00Z\".",
                "Give --now as RFC 3339 with an offset or Z, e.g. \"2023-08-25T10:00:00+02:00\" or \"2023-08-25T08:00:00Z\"."
            ),
        )
    };
    let parsed = parse_value(s).map_err(|problem| bad(problem.describe()))?;
    let (Some(time), Some(offset)) = (parsed.time, parsed.offset) else {
        return Err(bad(msg!(
            "det behöver en tid och en tidsskillnad mot UTC",
            "it needs a time and an offset"
        )));
    };
    offset
        .to_timestamp(DateTime::from_parts(parsed.date, time))
        .map_err(|_| {
            bad(msg!(
                "det ligger utanför de år som går att använda",
                "it is outside the supported range"
            ))
        })
}

/// How a deadline-like value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A date alone ("2023-08-31"); the time of day was filled in.
    DateOnly,
    /// A local date-time without offset ("2023-08-31T14:00"), read in the zone.
    Local,
    /// RFC 3339 with an offset or `Z`: an exact instant.
    Offset,
}

/// A resolved point in time, with the zone used to display it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    /// The instant, in the challenge's (or site's) zone.
    pub zoned: Zoned,
    /// The form the value was written in.
    pub written: Written,
}

/// Resolve a front-matter date value:
///  - "2023-08-31" (date only): that day at `end_of_day` (the site's
///    deadline_time, e.g. 23:59) in `zone`;
///  - "2023-08-31T14:00", "2023-08-31T14:00:00", "2023-08-31 14:00" (local,
///    no offset): in `zone`;
///  - "2023-08-31T14:00:00+02:00" / "...Z" (RFC 3339 with offset): that
///    instant, displayed in `zone` (the written offset fixes the instant; the
///    result is converted to `zone` so every time on a page is shown the
///    same way).
///
/// A local time that does not exist in the zone (DST gap, e.g.
/// 2023-03-26T02:30 in Europe/Stockholm) or is ambiguous (DST fold,
/// 2023-10-29T02:30) is an error, never silently shifted; the hint says why
/// and suggests giving an explicit offset or another time. Impossible dates
/// (2023-02-30), hour 24, year 10000 and garbage are errors whose hint shows
/// the three accepted forms. A date written another way (`15/9/2023`,
/// `15 september 2023 kl. 12.00`) is an error whose hint shows it written
/// right when it can be read without doubt; for one that can be read two
/// ways (`3/4/2023`) the example is the date of `now`, the build clock, in
/// `zone` (the only use of `now`). Surrounding whitespace is ignored.
pub fn resolve(
    input: &str,
    zone: &TimeZone,
    end_of_day: Time,
    now: Timestamp,
) -> Result<Moment, TimeError> {
    resolve_with(input, zone, DateMeans::At(end_of_day), now)
}

/// Same as [`resolve`], but a date-only value means the START of that day —
/// used for `opens`, `published`, `publish_date`.
///
/// The start is normally 00:00; in the rare zones where midnight falls in a
/// daylight-saving gap it is the first moment of the day that exists, which
/// is what "from this day on" means (the writer gave no time to contradict).
pub fn resolve_start(input: &str, zone: &TimeZone, now: Timestamp) -> Result<Moment, TimeError> {
    resolve_with(input, zone, DateMeans::Start, now)
}

/// What a date without a time stands for.
#[derive(Clone, Copy)]
enum DateMeans {
    /// That day at this time of day (a deadline: the site's deadline_time).
    At(Time),
    /// The first moment of that day.
    Start,
}

fn resolve_with(
    input: &str,
    zone: &TimeZone,
    means: DateMeans,
    now: Timestamp,
) -> Result<Moment, TimeError> {
    let s = input.trim();
    let zone_name = zone_label(zone);
    let parsed = parse_value(s).map_err(|problem| {
        let why = problem.describe();
        let (sv, en) = (why.sv, why.en);
        err(
            "invalid-date",
            msg!("ogiltigt datum \"{s}\": {sv}", "invalid date \"{s}\": {en}"),
            date_hint(s, &zone_name, means, zone.to_datetime(now).date()),
        )
    })?;
    let out_of_range = || {
        err(
            "invalid-date",
            msg!(
                "datumet \"{s}\" ligger utanför de år som går att använda",
                "date \"{s}\" is outside the supported range"
            ),
            forms_hint(&zone_name, means),
        )
    };
    match (parsed.time, parsed.offset, means) {
        (None, _, DateMeans::Start) => {
            // `to_zoned_datetime` disambiguates "compatibly": a midnight in a
            // gap becomes the end of the gap, a midnight in a fold its first
            // occurrence. Both are the start of the day.
            let zoned = DateTime::from_parts(parsed.date, Time::midnight())
                .to_zoned_datetime(zone.clone())
                .map_err(|_| out_of_range())?;
            Ok(Moment {
                zoned,
                written: Written::DateOnly,
            })
        }
        (None, _, DateMeans::At(time)) => {
            let dt = DateTime::from_parts(parsed.date, time);
            let zoned = local_in_zone(dt, zone, s, true)?;
            Ok(Moment {
                zoned,
                written: Written::DateOnly,
            })
        }
        (Some(time), None, _) => {
            let dt = DateTime::from_parts(parsed.date, time);
            let zoned = local_in_zone(dt, zone, s, false)?;
            Ok(Moment {
                zoned,
                written: Written::Local,
            })
        }
        (Some(time), Some(offset), _) => {
            let ts = offset
                .to_timestamp(DateTime::from_parts(parsed.date, time))
                .map_err(|_| out_of_range())?;
            Ok(Moment {
                zoned: ts.to_zoned_datetime(zone.clone()),
                written: Written::Offset,
            })
        }
    }
}

/// The zone's IANA name for messages, or a description when it has none.
fn zone_label(zone: &TimeZone) -> String {
    zone.iana_name()
        .unwrap_or("the site's time zone")
        .to_string()
}

/// The hint listing the three accepted forms, worded for this zone and for
/// what a bare date means in this field.
fn forms_hint(zone_name: &str, means: DateMeans) -> Msg {
    let (sv_meaning, en_meaning) = match means {
        DateMeans::At(time) => {
            let clock = clock_text(time);
            (
                format!("dagen, som stänger kl. {clock}"),
                format!("the day, closing at {clock}"),
            )
        }
        DateMeans::Start => (
            "från dagens början".to_string(),
            "from the start of the day".to_string(),
        ),
    };
    msg!(
        "Skriv något av: \"2023-08-31\" ({sv_meaning} i {zone_name}), \"2023-08-31T14:00\" (en lokal tid i {zone_name}) eller \"2023-08-31T14:00:00+02:00\" (RFC 3339, med tidsskillnad mot UTC eller Z).",
        "Write one of: \"2023-08-31\" ({en_meaning} in {zone_name}), \"2023-08-31T14:00\" (a local time in {zone_name}), or \"2023-08-31T14:00:00+02:00\" (RFC 3339 with an offset or Z)."
    )
}

/// The hint for a value that is not written in one of the accepted forms:
/// the date (and time) the writer meant, when it can be read without
/// doubt; `today` as the example for a date that can be read two ways
/// (`3/4/2023`); else the accepted forms.
fn date_hint(written: &str, zone_name: &str, means: DateMeans, today: Date) -> Msg {
    match guess_date(written) {
        Guess::Meant(date, time) => {
            let meant = match time {
                Some(time) => format!("{}T{}", date_text(date), clock_text(time)),
                None => date_text(date),
            };
            msg!(
                "Skriv \"{meant}\": datum skrivs ÅÅÅÅ-MM-DD och tider TT:MM.",
                "Write \"{meant}\": dates are written YYYY-MM-DD and times HH:MM."
            )
        }
        Guess::Ambiguous => {
            let today = date_text(today);
            msg!(
                "Datumet kan läsas på två sätt. Skriv det som ÅÅÅÅ-MM-DD, till exempel \"{today}\" för i dag.",
                "The date can be read two ways. Write it as YYYY-MM-DD, e.g. \"{today}\" for today."
            )
        }
        Guess::Unknown => forms_hint(zone_name, means),
    }
}

/// What a date written in another form than `YYYY-MM-DD` most likely means.
#[derive(Debug, PartialEq)]
enum Guess {
    /// The date, and the time when one was written, read without doubt.
    Meant(Date, Option<Time>),
    /// A date with day and month that could be either (`3/4/2023`).
    Ambiguous,
    /// Not a date in any form known here.
    Unknown,
}

/// Reads `15/9/2023`, `15.9.2023`, `2023/09/15`, `15 september 2023`,
/// `Sept 15, 2023`, optionally followed by a time (`kl. 12.00`, `12:00`).
fn guess_date(written: &str) -> Guess {
    let lower = written.trim().to_lowercase();
    let (date_part, time) = split_guessed_time(&lower);
    let time = match time {
        Some(t) => match guess_clock(t) {
            Some(time) => Some(time),
            None => return Guess::Unknown,
        },
        None => None,
    };
    let date_part = date_part.trim().trim_end_matches(',').trim();
    let found = guess_numeric_date(date_part).unwrap_or_else(|| guess_named_date(date_part));
    match found {
        Guess::Meant(date, _) => Guess::Meant(date, time),
        other => other,
    }
}

/// Splits a trailing time (`kl. 12.00`, `klockan 9:30`, `T14.00`,
/// `14:00`) off a written date.
fn split_guessed_time(s: &str) -> (&str, Option<&str>) {
    for marker in [" klockan ", " kl. ", " kl ", " at ", "t"] {
        if let Some(i) = s.rfind(marker) {
            let rest = &s[i + marker.len()..];
            if rest.starts_with(|c: char| c.is_ascii_digit()) && guess_clock(rest).is_some() {
                return (&s[..i], Some(rest));
            }
        }
    }
    match s.rsplit_once(' ') {
        Some((date, t)) if t.contains([':', '.']) && guess_clock(t).is_some() => (date, Some(t)),
        _ => (s, None),
    }
}

/// A time written the Swedish way (`kl. 12.00`, `12.00`) or with a
/// colon, when it is a real time of day.
fn guess_clock(s: &str) -> Option<Time> {
    let s = s.trim();
    let s = ["klockan", "kl.", "kl"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .trim();
    let (h, m) = s.split_once(['.', ':'])?;
    let hour = digits(h, 1, 2)?;
    let minute = digits(m, 2, 2)?;
    Time::new(i8::try_from(hour).ok()?, i8::try_from(minute).ok()?, 0, 0).ok()
}

/// `D/M/YYYY`, `D.M.YYYY` (and month first when the day is past 12) or
/// `YYYY/MM/DD`, `YYYY.MM.DD`.
fn guess_numeric_date(s: &str) -> Option<Guess> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let num = |p: &str| digits(p, 1, 4);
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    let date = |y: u32, m: u32, d: u32| {
        let date = Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()?;
        Some(Guess::Meant(date, None))
    };
    if a.len() == 4 {
        return date(a_n, b_n, c_n);
    }
    if c.len() != 4 {
        return None;
    }
    match (a_n > 12, b_n > 12) {
        (true, false) => date(c_n, b_n, a_n),
        (false, true) => date(c_n, a_n, b_n),
        (false, false) if a_n == b_n => date(c_n, b_n, a_n),
        (false, false) => Some(Guess::Ambiguous),
        (true, true) => None,
    }
}

/// `15 september 2023`, `15 sept. 2023`, `September 15, 2023`: a day, a
/// month's name (Swedish or English, three letters or more) and a year,
/// in any order; other words (a weekday, "den") are passed over. Two days,
/// months or years make it no date at all.
fn guess_named_date(s: &str) -> Guess {
    const MONTHS: [[&str; 2]; 12] = [
        ["januari", "january"],
        ["februari", "february"],
        ["mars", "march"],
        ["april", "april"],
        ["maj", "may"],
        ["juni", "june"],
        ["juli", "july"],
        ["augusti", "august"],
        ["september", "september"],
        ["oktober", "october"],
        ["november", "november"],
        ["december", "december"],
    ];
    let (mut day, mut month, mut year) = (None, None, None);
    for word in s.split([' ', ',']).filter(|w| !w.is_empty()) {
        let word = word.trim_end_matches('.');
        let number = word.trim_end_matches(|c: char| c.is_alphabetic() || c == ':');
        let slot = if let Some(n) = digits(number, 1, 4) {
            match number.len() {
                4 => (&mut year, Some(n)),
                _ => (&mut day, Some(n)),
            }
        } else if word.chars().count() >= 3 {
            let index = MONTHS
                .iter()
                .position(|names| names.iter().any(|n| n.starts_with(word)));
            (&mut month, index.and_then(|i| u32::try_from(i).ok()))
        } else {
            continue;
        };
        match slot {
            (_, None) => {}
            (found @ None, value) => *found = value,
            (Some(_), Some(_)) => return Guess::Unknown,
        }
    }
    let (Some(d), Some(m), Some(y)) = (day, month, year) else {
        return Guess::Unknown;
    };
    let date = (|| {
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m + 1).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
    })();
    date.map_or(Guess::Unknown, |date| Guess::Meant(date, None))
}

/// Place a local date-time in `zone`, refusing times that fall in a gap or a
/// fold. `from_deadline_time` says the time came from the site's
/// `deadline_time` rather than from the value itself, which changes the
/// advice.
fn local_in_zone(
    dt: DateTime,
    zone: &TimeZone,
    written: &str,
    from_deadline_time: bool,
) -> Result<Zoned, TimeError> {
    let ambiguous = zone.to_ambiguous_zoned_datetime(dt);
    let (before, after, is_gap) = match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => {
            return ambiguous.unambiguous().map_err(|_| {
                err(
                    "invalid-date",
                    msg!(
                        "datumet \"{written}\" ligger utanför de år som går att använda",
                        "date \"{written}\" is outside the supported range"
                    ),
                    msg!(
                        "Skriv ett år mellan 0001 och 9999.",
                        "Use a year between 0001 and 9999."
                    ),
                )
            });
        }
        AmbiguousOffset::Gap { before, after } => (before, after, true),
        AmbiguousOffset::Fold { before, after } => (before, after, false),
    };
    let with_offset = |o: Offset| {
        let (day, clock) = (date_text(dt.date()), clock_seconds_text(dt.time()));
        format!("{day}T{clock}{}", offset_text(o))
    };
    let change = Change {
        written,
        from_deadline_time,
        zone_name: zone_label(zone),
        day: date_text(dt.date()),
        clock: clock_text(dt.time()),
        clocks: transition_clocks(zone, dt, before, after),
        first: with_offset(before),
        second: with_offset(after),
    };
    Err(if is_gap { change.gap() } else { change.fold() })
}

/// A local time that a daylight-saving change skips or repeats, with what
/// its messages need.
struct Change<'a> {
    /// The value as written.
    written: &'a str,
    /// Whether the time came from the site's `deadline_time`.
    from_deadline_time: bool,
    zone_name: String,
    /// The date, `YYYY-MM-DD`.
    day: String,
    /// The clock time that falls in the change.
    clock: String,
    /// The wall-clock times at which the change happens ("from 02:00 to
    /// 03:00"); they make the hint concrete.
    clocks: Option<(String, String)>,
    /// The value written with the offset before the change, and after it.
    first: String,
    second: String,
}

impl Change<'_> {
    /// The value in the message: with the clock time when it was not
    /// written in the value itself.
    fn subject(&self) -> Msg {
        let (written, clock) = (self.written, &self.clock);
        if self.from_deadline_time {
            msg!("\"{written}\" kl. {clock}", "\"{written}\" at {clock}")
        } else {
            msg!("\"{written}\"", "\"{written}\"")
        }
    }

    /// "On 2023-03-26 the clocks in Europe/Stockholm jump forward from
    /// 02:00 to 03:00, so ", or nothing when the change is not known.
    fn when(&self, forward: bool) -> Msg {
        let (day, zone_name) = (&self.day, &self.zone_name);
        match (&self.clocks, forward) {
            (None, _) => Msg::default(),
            (Some((from, to)), true) => msg!(
                "Den {day} ställs klockorna i {zone_name} fram från {from} till {to}, så ",
                "On {day} the clocks in {zone_name} jump forward from {from} to {to}, so "
            ),
            (Some((from, to)), false) => msg!(
                "Den {day} ställs klockorna i {zone_name} tillbaka från {from} till {to}, så ",
                "On {day} the clocks in {zone_name} go back from {from} to {to}, so "
            ),
        }
    }

    /// A time the clocks skip.
    fn gap(&self) -> TimeError {
        let (subject, when) = (self.subject(), self.when(true));
        let (zone_name, clock, first) = (&self.zone_name, &self.clock, &self.first);
        let (subject_sv, subject_en) = (&subject.sv, &subject.en);
        let (when_sv, when_en) = (&when.sv, &when.en);
        // The first clock time after the gap is the natural replacement.
        let (instead_sv, instead_en) = match &self.clocks {
            Some((_, to)) => {
                let day = &self.day;
                (
                    format!(", till exempel \"{day}T{to}\""),
                    format!(", e.g. \"{day}T{to}\""),
                )
            }
            None => Default::default(),
        };
        let message = msg!(
            "{subject_sv} finns inte i {zone_name}: klockan hoppar över den tiden (omställning mellan vintertid och sommartid)",
            "{subject_en} does not exist in {zone_name}: the clocks skip that time (daylight-saving change)"
        );
        let hint = msg!(
            "{when_sv}{clock} inträffar aldrig där. Välj en annan tid{instead_sv}, eller skriv tidsskillnaden mot UTC, till exempel \"{first}\".",
            "{when_en}{clock} never happens there. Choose another time{instead_en}, or give an explicit offset, e.g. \"{first}\"."
        );
        err("nonexistent-time", message, self.with_origin(hint))
    }

    /// A time the clocks pass twice.
    fn fold(&self) -> TimeError {
        let (subject, when) = (self.subject(), self.when(false));
        let (zone_name, clock) = (&self.zone_name, &self.clock);
        let (first, second) = (&self.first, &self.second);
        let (subject_sv, subject_en) = (&subject.sv, &subject.en);
        let (when_sv, when_en) = (&when.sv, &when.en);
        let message = msg!(
            "{subject_sv} kan betyda två olika tidpunkter i {zone_name}: klockan passerar den tiden två gånger (omställning mellan sommartid och vintertid)",
            "{subject_en} is ambiguous in {zone_name}: that time happens twice (daylight-saving change)"
        );
        let hint = msg!(
            "{when_sv}{clock} inträffar två gånger. Skriv tidsskillnaden mot UTC: \"{first}\" för första gången, \"{second}\" för andra gången; eller välj en annan tid.",
            "{when_en}{clock} happens twice. Give an explicit offset: \"{first}\" for the first time, \"{second}\" for the second; or choose another time."
        );
        err("ambiguous-time", message, self.with_origin(hint))
    }

    /// `hint`, saying where the clock time came from when it was not
    /// written in the value.
    fn with_origin(&self, mut hint: Msg) -> Msg {
        if self.from_deadline_time {
            let clock = &self.clock;
            hint.sv.push_str(&format!(
                " (Tiden {clock} kommer från `deadline_time` i site.toml; skriv i stället en egen tid för den här sista dagen.)"
            ));
            hint.en.push_str(&format!(
                " (The time {clock} comes from the site's deadline_time; write this deadline with an explicit time instead.)"
            ));
        }
        hint
    }
}

/// Wall-clock times just before and just after the transition that makes
/// `dt` a gap or fold, or `None` if jiff cannot find it.
fn transition_clocks(
    zone: &TimeZone,
    dt: DateTime,
    before: Offset,
    after: Offset,
) -> Option<(String, String)> {
    // Read with either offset, `dt` names two instants that straddle the
    // transition; the first transition after the earlier one is the change.
    let a = before.to_timestamp(dt).ok()?;
    let b = after.to_timestamp(dt).ok()?;
    let transition = zone.following(a.min(b)).next()?.timestamp();
    Some((
        clock_text(before.to_datetime(transition).time()),
        clock_text(after.to_datetime(transition).time()),
    ))
}

/// "2023-03-26"
fn date_text(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// "02:30", or "02:30:15" when the seconds are not zero.
fn clock_text(time: Time) -> String {
    if time.second() == 0 && time.subsec_nanosecond() == 0 {
        format!("{:02}:{:02}", time.hour(), time.minute())
    } else {
        clock_seconds_text(time)
    }
}

/// "02:30:00" — the seconds RFC 3339 requires.
fn clock_seconds_text(time: Time) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// "+01:00" (jiff's own display would write "+01", which is not RFC 3339).
fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
}

/// A date, an optional time and an optional offset, each already validated
/// by jiff's constructors.
struct Parsed {
    date: Date,
    time: Option<Time>,
    offset: Option<Offset>,
}

/// Why a value could not be parsed, before it is worded for the caller.
#[derive(Debug, PartialEq)]
enum Problem {
    Syntax,
    Year(String),
    Month(u32),
    Day { year: i16, month: i8, day: u32 },
    Clock(ClockError),
    Offset(String),
}

impl Problem {
    fn describe(&self) -> Msg {
        match self {
            Problem::Syntax => msg!(
                "det är inte skrivet som ett datum som går att läsa",
                "not a recognised date format"
            ),
            Problem::Year(year) => msg!(
                "året {year} går inte att använda (år skrivs med fyra siffror)",
                "year {year} is out of range (years are written with four digits)"
            ),
            Problem::Month(month) => {
                msg!("det finns ingen månad {month}", "there is no month {month}")
            }
            Problem::Day { year, month, day } => {
                let sv_month = month_name(&SV_MONTHS, *month);
                let en_month = month_name(&EN_MONTHS, *month);
                match Date::new(*year, *month, 1) {
                    Ok(first) => {
                        let days = first.days_in_month();
                        msg!(
                            "det finns ingen dag {day} i {sv_month} {year}; den har {days} dagar",
                            "there is no day {day} in {en_month} {year}; it has {days} days"
                        )
                    }
                    Err(_) => msg!(
                        "det finns ingen dag {day} i {sv_month} {year}",
                        "there is no day {day} in {en_month} {year}"
                    ),
                }
            }
            Problem::Clock(ClockError::Hour24) => msg!(
                "klockan 24 finns inte; skriv 23:59, eller 00:00 nästa dag",
                "there is no hour 24; use 23:59, or 00:00 on the next day"
            ),
            Problem::Clock(ClockError::OutOfRange) => msg!(
                "timmarna går till 23, minuterna och sekunderna till 59",
                "hours go up to 23, minutes and seconds up to 59"
            ),
            Problem::Clock(ClockError::Syntax) => msg!(
                "tiden är inte skriven TT:MM",
                "the time is not written HH:MM"
            ),
            Problem::Offset(offset) => msg!(
                "\"{offset}\" är ingen tidsskillnad mot UTC; skriv Z eller +TT:MM / -TT:MM",
                "\"{offset}\" is not an offset; write Z or +HH:MM / -HH:MM"
            ),
        }
    }
}

/// Parse `YYYY-MM-DD`, optionally followed by `T`/`t`/space, a clock time
/// `HH:MM[:SS[.fraction]]`, and an offset `Z` / `±HH:MM`.
///
/// Hand-written rather than jiff's parsers, which accept many more forms
/// (week dates, bracketed zone annotations, compact digits); a site author
/// should get the same three forms everywhere and a precise error otherwise.
fn parse_value(s: &str) -> Result<Parsed, Problem> {
    let (date_part, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let date = parse_date(date_part)?;
    let Some(rest) = rest else {
        return Ok(Parsed {
            date,
            time: None,
            offset: None,
        });
    };
    let clock_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(clock_len);
    let time = parse_clock(clock).map_err(Problem::Clock)?;
    let offset = match zone {
        "" => None,
        "Z" | "z" => Some(Offset::UTC),
        other => Some(parse_offset(other).ok_or_else(|| Problem::Offset(other.to_string()))?),
    };
    Ok(Parsed {
        date,
        time: Some(time),
        offset,
    })
}

fn parse_date(s: &str) -> Result<Date, Problem> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Problem::Syntax);
    };
    // A five-digit year is the likeliest overflow ("10000-01-01"); name it
    // rather than calling the whole value garbage.
    if y.len() > 4 && y.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::Year(y.to_string()));
    }
    let (Some(year), Some(month), Some(day)) = (digits(y, 4, 4), digits(m, 2, 2), digits(d, 2, 2))
    else {
        return Err(Problem::Syntax);
    };
    if !(1..=12).contains(&month) {
        return Err(Problem::Month(month));
    }
    // Four digits always fit in i16 and 1..=12 in i8; the fallbacks are
    // unreachable but keep this free of panics.
    let year = i16::try_from(year).map_err(|_| Problem::Syntax)?;
    let month = i8::try_from(month).map_err(|_| Problem::Syntax)?;
    let day_i8 = i8::try_from(day).map_err(|_| Problem::Day { year, month, day })?;
    Date::new(year, month, day_i8).map_err(|_| Problem::Day { year, month, day })
}

/// `+HH:MM` / `-HH:MM`, as RFC 3339 writes offsets.
fn parse_offset(s: &str) -> Option<Offset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = s[1..].split_once(':')?;
    let hours = digits(h, 2, 2)?;
    let minutes = digits(m, 2, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    Offset::from_seconds(sign * seconds).ok()
}

/// Why a clock time was refused.
#[derive(Debug, PartialEq)]
enum ClockError {
    Syntax,
    /// "24:00": common enough to deserve its own advice.
    Hour24,
    OutOfRange,
}

/// `H:MM`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` (1–9 digits).
fn parse_clock(s: &str) -> Result<Time, ClockError> {
    let (hms, fraction) = match s.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let (Some(h), Some(m), sec, None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClockError::Syntax);
    };
    let hour = digits(h, 1, 2).ok_or(ClockError::Syntax)?;
    let minute = digits(m, 2, 2).ok_or(ClockError::Syntax)?;
    let second = match sec {
        Some(sec) => digits(sec, 2, 2).ok_or(ClockError::Syntax)?,
        None => 0,
    };
    let nanos = match fraction {
        // A fraction only makes sense after seconds ("14:00.5" is a typo).
        Some(_) if sec.is_none() => return Err(ClockError::Syntax),
        Some(f) => {
            let value = digits(f, 1, 9).ok_or(ClockError::Syntax)?;
            // Scale "5" to 500_000_000: pad to nine digits.
            value * 10u32.pow(9 - u32::try_from(f.len()).map_err(|_| ClockError::Syntax)?)
        }
        None => 0,
    };
    if hour == 24 {
        return Err(ClockError::Hour24);
    }
    let (Ok(hour), Ok(minute), Ok(second), Ok(nanos)) = (
        i8::try_from(hour),
        i8::try_from(minute),
        i8::try_from(second),
        i32::try_from(nanos),
    ) else {
        return Err(ClockError::OutOfRange);
    };
    Time::new(hour, minute, second, nanos).map_err(|_| ClockError::OutOfRange)
}

/// The value of an all-ASCII-digit string of `min..=max` characters.
///
/// Checked by hand because `str::parse` also accepts a leading `+`.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Where a challenge is in its life, as far as the clock is concerned.
///
/// The order is chronological, so sorting by status puts what is coming
/// first and what is over last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Not open yet (before `opens`).
    Upcoming,
    /// Open, with the deadline more than `closing_soon_days` away (or none).
    Open,
    /// Open, with the deadline within `closing_soon_days`.
    ClosingSoon,
    /// The deadline has passed.
    Closed,
}

impl Status {
    /// The key used in templates, CSS classes and URLs:
    /// "upcoming" | "open" | "closing-soon" | "closed".
    pub fn key(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Open => "open",
            Status::ClosingSoon => "closing-soon",
            Status::Closed => "closed",
        }
    }
}

/// Status at `now`: upcoming when `now < opens`; closed when
/// `now >= deadline`; closing-soon when open and `deadline - now` is at most
/// `closing_soon_days` days (of 24 hours); else open. No deadline -> open (or
/// upcoming before opens).
///
/// If `opens` is after a deadline that has passed (inconsistent data), the
/// result is closed: a page must never invite answers after the deadline.
pub fn status(
    now: Timestamp,
    opens: Option<Timestamp>,
    deadline: Option<Timestamp>,
    closing_soon_days: i64,
) -> Status {
    if let Some(deadline) = deadline
        && now >= deadline
    {
        return Status::Closed;
    }
    if let Some(opens) = opens
        && now < opens
    {
        return Status::Upcoming;
    }
    let Some(deadline) = deadline else {
        return Status::Open;
    };
    let left = now.duration_until(deadline);
    // Days are exact 24-hour periods here: the instants carry no zone. A
    // window too large to represent covers every deadline.
    let soon = match closing_soon_days.checked_mul(86_400) {
        Some(seconds) => left <= SignedDuration::from_secs(seconds),
        None => closing_soon_days > 0,
    };
    if soon {
        Status::ClosingSoon
    } else {
        Status::Open
    }
}

const SV_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
const SV_MONTHS_SHORT: [&str; 12] = [
    "jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec.",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SV_WEEKDAYS: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];
const EN_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The name for month `month` (1–12, as jiff guarantees) from `names`.
fn month_name(names: &[&'static str; 12], month: i8) -> &'static str {
    // rem_euclid keeps this total even if the invariant were ever broken.
    names[usize::from((month - 1).rem_euclid(12).unsigned_abs())]
}

/// Long display with weekday, date, time and zone abbreviation:
///   Sv: "torsdag 31 augusti 2023 kl. 23.59 CEST"
///   En: "Thursday 31 August 2023, 23:59 CEST"
///
/// Hours are always two digits. The abbreviation is the one the zone uses at
/// that instant; it is left out if the zone has none.
pub fn format_long(z: &Zoned, lang: Lang) -> String {
    let weekday = usize::from(z.weekday().to_monday_zero_offset().unsigned_abs()) % 7;
    let info = z.time_zone().to_offset_info(z.timestamp());
    let abbreviation = info.abbreviation();
    let mut out = match lang {
        Lang::Sv => format!(
            "{} {} kl. {:02}.{:02}",
            SV_WEEKDAYS[weekday],
            format_date(z, lang),
            z.hour(),
            z.minute()
        ),
        Lang::En => format!(
            "{} {}, {:02}:{:02}",
            EN_WEEKDAYS[weekday],
            format_date(z, lang),
            z.hour(),
            z.minute()
        ),
    };
    if !abbreviation.is_empty() {
        out.push(' ');
        out.push_str(abbreviation);
    }
    out
}

/// Date only: Sv "31 augusti 2023", En "31 August 2023".
pub fn format_date(z: &Zoned, lang: Lang) -> String {
    let names = match lang {
        Lang::Sv => &SV_MONTHS,
        Lang::En => &EN_MONTHS,
    };
    format!("{} {} {}", z.day(), month_name(names, z.month()), z.year())
}

/// Short date for lists: Sv "31 aug. 2023", En "31 Aug 2023".
pub fn format_date_short(z: &Zoned, lang: Lang) -> String {
    let names = match lang {
        Lang::Sv => &SV_MONTHS_SHORT,
        Lang::En => &EN_MONTHS_SHORT,
    };
    format!("{} {} {}", z.day(), month_name(names, z.month()), z.year())
}

/// RFC 3339 with offset, seconds always shown: "2023-08-31T23:59:00+02:00".
///
/// Fractional seconds appear only when present.
pub fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%.f%:z").to_string()
}

/// Whole calendar days from `now` to the deadline, counted in the deadline's
/// zone (deadline today -> 0, tomorrow -> 1, yesterday -> -1).
///
/// Calendar days, not 24-hour periods, so a day with a daylight-saving change
/// still counts as one. A deadline earlier today also gives 0; use
/// [`status`] to tell "last day" from "closed".
pub fn days_left(now: Timestamp, deadline: &Zoned) -> i64 {
    let today = deadline.time_zone().to_datetime(now).date();
    // Both are civil dates, so the duration is an exact multiple of 24 h.
    today
        .duration_until(deadline.date())
        .as_secs()
        .div_euclid(86_400)
}

/// Sv: 0 -> "Sista dagen idag", 1 -> "1 dag kvar", n -> "n dagar kvar",
/// -1 -> "Stängde igår", -n -> "Stängde för n dagar sedan";
/// En: "Last day today", "1 day left", "n days left", "Closed yesterday",
/// "Closed n days ago".
pub fn days_left_text(days: i64, lang: Lang) -> String {
    // unsigned_abs: `-i64::MIN` would overflow.
    let n = days.unsigned_abs();
    match (lang, days) {
        (Lang::Sv, 0) => "Sista dagen idag".to_string(),
        (Lang::Sv, 1) => "1 dag kvar".to_string(),
        (Lang::Sv, -1) => "Stängde igår".to_string(),
        (Lang::Sv, d) if d > 0 => format!("{n} dagar kvar"),
        (Lang::Sv, _) => format!("Stängde för {n} dagar sedan"),
        (Lang::En, 0) => "Last day today".to_string(),
        (Lang::En, 1) => "1 day left".to_string(),
        (Lang::En, -1) => "Closed yesterday".to_string(),
        (Lang::En, d) if d > 0 => format!("{n} days left"),
        (Lang::En, _) => format!("Closed {n} days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stockholm() -> TimeZone {
        parse_zone("Europe/Stockholm").expect("bundled tzdb has Europe/Stockholm")
    }

    fn t(s: &str) -> Time {
        parse_time_of_day(s).expect("valid test time")
    }

    fn ts(s: &str) -> Timestamp {
        parse_now(s).expect("valid test instant")
    }

    /// The build clock of these tests: 25 August 2023 in Stockholm.
    fn clock() -> Timestamp {
        ts("2023-08-25T10:00:00+02:00")
    }

    fn moment(input: &str) -> Moment {
        resolve(input, &stockholm(), t("23:59"), clock()).expect("valid test value")
    }

    fn resolve_err(input: &str) -> TimeError {
        resolve(input, &stockholm(), t("23:59"), clock()).expect_err("value should be refused")
    }

    const FORMS: [&str; 3] = [
        "2023-08-31\"",
        "2023-08-31T14:00\"",
        "2023-08-31T14:00:00+02:00\"",
    ];

    fn assert_forms_hint(e: &TimeError) {
        assert_eq!(e.code, "invalid-date", "{e:?}");
        for form in FORMS {
            assert!(e.hint.en.contains(form), "hint lacks {form}: {e:?}");
            assert!(e.hint.sv.contains(form), "Swedish hint lacks {form}: {e:?}");
        }
    }

    // --- zones ---

    #[test]
    fn zone_known_and_case_insensitive() {
        assert_eq!(stockholm().iana_name(), Some("Europe/Stockholm"));
        let z = parse_zone("  europe/stockholm ").unwrap();
        assert_eq!(z.iana_name(), Some("Europe/Stockholm"));
        assert!(parse_zone("UTC").is_ok());
    }

    #[test]
    fn zone_unknown_suggests_nearest() {
        let e = parse_zone("Europe/Stokholm").unwrap_err();
        assert_eq!(e.code, "unknown-timezone");
        assert_eq!(e.message.sv, "okänd tidszon \"Europe/Stokholm\"");
        assert_eq!(e.message.en, "unknown time zone \"Europe/Stokholm\"");
        assert!(
            e.hint.sv.starts_with("Menade du \"Europe/Stockholm\"?"),
            "{e:?}"
        );
        assert!(e.hint.en.contains("\"Europe/Stockholm\""), "{e:?}");
        // A bare city matches the last part of the name.
        let e = parse_zone("Stockholm").unwrap_err();
        assert!(e.hint.en.contains("\"Europe/Stockholm\""), "{e:?}");
        let e = parse_zone("America/Newyork").unwrap_err();
        assert!(e.hint.en.contains("\"America/New_York\""), "{e:?}");
    }

    #[test]
    fn zone_unknown_far_gives_example() {
        for name in ["Mars/Olympus_Mons", "", "Etc/Unknown"] {
            let e = parse_zone(name).unwrap_err();
            assert!(!e.hint.en.contains("Did you mean"), "{name}: {e:?}");
            assert!(e.hint.en.contains("Europe/Stockholm"), "{name}: {e:?}");
        }
    }

    /// Regression (fuzz target `deadline`): a megabyte-long unknown name used
    /// to cost one full edit distance per zone, minutes of work for one
    /// `timezone` field; names far from every zone's length are now skipped.
    #[test]
    fn long_unknown_zone_name_is_refused_quickly() {
        let name = "x".repeat(1_000_000);
        let started = std::time::Instant::now();
        let e = parse_zone(&name).unwrap_err();
        assert!(!e.hint.en.contains("Did you mean"), "{}", e.hint);
        // Without the length filter this takes minutes even in release.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // The filter must not lose a suggestion one edit away at either end.
        let e = parse_zone("Europe/Stockholmm").unwrap_err();
        assert!(e.hint.en.contains("\"Europe/Stockholm\""), "{e:?}");
        let e = parse_zone("Stockholmm").unwrap_err();
        assert!(e.hint.en.contains("\"Europe/Stockholm\""), "{e:?}");
    }

    // --- time of day ---

    #[test]
    fn a_time_written_the_swedish_way_is_shown_with_a_colon() {
        for (written, meant) in [
            ("kl. 12.00", "\"12:00\""),
            ("klockan 9.30", "\"09:30\""),
            ("23.59", "\"23:59\""),
            ("kl 8:15", "\"08:15\""),
        ] {
            let e = parse_time_of_day(written).unwrap_err();
            assert_eq!(e.code, "invalid-time", "{written}");
            assert!(e.message.sv.contains("ogiltig tid"), "{e:?}");
            assert!(e.message.en.contains("invalid time of day"), "{e:?}");
            assert!(e.hint.sv.contains(meant), "{written}: {e:?}");
            assert!(e.hint.en.contains(meant), "{written}: {e:?}");
        }
        let e = parse_time_of_day("noon").unwrap_err();
        assert!(e.hint.sv.contains("TT:MM") && e.hint.en.contains("HH:MM"));
    }

    #[test]
    fn time_of_day_forms() {
        assert_eq!(t("23:59"), Time::new(23, 59, 0, 0).unwrap());
        assert_eq!(t("9:00"), Time::new(9, 0, 0, 0).unwrap());
        assert_eq!(t("09:05"), Time::new(9, 5, 0, 0).unwrap());
        assert_eq!(t(" 23:59:30 "), Time::new(23, 59, 30, 0).unwrap());
        assert_eq!(t("00:00"), Time::midnight());
    }

    #[test]
    fn time_of_day_rejects() {
        let e = parse_time_of_day("24:00").unwrap_err();
        assert_eq!(e.code, "invalid-time");
        assert!(e.message.sv.contains("klockan 24 finns inte"), "{e:?}");
        assert!(e.message.en.contains("hour 24"), "{e:?}");
        assert!(e.hint.en.contains("23:59"), "{e:?}");
        for bad in [
            "25:00", "23:60", "23:59:60", "", "23", "2359", "23:5", "+9:00", "23:59:", "noon",
            "123:00",
        ] {
            assert!(parse_time_of_day(bad).is_err(), "{bad:?} accepted");
        }
        let e = parse_time_of_day("23.59").unwrap_err();
        assert!(e.hint.en.contains("\"23:59\""), "{e:?}");
    }

    // --- --now ---

    #[test]
    fn now_parses_offsets_and_z() {
        let a = ts("2023-08-25T10:00:00+02:00");
        let b = ts("2023-08-25T08:00:00Z");
        assert_eq!(a, b);
        assert_eq!(a.as_second(), 1_692_950_400);
        assert_eq!(ts("2023-08-25t08:00:00z"), b);
        assert_eq!(ts("2023-08-25T03:30:00-04:30"), b);
        assert_eq!(
            ts("2023-08-25T08:00:00.5Z").subsec_nanosecond(),
            500_000_000
        );
    }

    #[test]
    fn now_rejects_without_offset() {
        for bad in [
            "2023-08-25T10:00:00",
            "2023-08-25",
            "now",
            "",
            "2023-08-25T10:00:00+2",
            "2023-08-25T10:00:00+24:00",
        ] {
            let e = parse_now(bad).expect_err(bad);
            assert_eq!(e.code, "invalid-now", "{bad}");
            assert!(e.message.sv.contains("--now"), "{bad}: {e:?}");
            assert!(e.hint.sv.contains("2023-08-25T10:00:00+02:00"), "{e:?}");
            assert!(
                e.hint.en.contains("2023-08-25T10:00:00+02:00"),
                "{bad}: {e:?}"
            );
        }
    }

    // --- resolve: the three forms ---

    #[test]
    fn resolve_date_only_is_deadline_time() {
        let m = moment("2023-08-31");
        assert_eq!(m.written, Written::DateOnly);
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T23:59:00+02:00");
        assert_eq!(m.zoned.time_zone().iana_name(), Some("Europe/Stockholm"));
        // Winter: the same clock time is +01:00.
        assert_eq!(
            rfc3339(&moment("2023-12-01").zoned),
            "2023-12-01T23:59:00+01:00"
        );
        // Another deadline_time is honoured.
        let m = resolve("2023-08-31", &stockholm(), t("12:00"), clock()).unwrap();
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T12:00:00+02:00");
    }

    #[test]
    fn resolve_local_forms() {
        for input in [
            "2023-08-31T14:00",
            "2023-08-31T14:00:00",
            "2023-08-31 14:00",
            "  2023-08-31t14:00\n",
        ] {
            let m = moment(input);
            assert_eq!(m.written, Written::Local, "{input}");
            assert_eq!(rfc3339(&m.zoned), "2023-08-31T14:00:00+02:00", "{input}");
        }
        let m = resolve(
            "2023-08-31T14:00",
            &parse_zone("America/New_York").unwrap(),
            t("23:59"),
            clock(),
        )
        .unwrap();
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T14:00:00-04:00");
    }

    #[test]
    fn resolve_offset_forms_keep_instant_and_show_in_zone() {
        let m = moment("2023-08-31T14:00:00+02:00");
        assert_eq!(m.written, Written::Offset);
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T14:00:00+02:00");
        // Written in UTC: same instant as 14:00 in Stockholm, shown there.
        let z = moment("2023-08-31T12:00:00Z");
        assert_eq!(z.written, Written::Offset);
        assert_eq!(z.zoned.timestamp(), m.zoned.timestamp());
        assert_eq!(rfc3339(&z.zoned), "2023-08-31T14:00:00+02:00");
        let f = moment("2023-08-31T09:00:00-03:00");
        assert_eq!(rfc3339(&f.zoned), "2023-08-31T14:00:00+02:00");
        // An offset form is an exact instant even inside a DST gap.
        let g = moment("2023-03-26T02:30:00+01:00");
        assert_eq!(rfc3339(&g.zoned), "2023-03-26T03:30:00+02:00");
    }

    #[test]
    fn resolve_start_uses_midnight() {
        let m = resolve_start("2023-08-31", &stockholm(), clock()).unwrap();
        assert_eq!(m.written, Written::DateOnly);
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T00:00:00+02:00");
        let m = resolve_start("2023-08-31T10:00", &stockholm(), clock()).unwrap();
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T10:00:00+02:00");
        // Midnight skipped by DST (São Paulo, 2015-10-18): the day starts at 01:00.
        let sp = parse_zone("America/Sao_Paulo").unwrap();
        let m = resolve_start("2015-10-18", &sp, clock()).unwrap();
        assert_eq!(rfc3339(&m.zoned), "2015-10-18T01:00:00-02:00");
        let e = resolve_start("2023-02-30", &stockholm(), clock()).unwrap_err();
        assert!(e.hint.en.contains("start of the day"), "{e:?}");
    }

    // --- resolve: DST ---

    #[test]
    fn resolve_rejects_dst_gap() {
        let e = resolve_err("2023-03-26T02:30");
        assert_eq!(e.code, "nonexistent-time");
        assert!(
            e.message.sv.contains("finns inte i Europe/Stockholm"),
            "{e:?}"
        );
        assert!(e.hint.sv.contains("fram från 02:00 till 03:00"), "{e:?}");
        assert!(e.hint.sv.contains("\"2023-03-26T03:00\""), "{e:?}");
        assert!(e.hint.sv.contains("2023-03-26T02:30:00+01:00"), "{e:?}");
        assert!(e.message.en.contains("does not exist"), "{e:?}");
        assert!(e.message.en.contains("Europe/Stockholm"), "{e:?}");
        assert!(e.hint.en.contains("from 02:00 to 03:00"), "{e:?}");
        assert!(e.hint.en.contains("2023-03-26T02:30:00+01:00"), "{e:?}");
        assert!(e.hint.en.contains("\"2023-03-26T03:00\""), "{e:?}");
        // The hour before and after are fine.
        assert_eq!(
            rfc3339(&moment("2023-03-26T01:59").zoned),
            "2023-03-26T01:59:00+01:00"
        );
        assert_eq!(
            rfc3339(&moment("2023-03-26T03:00").zoned),
            "2023-03-26T03:00:00+02:00"
        );
    }

    #[test]
    fn resolve_rejects_dst_fold() {
        let e = resolve_err("2023-10-29T02:30");
        assert_eq!(e.code, "ambiguous-time");
        assert!(e.message.sv.contains("två olika tidpunkter"), "{e:?}");
        assert!(
            e.hint.sv.contains("tillbaka från 03:00 till 02:00"),
            "{e:?}"
        );
        assert!(e.hint.sv.contains("2023-10-29T02:30:00+01:00"), "{e:?}");
        assert!(e.message.en.contains("ambiguous"), "{e:?}");
        assert!(e.hint.en.contains("from 03:00 to 02:00"), "{e:?}");
        assert!(e.hint.en.contains("2023-10-29T02:30:00+02:00"), "{e:?}");
        assert!(e.hint.en.contains("2023-10-29T02:30:00+01:00"), "{e:?}");
        // With an explicit offset either occurrence is accepted.
        let first = moment("2023-10-29T02:30:00+02:00");
        let second = moment("2023-10-29T02:30:00+01:00");
        assert_eq!(
            second.zoned.timestamp().as_second() - first.zoned.timestamp().as_second(),
            3600
        );
        assert_eq!(rfc3339(&second.zoned), "2023-10-29T02:30:00+01:00");
    }

    #[test]
    fn resolve_rejects_deadline_time_in_gap() {
        let e = resolve("2023-03-26", &stockholm(), t("02:30"), clock()).unwrap_err();
        assert!(e.message.en.contains("does not exist"), "{e:?}");
        assert!(e.message.en.contains("\"2023-03-26\" at 02:30"), "{e:?}");
        assert!(e.hint.en.contains("deadline_time"), "{e:?}");
        assert!(e.message.sv.contains("\"2023-03-26\" kl. 02:30"), "{e:?}");
        assert!(e.hint.sv.contains("`deadline_time`"), "{e:?}");
        // A date-only opening time is unaffected: it means 00:00.
        assert!(resolve_start("2023-03-26", &stockholm(), clock()).is_ok());
    }

    // --- resolve: garbage ---

    #[test]
    fn resolve_rejects_impossible_dates() {
        let e = resolve_err("2023-02-30");
        assert!(e.message.en.contains("February 2023"), "{e:?}");
        assert!(e.message.en.contains("28 days"), "{e:?}");
        assert!(
            e.message
                .sv
                .contains("ingen dag 30 i februari 2023; den har 28 dagar"),
            "{e:?}"
        );
        assert_forms_hint(&e);
        // Leap year: the 29th exists, the 30th does not.
        assert!(resolve("2024-02-29", &stockholm(), t("23:59"), clock()).is_ok());
        assert!(resolve_err("2024-02-30").message.en.contains("29 days"));
        let e = resolve_err("2023-13-01");
        assert!(e.message.en.contains("month 13"), "{e:?}");
        assert_forms_hint(&e);
        assert_forms_hint(&resolve_err("2023-04-31"));
        assert_forms_hint(&resolve_err("2023-04-00"));
    }

    #[test]
    fn resolve_rejects_hour_24() {
        for input in [
            "2023-08-31T24:00",
            "2023-08-31T24:00:00+02:00",
            "2023-08-31 24:00",
        ] {
            let e = resolve_err(input);
            assert!(e.message.en.contains("hour 24"), "{input}: {e:?}");
            assert_forms_hint(&e);
        }
    }

    #[test]
    fn resolve_rejects_year_10000() {
        for input in ["10000-01-01", "10000-01-01T00:00", "10000-01-01T00:00:00Z"] {
            let e = resolve_err(input);
            assert!(e.message.en.contains("year 10000"), "{input}: {e:?}");
            assert_forms_hint(&e);
        }
    }

    #[test]
    fn resolve_rejects_garbage() {
        for input in [
            "",
            "   ",
            "tomorrow",
            "23-08-31",
            "31/08/23",
            "32/13/2023",
            "15 sept 16 2023",
            "2023-08-31T",
            "2023-08-31T14",
            "2023-08-31T14:00 CEST",
            "2023-08-31T14:00+0200",
            "2023-08-31T14:00:00+02",
            "2023-08-31T14:00[Europe/Stockholm]",
            "2023-08-31T14:60",
            "2023-08-31T14:00.5",
            "+2023-08-31",
            "2023-W35-4",
        ] {
            let e = resolve(input, &stockholm(), t("23:59"), clock()).expect_err(input);
            assert_forms_hint(&e);
        }
    }

    // --- resolve: dates written another way ---

    #[test]
    fn a_date_written_another_way_is_shown_written_right() {
        for input in [
            "15/9/2023",
            "15.9.2023",
            "15-09-2023",
            "2023/09/15",
            "2023.9.15",
            "2023-9-15",
            "9/15/2023",
            "15 september 2023",
            "den 15 sept. 2023",
            "Sept 15, 2023",
            "fredag 15 september 2023",
        ] {
            let e = resolve_err(input);
            assert_eq!(e.code, "invalid-date", "{input}");
            assert!(e.message.sv.contains(input), "{input}: {e:?}");
            assert!(e.message.en.contains(input), "{input}: {e:?}");
            assert!(
                e.hint.sv.starts_with("Skriv \"2023-09-15\""),
                "{input}: {e:?}"
            );
            assert!(
                e.hint.en.starts_with("Write \"2023-09-15\""),
                "{input}: {e:?}"
            );
            assert!(e.hint.sv.contains("ÅÅÅÅ-MM-DD"), "{input}: {e:?}");
        }
        // A time written with it, the Swedish way or with a colon.
        for input in [
            "15.9.2023 kl. 12.00",
            "15 september 2023 klockan 12.00",
            "2023-09-15 12.00",
            "2023-09-15  12:00",
            "Sept 15, 2023 at 12:00",
        ] {
            let e = resolve_err(input);
            let meant = "\"2023-09-15T12:00\"";
            assert!(e.hint.sv.contains(meant), "{input}: {e:?}");
            assert!(e.hint.en.contains(meant), "{input}: {e:?}");
        }
    }

    #[test]
    fn a_date_that_reads_two_ways_gets_the_build_clocks_date_as_example() {
        let e = resolve_err("3/4/2023");
        assert_eq!(e.code, "invalid-date");
        assert!(e.hint.sv.contains("två sätt"), "{e:?}");
        assert!(e.hint.en.contains("two ways"), "{e:?}");
        // `clock()` is 25 August 2023.
        assert!(e.hint.sv.contains("\"2023-08-25\""), "{e:?}");
        assert!(e.hint.en.contains("\"2023-08-25\""), "{e:?}");
        // Another clock, another example: the date is the clock's, in the
        // challenge's zone (23:30 UTC is already the next day in Stockholm).
        let late = ts("2024-02-10T23:30:00Z");
        let e = resolve_start("3.4.2023", &stockholm(), late).unwrap_err();
        assert!(e.hint.sv.contains("\"2024-02-11\""), "{e:?}");
        assert!(e.hint.en.contains("\"2024-02-11\""), "{e:?}");
        // Day and month the same: one reading only.
        assert!(resolve_err("5/5/2023").hint.en.contains("\"2023-05-05\""));
    }

    #[test]
    fn resolve_error_names_the_zone() {
        let helsinki = parse_zone("Europe/Helsinki").unwrap();
        let e = resolve("nope", &helsinki, t("23:59"), clock()).unwrap_err();
        assert!(e.hint.en.contains("local time in Europe/Helsinki"), "{e:?}");
        assert!(e.hint.sv.contains("lokal tid i Europe/Helsinki"), "{e:?}");
        assert!(e.hint.sv.contains("stänger kl. 23:59"), "{e:?}");
        assert!(e.hint.en.contains("closing at 23:59"), "{e:?}");
    }

    // --- status ---

    #[test]
    fn status_boundaries() {
        let deadline = ts("2023-08-31T23:59:00+02:00");
        let opens = ts("2023-08-01T00:00:00+02:00");
        let st = |now: &str| status(ts(now), Some(opens), Some(deadline), 7);
        assert_eq!(st("2023-07-31T23:59:59+02:00"), Status::Upcoming);
        assert_eq!(st("2023-08-01T00:00:00+02:00"), Status::Open);
        assert_eq!(st("2023-08-24T23:58:59+02:00"), Status::Open);
        // Exactly 7 days before is closing soon.
        assert_eq!(st("2023-08-24T23:59:00+02:00"), Status::ClosingSoon);
        assert_eq!(st("2023-08-31T23:58:59+02:00"), Status::ClosingSoon);
        // Exactly at the deadline is closed.
        assert_eq!(st("2023-08-31T23:59:00+02:00"), Status::Closed);
        assert_eq!(st("2024-01-01T00:00:00Z"), Status::Closed);
    }

    #[test]
    fn status_without_deadline_or_opens() {
        let now = ts("2023-08-25T10:00:00+02:00");
        assert_eq!(status(now, None, None, 7), Status::Open);
        assert_eq!(
            status(now, Some(ts("2023-09-01T00:00:00Z")), None, 7),
            Status::Upcoming
        );
        assert_eq!(
            status(now, None, Some(ts("2023-09-30T00:00:00Z")), 7),
            Status::Open
        );
        assert_eq!(
            status(now, None, Some(ts("2023-08-26T00:00:00Z")), 7),
            Status::ClosingSoon
        );
        // A zero window: never closing soon; a huge one: always.
        assert_eq!(
            status(now, None, Some(ts("2023-08-26T00:00:00Z")), 0),
            Status::Open
        );
        assert_eq!(
            status(now, None, Some(ts("2099-01-01T00:00:00Z")), i64::MAX),
            Status::ClosingSoon
        );
        assert_eq!(
            status(now, None, Some(ts("2099-01-01T00:00:00Z")), i64::MIN),
            Status::Open
        );
        // Inconsistent data (opens after a passed deadline) reads as closed.
        assert_eq!(
            status(
                now,
                Some(ts("2023-09-01T00:00:00Z")),
                Some(ts("2023-08-01T00:00:00Z")),
                7
            ),
            Status::Closed
        );
    }

    #[test]
    fn status_keys_and_order() {
        assert_eq!(Status::Upcoming.key(), "upcoming");
        assert_eq!(Status::Open.key(), "open");
        assert_eq!(Status::ClosingSoon.key(), "closing-soon");
        assert_eq!(Status::Closed.key(), "closed");
        assert!(Status::Upcoming < Status::Open && Status::ClosingSoon < Status::Closed);
    }

    // --- display ---

    #[test]
    fn long_format_exact_strings() {
        let z = moment("2023-08-31").zoned;
        assert_eq!(
            format_long(&z, Lang::Sv),
            "torsdag 31 augusti 2023 kl. 23.59 CEST"
        );
        assert_eq!(
            format_long(&z, Lang::En),
            "Thursday 31 August 2023, 23:59 CEST"
        );
        let w = moment("2024-01-01T09:05").zoned;
        assert_eq!(
            format_long(&w, Lang::Sv),
            "måndag 1 januari 2024 kl. 09.05 CET"
        );
        assert_eq!(
            format_long(&w, Lang::En),
            "Monday 1 January 2024, 09:05 CET"
        );
        let s = moment("2023-12-31T00:00").zoned;
        assert_eq!(
            format_long(&s, Lang::Sv),
            "söndag 31 december 2023 kl. 00.00 CET"
        );
    }

    #[test]
    fn date_formats() {
        let z = moment("2023-08-31").zoned;
        assert_eq!(format_date(&z, Lang::Sv), "31 augusti 2023");
        assert_eq!(format_date(&z, Lang::En), "31 August 2023");
        assert_eq!(format_date_short(&z, Lang::Sv), "31 aug. 2023");
        assert_eq!(format_date_short(&z, Lang::En), "31 Aug 2023");
        let m = moment("2023-03-05").zoned;
        assert_eq!(format_date(&m, Lang::Sv), "5 mars 2023");
        assert_eq!(format_date_short(&m, Lang::Sv), "5 mars 2023");
        assert_eq!(format_date_short(&m, Lang::En), "5 Mar 2023");
        let j = moment("2023-01-09").zoned;
        assert_eq!(format_date_short(&j, Lang::Sv), "9 jan. 2023");
    }

    #[test]
    fn all_month_names() {
        let sv: Vec<String> = (1..=12)
            .map(|m| format_date(&moment(&format!("2023-{m:02}-15")).zoned, Lang::Sv))
            .collect();
        assert_eq!(sv[0], "15 januari 2023");
        assert_eq!(sv[4], "15 maj 2023");
        assert_eq!(sv[11], "15 december 2023");
        let short: Vec<String> = (1..=12)
            .map(|m| format_date_short(&moment(&format!("2023-{m:02}-15")).zoned, Lang::Sv))
            .collect();
        assert_eq!(short[8], "15 sep. 2023");
        assert_eq!(short[6], "15 juli 2023");
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(
            rfc3339(&moment("2023-08-31T14:00").zoned),
            "2023-08-31T14:00:00+02:00"
        );
        let utc = parse_zone("UTC").unwrap();
        let m = resolve("2023-08-31T14:00", &utc, t("23:59"), clock()).unwrap();
        assert_eq!(rfc3339(&m.zoned), "2023-08-31T14:00:00+00:00");
        let k = resolve(
            "2023-08-31T14:00",
            &parse_zone("Asia/Kolkata").unwrap(),
            t("23:59"),
            clock(),
        )
        .unwrap();
        assert_eq!(rfc3339(&k.zoned), "2023-08-31T14:00:00+05:30");
        assert_eq!(
            rfc3339(&moment("2023-08-31T14:00:00.25+02:00").zoned),
            "2023-08-31T14:00:00.25+02:00"
        );
    }

    // --- days left ---

    #[test]
    fn days_left_basic() {
        let deadline = moment("2023-08-31").zoned;
        assert_eq!(days_left(ts("2023-08-31T00:00:00+02:00"), &deadline), 0);
        assert_eq!(days_left(ts("2023-08-31T23:59:59+02:00"), &deadline), 0);
        assert_eq!(days_left(ts("2023-08-30T23:59:59+02:00"), &deadline), 1);
        assert_eq!(days_left(ts("2023-09-01T00:00:00+02:00"), &deadline), -1);
        assert_eq!(days_left(ts("2023-08-24T12:00:00+02:00"), &deadline), 7);
        assert_eq!(days_left(ts("2023-09-03T12:00:00+02:00"), &deadline), -3);
        // Counted in the deadline's zone: 23:30 UTC on the 30th is already
        // the 31st in Stockholm.
        assert_eq!(days_left(ts("2023-08-30T23:30:00Z"), &deadline), 0);
    }

    #[test]
    fn days_left_across_dst() {
        // Spring forward on 2023-03-26: a day of 23 hours still counts as one.
        let deadline = moment("2023-03-27T00:30").zoned;
        assert_eq!(days_left(ts("2023-03-25T23:30:00+01:00"), &deadline), 2);
        assert_eq!(days_left(ts("2023-03-26T00:10:00+01:00"), &deadline), 1);
        // Fall back on 2023-10-29: a day of 25 hours still counts as one.
        let deadline = moment("2023-10-30T00:30").zoned;
        assert_eq!(days_left(ts("2023-10-28T23:30:00+02:00"), &deadline), 2);
        assert_eq!(days_left(ts("2023-10-29T23:59:00+01:00"), &deadline), 1);
        assert_eq!(days_left(ts("2023-10-30T00:00:00+01:00"), &deadline), 0);
        // Whole weeks across the change.
        let deadline = moment("2023-04-01").zoned;
        assert_eq!(days_left(ts("2023-03-25T23:59:00+01:00"), &deadline), 7);
    }

    #[test]
    fn days_left_texts() {
        assert_eq!(days_left_text(0, Lang::Sv), "Sista dagen idag");
        assert_eq!(days_left_text(1, Lang::Sv), "1 dag kvar");
        assert_eq!(days_left_text(7, Lang::Sv), "7 dagar kvar");
        assert_eq!(days_left_text(-1, Lang::Sv), "Stängde igår");
        assert_eq!(days_left_text(-3, Lang::Sv), "Stängde för 3 dagar sedan");
        assert_eq!(days_left_text(0, Lang::En), "Last day today");
        assert_eq!(days_left_text(1, Lang::En), "1 day left");
        assert_eq!(days_left_text(2, Lang::En), "2 days left");
        assert_eq!(days_left_text(-1, Lang::En), "Closed yesterday");
        assert_eq!(days_left_text(-12, Lang::En), "Closed 12 days ago");
        assert_eq!(
            days_left_text(i64::MIN, Lang::En),
            "Closed 9223372036854775808 days ago"
        );
    }
}
