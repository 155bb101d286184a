//! The HTML pages of every language: home, challenge list, challenges, plain
//! pages, taxonomies and 404.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde_json::{Value, json};

use super::context::{self, Env, PageHtml, Strings, Taxonomy, list_order, t};
use super::generated::Generated;
use super::memo::{Card, Fingerprint, LangMemo, PageMemo};
use super::{Counts, PagesDone, Reuse, Theme, error_chain};
use crate::config::{Config, lang_code, lang_prefix};
use crate::content::{CHALLENGES_DIR, Challenge, Page, PageKind, Site, Stage};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::OutputData;
use crate::model::Lang;
use crate::time::{self, Status, Timestamp};

/// A page to render: template, output folder and its own variables.
struct Job {
    template: &'static str,
    /// Output path of the page (`challenges/a/index.html`).
    out: String,
    /// URL folder of the page (`challenges/a/`), for links and the menu.
    url_path: String,
    title: String,
    description: String,
    /// The same page in other languages: `(lang, url_path)`.
    translations: Vec<(Lang, String)>,
    vars: Vec<(&'static str, tera::Value)>,
    /// The page index of the challenge this page shows, if any.
    challenge: Option<usize>,
    origin: PathBuf,
    /// Fingerprint of `vars` and `challenge`.
    inputs: u64,
}

/// A template value from anything serializable.
fn tv<T: serde::Serialize + ?Sized>(value: &T) -> tera::Value {
    tera::Value::from_serializable(value)
}

/// The terms of one taxonomy: slug, name and the pages filed under it.
type Terms = Vec<(String, String, Vec<usize>)>;

/// Renders every page of the site through the theme.
pub(super) struct Renderer<'a> {
    pub(super) config: &'a Config,
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) tera: &'a tera::Tera,
    pub(super) html: &'a [Arc<PageHtml>],
    pub(super) now: Timestamp,
    pub(super) sink: &'a dyn crate::emit::Sink,
    pub(super) reuse: Option<Reuse<'a>>,
}

/// What rendering one language gave.
#[derive(Default)]
struct LangDone {
    counts: Counts,
    problems: Vec<Diagnostic>,
    memo: PageMemo,
    rendered: usize,
}

/// The file of the home page and of every folder's page.
const HOME: &str = "index.html";

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
                ..Generated::folder(
                    prefix.clone(),
                    format!("the pages in the `{}` language", lang_code(lang)),
                )
            });
        }
        all.push(Generated::file(format!("{prefix}{HOME}"), "the home page"));
        all.push(Generated::file(
            format!("{prefix}{CHALLENGES_DIR}/{HOME}"),
            "the list of all challenges",
        ));
        for tax in Taxonomy::ALL {
            all.push(Generated::folder(
                format!("{prefix}{}/", tax.key()),
                tax.pages_name(),
            ));
        }
        all.push(Generated::file(
            format!("{prefix}{NOT_FOUND}"),
            "the page shown for an address that does not exist",
        ));
    }
    all
}

impl<'a> Renderer<'a> {
    /// Every page in every language; with a list of changed pages to reuse
    /// the last render for, only what those pages reach when that suffices.
    pub(super) fn render_all(&self) -> PagesDone {
        let base = self.base_fingerprint();
        if let Some(done) = self.render_changed(base) {
            return done;
        }
        let mut done = PagesDone::default();
        let mut pages = 0;
        let mut problems = Vec::new();
        let translations = self.translations();
        for &lang in &self.config.languages {
            let d = self.render_lang(lang, base, &translations);
            pages += d.counts.pages;
            problems.extend(d.problems);
            done.memo.outputs.extend(d.memo.outputs);
            done.memo.cards.extend(d.memo.cards);
            done.memo.langs.extend(d.memo.langs);
            done.rendered += d.rendered;
            if lang == self.config.language {
                done.counts = d.counts;
            }
        }
        done.counts.pages = pages;
        done.memo.base = base;
        done.memo.counts = done.counts.clone();
        if self.reuse.is_some() {
            done.memo.translations = translations
                .into_iter()
                .map(|(key, places)| (key.to_string(), places))
                .collect();
        }
        done.diagnostics = Diagnostics(problems);
        done
    }

    /// What every page reads: the templates, the settings and the clock.
    fn base_fingerprint(&self) -> u64 {
        if self.reuse.is_none() {
            return 0;
        }
        let mut base = Fingerprint::new()
            .with(&format!("{:?}", self.config))
            .with(&self.now);
        for (name, file) in &self.theme.templates {
            base = base.with(name).with(&file.bytes);
        }
        base.finish()
    }

    /// Renders only the changed pages' own outputs, when nothing else can
    /// have changed: the last render's templates, settings and clock, and
    /// every changed challenge's card as it was (so no list changes). `None`
    /// when a full render is needed. The session passes pages as changed
    /// only when their address, language and place in the menu are as they
    /// were.
    fn render_changed(&self, base: u64) -> Option<PagesDone> {
        let reuse = self.reuse?;
        let (changed, previous) = (reuse.changed?, reuse.previous);
        if previous.base != base || previous.langs.len() != self.config.languages.len() {
            return None;
        }
        let mut memo = PageMemo {
            partial: true,
            base,
            counts: previous.counts.clone(),
            ..PageMemo::default()
        };
        let mut jobs: Vec<(Job, &LangMemo)> = Vec::new();
        for &i in changed {
            let page = &self.site.pages[i];
            match &page.kind {
                PageKind::Challenge(c) => {
                    for lm in &previous.langs {
                        let key = (lm.lang, page.rel.clone());
                        let Some(old) = previous.cards.get(&key) else {
                            continue;
                        };
                        let strings = self.theme.strings_for(lm.lang, self.config.language);
                        let env = self.env(lm.lang, &strings);
                        let made = self.card_parts(&env, &strings, lm.base, i, c);
                        if made.content != old.content
                            || made.order != old.order
                            || *made.terms != *old.terms
                        {
                            return None;
                        }
                        let card = Card {
                            source: made.source,
                            ..old.clone()
                        };
                        memo.cards.insert(key, card);
                    }
                }
                PageKind::Plain => {}
                PageKind::Home | PageKind::ChallengeList => return None,
            }
            let lm = previous.langs.iter().find(|l| l.lang == page.lang)?;
            let translations = previous.translations.get(&page.key)?.clone();
            let job = self.page_job(i, translations)?;
            let fp = output_fingerprint(lm.base, &job);
            memo.outputs.insert(job.out.clone(), fp);
            if previous.outputs.get(&job.out) != Some(&fp) {
                jobs.push((job, lm));
            }
        }
        let problems: Vec<Diagnostic> = super::map_few(&jobs, |(job, lm)| {
            let strings = self.theme.strings_for(lm.lang, self.config.language);
            let env = self.env(lm.lang, &strings);
            self.render_and_put(job, &lm.globals, &lm.nav, &env)
        })
        .into_iter()
        .flatten()
        .collect();
        Some(PagesDone {
            counts: previous.counts.clone(),
            diagnostics: Diagnostics(problems),
            rendered: jobs.len(),
            memo,
        })
    }

    /// The variables of language `lang` every template can use.
    fn env<'s>(&self, lang: Lang, strings: &'s Strings) -> Env<'s>
    where
        'a: 's,
    {
        Env {
            config: self.config,
            strings,
            lang,
            now: self.now,
            prefix: lang_prefix(self.config, lang),
        }
    }

    /// Renders `job` and puts it in the sink.
    fn render_and_put(
        &self,
        job: &Job,
        globals: &tera::Context,
        nav: &[Value],
        env: &Env<'_>,
    ) -> Option<Diagnostic> {
        let html = match self.render_job(job, globals, nav, env) {
            Ok(h) => h,
            Err(d) => return Some(d),
        };
        self.sink
            .put_owned(&job.out, OutputData::Bytes(html))
            .err()
            .map(|e| super::write_problem(&job.out, e))
    }

    /// The fingerprint of page `i`'s content and HTML (0 without reuse).
    fn page_fp(&self, i: usize) -> u64 {
        self.reuse.map_or(0, |r| r.fingerprints[i])
    }

    /// Where each page key is published in each language.
    fn translations(&self) -> HashMap<&str, Vec<(Lang, String)>> {
        let mut map: HashMap<&str, Vec<(Lang, String)>> = HashMap::new();
        for p in &self.site.pages {
            map.entry(&p.key)
                .or_default()
                .push((p.lang, p.url_path.clone()));
        }
        for v in map.values_mut() {
            v.sort();
        }
        map
    }

    fn render_lang(
        &self,
        lang: Lang,
        base: u64,
        translations: &HashMap<&str, Vec<(Lang, String)>>,
    ) -> LangDone {
        let config = self.config;
        let strings = self.theme.strings_for(lang, config.language);
        let prefix = lang_prefix(config, lang);
        let env = Env {
            config,
            strings: &strings,
            lang,
            now: self.now,
            prefix: prefix.clone(),
        };
        let shown = self.site.pages_in(config.language, lang);
        // Generated pages exist in every language at the same path.
        let generated = |path: &str| -> Vec<(Lang, String)> {
            config
                .languages
                .iter()
                .map(|&l| (l, format!("{}{path}", lang_prefix(config, l))))
                .collect()
        };

        let mut challenges: Vec<(usize, &Challenge)> = shown
            .iter()
            .filter_map(|&i| self.site.pages[i].challenge().map(|c| (i, c)))
            .collect();
        challenges.sort_by(|(ia, a), (ib, b)| {
            list_order(a, b)
                .then_with(|| self.site.pages[*ia].title.cmp(&self.site.pages[*ib].title))
        });
        // Each card is built once and shared (tera values are reference
        // counted) by every list that shows it.
        let (globals, nav, globals_fp) = self.globals(lang, &strings, &shown, &prefix);
        let base = Fingerprint::new()
            .with(&base)
            .with(&lang)
            .with(&globals_fp)
            .finish();
        let stage = crate::timing::Stage::start("cards");
        let card_problems = Mutex::new(Vec::new());
        // Cards whose page and surroundings are unchanged are taken as the
        // last render left them.
        // A card is keyed twice: by the page it shows (unchanged page: the
        // card is taken as it is) and by its own content (a page changed in
        // its body only still has the same card, and no list changes).
        let cards: HashMap<usize, Card> = challenges
            .par_iter()
            .map(|&(i, c)| {
                let page = &self.site.pages[i];
                let previous = self
                    .reuse
                    .and_then(|r| r.previous.cards.get(&(lang, page.rel.clone())));
                if self.reuse.is_some()
                    && let Some(card) = previous.filter(|card| {
                        card.source
                            == Fingerprint::new()
                                .with(&base)
                                .with(&self.page_fp(i))
                                .finish()
                    })
                {
                    return (i, card.clone());
                }
                let made = self.card_parts(&env, &strings, base, i, c);
                if let Some(old) = previous.filter(|card| card.content == made.content) {
                    return (
                        i,
                        Card {
                            source: made.source,
                            order: made.order,
                            ..old.clone()
                        },
                    );
                }
                let (value, problem) = self.prerender_card(made.value, &globals);
                if let Some(d) = problem {
                    card_problems
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(d);
                }
                (
                    i,
                    Card {
                        source: made.source,
                        content: made.content,
                        order: made.order,
                        value,
                        terms: made.terms,
                    },
                )
            })
            .collect();
        drop(stage);
        let stage = crate::timing::Stage::start("lists");
        let members_fp = |members: &mut dyn Iterator<Item = usize>| -> u64 {
            members
                .fold(Fingerprint::new(), |f, i| f.with(&cards[&i].content))
                .finish()
        };
        let list_of = |keep: &dyn Fn(&Challenge) -> bool| -> (Vec<tera::Value>, u64) {
            let members = || challenges.iter().filter(|(_, c)| keep(c)).map(|(i, _)| *i);
            (
                members().map(|i| cards[&i].value.clone()).collect(),
                members_fp(&mut members()),
            )
        };
        let is_open = |c: &Challenge| matches!(c.status, Status::Open | Status::ClosingSoon);

        let mut jobs: Vec<Job> = Vec::new();
        let intro = |kind: fn(&PageKind) -> bool| {
            shown
                .iter()
                .map(|&i| (&self.site.pages[i], i))
                .find(|(p, _)| kind(&p.kind))
                .map(|(p, i)| (p, self.html[i].content.as_str()))
        };

        // Home.
        let home = intro(|k| matches!(k, PageKind::Home));
        let (open, open_fp) = list_of(&is_open);
        let (upcoming, upcoming_fp) = list_of(&|c| c.status == Status::Upcoming);
        let (closed, closed_fp) = list_of(&|c| c.status == Status::Closed);
        let counts = Counts {
            pages: 0,
            challenges: challenges.len(),
            open: open.len(),
        };
        let home_counts = json!({
            "open": open.len(), "upcoming": upcoming.len(), "closed": closed.len(),
            "total": challenges.len(),
        });
        let home_intro = home.map(|(_, h)| h).unwrap_or_default();
        jobs.push(Job {
            template: "index.html",
            out: format!("{prefix}{HOME}"),
            url_path: prefix.clone(),
            title: home.map_or_else(|| config.title.clone(), |(p, _)| p.title.clone()),
            description: home
                .map(|(p, _)| p.summary.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| config.description.clone()),
            translations: generated(""),
            inputs: Fingerprint::new()
                .with(home_intro)
                .json(&home_counts)
                .with(&[open_fp, upcoming_fp, closed_fp])
                .finish(),
            vars: vec![
                ("intro", tv(home_intro)),
                ("counts", tv(&home_counts)),
                ("open", tera::Value::from(open)),
                ("upcoming", tera::Value::from(upcoming)),
                ("closed", tera::Value::from(closed)),
            ],
            challenge: None,
            origin: PathBuf::from("content/_index.md"),
        });

        // Taxonomies: terms in a stable order with their challenges.
        let mut taxonomies: Vec<(Taxonomy, Terms)> = Vec::new();
        for tax in Taxonomy::ALL {
            let mut terms: BTreeMap<&str, (&str, Vec<usize>)> = BTreeMap::new();
            for (i, _) in &challenges {
                for (_, slug, name) in cards[i].terms.iter().filter(|(t, _, _)| *t == tax) {
                    terms
                        .entry(slug)
                        .or_insert_with(|| (name, Vec::new()))
                        .1
                        .push(*i);
                }
            }
            let terms = terms
                .into_iter()
                .map(|(s, (n, v))| (s.to_string(), (n.to_string(), v)));
            let mut terms: Terms = terms.into_iter().map(|(s, (n, v))| (s, n, v)).collect();
            match tax {
                Taxonomy::Stages => {
                    terms.sort_by_key(|(s, _, _)| Stage::parse(s).map(|st| st as usize))
                }
                Taxonomy::Status => terms.sort_by_key(|(s, _, _)| {
                    ["open", "closing-soon", "upcoming", "closed"]
                        .iter()
                        .position(|k| k == s)
                }),
                _ => terms.sort_by_key(|(_, n, _)| n.to_lowercase()),
            }
            taxonomies.push((tax, terms));
        }
        let term_list = |tax: Taxonomy, terms: &[(String, String, Vec<usize>)]| -> Vec<Value> {
            terms
                .iter()
                .map(|(slug, name, members)| {
                    json!({ "name": name, "url": env.term_url(tax, slug), "count": members.len() })
                })
                .collect()
        };
        let filters: Vec<Value> = taxonomies
            .iter()
            .filter(|(tax, _)| *tax != Taxonomy::Tags)
            .map(|(tax, terms)| {
                json!({ "key": tax.key(), "label": tax.label(&strings), "terms": term_list(*tax, terms) })
            })
            .collect();

        // The challenge list.
        let list_intro = intro(|k| matches!(k, PageKind::ChallengeList));
        let list_intro_html = list_intro.map(|(_, h)| h).unwrap_or_default();
        let list_path = format!("{CHALLENGES_DIR}/");
        let (all, all_fp) = list_of(&|_| true);
        let filters = Value::from(filters);
        let search_index_url = format!(
            "{}{prefix}{}",
            config.base_path,
            crate::output::search::PATH
        );
        jobs.push(Job {
            template: "list.html",
            out: format!("{prefix}{list_path}{HOME}"),
            url_path: format!("{prefix}{list_path}"),
            title: list_intro.map_or_else(
                || t(&strings, "all_challenges", "Alla utmaningar").to_string(),
                |(p, _)| p.title.clone(),
            ),
            description: list_intro
                .map(|(p, _)| p.summary.clone())
                .unwrap_or_default(),
            translations: generated(&list_path),
            inputs: Fingerprint::new()
                .with(list_intro_html)
                .with(&all_fp)
                .json(&filters)
                .with(&search_index_url)
                .finish(),
            vars: vec![
                ("intro", tv(list_intro_html)),
                ("challenges", tera::Value::from(all)),
                ("filters", tv(&filters)),
                ("search_index_url", tv(&search_index_url)),
            ],
            challenge: None,
            origin: PathBuf::from("content/challenges/_index.md"),
        });

        for (tax, terms) in &taxonomies {
            let label = tax.label(&strings);
            let tax_path = format!("{}/", tax.key());
            let tax_json = json!({
                "key": tax.key(), "label": label, "url": env.url(&tax_path),
                "terms": term_list(*tax, terms),
            });
            let tax_fp = Fingerprint::new().json(&tax_json).finish();
            let tax_value = tv(&tax_json);
            jobs.push(Job {
                template: "taxonomy.html",
                out: format!("{prefix}{tax_path}{HOME}"),
                url_path: format!("{prefix}{tax_path}"),
                title: label.clone(),
                description: String::new(),
                translations: generated(&tax_path),
                inputs: tax_fp,
                vars: vec![("taxonomy", tax_value.clone())],
                challenge: None,
                origin: PathBuf::from("(taxonomy)"),
            });
            for (slug, name, members) in terms {
                let term_path = format!("{tax_path}{slug}/");
                let term = json!({ "name": name, "url": env.term_url(*tax, slug) });
                jobs.push(Job {
                    template: "term.html",
                    out: format!("{prefix}{term_path}{HOME}"),
                    url_path: format!("{prefix}{term_path}"),
                    title: format!("{label}: {name}"),
                    description: String::new(),
                    translations: generated(&term_path),
                    inputs: Fingerprint::new()
                        .with(&tax_fp)
                        .json(&term)
                        .with(&members_fp(&mut members.iter().copied()))
                        .finish(),
                    vars: vec![
                        ("taxonomy", tax_value.clone()),
                        ("term", tv(&term)),
                        (
                            "challenges",
                            tera::Value::from(
                                members
                                    .iter()
                                    .map(|i| cards[i].value.clone())
                                    .collect::<Vec<_>>(),
                            ),
                        ),
                    ],
                    challenge: None,
                    origin: PathBuf::from("(taxonomy)"),
                });
            }
        }

        // Challenges and plain pages written in this language.
        for (i, page) in self.site.pages.iter().enumerate() {
            if page.lang != lang {
                continue;
            }
            let translations = translations
                .get(page.key.as_str())
                .cloned()
                .unwrap_or_default();
            jobs.extend(self.page_job(i, translations));
        }

        jobs.push(Job {
            template: "404.html",
            out: format!("{prefix}{NOT_FOUND}"),
            url_path: prefix.clone(),
            title: t(&strings, "not_found_title", "Sidan finns inte").to_string(),
            description: String::new(),
            translations: Vec::new(),
            vars: Vec::new(),
            challenge: None,
            origin: PathBuf::from("(404)"),
            inputs: 0,
        });

        let mut problems = Vec::new();
        let mut memo = PageMemo::default();
        let stale: Vec<&Job> = match self.reuse {
            // A full render: every page; the sink reports two with one path.
            None => jobs.iter().collect(),
            Some(reuse) => {
                let mut outs = HashSet::new();
                for job in &jobs {
                    if !outs.insert(job.out.as_str()) {
                        problems.push(super::write_problem(
                            &job.out,
                            crate::emit::WriteError::Duplicate(job.out.clone()),
                        ));
                    }
                    memo.outputs
                        .insert(job.out.clone(), output_fingerprint(base, job));
                }
                jobs.iter()
                    .filter(|job| {
                        reuse.previous.outputs.get(&job.out) != memo.outputs.get(&job.out)
                    })
                    .collect()
            }
        };
        // Each page goes to the sink as soon as it is rendered, so the
        // whole site is never held in memory.
        drop(stage);
        let stage = crate::timing::Stage::start("render");
        let rendered = stale.len();
        let render_problems: Vec<Diagnostic> = stale
            .par_iter()
            .filter_map(|job| self.render_and_put(job, &globals, &nav, &env))
            .collect();
        drop(stage);
        let counts = Counts {
            pages: jobs.len(),
            ..counts
        };
        problems.extend(render_problems);
        problems.extend(
            card_problems
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
        );
        // Freeing ten thousand cards and jobs takes a measurable time of
        // its own; the stage shows it.
        let stage = crate::timing::Stage::start("free");
        drop(stale);
        drop(jobs);
        drop(taxonomies);
        if self.reuse.is_none() {
            drop(cards);
        } else {
            memo.cards = cards
                .into_iter()
                .map(|(i, card)| ((lang, self.site.pages[i].rel.clone()), card))
                .collect();
            memo.langs.push(LangMemo {
                lang,
                base,
                globals,
                nav,
            });
        }
        drop(stage);
        LangDone {
            counts,
            problems,
            memo,
            rendered,
        }
    }

    /// Challenge `c` (page `i`)'s card, before its HTML is rendered, and
    /// what tells it apart from the last render's (only when reusing it).
    fn card_parts(
        &self,
        env: &Env<'_>,
        strings: &Strings,
        base: u64,
        i: usize,
        c: &Challenge,
    ) -> CardParts {
        let page = &self.site.pages[i];
        let value = context::card(env, page, c);
        let terms = Taxonomy::ALL
            .iter()
            .flat_map(|&tax| {
                tax.terms_of(c, strings)
                    .into_iter()
                    .map(move |(slug, name)| (tax, slug, name))
            })
            .collect();
        let (source, content, order) = match self.reuse {
            None => (0, 0, 0),
            Some(_) => {
                let at = |m: &Option<time::Moment>| {
                    m.as_ref().map(|m| m.zoned.timestamp().as_nanosecond())
                };
                (
                    Fingerprint::new()
                        .with(&base)
                        .with(&self.page_fp(i))
                        .finish(),
                    Fingerprint::new().with(&base).value(&value).finish(),
                    Fingerprint::new()
                        .with(c.status.key())
                        .with(&at(&c.deadline))
                        .with(&at(&c.opens))
                        .with(&page.title)
                        .finish(),
                )
            }
        };
        CardParts {
            value,
            source,
            content,
            order,
            terms: Arc::new(terms),
        }
    }

    /// The job of page `i`, a challenge or a plain page, published in the
    /// languages and at the paths of `translations`.
    fn page_job(&self, i: usize, translations: Vec<(Lang, String)>) -> Option<Job> {
        let page = &self.site.pages[i];
        // A challenge's full value is built when its page is rendered, in
        // parallel, and dropped right after.
        let (template, vars, challenge) = match &page.kind {
            PageKind::Challenge(_) => ("challenge.html", Vec::new(), Some(i)),
            PageKind::Plain => (
                "page.html",
                vec![(
                    "page",
                    tv(
                        &json!({ "title": page.title, "summary": page.summary, "content": self.html[i].content }),
                    ),
                )],
                None,
            ),
            PageKind::Home | PageKind::ChallengeList => return None,
        };
        Some(Job {
            template,
            out: format!("{}{HOME}", page.url_path),
            url_path: page.url_path.clone(),
            title: page.title.clone(),
            description: page.summary.clone(),
            translations,
            vars,
            challenge,
            origin: page.source.clone(),
            inputs: self.page_fp(i),
        })
    }

    /// Renders a challenge's card once, for both heading levels lists use,
    /// into `html_h2` and `html_h3`: a challenge appears in many lists
    /// (home, all challenges, each of its tags, its category, buyer, stage
    /// and status), and rendering it once instead of in each is most of what
    /// makes lists cheap. Themes without `challenge_card.html` skip this.
    fn prerender_card(
        &self,
        card: tera::Value,
        globals: &tera::Context,
    ) -> (tera::Value, Option<Diagnostic>) {
        const CARD: &str = "challenge_card.html";
        if !self.theme.templates.contains_key(CARD) {
            return (card, None);
        }
        let mut ctx = globals.clone();
        ctx.insert_value("item", card.clone());
        let mut html = tera::Map::default();
        for (level, key) in [(2, "html_h2"), (3, "html_h3")] {
            ctx.insert_value("heading_level", tera::Value::from(level));
            match self.tera.render(CARD, &ctx) {
                Ok(h) => {
                    html.insert(tera::value::Key::Str(key), h.into());
                }
                Err(e) => {
                    let what = "a challenge card".to_string();
                    return (card, Some(self.template_problem(CARD, what, &e)));
                }
            }
        }
        // With the context let go the card is not shared, and takes the
        // HTML without being copied.
        drop(ctx);
        (context::with_entries(card, html), None)
    }

    /// The error of template `template` failing while rendering `what`.
    fn template_problem(&self, template: &str, what: String, e: &tera::Error) -> Diagnostic {
        let origin = self
            .theme
            .templates
            .get(template)
            .map_or_else(|| PathBuf::from(template), |f| f.origin.clone());
        Diagnostic::error(
            origin,
            format!("rendering {what} failed: {}", error_chain(e)),
        )
        .with_hint("check the template near the place named, and that the variables it uses exist")
    }

    /// Variables every page of language `lang` shares, and its menu.
    fn globals(
        &self,
        lang: Lang,
        strings: &Strings,
        shown: &[usize],
        prefix: &str,
    ) -> (tera::Context, Vec<Value>, u64) {
        let config = self.config;
        let url = |path: &str| format!("{}{}", config.base_path, path);
        let plain: Vec<&Page> = {
            let mut v: Vec<&Page> = shown
                .iter()
                .map(|&i| &self.site.pages[i])
                .filter(|p| matches!(p.kind, PageKind::Plain))
                .collect();
            v.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
            v
        };
        let challenges_title = shown
            .iter()
            .map(|&i| &self.site.pages[i])
            .find(|p| matches!(p.kind, PageKind::ChallengeList) && p.lang == lang)
            .map_or_else(
                || t(strings, "all_challenges", "Alla utmaningar").to_string(),
                |p| p.title.clone(),
            );
        let link = |p: &Page| json!({ "title": p.title, "url": url(&p.url_path), "lang": lang_code(p.lang) });
        let mut nav = vec![json!({
            "title": challenges_title,
            "url": url(&format!("{prefix}{CHALLENGES_DIR}/")),
            "lang": lang_code(lang),
        })];
        nav.extend(plain.iter().filter(|p| p.menu).map(|p| link(p)));
        let accessibility = plain
            .iter()
            .find(|p| p.key.starts_with("tillganglighet") || p.key.starts_with("accessibility"));
        // Whole seconds: HTML's `datetime` allows at most three decimals.
        let built = jiff::Timestamp::from_second(self.now.as_second())
            .unwrap_or(self.now)
            .to_zoned_datetime(config.timezone.clone());

        let mut ctx = tera::Context::new();
        let site = json!({
                "title": config.title,
                "description": config.description,
                "base_url": config.base_url,
                "base_path": config.base_path,
                "home_url": url(prefix),
                "lang": lang_code(config.language),
                "timezone": config.timezone_name,
                "closing_soon_days": config.closing_soon_days,
                "built_at": {
                    "rfc3339": time::rfc3339(&built),
                    "display": time::format_long(&built, lang),
                },
                "feed_url": url("atom.xml"),
                "calendar_url": url("calendar.ics"),
                "calendar_webcal": format!("webcal://{}calendar.ics",
                    config.base_url.split_once("://").map_or("", |(_, rest)| rest)),
                "data_url": url("api/challenges.json"),
                "ocds_url": url("api/ocds.json"),
                "script_url": url("static/utlys.js"),
        });
        let feeds = json!({
            "atom": url(&format!("{prefix}atom.xml")),
            "calendar": url("calendar.ics"),
            "json": url("api/challenges.json"),
            "ocds": url("api/ocds.json"),
        });
        let list_url = url(&format!("{prefix}{CHALLENGES_DIR}/"));
        let footer_pages = Value::from(plain.iter().map(|p| link(p)).collect::<Vec<_>>());
        let accessibility_url = accessibility.map(|p| url(&p.url_path)).unwrap_or_default();
        let fingerprint = Fingerprint::new()
            .json(&site)
            .with(strings)
            .json(&feeds)
            .with(&list_url)
            .json(&footer_pages)
            .with(&accessibility_url)
            .json(&Value::from(nav.clone()))
            .finish();
        ctx.insert("site", &site);
        ctx.insert("lang", lang_code(lang));
        ctx.insert("t", strings);
        ctx.insert("feeds", &feeds);
        ctx.insert("list_url", &list_url);
        ctx.insert("footer_pages", &footer_pages);
        ctx.insert("accessibility_url", &accessibility_url);
        (ctx, nav, fingerprint)
    }

    fn render_job(
        &self,
        job: &Job,
        globals: &tera::Context,
        nav: &[Value],
        env: &Env<'_>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let lang = env.lang;
        let mut ctx = globals.clone();
        let page_url = format!("{}{}", self.config.base_path, job.url_path);
        // The navigation, with the entry of this page marked.
        let nav: Vec<Value> = nav
            .iter()
            .map(|item| {
                let mut item = item.clone();
                item["current"] = json!(item["url"].as_str() == Some(page_url.as_str()));
                item
            })
            .collect();
        ctx.insert("nav", &nav);
        ctx.insert("page_url", &page_url);
        ctx.insert(
            "permalink",
            &format!("{}{}", self.config.base_url, job.url_path),
        );
        ctx.insert("title", &job.title);
        ctx.insert("description", &job.description);
        // Other languages of this page; empty on a one-language site, so the
        // theme shows no switcher.
        let translations: Vec<Value> = if self.config.languages.len() > 1 {
            job.translations
                .iter()
                .map(|(l, path)| {
                    json!({
                        "lang": lang_code(*l),
                        "name": language_name(*l),
                        "url": format!("{}{}", self.config.base_path, path),
                        "permalink": format!("{}{}", self.config.base_url, path),
                        "current": *l == lang,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("alternates", &translations);
        ctx.insert("translations", &translations);
        for (key, value) in &job.vars {
            ctx.insert_value(*key, value.clone());
        }
        if let Some(i) = job.challenge {
            let page = &self.site.pages[i];
            if let Some(c) = page.challenge() {
                ctx.insert_value("challenge", context::challenge(env, page, c, &self.html[i]));
            }
        }
        // Rendered as bytes: they go to a file as they are, so checking
        // that they are UTF-8 (which `render` does) would only cost time.
        let body = job.challenge.map_or(0, |i| self.html[i].content.len());
        let mut html = Vec::with_capacity(body + 32 * 1024);
        self.tera
            .render_to(job.template, &ctx, &mut html)
            .map_err(|e| {
                self.template_problem(job.template, job.origin.display().to_string(), &e)
            })?;
        Ok(html)
    }
}

/// A challenge's card before its HTML is rendered, with its fingerprints.
struct CardParts {
    value: tera::Value,
    /// Of the page the card is made from.
    source: u64,
    /// Of the card.
    content: u64,
    /// Of what places the challenge in lists.
    order: u64,
    terms: Arc<Vec<(Taxonomy, String, String)>>,
}

/// The fingerprint of everything `job`'s output is made from, on top of its
/// language's `base`.
fn output_fingerprint(base: u64, job: &Job) -> u64 {
    Fingerprint::new()
        .with(&base)
        .with(job.template)
        .with(&job.out)
        .with(&job.url_path)
        .with(&job.title)
        .with(&job.description)
        .with(&job.translations)
        .with(&job.inputs)
        .finish()
}

/// A language's name in that language, for the language switcher.
fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "Svenska",
        Lang::En => "English",
    }
}
