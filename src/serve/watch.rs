//! Watching the site's sources: `site.toml`, `content/`, `themes/` and
//! `static/`.
//!
//! Events are debounced (an editor's save is often several writes and a
//! rename) and filtered: editors' temporary and swap files, hidden files,
//! and mere reads — the rebuild itself opens every file — start no rebuild.
//! Only the folders the site is made of are watched recursively; the site
//! folder itself is watched one level deep, so `site.toml` is seen even when
//! an editor replaces it by renaming, and so is a `static/` that appears
//! later, while `public/` or `target/` beside it cost no watches.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long a path must be quiet before its change is reported: long enough
/// to merge an editor's write-and-rename (which take well under a
/// millisecond on a local disk), short enough to be a small part of the time
/// from a save to the reload. A save that takes longer is rebuilt twice, the
/// second time with the whole file.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// The folders of a site whose contents are watched.
const SOURCE_DIRS: [&str; 3] = ["content", "themes", "static"];

/// What the watcher reports to whoever rebuilds.
#[derive(Debug)]
pub enum WatchMessage {
    /// These source paths changed (created, written, removed or renamed).
    Changed(Vec<PathBuf>),
    /// The watcher failed; the text says what to do.
    Failed(String),
}

/// Watches one site's sources for as long as it lives.
pub struct SiteWatcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: HashSet<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching the site in `root`; relevant changes are sent to
    /// `messages` as they settle.
    pub fn start(root: &Path, messages: Sender<WatchMessage>) -> notify::Result<SiteWatcher> {
        // Events carry the path as it was watched; an absolute root keeps
        // them comparable with it whatever the current folder.
        let root = std::path::absolute(root).map_err(notify::Error::io)?;
        let filter_root = root.clone();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let message = match result {
                Ok(events) => {
                    let paths = relevant_paths(
                        &filter_root,
                        events
                            .iter()
                            .map(|e| (&e.event.kind, e.event.paths.as_slice())),
                    );
                    if paths.is_empty() {
                        return;
                    }
                    WatchMessage::Changed(paths)
                }
                Err(errors) => WatchMessage::Failed(
                    errors
                        .iter()
                        .map(describe_error)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // The receiver is gone only when the server is stopping.
            let _ = messages.send(message);
        })?;
        let mut watcher = SiteWatcher {
            root,
            debouncer,
            watched: HashSet::new(),
        };
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)?;
        watcher.refresh(&[])?;
        Ok(watcher)
    }

    /// Brings the recursive watches in line with the source folders that
    /// exist, after `changed` paths were reported: a source folder that was
    /// created, or removed and made again, is watched (anew).
    pub fn refresh(&mut self, changed: &[PathBuf]) -> notify::Result<()> {
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            if changed.contains(&dir) && self.watched.remove(&dir) {
                // The old watch may point at a folder that no longer exists;
                // failing to drop it is harmless.
                let _ = self.debouncer.unwatch(&dir);
            }
            if !self.watched.contains(&dir) && dir.is_dir() {
                self.debouncer.watch(&dir, RecursiveMode::Recursive)?;
                self.watched.insert(dir);
            }
        }
        Ok(())
    }
}

/// The paths of `events` that should start a rebuild, without duplicates.
fn relevant_paths<'a>(
    root: &Path,
    events: impl Iterator<Item = (&'a EventKind, &'a [PathBuf])>,
) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    for (kind, paths) in events {
        if !is_change(kind) {
            continue;
        }
        // A rename lists both names; moving a temporary file onto the real
        // one (an atomic save) counts through its second name.
        for path in paths {
            if is_source(root, path) && !found.contains(path) {
                found.push(path.clone());
            }
        }
    }
    found
}

/// Whether an event can change a file's contents. Opening and reading
/// cannot, and every rebuild opens every source.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether `path` is `site.toml` or inside a source folder (or is one), and
/// no part of it below the root is an editor's or a hidden file.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut names = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(name) => match name.to_str() {
                Some(name) => names.push(name),
                // The loader reports names that are not UTF-8; a rebuild
                // shows that error.
                None => return true,
            },
            _ => return false,
        }
    }
    match names.as_slice() {
        [] => false,
        ["site.toml"] => true,
        [first, ..] if SOURCE_DIRS.contains(first) => !names.iter().any(|n| is_scratch_name(n)),
        _ => false,
    }
}

/// Names editors and tools use for temporary, backup, swap and lock files,
/// and hidden names: never part of a site, and written on every save.
pub fn is_scratch_name(name: &str) -> bool {
    crate::content::is_ignored_name(name)
        // Vim writes and deletes `4913` to test that it may create files.
        || name == "4913"
        // Emacs autosave `#a.md#` and lock `.#a.md`.
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.ends_with(".crswap")
        // JetBrains safe write.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

fn describe_error(error: &notify::Error) -> String {
    if let notify::ErrorKind::MaxFilesWatch = error.kind {
        return "the system limit on watched folders is reached; raise it (Linux: sysctl fs.inotify.max_user_watches=524288) or restart `utlys serve` on a smaller site".into();
    }
    match error.paths.first() {
        Some(path) => format!("{}: {error}", path.display()),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RenameMode};

    fn root() -> PathBuf {
        PathBuf::from("/site")
    }

    #[test]
    fn sources_are_site_toml_and_the_source_folders() {
        let root = root();
        for yes in [
            "/site/site.toml",
            "/site/content/challenges/a.md",
            "/site/content",
            "/site/themes/default/templates/base.html",
            "/site/static/logo.svg",
        ] {
            assert!(is_source(&root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/target/debug/utlys",
            "/site/README.md",
            "/site/site.toml~",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_source(&root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn editor_scratch_files_are_ignored() {
        let root = root();
        for name in [
            ".a.md.swp",
            ".a.md.swx",
            "a.md~",
            "#a.md#",
            ".#a.md",
            "4913",
            ".hidden.md",
            "a.md___jb_tmp___",
        ] {
            let path = root.join("content/challenges").join(name);
            assert!(!is_source(&root, &path), "{name}");
        }
        assert!(!is_source(&root, Path::new("/site/content/.git/HEAD")));
    }

    #[test]
    fn reads_start_no_rebuild_but_writes_and_renames_do() {
        let root = root();
        let file = vec![root.join("content/a.md")];
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(relevant_paths(&root, [(&read, file.as_slice())].into_iter()).is_empty());
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(
            relevant_paths(&root, [(&closed, file.as_slice())].into_iter()),
            file
        );
        let created = EventKind::Create(CreateKind::File);
        assert_eq!(
            relevant_paths(&root, [(&created, file.as_slice())].into_iter()),
            file
        );
    }

    #[test]
    fn an_atomic_save_counts_through_the_name_it_lands_on() {
        let root = root();
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        let paths = vec![
            root.join("content/.a.md.tmp1234"),
            root.join("content/a.md"),
        ];
        assert_eq!(
            relevant_paths(&root, [(&rename, paths.as_slice())].into_iter()),
            vec![root.join("content/a.md")]
        );
        let scratch_only = vec![root.join("content/4913")];
        let created = EventKind::Create(CreateKind::File);
        assert!(
            relevant_paths(&root, [(&created, scratch_only.as_slice())].into_iter()).is_empty()
        );
    }
}
