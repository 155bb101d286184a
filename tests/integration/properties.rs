//! Property tests: slugs and deadline resolution hold their promises for
//! any input, not only for the examples elsewhere.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::AmbiguousOffset;
use proptest::prelude::*;
use utlys::time::{self, Timestamp, Written};

// --- Slugs ---

/// Text people put in titles, tags and file names: Swedish letters, other
/// scripts, punctuation, emoji, spaces and hyphens in any order.
fn title_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC*",
        "[a-zA-ZåäöÅÄÖéü0-9 ._/\\\\:;!?'\"()&%+#@~-]{0,40}",
        "[-– ]{0,5}[a-zåäö]{0,8}[-–_ ]{0,5}[0-9]{0,3}[-–_ .]{0,5}",
    ]
}

/// Whether `s` is usable as one part of a URL path as it stands.
fn url_safe(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Page folders, tag and category pages and heading ids all come from
    /// `slug::slugify`; whatever it is given, the result needs no escaping
    /// and slugifying it again changes nothing (so a written `slug` that is
    /// already a slug is used unchanged, without a warning).
    #[test]
    fn slugs_are_url_safe_and_stable(text in title_text()) {
        let s = slug::slugify(&text);
        prop_assert!(url_safe(&s), "{text:?} -> {s:?}");
        prop_assert_eq!(slug::slugify(&s), s.clone(), "{:?}", text);
        // A heading always gets an id, even without letters or digits.
        let id = utlys::markdown::heading_slug(&text);
        prop_assert!(!id.is_empty() && url_safe(&id), "{text:?} -> {id:?}");
    }
}

// --- Deadlines ---

/// Zones with unusual rules: 30-minute DST (Lord Howe), a 45-minute offset
/// with DST (Chatham), half-hour offset without DST (Kolkata), DST at
/// midnight (São Paulo, until 2019), the southern hemisphere, and UTC.
const ZONES: &[&str] = &[
    "Europe/Stockholm",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "UTC",
];

fn zone() -> impl Strategy<Value = (&'static str, time::TimeZone)> {
    prop::sample::select(ZONES).prop_map(|name| (name, time::parse_zone(name).expect("a zone")))
}

fn date() -> impl Strategy<Value = Date> {
    (1970i16..2100, 1i8..=12, 1i8..=31)
        .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
}

fn clock() -> impl Strategy<Value = Time> {
    (0i8..24, 0i8..60).prop_map(|(h, m)| Time::new(h, m, 0, 0).expect("a time"))
}

/// `YYYY-MM-DD`, as written in front matter.
fn written(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Whether `dt` is a wall-clock time that happens exactly once in `zone`.
fn exists_once(zone: &time::TimeZone, dt: DateTime) -> bool {
    matches!(
        zone.to_ambiguous_zoned_datetime(dt).offset(),
        AmbiguousOffset::Unambiguous { .. }
    )
}

/// Checks `resolve` on a date-only deadline: that very day at
/// `deadline_time` in that zone, or an error exactly when that clock time
/// does not exist or happens twice there.
fn check_deadline(
    name: &str,
    zone: &time::TimeZone,
    date: Date,
    deadline_time: Time,
) -> Result<(), TestCaseError> {
    let input = written(date);
    let local = DateTime::from_parts(date, deadline_time);
    match time::resolve(&input, zone, deadline_time, Timestamp::UNIX_EPOCH) {
        Ok(m) => {
            prop_assert_eq!(m.written, Written::DateOnly);
            prop_assert_eq!(m.zoned.date(), date, "{} in {}", input, name);
            prop_assert_eq!(m.zoned.time(), deadline_time, "{} in {}", input, name);
            prop_assert_eq!(m.zoned.time_zone(), zone);
            prop_assert!(exists_once(zone, local), "{local} in {name} was accepted");
        }
        Err(e) => {
            prop_assert!(!exists_once(zone, local), "{local} in {name}: {e:?}");
            prop_assert!(
                e.code == "nonexistent-time" || e.code == "ambiguous-time",
                "{e:?}"
            );
            prop_assert!(
                e.message.en.contains("does not exist") || e.message.en.contains("ambiguous"),
                "{e:?}"
            );
            prop_assert!(e.message.en.contains(name), "{e:?}");
            prop_assert!(e.message.sv.contains(name), "{e:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_date_only_deadline_is_that_day_at_the_deadline_time(
        (name, zone) in zone(),
        date in date(),
        deadline_time in clock(),
    ) {
        check_deadline(name, &zone, date, deadline_time)?;
    }

    /// The same on the days clocks change, where gaps and folds are: found
    /// from the zone's own transitions so every case is such a day.
    #[test]
    fn a_date_only_deadline_on_a_clock_change_day(
        (name, zone) in zone(),
        year in 1970i16..2100,
        pick in 0usize..4,
        deadline_time in clock(),
    ) {
        let start = Date::new(year, 1, 1)
            .expect("a date")
            .to_zoned_datetime(zone.clone())
            .expect("in range")
            .timestamp();
        let changes: Vec<_> = zone
            .following(start)
            .take_while(|t| t.timestamp().to_zoned_datetime(zone.clone()).year() == year)
            .collect();
        // UTC, Kolkata and São Paulo after 2019 have no changes: any day.
        let date = match changes.get(pick % changes.len().max(1)) {
            Some(t) => t.timestamp().to_zoned_datetime(zone.clone()).date(),
            None => Date::new(year, 3, 26).expect("a date"),
        };
        check_deadline(name, &zone, date, deadline_time)?;
        // The clock time the change happens at, exactly: a gap or a fold
        // somewhere except in zones without changes that year.
        if let Some(t) = changes.get(pick % changes.len().max(1)) {
            let before = t.timestamp().checked_sub(jiff::SignedDuration::from_nanos(1))
                .expect("in range")
                .to_zoned_datetime(zone.clone());
            let at = t.timestamp().to_zoned_datetime(zone.clone());
            // Only a change of the UTC offset makes a gap or a fold.
            if before.offset() != at.offset() {
                let wall = if before.offset() < at.offset() {
                    // Spring forward: the wall clock just after the old
                    // offset ends does not exist.
                    before.datetime().checked_add(jiff::SignedDuration::from_secs(1)).expect("in range")
                } else {
                    at.datetime()
                };
                check_deadline(name, &zone, wall.date(), wall.time().with().subsec_nanosecond(0).build().expect("a time"))?;
            }
        }
    }

    /// `resolve_start` gives the first moment of the day: on that date, and
    /// one nanosecond earlier is the day before (São Paulo's days that began
    /// at 01:00 included).
    #[test]
    fn resolve_start_is_the_start_of_the_day((name, zone) in zone(), date in date()) {
        let input = written(date);
        let m = time::resolve_start(&input, &zone, Timestamp::UNIX_EPOCH)
            .map_err(|e| TestCaseError::fail(format!("{input} in {name}: {e:?}")))?;
        prop_assert_eq!(m.written, Written::DateOnly);
        prop_assert_eq!(m.zoned.date(), date, "{} in {}", input, name);
        let before = m.zoned.checked_sub(jiff::SignedDuration::from_nanos(1)).expect("in range");
        prop_assert!(before.date() < date, "{} in {}: {} is not the start", input, name, m.zoned);
    }

    /// A local date-time that exists once is kept as written; an offset form
    /// of any resolved moment resolves back to the same instant.
    #[test]
    fn local_times_keep_their_wall_clock_and_offsets_round_trip(
        (name, zone) in zone(),
        date in date(),
        at in clock(),
    ) {
        let local = DateTime::from_parts(date, at);
        let input = format!("{}T{:02}:{:02}", written(date), at.hour(), at.minute());
        match time::resolve(&input, &zone, Time::midnight(), Timestamp::UNIX_EPOCH) {
            Ok(m) => {
                prop_assert_eq!(m.written, Written::Local);
                prop_assert_eq!(m.zoned.datetime(), local, "{} in {}", input, name);
                let again = time::resolve(&time::rfc3339(&m.zoned), &zone, Time::midnight(), Timestamp::UNIX_EPOCH)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert_eq!(again.written, Written::Offset);
                prop_assert_eq!(again.zoned.timestamp(), m.zoned.timestamp());
                let now = time::parse_now(&time::rfc3339(&m.zoned))
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert_eq!(now, m.zoned.timestamp());
            }
            Err(e) => prop_assert!(!exists_once(&zone, local), "{input} in {name}: {e:?}"),
        }
    }
}
