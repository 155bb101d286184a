//! Rendering the site model into outputs: Markdown to HTML, then every page
//! through the theme's Tera templates.

pub mod context;
mod pages;
pub mod theme;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Links};
use crate::time::Timestamp;
use crate::write::{Sink, WriteError};
use context::PageHtml;
pub use pages::lang_prefix;
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

/// Renders every output of `site`. Problems are collected; the outputs are
/// only complete when there is no error.
pub fn render_site(
    root: &Path,
    config: &Config,
    site: &Site,
    theme: &Theme,
    now: Timestamp,
    sink: &dyn Sink,
) -> (Counts, Diagnostics) {
    let stage = crate::timing::Stage::start("markdown");
    let (html, mut diagnostics) = render_markdown_all(config, site, theme);
    drop(stage);
    if diagnostics.has_errors() {
        return (Counts::default(), diagnostics);
    }

    let tera = match build_tera(theme) {
        Ok(t) => t,
        Err(ds) => {
            diagnostics.extend(ds);
            return (Counts::default(), diagnostics);
        }
    };

    let renderer = pages::Renderer {
        config,
        site,
        theme,
        tera: &tera,
        html: &html,
        now,
        sink,
    };
    let stage = crate::timing::Stage::start("pages");
    let (counts, problems) = renderer.render_all();
    drop(stage);
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return (counts, diagnostics);
    }
    let strings = theme.strings_for(config.language, config.language);
    let strings_by_lang = config
        .languages
        .iter()
        .map(|&l| (l, theme.strings_for(l, config.language)))
        .collect();
    let stage = crate::timing::Stage::start("outputs");
    let mut outputs = crate::output::render_all(&crate::output::OutputContext {
        config,
        site,
        html: &html,
        strings: &strings,
        strings_by_lang: &strings_by_lang,
        now,
    });
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
    drop(stage);
    let _stage = crate::timing::Stage::start("write rest");
    let problems: Vec<Diagnostic> = outputs
        .par_iter()
        .filter_map(|o| sink.put(&o.path, &o.data).err())
        .map(|e| write_problem(&o_path(&e), e))
        .collect();
    diagnostics.extend(problems);
    (counts, diagnostics)
}

/// The output path a write error is about, for its message.
fn o_path(e: &WriteError) -> String {
    match e {
        WriteError::Duplicate(p) => p.clone(),
        WriteError::Io { path, .. } => path.display().to_string(),
        _ => String::new(),
    }
}

/// A write failure as a diagnostic.
pub(crate) fn write_problem(path: &str, e: WriteError) -> Diagnostic {
    Diagnostic::error(path, e.to_string()).with_hint(match e {
        WriteError::Duplicate(_) => "rename the page or file so each has its own address",
        _ => "the published site was left as it was",
    })
}

/// Renders every page's Markdown and checks links between pages. This runs
/// even when some files failed to load, so one run reports every problem.
pub fn render_markdown_all(
    config: &Config,
    site: &Site,
    theme: &Theme,
) -> (Vec<PageHtml>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let links = Links {
        urls: site
            .pages
            .iter()
            .map(|p| (p.rel.clone(), format!("{}{}", config.base_path, p.url_path)))
            .collect(),
        unloadable: site.unloadable.iter().cloned().collect(),
        reserved_ids: theme.reserved_ids(),
        assets: site
            .assets
            .iter()
            .map(|a| {
                let url = format!("{}{}", config.base_path, context::encode_path(&a.out_path));
                (a.rel.clone(), url)
            })
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

    (html, diagnostics)
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
    let dir = page.rel.rfind('/').map_or("", |i| &page.rel[..=i]);
    let body = markdown::render_in(page.body(), links, sanitize, dir);
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
        let r = markdown::render_in(md, links, sanitize, dir);
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
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
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
