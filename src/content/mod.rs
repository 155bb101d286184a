//! Loading `content/`: walking the folder, splitting and parsing front matter,
//! validating fields and resolving deadlines into the [`Site`] model.

pub mod fields;
pub mod frontmatter;
pub mod links;
mod mistakes;
pub mod model;
pub mod placeholder;
mod stale;
mod suppliers;
mod taxonomy;
mod walk;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

pub use links::{Notice, Related, Relation, links_by_key};
pub use model::*;
pub use stale::stale_dates;
pub use suppliers::{
    Region, RegionKind, Suitable, Value, ValueBand, WHOLE_COUNTRY, county_of, cpv_division,
    cpv_name, find_region,
};
pub use taxonomy::{Taxonomy, stage_label, status_label, suitable_label, value_band_label};
pub use walk::{
    Folder, MAX_FILE_BYTES, SiteFile, Source, is_ignored_name, is_plain_relative, walk_folder,
};

use crate::address::{self, Allowed};
use crate::config::{Config, parse_lang};
use crate::diagnostics::{Diagnostic, Diagnostics, FileBudget, Msg, Severity, Span, suggest};
use crate::model::Lang;
use crate::msg;
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
    let reported = resolve_documents(root, &mut pages, &assets, config, &mut diagnostics);
    let mut held_back = Vec::new();
    // Challenges left out of this build, by the names a link may use.
    let held = links::targets(pages.iter().filter(|p| p.draft && !options.drafts));
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
    links::resolve(&mut pages, &held, &mut diagnostics);
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
    resolve_documents(root, &mut pages, &site.assets, config, &mut diagnostics);
    let [page] = pages;
    if options.drafts || !page.draft {
        diagnostics.extend(placeholder::find(&page));
    }
    // A changed stable id may collide with another challenge's, which only
    // a load of the whole site checks.
    let explicit_id = |p: &Page| p.challenge().map(|c| c.id.clone());
    // Links to other challenges are found among all pages, which only a
    // load of the whole site does.
    let links = |p: &Page| p.challenge().is_some_and(|c| !c.related.is_empty());
    let same_place = page.url_path == old.url_path
        && page.key == old.key
        && page.lang == old.lang
        && page.draft == old.draft
        && explicit_id(&page) == explicit_id(old)
        && !links(&page)
        && !links(old)
        && (options.drafts || !page.draft);
    (same_place && !diagnostics.has_errors()).then_some((index, page, diagnostics.0))
}

/// Whether two loads of a page give the same page: same file text, same
/// place, same documents. Everything else on it is derived from these, the
/// settings and the clock.
pub fn same_page(a: &Page, b: &Page) -> bool {
    let documents = |p: &Page| {
        p.challenge()
            .map(|c| format!("{:?}{:?}", c.documents, c.image))
    };
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
    /// The fields an unknown key of the file is likely a misspelling of:
    /// when one of them is missing, the misspelling is the problem, and it
    /// has been reported.
    misspelt: Vec<String>,
    /// Top-level fields whose value's place the typed reading kept
    /// ([`frontmatter::At`]): a problem there is placed without
    /// reading the front matter again.
    placed: Vec<(&'static str, Span)>,
    /// The build clock: a date written two ways round gets today's date
    /// as its example.
    now: Timestamp,
}

impl Reporter<'_> {
    /// The span in the file of the value at `path` (of its key when `key`),
    /// or else of the nearest part of `path` that is written; `None`
    /// when not even the first key is.
    fn span(&self, path: &[Step<'_>], key: bool) -> Option<Span> {
        let split = self.split?;
        if let ([Step::Key(name)], false) = (path, key)
            && let Some((_, span)) = self.placed.iter().find(|(n, _)| n == name)
        {
            return Some(span.shifted(split.front_offset));
        }
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
    /// `["contact", "email"]`), of the kind `code`.
    fn report(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: &[&str],
        message: Msg,
        hint: Msg,
    ) {
        let steps: Vec<Step<'_>> = path.iter().map(|k| Step::Key(k)).collect();
        let span = self.span(&steps, false);
        let d = Diagnostic::new(severity, &self.source.shown, message)
            .with_code(code)
            .with_field(path.join("."))
            .with_hint(hint);
        self.push(d, span);
    }

    /// An error at the value of a front-matter field.
    fn field(&mut self, code: &'static str, path: &[&str], message: Msg, hint: Msg) {
        self.report(Severity::Error, code, path, message, hint);
    }

    /// A warning at the value of a front-matter field.
    fn warn(&mut self, code: &'static str, path: &[&str], message: Msg, hint: Msg) {
        self.report(Severity::Warning, code, path, message, hint);
    }

    /// An error at `field` of item `index` of list `list` (at the item
    /// itself when `field` is empty, as for a tag).
    fn item(
        &mut self,
        code: &'static str,
        (list, index): (&str, usize),
        field: &str,
        message: Msg,
        hint: Msg,
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
            .with_code(code)
            .with_field(name)
            .with_hint(hint);
        self.push(d, span);
    }

    /// A date, time or time zone that cannot be read, at the value at
    /// `path`, named `name`.
    fn time_error(&mut self, path: &[Step<'_>], name: String, e: time::TimeError) {
        let span = self.span(path, false);
        let d = e.into_diagnostic(&self.source.shown).with_field(name);
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
    fn at(&mut self, code: &'static str, offset: usize, message: Msg, hint: Msg) {
        let d = Diagnostic::error(&self.source.shown, message)
            .with_code(code)
            .with_hint(hint);
        self.push(d, Some(Span::at(offset)));
    }
}

/// A message and its hint.
type Texts = (Msg, Msg);

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
        misspelt: Vec::new(),
        placed: Vec::new(),
        now: options.now,
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
        let (message, hint) = text::problem_msg(TextKind::Multiline, c);
        r.at("control-character", split.body_offset + at, message, hint);
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
        let mut suggestion = slug::slugify(&id);
        if suggestion.is_empty() {
            suggestion = "klimat-2023".to_string();
        }
        r.field(
            "invalid-id",
            &["id"],
            msg!(
                "`{id}` kan inte vara ett fast id: det får bara innehålla små bokstäver, siffror och enstaka bindestreck, högst 100 tecken",
                "`{id}` is not a stable id: it may hold lower-case letters, digits and single hyphens, at most 100 characters"
            ),
            msg!(
                "skriv små bokstäver och siffror med bindestreck emellan, till exempel `id: {suggestion}`",
                "write lower-case letters and digits with hyphens between them, such as `id: {suggestion}`"
            ),
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
            let first = first.source.display();
            diagnostics.push(
                Diagnostic::error(
                    &other.source,
                    msg!(
                        "`id: {b}` skiljer sig från `id: {a}` i översättningen `{first}`",
                        "`id: {b}` differs from `id: {a}` in its translation `{first}`"
                    ),
                )
                .with_code("id-mismatch")
                .with_field("id")
                .with_hint(msg!(
                    "en utmaning och dess översättningar är en och samma process med ett id: skriv samma `id` i alla, eller bara i en av dem",
                    "a challenge and its translations are one process with one id: write the same `id` in each, or in one only"
                )),
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
            Some(other) => {
                let other = other.source.display();
                diagnostics.push(
                    Diagnostic::error(
                        &primary.source,
                        msg!(
                            "det fasta id:t `{id}` är också id för `{other}`; de skulle få samma OCID i de öppna data",
                            "the stable id `{id}` is also the id of `{other}`; their OCIDs would be the same"
                        ),
                    )
                    .with_code("duplicate-id")
                    .with_field("id")
                    .with_hint(msg!(
                        "ge en av dem ett annat `id`, till exempel `id: klimat-2024`; ett id ska inte ändras när det väl är publicerat",
                        "give one of them another `id`, such as `id: klimat-2024`; once published, an id should not change"
                    )),
                )
            }
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
        Ok(parsed) => {
            for note in parsed.notes {
                let d = note.placed(&r.source.shown, r.text, split.front_offset);
                let span = d.span();
                r.push(d, span);
            }
            report_unknown_fields(r, &parsed.unknown, known);
            Some(parsed.value)
        }
        Err(e) => {
            // The typed reading stopped at the error: the keys are read
            // again, without types, so unknown ones are still reported.
            if let Ok(keys) = frontmatter::keys(split.format, split.front) {
                report_unknown_fields(r, &keys, known);
            }
            let span = e.span().map(|s| s.shifted(split.front_offset));
            let d = match e.hint {
                // The parser's stop explained in the writer's terms.
                Some(hint) => Diagnostic::error(&r.source.shown, e.message)
                    .with_code(e.code)
                    .with_hint(hint),
                None => {
                    let detail = &e.message.en;
                    let (code, hint) = parse_error_hint(split.format, detail);
                    Diagnostic::error(
                        &r.source.shown,
                        msg!(
                            "rubrikdelen går inte att läsa: {detail}",
                            "the front matter cannot be read: {detail}"
                        ),
                    )
                    .with_code(code)
                    .with_hint(hint)
                }
            };
            r.push(d, span);
            None
        }
    }
}

/// The code and the hint for a front matter its parser refused with
/// `message`, when no mistake of a writer was seen in the text.
fn parse_error_hint(format: Format, message: &str) -> (&'static str, Msg) {
    // The fields of the items of lists (`updates`, `contact`, …): an
    // unknown one stops the typed reading.
    let item_fields = fields::item_names();
    match crate::config::unknown_name(message) {
        Some(name) => (
            "unknown-field",
            suggest(name, item_fields).map_or_else(
                || {
                    msg!(
                        "ta bort fältet eller kontrollera stavningen",
                        "remove the field or check its spelling"
                    )
                },
                |n| msg!("menade du `{n}`?", "did you mean `{n}`?"),
            ),
        ),
        None if format == Format::Yaml => (
            "yaml-syntax",
            msg!(
                "kontrollera indragen och sätt citattecken `\"` runt text som innehåller `:` eller `#`",
                "check the indentation and put text containing `:` or `#` in quotes"
            ),
        ),
        None => (
            "toml-syntax",
            msg!(
                "kontrollera TOML-texten: text inom citattecken, ett `nyckel = värde` per rad",
                "check the TOML syntax: text in quotes, one `key = value` per line"
            ),
        ),
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
        let (message, hint) = text::problem_msg(f.kind, c);
        let code = "control-character";
        match f.item {
            None => r.field(code, &f.path, message, hint),
            Some(i) => {
                let (n, list) = (i + 1, f.path[0]);
                let (sv, en) = (&message.sv, &message.en);
                let message = msg!("punkt {n} i `{list}`: {sv}", "item {n} of `{list}`: {en}");
                let inner = f.path.get(1).copied().unwrap_or("");
                r.item(code, (list, i), inner, message, hint);
            }
        }
    }
}

/// Reports every key that is not one of `known`, with the field it is
/// likely a misspelling of, which is then not reported as missing.
fn report_unknown_fields(r: &mut Reporter<'_>, keys: &[String], known: &[&str]) {
    for key in keys.iter().filter(|k| !known.contains(&k.as_str())) {
        let near = suggest(key, known.iter().copied())
            // A field written too is not what the misspelling stands for.
            .filter(|near| !keys.iter().any(|k| k == near));
        let hint = match near {
            Some(near) => {
                r.misspelt.push(near.to_string());
                msg!("menade du `{near}`?", "did you mean `{near}`?")
            }
            None => {
                let names = known.join(", ");
                msg!("fälten som finns är: {names}", "known fields are: {names}")
            }
        };
        let span = r.span(&[Step::Key(key)], true);
        let d = Diagnostic::error(
            &r.source.shown,
            msg!("okänt fält `{key}`", "unknown field `{key}`"),
        )
        .with_field(key.as_str())
        .with_code("unknown-field")
        .with_hint(hint);
        r.push(d, span);
    }
}

/// Reports that the required `field` is missing, unless an unknown key of
/// the file was taken for it: that misspelling is the problem, and has
/// been reported with the name it should have.
fn report_missing(r: &mut Reporter<'_>, field: &str, hint: Msg) {
    if r.misspelt.iter().any(|m| m == field) {
        return;
    }
    let span = r.span(&[Step::Key(field)], false);
    let d = Diagnostic::error(
        &r.source.shown,
        msg!(
            "det obligatoriska fältet `{field}` saknas",
            "missing required field `{field}`"
        ),
    )
    .with_field(field)
    .with_code("missing-field")
    .with_hint(hint);
    r.push(d, span);
}

fn required(r: &mut Reporter<'_>, value: Option<String>, field: &str, example: &str) -> String {
    match value.map(|v| v.trim().to_string()) {
        Some(v) if !v.is_empty() => v,
        Some(_) => {
            let span = r.span(&[Step::Key(field)], false);
            let d = Diagnostic::error(
                &r.source.shown,
                msg!("`{field}` är tomt", "`{field}` is empty"),
            )
            .with_field(field)
            .with_code("empty-field")
            .with_hint(msg!(
                "skriv det, till exempel `{example}`",
                "write it, e.g. `{example}`"
            ));
            r.push(d, span);
            String::new()
        }
        None => {
            report_missing(
                r,
                field,
                msg!(
                    "lägg till en rad som `{example}` i rubrikdelen",
                    "add a line such as `{example}` to the front matter"
                ),
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
                        "lang-mismatch",
                        &["lang"],
                        msg!(
                            "filnamnet säger `{code}` men `lang` säger något annat",
                            "the file name says `{code}` but `lang` says otherwise"
                        ),
                        msg!(
                            "ta bort `lang`: det är filnamnet som bestämmer en översättnings språk",
                            "remove `lang`: the file name decides a translation's language"
                        ),
                    );
                }
                return l;
            }
            _ => {
                r.at(
                    "unknown-language",
                    0,
                    msg!(
                        "`.{code}.md`: `{code}` är inte ett av webbplatsens språk",
                        "`.{code}.md`: `{code}` is not a language of this site"
                    ),
                    msg!(
                        "lägg till språket i site.toml, till exempel `languages = [\"sv\", \"en\"]`, eller byt namn på filen",
                        "list it in site.toml, e.g. `languages = [\"sv\", \"en\"]`, or rename the file"
                    ),
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
                    "unknown-language",
                    &["lang"],
                    msg!(
                        "`{code}` är inte ett av webbplatsens språk",
                        "`{code}` is not a language of this site"
                    ),
                    msg!(
                        "skriv \"sv\" eller \"en\", och lägg till fler språk i `languages` i site.toml",
                        "use \"sv\" or \"en\", and list extra languages in site.toml `languages`"
                    ),
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
    let scheduled = publish_date.and_then(|d| match time::resolve_start(&d.0, zone, now) {
        Ok(m) => Some(m.zoned.timestamp() > now),
        Err(e) => {
            let field = "publish_date";
            r.time_error(&[Step::Key(field)], field.to_string(), e);
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
    let stage = meta.stage.take().map(|at| {
        r.placed.extend(at.span.map(|span| ("stage", span)));
        at.value
    });
    let stage = load_stage(r, stage);
    let (zone, timezone) = load_zone(r, meta.timezone.as_deref(), config);
    let dates = load_dates(r, &meta, stage, &zone, config);
    let contact = meta.contact.take().map(|c| load_contact(r, c));
    let respond = meta.respond.take().map(|resp| load_respond(r, resp));
    let notice = meta.notice.take().and_then(|n| links::load_notice(r, n));
    let related = links::load_related(r, std::mem::take(&mut meta.related));
    let class = load_classification(r, &mut meta);
    check_outcome(r, meta.outcome.is_some(), stage);
    let documents = load_documents(r, meta.documents, &zone);
    let image = load_image(r, meta.image.take(), meta.image_alt.take());
    let has_questions_deadline = meta.questions_deadline.is_some();
    let questions_url = load_questions_url(
        r,
        meta.questions_url.take(),
        has_questions_deadline,
        &contact,
    );
    let lifecycle = load_lifecycle(
        r,
        &meta.updates,
        dates.deadline,
        dates.questions_deadline,
        &zone,
        (config.deadline_time, options.now),
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
            tags: class.tags,
            category: class.category,
            cpv: meta.cpv,
            notice,
            related,
            regions: class.regions,
            value: class.value,
            suitable_for: class.suitable_for,
            outcome: meta.outcome.unwrap_or_default(),
            updates: lifecycle.updates,
            questions,
            events,
            phases,
            deadline_sequence: lifecycle.deadline_sequence,
            questions_deadline_sequence: lifecycle.questions_deadline_sequence,
            held_updates: lifecycle.held,
            unannounced: None,
            image,
            questions_url,
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

/// What a challenge is filed under, read and checked.
struct Classification {
    tags: Vec<String>,
    category: Option<String>,
    regions: Vec<Region>,
    value: Option<Value>,
    suitable_for: Vec<Suitable>,
}

/// Reads the fields a challenge is filed and filtered by: tags, category,
/// CPV codes (checked only), regions, value and who may respond.
fn load_classification(r: &mut Reporter<'_>, meta: &mut ChallengeMeta) -> Classification {
    check_cpv(r, &meta.cpv);
    Classification {
        tags: load_tags(r, &meta.tags),
        category: meta
            .category
            .take()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        regions: suppliers::load_regions(r, &meta.regions),
        value: suppliers::load_value(r, meta.value.take()),
        suitable_for: suppliers::load_suitable(r, &meta.suitable_for),
    }
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
            "summary-too-long",
            &["summary"],
            msg!(
                "sammanfattningen är {length} tecken lång",
                "the summary is {length} characters long"
            ),
            msg!(
                "håll den under 300 tecken; skriv detaljerna i texten under rubrikdelen",
                "keep it under 300 characters; put the details in the text below the front matter"
            ),
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
            Some(near) => msg!("menade du `{near}`?", "did you mean `{near}`?"),
            None => {
                let keys = keys.join(", ");
                msg!("skriv ett av: {keys}", "use one of: {keys}")
            }
        };
        r.field(
            "invalid-stage",
            &["stage"],
            msg!("okänt skede `{written}`", "unknown stage `{written}`"),
            hint,
        );
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
                r.time_error(&[Step::Key("timezone")], "timezone".to_string(), e);
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
            time::resolve(&value.0, zone, config.deadline_time, r.now)
        } else {
            time::resolve_start(&value.0, zone, r.now)
        };
        resolved
            .map_err(|e| r.time_error(&[Step::Key(field)], field.to_string(), e))
            .ok()
    };
    let dates = Dates {
        published: moment("published", meta.published.as_ref(), false),
        opens: moment("opens", meta.opens.as_ref(), false),
        deadline: moment("deadline", meta.deadline.as_ref(), true),
        questions_deadline: moment("questions_deadline", meta.questions_deadline.as_ref(), true),
    };
    if meta.published.is_none() {
        report_missing(
            r,
            "published",
            msg!(
                "lägg till datumet då utmaningen publicerades, till exempel `published: 2023-06-15`",
                "add the publication date, e.g. `published: 2023-06-15`"
            ),
        );
    }
    if stage.needs_deadline()
        && meta.deadline.is_none()
        && !r.misspelt.iter().any(|m| m == "deadline")
    {
        let stage = stage.key();
        r.field(
            "missing-field",
            &["deadline"],
            msg!("en utmaning i skedet `{stage}` behöver en `deadline`", "a challenge at the `{stage}` stage needs a `deadline`"),
            msg!(
                "lägg till sista svarsdag, till exempel `deadline: 2023-08-31` (kl. 23.59 den dagen) eller `deadline: 2023-08-31T12:00`",
                "add the last answer date, e.g. `deadline: 2023-08-31` (23:59 that day) or `deadline: 2023-08-31T12:00`"
            ),
        );
    }
    let before = |a: &Option<Moment>, b: &Option<Moment>| match (a, b) {
        (Some(a), Some(b)) => Some(a.zoned.timestamp().cmp(&b.zoned.timestamp())),
        _ => None,
    };
    if before(&dates.opens, &dates.deadline).is_some_and(|o| o.is_ge()) {
        r.field(
            "date-order",
            &["opens"],
            msg!(
                "`opens` ligger inte före `deadline`",
                "`opens` is not before `deadline`"
            ),
            msg!(
                "en utmaning måste öppna före sista svarsdagen; kontrollera båda datumen",
                "a challenge must open before its deadline; check both dates"
            ),
        );
    }
    if before(&dates.questions_deadline, &dates.deadline).is_some_and(|o| o.is_gt()) {
        r.field(
            "date-order",
            &["questions_deadline"],
            msg!(
                "`questions_deadline` ligger efter `deadline`",
                "`questions_deadline` is after `deadline`"
            ),
            msg!(
                "frågor måste ställas innan svaren ska vara inne",
                "questions must be asked before answers are due"
            ),
        );
    }
    dates
}

fn load_contact(r: &mut Reporter<'_>, mut c: Contact) -> Contact {
    c.name = c.name.trim().to_string();
    c.email = c.email.trim().to_string();
    if c.name.is_empty() {
        r.field(
            "missing-field",
            &["contact", "name"],
            msg!("kontaktpersonen har inget namn", "the contact has no name"),
            msg!(
                "skriv `name: Anna Andersson` under `contact`",
                "write `name: Anna Andersson` under `contact`"
            ),
        );
    }
    if !c.email.is_empty() && !has_controls(&c.email) && !text::looks_like_email(&c.email) {
        let email = &c.email;
        r.field(
            "invalid-email",
            &["contact", "email"],
            msg!(
                "`{email}` ser inte ut som en e-postadress",
                "`{email}` does not look like an e-mail address"
            ),
            msg!(
                "skriv den som name@example.se",
                "write it as name@example.se"
            ),
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
            "empty-field",
            &["respond"],
            msg!("`respond` är tomt", "`respond` is empty"),
            msg!(
                "fyll i `url` eller `instructions`, eller båda",
                "give a `url` or `instructions`, or both"
            ),
        );
    }
    resp
}

fn check_cpv(r: &mut Reporter<'_>, codes: &[String]) {
    for (i, code) in codes.iter().enumerate() {
        let Some((message, hint)) = cpv_mistake(code) else {
            continue;
        };
        r.item("invalid-cpv", ("cpv", i), "", message, hint);
    }
}

/// What is wrong with CPV code `code`, and how to put it right.
fn cpv_mistake(code: &str) -> Option<(Msg, Msg)> {
    use suppliers::CpvProblem;
    let look_up = msg!(
        "slå upp koden i CPV-listan och skriv den som där, till exempel 72000000-5",
        "look the code up in the CPV list and write it as it is there, e.g. 72000000-5"
    );
    if !is_cpv(code) {
        return Some((
            msg!("`{code}` är inte en CPV-kod", "`{code}` is not a CPV code"),
            msg!(
                "skriv CPV-koder som åtta siffror, ett bindestreck och en kontrollsiffra, till exempel 72000000-5",
                "write CPV codes as eight digits, a hyphen and a check digit, e.g. 72000000-5"
            ),
        ));
    }
    Some(match suppliers::cpv_problem(code)? {
        CpvProblem::NoDivision(two) => (
            msg!(
                "`{code}` är inte en CPV-kod: CPV har ingen huvudgrupp som börjar med {two}",
                "`{code}` is not a CPV code: CPV has no division starting with {two}"
            ),
            look_up,
        ),
        CpvProblem::NoGroup(three) => (
            msg!(
                "`{code}` är inte en CPV-kod: CPV har ingen grupp som börjar med {three}",
                "`{code}` is not a CPV code: CPV has no group starting with {three}"
            ),
            look_up,
        ),
        CpvProblem::CheckDigit { digits, official } => (
            msg!(
                "`{code}` har fel kontrollsiffra: {digits} har kontrollsiffran {official}",
                "`{code}` has the wrong check digit: the check digit of {digits} is {official}"
            ),
            msg!("skriv {digits}-{official}", "write {digits}-{official}"),
        ),
    })
}

/// The tags, trimmed, each once, at most [`MAX_TAGS`].
fn load_tags(r: &mut Reporter<'_>, written: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    // Seen tags by name: comparing each tag with every earlier one made a
    // long list cost its length squared.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (i, tag) in written.iter().map(|t| t.trim()).enumerate() {
        if tag.is_empty() {
            r.item(
                "invalid-tag",
                ("tags", i),
                "",
                msg!("en tagg är tom", "a tag is empty"),
                msg!("ta bort den tomma taggen", "remove the empty entry"),
            );
        } else if slug::slugify(tag).is_empty() {
            r.item(
                "invalid-tag",
                ("tags", i),
                "",
                msg!(
                    "taggen `{tag}` har inga bokstäver eller siffror",
                    "the tag `{tag}` has no letters or digits"
                ),
                msg!("skriv ett ord", "use a word"),
            );
        } else if seen.insert(tag) {
            tags.push(tag.to_string());
        }
    }
    if tags.len() > MAX_TAGS {
        // No real challenge has this many, and a theme that shows a card's
        // tags on every list holding the card (tag pages included) would
        // make n tags into n pages of n links.
        let n = tags.len();
        r.field(
            "too-many-tags",
            &["tags"],
            msg!(
                "utmaningen har {n} olika taggar; högst {MAX_TAGS} är tillåtna",
                "the challenge has {n} different tags; at most {MAX_TAGS} are allowed"
            ),
            msg!(
                "behåll de taggar som leverantörer söker och filtrerar på; resten kan stå i texten",
                "keep the tags suppliers search and filter by; the text can say the rest"
            ),
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
        let stage = stage.key();
        r.warn(
            "unused-outcome",
            &["outcome"],
            msg!("ett `outcome` i skedet `{stage}`", "an `outcome` at the `{stage}` stage"),
            msg!(
                "ett utfall visas bara för utmaningar i skedena implementation, pilot och cancelled",
                "an outcome is shown for challenges at the implementation, pilot or cancelled stage"
            ),
        );
    }
}

/// The documents with a file or a safe web address; files are found and
/// measured later, when every file of the site is known.
fn load_documents(
    r: &mut Reporter<'_>,
    metas: Vec<DocumentMeta>,
    zone: &time::TimeZone,
) -> Vec<Document> {
    let mut out = Vec::new();
    for (i, d) in metas.into_iter().enumerate() {
        let date = d
            .date
            .as_ref()
            .and_then(|t| resolve_item(r, ("documents", i), "date", t, zone, None));
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
            date,
        });
    }
    out
}

/// The picture for sharing, as written; the file is found later, with the
/// documents. A picture without `image_alt` is warned about: people who
/// cannot see it get nothing in its place.
fn load_image(r: &mut Reporter<'_>, image: Option<String>, alt: Option<String>) -> Option<Image> {
    let alt = alt.map(|a| a.trim().to_string()).unwrap_or_default();
    let written = image
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())?;
    if alt.is_empty() {
        r.warn(
            "image-alt-missing",
            &["image"],
            msg!(
                "bilden `{written}` saknar alternativtext (`image_alt`)",
                "the image `{written}` has no text alternative (`image_alt`)"
            ),
            msg!(
                "beskriv kort vad bilden visar, för den som inte ser den:\n  image: {written}\n  image_alt: Kort beskrivning av bilden",
                "say briefly what the image shows, for those who cannot see it:\n  image: {written}\n  image_alt: A short description of the image"
            ),
        );
    }
    Some(Image {
        written,
        out_path: String::new(),
        alt,
    })
}

/// Where suppliers ask questions: `questions_url` (a web address or a
/// `mailto:` link) when written. With a `questions_deadline` and neither
/// that nor a contact's e-mail, the page has no way to ask, which is
/// warned about.
fn load_questions_url(
    r: &mut Reporter<'_>,
    url: Option<String>,
    has_questions_deadline: bool,
    contact: &Option<Contact>,
) -> String {
    let url = url.map(|u| u.trim().to_string()).unwrap_or_default();
    let allowed = Allowed {
        mailto: true,
        tel: false,
    };
    let path = [Step::Key("questions_url")];
    if !url.is_empty() && !r.address(&path, "questions_url", &url, allowed) {
        return String::new();
    }
    let email = contact.as_ref().is_some_and(|c| !c.email.is_empty());
    if url.is_empty() && !email && has_questions_deadline {
        r.warn(
            "questions-without-address",
            &["questions_deadline"],
            msg!(
                "utmaningen har `questions_deadline` men ingen adress dit frågor skickas",
                "the challenge has a `questions_deadline` but no address to send questions to"
            ),
            msg!(
                "ange en e-postadress för kontakten eller en sida för frågor, till exempel:\n  contact:\n    name: Maria Ekdahl\n    email: maria.ekdahl@example.se\neller\n  questions_url: https://example.se/fragor",
                "give the contact an e-mail address or name a page for questions, for example:\n  contact:\n    name: Maria Ekdahl\n    email: maria.ekdahl@example.se\nor\n  questions_url: https://example.se/fragor"
            ),
        );
    }
    url
}

/// The error for document `i` without exactly one of `file` and `url`.
fn document_without_target(r: &mut Reporter<'_>, i: usize, title: &str) {
    let n = i + 1;
    r.item(
        "invalid-document",
        ("documents", i),
        "",
        msg!(
            "dokument {n} (`{title}`) ska ha antingen `file` eller `url`, precis ett av dem",
            "document {n} (`{title}`) needs exactly one of `file` and `url`"
        ),
        msg!(
            "skriv `file: name.pdf` för en fil i utmaningens mapp, eller `url: https://…`",
            "write `file: name.pdf` for a file in the challenge folder, or `url: https://…`"
        ),
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
        let stage = stage.key();
        r.warn(
            "stale-stage",
            &["stage"],
            msg!(
                "sista svarsdagen har passerat men skedet är fortfarande `{stage}`",
                "the deadline has passed but the stage is still `{stage}`"
            ),
            msg!(
                "flytta fram skedet, till exempel `stage: {next}`, eller `stage: cancelled`; om sista svarsdagen har skjutits upp, lägg till en ändring under `updates` med den nya `deadline`",
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
    /// The dates of the amendments held back until their date.
    held: Vec<Moment>,
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
        Some(t) => time::resolve(&value.0, zone, t, r.now),
        None => time::resolve_start(&value.0, zone, r.now),
    };
    let path = [Step::Key(list), Step::Item(index), Step::Key(field)];
    resolved
        .map_err(|e| r.time_error(&path, format!("{list}.{field}"), e))
        .ok()
}

fn load_lifecycle(
    r: &mut Reporter<'_>,
    metas: &[UpdateMeta],
    deadline: Option<Moment>,
    questions_deadline: Option<Moment>,
    zone: &time::TimeZone,
    (end_of_day, now): (time::Time, Timestamp),
) -> Lifecycle {
    let mut l = Lifecycle {
        deadline,
        questions_deadline,
        updates: Vec::new(),
        deadline_sequence: 0,
        questions_deadline_sequence: 0,
        held: Vec::new(),
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
                "empty-update",
                ("updates", i),
                "text",
                msg!("ändringen säger ingenting", "the amendment says nothing"),
                msg!(
                    "lägg till `text:` som säger vad som har ändrats",
                    "add `text:` saying what changed"
                ),
            );
        }
        // An amendment dated later is not announced yet: it is left out,
        // and so are its new times, until a build on or after its date,
        // as a page with a `publish_date` ahead is.
        if date.zoned.timestamp() > now {
            // Its times are still checked, so a mistake shows now.
            for (value, field) in [
                (&m.deadline, "deadline"),
                (&m.questions_deadline, "questions_deadline"),
            ] {
                if let Some(value) = value {
                    resolve_item(r, ("updates", i), field, value, zone, Some(end_of_day));
                }
            }
            l.held.push(date);
            continue;
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
            let n = i + 1;
            r.item(
                "empty-question",
                ("questions", i),
                "question",
                msg!("fråga {n} är tom", "question {n} is empty"),
                msg!(
                    "skriv frågan så som den ställdes",
                    "write the question as asked"
                ),
            );
        }
        if let (Some(q), Some(a)) = (&asked, &answered)
            && a.zoned.timestamp() < q.zoned.timestamp()
        {
            let n = i + 1;
            r.item(
                "date-order",
                ("questions", i),
                "answered",
                msg!(
                    "fråga {n} är besvarad innan den ställdes",
                    "question {n} is answered before it was asked"
                ),
                msg!("kontrollera båda datumen", "check both dates"),
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
            let title = &m.title;
            r.item(
                "date-order",
                ("events", i),
                field,
                msg!(
                    "mötet `{title}` slutar innan det börjar",
                    "the meeting `{title}` ends before it starts"
                ),
                msg!("kontrollera `start` och `end`", "check `start` and `end`"),
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
            let name = &m.name;
            r.item(
                "date-order",
                ("phases", i),
                "end",
                msg!(
                    "fasen `{name}` slutar innan den börjar",
                    "the phase `{name}` ends before it starts"
                ),
                msg!("kontrollera `start` och `end`", "check `start` and `end`"),
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
                    "empty-slug",
                    &["slug"],
                    msg!(
                        "`{s}` har inga bokstäver eller siffror",
                        "`{s}` has no letters or digits"
                    ),
                    msg!(
                        "skriv en adressdel (slug) som `klimat-rfi`",
                        "write a slug such as `klimat-rfi`"
                    ),
                );
            } else if slugged != s {
                r.warn(
                    "slug-changed",
                    &["slug"],
                    msg!(
                        "adressdelen (slug) `{s}` används som `{slugged}`",
                        "the slug `{s}` is used as `{slugged}`"
                    ),
                    msg!(
                        "skriv `slug: {slugged}` så att adressen står som den blir",
                        "write `slug: {slugged}` to make the address explicit"
                    ),
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
            "empty-slug",
            0,
            msg!(
                "`{rel}` ger en tom del i webbadressen",
                "`{rel}` gives an empty web address part"
            ),
            msg!(
                "ge filen eller mappen ett namn med bokstäver eller siffror, eller fyll i `slug`",
                "rename the file or folder with letters or digits, or set `slug`"
            ),
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
    root: &Path,
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
        if let Some(image) = &mut challenge.image
            && let Err((code, message, hint)) = resolve_image(image, &dir, &by_rel, root)
        {
            let span = frontmatter::fields_of(&page.text).and_then(|(fields, offset)| {
                Some(fields.value(&[Step::Key("image")])?.shifted(offset))
            });
            diagnostics.push(
                Diagnostic::error(&page.source, message)
                    .with_code(code)
                    .with_field("image")
                    .with_hint(hint)
                    .at_span(&page.text, span.unwrap_or(Span::at(0))),
            );
        }
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
            let problem = match find_document(&written, &dir, &by_rel, config) {
                Ok(asset) => {
                    *out_path = asset.out_path.clone();
                    *size = asset.size;
                    *kind = Path::new(&written)
                        .extension()
                        .map(|e| e.to_string_lossy().to_uppercase())
                        .unwrap_or_default();
                    None
                }
                Err(problem) => {
                    if problem.0 == ACTIVE_FILE {
                        refused.insert(format!("{dir}{written}"));
                    }
                    Some(problem)
                }
            };
            if let Some((code, message, hint)) = problem {
                let span = frontmatter::fields_of(&page.text).and_then(|(fields, offset)| {
                    Some(
                        fields
                            .find_item("documents", "file", &written)?
                            .shifted(offset),
                    )
                });
                diagnostics.push(
                    Diagnostic::error(&page.source, message)
                        .with_code(code)
                        .with_field("documents.file")
                        .with_hint(hint)
                        .at_span(&page.text, span.unwrap_or(Span::at(0))),
                );
            }
        }
    }
    refused
}

/// Finds a challenge's picture: `bild.png` beside the page (in the folder
/// `dir` under `content/`), or `/bilder/bild.png` in the site's `static/`
/// folder. Records where it is published, or tells what is wrong.
fn resolve_image(
    image: &mut Image,
    dir: &str,
    by_rel: &BTreeMap<&str, &Asset>,
    root: &Path,
) -> Result<(), Problem> {
    let written = image.written.clone();
    let (in_static, name) = match written.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, written.as_str()),
    };
    if !walk::is_plain_relative(name) || name.split('/').any(|part| part.starts_with('.')) {
        return Err((
            "invalid-image-path",
            msg!(
                "`{written}` är inte en bild i utmaningens mapp eller i `static/`",
                "`{written}` is not an image in the challenge's folder or in `static/`"
            ),
            msg!(
                "skriv namnet på en bild bredvid utmaningen, `image: bild.png`, eller i mappen static, `image: /bilder/bild.png`; `..` och dolda filer är inte tillåtna",
                "name an image beside the challenge, `image: bild.png`, or in the static folder, `image: /bilder/bild.png`; `..` and hidden files are not allowed"
            ),
        ));
    }
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !crate::config::IMAGE_TYPES.contains(&ext.as_str()) {
        return Err((
            "invalid-image-type",
            msg!(
                "`{written}` är inte en bild av en typ som kan delas (PNG, JPEG, GIF eller WebP)",
                "`{written}` is not an image of a type that can be shared (PNG, JPEG, GIF or WebP)"
            ),
            msg!(
                "spara bilden som PNG eller JPEG och skriv till exempel `image: bild.png`",
                "save the image as PNG or JPEG and write, for example, `image: bild.png`"
            ),
        ));
    }
    let found = if in_static {
        std::fs::symlink_metadata(root.join("static").join(name))
            .is_ok_and(|m| m.is_file())
            .then(|| name.to_string())
    } else {
        by_rel
            .get(format!("{dir}{name}").as_str())
            .map(|a| a.out_path.clone())
    };
    let Some(out_path) = found else {
        let place = if in_static {
            msg!("i mappen `static/`", "in the `static/` folder")
        } else {
            msg!("i utmaningens mapp", "in the challenge's folder")
        };
        let (sv, en) = (&place.sv, &place.en);
        return Err((
            "missing-image",
            msg!(
                "bilden `{written}` finns inte {sv}",
                "the image `{written}` does not exist {en}"
            ),
            msg!(
                "lägg bilden där eller rätta namnet; en bild bredvid utmaningen skrivs `image: bild.png`, en i static `image: /bilder/bild.png`",
                "put the image there or fix the name; an image beside the challenge is written `image: bild.png`, one in static `image: /bilder/bild.png`"
            ),
        ));
    };
    image.out_path = out_path;
    Ok(())
}

/// A problem with a file of the site: its code, message and hint.
type Problem = (&'static str, Msg, Msg);

/// The code of a file of a type that runs in the browser.
const ACTIVE_FILE: &str = "active-file";

/// The file a challenge's document names (`written`, beside the page in
/// the folder `dir`), or what is wrong with the name.
fn find_document<'a>(
    written: &str,
    dir: &str,
    by_rel: &BTreeMap<&str, &'a Asset>,
    config: &Config,
) -> Result<&'a Asset, Problem> {
    if !walk::is_plain_relative(written) {
        return Err((
            "invalid-document-path",
            msg!(
                "`{written}` är inte namnet på en fil i utmaningens mapp",
                "`{written}` is not a file name inside the challenge's folder"
            ),
            msg!(
                "ange en fil som ligger bredvid utmaningen, till exempel `file: fragor.pdf`; `..`, `/` i början och enhetsbokstäver är inte tillåtna",
                "name a file beside the challenge, such as `file: fragor.pdf`; `..`, `/` at the start and drive letters are not allowed"
            ),
        ));
    }
    if written.split('/').any(|part| part.starts_with('.')) {
        // The walk leaves hidden files out, so without this the message
        // would say that a file right there does not exist.
        return Err((
            "hidden-document",
            msg!(
                "`{written}` är dold (en del av sökvägen börjar med `.`); dolda filer publiceras aldrig",
                "`{written}` is hidden (a part of its path starts with `.`); hidden files are never published"
            ),
            msg!(
                "byt namn på filen så att ingen del av sökvägen börjar med `.`",
                "rename the file so that no part of its path starts with `.`"
            ),
        ));
    }
    if let Some((message, hint)) = active_problem(written, config) {
        return Err((ACTIVE_FILE, message, hint));
    }
    by_rel
        .get(format!("{dir}{written}").as_str())
        .copied()
        .ok_or_else(|| {
            (
                "missing-document",
                msg!(
                    "dokumentet `{written}` finns inte",
                    "the document `{written}` does not exist"
                ),
                msg!(
                    "lägg filen i samma mapp som utmaningens Markdown-fil, eller rätta namnet",
                    "put the file in the same folder as the challenge's Markdown file, or fix the name"
                ),
            )
        })
}

/// The message and hint when a file named `name` (a path under
/// `content/`) is of a type that runs in the browser and the site has not
/// allowed that type.
fn active_problem(name: &str, config: &Config) -> Option<Texts> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let (ext, what) = crate::filetypes::active_extension(file)?;
    if config.allow_active_files.contains(&ext) {
        return None;
    }
    // The kinds of file are named in English only; the Swedish text names
    // the type by its extension.
    Some((
        msg!(
            "`{file}` är en fil av typen `.{ext}`, som en webbläsare skulle köra som en del av portalen; därför publiceras den inte",
            "`{file}` is {what} (`.{ext}`); a browser would run it as part of the portal, so it is not published"
        ),
        msg!(
            "publicera den som PDF (eller som PNG, JPEG eller vanlig text) i stället; vill du ändå publicera `.{ext}`-filer, se `allow_active_files` i site.toml",
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
            diagnostics.push(
                Diagnostic::error(shown, message)
                    .with_code(ACTIVE_FILE)
                    .with_hint(hint),
            );
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
            let (a, b) = (first.display(), source.display());
            let out = out.trim_end_matches("index.html");
            diagnostics.push(
                Diagnostic::error(
                    source,
                    msg!(
                        "`{a}` och `{b}` blir båda /{out}",
                        "`{a}` and `{b}` both become /{out}"
                    ),
                )
                .with_code("duplicate-address")
                .with_hint(msg!(
                    "byt namn på en av filerna, eller ge en av dem en annan `slug`",
                    "rename one of the files, or give one a different `slug`"
                )),
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

    /// The settings of the test pages: Swedish with English translations.
    fn config() -> Config {
        let toml =
            "title = \"T\"\nbase_url = \"https://example.se/\"\nlanguages = [\"sv\", \"en\"]\n";
        Config::parse(toml, Path::new("site.toml")).expect("valid settings")
    }

    fn options() -> LoadOptions {
        LoadOptions {
            now: "2023-08-25T08:00:00Z".parse().expect("a time"),
            drafts: false,
        }
    }

    /// The problems of one page at `content/<rel>` with `text`.
    fn problems(rel: &str, text: &str) -> Vec<Diagnostic> {
        let source = Source {
            rel: rel.into(),
            shown: Path::new("content").join(rel),
            text: text.into(),
        };
        let mut out = Vec::new();
        load_page(source, &config(), options(), &mut out);
        out
    }

    /// A challenge at the `rfi` stage with every required field, and `extra`.
    fn challenge(extra: &str) -> String {
        format!(
            "---\ntitle: Klimat\nsummary: Kort.\nbuyer: Staden\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\n{extra}---\nText.\n"
        )
    }

    /// The one problem of kind `code` among `ds`.
    fn one<'a>(ds: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
        let found: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "one `{code}` in {ds:#?}");
        found[0]
    }

    /// Checks the message and hint of `d` in both languages.
    fn says(d: &Diagnostic, message: (&str, &str), hint: (&str, &str)) {
        assert_eq!(d.message.get(Lang::Sv), message.0);
        assert_eq!(d.message.get(Lang::En), message.1);
        let h = d.hint.as_ref().expect("a hint");
        assert_eq!(h.get(Lang::Sv), hint.0);
        assert_eq!(h.get(Lang::En), hint.1);
    }

    #[test]
    fn unknown_field_in_both_languages() {
        let ds = problems("challenges/a.md", &challenge("dedline: 2023-09-01\n"));
        let d = one(&ds, "unknown-field");
        assert_eq!(d.field.as_deref(), Some("dedline"));
        says(
            d,
            ("okänt fält `dedline`", "unknown field `dedline`"),
            ("menade du `deadline`?", "did you mean `deadline`?"),
        );
    }

    #[test]
    fn missing_and_empty_fields_in_both_languages() {
        let text = challenge("")
            .replace("buyer: Staden\n", "")
            .replace("title: Klimat", "title: ' '");
        let ds = problems("challenges/a.md", &text);
        says(
            one(&ds, "missing-field"),
            (
                "det obligatoriska fältet `buyer` saknas",
                "missing required field `buyer`",
            ),
            (
                "lägg till en rad som `buyer: Helsingborgs stad` i rubrikdelen",
                "add a line such as `buyer: Helsingborgs stad` to the front matter",
            ),
        );
        says(
            one(&ds, "empty-field"),
            ("`title` är tomt", "`title` is empty"),
            (
                "skriv det, till exempel `title: Minska klimatavtrycket`",
                "write it, e.g. `title: Minska klimatavtrycket`",
            ),
        );
    }

    #[test]
    fn invalid_dates_and_zones_have_their_codes() {
        let text = challenge("timezone: Europe/Stokholm\n").replace("2023-08-31", "2023-02-30");
        let ds = problems("challenges/a.md", &text);
        let d = one(&ds, "invalid-date");
        assert_eq!(d.field.as_deref(), Some("deadline"));
        for lang in [Lang::Sv, Lang::En] {
            assert!(d.message.get(lang).contains("2023-02-30"), "{d:?}");
            assert!(
                one(&ds, "unknown-timezone")
                    .message
                    .get(lang)
                    .contains("Europe/Stokholm")
            );
        }
    }

    #[test]
    fn invalid_stage_in_both_languages() {
        let ds = problems(
            "challenges/a.md",
            &challenge("").replace("stage: rfi", "stage: rfii"),
        );
        says(
            one(&ds, "invalid-stage"),
            ("okänt skede `rfii`", "unknown stage `rfii`"),
            ("menade du `rfi`?", "did you mean `rfi`?"),
        );
        let ds = problems(
            "challenges/a.md",
            &challenge("").replace("stage: rfi", "stage: x"),
        );
        let hint = one(&ds, "invalid-stage").hint.clone().expect("a hint");
        assert!(
            hint.sv.starts_with("skriv ett av: need, challenge, rfi"),
            "{hint:?}"
        );
        assert!(
            hint.en.starts_with("use one of: need, challenge, rfi"),
            "{hint:?}"
        );
    }

    #[test]
    fn dates_out_of_order_in_both_languages() {
        let ds = problems(
            "challenges/a.md",
            &challenge("opens: 2023-09-01\nquestions_deadline: 2023-09-02\n"),
        );
        let order: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "date-order").collect();
        assert_eq!(order.len(), 2, "{ds:#?}");
        says(
            order[0],
            (
                "`opens` ligger inte före `deadline`",
                "`opens` is not before `deadline`",
            ),
            (
                "en utmaning måste öppna före sista svarsdagen; kontrollera båda datumen",
                "a challenge must open before its deadline; check both dates",
            ),
        );
        assert_eq!(order[1].field.as_deref(), Some("questions_deadline"));
    }

    #[test]
    fn addresses_and_codes_of_fields_in_both_languages() {
        let extra = "contact:\n  name: Anna\n  email: anna.example.se\nrespond:\n  url: ftp://x\ncpv: [\"7200\"]\ntags: [\"!!\"]\n";
        let ds = problems("challenges/a.md", &challenge(extra));
        says(
            one(&ds, "invalid-email"),
            (
                "`anna.example.se` ser inte ut som en e-postadress",
                "`anna.example.se` does not look like an e-mail address",
            ),
            (
                "skriv den som name@example.se",
                "write it as name@example.se",
            ),
        );
        says(
            one(&ds, "invalid-url"),
            (
                "adresser som börjar med `ftp:` är inte tillåtna här",
                "addresses starting with `ftp:` are not allowed here",
            ),
            (
                "skriv en adress som börjar med `https://`, `http://`, `mailto:`",
                "write an address starting with `https://`, `http://`, `mailto:`",
            ),
        );
        assert_eq!(
            one(&ds, "invalid-cpv").message.sv,
            "`7200` är inte en CPV-kod"
        );
        assert_eq!(
            one(&ds, "invalid-tag").message.sv,
            "taggen `!!` har inga bokstäver eller siffror"
        );
    }

    #[test]
    fn cpv_codes_of_no_division_or_group_and_wrong_check_digits_are_errors() {
        let extra = "cpv:\n  - 72000000-5\n  - 72000000-4\n  - 02000000-1\n  - 73512000-1\n  - 72212100-0\n";
        let ds = problems("challenges/a.md", &challenge(extra));
        let cpv: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "invalid-cpv").collect();
        assert_eq!(cpv.len(), 3, "{ds:#?}");
        assert!(cpv.iter().all(|d| d.severity == Severity::Error));
        assert!(cpv.iter().all(|d| d.field.as_deref() == Some("cpv")));
        says(
            cpv[0],
            (
                "`72000000-4` har fel kontrollsiffra: 72000000 har kontrollsiffran 5",
                "`72000000-4` has the wrong check digit: the check digit of 72000000 is 5",
            ),
            ("skriv 72000000-5", "write 72000000-5"),
        );
        let look_up = (
            "slå upp koden i CPV-listan och skriv den som där, till exempel 72000000-5",
            "look the code up in the CPV list and write it as it is there, e.g. 72000000-5",
        );
        says(
            cpv[1],
            (
                "`02000000-1` är inte en CPV-kod: CPV har ingen huvudgrupp som börjar med 02",
                "`02000000-1` is not a CPV code: CPV has no division starting with 02",
            ),
            look_up,
        );
        says(
            cpv[2],
            (
                "`73512000-1` är inte en CPV-kod: CPV har ingen grupp som börjar med 735",
                "`73512000-1` is not a CPV code: CPV has no group starting with 735",
            ),
            look_up,
        );
        // Each at its own line of the list, at the code.
        let lines: Vec<usize> = cpv
            .iter()
            .map(|d| d.position().expect("a position").line)
            .collect();
        assert_eq!(lines, [10, 11, 12]);
    }

    #[test]
    fn a_control_character_is_named_in_both_languages() {
        let ds = problems(
            "challenges/a.md",
            &challenge("").replace("Kort.", "\"Kort\\u0007\""),
        );
        let d = one(&ds, "control-character");
        assert_eq!(d.field.as_deref(), Some("summary"));
        assert_eq!(
            d.message.sv,
            "värdet innehåller ett styrtecken (U+0007); fältet ska vara en rad vanlig text"
        );
        assert_eq!(
            d.message.en,
            "the value holds a control character (U+0007); this field is one line of plain text"
        );
        let ds = problems("om.md", "---\ntitle: Om\n---\nA\u{1}b\n");
        let d = one(&ds, "control-character");
        assert!(
            d.message
                .sv
                .starts_with("texten innehåller ett styrtecken (U+0001)")
        );
        assert!(
            d.message
                .en
                .starts_with("the text holds a control character (U+0001)")
        );
    }

    #[test]
    fn a_passed_deadline_at_an_answering_stage_in_both_languages() {
        let text = challenge("").replace("2023-08-31", "2023-08-01");
        let ds = problems("challenges/a.md", &text);
        let d = one(&ds, "stale-stage");
        assert!(!d.is_error());
        assert_eq!(
            d.message.sv,
            "sista svarsdagen har passerat men skedet är fortfarande `rfi`"
        );
        assert_eq!(
            d.message.en,
            "the deadline has passed but the stage is still `rfi`"
        );
    }

    #[test]
    fn a_language_the_site_does_not_have_in_both_languages() {
        let ds = problems("om.de.md", "---\ntitle: Über\n---\n");
        says(
            one(&ds, "unknown-language"),
            (
                "`.de.md`: `de` är inte ett av webbplatsens språk",
                "`.de.md`: `de` is not a language of this site",
            ),
            (
                "lägg till språket i site.toml, till exempel `languages = [\"sv\", \"en\"]`, eller byt namn på filen",
                "list it in site.toml, e.g. `languages = [\"sv\", \"en\"]`, or rename the file",
            ),
        );
    }

    /// The problems of a whole site of `files` (path under `content/`, text).
    fn site_problems(files: &[(&str, &str)]) -> Diagnostics {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        for (rel, text) in files {
            let path = tmp.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create");
            std::fs::write(path, text).expect("write");
        }
        load(tmp.path(), &config(), options()).1
    }

    #[test]
    fn a_stable_id_used_twice_in_both_languages() {
        let a = challenge("id: klimat-2023\n");
        let ds = site_problems(&[("challenges/a.md", &a), ("challenges/b.md", &a)]);
        let d = one(&ds.0, "duplicate-id");
        let first = Path::new("content/challenges/a.md").display();
        says(
            d,
            (
                &format!(
                    "det fasta id:t `klimat-2023` är också id för `{first}`; de skulle få samma OCID i de öppna data"
                ),
                &format!(
                    "the stable id `klimat-2023` is also the id of `{first}`; their OCIDs would be the same"
                ),
            ),
            (
                "ge en av dem ett annat `id`, till exempel `id: klimat-2024`; ett id ska inte ändras när det väl är publicerat",
                "give one of them another `id`, such as `id: klimat-2024`; once published, an id should not change",
            ),
        );
        let b = challenge("id: klimat-2024\n");
        let ds = site_problems(&[("challenges/a.md", &a), ("challenges/a.en.md", &b)]);
        let d = one(&ds.0, "id-mismatch");
        // The translation sorts first: the original is named in the message.
        assert_eq!(
            d.message.sv,
            "`id: klimat-2023` skiljer sig från `id: klimat-2024` i översättningen `content/challenges/a.en.md`"
        );
        assert_eq!(
            d.message.en,
            "`id: klimat-2023` differs from `id: klimat-2024` in its translation `content/challenges/a.en.md`"
        );
        let ds = site_problems(&[("challenges/a.md", &challenge("id: Klimat 2023\n"))]);
        assert_eq!(
            one(&ds.0, "invalid-id")
                .hint
                .as_ref()
                .map(|h| h.sv.as_str()),
            Some(
                "skriv små bokstäver och siffror med bindestreck emellan, till exempel `id: klimat-2023`"
            )
        );
    }

    #[test]
    fn documents_that_are_not_there_in_both_languages() {
        let docs = "documents:\n  - title: Frågor\n    file: saknas.pdf\n  - title: Dold\n    file: .dold.pdf\n  - title: Ut\n    file: ../ut.pdf\n  - title: Skript\n    file: a.js\n  - title: Båda\n";
        let ds = site_problems(&[
            ("challenges/a/index.md", &challenge(docs)),
            ("challenges/a/a.js", "x"),
        ]);
        let d = one(&ds.0, "missing-document");
        assert_eq!(d.field.as_deref(), Some("documents.file"));
        says(
            d,
            (
                "dokumentet `saknas.pdf` finns inte",
                "the document `saknas.pdf` does not exist",
            ),
            (
                "lägg filen i samma mapp som utmaningens Markdown-fil, eller rätta namnet",
                "put the file in the same folder as the challenge's Markdown file, or fix the name",
            ),
        );
        assert_eq!(
            one(&ds.0, "hidden-document").message.sv,
            "`.dold.pdf` är dold (en del av sökvägen börjar med `.`); dolda filer publiceras aldrig"
        );
        assert_eq!(
            one(&ds.0, "invalid-document-path").message.sv,
            "`../ut.pdf` är inte namnet på en fil i utmaningens mapp"
        );
        // The script is reported once, at the document.
        let active = one(&ds.0, "active-file");
        assert!(
            active
                .message
                .sv
                .starts_with("`a.js` är en fil av typen `.js`"),
            "{active:?}"
        );
        assert!(
            active
                .message
                .en
                .starts_with("`a.js` is a JavaScript file (`.js`)"),
            "{active:?}"
        );
        assert_eq!(
            one(&ds.0, "invalid-document").message.sv,
            "dokument 5 (`Båda`) ska ha antingen `file` eller `url`, precis ett av dem"
        );
    }

    #[test]
    fn two_pages_at_one_address_in_both_languages() {
        let page = "---\ntitle: Om\n---\n";
        let ds = site_problems(&[("om.md", page), ("Om.md", page)]);
        let d = one(&ds.0, "duplicate-address");
        assert!(d.message.sv.ends_with("blir båda /om/"), "{d:?}");
        assert!(d.message.en.ends_with("both become /om/"), "{d:?}");
    }

    #[test]
    fn a_page_that_is_not_utf8_in_both_languages() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(tmp.path().join("content")).expect("create");
        std::fs::write(
            tmp.path().join("content/om.md"),
            b"---\ntitle: caf\xe9\n---\n",
        )
        .expect("write");
        let ds = load(tmp.path(), &config(), options()).1;
        says(
            one(&ds.0, "not-utf8"),
            ("filen är inte giltig UTF-8", "the file is not valid UTF-8"),
            (
                "spara den som UTF-8 (i Word eller Anteckningar: Spara som… → Kodning UTF-8)",
                "save it as UTF-8 (in Word or Notepad: Save as… → Encoding UTF-8)",
            ),
        );
        let ds = load(&tmp.path().join("nothing"), &config(), options()).1;
        assert_eq!(
            one(&ds.0, "missing-content-folder").message.sv,
            "det finns ingen mapp content/"
        );
    }

    #[test]
    fn emails_and_cpv_codes() {
        assert!(text::looks_like_email("anna.andersson@helsingborg.se"));
        assert!(!text::looks_like_email("anna@"));
        assert!(!text::looks_like_email("anna at example.se"));
        assert!(is_cpv("72000000-5"));
        assert!(!is_cpv("7200000-5"));
    }
}
