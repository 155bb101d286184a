//! The short form of a challenge that lists show, and the links to its
//! taxonomy terms.

use serde::Serialize;

use super::{Env, MomentView, Taxonomy, stage_label, status_label};
use crate::content::{Challenge, Page};

/// A challenge as lists show it: each item of `open`, `upcoming`, `closed`
/// (`index.html`) and `challenges` (`list.html`, `term.html`), and `item`
/// in `challenge_card.html`. Made once per language and shared by every list
/// the challenge is in. A challenge page's `challenge` has these fields too.
///
/// In lists, when the theme has `templates/challenge_card.html`, each card
/// also carries that template's output ([`CardHtml`]).
#[derive(Debug, Serialize, Hash)]
pub struct Card<'a> {
    /// The title.
    pub title: &'a str,
    /// The one-sentence summary.
    pub summary: &'a str,
    /// The page's address from the site root, with the base path:
    /// `/utmaningar/challenges/klimat/`.
    pub url: String,
    /// The page's absolute address.
    pub permalink: String,
    /// The language the challenge is written in (`sv`, `en`): on a page of
    /// another language, the card marks its text with it.
    pub lang: &'static str,
    /// The buyer and its term page.
    pub buyer: TermLink<'a>,
    /// The stage (`rfi`, `procurement`, …), named in the page's language.
    pub stage: Label,
    /// The status at the build clock (`upcoming`, `open`, `closing-soon`,
    /// `closed`), named in the page's language.
    pub status: Label,
    /// The deadline in force (the last amendment's), with days left.
    pub deadline: Option<MomentView<'a>>,
    /// When answers open, with days left.
    pub opens: Option<MomentView<'a>>,
    /// The last day for questions in force, with days left.
    pub questions_deadline: Option<MomentView<'a>>,
    /// When the challenge was published.
    pub published: MomentView<'a>,
    /// The challenge's time zone (IANA name).
    pub timezone: &'a str,
    /// The category and its term page.
    pub category: Option<TermLink<'a>>,
    /// The tags and their term pages, in the order written.
    pub tags: Vec<TermLink<'a>>,
}

/// A card's HTML, added to each card in lists when the theme has
/// `templates/challenge_card.html`: rendered once per build for each heading
/// level, with the card as `item` and `heading_level` 2 or 3. Undefined when
/// the theme has no such template (`challenge_cards.html` then renders the
/// card itself).
#[derive(Debug, Serialize)]
pub struct CardHtml {
    /// The card with an `<h2>` heading.
    pub html_h2: String,
    /// The card with an `<h3>` heading.
    pub html_h3: String,
}

/// A taxonomy term a challenge is filed under, with its page.
#[derive(Debug, Serialize, Hash)]
pub struct TermLink<'a> {
    /// The term as written: `Helsingborgs stad`.
    pub name: &'a str,
    /// Its page: `/buyers/helsingborgs-stad/`.
    pub url: String,
}

/// A fixed value (a stage, a status) with its name and page.
#[derive(Debug, Serialize, Hash)]
pub struct Label {
    /// The key themes test against: `rfi`, `closing-soon`.
    pub key: &'static str,
    /// Its name in the page's language: `Informationsinhämtning`.
    pub label: String,
    /// Its term page: `/stages/rfi/`.
    pub url: String,
}

impl Env<'_> {
    /// The link to the page of term `name` of `taxonomy`.
    pub fn term_link<'n>(&self, taxonomy: Taxonomy, name: &'n str) -> TermLink<'n> {
        TermLink {
            name,
            url: self.term_url(taxonomy, &slug::slugify(name)),
        }
    }
}

/// Challenge `c`'s card, from its page `page`.
pub fn card<'a>(env: &Env<'_>, page: &'a Page, c: &'a Challenge) -> Card<'a> {
    let strings = env.strings;
    Card {
        title: &page.title,
        summary: &page.summary,
        url: env.url(&page.url_path),
        permalink: env.permalink(&page.url_path),
        lang: crate::config::lang_code(page.lang),
        buyer: env.term_link(Taxonomy::Buyers, &c.buyer),
        stage: Label {
            key: c.stage.key(),
            label: stage_label(c.stage, strings),
            url: env.term_url(Taxonomy::Stages, c.stage.key()),
        },
        status: Label {
            key: c.status.key(),
            label: status_label(c.status, strings),
            url: env.term_url(Taxonomy::Status, c.status.key()),
        },
        deadline: c.deadline.as_ref().map(|m| env.countdown(m)),
        opens: c.opens.as_ref().map(|m| env.countdown(m)),
        questions_deadline: c.questions_deadline.as_ref().map(|m| env.countdown(m)),
        published: env.moment(&c.published),
        timezone: &c.timezone,
        category: c
            .category
            .as_deref()
            .map(|n| env.term_link(Taxonomy::Categories, n)),
        tags: c
            .tags
            .iter()
            .map(|n| env.term_link(Taxonomy::Tags, n))
            .collect(),
    }
}
