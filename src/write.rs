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

/// Publishes `outputs` to `output` atomically. Every output must already be
/// rendered: nothing here can fail half-way in a way readers see.
pub fn publish(output: &Path, outputs: &[Output]) -> Result<WriteStats, WriteError> {
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
    }
    let (spare, lock_path) = siblings(output);
    let _lock = Lock::take(&lock_path, output)?;
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
    let stats = sync_tree(&spare, outputs)?;
    swap(&spare, output)?;
    Ok(stats)
}

/// Makes the tree at `dir` hold exactly `outputs`, writing only what differs.
fn sync_tree(dir: &Path, outputs: &[Output]) -> Result<WriteStats, WriteError> {
    let wanted: HashSet<PathBuf> = outputs.iter().map(|o| dir.join(&o.path)).collect();
    let mut wanted_dirs: HashSet<PathBuf> = HashSet::new();
    for path in &wanted {
        let mut p = path.parent();
        while let Some(d) = p {
            if d == dir || !wanted_dirs.insert(d.to_path_buf()) {
                break;
            }
            p = d.parent();
        }
    }

    // Remove what the new site does not have (and anything in the way of a
    // folder or file it needs), deepest first.
    let mut removed = 0;
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| WriteError::Io {
            action: "cannot list",
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        let path = entry.path();
        let is_dir = entry.file_type().is_dir();
        let keep = if is_dir {
            wanted_dirs.contains(path)
        } else {
            wanted.contains(path)
        };
        if !keep {
            stale.push((path.to_path_buf(), is_dir));
        }
    }
    for (path, is_dir) in stale {
        if is_dir {
            fs::remove_dir_all(&path).map_err(io_err("cannot remove", &path))?;
        } else {
            fs::remove_file(&path).map_err(io_err("cannot remove", &path))?;
            removed += 1;
        }
    }

    let mut dirs: Vec<&PathBuf> = wanted_dirs.iter().collect();
    dirs.sort();
    for d in dirs {
        fs::create_dir_all(d).map_err(io_err("cannot create", d))?;
    }

    let results: Vec<Result<bool, WriteError>> = outputs
        .par_iter()
        .map(|o| write_if_changed(&dir.join(&o.path), &o.data))
        .collect();
    let mut stats = WriteStats {
        removed,
        ..WriteStats::default()
    };
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    Ok(stats)
}

/// Writes `data` to `path` unless the file already holds exactly it.
fn write_if_changed(path: &Path, data: &OutputData) -> Result<bool, WriteError> {
    let bytes: std::borrow::Cow<'_, [u8]> = match data {
        OutputData::Bytes(b) => b.into(),
        OutputData::Copy(src) => fs::read(src).map_err(io_err("cannot read", src))?.into(),
    };
    if let Ok(meta) = fs::metadata(path)
        && meta.len() == bytes.len() as u64
        && fs::read(path).is_ok_and(|old| old == *bytes)
    {
        return Ok(false);
    }
    fs::write(path, &bytes).map_err(io_err("cannot write", path))?;
    Ok(true)
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
