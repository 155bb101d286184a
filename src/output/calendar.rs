//! iCalendar files (RFC 5545): `calendar.ics` with every challenge's
//! deadlines and meetings, and one `calendar.ics` beside each challenge page.
//!
//! Written by hand because the format is small and exactly specified; the
//! Python tests read every file back with the `icalendar` package.
//!
//! Every challenge page, translations included, gets its own file; the site
//! calendar holds the challenges of the default language.
//!
//! Choices a subscriber can rely on:
//!
//! - Every entry has a UID built from where the challenge lives and what the
//!   entry is (`challenges/klimat/deadline@example.se`), so rebuilding never
//!   creates duplicates in a subscribed calendar.
//! - An entry is written once and reused verbatim in both the site calendar
//!   and the challenge's own calendar: one UID never carries two versions.
//! - A deadline is a zero-length event at the deadline instant: only DTSTART,
//!   no DTEND. RFC 5545 requires DTEND to be later than DTSTART (§3.8.2.2),
//!   and a VEVENT with a date-time DTSTART and no DTEND ends at its start
//!   (§3.6.1). A 15-minute block ending at the deadline would show a start
//!   time nobody chose. Deadlines are TRANSP:TRANSPARENT so they never block
//!   a reader's free/busy time.
//! - SEQUENCE counts the amendments that moved that deadline, and rises
//!   too whenever the time differs from the one last published (see
//!   [`crate::history`]), so a calendar that has the old time knows the new
//!   one replaces it.
//! - Times are written in UTC (`…Z`), which needs no VTIMEZONE block; the
//!   local time with its zone is repeated in DESCRIPTION for people.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::OutputContext;
use crate::content::{Challenge, Page};
use crate::emit::{Output, OutputData};
use crate::model::Generated;
use crate::model::t;
use crate::msg;
use crate::time::{self, Moment, Timestamp};

/// The product identifier every file declares (RFC 5545 §3.7.3).
const PRODID: &str = "-//Utlys//Utlys//SV";

/// Longest content line in octets, without the CRLF (RFC 5545 §3.1).
const MAX_LINE: usize = 75;

/// How often subscribers should fetch the file again. Deadlines move rarely,
/// but a reader should see an amendment the same day.
const REFRESH: &str = "PT6H";

/// Name of the file written at the site root and beside each challenge.
const FILE_NAME: &str = "calendar.ics";

/// Where the site calendar and each challenge's calendar go.
pub(super) fn generated(site: &crate::content::Site) -> Vec<Generated> {
    let mut all = vec![Generated::file(
        FILE_NAME,
        msg!(
            "kalendern med alla sista dagar och möten",
            "the calendar of every deadline and meeting"
        ),
    )];
    all.extend(
        site.pages
            .iter()
            .filter(|p| p.challenge().is_some())
            .map(|p| {
                Generated::file(
                    format!("{}{FILE_NAME}", p.url_path),
                    msg!("utmaningens kalender", "the challenge's calendar"),
                )
            }),
    );
    all
}

/// One calendar entry, before it is written.
#[derive(Debug, Clone)]
struct Entry {
    /// Unique and stable across builds.
    uid: String,
    start: Timestamp,
    /// `None` for a zero-length deadline.
    end: Option<Timestamp>,
    summary: String,
    description: String,
    /// Where to read more (a URI, written without TEXT escaping).
    url: String,
    location: String,
    sequence: u32,
    /// Whether the entry leaves the reader's time free (deadlines).
    transparent: bool,
}

/// Renders `calendar.ics` at the site root and one per challenge.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let stamp = utc(ctx.now);
    let host = host_of(&ctx.config.base_url);
    let uid_prefix = ctx.config.base_path.trim_start_matches('/');

    // The site calendar holds the challenges the home page lists (the
    // default language), so a translation does not repeat every deadline.
    let in_site_calendar: BTreeSet<usize> = ctx
        .site
        .pages_in(ctx.config.language, ctx.config.language)
        .into_iter()
        .collect();

    let mut outputs = Vec::new();
    // (start, uid, written VEVENT) of every entry, for the site calendar.
    let mut all: Vec<(Timestamp, String, String)> = Vec::new();
    for (i, page, challenge) in ctx.challenges() {
        let entries = challenge_entries(ctx, page, challenge, uid_prefix, host);
        let mut written: Vec<(Timestamp, String, String)> = entries
            .into_iter()
            .map(|e| {
                let text = write_event(&e, &stamp);
                (e.start, e.uid, text)
            })
            .collect();
        // Soonest first reads naturally in a text editor; the UID breaks
        // ties so the order depends on nothing but the content.
        written.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let events: Vec<&str> = written.iter().map(|(_, _, text)| text.as_str()).collect();
        // Written even when it has no entries yet: someone may subscribe to
        // a challenge at the need stage and get its deadline when it is set.
        outputs.push(Output {
            path: format!("{}{FILE_NAME}", page.url_path),
            data: OutputData::Bytes(write_calendar(&page.title, &page.summary, &events).into()),
        });
        if in_site_calendar.contains(&i) {
            all.extend(written);
        }
    }
    all.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let events: Vec<&str> = all.iter().map(|(_, _, text)| text.as_str()).collect();
    outputs.insert(
        0,
        Output {
            path: FILE_NAME.to_string(),
            data: OutputData::Bytes(
                write_calendar(&ctx.config.title, &ctx.config.description, &events).into(),
            ),
        },
    );
    outputs
}

/// A challenge's response deadline, questions deadline and meetings.
fn challenge_entries(
    ctx: &OutputContext<'_>,
    page: &Page,
    c: &Challenge,
    uid_prefix: &str,
    host: &str,
) -> Vec<Entry> {
    let permalink = ctx.permalink(&page.url_path);
    let lang = ctx.config.language;
    let uid = |kind: &str| format!("{uid_prefix}{}{kind}@{host}", page.url_path);
    // Names the challenge and where to read it; ends every description.
    let about = format!("{} ({})\n{permalink}", page.title, c.buyer);
    let deadline = |kind: &str, label: &str, m: &Moment, sequence: u32| Entry {
        uid: uid(kind),
        start: m.zoned.timestamp(),
        end: None,
        summary: format!("{label}: {}", page.title),
        description: format!("{label}: {}\n\n{about}", time::format_long(&m.zoned, lang)),
        url: permalink.clone(),
        location: String::new(),
        sequence,
        transparent: true,
    };

    let mut entries = Vec::new();
    if let Some(m) = &c.deadline {
        let label = t(ctx.strings, "deadline", "Sista svarsdag");
        entries.push(deadline("deadline", label, m, c.deadline_sequence));
    }
    if let Some(m) = &c.questions_deadline {
        let label = t(ctx.strings, "questions_deadline", "Sista dag för frågor");
        entries.push(deadline(
            "questions-deadline",
            label,
            m,
            c.questions_deadline_sequence,
        ));
    }
    for (n, e) in c.events.iter().enumerate() {
        let mut description = String::new();
        if !e.description.trim().is_empty() {
            // The Markdown source reads fine as plain text.
            description.push_str(e.description.trim());
            description.push_str("\n\n");
        }
        if !e.url.is_empty() {
            let label = t(ctx.strings, "event_link", "Mer om mötet");
            description.push_str(&format!("{label}: {}\n\n", e.url));
        }
        description.push_str(&about);
        entries.push(Entry {
            // Counted from 1 in the model's order (earliest first), so a
            // meeting added at the end keeps every other UID.
            uid: uid(&format!("event-{}", n + 1)),
            start: e.start.zoned.timestamp(),
            end: Some(e.end.zoned.timestamp()),
            summary: format!("{} ({})", e.title, page.title),
            description,
            url: if is_plain_uri(&e.url) {
                e.url.clone()
            } else {
                permalink.clone()
            },
            location: e.place.clone(),
            // Meetings are not moved by amendments, so nothing counts changes.
            sequence: 0,
            transparent: false,
        });
    }
    entries
}

/// Writes a whole VCALENDAR around already written VEVENTs.
fn write_calendar(name: &str, description: &str, events: &[&str]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{PRODID}"));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    text_prop(&mut out, "X-WR-CALNAME", name);
    if !description.trim().is_empty() {
        text_prop(&mut out, "X-WR-CALDESC", description);
    }
    // RFC 7986 and its older Microsoft/Apple spelling, for subscriptions.
    line(
        &mut out,
        &format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
    );
    line(&mut out, &format!("X-PUBLISHED-TTL:{REFRESH}"));
    for event in events {
        out.push_str(event);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// Writes one VEVENT; `stamp` is the build clock in UTC form.
fn write_event(e: &Entry, stamp: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VEVENT");
    text_prop(&mut out, "UID", &e.uid);
    line(&mut out, &format!("DTSTAMP:{stamp}"));
    line(&mut out, &format!("DTSTART:{}", utc(e.start)));
    if let Some(end) = e.end {
        line(&mut out, &format!("DTEND:{}", utc(end)));
    }
    line(&mut out, &format!("SEQUENCE:{}", e.sequence));
    text_prop(&mut out, "SUMMARY", &e.summary);
    text_prop(&mut out, "DESCRIPTION", &e.description);
    if !e.location.trim().is_empty() {
        text_prop(&mut out, "LOCATION", &e.location);
    }
    if is_plain_uri(&e.url) {
        // A URI value is not TEXT: commas and semicolons stay as they are.
        line(&mut out, &format!("URL:{}", e.url));
    }
    if e.transparent {
        line(&mut out, "TRANSP:TRANSPARENT");
    }
    line(&mut out, "END:VEVENT");
    out
}

/// Writes `NAME:value` with `value` escaped as TEXT.
fn text_prop(out: &mut String, name: &str, value: &str) {
    line(out, &format!("{name}:{}", escape_text(value)));
}

/// Appends one content line with CRLF, folded into lines of at most 75
/// octets (RFC 5545 §3.1): each continuation line starts with one space,
/// which counts towards its 75.
/// A line is only broken between characters, never inside a UTF-8 sequence,
/// so every physical line is valid UTF-8 on its own.
fn line(out: &mut String, content: &str) {
    let mut rest = content;
    let mut limit = MAX_LINE;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuations carry the leading space.
        limit = MAX_LINE - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and
/// line breaks. Control characters other than tab are not allowed in TEXT,
/// so they are dropped rather than producing a file parsers reject.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF from a Windows editor is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_ascii_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A timestamp in the UTC form of DATE-TIME: `20230831T215900Z`.
fn utc(ts: Timestamp) -> String {
    let mut out = String::with_capacity(16);
    // Writing to a String cannot fail; the format has no fallible parts.
    let _ = write!(out, "{}", ts.strftime("%Y%m%dT%H%M%SZ"));
    out
}

/// The host (with port, if any) of an absolute http(s) base URL.
fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .unwrap_or(base_url);
    rest.split('/').next().unwrap_or(rest)
}

/// Whether `url` can be written as a URI value as it is: not empty and free
/// of spaces and control characters, which would break the content line.
fn is_plain_uri(url: &str) -> bool {
    !url.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{Event, PageKind, Site, Update};
    use crate::model::{PageHtml, Strings};
    use std::path::Path;

    fn folded(content: &str) -> String {
        let mut out = String::new();
        line(&mut out, content);
        out
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn folding_breaks_at_75_octets_then_74_after_the_space() {
        let long = "A".repeat(75 + 74 + 10);
        let out = folded(&long);
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert_eq!(lines[2], format!(" {}", "A".repeat(10)));
        // Unfolding (remove CRLF + one space) gives the line back.
        assert_eq!(out.replace("\r\n ", "").trim_end_matches("\r\n"), long);
    }

    #[test]
    fn folding_a_swedish_line_never_splits_a_character() {
        // "SUMMARY:" is 8 octets; each "å" is 2. 8 + 33 × 2 = 74, so the
        // 34th "å" would straddle octets 75 and 76: the first line must end
        // after 74 octets, before it.
        let value = "å".repeat(40);
        let out = folded(&format!("SUMMARY:{value}"));
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(lines[0].len(), 74);
        assert_eq!(lines[0], format!("SUMMARY:{}", "å".repeat(33)));
        assert_eq!(lines[1], format!(" {}", "å".repeat(7)));

        // One octet earlier and the 33rd "å" ends exactly at octet 75.
        let out = folded(&format!("SUMMARY;X:{}", "ä".repeat(40)));
        let first = out.split("\r\n").next().unwrap_or_default();
        assert_eq!(first.len(), 74);
        let out = folded(&format!("SUMMARY:X{}", "ö".repeat(40)));
        let first = out.split("\r\n").next().unwrap_or_default();
        assert_eq!(first.len(), 75);
        assert!(first.ends_with('ö'));

        // A real sentence: every physical line fits and unfolds back.
        let sentence = "DESCRIPTION:Sista svarsdag för förfrågan om klimatavtrycket från \
                        stadens inköp är torsdag 31 augusti 2023 kl. 23.59 – svara gärna i \
                        god tid så att vi hinner läsa allt som kommer in före sommarens slut.";
        let out = folded(sentence);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end_matches("\r\n"), sentence);
    }

    #[test]
    fn folding_four_octet_characters() {
        // Emoji are 4 octets: 8 + 16 × 4 = 72; the 17th would end at 76.
        let out = folded(&format!("SUMMARY:{}", "🙂".repeat(20)));
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(lines[0].len(), 72);
        assert_eq!(lines[1], format!(" {}", "🙂".repeat(4)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("tab\tok\u{7}bell"), "tab\tokbell");
        assert_eq!(escape_text("\"<\\/script>\""), "\"<\\\\/script>\"");
        assert_eq!(escape_text("åäö"), "åäö");
    }

    #[test]
    fn host_keeps_the_port() {
        assert_eq!(host_of("https://example.se/utmaningar/"), "example.se");
        assert_eq!(host_of("http://localhost:1111/"), "localhost:1111");
    }

    fn moment(s: &str) -> Moment {
        let zone = crate::time::parse_zone("Europe/Stockholm").unwrap();
        let clock = crate::time::Timestamp::UNIX_EPOCH;
        crate::time::resolve(s, &zone, Time::constant(23, 59, 0, 0), clock).unwrap()
    }
    use crate::time::Time;

    fn challenge_page(url_path: &str, title: &str, c: Challenge) -> Page {
        Page::for_tests(
            "challenges/x.md",
            url_path,
            title,
            PageKind::Challenge(Box::new(c)),
        )
    }

    fn challenge() -> Challenge {
        Challenge {
            questions_deadline: Some(moment("2027-02-12")),
            updates: vec![Update {
                date: moment("2026-12-10"),
                text: "Flyttad.".into(),
                deadline: Some((Some(moment("2027-02-26T12:00")), moment("2027-03-15T12:00"))),
                questions_deadline: None,
            }],
            events: vec![Event {
                title: "Möte".into(),
                start: moment("2027-01-20T09:00"),
                end: moment("2027-01-20T10:00"),
                place: "Rådhuset, sal 3; plan 2".into(),
                url: String::new(),
                description: String::new(),
            }],
            deadline_sequence: 1,
            ..Challenge::for_tests(
                "Exempelviks kommun",
                moment("2026-11-20"),
                Some(moment("2027-03-15T12:00")),
            )
        }
    }

    fn config() -> Config {
        Config::parse(
            "title = \"Portal, test\"\nbase_url = \"https://example.se/utmaningar/\"\n",
            Path::new("site.toml"),
        )
        .unwrap()
    }

    fn build(site: &Site, config: &Config) -> Vec<Output> {
        let strings: Strings = [("deadline".to_string(), "Sista svarsdag".to_string())]
            .into_iter()
            .collect();
        let html: Vec<_> = (0..site.pages.len())
            .map(|_| std::sync::Arc::new(PageHtml::default()))
            .collect();
        render(&OutputContext {
            config,
            site,
            html: &html,
            strings: &strings,
            strings_by_lang: &std::collections::BTreeMap::new(),
            now: "2026-12-01T08:30:05Z".parse().unwrap(),
        })
    }

    fn text(o: &Output) -> &str {
        match &o.data {
            OutputData::Bytes(b) => std::str::from_utf8(b).unwrap(),
            OutputData::Copy(_) => panic!("a calendar is rendered, not copied"),
        }
    }

    /// The unfolded content lines of one VEVENT whose UID ends with `kind@…`.
    fn event_lines(ics: &str, kind: &str) -> Vec<String> {
        let unfolded = ics.replace("\r\n ", "");
        let mut current = Vec::new();
        for l in unfolded.split("\r\n") {
            match l {
                "BEGIN:VEVENT" => current.clear(),
                "END:VEVENT" => {
                    if current
                        .iter()
                        .any(|l: &String| l.starts_with("UID:") && l.contains(&format!("/{kind}@")))
                    {
                        return current;
                    }
                }
                l => current.push(l.to_string()),
            }
        }
        panic!("no event {kind} in\n{ics}")
    }

    #[test]
    fn an_amended_deadline_has_sequence_one() {
        let site = Site {
            pages: vec![challenge_page(
                "challenges/matsvinn/",
                "Matsvinn",
                challenge(),
            )],
            assets: Vec::new(),
            unloadable: Vec::new(),
            held_back: Vec::new(),
        };
        let outputs = build(&site, &config());
        let paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["calendar.ics", "challenges/matsvinn/calendar.ics"]);
        for o in &outputs {
            let ics = text(o);
            let deadline = event_lines(ics, "deadline");
            assert!(deadline.contains(&"SEQUENCE:1".to_string()), "{deadline:?}");
            // 12:00 CET is 11:00 UTC; a deadline has no DTEND.
            assert!(deadline.contains(&"DTSTART:20270315T110000Z".to_string()));
            assert!(!deadline.iter().any(|l| l.starts_with("DTEND")));
            assert!(deadline.contains(&"DTSTAMP:20261201T083005Z".to_string()));
            assert!(
                deadline.contains(
                    &"UID:utmaningar/challenges/matsvinn/deadline@example.se".to_string()
                )
            );
            let questions = event_lines(ics, "questions-deadline");
            assert!(questions.contains(&"SEQUENCE:0".to_string()));
            // Not in the strings given: the fallback is used.
            assert!(questions.contains(&"SUMMARY:Sista dag för frågor: Matsvinn".to_string()));
            let meeting = event_lines(ics, "event-1");
            assert!(meeting.contains(&"SEQUENCE:0".to_string()));
            assert!(meeting.contains(&"LOCATION:Rådhuset\\, sal 3\\; plan 2".to_string()));
            assert!(meeting.contains(&"DTEND:20270120T090000Z".to_string()));
            for l in ics.split_terminator("\r\n") {
                assert!(l.len() <= 75);
            }
            assert!(ics.ends_with("END:VCALENDAR\r\n"));
            assert!(!ics.replace("\r\n", "").contains('\n'));
        }
        assert!(text(&outputs[0]).contains("X-WR-CALNAME:Portal\\, test\r\n"));
    }

    #[test]
    fn each_entry_is_identical_in_both_files() {
        let site = Site {
            pages: vec![challenge_page(
                "challenges/matsvinn/",
                "Matsvinn",
                challenge(),
            )],
            assets: Vec::new(),
            unloadable: Vec::new(),
            held_back: Vec::new(),
        };
        let outputs = build(&site, &config());
        let body = |ics: &str| {
            let start = ics.find("BEGIN:VEVENT").unwrap_or(0);
            let end = ics.find("END:VCALENDAR").unwrap_or(ics.len());
            ics[start..end].to_string()
        };
        // One challenge: the two files hold the same entries in one order.
        assert_eq!(body(text(&outputs[0])), body(text(&outputs[1])));
    }
}
