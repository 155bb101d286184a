//! Outputs other than theme pages: feeds, calendars, sitemap, open data and
//! the search index. Each is rendered from the same model as the pages.

pub mod calendar;
pub mod data;
pub mod feed;
pub mod search;
pub mod sitemap;
pub mod timeline;

use crate::config::Config;
use crate::content::{Challenge, Page, Site};
use crate::emit::{Sink, WriteError};
use crate::model::Generated;
use crate::model::Msg;
use crate::model::{PageHtml, Strings};
use crate::time::Timestamp;

/// One of the outputs made from the whole site at once. Each writes a
/// family of files whose number follows the site (a feed per language, a
/// calendar per challenge, as many sitemaps as the pages need), so it is one
/// job named by its first file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `api/ocds.json` and `api/ocds-records.json` (none without an
    /// `ocid_prefix`).
    Ocds,
    /// `api/challenges.json`, written piece by piece.
    Challenges,
    /// `api/challenges.csv`.
    Csv,
    /// The Atom feeds.
    Feeds,
    /// The iCalendar files.
    Calendars,
    /// The search indexes.
    Search,
    /// The sitemaps and `robots.txt`.
    Sitemaps,
}

impl Format {
    /// Every format, in the order they are made.
    pub const ALL: [Format; 7] = [
        Format::Challenges,
        Format::Csv,
        Format::Ocds,
        Format::Feeds,
        Format::Calendars,
        Format::Search,
        Format::Sitemaps,
    ];

    /// Its name, for timings and the cache.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ocds => "data",
            Format::Challenges => "data json",
            Format::Csv => "data csv",
            Format::Feeds => "feed",
            Format::Calendars => "calendar",
            Format::Search => "search",
            Format::Sitemaps => "sitemap",
        }
    }
}

/// What every output renderer reads.
pub struct OutputContext<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// The loaded site; `site.pages[i]` goes with `html[i]`.
    pub site: &'a Site,
    /// Each page's Markdown rendered to HTML.
    pub html: &'a [std::sync::Arc<PageHtml>],
    /// UI strings of the default language.
    pub strings: &'a Strings,
    /// UI strings of every language of the site (missing keys fall back to
    /// the default language's).
    pub strings_by_lang: &'a std::collections::BTreeMap<crate::model::Lang, Strings>,
    /// The build clock.
    pub now: Timestamp,
}

impl OutputContext<'_> {
    /// Absolute URL of output path `path` (`challenges/a/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// Root-relative URL (with the base path) of output path `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// The UI strings of `lang`.
    pub fn strings_for(&self, lang: crate::model::Lang) -> &Strings {
        self.strings_by_lang.get(&lang).unwrap_or(self.strings)
    }

    /// The published challenges with their page index, in source order.
    pub fn challenges(&self) -> impl Iterator<Item = (usize, &Page, &Challenge)> {
        self.site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.challenge().map(|c| (i, p, c)))
    }
}

/// One file named `file` in each language's folder, each holding `what`.
fn per_language(config: &Config, file: &str, what: &Msg) -> Vec<Generated> {
    config
        .languages
        .iter()
        .map(|&lang| {
            Generated::file(
                format!("{}{file}", crate::config::lang_prefix(config, lang)),
                what.clone(),
            )
        })
        .collect()
}

/// Where the outputs of this module go for `site`: each producer's own
/// paths, as it writes them.
pub fn generated(config: &Config, site: &Site) -> Vec<Generated> {
    let mut all = data::generated();
    all.extend(feed::generated(config, site));
    all.extend(calendar::generated(site));
    all.extend(search::generated(config));
    all.extend(sitemap::generated());
    all
}

/// Makes one format into `sink`, each output as soon as it is made,
/// `api/challenges.json` piece by piece; the write problems.
pub fn put(format: Format, ctx: &OutputContext<'_>, sink: &dyn Sink) -> Vec<WriteError> {
    let outputs = match format {
        Format::Challenges => {
            return sink
                .put_stream(data::CHALLENGES_PATH, &|w| data::write_challenges(ctx, w))
                .err()
                .into_iter()
                .collect();
        }
        Format::Csv => data::csv::render(ctx),
        Format::Ocds => data::ocds::render(ctx),
        Format::Feeds => feed::render(ctx),
        Format::Calendars => calendar::render(ctx),
        Format::Search => search::render(ctx),
        Format::Sitemaps => sitemap::render(ctx),
    };
    outputs
        .into_iter()
        .filter_map(|o| sink.put(&o.path, &o.data).err())
        .collect()
}
