//! The generated lists (tags, categories, buyers, stages, status) a
//! challenge is filed under.

use super::model::{Challenge, Stage};
use crate::diagnostics::Msg;
use crate::model::{Strings, t};
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
}

impl Taxonomy {
    /// Every taxonomy, in the order filters are shown.
    pub const ALL: [Taxonomy; 5] = [
        Taxonomy::Stages,
        Taxonomy::Status,
        Taxonomy::Categories,
        Taxonomy::Buyers,
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
        };
        t(strings, key, fallback).to_string()
    }

    /// The terms a challenge is filed under: `(slug, name)`.
    pub fn terms_of(self, c: &Challenge, strings: &Strings) -> Vec<(String, String)> {
        let named = |name: &str| (slug::slugify(name), name.to_string());
        match self {
            Taxonomy::Tags => c.tags.iter().map(|t| named(t)).collect(),
            Taxonomy::Categories => c.category.iter().map(|t| named(t)).collect(),
            Taxonomy::Buyers => vec![named(&c.buyer)],
            Taxonomy::Stages => vec![(c.stage.key().into(), stage_label(c.stage, strings))],
            Taxonomy::Status => vec![(c.status.key().into(), status_label(c.status, strings))],
        }
    }
}

/// The translated name of a stage.
pub fn stage_label(stage: Stage, strings: &Strings) -> String {
    t(strings, &format!("stage_{}", stage.key()), stage.key()).to_string()
}

/// The translated name of a status.
pub fn status_label(status: Status, strings: &Strings) -> String {
    t(strings, &format!("status_{}", status.key()), status.key()).to_string()
}
