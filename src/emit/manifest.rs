//! The manifest beside an output folder.
//!
//! Utlys keeps one file beside the output folder (`.public.utlys-manifest`
//! for `public/`) that says, for each of the two trees it swaps (the
//! published one and its spare), which files it wrote there and what it
//! knows of each: a hash of its bytes, its size, and what identifies it on
//! disk (inode, modification and change times). A repeat build decides
//! that a file is already right from this record, without reading the file
//! back; a file someone changed since has other times and is compared (or
//! rewritten) instead.
//!
//! The trees are swapped by renaming, so a record names its tree by the
//! folder's identity (device, inode and creation time), never by its path:
//! after a swap each record still describes the right tree. The file is
//! never inside a tree, so it is never published.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xxhash_rust::xxh3::Xxh3;

/// The manifest's format. Format 1 was a file inside each tree.
const FORMAT: u32 = 3;

/// Format 2 hashed with SipHash-1-3, several times slower than XXH3. Its
/// lists of files are still Utlys's own, but its hashes are of another
/// kind: each file it names is compared once, as if unrecorded.
const FORMAT_SIPHASH: u32 = 2;

/// A 128-bit hash of a file's bytes: XXH3-128 with its default seed, whose
/// output is specified and so the same in every version of Utlys (the
/// standard library's hasher may change between Rust releases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Digest(pub(super) u128);

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // 32 hexadecimal digits, written in place: a manifest holds tens of
        // thousands of them.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 32];
        for (i, byte) in text.iter_mut().enumerate() {
            *byte = DIGITS[((self.0 >> (124 - 4 * i)) & 0xf) as usize];
        }
        s.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u128::from_str_radix(&text, 16)
            .map(Digest)
            .map_err(serde::de::Error::custom)
    }
}

/// Hashes bytes given piece by piece; the pieces may be cut anywhere.
#[derive(Default)]
pub(super) struct Hashing(Xxh3);

impl Hashing {
    pub(super) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub(super) fn digest(&self) -> Digest {
        Digest(self.0.digest128())
    }
}

/// The hash of `bytes`.
pub(super) fn digest(bytes: &[u8]) -> Digest {
    let mut h = Hashing::default();
    h.update(bytes);
    h.digest()
}

/// What identifies one file on disk: when any of it differs, the file was
/// replaced or written since it was recorded. The change time cannot be
/// set back by anyone writing into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp(u64, i64, i64);

/// The stamp of a plain file, where the platform gives one.
pub(super) fn stamp(meta: &fs::Metadata) -> Option<Stamp> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let nanos = |s: i64, ns: i64| s.saturating_mul(1_000_000_000).saturating_add(ns);
        meta.is_file().then(|| {
            Stamp(
                meta.ino(),
                nanos(meta.mtime(), meta.mtime_nsec()),
                nanos(meta.ctime(), meta.ctime_nsec()),
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// What the manifest knows of one file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Known {
    /// The hash of the whole file.
    pub(super) digest: Digest,
    /// Its length in bytes.
    pub(super) size: u64,
    /// The file on disk when it was recorded; without one, the record is
    /// never trusted over the file.
    pub(super) stamp: Option<Stamp>,
    /// For a file written piece by piece: the hash of each [`BLOCK`] of
    /// it, so a changed file is rewritten from the first block that
    /// differs without reading the old one. Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) blocks: Vec<Digest>,
}

/// The size of the blocks a streamed file is compared in.
pub(super) const BLOCK: usize = 256 * 1024;

impl Known {
    /// Whether the file whose metadata is `meta` is still the one recorded.
    pub(super) fn vouches_for(&self, meta: &fs::Metadata) -> bool {
        self.stamp.is_some() && meta.len() == self.size && stamp(meta) == self.stamp
    }

    /// The block hashes, when they cover exactly the recorded size.
    pub(super) fn block_digests(&self) -> Option<&[Digest]> {
        let expected = usize::try_from(self.size.div_ceil(BLOCK as u64)).ok()?;
        (self.blocks.len() == expected && !self.blocks.is_empty()).then_some(&self.blocks[..])
    }
}

/// The identity of a tree's folder, which a rename keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct TreeId {
    dev: u64,
    ino: u64,
    /// When the folder was made, in nanoseconds, where the file system
    /// says: a folder made later in the place of a deleted one may be given
    /// the same inode, never the same creation time.
    born: Option<u64>,
}

/// The identity of the folder whose metadata is `meta`.
pub(super) fn tree_id(meta: &fs::Metadata) -> Option<TreeId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let born = meta
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| u64::try_from(d.as_nanos()).ok());
        Some(TreeId {
            dev: meta.dev(),
            ino: meta.ino(),
            born,
        })
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// One file of a tree: its path inside the tree, with `/` separators, and
/// what is known of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileRecord(pub(super) String, pub(super) Option<Known>);

/// What the manifest says of one tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct TreeRecord {
    /// The folder this record describes; a record without one (the
    /// platform gives none) matches no folder.
    pub(super) id: Option<TreeId>,
    /// False while a build is writing into the tree: a build stopped
    /// half-way leaves files the list does not have yet, and those are
    /// Utlys's own too.
    pub(super) complete: bool,
    /// The files Utlys wrote there, sorted by path.
    pub(super) files: Vec<FileRecord>,
}

impl TreeRecord {
    /// Whether this record describes the folder with identity `id`.
    pub(super) fn is_of(&self, id: Option<TreeId>) -> bool {
        id.is_some() && self.id == id
    }

    /// What the record vouches for, by path: nothing while incomplete.
    pub(super) fn into_known(self) -> HashMap<String, Known> {
        if !self.complete {
            return HashMap::new();
        }
        self.files
            .into_iter()
            .filter_map(|FileRecord(path, known)| Some((path, known?)))
            .collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestFile {
    utlys_manifest: u32,
    trees: Vec<TreeRecord>,
}

/// Reads the manifest at `path`: the records of the trees it knows (of
/// an older format, only which files are Utlys's). A manifest that is
/// missing, unreadable or of an unknown format gives no records, so every file is compared as if there were none; a link in its
/// place is an error, for it is never followed.
pub(super) fn read(path: &Path) -> io::Result<Vec<TreeRecord>> {
    match super::publish::read_no_follow(path) {
        Ok(bytes) => Ok(match serde_json::from_slice::<ManifestFile>(&bytes) {
            Ok(m) if m.utlys_manifest == FORMAT => m.trees,
            Ok(m) if m.utlys_manifest == FORMAT_SIPHASH => m
                .trees
                .into_iter()
                .map(|tree| TreeRecord {
                    files: tree
                        .files
                        .into_iter()
                        .map(|FileRecord(path, _)| FileRecord(path, None))
                        .collect(),
                    ..tree
                })
                .collect(),
            _ => Vec::new(),
        }),
        Err(e) if super::publish::is_link_refused(&e) => Err(e),
        Err(_) => Ok(Vec::new()),
    }
}

/// Writes the manifest at `path` by writing `temporary` and renaming it
/// into place, so a build stopped at any moment leaves the old manifest or
/// the new one, whole.
pub(super) fn write(path: &Path, temporary: &Path, trees: &[&TreeRecord]) -> io::Result<()> {
    let file =
        super::publish::no_follow(fs::File::options().write(true).create(true).truncate(true))
            .open(temporary)?;
    let mut out = io::BufWriter::with_capacity(1 << 16, file);
    write_json(&mut out, trees)?;
    io::Write::flush(&mut out)?;
    drop(out);
    fs::rename(temporary, path)
}

/// Writes the JSON of a [`ManifestFile`] holding `trees` to `out` as it
/// goes: tens of thousands of records are never held as text in memory.
fn write_json(out: &mut impl io::Write, trees: &[&TreeRecord]) -> serde_json::Result<()> {
    write!(out, "{{\"utlys_manifest\":{FORMAT},\"trees\":[").map_err(serde_json::Error::io)?;
    for (i, tree) in trees.iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(serde_json::Error::io)?;
        }
        write_tree(out, tree)?;
    }
    out.write_all(b"]}").map_err(serde_json::Error::io)
}

/// Writes the JSON of one [`TreeRecord`], as serde writes it, with its
/// files put into text a few thousand at a time on every core: a large
/// site's manifest is written at the very end of the build, when nothing
/// else is left to do.
fn write_tree(out: &mut impl io::Write, tree: &TreeRecord) -> serde_json::Result<()> {
    use rayon::prelude::*;
    out.write_all(b"{\"id\":").map_err(serde_json::Error::io)?;
    serde_json::to_writer(&mut *out, &tree.id)?;
    write!(out, ",\"complete\":{},\"files\":[", tree.complete).map_err(serde_json::Error::io)?;
    let pieces = tree
        .files
        .par_chunks(2048)
        .map(|files| {
            let mut piece = Vec::with_capacity(files.len() * 128);
            for (i, file) in files.iter().enumerate() {
                if i > 0 {
                    piece.push(b',');
                }
                serde_json::to_writer(&mut piece, file)?;
            }
            Ok(piece)
        })
        .collect::<serde_json::Result<Vec<Vec<u8>>>>()?;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(serde_json::Error::io)?;
        }
        out.write_all(piece).map_err(serde_json::Error::io)?;
    }
    out.write_all(b"]}").map_err(serde_json::Error::io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_the_same_however_the_bytes_are_cut() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 241) as u8).collect();
        let whole = digest(&bytes);
        let mut pieces = Hashing::default();
        for piece in bytes.chunks(777) {
            pieces.update(piece);
        }
        assert_eq!(pieces.digest(), whole);
        assert_ne!(digest(&bytes[1..]), whole);
        // Fixed for all time: a manifest written by one version is read by
        // the next, so the hash of a known text may never change.
        let json = serde_json::to_string(&digest(b"utlys")).unwrap();
        assert_eq!(json, "\"72eb2bbfc4a3686d508c1ea26a2aa33b\"");
        assert_eq!(
            serde_json::from_str::<Digest>(&json).unwrap(),
            digest(b"utlys")
        );
    }

    #[test]
    fn a_manifest_round_trips_and_a_broken_one_gives_no_records() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("m");
        let new = tmp.path().join("m.new");
        let meta = fs::metadata(tmp.path()).unwrap();
        let record = TreeRecord {
            id: tree_id(&meta),
            complete: true,
            files: vec![
                FileRecord(
                    "a/index.html".into(),
                    Some(Known {
                        digest: digest(b"x"),
                        size: 1,
                        stamp: Some(Stamp(7, 8, 9)),
                        blocks: vec![digest(b"x")],
                    }),
                ),
                FileRecord("b.css".into(), None),
            ],
        };
        write(&path, &new, &[&record]).unwrap();
        assert!(!new.exists());
        assert_eq!(read(&path).unwrap(), std::slice::from_ref(&record));
        assert!(record.is_of(tree_id(&meta)));
        for broken in [&b"{"[..], b"{\"utlys_manifest\":1,\"trees\":[]}", b"\xff"] {
            fs::write(&path, broken).unwrap();
            assert_eq!(read(&path).unwrap(), []);
        }
        fs::remove_file(&path).unwrap();
        assert_eq!(read(&path).unwrap(), []);
    }

    #[test]
    fn the_manifest_is_the_json_of_its_trees_written_whole() {
        let tree = |n: u128| TreeRecord {
            id: None,
            complete: n.is_multiple_of(2),
            files: vec![
                FileRecord(
                    format!("{n}/index.html"),
                    Some(Known {
                        digest: Digest(n.wrapping_mul(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)),
                        size: 10,
                        stamp: None,
                        blocks: Vec::new(),
                    }),
                ),
                FileRecord("x.css".into(), None),
            ],
        };
        let (a, b) = (tree(1), tree(u128::MAX));
        // Many files, put into text in several pieces.
        let mut c = tree(2);
        c.files = (0..5000u128).flat_map(|n| tree(n).files).collect();
        let empty = TreeRecord {
            files: Vec::new(),
            ..tree(3)
        };
        for trees in [vec![], vec![&a], vec![&a, &b], vec![&c, &empty, &a]] {
            let whole = serde_json::to_vec(&ManifestFile {
                utlys_manifest: FORMAT,
                trees: trees.iter().map(|t| (*t).clone()).collect(),
            })
            .unwrap();
            let mut written = Vec::new();
            write_json(&mut written, &trees).unwrap();
            assert_eq!(written, whole);
        }
        let hex = serde_json::to_string(&Digest(0xab << 120 | 0x0f)).unwrap();
        assert_eq!(hex, "\"ab00000000000000000000000000000f\"");
    }
}
