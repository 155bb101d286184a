//! Atom feeds (RFC 4287): the site-wide `atom.xml` of each language, one
//! per challenge page (`challenges/a/atom.xml`) and one per term of each
//! taxonomy that has feeds (`tags/klimat/atom.xml`), newest entry first.
//!
//! Every feed holds the same kinds of entries, one for each dated step of
//! a challenge's history ([`super::timeline`], read as
//! [`Reading::Announcements`]): the publication, each amendment, each
//! answered question, each document written with a `date`, each meeting,
//! and the stage reached after the tender (a cancellation, or the work
//! under way, with the outcome).
//!
//! A feed must be byte-identical between two builds of the same content,
//! so nothing in it comes from the build clock: the feed's `updated` is the
//! date of its newest entry. Entry ids are permalinks (`…/challenges/a/`,
//! and `…/challenges/a/#andring-2` for its second amendment), so they stay
//! the same as long as the page's address does, and an entry has the same
//! id in every feed that carries it.

use std::sync::OnceLock;

use atom_syndication::{
    Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};

use super::OutputContext;
use super::timeline::{self, Kind, Reading, Step};
use crate::config::{Config, lang_code, lang_prefix};
use crate::content::{Challenge, Page, Site, Taxonomy};
use crate::emit::{Output, OutputData};
use crate::model::Lang;
use crate::model::t;
use crate::model::{Generated, PageId, Strings};
use crate::msg;
use crate::time::{self, Moment, Timestamp};

/// The file name of every feed: `atom.xml` at the site root, in a
/// challenge's folder and in a term's folder.
pub const FEED_FILE: &str = "atom.xml";

/// Where the site-wide feed of each language and the feed of each
/// challenge go (the term feeds are in their taxonomy's folder, which the
/// build takes whole).
pub(super) fn generated(config: &Config, site: &Site) -> Vec<Generated> {
    let mut all = super::per_language(config, FEED_FILE, &msg!("Atom-flödet", "the Atom feed"));
    all.extend(site.challenges().map(|(page, _)| {
        Generated::file(
            challenge_feed_path(page),
            msg!("utmaningens Atom-flöde", "the challenge's Atom feed"),
        )
    }));
    all
}

/// The output path of the feed of challenge page `page`.
pub fn challenge_feed_path(page: &Page) -> String {
    format!("{}{FEED_FILE}", page.url_path)
}

/// The output path of the feed of term `slug` of `tax` under the language
/// folder `prefix` (`""`, `en/`).
pub fn term_feed_path(prefix: &str, tax: Taxonomy, slug: &str) -> String {
    format!("{prefix}{}/{slug}/{FEED_FILE}", tax.key())
}

/// One feed: where it goes, what it is called, and the challenges it holds.
#[derive(Debug, Clone, Hash)]
pub struct Scope {
    /// Output path relative to the site root.
    pub path: String,
    /// The language of its texts (the UI strings of entries, `xml:lang`).
    pub language: Lang,
    /// Its title.
    pub title: String,
    /// The output path of the page it follows (`""` for the home page).
    pub page: String,
    /// The challenge pages it holds.
    pub pages: Vec<PageId>,
}

/// The feed of every challenge page and of every term of each taxonomy
/// that has feeds ([`Taxonomy::has_feeds`]), in each language: the
/// challenges of a language are the ones its lists show. `strings` gives
/// the UI strings of a language (for the names of stages).
pub fn scopes<'s>(
    config: &Config,
    site: &Site,
    strings: &dyn Fn(Lang) -> &'s Strings,
) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.challenge().is_some())
        .map(|(i, page)| Scope {
            path: challenge_feed_path(page),
            language: page.lang,
            title: format!("{} – {}", page.title, config.title),
            page: page.url_path.clone(),
            pages: vec![PageId::new(i)],
        })
        .collect();
    for &lang in &config.languages {
        scopes.extend(term_scopes(config, site, lang, strings(lang)));
    }
    scopes
}

/// The feed of each term in language `lang`.
fn term_scopes(config: &Config, site: &Site, lang: Lang, strings: &Strings) -> Vec<Scope> {
    let prefix = lang_prefix(config, lang);
    let shown = site.pages_in(config.language, lang);
    let mut scopes = Vec::new();
    for tax in Taxonomy::ALL.into_iter().filter(|t| t.has_feeds()) {
        let mut terms: std::collections::BTreeMap<String, (String, Vec<PageId>)> =
            std::collections::BTreeMap::new();
        for &i in &shown {
            let Some(c) = site.pages[i].challenge() else {
                continue;
            };
            for (slug, name) in tax.terms_of(c, strings, lang) {
                let members = &mut terms.entry(slug).or_insert_with(|| (name, Vec::new())).1;
                // A page's terms come together, so a term it names twice
                // (a kommun and its län, two spellings of a tag) has it last.
                if members.last() != Some(&PageId::new(i)) {
                    members.push(PageId::new(i));
                }
            }
        }
        let label = tax.label(strings);
        scopes.extend(terms.into_iter().map(|(slug, (name, pages))| Scope {
            path: term_feed_path(&prefix, tax, &slug),
            language: lang,
            title: format!("{label}: {name} – {}", config.title),
            page: format!("{prefix}{}/{slug}/", tax.key()),
            pages,
        }));
    }
    scopes
}

/// Renders the site-wide `atom.xml` of each language (`atom.xml` for the
/// default, `en/atom.xml` …): the challenges its lists show, its own
/// translations else the default language's version, so a translation
/// never repeats its original.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let config = ctx.config;
    let scopes: Vec<Scope> = config
        .languages
        .iter()
        .map(|&language| Scope {
            path: format!("{}{FEED_FILE}", lang_prefix(config, language)),
            language,
            title: config.title.clone(),
            page: lang_prefix(config, language),
            pages: ctx
                .site
                .pages_in(config.language, language)
                .into_iter()
                .map(PageId::new)
                .collect(),
        })
        .collect();
    let entries = Entries::new(ctx.site);
    scopes
        .iter()
        .filter_map(|s| render_scope(ctx, &entries, s))
        .collect()
}

/// An entry with the keys it is sorted by.
struct Item {
    updated: Timestamp,
    id: String,
    entry: Entry,
}

/// An entry written as XML, as it stands in a feed (`\n  <entry>…</entry>`),
/// with the keys it is sorted by and its date for the feed's `updated`.
struct Piece {
    updated: Timestamp,
    id: String,
    date: FixedDateTime,
    xml: Vec<u8>,
}

/// How feeds are written: with the XML declaration, indented by two.
fn write_config(declaration: bool) -> WriteConfig {
    WriteConfig {
        write_document_declaration: declaration,
        indent_size: Some(2),
    }
}

/// The entries of each challenge page in each language, each written as
/// XML once, when a feed first needs them, and then put into every feed
/// that holds the challenge: its own, its terms' and the site's. A
/// challenge is in ten or more feeds, and writing its entries was most of
/// what the feeds cost. The dev server keeps them from one save to the
/// next ([`Entries::carry`]), so a save writes the entries of the changed
/// pages only.
#[derive(Default)]
pub struct Entries {
    /// By page, then language ([`Entries::slot`]).
    slots: Vec<OnceLock<Vec<Piece>>>,
    /// Of each page, the fingerprint of everything its entries are made
    /// from (see [`crate::plan::Plan::feed_keys`]).
    keys: Vec<u64>,
}

impl std::fmt::Debug for Entries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let written = self.slots.iter().filter(|s| s.get().is_some()).count();
        write!(f, "Entries({} pages, {written} written)", self.keys.len())
    }
}

impl Entries {
    /// Room for the entries of every page of `site`; nothing is written yet.
    pub fn new(site: &Site) -> Entries {
        Entries::keyed(vec![0; site.pages.len()])
    }

    /// Room for the entries of pages with the fingerprints `keys`.
    fn keyed(keys: Vec<u64>) -> Entries {
        Entries {
            slots: (0..keys.len() * 2).map(|_| OnceLock::new()).collect(),
            keys,
        }
    }

    /// Room for the entries of pages with the fingerprints `keys`, taking
    /// from `old` those of each page whose fingerprint is the same.
    pub fn carry(mut old: Entries, keys: Vec<u64>) -> Entries {
        if old.keys.len() == keys.len() {
            // The same pages: the entries of those whose fingerprint
            // changed are written again, the others stay where they are.
            for (i, (old_key, key)) in old.keys.iter_mut().zip(&keys).enumerate() {
                if old_key != key {
                    *old_key = *key;
                    old.slots[i * 2] = OnceLock::new();
                    old.slots[i * 2 + 1] = OnceLock::new();
                }
            }
            return old;
        }
        let mut new = Entries::keyed(keys);
        let mut old_slots = old.slots.into_iter();
        for (i, old_key) in old.keys.iter().enumerate() {
            let (sv, en) = (old_slots.next(), old_slots.next());
            if new.keys.get(i) != Some(old_key) {
                continue;
            }
            for (lang, slot) in [(0, sv), (1, en)] {
                if let Some(slot) = slot {
                    new.slots[i * 2 + lang] = slot;
                }
            }
        }
        new
    }

    /// Of each page, the fingerprint its entries were made with.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// The slot of page `id` in language `lang`.
    fn slot(&self, id: PageId, lang: Lang) -> Option<&OnceLock<Vec<Piece>>> {
        let lang = match lang {
            Lang::Sv => 0,
            Lang::En => 1,
        };
        self.slots.get(id.index() * 2 + lang)
    }

    /// The entries of page `id` in a feed in language `lang`, in the order
    /// of its history; none for a page that is not a challenge.
    fn of(&self, ctx: &OutputContext<'_>, id: PageId, lang: Lang) -> &[Piece] {
        match self.slot(id, lang) {
            Some(slot) => slot.get_or_init(|| pieces(ctx, id, lang)),
            None => &[],
        }
    }
}

/// The entries of page `id` in language `lang`, written.
fn pieces(ctx: &OutputContext<'_>, id: PageId, lang: Lang) -> Vec<Piece> {
    let Some(page) = ctx.site.pages.get(id.index()) else {
        return Vec::new();
    };
    let Some(c) = page.challenge() else {
        return Vec::new();
    };
    let on = On {
        ctx,
        lang,
        page,
        c,
        html: ctx.html.get(id.index()).map(|h| &**h),
    };
    timeline::steps(c, Reading::Announcements)
        .iter()
        .filter_map(|step| on.entry(step))
        .filter_map(|item| {
            let date = item.entry.updated;
            Some(Piece {
                xml: entry_xml(item.entry)?,
                updated: item.updated,
                id: item.id,
                date,
            })
        })
        .collect()
}

/// `entry` as it is written inside a feed: the crate writes it in a feed
/// of its own, and the entry is cut out of that. `None` only on a bug in
/// the XML writer.
fn entry_xml(entry: Entry) -> Option<Vec<u8>> {
    let feed = Feed {
        entries: vec![entry],
        ..Feed::default()
    };
    let bytes = feed
        .write_with_config(Vec::new(), write_config(false))
        .ok()?;
    let start = find(&bytes, b"\n  <entry")?;
    let end = bytes.len().checked_sub(FEED_END.len())?;
    (bytes.get(end..)? == FEED_END).then(|| bytes[start..end].to_vec())
}

/// Feed document `head`, written without entries, with the entries
/// `pieces` ([`entry_xml`]) put in before its end. `None` when `head` does
/// not end as a feed does.
fn with_entries<'p>(mut head: Vec<u8>, pieces: impl Iterator<Item = &'p [u8]>) -> Option<Vec<u8>> {
    let end = head.len().checked_sub(FEED_END.len())?;
    if head.get(end..)? != FEED_END {
        return None;
    }
    head.truncate(end);
    for piece in pieces {
        head.extend_from_slice(piece);
    }
    head.extend_from_slice(FEED_END);
    Some(head)
}

/// How a feed document ends, after its last element.
const FEED_END: &[u8] = b"\n</feed>";

/// Where `needle` first is in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Renders the feed of one scope, its entries taken from `entries`: `None`
/// only on a bug in the XML writer, when leaving the feed out is better
/// than stopping the whole build.
pub fn render_scope(ctx: &OutputContext<'_>, entries: &Entries, scope: &Scope) -> Option<Output> {
    let mut items: Vec<&Piece> = scope
        .pages
        .iter()
        .flat_map(|&id| entries.of(ctx, id, scope.language))
        .collect();
    // Newest first. Ids break ties, descending so that on one day an
    // amendment (`…#andring-1`) comes before its challenge (`…/`) and a
    // later amendment before an earlier one.
    items.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    write_feed(ctx, scope, &items)
}

/// The feed document of `scope` holding `items`, newest first.
fn write_feed(ctx: &OutputContext<'_>, scope: &Scope, items: &[&Piece]) -> Option<Output> {
    let config = ctx.config;
    let lang = scope.language;
    // The site-wide feeds keep the site's address as their id and link, as
    // they always had; the others are named by their own address.
    let site_wide = scope.path.ends_with(FEED_FILE) && scope.page == lang_prefix(config, lang);
    let (id, alternate) = if site_wide {
        (config.base_url.clone(), config.base_url.clone())
    } else {
        (ctx.permalink(&scope.path), ctx.permalink(&scope.page))
    };
    let mut feed = Feed {
        title: Text::plain(xml_safe(&scope.title)),
        id,
        lang: Some(lang_code(lang).to_string()),
        links: vec![
            Link {
                href: ctx.permalink(&scope.path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: alternate,
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
        feed.updated = newest.date;
    }
    // The crate writes the feed without entries; the entries, written
    // already, go in before its end.
    // Writing into memory only fails on a bug in the XML writer; leaving the
    // feed out is better than stopping the whole build for it.
    let head = feed
        .write_with_config(Vec::new(), write_config(true))
        .ok()?;
    let mut bytes = with_entries(head, items.iter().map(|i| i.xml.as_slice()))?;
    bytes.push(b'\n');
    Some(Output {
        path: scope.path.clone(),
        data: OutputData::Bytes(bytes),
    })
}

/// One challenge of a feed, with what its entries are made from.
struct On<'a> {
    ctx: &'a OutputContext<'a>,
    /// The feed's language.
    lang: Lang,
    page: &'a Page,
    c: &'a Challenge,
    /// The page's Markdown as HTML.
    html: Option<&'a crate::model::PageHtml>,
}

impl On<'_> {
    /// The entry of one step of the challenge's history.
    fn entry(&self, step: &Step<'_>) -> Option<Item> {
        match step.kind {
            Kind::Published => self.published(),
            Kind::Amendment(n) => self.amendment(n),
            Kind::Answer(n) => self.answer(n),
            Kind::Document(n) => self.document(n),
            Kind::Meeting(n) => self.meeting(n),
            Kind::Stage => self.stage(step),
            // Steps of the clock are not read for feeds.
            Kind::Opened
            | Kind::Closed
            | Kind::EventHeld(_)
            | Kind::PhaseDone(_)
            | Kind::Related(_) => None,
        }
    }

    fn permalink(&self) -> String {
        self.ctx.permalink(&self.page.url_path)
    }

    fn strings(&self) -> &Strings {
        self.ctx.strings_for(self.lang)
    }

    /// The entry announcing the challenge. When its times changed without
    /// an amendment (see [`crate::history`]), the entry is updated when that
    /// change was published and says the new times.
    fn published(&self) -> Option<Item> {
        let (ctx, page, c) = (self.ctx, self.page, self.c);
        let permalink = self.permalink();
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
            entry.content = Some(html_content(
                None,
                page.lang,
                unannounced_html(ctx, self.lang, change),
            ));
        }
        Some(Item {
            updated,
            id: permalink,
            entry,
        })
    }

    /// An entry about the challenge dated `at`: its id and link are the
    /// page's with `fragment`, its title `label: the challenge's title`.
    fn item(&self, at: &Moment, fragment: &str, label: &str, html: String) -> Option<Item> {
        let permalink = self.permalink();
        let id = format!("{permalink}#{fragment}");
        let date = atom_date(at)?;
        let entry = Entry {
            title: Text::plain(xml_safe(&format!("{label}: {}", self.page.title))),
            id: id.clone(),
            updated: date,
            published: Some(date),
            authors: vec![buyer(self.c)],
            links: vec![page_link(&id, self.page.lang)],
            // Links in the HTML are relative to the page (`/om/`,
            // `fil.pdf`); xml:base lets feed readers resolve them.
            content: Some(html_content(Some(permalink), self.page.lang, html)),
            ..Entry::default()
        };
        Some(Item {
            updated: at.zoned.timestamp(),
            id,
            entry,
        })
    }

    /// Amendment `n` (from 0, oldest first), numbered from 1 in date order
    /// as the model keeps them, so its id stays when a newer one is added.
    fn amendment(&self, n: usize) -> Option<Item> {
        let update = self.c.updates.get(n)?;
        let text = self.html.and_then(|h| h.updates.get(n));
        let html = amendment_html(self.strings(), self.lang, update, text);
        let label = t(self.strings(), "feed_amendment", "Ändring");
        self.item(&update.date, &format!("andring-{}", n + 1), label, html)
    }

    /// Question `n` (from 0), with its answer, dated when it was answered.
    fn answer(&self, n: usize) -> Option<Item> {
        let q = self.c.questions.get(n)?;
        let answer = self.html.and_then(|h| h.answers.get(n));
        let html = format!(
            "<p><strong>{}</strong></p>\n{}",
            crate::escape::xml(&q.question),
            answer.map_or("", |a| a.trim())
        );
        let label = t(self.strings(), "feed_answer", "Svar på en fråga");
        self.item(timeline::answered(q), &q.anchor, label, html)
    }

    /// Document `n` (from 0), written with a `date`.
    fn document(&self, n: usize) -> Option<Item> {
        let d = self.c.documents.get(n)?;
        let url = match &d.target {
            crate::content::DocumentTarget::File { out_path, .. } => {
                self.ctx.permalink(&crate::escape::encode_path(out_path))
            }
            crate::content::DocumentTarget::Url(url) => crate::escape::encode_uri(url),
        };
        let html = format!(
            "<p><a href=\"{}\">{}</a></p>",
            crate::escape::xml(&url),
            crate::escape::xml(&d.title)
        );
        let label = t(self.strings(), "feed_document", "Nytt dokument");
        let mut item = self.item(
            d.date.as_ref()?,
            &format!("dokument-{}", n + 1),
            label,
            html,
        )?;
        item.entry.links.push(Link {
            href: url,
            rel: "related".into(),
            ..Link::default()
        });
        Some(item)
    }

    /// Meeting `n` (from 0), dated by the publication (see
    /// [`Kind::Meeting`]): when and where, and what it is about.
    fn meeting(&self, n: usize) -> Option<Item> {
        let e = self.c.events.get(n)?;
        let mut html = format!(
            "<p><strong>{}</strong></p>\n<p>{} – {}</p>",
            crate::escape::xml(&e.title),
            crate::escape::xml(&time::format_long(&e.start.zoned, self.lang)),
            crate::escape::xml(&time::format_long(&e.end.zoned, self.lang)),
        );
        if !e.place.trim().is_empty() {
            html.push_str(&format!("\n<p>{}</p>", crate::escape::xml(&e.place)));
        }
        if let Some(text) = self.html.and_then(|h| h.events.get(n)) {
            html.push('\n');
            html.push_str(text.trim());
        }
        let label = t(self.strings(), "feed_meeting", "Möte");
        self.item(&self.c.published, &format!("mote-{}", n + 1), label, html)
    }

    /// The stage reached after the tender, with the outcome when written;
    /// dated by the step before it (see [`timeline::steps`]).
    fn stage(&self, step: &Step<'_>) -> Option<Item> {
        let stage = crate::content::stage_label(self.c.stage, self.strings());
        let sentence = t(
            self.strings(),
            "feed_stage_now",
            "Utmaningen är nu i skedet {stage}.",
        )
        .replace("{stage}", &stage);
        let mut html = format!("<p>{}</p>", crate::escape::xml(&sentence));
        if let Some(outcome) = self
            .html
            .map(|h| h.outcome.trim())
            .filter(|o| !o.is_empty())
        {
            html.push('\n');
            html.push_str(outcome);
        }
        let label = if self.c.stage == crate::content::Stage::Cancelled {
            t(self.strings(), "feed_cancelled", "Avbruten")
        } else {
            t(self.strings(), "feed_stage", "Nytt skede")
        };
        let fragment = format!("skede-{}", self.c.stage.key());
        self.item(step.moment, &fragment, label, html)
    }
}

/// HTML content in language `lang`, its links resolved against `base`.
fn html_content(base: Option<String>, lang: Lang, html: String) -> Content {
    Content {
        base,
        lang: Some(lang_code(lang).to_string()),
        value: Some(xml_safe(&html)),
        src: None,
        content_type: Some("html".into()),
    }
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

/// An amendment as HTML: its text, then a sentence for each time it moved.
fn amendment_html(
    strings: &Strings,
    lang: Lang,
    update: &crate::content::Update,
    text_html: Option<&String>,
) -> String {
    let mut html = text_html.map_or("", |h| h.trim()).to_string();
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

    html
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
    fn entries_written_apart_make_the_feed_the_crate_writes_whole() {
        let entry = |id: &str, html: &str| Entry {
            title: Text::plain(format!("Rubrik <{id}> & \"citat\"")),
            id: format!("https://example.se/a/#{id}"),
            authors: vec![Person {
                name: "Helsingborgs stad".into(),
                ..Person::default()
            }],
            links: vec![page_link("https://example.se/a/", Lang::Sv)],
            content: Some(html_content(
                Some("https://example.se/a/".into()),
                Lang::Sv,
                html.into(),
            )),
            ..Entry::default()
        };
        let entries = vec![
            entry("andring-1", "<p>ett\ntvå</p>"),
            entry(
                "svar",
                "<p>tre</p>\n\n<ul>\n  <li>fyra &amp; fem</li>\n</ul>",
            ),
        ];
        let head = Feed {
            title: Text::plain("Flöde"),
            id: "https://example.se/".into(),
            lang: Some("sv".into()),
            links: vec![page_link("https://example.se/", Lang::Sv)],
            ..Feed::default()
        };
        let whole = Feed {
            entries: entries.clone(),
            ..head.clone()
        }
        .write_with_config(Vec::new(), write_config(true))
        .unwrap();
        let pieces: Vec<Vec<u8>> = entries.into_iter().map(|e| entry_xml(e).unwrap()).collect();
        let head = head
            .write_with_config(Vec::new(), write_config(true))
            .unwrap();
        let apart = with_entries(head.clone(), pieces.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(
            String::from_utf8(apart).unwrap(),
            String::from_utf8(whole).unwrap()
        );
        // Without entries the head is the feed as the crate writes it.
        assert_eq!(with_entries(head.clone(), std::iter::empty()), Some(head));
        assert_eq!(with_entries(b"<feed>".to_vec(), std::iter::empty()), None);
    }

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
