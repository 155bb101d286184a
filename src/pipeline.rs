//! One build: load, render, publish.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::{self, Collect, Output, Publisher, Sink, WriteStats};
use crate::render::{self, Counts, Theme};
use crate::time::Timestamp;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml` and `content/`).
    pub root: PathBuf,
    /// Where to publish; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The one clock of the build.
    pub now: Timestamp,
    /// Include drafts and pages scheduled for later.
    pub drafts: bool,
}

impl BuildOptions {
    /// The output folder in effect.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages, challenges, open challenges.
    pub counts: Counts,
    /// Files written, unchanged and removed.
    pub written: WriteStats,
    /// Warnings (a successful build has no errors).
    pub warnings: Diagnostics,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// A site loaded and checked, ready to render.
pub struct Prepared {
    config: Config,
    theme: Theme,
    site: crate::content::Site,
    warnings: Diagnostics,
}

/// Loads `site.toml`, the theme and `content/`, and checks every page's
/// front matter, Markdown and links. Fails with every problem found.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Diagnostics> {
    let mut config = Config::load(&options.root).map_err(Diagnostics)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|message| {
            Diagnostics(vec![Diagnostic::error("--base-url", message).with_hint(
                "give an absolute URL such as https://example.se/utmaningar/",
            )])
        })?;
    }
    let theme = Theme::load(&options.root, &config.theme).map_err(Diagnostics)?;
    let load_options = LoadOptions {
        now: options.now,
        drafts: options.drafts,
    };
    let stage = crate::timing::Stage::start("load");
    let (site, mut diagnostics) = content::load(&options.root, &config, load_options);
    drop(stage);
    diagnostics.extend(theme.warnings.iter().cloned());
    if diagnostics.has_errors() {
        // Still check every page's Markdown and links, so the writer sees
        // every problem in one run.
        let (_, problems) = render::render_markdown_all(&config, &site, &theme);
        diagnostics.extend(problems.0);
        diagnostics.sort();
        return Err(diagnostics);
    }
    diagnostics.sort();
    Ok(Prepared {
        config,
        theme,
        site,
        warnings: diagnostics,
    })
}

impl Prepared {
    /// The loaded site.
    pub fn site(&self) -> &crate::content::Site {
        &self.site
    }

    /// Renders every output into `sink`: the counts and the warnings, or
    /// every problem found.
    pub fn render(
        mut self,
        options: &BuildOptions,
        sink: &dyn Sink,
    ) -> Result<(Counts, Diagnostics), Diagnostics> {
        let (counts, problems) = render::render_site(
            &options.root,
            &self.config,
            &mut self.site,
            &self.theme,
            options.now,
            sink,
        );
        let mut diagnostics = self.warnings;
        diagnostics.extend(problems.0);
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((counts, diagnostics))
    }
}

/// Loads and renders the site into `sink`.
pub fn render_into(
    options: &BuildOptions,
    sink: &dyn Sink,
) -> Result<(Counts, Diagnostics), Diagnostics> {
    prepare(options)?.render(options, sink)
}

/// Loads and renders the site without writing anything: the outputs sorted
/// by path, the counts and the warnings.
pub fn render(options: &BuildOptions) -> Result<(Vec<Output>, Counts, Diagnostics), Diagnostics> {
    let sink = Collect::default();
    let (counts, warnings) = render_into(options, &sink)?;
    Ok((sink.into_sorted(), counts, warnings))
}

/// Builds the site and publishes it atomically. On any error nothing in the
/// output folder changes.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    let fail = |e: emit::WriteError| {
        Diagnostics(vec![
            Diagnostic::error(output.clone(), e.to_string())
                .with_hint("the published site was left as it was"),
        ])
    };
    emit::check_output_dir(&options.root, &output).map_err(fail)?;
    let prepared = prepare(options)?;
    let publisher = Publisher::begin(&output).map_err(fail)?;
    // On an error the publisher is dropped unfinished: public/ is untouched.
    let (counts, warnings) = prepared.render(options, &publisher)?;
    let stage = crate::timing::Stage::start("finish");
    let written = publisher.finish().map_err(fail)?;
    drop(stage);
    Ok(BuildReport {
        counts,
        written,
        warnings,
        elapsed: started.elapsed(),
    })
}
