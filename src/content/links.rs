//! The links of a challenge to the world around it: the official notice of
//! its procurement (`notice`) and the other challenges of the site it
//! belongs with (`related`: an RFI and the procurement that followed it).
//!
//! A notice is checked with the file alone. A related challenge is named
//! by its file or folder name, its path under `content/` or its stable
//! `id`, and is found once every page is loaded ([`resolve`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::frontmatter::Step;
use super::{CHALLENGES_DIR, Page, PageKind, Reporter};
use crate::address::Allowed;
use crate::diagnostics::{Diagnostic, Diagnostics, Span, suggest};
use crate::msg;

/// The official notice as written in front matter.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeMeta {
    /// Where the notice is published.
    #[serde(default)]
    pub(crate) url: String,
    /// The notice's number in its database.
    #[serde(default)]
    pub(crate) id: String,
    /// The database: TED, e-Avrop, Mercell…
    #[serde(default)]
    pub(crate) source: String,
}

/// The official notice of a challenge's procurement, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Notice {
    /// Where it is published (an `https://` or `http://` address).
    pub url: String,
    /// Its number in the database (`2026/S 123-456789`); may be empty.
    pub id: String,
    /// The database, as written or known from the address (`TED`); may be
    /// empty when neither says.
    pub source: String,
}

/// The databases whose addresses name them, so that `source` may be left
/// out: the end of the host name, and the name shown.
const KNOWN_SOURCES: &[(&str, &str)] = &[
    ("ted.europa.eu", "TED"),
    ("e-avrop.com", "e-Avrop"),
    ("mercell.com", "Mercell"),
    ("kommersannons.se", "Kommers"),
    ("opic.com", "Visma Opic"),
    ("tendsign.com", "Visma TendSign"),
];

/// The database an address of a notice is in, when it is a known one.
pub fn known_source(url: &str) -> Option<&'static str> {
    let rest = url.split_once("://")?.1;
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()?
        .to_ascii_lowercase();
    KNOWN_SOURCES
        .iter()
        .find(|(end, _)| host == *end || host.ends_with(&format!(".{end}")))
        .map(|(_, name)| *name)
}

/// How one challenge stands to another, as the page that names the link
/// sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// This challenge follows on from the other (a procurement after its
    /// RFI).
    Follows,
    /// The other challenge follows on from this one.
    FollowedBy,
    /// They belong together, neither before the other.
    Related,
}

impl Relation {
    /// Every relation, as written.
    pub const ALL: [Relation; 3] = [Relation::Follows, Relation::FollowedBy, Relation::Related];

    /// The value written in front matter and used by themes and data.
    pub fn key(self) -> &'static str {
        match self {
            Relation::Follows => "follows",
            Relation::FollowedBy => "followed-by",
            Relation::Related => "related",
        }
    }

    /// The relation seen from the other challenge.
    pub fn reversed(self) -> Relation {
        match self {
            Relation::Follows => Relation::FollowedBy,
            Relation::FollowedBy => Relation::Follows,
            Relation::Related => Relation::Related,
        }
    }

    fn parse(s: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// A link to another challenge as written: a name alone, or a name and
/// how the two stand to each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelatedMeta {
    /// The other challenge.
    pub(crate) challenge: String,
    /// How they stand; `related` when not written.
    pub(crate) relation: Option<String>,
}

impl<'de> Deserialize<'de> for RelatedMeta {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RelatedVisitor)
    }
}

/// Reads a related challenge written as a name or as a map.
struct RelatedVisitor;

impl<'de> Visitor<'de> for RelatedVisitor {
    type Value = RelatedMeta;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the name of a challenge, or `challenge:` and `relation:`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RelatedMeta, E> {
        Ok(RelatedMeta {
            challenge: v.to_string(),
            relation: None,
        })
    }

    // A name of digits only (`2024`) reads as a number in YAML.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RelatedMeta, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RelatedMeta, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RelatedMeta, A::Error> {
        let (mut challenge, mut relation) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "challenge" => challenge = Some(map.next_value::<String>()?),
                "relation" => relation = Some(map.next_value::<String>()?),
                other => return Err(de::Error::unknown_field(other, &["challenge", "relation"])),
            }
        }
        let challenge = challenge.ok_or_else(|| de::Error::missing_field("challenge"))?;
        Ok(RelatedMeta {
            challenge,
            relation,
        })
    }
}

/// A link to another challenge of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The other challenge as written.
    pub written: String,
    /// How this challenge stands to it.
    pub relation: Relation,
    /// The other challenge's page key, once found and published; `None`
    /// when it is not (the problem is reported).
    pub target: Option<String>,
    /// Where the link is written in the file.
    pub span: Option<Span>,
}

/// The notice, checked: its address must be one a browser follows.
pub(super) fn load_notice(r: &mut Reporter<'_>, meta: NoticeMeta) -> Option<Notice> {
    let notice = Notice {
        url: meta.url.trim().to_string(),
        id: meta.id.trim().to_string(),
        source: meta.source.trim().to_string(),
    };
    if notice.url.is_empty() {
        r.field(
            "empty-field",
            &["notice", "url"],
            msg!(
                "`notice` saknar `url`, adressen till annonsen",
                "`notice` has no `url`, the address of the notice"
            ),
            msg!(
                "skriv var annonsen finns, till exempel\nnotice:\n  url: https://ted.europa.eu/sv/notice/-/detail/456789-2026\n  id: 2026/S 123-456789",
                "write where the notice is, for example\nnotice:\n  url: https://ted.europa.eu/en/notice/-/detail/456789-2026\n  id: 2026/S 123-456789"
            ),
        );
        return None;
    }
    let no_mail = Allowed {
        mailto: false,
        tel: false,
    };
    let path = [Step::Key("notice"), Step::Key("url")];
    if !r.address(&path, "notice.url", &notice.url, no_mail) {
        return None;
    }
    let source = if notice.source.is_empty() {
        known_source(&notice.url).unwrap_or_default().to_string()
    } else {
        notice.source
    };
    Some(Notice { source, ..notice })
}

/// The related challenges, each with a relation from the closed set; the
/// challenges they name are found by [`resolve`].
pub(super) fn load_related(r: &mut Reporter<'_>, metas: Vec<RelatedMeta>) -> Vec<Related> {
    let mut out = Vec::with_capacity(metas.len());
    for (i, meta) in metas.into_iter().enumerate() {
        let written = meta.challenge.trim().to_string();
        let relation = match meta.relation.as_deref().map(str::trim) {
            None => Relation::Related,
            Some(value) => match Relation::parse(value) {
                Some(relation) => relation,
                None => {
                    unknown_relation(r, i, value, &written);
                    continue;
                }
            },
        };
        let span = r.span(&[Step::Key("related"), Step::Item(i)], false);
        out.push(Related {
            written,
            relation,
            target: None,
            span,
        });
    }
    out
}

fn unknown_relation(r: &mut Reporter<'_>, i: usize, value: &str, written: &str) {
    let keys: Vec<&str> = Relation::ALL.iter().map(|r| r.key()).collect();
    let all = keys.join("`, `");
    let guess = suggest(value, keys.iter().copied()).unwrap_or("follows");
    r.item(
        "invalid-relation",
        ("related", i),
        "relation",
        msg!(
            "`{value}` är inte en relation mellan utmaningar; de som finns är `{all}`",
            "`{value}` is not a relation between challenges; there are `{all}`"
        ),
        msg!(
            "skriv till exempel\nrelated:\n  - challenge: {written}\n    relation: {guess}",
            "write, for example\nrelated:\n  - challenge: {written}\n    relation: {guess}"
        ),
    );
}

/// The names a challenge may be linked by: its file or folder name, its
/// path under `content/` without `.md`, and its stable `id`.
fn names(page: &Page) -> Vec<String> {
    let path = page.key.strip_suffix(".md").unwrap_or(&page.key);
    let path = path.strip_suffix("/index").unwrap_or(path);
    let mut names = vec![path.to_string()];
    if let Some(short) = path.strip_prefix(&format!("{CHALLENGES_DIR}/")) {
        names.push(short.to_string());
        if let Some((_, last)) = short.rsplit_once('/') {
            names.push(last.to_string());
        }
    }
    if let Some(id) = page.challenge().and_then(|c| c.id.clone()) {
        names.push(id);
    }
    names
}

/// The name as written, without what a writer may add around it: a
/// leading `content/` or `/`, a trailing `/` or `.md`.
fn normalise(written: &str) -> &str {
    let s = written.trim().trim_matches('/');
    let s = s.strip_prefix("content/").unwrap_or(s);
    let s = s.strip_suffix(".md").unwrap_or(s);
    s.strip_suffix("/index").unwrap_or(s)
}

/// Every name by which a challenge of `pages` may be linked, with the key
/// of the page it names.
pub(super) fn targets<'p>(pages: impl Iterator<Item = &'p Page>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for page in pages.filter(|p| p.challenge().is_some()) {
        for name in names(page) {
            map.entry(name).or_insert_with(|| page.key.clone());
        }
    }
    map
}

/// Finds the challenge each link names among the published `pages`:
/// an error when it names none, or the page itself; a warning, and no link,
/// when it names one that this build leaves out (`held`, by name).
pub(super) fn resolve(
    pages: &mut [Page],
    held: &HashMap<String, String>,
    diagnostics: &mut Diagnostics,
) {
    let published = targets(pages.iter());
    let mut known: Vec<&str> = published
        .keys()
        .filter(|n| !n.contains('/'))
        .map(String::as_str)
        .collect();
    known.sort_unstable();
    let mut found: Vec<(usize, usize, Result<String, Diagnostic>)> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let Some(c) = page.challenge() else { continue };
        for (i, link) in c.related.iter().enumerate() {
            let name = normalise(&link.written);
            let outcome = match published.get(name) {
                Some(key) if *key == page.key => Err(self_link(page, link)),
                Some(key) => Ok(key.clone()),
                None if held.contains_key(name) => Err(unpublished(page, link)),
                None => Err(unknown(page, link, &known)),
            };
            found.push((p, i, outcome));
        }
    }
    for (p, i, outcome) in found {
        match outcome {
            Ok(key) => {
                if let PageKind::Challenge(c) = &mut pages[p].kind {
                    c.related[i].target = Some(key);
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
}

/// A problem with link `link` of `page`, placed where it is written.
fn placed(page: &Page, link: &Related, d: Diagnostic) -> Diagnostic {
    let d = d.with_field("related");
    match link.span {
        Some(span) => d.at_span(&page.text, span),
        None => d,
    }
}

fn self_link(page: &Page, link: &Related) -> Diagnostic {
    let name = &link.written;
    let d = Diagnostic::error(
        &page.source,
        msg!(
            "utmaningen kan inte vara kopplad till sig själv (`{name}`)",
            "a challenge cannot be related to itself (`{name}`)"
        ),
    )
    .with_code("related-self")
    .with_hint(msg!(
        "skriv namnet på en annan utmaning under `related`, eller ta bort raden",
        "name another challenge under `related`, or remove the line"
    ));
    placed(page, link, d)
}

fn unpublished(page: &Page, link: &Related) -> Diagnostic {
    let name = &link.written;
    let d = Diagnostic::warning(
        &page.source,
        msg!(
            "den kopplade utmaningen `{name}` publiceras inte i det här bygget (utkast eller senare `publish_date`), så sidan länkar inte till den",
            "the related challenge `{name}` is not published in this build (a draft or a later `publish_date`), so the page does not link to it"
        ),
    )
    .with_code("related-unpublished")
    .with_hint(msg!(
        "länken visas när `{name}` publiceras; ta bort `draft: true` där när den är klar",
        "the link appears once `{name}` is published; remove `draft: true` there when it is ready"
    ));
    placed(page, link, d)
}

fn unknown(page: &Page, link: &Related, known: &[&str]) -> Diagnostic {
    let name = &link.written;
    let guess = suggest(normalise(name), known.iter().copied());
    let hint = match guess {
        Some(g) => msg!(
            "menade du `{g}`? Skriv till exempel\nrelated:\n  - challenge: {g}\n    relation: follows",
            "did you mean `{g}`? Write, for example\nrelated:\n  - challenge: {g}\n    relation: follows"
        ),
        None => {
            let some: Vec<&str> = known.iter().take(5).copied().collect();
            let some = some.join("`, `");
            msg!(
                "skriv filens eller mappens namn under content/challenges/ utan `.md`; några som finns: `{some}`",
                "write the name of the file or folder under content/challenges/ without `.md`; some that exist: `{some}`"
            )
        }
    };
    let d = Diagnostic::error(
        &page.source,
        msg!(
            "det finns ingen utmaning `{name}` att koppla till",
            "there is no challenge `{name}` to relate to"
        ),
    )
    .with_code("unknown-related")
    .with_hint(hint);
    placed(page, link, d)
}

/// The links between challenges, both ways: for each page key, the other
/// keys it is related to and how, the links it names first. Links named in
/// several language versions of a challenge count once.
pub fn links_by_key(pages: &[Page]) -> BTreeMap<String, Vec<(String, Relation)>> {
    let mut map: BTreeMap<String, Vec<(String, Relation)>> = BTreeMap::new();
    let mut add = |from: &str, to: &str, relation: Relation| {
        let list = map.entry(from.to_string()).or_default();
        if !list.iter().any(|(k, _)| k == to) {
            list.push((to.to_string(), relation));
        }
    };
    for page in pages {
        for link in page.challenge().map_or(&[][..], |c| &c.related) {
            if let Some(target) = &link.target {
                add(&page.key, target, link.relation);
            }
        }
    }
    for page in pages {
        for link in page.challenge().map_or(&[][..], |c| &c.related) {
            if let Some(target) = &link.target {
                add(target, &page.key, link.relation.reversed());
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::content::{LoadOptions, Site, load};
    use crate::model::Lang;

    fn config() -> Config {
        let toml =
            "title = \"T\"\nbase_url = \"https://example.se/\"\nlanguages = [\"sv\", \"en\"]\n";
        Config::parse(toml, Path::new("site.toml")).expect("valid settings")
    }

    /// A challenge at the `rfi` stage with every required field, and `extra`.
    fn challenge(title: &str, extra: &str) -> String {
        format!(
            "---\ntitle: {title}\nsummary: Kort.\nbuyer: Staden\nstage: rfi\npublished: 2023-06-15\ndeadline: 2023-08-31\n{extra}---\nText.\n"
        )
    }

    /// The site of `files` (path under `content/`, text) and its problems.
    fn site(files: &[(&str, &str)]) -> (Site, Diagnostics) {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        for (rel, text) in files {
            let path = tmp.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create");
            std::fs::write(path, text).expect("write");
        }
        let options = LoadOptions {
            now: "2023-08-25T08:00:00Z".parse().expect("a time"),
            drafts: false,
        };
        load(tmp.path(), &config(), options)
    }

    fn one<'a>(ds: &'a Diagnostics, code: &str) -> &'a Diagnostic {
        let found: Vec<&Diagnostic> = ds.0.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "one `{code}` in {:#?}", ds.0);
        found[0]
    }

    fn targets_of(site: &Site, rel: &str) -> Vec<Option<String>> {
        let page = &site.pages[site.page_index(rel).expect("the page")];
        let c = page.challenge().expect("a challenge");
        c.related.iter().map(|r| r.target.clone()).collect()
    }

    #[test]
    fn links_are_found_by_file_name_path_and_id() {
        let follows = "related:\n  - challenge: rfi\n    relation: follows\n  - challenges/skola/\n  - klimat-2023\n";
        let (site, ds) = site(&[
            ("challenges/rfi.md", &challenge("RFI", "")),
            ("challenges/skola/index.md", &challenge("Skola", "")),
            (
                "challenges/annan.md",
                &challenge("Annan", "id: klimat-2023\n"),
            ),
            (
                "challenges/upphandling.md",
                &challenge("Upphandling", follows),
            ),
        ]);
        assert!(!ds.has_errors(), "{:#?}", ds.0);
        assert_eq!(
            targets_of(&site, "challenges/upphandling.md"),
            vec![
                Some("challenges/rfi.md".to_string()),
                Some("challenges/skola/index.md".to_string()),
                Some("challenges/annan.md".to_string()),
            ]
        );
        let links = links_by_key(&site.pages);
        assert_eq!(
            links["challenges/rfi.md"],
            vec![(
                "challenges/upphandling.md".to_string(),
                Relation::FollowedBy
            )]
        );
        assert_eq!(links["challenges/upphandling.md"][0].1, Relation::Follows);
        assert_eq!(links["challenges/annan.md"][0].1, Relation::Related);
    }

    #[test]
    fn an_unknown_challenge_names_the_nearest_in_both_languages() {
        let (_, ds) = site(&[
            ("challenges/klimat-rfi.md", &challenge("RFI", "")),
            (
                "challenges/b.md",
                &challenge("B", "related:\n  - challenge: klimat-rf\n"),
            ),
        ]);
        let d = one(&ds, "unknown-related");
        assert_eq!(
            d.message.get(Lang::Sv),
            "det finns ingen utmaning `klimat-rf` att koppla till"
        );
        assert_eq!(
            d.message.get(Lang::En),
            "there is no challenge `klimat-rf` to relate to"
        );
        let hint = d.hint.as_ref().expect("a hint");
        assert!(hint.get(Lang::Sv).starts_with("menade du `klimat-rfi`?"));
        assert!(hint.get(Lang::En).contains("  - challenge: klimat-rfi\n"));
        assert_eq!(d.field.as_deref(), Some("related"));
        // Placed at the item, on the line it is written.
        assert_eq!(d.position().map(|p| p.line), Some(9), "{d:#?}");
    }

    #[test]
    fn itself_and_an_unknown_relation_are_errors() {
        let (_, ds) = site(&[
            ("challenges/a.md", &challenge("A", "related: [a]\n")),
            (
                "challenges/b.md",
                &challenge("B", "related:\n  - challenge: a\n    relation: folows\n"),
            ),
        ]);
        let d = one(&ds, "related-self");
        assert_eq!(
            d.message.get(Lang::En),
            "a challenge cannot be related to itself (`a`)"
        );
        let d = one(&ds, "invalid-relation");
        assert_eq!(
            d.message.get(Lang::Sv),
            "`folows` är inte en relation mellan utmaningar; de som finns är `follows`, `followed-by`, `related`"
        );
        assert!(
            d.hint
                .as_ref()
                .expect("a hint")
                .get(Lang::En)
                .contains("relation: follows")
        );
    }

    #[test]
    fn a_draft_is_not_linked_and_check_says_so() {
        let (site, ds) = site(&[
            ("challenges/a.md", &challenge("A", "draft: true\n")),
            ("challenges/b.md", &challenge("B", "related: [a]\n")),
        ]);
        assert!(!ds.has_errors(), "{:#?}", ds.0);
        let d = one(&ds, "related-unpublished");
        assert!(d.message.get(Lang::En).contains("`a` is not published"));
        assert_eq!(targets_of(&site, "challenges/b.md"), vec![None]);
        assert!(links_by_key(&site.pages).is_empty());
    }

    #[test]
    fn a_notice_needs_an_address_and_may_name_its_source() {
        let (site, ds) = site(&[
            (
                "challenges/a.md",
                &challenge(
                    "A",
                    "notice:\n  id: 2026/S 123-456789\n  url: https://ted.europa.eu/sv/notice/-/detail/456789-2026\n",
                ),
            ),
            (
                "challenges/b.md",
                &challenge("B", "notice:\n  url: ted.europa.eu/x\n"),
            ),
            ("challenges/c.md", &challenge("C", "notice:\n  id: 12\n")),
        ]);
        let page = &site.pages[site.page_index("challenges/a.md").expect("a")];
        let notice = page.challenge().and_then(|c| c.notice.clone());
        assert_eq!(
            notice,
            Some(Notice {
                url: "https://ted.europa.eu/sv/notice/-/detail/456789-2026".into(),
                id: "2026/S 123-456789".into(),
                source: "TED".into(),
            })
        );
        let d = one(&ds, "invalid-url");
        assert_eq!(d.field.as_deref(), Some("notice.url"));
        let d = one(&ds, "empty-field");
        assert_eq!(
            d.message.get(Lang::En),
            "`notice` has no `url`, the address of the notice"
        );
    }

    #[test]
    fn known_sources_by_address() {
        assert_eq!(known_source("https://ted.europa.eu/x"), Some("TED"));
        assert_eq!(known_source("https://www.e-avrop.com/a"), Some("e-Avrop"));
        assert_eq!(known_source("https://notted.europa.eu.example/"), None);
        assert_eq!(known_source("https://example.se/"), None);
    }
}
