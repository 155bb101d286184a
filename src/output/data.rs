//! Open data: `api/challenges.json` and the OCDS files `api/ocds.json`
//! and `api/ocds-records.json` (in [`ocds`]).
//!
//! Both files are documented in `docs/api.md`; that page is the contract
//! with the people who harvest them, so a change here that renames or removes
//! a field needs a new major `version` there.
//!
//! Both are rendered from typed structs, never from hash maps, so that the
//! same content and the same `--now` give byte-identical files: harvesters
//! compare them to detect changes, and the build only rewrites files whose
//! bytes changed.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::OutputContext;
use crate::config::lang_code;
use crate::content::{Challenge, DocumentTarget, Page, Relation};
use crate::escape::{encode_path, encode_uri};
use crate::model::Generated;
use crate::msg;

use crate::time::{self, Moment};

pub mod csv;
pub mod ocds;
pub use csv::CSV_PATH;
pub use ocds::{OCDS_PATH, RECORDS_PATH};

/// The folder of the open data; every file in it is the build's.
pub const API_DIR: &str = "api/";

/// Output path of the JSON of all challenges.
pub const CHALLENGES_PATH: &str = "api/challenges.json";

/// Where the open data goes.
pub(super) fn generated() -> Vec<Generated> {
    vec![Generated::folder(
        API_DIR,
        msg!(
            "öppna data ({CHALLENGES_PATH}, {CSV_PATH}, {OCDS_PATH}, {RECORDS_PATH})",
            "the open data ({CHALLENGES_PATH}, {CSV_PATH}, {OCDS_PATH}, {RECORDS_PATH})"
        ),
    )]
}

/// Format version of `api/challenges.json`. Additive changes keep the
/// major number; a renamed, removed or retyped field raises it (see
/// `docs/api.md`).
///
/// 2.1: `notice` and `related`.
///
/// 2.0: `ocid` is `null` when the site has no `ocid_prefix` (in 1.0 it was
/// always a string).
pub const FORMAT_VERSION: &str = "2.1";

/// The OCDS schema version the package follows (major.minor, as the package
/// schema's `version` pattern requires).
pub const OCDS_VERSION: &str = "1.1";

/// Writes `api/challenges.json`, the largest output (it carries every
/// challenge's text), piece by piece.
pub fn write_challenges(
    ctx: &OutputContext<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write as _;
    // The serializer writes a few bytes at a time; gathered here, they
    // reach the sink in large pieces.
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer_pretty(&mut w, &challenges_file(ctx)).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Pretty-printed JSON with a trailing newline, so that the files read well
/// and diff line by line.
fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    // serde_json only fails on maps with non-string keys or on Serialize
    // impls that return errors; the types here have neither, whatever the
    // content says.
    let mut bytes = serde_json::to_vec_pretty(value).expect("open-data types always serialize");
    bytes.push(b'\n');
    bytes
}

/// RFC 3339 with the offset of the moment's own zone.
fn date(m: &Moment) -> String {
    time::rfc3339(&m.zoned)
}

/// `Some` for text that was written, `None` for text that was left out: the
/// model keeps absent text as `""`, but harvesters should see `null`.
fn given(s: &str) -> Option<&str> {
    if s.trim().is_empty() { None } else { Some(s) }
}

/// The stable id of a challenge: its address without the slashes at the ends
/// (`challenges/klimat`). It stays the same as long as the address does.
pub fn stable_id(page: &Page) -> String {
    page.url_path.trim_matches('/').to_string()
}

/// Absolute URL of an output path, percent-encoded the way page links are.
fn absolute(ctx: &OutputContext<'_>, path: &str) -> String {
    ctx.permalink(&encode_path(path))
}

// ---------------------------------------------------------------------------
// api/challenges.json
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct ChallengesFile<'a> {
    version: &'static str,
    generated: String,
    site: SiteJson<'a>,
    challenges: Vec<ChallengeJson<'a>>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    title: &'a str,
    url: &'a str,
    language: &'static str,
    timezone: &'a str,
}

#[derive(Serialize)]
struct ChallengeJson<'a> {
    id: String,
    ocid: Option<String>,
    url: String,
    lang: &'static str,
    title: &'a str,
    summary: &'a str,
    buyer: &'a str,
    stage: &'static str,
    status: &'static str,
    published: String,
    opens: Option<String>,
    deadline: Option<String>,
    questions_deadline: Option<String>,
    timezone: &'a str,
    contact: Option<ContactJson<'a>>,
    respond: Option<RespondJson<'a>>,
    compensation: Option<&'a str>,
    facts: Vec<FactJson<'a>>,
    documents: Vec<DocumentJson<'a>>,
    tags: &'a [String],
    category: Option<&'a str>,
    cpv: &'a [String],
    notice: Option<NoticeJson<'a>>,
    related: Vec<RelatedJson>,
    cpv_details: Vec<CpvJson>,
    regions: Vec<RegionJson>,
    value: Option<ValueJson<'a>>,
    suitable_for: Vec<&'static str>,
    outcome: Option<&'a str>,
    body_html: &'a str,
    updates: Vec<UpdateJson<'a>>,
    questions: Vec<QuestionJson<'a>>,
    events: Vec<EventJson<'a>>,
    phases: Vec<PhaseJson<'a>>,
    calendar_url: String,
}

#[derive(Serialize)]
struct NoticeJson<'a> {
    url: String,
    id: Option<&'a str>,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct RelatedJson {
    relation: &'static str,
    id: String,
    ocid: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct CpvJson {
    code: String,
    name: Option<&'static str>,
    exact: bool,
    division: Option<String>,
}

#[derive(Serialize)]
struct RegionJson {
    name: &'static str,
    kind: &'static str,
    code: &'static str,
    nuts: &'static str,
    county: Option<&'static str>,
}

#[derive(Serialize)]
struct ValueJson<'a> {
    min: Option<u64>,
    max: Option<u64>,
    currency: &'a str,
    bands: Vec<&'static str>,
}

#[derive(Serialize)]
struct ContactJson<'a> {
    name: &'a str,
    role: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
}

#[derive(Serialize)]
struct RespondJson<'a> {
    url: Option<String>,
    instructions: Option<&'a str>,
}

#[derive(Serialize)]
struct FactJson<'a> {
    label: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    title: &'a str,
    url: String,
    external: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
    media_type: Option<&'static str>,
    size_bytes: Option<u64>,
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    date: String,
    text: Option<&'a str>,
    deadline_from: Option<String>,
    deadline_to: Option<String>,
    questions_deadline_from: Option<String>,
    questions_deadline_to: Option<String>,
}

#[derive(Serialize)]
struct QuestionJson<'a> {
    question: &'a str,
    answer: Option<&'a str>,
    asked: String,
    answered: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct EventJson<'a> {
    title: &'a str,
    start: String,
    end: String,
    place: Option<&'a str>,
    url: Option<String>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct PhaseJson<'a> {
    name: &'a str,
    start: String,
    end: String,
    pay: Option<&'a str>,
    suppliers: Option<&'a str>,
}

fn challenges_file<'a>(ctx: &'a OutputContext<'a>) -> ChallengesFile<'a> {
    let groups = processes(ctx);
    // Every language version is its own entry; the OCID, shared by a
    // challenge and its translations, is what ties them together.
    let ocids = ocds::ocids(ctx, &groups);
    let related = RelatedIndex::new(ctx);
    let challenges = ctx
        .challenges()
        .map(|(index, page, c)| {
            let ocid = ocids.get(&index).cloned();
            let mut json = challenge_json(ctx, index, page, c, ocid);
            json.related = related
                .of(page)
                .into_iter()
                .map(|(relation, other)| RelatedJson {
                    relation: relation.key(),
                    id: stable_id(other.page),
                    ocid: ocids.get(&other.index).cloned(),
                    url: absolute(ctx, &other.page.url_path),
                })
                .collect();
            json
        })
        .collect();
    ChallengesFile {
        version: FORMAT_VERSION,
        generated: build_clock(ctx),
        site: SiteJson {
            title: &ctx.config.title,
            url: &ctx.config.base_url,
            language: lang_code(ctx.config.language),
            timezone: &ctx.config.timezone_name,
        },
        challenges,
    }
}

/// The build clock in the site's zone.
fn build_clock(ctx: &OutputContext<'_>) -> String {
    time::rfc3339(&ctx.now.to_zoned_datetime(ctx.config.timezone.clone()))
}

fn challenge_json<'a>(
    ctx: &'a OutputContext<'a>,
    index: usize,
    page: &'a Page,
    c: &'a Challenge,
    ocid: Option<String>,
) -> ChallengeJson<'a> {
    let url = absolute(ctx, &page.url_path);
    ChallengeJson {
        id: stable_id(page),
        ocid,
        lang: lang_code(page.lang),
        title: &page.title,
        summary: &page.summary,
        buyer: &c.buyer,
        stage: c.stage.key(),
        status: c.status.key(),
        published: date(&c.published),
        opens: c.opens.as_ref().map(date),
        deadline: c.deadline.as_ref().map(date),
        questions_deadline: c.questions_deadline.as_ref().map(date),
        timezone: &c.timezone,
        contact: c.contact.as_ref().map(|p| ContactJson {
            name: &p.name,
            role: given(&p.role),
            email: given(&p.email),
            phone: given(&p.phone),
        }),
        respond: c.respond.as_ref().map(|r| RespondJson {
            url: given(&r.url).map(encode_uri),
            instructions: given(&r.instructions),
        }),
        compensation: given(&c.compensation),
        facts: facts_json(c),
        documents: documents_json(ctx, c),
        tags: &c.tags,
        category: c.category.as_deref(),
        cpv: &c.cpv,
        notice: c.notice.as_ref().map(|n| NoticeJson {
            url: encode_uri(&n.url),
            id: given(&n.id),
            source: given(&n.source),
        }),
        related: Vec::new(),
        cpv_details: cpv_json(c, page.lang),
        regions: c
            .regions
            .iter()
            .map(|r| RegionJson {
                name: r.name,
                kind: r.kind.key(),
                code: r.code,
                nuts: r.nuts,
                county: r.county,
            })
            .collect(),
        value: c.value.as_ref().map(|v| ValueJson {
            min: v.min,
            max: v.max,
            currency: &v.currency,
            bands: v.bands().into_iter().map(|b| b.key()).collect(),
        }),
        suitable_for: c.suitable_for.iter().map(|s| s.key()).collect(),
        outcome: given(&c.outcome),
        body_html: ctx.html.get(index).map_or("", |h| h.content.as_str()),
        updates: updates_json(c),
        questions: questions_json(c, &url),
        events: events_json(c),
        phases: phases_json(c),
        calendar_url: absolute(ctx, &format!("{}calendar.ics", page.url_path)),
        url,
    }
}

/// The challenges related to each challenge, both ways, as the open data
/// lists them.
struct RelatedIndex<'a> {
    /// See [`crate::content::links_by_key`].
    links: BTreeMap<String, Vec<(String, Relation)>>,
    /// The language versions of every challenge, by page key.
    versions: HashMap<&'a str, Vec<Version<'a>>>,
    default: crate::model::Lang,
}

impl<'a> RelatedIndex<'a> {
    fn new(ctx: &'a OutputContext<'a>) -> RelatedIndex<'a> {
        let mut versions: HashMap<&str, Vec<Version<'a>>> = HashMap::new();
        for (index, page, challenge) in ctx.challenges() {
            versions.entry(&page.key).or_default().push(Version {
                index,
                page,
                challenge,
            });
        }
        RelatedIndex {
            links: crate::content::links_by_key(&ctx.site.pages),
            versions,
            default: ctx.config.language,
        }
    }

    /// The challenges related to `page`, each in `page`'s language when it
    /// has that version, else in the site's language.
    fn of(&self, page: &Page) -> Vec<(Relation, &Version<'a>)> {
        let Some(links) = self.links.get(&page.key) else {
            return Vec::new();
        };
        links
            .iter()
            .filter_map(|(key, relation)| {
                let versions = self.versions.get(key.as_str())?;
                let pick = |lang| versions.iter().find(|v| v.page.lang == lang);
                let v = pick(page.lang)
                    .or_else(|| pick(self.default))
                    .or(versions.first())?;
                Some((*relation, v))
            })
            .collect()
    }
}

/// Each CPV code with its name in `lang` and its division.
fn cpv_json(c: &Challenge, lang: crate::model::Lang) -> Vec<CpvJson> {
    c.cpv
        .iter()
        .map(|code| {
            let named = crate::content::cpv_name(code, lang);
            CpvJson {
                code: code.clone(),
                name: named.map(|(n, _)| n),
                exact: named.is_some_and(|(_, own)| own),
                division: crate::content::cpv_division(code).map(|(d, _)| d),
            }
        })
        .collect()
}

fn facts_json(c: &Challenge) -> Vec<FactJson<'_>> {
    c.facts
        .iter()
        .map(|f| FactJson {
            label: &f.label,
            value: &f.value,
        })
        .collect()
}

fn documents_json<'a>(ctx: &OutputContext<'_>, c: &'a Challenge) -> Vec<DocumentJson<'a>> {
    c.documents
        .iter()
        .map(|d| {
            let file = document_file(ctx, &d.target);
            DocumentJson {
                title: &d.title,
                url: file.url,
                external: file.external,
                kind: file.extension.map(|e| e.to_ascii_uppercase()),
                media_type: file.media_type,
                size_bytes: file.size,
            }
        })
        .collect()
}

fn updates_json(c: &Challenge) -> Vec<UpdateJson<'_>> {
    c.updates
        .iter()
        .map(|u| {
            let (deadline_from, deadline_to) = moved(&u.deadline);
            let (questions_deadline_from, questions_deadline_to) = moved(&u.questions_deadline);
            UpdateJson {
                date: date(&u.date),
                text: given(&u.text),
                deadline_from,
                deadline_to,
                questions_deadline_from,
                questions_deadline_to,
            }
        })
        .collect()
}

/// The questions, each with the address of its answer on the page at `url`.
fn questions_json<'a>(c: &'a Challenge, url: &str) -> Vec<QuestionJson<'a>> {
    c.questions
        .iter()
        .map(|q| QuestionJson {
            question: &q.question,
            answer: given(&q.answer),
            asked: date(&q.asked),
            answered: q.answered.as_ref().map(date),
            url: format!("{url}#{}", q.anchor),
        })
        .collect()
}

fn events_json(c: &Challenge) -> Vec<EventJson<'_>> {
    c.events
        .iter()
        .map(|e| EventJson {
            title: &e.title,
            start: date(&e.start),
            end: date(&e.end),
            place: given(&e.place),
            url: given(&e.url).map(encode_uri),
            description: given(&e.description),
        })
        .collect()
}

fn phases_json(c: &Challenge) -> Vec<PhaseJson<'_>> {
    c.phases
        .iter()
        .map(|p| PhaseJson {
            name: &p.name,
            start: date(&p.start),
            end: date(&p.end),
            pay: given(&p.pay),
            suppliers: given(&p.suppliers),
        })
        .collect()
}

/// The before and after of a moved deadline, both `None` when the amendment
/// left it alone.
fn moved(change: &Option<(Option<Moment>, Moment)>) -> (Option<String>, Option<String>) {
    match change {
        Some((old, new)) => (old.as_ref().map(date), Some(date(new))),
        None => (None, None),
    }
}

/// What both files say about a document.
struct DocumentFile {
    url: String,
    external: bool,
    /// Lower-case file extension, when the name has one.
    extension: Option<String>,
    media_type: Option<&'static str>,
    size: Option<u64>,
}

fn document_file(ctx: &OutputContext<'_>, target: &DocumentTarget) -> DocumentFile {
    match target {
        DocumentTarget::File {
            out_path,
            size,
            kind,
        } => {
            let extension = given(kind).map(str::to_ascii_lowercase);
            DocumentFile {
                url: absolute(ctx, out_path),
                external: false,
                media_type: extension.as_deref().and_then(media_type),
                extension,
                size: Some(*size),
            }
        }
        DocumentTarget::Url(url) => {
            let extension = url_extension(url);
            DocumentFile {
                url: encode_uri(url),
                external: true,
                media_type: extension.as_deref().and_then(media_type),
                extension,
                size: None,
            }
        }
    }
}

/// The extension of the last segment of a URL's path (`pdf` for
/// `https://x.se/a/b.pdf?v=2`), if it looks like one.
fn url_extension(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    // Without a path (`https://x.se`) the host's dot is not an extension.
    let (_, path) = rest.split_once('/')?;
    let path = path.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    let (stem, ext) = last.rsplit_once('.')?;
    let plausible = !stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    plausible.then(|| ext.to_ascii_lowercase())
}

/// The IANA media type of a file extension, for the formats documents are
/// usually published in. Unknown extensions give `None` rather than a guess.
fn media_type(extension: &str) -> Option<&'static str> {
    Some(match extension {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "htm" | "html" => "text/html",
        "ics" => "text/calendar",
        "json" => "application/json",
        "xml" => "application/xml",
        "rtf" => "application/rtf",
        "zip" => "application/zip",
        "epub" => "application/epub+zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Contracting processes: a challenge and its translations
// ---------------------------------------------------------------------------

/// One language version of a challenge.
struct Version<'a> {
    index: usize,
    page: &'a Page,
    challenge: &'a Challenge,
}

/// A challenge with its translations: one contracting process, so one OCID
/// and one OCDS release however many languages it is written in.
struct Process<'a> {
    versions: Vec<Version<'a>>,
    /// Which version speaks for the process: the site's default language
    /// when there is one, else the first.
    primary: usize,
}

impl<'a> Process<'a> {
    fn primary(&self) -> &Version<'a> {
        &self.versions[self.primary]
    }

    /// The stable id of the process, the local part of its OCID.
    fn process_id(&self) -> String {
        let pages: Vec<&Page> = self.versions.iter().map(|v| v.page).collect();
        crate::content::process_id_of(&pages, self.primary().page)
    }
}

/// The published challenges grouped with their translations (pages sharing
/// a `key`), in the order their first version appears.
fn processes<'a>(ctx: &'a OutputContext<'a>) -> Vec<Process<'a>> {
    let mut order: Vec<Process<'a>> = Vec::new();
    let mut by_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, page, challenge) in ctx.challenges() {
        let version = Version {
            index,
            page,
            challenge,
        };
        match by_key.get(page.key.as_str()) {
            Some(&at) => order[at].versions.push(version),
            None => {
                by_key.insert(&page.key, order.len());
                order.push(Process {
                    versions: vec![version],
                    primary: 0,
                });
            }
        }
    }
    for process in &mut order {
        process.primary = process
            .versions
            .iter()
            .position(|v| v.page.lang == ctx.config.language)
            .unwrap_or(0);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_id_is_the_address_without_slashes_at_the_ends() {
        let page = Page::for_tests(
            "challenges/klimat.md",
            "challenges/klimat/",
            "",
            crate::content::PageKind::Plain,
        );
        assert_eq!(stable_id(&page), "challenges/klimat");
    }

    #[test]
    fn extensions_and_media_types() {
        assert_eq!(
            url_extension("https://x.se/a/b.PDF?v=2#p").as_deref(),
            Some("pdf")
        );
        assert_eq!(url_extension("https://x.se"), None);
        assert_eq!(url_extension("https://x.se/"), None);
        assert_eq!(url_extension("https://x.se/rapport"), None);
        assert_eq!(url_extension("https://x.se/.htaccess"), None);
        assert_eq!(media_type("pdf"), Some("application/pdf"));
        assert_eq!(media_type("txt"), Some("text/plain"));
        assert_eq!(media_type("exe"), None);
    }
}
