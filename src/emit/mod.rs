//! Emitting: where the outputs of a build go.
//!
//! This layer knows paths and bytes only, never templates, pages or
//! formats, so every producer above it can hand it files the same way. A
//! [`Sink`] receives the files: the [`Publisher`] writes them into a spare
//! tree and swaps it in atomically (`build`), [`Collect`] keeps them in
//! memory (`serve` and tests) and [`Discard`] notes only their paths
//! (`check`).

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Msg;
use crate::msg;

mod manifest;
mod publish;

pub use publish::{
    Claimed, HISTORY_SUFFIX, MANIFEST_SUFFIX, OLD_MANIFEST, Publisher, WriteStats, built_before,
    check_output_dir, publish, read_history,
};

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// What to write.
    pub data: OutputData,
}

/// The bytes of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputData {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file copied as it is.
    Copy(PathBuf),
}

/// What was being done to a path when the system refused, in both
/// languages: the start of an [`WriteError::Io`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    sv: &'static str,
    en: &'static str,
}

impl Action {
    /// Making an output's bytes.
    pub const RENDER: Action = Action::new("kan inte skapa innehållet i", "cannot render");
    /// Reading what a path is.
    pub const LOOK_AT: Action = Action::new("kan inte undersöka", "cannot look at");
    /// Listing a folder.
    pub const LIST: Action = Action::new("kan inte läsa innehållet i", "cannot list");
    /// Reading a file.
    pub const READ: Action = Action::new("kan inte läsa", "cannot read");
    /// Making a path absolute.
    pub const RESOLVE: Action = Action::new(
        "kan inte hitta den fullständiga sökvägen till",
        "cannot resolve",
    );
    /// Making the lock file.
    pub const CREATE_LOCK: Action =
        Action::new("kan inte skapa låsfilen", "cannot create the lock file");
    /// Locking the lock file.
    pub const LOCK: Action = Action::new("kan inte låsa", "cannot lock");
    /// Making a folder.
    pub const CREATE: Action = Action::new("kan inte skapa", "cannot create");
    /// Removing a file or folder.
    pub const REMOVE: Action = Action::new("kan inte ta bort", "cannot remove");
    /// Writing a file.
    pub const WRITE: Action = Action::new("kan inte skriva", "cannot write");
    /// Moving a finished tree to its place.
    pub const RENAME_INTO_PLACE: Action =
        Action::new("kan inte flytta på plats", "cannot rename into place");
    /// Swapping the new tree with the published one.
    pub const SWAP_IN: Action = Action::new(
        "kan inte byta in den nya webbplatsen i",
        "cannot swap in the new site at",
    );
    /// Moving the published tree aside.
    pub const MOVE_ASIDE: Action = Action::new("kan inte flytta undan", "cannot move aside");
    /// Moving the published tree back after a failed swap.
    pub const MOVE_BACK: Action = Action::new("kan inte flytta tillbaka", "cannot move back");
    /// Renaming a folder.
    pub const RENAME: Action = Action::new("kan inte byta namn på", "cannot rename");

    const fn new(sv: &'static str, en: &'static str) -> Action {
        Action { sv, en }
    }
}

/// A publishing failure, with the path it concerns.
#[derive(Debug)]
pub enum WriteError {
    /// An I/O operation failed.
    Io {
        /// What was being done.
        action: Action,
        /// On which path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The output folder would overwrite the site's sources, or holds
    /// what Utlys did not make: what is wrong and what to do.
    Unsafe(Msg),
    /// Two outputs have one path. The message names the path only: what
    /// can share an address is known to the layers above, which add it.
    Duplicate(String),
    /// Another build holds the lock.
    Locked(PathBuf),
}

impl WriteError {
    /// The kind of problem, for the diagnostic that reports it (see
    /// `Diagnostic::code`).
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::Io { .. } => "write-failed",
            WriteError::Unsafe(_) => "unsafe-output",
            WriteError::Duplicate(_) => "duplicate-address",
            WriteError::Locked(_) => "output-locked",
        }
    }

    /// What went wrong, in both languages.
    pub fn message(&self) -> Msg {
        match self {
            WriteError::Io {
                action,
                path,
                source,
            } => {
                let (sv, en, path) = (action.sv, action.en, path.display());
                msg!("{sv} {path}: {source}", "{en} {path}: {source}")
            }
            WriteError::Unsafe(message) => message.clone(),
            WriteError::Duplicate(path) => msg!(
                "två filer skulle skrivas till /{path}",
                "two files would be written to /{path}"
            ),
            WriteError::Locked(output) => {
                let output = output.display();
                msg!(
                    "ett annat bygge publicerar till {output} just nu; vänta tills det är klart",
                    "another build is publishing to {output} right now; wait for it to finish"
                )
            }
        }
    }
}

impl std::fmt::Display for WriteError {
    /// The message in the language messages are shown in.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message().shown())
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err<'a>(action: Action, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        action,
        path: path.to_path_buf(),
        source,
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
        write(&mut bytes).map_err(io_err(Action::RENDER, Path::new(path)))?;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;

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
}
