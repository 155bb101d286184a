//! The generated lists (tags, categories, buyers, stages, status, regions,
//! value bands, who may respond, CPV divisions) a challenge is filed under.

use super::model::{Challenge, Stage};
use super::suppliers::{self, Suitable, ValueBand};
use crate::diagnostics::Msg;
use crate::model::{Lang, Strings, t};
use crate::time::Status;

/// The generated lists a challenge can be filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    /// Free tags.
    Tags,
    /// The one category.
    Categories,
    /// The buying organisation.
    Buyers,
    /// The procurement stage.
    Stages,
    /// The status at build time.
    Status,
    /// The regions (kommun, län, the whole country); a kommun's challenge
    /// is also filed under its län.
    Regions,
    /// The band of the estimated value (SEK only).
    Values,
    /// Who may respond.
    SuitableFor,
    /// The CPV divisions of the challenge's codes.
    Cpv,
}

impl Taxonomy {
    /// Every taxonomy, in the order filters are shown.
    pub const ALL: [Taxonomy; 9] = [
        Taxonomy::Stages,
        Taxonomy::Status,
        Taxonomy::Categories,
        Taxonomy::Buyers,
        Taxonomy::Regions,
        Taxonomy::SuitableFor,
        Taxonomy::Values,
        Taxonomy::Cpv,
        Taxonomy::Tags,
    ];

    /// The URL folder and key (`tags`).
    pub fn key(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Categories => "categories",
            Taxonomy::Buyers => "buyers",
            Taxonomy::Stages => "stages",
            Taxonomy::Status => "status",
            Taxonomy::Regions => "regions",
            Taxonomy::Values => "value",
            Taxonomy::SuitableFor => "suitable-for",
            Taxonomy::Cpv => "cpv",
        }
    }

    /// Whether each term of this taxonomy has an Atom feed
    /// (`tags/klimat/atom.xml`). Every taxonomy has, but the status: which
    /// challenges are open follows the build clock, so its feed would change
    /// with the clock and not with the content, and a challenge's entries
    /// would leave it when the challenge closes, the moment its followers
    /// most need them. Each challenge's own feed follows it instead.
    pub fn has_feeds(self) -> bool {
        !matches!(self, Taxonomy::Status)
    }

    /// What the build writes in this taxonomy's folder, for messages.
    pub fn pages_name(self) -> Msg {
        let (sv, en) = match self {
            Taxonomy::Tags => ("sidorna för taggar", "the tag pages"),
            Taxonomy::Categories => ("sidorna för kategorier", "the category pages"),
            Taxonomy::Buyers => ("sidorna för beställare", "the buyer pages"),
            Taxonomy::Stages => ("sidorna för skeden", "the stage pages"),
            Taxonomy::Status => ("sidorna för status", "the status pages"),
            Taxonomy::Regions => ("sidorna för regioner", "the region pages"),
            Taxonomy::Values => ("sidorna för uppskattat värde", "the value pages"),
            Taxonomy::SuitableFor => (
                "sidorna för vilka som kan svara",
                "the pages for who may respond",
            ),
            Taxonomy::Cpv => ("sidorna för CPV-huvudgrupper", "the CPV division pages"),
        };
        Msg::new(sv, en)
    }

    /// The translated name.
    pub fn label(self, strings: &Strings) -> String {
        let (key, fallback) = match self {
            Taxonomy::Tags => ("taxonomy_tags", "Taggar"),
            Taxonomy::Categories => ("taxonomy_categories", "Kategorier"),
            Taxonomy::Buyers => ("taxonomy_buyers", "Beställare"),
            Taxonomy::Stages => ("taxonomy_stages", "Skeden"),
            Taxonomy::Status => ("taxonomy_status", "Status"),
            Taxonomy::Regions => ("taxonomy_regions", "Regioner"),
            Taxonomy::Values => ("taxonomy_value", "Uppskattat värde"),
            Taxonomy::SuitableFor => ("taxonomy_suitable_for", "Passar för"),
            Taxonomy::Cpv => ("taxonomy_cpv", "CPV-huvudgrupper"),
        };
        t(strings, key, fallback).to_string()
    }

    /// The terms a challenge is filed under: `(slug, name)`, named in
    /// `lang` with the theme's `strings`.
    pub fn terms_of(self, c: &Challenge, strings: &Strings, lang: Lang) -> Vec<(String, String)> {
        let named = |name: &str| (crate::text::term_slug(name), name.to_string());
        match self {
            Taxonomy::Tags => c.tags.iter().map(|t| named(t)).collect(),
            Taxonomy::Categories => c.category.iter().map(|t| named(t)).collect(),
            Taxonomy::Buyers => vec![named(&c.buyer)],
            Taxonomy::Stages => vec![(c.stage.key().into(), stage_label(c.stage, strings))],
            Taxonomy::Status => vec![(c.status.key().into(), status_label(c.status, strings))],
            Taxonomy::Regions => region_terms(c),
            Taxonomy::Values => c.value.as_ref().map_or_else(Vec::new, |v| {
                v.bands()
                    .into_iter()
                    .map(|b| (b.key().into(), value_band_label(b, strings)))
                    .collect()
            }),
            Taxonomy::SuitableFor => c
                .suitable_for
                .iter()
                .map(|s| (s.key().into(), suitable_label(*s, strings)))
                .collect(),
            Taxonomy::Cpv => cpv_terms(c, lang),
        }
    }
}

/// The regions of a challenge as terms: each written region, then the län
/// of each kommun, each once.
fn region_terms(c: &Challenge) -> Vec<(String, String)> {
    let mut terms: Vec<(String, String)> = Vec::new();
    let counties = c.regions.iter().filter_map(suppliers::county_of);
    for region in c.regions.iter().copied().chain(counties) {
        let term = (crate::text::term_slug(region.name), region.name.to_string());
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The CPV divisions of a challenge's codes as terms: slug `72000000`,
/// name `72000000 IT-tjänster: …`, each once.
fn cpv_terms(c: &Challenge, lang: Lang) -> Vec<(String, String)> {
    let mut terms: Vec<(String, String)> = Vec::new();
    for code in &c.cpv {
        let Some((division, (_, sv, en))) = suppliers::cpv_division(code) else {
            continue;
        };
        let name = match lang {
            Lang::Sv => sv,
            Lang::En => en,
        };
        let term = (division.clone(), format!("{division} {name}"));
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The translated name of a value band.
pub fn value_band_label(band: ValueBand, strings: &Strings) -> String {
    t(strings, &format!("value_{}", band.key()), band.fallback()).to_string()
}

/// The translated name of a kind of respondent (`suitable_for`).
pub fn suitable_label(s: Suitable, strings: &Strings) -> String {
    t(strings, &format!("suitable_{}", s.key()), s.fallback()).to_string()
}

/// The translated name of a stage.
pub fn stage_label(stage: Stage, strings: &Strings) -> String {
    t(strings, &format!("stage_{}", stage.key()), stage.key()).to_string()
}

/// The translated name of a status.
pub fn status_label(status: Status, strings: &Strings) -> String {
    t(strings, &format!("status_{}", status.key()), status.key()).to_string()
}
