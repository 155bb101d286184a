//! Planning the HTML pages of every language: home, challenge list,
//! challenges, plain pages, taxonomies and 404, with the cards their lists
//! show.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{Cache, Fingerprint};
use super::generated::Generated;
use super::{Counts, Inputs, Job, Make, PageJob, Plan};
use crate::config::{Config, lang_code, lang_prefix};
use crate::content::{
    CHALLENGES_DIR, Challenge, Page, PageKind, Relation, Stage, Suitable, ValueBand,
};
use crate::model::{Lang, PageHtml, PageId};
use crate::msg;
use crate::time::{self, Status};
use crate::view::{
    self, BuiltAt, EmbedVars, Env, Feeds, Filter, Globals, HomeCounts, HomeVars, ListVars, NavLink,
    PlainPage, RelatedLink, Shared, SiteView, Strings, Taxonomy, TaxonomyVars, TaxonomyView,
    TermCount, TermVars, list_order, t,
};

/// The terms of one taxonomy: slug, name and the challenges filed under it.
type Terms = Vec<(String, String, Vec<PageId>)>;

/// The pages of one language and what they share.
#[derive(Debug)]
pub struct LangPlan {
    /// The language.
    pub lang: Lang,
    /// Fingerprint of what every page of the language reads.
    pub base: u64,
    /// The site-wide template variables.
    pub globals: tera::Context,
    /// The menu.
    pub nav: Vec<NavLink>,
    /// The challenge cards the lists show.
    pub cards: Vec<CardPlan>,
    /// The page jobs.
    pub jobs: Vec<Job>,
}

/// A challenge's card as planned.
#[derive(Debug)]
pub struct CardPlan {
    /// The challenge.
    pub id: PageId,
    /// Fingerprint of the page it is made from.
    pub source: u64,
    /// Fingerprint of the card's content: equal content, equal card.
    pub content: u64,
    /// Fingerprint of what places the challenge in lists.
    pub order: u64,
    /// The taxonomy terms the challenge is filed under.
    pub terms: Arc<Vec<(Taxonomy, String, String)>>,
    /// The card's value; `None` when the cache's card was made from the
    /// same page and is taken as it is.
    pub value: Option<tera::Value>,
}

/// The file of the home page and of every folder's page.
const HOME: &str = "index.html";

/// The folder of the list other sites embed.
const EMBED_DIR: &str = "embed";

/// The page a web server shows for an address that does not exist.
const NOT_FOUND: &str = "404.html";

/// The pages the build makes itself, in every language, where the jobs
/// below put them.
pub(super) fn generated(config: &Config) -> Vec<Generated> {
    let mut all = Vec::new();
    for &lang in &config.languages {
        let prefix = lang_prefix(config, lang);
        if !prefix.is_empty() {
            // Only this language's pages go in its folder.
            all.push(Generated {
                owner: Some(lang),
                ..Generated::folder(prefix.clone(), {
                    let code = lang_code(lang);
                    msg!(
                        "sidorna på språket `{code}`",
                        "the pages in the `{code}` language"
                    )
                })
            });
        }
        all.push(Generated::file(
            format!("{prefix}{HOME}"),
            msg!("startsidan", "the home page"),
        ));
        all.push(Generated::file(
            format!("{prefix}{EMBED_DIR}/{HOME}"),
            msg!(
                "listan som andra webbplatser kan bädda in",
                "the list other sites can embed"
            ),
        ));
        all.push(Generated::file(
            format!("{prefix}{CHALLENGES_DIR}/{HOME}"),
            msg!("listan över alla utmaningar", "the list of all challenges"),
        ));
        // The list's later pages (`challenges/page/2/`): a challenge with the
        // slug `page` would be published among them.
        if config.paginate > 0 {
            all.push(Generated::folder(
                format!("{prefix}{CHALLENGES_DIR}/{}", view::PAGE_DIR),
                msg!(
                    "listans sidor efter den första",
                    "the pages of the list after the first"
                ),
            ));
        }
        for tax in Taxonomy::ALL {
            all.push(Generated::folder(
                format!("{prefix}{}/", tax.key()),
                tax.pages_name(),
            ));
        }
        all.push(Generated::file(
            format!("{prefix}{NOT_FOUND}"),
            msg!(
                "sidan som visas för en adress som inte finns",
                "the page shown for an address that does not exist"
            ),
        ));
    }
    all
}

/// Plans the pages of a site.
pub(super) struct Planner<'a> {
    pub(super) inputs: &'a Inputs<'a>,
    /// Each page's Markdown as HTML.
    pub(super) html: &'a [Arc<PageHtml>],
    /// Of each page's content and HTML.
    pub(super) page_fps: &'a [u64],
    /// What the last run left.
    pub(super) cache: &'a Cache,
    /// Of the templates, strings, settings and clock.
    pub(super) base: u64,
    /// The links between challenges, both ways, by page key (see
    /// [`crate::content::links_by_key`]).
    pub(super) links: &'a BTreeMap<String, Vec<(String, Relation)>>,
    /// The indexes of the language versions of each challenge a link
    /// points to, by page key.
    pub(super) linked: &'a HashMap<&'a str, Vec<usize>>,
}

impl<'a> Planner<'a> {
    fn config(&self) -> &'a Config {
        self.inputs.config
    }

    fn page(&self, id: PageId) -> &'a Page {
        self.inputs.site.page(id)
    }

    /// The strings and variables of language `lang`.
    fn strings(&self, lang: Lang) -> Strings {
        self.inputs.theme.strings_for(lang, self.config().language)
    }

    fn env<'s>(&self, lang: Lang, strings: &'s Strings) -> Env<'s>
    where
        'a: 's,
    {
        Env {
            config: self.config(),
            strings,
            lang,
            now: self.inputs.now,
            prefix: lang_prefix(self.config(), lang),
        }
    }

    /// Every page of every language.
    pub(super) fn plan_all(&self) -> Plan {
        let translations = self.translations();
        let starts: Vec<LangStart<'a>> = self
            .config()
            .languages
            .iter()
            .map(|&lang| self.lang_start(lang))
            .collect();
        let terms = term_sizes(&starts);
        let mut plan = Plan::default();
        for start in starts {
            let lang = start.lang;
            let (lang_plan, counts) = self.plan_lang(start, &translations, &terms);
            plan.counts.pages += lang_plan.jobs.len();
            if lang == self.config().language {
                plan.counts.challenges = counts.challenges;
                plan.counts.open = counts.open;
            }
            plan.langs.push(lang_plan);
        }
        if self.cache.keeps() {
            plan.translations = translations
                .into_iter()
                .map(|(key, places)| (key.to_string(), places))
                .collect();
        }
        plan
    }

    /// Only the changed pages' own jobs, when nothing else can have
    /// changed: the cache's templates, settings and clock, and every
    /// changed challenge's card as it was (so no list changes). `None` when
    /// every page must be planned. Pages are passed as changed only when
    /// their address, language and place in the menu are as they were.
    pub(super) fn plan_changed(&self, changed: &[PageId]) -> Option<Plan> {
        let cache = self.cache;
        if cache.base != self.base || cache.langs.len() != self.config().languages.len() {
            return None;
        }
        let mut langs: Vec<LangPlan> = cache
            .langs
            .iter()
            .map(|shared| LangPlan {
                lang: shared.lang,
                base: shared.base,
                globals: shared.globals.clone(),
                nav: shared.nav.clone(),
                cards: Vec::new(),
                jobs: Vec::new(),
            })
            .collect();
        for &id in changed {
            let page = self.page(id);
            // Other pages show a related challenge's title and stage: the
            // whole plan, whose fingerprints find which changed.
            if self.links.contains_key(&page.key) {
                return None;
            }
            match &page.kind {
                PageKind::Challenge(c) => {
                    for lang_plan in &mut langs {
                        let Some(old) = cache.cards.get(&(lang_plan.lang, page.rel.clone())) else {
                            continue;
                        };
                        let strings = self.strings(lang_plan.lang);
                        let env = self.env(lang_plan.lang, &strings);
                        let made = self.card(&env, &strings, lang_plan.base, id, c);
                        if made.content != old.content
                            || made.order != old.order
                            || *made.terms != *old.terms
                        {
                            return None;
                        }
                        lang_plan.cards.push(made);
                    }
                }
                PageKind::Plain => {}
                PageKind::Home | PageKind::ChallengeList => return None,
            }
            let lang_plan = langs.iter_mut().find(|l| l.lang == page.lang)?;
            let translations = cache.translations.get(&page.key)?.clone();
            lang_plan
                .jobs
                .extend(self.page_job(lang_plan.base, id, translations));
        }
        Some(Plan {
            langs,
            counts: cache.counts.clone(),
            partial: true,
            ..Plan::default()
        })
    }

    /// Where each page key is published in each language.
    fn translations(&self) -> HashMap<&'a str, Vec<(Lang, String)>> {
        let mut map: HashMap<&str, Vec<(Lang, String)>> = HashMap::new();
        for p in &self.inputs.site.pages {
            map.entry(&p.key)
                .or_default()
                .push((p.lang, p.url_path.clone()));
        }
        for v in map.values_mut() {
            v.sort();
        }
        map
    }

    /// What the pages of language `lang` start from: the pages it shows,
    /// its challenges in list order and their cards.
    fn lang_start(&self, lang: Lang) -> LangStart<'a> {
        let strings = self.strings(lang);
        let env = self.env(lang, &strings);
        let shown = self.inputs.site.pages_in(self.config().language, lang);
        let challenges = self.challenges_in_order(&shown);
        let (globals, nav, globals_fp) = self.globals(lang, &strings, &shown, &env.prefix);
        let base = Fingerprint::new()
            .with(&self.base)
            .with(&lang)
            .with(&globals_fp)
            .finish();
        let _stage = crate::timing::Stage::start("cards");
        let cards: Vec<CardPlan> = challenges
            .par_iter()
            .map(|&(id, c)| {
                self.cached_card(lang, base, id)
                    .unwrap_or_else(|| self.card(&env, &strings, base, id, c))
            })
            .collect();
        LangStart {
            lang,
            shown,
            challenges,
            globals,
            nav,
            base,
            cards,
        }
    }

    /// The pages of the language of `start`, and its counts; `terms` are
    /// the sizes of the terms of every language, for the links between
    /// the languages' pages of a term.
    fn plan_lang(
        &self,
        start: LangStart<'a>,
        translations: &HashMap<&str, Vec<(Lang, String)>>,
        terms: &TermSizes,
    ) -> (LangPlan, Counts) {
        let (lang, base) = (start.lang, start.base);
        let strings = self.strings(lang);
        let env = self.env(lang, &strings);
        let _stage = crate::timing::Stage::start("lists");
        let lists = Lists::new(&start.challenges, &start.cards);
        let mut jobs = Vec::new();
        let counts = self.home_job(&env, base, &start.shown, &lists, &mut jobs);
        jobs.push(self.embed_job(&env, base, &lists));
        let taxonomies = lists.taxonomies(&strings);
        self.list_job(&env, base, &start.shown, &lists, &taxonomies, &mut jobs);
        self.taxonomy_jobs(&env, base, &lists, &taxonomies, terms, &mut jobs);
        // Challenges and plain pages written in this language.
        for (i, page) in self.inputs.site.pages.iter().enumerate() {
            if page.lang == lang {
                let translations = translations
                    .get(page.key.as_str())
                    .cloned()
                    .unwrap_or_default();
                jobs.extend(self.page_job(base, PageId::new(i), translations));
            }
        }
        jobs.push(page_job(
            base,
            format!("{}{NOT_FOUND}", env.prefix),
            PageJob {
                template: "404.html",
                url_path: env.prefix.clone(),
                title: t(&strings, "not_found_title", "Sidan finns inte").to_string(),
                description: String::new(),
                translations: Vec::new(),
                vars: Vec::new(),
                challenge: None,
                related: Vec::new(),
                origin: PathBuf::from("(404)"),
            },
            Vec::new(),
            0,
        ));
        let plan = LangPlan {
            lang,
            base,
            globals: start.globals,
            nav: start.nav,
            cards: start.cards,
            jobs,
        };
        (plan, counts)
    }

    /// The challenges shown in a language, in list order.
    fn challenges_in_order(&self, shown: &[usize]) -> Vec<(PageId, &'a Challenge)> {
        let site = self.inputs.site;
        let mut challenges: Vec<(PageId, &Challenge)> = shown
            .iter()
            .filter_map(|&i| site.pages[i].challenge().map(|c| (PageId::new(i), c)))
            .collect();
        challenges.sort_by(|(ia, a), (ib, b)| {
            list_order(a, b).then_with(|| site.page(*ia).title.cmp(&site.page(*ib).title))
        });
        challenges
    }

    /// The cache's card of challenge `id` when it was made from the same page
    /// on the same basis.
    fn cached_card(&self, lang: Lang, base: u64, id: PageId) -> Option<CardPlan> {
        let page = self.page(id);
        let card = self.cache.cards.get(&(lang, page.rel.clone()))?;
        let source = Fingerprint::new()
            .with(&base)
            .with(&self.page_fps[id.index()])
            .finish();
        (card.source == source).then(|| CardPlan {
            id,
            source,
            content: card.content,
            order: card.order,
            terms: Arc::clone(&card.terms),
            value: None,
        })
    }

    /// Challenge `c`'s card, made from its page.
    fn card(
        &self,
        env: &Env<'_>,
        strings: &Strings,
        base: u64,
        id: PageId,
        c: &Challenge,
    ) -> CardPlan {
        let page = self.page(id);
        let card = view::card(env, page, c);
        let terms = Taxonomy::ALL
            .iter()
            .flat_map(|&tax| {
                tax.terms_of(c, strings, env.lang)
                    .into_iter()
                    .map(move |(slug, name)| (tax, slug, name))
            })
            .collect();
        let at = |m: &Option<time::Moment>| m.as_ref().map(|m| m.zoned.timestamp().as_nanosecond());
        CardPlan {
            id,
            source: Fingerprint::new()
                .with(&base)
                .with(&self.page_fps[id.index()])
                .finish(),
            content: Fingerprint::new().with(&base).with(&card).finish(),
            order: Fingerprint::new()
                .with(c.status.key())
                .with(&at(&c.deadline))
                .with(&at(&c.opens))
                .with(&page.title)
                .finish(),
            terms: Arc::new(terms),
            value: Some(view::value(&card)),
        }
    }

    /// The intro page of a kind (home, challenge list) shown in a language,
    /// with its HTML.
    fn intro(&self, shown: &[usize], kind: fn(&PageKind) -> bool) -> Option<(&'a Page, &'a str)> {
        shown
            .iter()
            .map(|&i| (&self.inputs.site.pages[i], i))
            .find(|(p, _)| kind(&p.kind))
            .map(|(p, i)| (p, self.html[i].content.as_str()))
    }

    /// The home page: open, upcoming and closed challenges. Gives the
    /// language's counts.
    fn home_job(
        &self,
        env: &Env<'_>,
        base: u64,
        shown: &[usize],
        lists: &Lists<'_>,
        jobs: &mut Vec<Job>,
    ) -> Counts {
        let config = self.config();
        let home = self.intro(shown, |k| matches!(k, PageKind::Home));
        let is_open = |c: &Challenge| matches!(c.status, Status::Open | Status::ClosingSoon);
        let (open, _) = lists.of(&is_open);
        let (upcoming, _) = lists.of(&|c| c.status == Status::Upcoming);
        let (closed, _) = lists.of(&|c| c.status == Status::Closed);
        let counts = Counts {
            pages: 0,
            challenges: lists.challenges.len(),
            open: open.len(),
        };
        let home_counts = HomeCounts {
            open: open.len(),
            upcoming: upcoming.len(),
            closed: closed.len(),
            total: lists.challenges.len(),
        };
        // The home page stays short however many challenges there are: a
        // page's worth of open and of upcoming ones, and the latest closed;
        // the lists and the archive have the rest.
        let limit = match config.paginate {
            0 => usize::MAX,
            n => n,
        };
        let first = |mut ids: Vec<PageId>, n: usize| {
            ids.truncate(n);
            ids
        };
        let open = first(open, limit);
        let upcoming = first(upcoming, limit);
        let closed = first(closed, config.home_closed);
        let upcoming_url = env.term_url(Taxonomy::Status, Status::Upcoming.key());
        let archive_url = env.term_url(Taxonomy::Status, Status::Closed.key());
        let home_intro = home.map(|(_, h)| h).unwrap_or_default();
        let inputs = Fingerprint::new()
            .with(home_intro)
            .with(&home_counts)
            .with(&[
                lists.members_fp(&open),
                lists.members_fp(&upcoming),
                lists.members_fp(&closed),
            ])
            .with(&[&upcoming_url, &archive_url])
            .finish();
        let deps = [&open, &upcoming, &closed]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        jobs.push(page_job(
            base,
            format!("{}{HOME}", env.prefix),
            PageJob {
                template: "index.html",
                url_path: env.prefix.clone(),
                title: home.map_or_else(|| config.title.clone(), |(p, _)| p.title.clone()),
                description: home
                    .map(|(p, _)| p.summary.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| config.description.clone()),
                translations: self.everywhere(""),
                vars: HomeVars {
                    intro: home_intro,
                    counts: home_counts,
                    open,
                    upcoming,
                    closed,
                    upcoming_url,
                    archive_url,
                }
                .vars(),
                challenge: None,
                related: Vec::new(),
                origin: PathBuf::from("content/_index.md"),
            },
            deps,
            inputs,
        ));
        counts
    }

    /// The list of open and upcoming challenges that other sites show in
    /// an `<iframe>`.
    fn embed_job(&self, env: &Env<'_>, base: u64, lists: &Lists<'_>) -> Job {
        let shown = |c: &Challenge| c.status != Status::Closed;
        let (mut challenges, _) = lists.of(&shown);
        let total = challenges.len();
        let most = self.config().paginate;
        if most > 0 {
            challenges.truncate(most);
        }
        let fp = Fingerprint::new()
            .with(&lists.members_fp(&challenges))
            .with(&total)
            .finish();
        let path = format!("{EMBED_DIR}/");
        page_job(
            base,
            format!("{}{path}{HOME}", env.prefix),
            PageJob {
                template: "embed.html",
                url_path: format!("{}{path}", env.prefix),
                title: t(env.strings, "embed_title", "Öppna och kommande utmaningar").to_string(),
                description: self.config().description.clone(),
                translations: self.everywhere(&path),
                vars: EmbedVars {
                    challenges: challenges.clone(),
                    total,
                }
                .vars(),
                challenge: None,
                related: Vec::new(),
                origin: PathBuf::from("(embed)"),
            },
            challenges,
            fp,
        )
    }

    /// The list of all challenges, with its filters.
    fn list_job(
        &self,
        env: &Env<'_>,
        base: u64,
        shown: &[usize],
        lists: &Lists<'_>,
        taxonomies: &[(Taxonomy, Terms)],
        jobs: &mut Vec<Job>,
    ) {
        let config = self.config();
        let prefix = &env.prefix;
        let filters: Vec<Filter<'_>> = taxonomies
            .iter()
            .filter(|(tax, _)| *tax != Taxonomy::Tags)
            .map(|(tax, terms)| Filter {
                key: tax.key(),
                label: tax.label(env.strings),
                terms: term_list(env, *tax, terms),
            })
            .collect();
        let list_intro = self.intro(shown, |k| matches!(k, PageKind::ChallengeList));
        let list_intro_html = list_intro.map(|(_, h)| h).unwrap_or_default();
        let list_path = format!("{CHALLENGES_DIR}/");
        let (all, _) = lists.of(&|_| true);
        let search_index_url = format!(
            "{}{prefix}{}",
            config.base_path,
            crate::output::search::PATH
        );
        let shared = Fingerprint::new()
            .with(list_intro_html)
            .with(&filters)
            .with(&search_index_url)
            .finish();
        let filters = Shared::new(&filters);
        let title = list_intro.map_or_else(
            || t(env.strings, "all_challenges", "Alla utmaningar").to_string(),
            |(p, _)| p.title.clone(),
        );
        // How long the list is in each language, for the links between the
        // languages' pages of the same number.
        let lengths: Vec<(Lang, usize)> = config
            .languages
            .iter()
            .map(|&l| (l, self.challenge_count(l)))
            .collect();
        for (paging, members) in self.pages_of(env, &list_path, &all) {
            let n = paging.current;
            let page_rel = view::page_path(&list_path, n);
            let inputs = Fingerprint::new()
                .with(&shared)
                .with(&paging)
                .with(&lists.members_fp(&members))
                .finish();
            let translations = self.paged_everywhere(&list_path, n, &lengths);
            jobs.push(page_job(
                base,
                format!("{prefix}{page_rel}{HOME}"),
                PageJob {
                    template: "list.html",
                    url_path: format!("{prefix}{page_rel}"),
                    title: paged_title(&title, &paging, env.strings),
                    description: list_intro
                        .map(|(p, _)| p.summary.clone())
                        .unwrap_or_default(),
                    translations,
                    vars: ListVars {
                        intro: list_intro_html,
                        challenges: members.clone(),
                        paging,
                        filters: filters.clone(),
                        search_index_url: search_index_url.clone(),
                    }
                    .vars(),
                    challenge: None,
                    related: Vec::new(),
                    origin: PathBuf::from("content/challenges/_index.md"),
                },
                members,
                inputs,
            ));
        }
    }

    /// How many challenges the list of language `lang` shows.
    fn challenge_count(&self, lang: Lang) -> usize {
        let site = self.inputs.site;
        site.pages_in(self.config().language, lang)
            .into_iter()
            .filter(|&i| site.pages[i].challenge().is_some())
            .count()
    }

    /// The pages of a list of `members` whose first page is at `list_path`
    /// in the language of `env`: each page's place and challenges.
    fn pages_of(
        &self,
        env: &Env<'_>,
        list_path: &str,
        members: &[PageId],
    ) -> Vec<(view::Paging, Vec<PageId>)> {
        let ranges = view::split(members.len(), self.config().paginate);
        let full = format!("{}{list_path}", env.prefix);
        ranges
            .iter()
            .enumerate()
            .map(|(i, range)| {
                let paging = view::Paging::new(&ranges, i + 1, &full, |p| env.url(p));
                (paging, members[range.clone()].to_vec())
            })
            .collect()
    }

    /// Page `n` of the list at `list_path` in every language whose list,
    /// `lengths` long, has that page; nothing when only one language has it.
    fn paged_everywhere(
        &self,
        list_path: &str,
        n: usize,
        lengths: &[(Lang, usize)],
    ) -> Vec<(Lang, String)> {
        let per_page = self.config().paginate;
        let path = view::page_path(list_path, n);
        let has = |len: usize| n == 1 || (per_page > 0 && len > (n - 1) * per_page);
        let places: Vec<(Lang, String)> = self
            .everywhere(&path)
            .into_iter()
            .filter(|(l, _)| lengths.iter().any(|(m, len)| m == l && has(*len)))
            .collect();
        if places.len() > 1 { places } else { Vec::new() }
    }

    /// Each taxonomy's page, and a page for each of its terms.
    fn taxonomy_jobs(
        &self,
        env: &Env<'_>,
        base: u64,
        lists: &Lists<'_>,
        taxonomies: &[(Taxonomy, Terms)],
        sizes: &TermSizes,
        jobs: &mut Vec<Job>,
    ) {
        let prefix = &env.prefix;
        for (tax, terms) in taxonomies {
            let label = tax.label(env.strings);
            let tax_path = format!("{}/", tax.key());
            let tax_view = TaxonomyView {
                key: tax.key(),
                label: label.clone(),
                url: env.url(&tax_path),
                terms: term_list(env, *tax, terms),
            };
            let tax_fp = Fingerprint::new().with(&tax_view).finish();
            let taxonomy = Shared::new(&tax_view);
            let deps = terms
                .iter()
                .flat_map(|(_, _, m)| m.iter().copied())
                .collect();
            jobs.push(page_job(
                base,
                format!("{prefix}{tax_path}{HOME}"),
                PageJob {
                    template: "taxonomy.html",
                    url_path: format!("{prefix}{tax_path}"),
                    title: label.clone(),
                    description: String::new(),
                    translations: self.everywhere(&tax_path),
                    vars: TaxonomyVars {
                        taxonomy: taxonomy.clone(),
                    }
                    .vars(),
                    challenge: None,
                    related: Vec::new(),
                    origin: PathBuf::from("(taxonomy)"),
                },
                deps,
                tax_fp,
            ));
            // The terms' pages are planned in parallel, kept in order.
            let term_jobs: Vec<Vec<Job>> = terms
                .par_iter()
                .map(|(slug, name, members)| {
                    let mut jobs = Vec::new();
                    let term_path = format!("{tax_path}{slug}/");
                    let term = view::TermLink {
                        name,
                        url: env.term_url(*tax, slug),
                    };
                    let shared = Fingerprint::new().with(&tax_fp).with(&term).finish();
                    let term = Shared::new(&term);
                    let title = format!("{label}: {name}");
                    let feed = tax.has_feeds().then(|| {
                        let path = crate::output::feed::term_feed_path(prefix, *tax, slug);
                        view::FeedLink::new(self.config(), &path)
                    });
                    for (paging, page_members) in self.pages_of(env, &term_path, members) {
                        let n = paging.current;
                        let page_rel = view::page_path(&term_path, n);
                        let inputs = Fingerprint::new()
                            .with(&shared)
                            .with(&paging)
                            .with(&lists.members_fp(&page_members))
                            .finish();
                        // The same page of the term in every language
                        // where the term has that page.
                        let lengths = sizes
                            .get(&(*tax, slug.clone()))
                            .map_or(&[][..], Vec::as_slice);
                        let translations = self.paged_everywhere(&term_path, n, lengths);
                        jobs.push(page_job(
                            base,
                            format!("{prefix}{page_rel}{HOME}"),
                            PageJob {
                                template: "term.html",
                                url_path: format!("{prefix}{page_rel}"),
                                title: paged_title(&title, &paging, env.strings),
                                description: String::new(),
                                translations,
                                vars: TermVars {
                                    taxonomy: taxonomy.clone(),
                                    term: term.clone(),
                                    challenges: page_members.clone(),
                                    paging,
                                    feed: feed.clone(),
                                }
                                .vars(),
                                challenge: None,
                                related: Vec::new(),
                                origin: PathBuf::from("(taxonomy)"),
                            },
                            page_members,
                            inputs,
                        ));
                    }
                    jobs
                })
                .collect();
            jobs.extend(term_jobs.into_iter().flatten());
        }
    }

    /// A page the build makes itself, at `path` in every language.
    fn everywhere(&self, path: &str) -> Vec<(Lang, String)> {
        let config = self.config();
        config
            .languages
            .iter()
            .map(|&l| (l, format!("{}{path}", lang_prefix(config, l))))
            .collect()
    }

    /// The job of page `id`, a challenge or a plain page, published in the
    /// languages and at the paths of `translations`.
    fn page_job(&self, base: u64, id: PageId, translations: Vec<(Lang, String)>) -> Option<Job> {
        let page = self.page(id);
        let mut deps = vec![id];
        let mut related = Vec::new();
        // A challenge's full value is built when its page is rendered, in
        // parallel, and dropped right after.
        let (template, vars, challenge) = match &page.kind {
            PageKind::Challenge(_) => {
                related = self.related_links(page, &mut deps);
                ("challenge.html", Vec::new(), Some(id))
            }
            PageKind::Plain => (
                "page.html",
                PlainPage {
                    title: &page.title,
                    summary: &page.summary,
                    content: &self.html[id.index()].content,
                }
                .vars(),
                None,
            ),
            PageKind::Home | PageKind::ChallengeList => return None,
        };
        // The related challenges' titles, addresses and stages are part of
        // the page: a change to them makes it again.
        let inputs = Fingerprint::new()
            .with(&self.page_fps[id.index()])
            .with(&related)
            .finish();
        Some(page_job(
            base,
            format!("{}{HOME}", page.url_path),
            PageJob {
                template,
                url_path: page.url_path.clone(),
                title: page.title.clone(),
                description: page.summary.clone(),
                translations,
                vars,
                challenge,
                related,
                origin: page.source.clone(),
            },
            deps,
            inputs,
        ))
    }

    /// The links of challenge `page` to the challenges related to it, each
    /// to its version in the page's language when there is one, else in the
    /// site's language; the pages linked are added to `deps`.
    fn related_links(&self, page: &Page, deps: &mut Vec<PageId>) -> Vec<RelatedLink> {
        let Some(links) = self.links.get(&page.key) else {
            return Vec::new();
        };
        let strings = self.strings(page.lang);
        let site = self.inputs.site;
        let mut out = Vec::with_capacity(links.len());
        for (key, relation) in links {
            let versions = self.linked.get(key.as_str()).map_or(&[][..], Vec::as_slice);
            let pick = |lang: Lang| {
                versions
                    .iter()
                    .copied()
                    .find(|&i| site.pages[i].lang == lang)
            };
            let Some(index) = pick(page.lang)
                .or_else(|| pick(self.config().language))
                .or_else(|| versions.first().copied())
            else {
                continue;
            };
            let other = &site.pages[index];
            let Some(c) = other.challenge() else { continue };
            deps.push(PageId::new(index));
            let label_key = format!("related_{}", relation.key().replace('-', "_"));
            out.push(RelatedLink {
                relation: relation.key(),
                label: t(&strings, &label_key, relation.key()).to_string(),
                title: other.title.clone(),
                url: format!("{}{}", self.config().base_path, other.url_path),
                lang: lang_code(other.lang),
                other_lang: other.lang != page.lang,
                stage: c.stage.key(),
                stage_label: view::stage_label(c.stage, &strings),
            });
        }
        out
    }

    /// Variables every page of language `lang` shares, its menu, and the
    /// fingerprint of both.
    fn globals(
        &self,
        lang: Lang,
        strings: &Strings,
        shown: &[usize],
        prefix: &str,
    ) -> (tera::Context, Vec<NavLink>, u64) {
        let config = self.config();
        let url = |path: &str| format!("{}{}", config.base_path, path);
        let plain = self.plain_pages(shown);
        let footer_pages: Vec<NavLink> = plain.iter().map(|p| self.nav_link(p)).collect();
        let nav = self.menu(lang, strings, shown, prefix, &plain);
        let accessibility = plain
            .iter()
            .find(|p| p.key.starts_with("tillganglighet") || p.key.starts_with("accessibility"));
        let site = self.site_view(lang, prefix);
        let globals = Globals {
            feeds: Feeds {
                atom: url(&format!("{prefix}atom.xml")),
                atom_email: config.follow_email(&format!("{}{prefix}atom.xml", config.base_url)),
                calendar: url("calendar.ics"),
                json: url("api/challenges.json"),
                ocds: site.ocds_url.clone(),
            },
            site,
            lang: lang_code(lang),
            t: strings,
            list_url: url(&format!("{prefix}{CHALLENGES_DIR}/")),
            footer_pages: &footer_pages,
            accessibility_url: accessibility.map(|p| url(&p.url_path)).unwrap_or_default(),
        };
        let fingerprint = Fingerprint::new().with(&globals).with(&nav).finish();
        let mut ctx = tera::Context::new();
        view::insert_fields(&mut ctx, &globals);
        (ctx, nav, fingerprint)
    }

    /// The plain pages shown in a language, by weight and title.
    fn plain_pages(&self, shown: &[usize]) -> Vec<&'a Page> {
        let mut plain: Vec<&Page> = shown
            .iter()
            .map(|&i| &self.inputs.site.pages[i])
            .filter(|p| matches!(p.kind, PageKind::Plain))
            .collect();
        plain.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        plain
    }

    /// A link to page `p`.
    fn nav_link(&self, p: &Page) -> NavLink {
        NavLink {
            title: p.title.clone(),
            url: format!("{}{}", self.config().base_path, p.url_path),
            lang: lang_code(p.lang),
        }
    }

    /// The menu of language `lang`: the list of all challenges, then the
    /// plain pages that ask to be in it.
    fn menu(
        &self,
        lang: Lang,
        strings: &Strings,
        shown: &[usize],
        prefix: &str,
        plain: &[&Page],
    ) -> Vec<NavLink> {
        let challenges_title = shown
            .iter()
            .map(|&i| &self.inputs.site.pages[i])
            .find(|p| matches!(p.kind, PageKind::ChallengeList) && p.lang == lang)
            .map_or_else(
                || t(strings, "all_challenges", "Alla utmaningar").to_string(),
                |p| p.title.clone(),
            );
        let mut nav = vec![NavLink {
            title: challenges_title,
            url: format!("{}{prefix}{CHALLENGES_DIR}/", self.config().base_path),
            lang: lang_code(lang),
        }];
        nav.extend(plain.iter().filter(|p| p.menu).map(|p| self.nav_link(p)));
        nav
    }

    /// `site`: the settings and the site's addresses, as pages of language
    /// `lang` (whose folder is `prefix`) show them.
    fn site_view(&self, lang: Lang, prefix: &str) -> SiteView<'a> {
        let config = self.config();
        let url = |path: &str| format!("{}{}", config.base_path, path);
        // Whole seconds: HTML's `datetime` allows at most three decimals.
        let built = jiff::Timestamp::from_second(self.inputs.now.as_second())
            .unwrap_or(self.inputs.now)
            .to_zoned_datetime(config.timezone.clone());
        // Without a registered prefix no OCDS is written, so no page links
        // to it (the themes leave out an empty link).
        let ocds_url = match config.ocid_prefix {
            Some(_) => url("api/ocds.json"),
            None => String::new(),
        };
        let host_and_path = config
            .base_url
            .split_once("://")
            .map_or("", |(_, rest)| rest);
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            home_url: url(prefix),
            lang: lang_code(config.language),
            timezone: &config.timezone_name,
            closing_soon_days: config.closing_soon_days,
            fixed_clock: self.inputs.fixed_clock,
            built_at: BuiltAt {
                rfc3339: time::rfc3339(&built),
                display: time::format_long(&built, lang),
            },
            feed_url: url("atom.xml"),
            calendar_url: url("calendar.ics"),
            calendar_webcal: format!("webcal://{host_and_path}calendar.ics"),
            data_url: url("api/challenges.json"),
            ocds_url,
            script_url: self
                .inputs
                .theme
                .asset_url(&config.base_path, "utlys.js")
                .unwrap_or_default(),
            brand: config
                .brand
                .as_ref()
                .map(|b| crate::view::BrandView::new(b, &config.base_path)),
        }
    }
}

/// What the pages of a language start from (see [`Planner::lang_start`]).
struct LangStart<'a> {
    lang: Lang,
    shown: Vec<usize>,
    challenges: Vec<(PageId, &'a Challenge)>,
    globals: tera::Context,
    nav: Vec<NavLink>,
    base: u64,
    cards: Vec<CardPlan>,
}

/// The number of challenges of each term in each language that has it, by
/// taxonomy and term slug.
type TermSizes = HashMap<(Taxonomy, String), Vec<(Lang, usize)>>;

/// The sizes of the terms of the languages of `starts`, counted from their
/// cards as the lists count them. A site of one language links no pages
/// between languages, so nothing is counted for it.
fn term_sizes(starts: &[LangStart<'_>]) -> TermSizes {
    let mut sizes = TermSizes::new();
    if starts.len() < 2 {
        return sizes;
    }
    for start in starts {
        for card in &start.cards {
            for (tax, slug, _) in card.terms.iter() {
                let counts = sizes.entry((*tax, slug.clone())).or_default();
                match counts.last_mut() {
                    Some((lang, n)) if *lang == start.lang => *n += 1,
                    _ => counts.push((start.lang, 1)),
                }
            }
        }
    }
    sizes
}

/// The job of a page made from `page` into `out`; `inputs` is the
/// fingerprint of its variables and of the pages it shows.
fn page_job(base: u64, out: String, page: PageJob, deps: Vec<PageId>, inputs: u64) -> Job {
    let fingerprint = Fingerprint::new()
        .with(&base)
        .with(page.template)
        .with(&out)
        .with(&page.url_path)
        .with(&page.title)
        .with(&page.description)
        .with(&page.translations)
        .with(&inputs)
        .finish();
    Job {
        out,
        make: Make::Page(Box::new(page)),
        deps,
        fingerprint,
    }
}

/// The title of a page of a list titled `title`: the title itself on the
/// first page, with the page's number on the others.
fn paged_title(title: &str, paging: &view::Paging, strings: &Strings) -> String {
    if paging.current == 1 {
        return title.to_string();
    }
    let page = t(strings, "page_n_of", "sida {n} av {total}")
        .replace("{n}", &paging.current.to_string())
        .replace("{total}", &paging.pages.to_string());
    format!("{title} ({page})")
}

/// The terms of a taxonomy as a template lists them.
fn term_list<'t>(env: &Env<'_>, tax: Taxonomy, terms: &'t Terms) -> Vec<TermCount<'t>> {
    terms
        .iter()
        .map(|(slug, name, members)| TermCount {
            name,
            url: env.term_url(tax, slug),
            count: members.len(),
        })
        .collect()
}

/// The challenges of a language in list order, with their cards.
struct Lists<'c> {
    challenges: &'c [(PageId, &'c Challenge)],
    /// Each challenge's card, at its page's index.
    cards: Vec<Option<&'c CardPlan>>,
}

impl<'c> Lists<'c> {
    fn new(challenges: &'c [(PageId, &'c Challenge)], cards: &'c [CardPlan]) -> Lists<'c> {
        let len = cards.iter().map(|c| c.id.index() + 1).max().unwrap_or(0);
        let mut by_page = vec![None; len];
        for card in cards {
            by_page[card.id.index()] = Some(card);
        }
        Lists {
            challenges,
            cards: by_page,
        }
    }

    /// The card of challenge `id`; every challenge of the lists has one.
    fn card(&self, id: PageId) -> &'c CardPlan {
        self.cards
            .get(id.index())
            .copied()
            .flatten()
            .expect("a card is planned for every challenge listed")
    }

    /// The fingerprint of a list of challenges: the content of each card.
    fn members_fp(&self, members: &[PageId]) -> u64 {
        members
            .iter()
            .fold(Fingerprint::new(), |f, id| f.with(&self.card(*id).content))
            .finish()
    }

    /// The challenges `keep` lets through, and their fingerprint.
    fn of(&self, keep: &dyn Fn(&Challenge) -> bool) -> (Vec<PageId>, u64) {
        let members: Vec<PageId> = self
            .challenges
            .iter()
            .filter(|(_, c)| keep(c))
            .map(|(id, _)| *id)
            .collect();
        let fp = self.members_fp(&members);
        (members, fp)
    }

    /// The terms of each taxonomy in a stable order, with their challenges.
    fn taxonomies(&self, _strings: &Strings) -> Vec<(Taxonomy, Terms)> {
        // One pass over the challenges, each card's terms sorted into their
        // taxonomy's terms.
        let mut by_tax: Vec<BTreeMap<&str, (&str, Vec<PageId>)>> =
            Taxonomy::ALL.iter().map(|_| BTreeMap::new()).collect();
        for (id, _) in self.challenges {
            for (tax, slug, name) in self.card(*id).terms.iter() {
                let Some(i) = Taxonomy::ALL.iter().position(|t| t == tax) else {
                    continue;
                };
                by_tax[i]
                    .entry(slug)
                    .or_insert_with(|| (name, Vec::new()))
                    .1
                    .push(*id);
            }
        }
        let mut taxonomies = Vec::new();
        for (tax, terms) in Taxonomy::ALL.into_iter().zip(by_tax) {
            let mut terms: Terms = terms
                .into_iter()
                .map(|(s, (n, v))| (s.to_string(), n.to_string(), v))
                .collect();
            match tax {
                Taxonomy::Stages => {
                    terms.sort_by_key(|(s, _, _)| Stage::parse(s).map(|st| st as usize))
                }
                Taxonomy::Status => terms.sort_by_key(|(s, _, _)| {
                    ["open", "closing-soon", "upcoming", "closed"]
                        .iter()
                        .position(|k| k == s)
                }),
                Taxonomy::Values => {
                    terms.sort_by_key(|(s, _, _)| ValueBand::ALL.iter().position(|b| b.key() == s))
                }
                Taxonomy::SuitableFor => {
                    terms.sort_by_key(|(s, _, _)| Suitable::ALL.iter().position(|k| k.key() == s))
                }
                Taxonomy::Cpv => terms.sort_by(|(a, _, _), (b, _, _)| a.cmp(b)),
                _ => terms.sort_by_key(|(_, n, _)| n.to_lowercase()),
            }
            taxonomies.push((tax, terms));
        }
        taxonomies
    }
}
