//! The site as the dev server holds it: the last good outputs in memory,
//! and the problems of the last build when it failed.
//!
//! A [`Session`] renders with the same pipeline as `utlys build`
//! ([`crate::render`]), but keeps the result in a map instead of writing it,
//! and on every [`Session::rebuild`] works out which outputs changed, so the
//! server only tells the browser to reload when something it could show is
//! different. A failed rebuild never replaces the last good site.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;

use crate::BuildOptions;
use crate::config::Config;
use crate::content::{LoadOptions, Page, PageKind, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::{Collect, Output, OutputData};
use crate::model::PageId;
use crate::plan::{Cache, CopyFile, Counts, Format, Inputs, fresh_version};
use crate::theme::Theme;
use crate::time::Timestamp;

/// Output path (relative, `/`-separated, as in `public/`) → bytes. A
/// rebuild that changes a few outputs shares the rest with the snapshot
/// before it instead of copying them.
#[derive(Debug, Clone, Default)]
pub struct OutputMap {
    /// Shared by the snapshots since it was last brought up to date.
    base: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    /// What changed since: new bytes, or `None` for removed.
    recent: BTreeMap<String, Option<Arc<Vec<u8>>>>,
}

impl OutputMap {
    /// More changes than this are taken into the base when a rebuild
    /// publishes.
    const RECENT_LIMIT: usize = 256;

    /// The bytes of output `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        match self.recent.get(path) {
            Some(bytes) => bytes.as_ref(),
            None => self.base.get(path),
        }
    }

    /// Whether there is an output at `path`.
    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Every output, by path, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Arc<Vec<u8>>)> {
        let mut recent = self.recent.iter().peekable();
        let mut base = self.base.iter().peekable();
        std::iter::from_fn(move || {
            loop {
                let next_recent = recent.peek().map(|(k, _)| *k);
                let next_base = base.peek().map(|(k, _)| *k);
                match (next_recent, next_base) {
                    (None, None) => return None,
                    (Some(r), Some(b)) if b < r => return base.next(),
                    (None, Some(_)) => return base.next(),
                    (Some(r), b) => {
                        if b == Some(r) {
                            base.next();
                        }
                        if let Some((k, Some(bytes))) = recent.next() {
                            return Some((k, bytes));
                        }
                    }
                }
            }
        })
    }

    /// Every output's path, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.iter().map(|(k, _)| k)
    }

    /// How many outputs there are.
    pub fn len(&self) -> usize {
        let mut len = self.base.len();
        for (path, bytes) in &self.recent {
            match (self.base.contains_key(path), bytes.is_some()) {
                (false, true) => len += 1,
                (true, false) => len -= 1,
                _ => {}
            }
        }
        len
    }

    /// Whether there are no outputs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn insert(&mut self, path: String, bytes: Arc<Vec<u8>>) {
        self.recent.insert(path, Some(bytes));
    }

    /// Removes `path`; whether it was there.
    fn remove(&mut self, path: &str) -> bool {
        if !self.contains_key(path) {
            return false;
        }
        if self.base.contains_key(path) {
            self.recent.insert(path.to_string(), None);
        } else {
            self.recent.remove(path);
        }
        true
    }

    /// Takes the recent changes into a new base, when there are many or
    /// `always`.
    fn settle(&mut self, always: bool) {
        if self.recent.is_empty() || (!always && self.recent.len() <= Self::RECENT_LIMIT) {
            return;
        }
        let mut base = (*self.base).clone();
        for (path, bytes) in std::mem::take(&mut self.recent) {
            match bytes {
                Some(bytes) => base.insert(path, bytes),
                None => base.remove(&path),
            };
        }
        self.base = Arc::new(base);
    }
}

/// What a successful rebuild changed compared with the previous good site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Outputs that are new or whose bytes differ, sorted.
    pub changed: Vec<String>,
    /// Outputs the site no longer has, sorted.
    pub removed: Vec<String>,
    /// Pages, challenges and open challenges of the new site.
    pub counts: Counts,
    /// Warnings about the sources the rebuild read: every warning of the
    /// site after a full load, those of the changed pages otherwise (a
    /// good build has no errors).
    pub warnings: Diagnostics,
    /// How much of the site the rebuild had to read and render.
    pub work: Work,
}

/// How much of the site a rebuild read and rendered; the rest was reused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    /// Page sources read and parsed.
    pub loaded: usize,
    /// Pages whose Markdown was rendered.
    pub markdown: usize,
    /// HTML pages rendered through the templates.
    pub pages: usize,
    /// The feeds of challenges and terms made again (the others were as
    /// the cache had them), by output path, sorted.
    pub feeds: Vec<String>,
}

impl Changes {
    /// Whether the new site is byte for byte the previous one.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// One consistent view of the session, so a request never mixes the outputs
/// of one build with the base path or error state of another.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    outputs: Arc<OutputMap>,
    base_path: String,
    generation: u64,
    /// Tells this server's builds from those of an earlier run, whose
    /// generations counted from the same start.
    instance: u64,
    error: Option<Arc<Diagnostics>>,
    /// While the feeds, calendars, data and indexes are being made after a
    /// rebuild's pages: the paths they had, which may change.
    pending: Option<Arc<HashSet<String>>>,
}

impl Snapshot {
    /// The bytes of output `path` in the last good site.
    pub fn get(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.outputs.get(path)
    }

    /// Whether there has been a good build at all.
    pub fn has_site(&self) -> bool {
        !self.outputs.is_empty()
    }

    /// The path the last good site is served under (`/utmaningar/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Counts the good builds that changed something, so a page can tell
    /// whether it is older than the site being served.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The generation, unique across runs of the server: what a page
    /// compares to know it is current.
    pub fn version(&self) -> String {
        format!("{:x}-{}", self.instance, self.generation)
    }

    /// Every output of the last good site, by path.
    pub fn outputs(&self) -> &OutputMap {
        &self.outputs
    }

    /// The problems of the last build, when it failed.
    pub fn error(&self) -> Option<&Arc<Diagnostics>> {
        self.error.as_ref()
    }

    /// Whether the request for URL path `raw_path` should wait for
    /// [`Session::settled`]: it may name a whole-site output (a feed, the
    /// data, a calendar) that the rebuild in progress is still making.
    pub fn is_settling_for(&self, raw_path: &str) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        let Some(rel) = raw_path.strip_prefix(self.base_path.as_str()) else {
            return false;
        };
        if rel.is_empty() || rel.ends_with('/') || rel.ends_with(".html") {
            return false;
        }
        pending.contains(rel) || !self.outputs.contains_key(rel)
    }
}

/// The site being previewed: options, the last good outputs and the last
/// error. Shared between the HTTP server and the rebuild thread.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    /// `http://127.0.0.1:1111` when serving: every build then uses this
    /// origin plus the path of `base_url` from `site.toml`, so links in the
    /// preview stay on the preview server even if `base_url` is edited.
    origin: Option<String>,
    /// Take the clock afresh on each rebuild (no `--now` was given).
    live_clock: bool,
    /// What the last rebuild loaded and rendered, for the next one to reuse.
    /// Rebuilds run one at a time: each builds on the one before.
    state: Mutex<Option<State>>,
    current: RwLock<Arc<Snapshot>>,
    /// `true` while the outputs made from the whole site are being made
    /// after the pages of a rebuild were published.
    settling: tokio::sync::watch::Sender<bool>,
}

/// Everything a rebuild keeps for the next: the loaded site with a version
/// per page, and the cache of the last run of the plan.
struct State {
    config: Config,
    /// Fingerprint of `config`, to tell whether `site.toml` changed what it
    /// says.
    config_fp: u64,
    theme: Theme,
    now: Timestamp,
    site: Site,
    /// The version of each of `site.pages`.
    versions: Vec<u64>,
    /// The problems found loading `site`, by file.
    load_diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The page files this rebuild read, when not all of them.
    reread: Option<Vec<PathBuf>>,
    /// After reading a few pages again: those whose version changed, when
    /// each kept its place in lists and menus (see [`same_place`]).
    touched: Option<Vec<PageId>>,
    /// Some of `load_diagnostics` are errors.
    load_errors: bool,
    /// The last rebuild that got as far as the pages succeeded.
    last_good: bool,
    /// Changes a failed rebuild may not have taken in, for the next.
    unbuilt: Unbuilt,
    /// What the last run of the plan made, for the next to reuse.
    cache: Cache,
    /// The formats of the last plan, until they are made.
    formats: Option<(Vec<Format>, u64)>,
}

/// What changed while rebuilds failed: read again by the next one.
#[derive(Debug, Default)]
struct Unbuilt {
    /// Not known what: everything.
    everything: bool,
    paths: Vec<PathBuf>,
}

/// Which sources a rebuild must read again.
#[derive(Debug, Default)]
struct Stale {
    /// `site.toml`, or anything not known: read everything again.
    everything: bool,
    /// Something under `themes/`.
    theme: bool,
    /// Paths under `content/`.
    content: Vec<PathBuf>,
    /// Every changed path, absolute: a copied file among them is copied
    /// again even when its size and time are as they were.
    files: Vec<PathBuf>,
}

impl Session {
    /// A session with nothing built yet; call [`Session::rebuild`] to build.
    pub fn new(options: BuildOptions) -> Session {
        // Known before the first build so even a broken site is served under
        // the path its links will use once it builds.
        let base_path = Config::load(&options.root).map_or_else(|_| "/".into(), |c| c.base_path);
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        Session {
            options,
            origin: None,
            live_clock: false,
            state: Mutex::new(None),
            current: RwLock::new(Arc::new(Snapshot {
                base_path,
                instance,
                ..Snapshot::default()
            })),
            settling: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Builds every site for `origin` (`http://127.0.0.1:1111`) followed by
    /// the path of `base_url` in `site.toml`.
    pub fn serve_at(mut self, origin: impl Into<String>) -> Session {
        self.origin = Some(origin.into().trim_end_matches('/').to_string());
        self
    }

    /// Takes the time anew on every rebuild instead of the fixed
    /// `options.now`, so statuses move on while the server runs. The time
    /// is taken in whole minutes (the finest any page shows), so rebuilds
    /// within one minute only render what the change reaches.
    pub fn with_live_clock(mut self) -> Session {
        self.live_clock = true;
        self
    }

    /// Renders the whole site again, reading every source. On success the
    /// new outputs replace the old and the differences are returned; on
    /// failure the last good outputs stay and the problems are kept for
    /// [`Session::last_error`].
    pub fn rebuild(&self) -> Result<Changes, Diagnostics> {
        self.rebuild_changed(None, |_| {})
    }

    /// Renders the site again after the sources at `changed` (as the
    /// watcher reports them; `None`: not known) changed, reading only those
    /// and rendering only the outputs they reach. The result is the site a
    /// full build of the same sources gives, byte for byte.
    ///
    /// The pages are published first and `pages_ready` is told; the outputs
    /// made from the whole site (feeds, calendars, open data, search
    /// indexes, sitemaps) follow. Until they are made, requests for them
    /// wait ([`Session::settled`]). The result covers both.
    pub fn rebuild_changed(
        &self,
        changed: Option<&[PathBuf]>,
        pages_ready: impl FnOnce(&Result<Changes, Diagnostics>),
    ) -> Result<Changes, Diagnostics> {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let previous = self.snapshot();
        // A rebuild that failed may have stopped before reading what had
        // changed: it is read now.
        let unbuilt = guard.as_mut().map(|s| std::mem::take(&mut s.unbuilt));
        let changed: Option<Vec<PathBuf>> = match (changed, unbuilt) {
            (
                Some(_),
                Some(Unbuilt {
                    everything: true, ..
                }),
            )
            | (None, _) => None,
            (Some(now), Some(Unbuilt { paths, .. })) => {
                Some(paths.into_iter().chain(now.iter().cloned()).collect())
            }
            (Some(now), None) => Some(now.to_vec()),
        };
        let result = self.rebuild_pages(&mut guard, changed.as_deref(), &previous);
        let (mut changes, aggregates) = match result {
            Ok(done) => done,
            Err(diagnostics) => {
                if let Some(state) = guard.as_mut() {
                    state.unbuilt = match changed {
                        Some(paths) => Unbuilt {
                            everything: false,
                            paths,
                        },
                        None => Unbuilt {
                            everything: true,
                            paths: Vec::new(),
                        },
                    };
                }
                self.store(Snapshot {
                    error: Some(Arc::new(diagnostics.clone())),
                    ..(*previous).clone()
                });
                let result = Err(diagnostics);
                pages_ready(&result);
                return result;
            }
        };
        let pages_changes = Ok(changes.clone());
        pages_ready(&pages_changes);
        // What the last render left is let go once the browsers are told.
        if let Some(state) = guard.as_mut() {
            state.cache.release_retired();
        }
        if let (Some(state), true) = (guard.as_mut(), aggregates) {
            let more = self.finish_aggregates(state);
            changes.changed.extend(more.changed);
            changes.changed.sort();
            changes.changed.dedup();
            changes.removed.extend(more.removed);
            changes.removed.sort();
        }
        Ok(changes)
    }

    /// Waits until the outputs made from the whole site are current.
    pub async fn settled(&self) {
        let mut settling = self.settling.subscribe();
        // The sender lives as long as the session, which outlives this.
        let _ = settling.wait_for(|busy| !busy).await;
    }

    /// Loads what changed, renders the Markdown and pages that need it and
    /// publishes them with the copied files. Gives the changes and, when the
    /// whole-site outputs must be made again, their new fingerprint.
    fn rebuild_pages(
        &self,
        slot: &mut Option<State>,
        changed: Option<&[PathBuf]>,
        previous: &Snapshot,
    ) -> Result<(Changes, bool), Diagnostics> {
        let root = &self.options.root;
        let now = if self.live_clock {
            let second = Timestamp::now().as_second();
            Timestamp::from_second(second - second.rem_euclid(60)).unwrap_or(self.options.now)
        } else {
            self.options.now
        };
        let stale = self.stale(slot.as_ref(), changed);
        let load_options = LoadOptions {
            now,
            drafts: self.options.drafts,
        };

        // Settings and theme, read again only when they may have changed.
        let (config, config_read) = match slot.as_ref() {
            Some(state) if !stale.everything => (state.config.clone(), false),
            _ => (self.load_config()?, true),
        };
        let fresh_theme = match slot.as_ref() {
            Some(_) if !config_read && !stale.theme => None,
            _ => Some(Theme::load(root, &config.theme).map_err(Diagnostics)?),
        };
        let config_fp = config_read.then(|| crate::plan::cache::config_fingerprint(&config));

        // Content: the changed pages alone when they stay where they were,
        // otherwise everything, keeping the version of each unchanged page.
        let same_basis = slot
            .as_ref()
            .is_some_and(|s| config_fp.is_none_or(|fp| fp == s.config_fp) && s.now == now);
        let mut old = slot.take();
        let stage = crate::timing::Stage::start("serve: load");
        let in_place = match old.as_mut() {
            Some(state) if same_basis => self.reload_pages(state, &stale, load_options),
            _ => false,
        };
        let loaded;
        let mut state = match old {
            Some(state) if in_place => {
                loaded = stale.content.len();
                state
            }
            old => {
                let (site, load_diagnostics) = crate::content::load(root, &config, load_options);
                let versions =
                    page_versions(old.as_ref().map(|s| (&s.site, &s.versions[..])), &site);
                let mut state = old.unwrap_or_else(|| State::empty(&config));
                state.site = site;
                state.versions = versions;
                state.load_diagnostics = BTreeMap::new();
                for d in load_diagnostics.0 {
                    state
                        .load_diagnostics
                        .entry(d.path.clone())
                        .or_default()
                        .push(d);
                }
                state.load_errors = state
                    .load_diagnostics
                    .values()
                    .flatten()
                    .any(Diagnostic::is_error);
                state.reread = None;
                state.touched = None;
                loaded = state.site.pages.len() + state.site.unloadable.len();
                state
            }
        };
        drop(stage);
        if let Some(fp) = config_fp {
            state.config = config;
            state.config_fp = fp;
        }
        if let Some(theme) = fresh_theme {
            state.theme = theme;
        }
        state.now = now;
        let result = self.render_pages(&mut state, previous, &stale.files);
        state.last_good = result.is_ok();
        *slot = Some(state);
        result.map(|(mut changes, aggregates)| {
            changes.work.loaded = loaded;
            (changes, aggregates)
        })
    }

    /// Sorts the changed paths by what they make stale.
    fn stale(&self, state: Option<&State>, changed: Option<&[PathBuf]>) -> Stale {
        let (Some(state), Some(changed)) = (state, changed) else {
            return Stale {
                everything: true,
                ..Stale::default()
            };
        };
        let root = std::path::absolute(&self.options.root).unwrap_or_default();
        let mut stale = Stale::default();
        for path in changed {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            stale.files.push(path.clone());
            if path.starts_with(root.join("themes")) {
                stale.theme = true;
            } else if path.starts_with(root.join("static")) {
                // Copied files are checked on every rebuild.
            } else if path.starts_with(root.join("content")) && path != root.join("content") {
                let known = path
                    .strip_prefix(root.join("content"))
                    .ok()
                    .and_then(|p| p.to_str())
                    .is_some_and(|rel| {
                        state.site.page_index(rel).is_some()
                            || state.site.assets.iter().any(|a| a.rel == rel)
                    });
                // A file that came and went (an editor's test or temporary
                // file) changes nothing.
                if known || path.exists() {
                    // As the loader names files: under the root as given.
                    let inside = path.strip_prefix(&root).unwrap_or(&path);
                    stale.content.push(self.options.root.join(inside));
                }
            } else {
                stale.everything = true;
            }
        }
        stale
    }

    /// Loads `site.toml`, pointing the site at the preview server.
    fn load_config(&self) -> Result<Config, Diagnostics> {
        let mut config = Config::load(&self.options.root).map_err(Diagnostics)?;
        let base_url = match &self.origin {
            Some(origin) => Some(format!("{origin}{}", config.base_path)),
            None => self.options.base_url.clone(),
        };
        if let Some(url) = &base_url {
            config.set_base_url(url).map_err(|d| Diagnostics(vec![d]))?;
        }
        Ok(config)
    }

    /// Reads the changed pages again in place. `false` (and `state`
    /// untouched) when a change is more than a page's text: a file added,
    /// removed or moved, a page that no longer loads, a document changed.
    fn reload_pages(&self, state: &mut State, stale: &Stale, options: LoadOptions) -> bool {
        if stale.everything {
            return false;
        }
        let root = &self.options.root;
        let mut reloaded = Vec::new();
        for path in &stale.content {
            match crate::content::reload_page(root, &state.config, options, &state.site, path) {
                Some(page) => reloaded.push(page),
                None => return false,
            }
        }
        let mut reread = Vec::new();
        let mut touched = Some(Vec::new());
        for (index, page, problems) in reloaded {
            let old = &state.site.pages[index];
            if !crate::content::same_page(old, &page) {
                state.versions[index] = fresh_version();
                match touched.as_mut() {
                    Some(t) if same_place(old, &page) => t.push(PageId::new(index)),
                    _ => touched = None,
                }
            }
            let source = old.source.clone();
            state.load_diagnostics.remove(&source);
            if !problems.is_empty() {
                state.load_diagnostics.insert(source.clone(), problems);
            }
            reread.push(source);
            state.site.pages[index] = page;
        }
        state.reread = Some(reread);
        state.touched = touched;
        true
    }

    /// Runs the plan's page and file jobs that changed and publishes their
    /// outputs. Gives the changes and whether the formats must be made
    /// again.
    fn render_pages(
        &self,
        state: &mut State,
        previous: &Snapshot,
        rewritten: &[PathBuf],
    ) -> Result<(Changes, bool), Diagnostics> {
        let mut diagnostics = self.load_diagnostics(state);
        let root = &self.options.root;
        let copies = crate::pipeline::load_copies(root, &state.site, &mut diagnostics);
        forget_rewritten(&mut state.cache, &copies, rewritten);
        let inputs = Inputs {
            root,
            config: &state.config,
            theme: &state.theme,
            site: &state.site,
            versions: &state.versions,
            now: state.now,
            fixed_clock: self.options.fixed_clock,
            copies: &copies,
        };
        if diagnostics.has_errors() {
            // Still check every page's Markdown and links, so the writer
            // sees every problem in one run.
            diagnostics.extend(check_markdown(&inputs, &mut state.cache).0);
            diagnostics.sort();
            return Err(diagnostics);
        }
        // A few pages read again after a good run: what they reach alone.
        let touched = state.touched.take().filter(|_| state.last_good);
        let stage = crate::timing::Stage::start("serve: plan");
        let planned = crate::pipeline::plan_run(&inputs, &mut state.cache, touched.as_deref());
        let (mut plan, report) = match planned {
            Ok(planned) => planned,
            Err(problems) => {
                diagnostics.extend(problems.0);
                diagnostics.sort();
                return Err(diagnostics);
            }
        };
        drop(stage);
        // After reading a few pages again, their warnings (the others' are
        // as they were).
        let reread = state.reread.as_deref();
        let reported = |path: &Path| reread.is_none_or(|paths| paths.iter().any(|p| p == path));
        let warnings = report.diagnostics.0.into_iter();
        diagnostics.extend(warnings.filter(|d| reported(&d.path)));
        let stage = crate::timing::Stage::start("serve: pages");
        let sink = Collect::default();
        let done = crate::pipeline::run_pages(&inputs, &mut plan, &mut state.cache, &sink);
        diagnostics.extend(done.diagnostics.0);
        drop(stage);
        let _stage = crate::timing::Stage::start("serve: publish pages");
        let outputs = read_copies(root, sink.into_sorted(), &mut diagnostics);
        diagnostics.sort();
        if diagnostics.has_errors() {
            // The cache took nothing in: the next rebuild starts from the
            // last good run.
            return Err(diagnostics);
        }
        // The formats are made again when what they are made from changed;
        // until then, requests for them wait.
        let pending = crate::pipeline::formats_stale(&plan.formats, &state.cache);
        let formats_due = pending.is_some();
        if formats_due {
            self.settling.send_replace(true);
        }
        state.formats = Some(std::mem::take(&mut plan.formats));
        let base_path = state.config.base_path.clone();
        let (changed, removed) = self.publish(previous, outputs, done.removed, base_path, pending);
        let changes = Changes {
            changed,
            removed,
            counts: plan.counts,
            warnings: diagnostics,
            work: Work {
                loaded: 0,
                markdown: report.rendered,
                pages: done.rendered,
                feeds: done.feeds,
            },
        };
        Ok((changes, formats_due))
    }

    /// Serves the previous site with `outputs` put in and `gone` taken out;
    /// gives the paths that changed and those removed, sorted.
    fn publish(
        &self,
        previous: &Snapshot,
        outputs: Vec<Bytes>,
        gone: Vec<String>,
        base_path: String,
        pending: Option<Arc<HashSet<String>>>,
    ) -> (Vec<String>, Vec<String>) {
        let mut map = (*previous.outputs).clone();
        let mut changed = Vec::new();
        let mut removed: Vec<String> = gone.into_iter().filter(|p| map.remove(p)).collect();
        for (path, bytes) in outputs {
            put_changed(&mut map, &mut changed, path, bytes);
        }
        map.settle(false);
        changed.sort();
        removed.sort();
        let unchanged = changed.is_empty() && removed.is_empty() && base_path == previous.base_path;
        self.store(Snapshot {
            outputs: if unchanged {
                Arc::clone(&previous.outputs)
            } else {
                Arc::new(map)
            },
            base_path,
            generation: previous.generation + u64::from(!unchanged),
            instance: previous.instance,
            error: None,
            pending,
        });
        (changed, removed)
    }

    /// The problems found loading the site that this rebuild reports: every
    /// one after a full load or when some are errors; after reading a few
    /// pages again, theirs.
    fn load_diagnostics(&self, state: &State) -> Diagnostics {
        Diagnostics(match &state.reread {
            Some(paths) if !state.load_errors => paths
                .iter()
                .filter_map(|path| state.load_diagnostics.get(path))
                .flatten()
                .cloned()
                .collect(),
            _ => state.load_diagnostics.values().flatten().cloned().collect(),
        })
    }

    /// Makes the feeds, calendars, open data, indexes and sitemaps again and
    /// publishes them; requests waiting for them go on.
    fn finish_aggregates(&self, state: &mut State) -> Changes {
        let _stage = crate::timing::Stage::start("serve: whole-site outputs");
        let mut changes = Changes::default();
        let Some(formats) = state.formats.take() else {
            self.settling.send_replace(false);
            return changes;
        };
        let inputs = Inputs {
            root: &self.options.root,
            config: &state.config,
            theme: &state.theme,
            site: &state.site,
            versions: &state.versions,
            now: state.now,
            fixed_clock: self.options.fixed_clock,
            copies: &[],
        };
        let sink = Collect::default();
        let done = crate::pipeline::run_formats(&inputs, &formats, &mut state.cache, &sink);
        let current = self.snapshot();
        let mut map = (*current.outputs).clone();
        for path in done.removed {
            if map.remove(&path) {
                changes.removed.push(path);
            }
        }
        for output in sink.into_sorted() {
            if let OutputData::Bytes(bytes) = output.data {
                put_changed(&mut map, &mut changes.changed, output.path, Arc::new(bytes));
            }
        }
        // Off the path from a save to the reload: a good time to tidy up.
        map.settle(true);
        self.store(Snapshot {
            outputs: Arc::new(map),
            pending: None,
            ..(*current).clone()
        });
        self.settling.send_replace(false);
        changes
    }

    /// The site folder.
    pub fn root(&self) -> &std::path::Path {
        &self.options.root
    }

    /// The bytes of output `path` (`challenges/x/index.html`) in the last
    /// good site.
    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.snapshot().get(path).cloned()
    }

    /// The problems of the last build, or `None` when it succeeded.
    pub fn last_error(&self) -> Option<Arc<Diagnostics>> {
        self.snapshot().error.clone()
    }

    /// The current state, all of one build.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn store(&self, snapshot: Snapshot) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("pages", &self.site.pages.len())
            .field("jobs", &self.cache.jobs.len())
            .finish_non_exhaustive()
    }
}

impl State {
    fn empty(config: &Config) -> State {
        State {
            config: config.clone(),
            config_fp: 0,
            theme: Theme::default(),
            now: Timestamp::UNIX_EPOCH,
            site: Site::default(),
            versions: Vec::new(),
            load_diagnostics: BTreeMap::new(),
            reread: None,
            touched: None,
            load_errors: false,
            last_good: false,
            unbuilt: Unbuilt::default(),
            cache: Cache::kept(),
            formats: None,
        }
    }
}

/// Puts `bytes` at `path` in `map` when they differ from what is there,
/// noting the path in `changed`.
fn put_changed(map: &mut OutputMap, changed: &mut Vec<String>, path: String, bytes: Arc<Vec<u8>>) {
    match map.get(&path) {
        Some(old) if *old == bytes => {}
        _ => {
            changed.push(path.clone());
            map.insert(path, bytes);
        }
    }
}

/// Whether a page read again keeps its place in what other pages show:
/// lists and menus. Home and list pages never do (their text is on the
/// pages they head); challenges and plain pages do when their kind and,
/// for plain pages, title, order and menu entry are as they were. Address,
/// key and language are the same for every page read in place.
fn same_place(old: &Page, new: &Page) -> bool {
    match (&old.kind, &new.kind) {
        (PageKind::Challenge(_), PageKind::Challenge(_)) => true,
        (PageKind::Plain, PageKind::Plain) => {
            old.title == new.title && old.weight == new.weight && old.menu == new.menu
        }
        _ => false,
    }
}

/// A version for each page of `site`: the one it had in `old` when it is
/// the same page there, a new one otherwise.
fn page_versions(old: Option<(&Site, &[u64])>, site: &Site) -> Vec<u64> {
    let (old, versions) = match old {
        Some((site, versions)) => (
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.as_str(), (i, p)))
                .collect(),
            versions,
        ),
        None => (HashMap::new(), &[][..]),
    };
    site.pages
        .par_iter()
        .map(|page| match old.get(page.rel.as_str()) {
            Some((i, before)) if crate::content::same_page(before, page) => versions[*i],
            _ => fresh_version(),
        })
        .collect()
}

/// An output's path and bytes.
type Bytes = (String, Arc<Vec<u8>>);

/// The outputs' bytes: those given, and the files to copy read.
/// Forgets the copy jobs of the files the watcher saw written, so they are
/// copied again even when their size and time of change look the same.
fn forget_rewritten(cache: &mut Cache, copies: &[CopyFile], rewritten: &[PathBuf]) {
    if rewritten.is_empty() {
        return;
    }
    for copy in copies {
        let source = std::path::absolute(&copy.source).unwrap_or_else(|_| copy.source.clone());
        if rewritten.contains(&source) {
            cache.files.remove(&copy.out);
        }
    }
}

/// Every page's Markdown and links checked, for a run that stops at the
/// problems the loader found: the writer sees them all at once.
fn check_markdown(inputs: &Inputs<'_>, cache: &mut Cache) -> Diagnostics {
    crate::plan::markdown::render(
        inputs.config,
        inputs.site,
        inputs.theme.reserved_ids(),
        inputs.versions,
        &mut cache.markdown,
        None,
        true,
    )
    .diagnostics
}

fn read_copies(root: &Path, outputs: Vec<Output>, diagnostics: &mut Diagnostics) -> Vec<Bytes> {
    let read: Vec<Result<Bytes, Diagnostic>> = outputs
        .into_par_iter()
        .map(|output| match output.data {
            OutputData::Bytes(bytes) => Ok((output.path, Arc::new(bytes))),
            // The file may have gone since the walk looked at it; the
            // watcher will have queued another rebuild for that.
            OutputData::Copy(source) => std::fs::read(&source)
                .map(|bytes| (output.path.clone(), Arc::new(bytes)))
                .map_err(|e| {
                    let out = &output.path;
                    Diagnostic::error(
                        crate::diagnostics::display_path(root, &source),
                        crate::msg!(
                            "det går inte att läsa filen för att publicera den som /{out}: {e}",
                            "cannot read the file to publish it as /{out}: {e}"
                        ),
                    )
                    .with_code("unreadable-file")
                }),
        })
        .collect();
    read.into_iter()
        .filter_map(|entry| entry.map_err(|d| diagnostics.push(d)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Arc<Vec<u8>> {
        Arc::new(text.as_bytes().to_vec())
    }

    fn listed(map: &OutputMap) -> Vec<(String, String)> {
        map.iter()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
            .collect()
    }

    #[test]
    fn an_output_map_reads_the_same_before_and_after_it_settles() {
        let mut map = OutputMap::default();
        for path in ["b", "d", "f"] {
            map.insert(path.to_string(), bytes(path));
        }
        map.settle(true);
        let shared = map.clone();
        map.insert("a".into(), bytes("new a"));
        map.insert("d".into(), bytes("new d"));
        assert!(map.remove("f"));
        assert!(!map.remove("x"), "nothing to remove");
        map.insert("g".into(), bytes("g"));
        assert!(map.remove("g"), "added, then removed");
        let expected: Vec<(String, String)> = [("a", "new a"), ("b", "b"), ("d", "new d")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(listed(&map), expected);
        assert_eq!(map.len(), 3);
        assert!(map.get("f").is_none() && map.get("g").is_none());
        assert_eq!(map.keys().cloned().collect::<Vec<_>>(), ["a", "b", "d"]);
        // The snapshot it was copied from is as it was.
        assert_eq!(listed(&shared).len(), 3);
        assert_eq!(shared.get("d").map(|b| b.as_slice()), Some(&b"d"[..]));
        map.settle(true);
        assert!(map.recent.is_empty());
        assert_eq!(listed(&map), expected);
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn a_few_changes_are_not_settled_many_are() {
        let mut map = OutputMap::default();
        map.insert("a".into(), bytes("a"));
        map.settle(false);
        assert_eq!(map.recent.len(), 1, "one change stays recent");
        for i in 0..=OutputMap::RECENT_LIMIT {
            map.insert(format!("p{i}"), bytes("p"));
        }
        map.settle(false);
        assert!(map.recent.is_empty());
        assert_eq!(map.len(), OutputMap::RECENT_LIMIT + 2);
        assert!(!map.is_empty());
    }
}
