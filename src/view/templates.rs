//! The variables of each template besides the ones every page gets.

use std::marker::PhantomData;

use serde::Serialize;

use super::{Paging, TermLink, value};
use crate::model::PageId;

/// A template variable of one page, as planned: a value, or a list of
/// cards the renderer fills in for the page's language.
#[derive(Debug)]
pub enum Var {
    /// A value as it is.
    Value(tera::Value),
    /// A list of challenge [`Card`](super::Card)s, in this order, each as the renderer
    /// made it for the page's language.
    Cards(Vec<PageId>),
}

/// A view made into a template value once and shared by every page that
/// shows it (a taxonomy, on the page of each of its terms).
pub struct Shared<T> {
    value: tera::Value,
    view: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    /// `view` as a template value.
    pub fn new(view: &T) -> Shared<T> {
        Shared {
            value: value(view),
            view: PhantomData,
        }
    }
}

impl<T> Shared<T> {
    fn var(&self) -> Var {
        Var::Value(self.value.clone())
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            value: self.value.clone(),
            view: PhantomData,
        }
    }
}

/// `index.html`, the home page.
pub struct HomeVars<'a> {
    /// The text of `content/_index.md` as HTML; empty without it.
    pub intro: &'a str,
    /// How many challenges there are in each group.
    pub counts: HomeCounts,
    /// Open challenges (open or closing soon), soonest deadline first, as
    /// [`Card`](super::Card)s: at most `paginate` of them (`counts.open`
    /// says how many there are; the challenge list shows them all).
    pub open: Vec<PageId>,
    /// Upcoming challenges, soonest opening first, as [`Card`](super::Card)s:
    /// at most `paginate` of them (`counts.upcoming` says how many).
    pub upcoming: Vec<PageId>,
    /// The latest closed challenges, latest deadline first, as
    /// [`Card`](super::Card)s: at most `home_closed` of them.
    pub closed: Vec<PageId>,
    /// The page of every upcoming challenge (the status term page).
    pub upcoming_url: String,
    /// The archive: the page of every closed challenge (the status term
    /// page `status/closed/`).
    pub archive_url: String,
}

/// `counts` of the home page.
#[derive(Debug, Serialize, Hash)]
pub struct HomeCounts {
    /// Open or closing soon.
    pub open: usize,
    /// Not open yet.
    pub upcoming: usize,
    /// Past their deadline.
    pub closed: usize,
    /// All challenges of the language.
    pub total: usize,
}

impl HomeVars<'_> {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![
            ("intro", Var::Value(value(self.intro))),
            ("counts", Var::Value(value(&self.counts))),
            ("open", Var::Cards(self.open)),
            ("upcoming", Var::Cards(self.upcoming)),
            ("closed", Var::Cards(self.closed)),
            ("upcoming_url", Var::Value(value(&self.upcoming_url))),
            ("archive_url", Var::Value(value(&self.archive_url))),
        ]
    }
}

/// `embed.html`, the list other sites show in an `<iframe>`.
pub struct EmbedVars {
    /// Open challenges (soonest deadline first), then upcoming ones
    /// (soonest opening first), as [`Card`](super::Card)s: at most
    /// `paginate` of them, so the frame stays light however large the site.
    pub challenges: Vec<PageId>,
    /// How many open and upcoming challenges there are in all.
    pub total: usize,
}

impl EmbedVars {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![
            ("total", Var::Value(value(&self.total))),
            ("challenges", Var::Cards(self.challenges)),
        ]
    }
}

/// `list.html`, the list of all challenges.
pub struct ListVars<'a> {
    /// The text of `content/challenges/_index.md` as HTML; empty without it.
    pub intro: &'a str,
    /// The challenges of this page of the list, in list order (open by
    /// soonest deadline, then upcoming, then closed), as
    /// [`Card`](super::Card)s.
    pub challenges: Vec<PageId>,
    /// Where this page is among the pages of the list; `paging.items` is
    /// how many challenges the whole list has.
    pub paging: Paging,
    /// The taxonomies to filter by (all but tags), with their terms; the
    /// same on every page of the list.
    pub filters: Shared<Vec<Filter<'a>>>,
    /// The search index of the page's language, for `static/utlys.js`.
    pub search_index_url: String,
}

/// A group of filter links on the list page.
#[derive(Debug, Serialize, Hash)]
pub struct Filter<'a> {
    /// The taxonomy: `stages`, `status`, `categories`, `buyers`.
    pub key: &'static str,
    /// Its name in the page's language.
    pub label: String,
    /// Its terms.
    pub terms: Vec<TermCount<'a>>,
}

/// A taxonomy term with its page and how many challenges it has.
#[derive(Debug, Serialize, Hash)]
pub struct TermCount<'a> {
    /// The term as written.
    pub name: &'a str,
    /// Its page.
    pub url: String,
    /// How many challenges are filed under it.
    pub count: usize,
}

impl ListVars<'_> {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![
            ("intro", Var::Value(value(self.intro))),
            ("challenges", Var::Cards(self.challenges)),
            ("paging", Var::Value(value(&self.paging))),
            ("filters", self.filters.var()),
            (
                "search_index_url",
                Var::Value(value(&self.search_index_url)),
            ),
        ]
    }
}

/// `taxonomy`: a taxonomy with its terms, on its page (`taxonomy.html`) and
/// on each term's (`term.html`).
#[derive(Debug, Serialize, Hash)]
pub struct TaxonomyView<'a> {
    /// `stages`, `status`, `categories`, `buyers` or `tags`.
    pub key: &'static str,
    /// Its name in the page's language.
    pub label: String,
    /// Its page.
    pub url: String,
    /// Its terms: stages in the order of the process, statuses from open
    /// to closed, the others by name.
    pub terms: Vec<TermCount<'a>>,
}

/// `taxonomy.html`, the page of a taxonomy.
pub struct TaxonomyVars<'a> {
    /// The taxonomy.
    pub taxonomy: Shared<TaxonomyView<'a>>,
}

impl TaxonomyVars<'_> {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![("taxonomy", self.taxonomy.var())]
    }
}

/// `term.html`, the page of a taxonomy term.
pub struct TermVars<'a> {
    /// The taxonomy the term is of.
    pub taxonomy: Shared<TaxonomyView<'a>>,
    /// The term.
    pub term: Shared<TermLink<'a>>,
    /// The challenges filed under it shown on this page, in list order, as
    /// [`Card`](super::Card)s.
    pub challenges: Vec<PageId>,
    /// Where this page is among the term's pages; `paging.items` is how
    /// many challenges are filed under the term.
    pub paging: Paging,
    /// The term's own feed; `None` for a taxonomy without feeds
    /// ([`Taxonomy::has_feeds`](super::Taxonomy::has_feeds)).
    pub feed: Option<super::FeedLink>,
}

impl TermVars<'_> {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![
            ("taxonomy", self.taxonomy.var()),
            ("term", self.term.var()),
            ("challenges", Var::Cards(self.challenges)),
            ("paging", Var::Value(value(&self.paging))),
            ("feed", Var::Value(value(&self.feed))),
        ]
    }
}

/// `page.html`: `page`, a plain page.
#[derive(Debug, Serialize)]
pub struct PlainPage<'a> {
    /// The title.
    pub title: &'a str,
    /// The summary; may be empty.
    pub summary: &'a str,
    /// The text as HTML.
    pub content: &'a str,
}

impl PlainPage<'_> {
    /// The variables as the renderer takes them.
    pub fn vars(self) -> Vec<(&'static str, Var)> {
        vec![("page", Var::Value(value(&self)))]
    }
}
