//! Atomic publishing.
//!
//! The site is written into a spare tree beside the output folder, then the
//! two are swapped with one atomic rename, so a reader sees the old site or
//! the new one and never a mix, and a failed or killed build leaves the
//! published folder as it was. The old site stays behind as the next build's
//! spare: bringing it up to date file by file is far cheaper than deleting
//! and recreating thousands of files on every build.
//!
//! Publishing never touches what it did not make. Each tree it writes holds
//! a manifest ([`MANIFEST`]) listing the files Utlys wrote there; a folder
//! without one is used only when it is empty. Before anything is written,
//! both trees are gone through without following links: a symbolic link, or
//! a file the manifest does not list, stops the build with a message naming
//! it, so nothing is deleted, moved or written through a link. The output
//! folder, its spare and its lock may not be links themselves.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Output, OutputData, Sink, StreamWriter, WriteError, io_err};

/// What publishing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
}

/// The paths Utlys keeps beside an output folder.
struct Siblings {
    /// The spare tree, the next build's working copy.
    spare: PathBuf,
    /// The lock file that keeps two builds apart.
    lock: PathBuf,
    /// Where the old site waits for a moment when the trees are swapped by
    /// two renames (file systems without an atomic exchange).
    parked: PathBuf,
}

/// The spare tree, lock file and parking place beside `output`.
fn siblings(output: &Path) -> Siblings {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output.parent().unwrap_or(Path::new("."));
    Siblings {
        spare: parent.join(format!(".{name}.utlys-spare")),
        lock: parent.join(format!(".{name}.utlys-lock")),
        parked: parent.join(format!(".{name}.utlys-old")),
    }
}

/// The name of the manifest in every tree Utlys publishes: it marks the
/// folder as made by Utlys and lists the files Utlys wrote into it.
pub const MANIFEST: &str = ".utlys-manifest";

/// What a tree's manifest says.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Manifest {
    /// The manifest's format; 1.
    utlys_manifest: u32,
    /// False while a build is writing into the tree: a build that was
    /// stopped half-way leaves files the list does not have yet, and those
    /// are Utlys's own too.
    complete: bool,
    /// The files Utlys wrote, as `/`-separated paths inside the tree.
    files: Vec<String>,
}

/// What stands at a tree's path before publishing.
enum TreeState {
    /// Nothing: the tree is made anew.
    Missing,
    /// An empty folder, which may be used.
    Empty,
    /// A folder Utlys made, with its manifest.
    Owned(Manifest),
}

impl TreeState {
    fn manifest(&self) -> Option<&Manifest> {
        match self {
            TreeState::Owned(m) => Some(m),
            _ => None,
        }
    }
}

/// Looks at the folder `dir` without following a link, and refuses
/// anything that Utlys may not write into: a link, a file, or a folder with
/// contents that carries no manifest. `role` says what the folder is for.
fn inspect(dir: &Path, role: &str) -> Result<TreeState, WriteError> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(TreeState::Missing),
        Err(e) => return Err(io_err("cannot look at", dir)(e)),
    };
    if meta.file_type().is_symlink() {
        let target = fs::read_link(dir)
            .map(|t| format!(" (to {})", t.display()))
            .unwrap_or_default();
        return Err(WriteError::Unsafe(format!(
            "{role} {} is a symbolic link{target}; Utlys publishes by swapping in a whole new folder and never works through a link, so nothing was changed. Remove the link and build again; to publish into a web server's folder, make that folder a link to the output instead (ln -sfn {} /var/www/portal) or give the web server's folder itself as --output",
            dir.display(),
            std::path::absolute(dir)
                .unwrap_or_else(|_| dir.to_path_buf())
                .display()
        )));
    }
    if !meta.is_dir() {
        return Err(WriteError::Unsafe(format!(
            "{role} {} exists and is not a folder; Utlys did not make it and leaves it alone. Move it away, or choose another output folder",
            dir.display()
        )));
    }
    let manifest_path = dir.join(MANIFEST);
    match read_no_follow(&manifest_path) {
        Ok(bytes) => serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .filter(|m| m.utlys_manifest == 1)
            .map(TreeState::Owned)
            .ok_or_else(|| {
                WriteError::Unsafe(format!(
                    "{role} {}: its manifest {MANIFEST} cannot be read, so Utlys cannot tell which files it made there; nothing was changed. Move the folder away (or delete it if you no longer need it) and build again",
                    dir.display()
                ))
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut entries = fs::read_dir(dir).map_err(io_err("cannot list", dir))?;
            if entries.next().is_none() {
                Ok(TreeState::Empty)
            } else {
                Err(WriteError::Unsafe(format!(
                    "{role} {} holds files that Utlys did not make (it has no {MANIFEST}); publishing there would replace them, so nothing was changed. Choose a new or empty folder, or move these files away. A folder made by an older version of Utlys can be deleted and built again",
                    dir.display()
                )))
            }
        }
        Err(e) => Err(WriteError::Unsafe(format!(
            "{role} {}: its manifest {MANIFEST} cannot be opened ({e}); it may be a link. Nothing was changed; move the folder away and build again",
            dir.display()
        ))),
    }
}

/// Reads a file, refusing a symbolic link in its last part.
fn read_no_follow(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = no_follow(File::options().read(true)).open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Open options that refuse a symbolic link in the last part of the path
/// (and do not wait on a named pipe), where the platform allows it.
fn no_follow(options: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options
}

/// Whether opening failed because the path is a symbolic link that
/// [`no_follow`] refused.
fn is_link_refused(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The files and folders of a tree Utlys made, as `/`-separated paths.
#[derive(Debug, Default)]
struct Contents {
    files: Vec<String>,
    dirs: Vec<String>,
    /// Things Utlys did not make, each said in a few words.
    foreign: Vec<String>,
}

impl Contents {
    fn merge(mut self, other: Contents) -> Contents {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.foreign.extend(other.foreign);
        self
    }
}

/// Goes through the tree at `root` without following links and lists what
/// is in it. A link, a device or pipe, a name that is not UTF-8, and (when
/// the manifest is complete) a file it does not list are foreign.
fn survey(root: &Path, manifest: Option<&Manifest>) -> Result<Contents, WriteError> {
    let listed: Option<HashSet<&str>> = manifest
        .filter(|m| m.complete)
        .map(|m| m.files.iter().map(String::as_str).collect());
    survey_in(root, root, listed.as_ref())
}

/// [`survey`] for folder `dir` inside `root`; subfolders in parallel.
fn survey_in(
    root: &Path,
    dir: &Path,
    listed: Option<&HashSet<&str>>,
) -> Result<Contents, WriteError> {
    let entries = fs::read_dir(dir)
        .and_then(|list| list.collect::<io::Result<Vec<_>>>())
        .map_err(io_err("cannot list", dir))?;
    entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            let kind = entry.file_type().map_err(io_err("cannot look at", &path))?;
            let rel = path
                .strip_prefix(root)
                .ok()
                .and_then(Path::to_str)
                .map(|r| r.replace('\\', "/"));
            let mut found = Contents::default();
            let Some(rel) = rel else {
                found
                    .foreign
                    .push(format!("{} (a name that is not UTF-8)", path.display()));
                return Ok(found);
            };
            if kind.is_dir() {
                let inner = survey_in(root, &path, listed)?;
                found.dirs.push(rel);
                return Ok(found.merge(inner));
            }
            if kind.is_symlink() {
                let target = fs::read_link(&path)
                    .map(|t| format!(" to {}", t.display()))
                    .unwrap_or_default();
                found
                    .foreign
                    .push(format!("{} (a symbolic link{target})", path.display()));
            } else if !kind.is_file() {
                found
                    .foreign
                    .push(format!("{} (neither a file nor a folder)", path.display()));
            } else if rel == MANIFEST {
                // The manifest itself is rewritten, never listed.
            } else if listed.is_some_and(|l| !l.contains(rel.as_str())) {
                found
                    .foreign
                    .push(format!("{} (not written by Utlys)", path.display()));
            } else {
                found.files.push(rel);
            }
            Ok(found)
        })
        .try_reduce(Contents::default, |a, b| Ok(a.merge(b)))
}

/// Refuses a tree that holds anything Utlys did not make.
fn refuse_foreign(role: &str, dir: &Path, contents: &Contents) -> Result<(), WriteError> {
    if contents.foreign.is_empty() {
        return Ok(());
    }
    let mut shown: Vec<&String> = contents.foreign.iter().collect();
    shown.sort();
    let more = shown.len().saturating_sub(5);
    let mut list = shown
        .iter()
        .take(5)
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    Err(WriteError::Unsafe(format!(
        "{role} {} holds what Utlys did not make: {list}. Publishing replaces the whole folder, so these would be moved or deleted; nothing was changed. Move them out of the folder (a file the site needs belongs in static/), then build again",
        dir.display()
    )))
}

/// Writes the manifest of the tree at `dir`.
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    let path = dir.join(MANIFEST);
    let bytes =
        serde_json::to_vec(manifest).map_err(|e| io_err("cannot write", &path)(e.into()))?;
    write_if_changed(dir, &path, &OutputData::Bytes(bytes)).map(|_| ())
}

/// An absolute, normalised form of a path that may not exist yet: the
/// longest existing ancestor is resolved (links included), then the rest is
/// applied part by part, so `missing/../content` is seen as `content`.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    use std::path::Component;
    let abs = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    for part in abs.components() {
        match part {
            Component::ParentDir => {
                resolved = resolved.canonicalize().unwrap_or(resolved);
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                // Each part that exists is resolved as it is met, so a link
                // on the way counts even when the end does not exist yet.
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

/// A path made absolute and normalised without looking at the disk, so a
/// link on the way is not followed: `site/build/..` is `site`.
fn lexical(path: &Path) -> io::Result<PathBuf> {
    use std::path::Component;
    let mut resolved = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    Ok(resolved)
}

/// Refuses an output folder that is, or contains, the site root, or that is
/// inside `content/`, `themes/` or `static/`; one that is a symbolic link;
/// and one inside the site that a link on its way leads out of the site.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), WriteError> {
    if fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        // The exact refusal, with what to do instead.
        inspect(output, "the output folder")?;
    }
    let plain_root = lexical(root).map_err(io_err("cannot resolve", root))?;
    let plain_out = lexical(output).map_err(io_err("cannot resolve", output))?;
    let root = absolute(root).map_err(io_err("cannot resolve", root))?;
    let out = absolute(output).map_err(io_err("cannot resolve", output))?;
    if plain_out.starts_with(&plain_root) && !out.starts_with(&root) {
        return Err(WriteError::Unsafe(format!(
            "the output folder {} is inside the site, but a symbolic link on its way leads to {}, outside the site; Utlys does not publish through links it did not make. Remove the link, or give a folder outside the site as --output",
            plain_out.display(),
            out.display()
        )));
    }
    if root.starts_with(&out) {
        return Err(WriteError::Unsafe(format!(
            "the output folder {} is, or contains, the site folder {}; building there would replace the site's own files; choose another folder, such as public/",
            out.display(),
            root.display()
        )));
    }
    for protected in ["content", "themes", "static"] {
        let dir = root.join(protected);
        if out.starts_with(&dir) {
            return Err(WriteError::Unsafe(format!(
                "the output folder {} is inside {}; choose a folder outside the site's sources, such as public/",
                out.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Holds the publish lock for one build; released on drop.
struct Lock {
    _file: File,
}

impl Lock {
    /// Opens (or makes) the lock file and locks it. A link or anything but
    /// a plain file at its path is refused unopened.
    fn take(path: &Path, output: &Path) -> Result<Lock, WriteError> {
        let refuse = |what: &str| {
            WriteError::Unsafe(format!(
                "the lock file {} is {what}; Utlys only uses a plain file it made there, and changed nothing. Remove it and build again",
                path.display()
            ))
        };
        match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => return Err(refuse("a symbolic link")),
            Ok(m) if !m.is_file() => return Err(refuse("not a file")),
            _ => {}
        }
        let file = no_follow(File::options().create(true).truncate(false).write(true))
            .open(path)
            .map_err(|e| {
                if is_link_refused(&e) {
                    refuse("a symbolic link")
                } else {
                    io_err("cannot create the lock file", path)(e)
                }
            })?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(refuse("not a file"));
        }
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(WriteError::Locked(output.to_path_buf())),
            Err(fs::TryLockError::Error(e)) => Err(io_err("cannot lock", path)(e)),
        }
    }
}
/// An atomic publish in progress: files are written into the spare tree as
/// they are rendered (readers never see it), then [`Publisher::finish`]
/// removes what the new site no longer has and swaps the trees. Dropping a
/// publisher without finishing leaves the published site untouched.
pub struct Publisher {
    output: PathBuf,
    spare: PathBuf,
    parked: PathBuf,
    /// What the spare tree held when the build began.
    before: Contents,
    _lock: Lock,
    seen: Mutex<HashSet<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Publisher {
    /// Takes the lock and prepares the spare tree beside `output`. Refuses,
    /// changing nothing, when the output, its spare or its lock is a link,
    /// or when either tree holds anything Utlys did not make.
    pub fn begin(output: &Path) -> Result<Publisher, WriteError> {
        if output.file_name().is_none() {
            return Err(WriteError::Unsafe(format!(
                "the output folder {} has no name of its own; give a folder such as public/",
                output.display()
            )));
        }
        let Siblings {
            spare,
            lock,
            parked,
        } = siblings(output);
        // A link in any of the three places is refused before anything,
        // the lock file included, is made.
        for (path, role) in [
            (output, "the output folder"),
            (spare.as_path(), "the spare folder"),
        ] {
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                inspect(path, role)?;
            }
        }
        if fs::symlink_metadata(&lock).is_ok_and(|m| m.file_type().is_symlink()) {
            Lock::take(&lock, output)?;
        }
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        let lock = Lock::take(&lock, output)?;
        let published = inspect(output, "the output folder")?;
        let kept = inspect(&spare, "the spare folder")?;
        // Both trees are gone through at once: the spare because it is
        // written into, the output because files put there by hand would
        // be swapped out of the web server's sight.
        let stage = crate::timing::Stage::start("survey");
        let (published_contents, before) = rayon::join(
            || match published {
                TreeState::Missing => Ok(Contents::default()),
                _ => survey(output, published.manifest()),
            },
            || match kept {
                TreeState::Missing => Ok(Contents::default()),
                _ => survey(&spare, kept.manifest()),
            },
        );
        drop(stage);
        refuse_foreign("the output folder", output, &published_contents?)?;
        let before = before?;
        refuse_foreign("the spare folder", &spare, &before)?;
        if matches!(kept, TreeState::Missing) {
            fs::create_dir(&spare).map_err(io_err("cannot create", &spare))?;
        }
        // Marked as being written before the first file goes in, so that a
        // build stopped half-way leaves a tree the next build knows as its
        // own.
        let mut files = before.files.clone();
        files.sort_unstable();
        write_manifest(
            &spare,
            &Manifest {
                utlys_manifest: 1,
                complete: false,
                files,
            },
        )?;
        Ok(Publisher {
            output: output.to_path_buf(),
            spare,
            parked,
            before,
            _lock: lock,
            seen: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Removes what the new site does not have, then swaps the spare tree
    /// in. The old site becomes the next build's spare.
    pub fn finish(self) -> Result<WriteStats, WriteError> {
        let seen = self.seen.into_inner().unwrap_or_else(|e| e.into_inner());
        let removed = remove_stale(&self.spare, &self.before, &seen)?;
        let mut files: Vec<String> = seen.into_iter().collect();
        files.sort_unstable();
        write_manifest(
            &self.spare,
            &Manifest {
                utlys_manifest: 1,
                complete: true,
                files,
            },
        )?;
        swap(&self.spare, &self.output, &self.parked)?;
        Ok(WriteStats {
            written: self.written.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed,
        })
    }
}

impl Publisher {
    /// Claims `path` for one output: the file to write. Its folder is made
    /// when the file is not there yet (see [`prepare_target`]).
    fn place(&self, path: &str) -> Result<PathBuf, WriteError> {
        if !self
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string())
        {
            return Err(WriteError::Duplicate(path.to_string()));
        }
        Ok(self.spare.join(path))
    }

    fn count(&self, written: bool) {
        let counter = if written {
            &self.written
        } else {
            &self.unchanged
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl Sink for Publisher {
    fn put(&self, path: &str, data: &OutputData) -> Result<(), WriteError> {
        let target = self.place(path)?;
        self.count(write_if_changed(&self.spare, &target, data)?);
        Ok(())
    }

    fn put_stream(&self, path: &str, write: &StreamWriter<'_>) -> Result<(), WriteError> {
        let target = self.place(path)?;
        self.count(write_stream_if_changed(&self.spare, &target, write)?);
        Ok(())
    }
}

/// Publishes `outputs` to `output` atomically, in one call.
pub fn publish(output: &Path, outputs: &[Output]) -> Result<WriteStats, WriteError> {
    let publisher = Publisher::begin(output)?;
    outputs
        .par_iter()
        .try_for_each(|o| publisher.put(&o.path, &o.data))?;
    publisher.finish()
}

/// What stands at output file `path` inside `root`, if anything. When
/// nothing does, its folder is made, so that an existing file costs one
/// look-up and no look at its folder.
fn prepare_target(root: &Path, path: &Path) -> Result<Option<fs::Metadata>, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) => Ok(Some(meta)),
        Err(_) => {
            if let Some(parent) = path.parent() {
                make_dir(root, parent)?;
            }
            Ok(None)
        }
    }
}

/// Creates folder `dir` inside `root`, replacing a file of the old site that
/// stands where a folder is now needed.
fn make_dir(root: &Path, dir: &Path) -> Result<(), WriteError> {
    if dir.is_dir() {
        return Ok(());
    }
    if fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut p = dir.to_path_buf();
    while p.starts_with(root) && p != root {
        if p.is_file() || p.is_symlink() {
            fs::remove_file(&p).map_err(io_err("cannot remove", &p))?;
            break;
        }
        if !p.pop() {
            break;
        }
    }
    fs::create_dir_all(dir).map_err(io_err("cannot create", dir))
}

/// Whether a removal failed because the path is no longer there, taken
/// away with a folder (or replaced by a file) earlier in the same build.
fn gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Deletes the files of the spare tree (as found when the build began) that
/// the new site does not have, then the folders left empty by that; returns
/// how many files went. Only what Utlys wrote is there to delete, and a
/// folder is removed only when it is empty.
fn remove_stale(
    root: &Path,
    before: &Contents,
    keep: &HashSet<String>,
) -> Result<usize, WriteError> {
    let mut needed: HashSet<&str> = HashSet::new();
    for path in keep {
        let mut p = path.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if !needed.insert(p) {
                break;
            }
        }
    }
    // A file of the old site where the new one has a folder was replaced
    // by that folder already.
    let removed = before
        .files
        .par_iter()
        .filter(|rel| !keep.contains(rel.as_str()) && !needed.contains(rel.as_str()))
        .map(|rel| {
            let path = root.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => Ok(1),
                // Already gone with a folder a new file took the place of.
                Err(e) if gone(&e) => Ok(0),
                Err(e) => Err(io_err("cannot remove", &path)(e)),
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    let mut empty: Vec<&String> = before
        .dirs
        .iter()
        .filter(|d| !needed.contains(d.as_str()) && !keep.contains(d.as_str()))
        .collect();
    // Deepest first, so a folder's subfolders are gone before it.
    empty.sort_unstable_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for rel in empty {
        let path = root.join(rel);
        match fs::remove_dir(&path) {
            Ok(()) => {}
            Err(e) if gone(&e) => {}
            // Not empty: something arrived that Utlys did not write. It is
            // left where it is; the next build names it.
            Err(e) if e.kind() == io::ErrorKind::DirectoryNotEmpty => {}
            Err(e) => return Err(io_err("cannot remove", &path)(e)),
        }
    }
    Ok(removed)
}

/// Whether the file also has another name (a hard link): writing into it
/// would change that file too, so its name here is removed and a new file
/// made instead, which leaves the other untouched.
fn has_other_names(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() > 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// Writes `data` to `path` unless the file already holds exactly it.
fn write_if_changed(root: &Path, path: &Path, data: &OutputData) -> Result<bool, WriteError> {
    let bytes: std::borrow::Cow<'_, [u8]> = match data {
        OutputData::Bytes(b) => b.into(),
        OutputData::Copy(src) => fs::read(src).map_err(io_err("cannot read", src))?.into(),
    };
    match prepare_target(root, path)? {
        Some(meta) if meta.is_dir() => {
            fs::remove_dir_all(path).map_err(io_err("cannot remove", path))?;
        }
        Some(meta)
            if meta.is_file()
                && meta.len() == bytes.len() as u64
                && holds(path, &bytes).unwrap_or(false) =>
        {
            return Ok(false);
        }
        Some(meta) if has_other_names(&meta) => {
            fs::remove_file(path).map_err(io_err("cannot remove", path))?;
        }
        _ => {}
    }
    let mut file = no_follow(File::options().write(true).create(true).truncate(true))
        .open(path)
        .map_err(io_err("cannot write", path))?;
    io::Write::write_all(&mut file, &bytes).map_err(io_err("cannot write", path))?;
    Ok(true)
}

/// Writes what `write` writes to `path`, reading the file that is there as
/// it goes and writing only from the first byte that differs; whether
/// anything changed.
fn write_stream_if_changed(
    root: &Path,
    path: &Path,
    write: &StreamWriter<'_>,
) -> Result<bool, WriteError> {
    match prepare_target(root, path)? {
        Some(meta) if meta.is_dir() => {
            fs::remove_dir_all(path).map_err(io_err("cannot remove", path))?;
        }
        Some(meta) if !meta.is_file() || has_other_names(&meta) => {
            fs::remove_file(path).map_err(io_err("cannot remove", path))?;
        }
        _ => {}
    }
    let file = no_follow(
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)
    .map_err(io_err("cannot write", path))?;
    let old_len = file.metadata().map_err(io_err("cannot write", path))?.len();
    let mut rewriter = Rewriter {
        file,
        position: 0,
        old_len,
        same: true,
        scratch: Vec::new(),
    };
    {
        let mut buffered = io::BufWriter::with_capacity(256 * 1024, &mut rewriter);
        write(&mut buffered).map_err(io_err("cannot write", path))?;
        io::Write::flush(&mut buffered).map_err(io_err("cannot write", path))?;
    }
    if rewriter.same && rewriter.position == old_len {
        return Ok(false);
    }
    rewriter
        .file
        .set_len(rewriter.position)
        .map_err(io_err("cannot write", path))?;
    Ok(true)
}

/// Writes over a file in place, skipping the bytes it already holds.
struct Rewriter {
    file: fs::File,
    /// Bytes written so far.
    position: u64,
    /// The length of the file before.
    old_len: u64,
    /// Whether everything written so far was already there.
    same: bool,
    scratch: Vec<u8>,
}

impl io::Write for Rewriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        use std::io::{Read, Seek};
        if self.same && self.position + data.len() as u64 <= self.old_len {
            self.scratch.resize(data.len(), 0);
            self.file.read_exact(&mut self.scratch)?;
            if self.scratch == data {
                self.position += data.len() as u64;
                return Ok(data.len());
            }
            self.file.seek(io::SeekFrom::Start(self.position))?;
        }
        self.same = false;
        self.file.write_all(data)?;
        self.position += data.len() as u64;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether the file at `path` holds exactly `bytes`, read a piece at a time
/// so that comparing a large output costs no second copy of it in memory.
/// The piece buffer is kept per thread: a build compares thousands of
/// files, and a fresh zeroed buffer for each cost more than the comparing.
fn holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::cell::RefCell;
    use std::io::Read;
    const PIECE: usize = 256 * 1024;
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let mut file = fs::File::open(path)?;
    BUFFER.with_borrow_mut(|buffer| {
        // One byte more than expected, so a longer file is noticed in the
        // same read.
        let wanted = (bytes.len() + 1).min(PIECE);
        if buffer.len() < wanted {
            buffer.resize(wanted, 0);
        }
        let mut rest = bytes;
        loop {
            let n = file.read(&mut buffer[..wanted])?;
            if n == 0 {
                return Ok(rest.is_empty());
            }
            if n > rest.len() || buffer[..n] != rest[..n] {
                return Ok(false);
            }
            rest = &rest[n..];
        }
    })
}

/// Puts `fresh` in place of `output` in one step; the old site ends up at
/// `fresh`'s path. `parked` is used only where the file system cannot
/// exchange two folders at once.
fn swap(fresh: &Path, output: &Path, parked: &Path) -> Result<(), WriteError> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(fresh, output).map_err(io_err("cannot rename into place", output));
    }
    match exchange(fresh, output) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e) => exchange_by_renames(fresh, output, parked),
        Err(e) => Err(io_err("cannot swap in the new site at", output)(e)),
    }
}

/// Whether the file system cannot exchange two paths in one step.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS))
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == io::ErrorKind::Unsupported
    }
}

/// Exchanges two paths in one step. Neither is followed if it is a link.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the
    // call; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Two renames: the output is missing for a moment, but never half-written.
/// An old site left at `parked` by a build stopped between the renames is
/// removed first, but only when it is wholly Utlys's own.
fn exchange_by_renames(fresh: &Path, output: &Path, parked: &Path) -> Result<(), WriteError> {
    match inspect(parked, "the folder")? {
        TreeState::Missing => {}
        state => {
            refuse_foreign("the folder", parked, &survey(parked, state.manifest())?)?;
            fs::remove_dir_all(parked).map_err(io_err("cannot remove", parked))?;
        }
    }
    fs::rename(output, parked).map_err(io_err("cannot move aside", output))?;
    if let Err(e) = fs::rename(fresh, output) {
        // Put the old site back before reporting.
        fs::rename(parked, output).map_err(io_err("cannot move back", parked))?;
        return Err(io_err("cannot rename into place", output)(e));
    }
    fs::rename(parked, fresh).map_err(io_err("cannot rename", parked))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, bytes: &str) -> Output {
        Output {
            path: path.into(),
            data: OutputData::Bytes(bytes.as_bytes().to_vec()),
        }
    }

    #[test]
    fn a_file_holds_exactly_its_bytes_across_read_pieces() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big");
        // Larger than one piece read, with the difference in the second.
        let bytes: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, &bytes).unwrap());
        let mut other = bytes.clone();
        other[400_000] ^= 1;
        assert!(!holds(&path, &other).unwrap());
        assert!(!holds(&path, &bytes[..599_999]).unwrap());
        // A short expectation reads one byte past it, in a smaller piece.
        assert!(!holds(&path, &bytes[..10]).unwrap());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!holds(&path, &longer).unwrap());
    }

    #[test]
    fn a_streamed_file_is_written_only_from_where_it_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data.json");
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
        let stream = |b: &[u8]| {
            let b = b.to_vec();
            move |w: &mut dyn io::Write| {
                // In uneven pieces, as a serializer writes.
                for piece in b.chunks(1000 + 7) {
                    w.write_all(piece)?;
                }
                Ok(())
            }
        };
        // New, then the same again: nothing to write.
        assert!(write_stream_if_changed(tmp.path(), &path, &stream(&bytes)).unwrap());
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert!(!write_stream_if_changed(tmp.path(), &path, &stream(&bytes)).unwrap());
        // A byte in the middle, a shorter and a longer text.
        let mut changed = bytes.clone();
        changed[350_000] ^= 1;
        let shorter = &bytes[..500_000];
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"more");
        for next in [&changed[..], shorter, &longer[..], &bytes[..]] {
            assert!(write_stream_if_changed(tmp.path(), &path, &stream(next)).unwrap());
            assert_eq!(fs::read(&path).unwrap(), next);
        }
        // A folder where the file goes is replaced.
        let dir = tmp.path().join("was-a-folder");
        fs::create_dir_all(dir.join("inside")).unwrap();
        assert!(write_stream_if_changed(tmp.path(), &dir, &stream(b"x")).unwrap());
        assert_eq!(fs::read(&dir).unwrap(), b"x");
        // A file in a folder not made yet, and one where a file of the old
        // site stands in place of its folder.
        let deep = tmp.path().join("a/b/c.json");
        assert!(write_stream_if_changed(tmp.path(), &deep, &stream(b"y")).unwrap());
        assert_eq!(fs::read(&deep).unwrap(), b"y");
        fs::write(tmp.path().join("f"), b"old").unwrap();
        let under = tmp.path().join("f/g.json");
        assert!(write_if_changed(tmp.path(), &under, &OutputData::Bytes(b"z".to_vec())).unwrap());
        assert_eq!(fs::read(&under).unwrap(), b"z");
    }

    #[test]
    fn publishes_and_writes_only_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let s = publish(&public, &[out("index.html", "a"), out("x/index.html", "b")]).unwrap();
        assert_eq!(s.written, 2);
        assert_eq!(
            fs::read_to_string(public.join("x/index.html")).unwrap(),
            "b"
        );
        // Second build: the spare is empty, so everything is written there.
        publish(&public, &[out("index.html", "a"), out("x/index.html", "b")]).unwrap();
        // Third build: the spare now holds the first build; one file changed,
        // one is gone, one is new.
        let s = publish(&public, &[out("index.html", "A"), out("y/index.html", "c")]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 0, 1));
        assert!(!public.join("x").exists());
        assert_eq!(fs::read_to_string(public.join("index.html")).unwrap(), "A");
        // The spare lags two builds behind: the fourth build rewrites the
        // second's tree, the fifth finds the third's, identical to it.
        publish(&public, &[out("index.html", "A"), out("y/index.html", "c")]).unwrap();
        let s = publish(&public, &[out("index.html", "A"), out("y/index.html", "c")]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (0, 2, 0));
    }

    #[test]
    fn a_file_where_a_folder_is_needed_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("a", "file")]).unwrap();
        publish(&public, &[out("a", "file")]).unwrap();
        publish(&public, &[out("a/index.html", "page")]).unwrap();
        assert_eq!(
            fs::read_to_string(public.join("a/index.html")).unwrap(),
            "page"
        );
    }

    #[test]
    fn a_folder_where_a_file_is_needed_is_replaced_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let deep = [out("a/b/index.html", "x"), out("a/c.html", "y")];
        let flat = [out("a", "file"), out("z", "z")];
        for outputs in [
            &deep[..],
            &deep[..],
            &flat[..],
            &flat[..],
            &deep[..],
            &flat[..],
        ] {
            publish(&public, outputs).unwrap();
            let mut expected: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
            expected.sort_unstable();
            assert_eq!(files_in(&public), expected);
        }
    }

    /// The files of a published tree, the manifest left out.
    fn files_in(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                rel.to_str().unwrap().replace('\\', "/")
            })
            .filter(|p| p != MANIFEST)
            .collect();
        files.sort_unstable();
        files
    }

    #[test]
    fn the_manifest_lists_exactly_the_files_written() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("index.html", "a"), out("x/y.html", "b")]).unwrap();
        let manifest: Manifest =
            serde_json::from_slice(&fs::read(public.join(MANIFEST)).unwrap()).unwrap();
        assert!(manifest.complete);
        assert_eq!(manifest.files, ["index.html", "x/y.html"]);
    }

    #[test]
    fn foreign_files_and_links_in_either_tree_stop_the_build_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let spare = siblings(&public).spare;
        let site = [out("index.html", "a")];
        publish(&public, &site).unwrap();
        publish(&public, &site).unwrap();
        for tree in [&public, &spare] {
            let stray = tree.join("sub/.htaccess");
            fs::create_dir_all(stray.parent().unwrap()).unwrap();
            fs::write(&stray, "keep me").unwrap();
            let err = publish(&public, &site).unwrap_err().to_string();
            assert!(err.contains("(not written by Utlys)"), "{err}");
            assert_eq!(fs::read_to_string(&stray).unwrap(), "keep me");
            fs::remove_dir_all(stray.parent().unwrap()).unwrap();

            let precious = tmp.path().join("precious");
            fs::create_dir_all(&precious).unwrap();
            fs::write(precious.join("f"), "keep").unwrap();
            std::os::unix::fs::symlink(&precious, tree.join("index2.html")).unwrap();
            let err = publish(&public, &site).unwrap_err().to_string();
            assert!(err.contains("(a symbolic link to"), "{err}");
            assert_eq!(fs::read_to_string(precious.join("f")).unwrap(), "keep");
            fs::remove_file(tree.join("index2.html")).unwrap();
        }
        publish(&public, &site).unwrap();
    }

    #[test]
    fn a_file_with_a_second_name_elsewhere_is_replaced_not_written_into() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("a.html", "a"), out("d.json", "d")]).unwrap();
        publish(&public, &[out("a.html", "a"), out("d.json", "d")]).unwrap();
        // Hard links from outside to files of the spare, the next tree
        // written into.
        let spare = siblings(&public).spare;
        for name in ["a.html", "d.json"] {
            fs::hard_link(spare.join(name), tmp.path().join(name)).unwrap();
        }
        let stream = |w: &mut dyn io::Write| w.write_all(b"new data");
        let publisher = Publisher::begin(&public).unwrap();
        publisher
            .put("a.html", &OutputData::Bytes(b"new page".to_vec()))
            .unwrap();
        publisher.put_stream("d.json", &stream).unwrap();
        publisher.finish().unwrap();
        assert_eq!(fs::read(public.join("a.html")).unwrap(), b"new page");
        assert_eq!(fs::read(public.join("d.json")).unwrap(), b"new data");
        assert_eq!(fs::read(tmp.path().join("a.html")).unwrap(), b"a");
        assert_eq!(fs::read(tmp.path().join("d.json")).unwrap(), b"d");
    }

    #[test]
    fn a_build_stopped_half_way_leaves_a_spare_the_next_build_owns() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("index.html", "a")]).unwrap();
        publish(&public, &[out("index.html", "a")]).unwrap();
        // Begun and written into, never finished: the new file is in no
        // complete manifest.
        let publisher = Publisher::begin(&public).unwrap();
        publisher
            .put("new.html", &OutputData::Bytes(b"n".to_vec()))
            .unwrap();
        drop(publisher);
        let s = publish(&public, &[out("index.html", "b")]).unwrap();
        assert_eq!(s.removed, 1);
        assert_eq!(files_in(&public), ["index.html"]);
    }

    #[test]
    fn an_empty_folder_is_used_and_a_full_unmarked_one_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        publish(&empty, &[out("index.html", "a")]).unwrap();
        let full = tmp.path().join("full");
        fs::create_dir(&full).unwrap();
        fs::write(full.join("thesis.docx"), "mine").unwrap();
        let err = publish(&full, &[out("index.html", "a")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("holds files that Utlys did not make"), "{err}");
        assert_eq!(
            fs::read_to_string(full.join("thesis.docx")).unwrap(),
            "mine"
        );
        assert!(!siblings(&full).spare.exists());
    }

    #[test]
    fn refuses_outputs_over_the_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, tmp.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        // `..` through a folder that does not exist still names content/.
        assert!(check_output_dir(&root, &root.join("nothere/../content")).is_err());
        assert!(check_output_dir(&root, &root.join("a/b/../../..")).is_err());
    }

    #[test]
    fn a_second_build_is_refused_while_one_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let lock = siblings(&public).lock;
        let _held = Lock::take(&lock, &public).unwrap();
        assert!(matches!(
            publish(&public, &[out("a", "b")]),
            Err(WriteError::Locked(_))
        ));
    }
}
