//! The fields suppliers filter by: `regions`, `value`, `suitable_for`, and
//! the names of `cpv` codes. Each is read and checked here; the tables they
//! are checked against are data in `crate::model` (regions, CPV names,
//! currencies).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::Reporter;
use super::frontmatter::Text;
use crate::diagnostics::edit_distance;
use crate::model::Lang;
use crate::model::cpv::CPV_NAMES;
use crate::model::currency::CURRENCIES;
use crate::model::regions::{COUNTIES, County, MUNICIPALITIES};
use crate::msg;

/// What `regions` may name besides a län or a kommun: the whole country.
pub const WHOLE_COUNTRY: &str = "Hela Sverige";

/// A region a challenge concerns, as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// The official name: `Helsingborg`, `Skåne län`, `Hela Sverige`.
    pub name: &'static str,
    /// What kind of region it is.
    pub kind: RegionKind,
    /// The SCB code (`1283`, `12`), or `SE` for the whole country.
    pub code: &'static str,
    /// The NUTS code of the region, or of the län a kommun is in
    /// (NUTS stops at län): `SE224`, or `SE` for the whole country.
    pub nuts: &'static str,
    /// The län a kommun is in; `None` for a län or the country.
    pub county: Option<&'static str>,
}

/// Whether a region is the country, a län or a kommun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionKind {
    /// All of Sweden.
    Country,
    /// A län (county).
    County,
    /// A kommun (municipality).
    Municipality,
}

impl RegionKind {
    /// The key used in the open data: `country`, `county`, `municipality`.
    pub fn key(self) -> &'static str {
        match self {
            RegionKind::Country => "country",
            RegionKind::County => "county",
            RegionKind::Municipality => "municipality",
        }
    }
}

fn county_region(c: &'static County) -> Region {
    Region {
        name: c.name,
        kind: RegionKind::County,
        code: c.code,
        nuts: c.nuts,
        county: None,
    }
}

fn county_by_code(code: &str) -> Option<&'static County> {
    COUNTIES.iter().find(|c| c.code == code)
}

/// The region `written` names: a name of a kommun (`Helsingborg`, or
/// `Helsingborgs kommun`, `Helsingborgs stad`), of a län (`Skåne län`), `Hela Sverige`, a NUTS
/// code (`SE224`, `SE`) or an SCB code (`1283`, `12`), in any case.
pub fn find_region(written: &str) -> Option<Region> {
    let w = written.trim().to_lowercase();
    if w == WHOLE_COUNTRY.to_lowercase() || w == "se" || w == "sverige" {
        return Some(Region {
            name: WHOLE_COUNTRY,
            kind: RegionKind::Country,
            code: "SE",
            nuts: "SE",
            county: None,
        });
    }
    if let Some(c) = COUNTIES
        .iter()
        .find(|c| c.name.to_lowercase() == w || c.nuts.to_lowercase() == w || c.code == w)
    {
        return Some(county_region(c));
    }
    // "Helsingborgs kommun", "Helsingborg kommun" and "Helsingborgs stad"
    // (as a buyer is often named) name Helsingborg.
    let bare = w
        .strip_suffix(" kommun")
        .or_else(|| w.strip_suffix(" stad"));
    let m = MUNICIPALITIES.iter().find(|m| {
        let name = m.name.to_lowercase();
        name == w
            || m.code == w
            || bare.is_some_and(|b| b == name || b.strip_suffix('s') == Some(name.as_str()))
    })?;
    let county = county_by_code(&m.code[..2])?;
    Some(Region {
        name: m.name,
        kind: RegionKind::Municipality,
        code: m.code,
        nuts: county.nuts,
        county: Some(county.name),
    })
}

/// The county a region is in or is, as a region: a kommun's län.
pub fn county_of(region: &Region) -> Option<Region> {
    match region.kind {
        RegionKind::Municipality => county_by_code(&region.code[..2]).map(county_region),
        _ => None,
    }
}

/// Up to three names of regions nearest to `written`, nearest first.
pub(super) fn nearest_regions(written: &str) -> Vec<&'static str> {
    let w = written.trim().to_lowercase();
    let mut names: Vec<(usize, &'static str)> = MUNICIPALITIES
        .iter()
        .map(|m| m.name)
        .chain(COUNTIES.iter().map(|c| c.name))
        .chain([WHOLE_COUNTRY])
        .map(|name| {
            let lower = name.to_lowercase();
            // A name that starts the same way ("Helsing" for Helsingborg)
            // is as near as a typo.
            let d = if !w.is_empty() && (lower.starts_with(&w) || w.starts_with(&lower)) {
                1
            } else {
                edit_distance(&w, &lower)
            };
            (d, name)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .filter(|(d, _)| *d <= w.chars().count().max(6) / 3)
        .take(3)
        .map(|(_, n)| n)
        .collect()
}

/// Who a challenge is suitable for (`suitable_for`), a closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suitable {
    /// Small and medium-sized enterprises.
    Sme,
    /// Startups.
    Startup,
    /// Large enterprises.
    LargeEnterprise,
    /// Academia and research.
    Research,
    /// Civil society (idéburen sektor).
    CivilSociety,
    /// Other public bodies.
    PublicSector,
    /// Groups of organisations answering together.
    Consortium,
}

impl Suitable {
    /// Every value, in the order lists show them.
    pub const ALL: [Suitable; 7] = [
        Suitable::Sme,
        Suitable::Startup,
        Suitable::LargeEnterprise,
        Suitable::Research,
        Suitable::CivilSociety,
        Suitable::PublicSector,
        Suitable::Consortium,
    ];

    /// The key written in front matter and used in URLs: `sme`.
    pub fn key(self) -> &'static str {
        match self {
            Suitable::Sme => "sme",
            Suitable::Startup => "startup",
            Suitable::LargeEnterprise => "large-enterprise",
            Suitable::Research => "research",
            Suitable::CivilSociety => "civil-society",
            Suitable::PublicSector => "public-sector",
            Suitable::Consortium => "consortium",
        }
    }

    /// The name when the theme lacks one: Swedish.
    pub fn fallback(self) -> &'static str {
        match self {
            Suitable::Sme => "Små och medelstora företag",
            Suitable::Startup => "Startupföretag",
            Suitable::LargeEnterprise => "Stora företag",
            Suitable::Research => "Akademi och forskning",
            Suitable::CivilSociety => "Idéburen sektor",
            Suitable::PublicSector => "Offentlig sektor",
            Suitable::Consortium => "Konsortier",
        }
    }

    /// Parses a key, in any case, with `_` for `-`.
    pub fn parse(s: &str) -> Option<Suitable> {
        let s = s.trim().to_lowercase().replace('_', "-");
        Suitable::ALL.into_iter().find(|v| v.key() == s)
    }
}

/// An estimated value: at least one of `min` and `max`, whole units of
/// `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Value {
    /// The lowest estimate.
    pub min: Option<u64>,
    /// The highest estimate.
    pub max: Option<u64>,
    /// ISO 4217 code, upper case (`SEK`).
    pub currency: String,
}

/// The band of values a challenge is filed under in the `value` taxonomy
/// (for values in SEK only: other currencies are not converted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueBand {
    /// Under 1 000 000 kr.
    Under1M,
    /// From 1 000 000 kr to 10 000 000 kr.
    From1MTo10M,
    /// Over 10 000 000 kr.
    Over10M,
}

impl ValueBand {
    /// Every band, smallest first.
    pub const ALL: [ValueBand; 3] = [
        ValueBand::Under1M,
        ValueBand::From1MTo10M,
        ValueBand::Over10M,
    ];

    /// The key used in URLs: `under-1m`.
    pub fn key(self) -> &'static str {
        match self {
            ValueBand::Under1M => "under-1m",
            ValueBand::From1MTo10M => "1m-10m",
            ValueBand::Over10M => "over-10m",
        }
    }

    /// The name when the theme lacks one: Swedish.
    pub fn fallback(self) -> &'static str {
        match self {
            ValueBand::Under1M => "Under 1 miljon kr",
            ValueBand::From1MTo10M => "1–10 miljoner kr",
            ValueBand::Over10M => "Över 10 miljoner kr",
        }
    }

    /// The lowest and highest amount of the band, in kronor.
    fn range(self) -> (u64, u64) {
        match self {
            ValueBand::Under1M => (0, 999_999),
            ValueBand::From1MTo10M => (1_000_000, 10_000_000),
            ValueBand::Over10M => (10_000_001, u64::MAX),
        }
    }
}

impl Value {
    /// The bands the estimate reaches into: a range from 500 000 to
    /// 2 000 000 kr is in two. None for another currency than SEK.
    pub fn bands(&self) -> Vec<ValueBand> {
        if self.currency != "SEK" {
            return Vec::new();
        }
        let low = self.min.unwrap_or(0);
        let high = self.max.unwrap_or(u64::MAX);
        ValueBand::ALL
            .into_iter()
            .filter(|b| {
                let (from, to) = b.range();
                low <= to && high >= from
            })
            .collect()
    }

    /// The estimate in words for `lang`: `2 000 000–5 000 000 kr`,
    /// `SEK 2,000,000–5,000,000`, `från 2 000 000 kr`, `up to SEK 5,000,000`.
    pub fn display(&self, lang: Lang) -> String {
        let n = |v: u64| group(v, lang);
        let amount = match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => n(a),
            (Some(a), Some(b)) => format!("{}–{}", n(a), n(b)),
            (Some(a), None) => n(a),
            (None, Some(b)) => n(b),
            (None, None) => String::new(),
        };
        let with_currency = match (lang, self.currency.as_str()) {
            (Lang::Sv, "SEK") => format!("{amount}\u{a0}kr"),
            (Lang::Sv, code) => format!("{amount}\u{a0}{code}"),
            (Lang::En, code) => format!("{code}\u{a0}{amount}"),
        };
        match (self.min, self.max, lang) {
            (Some(_), None, Lang::Sv) => format!("från {with_currency}"),
            (Some(_), None, Lang::En) => format!("from {with_currency}"),
            (None, Some(_), Lang::Sv) => format!("högst {with_currency}"),
            (None, Some(_), Lang::En) => format!("up to {with_currency}"),
            _ => with_currency,
        }
    }
}

/// `v` with its thousands grouped: a no-break space in Swedish, a comma in
/// English.
fn group(v: u64, lang: Lang) -> String {
    let digits = v.to_string();
    let sep = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// The name of CPV code `code` (`72000000-5`) in `lang`, and whether it is
/// the code's own name (`true`) or that of its group or division (`false`). `None` when not
/// even the division is in the table.
pub fn cpv_name(code: &str, lang: Lang) -> Option<(&'static str, bool)> {
    let digits = code.trim().get(..8)?;
    let pick = |(_, sv, en): &(&str, &'static str, &'static str)| match lang {
        Lang::Sv => *sv,
        Lang::En => *en,
    };
    if let Some(row) = cpv_row(digits) {
        return Some((pick(row), true));
    }
    // The narrowest broader code the table has: the group, else the division.
    if let Some(row) = cpv_row(&format!("{}00000", digits.get(..3)?)) {
        return Some((pick(row), false));
    }
    cpv_division(code).map(|(_, row)| (pick(&row), false))
}

/// The division of CPV code `code`: its 8-digit code (`72000000`) and its
/// row of names.
pub fn cpv_division(code: &str) -> Option<(String, (&'static str, &'static str, &'static str))> {
    let two = code.trim().get(..2)?;
    let division = format!("{two}000000");
    let row = cpv_row(&division)?;
    Some((division, *row))
}

/// What the built-in list of divisions and groups shows to be wrong with
/// CPV code `code`, written in its form (`NNNNNNNN-N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CpvProblem {
    /// CPV has no division of these two digits (`02`).
    NoDivision(String),
    /// The division has no group of these three digits (`735`).
    NoGroup(String),
    /// The code is a division or group whose check digit is another.
    CheckDigit {
        /// The eight digits.
        digits: String,
        /// The check digit the vocabulary gives them.
        official: char,
    },
}

/// The row of the division or group whose eight digits are `digits`.
fn cpv_row(digits: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    CPV_NAMES
        .binary_search_by(|(c, _, _)| c[..8].cmp(digits))
        .ok()
        .map(|i| &CPV_NAMES[i])
}

/// The problem of CPV code `code` (well formed), if the built-in list shows
/// one: a division or group CPV does not have, or the check digit of a
/// division or group. Codes below a group are checked as far as their
/// group: the list does not hold their check digits.
pub(crate) fn cpv_problem(code: &str) -> Option<CpvProblem> {
    let (digits, check) = code.split_once('-')?;
    let (division, group) = (digits.get(..2)?, digits.get(..3)?);
    if cpv_row(&format!("{division}000000")).is_none() {
        return Some(CpvProblem::NoDivision(division.to_string()));
    }
    if !group.ends_with('0') && cpv_row(&format!("{group}00000")).is_none() {
        return Some(CpvProblem::NoGroup(group.to_string()));
    }
    let (official, _, _) = cpv_row(digits)?;
    let official = official.chars().last()?;
    (check != official.to_string().as_str()).then(|| CpvProblem::CheckDigit {
        digits: digits.to_string(),
        official,
    })
}

/// A `value` as written: one amount, or a map with `min`, `max` and
/// `currency`. Every key of the map is kept, so an unknown one is reported
/// with the field's place rather than as a parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueMeta {
    /// `value: 3000000`.
    Amount(String),
    /// `value: { min: …, max: …, currency: … }`.
    Map(Vec<(String, String)>),
}

impl<'de> Deserialize<'de> for ValueMeta {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ValueMeta;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount such as 3000000, or min, max and currency")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueMeta, E> {
                Ok(ValueMeta::Amount(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueMeta, E> {
                Ok(ValueMeta::Amount(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueMeta, E> {
                Ok(ValueMeta::Amount(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueMeta, E> {
                Ok(ValueMeta::Amount(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValueMeta, E> {
                Ok(ValueMeta::Amount(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueMeta, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Text>()? {
                    entries.push((key, value.0));
                }
                Ok(ValueMeta::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Why an amount as written is not a whole number of crowns.
enum AmountProblem {
    Negative,
    NotWhole,
    NotNumber,
}

/// An amount as writers type it: `3000000`, `3 000 000` (spaces, also
/// no-break spaces) or `3_000_000`.
fn parse_amount(written: &str) -> Result<u64, AmountProblem> {
    let t = written.trim();
    if t.starts_with('-') || t.starts_with('\u{2212}') {
        return Err(AmountProblem::Negative);
    }
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() {
        return Err(AmountProblem::NotNumber);
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.parse().map_err(|_| AmountProblem::NotNumber);
    }
    let number_like = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b'e' || b == b'E');
    if number_like && digits.bytes().any(|b| b.is_ascii_digit()) {
        Err(AmountProblem::NotWhole)
    } else {
        Err(AmountProblem::NotNumber)
    }
}

const VALUE_EXAMPLE: &str = "value: { min: 2000000, max: 5000000, currency: SEK }";

/// Reads `value`, reporting what is wrong with it.
pub(super) fn load_value(r: &mut Reporter<'_>, meta: Option<ValueMeta>) -> Option<Value> {
    let entries = match meta? {
        ValueMeta::Amount(a) => {
            let v = amount(r, "value", &a)?;
            return Some(Value {
                min: Some(v),
                max: Some(v),
                currency: "SEK".into(),
            });
        }
        ValueMeta::Map(entries) => entries,
    };
    let mut value = Value {
        min: None,
        max: None,
        currency: "SEK".into(),
    };
    let mut ok = true;
    for (key, written) in &entries {
        match key.as_str() {
            "min" | "max" => match amount(r, key, written) {
                Some(v) if key == "min" => value.min = Some(v),
                Some(v) => value.max = Some(v),
                None => ok = false,
            },
            "currency" => match currency(r, written) {
                Some(c) => value.currency = c,
                None => ok = false,
            },
            other => {
                ok = false;
                r.field(
                    "invalid-value",
                    &["value", other],
                    msg!(
                        "`value` har ett okänt fält `{other}`",
                        "`value` has an unknown field `{other}`"
                    ),
                    msg!(
                        "`value` kan ha min, max och currency, till exempel {VALUE_EXAMPLE}",
                        "`value` may have min, max and currency, for example {VALUE_EXAMPLE}"
                    ),
                );
            }
        }
    }
    if !ok {
        return None;
    }
    check_range(r, value)
}

/// The value once its parts are read: at least one amount, min not over max.
fn check_range(r: &mut Reporter<'_>, value: Value) -> Option<Value> {
    match (value.min, value.max) {
        (None, None) => {
            r.field(
                "invalid-value",
                &["value"],
                msg!("`value` saknar belopp", "`value` has no amount"),
                msg!(
                    "skriv ett belopp (value: 3000000) eller ett spann: {VALUE_EXAMPLE}",
                    "write one amount (value: 3000000) or a range: {VALUE_EXAMPLE}"
                ),
            );
            None
        }
        (Some(min), Some(max)) if min > max => {
            r.field(
                "value-min-over-max",
                &["value", "min"],
                msg!(
                    "det lägsta beloppet i `value` ({min}) är större än det högsta ({max})",
                    "the lowest amount in `value` ({min}) is larger than the highest ({max})"
                ),
                msg!(
                    "byt plats på beloppen: value: {{ min: {max}, max: {min} }}",
                    "swap the amounts: value: {{ min: {max}, max: {min} }}"
                ),
            );
            None
        }
        _ => Some(value),
    }
}

/// One amount of `value`, `key` being `min` or `max` (or `value` for a
/// single amount).
fn amount(r: &mut Reporter<'_>, key: &str, written: &str) -> Option<u64> {
    let problem = match parse_amount(written) {
        Ok(v) => return Some(v),
        Err(p) => p,
    };
    let (message, hint) = match problem {
        AmountProblem::Negative => (
            msg!(
                "beloppet `{written}` i `value` är negativt",
                "the amount `{written}` in `value` is negative"
            ),
            msg!(
                "skriv ett belopp som är noll eller större, till exempel {VALUE_EXAMPLE}",
                "write an amount of zero or more, for example {VALUE_EXAMPLE}"
            ),
        ),
        AmountProblem::NotWhole => (
            msg!(
                "beloppet `{written}` i `value` är inte ett helt antal kronor",
                "the amount `{written}` in `value` is not a whole number"
            ),
            msg!(
                "skriv hela kronor utan decimaler, till exempel 2500000 för 2,5 miljoner: {VALUE_EXAMPLE}",
                "write whole units without decimals, e.g. 2500000 for 2.5 million: {VALUE_EXAMPLE}"
            ),
        ),
        AmountProblem::NotNumber => (
            msg!(
                "`{written}` i `value` är inte ett belopp",
                "`{written}` in `value` is not an amount"
            ),
            msg!(
                "skriv beloppet med siffror, utan \"kr\" eller \"miljoner\" (mellanslag går bra): {VALUE_EXAMPLE}",
                "write the amount in digits, without \"kr\" or \"million\" (spaces are fine): {VALUE_EXAMPLE}"
            ),
        ),
    };
    let path: &[&str] = if key == "min" || key == "max" {
        &["value", key]
    } else {
        &["value"]
    };
    r.field("invalid-value", path, message, hint);
    None
}

/// The currency of `value`: an ISO 4217 code, upper case.
fn currency(r: &mut Reporter<'_>, written: &str) -> Option<String> {
    let code = written.trim().to_uppercase();
    if CURRENCIES.binary_search(&code.as_str()).is_ok() {
        return Some(code);
    }
    let kr = ["KR", "KRONOR", "SKR", "SVENSKA KRONOR"].contains(&code.as_str());
    let hint = if kr {
        msg!(
            "skriv svenska kronor som SEK: value: {{ min: 2000000, max: 5000000, currency: SEK }}",
            "write Swedish kronor as SEK: value: {{ min: 2000000, max: 5000000, currency: SEK }}"
        )
    } else {
        msg!(
            "skriv valutans kod med tre bokstäver enligt ISO 4217, till exempel SEK eller EUR: {VALUE_EXAMPLE}",
            "write the currency's three-letter ISO 4217 code, such as SEK or EUR: {VALUE_EXAMPLE}"
        )
    };
    r.field(
        "unknown-currency",
        &["value", "currency"],
        msg!(
            "`{written}` är ingen känd valutakod",
            "`{written}` is not a known currency code"
        ),
        hint,
    );
    None
}

/// Reads `regions`: each region once, as the table names it.
pub(super) fn load_regions(r: &mut Reporter<'_>, written: &[String]) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    for (i, name) in written.iter().enumerate() {
        match find_region(name) {
            Some(region) => {
                if !regions.contains(&region) {
                    regions.push(region);
                }
            }
            None => {
                let near = nearest_regions(name);
                let hint = if near.is_empty() {
                    msg!(
                        "skriv en kommun (Helsingborg), ett län (Skåne län), en NUTS-kod (SE224) eller Hela Sverige, till exempel regions: [Helsingborg]",
                        "write a kommun (Helsingborg), a län (Skåne län), a NUTS code (SE224) or Hela Sverige, e.g. regions: [Helsingborg]"
                    )
                } else {
                    let list = near.join(", ");
                    let first = near[0];
                    msg!(
                        "menade du {list}? Till exempel regions: [{first}]",
                        "did you mean {list}? For example regions: [{first}]"
                    )
                };
                let name = name.trim();
                r.item(
                    "unknown-region",
                    ("regions", i),
                    "",
                    msg!(
                        "`{name}` är ingen svensk kommun eller något län",
                        "`{name}` is not a Swedish kommun or län"
                    ),
                    hint,
                );
            }
        }
    }
    regions
}

/// Reads `suitable_for`: each value once, in the table's order.
pub(super) fn load_suitable(r: &mut Reporter<'_>, written: &[String]) -> Vec<Suitable> {
    let mut found: Vec<Suitable> = Vec::new();
    for (i, key) in written.iter().enumerate() {
        match Suitable::parse(key) {
            Some(s) => found.push(s),
            None => {
                let keys: Vec<&str> = Suitable::ALL.iter().map(|s| s.key()).collect();
                let list = keys.join(", ");
                let key = key.trim();
                r.item(
                    "unknown-suitable-for",
                    ("suitable_for", i),
                    "",
                    msg!(
                        "`{key}` finns inte bland värdena för `suitable_for`",
                        "`{key}` is not one of the values of `suitable_for`"
                    ),
                    msg!(
                        "välj bland {list}, till exempel suitable_for: [sme, startup]",
                        "choose from {list}, e.g. suitable_for: [sme, startup]"
                    ),
                );
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_complete_and_consistent() {
        assert_eq!(COUNTIES.len(), 21);
        assert_eq!(MUNICIPALITIES.len(), 290);
        for m in MUNICIPALITIES {
            assert!(county_by_code(&m.code[..2]).is_some(), "{}", m.name);
        }
        let mut names: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 290, "kommun names are unique");
        let divisions = CPV_NAMES
            .iter()
            .filter(|(c, _, _)| &c[2..8] == "000000")
            .count();
        assert_eq!(divisions, 45);
        assert!(
            CURRENCIES.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary search"
        );
        for (code, sv, en) in CPV_NAMES {
            assert!(super::super::is_cpv(code), "{code}");
            assert!(!sv.is_empty() && !en.is_empty(), "{code}");
        }
    }

    #[test]
    fn regions_are_found_by_name_or_code_in_any_case() {
        let h = find_region("helsingborg").expect("Helsingborg");
        assert_eq!((h.name, h.code, h.nuts), ("Helsingborg", "1283", "SE224"));
        assert_eq!(h.county, Some("Skåne län"));
        assert_eq!(
            find_region("Helsingborgs kommun").map(|r| r.name),
            Some("Helsingborg")
        );
        assert_eq!(find_region("Malung-Sälen").map(|r| r.code), Some("2023"));
        assert_eq!(find_region("Göteborgs stad").map(|r| r.code), Some("1480"));
        assert_eq!(find_region("Malmö stad").map(|r| r.code), Some("1280"));
        let s = find_region("SE224").expect("NUTS code");
        assert_eq!((s.name, s.kind), ("Skåne län", RegionKind::County));
        assert_eq!(find_region("skåne län").map(|r| r.nuts), Some("SE224"));
        assert_eq!(
            find_region("Hela Sverige").map(|r| r.kind),
            Some(RegionKind::Country)
        );
        assert_eq!(
            find_region("Göteborg")
                .and_then(|r| county_of(&r))
                .map(|c| c.name),
            Some("Västra Götalands län")
        );
        assert_eq!(find_region("Helsinborg"), None);
        assert_eq!(nearest_regions("Helsinborg").first(), Some(&"Helsingborg"));
        assert!(nearest_regions("Skane lan").contains(&"Skåne län"));
    }

    #[test]
    fn amounts_are_whole_numbers_with_optional_grouping() {
        assert_eq!(parse_amount("2000000").ok(), Some(2_000_000));
        assert_eq!(parse_amount("2 000 000").ok(), Some(2_000_000));
        assert_eq!(parse_amount("2\u{a0}000\u{a0}000").ok(), Some(2_000_000));
        assert_eq!(parse_amount("2_000_000").ok(), Some(2_000_000));
        assert!(matches!(parse_amount("-5"), Err(AmountProblem::Negative)));
        assert!(matches!(parse_amount("2,5"), Err(AmountProblem::NotWhole)));
        assert!(matches!(parse_amount("2.5"), Err(AmountProblem::NotWhole)));
        assert!(matches!(
            parse_amount("2 mnkr"),
            Err(AmountProblem::NotNumber)
        ));
        assert!(matches!(
            parse_amount("true"),
            Err(AmountProblem::NotNumber)
        ));
    }

    #[test]
    fn values_fall_in_every_band_they_reach_and_read_in_each_language() {
        let v = |min, max, c: &str| Value {
            min,
            max,
            currency: c.into(),
        };
        assert_eq!(
            v(Some(2_000_000), Some(5_000_000), "SEK").bands(),
            [ValueBand::From1MTo10M]
        );
        assert_eq!(
            v(Some(500_000), Some(2_000_000), "SEK").bands(),
            [ValueBand::Under1M, ValueBand::From1MTo10M]
        );
        assert_eq!(
            v(Some(20_000_000), None, "SEK").bands(),
            [ValueBand::Over10M]
        );
        assert_eq!(v(None, Some(999_999), "SEK").bands(), [ValueBand::Under1M]);
        assert!(v(Some(1), Some(2), "EUR").bands().is_empty());
        let range = v(Some(2_000_000), Some(5_000_000), "SEK");
        assert_eq!(
            range.display(Lang::Sv),
            "2\u{a0}000\u{a0}000–5\u{a0}000\u{a0}000\u{a0}kr"
        );
        assert_eq!(range.display(Lang::En), "SEK\u{a0}2,000,000–5,000,000");
        assert_eq!(
            v(Some(3_000), Some(3_000), "EUR").display(Lang::Sv),
            "3\u{a0}000\u{a0}EUR"
        );
        assert_eq!(
            v(None, Some(500), "SEK").display(Lang::En),
            "up to SEK\u{a0}500"
        );
        assert_eq!(
            v(Some(500), None, "SEK").display(Lang::Sv),
            "från 500\u{a0}kr"
        );
    }

    #[test]
    fn cpv_codes_are_named_by_themselves_or_by_their_division() {
        assert_eq!(
            cpv_name("72000000-5", Lang::En),
            Some((
                "IT services: consulting, software development, Internet and support",
                true
            ))
        );
        assert_eq!(
            cpv_name("90700000-4", Lang::Sv).map(|(_, own)| own),
            Some(true)
        );
        let (name, own) = cpv_name("72212100-0", Lang::Sv).expect("its group");
        assert!(!own && name.starts_with("Programmering"), "{name}");
        let (name, own) = cpv_name("45112000-5", Lang::En).expect("its group");
        assert!(!own && name.starts_with("Site preparation"), "{name}");
        assert_eq!(
            cpv_division("72212100-0").map(|(d, _)| d),
            Some("72000000".into())
        );
        assert_eq!(cpv_name("99000000-0", Lang::Sv), None);
    }

    #[test]
    fn cpv_codes_are_checked_against_the_divisions_and_groups() {
        for code in [
            "72000000-5",
            "72212100-0",
            "45112000-5",
            "55523100-3",
            "90700000-4",
            "79411000-8",
        ] {
            assert_eq!(cpv_problem(code), None, "{code}");
        }
        for (code, _, _) in CPV_NAMES {
            assert_eq!(cpv_problem(code), None, "{code}");
        }
        assert_eq!(
            cpv_problem("72000000-4"),
            Some(CpvProblem::CheckDigit {
                digits: "72000000".into(),
                official: '5'
            })
        );
        assert_eq!(
            cpv_problem("03300000-1"),
            Some(CpvProblem::CheckDigit {
                digits: "03300000".into(),
                official: '2'
            })
        );
        assert_eq!(
            cpv_problem("02000000-1"),
            Some(CpvProblem::NoDivision("02".into()))
        );
        assert_eq!(
            cpv_problem("99123000-1"),
            Some(CpvProblem::NoDivision("99".into()))
        );
        assert_eq!(
            cpv_problem("73512000-1"),
            Some(CpvProblem::NoGroup("735".into()))
        );
        // Below a group the check digit is not in the list: not judged.
        assert_eq!(cpv_problem("72212100-9"), None);
        assert_eq!(
            Suitable::parse("Civil_Society"),
            Some(Suitable::CivilSociety)
        );
        assert_eq!(Suitable::parse("smes"), None);
    }
}
