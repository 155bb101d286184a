//! The site as the dev server holds it: the last good outputs in memory,
//! and the problems of the last build when it failed.
//!
//! A [`Session`] renders with the same pipeline as `utlys build`
//! ([`crate::render`]), but keeps the result in a map instead of writing it,
//! and on every [`Session::rebuild`] works out which outputs changed, so the
//! server only tells the browser to reload when something it could show is
//! different. A failed rebuild never replaces the last good site.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;

use crate::BuildOptions;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Counts, Output, OutputData};
use crate::time::Timestamp;

/// Output path (relative, `/`-separated, as in `public/`) → bytes.
pub type OutputMap = BTreeMap<String, Arc<Vec<u8>>>;

/// What a successful rebuild changed compared with the previous good site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Outputs that are new or whose bytes differ, sorted.
    pub changed: Vec<String>,
    /// Outputs the site no longer has, sorted.
    pub removed: Vec<String>,
    /// Pages, challenges and open challenges of the new site.
    pub counts: Counts,
    /// Warnings of the new site (a good build has no errors).
    pub warnings: Diagnostics,
}

impl Changes {
    /// Whether the new site is byte for byte the previous one.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// One consistent view of the session, so a request never mixes the outputs
/// of one build with the base path or error state of another.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    outputs: Arc<OutputMap>,
    base_path: String,
    generation: u64,
    /// Tells this server's builds from those of an earlier run, whose
    /// generations counted from the same start.
    instance: u64,
    error: Option<Arc<Diagnostics>>,
}

impl Snapshot {
    /// The bytes of output `path` in the last good site.
    pub fn get(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.outputs.get(path)
    }

    /// Whether there has been a good build at all.
    pub fn has_site(&self) -> bool {
        !self.outputs.is_empty()
    }

    /// The path the last good site is served under (`/utmaningar/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Counts the good builds that changed something, so a page can tell
    /// whether it is older than the site being served.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The generation, unique across runs of the server: what a page
    /// compares to know it is current.
    pub fn version(&self) -> String {
        format!("{:x}-{}", self.instance, self.generation)
    }

    /// The problems of the last build, when it failed.
    pub fn error(&self) -> Option<&Arc<Diagnostics>> {
        self.error.as_ref()
    }
}

/// The site being previewed: options, the last good outputs and the last
/// error. Shared between the HTTP server and the rebuild thread.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    /// `http://127.0.0.1:1111` when serving: every build then uses this
    /// origin plus the path of `base_url` from `site.toml`, so links in the
    /// preview stay on the preview server even if `base_url` is edited.
    origin: Option<String>,
    /// Take the clock afresh on each rebuild (no `--now` was given).
    live_clock: bool,
    /// Rebuilds run one at a time: each diffs against the one before.
    rebuilding: Mutex<()>,
    current: RwLock<Arc<Snapshot>>,
}

impl Session {
    /// A session with nothing built yet; call [`Session::rebuild`] to build.
    pub fn new(options: BuildOptions) -> Session {
        // Known before the first build so even a broken site is served under
        // the path its links will use once it builds.
        let base_path = Config::load(&options.root).map_or_else(|_| "/".into(), |c| c.base_path);
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        Session {
            options,
            origin: None,
            live_clock: false,
            rebuilding: Mutex::new(()),
            current: RwLock::new(Arc::new(Snapshot {
                base_path,
                instance,
                ..Snapshot::default()
            })),
        }
    }

    /// Builds every site for `origin` (`http://127.0.0.1:1111`) followed by
    /// the path of `base_url` in `site.toml`.
    pub fn serve_at(mut self, origin: impl Into<String>) -> Session {
        self.origin = Some(origin.into().trim_end_matches('/').to_string());
        self
    }

    /// Takes the time anew on every rebuild instead of the fixed
    /// `options.now`, so statuses move on while the server runs.
    pub fn with_live_clock(mut self) -> Session {
        self.live_clock = true;
        self
    }

    /// Renders the site again. On success the new outputs replace the old
    /// and the differences are returned; on failure the last good outputs
    /// stay and the problems are kept for [`Session::last_error`].
    pub fn rebuild(&self) -> Result<Changes, Diagnostics> {
        let _one_at_a_time = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        let previous = self.snapshot();
        match self.render() {
            Ok((outputs, base_path, counts, warnings)) => {
                let (outputs, changed, removed) = diff(&previous.outputs, outputs);
                let unchanged =
                    changed.is_empty() && removed.is_empty() && base_path == previous.base_path;
                let generation = previous.generation + u64::from(!unchanged);
                self.store(Snapshot {
                    outputs: if unchanged {
                        Arc::clone(&previous.outputs)
                    } else {
                        Arc::new(outputs)
                    },
                    base_path,
                    generation,
                    instance: previous.instance,
                    error: None,
                });
                Ok(Changes {
                    changed,
                    removed,
                    counts,
                    warnings,
                })
            }
            Err(diagnostics) => {
                self.store(Snapshot {
                    error: Some(Arc::new(diagnostics.clone())),
                    ..(*previous).clone()
                });
                Err(diagnostics)
            }
        }
    }

    /// The site folder.
    pub fn root(&self) -> &std::path::Path {
        &self.options.root
    }

    /// The bytes of output `path` (`challenges/x/index.html`) in the last
    /// good site.
    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.snapshot().get(path).cloned()
    }

    /// The problems of the last build, or `None` when it succeeded.
    pub fn last_error(&self) -> Option<Arc<Diagnostics>> {
        self.snapshot().error.clone()
    }

    /// The current state, all of one build.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn store(&self, snapshot: Snapshot) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }

    /// Runs the pipeline into memory and reads copied files, so the map is
    /// what `utlys build` would have written.
    fn render(&self) -> Result<(OutputMap, String, Counts, Diagnostics), Diagnostics> {
        let mut options = self.options.clone();
        if self.live_clock {
            options.now = Timestamp::now();
        }
        let mut config = Config::load(&options.root).map_err(Diagnostics)?;
        if let Some(origin) = &self.origin {
            options.base_url = Some(format!("{origin}{}", config.base_path));
        }
        if let Some(url) = &options.base_url {
            config
                .set_base_url(url)
                .map_err(|message| Diagnostics(vec![Diagnostic::error("--base-url", message)]))?;
        }
        let (outputs, counts, warnings) = crate::render(&options)?;
        let read: Vec<_> = outputs
            .into_par_iter()
            .map(|output| read_output(&options.root, output))
            .collect();
        let mut map = OutputMap::new();
        let mut problems = Diagnostics::default();
        for entry in read {
            match entry {
                Ok((path, bytes)) => {
                    map.insert(path, bytes);
                }
                Err(d) => problems.push(d),
            }
        }
        if problems.has_errors() {
            problems.sort();
            return Err(problems);
        }
        Ok((map, config.base_path, counts, warnings))
    }
}

/// The bytes of one output, reading the file of a copied one.
fn read_output(root: &Path, output: Output) -> Result<(String, Arc<Vec<u8>>), Diagnostic> {
    match output.data {
        OutputData::Bytes(bytes) => Ok((output.path, Arc::new(bytes))),
        // The file may have gone since the render looked at it; the watcher
        // will have queued another rebuild for that.
        OutputData::Copy(source) => match std::fs::read(&source) {
            Ok(bytes) => Ok((output.path, Arc::new(bytes))),
            Err(e) => Err(Diagnostic::error(
                crate::diagnostics::display_path(root, &source),
                format!(
                    "cannot read the file to publish it as /{}: {e}",
                    output.path
                ),
            )),
        },
    }
}

/// Compares a new map with the previous one. Unchanged outputs keep the
/// previous allocation, so a page held by a response in flight is shared.
fn diff(previous: &OutputMap, mut next: OutputMap) -> (OutputMap, Vec<String>, Vec<String>) {
    let mut changed = Vec::new();
    for (path, bytes) in next.iter_mut() {
        match previous.get(path) {
            Some(old) if old == bytes => *bytes = Arc::clone(old),
            _ => changed.push(path.clone()),
        }
    }
    let removed = previous
        .keys()
        .filter(|p| !next.contains_key(*p))
        .cloned()
        .collect();
    (next, changed, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> OutputMap {
        entries
            .iter()
            .map(|(p, b)| (p.to_string(), Arc::new(b.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn diff_names_added_changed_and_removed_paths() {
        let old = map(&[("a.html", "A"), ("b.html", "B"), ("c.css", "C")]);
        let new = map(&[("a.html", "A"), ("b.html", "B2"), ("d.js", "D")]);
        let (merged, changed, removed) = diff(&old, new);
        assert_eq!(changed, ["b.html", "d.js"]);
        assert_eq!(removed, ["c.css"]);
        assert!(Arc::ptr_eq(&merged["a.html"], &old["a.html"]));
    }

    #[test]
    fn diff_of_identical_maps_is_empty() {
        let old = map(&[("a.html", "A")]);
        let (_, changed, removed) = diff(&old, map(&[("a.html", "A")]));
        assert!(changed.is_empty() && removed.is_empty());
    }
}
