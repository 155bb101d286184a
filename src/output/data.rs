//! Open data: `api/challenges.json` and the OCDS release package
//! `api/ocds.json`.
//!
//! Both files are documented in `docs/api.md`; that page is the contract
//! with the people who harvest them, so a change here that renames or removes
//! a field needs a new major `version` there.
//!
//! Both are rendered from typed structs, never from hash maps, so that the
//! same content and the same `--now` give byte-identical files: harvesters
//! compare them to detect changes, and the build only rewrites files whose
//! bytes changed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputContext;
use crate::config::lang_code;
use crate::content::{Challenge, DocumentTarget, Page, Stage};
use crate::emit::{Output, OutputData};
use crate::escape::{encode_path, encode_uri};
use crate::model::Generated;
use crate::model::Lang;
use crate::time::{self, Moment, Status, Timestamp};

/// The folder of the open data; every file in it is the build's.
pub const API_DIR: &str = "api/";

/// Output path of the JSON of all challenges.
pub const CHALLENGES_PATH: &str = "api/challenges.json";

/// Output path of the OCDS release package.
pub const OCDS_PATH: &str = "api/ocds.json";

/// Where the open data goes.
pub(super) fn generated() -> Vec<Generated> {
    vec![Generated::folder(
        API_DIR,
        format!("the open data ({CHALLENGES_PATH}, {OCDS_PATH})"),
    )]
}

/// Format version of `api/challenges.json`. Additive changes keep 1.x; a
/// renamed, removed or retyped field makes 2.0 (see `docs/api.md`).
pub const FORMAT_VERSION: &str = "1.0";

/// The OCDS schema version the package follows (major.minor, as the package
/// schema's `version` pattern requires).
pub const OCDS_VERSION: &str = "1.1";

/// Prefix of every OCID Utlys writes.
///
/// OCDS wants a prefix registered with the Open Contracting Partnership
/// (`ocds-` and six characters). Utlys cannot register one for each portal,
/// so it uses this unregistered prefix followed by the portal's host and path,
/// which keeps OCIDs from two portals apart; `docs/api.md` tells publishers
/// to register their own prefix.
pub const OCID_PREFIX: &str = "ocds-utlys-";

/// Renders `api/challenges.json` and `api/ocds.json` into memory.
#[cfg(test)]
fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let mut challenges = Vec::new();
    write_challenges(ctx, &mut challenges).expect("writing to memory does not fail");
    vec![
        Output {
            path: CHALLENGES_PATH.into(),
            data: OutputData::Bytes(challenges),
        },
        ocds(ctx),
    ]
}

/// `api/ocds.json`.
pub fn ocds(ctx: &OutputContext<'_>) -> Output {
    Output {
        path: OCDS_PATH.into(),
        data: OutputData::Bytes(pretty(&release_package(ctx))),
    }
}

/// Writes `api/challenges.json`, the largest output (it carries every
/// challenge's text), piece by piece.
pub fn write_challenges(
    ctx: &OutputContext<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &challenges_file(ctx)).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
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
    ocid: String,
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
    outcome: Option<&'a str>,
    body_html: &'a str,
    updates: Vec<UpdateJson<'a>>,
    questions: Vec<QuestionJson<'a>>,
    events: Vec<EventJson<'a>>,
    phases: Vec<PhaseJson<'a>>,
    calendar_url: String,
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
    let ocids: BTreeMap<usize, String> = groups
        .iter()
        .flat_map(|g| {
            let ocid = ocid(&ctx.config.base_url, &stable_id(g.primary().page));
            g.versions.iter().map(move |v| (v.index, ocid.clone()))
        })
        .collect();
    let challenges = ctx
        .challenges()
        .map(|(index, page, c)| {
            let ocid = ocids.get(&index).cloned().unwrap_or_default();
            challenge_json(ctx, index, page, c, ocid)
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
    ocid: String,
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

/// The OCID of the challenge with stable id `id` on the portal at
/// `base_url`: the prefix, then host, path and id with `/` and `:` written
/// as `-` (`ocds-utlys-example.se-utmaningar-challenges-klimat`).
///
/// The host and path make OCIDs from different portals differ even though
/// they share the unregistered prefix.
pub fn ocid(base_url: &str, id: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let site = rest.trim_end_matches('/');
    let local = if id.is_empty() {
        site.to_string()
    } else {
        format!("{site}/{id}")
    };
    let local: String = local
        .chars()
        .map(|ch| match ch {
            '/' | ':' => '-',
            other => other.to_ascii_lowercase(),
        })
        .collect();
    format!("{OCID_PREFIX}{local}")
}

// ---------------------------------------------------------------------------
// api/ocds.json
// ---------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleasePackage<'a> {
    uri: String,
    version: &'static str,
    published_date: String,
    publisher: Publisher<'a>,
    releases: Vec<Release<'a>>,
}

#[derive(Serialize)]
struct Publisher<'a> {
    name: &'a str,
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Release<'a> {
    ocid: String,
    id: String,
    date: String,
    tag: Vec<&'static str>,
    initiation_type: &'static str,
    language: &'static str,
    buyer: OrganizationReference<'a>,
    parties: Vec<Organization<'a>>,
    tender: Tender<'a>,
}

#[derive(Serialize)]
struct OrganizationReference<'a> {
    id: String,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Organization<'a> {
    id: String,
    name: &'a str,
    roles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_point: Option<ContactPoint<'a>>,
}

#[derive(Serialize)]
struct ContactPoint<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tender<'a> {
    id: String,
    title: &'a str,
    description: &'a str,
    /// `title_en`, `description_en`…: the translations, as OCDS language
    /// variants of the two fields.
    #[serde(flatten)]
    translations: BTreeMap<String, &'a str>,
    status: &'static str,
    procuring_entity: OrganizationReference<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procurement_method_details: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    submission_method: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submission_method_details: Option<String>,
    tender_period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    enquiry_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_enquiries: Option<bool>,
    documents: Vec<OcdsDocument<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    milestones: Vec<Milestone<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    amendments: Vec<Amendment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: &'static str,
    description: String,
    classification: Classification,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    additional_classifications: Vec<Classification>,
}

#[derive(Serialize)]
struct Classification {
    scheme: &'static str,
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OcdsDocument<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_type: Option<&'static str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Milestone<'a> {
    id: String,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    due_date: String,
    status: &'static str,
}

#[derive(Serialize)]
struct Amendment {
    id: String,
    date: String,
    description: String,
}

fn release_package<'a>(ctx: &'a OutputContext<'a>) -> ReleasePackage<'a> {
    ReleasePackage {
        uri: ctx.permalink(OCDS_PATH),
        version: OCDS_VERSION,
        published_date: build_clock(ctx),
        publisher: Publisher {
            name: &ctx.config.title,
            uri: &ctx.config.base_url,
        },
        releases: processes(ctx)
            .iter()
            .map(|process| release(ctx, process))
            .collect(),
    }
}

/// `tender.status` for a challenge at `stage` whose deadline status is
/// `status`, from the OCDS 1.1 tenderStatus codelist.
///
/// - `need`, `challenge`: `planning`, "a future contracting process is being
///   considered", with early information in the tender section.
/// - `rfi`, `dialogue`, `procurement`: `planned` before `opens`, `active`
///   while answers are taken. After the deadline an RFI or a dialogue is
///   `complete` (nothing follows within it), while a procurement stays
///   `active`: its tender process (evaluation, award) goes on until the
///   challenge moves to the concept stage.
/// - `concept`, `prototype`, `pilot`, `implementation`: `complete`, the
///   tender is over and the work runs under contract.
/// - `cancelled`: `cancelled`.
pub fn tender_status(stage: Stage, status: Status) -> &'static str {
    match stage {
        Stage::Need | Stage::Challenge => "planning",
        Stage::Rfi | Stage::Dialogue | Stage::Procurement => match status {
            Status::Upcoming => "planned",
            Status::Open | Status::ClosingSoon => "active",
            Status::Closed if stage == Stage::Procurement => "active",
            Status::Closed => "complete",
        },
        Stage::Concept | Stage::Prototype | Stage::Pilot | Stage::Implementation => "complete",
        Stage::Cancelled => "cancelled",
    }
}

/// The release tag, from the closed releaseTag codelist: `planning` (or
/// `planningUpdate` once amended) before there is anything to answer,
/// `tenderCancellation` for a stopped challenge, else `tender` (or
/// `tenderAmendment` once amended).
pub fn release_tag(stage: Stage, amended: bool) -> &'static str {
    match (stage, amended) {
        (Stage::Need | Stage::Challenge, false) => "planning",
        (Stage::Need | Stage::Challenge, true) => "planningUpdate",
        (Stage::Cancelled, _) => "tenderCancellation",
        (_, false) => "tender",
        (_, true) => "tenderAmendment",
    }
}

/// `tender.procurementMethodDetails` for stages that are not a procurement,
/// in the release's language: harvesters that list every `active` tender
/// must not take an RFI for a call for bids.
fn method_details(stage: Stage, lang: Lang) -> Option<&'static str> {
    Some(match (stage, lang) {
        (Stage::Rfi, Lang::Sv) => "Förfrågan om information (RFI); inte en upphandling",
        (Stage::Rfi, Lang::En) => "Request for information; not a procurement",
        (Stage::Dialogue, Lang::Sv) => "Marknadsdialog; inte en upphandling",
        (Stage::Dialogue, Lang::En) => "Market dialogue; not a procurement",
        _ => return None,
    })
}

/// A CPV code as OCDS classifications carry it: the eight digits without
/// the check digit (`72000000-5` → `72000000`), as in eForms and TED, so
/// the codes join those datasets. The codelist allows either form.
pub fn cpv_id(code: &str) -> &str {
    let code = code.trim();
    code.split_once('-')
        .map_or(code, |(digits, _)| digits.trim())
}

/// `scheduled` while a milestone's date is ahead of the build clock, `met`
/// once it has passed: the content model has no "cancelled" state for a
/// meeting or phase, so a past one that is still listed is taken as held.
fn milestone_status(due: &Moment, now: Timestamp) -> &'static str {
    if due.zoned.timestamp() > now {
        "scheduled"
    } else {
        "met"
    }
}

/// The party id of a buyer: its name as a slug, stable as long as the name is.
fn party_id(buyer: &str) -> String {
    let slug = slug::slugify(buyer);
    if slug.is_empty() {
        "buyer".to_string()
    } else {
        slug
    }
}

fn release<'a>(ctx: &'a OutputContext<'a>, process: &Process<'a>) -> Release<'a> {
    let Version {
        page, challenge: c, ..
    } = *process.primary();
    let lang = page.lang;
    let ocid = ocid(&ctx.config.base_url, &stable_id(page));
    let url = absolute(ctx, &page.url_path);
    let latest_update = c.updates.iter().max_by_key(|u| u.date.zoned.timestamp());
    let released = latest_update.map_or(&c.published, |u| &u.date);
    let buyer_id = party_id(&c.buyer);
    let latest = latest_update.map(|u| &u.date);
    let tender = Tender {
        id: ocid.clone(),
        title: &page.title,
        description: &page.summary,
        translations: translations(process, lang),
        status: tender_status(c.stage, c.status),
        procuring_entity: OrganizationReference {
            id: buyer_id.clone(),
            name: &c.buyer,
        },
        items: items(page, c),
        procurement_method_details: method_details(c.stage, lang),
        submission_method: match &c.respond {
            Some(r) if given(&r.url).is_some() => vec!["electronicSubmission"],
            _ => Vec::new(),
        },
        submission_method_details: submission_method_details(c),
        tender_period: Period {
            start_date: Some(date(c.opens.as_ref().unwrap_or(&c.published))),
            end_date: c.deadline.as_ref().map(date),
        },
        enquiry_period: c.questions_deadline.as_ref().map(|q| Period {
            start_date: None,
            end_date: Some(date(q)),
        }),
        has_enquiries: (!c.questions.is_empty()).then_some(true),
        documents: documents(ctx, process, &url, latest),
        milestones: milestones(ctx, c, lang),
        amendments: amendments(c),
    };

    let contact_point = c.contact.as_ref().map(|p| ContactPoint {
        name: &p.name,
        email: given(&p.email),
        telephone: given(&p.phone),
    });
    let mut release = Release {
        ocid,
        id: String::new(),
        date: date(released),
        tag: vec![release_tag(c.stage, !c.updates.is_empty())],
        initiation_type: "tender",
        language: lang_code(lang),
        buyer: OrganizationReference {
            id: buyer_id.clone(),
            name: &c.buyer,
        },
        parties: vec![Organization {
            id: buyer_id,
            name: &c.buyer,
            roles: vec!["buyer", "procuringEntity"],
            contact_point,
        }],
        tender,
    };
    release.id = release_id(released, &release);
    release
}

/// The title and description of the process's other languages
/// (`title_en`, `description_en`…), beside those of `lang`.
fn translations<'a>(process: &Process<'a>, lang: Lang) -> BTreeMap<String, &'a str> {
    let mut translations = BTreeMap::new();
    for v in &process.versions {
        if v.page.lang != lang {
            let code = lang_code(v.page.lang);
            translations.insert(format!("title_{code}"), v.page.title.as_str());
            translations.insert(format!("description_{code}"), v.page.summary.as_str());
        }
    }
    translations
}

/// How to respond, as one text: the address, then the instructions.
fn submission_method_details(c: &Challenge) -> Option<String> {
    c.respond.as_ref().and_then(|r| {
        let parts: Vec<&str> = [r.url.trim(), r.instructions.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    })
}

fn amendments(c: &Challenge) -> Vec<Amendment> {
    c.updates
        .iter()
        .enumerate()
        .map(|(i, u)| Amendment {
            id: format!("amendment-{}", i + 1),
            date: date(&u.date),
            description: amendment_description(u),
        })
        .collect()
}

/// The release id: the release date, then a hash of everything else in the
/// release (`2023-07-03-5f1c2b9a`).
///
/// OCDS treats a release as immutable: the same `ocid` and `id` must always
/// carry the same data. The date makes a new amendment visible in the id;
/// the hash also changes it when the status moves on at a deadline or the
/// text is corrected, and keeps it when nothing changed, so that repeated
/// builds publish the same release.
fn release_id(released: &Moment, release: &Release<'_>) -> String {
    // Serializing our own types cannot fail (see `pretty`); an empty hash
    // input would still give a well-formed id.
    let bytes = serde_json::to_vec(release).unwrap_or_default();
    format!("{}-{:08x}", released.zoned.date(), fold(fnv1a(&bytes)))
}

/// 64-bit FNV-1a: tiny, and unlike `std`'s hasher its output is specified,
/// so ids do not change with the Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// 32 bits are plenty to tell apart the few releases of one process, and
/// keep the id short.
fn fold(hash: u64) -> u32 {
    // Truncation is the point: both halves are mixed in first.
    ((hash >> 32) ^ (hash & 0xffff_ffff)) as u32
}

/// One item for the work asked for, classified by the first CPV code with
/// the others as additional classifications (like eForms' main and
/// additional classification). No CPV code, no item: an item without a
/// classification tells a harvester nothing the title does not.
fn items(page: &Page, c: &Challenge) -> Vec<Item> {
    // The schema wants additional classifications to be unique, and
    // `72000000-5` written twice, or with and without the check digit, is
    // one code.
    let mut seen = std::collections::BTreeSet::new();
    let mut codes = c
        .cpv
        .iter()
        .map(|code| cpv_id(code))
        .filter(|code| !code.is_empty() && seen.insert(*code));
    let Some(first) = codes.next() else {
        return Vec::new();
    };
    let classification = |id: &str| Classification {
        scheme: "CPV",
        id: id.to_string(),
    };
    vec![Item {
        id: "1",
        description: page.title.clone(),
        classification: classification(first),
        additional_classifications: codes.map(classification).collect(),
    }]
}

/// The tender's documents: the challenge page in each language (the
/// notice), the documents listed in front matter, each answered question
/// (clarifications) and, for a cancelled challenge, the reason.
fn documents<'a>(
    ctx: &'a OutputContext<'a>,
    process: &Process<'a>,
    url: &str,
    modified: Option<&Moment>,
) -> Vec<OcdsDocument<'a>> {
    let primary = process.primary();
    let (page, c) = (primary.page, primary.challenge);
    let notice_type = match c.stage {
        Stage::Need | Stage::Challenge => "plannedProcurementNotice",
        _ => "tenderNotice",
    };
    let mut out = Vec::new();
    for (i, v) in std::iter::once(primary)
        .chain(process.versions.iter().filter(|v| v.page.lang != page.lang))
        .enumerate()
    {
        out.push(OcdsDocument {
            id: if i == 0 {
                "notice".to_string()
            } else {
                format!("notice-{}", lang_code(v.page.lang))
            },
            document_type: Some(notice_type),
            title: &v.page.title,
            description: None,
            url: absolute(ctx, &v.page.url_path),
            date_published: Some(date(&v.challenge.published)),
            date_modified: modified.map(date),
            format: Some("text/html"),
            language: Some(lang_code(v.page.lang)),
        });
    }
    for (i, d) in c.documents.iter().enumerate() {
        let file = document_file(ctx, &d.target);
        out.push(OcdsDocument {
            id: format!("document-{}", i + 1),
            // Front matter does not say what a document is, and the
            // codelist has no "other": leaving the type out is more honest
            // than guessing "biddingDocuments" for a background report.
            document_type: None,
            title: &d.title,
            description: None,
            url: file.url,
            date_published: None,
            date_modified: None,
            format: file.media_type,
            language: None,
        });
    }
    for (i, q) in c.questions.iter().enumerate() {
        // An unanswered question clarifies nothing yet.
        if given(&q.answer).is_none() {
            continue;
        }
        out.push(OcdsDocument {
            id: format!("clarification-{}", i + 1),
            document_type: Some("clarifications"),
            title: &q.question,
            description: Some(&q.answer),
            url: format!("{url}#{}", q.anchor),
            date_published: Some(date(q.answered.as_ref().unwrap_or(&q.asked))),
            date_modified: None,
            format: Some("text/html"),
            language: Some(lang_code(page.lang)),
        });
    }
    if c.stage == Stage::Cancelled
        && let Some(outcome) = given(&c.outcome)
    {
        out.push(OcdsDocument {
            id: "cancellation".to_string(),
            document_type: Some("cancellationDetails"),
            title: &page.title,
            description: Some(outcome),
            url: url.to_string(),
            date_published: None,
            date_modified: modified.map(date),
            format: Some("text/html"),
            language: Some(lang_code(page.lang)),
        });
    }
    out
}

/// Meetings as engagement milestones due at their start, phases as delivery
/// milestones due at their end (OCDS 1.1 milestones have a single date).
fn milestones<'a>(ctx: &OutputContext<'_>, c: &'a Challenge, lang: Lang) -> Vec<Milestone<'a>> {
    let place_label = match lang {
        Lang::Sv => "Plats",
        Lang::En => "Place",
    };
    let events = c.events.iter().enumerate().map(|(i, e)| {
        let parts: Vec<String> = [
            given(&e.description).map(str::to_string),
            given(&e.place).map(|p| format!("{place_label}: {p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        Milestone {
            id: format!("event-{}", i + 1),
            title: &e.title,
            kind: "engagement",
            description: (!parts.is_empty()).then(|| parts.join("\n\n")),
            due_date: date(&e.start),
            status: milestone_status(&e.end, ctx.now),
        }
    });
    let phases = c.phases.iter().enumerate().map(|(i, p)| Milestone {
        id: format!("phase-{}", i + 1),
        title: &p.name,
        kind: "delivery",
        description: Some(phase_description(p, lang)),
        due_date: date(&p.end),
        status: milestone_status(&p.end, ctx.now),
    });
    events.chain(phases).collect()
}

/// A phase's dates, pay and number of suppliers in one line, since a
/// milestone has no fields for them.
fn phase_description(p: &crate::content::Phase, lang: Lang) -> String {
    let (pay, suppliers) = match lang {
        Lang::Sv => ("Ersättning", "Antal leverantörer"),
        Lang::En => ("Pay", "Suppliers"),
    };
    let mut text = format!("{} – {}.", p.start.zoned.date(), p.end.zoned.date());
    if let Some(v) = given(&p.pay) {
        text.push_str(&format!(" {pay}: {v}."));
    }
    if let Some(v) = given(&p.suppliers) {
        text.push_str(&format!(" {suppliers}: {v}."));
    }
    text
}

/// The amendment's text as written, followed by the moved dates as
/// `field: before → after` lines (the "semi-structured description" OCDS
/// asks for now that `changes` is deprecated), so that the old deadline is
/// not lost when the tender period shows only the new one.
fn amendment_description(u: &crate::content::Update) -> String {
    let mut lines = Vec::new();
    if let Some(text) = given(&u.text) {
        lines.push(text.trim_end().to_string());
    }
    let moves = [
        ("tender.tenderPeriod.endDate", &u.deadline),
        ("tender.enquiryPeriod.endDate", &u.questions_deadline),
    ];
    let changes: Vec<String> = moves
        .into_iter()
        .filter_map(|(field, change)| {
            let (old, new) = change.as_ref()?;
            let old = old.as_ref().map_or_else(|| "(none)".to_string(), date);
            Some(format!("{field}: {old} → {}", date(new)))
        })
        .collect();
    if !changes.is_empty() {
        lines.push(changes.join("\n"));
    }
    lines.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_map_to_tender_status_codes() {
        use Status::*;
        let all_status = [Upcoming, Open, ClosingSoon, Closed];
        for status in all_status {
            assert_eq!(tender_status(Stage::Need, status), "planning");
            assert_eq!(tender_status(Stage::Challenge, status), "planning");
            assert_eq!(tender_status(Stage::Cancelled, status), "cancelled");
            for later in [
                Stage::Concept,
                Stage::Prototype,
                Stage::Pilot,
                Stage::Implementation,
            ] {
                assert_eq!(tender_status(later, status), "complete");
            }
        }
        for stage in [Stage::Rfi, Stage::Dialogue, Stage::Procurement] {
            assert_eq!(tender_status(stage, Upcoming), "planned");
            assert_eq!(tender_status(stage, Open), "active");
            assert_eq!(tender_status(stage, ClosingSoon), "active");
        }
        assert_eq!(tender_status(Stage::Rfi, Closed), "complete");
        assert_eq!(tender_status(Stage::Dialogue, Closed), "complete");
        assert_eq!(tender_status(Stage::Procurement, Closed), "active");
    }

    #[test]
    fn every_tender_status_is_in_the_closed_codelist() {
        // tenderStatus.csv of OCDS 1.1.5 (the schema's enum).
        let codelist = [
            "planning",
            "planned",
            "active",
            "cancelled",
            "unsuccessful",
            "complete",
            "withdrawn",
        ];
        for stage in Stage::ALL {
            for status in [
                Status::Upcoming,
                Status::Open,
                Status::ClosingSoon,
                Status::Closed,
            ] {
                assert!(codelist.contains(&tender_status(stage, status)));
            }
        }
    }

    #[test]
    fn release_tags_follow_stage_and_amendments() {
        assert_eq!(release_tag(Stage::Need, false), "planning");
        assert_eq!(release_tag(Stage::Challenge, true), "planningUpdate");
        assert_eq!(release_tag(Stage::Rfi, false), "tender");
        assert_eq!(release_tag(Stage::Rfi, true), "tenderAmendment");
        assert_eq!(release_tag(Stage::Implementation, false), "tender");
        assert_eq!(release_tag(Stage::Cancelled, false), "tenderCancellation");
        assert_eq!(release_tag(Stage::Cancelled, true), "tenderCancellation");
    }

    #[test]
    fn ocid_holds_prefix_host_path_and_id() {
        assert_eq!(
            ocid("https://utmaningar.example.se/", "challenges/klimat"),
            "ocds-utlys-utmaningar.example.se-challenges-klimat"
        );
        assert_eq!(
            ocid("https://Example.se/utmaningar/", "challenges/klimat"),
            "ocds-utlys-example.se-utmaningar-challenges-klimat"
        );
        assert_eq!(
            ocid("http://localhost:1111/", "en/challenges/a"),
            "ocds-utlys-localhost-1111-en-challenges-a"
        );
        // OCDS forbids `#` in release ids; nothing here can produce one, and
        // the OCID never has spaces or slashes.
        let id = ocid("https://example.se/a/", "challenges/b");
        assert!(!id.contains(['#', '/', ' ']));
    }

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
    fn cpv_codes_lose_the_check_digit() {
        assert_eq!(cpv_id("72000000-5"), "72000000");
        assert_eq!(cpv_id(" 48000000-8 "), "48000000");
        assert_eq!(cpv_id("72000000"), "72000000");
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

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference: the empty string and "a".
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    mod rendered {
        use super::super::*;
        use crate::config::Config;
        use crate::content::{PageKind, Site, Update};
        use crate::model::{PageHtml, Strings};
        use std::path::Path;

        fn config() -> Config {
            Config::parse(
                "title = \"Portal\"\nbase_url = \"https://example.se/utmaningar/\"\n",
                Path::new("site.toml"),
            )
            .expect("the test settings are valid")
        }

        fn at(s: &str, config: &Config) -> Moment {
            time::resolve(s, &config.timezone, config.deadline_time).expect("valid test date")
        }

        fn challenge(config: &Config) -> Challenge {
            Challenge {
                cpv: vec!["72000000-5".into()],
                ..Challenge::for_tests(
                    "Exempelstad",
                    at("2023-06-15T00:00", config),
                    Some(at("2023-08-31", config)),
                )
            }
        }

        fn page(c: Challenge) -> Page {
            Page {
                summary: "Sammanfattning på svenska".into(),
                ..Page::for_tests(
                    "challenges/a.md",
                    "challenges/a/",
                    "A \"quoted\" </script> title",
                    PageKind::Challenge(Box::new(c)),
                )
            }
        }

        fn render_with(c: Challenge) -> (String, serde_json::Value) {
            let config = config();
            let site = Site {
                pages: vec![page(c)],
                assets: Vec::new(),
                unloadable: Vec::new(),
            };
            let html = vec![std::sync::Arc::new(PageHtml::default())];
            let strings = Strings::new();
            let ctx = OutputContext {
                config: &config,
                site: &site,
                html: &html,
                strings: &strings,
                strings_by_lang: &std::collections::BTreeMap::new(),
                now: "2023-08-25T08:00:00Z".parse().expect("valid timestamp"),
            };
            let outputs = render(&ctx);
            let ocds = outputs
                .iter()
                .find(|o| o.path == OCDS_PATH)
                .expect("the package is rendered");
            let OutputData::Bytes(bytes) = &ocds.data else {
                panic!("rendered, not copied");
            };
            let text = String::from_utf8(bytes.clone()).expect("UTF-8");
            let value = serde_json::from_str(&text).expect("valid JSON");
            (text, value)
        }

        #[test]
        fn same_input_gives_the_same_bytes() {
            let config = config();
            let (a, _) = render_with(challenge(&config));
            let (b, _) = render_with(challenge(&config));
            assert_eq!(a, b);
            assert!(a.ends_with("}\n"));
        }

        #[test]
        fn release_fields() {
            let config = config();
            let (_, v) = render_with(challenge(&config));
            let r = &v["releases"][0];
            assert_eq!(r["ocid"], "ocds-utlys-example.se-utmaningar-challenges-a");
            assert_eq!(r["tag"][0], "tender");
            assert_eq!(r["tender"]["status"], "active");
            assert_eq!(r["tender"]["title"], "A \"quoted\" </script> title");
            assert_eq!(
                r["tender"]["tenderPeriod"]["endDate"],
                "2023-08-31T23:59:00+02:00"
            );
            assert_eq!(r["tender"]["items"][0]["classification"]["id"], "72000000");
            let id = r["id"].as_str().expect("a string id");
            assert!(id.starts_with("2023-06-15-"), "{id}");
            assert_eq!(v["uri"], "https://example.se/utmaningar/api/ocds.json");
        }

        #[test]
        fn an_amendment_makes_a_new_release_id() {
            let config = config();
            let before = challenge(&config);
            let mut after = before.clone();
            let old = after.deadline.clone();
            let new = at("2023-09-15", &config);
            after.deadline = Some(new.clone());
            after.updates.push(Update {
                date: at("2023-08-20T00:00", &config),
                text: "Förlängd svarstid.".into(),
                deadline: Some((old, new)),
                questions_deadline: None,
            });
            let (_, a) = render_with(before);
            let (_, b) = render_with(after);
            let (ra, rb) = (&a["releases"][0], &b["releases"][0]);
            assert_ne!(ra["id"], rb["id"]);
            assert_eq!(ra["ocid"], rb["ocid"]);
            assert!(
                rb["id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("2023-08-20-"))
            );
            assert_eq!(rb["tag"][0], "tenderAmendment");
            let amendment = &rb["tender"]["amendments"][0];
            assert_eq!(amendment["date"], "2023-08-20T00:00:00+02:00");
            assert_eq!(
                amendment["description"],
                "Förlängd svarstid.\n\ntender.tenderPeriod.endDate: \
                 2023-08-31T23:59:00+02:00 → 2023-09-15T23:59:00+02:00"
            );
        }

        #[test]
        fn a_status_change_makes_a_new_release_id() {
            let config = config();
            let open = challenge(&config);
            let mut closed = open.clone();
            closed.status = Status::Closed;
            let (_, a) = render_with(open);
            let (_, b) = render_with(closed);
            assert_ne!(a["releases"][0]["id"], b["releases"][0]["id"]);
            assert_eq!(b["releases"][0]["tender"]["status"], "complete");
        }
    }
}
