//! The OCDS files: `api/ocds.json`, a release package holding every
//! release of every challenge, and `api/ocds-records.json`, a record
//! package with one record per challenge holding its releases and the
//! compiled release.
//!
//! Each release records one dated thing the content tells: the
//! publication, an amendment, an answered question, the opening or the
//! closing of the answer period, a meeting or phase that has ended, and the
//! stage a challenge has reached after its tender (a cancellation, or the
//! work under way). A release's id is made from the OCID, the date and the
//! kind of thing it records, never from the build clock, so building again
//! gives the same releases, and a new amendment adds a release without
//! changing the others. The mapping is documented in `docs/api.md`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{
    OCDS_VERSION, OutputContext, Process, Version, absolute, build_clock, date, document_file,
    given, pretty, processes,
};
use crate::config::lang_code;
use crate::content::{
    Challenge, Event, Page, Phase, Question, Region, RegionKind, Stage, Suitable, Update,
};
use crate::emit::{Output, OutputData};
use crate::model::Lang;
use crate::output::timeline::{self, Kind, Reading, Step, answered};
use crate::time::{Moment, Status, Timestamp};

mod compile;

/// Output path of the OCDS release package.
pub const OCDS_PATH: &str = "api/ocds.json";

/// Output path of the OCDS record package.
pub const RECORDS_PATH: &str = "api/ocds-records.json";

/// The Location extension, as the OCDS extension registry names it: its
/// `master` version, the one with `tender.deliveryLocations` and
/// `tender.deliveryAddresses` (the tagged v1.1.5 has only one location per
/// item). Declared only by packages that use its fields.
const LOCATION_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json";

/// The Suitability extension (`tender.suitability.sme`), as the registry
/// names it; `master` is its only version. Declared only by packages that
/// use its field.
const SUITABILITY_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json";

/// The OCID of the process with stable id `id` under the publisher's
/// registered `prefix` (`ocds-213czf-challenges-klimat`).
pub fn ocid(prefix: &str, id: &str) -> String {
    format!("{prefix}-{id}")
}

/// The OCID of every published challenge's process, by page index; empty
/// when the site has no `ocid_prefix`.
pub(super) fn ocids(ctx: &OutputContext<'_>, groups: &[Process<'_>]) -> BTreeMap<usize, String> {
    let Some(prefix) = ctx.config.ocid_prefix.as_deref() else {
        return BTreeMap::new();
    };
    groups
        .iter()
        .flat_map(|g| {
            let ocid = ocid(prefix, &g.process_id());
            g.versions.iter().map(move |v| (v.index, ocid.clone()))
        })
        .collect()
}

/// `api/ocds.json` and `api/ocds-records.json`; nothing when the site has
/// no `ocid_prefix` (the build says so, see [`missing_prefix_note`]).
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let Some(prefix) = ctx.config.ocid_prefix.as_deref() else {
        return Vec::new();
    };
    let processes = processes(ctx);
    let mut links = related_processes(ctx, prefix, &processes);
    let histories: Vec<History<'_>> = processes
        .iter()
        .map(|p| {
            let own = links
                .remove(p.primary().page.key.as_str())
                .unwrap_or_default();
            history(ctx, prefix, p, own)
        })
        .collect();
    let publisher = Publisher {
        name: &ctx.config.title,
        uri: &ctx.config.base_url,
    };
    let extensions = extensions(histories.iter().flat_map(|h| &h.releases));
    let package = ReleasePackage {
        uri: ctx.permalink(OCDS_PATH),
        version: OCDS_VERSION,
        extensions: extensions.clone(),
        published_date: build_clock(ctx),
        publisher: publisher.clone(),
        releases: histories.iter().flat_map(|h| &h.releases).collect(),
    };
    let records = RecordPackage {
        uri: ctx.permalink(RECORDS_PATH),
        version: OCDS_VERSION,
        extensions,
        published_date: build_clock(ctx),
        publisher,
        packages: vec![ctx.permalink(OCDS_PATH)],
        records: histories.iter().map(record).collect(),
    };
    vec![
        Output {
            path: OCDS_PATH.into(),
            data: OutputData::Bytes(pretty(&package)),
        },
        Output {
            path: RECORDS_PATH.into(),
            data: OutputData::Bytes(pretty(&records)),
        },
    ]
}

/// The related processes of every process, by the page key of its
/// primary version: the links it names and those naming it, each with the
/// OCDS relationship when the codelist has one that fits (see
/// [`relationship`]).
fn related_processes<'a>(
    ctx: &'a OutputContext<'a>,
    prefix: &str,
    processes: &[Process<'a>],
) -> HashMap<&'a str, Vec<Link<'a>>> {
    let by_key: HashMap<&str, &Process<'a>> = processes
        .iter()
        .map(|p| (p.primary().page.key.as_str(), p))
        .collect();
    let mut out: HashMap<&'a str, Vec<Link<'a>>> = HashMap::new();
    for (key, links) in crate::content::links_by_key(&ctx.site.pages) {
        let Some(this) = by_key.get(key.as_str()) else {
            continue;
        };
        let own = this.primary();
        let list = links
            .iter()
            .filter_map(|(other, relation)| {
                let other_process = by_key.get(other.as_str())?;
                let other = other_process.primary();
                let later = if other.challenge.published.zoned.timestamp()
                    > own.challenge.published.zoned.timestamp()
                {
                    &other.challenge.published
                } else {
                    &own.challenge.published
                };
                let process = RelatedProcess {
                    id: other_process.process_id(),
                    relationship: relationship(*relation, other.challenge),
                    title: &other.page.title,
                    scheme: "ocid",
                    identifier: ocid(prefix, &other_process.process_id()),
                    uri: ctx.permalink(RECORDS_PATH),
                };
                Some(Link {
                    process,
                    since: later,
                })
            })
            .collect();
        out.insert(own.page.key.as_str(), list);
    }
    out
}

/// The relatedProcess codes for a process that stands to `other` as
/// `relation` says: `planning` when it follows on from a challenge that
/// prepares a procurement (a need, a challenge, an RFI, a market dialogue), `unsuccessfulProcess` when it
/// follows on from a cancelled one. The codelist has no code for a process
/// that a later one follows, nor for two that merely belong together:
/// those are listed without one.
fn relationship(relation: crate::content::Relation, other: &Challenge) -> Vec<&'static str> {
    use crate::content::Relation;
    match relation {
        Relation::Follows if other.stage == Stage::Cancelled => vec!["unsuccessfulProcess"],
        Relation::Follows
            if matches!(
                other.stage,
                Stage::Need | Stage::Challenge | Stage::Rfi | Stage::Dialogue
            ) =>
        {
            vec!["planning"]
        }
        _ => Vec::new(),
    }
}

/// The line `build` and `check` print once for a site with challenges but
/// no `ocid_prefix`: what is not written, and how to get a prefix.
pub fn missing_prefix_note() -> crate::diagnostics::Msg {
    crate::diagnostics::Msg::new(
        "note: site.toml har ingen `ocid_prefix`, så OCDS-filerna (api/ocds.json, \
         api/ocds-records.json) skrivs inte. Registrera ett prefix hos Open \
         Contracting Partnership (gratis; se docs/api.md) och lägg till det, t.ex. \
         `ocid_prefix = \"ocds-213czf\"`.",
        "note: site.toml has no `ocid_prefix`, so the OCDS files (api/ocds.json, \
         api/ocds-records.json) are not written. Register a prefix with the Open \
         Contracting Partnership (free; see docs/api.md) and add it, e.g. \
         `ocid_prefix = \"ocds-213czf\"`.",
    )
}

// ---------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleasePackage<'a> {
    uri: String,
    version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extensions: Vec<&'static str>,
    published_date: String,
    publisher: Publisher<'a>,
    releases: Vec<&'a Release<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordPackage<'a> {
    uri: String,
    version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extensions: Vec<&'static str>,
    published_date: String,
    publisher: Publisher<'a>,
    packages: Vec<String>,
    records: Vec<Record<'a>>,
}

#[derive(Serialize, Clone)]
struct Publisher<'a> {
    name: &'a str,
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    ocid: &'a str,
    releases: &'a [Release<'a>],
    compiled_release: serde_json::Value,
}

/// Every release of one process, oldest first.
struct History<'a> {
    ocid: String,
    releases: Vec<Release<'a>>,
}

fn record<'a>(h: &'a History<'a>) -> Record<'a> {
    let values: Vec<serde_json::Value> = h
        .releases
        .iter()
        // Serializing our own types cannot fail (see `pretty`).
        .filter_map(|r| serde_json::to_value(r).ok())
        .collect();
    Record {
        ocid: &h.ocid,
        releases: &h.releases,
        compiled_release: compile::compile(&h.ocid, &values),
    }
}

// ---------------------------------------------------------------------------
// Releases
// ---------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Release<'a> {
    ocid: String,
    id: String,
    date: String,
    tag: Vec<&'static str>,
    initiation_type: &'static str,
    language: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer: Option<OrganizationReference<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<Organization<'a>>,
    tender: Tender<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_processes: Vec<RelatedProcess<'a>>,
}

/// A challenge of the site this one is related to, by its OCID.
#[derive(Serialize, Clone)]
struct RelatedProcess<'a> {
    /// The other process's stable id: unique in the list, and the same in
    /// every release.
    id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relationship: Vec<&'static str>,
    title: &'a str,
    scheme: &'static str,
    identifier: String,
    uri: String,
}

/// A related process and when the relation began: when the later of the
/// two challenges was published.
struct Link<'a> {
    process: RelatedProcess<'a>,
    since: &'a Moment,
}

#[derive(Serialize, Clone)]
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

/// The tender section; a release after the first carries only `id` and
/// what it changes.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Tender<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// `title_en`, `description_en`…: the translations, as OCDS language
    /// variants of the two fields.
    #[serde(flatten)]
    translations: BTreeMap<String, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procuring_entity: Option<OrganizationReference<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item>,
    /// The län and the whole country of `regions` (Location extension).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    delivery_locations: Vec<Location>,
    /// The kommuner of `regions` (Location extension).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    delivery_addresses: Vec<Address>,
    /// The upper estimate of `value` (or its one amount).
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Amount>,
    /// The lower estimate of `value`, when a range is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    min_value: Option<Amount>,
    /// Whether small and medium enterprises are named in `suitable_for`
    /// (Suitability extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    suitability: Option<Suitability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procurement_method_details: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    submission_method: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submission_method_details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tender_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enquiry_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_enquiries: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
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

/// A place named by a gazetteer (Location extension): a län or the whole
/// country, by its NUTS code.
#[derive(Serialize, Debug, PartialEq)]
struct Location {
    description: &'static str,
    gazetteer: Gazetteer,
}

#[derive(Serialize, Debug, PartialEq)]
struct Gazetteer {
    scheme: &'static str,
    identifiers: Vec<&'static str>,
}

/// A place as an address (OCDS `Address`): a kommun, with its län.
#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Address {
    locality: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'static str>,
    country_name: &'static str,
}

/// Who the process suits (Suitability extension): its one field.
#[derive(Serialize, Debug, PartialEq)]
struct Suitability {
    sme: bool,
}

/// An amount of money as OCDS writes one (`Value`).
#[derive(Serialize)]
struct Amount {
    amount: u64,
    currency: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct OcdsDocument<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Milestone<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_met: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Amendment {
    id: String,
    date: String,
    description: String,
    #[serde(rename = "amendsReleaseID", skip_serializing_if = "Option::is_none")]
    amends_release_id: Option<String>,
    #[serde(rename = "releaseID")]
    release_id: String,
}

// ---------------------------------------------------------------------------
// The history of a process
// ---------------------------------------------------------------------------

/// The release id of `step`: the OCID, the day and the kind of thing
/// recorded (`ocds-213czf-challenges-klimat-2023-08-20-amendment-1`).
fn release_id(step: &Step<'_>, ocid: &str, stage: Stage) -> String {
    let what = match step.kind {
        Kind::Published => "published".to_string(),
        Kind::Amendment(n) => format!("amendment-{}", n + 1),
        Kind::Answer(n) => format!("answer-{}", n + 1),
        Kind::Document(n) => format!("document-{}", n + 1),
        Kind::Meeting(n) => format!("meeting-{}", n + 1),
        Kind::Opened => "opened".to_string(),
        Kind::Closed => "closed".to_string(),
        Kind::EventHeld(n) => format!("event-{}", n + 1),
        Kind::PhaseDone(n) => format!("phase-{}", n + 1),
        Kind::Related(n) => format!("related-{}", n + 1),
        Kind::Stage => format!("stage-{}", stage.key()),
    };
    format!("{ocid}-{}-{what}", step.day)
}

/// The status of the answer period at `at`: before `opens`, after the
/// deadline, or open.
fn status_at(c: &Challenge, at: Timestamp) -> Status {
    let ts = |m: &Option<Moment>| m.as_ref().map(|m| m.zoned.timestamp());
    match (ts(&c.opens), ts(&c.deadline)) {
        (Some(opens), _) if at < opens => Status::Upcoming,
        (_, Some(deadline)) if at >= deadline => Status::Closed,
        _ => Status::Open,
    }
}

/// `tender.status` when the challenge was published. The stage then is not
/// kept; a challenge now past its tender (a later stage, or cancelled) is
/// taken to have been open for answers if it has a deadline, and in
/// planning if not.
fn published_status(c: &Challenge) -> &'static str {
    let at = status_at(c, c.published.zoned.timestamp());
    match c.stage {
        Stage::Need | Stage::Challenge | Stage::Rfi | Stage::Dialogue | Stage::Procurement => {
            tender_status(c.stage, at)
        }
        _ if c.deadline.is_some() => tender_status(Stage::Procurement, at),
        _ => "planning",
    }
}

/// Every release of `c` to make, in the order OCDS tools put them: by
/// `date`, then by kind (see [`timeline::steps`]). A related process
/// published after this one is a release of its own, dated by that
/// publication; the stage reached stays the last release.
fn steps<'c>(c: &'c Challenge, links: &[Link<'c>], now: Timestamp) -> Vec<Step<'c>> {
    let opened = published_status(c) == "planned";
    let mut steps = timeline::steps(c, Reading::Record { now, opened });
    let published = c.published.zoned.timestamp();
    let later: Vec<Step<'c>> = links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.since.zoned.timestamp() > published)
        .map(|(n, l)| Step::new(Kind::Related(n), l.since))
        .collect();
    if later.is_empty() {
        return steps;
    }
    let stage = steps.pop_if(|s| s.kind == Kind::Stage);
    steps.extend(later);
    steps.sort_by(|a, b| (&a.date, a.kind).cmp(&(&b.date, b.kind)));
    if stage.is_some() {
        let before = steps.last().map_or(&c.published, |s| s.moment);
        steps.push(Step::new(Kind::Stage, before));
    }
    steps
}

/// What every release of one process shares.
struct Base<'a> {
    ctx: &'a OutputContext<'a>,
    ocid: String,
    lang: Lang,
    page: &'a Page,
    challenge: &'a Challenge,
    /// Whether the process was published in planning (see
    /// [`published_status`]): its tags are then `planning…`.
    planning: bool,
}

impl<'a> Base<'a> {
    /// A release with the fields every release must have and a tender with
    /// only its id.
    fn release(&self, id: String, date: String, tag: &'static str) -> Release<'a> {
        Release {
            ocid: self.ocid.clone(),
            id,
            date,
            tag: vec![tag],
            initiation_type: "tender",
            language: lang_code(self.lang),
            buyer: None,
            parties: Vec::new(),
            tender: Tender {
                id: self.ocid.clone(),
                ..Tender::default()
            },
            related_processes: Vec::new(),
        }
    }

    /// The tag of a release that changes the process without amending it.
    fn update_tag(&self) -> &'static str {
        if self.planning {
            "planningUpdate"
        } else {
            "tenderUpdate"
        }
    }
}

fn history<'a>(
    ctx: &'a OutputContext<'a>,
    prefix: &str,
    process: &Process<'a>,
    links: Vec<Link<'a>>,
) -> History<'a> {
    let Version {
        page, challenge: c, ..
    } = *process.primary();
    let base = Base {
        ctx,
        ocid: ocid(prefix, &process.process_id()),
        lang: page.lang,
        page,
        challenge: c,
        planning: published_status(c) == "planning",
    };
    let steps = steps(c, &links, ctx.now);
    let mut releases: Vec<Release<'a>> = Vec::with_capacity(steps.len());
    for step in &steps {
        let id = release_id(step, &base.ocid, c.stage);
        let previous = releases.last().map(|r| r.id.clone());
        let at = step.moment;
        let release = match step.kind {
            Kind::Published => {
                let mut release = publication(&base, process, id);
                // The challenges published no later than this one were
                // related to it from the start.
                release.related_processes = links
                    .iter()
                    .filter(|l| l.since.zoned.timestamp() <= c.published.zoned.timestamp())
                    .map(|l| l.process.clone())
                    .collect();
                release
            }
            Kind::Related(n) => {
                let mut release = base.release(id, step.date.clone(), base.update_tag());
                release.related_processes = vec![links[n].process.clone()];
                release
            }
            Kind::Amendment(n) => amendment(&base, process, id, n, previous),
            Kind::Answer(n) => answer(&base, id, n, &c.questions[n]),
            Kind::Opened | Kind::Closed => status_change(&base, id, at),
            Kind::EventHeld(n) => milestone_met(&base, id, format!("event-{}", n + 1), at),
            Kind::PhaseDone(n) => milestone_met(&base, id, format!("phase-{}", n + 1), at),
            Kind::Document(n) => {
                let mut release = base.release(id, step.date.clone(), base.update_tag());
                release.tender.documents = listed_documents(ctx, c)
                    .into_iter()
                    .nth(n)
                    .into_iter()
                    .collect();
                release
            }
            _ => stage_change(&base, id, step.date.clone()),
        };
        releases.push(release);
    }
    History {
        ocid: base.ocid,
        releases,
    }
}

/// The first release: the challenge as published, with the deadlines it
/// had before any amendment moved them.
fn publication<'a>(base: &Base<'a>, process: &Process<'a>, id: String) -> Release<'a> {
    let (ctx, page, c) = (base.ctx, base.page, base.challenge);
    let tag = if base.planning { "planning" } else { "tender" };
    let mut release = base.release(id, date(&c.published), tag);
    let buyer = OrganizationReference {
        id: party_id(&c.buyer),
        name: &c.buyer,
    };
    release.buyer = Some(buyer.clone());
    release.parties = vec![Organization {
        id: buyer.id.clone(),
        name: &c.buyer,
        roles: vec!["buyer", "procuringEntity"],
        contact_point: c.contact.as_ref().map(|p| ContactPoint {
            name: &p.name,
            email: given(&p.email),
            telephone: given(&p.phone),
        }),
    }];
    let deadline = as_published(&c.updates, |u| &u.deadline, &c.deadline);
    let questions_deadline =
        as_published(&c.updates, |u| &u.questions_deadline, &c.questions_deadline);
    let t = &mut release.tender;
    t.title = Some(&page.title);
    t.description = Some(&page.summary);
    t.translations = translations(process, page.lang);
    t.status = Some(published_status(c));
    t.procuring_entity = Some(buyer);
    t.items = items(page, c);
    (t.delivery_locations, t.delivery_addresses) = places(&c.regions, base.lang);
    (t.min_value, t.value) = estimate(c);
    t.suitability = suitability(&c.suitable_for);
    t.procurement_method_details = method_details(c.stage, page.lang);
    if c.respond.as_ref().is_some_and(|r| given(&r.url).is_some()) {
        t.submission_method = vec!["electronicSubmission"];
    }
    t.submission_method_details = submission_method_details(c);
    t.tender_period = Some(Period {
        start_date: Some(date(c.opens.as_ref().unwrap_or(&c.published))),
        end_date: deadline.map(date),
    });
    t.enquiry_period = questions_deadline.map(|q| Period {
        start_date: None,
        end_date: Some(date(q)),
    });
    t.documents = notices(base, process, |v| OcdsDocument {
        title: Some(Cow::Borrowed(&v.page.title)),
        url: Some(absolute(ctx, &v.page.url_path)),
        date_published: Some(date(&v.challenge.published)),
        format: Some("text/html"),
        language: Some(lang_code(v.page.lang)),
        ..OcdsDocument::default()
    });
    t.documents.extend(official_notice(base));
    t.documents.extend(
        listed_documents(ctx, c)
            .into_iter()
            .zip(&c.documents)
            .filter(|(_, d)| published_with(c, d))
            .map(|(doc, _)| doc),
    );
    t.milestones = milestones(c, page.lang, c.published.zoned.timestamp());
    release
}

/// A date before and after an amendment, when the amendment moved it.
type Moved = Option<(Option<Moment>, Moment)>;

/// A date as published: the date before the first amendment that moved
/// it (`moved` picks which date), else the date as it is now.
fn as_published<'a>(
    updates: &'a [Update],
    moved: fn(&Update) -> &Moved,
    now: &'a Option<Moment>,
) -> Option<&'a Moment> {
    updates
        .iter()
        .find_map(|u| moved(u).as_ref())
        .map_or(now.as_ref(), |(before, _)| before.as_ref())
}

/// The challenge page in each language, the process's language first: the
/// notice. `fill` gives each its fields but `id` and `documentType`.
fn notices<'a>(
    base: &Base<'a>,
    process: &Process<'a>,
    fill: impl Fn(&Version<'a>) -> OcdsDocument<'a>,
) -> Vec<OcdsDocument<'a>> {
    let notice_type = if base.planning {
        "plannedProcurementNotice"
    } else {
        "tenderNotice"
    };
    let primary = process.primary();
    std::iter::once(primary)
        .chain(process.versions.iter().filter(|v| v.page.lang != base.lang))
        .enumerate()
        .map(|(i, v)| OcdsDocument {
            id: if i == 0 {
                "notice".to_string()
            } else {
                format!("notice-{}", lang_code(v.page.lang))
            },
            document_type: Some(notice_type),
            ..fill(v)
        })
        .collect()
}

/// The official notice of the procurement (`notice`), in the database
/// where it is published: a notice of the same process, as the challenge
/// page is.
fn official_notice<'a>(base: &Base<'a>) -> Option<OcdsDocument<'a>> {
    let notice = base.challenge.notice.as_ref()?;
    let title = [notice.source.as_str(), notice.id.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let title = if title.is_empty() {
        match base.lang {
            Lang::Sv => "Officiell annons".to_string(),
            Lang::En => "Official notice".to_string(),
        }
    } else {
        title
    };
    Some(OcdsDocument {
        id: "official-notice".to_string(),
        document_type: Some(if base.planning {
            "plannedProcurementNotice"
        } else {
            "tenderNotice"
        }),
        title: Some(Cow::Owned(title)),
        url: Some(crate::escape::encode_uri(&notice.url)),
        ..OcdsDocument::default()
    })
}

/// The documents listed in front matter, with `datePublished` from their
/// `date`. Front matter does not say what a document is, and the
/// documentType codelist has no "other": leaving the type out is more
/// honest than guessing "biddingDocuments" for a background report.
fn listed_documents<'a>(ctx: &OutputContext<'_>, c: &'a Challenge) -> Vec<OcdsDocument<'a>> {
    c.documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let file = document_file(ctx, &d.target);
            OcdsDocument {
                id: format!("document-{}", i + 1),
                title: Some(Cow::Borrowed(&d.title)),
                url: Some(file.url),
                format: file.media_type,
                date_published: d.date.as_ref().map(date),
                ..OcdsDocument::default()
            }
        })
        .collect()
}

/// Whether document `d` was part of the publication: undated, or dated no
/// later (a later one is a release of its own, see [`timeline::steps`]).
fn published_with(c: &Challenge, d: &crate::content::Document) -> bool {
    d.date
        .as_ref()
        .is_none_or(|m| m.zoned.timestamp() <= c.published.zoned.timestamp())
}

/// Update `n`: the amendment, the dates it moved, and the notices' new
/// modification date.
fn amendment<'a>(
    base: &Base<'a>,
    process: &Process<'a>,
    id: String,
    n: usize,
    previous: Option<String>,
) -> Release<'a> {
    let u = &base.challenge.updates[n];
    let tag = if base.planning {
        "planningUpdate"
    } else {
        "tenderAmendment"
    };
    let mut release = base.release(id.clone(), date(&u.date), tag);
    let t = &mut release.tender;
    let moved = |change: &Moved| {
        change.as_ref().map(|(_, new)| Period {
            start_date: None,
            end_date: Some(date(new)),
        })
    };
    t.tender_period = moved(&u.deadline);
    t.enquiry_period = moved(&u.questions_deadline);
    t.documents = notices(base, process, |_| OcdsDocument {
        date_modified: Some(date(&u.date)),
        ..OcdsDocument::default()
    });
    t.amendments = vec![Amendment {
        id: format!("amendment-{}", n + 1),
        date: date(&u.date),
        description: amendment_description(u),
        amends_release_id: previous,
        release_id: id,
    }];
    release
}

/// Question `n`, answered: a clarification.
fn answer<'a>(base: &Base<'a>, id: String, n: usize, q: &'a Question) -> Release<'a> {
    let when = answered(q);
    let mut release = base.release(id, date(when), base.update_tag());
    let url = absolute(base.ctx, &base.page.url_path);
    release.tender.has_enquiries = Some(true);
    release.tender.documents = vec![OcdsDocument {
        id: format!("clarification-{}", n + 1),
        document_type: Some("clarifications"),
        title: Some(Cow::Borrowed(&q.question)),
        description: Some(&q.answer),
        url: Some(format!("{url}#{}", q.anchor)),
        date_published: Some(date(when)),
        format: Some("text/html"),
        language: Some(lang_code(base.lang)),
        ..OcdsDocument::default()
    }];
    release
}

/// Answers opened, or the deadline of an RFI or a dialogue passed: the
/// tender status at `at`.
fn status_change<'a>(base: &Base<'a>, id: String, at: &Moment) -> Release<'a> {
    let c = base.challenge;
    let mut release = base.release(id, date(at), base.update_tag());
    let status = status_at(c, at.zoned.timestamp());
    release.tender.status = Some(match c.stage {
        Stage::Rfi | Stage::Dialogue | Stage::Procurement => tender_status(c.stage, status),
        _ => tender_status(Stage::Procurement, status),
    });
    release
}

/// A meeting or phase (milestone `milestone`) that ended at `at`.
fn milestone_met<'a>(base: &Base<'a>, id: String, milestone: String, at: &Moment) -> Release<'a> {
    let mut release = base.release(id, date(at), base.update_tag());
    release.tender.milestones = vec![Milestone {
        id: milestone,
        date_met: Some(date(at)),
        status: Some("met"),
        ..Milestone::default()
    }];
    release
}

/// The stage after the tender: the work goes on under contract, or the
/// challenge was cancelled, with the reason.
fn stage_change<'a>(base: &Base<'a>, id: String, when: String) -> Release<'a> {
    let (page, c) = (base.page, base.challenge);
    let cancelled = c.stage == Stage::Cancelled;
    let tag = if cancelled {
        "tenderCancellation"
    } else {
        "tenderUpdate"
    };
    let mut release = base.release(id, when.clone(), tag);
    release.tender.status = Some(tender_status(c.stage, c.status));
    if cancelled && let Some(outcome) = given(&c.outcome) {
        release.tender.documents = vec![OcdsDocument {
            id: "cancellation".to_string(),
            document_type: Some("cancellationDetails"),
            title: Some(Cow::Borrowed(&page.title)),
            description: Some(outcome),
            url: Some(absolute(base.ctx, &page.url_path)),
            date_published: Some(when),
            format: Some("text/html"),
            language: Some(lang_code(page.lang)),
            ..OcdsDocument::default()
        }];
    }
    release
}

/// Meetings as engagement milestones due at their start, phases as delivery
/// milestones due at their end (OCDS 1.1 milestones have a single date),
/// with their status at `at`.
fn milestones<'a>(c: &'a Challenge, lang: Lang, at: Timestamp) -> Vec<Milestone<'a>> {
    let place_label = match lang {
        Lang::Sv => "Plats",
        Lang::En => "Place",
    };
    let events = c.events.iter().enumerate().map(|(i, e): (usize, &Event)| {
        let parts: Vec<String> = [
            given(&e.description).map(str::to_string),
            given(&e.place).map(|p| format!("{place_label}: {p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        Milestone {
            id: format!("event-{}", i + 1),
            title: Some(&e.title),
            kind: Some("engagement"),
            description: (!parts.is_empty()).then(|| parts.join("\n\n")),
            due_date: Some(date(&e.start)),
            date_met: (milestone_status(&e.end, at) == "met").then(|| date(&e.end)),
            status: Some(milestone_status(&e.end, at)),
        }
    });
    let phases = c
        .phases
        .iter()
        .enumerate()
        .map(|(i, p): (usize, &Phase)| Milestone {
            id: format!("phase-{}", i + 1),
            title: Some(&p.name),
            kind: Some("delivery"),
            description: Some(phase_description(p, lang)),
            due_date: Some(date(&p.end)),
            date_met: (milestone_status(&p.end, at) == "met").then(|| date(&p.end)),
            status: Some(milestone_status(&p.end, at)),
        });
    events.chain(phases).collect()
}

// ---------------------------------------------------------------------------
// Field mappings
// ---------------------------------------------------------------------------

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

/// The challenge's estimated value as OCDS's `tender.minValue` and
/// `tender.value` (the upper estimate). One amount is the upper estimate
/// only; a range gives both; `min` alone gives only `minValue`.
fn estimate(c: &Challenge) -> (Option<Amount>, Option<Amount>) {
    let Some(v) = &c.value else {
        return (None, None);
    };
    let amount = |n: Option<u64>| {
        n.map(|amount| Amount {
            amount,
            currency: v.currency.clone(),
        })
    };
    let min = if v.min == v.max { None } else { v.min };
    (amount(min), amount(v.max))
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
    let slug = crate::text::term_slug(buyer);
    if slug.is_empty() {
        "buyer".to_string()
    } else {
        slug
    }
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

/// `regions` as the Location extension's `tender.deliveryLocations` and
/// `tender.deliveryAddresses`, in the order written. A län and the whole
/// country are units of NUTS (NUTS 3 and NUTS 0, `SE224` and `SE`), so each
/// is a location with that gazetteer. NUTS stops at the län, and naming a
/// kommun by its län's code would say the work is anywhere in the län, so a
/// kommun is an address instead: the kommun as `locality`, its län as
/// `region`.
fn places(regions: &[Region], lang: Lang) -> (Vec<Location>, Vec<Address>) {
    let country = match lang {
        Lang::Sv => "Sverige",
        Lang::En => "Sweden",
    };
    let mut locations = Vec::new();
    let mut addresses = Vec::new();
    for r in regions {
        match r.kind {
            RegionKind::Country | RegionKind::County => locations.push(Location {
                description: r.name,
                gazetteer: Gazetteer {
                    scheme: "NUTS",
                    identifiers: vec![r.nuts],
                },
            }),
            RegionKind::Municipality => addresses.push(Address {
                locality: r.name,
                region: r.county,
                country_name: country,
            }),
        }
    }
    (locations, addresses)
}

/// `tender.suitability` of the Suitability extension, whose one field is
/// `sme`: `true` when `suitable_for` names `sme`. Otherwise it is left out:
/// a list without `sme` says whom the challenge suits best, not that small
/// firms may not respond. The other kinds of respondent have no field in
/// the extension.
fn suitability(suitable_for: &[Suitable]) -> Option<Suitability> {
    suitable_for
        .contains(&Suitable::Sme)
        .then_some(Suitability { sme: true })
}

/// The extensions whose fields `releases` use, for the package's
/// `extensions`: none for a site without `regions` and `suitable_for`,
/// whose files then stay as the core schema alone describes them.
fn extensions<'r, 'a: 'r>(releases: impl Iterator<Item = &'r Release<'a>>) -> Vec<&'static str> {
    let (mut location, mut suitability) = (false, false);
    for r in releases {
        let t = &r.tender;
        location |= !t.delivery_locations.is_empty() || !t.delivery_addresses.is_empty();
        suitability |= t.suitability.is_some();
    }
    [
        (location, LOCATION_EXTENSION),
        (suitability, SUITABILITY_EXTENSION),
    ]
    .into_iter()
    .filter_map(|(used, url)| used.then_some(url))
    .collect()
}

/// The CPV codes as one item: the first code as its classification and
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
    fn cpv_codes_lose_the_check_digit() {
        assert_eq!(cpv_id("72000000-5"), "72000000");
        assert_eq!(cpv_id(" 48000000-8 "), "48000000");
        assert_eq!(cpv_id("72000000"), "72000000");
    }

    fn region(name: &str) -> Region {
        crate::content::find_region(name).expect("a region of the table")
    }

    #[test]
    fn a_lan_and_the_country_are_nuts_locations_and_a_kommun_an_address() {
        let regions = [
            region("Helsingborg"),
            region("Skåne län"),
            region("Hela Sverige"),
            region("Karlstad"),
        ];
        let (locations, addresses) = places(&regions, Lang::Sv);
        let nuts = |description, code| Location {
            description,
            gazetteer: Gazetteer {
                scheme: "NUTS",
                identifiers: vec![code],
            },
        };
        assert_eq!(
            locations,
            vec![nuts("Skåne län", "SE224"), nuts("Hela Sverige", "SE")]
        );
        assert_eq!(
            addresses,
            vec![
                Address {
                    locality: "Helsingborg",
                    region: Some("Skåne län"),
                    country_name: "Sverige",
                },
                Address {
                    locality: "Karlstad",
                    region: Some("Värmlands län"),
                    country_name: "Sverige",
                },
            ]
        );
        // The country's name is in the release's language; the regions'
        // official names are not translated.
        let (_, english) = places(&regions[..1], Lang::En);
        assert_eq!(english[0].country_name, "Sweden");
        assert_eq!(english[0].locality, "Helsingborg");
        assert_eq!(places(&[], Lang::Sv), (Vec::new(), Vec::new()));
    }

    #[test]
    fn only_sme_is_a_suitability() {
        assert_eq!(
            suitability(&[Suitable::Startup, Suitable::Sme]),
            Some(Suitability { sme: true })
        );
        // Not naming small firms is not saying they may not respond.
        assert_eq!(
            suitability(&[Suitable::Startup, Suitable::CivilSociety]),
            None
        );
        assert_eq!(suitability(&[]), None);
    }

    #[test]
    fn ocid_is_the_prefix_and_the_stable_id() {
        assert_eq!(
            ocid("ocds-213czf", "challenges-klimat"),
            "ocds-213czf-challenges-klimat"
        );
    }

    mod rendered {
        use super::super::*;
        use crate::config::Config;
        use crate::content::{PageKind, Site};
        use crate::model::{PageHtml, Strings};
        use crate::time;
        use std::path::Path;

        const SETTINGS: &str =
            "title = \"Portal\"\nbase_url = \"https://example.se/utmaningar/\"\n";

        fn config(prefix: bool) -> Config {
            let extra = if prefix {
                "ocid_prefix = \"ocds-213czf\"\n"
            } else {
                ""
            };
            Config::parse(&format!("{SETTINGS}{extra}"), Path::new("site.toml"))
                .expect("the test settings are valid")
        }

        fn at(s: &str) -> Moment {
            let config = config(false);
            let clock = time::Timestamp::UNIX_EPOCH;
            time::resolve(s, &config.timezone, config.deadline_time, clock)
                .expect("valid test date")
        }

        fn challenge() -> Challenge {
            Challenge {
                cpv: vec!["72000000-5".into()],
                ..Challenge::for_tests(
                    "Exempelstad",
                    at("2023-06-15T00:00"),
                    Some(at("2023-08-31")),
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

        /// The release package and the record package, as text and JSON,
        /// at `now`; `None` when nothing is written.
        fn render_at(
            c: Challenge,
            now: &str,
            prefix: bool,
        ) -> Option<(String, serde_json::Value, serde_json::Value)> {
            let config = config(prefix);
            let site = Site {
                pages: vec![page(c)],
                assets: Vec::new(),
                unloadable: Vec::new(),
                held_back: Vec::new(),
            };
            let html = vec![std::sync::Arc::new(PageHtml::default())];
            let strings = Strings::new();
            let ctx = OutputContext {
                config: &config,
                site: &site,
                html: &html,
                strings: &strings,
                strings_by_lang: &std::collections::BTreeMap::new(),
                now: now.parse().expect("valid timestamp"),
            };
            let outputs = render(&ctx);
            let text = |path: &str| {
                let o = outputs.iter().find(|o| o.path == path)?;
                let OutputData::Bytes(bytes) = &o.data else {
                    panic!("rendered, not copied");
                };
                Some(String::from_utf8(bytes.clone()).expect("UTF-8"))
            };
            let package = text(OCDS_PATH)?;
            let records = text(RECORDS_PATH).expect("written with the package");
            let value = serde_json::from_str(&package).expect("valid JSON");
            let records = serde_json::from_str(&records).expect("valid JSON");
            Some((package, value, records))
        }

        fn render_with(c: Challenge) -> (String, serde_json::Value, serde_json::Value) {
            render_at(c, "2023-08-25T08:00:00Z", true).expect("a prefix is set")
        }

        fn amended() -> Challenge {
            let mut c = challenge();
            let old = c.deadline.clone();
            let new = at("2023-09-15");
            c.deadline = Some(new.clone());
            c.updates.push(crate::content::Update {
                date: at("2023-08-20T00:00"),
                text: "Förlängd svarstid.".into(),
                deadline: Some((old, new)),
                questions_deadline: None,
            });
            c
        }

        #[test]
        fn without_a_prefix_nothing_is_written() {
            assert!(render_at(challenge(), "2023-08-25T08:00:00Z", false).is_none());
        }

        #[test]
        fn same_input_gives_the_same_bytes() {
            let (a, _, _) = render_with(challenge());
            let (b, _, _) = render_with(challenge());
            assert_eq!(a, b);
            assert!(a.ends_with("}\n"));
        }

        #[test]
        fn publication_release_fields() {
            let (_, v, _) = render_with(challenge());
            let r = &v["releases"][0];
            assert_eq!(r["ocid"], "ocds-213czf-challenges-a");
            assert_eq!(r["id"], "ocds-213czf-challenges-a-2023-06-15-published");
            assert_eq!(r["date"], "2023-06-15T00:00:00+02:00");
            assert_eq!(r["tag"][0], "tender");
            assert_eq!(r["tender"]["status"], "active");
            assert_eq!(r["tender"]["title"], "A \"quoted\" </script> title");
            assert_eq!(
                r["tender"]["tenderPeriod"]["endDate"],
                "2023-08-31T23:59:00+02:00"
            );
            assert_eq!(r["tender"]["items"][0]["classification"]["id"], "72000000");
            assert_eq!(v["releases"].as_array().map(Vec::len), Some(1));
            assert_eq!(v["uri"], "https://example.se/utmaningar/api/ocds.json");
        }

        #[test]
        fn an_amendment_adds_a_release_and_keeps_the_first() {
            let (_, before, _) = render_with(challenge());
            let (_, after, records) = render_with(amended());
            assert_eq!(before["releases"][0], after["releases"][0]);
            let r = &after["releases"][1];
            assert_eq!(r["id"], "ocds-213czf-challenges-a-2023-08-20-amendment-1");
            assert_eq!(r["date"], "2023-08-20T00:00:00+02:00");
            assert_eq!(r["tag"][0], "tenderAmendment");
            let amendment = &r["tender"]["amendments"][0];
            assert_eq!(amendment["amendsReleaseID"], before["releases"][0]["id"]);
            assert_eq!(amendment["releaseID"], r["id"]);
            assert_eq!(
                amendment["description"],
                "Förlängd svarstid.\n\ntender.tenderPeriod.endDate: \
                 2023-08-31T23:59:00+02:00 → 2023-09-15T23:59:00+02:00"
            );
            assert_eq!(
                r["tender"]["tenderPeriod"]["endDate"],
                "2023-09-15T23:59:00+02:00"
            );
            let compiled = &records["records"][0]["compiledRelease"];
            assert_eq!(
                compiled["tender"]["tenderPeriod"],
                serde_json::json!({
                    "startDate": "2023-06-15T00:00:00+02:00",
                    "endDate": "2023-09-15T23:59:00+02:00"
                })
            );
            assert_eq!(compiled["tag"][0], "compiled");
            assert_eq!(
                compiled["id"],
                "ocds-213czf-challenges-a-2023-08-20T00:00:00+02:00"
            );
            assert_eq!(
                compiled["tender"]["documents"][0]["dateModified"],
                "2023-08-20T00:00:00+02:00"
            );
        }

        #[test]
        fn the_deadline_of_an_rfi_closes_it_in_a_release_of_its_own() {
            let open = render_at(challenge(), "2023-08-31T21:58:00Z", true).expect("written");
            let closed = render_at(challenge(), "2023-08-31T22:00:00Z", true).expect("written");
            assert_eq!(open.1["releases"].as_array().map(Vec::len), Some(1));
            let releases = closed.1["releases"].as_array().expect("releases");
            assert_eq!(releases.len(), 2);
            assert_eq!(releases[0], open.1["releases"][0]);
            assert_eq!(
                releases[1]["id"],
                "ocds-213czf-challenges-a-2023-08-31-closed"
            );
            assert_eq!(releases[1]["date"], "2023-08-31T23:59:00+02:00");
            assert_eq!(releases[1]["tender"]["status"], "complete");
            let compiled = &closed.2["records"][0]["compiledRelease"];
            assert_eq!(compiled["tender"]["status"], "complete");
        }

        #[test]
        fn a_cancellation_comes_last_with_its_reason() {
            let mut c = amended();
            c.stage = Stage::Cancelled;
            c.status = Status::Closed;
            c.outcome = "Ingen budget.".into();
            let (_, v, records) = render_with(c);
            let releases = v["releases"].as_array().expect("releases");
            let last = releases.last().expect("a release");
            assert_eq!(last["tag"][0], "tenderCancellation");
            assert_eq!(last["date"], "2023-08-20T00:00:00+02:00");
            assert_eq!(
                last["id"],
                "ocds-213czf-challenges-a-2023-08-20-stage-cancelled"
            );
            assert_eq!(
                last["tender"]["documents"][0]["description"],
                "Ingen budget."
            );
            let compiled = &records["records"][0]["compiledRelease"];
            assert_eq!(compiled["tender"]["status"], "cancelled");
            assert_eq!(releases[0]["tender"]["status"], "active");
        }

        #[test]
        fn regions_and_suitable_for_declare_their_extensions() {
            let (_, package, records) = render_with(challenge());
            assert!(package.get("extensions").is_none());
            assert!(records.get("extensions").is_none());
            let mut c = challenge();
            c.regions = vec![
                crate::content::find_region("Helsingborg").expect("a kommun"),
                crate::content::find_region("SE232").expect("a län"),
            ];
            let (_, package, records) = render_with(c.clone());
            let location = serde_json::json!([LOCATION_EXTENSION]);
            assert_eq!(package["extensions"], location);
            assert_eq!(records["extensions"], location);
            let tender = &package["releases"][0]["tender"];
            assert_eq!(
                tender["deliveryLocations"],
                serde_json::json!([{
                    "description": "Västra Götalands län",
                    "gazetteer": { "scheme": "NUTS", "identifiers": ["SE232"] }
                }])
            );
            assert_eq!(
                tender["deliveryAddresses"],
                serde_json::json!([{
                    "locality": "Helsingborg",
                    "region": "Skåne län",
                    "countryName": "Sverige"
                }])
            );
            assert!(tender.get("suitability").is_none());
            let compiled = &records["records"][0]["compiledRelease"]["tender"];
            assert_eq!(compiled["deliveryAddresses"], tender["deliveryAddresses"]);
            c.suitable_for = vec![Suitable::Research, Suitable::Sme];
            let (_, package, _) = render_with(c);
            assert_eq!(
                package["extensions"],
                serde_json::json!([LOCATION_EXTENSION, SUITABILITY_EXTENSION])
            );
            assert_eq!(
                package["releases"][0]["tender"]["suitability"],
                serde_json::json!({ "sme": true })
            );
        }

        #[test]
        fn release_ids_are_unique() {
            let mut c = amended();
            c.updates.push(c.updates[0].clone());
            let (_, v, _) = render_with(c);
            let ids: std::collections::BTreeSet<&str> = v["releases"]
                .as_array()
                .expect("releases")
                .iter()
                .filter_map(|r| r["id"].as_str())
                .collect();
            assert_eq!(ids.len(), 3);
        }
    }
}
