//! What one run of the plan leaves for the next, and the fingerprints that
//! tell whether a job's inputs changed.
//!
//! Every page of a site has a *version*: a number that stays the same for
//! as long as the page's file and what was derived from it (address,
//! documents) stay the same, and is new otherwise. Every job of the plan
//! carries a *fingerprint* of everything it is made from: the theme, the
//! settings, its own fields and the versions of the pages it shows. A
//! [`Cache`] that keeps what a run made lets the next run skip each job
//! whose fingerprint is the one it had: its bytes would be the same. A
//! build keeps nothing (every job runs, nothing is held for later); the dev
//! server keeps everything. Nothing else differs between the two.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Counts;
use super::markdown::MarkdownCache;
use crate::config::Config;
use crate::content::Taxonomy;
use crate::model::{Lang, PageId};
use crate::theme::Theme;
/// A number no other version of anything in this process has had.
pub fn fresh_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Builds a fingerprint from the parts an output depends on.
#[derive(Default)]
pub struct Fingerprint(DefaultHasher);

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    /// Adds a part.
    pub fn with<T: Hash + ?Sized>(mut self, part: &T) -> Fingerprint {
        part.hash(&mut self.0);
        self
    }

    /// The fingerprint of the parts added.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// What the last run left for the next: empty for a build, which runs
/// every job; kept by the dev server between saves.
#[derive(Debug, Default)]
pub struct Cache {
    /// Whether a run fills the cache for the next. A build does not: what
    /// it would keep is let go as soon as it is used.
    pub(crate) keep: bool,
    /// Every page's Markdown as last rendered.
    pub(crate) markdown: MarkdownCache,
    /// Output path → the fingerprint of the page job that last made it.
    pub(crate) jobs: HashMap<String, u64>,
    /// The same for theme files and copied files.
    pub(crate) files: HashMap<String, u64>,
    /// The same for the feeds of challenges and terms.
    pub(crate) feeds: HashMap<String, u64>,
    /// The cards the last full run replaced, to be let go when it suits
    /// (freeing many cards takes a while).
    pub(crate) retired: Option<HashMap<(Lang, String), Card>>,
    /// (language, page `rel`) → the challenge card, rendered.
    pub(crate) cards: HashMap<(Lang, String), Card>,
    /// Fingerprint of the templates, the settings and the clock.
    pub(crate) base: u64,
    /// What the pages of each language share.
    pub(crate) langs: Vec<LangShared>,
    /// What the last plan counted.
    pub(crate) counts: Counts,
    /// Page key → where it is published in each language: `(lang, url_path)`.
    pub(crate) translations: HashMap<String, Vec<(Lang, String)>>,
    /// The fingerprint the formats were last made with, and the paths each
    /// wrote.
    pub(crate) formats: HashMap<&'static str, (u64, Vec<String>)>,
    /// Every path of `formats`, in one set: what a request waits for while
    /// the formats are made again.
    pub(crate) formats_paths: Arc<std::collections::HashSet<String>>,
    /// The feed entries written by the last run, by page.
    pub(crate) feed_entries: crate::output::feed::Entries,
    /// The feeds of challenges and terms of the last full run.
    pub(crate) feed_scopes: FeedScopes,
    /// The keys of the pages that link to other challenges or are linked
    /// to, as the last full run found them.
    pub(crate) link_keys: std::collections::HashSet<String>,
    /// The fingerprints of the addresses last checked and found clear of
    /// generated paths: of the pages' and of the copied files' (see
    /// [`crate::pipeline::plan_run`]).
    pub(crate) collisions_checked: Option<(u64, u64)>,
    /// The templates as last read, by the fingerprint of the plan's `base`
    /// (templates, strings, settings and clock).
    pub(crate) tera: Option<(u64, Arc<tera::Tera>)>,
}

impl Cache {
    /// A cache that keeps what each run made, for the next.
    pub fn kept() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    /// Whether runs fill this cache.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// Forgets every job's fingerprint, so the next run makes every output
    /// again (the Markdown and cards are still reused where they fit).
    pub fn forget_jobs(&mut self) {
        self.jobs.clear();
        self.files.clear();
        self.feeds.clear();
        self.formats.clear();
        self.formats_paths = Arc::default();
    }

    /// The fingerprint a theme file, copied file or feed was last made
    /// with.
    pub(crate) fn file_fingerprint(&self, job: &super::Job) -> Option<u64> {
        let made = match job.make {
            super::Make::Feed(_) => &self.feeds,
            _ => &self.files,
        };
        made.get(&job.out).copied()
    }

    /// Whether the last run's page, file and feed jobs make output `path`.
    pub(crate) fn makes(&self, path: &str) -> bool {
        self.jobs.contains_key(path)
            || self.files.contains_key(path)
            || self.feeds.contains_key(path)
    }

    /// Lets go of what the last full run replaced.
    pub fn release_retired(&mut self) {
        drop(self.retired.take());
    }
}

/// The feeds of challenges and terms, and for each page the feeds that
/// hold it: a save of one challenge's text finds the feeds to make again
/// without looking at the others.
#[derive(Debug, Default)]
pub struct FeedScopes {
    /// Every feed.
    scopes: Vec<Arc<crate::output::feed::Scope>>,
    /// The feeds of page `i` are `feeds[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Indexes into `scopes`, page by page.
    feeds: Vec<u32>,
}

impl FeedScopes {
    /// `scopes`, indexed by the pages of a site of `pages` pages.
    pub fn new(scopes: Vec<Arc<crate::output::feed::Scope>>, pages: usize) -> FeedScopes {
        let mut counts = vec![0u32; pages + 1];
        for scope in &scopes {
            for id in &scope.pages {
                counts[id.index() + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts;
        let mut next = starts.clone();
        let mut feeds = vec![0u32; starts.last().map_or(0, |&n| n as usize)];
        for (s, scope) in scopes.iter().enumerate() {
            for id in &scope.pages {
                let at = &mut next[id.index()];
                feeds[*at as usize] = s as u32;
                *at += 1;
            }
        }
        FeedScopes {
            scopes,
            starts,
            feeds,
        }
    }

    /// Whether the index is of a site of `pages` pages.
    pub fn fits(&self, pages: usize) -> bool {
        self.starts.len() == pages + 1
    }

    /// The feeds that hold page `id`.
    pub fn of(&self, id: PageId) -> impl Iterator<Item = &Arc<crate::output::feed::Scope>> {
        let range = match (self.starts.get(id.index()), self.starts.get(id.index() + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.feeds[range].iter().map(|&s| &self.scopes[s as usize])
    }
}

/// What every page of one language shares, as the last plan made it.
#[derive(Debug, Clone)]
pub struct LangShared {
    pub(crate) lang: Lang,
    /// Fingerprint of the cache's `base`, the language and `globals`.
    pub(crate) base: u64,
    /// The site-wide template variables.
    pub(crate) globals: tera::Context,
    /// The menu.
    pub(crate) nav: Vec<crate::view::NavLink>,
}

/// A challenge's card as lists show it, with its HTML.
#[derive(Debug, Clone)]
pub struct Card {
    /// Fingerprint of the page it was made from.
    pub(crate) source: u64,
    /// Fingerprint of the card's content: what the lists showing it depend on.
    pub(crate) content: u64,
    /// Fingerprint of what places the challenge in a list.
    pub(crate) order: u64,
    /// The card, with its HTML when the theme renders cards once.
    pub(crate) value: tera::Value,
    /// The taxonomy terms the challenge is filed under: (taxonomy, slug, name).
    pub(crate) terms: Arc<Vec<(Taxonomy, String, String)>>,
}

/// The fingerprint of the settings: every field of `site.toml` as loaded.
/// The fields are named one by one, so a new setting cannot be left out
/// without the compiler saying so.
pub fn config_fingerprint(config: &Config) -> u64 {
    let Config {
        title,
        description,
        base_url,
        base_path,
        language,
        languages,
        timezone: _,
        timezone_name,
        deadline_time,
        closing_soon_days,
        paginate,
        home_closed,
        theme,
        sanitize_html,
        allow_active_files,
        ocid_prefix,
        brand,
        // What the settings warn about is reported, not rendered.
        warnings: _,
        image,
        image_alt,
        follow_email_url,
        // Read by `utlys cms` only: no output of the build depends on it.
        cms: _,
    } = config;
    Fingerprint::new()
        .with(title)
        .with(description)
        .with(base_url)
        .with(base_path)
        .with(language)
        .with(languages)
        // The zone is named by `timezone_name`, from which it is loaded.
        .with(timezone_name)
        .with(deadline_time)
        .with(closing_soon_days)
        .with(paginate)
        .with(home_closed)
        .with(theme)
        .with(sanitize_html)
        .with(allow_active_files)
        .with(ocid_prefix)
        .with(brand)
        .with(image)
        .with(image_alt)
        .with(follow_email_url)
        .finish()
}

/// The fingerprint of a theme's templates and UI strings.
pub fn theme_fingerprint(theme: &Theme) -> u64 {
    let mut f = Fingerprint::new();
    for (name, file) in &theme.templates {
        f = f.with(name).with(&file.bytes);
    }
    // The hashed names of the theme's files: a page names them, so a
    // changed style sheet makes every page again.
    f.with(&theme.strings).with(&theme.assets).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_parts_and_their_order_apart() {
        let ab = Fingerprint::new().with("a").with("b").finish();
        assert_eq!(ab, Fingerprint::new().with("a").with("b").finish());
        assert_ne!(ab, Fingerprint::new().with("b").with("a").finish());
        assert_ne!(ab, Fingerprint::new().with("ab").finish());
    }

    #[test]
    fn the_feeds_of_a_page_are_those_that_hold_it() {
        let scope = |path: &str, pages: &[usize]| {
            Arc::new(crate::output::feed::Scope {
                path: path.to_string(),
                language: Lang::Sv,
                title: String::new(),
                page: String::new(),
                pages: pages.iter().map(|&i| PageId::new(i)).collect(),
            })
        };
        let index = FeedScopes::new(
            vec![scope("a", &[0]), scope("t", &[0, 2]), scope("c", &[2])],
            4,
        );
        let of = |i: usize| -> Vec<String> {
            index.of(PageId::new(i)).map(|s| s.path.clone()).collect()
        };
        assert_eq!(of(0), ["a", "t"]);
        assert!(of(1).is_empty());
        assert_eq!(of(2), ["t", "c"]);
        assert!(of(3).is_empty());
        assert!(of(9).is_empty(), "a page the index does not know");
        assert!(index.fits(4) && !index.fits(5));
    }

    #[test]
    fn versions_are_never_handed_out_twice() {
        let a = fresh_version();
        let b = fresh_version();
        assert_ne!(a, b);
    }
}
