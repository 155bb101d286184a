//! The short form of a challenge that lists show, and the links to its
//! taxonomy terms.

use serde::Serialize;

use super::{Env, MomentView, Taxonomy, stage_label, status_label};
use crate::content::{Challenge, Page, suitable_label, value_band_label};

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
    /// The regions as written (kommun, län, the whole country), each with
    /// its official name and term page.
    pub regions: Vec<TermLink<'a>>,
    /// Who may respond (`sme`, `startup`, …), named in the page's language.
    pub suitable_for: Vec<Label>,
    /// The estimated value, if written.
    pub value: Option<ValueView>,
    /// The slugs of every term of the multi-valued filters the card is
    /// filed under, for the list's script (`data-regions` …).
    pub filter_terms: FilterTerms,
}

/// The estimated value of a challenge.
#[derive(Debug, Serialize, Hash)]
pub struct ValueView {
    /// In words, formatted for the page's language: `2 000 000–5 000 000 kr`.
    pub text: String,
    /// The lowest amount, if written.
    pub min: Option<u64>,
    /// The highest amount, if written.
    pub max: Option<u64>,
    /// ISO 4217 code: `SEK`.
    pub currency: String,
    /// The value bands it is filed under, with their pages (none for other
    /// currencies than SEK).
    pub bands: Vec<Label>,
}

/// The term slugs of a card's multi-valued filters, each a space-separated
/// list (`helsingborg skane-lan`); empty when it has none.
#[derive(Debug, Serialize, Hash, Default)]
pub struct FilterTerms {
    /// Regions, with the län of each kommun.
    pub regions: String,
    /// Who may respond.
    pub suitable_for: String,
    /// Value bands.
    pub value: String,
    /// CPV divisions (`72000000`).
    pub cpv: String,
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
            url: self.term_url(taxonomy, &crate::text::term_slug(name)),
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
        regions: c
            .regions
            .iter()
            .map(|r| env.term_link(Taxonomy::Regions, r.name))
            .collect(),
        suitable_for: c
            .suitable_for
            .iter()
            .map(|s| Label {
                key: s.key(),
                label: suitable_label(*s, strings),
                url: env.term_url(Taxonomy::SuitableFor, s.key()),
            })
            .collect(),
        value: c.value.as_ref().map(|v| ValueView {
            text: v.display(env.lang),
            min: v.min,
            max: v.max,
            currency: v.currency.clone(),
            bands: v
                .bands()
                .into_iter()
                .map(|b| Label {
                    key: b.key(),
                    label: value_band_label(b, strings),
                    url: env.term_url(Taxonomy::Values, b.key()),
                })
                .collect(),
        }),
        filter_terms: filter_terms(env, c),
    }
}

/// The slugs of the terms of the multi-valued filters `c` is filed under.
fn filter_terms(env: &Env<'_>, c: &Challenge) -> FilterTerms {
    let slugs = |tax: Taxonomy| {
        tax.terms_of(c, env.strings, env.lang)
            .into_iter()
            .map(|(slug, _)| slug)
            .collect::<Vec<_>>()
            .join(" ")
    };
    FilterTerms {
        regions: slugs(Taxonomy::Regions),
        suitable_for: slugs(Taxonomy::SuitableFor),
        value: slugs(Taxonomy::Values),
        cpv: slugs(Taxonomy::Cpv),
    }
}
