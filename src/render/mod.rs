//! Rendering the site model into outputs: Markdown to HTML, then every page
//! through the theme's Tera templates.

pub mod context;
pub mod theme;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::config::{Config, lang_code};
use crate::content::{Page, PageKind, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Links};
use crate::time::{self, Lang, Timestamp};
use context::{Env, PageHtml, Strings, Taxonomy, list_order, t};
pub use theme::Theme;

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// What to write.
    pub data: OutputData,
}

/// The bytes of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputData {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file copied as it is.
    Copy(PathBuf),
}

/// What a build produced, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages rendered.
    pub pages: usize,
    /// Challenges published.
    pub challenges: usize,
    /// Challenges open or closing soon at the build clock.
    pub open: usize,
}

/// Markdown of one page, rendered.

/// Renders every output of `site`. Problems are collected; the outputs are
/// only complete when there is no error.
pub fn render_site(
    root: &Path,
    config: &Config,
    site: &Site,
    theme: &Theme,
    now: Timestamp,
) -> (Vec<Output>, Counts, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let links = Links {
        urls: site
            .pages
            .iter()
            .map(|p| (p.rel.clone(), format!("{}{}", config.base_path, p.url_path)))
            .collect(),
    };

    // Markdown, in parallel; the anchors of every page are known afterwards.
    let rendered: Vec<RenderedPage> = site
        .pages
        .par_iter()
        .map(|page| render_markdown(page, &links, config.sanitize_html))
        .collect();
    let anchors: HashMap<&str, HashSet<&str>> = site
        .pages
        .iter()
        .zip(&rendered)
        .map(|(p, r)| {
            (
                p.rel.as_str(),
                r.anchors.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    for (page, r) in site.pages.iter().zip(&rendered) {
        diagnostics.extend(r.problems.iter().cloned());
        check_anchor_refs(page, &r.anchor_refs, &anchors, &mut diagnostics);
    }
    let html: Vec<PageHtml> = rendered.into_iter().map(|r| r.html).collect();

    let tera = match build_tera(theme) {
        Ok(t) => t,
        Err(ds) => {
            diagnostics.extend(ds);
            return (Vec::new(), Counts::default(), diagnostics);
        }
    };

    let renderer = Renderer {
        config,
        site,
        theme,
        tera: &tera,
        html: &html,
        now,
    };
    let (mut outputs, counts, problems) = renderer.render_all();
    diagnostics.extend(problems);
    let strings = theme.strings_for(config.language, config.language);
    outputs.extend(crate::output::render_all(&crate::output::OutputContext {
        config,
        site,
        html: &html,
        strings: &strings,
        now,
    }));

    for (path, file) in &theme.statics {
        outputs.push(Output {
            path: format!("static/{path}"),
            data: OutputData::Bytes(file.bytes.clone()),
        });
    }
    copy_site_static(root, &mut outputs, &mut diagnostics);
    for asset in &site.assets {
        outputs.push(Output {
            path: asset.out_path.clone(),
            data: OutputData::Copy(asset.source.clone()),
        });
    }
    find_output_collisions(&outputs, &mut diagnostics);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    (outputs, counts, diagnostics)
}

/// A page's Markdown rendered, with what the cross-page checks need.
struct RenderedPage {
    html: PageHtml,
    anchors: Vec<String>,
    anchor_refs: Vec<markdown::AnchorRef>,
    problems: Vec<Diagnostic>,
}

fn render_markdown(page: &Page, links: &Links, sanitize: bool) -> RenderedPage {
    let mut problems = Vec::new();
    let body = markdown::render(page.body(), links, sanitize);
    for p in &body.problems {
        problems.push(
            Diagnostic::error(&page.source, p.message.clone())
                .with_hint(p.hint.clone())
                .at_offset(&page.text, page.body_offset + p.offset),
        );
    }
    let mut field = |name: &str, md: &str| -> String {
        if md.trim().is_empty() {
            return String::new();
        }
        let r = markdown::render(md, links, sanitize);
        for p in &r.problems {
            let offset = page.text.find(md.lines().next().unwrap_or("")).unwrap_or(0);
            problems.push(
                Diagnostic::error(&page.source, p.message.clone())
                    .with_field(name)
                    .with_hint(p.hint.clone())
                    .at_offset(&page.text, offset),
            );
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
    html.content = body.html;
    RenderedPage {
        html,
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
    for r in refs {
        let known = anchors.get(r.target.as_str());
        if known.is_some_and(|a| a.contains(r.anchor.as_str())) {
            continue;
        }
        let mut hint = "link to a heading that exists on that page; its anchor is the heading text in lower case with hyphens".to_string();
        if let Some(near) =
            known.and_then(|a| crate::diagnostics::suggest(&r.anchor, a.iter().copied()))
        {
            hint = format!("did you mean `#{near}`?");
        }
        diagnostics.push(
            Diagnostic::error(
                &page.source,
                format!(
                    "the link points to `#{}`, which is not a heading in {}",
                    r.anchor, r.target
                ),
            )
            .with_hint(hint)
            .at_offset(&page.text, page.body_offset + r.offset),
        );
    }
}

fn build_tera(theme: &Theme) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let mut problems = Vec::new();
    let sources: Vec<(&str, String, &Path)> = theme
        .templates
        .iter()
        .map(|(name, f)| {
            (
                name.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
                f.origin.as_path(),
            )
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s, _)| (*n, s.as_str()))) {
        let message = error_chain(&e);
        let origin = sources
            .iter()
            .find(|(n, _, _)| message.contains(*n))
            .map_or(Path::new("themes"), |(_, _, o)| *o);
        problems.push(
            Diagnostic::error(origin, format!("the template cannot be read: {message}"))
                .with_hint("check the Tera syntax near the place shown"),
        );
    }
    for required in [
        "index.html",
        "list.html",
        "challenge.html",
        "page.html",
        "taxonomy.html",
        "term.html",
        "404.html",
    ] {
        if !theme.templates.contains_key(required) {
            problems.push(Diagnostic::error(
                "themes",
                format!("the theme has no templates/{required}"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(tera)
    } else {
        Err(problems)
    }
}

/// A Tera error with its causes, on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// A page to render: template, output folder and its own variables.
struct Job {
    template: &'static str,
    url_path: String,
    title: String,
    description: String,
    vars: Vec<(&'static str, Value)>,
    origin: PathBuf,
}

/// The terms of one taxonomy: slug, name and the pages filed under it.
type Terms = Vec<(String, String, Vec<usize>)>;

struct Renderer<'a> {
    config: &'a Config,
    site: &'a Site,
    theme: &'a Theme,
    tera: &'a tera::Tera,
    html: &'a [PageHtml],
    now: Timestamp,
}

impl Renderer<'_> {
    fn render_all(&self) -> (Vec<Output>, Counts, Vec<Diagnostic>) {
        let lang = self.config.language;
        let strings = self.theme.strings_for(lang, self.config.language);
        let env = Env {
            config: self.config,
            strings: &strings,
            lang,
            now: self.now,
        };

        let mut challenges: Vec<(usize, &crate::content::Challenge)> = self
            .site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.challenge().map(|c| (i, c)))
            .collect();
        challenges.sort_by(|(ia, a), (ib, b)| {
            list_order(a, b)
                .then_with(|| self.site.pages[*ia].title.cmp(&self.site.pages[*ib].title))
        });
        let values: HashMap<usize, Value> = challenges
            .par_iter()
            .map(|(i, c)| {
                let page = &self.site.pages[*i];
                let h = &self.html[*i];
                (*i, context::challenge(&env, page, c, h))
            })
            .collect();
        let list_of = |filter: &dyn Fn(&crate::content::Challenge) -> bool| -> Vec<Value> {
            challenges
                .iter()
                .filter(|(_, c)| filter(c))
                .map(|(i, _)| values[i].clone())
                .collect()
        };

        let counts = Counts {
            pages: 0,
            challenges: challenges.len(),
            open: challenges
                .iter()
                .filter(|(_, c)| matches!(c.status, time::Status::Open | time::Status::ClosingSoon))
                .count(),
        };

        let mut jobs: Vec<Job> = Vec::new();
        let intro = |kind: fn(&PageKind) -> bool| {
            self.site
                .pages
                .iter()
                .position(|p| kind(&p.kind))
                .map(|i| (&self.site.pages[i], self.html[i].content.as_str()))
        };

        // Home.
        let home = intro(|k| matches!(k, PageKind::Home));
        let open = list_of(&|c| matches!(c.status, time::Status::Open | time::Status::ClosingSoon));
        let upcoming = list_of(&|c| c.status == time::Status::Upcoming);
        let closed = list_of(&|c| c.status == time::Status::Closed);
        jobs.push(Job {
            template: "index.html",
            url_path: String::new(),
            title: home.map_or_else(|| self.config.title.clone(), |(p, _)| p.title.clone()),
            description: home
                .map(|(p, _)| p.summary.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| self.config.description.clone()),
            vars: vec![
                ("intro", json!(home.map(|(_, h)| h).unwrap_or_default())),
                (
                    "counts",
                    json!({
                        "open": open.len(), "upcoming": upcoming.len(), "closed": closed.len(),
                        "total": challenges.len(),
                    }),
                ),
                ("open", Value::Array(open)),
                ("upcoming", Value::Array(upcoming)),
                ("closed", Value::Array(closed)),
            ],
            origin: PathBuf::from("content/_index.md"),
        });

        // Taxonomies: terms in a stable order with their challenges.
        let mut taxonomies: Vec<(Taxonomy, Terms)> = Vec::new();
        for tax in Taxonomy::ALL {
            let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
            for (i, c) in &challenges {
                for (slug, name) in tax.terms_of(c, &strings) {
                    terms
                        .entry(slug)
                        .or_insert_with(|| (name, Vec::new()))
                        .1
                        .push(*i);
                }
            }
            let mut terms: Vec<(String, String, Vec<usize>)> =
                terms.into_iter().map(|(s, (n, v))| (s, n, v)).collect();
            match tax {
                Taxonomy::Stages => terms
                    .sort_by_key(|(s, _, _)| crate::content::Stage::parse(s).map(|st| st as usize)),
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
        jobs.push(Job {
            template: "list.html",
            url_path: format!("{}/", crate::content::CHALLENGES_DIR),
            title: list_intro.map_or_else(
                || t(&strings, "all_challenges", "Alla utmaningar").to_string(),
                |(p, _)| p.title.clone(),
            ),
            description: list_intro
                .map(|(p, _)| p.summary.clone())
                .unwrap_or_default(),
            vars: vec![
                (
                    "intro",
                    json!(list_intro.map(|(_, h)| h).unwrap_or_default()),
                ),
                ("challenges", Value::Array(list_of(&|_| true))),
                ("filters", Value::Array(filters)),
            ],
            origin: PathBuf::from("content/challenges/_index.md"),
        });

        for (tax, terms) in &taxonomies {
            let label = tax.label(&strings);
            let tax_value = json!({
                "key": tax.key(), "label": label, "url": env.url(&format!("{}/", tax.key())),
                "terms": term_list(*tax, terms),
            });
            jobs.push(Job {
                template: "taxonomy.html",
                url_path: format!("{}/", tax.key()),
                title: label.clone(),
                description: String::new(),
                vars: vec![("taxonomy", tax_value.clone())],
                origin: PathBuf::from("(taxonomy)"),
            });
            for (slug, name, members) in terms {
                jobs.push(Job {
                    template: "term.html",
                    url_path: format!("{}/{slug}/", tax.key()),
                    title: format!("{label}: {name}"),
                    description: String::new(),
                    vars: vec![
                        ("taxonomy", tax_value.clone()),
                        (
                            "term",
                            json!({ "name": name, "url": env.term_url(*tax, slug) }),
                        ),
                        (
                            "challenges",
                            Value::Array(members.iter().map(|i| values[i].clone()).collect()),
                        ),
                    ],
                    origin: PathBuf::from("(taxonomy)"),
                });
            }
        }

        // Challenges and plain pages.
        for (i, page) in self.site.pages.iter().enumerate() {
            let (template, vars) = match &page.kind {
                PageKind::Challenge(_) => {
                    ("challenge.html", vec![("challenge", values[&i].clone())])
                }
                PageKind::Plain => (
                    "page.html",
                    vec![(
                        "page",
                        json!({ "title": page.title, "summary": page.summary, "content": self.html[i].content }),
                    )],
                ),
                PageKind::Home | PageKind::ChallengeList => continue,
            };
            jobs.push(Job {
                template,
                url_path: page.url_path.clone(),
                title: page.title.clone(),
                description: page.summary.clone(),
                vars,
                origin: page.source.clone(),
            });
        }

        let not_found = Job {
            template: "404.html",
            url_path: String::new(),
            title: t(&strings, "not_found_title", "Sidan finns inte").to_string(),
            description: String::new(),
            vars: Vec::new(),
            origin: PathBuf::from("(404)"),
        };

        let (globals, nav) = self.globals(lang, &strings);
        let results: Vec<Result<Output, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let html = self.render_job(job, &globals, &nav)?;
                Ok(Output {
                    path: format!("{}index.html", job.url_path),
                    data: OutputData::Bytes(html.into_bytes()),
                })
            })
            .chain(rayon::iter::once(not_found).map(|job| {
                let html = self.render_job(&job, &globals, &nav)?;
                Ok(Output {
                    path: "404.html".into(),
                    data: OutputData::Bytes(html.into_bytes()),
                })
            }))
            .collect();
        let mut outputs = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for r in results {
            match r {
                Ok(o) => outputs.push(o),
                Err(d) => problems.push(d),
            }
        }
        let counts = Counts {
            pages: outputs.len(),
            ..counts
        };
        (outputs, counts, problems)
    }

    /// Variables every page of language `lang` shares.
    fn globals(&self, lang: Lang, strings: &Strings) -> (tera::Context, Vec<Value>) {
        let config = self.config;
        let url = |path: &str| format!("{}{}", config.base_path, path);
        let mut menu: Vec<&Page> = self
            .site
            .pages
            .iter()
            .filter(|p| p.menu && matches!(p.kind, PageKind::Plain))
            .collect();
        menu.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        let challenges_title = self
            .site
            .pages
            .iter()
            .find(|p| matches!(p.kind, PageKind::ChallengeList))
            .map_or_else(
                || t(strings, "all_challenges", "Alla utmaningar").to_string(),
                |p| p.title.clone(),
            );
        let mut nav = vec![json!({
            "title": challenges_title,
            "url": url(&format!("{}/", crate::content::CHALLENGES_DIR)),
        })];
        nav.extend(
            menu.iter()
                .map(|p| json!({ "title": p.title, "url": url(&p.url_path) })),
        );
        let accessibility = self.site.pages.iter().find(|p| {
            matches!(p.kind, PageKind::Plain)
                && (p.rel.starts_with("tillganglighet") || p.rel.starts_with("accessibility"))
        });
        let mut footer: Vec<&Page> = self
            .site
            .pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::Plain))
            .collect();
        footer.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));

        let mut ctx = tera::Context::new();
        ctx.insert(
            "site",
            &json!({
                "title": config.title,
                "description": config.description,
                "base_url": config.base_url,
                "base_path": config.base_path,
                "lang": lang_code(config.language),
                "timezone": config.timezone_name,
                "built_at": {
                    "rfc3339": time::rfc3339(&self.now.to_zoned_datetime(config.timezone.clone())),
                    "display": time::format_long(&self.now.to_zoned_datetime(config.timezone.clone()), lang),
                },
            }),
        );
        ctx.insert("lang", lang_code(lang));
        ctx.insert("t", strings);
        ctx.insert(
            "footer_pages",
            &footer
                .iter()
                .map(|p| json!({ "title": p.title, "url": url(&p.url_path) }))
                .collect::<Vec<_>>(),
        );
        ctx.insert(
            "accessibility_url",
            &accessibility.map(|p| url(&p.url_path)).unwrap_or_default(),
        );
        (ctx, nav)
    }

    fn render_job(
        &self,
        job: &Job,
        globals: &tera::Context,
        nav: &[Value],
    ) -> Result<String, Diagnostic> {
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
        for (key, value) in &job.vars {
            ctx.insert(*key, value);
        }
        self.tera.render(job.template, &ctx).map_err(|e| {
            let origin = self
                .theme
                .templates
                .get(job.template)
                .map_or_else(|| PathBuf::from(job.template), |f| f.origin.clone());
            Diagnostic::error(
                origin,
                format!(
                    "rendering {} failed: {}",
                    job.origin.display(),
                    error_chain(&e)
                ),
            )
            .with_hint(
                "check the template near the place named, and that the variables it uses exist",
            )
        })
    }
}

/// Copies the site's own `static/` folder to the output root.
fn copy_site_static(root: &Path, outputs: &mut Vec<Output>, diagnostics: &mut Diagnostics) {
    let dir = root.join("static");
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error("static", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        match rel.to_str() {
            Some(rel) if !rel.split(['/', '\\']).any(crate::content::is_ignored_name) => outputs
                .push(Output {
                    path: rel.replace('\\', "/"),
                    data: OutputData::Copy(entry.path().to_path_buf()),
                }),
            Some(_) => {}
            None => diagnostics.push(
                Diagnostic::error(
                    entry.path().strip_prefix(root).unwrap_or(entry.path()),
                    "the file name is not valid UTF-8",
                )
                .with_hint("rename the file using letters, digits and hyphens"),
            ),
        }
    }
}

/// Two outputs with one path: a page that shadows a generated list, or a
/// static file that shadows a page.
fn find_output_collisions(outputs: &[Output], diagnostics: &mut Diagnostics) {
    let mut seen: HashSet<&str> = HashSet::new();
    for o in outputs {
        if !seen.insert(o.path.as_str()) {
            diagnostics.push(
                Diagnostic::error(o.path.clone(), format!("two files would be written to /{}", o.path))
                    .with_hint("a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"),
            );
        }
    }
}
