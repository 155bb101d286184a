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
use crate::model::Lang;
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
    /// The feed entries written by the last run, by page.
    pub(crate) feed_entries: crate::output::feed::Entries,
    /// The feeds of challenges and terms of the last full run.
    pub(crate) feed_scopes: Vec<std::sync::Arc<crate::output::feed::Scope>>,
    /// The fingerprint of the addresses last checked and found clear of
    /// generated paths (see [`crate::pipeline::plan_run`]).
    pub(crate) collisions_checked: Option<u64>,
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
        self.formats.clear();
    }

    /// Lets go of what the last full run replaced.
    pub fn release_retired(&mut self) {
        drop(self.retired.take());
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
    fn versions_are_never_handed_out_twice() {
        let a = fresh_version();
        let b = fresh_version();
        assert_ne!(a, b);
    }
}
