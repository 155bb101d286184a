//! Rendering the site model into outputs: Markdown to HTML, then every page
//! through the theme's Tera templates.

pub mod context;
pub mod generated;
pub mod memo;
mod pages;
pub mod theme;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
pub use crate::config::lang_prefix;
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, FileBudget, Severity};
use crate::emit::{Output, OutputData, Sink, WriteError};
use crate::markdown::{self, Links};
use crate::time::Timestamp;
use context::PageHtml;
use memo::{MarkdownEntry, MarkdownMemo, PageMemo};
pub use theme::Theme;

/// What a build produced, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages rendered.
    pub pages: usize,
    /// Challenges published.
    pub challenges: usize,
    /// Challenges open or closing soon at the build clock.
    pub open: usize,
}

/// Renders every output of `site`. Problems are collected; the outputs are
/// only complete when there is no error. Once the pages are rendered the
/// pages' source texts are let go (what is made after needs only their
/// fields and HTML), so a large site is not held twice.
pub fn render_site(
    root: &Path,
    config: &Config,
    site: &mut Site,
    theme: &Theme,
    now: Timestamp,
    sink: &dyn Sink,
) -> (Counts, Diagnostics) {
    let stage = crate::timing::Stage::start("markdown");
    let markdown = render_markdown_memo(config, site, theme, None);
    drop(stage);
    let mut diagnostics = markdown.diagnostics;
    if diagnostics.has_errors() {
        return (Counts::default(), diagnostics);
    }
    let stage = crate::timing::Stage::start("pages");
    let pages = render_pages(config, site, theme, &markdown.html, now, sink, None);
    drop(stage);
    diagnostics.extend(pages.diagnostics.0);
    if diagnostics.has_errors() {
        return (pages.counts, diagnostics);
    }
    for page in &mut site.pages {
        page.text = String::new();
        page.body_offset = 0;
    }
    let site = &*site;
    let stage = crate::timing::Stage::start("outputs");
    let mut problems = with_output_context(config, site, theme, &markdown.html, now, |ctx| {
        crate::output::put_all(ctx, sink)
    });
    drop(stage);
    let _stage = crate::timing::Stage::start("write rest");
    let mut outputs = theme_statics(theme);
    outputs.extend(copied_files(root, config, site, &mut diagnostics));
    problems.extend(
        outputs
            .par_iter()
            .filter_map(|o| sink.put(&o.path, &o.data).err())
            .collect::<Vec<_>>(),
    );
    diagnostics.extend(problems.into_iter().map(|e| write_problem(&o_path(&e), e)));
    (pages.counts, diagnostics)
}

/// What a render that reuses the last one is given.
#[derive(Debug, Clone, Copy)]
pub struct Reuse<'a> {
    /// For each page of the site, a fingerprint of its content and HTML.
    pub fingerprints: &'a [u64],
    /// What the last good render left.
    pub previous: &'a PageMemo,
    /// The pages changed since that render, when they are all that changed
    /// and each kept its address, language and place in the menu.
    pub changed: Option<&'a [usize]>,
}

/// The pages rendered.
#[derive(Debug, Default)]
pub struct PagesDone {
    /// Pages, challenges and open challenges.
    pub counts: Counts,
    /// Problems found.
    pub diagnostics: Diagnostics,
    /// What the next render can reuse; complete only without errors.
    pub memo: PageMemo,
    /// Pages rendered this time (the others were unchanged).
    pub rendered: usize,
}

/// Renders the HTML pages of every language into `sink`: home, lists,
/// taxonomies, challenges, plain pages and 404. With `reuse`, a page whose
/// inputs are those of the last render is not rendered (nor put in `sink`).
pub fn render_pages(
    config: &Config,
    site: &Site,
    theme: &Theme,
    html: &[Arc<PageHtml>],
    now: Timestamp,
    sink: &dyn Sink,
    reuse: Option<Reuse<'_>>,
) -> PagesDone {
    // Before anything is rendered: a page over a generated path would
    // otherwise replace it, or be replaced, without a word.
    let stage = crate::timing::Stage::start("collisions");
    let collisions = generated::find_content_collisions(config, site);
    drop(stage);
    if !collisions.is_empty() {
        return PagesDone {
            diagnostics: Diagnostics(collisions),
            ..PagesDone::default()
        };
    }
    let tera = match build_tera(theme) {
        Ok(t) => t,
        Err(ds) => {
            return PagesDone {
                diagnostics: Diagnostics(ds),
                ..PagesDone::default()
            };
        }
    };
    let renderer = pages::Renderer {
        config,
        site,
        theme,
        tera: &tera,
        html,
        now,
        sink,
        reuse,
    };
    renderer.render_all()
}

/// The outputs made from the whole site at once: feeds, calendars, open
/// data, search indexes and sitemaps.
pub fn render_aggregates(
    config: &Config,
    site: &Site,
    theme: &Theme,
    html: &[Arc<PageHtml>],
    now: Timestamp,
) -> Vec<Output> {
    with_output_context(config, site, theme, html, now, crate::output::render_all)
}

/// Runs `f` with what the non-page outputs are made from.
fn with_output_context<T>(
    config: &Config,
    site: &Site,
    theme: &Theme,
    html: &[Arc<PageHtml>],
    now: Timestamp,
    f: impl FnOnce(&crate::output::OutputContext<'_>) -> T,
) -> T {
    let strings = theme.strings_for(config.language, config.language);
    let strings_by_lang = config
        .languages
        .iter()
        .map(|&l| (l, theme.strings_for(l, config.language)))
        .collect();
    f(&crate::output::OutputContext {
        config,
        site,
        html,
        strings: &strings,
        strings_by_lang: &strings_by_lang,
        now,
    })
}

/// The theme's static files (style sheet, script, icon) under `static/`.
pub fn theme_statics(theme: &Theme) -> Vec<Output> {
    theme
        .statics
        .iter()
        .map(|(path, file)| Output {
            path: format!("{}{path}", generated::THEME_STATIC_DIR),
            data: OutputData::Bytes(file.bytes.clone()),
        })
        .collect()
}

/// The files published as they are: the site's `static/` folder and the
/// files beside the pages in `content/`. A file of `static/` that would be
/// published where the build writes something itself is an error.
pub fn copied_files(
    root: &Path,
    config: &Config,
    site: &Site,
    diagnostics: &mut Diagnostics,
) -> Vec<Output> {
    let mut outputs = Vec::new();
    copy_site_static(root, &mut outputs, diagnostics);
    let collisions =
        generated::find_static_collisions(config, site, outputs.iter().map(|o| o.path.as_str()));
    if !collisions.is_empty() {
        // The build fails on these; left in, each would also be reported a
        // second time, by the sink, as two files for one path.
        outputs.clear();
        diagnostics.extend(collisions);
    }
    for asset in &site.assets {
        outputs.push(Output {
            path: asset.out_path.clone(),
            data: OutputData::Copy(asset.source.clone()),
        });
    }
    outputs
}

/// The output path a write error is about, for its message.
fn o_path(e: &WriteError) -> String {
    match e {
        WriteError::Duplicate(p) => p.clone(),
        WriteError::Io { path, .. } => path.display().to_string(),
        _ => String::new(),
    }
}

/// A write failure as a diagnostic. Two outputs with one path are told
/// apart here, where the generated lists that may take an address are known.
pub(crate) fn write_problem(path: &str, e: WriteError) -> Diagnostic {
    let message = match e {
        WriteError::Duplicate(_) => format!(
            "{e}; a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"
        ),
        _ => e.to_string(),
    };
    Diagnostic::error(path, message).with_hint(match e {
        WriteError::Duplicate(_) => "rename the page or file so each has its own address",
        _ => "the published site was left as it was",
    })
}

/// Renders every page's Markdown and checks links between pages. This runs
/// even when some files failed to load, so one run reports every problem.
pub fn render_markdown_all(
    config: &Config,
    site: &Site,
    theme: &Theme,
) -> (Vec<Arc<PageHtml>>, Diagnostics) {
    let done = render_markdown_memo(config, site, theme, None);
    (done.html, done.diagnostics)
}

/// Every page's Markdown, rendered or taken from the last render.
pub struct MarkdownDone {
    /// The HTML of `site.pages[i]`.
    pub html: Vec<Arc<PageHtml>>,
    /// For each page, a number that stays the same while its HTML does.
    pub html_versions: Vec<u64>,
    /// Problems in the Markdown and the links.
    pub diagnostics: Diagnostics,
    /// What the next render can reuse (only when versions were given).
    pub memo: Option<MarkdownMemo>,
    /// Pages whose Markdown was rendered (the others were reused).
    pub rendered: usize,
}

/// Renders every page's Markdown and checks links between pages. Given the
/// pages' versions (`site.pages[i]` has `versions[i]`) and the memo of the
/// last render, a page whose version and link targets are unchanged is not
/// rendered again.
pub fn render_markdown_memo(
    config: &Config,
    site: &Site,
    theme: &Theme,
    memo: Option<(&[u64], MarkdownMemo)>,
) -> MarkdownDone {
    let mut diagnostics = Diagnostics::default();
    let sanitize = config.sanitize_html;
    let reserved_ids = theme.reserved_ids();
    let (versions, previous) = match memo {
        Some((versions, previous)) => (Some(versions), Some(previous)),
        None => (None, None),
    };
    // The links of an unchanged set of pages are the last render's: taken
    // over rather than built again.
    let (links, mut previous_pages, reusable) = match previous {
        Some(p) if same_links(&p.links, config, site, &reserved_ids) => {
            (p.links, p.pages, p.sanitize == sanitize)
        }
        Some(p) => (links_of(config, site, reserved_ids), p.pages, false),
        None => (links_of(config, site, reserved_ids), HashMap::new(), false),
    };
    // Markdown, in parallel; the anchors of every page are known afterwards.
    let entries: Vec<(Arc<MarkdownEntry>, bool)> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let Some(versions) = versions else {
                let entry = render_markdown(page, &links, sanitize, 0, None);
                return (Arc::new(entry), true);
            };
            let version = versions[i];
            let before = previous_pages.get(&page.rel);
            if let Some(entry) = before.filter(|e| reusable && e.version == version) {
                return (Arc::clone(entry), false);
            }
            let entry = render_markdown(page, &links, sanitize, version, before.map(Arc::as_ref));
            (Arc::new(entry), true)
        })
        .collect();
    let rendered = entries.iter().filter(|(_, fresh)| *fresh).count();
    let anchors: HashMap<&str, HashSet<&str>> = site
        .pages
        .iter()
        .zip(&entries)
        .map(|(p, (r, _))| {
            (
                p.rel.as_str(),
                r.anchors.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    for (page, (r, _)) in site.pages.iter().zip(&entries) {
        diagnostics.extend(r.problems.iter().cloned());
        check_anchor_refs(page, &r.anchor_refs, &anchors, &mut diagnostics);
    }
    drop(anchors);
    let html = entries.iter().map(|(e, _)| Arc::clone(&e.html)).collect();
    let html_versions = entries.iter().map(|(e, _)| e.html_version).collect();
    let memo = versions.map(|_| {
        // The last render's entries, with the new ones put in.
        for (page, (entry, fresh)) in site.pages.iter().zip(entries) {
            if fresh {
                previous_pages.insert(page.rel.clone(), entry);
            }
        }
        if previous_pages.len() != site.pages.len() {
            let kept: HashSet<&str> = site.pages.iter().map(|p| p.rel.as_str()).collect();
            previous_pages.retain(|rel, _| kept.contains(rel.as_str()));
        }
        MarkdownMemo {
            links,
            sanitize,
            pages: previous_pages,
        }
    });
    MarkdownDone {
        html,
        html_versions,
        diagnostics,
        memo,
        rendered,
    }
}

/// Every page's HTML and HTML version, as [`render_markdown_memo`] gave
/// them, to bring up to date.
pub struct SiteHtml<'a> {
    /// The HTML of `site.pages[i]`.
    pub html: &'a mut [Arc<PageHtml>],
    /// For each page, a number that stays the same while its HTML does.
    pub versions: &'a mut [u64],
}

/// `f` applied to each of `items`, in parallel unless they are only a few:
/// waking the thread pool then costs more than it gains.
fn map_few<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() <= 2 {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// What [`render_markdown_changed`] did.
#[derive(Debug, Default)]
pub struct MarkdownPatched {
    /// Problems in the changed pages, and in links to their headings.
    pub diagnostics: Diagnostics,
    /// Pages whose Markdown was rendered.
    pub rendered: usize,
}

/// Renders the Markdown of pages `changed` alone, when nothing else changed
/// since the render that left `memo`: the same pages at the same addresses,
/// and no errors then. `html` and `html_versions` (as
/// [`render_markdown_memo`] gave them) and `memo` are brought up to date.
/// Links from other pages to the changed pages' headings are checked again
/// when those headings changed. `None`, with nothing touched, when the memo
/// does not fit (settings or theme changed what links resolve against).
pub fn render_markdown_changed(
    config: &Config,
    site: &Site,
    theme: &Theme,
    versions: &[u64],
    memo: &mut MarkdownMemo,
    html: SiteHtml<'_>,
    changed: &[usize],
) -> Option<MarkdownPatched> {
    let SiteHtml {
        html,
        versions: html_versions,
    } = html;
    if memo.sanitize != config.sanitize_html
        || memo.links.urls.len() != site.pages.len()
        || memo.pages.len() != site.pages.len()
        || html.len() != site.pages.len()
        || memo.links.reserved_ids != theme.reserved_ids()
    {
        return None;
    }
    let fits = changed.iter().all(|&i| {
        let page = &site.pages[i];
        let url = memo.links.urls.get(&page.rel);
        url.and_then(|u| u.strip_prefix(config.base_path.as_str())) == Some(&page.url_path)
    });
    if !fits {
        return None;
    }
    let entries: Vec<(usize, Arc<MarkdownEntry>)> = map_few(changed, |&i| {
        let page = &site.pages[i];
        let before = memo.pages.get(&page.rel).map(Arc::as_ref);
        let entry = render_markdown(page, &memo.links, memo.sanitize, versions[i], before);
        (i, Arc::new(entry))
    });
    // Pages whose headings changed: links to them from anywhere are checked.
    let mut moved: HashSet<&str> = HashSet::new();
    for (i, entry) in &entries {
        let rel = site.pages[*i].rel.as_str();
        if memo
            .pages
            .get(rel)
            .is_none_or(|e| e.anchors != entry.anchors)
        {
            moved.insert(rel);
        }
    }
    let mut patched = MarkdownPatched {
        rendered: entries.len(),
        ..MarkdownPatched::default()
    };
    for (i, entry) in &entries {
        html[*i] = Arc::clone(&entry.html);
        html_versions[*i] = entry.html_version;
        memo.pages
            .insert(site.pages[*i].rel.clone(), Arc::clone(entry));
    }
    // The headings of the pages the checked links point to.
    let mut checked: Vec<(usize, Vec<markdown::AnchorRef>)> = entries
        .iter()
        .map(|(i, entry)| (*i, entry.anchor_refs.clone()))
        .collect();
    if !moved.is_empty() {
        let fresh: HashSet<usize> = entries.iter().map(|(i, _)| *i).collect();
        for (i, page) in site.pages.iter().enumerate() {
            let refs: Vec<markdown::AnchorRef> = memo
                .pages
                .get(&page.rel)
                .filter(|_| !fresh.contains(&i))
                .map(|e| e.anchor_refs.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|r| moved.contains(r.target.as_str()))
                .cloned()
                .collect();
            if !refs.is_empty() {
                checked.push((i, refs));
            }
        }
    }
    let mut anchors: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in checked.iter().flat_map(|(_, refs)| refs) {
        if let Some(entry) = memo.pages.get(&r.target) {
            anchors
                .entry(r.target.as_str())
                .or_insert_with(|| entry.anchors.iter().map(String::as_str).collect());
        }
    }
    for (_, entry) in &entries {
        patched.diagnostics.extend(entry.problems.iter().cloned());
    }
    for (i, refs) in &checked {
        check_anchor_refs(&site.pages[*i], refs, &anchors, &mut patched.diagnostics);
    }
    Some(patched)
}

/// Where `@/` links and file links of `site`'s pages lead.
fn links_of(config: &Config, site: &Site, reserved_ids: HashSet<String>) -> Links {
    Links {
        urls: site
            .pages
            .iter()
            .map(|p| (p.rel.clone(), format!("{}{}", config.base_path, p.url_path)))
            .collect(),
        unloadable: site.unloadable.iter().cloned().collect(),
        reserved_ids,
        assets: site
            .assets
            .iter()
            .map(|a| {
                let url = format!("{}{}", config.base_path, context::encode_path(&a.out_path));
                (a.rel.clone(), url)
            })
            .collect(),
    }
}

/// Whether `links` are [`links_of`] the site, checked without building them.
fn same_links(links: &Links, config: &Config, site: &Site, reserved_ids: &HashSet<String>) -> bool {
    let at = |url: &String, path: &str| url.strip_prefix(config.base_path.as_str()) == Some(path);
    links.urls.len() == site.pages.len()
        && site
            .pages
            .iter()
            .all(|p| links.urls.get(&p.rel).is_some_and(|u| at(u, &p.url_path)))
        && links.unloadable.len() == site.unloadable.len()
        && site.unloadable.iter().all(|r| links.unloadable.contains(r))
        && links.reserved_ids == *reserved_ids
        && links.assets.len() == site.assets.len()
        && site.assets.iter().all(|a| {
            links
                .assets
                .get(&a.rel)
                .is_some_and(|u| at(u, &context::encode_path(&a.out_path)))
        })
}

/// The diagnostic of a Markdown problem in `source`: a warning when the
/// page is published all the same.
fn diagnostic(source: &std::path::Path, p: &markdown::Problem) -> Diagnostic {
    if p.warning {
        Diagnostic::warning(source, p.message.clone())
    } else {
        Diagnostic::error(source, p.message.clone())
    }
}

/// Renders one page's Markdown fields. `before` is the page's entry from
/// the last render: when the HTML came out the same, it keeps its version.
fn render_markdown(
    page: &Page,
    links: &Links,
    sanitize: bool,
    version: u64,
    before: Option<&MarkdownEntry>,
) -> MarkdownEntry {
    let mut problems = Vec::new();
    // Past the first problems of the page the rest are only counted: each
    // one placed is a pass over the text.
    let mut budget = FileBudget::default();
    let dir = page.rel.rfind('/').map_or("", |i| &page.rel[..=i]);
    // One set of ids for all the page's texts: an answer's heading must not
    // take the id of the body's.
    let mut ids = markdown::PageIds::new(links);
    let body = markdown::render_part(page.body(), links, sanitize, dir, &mut ids);
    for p in &body.problems {
        if !budget.admit(Severity::Error) {
            continue;
        }
        problems.push(
            diagnostic(&page.source, p)
                .with_hint(p.hint.clone())
                .at_offset(&page.text, page.body_offset + p.offset),
        );
    }
    let mut field = |name: &str, md: &str| -> String {
        if md.trim().is_empty() {
            return String::new();
        }
        let r = markdown::render_part(md, links, sanitize, dir, &mut ids);
        for p in &r.problems {
            if !budget.admit(Severity::Error) {
                continue;
            }
            let offset = page.text.find(md.lines().next().unwrap_or("")).unwrap_or(0);
            problems.push(
                diagnostic(&page.source, p)
                    .with_field(name)
                    .with_hint(p.hint.clone())
                    .at_offset(&page.text, offset),
            );
        }
        r.html
    };
    let mut html = PageHtml::default();
    if let Some(c) = page.challenge() {
        html.outcome = field("outcome", &c.outcome);
        html.instructions = field(
            "respond.instructions",
            c.respond.as_ref().map_or("", |r| r.instructions.as_str()),
        );
        html.updates = c
            .updates
            .iter()
            .map(|u| field("updates.text", &u.text))
            .collect();
        html.answers = c
            .questions
            .iter()
            .map(|q| field("questions.answer", &q.answer))
            .collect();
        html.events = c
            .events
            .iter()
            .map(|e| field("events.description", &e.description))
            .collect();
    }
    problems.extend(budget.summary(&page.source));
    html.content = body.html;
    let html_version = match before {
        Some(b) if *b.html == html => b.html_version,
        _ => memo::fresh_version(),
    };
    MarkdownEntry {
        version,
        html: Arc::new(html),
        html_version,
        anchors: body.anchors,
        anchor_refs: body.anchor_refs,
        problems,
    }
}

/// Reports `@/page.md#anchor` links whose anchor is not a heading there.
fn check_anchor_refs(
    page: &Page,
    refs: &[markdown::AnchorRef],
    anchors: &HashMap<&str, HashSet<&str>>,
    diagnostics: &mut Diagnostics,
) {
    let mut budget = FileBudget::default();
    for r in refs {
        // A set per page: searching a list of its headings for every link
        // made a page of many headings and links cost their product.
        let known = anchors.get(r.target.as_str());
        if known.is_some_and(|a| a.contains(r.anchor.as_str())) {
            continue;
        }
        if !budget.admit(Severity::Error) {
            continue;
        }
        let mut hint = "link to a heading that exists on that page; its anchor is the heading text in lower case with hyphens".to_string();
        if let Some(near) =
            known.and_then(|a| crate::diagnostics::suggest(&r.anchor, a.iter().copied()))
        {
            hint = format!("did you mean `#{near}`?");
        }
        diagnostics.push(
            Diagnostic::error(
                &page.source,
                format!(
                    "the link points to `#{}`, which is not a heading in {}",
                    r.anchor, r.target
                ),
            )
            .with_hint(hint)
            .at_offset(&page.text, page.body_offset + r.offset),
        );
    }
    diagnostics.extend(budget.summary(&page.source));
}

fn build_tera(theme: &Theme) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let mut problems = Vec::new();
    let sources: Vec<(&str, String, &Path)> = theme
        .templates
        .iter()
        .map(|(name, f)| {
            (
                name.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
                f.origin.as_path(),
            )
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s, _)| (*n, s.as_str()))) {
        let message = error_chain(&e);
        let origin = sources
            .iter()
            .find(|(n, _, _)| message.contains(*n))
            .map_or(Path::new("themes"), |(_, _, o)| *o);
        problems.push(
            Diagnostic::error(origin, format!("the template cannot be read: {message}"))
                .with_hint("check the Tera syntax near the place shown"),
        );
    }
    for required in [
        "index.html",
        "list.html",
        "challenge.html",
        "page.html",
        "taxonomy.html",
        "term.html",
        "404.html",
    ] {
        if !theme.templates.contains_key(required) {
            problems.push(Diagnostic::error(
                "themes",
                format!("the theme has no templates/{required}"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(tera)
    } else {
        Err(problems)
    }
}

/// A Tera error with its causes, on one line.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Copies the site's own `static/` folder to the output root. The folder
/// is walked by the rule of every site folder (see
/// [`crate::content::walk_folder`]): no links out of the site, no hidden
/// files. Scripts and style sheets are what it is for, so any type goes.
fn copy_site_static(root: &Path, outputs: &mut Vec<Output>, diagnostics: &mut Diagnostics) {
    let crate::content::Folder::Files(files) =
        crate::content::walk_folder(root, "static", diagnostics)
    else {
        return;
    };
    outputs.extend(files.into_iter().map(|file| Output {
        path: file.rel,
        data: OutputData::Copy(file.path),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_outputs_with_one_path_name_what_may_share_an_address() {
        let d = write_problem(
            "tags/x/index.html",
            WriteError::Duplicate("tags/x/index.html".into()),
        );
        assert_eq!(
            d.message,
            "two files would be written to /tags/x/index.html; a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"
        );
    }
}
