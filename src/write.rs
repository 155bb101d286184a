//! Atomic publishing.
//!
//! The site is written into a spare tree beside the output folder, then the
//! two are swapped with one atomic rename, so a reader sees the old site or
//! the new one and never a mix, and a failed or killed build leaves the
//! published folder as it was. The old site stays behind as the next build's
//! spare: bringing it up to date file by file is far cheaper than deleting
//! and recreating thousands of files on every build.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::render::{Output, OutputData};

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

/// A publishing failure, with the path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An I/O operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The output folder would overwrite the site's sources.
    #[error("{0}")]
    Unsafe(String),
    /// Two outputs have one path.
    #[error(
        "two files would be written to /{0}; a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"
    )]
    Duplicate(String),
    /// Another build holds the lock.
    #[error("another build is publishing to {0} right now; wait for it to finish")]
    Locked(PathBuf),
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The spare tree and lock file beside `output`.
fn siblings(output: &Path) -> (PathBuf, PathBuf) {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output.parent().unwrap_or(Path::new("."));
    (
        parent.join(format!(".{name}.utlys-spare")),
        parent.join(format!(".{name}.utlys-lock")),
    )
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
            other => resolved.push(other),
        }
    }
    Ok(resolved.canonicalize().unwrap_or(resolved))
}

/// Refuses an output folder that is, or contains, the site root, or that is
/// inside `content/`, `themes/` or `static/`.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), WriteError> {
    let root = absolute(root).map_err(io_err("cannot resolve", root))?;
    let out = absolute(output).map_err(io_err("cannot resolve", output))?;
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
    fn take(path: &Path, output: &Path) -> Result<Lock, WriteError> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io_err("cannot create the lock file", path))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(WriteError::Locked(output.to_path_buf())),
            Err(fs::TryLockError::Error(e)) => Err(io_err("cannot lock", path)(e)),
        }
    }
}

/// Where rendered files go: the publisher's spare tree, or a collection in
/// memory (for `check` and tests). Called from many threads at once.
pub trait Sink: Sync {
    /// Stores one output file. Two files with one path are an error.
    fn put(&self, path: &str, data: &OutputData) -> Result<(), WriteError>;

    /// [`Sink::put`] for bytes the caller no longer needs: a sink that keeps
    /// them takes them without a copy.
    fn put_owned(&self, path: &str, data: OutputData) -> Result<(), WriteError> {
        self.put(path, &data)
    }

    /// Stores one output file that `write` writes piece by piece, so a
    /// large one need not be held in memory whole where the sink can avoid
    /// it. By default the pieces are gathered and [`Sink::put`].
    fn put_stream(&self, path: &str, write: &StreamWriter<'_>) -> Result<(), WriteError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(io_err("cannot render", Path::new(path)))?;
        self.put_owned(path, OutputData::Bytes(bytes))
    }
}

/// Writes one output's bytes to the writer given.
pub type StreamWriter<'a> = dyn Fn(&mut dyn io::Write) -> io::Result<()> + Sync + 'a;

/// Keeps outputs in memory.
#[derive(Debug, Default)]
pub struct Collect(Mutex<(Vec<Output>, HashSet<String>)>);

impl Collect {
    /// The outputs, sorted by path.
    pub fn into_sorted(self) -> Vec<Output> {
        let (mut v, _) = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, data: &OutputData) -> Result<(), WriteError> {
        self.put_owned(path, data.clone())
    }

    fn put_owned(&self, path: &str, data: OutputData) -> Result<(), WriteError> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (outputs, seen) = &mut *guard;
        if !seen.insert(path.to_string()) {
            return Err(WriteError::Duplicate(path.to_string()));
        }
        outputs.push(Output {
            path: path.to_string(),
            data,
        });
        Ok(())
    }
}

/// Throws outputs away, noting only their paths so that two outputs with
/// one path are still reported: for checking a site without writing.
#[derive(Debug, Default)]
pub struct Discard(Mutex<HashSet<String>>);

impl Sink for Discard {
    fn put(&self, path: &str, _data: &OutputData) -> Result<(), WriteError> {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.insert(path.to_string()) {
            Ok(())
        } else {
            Err(WriteError::Duplicate(path.to_string()))
        }
    }

    /// A streamed output is made from what the pages already showed, so
    /// making it finds nothing new: only its path is noted.
    fn put_stream(&self, path: &str, _write: &StreamWriter<'_>) -> Result<(), WriteError> {
        self.put(path, &OutputData::Bytes(Vec::new()))
    }
}

/// An atomic publish in progress: files are written into the spare tree as
/// they are rendered (readers never see it), then [`Publisher::finish`]
/// removes what the new site no longer has and swaps the trees. Dropping a
/// publisher without finishing leaves the published site untouched.
pub struct Publisher {
    output: PathBuf,
    spare: PathBuf,
    _lock: Lock,
    seen: Mutex<HashSet<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Publisher {
    /// Takes the lock and prepares the spare tree beside `output`.
    pub fn begin(output: &Path) -> Result<Publisher, WriteError> {
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        let (spare, lock_path) = siblings(output);
        let lock = Lock::take(&lock_path, output)?;
        if output.exists() && !output.is_dir() {
            return Err(WriteError::Unsafe(format!(
                "{} exists and is not a folder; move it away or choose another output folder",
                output.display()
            )));
        }
        if spare.exists() && !spare.is_dir() {
            fs::remove_file(&spare).map_err(io_err("cannot remove", &spare))?;
        }
        fs::create_dir_all(&spare).map_err(io_err("cannot create", &spare))?;
        Ok(Publisher {
            output: output.to_path_buf(),
            spare,
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
        let removed = remove_stale(&self.spare, &seen)?;
        swap(&self.spare, &self.output)?;
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

/// Deletes every file under `dir` whose path is not in `keep`, and every
/// folder no kept file is in; returns how many files went.
fn remove_stale(dir: &Path, keep: &HashSet<String>) -> Result<usize, WriteError> {
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
    remove_stale_in(dir, dir, keep, &needed)
}

/// [`remove_stale`] for folder `dir` inside `root`; its subfolders are gone
/// through in parallel, since a large site has thousands.
fn remove_stale_in(
    root: &Path,
    dir: &Path,
    keep: &HashSet<String>,
    needed: &HashSet<&str>,
) -> Result<usize, WriteError> {
    let cannot_list = |e: io::Error| WriteError::Io {
        action: "cannot list",
        path: dir.to_path_buf(),
        source: e,
    };
    let entries = fs::read_dir(dir)
        .and_then(|list| list.collect::<io::Result<Vec<_>>>())
        .map_err(cannot_list)?;
    entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            let Some(rel) = path
                .strip_prefix(root)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace('\\', "/"))
            else {
                return Ok(0);
            };
            let is_dir = entry.file_type().map_err(cannot_list)?.is_dir();
            if !is_dir {
                if keep.contains(&rel) {
                    return Ok(0);
                }
                fs::remove_file(&path).map_err(io_err("cannot remove", &path))?;
                return Ok(1);
            }
            if needed.contains(rel.as_str()) {
                return remove_stale_in(root, &path, keep, needed);
            }
            // Nothing of the new site is in here: the whole folder goes.
            let files = walkdir::WalkDir::new(&path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .count();
            fs::remove_dir_all(&path).map_err(io_err("cannot remove", &path))?;
            Ok(files)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
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
        _ => {}
    }
    fs::write(path, &bytes).map_err(io_err("cannot write", path))?;
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
        Some(meta) if !meta.is_file() => {
            fs::remove_file(path).map_err(io_err("cannot remove", path))?;
        }
        _ => {}
    }
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
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
/// `fresh`'s path.
fn swap(fresh: &Path, output: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return fs::rename(fresh, output).map_err(io_err("cannot rename into place", output));
    }
    exchange(fresh, output).map_err(io_err("cannot swap in the new site at", output))
}

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
        let err = io::Error::last_os_error();
        // File systems without RENAME_EXCHANGE: fall back to two renames.
        if matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return exchange_by_renames(
                Path::new(std::ffi::OsStr::from_bytes(a.as_bytes())),
                Path::new(std::ffi::OsStr::from_bytes(b.as_bytes())),
            );
        }
        Err(err)
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    exchange_by_renames(a, b)
}

/// Two renames: the output is missing for a moment, but never half-written.
fn exchange_by_renames(fresh: &Path, output: &Path) -> io::Result<()> {
    let parked = fresh.with_extension("old");
    if parked.exists() {
        fs::remove_dir_all(&parked)?;
    }
    fs::rename(output, &parked)?;
    if let Err(e) = fs::rename(fresh, output) {
        // Put the old site back before reporting.
        fs::rename(&parked, output)?;
        return Err(e);
    }
    fs::rename(&parked, fresh)
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
    fn discarding_a_streamed_output_notes_its_path_without_making_it() {
        use std::sync::atomic::AtomicBool;
        let sink = Discard::default();
        let made = AtomicBool::new(false);
        let write = |_: &mut dyn io::Write| -> io::Result<()> {
            made.store(true, Ordering::Relaxed);
            Ok(())
        };
        sink.put_stream("api/x.json", &write).unwrap();
        assert!(!made.load(Ordering::Relaxed));
        assert!(matches!(
            sink.put("api/x.json", &OutputData::Bytes(Vec::new())),
            Err(WriteError::Duplicate(_))
        ));
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
        let (_, lock) = siblings(&public);
        let _held = Lock::take(&lock, &public).unwrap();
        assert!(matches!(
            publish(&public, &[out("a", "b")]),
            Err(WriteError::Locked(_))
        ));
    }
}
