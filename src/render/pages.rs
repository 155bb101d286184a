//! Rendering the planned HTML pages through the theme's templates.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::error_chain;
use crate::config::{Config, lang_code, lang_prefix};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Msg};
use crate::emit::{OutputData, Sink};
use crate::model::{Lang, PageHtml, PageId};
use crate::msg;
use crate::plan::cache::{Cache, Card};
use crate::plan::{CardPlan, Job, LangPlan, Make, PageJob, Var};
use crate::theme::Theme;
use crate::time::Timestamp;
use crate::view::{self, Alternate, CardHtml, Env, NavItem, NavLink, PageVars};

/// Renders the pages of a plan.
pub(crate) struct PageRenderer<'a> {
    pub(crate) config: &'a Config,
    pub(crate) site: &'a Site,
    pub(crate) theme: &'a Theme,
    pub(crate) tera: &'a tera::Tera,
    pub(crate) html: &'a [Arc<PageHtml>],
    pub(crate) now: Timestamp,
    pub(crate) sink: &'a dyn Sink,
}

/// The cards of one language, rendered, by challenge.
pub(crate) type Cards = HashMap<PageId, Card>;

impl<'a> PageRenderer<'a> {
    /// The variables of language `lang` every template can use.
    fn env<'s>(&self, lang: Lang, strings: &'s view::Strings) -> Env<'s>
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

    /// The cards `plan` shows, each rendered once: taken from `cache` when
    /// it holds one with the same content. Problems are added to `problems`.
    /// The plan's card values are taken: each becomes its rendered card
    /// without being copied.
    pub(crate) fn cards(
        &self,
        plan: &mut LangPlan,
        cache: &Cache,
        problems: &Mutex<Vec<Diagnostic>>,
    ) -> Cards {
        let _stage = crate::timing::Stage::start("cards html");
        let (lang, globals) = (plan.lang, &plan.globals);
        plan.cards
            .par_iter_mut()
            .filter_map(|card| {
                let key = (lang, self.site.page(card.id).rel.clone());
                let cached = cache.cards.get(&key).filter(|c| c.content == card.content);
                let value = match (card.value.take(), cached) {
                    (_, Some(old)) => old.value.clone(),
                    (Some(value), None) => {
                        let (value, problem) = self.prerender_card(value, globals);
                        if let Some(d) = problem {
                            problems.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                        }
                        value
                    }
                    // Planned as the cache's card, which is not there: the
                    // cache was emptied since; the plan is then full.
                    (None, None) => return None,
                };
                Some((card.id, rendered(card, value)))
            })
            .collect()
    }

    /// Renders `jobs` (pages of `plan`) into the sink, each as soon as it is
    /// made, so the whole site is never held in memory.
    pub(crate) fn render(&self, plan: &LangPlan, jobs: &[&Job], cards: &Cards) -> Vec<Diagnostic> {
        let strings = self.theme.strings_for(plan.lang, self.config.language);
        let env = self.env(plan.lang, &strings);
        jobs.par_iter()
            .filter_map(|job| {
                let Make::Page(page) = &job.make else {
                    return None;
                };
                let html = match self.render_job(page, &plan.globals, &plan.nav, &env, cards) {
                    Ok(h) => h,
                    Err(d) => return Some(d),
                };
                self.sink
                    .put_owned(&job.out, OutputData::Bytes(html))
                    .err()
                    .map(|e| super::write_problem(&job.out, e))
            })
            .collect()
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
        let mut html = [String::new(), String::new()];
        for (level, out) in [2, 3].into_iter().zip(&mut html) {
            ctx.insert_value("heading_level", tera::Value::from(level));
            match self.tera.render(CARD, &ctx) {
                Ok(h) => *out = h,
                Err(e) => {
                    let what = msg!("ett utmaningskort", "a challenge card");
                    return (card, Some(self.template_problem(CARD, what, &e)));
                }
            }
        }
        // With the context let go the card is not shared, and takes the
        // HTML without being copied.
        drop(ctx);
        let [html_h2, html_h3] = html;
        let html = view::value(&CardHtml { html_h2, html_h3 })
            .into_map()
            .unwrap_or_default();
        (view::with_entries(card, html), None)
    }

    /// The error of template `template` failing while rendering `what`.
    fn template_problem(&self, template: &str, what: Msg, e: &tera::Error) -> Diagnostic {
        let origin = self
            .theme
            .templates
            .get(template)
            .map_or_else(|| PathBuf::from(template), |f| f.origin.clone());
        let ((sv, en), chain) = ((&what.sv, &what.en), error_chain(e));
        Diagnostic::error(
            origin,
            msg!(
                "mallen gick inte att använda för {sv}: {chain}",
                "rendering {en} failed: {chain}"
            ),
        )
        .with_code("template-error")
        .with_hint(msg!(
            "kontrollera mallen nära stället som anges, och att variablerna den använder finns",
            "check the template near the place named, and that the variables it uses exist"
        ))
    }

    /// Other languages of the page of `job`, shown in `lang`; empty on a
    /// one-language site, so the theme shows no switcher.
    fn alternates(&self, job: &PageJob, lang: Lang) -> Vec<Alternate> {
        if self.config.languages.len() <= 1 {
            return Vec::new();
        }
        job.translations
            .iter()
            .map(|(l, path)| Alternate {
                lang: lang_code(*l),
                name: language_name(*l),
                url: format!("{}{}", self.config.base_path, path),
                permalink: format!("{}{}", self.config.base_url, path),
                current: *l == lang,
            })
            .collect()
    }

    /// Renders page `job` of the language of `env`.
    fn render_job(
        &self,
        job: &PageJob,
        globals: &tera::Context,
        nav: &[NavLink],
        env: &Env<'_>,
        cards: &Cards,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = globals.clone();
        let page_url = format!("{}{}", self.config.base_path, job.url_path);
        let alternates = self.alternates(job, env.lang);
        let image = job
            .challenge
            .and_then(|id| self.site.page(id).challenge()?.image.as_ref())
            .map(|image| (image.out_path.as_str(), image.alt.as_str()))
            .or_else(|| {
                let site = self.config;
                (!site.image.is_empty()).then_some((site.image.as_str(), site.image_alt.as_str()))
            })
            .map(|(path, alt)| view::ShareImage {
                url: format!("{}{}", self.config.base_url, view::encode_path(path)),
                alt: alt.to_string(),
            });
        let share = view::Share::new(
            job.challenge.is_some(),
            lang_code(env.lang),
            &alternates,
            image,
        );
        view::insert_fields(
            &mut ctx,
            &PageVars {
                nav: nav.iter().map(|l| NavItem::new(l, &page_url)).collect(),
                page_url: &page_url,
                permalink: format!("{}{}", self.config.base_url, job.url_path),
                title: &job.title,
                description: &job.description,
                alternates: &alternates,
                translations: &alternates,
                share,
            },
        );
        for (key, value) in &job.vars {
            let value = match value {
                Var::Value(value) => value.clone(),
                Var::Cards(ids) => tera::Value::from(
                    ids.iter()
                        .filter_map(|id| cards.get(id).map(|c| c.value.clone()))
                        .collect::<Vec<_>>(),
                ),
            };
            ctx.insert_value(*key, value);
        }
        if let Some(id) = job.challenge {
            let page = self.site.page(id);
            if let Some(c) = page.challenge() {
                ctx.insert_value(
                    "challenge",
                    view::challenge(env, page, c, &self.html[id.index()], &job.related),
                );
            }
        }
        // Rendered as bytes: they go to a file as they are, so checking
        // that they are UTF-8 (which `render` does) would only cost time.
        let body = job
            .challenge
            .map_or(0, |id| self.html[id.index()].content.len());
        let mut html = Vec::with_capacity(body + 32 * 1024);
        self.tera
            .render_to(job.template, &ctx, &mut html)
            .map_err(|e| {
                let origin = job.origin.display().to_string();
                let what = Msg::new(origin.clone(), origin);
                self.template_problem(job.template, what, &e)
            })?;
        Ok(html)
    }
}

/// A card as rendered, with the fingerprints it was planned with.
fn rendered(card: &CardPlan, value: tera::Value) -> Card {
    Card {
        source: card.source,
        content: card.content,
        order: card.order,
        value,
        terms: Arc::clone(&card.terms),
    }
}

/// A language's name in that language, for the language switcher.
fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "Svenska",
        Lang::En => "English",
    }
}
