//! The Markdown step: every page's Markdown fields to HTML, and the links
//! between pages checked. Pure: it reads the loaded site and writes nothing.
//!
//! With a cache from the last run, a page whose version is unchanged and
//! whose link targets are where they were keeps its HTML; after a save of a
//! few pages that stay where they were, only those are rendered, and only
//! the links to their headings are checked again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::fresh_version;
use crate::config::Config;
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, FileBudget, Severity};
use crate::markdown::{self, AnchorRef, Links};
use crate::model::{PageHtml, PageId};
use crate::msg;

/// One page's Markdown as rendered, with what the checks across pages need.
#[derive(Debug)]
pub(crate) struct MarkdownEntry {
    /// The version of the page it was rendered from.
    version: u64,
    /// The HTML of each Markdown field.
    html: Arc<PageHtml>,
    /// Stays the same while `html` does, even when the page changed.
    html_version: u64,
    /// The ids of the page's headings.
    anchors: Vec<String>,
    /// Its links to headings on other pages.
    anchor_refs: Vec<AnchorRef>,
    /// Problems found in its Markdown.
    problems: Vec<Diagnostic>,
}

/// Every page's Markdown as last rendered, and the addresses its links
/// were resolved against.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    links: Links,
    sanitize: bool,
    /// By the page's `rel`; kept only by a cache that keeps.
    pages: HashMap<String, Arc<MarkdownEntry>>,
    /// The last render had no Markdown errors.
    clean: bool,
    /// The HTML of each page, by [`PageId`].
    pub(crate) html: Vec<Arc<PageHtml>>,
    /// For each page, a number that stays the same while its HTML does.
    pub(crate) html_versions: Vec<u64>,
}

/// What the Markdown step did.
#[derive(Debug, Default)]
pub struct MarkdownReport {
    /// Problems in the Markdown and the links.
    pub diagnostics: Diagnostics,
    /// Pages whose Markdown was rendered (the others were reused).
    pub rendered: usize,
    /// Only the changed pages were rendered: every other page's HTML is
    /// as it was.
    pub patched: bool,
}

/// Renders the Markdown of `site`'s pages (page `i` has `versions[i]`)
/// into `cache.html`, reusing what `cache` holds where it still fits.
/// `changed`: the only pages changed since the cache was filled, when each
/// kept its address. `keep`: fill the cache for the next run. This runs
/// even when some files failed to load, so one run reports every problem.
pub fn render(
    config: &Config,
    site: &Site,
    reserved_ids: HashSet<String>,
    versions: &[u64],
    cache: &mut MarkdownCache,
    changed: Option<&[PageId]>,
    keep: bool,
) -> MarkdownReport {
    if let Some(changed) = changed.filter(|_| keep && cache.clean)
        && let Some(report) = render_changed(config, site, &reserved_ids, versions, cache, changed)
    {
        return report;
    }
    render_all(config, site, reserved_ids, versions, cache, keep)
}

/// Every page: rendered, or taken from the cache when its version and link
/// targets are unchanged.
fn render_all(
    config: &Config,
    site: &Site,
    reserved_ids: HashSet<String>,
    versions: &[u64],
    cache: &mut MarkdownCache,
    keep: bool,
) -> MarkdownReport {
    let sanitize = config.sanitize_html;
    // The links of an unchanged set of pages are the last render's: taken
    // over rather than built again.
    let previous = std::mem::take(cache);
    let (links, mut previous_pages, reusable) =
        if keep && same_links(&previous.links, config, site, &reserved_ids) {
            (
                previous.links,
                previous.pages,
                previous.sanitize == sanitize,
            )
        } else {
            (links_of(config, site, reserved_ids), previous.pages, false)
        };
    let entries: Vec<(Arc<MarkdownEntry>, bool)> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let version = versions[i];
            let before = previous_pages.get(&page.rel);
            if let Some(entry) = before.filter(|e| reusable && e.version == version) {
                return (Arc::clone(entry), false);
            }
            let entry = render_page(page, &links, sanitize, version, before.map(Arc::as_ref));
            (Arc::new(entry), true)
        })
        .collect();
    let mut report = MarkdownReport {
        rendered: entries.iter().filter(|(_, fresh)| *fresh).count(),
        ..MarkdownReport::default()
    };
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
        report.diagnostics.extend(r.problems.iter().cloned());
        check_anchor_refs(page, &r.anchor_refs, &anchors, &mut report.diagnostics);
    }
    drop(anchors);
    cache.html = entries.iter().map(|(e, _)| Arc::clone(&e.html)).collect();
    cache.html_versions = entries.iter().map(|(e, _)| e.html_version).collect();
    cache.sanitize = sanitize;
    cache.clean = !report.diagnostics.has_errors();
    if keep {
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
        cache.links = links;
        cache.pages = previous_pages;
    }
    report
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

/// Renders the Markdown of pages `changed` alone, when nothing else changed
/// since the render that filled `cache`: the same pages at the same
/// addresses, and no errors then. Links from other pages to the changed
/// pages' headings are checked again when those headings changed. `None`,
/// with nothing touched, when the cache does not fit (settings or theme
/// changed what links resolve against).
fn render_changed(
    config: &Config,
    site: &Site,
    reserved_ids: &HashSet<String>,
    versions: &[u64],
    cache: &mut MarkdownCache,
    changed: &[PageId],
) -> Option<MarkdownReport> {
    if !cache_fits(config, site, reserved_ids, cache, changed) {
        return None;
    }
    let entries: Vec<(PageId, Arc<MarkdownEntry>)> = map_few(changed, |&id| {
        let page = site.page(id);
        let before = cache.pages.get(&page.rel).map(Arc::as_ref);
        let entry = render_page(
            page,
            &cache.links,
            cache.sanitize,
            versions[id.index()],
            before,
        );
        (id, Arc::new(entry))
    });
    // Pages whose headings changed: links to them from anywhere are checked.
    let mut moved: HashSet<&str> = HashSet::new();
    for (id, entry) in &entries {
        let rel = site.page(*id).rel.as_str();
        if cache
            .pages
            .get(rel)
            .is_none_or(|e| e.anchors != entry.anchors)
        {
            moved.insert(rel);
        }
    }
    let mut report = MarkdownReport {
        rendered: entries.len(),
        patched: true,
        ..MarkdownReport::default()
    };
    for (id, entry) in &entries {
        cache.html[id.index()] = Arc::clone(&entry.html);
        cache.html_versions[id.index()] = entry.html_version;
        cache
            .pages
            .insert(site.page(*id).rel.clone(), Arc::clone(entry));
    }
    let checked = links_to_check(site, cache, &entries, &moved);
    let mut anchors: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in checked.iter().flat_map(|(_, refs)| refs) {
        if let Some(entry) = cache.pages.get(&r.target) {
            anchors
                .entry(r.target.as_str())
                .or_insert_with(|| entry.anchors.iter().map(String::as_str).collect());
        }
    }
    for (_, entry) in &entries {
        report.diagnostics.extend(entry.problems.iter().cloned());
    }
    for (id, refs) in &checked {
        check_anchor_refs(site.page(*id), refs, &anchors, &mut report.diagnostics);
    }
    cache.clean = !report.diagnostics.has_errors();
    Some(report)
}

/// Whether `cache` can take the render of pages `changed` alone: the same
/// settings and reserved ids, as many pages, and each changed page still
/// at the address the cache knows it by.
fn cache_fits(
    config: &Config,
    site: &Site,
    reserved_ids: &HashSet<String>,
    cache: &MarkdownCache,
    changed: &[PageId],
) -> bool {
    let pages = site.pages.len();
    cache.sanitize == config.sanitize_html
        && cache.links.urls.len() == pages
        && cache.pages.len() == pages
        && cache.html.len() == pages
        && cache.links.reserved_ids == *reserved_ids
        && changed.iter().all(|&id| {
            let page = site.page(id);
            let url = cache.links.urls.get(&page.rel);
            url.and_then(|u| u.strip_prefix(config.base_path.as_str())) == Some(&page.url_path)
        })
}

/// The heading links to check after pages `entries` were rendered again:
/// all of theirs, and those of every other page that point to a page in
/// `moved` (whose headings changed).
fn links_to_check(
    site: &Site,
    cache: &MarkdownCache,
    entries: &[(PageId, Arc<MarkdownEntry>)],
    moved: &HashSet<&str>,
) -> Vec<(PageId, Vec<AnchorRef>)> {
    let mut checked: Vec<(PageId, Vec<AnchorRef>)> = entries
        .iter()
        .map(|(id, entry)| (*id, entry.anchor_refs.clone()))
        .collect();
    if moved.is_empty() {
        return checked;
    }
    let fresh: HashSet<PageId> = entries.iter().map(|(id, _)| *id).collect();
    for (i, page) in site.pages.iter().enumerate() {
        let id = PageId::new(i);
        let refs: Vec<AnchorRef> = cache
            .pages
            .get(&page.rel)
            .filter(|_| !fresh.contains(&id))
            .map(|e| e.anchor_refs.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|r| moved.contains(r.target.as_str()))
            .cloned()
            .collect();
        if !refs.is_empty() {
            checked.push((id, refs));
        }
    }
    checked
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
                let url = format!(
                    "{}{}",
                    config.base_path,
                    crate::escape::encode_path(&a.out_path)
                );
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
                .is_some_and(|u| at(u, &crate::escape::encode_path(&a.out_path)))
        })
}

/// Renders one page's Markdown fields. `before` is the page's entry from
/// the last render: when the HTML came out the same, it keeps its version.
fn render_page(
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
        problems.push(p.clone().placed(&page.source, &page.text, page.body_offset));
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
            // The field's Markdown is a front-matter value after its
            // quotes and escapes are read, so a span inside it is not one in
            // the file: the problem is placed at the value's first line.
            let offset = page.text.find(md.lines().next().unwrap_or("")).unwrap_or(0);
            let mut d = p.clone().with_field(name).at_offset(&page.text, offset);
            d.path = page.source.clone();
            problems.push(d);
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
        _ => fresh_version(),
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
        let (anchor, target) = (&r.anchor, &r.target);
        let hint = match known.and_then(|a| crate::diagnostics::suggest(anchor, a.iter().copied()))
        {
            Some(near) => msg!("menade du `#{near}`?", "did you mean `#{near}`?"),
            None => msg!(
                "länka till en rubrik som finns på den sidan; det som står efter `#` är rubrikens text med små bokstäver och bindestreck",
                "link to a heading that exists on that page; its anchor is the heading text in lower case with hyphens"
            ),
        };
        diagnostics.push(
            Diagnostic::error(
                &page.source,
                msg!(
                    "länken pekar på `#{anchor}`, som inte är en rubrik i {target}",
                    "the link points to `#{anchor}`, which is not a heading in {target}"
                ),
            )
            .with_code("missing-anchor")
            .with_hint(hint)
            .at_span(&page.text, r.span.shifted(page.body_offset)),
        );
    }
    diagnostics.extend(budget.summary(&page.source));
}
