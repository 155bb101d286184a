//! The paths the build writes itself, as each kind of output declares them
//! (see `render::generated` for the check that no file of the site takes
//! one).

use super::{Lang, Msg};

/// Where in the output a generated path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// One file (`atom.xml`, `en/404.html`).
    File(String),
    /// A whole folder, ending in `/` (`tags/`, `api/`): every path inside
    /// it is the build's.
    Folder(String),
    /// Files at the output root named `prefix`, a number, `suffix`
    /// (`sitemap-1.xml`).
    Numbered {
        /// Before the number.
        prefix: &'static str,
        /// After the number.
        suffix: &'static str,
    },
}

/// A path the build writes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Where it is.
    pub place: Place,
    /// What it is, for messages (`the Atom feed`), in both languages.
    pub what: Msg,
    /// For a language's folder (`en/`), the language whose pages go there;
    /// other sources placed in it collide.
    pub owner: Option<Lang>,
}

impl Generated {
    /// A generated file.
    pub fn file(path: impl Into<String>, what: Msg) -> Generated {
        Generated {
            place: Place::File(path.into()),
            what,
            owner: None,
        }
    }

    /// A generated folder (`path` ends in `/`).
    pub fn folder(path: impl Into<String>, what: Msg) -> Generated {
        Generated {
            place: Place::Folder(path.into()),
            what,
            owner: None,
        }
    }

    /// How the place is shown in messages: `/atom.xml`, `/tags/`,
    /// `/sitemap-N.xml`.
    pub fn shown(&self) -> String {
        match &self.place {
            Place::File(p) | Place::Folder(p) => format!("/{p}"),
            Place::Numbered { prefix, suffix } => format!("/{prefix}N{suffix}"),
        }
    }

    /// Whether a file published at `out` (a file path in the output) by a
    /// source in language `lang` would take this place, or sit where it
    /// needs a folder, or make a folder where it is a file.
    pub fn takes(&self, out: &str, lang: Lang) -> bool {
        let file_or_folder = |path: &str| {
            out == path
                || out
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('/'))
                || path
                    .strip_prefix(out)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        match &self.place {
            Place::File(path) => file_or_folder(path),
            Place::Folder(dir) => {
                self.owner != Some(lang)
                    && (out.starts_with(dir.as_str()) || out == dir.trim_end_matches('/'))
            }
            Place::Numbered { prefix, suffix } => out
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        }
    }
}
