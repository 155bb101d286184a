//! Deadlines: `resolve`, `resolve_start`, `parse_zone`, `parse_now` and
//! `parse_time_of_day` on arbitrary strings and zones.
//!
//! The invariant that matters to a supplier: a date-only deadline resolves
//! to that very day, at the site's deadline time, in the stated zone; it is
//! an error only when that clock time does not exist or happens twice there.
//! `resolve_start` gives the first moment of the day.
//!
//! Input layout: byte 0 picks the zone, byte 1 and 2 the deadline time,
//! byte 3 the mode; the rest is the value (mode even) or, in the structured
//! mode (odd), three numbers that make a valid-looking `YYYY-MM-DD`, so the
//! invariant is exercised on many real dates and not only on what the
//! fuzzer happens to spell.

#![no_main]

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::AmbiguousOffset;
use libfuzzer_sys::fuzz_target;
use utlys::model::Lang;
use utlys::time::{self, Written};

/// The build clock; it only picks the example date in some hints.
const CLOCK: time::Timestamp = time::Timestamp::UNIX_EPOCH;

/// Zones with unusual rules: half-hour and 45-minute offsets, a 30-minute
/// DST (Lord Howe), DST at midnight (Havana, São Paulo until 2019), negative
/// DST (Dublin), a skipped calendar day (Apia, 2011-12-30) and a two-hour
/// DST (Troll).
const ZONES: &[&str] = &[
    "Europe/Stockholm",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "UTC",
    "America/Havana",
    "Europe/Dublin",
    "Pacific/Apia",
    "Antarctica/Troll",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Africa/Casablanca",
    "Pacific/Kiritimati",
    "America/Santiago",
];

fuzz_target!(|data: &[u8]| {
    let [z, h, m, mode, rest @ ..] = data else {
        return;
    };
    let zone_name = ZONES[usize::from(*z) % ZONES.len()];
    let zone = time::parse_zone(zone_name).expect("a bundled zone");
    let end_of_day = Time::new((h % 24) as i8, (m % 60) as i8, 0, 0).expect("a valid time");

    let structured;
    let value = if mode % 2 == 1 {
        let [a, b, c, d, ..] = *rest else { return };
        let year = 1970 + u16::from_le_bytes([a, b]) % 131;
        structured = format!("{year:04}-{:02}-{:02}", 1 + c % 12, 1 + d % 31);
        structured.as_str()
    } else {
        match std::str::from_utf8(rest) {
            Ok(s) => s,
            Err(_) => return,
        }
    };

    check_resolve(value, &zone, zone_name, end_of_day);
    check_start(value, &zone);
    check_now(value);
    let _ = time::parse_time_of_day(value);
    // Arbitrary names, including long ones: the suggestion search must stay
    // cheap and must never offer an unknown zone.
    if let Err(e) = time::parse_zone(value) {
        assert!(!e.message.is_empty() && !e.hint.is_empty());
    }
});

/// The date of a value written exactly `YYYY-MM-DD` (after trimming), if it
/// is a real calendar date.
fn date_only(value: &str) -> Option<Date> {
    let v = value.trim();
    let b = v.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year: i16 = v[..4].parse().ok()?;
    let month: i8 = v[5..7].parse().ok()?;
    let day: i8 = v[8..].parse().ok()?;
    Date::new(year, month, day).ok()
}

fn check_resolve(value: &str, zone: &time::TimeZone, zone_name: &str, end_of_day: Time) {
    let expected = date_only(value);
    match time::resolve(value, zone, end_of_day, CLOCK) {
        Ok(m) => {
            assert_eq!(m.zoned.time_zone(), zone, "shown in the stated zone");
            if let Some(date) = expected {
                assert_eq!(m.written, Written::DateOnly);
                // The day and the clock time as stated, in the stated zone.
                assert_eq!(m.zoned.date(), date, "{value} in {zone_name}");
                assert_eq!(m.zoned.time(), end_of_day, "{value} in {zone_name}");
            } else {
                assert_ne!(m.written, Written::DateOnly, "{value:?}");
            }
            for lang in [Lang::Sv, Lang::En] {
                assert!(!time::format_long(&m.zoned, lang).is_empty());
                let _ = time::format_date_short(&m.zoned, lang);
            }
            let _ = time::rfc3339(&m.zoned);
        }
        Err(e) => {
            assert!(!e.message.is_empty() && !e.hint.is_empty());
            if let Some(date) = expected {
                // Only a gap, a fold or the edge of the supported range may
                // refuse a real date.
                let local = DateTime::from_parts(date, end_of_day);
                let ambiguous = zone.to_ambiguous_zoned_datetime(local);
                let refused = match ambiguous.offset() {
                    AmbiguousOffset::Gap { .. } | AmbiguousOffset::Fold { .. } => true,
                    AmbiguousOffset::Unambiguous { .. } => ambiguous.unambiguous().is_err(),
                };
                assert!(refused, "{value} in {zone_name} refused: {e:?}");
            }
        }
    }
}

fn check_start(value: &str, zone: &time::TimeZone) {
    let expected = date_only(value);
    match time::resolve_start(value, zone, CLOCK) {
        Ok(m) => {
            let Some(date) = expected else { return };
            assert_eq!(m.written, Written::DateOnly);
            // The first instant whose local date is on or after the day: the
            // day itself unless the whole day was skipped (Apia, 2011-12-30).
            assert!(m.zoned.date() >= date, "{value}: {}", m.zoned);
            if let Ok(before) = m.zoned.checked_sub(jiff::SignedDuration::from_nanos(1)) {
                assert!(
                    before.date() < date,
                    "{value}: {} is not the start",
                    m.zoned
                );
            }
            if m.zoned.date() > date {
                let last = DateTime::from_parts(date, Time::MAX);
                assert!(
                    matches!(
                        zone.to_ambiguous_zoned_datetime(last).offset(),
                        AmbiguousOffset::Gap { .. }
                    ),
                    "{value} moved to {} though the day exists",
                    m.zoned
                );
            }
        }
        Err(e) => assert!(!e.message.is_empty() && !e.hint.is_empty()),
    }
}

/// `--now` accepts exactly the offset form of a front-matter value and
/// means the same instant.
fn check_now(value: &str) {
    let utc = time::parse_zone("UTC").expect("UTC");
    let now = time::parse_now(value);
    let resolved = time::resolve(value, &utc, Time::midnight(), CLOCK);
    match (now, resolved) {
        (Ok(now), Ok(m)) => {
            assert_eq!(m.written, Written::Offset, "{value:?}");
            assert_eq!(now, m.zoned.timestamp(), "{value:?}");
        }
        (Ok(_), Err(e)) => panic!("--now {value:?} accepted but resolve refused it: {e:?}"),
        (Err(_), Ok(m)) => assert_ne!(m.written, Written::Offset, "{value:?}"),
        (Err(_), Err(_)) => {}
    }
}
