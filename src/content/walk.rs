//! Walking `content/`: which files are pages, which are copied, and which
//! cannot be used (not UTF-8, too large, links out of the site).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::model::Asset;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::fsrule::link_problem;
use crate::msg;

/// The largest file read as a page. Larger files are refused with a clear
/// error rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// A Markdown file read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Path for messages, relative to the site root.
    pub shown: PathBuf,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// A Markdown file found by [`walk`], to be read.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// Where it is.
    pub(super) path: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub(super) rel: String,
    /// Path for messages, relative to the site root.
    pub(super) shown: PathBuf,
}

/// Whether a file is an editor's backup, swap or lock file, or hidden.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("~$")
}

/// Whether `path` is a plain relative path: no `..`, no leading `/` or `\`,
/// no drive letter, no empty parts.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with(['/', '\\'])
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != ".." && p != ".")
}

/// Lists the Markdown sources and the other files under `root/content`.
///
/// Markdown files are listed, not read: each is read where it is parsed,
/// in parallel (see [`read_source`]), which also checks its size.
pub(super) fn walk(root: &Path, diagnostics: &mut Diagnostics) -> (Vec<Found>, Vec<Asset>) {
    let mut assets = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let _stage = crate::timing::Stage::start("walk");
    let files = match walk_folder(root, "content", diagnostics) {
        Folder::Files(files) => files,
        Folder::Missing => {
            diagnostics.push(
                Diagnostic::error(
                    "content",
                    msg!("det finns ingen mapp content/", "there is no content/ folder"),
                )
                .with_code("missing-content-folder")
                .with_hint(msg!(
                    "skapa content/ med dina sidor, eller kör `utlys build --root DIR` för en webbplats i en annan mapp",
                    "create content/ with your pages, or run `utlys build --root DIR` for a site elsewhere"
                )),
            );
            return (found, assets);
        }
    };
    for file in files {
        if file.rel.ends_with(".md") {
            found.push(Found {
                path: file.path,
                rel: file.rel,
                shown: file.shown,
            });
        } else {
            assets.push(Asset {
                source: file.path,
                rel: file.rel,
                out_path: String::new(),
                size: file.size,
            });
        }
    }
    (found, assets)
}

/// A file found by [`walk_folder`].
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// Where it is (a link inside the site keeps its own path).
    pub path: PathBuf,
    /// Path relative to the folder walked, with `/` separators.
    pub rel: String,
    /// Path for messages, relative to the site root.
    pub shown: PathBuf,
    /// Size in bytes (of the file a link points to); 0 for a Markdown
    /// page, which is measured when it is read.
    pub size: u64,
}

/// What [`walk_folder`] found.
#[derive(Debug, Clone)]
pub enum Folder {
    /// There is no such folder.
    Missing,
    /// The files that may be used; problems with the others are reported.
    Files(Vec<SiteFile>),
}

/// Lists the files under `root/folder` (`content`, `static`,
/// `themes/<name>`) by the one rule every folder of the site follows, so
/// that nothing from elsewhere on the machine is read or published:
///
/// - hidden files and folders (`.git/`, `.env`) and editors' backup, swap
///   and lock files are left out;
/// - a symbolic link is followed only to a file inside the site that is
///   not hidden; a link out of the site, to a hidden file, to a folder, or
///   one that cannot be followed is an error naming the link, and what it
///   points to is never opened;
/// - the folder itself, and every folder on the way to it, must not be a
///   link either, or the walk would list files from wherever it points;
/// - a name that is not UTF-8 is an error showing its bytes.
pub fn walk_folder(root: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Folder {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = root.join(folder);
    if let Some(stop) = reach_folder(root, &real_root, folder, diagnostics) {
        return stop;
    }
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .follow_root_links(false)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                diagnostics.push(cannot_read(display_path(root, &path), &e, false));
                continue;
            }
        };
        let found = site_file(root, &real_root, &dir, &entry);
        match found {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(problem) => diagnostics.push(problem),
        }
    }
    Folder::Files(files)
}

/// Goes through each folder on the way to `folder`, `themes` before
/// `themes/default`: a linked one is judged like any other link and not
/// walked into. `Some` when the walk stops there.
fn reach_folder(
    root: &Path,
    real_root: &Path,
    folder: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Folder> {
    let mut on_the_way = PathBuf::new();
    for part in Path::new(folder).components() {
        on_the_way.push(part);
        let path = root.join(&on_the_way);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Folder::Missing),
            Err(e) => {
                diagnostics.push(cannot_read(&on_the_way, &e, true));
                return Some(Folder::Files(Vec::new()));
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                // A linked folder is never walked; the message says why
                // when the link itself is wrong, and that it is not
                // followed otherwise.
                diagnostics.push(
                    link_problem(real_root, &path, &on_the_way)
                        .filter(Diagnostic::is_error)
                        .unwrap_or_else(|| {
                            linked_folder(&on_the_way).with_hint(msg!(
                                "flytta hit mappen i stället för att länka till den",
                                "move the folder here instead of linking to it"
                            ))
                        }),
                );
                return Some(Folder::Files(Vec::new()));
            }
            Ok(meta) if !meta.is_dir() => return Some(Folder::Missing),
            Ok(_) => {}
        }
    }
    None
}

/// One entry of the walk as a site file: `None` for a folder or anything
/// that is neither a file nor a link, an error for what cannot be used.
fn site_file(
    root: &Path,
    real_root: &Path,
    dir: &Path,
    entry: &walkdir::DirEntry,
) -> Result<Option<SiteFile>, Diagnostic> {
    let path = entry.path();
    let shown = display_path(root, path);
    let Ok(rel) = path.strip_prefix(dir) else {
        return Ok(None);
    };
    let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
        let name = escaped_path(&display_path(root, path));
        return Err(Diagnostic::error(
            &shown,
            msg!(
                "filnamnet är inte giltig UTF-8: {name}",
                "the file name is not valid UTF-8: {name}"
            ),
        )
        .with_code("invalid-file-name")
        .with_hint(msg!(
            "byt namn på filen med bokstäver, siffror och bindestreck",
            "rename the file using letters, digits and hyphens"
        )));
    };
    // The listing already tells a file from a folder; the size is looked
    // up only for files that are copied, since a page is measured when it
    // is read (a look at each of 10,000 pages cost a fifth of the walk).
    let size = if entry.file_type().is_symlink() {
        if let Some(problem) = link_problem(real_root, path, &shown) {
            return Err(problem);
        }
        // Inside the site and not hidden: measured by what it points to.
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {
                if rel.ends_with(".md") {
                    0
                } else {
                    m.len()
                }
            }
            Ok(_) => {
                return Err(linked_folder(&shown).with_hint(msg!(
                    "flytta hit mappen, eller länka filerna en och en",
                    "move the folder here, or link the files one by one"
                )));
            }
            Err(e) => return Err(crate::fsrule::broken_link(&shown, &e)),
        }
    } else if !entry.file_type().is_file() {
        return Ok(None);
    } else if rel.ends_with(".md") {
        0
    } else {
        entry
            .metadata()
            .map(|m| m.len())
            .map_err(|e| cannot_read(&shown, &e, false))?
    };
    Ok(Some(SiteFile {
        path: path.to_path_buf(),
        rel,
        shown,
        size,
    }))
}

/// A file (a folder when `folder`) that cannot be read, with the system's
/// reason.
fn cannot_read(shown: impl Into<PathBuf>, e: &dyn std::fmt::Display, folder: bool) -> Diagnostic {
    let hint = if folder {
        msg!(
            "kontrollera mappens behörigheter",
            "check the folder's permissions"
        )
    } else {
        msg!(
            "kontrollera filens behörigheter",
            "check the file's permissions"
        )
    };
    Diagnostic::error(shown, msg!("kan inte läsas: {e}", "cannot read: {e}"))
        .with_code("unreadable")
        .with_hint(hint)
}

/// A symbolic link to a folder, which no walk follows; the caller adds
/// the hint that fits where it is.
fn linked_folder(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        msg!(
            "en symbolisk länk till en mapp följs inte",
            "a symbolic link to a folder is not followed"
        ),
    )
    .with_code("linked-folder")
}

/// `path` with every byte that is not UTF-8 written as `\xFF`. The usual
/// display turns each such byte into `�`, which cannot be typed and makes
/// `a\xFF.md` and `a\xFE.md` look the same.
fn escaped_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Reads one Markdown file: size and UTF-8 checked, BOM removed, line ends
/// made plain.
pub(super) fn read_source(path: &Path, rel: String, shown: PathBuf) -> Result<Source, Diagnostic> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| cannot_read(&shown, &e, false);
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    // The size of what was opened, so a link is measured by its target.
    let size = file.metadata().map_err(cannot_read)?.len();
    let too_large = |size: u64| {
        // In MiB, rounded up, so a file just over the limit is not shown
        // as the limit itself.
        let mib = |bytes: u64| bytes.div_ceil(1 << 20);
        let (size, limit) = (mib(size), mib(MAX_FILE_BYTES));
        Diagnostic::error(
            &shown,
            msg!(
                "filen är {size} MB; en sida får vara högst {limit} MB",
                "the file is {size} MB; pages may be at most {limit} MB"
            ),
        )
        .with_code("file-too-large")
        .with_hint(msg!(
            "dela upp texten på flera sidor, eller länka till ett dokument i stället",
            "split the text into several pages, or link to a document instead"
        ))
    };
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    // At most one byte past the limit: a file that grew since is still
    // refused without being read whole.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            // Windows line ends become plain ones here, once, so no output
            // carries a stray CR. Lines and columns of messages stay the same.
            if text.contains('\r') {
                text = text.replace("\r\n", "\n");
            }
            Ok(Source { rel, shown, text })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            Err(Diagnostic::error(
                &shown,
                msg!("filen är inte giltig UTF-8", "the file is not valid UTF-8"),
            )
            .with_code("not-utf8")
            .with_hint(msg!(
                "spara den som UTF-8 (i Word eller Anteckningar: Spara som… → Kodning UTF-8)",
                "save it as UTF-8 (in Word or Notepad: Save as… → Encoding UTF-8)"
            ))
            .at_offset(&prefix, prefix.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_only() {
        assert!(is_plain_relative("a.pdf"));
        assert!(is_plain_relative("bilagor/a.pdf"));
        assert!(!is_plain_relative("../a.pdf"));
        assert!(!is_plain_relative("/etc/passwd"));
        assert!(!is_plain_relative("C:\\x.pdf"));
        assert!(!is_plain_relative("C:/x.pdf"));
        assert!(!is_plain_relative("a//b"));
    }

    /// Regression (hostile site: a Latin-1 file name): the error showed the
    /// name with `�`, so two such files could not be told apart.
    #[cfg(unix)]
    #[test]
    fn non_utf8_file_names_are_shown_with_escapes() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"content/caf\xe9-\xff.md"));
        assert_eq!(escaped_path(path), "content/caf\\xE9-\\xFF.md");
        assert_eq!(escaped_path(Path::new("content/å.md")), "content/å.md");
    }

    #[test]
    fn editor_files_are_ignored() {
        assert!(is_ignored_name(".klimat.md.swp"));
        assert!(is_ignored_name("klimat.md~"));
        assert!(is_ignored_name("#klimat.md#"));
        assert!(!is_ignored_name("klimat.md"));
    }
}
