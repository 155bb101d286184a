//! One build: load, render, publish.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, Counts, Output, Theme};
use crate::time::Timestamp;
use crate::write::{self, WriteStats};

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

/// Loads and renders the site without writing anything: the outputs, counts
/// and every problem found. Fails when any problem is an error.
pub fn render(options: &BuildOptions) -> Result<(Vec<Output>, Counts, Diagnostics), Diagnostics> {
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
    let (site, mut diagnostics) = content::load(&options.root, &config, load_options);
    let (outputs, counts, problems) = if diagnostics.has_errors() {
        // Still check every page's Markdown and links, so the writer sees
        // every problem in one run.
        let (_, problems) = render::render_markdown_all(&config, &site, &theme);
        (Vec::new(), Counts::default(), problems)
    } else {
        render::render_site(&options.root, &config, &site, &theme, options.now)
    };
    diagnostics.extend(problems.0);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((outputs, counts, diagnostics))
}

/// Builds the site and publishes it atomically. On any error nothing in the
/// output folder changes.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    write::check_output_dir(&options.root, &output)
        .map_err(|e| Diagnostics(vec![Diagnostic::error(output.clone(), e.to_string())]))?;
    let (outputs, counts, warnings) = render(options)?;
    let written = write::publish(&output, &outputs).map_err(|e| {
        Diagnostics(vec![
            Diagnostic::error(output.clone(), e.to_string())
                .with_hint("the published site was left as it was"),
        ])
    })?;
    Ok(BuildReport {
        counts,
        written,
        warnings,
        elapsed: started.elapsed(),
    })
}
