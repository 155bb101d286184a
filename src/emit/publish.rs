//! Atomic publishing.
//!
//! The site is written into a spare tree beside the output folder, then the
//! two are swapped with one atomic rename, so a reader sees the old site or
//! the new one and never a mix, and a failed or killed build leaves the
//! published folder as it was. The old site stays behind as the next build's
//! spare: bringing it up to date file by file is far cheaper than deleting
//! and recreating thousands of files on every build.
//!
//! Publishing never touches what it did not make. A manifest beside the
//! output folder (`.public.utlys-manifest`, see [`super::manifest`]) records,
//! for each of the two trees, the files Utlys wrote there with a hash of
//! each; a folder the manifest does not name is used only when it is empty,
//! or when every file in it is one the manifest lists with exactly the
//! recorded bytes (a copy of a tree, or a tree on a platform without folder
//! identities). Before anything is written, both trees are gone through
//! without following links: a symbolic link, or a file the record does not
//! list, stops the build with a message naming it, so nothing is deleted,
//! moved or written through a link. The output folder, its spare, its lock
//! and its manifest may not be links themselves.
//!
//! The record is also what makes a repeat build cheap: a file whose hash
//! and place on disk (inode, times, size) are as recorded is known to be
//! right without being read back; anything the record cannot vouch for is
//! compared with the new bytes as before.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::manifest::{self, BLOCK, Digest, FileRecord, Hashing, Known, TreeId, TreeRecord};
use super::{Action, Output, OutputData, Sink, StreamWriter, WriteError, io_err};
use crate::diagnostics::Msg;
use crate::msg;

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
    /// The manifest of the trees.
    manifest: PathBuf,
    /// Where the next manifest is written before it is renamed into place.
    manifest_new: PathBuf,
    /// What the layers above keep of the published site between builds.
    history: PathBuf,
    /// Where the next history is written before it is renamed into place.
    history_new: PathBuf,
}

/// The spare tree, lock file, parking place and manifest beside `output`.
fn siblings(output: &Path) -> Siblings {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output.parent().unwrap_or(Path::new("."));
    Siblings {
        spare: parent.join(format!(".{name}.utlys-spare")),
        lock: parent.join(format!(".{name}.utlys-lock")),
        parked: parent.join(format!(".{name}.utlys-old")),
        manifest: parent.join(format!(".{name}{MANIFEST_SUFFIX}")),
        manifest_new: parent.join(format!(".{name}{MANIFEST_SUFFIX}.new")),
        history: parent.join(format!(".{name}{HISTORY_SUFFIX}")),
        history_new: parent.join(format!(".{name}{HISTORY_SUFFIX}.new")),
    }
}

/// The end of the name of the history kept beside the output folder: for
/// `public/` it is `.public.utlys-history`. Like the manifest it is never
/// inside a tree, so it is never published.
pub const HISTORY_SUFFIX: &str = ".utlys-history";

/// The history kept beside `output` by the last build that published
/// there: its bytes, or `None` when there is none. Reads without following
/// a link: a link in its place is refused, as for the manifest.
pub fn read_history(output: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    let path = siblings(output).history;
    match read_no_follow(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if is_link_refused(&e) => Err(link_refused(Kept::History, &path)),
        Err(e) => Err(io_err(Action::READ, &path)(e)),
    }
}

/// The refusal of a link where Utlys keeps a file of its own.
fn link_refused(what: Kept, path: &Path) -> WriteError {
    let path = path.display();
    let (sv, en) = match what {
        Kept::Manifest => ("manifestfilen", "the manifest file"),
        Kept::History => ("historikfilen", "the history file"),
    };
    WriteError::Unsafe(msg!(
        "{sv} {path} är en symbolisk länk; Utlys använder bara en vanlig fil som den själv har gjort där, och ändrade ingenting. Ta bort den och bygg igen",
        "{en} {path} is a symbolic link; Utlys only uses a plain file it made there, and changed nothing. Remove it and build again"
    ))
}

/// The files Utlys keeps beside the output folder.
#[derive(Debug, Clone, Copy)]
enum Kept {
    /// What it wrote in each tree ([`manifest`]).
    Manifest,
    /// The times it last published ([`crate::history`]).
    History,
}

/// The end of the manifest's name beside the output folder: the manifest
/// of `public/` is `.public.utlys-manifest`.
pub const MANIFEST_SUFFIX: &str = ".utlys-manifest";

/// The manifest that older versions of Utlys kept inside each tree, where
/// it was published with the site. A tree that holds one is Utlys's own;
/// the file is removed from it when the tree is next written into.
pub const OLD_MANIFEST: &str = ".utlys-manifest";

/// What an [`OLD_MANIFEST`] says (format 1).
#[derive(Debug, Default, serde::Deserialize)]
struct OldManifest {
    /// The manifest's format; 1.
    utlys_manifest: u32,
    /// False while a build was writing into the tree.
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
    /// A folder Utlys made, with what the manifest (or an old manifest
    /// inside it) records of it.
    Owned(TreeRecord),
    /// A folder with contents that no record names: used only if each of
    /// its files is one a record lists, with the recorded bytes.
    Unproven,
}

/// A tree's path looked at: what stands there, the folder's identity, and
/// whether it holds an [`OLD_MANIFEST`].
struct Inspected {
    state: TreeState,
    id: Option<TreeId>,
    old_manifest: bool,
}

/// Looks at the folder `dir` without following a link, and refuses
/// anything that Utlys may not write into: a link, a file, or a folder with
/// contents that no record names when there is no record to check it
/// against. The record that names it is taken out of `records`. `role`
/// says what the folder is for.
fn inspect(dir: &Path, role: Role, records: &mut Vec<TreeRecord>) -> Result<Inspected, WriteError> {
    let (role_sv, role_en) = role.names();
    let shown = dir.display();
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Inspected {
                state: TreeState::Missing,
                id: None,
                old_manifest: false,
            });
        }
        Err(e) => return Err(io_err(Action::LOOK_AT, dir)(e)),
    };
    if meta.file_type().is_symlink() {
        let target = fs::read_link(dir).ok();
        let target = target.as_ref().map(|t| t.display());
        let (to_sv, to_en) = match &target {
            Some(t) => (format!(" (till {t})"), format!(" (to {t})")),
            None => (String::new(), String::new()),
        };
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let absolute = absolute.display();
        return Err(WriteError::Unsafe(msg!(
            "{role_sv} {shown} är en symbolisk länk{to_sv}; Utlys publicerar genom att byta in en hel ny mapp och arbetar aldrig genom en länk, så ingenting ändrades. Ta bort länken och bygg igen; för att publicera i en webbservers mapp, gör i stället den mappen till en länk till utmappen (ln -sfn {absolute} /var/www/portal) eller ange webbserverns mapp själv som --output",
            "{role_en} {shown} is a symbolic link{to_en}; Utlys publishes by swapping in a whole new folder and never works through a link, so nothing was changed. Remove the link and build again; to publish into a web server's folder, make that folder a link to the output instead (ln -sfn {absolute} /var/www/portal) or give the web server's folder itself as --output"
        )));
    }
    if !meta.is_dir() {
        return Err(WriteError::Unsafe(msg!(
            "{role_sv} {shown} finns och är ingen mapp; Utlys har inte gjort den och låter den vara. Flytta undan den, eller välj en annan utmapp",
            "{role_en} {shown} exists and is not a folder; Utlys did not make it and leaves it alone. Move it away, or choose another output folder"
        )));
    }
    let id = manifest::tree_id(&meta);
    let old = read_old_manifest(dir, role)?;
    let old_manifest = old.is_some();
    let state = if let Some(i) = records.iter().position(|r| r.is_of(id)) {
        TreeState::Owned(records.swap_remove(i))
    } else if let Some(old) = old {
        TreeState::Owned(TreeRecord {
            id,
            complete: old.complete,
            files: old.files.into_iter().map(|f| FileRecord(f, None)).collect(),
        })
    } else if is_empty(dir)? {
        TreeState::Empty
    } else if records
        .iter()
        .any(|r| r.files.iter().any(|f| f.1.is_some()))
    {
        TreeState::Unproven
    } else {
        return Err(WriteError::Unsafe(msg!(
            "{role_sv} {shown} innehåller filer som Utlys inte har gjort (manifestet bredvid den känner inte till den); att publicera där skulle ersätta dem, så ingenting ändrades. Välj en ny eller tom mapp, eller flytta undan filerna",
            "{role_en} {shown} holds files that Utlys did not make (the manifest beside it has no record of it); publishing there would replace them, so nothing was changed. Choose a new or empty folder, or move these files away"
        )));
    };
    Ok(Inspected {
        state,
        id,
        old_manifest,
    })
}

/// Whether folder `dir` has nothing in it.
fn is_empty(dir: &Path) -> Result<bool, WriteError> {
    let mut entries = fs::read_dir(dir).map_err(io_err(Action::LIST, dir))?;
    Ok(entries.next().is_none())
}

/// The [`OLD_MANIFEST`] inside `dir`, if there is one. One that cannot be
/// read stops the build: it may be someone's file of that name.
fn read_old_manifest(dir: &Path, role: Role) -> Result<Option<OldManifest>, WriteError> {
    let (role_sv, role_en) = role.names();
    let shown = dir.display();
    let path = dir.join(OLD_MANIFEST);
    match read_no_follow(&path) {
        Ok(bytes) => serde_json::from_slice::<OldManifest>(&bytes)
            .ok()
            .filter(|m| m.utlys_manifest == 1)
            .map(Some)
            .ok_or_else(|| {
                WriteError::Unsafe(msg!(
                    "{role_sv} {shown}: filen {OLD_MANIFEST} i den är inget manifest som en äldre Utlys skrev, så Utlys kan inte avgöra vilka filer den gjorde där; ingenting ändrades. Flytta undan mappen (eller ta bort den om du inte behöver den längre) och bygg igen",
                    "{role_en} {shown}: the file {OLD_MANIFEST} in it is not a manifest an older Utlys wrote, so Utlys cannot tell which files it made there; nothing was changed. Move the folder away (or delete it if you no longer need it) and build again"
                ))
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(WriteError::Unsafe(msg!(
            "{role_sv} {shown}: dess {OLD_MANIFEST} går inte att öppna ({e}); det kan vara en länk. Ingenting ändrades; flytta undan mappen och bygg igen",
            "{role_en} {shown}: its {OLD_MANIFEST} cannot be opened ({e}); it may be a link. Nothing was changed; move the folder away and build again"
        ))),
    }
}

/// Reads a file, refusing a symbolic link in its last part.
pub(super) fn read_no_follow(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = no_follow(File::options().read(true)).open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The hash of the file at `path`, read a piece at a time, refusing a
/// symbolic link in its last part.
fn digest_file(path: &Path) -> io::Result<Digest> {
    use std::io::Read;
    let mut file = no_follow(File::options().read(true)).open(path)?;
    let mut hashing = Hashing::default();
    let mut buffer = vec![0; BLOCK];
    loop {
        match file.read(&mut buffer)? {
            0 => return Ok(hashing.digest()),
            n => hashing.update(&buffer[..n]),
        }
    }
}

/// Open options that refuse a symbolic link in the last part of the path
/// (and do not wait on a named pipe), where the platform allows it.
pub(super) fn no_follow(options: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options
}

/// Whether opening failed because the path is a symbolic link that
/// [`no_follow`] refused.
pub(super) fn is_link_refused(e: &io::Error) -> bool {
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
    foreign: Vec<Msg>,
    /// The files shown by their bytes to be ones Utlys wrote (a tree no
    /// record names), with what is now known of each.
    verified: Vec<FileRecord>,
}

impl Contents {
    fn merge(mut self, other: Contents) -> Contents {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.foreign.extend(other.foreign);
        self.verified.extend(other.verified);
        self
    }
}

/// Which files a surveyed tree may hold.
enum Allowed<'a> {
    /// Any file: the tree was left half-written by a build.
    Any,
    /// Only these.
    Listed(HashSet<&'a str>),
    /// Only files listed here whose bytes hash to one of the given hashes.
    ByContent(HashMap<&'a str, Vec<Digest>>),
}

impl<'a> Allowed<'a> {
    /// What a tree in `state` may hold; `others` are the records a tree no
    /// record names is checked against.
    fn of(state: &'a TreeState, others: &'a [TreeRecord]) -> Allowed<'a> {
        match state {
            TreeState::Owned(r) if r.complete => {
                Allowed::Listed(r.files.iter().map(|f| f.0.as_str()).collect())
            }
            TreeState::Unproven => {
                let mut by_path: HashMap<&str, Vec<Digest>> = HashMap::new();
                for FileRecord(path, known) in others.iter().flat_map(|r| &r.files) {
                    if let Some(k) = known {
                        by_path.entry(path.as_str()).or_default().push(k.digest);
                    }
                }
                Allowed::ByContent(by_path)
            }
            _ => Allowed::Any,
        }
    }
}

/// Goes through the tree at `dir` (unless it is missing) without following
/// links and lists what is in it. A link, a device or pipe, a name that is
/// not UTF-8, and a file `allowed` does not allow are foreign.
fn survey(dir: &Path, state: &TreeState, others: &[TreeRecord]) -> Result<Contents, WriteError> {
    if matches!(state, TreeState::Missing) {
        return Ok(Contents::default());
    }
    survey_in(dir, "", &Allowed::of(state, others))
}

/// [`survey`] for folder `dir`, at `rel` inside its tree (`""` for the
/// tree itself): its files one after another, its subfolders in parallel.
fn survey_in(dir: &Path, rel: &str, allowed: &Allowed<'_>) -> Result<Contents, WriteError> {
    let entries = fs::read_dir(dir)
        .and_then(|list| list.collect::<io::Result<Vec<_>>>())
        .map_err(io_err(Action::LIST, dir))?;
    let mut found = Contents::default();
    let mut folders = Vec::new();
    for entry in entries {
        let kind = entry
            .file_type()
            .map_err(|e| io_err(Action::LOOK_AT, &entry.path())(e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            let path = entry.path();
            let path = path.display();
            found.foreign.push(msg!(
                "{path} (ett namn som inte är UTF-8)",
                "{path} (a name that is not UTF-8)"
            ));
            continue;
        };
        let rel = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        if kind.is_dir() {
            folders.push((entry.path(), rel));
        } else if kind.is_symlink() {
            let path = entry.path();
            let target = fs::read_link(&path).ok();
            let (to_sv, to_en) = match target.as_ref().map(|t| t.display()) {
                Some(t) => (format!(" till {t}"), format!(" to {t}")),
                None => (String::new(), String::new()),
            };
            let path = path.display();
            found.foreign.push(msg!(
                "{path} (en symbolisk länk{to_sv})",
                "{path} (a symbolic link{to_en})"
            ));
        } else if !kind.is_file() {
            let path = entry.path();
            let path = path.display();
            found.foreign.push(msg!(
                "{path} (varken en fil eller en mapp)",
                "{path} (neither a file nor a folder)"
            ));
        } else if rel == OLD_MANIFEST {
            // An older version's manifest, read already; removed when
            // the tree is written into.
        } else {
            survey_file(&entry, rel, allowed, &mut found)?;
        }
    }
    let inner = folders
        .par_iter()
        .map(|(path, rel)| {
            let mut inner = survey_in(path, rel, allowed)?;
            inner.dirs.push(rel.clone());
            Ok(inner)
        })
        .try_reduce(Contents::default, |a, b| Ok(a.merge(b)))?;
    Ok(found.merge(inner))
}

/// Sorts the plain file `entry` (`rel` inside its tree) into `found`.
fn survey_file(
    entry: &fs::DirEntry,
    rel: String,
    allowed: &Allowed<'_>,
    found: &mut Contents,
) -> Result<(), WriteError> {
    let ok = match allowed {
        Allowed::Any => true,
        Allowed::Listed(listed) => listed.contains(rel.as_str()),
        Allowed::ByContent(by_path) => match by_path.get(rel.as_str()) {
            None => false,
            Some(digests) => {
                let path = &entry.path();
                // The metadata before the bytes: a change in between makes
                // the record disagree with the file, so it is compared.
                let meta = fs::symlink_metadata(path).map_err(io_err(Action::LOOK_AT, path))?;
                let digest = digest_file(path).map_err(io_err(Action::READ, path))?;
                let ok = digests.contains(&digest);
                if ok {
                    let known = Known {
                        digest,
                        size: meta.len(),
                        stamp: manifest::stamp(&meta),
                        blocks: Vec::new(),
                    };
                    found.verified.push(FileRecord(rel.clone(), Some(known)));
                }
                ok
            }
        },
    };
    if ok {
        found.files.push(rel);
    } else {
        let path = entry.path();
        let path = path.display();
        found.foreign.push(msg!(
            "{path} (inte skriven av Utlys)",
            "{path} (not written by Utlys)"
        ));
    }
    Ok(())
}

/// Which folder a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The folder the site is published in.
    Output,
    /// The spare tree beside it.
    Spare,
    /// A folder left parked by a stopped swap.
    Parked,
}

impl Role {
    /// The folder in words, in Swedish and in English.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Role::Output => ("utmappen", "the output folder"),
            Role::Spare => ("reservmappen", "the spare folder"),
            Role::Parked => ("mappen", "the folder"),
        }
    }
}

/// Refuses a tree that holds anything Utlys did not make.
fn refuse_foreign(role: Role, dir: &Path, contents: &Contents) -> Result<(), WriteError> {
    if contents.foreign.is_empty() {
        return Ok(());
    }
    let mut shown: Vec<&Msg> = contents.foreign.iter().collect();
    shown.sort_by(|a, b| a.en.cmp(&b.en));
    let more = shown.len().saturating_sub(5);
    let list = |text: fn(&Msg) -> &str| {
        shown
            .iter()
            .take(5)
            .map(|m| text(m))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (mut list_sv, mut list_en) = (list(|m| &m.sv), list(|m| &m.en));
    if more > 0 {
        list_sv.push_str(&format!(" och {more} till"));
        list_en.push_str(&format!(" and {more} more"));
    }
    let ((role_sv, role_en), dir) = (role.names(), dir.display());
    Err(WriteError::Unsafe(msg!(
        "{role_sv} {dir} innehåller sådant som Utlys inte har gjort: {list_sv}. Att publicera ersätter hela mappen, så det skulle flyttas eller tas bort; ingenting ändrades. Flytta ut det ur mappen (en fil som webbplatsen behöver hör hemma i static/) och bygg sedan igen",
        "{role_en} {dir} holds what Utlys did not make: {list_en}. Publishing replaces the whole folder, so these would be moved or deleted; nothing was changed. Move them out of the folder (a file the site needs belongs in static/), then build again"
    )))
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
        inspect(output, Role::Output, &mut Vec::new())?;
    }
    let plain_root = lexical(root).map_err(io_err(Action::RESOLVE, root))?;
    let plain_out = lexical(output).map_err(io_err(Action::RESOLVE, output))?;
    let root = absolute(root).map_err(io_err(Action::RESOLVE, root))?;
    let out = absolute(output).map_err(io_err(Action::RESOLVE, output))?;
    if plain_out.starts_with(&plain_root) && !out.starts_with(&root) {
        let (plain, out) = (plain_out.display(), out.display());
        return Err(WriteError::Unsafe(msg!(
            "utmappen {plain} ligger i webbplatsen, men en symbolisk länk på vägen leder till {out}, utanför webbplatsen; Utlys publicerar inte genom länkar som den inte har gjort. Ta bort länken, eller ange en mapp utanför webbplatsen som --output",
            "the output folder {plain} is inside the site, but a symbolic link on its way leads to {out}, outside the site; Utlys does not publish through links it did not make. Remove the link, or give a folder outside the site as --output"
        )));
    }
    if root.starts_with(&out) {
        let (out, root) = (out.display(), root.display());
        return Err(WriteError::Unsafe(msg!(
            "utmappen {out} är, eller innehåller, webbplatsens mapp {root}; att bygga där skulle ersätta webbplatsens egna filer; välj en annan mapp, till exempel public/",
            "the output folder {out} is, or contains, the site folder {root}; building there would replace the site's own files; choose another folder, such as public/"
        )));
    }
    for protected in ["content", "themes", "static"] {
        let dir = root.join(protected);
        if out.starts_with(&dir) {
            let (out, dir) = (out.display(), dir.display());
            return Err(WriteError::Unsafe(msg!(
                "utmappen {out} ligger i {dir}; välj en mapp utanför webbplatsens källfiler, till exempel public/",
                "the output folder {out} is inside {dir}; choose a folder outside the site's sources, such as public/"
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
        let refuse = |link: bool| {
            let shown = path.display();
            let (sv, en) = if link {
                ("en symbolisk länk", "a symbolic link")
            } else {
                ("ingen fil", "not a file")
            };
            WriteError::Unsafe(msg!(
                "låsfilen {shown} är {sv}; Utlys använder bara en vanlig fil som den själv har gjort där, och ändrade ingenting. Ta bort den och bygg igen",
                "the lock file {shown} is {en}; Utlys only uses a plain file it made there, and changed nothing. Remove it and build again"
            ))
        };
        match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => return Err(refuse(true)),
            Ok(m) if !m.is_file() => return Err(refuse(false)),
            _ => {}
        }
        let file = no_follow(File::options().create(true).truncate(false).write(true))
            .open(path)
            .map_err(|e| {
                if is_link_refused(&e) {
                    refuse(true)
                } else {
                    io_err(Action::CREATE_LOCK, path)(e)
                }
            })?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(refuse(false));
        }
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(WriteError::Locked(output.to_path_buf())),
            Err(fs::TryLockError::Error(e)) => Err(io_err(Action::LOCK, path)(e)),
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
    manifest: PathBuf,
    manifest_new: PathBuf,
    history: PathBuf,
    history_new: PathBuf,
    /// The history to keep once the site is published, if any.
    kept: Option<Vec<u8>>,
    /// What the spare tree held when the build began.
    before: Contents,
    /// What the manifest vouches for in the spare tree, by path.
    known: HashMap<String, Known>,
    /// The spare folder's identity.
    spare_id: Option<TreeId>,
    /// The records of the other trees, kept as they are: the published
    /// one, and one left parked by a build stopped while swapping.
    others: Vec<TreeRecord>,
    _lock: Lock,
    /// The files written so far, with what is known of each.
    made: Mutex<HashMap<String, Option<Known>>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

/// Refuses a link at any of the places beside `output` that Utlys writes,
/// before anything (the lock file included) is made.
fn refuse_links(output: &Path, siblings: &Siblings) -> Result<(), WriteError> {
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    for (path, role) in [
        (output, Role::Output),
        (siblings.spare.as_path(), Role::Spare),
    ] {
        if is_link(path) {
            inspect(path, role, &mut Vec::new())?;
        }
    }
    if is_link(&siblings.lock) {
        Lock::take(&siblings.lock, output)?;
    }
    for path in [&siblings.manifest, &siblings.manifest_new] {
        if is_link(path) {
            return Err(link_refused(Kept::Manifest, path));
        }
    }
    for path in [&siblings.history, &siblings.history_new] {
        if is_link(path) {
            return Err(link_refused(Kept::History, path));
        }
    }
    Ok(())
}

/// The two trees looked at and gone through, before anything is written.
struct Surveyed {
    published: Inspected,
    kept: Inspected,
    /// What the spare tree holds.
    before: Contents,
    /// What the published tree holds.
    shown: Contents,
    /// The records that named neither tree.
    rest: Vec<TreeRecord>,
}

/// Inspects and goes through both trees at once, refusing anything Utlys
/// did not make: the spare because it is written into, the output because
/// files put there by hand would be swapped out of the web server's sight.
fn survey_trees(output: &Path, spare: &Path, manifest: &Path) -> Result<Surveyed, WriteError> {
    let mut records = manifest::read(manifest).map_err(io_err(Action::READ, manifest))?;
    let published = inspect(output, Role::Output, &mut records)?;
    let kept = inspect(spare, Role::Spare, &mut records)?;
    let stage = crate::timing::Stage::start("survey");
    let (shown, before) = rayon::join(
        || survey(output, &published.state, &records),
        || survey(spare, &kept.state, &records),
    );
    drop(stage);
    let shown = shown?;
    refuse_foreign(Role::Output, output, &shown)?;
    let before = before?;
    refuse_foreign(Role::Spare, spare, &before)?;
    Ok(Surveyed {
        published,
        kept,
        before,
        shown,
        rest: records,
    })
}

/// The identity of the folder at `path`, if one is there.
fn tree_id_at(path: &Path) -> Option<TreeId> {
    fs::symlink_metadata(path)
        .ok()
        .and_then(|m| manifest::tree_id(&m))
}

/// The record to keep of a tree that this build does not write into, from
/// what was found in it; none for a tree that is not there.
fn record_of(tree: Inspected, contents: Contents) -> Option<TreeRecord> {
    match tree.state {
        TreeState::Missing => None,
        TreeState::Owned(record) => Some(record),
        TreeState::Empty | TreeState::Unproven => Some(TreeRecord {
            id: tree.id,
            complete: true,
            files: contents.verified,
        }),
    }
}

/// An output folder locked and surveyed for a build, with nothing written
/// yet: [`Claimed::start`] begins the publish. Dropping it releases the
/// lock and leaves everything as it was.
pub struct Claimed {
    output: PathBuf,
    siblings: Siblings,
    lock: Lock,
    surveyed: Surveyed,
}

impl Claimed {
    /// Makes the spare tree if there is none and records it as being
    /// written: from here on files may go into it.
    pub fn start(self) -> Result<Publisher, WriteError> {
        let Claimed {
            output,
            siblings,
            lock,
            surveyed,
        } = self;
        let Surveyed {
            published,
            kept,
            mut before,
            shown,
            rest,
        } = surveyed;
        let spare = &siblings.spare;
        if matches!(kept.state, TreeState::Missing) {
            fs::create_dir(spare).map_err(io_err(Action::CREATE, spare))?;
        }
        let spare_id = manifest::tree_id(
            &fs::symlink_metadata(spare).map_err(io_err(Action::LOOK_AT, spare))?,
        );
        let old_manifest = kept.old_manifest;
        let known = match kept.state {
            TreeState::Owned(record) => record.into_known(),
            TreeState::Unproven => TreeRecord {
                id: spare_id,
                complete: true,
                files: std::mem::take(&mut before.verified),
            }
            .into_known(),
            TreeState::Missing | TreeState::Empty => HashMap::new(),
        };
        let mut others: Vec<TreeRecord> = record_of(published, shown).into_iter().collect();
        let parked_id = tree_id_at(&siblings.parked);
        others.extend(rest.into_iter().filter(|r| r.is_of(parked_id)));
        let made = HashMap::with_capacity(known.len());
        let publisher = Publisher {
            output,
            spare: siblings.spare,
            parked: siblings.parked,
            manifest: siblings.manifest,
            manifest_new: siblings.manifest_new,
            history: siblings.history,
            history_new: siblings.history_new,
            kept: None,
            before,
            known,
            spare_id,
            others,
            _lock: lock,
            made: Mutex::new(made),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        };
        publisher.mark_being_written(old_manifest)?;
        Ok(publisher)
    }
}

/// Whether a build has published at `output` before (its lock file is
/// there): then [`Publisher::claim`] makes nothing, and may run while the
/// content is still being read.
pub fn built_before(output: &Path) -> bool {
    fs::symlink_metadata(siblings(output).lock).is_ok_and(|m| m.is_file())
}

impl Publisher {
    /// Takes the lock and prepares the spare tree beside `output`. Refuses,
    /// changing nothing, when the output, its spare, its lock or its
    /// manifest is a link, or when either tree holds anything Utlys did not
    /// make.
    pub fn begin(output: &Path) -> Result<Publisher, WriteError> {
        Publisher::claim(output)?.start()
    }

    /// The first half of [`Publisher::begin`]: takes the lock and surveys
    /// the trees, writing nothing but the lock file (and the folder it is
    /// in) when they are not there yet.
    pub fn claim(output: &Path) -> Result<Claimed, WriteError> {
        if output.file_name().is_none() {
            let output = output.display();
            return Err(WriteError::Unsafe(msg!(
                "utmappen {output} har inget eget namn; ange en mapp som public/",
                "the output folder {output} has no name of its own; give a folder such as public/"
            )));
        }
        let siblings = siblings(output);
        refuse_links(output, &siblings)?;
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err(Action::CREATE, parent))?;
        }
        let lock = Lock::take(&siblings.lock, output)?;
        let surveyed = survey_trees(output, &siblings.spare, &siblings.manifest)?;
        Ok(Claimed {
            output: output.to_path_buf(),
            siblings,
            lock,
            surveyed,
        })
    }

    /// Records the spare tree as being written before the first file goes
    /// in, so that a build stopped half-way leaves a tree the next build
    /// knows as its own; then removes an older version's manifest from it.
    fn mark_being_written(&self, old_manifest: bool) -> Result<(), WriteError> {
        let mut files: Vec<FileRecord> = self
            .before
            .files
            .iter()
            .map(|f| FileRecord(f.clone(), None))
            .collect();
        files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.write_manifest(TreeRecord {
            id: self.spare_id,
            complete: false,
            files,
        })?;
        if old_manifest {
            let old = self.spare.join(OLD_MANIFEST);
            fs::remove_file(&old).map_err(io_err(Action::REMOVE, &old))?;
        }
        Ok(())
    }

    /// Writes the manifest: `spare` for the spare tree, the others as they
    /// were.
    fn write_manifest(&self, spare: TreeRecord) -> Result<(), WriteError> {
        let mut trees = vec![&spare];
        trees.extend(&self.others);
        manifest::write(&self.manifest, &self.manifest_new, &trees)
            .map_err(io_err(Action::WRITE, &self.manifest))
    }

    /// The files written, with what is known of each.
    fn take_made(&self) -> HashMap<String, Option<Known>> {
        std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Keeps `bytes` beside the output as its history ([`read_history`])
    /// once the site is published; nothing is written if it is not.
    pub fn keep_history(&mut self, bytes: Vec<u8>) {
        self.kept = Some(bytes);
    }

    /// Writes the history kept, by writing its temporary file and renaming
    /// it into place, without following a link, so a build stopped at any
    /// moment leaves the old history or the new one, whole.
    fn write_history(&self) -> Result<(), WriteError> {
        let Some(bytes) = &self.kept else {
            return Ok(());
        };
        let write = || -> io::Result<()> {
            let mut file = no_follow(File::options().write(true).create(true).truncate(true))
                .open(&self.history_new)?;
            io::Write::write_all(&mut file, bytes)?;
            drop(file);
            fs::rename(&self.history_new, &self.history)
        };
        write().map_err(|e| {
            if is_link_refused(&e) {
                link_refused(Kept::History, &self.history_new)
            } else {
                io_err(Action::WRITE, &self.history)(e)
            }
        })
    }

    /// Removes what the new site does not have, then swaps the spare tree
    /// in. The old site becomes the next build's spare. The history is
    /// written after the swap: it tells what is published, so a build that
    /// fails before leaves the last one as it was.
    pub fn finish(self) -> Result<WriteStats, WriteError> {
        let made = self.take_made();
        let removed = remove_stale(&self.spare, &self.before, &made)?;
        let mut files: Vec<FileRecord> = made
            .into_iter()
            .map(|(path, known)| FileRecord(path, known))
            .collect();
        files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let record = TreeRecord {
            id: self.spare_id,
            complete: true,
            files,
        };
        self.write_manifest(record)?;
        let parked_id = tree_id_at(&self.parked);
        let parked = self.others.iter().find(|r| r.is_of(parked_id));
        swap(&self.spare, &self.output, &self.parked, parked)?;
        self.write_history()?;
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
        })
    }
}

impl Publisher {
    /// Claims `path` for one output: the file to write, and what the
    /// manifest vouches for of the file there now. Its folder is made when
    /// the file is not there yet (see [`prepare_target`]).
    fn place(&self, path: &str) -> Result<(PathBuf, Option<&Known>), WriteError> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if made.insert(path.to_string(), None).is_some() {
            return Err(WriteError::Duplicate(path.to_string()));
        }
        Ok((self.spare.join(path), self.known.get(path)))
    }

    /// Notes what was written at `path`, and whether it was new.
    fn done(&self, path: &str, (written, known): (bool, Option<Known>)) {
        if let Some(slot) = self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(path)
        {
            *slot = known;
        }
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
        let (target, known) = self.place(path)?;
        self.done(path, write_if_changed(&self.spare, &target, data, known)?);
        Ok(())
    }

    fn put_stream(&self, path: &str, write: &StreamWriter<'_>) -> Result<(), WriteError> {
        let (target, known) = self.place(path)?;
        self.done(
            path,
            write_stream_if_changed(&self.spare, &target, write, known)?,
        );
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
    match fs::create_dir(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(_) => {}
    }
    if fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut p = dir.to_path_buf();
    while p.starts_with(root) && p != root {
        if p.is_file() || p.is_symlink() {
            match fs::remove_file(&p) {
                // Files are written in parallel: another one bound for the
                // same new folder may have removed the old file first.
                Err(e) if !gone(&e) => return Err(io_err(Action::REMOVE, &p)(e)),
                _ => break,
            }
        }
        if !p.pop() {
            break;
        }
    }
    fs::create_dir_all(dir).map_err(io_err(Action::CREATE, dir))
}

/// Makes `path` as a new file, when nothing at all stands there (not even a
/// link), making its folder first if need be. `None` when something does
/// stand there, or where a folder is needed: then the caller looks at what
/// it is. A new site's files are made this way without a look beforehand.
fn create_new(root: &Path, path: &Path) -> Result<Option<File>, WriteError> {
    let open = || no_follow(File::options().write(true).create_new(true)).open(path);
    match open() {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                make_dir(root, parent)?;
            }
            Ok(open().ok())
        }
        Err(_) => Ok(None),
    }
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
    keep: &HashMap<String, Option<Known>>,
) -> Result<usize, WriteError> {
    let mut needed: HashSet<&str> = HashSet::new();
    for path in keep.keys() {
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
        .filter(|rel| !keep.contains_key(rel.as_str()) && !needed.contains(rel.as_str()))
        .map(|rel| {
            let path = root.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => Ok(1),
                // Already gone with a folder a new file took the place of.
                Err(e) if gone(&e) => Ok(0),
                Err(e) => Err(io_err(Action::REMOVE, &path)(e)),
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    let mut empty: Vec<&String> = before
        .dirs
        .iter()
        .filter(|d| !needed.contains(d.as_str()) && !keep.contains_key(d.as_str()))
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
            Err(e) => return Err(io_err(Action::REMOVE, &path)(e)),
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

/// Writes `data` to `path` unless the file already holds exactly it;
/// whether it wrote, and what is known of the file now. When `known`
/// vouches for the file there, its hash decides without reading the file.
fn write_if_changed(
    root: &Path,
    path: &Path,
    data: &OutputData,
    known: Option<&Known>,
) -> Result<(bool, Option<Known>), WriteError> {
    let bytes: std::borrow::Cow<'_, [u8]> = match data {
        OutputData::Bytes(b) => b.into(),
        OutputData::Copy(src) => fs::read(src).map_err(io_err(Action::READ, src))?.into(),
    };
    let digest = manifest::digest(&bytes);
    let now_known = |meta: &fs::Metadata| Known {
        digest,
        size: bytes.len() as u64,
        stamp: manifest::stamp(meta),
        blocks: Vec::new(),
    };
    let write = |mut file: File| {
        io::Write::write_all(&mut file, &bytes).map_err(io_err(Action::WRITE, path))?;
        let meta = file.metadata().map_err(io_err(Action::LOOK_AT, path))?;
        Ok((true, Some(now_known(&meta))))
    };
    // A file the manifest does not know of is most likely new.
    if known.is_none()
        && let Some(file) = create_new(root, path)?
    {
        return write(file);
    }
    match prepare_target(root, path)? {
        Some(meta) if meta.is_dir() => {
            fs::remove_dir_all(path).map_err(io_err(Action::REMOVE, path))?;
        }
        Some(meta) if meta.is_file() => {
            let same = match known.filter(|k| k.vouches_for(&meta)) {
                Some(k) => k.digest == digest,
                None => meta.len() == bytes.len() as u64 && holds(path, &bytes).unwrap_or(false),
            };
            if same {
                return Ok((false, Some(now_known(&meta))));
            }
            if has_other_names(&meta) {
                fs::remove_file(path).map_err(io_err(Action::REMOVE, path))?;
            }
        }
        _ => {}
    }
    let file = no_follow(File::options().write(true).create(true).truncate(true))
        .open(path)
        .map_err(io_err(Action::WRITE, path))?;
    write(file)
}

/// Writes what `write` writes to `path`, writing only from the first block
/// that differs from the file there; whether anything changed, and what is
/// known of the file now. The old blocks are compared by the hashes in
/// `known` when it vouches for the file (then an unchanged file is not
/// even opened), else by reading them.
fn write_stream_if_changed(
    root: &Path,
    path: &Path,
    write: &StreamWriter<'_>,
    known: Option<&Known>,
) -> Result<(bool, Option<Known>), WriteError> {
    let mut vouched = None;
    let fresh = match known {
        None => create_new(root, path)?,
        Some(_) => None,
    };
    let standing = match fresh {
        Some(_) => None,
        None => prepare_target(root, path)?,
    };
    match standing {
        Some(meta) if meta.is_dir() => {
            fs::remove_dir_all(path).map_err(io_err(Action::REMOVE, path))?;
        }
        Some(meta) if !meta.is_file() || has_other_names(&meta) => {
            fs::remove_file(path).map_err(io_err(Action::REMOVE, path))?;
        }
        Some(meta) => {
            vouched = known
                .filter(|k| k.vouches_for(&meta))
                .and_then(|k| Some((k, k.block_digests()?, meta)));
        }
        None => {}
    }
    let mut rewriter = match (&vouched, fresh) {
        (_, Some(file)) => Rewriter::fresh(path, file),
        (Some((k, blocks, _)), None) => Rewriter::trusting(path, k, blocks),
        (None, None) => Rewriter::reading(path).map_err(io_err(Action::WRITE, path))?,
    };
    write(&mut rewriter).map_err(io_err(Action::WRITE, path))?;
    let done = rewriter.finish().map_err(io_err(Action::WRITE, path))?;
    let meta = match (&done.file, vouched) {
        (Some(file), _) => file.metadata().map_err(io_err(Action::LOOK_AT, path))?,
        (None, Some((_, _, meta))) => meta,
        (None, None) => fs::symlink_metadata(path).map_err(io_err(Action::LOOK_AT, path))?,
    };
    let known = Known {
        digest: done.digest,
        size: done.size,
        stamp: manifest::stamp(&meta),
        blocks: done.blocks,
    };
    Ok((done.changed, Some(known)))
}

/// Writes over a file in place a [`BLOCK`] at a time, skipping the blocks
/// it already holds: known from the manifest's hashes of them, or found by
/// reading them.
struct Rewriter<'a> {
    path: &'a Path,
    /// The file, once opened: at once when its blocks are read, only when
    /// a block must be written when the manifest vouches for them.
    file: Option<File>,
    /// The manifest's record of the file, when it vouches for it.
    trusted: Option<(&'a Known, &'a [Digest])>,
    /// The length of the file before.
    old_len: u64,
    /// Bytes placed in the file (or found there) so far.
    position: u64,
    /// Whether every block so far was already there.
    same: bool,
    /// The block being filled.
    pending: Vec<u8>,
    scratch: Vec<u8>,
    whole: Hashing,
    blocks: Vec<Digest>,
}

/// What [`Rewriter::finish`] found.
struct Rewritten {
    changed: bool,
    /// The file, if it was opened.
    file: Option<File>,
    digest: Digest,
    size: u64,
    blocks: Vec<Digest>,
}

impl<'a> Rewriter<'a> {
    fn new(path: &'a Path, trusted: Option<(&'a Known, &'a [Digest])>) -> Self {
        Rewriter {
            path,
            file: None,
            trusted,
            old_len: trusted.map_or(0, |(k, _)| k.size),
            position: 0,
            same: true,
            pending: Vec::with_capacity(BLOCK),
            scratch: Vec::new(),
            whole: Hashing::default(),
            blocks: Vec::new(),
        }
    }

    /// Compares with the manifest's hashes of the old file's blocks.
    fn trusting(path: &'a Path, known: &'a Known, blocks: &'a [Digest]) -> Self {
        Self::new(path, Some((known, blocks)))
    }

    /// Fills `file`, just made and empty.
    fn fresh(path: &'a Path, file: File) -> Self {
        let mut rewriter = Self::new(path, None);
        rewriter.file = Some(file);
        rewriter.same = false;
        rewriter
    }

    /// Compares by reading the old file, if there is one.
    fn reading(path: &'a Path) -> io::Result<Self> {
        let mut rewriter = Self::new(path, None);
        rewriter.open()?;
        Ok(rewriter)
    }

    /// The file, opened (or made) on first use. A file the manifest vouched
    /// for must still be the one it recorded.
    fn open(&mut self) -> io::Result<&mut File> {
        if self.file.is_none() {
            let file = no_follow(
                File::options()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false),
            )
            .open(self.path)?;
            let meta = file.metadata()?;
            match self.trusted {
                Some((known, _)) if !known.vouches_for(&meta) => {
                    return Err(io::Error::other(
                        "the file changed while the build was writing it; build again",
                    ));
                }
                Some(_) => {}
                None => self.old_len = meta.len(),
            }
            self.file = Some(file);
        }
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the file could not be opened"))
    }

    /// Whether the old file holds the pending block, block `index`.
    fn old_holds(&mut self, index: usize, digest: Digest) -> io::Result<bool> {
        use std::io::Read;
        let n = self.pending.len() as u64;
        if self.old_len.saturating_sub(self.position).min(BLOCK as u64) != n {
            return Ok(false);
        }
        if let Some((_, blocks)) = self.trusted {
            return Ok(blocks.get(index) == Some(&digest));
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.resize(self.pending.len(), 0);
        let read = self.open()?.read_exact(&mut scratch);
        let same = read.is_ok() && scratch == self.pending;
        self.scratch = scratch;
        Ok(same)
    }

    /// Places the pending block: skipped when the old file holds it, else
    /// written, as is everything after it.
    fn place(&mut self) -> io::Result<()> {
        use std::io::{Seek, Write};
        let digest = manifest::digest(&self.pending);
        self.whole.update(&self.pending);
        let index = self.blocks.len();
        self.blocks.push(digest);
        if self.same && self.old_holds(index, digest)? {
            self.position += self.pending.len() as u64;
            self.pending.clear();
            return Ok(());
        }
        let (position, was_same) = (self.position, std::mem::replace(&mut self.same, false));
        let pending = std::mem::take(&mut self.pending);
        let file = self.open()?;
        if was_same {
            file.seek(io::SeekFrom::Start(position))?;
        }
        let wrote = file.write_all(&pending);
        self.position += pending.len() as u64;
        self.pending = pending;
        self.pending.clear();
        wrote
    }

    /// Places the last block and cuts the file to its new length.
    fn finish(mut self) -> io::Result<Rewritten> {
        if !self.pending.is_empty() {
            self.place()?;
        }
        let changed = !(self.same && self.position == self.old_len);
        // Only an old file longer than the new is cut; anything shorter was
        // written over from where it differs to the end.
        if self.position < self.old_len {
            let length = self.position;
            self.open()?.set_len(length)?;
        }
        Ok(Rewritten {
            changed,
            file: self.file,
            digest: self.whole.digest(),
            size: self.position,
            blocks: self.blocks,
        })
    }
}

impl io::Write for Rewriter<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut rest = data;
        while !rest.is_empty() {
            let take = (BLOCK - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == BLOCK {
                self.place()?;
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
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
fn swap(
    fresh: &Path,
    output: &Path,
    parked: &Path,
    parked_record: Option<&TreeRecord>,
) -> Result<(), WriteError> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(fresh, output).map_err(io_err(Action::RENAME_INTO_PLACE, output));
    }
    match exchange(fresh, output) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e) => {
            exchange_by_renames(fresh, output, parked, parked_record)
        }
        Err(e) => Err(io_err(Action::SWAP_IN, output)(e)),
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
/// removed first, but only when it is wholly Utlys's own (`record` is the
/// manifest's record of it).
fn exchange_by_renames(
    fresh: &Path,
    output: &Path,
    parked: &Path,
    record: Option<&TreeRecord>,
) -> Result<(), WriteError> {
    let mut records: Vec<TreeRecord> = record.into_iter().cloned().collect();
    let tree = inspect(parked, Role::Parked, &mut records)?;
    if !matches!(tree.state, TreeState::Missing) {
        let contents = survey(parked, &tree.state, &records)?;
        refuse_foreign(Role::Parked, parked, &contents)?;
        fs::remove_dir_all(parked).map_err(io_err(Action::REMOVE, parked))?;
    }
    fs::rename(output, parked).map_err(io_err(Action::MOVE_ASIDE, output))?;
    if let Err(e) = fs::rename(fresh, output) {
        // Put the old site back before reporting.
        fs::rename(parked, output).map_err(io_err(Action::MOVE_BACK, parked))?;
        return Err(io_err(Action::RENAME_INTO_PLACE, output)(e));
    }
    fs::rename(parked, fresh).map_err(io_err(Action::RENAME, parked))
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

    /// A writer of `bytes` in uneven pieces, as a serializer writes.
    fn stream(bytes: &[u8]) -> impl Fn(&mut dyn io::Write) -> io::Result<()> + Sync + use<> {
        let bytes = bytes.to_vec();
        move |w: &mut dyn io::Write| {
            for piece in bytes.chunks(1000 + 7) {
                w.write_all(piece)?;
            }
            Ok(())
        }
    }

    #[test]
    fn a_streamed_file_is_written_only_from_where_it_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data.json");
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
        let put = |next: &[u8], known: Option<&Known>| {
            write_stream_if_changed(tmp.path(), &path, &stream(next), known).unwrap()
        };
        // New, then the same again: nothing to write, whether compared by
        // reading or by the record.
        let (changed, known) = put(&bytes, None);
        assert!(changed);
        let known = known.unwrap();
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert_eq!(known.digest, manifest::digest(&bytes));
        assert_eq!(known.blocks.len(), bytes.len().div_ceil(BLOCK));
        assert!(!put(&bytes, None).0);
        assert_eq!(put(&bytes, Some(&known)), (false, Some(known.clone())));
        // A byte in the middle, a shorter and a longer text, an empty one,
        // each compared by reading and by the record of the one before.
        let mut changed = bytes.clone();
        changed[350_000] ^= 1;
        let shorter = &bytes[..500_000];
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"more");
        let mut record = known;
        for trust in [false, true] {
            for next in [&changed[..], shorter, &longer[..], b"", &bytes[..]] {
                let (written, now) = put(next, trust.then_some(&record));
                assert!(written);
                assert_eq!(fs::read(&path).unwrap(), next);
                record = now.unwrap();
                assert_eq!(record.digest, manifest::digest(next));
                assert!(record.vouches_for(&fs::metadata(&path).unwrap()));
            }
        }
        // A folder where the file goes is replaced.
        let dir = tmp.path().join("was-a-folder");
        fs::create_dir_all(dir.join("inside")).unwrap();
        assert!(
            write_stream_if_changed(tmp.path(), &dir, &stream(b"x"), None)
                .unwrap()
                .0
        );
        assert_eq!(fs::read(&dir).unwrap(), b"x");
        // A file in a folder not made yet, and one where a file of the old
        // site stands in place of its folder.
        let deep = tmp.path().join("a/b/c.json");
        assert!(
            write_stream_if_changed(tmp.path(), &deep, &stream(b"y"), None)
                .unwrap()
                .0
        );
        assert_eq!(fs::read(&deep).unwrap(), b"y");
        fs::write(tmp.path().join("f"), b"old").unwrap();
        let under = tmp.path().join("f/g.json");
        let z = OutputData::Bytes(b"z".to_vec());
        assert!(write_if_changed(tmp.path(), &under, &z, None).unwrap().0);
        assert_eq!(fs::read(&under).unwrap(), b"z");
    }

    #[test]
    fn a_record_that_no_longer_matches_the_file_is_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("page.html");
        let page = OutputData::Bytes(b"<p>right</p>".to_vec());
        let (_, known) = write_if_changed(tmp.path(), &path, &page, None).unwrap();
        let known = known.unwrap();
        assert_eq!(
            write_if_changed(tmp.path(), &path, &page, Some(&known)).unwrap(),
            (false, Some(known.clone()))
        );
        // Someone writes other bytes of the same length: the times differ
        // from the record, so the file is compared and put right.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"<p>wrong</p>").unwrap();
        assert!(!known.vouches_for(&fs::metadata(&path).unwrap()));
        assert!(
            write_if_changed(tmp.path(), &path, &page, Some(&known))
                .unwrap()
                .0
        );
        assert_eq!(fs::read(&path).unwrap(), b"<p>right</p>");
        // A record that vouches for the file but holds another hash means
        // the file must be written, without reading it.
        let (_, now) = write_if_changed(tmp.path(), &path, &page, None).unwrap();
        let stale = Known {
            digest: manifest::digest(b"other"),
            ..now.unwrap()
        };
        assert!(
            write_if_changed(tmp.path(), &path, &page, Some(&stale))
                .unwrap()
                .0
        );
        // The same for a streamed file, whose blocks the record holds.
        let data = tmp.path().join("data.json");
        let bytes = vec![7u8; BLOCK + 10];
        let (_, known) = write_stream_if_changed(tmp.path(), &data, &stream(&bytes), None).unwrap();
        let known = known.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut edited = bytes.clone();
        edited[3] = 0;
        fs::write(&data, &edited).unwrap();
        let (written, _) =
            write_stream_if_changed(tmp.path(), &data, &stream(&bytes), Some(&known)).unwrap();
        assert!(written);
        assert_eq!(fs::read(&data).unwrap(), bytes);
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

    /// The files of a published tree.
    fn files_in(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                rel.to_str().unwrap().replace('\\', "/")
            })
            .collect();
        files.sort_unstable();
        files
    }

    /// The manifest's records beside `public`.
    fn records(public: &Path) -> Vec<TreeRecord> {
        manifest::read(&siblings(public).manifest).unwrap()
    }

    /// The record of the tree at `dir`.
    fn record_of_tree(public: &Path, dir: &Path) -> TreeRecord {
        let id = tree_id_at(dir);
        let found = records(public).into_iter().find(|r| r.is_of(id));
        found.unwrap_or_else(|| panic!("no record of {}", dir.display()))
    }

    #[test]
    fn the_manifest_beside_the_output_records_exactly_the_files_written() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("index.html", "a"), out("x/y.html", "b")]).unwrap();
        assert_eq!(files_in(&public), ["index.html", "x/y.html"]);
        let record = record_of_tree(&public, &public);
        assert!(record.complete);
        let paths: Vec<&str> = record.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(paths, ["index.html", "x/y.html"]);
        for FileRecord(path, known) in &record.files {
            let known = known.as_ref().unwrap();
            let bytes = fs::read(public.join(path)).unwrap();
            assert_eq!(known.digest, manifest::digest(&bytes));
            assert!(known.vouches_for(&fs::metadata(public.join(path)).unwrap()));
        }
        // After the next build's swap, each record still names its tree.
        publish(&public, &[out("index.html", "A")]).unwrap();
        let spare = siblings(&public).spare;
        let names = |r: TreeRecord| -> Vec<String> { r.files.into_iter().map(|f| f.0).collect() };
        assert_eq!(names(record_of_tree(&public, &public)), ["index.html"]);
        assert_eq!(
            names(record_of_tree(&public, &spare)),
            ["index.html", "x/y.html"]
        );
        assert_eq!(records(&public).len(), 2);
        assert_eq!(
            names_beside(&public),
            [
                ".public.utlys-lock",
                ".public.utlys-manifest",
                ".public.utlys-spare",
                "public"
            ]
        );
    }

    /// The names in the folder that holds `public`.
    fn names_beside(public: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(public.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
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

    /// Hard links from outside to the files of the spare tree (the next
    /// one written into) are left as they were when new bytes go there,
    /// after a build stopped before writing anything when `stopped`.
    fn second_names_stay_untouched(stopped: bool) {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        publish(&public, &[out("a.html", "a"), out("d.json", "d")]).unwrap();
        publish(&public, &[out("a.html", "a"), out("d.json", "d")]).unwrap();
        if stopped {
            drop(Publisher::begin(&public).unwrap());
        }
        let spare = siblings(&public).spare;
        for name in ["a.html", "d.json"] {
            fs::hard_link(spare.join(name), tmp.path().join(name)).unwrap();
        }
        let stream = |w: &mut dyn io::Write| w.write_all(b"new data");
        let publisher = Publisher::begin(&public).unwrap();
        assert_eq!(publisher.known.is_empty(), stopped);
        publisher
            .put("a.html", &OutputData::Bytes(b"new page".to_vec()))
            .unwrap();
        publisher.put_stream("d.json", &stream).unwrap();
        publisher
            .put("new/b.html", &OutputData::Bytes(b"b".to_vec()))
            .unwrap();
        let stats = publisher.finish().unwrap();
        assert_eq!(fs::read(public.join("a.html")).unwrap(), b"new page");
        assert_eq!(fs::read(public.join("d.json")).unwrap(), b"new data");
        assert_eq!(fs::read(public.join("new/b.html")).unwrap(), b"b");
        assert_eq!(fs::read(tmp.path().join("a.html")).unwrap(), b"a");
        assert_eq!(fs::read(tmp.path().join("d.json")).unwrap(), b"d");
        assert_eq!(stats.written, 3);
    }

    #[test]
    fn a_file_with_a_second_name_elsewhere_is_replaced_not_written_into() {
        second_names_stay_untouched(false);
    }

    #[test]
    fn a_file_no_record_vouches_for_is_looked_at_before_it_is_written() {
        // The manifest then vouches for no file of the spare, so new
        // outputs are tried as new files first, and these two are not new.
        second_names_stay_untouched(true);
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
