//! The plan: every file a run writes, as a list of jobs.
//!
//! A job is one output path, what makes it (a theme template, a format
//! such as the feeds or the open data, a theme file, a file copied as it
//! is), the pages it shows (by [`PageId`]) and a fingerprint of everything
//! it is made from. `build`, `check` and `serve` make the same plan and run
//! it the same way ([`crate::pipeline`]); they differ only in the
//! [`Cache`] they keep (a job whose fingerprint is the cached one is not
//! run again) and the sink the outputs go to.
//!
//! Planning reads the loaded site, the rendered Markdown and the theme's
//! strings; it renders nothing, so it needs no templates. Cards are planned
//! as values; the renderer makes their HTML once and puts it in every list.

pub mod cache;
pub mod generated;
pub mod markdown;
mod pages;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Site;
use crate::model::{Lang, PageHtml, PageId};
pub use crate::output::Format;
use crate::output::feed::Scope;
use crate::theme::Theme;
use crate::time::Timestamp;
pub use crate::view::Var;
pub use cache::{Cache, Fingerprint, fresh_version};
pub use pages::{CardPlan, LangPlan};

/// What a run produced, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages rendered.
    pub pages: usize,
    /// Challenges published.
    pub challenges: usize,
    /// Challenges open or closing soon at the build clock.
    pub open: usize,
}

/// What a run is made from: the loaded site and what it is rendered with.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The site folder.
    pub root: &'a std::path::Path,
    /// Settings.
    pub config: &'a Config,
    /// Templates, theme files and UI strings.
    pub theme: &'a Theme,
    /// The loaded site.
    pub site: &'a Site,
    /// The version of each page (see [`cache`]), by [`PageId`].
    pub versions: &'a [u64],
    /// The one clock of the run.
    pub now: Timestamp,
    /// `now` is a chosen time (`--now`), not the system clock: see
    /// [`crate::BuildOptions::fixed_clock`].
    pub fixed_clock: bool,
    /// The files published as they are.
    pub copies: &'a [CopyFile],
}

/// A file published as it is: from the site's `static/` folder or beside a
/// page in `content/`.
#[derive(Debug, Clone)]
pub struct CopyFile {
    /// The output path.
    pub out: String,
    /// The file.
    pub source: PathBuf,
    /// From `static/` (which may not take a path the build writes itself).
    pub from_static: bool,
    /// Its size and time of change, as last looked at: with the source, its
    /// fingerprint.
    pub size: u64,
    /// See `size`.
    pub modified: Option<std::time::SystemTime>,
}

/// One output file and how it is made.
#[derive(Debug)]
pub struct Job {
    /// The output path (`challenges/a/index.html`).
    pub out: String,
    /// What makes it.
    pub make: Make,
    /// The pages it shows.
    pub deps: Vec<PageId>,
    /// Of everything the output is made from: equal fingerprints, equal
    /// bytes.
    pub fingerprint: u64,
}

/// What makes a job's output.
#[derive(Debug)]
pub enum Make {
    /// A theme template, with the page's own variables.
    Page(Box<PageJob>),
    /// A file of the theme's `static/` folder, by its path there.
    ThemeFile(String),
    /// A file published as it is.
    Copy(PathBuf),
    /// The style sheet of `[brand]` ([`crate::brand::css`]).
    BrandCss,
    /// The Atom feed of one challenge or one term.
    Feed(Arc<Scope>),
}

/// A page made from a theme template.
#[derive(Debug)]
pub struct PageJob {
    /// The template (`challenge.html`).
    pub template: &'static str,
    /// URL folder of the page (`challenges/a/`), for links and the menu.
    pub url_path: String,
    /// The page's title and description, for `<title>` and `<meta>`.
    pub title: String,
    /// See `title`.
    pub description: String,
    /// The same page in other languages: `(lang, url_path)`.
    pub translations: Vec<(Lang, String)>,
    /// Its own variables.
    pub vars: Vec<(&'static str, Var)>,
    /// The challenge it shows in full, if any.
    pub challenge: Option<PageId>,
    /// The challenges related to that challenge, as its page links them.
    pub related: Vec<crate::view::RelatedLink>,
    /// The file it comes from, for messages.
    pub origin: PathBuf,
}

/// Every job of a run.
#[derive(Debug, Default)]
pub struct Plan {
    /// The pages of each language, with what they share.
    pub langs: Vec<LangPlan>,
    /// The formats, and the fingerprint of what they are all made from.
    pub formats: (Vec<Format>, u64),
    /// Theme files and copied files.
    pub files: Vec<Job>,
    /// Pages, challenges and open challenges.
    pub counts: Counts,
    /// Of the templates, strings, settings and clock.
    pub base: u64,
    /// Only the jobs of a few changed pages, and of the feeds that hold
    /// them: every other job is as the cache has it.
    pub partial: bool,
    /// Page key → where it is published in each language, for a cache that
    /// keeps.
    pub translations: std::collections::HashMap<String, Vec<(Lang, String)>>,
    /// Of each page, the fingerprint of everything its feed entries are
    /// made from (its address, its content and Markdown, the settings, the
    /// clock and the strings), by which the dev server keeps the entries
    /// of unchanged pages ([`crate::output::feed::Entries`]).
    pub feed_keys: Vec<u64>,
    /// The feeds of challenges and terms, as their jobs make them (of a
    /// plan of every page; a partial plan keeps the cache's).
    pub feed_scopes: Vec<Arc<Scope>>,
    /// The keys of the pages that link to other challenges or are linked
    /// to (of a plan of every page), for a cache that keeps.
    pub link_keys: std::collections::HashSet<String>,
}

impl Plan {
    /// Every page job, of every language.
    pub fn page_jobs(&self) -> impl Iterator<Item = &Job> {
        self.langs.iter().flat_map(|l| l.jobs.iter())
    }
}

/// Plans every output of `inputs`. With `changed` (the only pages changed
/// since the cache was filled, each in its place in lists and menus) and a
/// cache that fits, only those pages' own jobs are planned, with the feeds
/// that hold them. `html` is each page's Markdown as HTML.
pub fn plan(
    inputs: &Inputs<'_>,
    html: &[std::sync::Arc<PageHtml>],
    html_versions: &[u64],
    cache: &Cache,
    changed: Option<&[PageId]>,
) -> Plan {
    let page_fps: Vec<u64> = inputs
        .versions
        .iter()
        .zip(html_versions)
        .map(|(v, h)| Fingerprint::new().with(v).with(h).finish())
        .collect();
    let run = Run {
        inputs,
        html,
        cache,
        base: base_fingerprint(inputs),
        feed_base: Fingerprint::new()
            .with(&cache::config_fingerprint(inputs.config))
            .with(&inputs.now)
            .with(&inputs.theme.strings)
            .finish(),
        page_fps: &page_fps,
    };
    let mut plan = changed
        .and_then(|changed| run.plan_changed(changed))
        .unwrap_or_else(|| run.plan_all());
    plan.formats = (Format::ALL.to_vec(), formats_fingerprint(inputs, &page_fps));
    plan.base = run.base;
    plan
}

/// What both ways of planning start from.
struct Run<'a> {
    inputs: &'a Inputs<'a>,
    html: &'a [Arc<PageHtml>],
    cache: &'a Cache,
    /// See [`base_fingerprint`].
    base: u64,
    /// Of what every feed reads: the settings, the clock and the strings.
    feed_base: u64,
    /// Of each page's content and HTML.
    page_fps: &'a [u64],
}

impl Run<'_> {
    /// The plan of the pages of `changed` and the feeds that hold them,
    /// when the cache has every other job.
    fn plan_changed(&self, changed: &[PageId]) -> Option<Plan> {
        let (inputs, cache) = (self.inputs, self.cache);
        // A page that links or is linked to is shown on other pages: the
        // whole plan finds which.
        let linking = changed.iter().any(|&id| {
            let page = inputs.site.page(id);
            cache.link_keys.contains(&page.key)
                || page
                    .challenge()
                    .is_some_and(|c| c.related.iter().any(|l| l.target.is_some()))
        });
        if linking {
            return None;
        }
        let (links, linked) = (Default::default(), Default::default());
        let mut plan = self.planner(&links, &linked).plan_changed(changed)?;
        // A plan of a few changed pages keeps every address, title and
        // term, and so every feed's scope and every other page's entries.
        let pages = inputs.site.pages.len();
        let keys = cache.feed_entries.keys();
        if !cache.feed_scopes.fits(pages) || keys.len() != pages {
            return None;
        }
        let mut scopes: Vec<Arc<Scope>> = Vec::new();
        for scope in changed.iter().flat_map(|&id| cache.feed_scopes.of(id)) {
            if !scopes.iter().any(|s| Arc::ptr_eq(s, scope)) {
                scopes.push(Arc::clone(scope));
            }
        }
        plan.files = files(inputs);
        plan.files.extend(self.feed_jobs(&scopes));
        plan.feed_keys = keys.to_vec();
        for &id in changed {
            plan.feed_keys[id.index()] = self.feed_key(id);
        }
        Some(plan)
    }

    /// The plan of every job.
    fn plan_all(&self) -> Plan {
        let inputs = self.inputs;
        let links = crate::content::links_by_key(&inputs.site.pages);
        // The language versions of each challenge a link points to.
        let mut linked: std::collections::HashMap<&str, Vec<usize>> = links
            .values()
            .flatten()
            .map(|(key, _)| (key.as_str(), Vec::new()))
            .collect();
        for (i, page) in inputs.site.pages.iter().enumerate() {
            if let Some(versions) = linked.get_mut(page.key.as_str()) {
                versions.push(i);
            }
        }
        let mut plan = self.planner(&links, &linked).plan_all();
        plan.link_keys = links.into_keys().collect();
        plan.feed_scopes = feed_scopes(inputs);
        plan.files = files(inputs);
        plan.files.extend(self.feed_jobs(&plan.feed_scopes));
        plan.feed_keys = (0..inputs.site.pages.len())
            .map(|i| self.feed_key(PageId::new(i)))
            .collect();
        plan
    }

    fn planner<'p>(
        &'p self,
        links: &'p std::collections::BTreeMap<String, Vec<(String, crate::content::Relation)>>,
        linked: &'p std::collections::HashMap<&'p str, Vec<usize>>,
    ) -> pages::Planner<'p> {
        pages::Planner {
            inputs: self.inputs,
            html: self.html,
            page_fps: self.page_fps,
            cache: self.cache,
            base: self.base,
            links,
            linked,
        }
    }

    /// The jobs of the feeds of `scopes` (see [`feed_jobs`]).
    fn feed_jobs(&self, scopes: &[Arc<Scope>]) -> Vec<Job> {
        feed_jobs(scopes, self.page_fps, self.feed_base)
    }

    /// The fingerprint of everything page `id`'s feed entries are made
    /// from: its address, its content and Markdown, and what every feed
    /// reads.
    fn feed_key(&self, id: PageId) -> u64 {
        Fingerprint::new()
            .with(&self.inputs.site.page(id).rel)
            .with(&self.page_fps[id.index()])
            .with(&self.feed_base)
            .finish()
    }
}

/// What every page reads: the templates, the strings, the settings and the
/// clock.
fn base_fingerprint(inputs: &Inputs<'_>) -> u64 {
    Fingerprint::new()
        .with(&cache::config_fingerprint(inputs.config))
        .with(&inputs.now)
        .with(&cache::theme_fingerprint(inputs.theme))
        .finish()
}

/// What the formats are made from: the settings, the clock, the strings,
/// every page and its HTML, and the documents.
fn formats_fingerprint(inputs: &Inputs<'_>, page_fps: &[u64]) -> u64 {
    let mut f = Fingerprint::new()
        .with(&cache::config_fingerprint(inputs.config))
        .with(&inputs.now)
        .with(&inputs.theme.strings)
        .with(page_fps);
    for asset in &inputs.site.assets {
        f = f.with(&asset.rel).with(&asset.size);
    }
    f.finish()
}

/// The feed of each challenge and each term of `inputs`.
fn feed_scopes(inputs: &Inputs<'_>) -> Vec<Arc<Scope>> {
    let config = inputs.config;
    let strings: std::collections::HashMap<Lang, crate::model::Strings> = config
        .languages
        .iter()
        .map(|&l| (l, inputs.theme.strings_for(l, config.language)))
        .collect();
    let empty = crate::model::Strings::default();
    let strings_of = |l: Lang| strings.get(&l).unwrap_or(&empty);
    crate::output::feed::scopes(config, inputs.site, &strings_of)
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// The job of each feed of `scopes`: its fingerprint is made of what every
/// feed reads (`base`: the settings, the clock, the strings), the feed's
/// own scope (path, title, language, the pages it holds) and the version
/// of each of those pages, so a changed challenge remakes its own feed and
/// those of its terms, and no other.
fn feed_jobs(scopes: &[Arc<Scope>], page_fps: &[u64], base: u64) -> Vec<Job> {
    scopes
        .par_iter()
        .map(|scope| {
            let pages = scope
                .pages
                .iter()
                .fold(Fingerprint::new(), |f, id| f.with(&page_fps[id.index()]));
            Job {
                out: scope.path.clone(),
                fingerprint: pages.with(&base).with(&**scope).finish(),
                deps: scope.pages.clone(),
                make: Make::Feed(Arc::clone(scope)),
            }
        })
        .collect()
}

/// The theme's files under `static/`, each under its hashed name (see
/// [`crate::theme::assets`]), and the files published as they are. A
/// copied file's fingerprint is its source, size and time of change, as the
/// file system tells them: its bytes are read only when it is written.
fn files(inputs: &Inputs<'_>) -> Vec<Job> {
    let theme = inputs.theme;
    let mut jobs: Vec<Job> = theme
        .statics
        .iter()
        .map(|(path, file)| Job {
            out: format!(
                "{}{}",
                generated::THEME_STATIC_DIR,
                theme.assets.get(path).unwrap_or(path)
            ),
            make: Make::ThemeFile(path.clone()),
            deps: Vec::new(),
            fingerprint: Fingerprint::new().with(&file.bytes).finish(),
        })
        .collect();
    if let Some(brand) = &inputs.config.brand {
        jobs.push(Job {
            out: crate::brand::css_path(brand),
            make: Make::BrandCss,
            deps: Vec::new(),
            fingerprint: Fingerprint::new().with(brand).finish(),
        });
    }
    jobs.extend(inputs.copies.iter().map(|copy| {
        Job {
            out: copy.out.clone(),
            make: Make::Copy(copy.source.clone()),
            deps: Vec::new(),
            fingerprint: Fingerprint::new()
                .with(&copy.source)
                .with(&copy.size)
                .with(&copy.modified)
                .finish(),
        }
    }));
    jobs
}
