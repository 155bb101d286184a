//! Themes: the default theme is built into the binary; a site's own
//! `themes/<name>/` overrides it file by file.

pub mod assets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::model::Lang;
use crate::msg;

/// Lists theme files as `(path, bytes)`, read at compile time.
macro_rules! embed_theme {
    ($($path:literal),* $(,)?) => {
        [$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, embedded so a site without `themes/` builds.
const DEFAULT_THEME: &[(&str, &[u8])] = &embed_theme![
    "templates/404.html",
    "templates/base.html",
    "templates/challenge.html",
    "templates/challenge_card.html",
    "templates/challenge_cards.html",
    "templates/embed.html",
    "templates/follow_links.html",
    "templates/index.html",
    "templates/list.html",
    "templates/page.html",
    "templates/pagination.html",
    "templates/status_badge.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "static/embed.css",
    "static/favicon.svg",
    "static/style.css",
    "static/utlys.js",
    "i18n/sv.toml",
    "i18n/en.toml",
];

/// The output folder of the theme's own files.
pub const ASSET_DIR: &str = "static/";

/// A theme file and where it came from (for messages).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Shown in messages: the site's file, or `(default theme)/…`.
    pub origin: PathBuf,
}

/// The templates, static files and UI strings of the theme in use.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// `templates/…` files by name (`challenge.html`).
    pub templates: BTreeMap<String, ThemeFile>,
    /// `static/…` files by path under `static/`, as published (a style
    /// sheet's references to the others name their hashed names).
    pub statics: BTreeMap<String, ThemeFile>,
    /// Path under `static/` → the name it is published under there, with
    /// a hash of its bytes (`style.css` → `style.3f2a9c1e.css`): see
    /// [`assets`].
    pub assets: BTreeMap<String, String>,
    /// UI strings per language.
    pub strings: BTreeMap<Lang, BTreeMap<String, String>>,
    /// Warnings from reading the theme's folder (a link to a file of the
    /// site that is not published), for the build to report.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Loads theme `name`: the embedded default, overlaid with the site's
    /// `themes/<name>/` when it exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, ThemeFile> = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| {
                let file = ThemeFile {
                    bytes: bytes.to_vec(),
                    origin: PathBuf::from("(default theme)").join(path),
                };
                (path.to_string(), file)
            })
            .collect();
        let folder = format!("themes/{name}");
        let mut warnings = Vec::new();
        let mut walked = crate::diagnostics::Diagnostics::default();
        match crate::content::walk_folder(root, &folder, &mut walked) {
            crate::content::Folder::Files(found) => {
                if walked.has_errors() {
                    return Err(walked.0);
                }
                warnings = walked.0;
                for file in found {
                    match std::fs::read(&file.path) {
                        Ok(bytes) => {
                            files.insert(
                                file.rel,
                                ThemeFile {
                                    bytes,
                                    origin: file.shown,
                                },
                            );
                        }
                        Err(e) => {
                            return Err(vec![
                                Diagnostic::error(
                                    file.shown,
                                    msg!("kan inte läsas: {e}", "cannot read: {e}"),
                                )
                                .with_code("unreadable")
                                .with_hint(msg!(
                                    "kontrollera filens behörigheter",
                                    "check the file's permissions"
                                )),
                            ]);
                        }
                    }
                }
            }
            crate::content::Folder::Missing if name != "default" => {
                return Err(vec![
                    Diagnostic::error(
                        crate::config::CONFIG_FILE,
                        msg!(
                            "temat `{name}` finns inte: det finns ingen mapp themes/{name}/",
                            "the theme `{name}` does not exist: there is no themes/{name}/ folder"
                        ),
                    )
                    .with_field("theme")
                    .with_code("missing-theme")
                    .with_hint(msg!(
                        "skapa mappen, eller skriv `theme = \"default\"`",
                        "create the folder, or write `theme = \"default\"`"
                    )),
                ]);
            }
            crate::content::Folder::Missing => {}
        }

        let mut theme = Theme {
            warnings,
            ..Theme::default()
        };
        let mut problems = Vec::new();
        for (path, file) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                theme.templates.insert(name.to_string(), file);
            } else if let Some(name) = path.strip_prefix("static/") {
                theme.statics.insert(name.to_string(), file);
            } else if let Some(file_name) = path.strip_prefix("i18n/") {
                let lang = match file_name {
                    "sv.toml" => Lang::Sv,
                    "en.toml" => Lang::En,
                    _ => continue,
                };
                match parse_strings(&file) {
                    Ok(strings) => {
                        // A site's file adds to and overrides the default's strings.
                        theme.strings.entry(lang).or_default().extend(strings);
                    }
                    Err(d) => problems.push(d),
                }
            }
        }
        theme.assets = assets::name_assets(&mut theme.statics);
        if problems.is_empty() {
            Ok(theme)
        } else {
            Err(problems)
        }
    }

    /// The literal `id="…"` values of the templates, which Markdown headings
    /// must not repeat (an id is unique on a page).
    pub fn reserved_ids(&self) -> std::collections::HashSet<String> {
        let mut ids = std::collections::HashSet::new();
        for file in self.templates.values() {
            let text = String::from_utf8_lossy(&file.bytes);
            for part in text.split("id=\"").skip(1) {
                let id = part.split('"').next().unwrap_or("");
                if !id.is_empty() && !id.contains(['{', '}', '%', ' ']) {
                    ids.insert(id.to_string());
                }
            }
        }
        ids
    }

    /// The address of the theme's file `path` (under `static/`) as
    /// published, under `base_path`; `None` when the theme has no such file.
    pub fn asset_url(&self, base_path: &str, path: &str) -> Option<String> {
        let name = self.assets.get(path.trim_start_matches('/'))?;
        Some(format!("{base_path}{ASSET_DIR}{name}"))
    }

    /// The UI strings for `lang`, falling back to `default` for missing keys.
    pub fn strings_for(&self, lang: Lang, default: Lang) -> BTreeMap<String, String> {
        let mut strings = self.strings.get(&default).cloned().unwrap_or_default();
        if lang != default {
            strings.extend(self.strings.get(&lang).cloned().unwrap_or_default());
        }
        strings
    }
}

fn parse_strings(file: &ThemeFile) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = String::from_utf8_lossy(&file.bytes);
    toml::from_str::<BTreeMap<String, String>>(&text).map_err(|e| {
        let reason = e.message().trim_end();
        let d = Diagnostic::error(
            &file.origin,
            // The TOML parser's own words exist in English only.
            msg!("filen med texter går inte att läsa: {reason}", "{reason}"),
        )
        .with_code("invalid-toml")
        .with_hint(msg!(
            "skriv en rad `nyckel = \"text\"` per text",
            "write one `key = \"text\"` per line"
        ));
        match e.span() {
            Some(span) => d.at_span(&text, span.into()),
            None => d,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkdir::WalkDir;

    #[test]
    fn every_default_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        for path in &on_disk {
            assert!(
                DEFAULT_THEME.iter().any(|(p, _)| p == path),
                "themes/default/{path} is not listed in DEFAULT_THEME"
            );
        }
        assert_eq!(on_disk.len(), DEFAULT_THEME.len());
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let theme = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        let sv: Vec<_> = theme.strings[&Lang::Sv].keys().collect();
        let en: Vec<_> = theme.strings[&Lang::En].keys().collect();
        assert_eq!(sv, en);
    }
}
