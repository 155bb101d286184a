//! A point in time as templates see it.

use serde::Serialize;

use super::Env;
#[cfg(test)]
use crate::time::Timestamp;
use crate::time::{self, Moment};

/// A date and time: a deadline, a publication date, a meeting's start.
///
/// Every moment has the first five fields. A card's `deadline`, `opens`
/// and `questions_deadline` and a meeting's `start` also say how far away
/// they are (`days_left`, `days_left_text`, `passed`); elsewhere those
/// three are not defined.
#[derive(Debug, Serialize, Hash)]
pub struct MomentView<'a> {
    /// RFC 3339 with the offset in force then, for `<time datetime>`:
    /// `2023-08-31T23:59:00+02:00`.
    pub rfc3339: String,
    /// Date, time and zone in words in the page's language:
    /// `torsdag 31 augusti 2023 kl. 23.59`,
    /// `Thursday 31 August 2023, 23:59 CEST`.
    pub display: String,
    /// The date, short: `31 aug. 2023`, `31 Aug 2023`.
    pub date: String,
    /// The date in words, without the time: `torsdag 31 augusti 2023`.
    pub date_long: String,
    /// The IANA time zone: `Europe/Stockholm`.
    pub zone: &'a str,
    /// Whole days from the build clock to the moment (negative once past).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// `days_left` in words in the page's language: "3 dagar kvar".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left_text: Option<String>,
    /// Whether the moment had passed at the build clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

impl Env<'_> {
    /// Moment `m` as templates show it.
    pub fn moment<'m>(&self, m: &'m Moment) -> MomentView<'m> {
        MomentView {
            rfc3339: time::rfc3339(&m.zoned),
            display: time::format_long(&m.zoned, self.lang),
            date: time::format_date_short(&m.zoned, self.lang),
            date_long: time::format_date(&m.zoned, self.lang),
            zone: m.zoned.time_zone().iana_name().unwrap_or(""),
            days_left: None,
            days_left_text: None,
            passed: None,
        }
    }

    /// Moment `m` with how far it is from the build clock.
    pub fn countdown<'m>(&self, m: &'m Moment) -> MomentView<'m> {
        let days = time::days_left(self.now, &m.zoned);
        MomentView {
            days_left: Some(days),
            days_left_text: Some(time::days_left_text(days, self.lang)),
            passed: Some(m.zoned.timestamp() <= self.now),
            ..self.moment(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Lang, Strings};
    use crate::time::Written;

    fn keys(view: &MomentView<'_>) -> Vec<String> {
        let map = super::super::value(view).into_map().unwrap_or_default();
        let mut keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
        keys.sort();
        keys
    }

    #[test]
    fn only_a_countdown_defines_the_days_left() {
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://example.se/\"\n",
            "site.toml".as_ref(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let strings = Strings::new();
        let now: Timestamp = "2023-08-25T08:00:00Z".parse().unwrap();
        let env = Env {
            config: &config,
            strings: &strings,
            lang: Lang::Sv,
            now,
            prefix: String::new(),
        };
        let zoned = "2023-08-31T23:59:00+02:00[Europe/Stockholm]"
            .parse()
            .unwrap();
        let m = Moment {
            zoned,
            written: Written::DateOnly,
        };
        // Templates test `days_left_text` on card dates only: elsewhere the
        // field is not defined, rather than defined as nothing.
        assert_eq!(
            keys(&env.moment(&m)),
            ["date", "date_long", "display", "rfc3339", "zone"]
        );
        let countdown = env.countdown(&m);
        assert_eq!(
            keys(&countdown),
            [
                "date",
                "date_long",
                "days_left",
                "days_left_text",
                "display",
                "passed",
                "rfc3339",
                "zone"
            ]
        );
        assert_eq!(countdown.days_left, Some(6));
        assert_eq!(countdown.passed, Some(false));
        assert_eq!(countdown.zone, "Europe/Stockholm");
        assert_eq!(countdown.rfc3339, "2023-08-31T23:59:00+02:00");
    }
}
