//! Loading `content/`: walking the folder, splitting and parsing front matter,
//! validating fields and resolving deadlines into the [`Site`] model.

pub mod frontmatter;
pub mod model;
pub mod placeholder;
mod taxonomy;
mod walk;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

pub use model::*;
pub use taxonomy::{Taxonomy, stage_label, status_label};
pub use walk::{
    Folder, MAX_FILE_BYTES, SiteFile, Source, is_ignored_name, is_plain_relative, walk_folder,
};

use crate::address::{self, Allowed};
use crate::config::{Config, parse_lang};
use crate::diagnostics::{Diagnostic, Diagnostics, FileBudget, Msg, Severity, Span, suggest};
use crate::model::Lang;
use crate::text::{self, TextKind};
use crate::time::{self, Moment, Timestamp};
use frontmatter::{DateText, Fields, Format, Split, Step};

/// The folder of challenges inside `content/`.
pub const CHALLENGES_DIR: &str = "challenges";

/// The most different tags one challenge may have.
pub const MAX_TAGS: usize = 100;

/// How to load.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// The one clock of this build.
    pub now: Timestamp,
    /// Include drafts and pages whose `publish_date` is still ahead.
    pub drafts: bool,
}

/// Loads and validates every page under `root/content`. Problems are
/// collected; the site is only usable when they hold no error.
pub fn load(root: &Path, config: &Config, options: LoadOptions) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let (found, mut assets) = walk::walk(root, &mut diagnostics);

    let stage = crate::timing::Stage::start("read");
    // All files are read before any is parsed: the texts then lie together
    // in memory, apart from the many small values parsing makes. Reading
    // and parsing each file in one go took more memory and more time.
    let read: Vec<Result<Source, Diagnostic>> = found
        .into_par_iter()
        .map(|f| walk::read_source(&f.path, f.rel, f.shown))
        .collect();
    drop(stage);
    let stage = crate::timing::Stage::start("parse");
    let mut sources = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(source) => sources.push(source),
            Err(d) => diagnostics.push(d),
        }
    }
    let loaded: Vec<(Result<Page, String>, Vec<Diagnostic>)> = sources
        .into_par_iter()
        .map(|source| {
            let mut problems = Vec::new();
            let rel = source.rel.clone();
            let page = load_page(source, config, options, &mut problems).ok_or(rel);
            (page, problems)
        })
        .collect();
    drop(stage);

    let mut pages = Vec::with_capacity(loaded.len());
    let mut unloadable = Vec::new();
    for (page, problems) in loaded {
        diagnostics.extend(problems);
        match page {
            Ok(p) => pages.push(p),
            Err(rel) => unloadable.push(rel),
        }
    }

    place_assets(&pages, &mut assets);
    let reported = resolve_documents(&mut pages, &assets, config, &mut diagnostics);
    let mut held_back = Vec::new();
    if !options.drafts {
        held_back = pages
            .iter()
            .filter(|p| p.draft)
            .map(|p| p.rel.clone())
            .collect();
        held_back.sort();
        // A held-back folder page takes its files with it.
        let hidden = hidden_folders(&pages);
        assets.retain(|a| {
            // Every folder the file is in, `a/`, `a/b/`, …: one look-up each
            // rather than a comparison with every hidden folder.
            !a.rel
                .match_indices('/')
                .any(|(i, _)| hidden.contains(&a.rel[..=i]))
        });
        pages.retain(|p| !p.draft);
    }
    refuse_active_assets(&assets, &reported, config, &mut diagnostics);
    // Only the pages this build publishes: a draft may hold example text.
    let left: Vec<Vec<Diagnostic>> = pages.par_iter().map(placeholder::find).collect();
    diagnostics.extend(left.into_iter().flatten());
    find_url_collisions(&pages, &assets, &mut diagnostics);
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    find_process_id_collisions(&pages, config.language, &mut diagnostics);
    (
        Site {
            pages,
            assets,
            unloadable,
            held_back,
        },
        diagnostics,
    )
}

/// Reads one changed page of an already loaded site again, for a rebuild
/// that loads only what changed. Gives the page's index in `site.pages`,
/// the page and its problems; `None` when the change cannot be taken in
/// place and the whole site must be loaded: the file is gone or is not a
/// page there, it does not load, or its address, language, draft state or
/// stable `id` changed (other pages and the site's structure depend on those).
pub fn reload_page(
    root: &Path,
    config: &Config,
    options: LoadOptions,
    site: &Site,
    path: &Path,
) -> Option<(usize, Page, Vec<Diagnostic>)> {
    let content = root.join("content");
    let rel = path
        .strip_prefix(&content)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    if !rel.ends_with(".md") || rel.split('/').any(is_ignored_name) {
        return None;
    }
    let index = site.page_index(&rel)?;
    let old = &site.pages[index];
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let source = walk::read_source(path, rel, old.source.clone()).ok()?;
    let mut problems = Vec::new();
    let page = load_page(source, config, options, &mut problems)?;
    let mut diagnostics = Diagnostics(problems);
    let mut pages = [page];
    resolve_documents(&mut pages, &site.assets, config, &mut diagnostics);
    let [page] = pages;
    if options.drafts || !page.draft {
        diagnostics.extend(placeholder::find(&page));
    }
    // A changed stable id may collide with another challenge's, which only
    // a load of the whole site checks.
    let explicit_id = |p: &Page| p.challenge().map(|c| c.id.clone());
    let same_place = page.url_path == old.url_path
        && page.key == old.key
        && page.lang == old.lang
        && page.draft == old.draft
        && explicit_id(&page) == explicit_id(old)
        && (options.drafts || !page.draft);
    (same_place && !diagnostics.has_errors()).then_some((index, page, diagnostics.0))
}

/// Whether two loads of a page give the same page: same file text, same
/// place, same documents. Everything else on it is derived from these, the
/// settings and the clock.
pub fn same_page(a: &Page, b: &Page) -> bool {
    let documents = |p: &Page| p.challenge().map(|c| format!("{:?}", c.documents));
    a.rel == b.rel
        && a.source == b.source
        && a.url_path == b.url_path
        && a.key == b.key
        && a.lang == b.lang
        && a.draft == b.draft
        && a.text == b.text
        && documents(a) == documents(b)
}

/// Collects one file's problems, pointing into its text.
struct Reporter<'a> {
    source: &'a Source,
    text: &'a str,
    split: Option<Split<'a>>,
    problems: &'a mut Vec<Diagnostic>,
    /// Past the first problems of the file, the rest are only counted:
    /// placing each one reads the front matter again.
    budget: FileBudget,
    /// The front matter's keys and values with their spans, read when the
    /// first problem is placed in it (most files have none).
    fields: std::cell::OnceCell<Option<Fields>>,
}

impl Reporter<'_> {
    /// The span in the file of the value at `path` (of its key when `key`),
    /// or else of the nearest part of `path` that is written; `None`
    /// when not even the first key is.
    fn span(&self, path: &[Step<'_>], key: bool) -> Option<Span> {
        let split = self.split?;
        let fields = self
            .fields
            .get_or_init(|| Fields::read(split.format, split.front))
            .as_ref()?;
        let found = if key {
            fields.key(path)
        } else {
            fields.value(path)
        };
        let found =
            found.or_else(|| (1..path.len()).rev().find_map(|n| fields.value(&path[..n])))?;
        Some(found.shifted(split.front_offset))
    }

    /// Records `d`, at `span` (at the start of the file when unknown), if
    /// the file's budget admits it.
    fn push(&mut self, d: Diagnostic, span: Option<Span>) {
        if !self.budget.admit(d.severity) {
            return;
        }
        let d = d.at_span(self.text, span.unwrap_or(Span::at(0)));
        self.problems.push(d);
    }

    /// A problem with the value of a front-matter field (`path` like
    /// `["contact", "email"]`).
    fn report(
        &mut self,
        severity: Severity,
        path: &[&str],
        message: impl Into<Msg>,
        hint: impl Into<Msg>,
    ) {
        let steps: Vec<Step<'_>> = path.iter().map(|k| Step::Key(k)).collect();
        let span = self.span(&steps, false);
        let d = Diagnostic::new(severity, &self.source.shown, message)
            .with_field(path.join("."))
            .with_hint(hint);
        self.push(d, span);
    }

    /// An error at the value of a front-matter field.
    fn field(&mut self, path: &[&str], message: impl Into<Msg>, hint: impl Into<Msg>) {
        self.report(Severity::Error, path, message, hint);
    }

    /// A warning at the value of a front-matter field.
    fn warn(&mut self, path: &[&str], message: impl Into<Msg>, hint: impl Into<Msg>) {
        self.report(Severity::Warning, path, message, hint);
    }

    /// An error at a top-level key itself, such as one that is not a field.
    fn key(&mut self, key: &str, message: impl Into<Msg>, hint: impl Into<Msg>) {
        let span = self.span(&[Step::Key(key)], true);
        let d = Diagnostic::error(&self.source.shown, message)
            .with_field(key)
            .with_hint(hint);
        self.push(d, span);
    }

    /// An error at `field` of item `index` of list `list` (at the item
    /// itself when `field` is empty, as for a tag).
    fn item(
        &mut self,
        list: &str,
        index: usize,
        field: &str,
        message: impl Into<Msg>,
        hint: impl Into<Msg>,
    ) {
        let mut path = vec![Step::Key(list), Step::Item(index)];
        let name = if field.is_empty() {
            list.to_string()
        } else {
            path.push(Step::Key(field));
            format!("{list}.{field}")
        };
        let span = self.span(&path, false);
        let d = Diagnostic::error(&self.source.shown, message)
            .with_field(name)
            .with_hint(hint);
        self.push(d, span);
    }

    /// Checks the address `value` at `path` (named `field` in the
    /// message) as [`address::check_field`] does, with an `invalid-url`
    /// error at the value when it is not one a browser follows as meant.
    /// Gives whether the value may be published. An empty value, or one
    /// holding a control character (named by [`check_texts`]), is not
    /// checked again here.
    fn address(&mut self, path: &[Step<'_>], field: &str, value: &str, allowed: Allowed) -> bool {
        if value.is_empty() || has_controls(value) {
            return !has_controls(value);
        }
        let Some(problem) = address::check_field(value, allowed) else {
            return true;
        };
        let span = self.span(path, false);
        let d = Diagnostic::error(&self.source.shown, problem.message)
            .with_code(address::CODE)
            .with_field(field)
            .with_hint(problem.hint);
        self.push(d, span);
        false
    }

    /// An error at a byte offset of the file.
    fn at(&mut self, offset: usize, message: impl Into<Msg>, hint: impl Into<Msg>) {
        let d = Diagnostic::error(&self.source.shown, message).with_hint(hint);
        self.push(d, Some(Span::at(offset)));
    }
}

fn load_page(
    source: Source,
    config: &Config,
    options: LoadOptions,
    problems: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let text = source.text.as_str();
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            problems.push(e.placed(&source.shown, text, 0));
            return None;
        }
    };
    let mut r = Reporter {
        source: &source,
        text,
        split: Some(split),
        problems,
        budget: FileBudget::default(),
        fields: std::cell::OnceCell::new(),
    };
    let (key, suffix) = split_lang_suffix(&source.rel);
    let is_challenge =
        key.starts_with(&format!("{CHALLENGES_DIR}/")) && !key.ends_with("_index.md");
    let known = if is_challenge {
        CHALLENGE_FIELDS
    } else {
        PAGE_FIELDS
    };
    let page = if is_challenge {
        parse_meta::<ChallengeMeta>(&mut r, split, known).and_then(|mut meta| {
            check_texts(&mut r, meta.all_text_fields());
            let lang = page_lang(&mut r, suffix, meta.lang.as_deref(), config);
            let id = process_id_field(&mut r, meta.id.take());
            let mut page = load_challenge(&mut r, meta, lang, &key, config, options)?;
            if let PageKind::Challenge(c) = &mut page.kind {
                c.id = id;
            }
            Some(page)
        })
    } else {
        parse_meta::<PageMeta>(&mut r, split, known).and_then(|meta| {
            check_texts(&mut r, meta.all_text_fields());
            let lang = page_lang(&mut r, suffix, meta.lang.as_deref(), config);
            load_plain(&mut r, meta, lang, &key, config, options)
        })
    };
    // The body is Markdown: line breaks and tabs, but nothing XML forbids.
    if let Some((at, c)) = text::forbidden(split.body, TextKind::Multiline) {
        let (message, hint) = text::problem(TextKind::Multiline, c);
        r.at(split.body_offset + at, message, hint);
    }
    if let Some(d) = r.budget.summary(&source.shown) {
        r.problems.push(d);
    }
    let page = page?;
    let body_offset = split.body_offset;
    Some(Page {
        text: source.text,
        body_offset,
        key,
        ..page
    })
}

/// A challenge's `id` as written, when it has the form of one; the error
/// otherwise.
fn process_id_field(r: &mut Reporter<'_>, id: Option<String>) -> Option<String> {
    let id = id?;
    if is_process_id(&id) {
        return Some(id);
    }
    // A value with a control character was reported by `check_texts`.
    if !has_controls(&id) {
        let suggestion = slug::slugify(&id);
        let hint = if suggestion.is_empty() {
            "write lower-case letters and digits with hyphens between them, such as `id: klimat-2023`".to_string()
        } else {
            format!(
                "write lower-case letters and digits with hyphens between them, such as `id: {suggestion}`"
            )
        };
        r.field(
            &["id"],
            format!("`{id}` is not a stable id: it may hold lower-case letters, digits and single hyphens, at most 100 characters"),
            hint,
        );
    }
    None
}

/// Two contracting processes with the same stable id would share an OCID:
/// an error at the second, naming the first. A challenge and its
/// translations are one process and must not disagree on `id`.
fn find_process_id_collisions(pages: &[Page], default: Lang, diagnostics: &mut Diagnostics) {
    let mut groups: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in pages.iter().filter(|p| p.challenge().is_some()) {
        groups.entry(&page.key).or_default().push(page);
    }
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    for versions in groups.values() {
        let explicit: Vec<(&Page, &str)> = versions
            .iter()
            .filter_map(|p| Some((*p, p.challenge()?.id.as_deref()?)))
            .collect();
        if let [(first, a), .., (other, b)] = explicit[..]
            && a != b
        {
            diagnostics.push(
                Diagnostic::error(
                    &other.source,
                    format!("`id: {b}` differs from `id: {a}` in its translation `{}`", first.source.display()),
                )
                .with_field("id")
                .with_hint("a challenge and its translations are one process with one id: write the same `id` in each, or in one only"),
            );
        }
        let primary = versions
            .iter()
            .find(|p| p.lang == default)
            .unwrap_or(&versions[0]);
        let id = process_id_of(versions, primary);
        match seen.get(&id) {
            // Two pages at one address are reported as such.
            Some(other) if other.url_path == primary.url_path => {}
            Some(other) => diagnostics.push(
                Diagnostic::error(
                    &primary.source,
                    format!("the stable id `{id}` is also the id of `{}`; their OCIDs would be the same", other.source.display()),
                )
                .with_field("id")
                .with_hint("give one of them another `id`, such as `id: klimat-2024`; once published, an id should not change"),
            ),
            None => {
                seen.insert(id, primary);
            }
        }
    }
}

/// The front matter as `T`, with every top-level key that is not one of
/// `known` reported.
fn parse_meta<T: DeserializeOwned>(
    r: &mut Reporter<'_>,
    split: Split<'_>,
    known: &[&str],
) -> Option<T> {
    match frontmatter::parse::<T>(split.format, split.front) {
        Ok((meta, unknown)) => {
            report_unknown_fields(r, &unknown, known);
            Some(meta)
        }
        Err(e) => {
            // The typed reading stopped at the error: the keys are read
            // again, without types, so unknown ones are still reported.
            if let Ok(keys) = frontmatter::keys(split.format, split.front) {
                report_unknown_fields(r, &keys, known);
            }
            let hint = parse_error_hint(split.format, &e.message.en);
            let message = format!("the front matter cannot be read: {}", e.message.en);
            let span = e.span().map(|s| s.shifted(split.front_offset));
            let d = Diagnostic::error(&r.source.shown, message).with_hint(hint);
            r.push(d, span);
            None
        }
    }
}

/// The hint for a front matter its parser refused with `message`.
fn parse_error_hint(format: Format, message: &str) -> String {
    // The fields of the items of lists (`updates`, `contact`, …): an
    // unknown one stops the typed reading.
    const ITEM_FIELDS: [&str; 23] = [
        "date",
        "text",
        "question",
        "answer",
        "answered",
        "start",
        "end",
        "place",
        "description",
        "pay",
        "suppliers",
        "deadline",
        "questions_deadline",
        "name",
        "role",
        "email",
        "phone",
        "url",
        "instructions",
        "label",
        "value",
        "title",
        "file",
    ];
    match crate::config::unknown_name(message) {
        Some(name) => suggest(name, ITEM_FIELDS).map_or_else(
            || "remove the field or check its spelling".to_string(),
            |n| format!("did you mean `{n}`?"),
        ),
        None if format == Format::Yaml => {
            "check the indentation and put text containing `:` or `#` in quotes".into()
        }
        None => "check the TOML syntax: text in quotes, one `key = value` per line".into(),
    }
}

/// Reports each text field holding a character its kind of field may not
/// hold (see [`crate::text`]): at the field, or for an item of a list after
/// the list's key, at the text before the character.
fn check_texts(r: &mut Reporter<'_>, fields: Vec<TextField<'_>>) {
    for f in fields {
        // A YAML block scalar (`summary: >`) ends in a line break that is
        // trimmed away; only line ends at the very end are let through.
        let value = match f.kind {
            TextKind::Line => f.value.trim_end_matches(['\n', '\r']),
            TextKind::Multiline => f.value,
        };
        let Some((_, c)) = text::forbidden(value, f.kind) else {
            continue;
        };
        let (message, hint) = text::problem(f.kind, c);
        match f.item {
            None => r.field(&f.path, message, hint),
            Some(i) => {
                let message = format!("item {} of `{}`: {message}", i + 1, f.path[0]);
                let inner = f.path.get(1).copied().unwrap_or("");
                r.item(f.path[0], i, inner, message, hint);
            }
        }
    }
}

fn report_unknown_fields(r: &mut Reporter<'_>, keys: &[String], known: &[&str]) {
    for key in keys.iter().filter(|k| !known.contains(&k.as_str())) {
        let hint = match suggest(key, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known fields are: {}", known.join(", ")),
        };
        r.key(key, format!("unknown field `{key}`"), hint);
    }
}

fn required(r: &mut Reporter<'_>, value: Option<String>, field: &str, example: &str) -> String {
    match value.map(|v| v.trim().to_string()) {
        Some(v) if !v.is_empty() => v,
        Some(_) => {
            r.field(
                &[field],
                format!("`{field}` is empty"),
                format!("write it, e.g. `{example}`"),
            );
            String::new()
        }
        None => {
            r.field(
                &[field],
                format!("missing required field `{field}`"),
                format!("add a line such as `{example}` to the front matter"),
            );
            String::new()
        }
    }
}

/// Splits a language suffix off a file name: `om.en.md` → (`om.md`, `en`).
pub fn split_lang_suffix(rel: &str) -> (String, Option<&str>) {
    let Some(stem) = rel.strip_suffix(".md") else {
        return (rel.to_string(), None);
    };
    match stem.rsplit_once('.') {
        Some((base, code))
            if code.len() == 2
                && code.bytes().all(|b| b.is_ascii_lowercase())
                && !base.ends_with('/')
                && !base.is_empty() =>
        {
            (format!("{base}.md"), Some(code))
        }
        _ => (rel.to_string(), None),
    }
}

/// The page's language: from the file name (`om.en.md`), else the `lang`
/// field, else the site's default.
fn page_lang(
    r: &mut Reporter<'_>,
    suffix: Option<&str>,
    lang: Option<&str>,
    config: &Config,
) -> crate::model::Lang {
    if let Some(code) = suffix {
        match parse_lang(code) {
            Some(l) if config.languages.contains(&l) => {
                if lang.is_some_and(|written| parse_lang(written) != Some(l)) {
                    r.field(
                        &["lang"],
                        format!("the file name says `{code}` but `lang` says otherwise"),
                        "remove `lang`: the file name decides a translation's language",
                    );
                }
                return l;
            }
            _ => {
                r.at(
                    0,
                    format!("`.{code}.md`: `{code}` is not a language of this site"),
                    "list it in site.toml, e.g. `languages = [\"sv\", \"en\"]`, or rename the file",
                );
                return config.language;
            }
        }
    }
    match lang {
        None => config.language,
        Some(code) => match parse_lang(code) {
            Some(l) if config.languages.contains(&l) => l,
            _ => {
                r.field(
                    &["lang"],
                    format!("`{code}` is not a language of this site"),
                    "use \"sv\" or \"en\", and list extra languages in site.toml `languages`",
                );
                config.language
            }
        },
    }
}

/// Whether a page is held back: a draft, or a `publish_date` still ahead.
fn held_back(
    r: &mut Reporter<'_>,
    draft: bool,
    publish_date: Option<&DateText>,
    zone: &time::TimeZone,
    now: Timestamp,
) -> bool {
    let scheduled = publish_date.and_then(|d| match time::resolve_start(&d.0, zone) {
        Ok(m) => Some(m.zoned.timestamp() > now),
        Err(e) => {
            r.field(&["publish_date"], e.message, e.hint);
            None
        }
    });
    draft || scheduled == Some(true)
}

fn load_plain(
    r: &mut Reporter<'_>,
    meta: PageMeta,
    lang: crate::model::Lang,
    key: &str,
    config: &Config,
    options: LoadOptions,
) -> Option<Page> {
    let title = required(r, meta.title, "title", "title: Om portalen");
    let draft = held_back(
        r,
        meta.draft,
        meta.publish_date.as_ref(),
        &config.timezone,
        options.now,
    );
    let rel = r.source.rel.clone();
    let kind = if key == "_index.md" {
        PageKind::Home
    } else if key == format!("{CHALLENGES_DIR}/_index.md") {
        PageKind::ChallengeList
    } else {
        PageKind::Plain
    };
    let url_path = url_path_for(r, key, lang, config, meta.slug.as_deref());
    Some(Page {
        source: r.source.shown.clone(),
        rel,
        key: String::new(),
        url_path,
        kind,
        title,
        summary: meta.summary.trim().to_string(),
        lang,
        weight: meta.weight,
        menu: meta.menu,
        draft,
        text: String::new(),
        body_offset: 0,
    })
}

/// A challenge page, from its front matter: each group of fields is read
/// and checked by a step of its own, then the deadlines are moved by the
/// amendments and the status is computed from the build's clock.
fn load_challenge(
    r: &mut Reporter<'_>,
    mut meta: ChallengeMeta,
    lang: crate::model::Lang,
    key: &str,
    config: &Config,
    options: LoadOptions,
) -> Option<Page> {
    let title = required(
        r,
        meta.title.take(),
        "title",
        "title: Minska klimatavtrycket",
    );
    let summary = load_summary(r, meta.summary.take());
    let buyer = required(r, meta.buyer.take(), "buyer", "buyer: Helsingborgs stad");
    let stage = load_stage(r, meta.stage.take());
    let (zone, timezone) = load_zone(r, meta.timezone.as_deref(), config);
    let dates = load_dates(r, &meta, stage, &zone, config);
    let contact = meta.contact.map(|c| load_contact(r, c));
    let respond = meta.respond.map(|resp| load_respond(r, resp));
    check_cpv(r, &meta.cpv);
    let tags = load_tags(r, &meta.tags);
    let category = meta
        .category
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    check_outcome(r, meta.outcome.is_some(), stage);
    let documents = load_documents(r, meta.documents);
    let lifecycle = load_lifecycle(
        r,
        &meta.updates,
        dates.deadline,
        dates.questions_deadline,
        &zone,
        config.deadline_time,
    );
    let questions = load_questions(r, meta.questions, &zone);
    let events = load_events(r, meta.events, &zone);
    let phases = load_phases(r, meta.phases, &zone, config.deadline_time);
    let draft = held_back(
        r,
        meta.draft,
        meta.publish_date.as_ref(),
        &zone,
        options.now,
    );
    let url_path = url_path_for(r, key, lang, config, meta.slug.as_deref());
    let status = challenge_status(r, stage, &dates.opens, &lifecycle.deadline, config, options);
    Some(Page {
        source: r.source.shown.clone(),
        rel: r.source.rel.clone(),
        key: String::new(),
        url_path,
        kind: PageKind::Challenge(Box::new(Challenge {
            id: None,
            buyer,
            stage,
            published: dates.published?,
            opens: dates.opens,
            deadline: lifecycle.deadline,
            questions_deadline: lifecycle.questions_deadline,
            timezone,
            status,
            contact,
            respond,
            compensation: meta
                .compensation
                .map(|c| c.0.trim().to_string())
                .unwrap_or_default(),
            facts: meta.facts,
            documents,
            tags,
            category,
            cpv: meta.cpv,
            outcome: meta.outcome.unwrap_or_default(),
            updates: lifecycle.updates,
            questions,
            events,
            phases,
            deadline_sequence: lifecycle.deadline_sequence,
            questions_deadline_sequence: lifecycle.questions_deadline_sequence,
        })),
        title,
        summary,
        lang,
        weight: 0,
        menu: false,
        draft,
        text: String::new(),
        body_offset: 0,
    })
}

/// The required `summary`, with a warning when it is too long for a card.
fn load_summary(r: &mut Reporter<'_>, summary: Option<String>) -> String {
    let summary = required(
        r,
        summary,
        "summary",
        "summary: En mening om vad som efterfrågas.",
    );
    let length = summary.chars().count();
    if length > 300 {
        r.warn(
            &["summary"],
            format!("the summary is {length} characters long"),
            "keep it under 300 characters; put the details in the text below the front matter",
        );
    }
    summary
}

/// The required `stage`; `need` (after reporting) when it is missing or
/// unknown, so the other fields are still checked.
fn load_stage(r: &mut Reporter<'_>, stage: Option<String>) -> Stage {
    let written = required(r, stage, "stage", "stage: rfi");
    if written.is_empty() {
        return Stage::Need;
    }
    Stage::parse(&written).unwrap_or_else(|| {
        let keys = Stage::ALL.map(Stage::key);
        let hint = match suggest(&written, keys) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", keys.join(", ")),
        };
        r.field(&["stage"], format!("unknown stage `{written}`"), hint);
        Stage::Need
    })
}

/// The challenge's time zone and its name: its own `timezone`, else the
/// site's (also after reporting an unknown one).
fn load_zone(
    r: &mut Reporter<'_>,
    name: Option<&str>,
    config: &Config,
) -> (time::TimeZone, String) {
    let site = || (config.timezone.clone(), config.timezone_name.clone());
    match name {
        None => site(),
        Some(name) => match time::parse_zone(name) {
            Ok(z) => (z, name.to_string()),
            Err(e) => {
                r.field(&["timezone"], e.message, e.hint);
                site()
            }
        },
    }
}

/// The dates of a challenge as written, before amendments move them.
struct Dates {
    published: Option<Moment>,
    opens: Option<Moment>,
    deadline: Option<Moment>,
    questions_deadline: Option<Moment>,
}

/// Resolves the dates in `zone` and checks that they are there when the
/// stage needs them and come in order.
fn load_dates(
    r: &mut Reporter<'_>,
    meta: &ChallengeMeta,
    stage: Stage,
    zone: &time::TimeZone,
    config: &Config,
) -> Dates {
    let mut moment = |field: &str, value: Option<&DateText>, end_of_day: bool| -> Option<Moment> {
        let value = value?;
        let resolved = if end_of_day {
            time::resolve(&value.0, zone, config.deadline_time)
        } else {
            time::resolve_start(&value.0, zone)
        };
        resolved
            .map_err(|e| r.field(&[field], e.message, e.hint))
            .ok()
    };
    let dates = Dates {
        published: moment("published", meta.published.as_ref(), false),
        opens: moment("opens", meta.opens.as_ref(), false),
        deadline: moment("deadline", meta.deadline.as_ref(), true),
        questions_deadline: moment("questions_deadline", meta.questions_deadline.as_ref(), true),
    };
    if meta.published.is_none() {
        r.field(
            &["published"],
            "missing required field `published`",
            "add the publication date, e.g. `published: 2023-06-15`",
        );
    }
    if stage.needs_deadline() && meta.deadline.is_none() {
        r.field(
            &["deadline"],
            format!("a challenge at the `{}` stage needs a `deadline`", stage.key()),
            "add the last answer date, e.g. `deadline: 2023-08-31` (23:59 that day) or `deadline: 2023-08-31T12:00`",
        );
    }
    let before = |a: &Option<Moment>, b: &Option<Moment>| match (a, b) {
        (Some(a), Some(b)) => Some(a.zoned.timestamp().cmp(&b.zoned.timestamp())),
        _ => None,
    };
    if before(&dates.opens, &dates.deadline).is_some_and(|o| o.is_ge()) {
        r.field(
            &["opens"],
            "`opens` is not before `deadline`",
            "a challenge must open before its deadline; check both dates",
        );
    }
    if before(&dates.questions_deadline, &dates.deadline).is_some_and(|o| o.is_gt()) {
        r.field(
            &["questions_deadline"],
            "`questions_deadline` is after `deadline`",
            "questions must be asked before answers are due",
        );
    }
    dates
}

fn load_contact(r: &mut Reporter<'_>, mut c: Contact) -> Contact {
    c.name = c.name.trim().to_string();
    c.email = c.email.trim().to_string();
    if c.name.is_empty() {
        r.field(
            &["contact", "name"],
            "the contact has no name",
            "write `name: Anna Andersson` under `contact`",
        );
    }
    if !c.email.is_empty() && !has_controls(&c.email) && !looks_like_email(&c.email) {
        r.field(
            &["contact", "email"],
            format!("`{}` does not look like an e-mail address", c.email),
            "write it as name@example.se",
        );
    }
    c
}

fn load_respond(r: &mut Reporter<'_>, mut resp: Respond) -> Respond {
    resp.url = resp.url.trim().to_string();
    let allowed = Allowed {
        mailto: true,
        tel: false,
    };
    let path = [Step::Key("respond"), Step::Key("url")];
    r.address(&path, "respond.url", &resp.url, allowed);
    if resp.url.is_empty() && resp.instructions.trim().is_empty() {
        r.field(
            &["respond"],
            "`respond` is empty",
            "give a `url` or `instructions`, or both",
        );
    }
    resp
}

fn check_cpv(r: &mut Reporter<'_>, codes: &[String]) {
    for (i, code) in codes.iter().enumerate() {
        if !is_cpv(code) {
            r.item(
                "cpv",
                i,
                "",
                format!("`{code}` is not a CPV code"),
                "write CPV codes as eight digits, a hyphen and a check digit, e.g. 72000000-5",
            );
        }
    }
}

/// The tags, trimmed, each once, at most [`MAX_TAGS`].
fn load_tags(r: &mut Reporter<'_>, written: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    // Seen tags by name: comparing each tag with every earlier one made a
    // long list cost its length squared.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (i, tag) in written.iter().map(|t| t.trim()).enumerate() {
        if tag.is_empty() {
            r.item("tags", i, "", "a tag is empty", "remove the empty entry");
        } else if slug::slugify(tag).is_empty() {
            r.item(
                "tags",
                i,
                "",
                format!("the tag `{tag}` has no letters or digits"),
                "use a word",
            );
        } else if seen.insert(tag) {
            tags.push(tag.to_string());
        }
    }
    if tags.len() > MAX_TAGS {
        // No real challenge has this many, and a theme that shows a card's
        // tags on every list holding the card (tag pages included) would
        // make n tags into n pages of n links.
        r.field(
            &["tags"],
            format!(
                "the challenge has {} different tags; at most {MAX_TAGS} are allowed",
                tags.len()
            ),
            "keep the tags suppliers search and filter by; the text can say the rest",
        );
        tags.truncate(MAX_TAGS);
    }
    tags
}

fn check_outcome(r: &mut Reporter<'_>, has_outcome: bool, stage: Stage) {
    if has_outcome
        && !matches!(
            stage,
            Stage::Implementation | Stage::Cancelled | Stage::Pilot
        )
    {
        r.warn(
            &["outcome"],
            format!("an `outcome` at the `{}` stage", stage.key()),
            "an outcome is shown for challenges at the implementation, pilot or cancelled stage",
        );
    }
}

/// The documents with a file or a safe web address; files are found and
/// measured later, when every file of the site is known.
fn load_documents(r: &mut Reporter<'_>, metas: Vec<DocumentMeta>) -> Vec<Document> {
    let mut out = Vec::new();
    for (i, d) in metas.into_iter().enumerate() {
        let target = match (d.file, d.url) {
            (Some(file), None) => DocumentTarget::File {
                out_path: file,
                size: 0,
                kind: String::new(),
            },
            (None, Some(url)) => {
                let url = url.trim().to_string();
                let path = [Step::Key("documents"), Step::Item(i), Step::Key("url")];
                if url.is_empty() || !r.address(&path, "documents.url", &url, Allowed::WEB) {
                    if url.is_empty() {
                        document_without_target(r, i, &d.title);
                    }
                    continue;
                }
                DocumentTarget::Url(url)
            }
            _ => {
                document_without_target(r, i, &d.title);
                continue;
            }
        };
        out.push(Document {
            title: d.title,
            target,
        });
    }
    out
}

/// The error for document `i` without exactly one of `file` and `url`.
fn document_without_target(r: &mut Reporter<'_>, i: usize, title: &str) {
    r.item(
        "documents",
        i,
        "",
        format!(
            "document {} (`{title}`) needs exactly one of `file` and `url`",
            i + 1
        ),
        "write `file: name.pdf` for a file in the challenge folder, or `url: https://…`",
    );
}

/// The status from the build's clock, and a warning when a passed deadline
/// leaves the page inviting answers.
fn challenge_status(
    r: &mut Reporter<'_>,
    stage: Stage,
    opens: &Option<Moment>,
    deadline: &Option<Moment>,
    config: &Config,
    options: LoadOptions,
) -> time::Status {
    if stage == Stage::Cancelled {
        return time::Status::Closed;
    }
    let status = time::status(
        options.now,
        opens.as_ref().map(|m| m.zoned.timestamp()),
        deadline.as_ref().map(|m| m.zoned.timestamp()),
        config.closing_soon_days,
    );
    // The status is computed, but the stage is written by hand: a passed
    // deadline at a stage that invites answers means the page still tells
    // suppliers to answer something that is over.
    if stage.needs_deadline() && status == time::Status::Closed {
        let next = match stage {
            Stage::Rfi => "dialogue",
            _ => "concept",
        };
        r.warn(
            &["stage"],
            format!(
                "the deadline has passed but the stage is still `{}`",
                stage.key()
            ),
            format!(
                "move it on, e.g. `stage: {next}`, or `stage: cancelled`; if the deadline was extended, add an amendment under `updates` with the new `deadline`"
            ),
        );
    }
    status
}

/// The deadlines after every amendment, and the amendments themselves.
struct Lifecycle {
    deadline: Option<Moment>,
    questions_deadline: Option<Moment>,
    updates: Vec<Update>,
    deadline_sequence: u32,
    questions_deadline_sequence: u32,
}

fn resolve_item(
    r: &mut Reporter<'_>,
    (list, index): (&str, usize),
    field: &str,
    value: &DateText,
    zone: &time::TimeZone,
    end_of_day: Option<time::Time>,
) -> Option<Moment> {
    let resolved = match end_of_day {
        Some(t) => time::resolve(&value.0, zone, t),
        None => time::resolve_start(&value.0, zone),
    };
    resolved
        .map_err(|e| r.item(list, index, field, e.message, e.hint))
        .ok()
}

fn load_lifecycle(
    r: &mut Reporter<'_>,
    metas: &[UpdateMeta],
    deadline: Option<Moment>,
    questions_deadline: Option<Moment>,
    zone: &time::TimeZone,
    end_of_day: time::Time,
) -> Lifecycle {
    let mut l = Lifecycle {
        deadline,
        questions_deadline,
        updates: Vec::new(),
        deadline_sequence: 0,
        questions_deadline_sequence: 0,
    };
    let mut dated: Vec<(Moment, usize, &UpdateMeta)> = metas
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let date = resolve_item(r, ("updates", i), "date", &m.date, zone, None)?;
            Some((date, i, m))
        })
        .collect();
    // Amendments apply in date order, whatever order they were written in.
    dated.sort_by_key(|(d, _, _)| d.zoned.timestamp());
    for (date, i, m) in dated {
        if m.text.trim().is_empty() && m.deadline.is_none() && m.questions_deadline.is_none() {
            r.item(
                "updates",
                i,
                "text",
                "the amendment says nothing",
                "add `text:` saying what changed",
            );
        }
        let mut moved =
            |value: &Option<DateText>, field: &str, current: &mut Option<Moment>, seq: &mut u32| {
                let value = value.as_ref()?;
                let new = resolve_item(r, ("updates", i), field, value, zone, Some(end_of_day))?;
                let old = current.replace(new.clone());
                *seq += 1;
                Some((old, new))
            };
        let deadline = moved(
            &m.deadline,
            "deadline",
            &mut l.deadline,
            &mut l.deadline_sequence,
        );
        let questions_deadline = moved(
            &m.questions_deadline,
            "questions_deadline",
            &mut l.questions_deadline,
            &mut l.questions_deadline_sequence,
        );
        l.updates.push(Update {
            date,
            text: m.text.trim().to_string(),
            deadline,
            questions_deadline,
        });
    }
    l
}

fn load_questions(
    r: &mut Reporter<'_>,
    metas: Vec<QuestionMeta>,
    zone: &time::TimeZone,
) -> Vec<Question> {
    let mut out = Vec::new();
    for (i, m) in metas.into_iter().enumerate() {
        let asked = resolve_item(r, ("questions", i), "date", &m.date, zone, None);
        let answered = m
            .answered
            .as_ref()
            .and_then(|a| resolve_item(r, ("questions", i), "answered", a, zone, None));
        if m.question.trim().is_empty() {
            r.item(
                "questions",
                i,
                "question",
                format!("question {} is empty", i + 1),
                "write the question as asked",
            );
        }
        if let (Some(q), Some(a)) = (&asked, &answered)
            && a.zoned.timestamp() < q.zoned.timestamp()
        {
            r.item(
                "questions",
                i,
                "answered",
                format!("question {} is answered before it was asked", i + 1),
                "check both dates",
            );
        }
        if let Some(asked) = asked {
            out.push(Question {
                question: m.question.trim().to_string(),
                answer: m.answer,
                asked,
                answered,
                anchor: format!("fraga-{}", i + 1),
            });
        }
    }
    out
}

fn load_events(r: &mut Reporter<'_>, metas: Vec<EventMeta>, zone: &time::TimeZone) -> Vec<Event> {
    let mut out = Vec::new();
    for (i, m) in metas.into_iter().enumerate() {
        let Some(start) = resolve_item(r, ("events", i), "start", &m.start, zone, None) else {
            continue;
        };
        let end = match &m.end {
            Some(e) => resolve_item(r, ("events", i), "end", e, zone, None),
            // A meeting without an end is shown as one hour long.
            None => start
                .zoned
                .checked_add(jiff::SignedDuration::from_hours(1))
                .ok()
                .map(|zoned| Moment {
                    zoned,
                    written: start.written,
                }),
        };
        let Some(end) = end else { continue };
        if end.zoned.timestamp() <= start.zoned.timestamp() {
            let field = if m.end.is_some() { "end" } else { "start" };
            r.item(
                "events",
                i,
                field,
                format!("the meeting `{}` ends before it starts", m.title),
                "check `start` and `end`",
            );
            continue;
        }
        let path = [Step::Key("events"), Step::Item(i), Step::Key("url")];
        if !r.address(&path, "events.url", m.url.trim(), Allowed::WEB) {
            continue;
        }
        out.push(Event {
            title: m.title.trim().to_string(),
            start,
            end,
            place: m.place.trim().to_string(),
            url: m.url.trim().to_string(),
            description: m.description,
        });
    }
    out.sort_by_key(|e| e.start.zoned.timestamp());
    out
}

fn load_phases(
    r: &mut Reporter<'_>,
    metas: Vec<PhaseMeta>,
    zone: &time::TimeZone,
    end_of_day: time::Time,
) -> Vec<Phase> {
    let mut out = Vec::new();
    for (i, m) in metas.into_iter().enumerate() {
        let start = resolve_item(r, ("phases", i), "start", &m.start, zone, None);
        let end = resolve_item(r, ("phases", i), "end", &m.end, zone, Some(end_of_day));
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end.zoned.timestamp() < start.zoned.timestamp() {
            r.item(
                "phases",
                i,
                "end",
                format!("the phase `{}` ends before it starts", m.name),
                "check `start` and `end`",
            );
            continue;
        }
        out.push(Phase {
            name: m.name.trim().to_string(),
            start,
            end,
            pay: m.pay.trim().to_string(),
            suppliers: m.suppliers.trim().to_string(),
        });
    }
    out
}

/// The output folder of a page: its path under `content/` with each part
/// slugified (`Klimat Åtgärder.md` → `klimat-atgarder/`), the last part
/// replaced by `slug` when given.
fn url_path_for(
    r: &mut Reporter<'_>,
    rel: &str,
    lang: crate::model::Lang,
    config: &Config,
    slug_override: Option<&str>,
) -> String {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let file = parts.pop().unwrap_or("");
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let mut segments: Vec<String> = parts.iter().map(slug::slugify).collect();
    let own = match slug_override {
        Some(s) => {
            let slugged = slug::slugify(s);
            if slugged.is_empty() {
                r.field(
                    &["slug"],
                    format!("`{s}` has no letters or digits"),
                    "write a slug such as `klimat-rfi`",
                );
            } else if slugged != s {
                r.warn(
                    &["slug"],
                    format!("the slug `{s}` is used as `{slugged}`"),
                    format!("write `slug: {slugged}` to make the address explicit"),
                );
            }
            Some(slugged)
        }
        None if stem == "index" || stem == "_index" => None,
        None => Some(slug::slugify(stem)),
    };
    match own {
        Some(s) if slug_override.is_some() && (stem == "index" || stem == "_index") => {
            // A folder page renames its folder.
            if let Some(last) = segments.last_mut() {
                *last = s;
            } else {
                segments.push(s);
            }
        }
        Some(s) => segments.push(s),
        None => {}
    }
    if segments.iter().any(String::is_empty) {
        r.at(
            0,
            format!("`{rel}` gives an empty web address part"),
            "rename the file or folder with letters or digits, or set `slug`",
        );
    }
    // Translations live under their language's folder: /en/om/.
    if lang != config.language {
        segments.insert(0, crate::config::lang_code(lang).to_string());
    }
    segments.iter().map(|s| format!("{s}/")).collect()
}

/// The folders (ending in `/`) whose files are held back with their page:
/// each holds a folder page (`index.md`) and only held-back pages, so no
/// published page there could show its files.
///
/// One pass over the pages: asking this of each draft's folder by walking
/// every page made a site with many drafts cost drafts × pages.
fn hidden_folders(pages: &[Page]) -> std::collections::HashSet<String> {
    // Folder → (every page directly in it held back, one is a folder page).
    let mut folders: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for p in pages {
        let Some(slash) = p.rel.rfind('/') else {
            continue;
        };
        let entry = folders.entry(&p.rel[..=slash]).or_insert((true, false));
        entry.0 &= p.draft;
        entry.1 |= p.key.ends_with("/index.md");
    }
    folders
        .into_iter()
        .filter(|(_, (all_held_back, has_folder_page))| *all_held_back && *has_folder_page)
        .map(|(dir, _)| dir.to_string())
        .collect()
}

/// Gives each asset its output path: beside the page whose folder holds it.
fn place_assets(pages: &[Page], assets: &mut [Asset]) {
    let folder_urls: BTreeMap<&str, &str> = pages
        .iter()
        .filter_map(|p| {
            let dir = p.rel.strip_suffix("index.md")?;
            if dir.ends_with('_') {
                return None;
            }
            Some((dir, p.url_path.as_str()))
        })
        .collect();
    for asset in assets.iter_mut() {
        let (dir, name) = match asset.rel.rfind('/') {
            Some(i) => (&asset.rel[..=i], &asset.rel[i + 1..]),
            None => ("", asset.rel.as_str()),
        };
        let out_dir = match folder_urls.get(dir) {
            Some(url) => url.to_string(),
            None => dir
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| format!("{}/", slug::slugify(s)))
                .collect(),
        };
        asset.out_path = format!("{out_dir}{name}");
    }
}

/// Checks that each listed file exists beside its challenge, is not hidden
/// and is not of a type that runs in the browser, and records where it is
/// published. Gives the files (by `rel`) refused for their type, whose
/// error is then at the document rather than at the file.
fn resolve_documents(
    pages: &mut [Page],
    assets: &[Asset],
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> std::collections::HashSet<String> {
    let mut refused = std::collections::HashSet::new();
    let by_rel: BTreeMap<&str, &Asset> = assets.iter().map(|a| (a.rel.as_str(), a)).collect();
    for page in pages.iter_mut() {
        let dir = match page.rel.rfind('/') {
            Some(i) => page.rel[..=i].to_string(),
            None => String::new(),
        };
        let PageKind::Challenge(challenge) = &mut page.kind else {
            continue;
        };
        for doc in &mut challenge.documents {
            let DocumentTarget::File {
                out_path,
                size,
                kind,
            } = &mut doc.target
            else {
                continue;
            };
            let written = out_path.clone();
            let problem = if !walk::is_plain_relative(&written) {
                Some((
                    format!("`{written}` is not a file name inside the challenge's folder"),
                    "name a file beside the challenge, such as `file: fragor.pdf`; `..`, `/` at the start and drive letters are not allowed".to_string(),
                ))
            } else if written.split('/').any(|part| part.starts_with('.')) {
                // The walk leaves hidden files out, so without this the
                // message would say that a file right there does not exist.
                Some((
                    format!(
                        "`{written}` is hidden (a part of its path starts with `.`); hidden files are never published"
                    ),
                    "rename the file so that no part of its path starts with `.`".to_string(),
                ))
            } else if let Some((message, hint)) = active_problem(&written, config) {
                refused.insert(format!("{dir}{written}"));
                Some((message, hint))
            } else {
                match by_rel.get(format!("{dir}{written}").as_str()) {
                    Some(asset) => {
                        *out_path = asset.out_path.clone();
                        *size = asset.size;
                        *kind = Path::new(&written)
                            .extension()
                            .map(|e| e.to_string_lossy().to_uppercase())
                            .unwrap_or_default();
                        None
                    }
                    None => Some((
                        format!("the document `{written}` does not exist"),
                        "put the file in the same folder as the challenge's Markdown file, or fix the name".to_string(),
                    )),
                }
            };
            if let Some((message, hint)) = problem {
                let span = frontmatter::fields_of(&page.text).and_then(|(fields, offset)| {
                    Some(
                        fields
                            .find_item("documents", "file", &written)?
                            .shifted(offset),
                    )
                });
                diagnostics.push(
                    Diagnostic::error(&page.source, message)
                        .with_field("documents.file")
                        .with_hint(hint)
                        .at_span(&page.text, span.unwrap_or(Span::at(0))),
                );
            }
        }
    }
    refused
}

/// The message and hint when a file named `name` (a path under
/// `content/`) is of a type that runs in the browser and the site has not
/// allowed that type.
fn active_problem(name: &str, config: &Config) -> Option<(String, String)> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let (ext, what) = crate::filetypes::active_extension(file)?;
    if config.allow_active_files.contains(&ext) {
        return None;
    }
    Some((
        format!(
            "`{file}` is {what} (`.{ext}`); a browser would run it as part of the portal, so it is not published"
        ),
        format!(
            "publish it as PDF (or as PNG, JPEG or plain text) instead; to publish `.{ext}` files anyway, see `allow_active_files` in site.toml"
        ),
    ))
}

/// Files in `content/` of a type that runs in the browser: one error each,
/// naming the file. A file listed as a challenge's document is reported
/// once, at the document (see [`resolve_documents`]).
fn refuse_active_assets(
    assets: &[Asset],
    reported: &std::collections::HashSet<String>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    for asset in assets {
        if reported.contains(&asset.rel) {
            continue;
        }
        if let Some((message, hint)) = active_problem(&asset.rel, config) {
            let shown = Path::new("content").join(&asset.rel);
            diagnostics.push(Diagnostic::error(shown, message).with_hint(hint));
        }
    }
}

/// Two sources that would be written to the same address: one error naming both.
fn find_url_collisions(pages: &[Page], assets: &[Asset], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    let targets = pages
        .iter()
        .map(|p| (format!("{}index.html", p.url_path), p.source.as_path()))
        .chain(
            assets
                .iter()
                .map(|a| (a.out_path.clone(), a.source.as_path())),
        );
    for (out, source) in targets {
        if let Some(first) = seen.get(&out) {
            diagnostics.push(
                Diagnostic::error(
                    source,
                    format!(
                        "`{}` and `{}` both become /{}",
                        first.display(),
                        source.display(),
                        out.trim_end_matches("index.html")
                    ),
                )
                .with_hint("rename one of the files, or give one a different `slug`"),
            );
        } else {
            seen.insert(out, source);
        }
    }
}

/// Whether a one-line value holds a character [`check_texts`] reports, so
/// that a check of its form does not report the same value again.
fn has_controls(value: &str) -> bool {
    text::forbidden(value.trim_end_matches(['\n', '\r']), TextKind::Line).is_some()
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(|c: char| c.is_whitespace() || "<>\"'(),;:[]\\".contains(c))
        && !domain.contains('@')
}

fn is_cpv(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10 && b[8] == b'-' && b[..8].iter().chain(&b[9..]).all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffixes() {
        assert_eq!(split_lang_suffix("om.en.md"), ("om.md".into(), Some("en")));
        assert_eq!(
            split_lang_suffix("challenges/a/index.en.md"),
            ("challenges/a/index.md".into(), Some("en"))
        );
        assert_eq!(
            split_lang_suffix("_index.en.md"),
            ("_index.md".into(), Some("en"))
        );
        assert_eq!(split_lang_suffix("v1.2.md"), ("v1.2.md".into(), None));
        assert_eq!(split_lang_suffix("om.md"), ("om.md".into(), None));
    }

    #[test]
    fn emails_and_cpv_codes() {
        assert!(looks_like_email("anna.andersson@helsingborg.se"));
        assert!(!looks_like_email("anna@"));
        assert!(!looks_like_email("anna at example.se"));
        assert!(is_cpv("72000000-5"));
        assert!(!is_cpv("7200000-5"));
    }
}
