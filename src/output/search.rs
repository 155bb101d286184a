//! The search index: a compact JSON the challenge list's script loads when
//! the reader starts to search or filter, and searches as they type. Words
//! come from the title, summary, buyer, category, tags, CPV codes and
//! regions; the body text is left out to keep the file small. Each entry
//! also carries what a card shows (names and dates as the page's language
//! writes them) and the terms of the multi-valued filters, so the script
//! can show and filter a challenge that is on another page of the list.

use serde::Serialize;

use super::OutputContext;
use crate::content::Taxonomy;
use crate::emit::{Output, OutputData};
use crate::model::Generated;
use crate::msg;

/// The path of the index in the output.
pub const PATH: &str = "search-index.json";

/// Where the index of each language goes.
pub(super) fn generated(config: &crate::config::Config) -> Vec<Generated> {
    super::per_language(config, PATH, &msg!("sökindexet", "the search index"))
}

#[derive(Serialize)]
struct Index<'a> {
    version: &'static str,
    challenges: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    /// Root-relative URL; the list's cards carry the same value.
    url: String,
    title: &'a str,
    summary: &'a str,
    buyer: String,
    stage: &'static str,
    status: &'static str,
    category: Option<String>,
    tags: Vec<String>,
    deadline: Option<String>,
    /// When answers open (RFC 3339).
    opens: Option<String>,
    /// The buyer as written.
    buyer_name: &'a str,
    /// The stage named in the index's language.
    stage_label: String,
    /// The deadline's date as cards show it (`31 aug. 2023`).
    deadline_date: Option<String>,
    /// The opening date as cards show it.
    opens_date: Option<String>,
    /// The deadline's time zone (IANA name), for the days left.
    zone: Option<&'a str>,
    /// The language the challenge is written in.
    lang: &'static str,
    /// The slugs of its regions, with the län of each kommun.
    regions: Vec<String>,
    /// The slugs of who may respond.
    suitable_for: Vec<String>,
    /// The slugs of its value bands.
    value: Vec<String>,
    /// Its CPV divisions (`72000000`).
    cpv: Vec<String>,
    /// Lower-case words to match, without diacritics folded away: readers
    /// type "inköp" as well as "inkop", so both forms are kept.
    text: String,
}

/// Renders `search-index.json` for each language (`en/search-index.json` …)
/// with the challenges that language's list shows.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    ctx.config
        .languages
        .iter()
        .map(|&lang| render_lang(ctx, lang))
        .collect()
}

fn render_lang(ctx: &OutputContext<'_>, lang: crate::model::Lang) -> Output {
    let strings = ctx.strings_by_lang.get(&lang).unwrap_or(ctx.strings);
    let date = |m: &crate::time::Moment| crate::time::format_date_short(&m.zoned, lang);
    let slugs = |tax: Taxonomy, c: &crate::content::Challenge| -> Vec<String> {
        tax.terms_of(c, strings, lang)
            .into_iter()
            .map(|(slug, _)| slug)
            .collect()
    };
    let mut shown: Vec<_> = ctx
        .site
        .pages_in(ctx.config.language, lang)
        .into_iter()
        .filter_map(|i| {
            let page = &ctx.site.pages[i];
            page.challenge().map(|c| (page, c))
        })
        .collect();
    // In the order of the list, so results read as the list does.
    shown.sort_by(|(pa, a), (pb, b)| {
        crate::content::list_order(a, b).then_with(|| pa.title.cmp(&pb.title))
    });
    let challenges = shown
        .into_iter()
        .map(|(page, c)| {
            let mut text = [
                page.title.as_str(),
                page.summary.as_str(),
                c.buyer.as_str(),
                c.category.as_deref().unwrap_or(""),
            ]
            .join(" ");
            for word in c.tags.iter().chain(&c.cpv) {
                text.push(' ');
                text.push_str(word);
            }
            for region in &c.regions {
                text.push(' ');
                text.push_str(region.name);
            }
            let lower = text.to_lowercase();
            let folded = slug::slugify(&lower).replace('-', " ");
            Entry {
                url: ctx.url(&page.url_path),
                title: &page.title,
                summary: &page.summary,
                buyer: crate::text::term_slug(&c.buyer),
                stage: c.stage.key(),
                status: c.status.key(),
                category: c.category.as_deref().map(crate::text::term_slug),
                tags: c.tags.iter().map(|t| crate::text::term_slug(t)).collect(),
                deadline: c.deadline.as_ref().map(|d| crate::time::rfc3339(&d.zoned)),
                opens: c.opens.as_ref().map(|d| crate::time::rfc3339(&d.zoned)),
                buyer_name: &c.buyer,
                stage_label: crate::content::stage_label(c.stage, strings),
                deadline_date: c.deadline.as_ref().map(date),
                opens_date: c.opens.as_ref().map(date),
                zone: c
                    .deadline
                    .as_ref()
                    .and_then(|d| d.zoned.time_zone().iana_name()),
                lang: crate::config::lang_code(page.lang),
                regions: slugs(Taxonomy::Regions, c),
                suitable_for: slugs(Taxonomy::SuitableFor, c),
                value: slugs(Taxonomy::Values, c),
                cpv: slugs(Taxonomy::Cpv, c),
                text: format!("{lower} {folded}"),
            }
        })
        .collect();
    let index = Index {
        version: "1",
        challenges,
    };
    let bytes = serde_json::to_vec(&index).unwrap_or_default();
    Output {
        path: format!("{}{PATH}", crate::config::lang_prefix(ctx.config, lang)),
        data: OutputData::Bytes(bytes),
    }
}
