//! One run of the site: load, Markdown, plan, render, publish. `build`,
//! `check` and `serve` all run these steps; they differ only in the cache
//! they keep between runs and the sink the outputs go to.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Msg};
use crate::emit::{self, Collect, Output, Publisher, Sink, WriteStats};
use crate::history::{History, Unreadable};
use crate::model::{Lang, PageId};
use crate::msg;
use crate::plan::cache::LangShared;
use crate::plan::markdown::MarkdownReport;
use crate::plan::{self, Cache, CopyFile, Counts, Format, Inputs, Job, Plan};
use crate::render::{self, Cards, PageRenderer, Theme};
use crate::time::Timestamp;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml` and `content/`).
    pub root: PathBuf,
    /// Where to publish; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The one clock of the build.
    pub now: Timestamp,
    /// `now` was given (`--now`) rather than read from the system clock.
    /// The pages then tell their script to keep to it, so a preview of
    /// another day shows the statuses of that day throughout.
    pub fixed_clock: bool,
    /// Include drafts and pages scheduled for later.
    pub drafts: bool,
}

impl BuildOptions {
    /// The output folder in effect.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a run held in memory (the pages, their Markdown, the plan), handed
/// back rather than freed. Dropping it frees it, as any value. A program
/// that ends once it has reported may [`leave`](Spent::leave) it instead:
/// the system takes a process's memory back at once, where freeing it
/// piece by piece costs a large site a noticeable share of its build.
pub struct Spent {
    _held: Box<dyn Send>,
}

impl Spent {
    /// Leaves the memory to the system, unfreed. Only for a process that
    /// is about to end: in any other it stays taken until then.
    pub fn leave(self) {
        std::mem::forget(self);
    }
}

impl std::fmt::Debug for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spent")
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages, challenges, open challenges.
    pub counts: Counts,
    /// Files written, unchanged and removed.
    pub written: WriteStats,
    /// Warnings (a successful build has no errors).
    pub warnings: Diagnostics,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// What the build tells once about the site as a whole, beside its
    /// problems (see [`Prepared::notes`]).
    pub notes: Vec<Msg>,
    /// What the build held in memory.
    pub spent: Spent,
}

/// A site loaded and checked, ready to plan.
pub struct Prepared {
    config: Config,
    theme: Theme,
    site: Site,
    copies: Vec<CopyFile>,
    warnings: Diagnostics,
}

/// Loads `site.toml`, the theme and `content/`, and checks every page's
/// front matter, Markdown and links. Fails with every problem found.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Diagnostics> {
    let mut config = Config::load(&options.root).map_err(Diagnostics)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|d| Diagnostics(vec![d]))?;
    }
    let theme = Theme::load(&options.root, &config.theme).map_err(Diagnostics)?;
    let load_options = LoadOptions {
        now: options.now,
        drafts: options.drafts,
    };
    let stage = crate::timing::Stage::start("load");
    let (site, mut diagnostics) = content::load(&options.root, &config, load_options);
    let copies = load_copies(&options.root, &site, &mut diagnostics);
    diagnostics.extend(check_site_image(&config, &copies));
    drop(stage);
    // Text that still names a day an amendment moved away from.
    let stale: Vec<Vec<Diagnostic>> = site.pages.par_iter().map(content::stale_dates).collect();
    diagnostics.extend(stale.into_iter().flatten());
    diagnostics.extend(theme.warnings.iter().cloned());
    diagnostics.extend(config.warnings.iter().cloned());
    if diagnostics.has_errors() {
        // Still check every page's Markdown and links, so the writer sees
        // every problem in one run.
        let versions = fresh_versions(&site);
        let report = plan::markdown::render(
            &config,
            &site,
            theme.reserved_ids(),
            &versions,
            &mut Default::default(),
            None,
            false,
        );
        diagnostics.extend(report.diagnostics.0);
        diagnostics.sort();
        return Err(diagnostics);
    }
    diagnostics.sort();
    Ok(Prepared {
        config,
        theme,
        site,
        copies,
        warnings: diagnostics,
    })
}

/// The problems of the site's own picture for sharing (`image` in
/// `site.toml`): a file that is not in `static/` is an error, a picture
/// without `image_alt` a warning.
fn check_site_image(config: &Config, copies: &[CopyFile]) -> Vec<Diagnostic> {
    let image = &config.image;
    if image.is_empty() {
        return Vec::new();
    }
    let at = std::path::Path::new(crate::config::CONFIG_FILE);
    let mut problems = Vec::new();
    if !copies.iter().any(|c| c.from_static && c.out == *image) {
        problems.push(
            Diagnostic::error(
                at,
                msg!(
                    "bilden `{image}` finns inte i mappen `static/`",
                    "the image `{image}` does not exist in the `static/` folder"
                ),
            )
            .with_code("missing-image")
            .with_field("image")
            .with_hint(msg!(
                "lägg bilden i static/{image} eller rätta sökvägen i `image`",
                "put the image at static/{image} or fix the path in `image`"
            )),
        );
    }
    if config.image_alt.is_empty() {
        problems.push(
            Diagnostic::warning(
                at,
                msg!(
                    "bilden `{image}` saknar alternativtext (`image_alt`)",
                    "the image `{image}` has no text alternative (`image_alt`)"
                ),
            )
            .with_code("image-alt-missing")
            .with_field("image_alt")
            .with_hint(msg!(
                "beskriv kort vad bilden visar, för den som inte ser den:\n  image = \"{image}\"\n  image_alt = \"Kort beskrivning av bilden\"",
                "say briefly what the image shows, for those who cannot see it:\n  image = \"{image}\"\n  image_alt = \"A short description of the image\""
            )),
        );
    }
    problems
}

/// The files published as they are: the site's `static/` folder, walked by
/// the rule of every site folder (see [`crate::content::walk_folder`]: no
/// links out of the site, no hidden files; scripts and style sheets are
/// what it is for, so any type goes), and the files beside the pages.
pub fn load_copies(root: &Path, site: &Site, diagnostics: &mut Diagnostics) -> Vec<CopyFile> {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut copies = Vec::new();
    if let content::Folder::Files(files) = content::walk_folder(root, "static", diagnostics) {
        copies.extend(files.into_iter().map(|file| CopyFile {
            modified: modified(&file.path),
            out: file.rel,
            source: file.path,
            from_static: true,
            size: file.size,
        }));
    }
    copies.extend(site.assets.iter().map(|asset| CopyFile {
        out: asset.out_path.clone(),
        modified: modified(&asset.source),
        source: asset.source.clone(),
        from_static: false,
        size: asset.size,
    }));
    copies
}

/// A new version for every page of `site`: nothing is known of them yet.
pub fn fresh_versions(site: &Site) -> Vec<u64> {
    site.pages.iter().map(|_| plan::fresh_version()).collect()
}

/// How many pages a note names before it only counts the rest.
const HELD_BACK_NAMED: usize = 10;

/// The pages a build leaves out, named; `None` when there are none.
fn held_back_note(held_back: &[String]) -> Option<Msg> {
    let n = held_back.len();
    if n == 0 {
        return None;
    }
    let named: Vec<String> = held_back
        .iter()
        .take(HELD_BACK_NAMED)
        .map(|rel| format!("content/{rel}"))
        .collect();
    let more = n.saturating_sub(HELD_BACK_NAMED);
    let named = named.join(", ");
    let (named_sv, named_en) = if more > 0 {
        (
            format!("{named}, … {more} till"),
            format!("{named}, … {more} more"),
        )
    } else {
        (named.clone(), named)
    };
    let (sv, en) = if n == 1 {
        ("sida publiceras inte", "page not published")
    } else {
        ("sidor publiceras inte", "pages not published")
    };
    Some(msg!(
        "note: {n} {sv} (utkast eller publish_date framåt): {named_sv}. \
         Ta bort `draft: true` när texten är klar, eller bygg med --drafts för att förhandsgranska.",
        "note: {n} {en} (draft, or publish_date ahead): {named_en}. \
         Remove `draft: true` when the text is ready, or build with --drafts to preview."
    ))
}

/// The amendments a build holds back because their `date` is after its
/// clock, each named with its file and the time it will be shown from
/// (the first [`HELD_BACK_NAMED`]); `None` when there are none.
pub fn held_updates_note(site: &Site) -> Option<Msg> {
    let held: Vec<_> = site
        .pages
        .iter()
        .filter_map(|p| Some((p, p.challenge()?)))
        .flat_map(|(p, c)| c.held_updates.iter().map(move |m| (p, m)))
        .collect();
    let n = held.len();
    if n == 0 {
        return None;
    }
    let list = |lang| {
        let mut named: Vec<String> = held
            .iter()
            .take(HELD_BACK_NAMED)
            .map(|(p, m)| {
                let when = crate::time::format_long(&m.zoned, lang);
                format!("{} ({when})", p.source.display())
            })
            .collect();
        let more = n.saturating_sub(HELD_BACK_NAMED);
        if more > 0 {
            named.push(match lang {
                Lang::Sv => format!("… {more} till"),
                Lang::En => format!("… {more} more"),
            });
        }
        named.join(", ")
    };
    let (sv, en) = (list(Lang::Sv), list(Lang::En));
    Some(if n == 1 {
        msg!(
            "note: 1 ändring under `updates` har ett datum som inte har kommit än och visas inte, och dess nya tider gäller inte, förrän då: {sv}. Bygg igen den dagen (eller senare) för att publicera den.",
            "note: 1 amendment under `updates` is dated later and is held back, its new times not applied, until then: {en}. Build again on or after that date to publish it."
        )
    } else {
        msg!(
            "note: {n} ändringar under `updates` har datum som inte har kommit än och visas inte, och deras nya tider gäller inte, förrän då: {sv}. Bygg igen de dagarna (eller senare) för att publicera dem.",
            "note: {n} amendments under `updates` are dated later and are held back, their new times not applied, until then: {en}. Build again on or after those dates to publish them."
        )
    })
}

impl Prepared {
    /// What the plan and the jobs read, with the pages' `versions`.
    fn inputs<'a>(&'a self, options: &'a BuildOptions, versions: &'a [u64]) -> Inputs<'a> {
        Inputs {
            root: &options.root,
            config: &self.config,
            theme: &self.theme,
            site: &self.site,
            versions,
            now: options.now,
            fixed_clock: options.fixed_clock,
            copies: &self.copies,
        }
    }

    /// Compares the site with the history the last published build kept
    /// beside the output folder (see [`crate::history`]): sets the
    /// calendar sequences and the unannounced changes, adds the warnings,
    /// and gives the history for this build to keep when it publishes
    /// (`None` when there is nothing to keep). Reads only; a link or a file
    /// Utlys did not write in the history's place is an error.
    pub fn follow_history(
        &mut self,
        options: &BuildOptions,
    ) -> Result<Option<History>, Diagnostics> {
        let output = options.output_dir();
        let bytes = emit::read_history(&output).map_err(|e| {
            let text = e.to_string();
            Diagnostics(vec![
                Diagnostic::error(
                    output.clone(),
                    crate::msg!(
                        "historiken bredvid utdatamappen går inte att läsa: {text}",
                        "the history beside the output folder cannot be read: {text}"
                    ),
                )
                .with_code("history-unreadable"),
            ])
        })?;
        let previous = match bytes.as_deref().map(History::parse) {
            None | Some(Err(Unreadable::OtherFormat)) => None,
            Some(Ok(history)) => Some(history),
            Some(Err(Unreadable::Foreign)) => {
                let name = format!(
                    ".{}{}",
                    output.file_name().unwrap_or_default().to_string_lossy(),
                    emit::HISTORY_SUFFIX
                );
                return Err(Diagnostics(vec![Diagnostic::error(
                    output.clone(),
                    crate::msg!(
                        "filen {name} bredvid utdatamappen är inte en historik som Utlys har skrivit, så Utlys ersätter den inte; inget ändrades",
                        "the file {name} beside the output folder is not a history Utlys wrote, so Utlys does not replace it; nothing was changed"
                    ),
                )
                .with_code("history-foreign")
                .with_hint(crate::msg!(
                    "flytta filen någon annanstans och bygg igen",
                    "move the file somewhere else and build again"
                ))]));
            }
        };
        let (warnings, next) =
            crate::history::follow(&mut self.site, previous.as_ref(), options.now);
        self.warnings.extend(warnings);
        Ok((bytes.is_some() || !next.is_empty()).then_some(next))
    }

    /// The loaded site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// What `build` and `check` tell once about the site as a whole: a
    /// site with challenges but no `ocid_prefix` publishes no OCDS. A note,
    /// not a warning: leaving OCDS out is a publisher's choice, and a
    /// warning on every build would fail the CI of sites that check for
    /// warnings, and show in every preview.
    /// The pages left out are named too, so a forgotten `draft: true`
    /// cannot hide a challenge that should be published.
    pub fn notes(&self) -> Vec<Msg> {
        let mut notes = Vec::new();
        let has_challenges = self.site.challenges().next().is_some();
        if self.config.ocid_prefix.is_none() && has_challenges {
            notes.push(crate::output::data::ocds::missing_prefix_note());
        }
        notes.extend(held_back_note(&self.site.held_back));
        notes.extend(held_updates_note(&self.site));
        notes
    }

    /// Renders every output into `sink`: the counts, the warnings and what
    /// the run held in memory ([`Spent`]), or every problem found.
    pub fn render(
        mut self,
        options: &BuildOptions,
        sink: &dyn Sink,
    ) -> Result<(Counts, Diagnostics, Spent), Diagnostics> {
        // A build keeps nothing for a next run: every job runs.
        let mut cache = Cache::default();
        let versions = fresh_versions(&self.site);
        let mut diagnostics = std::mem::take(&mut self.warnings);
        let inputs = self.inputs(options, &versions);
        let report = match markdown_run(&inputs, &mut cache, None) {
            Ok(report) => report,
            Err(problems) => return Err(failed(diagnostics, problems)),
        };
        diagnostics.extend(report.diagnostics.0);
        // Past the Markdown and the checks of addresses nothing reads the
        // pages' texts again, so a large site is not held twice while it is
        // planned and rendered.
        self.site.release_texts();
        let inputs = self.inputs(options, &versions);
        let mut plan = plan_jobs(&inputs, &cache, None, report.patched);
        let pages = run_pages(&inputs, &mut plan, &mut cache, sink);
        diagnostics.extend(pages.diagnostics.0);
        if diagnostics.has_errors() {
            return Err(failed(diagnostics, Diagnostics::default()));
        }
        let stage = crate::timing::Stage::start("outputs");
        let formats = run_formats(&inputs, &plan.formats, &mut cache, sink);
        drop(stage);
        diagnostics.extend(formats.diagnostics.0);
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let counts = std::mem::take(&mut plan.counts);
        Ok((
            counts,
            diagnostics,
            Spent {
                _held: Box::new((self, plan, cache)),
            },
        ))
    }
}

/// `diagnostics` and `more`, sorted: every problem of a failed run.
fn failed(mut diagnostics: Diagnostics, more: Diagnostics) -> Diagnostics {
    diagnostics.extend(more.0);
    diagnostics.sort();
    diagnostics
}

/// Renders every page's Markdown and plans every job; with `changed` (the
/// only pages changed since `cache` was filled, each in its place in lists
/// and menus) only what those pages reach, when the cache allows. The plan
/// and the Markdown step's warnings, or every problem found. The addresses
/// are checked while the jobs are planned, on the other core.
pub fn plan_run(
    inputs: &Inputs<'_>,
    cache: &mut Cache,
    changed: Option<&[PageId]>,
) -> Result<(Plan, MarkdownReport), Diagnostics> {
    let report = markdown_only(inputs, cache, changed)?;
    // The addresses are what they were at the last check that found
    // nothing in the way (a save of a page's text): nothing to check. The
    // pages of `changed` keep their places, and every other page is as it
    // was: their addresses are the ones last checked.
    let pages = match (changed, cache.collisions_checked) {
        (Some(_), Some((pages, _))) => pages,
        _ => pages_key(inputs),
    };
    let key = (pages, copies_key(inputs));
    let checked = cache.collisions_checked == Some(key);
    let kept = &*cache;
    let (collisions, plan) = rayon::join(
        || match checked {
            true => Vec::new(),
            false => collisions(inputs),
        },
        || plan_jobs(inputs, kept, changed, report.patched),
    );
    if !collisions.is_empty() {
        cache.collisions_checked = None;
        return Err(Diagnostics(collisions));
    }
    if cache.keeps() {
        cache.collisions_checked = Some(key);
    }
    Ok((plan, report))
}

/// Of what [`collisions`] reads of the pages: the settings, and the
/// source, address, language and kind of every page and file beside the
/// pages. The generated paths follow from these.
fn pages_key(inputs: &Inputs<'_>) -> u64 {
    let mut f =
        plan::Fingerprint::new().with(&crate::plan::cache::config_fingerprint(inputs.config));
    for page in &inputs.site.pages {
        f = f
            .with(&page.rel)
            .with(&page.url_path)
            .with(&page.lang)
            .with(&std::mem::discriminant(&page.kind));
    }
    for asset in &inputs.site.assets {
        f = f.with(&asset.rel).with(&asset.out_path);
    }
    f.finish()
}

/// Of what [`collisions`] reads of the files of `static/`: their paths.
fn copies_key(inputs: &Inputs<'_>) -> u64 {
    let statics = inputs.copies.iter().filter(|c| c.from_static);
    statics
        .fold(plan::Fingerprint::new(), |f, copy| f.with(&copy.out))
        .finish()
}

/// The first half of [`plan_run`]: renders the Markdown of the pages (all,
/// or with `changed` only those) and finds pages and static files over
/// generated paths. The Markdown step's report, or every problem found.
pub fn markdown_run(
    inputs: &Inputs<'_>,
    cache: &mut Cache,
    changed: Option<&[PageId]>,
) -> Result<MarkdownReport, Diagnostics> {
    let report = markdown_only(inputs, cache, changed)?;
    let collisions = collisions(inputs);
    if !collisions.is_empty() {
        return Err(Diagnostics(collisions));
    }
    Ok(report)
}

/// Renders the Markdown of the pages (all, or with `changed` only those).
fn markdown_only(
    inputs: &Inputs<'_>,
    cache: &mut Cache,
    changed: Option<&[PageId]>,
) -> Result<MarkdownReport, Diagnostics> {
    let stage = crate::timing::Stage::start("markdown");
    let keep = cache.keeps();
    let report = plan::markdown::render(
        inputs.config,
        inputs.site,
        inputs.theme.reserved_ids(),
        inputs.versions,
        &mut cache.markdown,
        changed,
        keep,
    );
    drop(stage);
    if report.diagnostics.has_errors() {
        return Err(report.diagnostics);
    }
    Ok(report)
}

/// The pages and static files over generated paths, one error each: they
/// would otherwise replace what the build makes there, or be replaced by
/// it, without a word. Checked before anything is rendered.
fn collisions(inputs: &Inputs<'_>) -> Vec<Diagnostic> {
    let _stage = crate::timing::Stage::start("collisions");
    let statics = inputs.copies.iter().filter(|c| c.from_static);
    plan::generated::find_collisions(inputs.config, inputs.site, statics.map(|c| c.out.as_str()))
}

/// The second half of [`plan_run`]: plans every job, or with `changed`
/// only what those pages reach when `patched` (only their Markdown was
/// rendered). Reads no page's text.
pub fn plan_jobs(
    inputs: &Inputs<'_>,
    cache: &Cache,
    changed: Option<&[PageId]>,
    patched: bool,
) -> Plan {
    let _stage = crate::timing::Stage::start("plan");
    // Only the changed pages' jobs when only their Markdown was rendered:
    // otherwise any page's HTML may have changed.
    let changed = changed.filter(|_| patched);
    plan::plan(
        inputs,
        &cache.markdown.html,
        &cache.markdown.html_versions,
        cache,
        changed,
    )
}

/// What running the page and file jobs of a plan did.
#[derive(Debug, Default)]
pub struct PagesDone {
    /// Problems found; the run failed when one is an error.
    pub diagnostics: Diagnostics,
    /// Page jobs run (the others' outputs were as the cache had them).
    pub rendered: usize,
    /// The feeds of challenges and terms made, by output path, sorted.
    pub feeds: Vec<String>,
    /// Outputs of the cache's last run that this plan no longer makes.
    pub removed: Vec<String>,
}

/// Runs the page and file jobs of `plan` whose fingerprint is not the
/// cache's into `sink`. On success a cache that keeps takes in what the run
/// made.
pub fn run_pages(
    inputs: &Inputs<'_>,
    plan: &mut Plan,
    cache: &mut Cache,
    sink: &dyn Sink,
) -> PagesDone {
    let mut done = PagesDone::default();
    let tera = match &cache.tera {
        Some((base, tera)) if *base == plan.base => Arc::clone(tera),
        _ => match render::build_tera(inputs.theme, &inputs.config.base_path) {
            Ok(tera) => Arc::new(tera),
            Err(problems) => {
                done.diagnostics = Diagnostics(problems);
                return done;
            }
        },
    };
    if cache.keeps() {
        cache.tera = Some((plan.base, Arc::clone(&tera)));
    }
    let renderer = PageRenderer {
        config: inputs.config,
        site: inputs.site,
        theme: inputs.theme,
        tera: &tera,
        html: &cache.markdown.html,
        now: inputs.now,
        sink,
    };
    let problems = Mutex::new(Vec::new());
    let mut cards_by_lang: Vec<(Lang, Cards)> = Vec::new();
    let mut seen = HashSet::new();
    for lang_plan in &mut plan.langs {
        let stage = crate::timing::Stage::start("render");
        let cards = renderer.cards(lang_plan, cache, &problems);
        let lang_plan = &*lang_plan;
        let mut stale = Vec::new();
        for job in &lang_plan.jobs {
            if !seen.insert(job.out.as_str()) {
                let duplicate = emit::WriteError::Duplicate(job.out.clone());
                done.diagnostics
                    .push(render::write_problem(&job.out, duplicate));
            } else if cache.jobs.get(&job.out) != Some(&job.fingerprint) {
                stale.push(job);
            }
        }
        done.rendered += stale.len();
        done.diagnostics
            .extend(renderer.render(lang_plan, &stale, &cards));
        drop(stage);
        if cache.keeps() {
            cards_by_lang.push((lang_plan.lang, cards));
        } else {
            // On every core: the cards of a large site are a great many
            // small values.
            cards.into_par_iter().for_each(drop);
        }
    }
    let stage = crate::timing::Stage::start("write rest");
    let files: Vec<&Job> = plan
        .files
        .iter()
        .filter(|job| cache.file_fingerprint(job) != Some(job.fingerprint))
        .collect();
    done.feeds = files
        .iter()
        .filter(|job| matches!(job.make, plan::Make::Feed(_)))
        .map(|job| job.out.clone())
        .collect();
    done.feeds.sort();
    let keys = std::mem::take(&mut plan.feed_keys);
    let entries =
        crate::output::feed::Entries::carry(std::mem::take(&mut cache.feed_entries), keys);
    done.diagnostics.extend(render::put_files(
        inputs,
        &cache.markdown.html,
        &entries,
        &files,
        sink,
    ));
    if cache.keeps() {
        cache.feed_entries = entries;
    }
    drop(stage);
    done.diagnostics
        .extend(problems.into_inner().unwrap_or_else(|e| e.into_inner()));
    if cache.keeps() && !done.diagnostics.has_errors() {
        done.removed = remember_pages(cache, plan, cards_by_lang, inputs);
    }
    done
}

/// Takes in what a good run of `plan` made; the outputs of the last run
/// that `plan` no longer makes.
fn remember_pages(
    cache: &mut Cache,
    plan: &mut Plan,
    cards: Vec<(Lang, Cards)>,
    inputs: &Inputs<'_>,
) -> Vec<String> {
    let (feeds, files): (Vec<&Job>, Vec<&Job>) = plan
        .files
        .iter()
        .partition(|j| matches!(j.make, plan::Make::Feed(_)));
    let fingerprints = |jobs: Vec<&Job>| -> HashMap<String, u64> {
        jobs.into_iter()
            .map(|j| (j.out.clone(), j.fingerprint))
            .collect()
    };
    let (feeds, files) = (fingerprints(feeds), fingerprints(files));
    let gone = |old: &HashMap<String, u64>, new: &HashMap<String, u64>| -> Vec<String> {
        old.keys()
            .filter(|p| !new.contains_key(*p))
            .cloned()
            .collect()
    };
    let mut removed = gone(&cache.files, &files);
    cache.files = files;
    let page_key = |id: PageId| inputs.site.page(id).rel.clone();
    if plan.partial {
        // The feeds of its pages only.
        cache.feeds.extend(feeds);
        cache
            .jobs
            .extend(plan.page_jobs().map(|j| (j.out.clone(), j.fingerprint)));
        for (lang, cards) in cards {
            cache.cards.extend(
                cards
                    .into_iter()
                    .map(|(id, card)| ((lang, page_key(id)), card)),
            );
        }
    } else {
        let jobs: HashMap<String, u64> = plan
            .page_jobs()
            .map(|j| (j.out.clone(), j.fingerprint))
            .collect();
        removed.extend(
            cache
                .jobs
                .keys()
                .filter(|p| !jobs.contains_key(*p))
                .cloned(),
        );
        cache.jobs = jobs;
        removed.extend(gone(&cache.feeds, &feeds));
        cache.feeds = feeds;
        let cards = cards
            .into_iter()
            .flat_map(|(lang, cards)| cards.into_iter().map(move |(id, card)| ((lang, id), card)))
            .map(|((lang, id), card)| ((lang, page_key(id)), card))
            .collect();
        cache.retired = Some(std::mem::replace(&mut cache.cards, cards));
        cache.langs = plan
            .langs
            .iter()
            .map(|l| LangShared {
                lang: l.lang,
                base: l.base,
                globals: l.globals.clone(),
                nav: l.nav.clone(),
            })
            .collect();
        cache.base = plan.base;
        let scopes = std::mem::take(&mut plan.feed_scopes);
        cache.feed_scopes = plan::cache::FeedScopes::new(scopes, inputs.site.pages.len());
        cache.link_keys = std::mem::take(&mut plan.link_keys);
        cache.counts = plan.counts.clone();
        cache.translations = std::mem::take(&mut plan.translations);
    }
    removed.retain(|p| !cache.makes(p));
    removed.sort();
    removed
}

/// What making the formats did.
#[derive(Debug, Default)]
pub struct FormatsDone {
    /// Problems found.
    pub diagnostics: Diagnostics,
    /// Outputs the formats made last time and no longer make.
    pub removed: Vec<String>,
}

/// The paths the formats wrote last time when they must be made again
/// (what they are made from changed); `None` when they are current.
pub fn formats_stale(formats: &(Vec<Format>, u64), cache: &Cache) -> Option<Arc<HashSet<String>>> {
    let (formats, fingerprint) = formats;
    let current = formats.iter().all(|f| {
        cache
            .formats
            .get(f.name())
            .is_some_and(|(fp, _)| fp == fingerprint)
    });
    (!current).then(|| Arc::clone(&cache.formats_paths))
}

/// Makes the formats into `sink` when what they are made from
/// changed since the cache's run.
pub fn run_formats(
    inputs: &Inputs<'_>,
    formats: &(Vec<Format>, u64),
    cache: &mut Cache,
    sink: &dyn Sink,
) -> FormatsDone {
    let mut done = FormatsDone::default();
    let Some(before) = formats_stale(formats, cache) else {
        return done;
    };
    let (formats, fingerprint) = formats;
    let (problems, written) = render::put_formats(inputs, &cache.markdown.html, formats, sink);
    done.diagnostics = Diagnostics(problems);
    if cache.keeps() && !done.diagnostics.has_errors() {
        let now: HashSet<&String> = written.values().flatten().collect();
        done.removed = before
            .iter()
            .filter(|p| !now.contains(p) && !cache.makes(p))
            .cloned()
            .collect();
        done.removed.sort();
        cache.formats = written
            .into_iter()
            .map(|(format, paths)| (format.name(), (*fingerprint, paths)))
            .collect();
        let paths = cache.formats.values().flat_map(|(_, paths)| paths.iter());
        cache.formats_paths = Arc::new(paths.cloned().collect());
    }
    done
}

/// Loads and renders the site into `sink`.
pub fn render_into(
    options: &BuildOptions,
    sink: &dyn Sink,
) -> Result<(Counts, Diagnostics), Diagnostics> {
    let (counts, warnings, _spent) = prepare(options)?.render(options, sink)?;
    Ok((counts, warnings))
}

/// Loads and renders the site without writing anything: the outputs sorted
/// by path, the counts and the warnings.
pub fn render(options: &BuildOptions) -> Result<(Vec<Output>, Counts, Diagnostics), Diagnostics> {
    let sink = Collect::default();
    let (counts, warnings) = render_into(options, &sink)?;
    Ok((sink.into_sorted(), counts, warnings))
}

/// Builds the site and publishes it atomically. On any error nothing in the
/// output folder changes.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    let fail = |e: emit::WriteError| {
        Diagnostics(vec![
            Diagnostic::error(output.clone(), e.message())
                .with_code(e.code())
                .with_hint(render::left_as_it_was()),
        ])
    };
    emit::check_output_dir(&options.root, &output).map_err(fail)?;
    // Where a build has published before, the output trees are surveyed
    // while the content is read: that makes nothing, and a content error
    // still leaves everything as it was. A first build makes its lock file
    // only once the content has passed its checks.
    let (prepared, claimed) = if emit::built_before(&output) {
        let (prepared, claimed) = rayon::join(|| prepare(options), || Publisher::claim(&output));
        (prepared, Some(claimed))
    } else {
        (prepare(options), None)
    };
    let mut prepared = prepared?;
    let claimed = claimed
        .unwrap_or_else(|| Publisher::claim(&output))
        .map_err(fail)?;
    // The history is read while the spare tree is marked as being written.
    let (history, publisher) = rayon::join(|| prepared.follow_history(options), || claimed.start());
    let history = history?;
    let mut publisher = publisher.map_err(fail)?;
    let notes = prepared.notes();
    if let Some(history) = history {
        publisher.keep_history(history.to_bytes());
    }
    // On an error the publisher is dropped unfinished: public/ is untouched.
    let (counts, warnings, spent) = prepared.render(options, &publisher)?;
    let stage = crate::timing::Stage::start("finish");
    let written = publisher.finish().map_err(fail)?;
    drop(stage);
    Ok(BuildReport {
        counts,
        written,
        warnings,
        elapsed: started.elapsed(),
        notes,
        spent,
    })
}
