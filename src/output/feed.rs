//! Atom feed (RFC 4287): `atom.xml` with one entry per published challenge
//! and one per amendment, newest first.
//!
//! The feed must be byte-identical between two builds of the same content,
//! so nothing in it comes from the build clock: the feed's `updated` is the
//! date of its newest entry. Entry ids are permalinks (`…/challenges/a/`,
//! and `…/challenges/a/#andring-2` for its second amendment), so they stay
//! the same as long as the page's address does.

use atom_syndication::{
    Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};

use super::OutputContext;
use crate::config::lang_code;
use crate::content::{Challenge, Page};
use crate::emit::{Output, OutputData};
use crate::model::Generated;
use crate::model::Lang;
use crate::model::t;
use crate::msg;
use crate::time::{self, Moment, Timestamp};

/// Where the site-wide feed is written, relative to the site root.
const FEED_PATH: &str = "atom.xml";

/// Where the feed of each language goes.
pub(super) fn generated(config: &crate::config::Config) -> Vec<Generated> {
    super::per_language(config, FEED_PATH, &msg!("Atom-flödet", "the Atom feed"))
}

/// Which challenges a feed holds and where it goes.
#[derive(Debug, Clone)]
struct Scope {
    /// Output path relative to the site root.
    path: String,
    /// The language whose challenge lists the feed follows: its own
    /// translations, else the default language's version, as on the site.
    language: Lang,
}

/// Renders `atom.xml`: the challenges of the default language, the same set
/// the home page lists, so a translation never repeats its original.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    // One feed per language: `atom.xml` for the default, `en/atom.xml` …
    let scopes: Vec<Scope> = ctx
        .config
        .languages
        .iter()
        .map(|&language| Scope {
            path: format!(
                "{}{FEED_PATH}",
                crate::config::lang_prefix(ctx.config, language)
            ),
            language,
        })
        .collect();
    scopes.iter().filter_map(|s| render_feed(ctx, s)).collect()
}

/// An entry with the keys it is sorted by.
struct Item {
    updated: Timestamp,
    id: String,
    entry: Entry,
}

/// Renders the feed of one scope.
fn render_feed(ctx: &OutputContext<'_>, scope: &Scope) -> Option<Output> {
    let mut items: Vec<Item> = Vec::new();
    for i in ctx.site.pages_in(ctx.config.language, scope.language) {
        let Some(page) = ctx.site.pages.get(i) else {
            continue;
        };
        let Some(c) = page.challenge() else { continue };
        let updates_html = ctx.html.get(i).map_or(&[][..], |h| h.updates.as_slice());
        items.extend(challenge_entry(ctx, scope.language, page, c));
        for (n, update) in c.updates.iter().enumerate() {
            let html = updates_html.get(n).map_or("", String::as_str);
            items.extend(amendment_entry(
                ctx,
                scope.language,
                page,
                c,
                n,
                update,
                html,
            ));
        }
    }
    // Newest first. Ids break ties, descending so that on one day an
    // amendment (`…#andring-1`) comes before its challenge (`…/`) and a
    // later amendment before an earlier one.
    items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));

    let config = ctx.config;
    let lang = scope.language;
    let mut feed = Feed {
        title: Text::plain(xml_safe(&config.title)),
        id: config.base_url.clone(),
        lang: Some(lang_code(lang).to_string()),
        links: vec![
            Link {
                href: ctx.permalink(&scope.path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: config.base_url.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                hreflang: Some(lang_code(lang).to_string()),
                ..Link::default()
            },
        ],
        generator: Some(Generator {
            value: "Utlys".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        ..Feed::default()
    };
    if !config.description.trim().is_empty() {
        feed.subtitle = Some(Text::plain(xml_safe(&config.description)));
    }
    // Not the build clock, so that rebuilding the same content gives the
    // same bytes. A feed without entries keeps the crate's default date
    // (1970), which is just as stable.
    if let Some(newest) = items.first() {
        feed.updated = newest.entry.updated;
    }
    feed.entries = items.into_iter().map(|item| item.entry).collect();

    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    // Writing into memory only fails on a bug in the XML writer; leaving the
    // feed out is better than stopping the whole build for it.
    let mut bytes = feed.write_with_config(Vec::new(), config).ok()?;
    bytes.push(b'\n');
    Some(Output {
        path: scope.path.clone(),
        data: OutputData::Bytes(bytes),
    })
}

/// The entry announcing a challenge. When its times changed without an
/// amendment (see [`crate::history`]), the entry is updated when that
/// change was published and says the new times.
fn challenge_entry(
    ctx: &OutputContext<'_>,
    lang: Lang,
    page: &Page,
    c: &Challenge,
) -> Option<Item> {
    let permalink = ctx.permalink(&page.url_path);
    let published = atom_date(&c.published)?;
    let mut entry = Entry {
        title: Text::plain(xml_safe(&page.title)),
        id: permalink.clone(),
        updated: published,
        published: Some(published),
        authors: vec![buyer(c)],
        links: vec![page_link(&permalink, page.lang)],
        ..Entry::default()
    };
    if !page.summary.trim().is_empty() {
        entry.summary = Some(Text::plain(xml_safe(&page.summary)));
    }
    let mut updated = c.published.zoned.timestamp();
    if let Some(change) = &c.unannounced {
        entry.updated = atom_date(&change.at)?;
        updated = change.at.zoned.timestamp();
        entry.content = Some(Content {
            lang: Some(lang_code(page.lang).to_string()),
            value: Some(xml_safe(&unannounced_html(ctx, lang, change))),
            content_type: Some("html".into()),
            ..Content::default()
        });
    }
    Some(Item {
        updated,
        id: permalink,
        entry,
    })
}

/// The sentences that tell the times a change moved, as HTML paragraphs.
fn unannounced_html(
    ctx: &OutputContext<'_>,
    lang: Lang,
    change: &crate::content::Unannounced,
) -> String {
    let strings = ctx.strings_for(lang);
    let mut html = String::new();
    for (field, from, to) in &change.moves {
        let sentence = match *field {
            "opens" => t(
                strings,
                "feed_opens_moved",
                "Öppnar för svar flyttat från {from} till {to}.",
            ),
            "deadline" => t(
                strings,
                "feed_deadline_moved",
                "Sista svarsdag flyttad från {from} till {to}.",
            ),
            _ => t(
                strings,
                "feed_questions_deadline_moved",
                "Sista dag för frågor flyttad från {from} till {to}.",
            ),
        }
        .replace("{from}", &time::format_long(&from.zoned, lang))
        .replace("{to}", &time::format_long(&to.zoned, lang));
        if !html.is_empty() {
            html.push('\n');
        }
        html.push_str(&format!("<p>{}</p>", crate::escape::xml(&sentence)));
    }
    html
}

/// The entry of amendment `n` (from 0, oldest first) of a challenge.
fn amendment_entry(
    ctx: &OutputContext<'_>,
    lang: Lang,
    page: &Page,
    c: &Challenge,
    n: usize,
    update: &crate::content::Update,
    text_html: &str,
) -> Option<Item> {
    let permalink = ctx.permalink(&page.url_path);
    // Numbered from 1 in date order, as the model keeps amendments, so the
    // id of an amendment stays when a newer one is added.
    let id = format!("{permalink}#andring-{}", n + 1);
    let date = atom_date(&update.date)?;
    let strings = ctx.strings_for(lang);

    let mut html = text_html.trim().to_string();
    let moves = [
        (
            &update.deadline,
            t(
                strings,
                "feed_deadline_moved",
                "Sista svarsdag flyttad från {from} till {to}.",
            ),
            t(
                strings,
                "feed_deadline_set",
                "Sista svarsdag satt till {to}.",
            ),
        ),
        (
            &update.questions_deadline,
            t(
                strings,
                "feed_questions_deadline_moved",
                "Sista dag för frågor flyttad från {from} till {to}.",
            ),
            t(
                strings,
                "feed_questions_deadline_set",
                "Sista dag för frågor satt till {to}.",
            ),
        ),
    ];
    for (change, moved, set) in moves {
        let Some((old, new)) = change else { continue };
        let to = time::format_long(&new.zoned, lang);
        let sentence = match old {
            Some(old) => moved
                .replace("{from}", &time::format_long(&old.zoned, lang))
                .replace("{to}", &to),
            None => set.replace("{to}", &to),
        };
        if !html.is_empty() {
            html.push('\n');
        }
        html.push_str(&format!("<p>{}</p>", crate::escape::xml(&sentence)));
    }

    let label = t(strings, "feed_amendment", "Ändring");
    let entry = Entry {
        title: Text::plain(xml_safe(&format!("{label}: {}", page.title))),
        id: id.clone(),
        updated: date,
        published: Some(date),
        authors: vec![buyer(c)],
        // The page itself: its amendments are listed there, newest first.
        links: vec![page_link(&permalink, page.lang)],
        content: Some(Content {
            // Links in the HTML are relative to the page (`/om/`, `fil.pdf`);
            // xml:base lets feed readers resolve them.
            base: Some(permalink),
            lang: Some(lang_code(page.lang).to_string()),
            value: Some(xml_safe(&html)),
            src: None,
            content_type: Some("html".into()),
        }),
        ..Entry::default()
    };
    Some(Item {
        updated: update.date.zoned.timestamp(),
        id,
        entry,
    })
}

/// The buyer as the entry's author.
fn buyer(c: &Challenge) -> Person {
    Person {
        name: xml_safe(&c.buyer),
        ..Person::default()
    }
}

/// The `alternate` link to a challenge page.
fn page_link(permalink: &str, lang: Lang) -> Link {
    Link {
        href: permalink.to_string(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        hreflang: Some(lang_code(lang).to_string()),
        ..Link::default()
    }
}

/// A moment as the feed crate's date type, keeping its offset.
///
/// Goes through RFC 3339 text because the crate's type comes from a date
/// library Utlys does not otherwise use. Every year jiff accepts parses, so
/// `None` (the entry is left out) is a safety net, not an expected path.
fn atom_date(m: &Moment) -> Option<FixedDateTime> {
    FixedDateTime::parse_from_rfc3339(&time::rfc3339(&m.zoned)).ok()
}

/// Drops the characters XML 1.0 does not allow at all (most C0 controls,
/// U+FFFE, U+FFFF); escaping cannot make them legal, and one of them would
/// make the whole feed unreadable.
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
                || c >= '\u{10000}'
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_safe("a\u{1}b\u{b}c\u{fffe}d"), "abcd");
        assert_eq!(xml_safe("tab\tline\nåäö 🙂"), "tab\tline\nåäö 🙂");
    }

    #[test]
    fn dates_keep_their_offset() {
        let zone = crate::time::parse_zone("Europe/Stockholm").unwrap();
        let m = crate::time::resolve(
            "2023-08-31",
            &zone,
            crate::time::Time::constant(23, 59, 0, 0),
            crate::time::Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        let d = atom_date(&m).unwrap();
        assert_eq!(d.to_rfc3339(), "2023-08-31T23:59:00+02:00");
    }
}
