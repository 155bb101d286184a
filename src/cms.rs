//! The browser editor: the configuration and admin page of Decap CMS,
//! made from the table of front-matter fields ([`crate::content::fields`])
//! so the form offers exactly the fields the validator accepts, with the
//! same required ones and the same Swedish help. `utlys cms` (and
//! `utlys init --cms decap`) writes them into `static/admin/`, which the
//! build publishes at `admin/` as it is: a static file is in neither the
//! sitemap nor the search index, and the page itself says `noindex`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::{CmsSettings, Config, lang_code};
use crate::content::CHALLENGES_DIR;
use crate::content::fields::{self, FieldKind, FieldSpec};
use crate::content::model::Stage;
use crate::escape;

/// The pinned version of Decap CMS the admin page loads by default.
pub const DEFAULT_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";

/// The subresource-integrity hash of [`DEFAULT_SCRIPT`], computed from the
/// same file in the npm package `decap-cms@3.16.3`.
pub const DEFAULT_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the two files go, relative to the site root.
pub const ADMIN_DIR: &str = "static/admin";

/// The first line of every file `utlys cms` writes: a file without it was
/// not made here and is never overwritten.
pub const MARK: &str = "Gjord av `utlys cms`";

/// The pattern a deadline-like field must match: a date, a local date and
/// time, or a time with an offset. A time that does not exist when the
/// clocks change passes here and is caught by `utlys check`.
pub const MOMENT_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$";

/// A YAML scalar: JSON's double-quoted strings are YAML's too.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `config.yml` for the site: backend, languages, editorial workflow,
/// media folder, and the challenges and pages as collections.
/// `stage_labels` maps each stage's key to its Swedish label.
pub fn config_yml(config: &Config, stage_labels: &BTreeMap<String, String>) -> String {
    let mut out =
        format!("# {MARK} från webbplatsens fält; ändringar här skrivs över nästa gång.\n");
    out.push_str(&backend_yml(&config.cms));
    let multilingual = config.languages.len() > 1;
    let _ = write!(
        out,
        "\n# Sparar på en lokal Git-mapp när `npx decap-server` körs på datorn (för test).\nlocal_backend: true\n\n\
         # Utkast → Granskas → Klar att publicera: inget publiceras förrän någon godkänner det.\n\
         publish_mode: editorial_workflow\n\n\
         # Bilder och dokument som läggs in i texten.\nmedia_folder: \"static/dokument\"\npublic_folder: {public}\n\n\
         locale: \"sv\"\n\n\
         # Filnamn av rubriken med bara a–z, siffror och bindestreck, som `utlys new` gör dem.\n\
         slug:\n  encoding: \"ascii\"\n  clean_accents: true\n",
        public = q(&format!("{}dokument", config.base_path)),
    );
    if multilingual {
        let def = lang_code(config.language);
        let locales: Vec<String> = config.languages.iter().map(|l| q(lang_code(*l))).collect();
        let _ = write!(
            out,
            "\n# Ett språk per fil: namn.{def}.md och namn.en.md (Utlys läser namn.{def}.md som namn.md).\n\
             i18n:\n  structure: multiple_files\n  locales: [{}]\n  default_locale: {}\n",
            locales.join(", "),
            q(def),
        );
    }
    out.push_str("\ncollections:\n");
    let langs: Vec<&str> = config.languages.iter().map(|l| lang_code(*l)).collect();
    let ctx = Ctx {
        stages: stage_labels,
        langs: &langs,
        multilingual,
    };
    collection(
        &mut out,
        ("challenges", "Utmaningar", "Utmaning"),
        &format!("content/{CHALLENGES_DIR}"),
        fields::CHALLENGE,
        &ctx,
    );
    collection(
        &mut out,
        ("pages", "Sidor", "Sida"),
        "content",
        fields::PAGE,
        &ctx,
    );
    out
}

/// The backend section: the chosen service active, the others as comments
/// to switch to.
fn backend_yml(cms: &CmsSettings) -> String {
    let chosen = cms.backend.as_deref().unwrap_or("gitlab");
    let repo = cms.repo.as_deref().unwrap_or("kommun/utmaningar");
    let branch = cms.branch.as_deref().unwrap_or("main");
    let mut out = String::from(
        "\n# Var innehållet sparas. Ställs in under [cms] i site.toml (backend, repo, branch,\n\
         # service_url, app_id); se docs/redigera-i-webblasaren.md.\n",
    );
    for name in crate::config::CMS_BACKENDS {
        let mut block = format!(
            "backend:\n  name: {}\n  repo: {}\n  branch: {}\n",
            q(name),
            q(repo),
            q(branch)
        );
        let service = cms.service_url.as_deref().map(|u| u.trim_end_matches('/'));
        match (name, service) {
            ("gitlab", _) => {
                block.push_str("  auth_type: \"pkce\"\n");
                let app = cms.app_id.as_deref().unwrap_or("OAUTH-APPLIKATIONENS-ID");
                let _ = writeln!(block, "  app_id: {}", q(app));
                if let Some(s) = service {
                    let _ = writeln!(
                        block,
                        "  base_url: {}\n  api_root: {}",
                        q(s),
                        q(&format!("{s}/api/v4"))
                    );
                    block.push_str("  auth_endpoint: \"oauth/authorize\"\n");
                }
            }
            ("gitea", s) => {
                let s = s.unwrap_or("https://git.kommun.se");
                let app = cms.app_id.as_deref().unwrap_or("OAUTH-APPLIKATIONENS-ID");
                let _ = writeln!(
                    block,
                    "  base_url: {}\n  api_root: {}\n  app_id: {}",
                    q(s),
                    q(&format!("{s}/api/v1")),
                    q(app)
                );
            }
            (_, Some(s)) => {
                let _ = writeln!(block, "  base_url: {}", q(s));
            }
            _ => {}
        }
        if name == chosen {
            out.push_str(&block);
        } else {
            let _ = writeln!(out, "# Eller {name}:");
            for line in block.lines() {
                let _ = writeln!(out, "# {line}");
            }
        }
    }
    out
}

/// What the fields' widgets need from the site.
struct Ctx<'a> {
    stages: &'a BTreeMap<String, String>,
    langs: &'a [&'a str],
    /// Whether the site has more than one language (then fields say
    /// whether they are translated).
    multilingual: bool,
}

/// One folder collection with its fields and the Markdown body.
fn collection(
    out: &mut String,
    (name, label, singular): (&str, &str, &str),
    folder: &str,
    specs: &[FieldSpec],
    ctx: &Ctx<'_>,
) {
    let _ = write!(
        out,
        "  - name: {}\n    label: {}\n    label_singular: {}\n    folder: {}\n    create: true\n    \
         extension: \"md\"\n    format: \"yaml-frontmatter\"\n    slug: \"{{{{slug}}}}\"\n    \
         identifier_field: \"title\"\n{i18n}    \
         # Dokument som laddas upp hamnar bredvid filen.\n    media_folder: \"\"\n    public_folder: \"\"\n    \
         fields:\n",
        q(name),
        q(label),
        q(singular),
        q(folder),
        i18n = if ctx.multilingual {
            "    i18n: true\n"
        } else {
            ""
        },
    );
    for spec in specs {
        field(out, spec, 6, (true, false), ctx);
    }
    out.push_str(
        "      - name: \"body\"\n        label: \"Text\"\n        widget: \"markdown\"\n        \
         hint: \"Sidans text i Markdown: rubriker, listor, tabeller och länkar.\"\n        \
         required: false\n",
    );
    if ctx.multilingual {
        out.push_str("        i18n: true\n");
    }
}

/// Whether writers translate the field (text) or it is the same in every
/// language (dates, stage, codes).
fn translated(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Line
            | FieldKind::Markdown
            | FieldKind::Words
            | FieldKind::Object(_)
            | FieldKind::List(_)
    )
}

/// One field and its widget, at `indent` spaces. `in_optional` says that
/// the field sits in a group the writer may leave out (an optional
/// `contact` or `notice`): the form then marks none of the group's fields
/// as required, since Decap refuses to save an empty optional group whose
/// fields are (`decap-cms` issue 7748). `utlys check` still requires them
/// once the group is filled in.
fn field(
    out: &mut String,
    spec: &FieldSpec,
    indent: usize,
    (top, in_optional): (bool, bool),
    ctx: &Ctx<'_>,
) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}- name: {}", q(spec.name));
    let pad = " ".repeat(indent + 2);
    let mut line = |k: &str, v: String| {
        let _ = writeln!(out, "{pad}{k}: {v}");
    };
    line("label", q(spec.label));
    line("hint", q(spec.hint));
    if !spec.required || in_optional {
        line("required", "false".into());
    }
    if top && ctx.multilingual {
        let i18n = if translated(spec.kind) {
            "true".into()
        } else {
            q("duplicate")
        };
        line("i18n", i18n);
    }
    widget(
        out,
        spec.kind,
        indent + 2,
        !spec.required || in_optional,
        ctx,
    );
}

/// `pattern: [regex, message]`.
fn pattern(regex: &str, message: &str) -> String {
    format!("[{}, {}]", q(regex), q(message))
}

/// The widget lines of a field of `kind`; `optional` when the writer may
/// leave the field out (see [`field`]).
fn widget(out: &mut String, kind: FieldKind, indent: usize, optional: bool, ctx: &Ctx<'_>) {
    let pad = " ".repeat(indent);
    let mut w = |lines: &[(&str, String)]| {
        for (k, v) in lines {
            let _ = writeln!(out, "{pad}{k}: {v}");
        }
    };
    let s = |v: &str| q(v);
    match kind {
        FieldKind::Line => w(&[("widget", s("string"))]),
        FieldKind::Markdown => w(&[("widget", s("markdown"))]),
        FieldKind::Date => w(&[
            ("widget", s("datetime")),
            ("format", s("YYYY-MM-DD")),
            ("date_format", s("YYYY-MM-DD")),
            ("time_format", "false".into()),
        ]),
        FieldKind::Moment => w(&[
            ("widget", s("string")),
            (
                "pattern",
                pattern(
                    MOMENT_PATTERN,
                    "Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM-DDTTT:MM eller ÅÅÅÅ-MM-DDTTT:MM+01:00, till exempel 2027-03-15 eller 2027-03-15T12:00.",
                ),
            ),
        ]),
        FieldKind::Zone => w(&[
            ("widget", s("string")),
            (
                "pattern",
                pattern(
                    r"^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$",
                    "Skriv en tidszon som Europe/Stockholm.",
                ),
            ),
        ]),
        FieldKind::Email => w(&[
            ("widget", s("string")),
            (
                "pattern",
                pattern(
                    r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                    "Skriv en e-postadress som namn@kommun.se.",
                ),
            ),
        ]),
        FieldKind::Url => w(&[
            ("widget", s("string")),
            (
                "pattern",
                pattern(
                    r"^(https?://|mailto:)\S+$",
                    "Skriv en adress som börjar med https:// (eller mailto: för e-post).",
                ),
            ),
        ]),
        FieldKind::Slug => w(&[
            ("widget", s("string")),
            (
                "pattern",
                pattern(
                    "^[a-z0-9]+(-[a-z0-9]+)*$",
                    "Bara gemena bokstäver a–z, siffror och bindestreck.",
                ),
            ),
        ]),
        FieldKind::Bool => w(&[("widget", s("boolean")), ("default", "false".into())]),
        // No default: a number the writer did not type is not written.
        FieldKind::Integer => w(&[("widget", s("number")), ("value_type", s("int"))]),
        FieldKind::File => w(&[("widget", s("file"))]),
        FieldKind::Words => w(&[("widget", s("list"))]),
        FieldKind::Cpv => {
            w(&[("widget", s("list"))]);
            let _ = writeln!(
                out,
                "{pad}field: {{name: \"code\", label: \"CPV-kod\", widget: \"string\", pattern: {}}}",
                pattern(
                    r"^\d{8}-\d$",
                    "Skriv koden som NNNNNNNN-N, till exempel 72000000-5."
                )
            );
        }
        FieldKind::Stage => {
            let options: Vec<String> = Stage::ALL
                .iter()
                .map(|st| {
                    let key = st.key();
                    let label = ctx.stages.get(key).map_or(key, String::as_str);
                    format!("{{label: {}, value: {}}}", q(label), q(key))
                })
                .collect();
            w(&[
                ("widget", s("select")),
                ("options", format!("[{}]", options.join(", "))),
            ]);
        }
        FieldKind::Lang => {
            let options: Vec<String> = ctx.langs.iter().map(|l| q(l)).collect();
            w(&[
                ("widget", s("select")),
                ("options", format!("[{}]", options.join(", "))),
            ]);
        }
        FieldKind::Object(inner) | FieldKind::List(inner) => {
            let name = if matches!(kind, FieldKind::Object(_)) {
                "object"
            } else {
                "list"
            };
            w(&[("widget", s(name)), ("collapsed", "false".into())]);
            let _ = writeln!(out, "{pad}fields:");
            // An item of a list exists only once the writer adds it, so
            // its own required fields stay required.
            let group_optional = optional && matches!(kind, FieldKind::Object(_));
            for spec in inner {
                field(out, spec, indent + 2, (false, group_optional), ctx);
            }
        }
    }
}

/// The admin page: loads the CMS script (with its integrity hash when it
/// has one), which reads `config.yml` beside it. Never indexed.
pub fn admin_html(cms: &CmsSettings) -> String {
    let (url, integrity) = match &cms.script_url {
        Some(url) => (url.as_str(), cms.script_integrity.as_deref()),
        None => (DEFAULT_SCRIPT, Some(DEFAULT_INTEGRITY)),
    };
    let integrity = integrity.map_or_else(String::new, |h| {
        format!(
            " integrity=\"{}\" crossorigin=\"anonymous\"",
            escape::xml(h)
        )
    });
    format!(
        "<!doctype html>\n<!-- {MARK}; ändringar här skrivs över nästa gång. -->\n\
         <html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <title>Redigera utmaningar</title>\n</head>\n<body>\n\
         <script src=\"{}\"{integrity}></script>\n</body>\n</html>\n",
        escape::xml(url)
    )
}

/// Why `utlys cms` wrote nothing.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum CmsError {
    /// `site.toml` or the theme cannot be read: the problems, as the build
    /// reports them.
    Site(Vec<crate::diagnostics::Diagnostic>),
    /// A file is there that `utlys cms` did not make.
    NotOurs(std::path::PathBuf),
    /// A folder or file on the way is a symbolic link, which could lead
    /// the files out of the site.
    Link(std::path::PathBuf),
    /// Reading or writing failed.
    Io(std::path::PathBuf, #[source] std::io::Error),
}

impl CmsError {
    /// What went wrong, in both languages.
    pub fn message(&self) -> crate::diagnostics::Msg {
        match self {
            CmsError::Site(ds) => {
                let n = ds.len();
                crate::msg!(
                    "webbplatsens inställningar eller tema går inte att läsa ({n} problem)",
                    "the site's settings or theme cannot be read ({n} problems)"
                )
            }
            CmsError::NotOurs(path) => {
                let path = path.display();
                crate::msg!(
                    "{path} finns redan och är inte gjord av `utlys cms`; ingenting skrevs",
                    "{path} already exists and was not made by `utlys cms`; nothing was written"
                )
            }
            CmsError::Link(path) => {
                let path = path.display();
                crate::msg!(
                    "{path} är en symbolisk länk, som kan leda ut ur webbplatsen; ingenting skrevs",
                    "{path} is a symbolic link, which may lead out of the site; nothing was written"
                )
            }
            CmsError::Io(path, e) => {
                let path = path.display();
                crate::msg!("{path}: {e}", "{path}: {e}")
            }
        }
    }

    /// How to get past it.
    pub fn hint(&self) -> crate::diagnostics::Msg {
        match self {
            CmsError::Site(_) => crate::msg!(
                "rätta problemen som `utlys check` visar och kör sedan `utlys cms` igen",
                "fix the problems `utlys check` shows, then run `utlys cms` again"
            ),
            CmsError::NotOurs(_) => crate::msg!(
                "flytta eller byt namn på filen (den kan vara en egen konfiguration) och kör sedan `utlys cms` igen",
                "move or rename the file (it may be a configuration of your own), then run `utlys cms` again"
            ),
            CmsError::Link(_) => crate::msg!(
                "ersätt länken med en vanlig mapp eller fil i webbplatsen och kör sedan `utlys cms` igen",
                "replace the link with an ordinary folder or file of the site, then run `utlys cms` again"
            ),
            CmsError::Io(..) => crate::msg!(
                "kontrollera att mappen finns och att det går att skriva i den",
                "check that the folder exists and can be written to"
            ),
        }
    }
}

/// Writes `static/admin/config.yml` and `static/admin/index.html` for the
/// site at `root`, from its `site.toml`, theme and the table of fields.
/// A file there is replaced only when `utlys cms` made it (it carries
/// [`MARK`]). Returns the files written.
pub fn write(root: &std::path::Path) -> Result<Vec<std::path::PathBuf>, CmsError> {
    let config = Config::load(root).map_err(CmsError::Site)?;
    let theme = crate::theme::Theme::load(root, &config.theme).map_err(CmsError::Site)?;
    let strings = theme.strings_for(crate::model::Lang::Sv, config.language);
    let stages: BTreeMap<String, String> = Stage::ALL
        .iter()
        .filter_map(|st| {
            let label = strings.get(&format!("stage_{}", st.key()))?;
            Some((st.key().to_string(), label.clone()))
        })
        .collect();
    let dir = root.join(ADMIN_DIR);
    let files = [
        (dir.join("config.yml"), config_yml(&config, &stages)),
        (dir.join("index.html"), admin_html(&config.cms)),
    ];
    // Nothing is followed: a link as `static/`, `static/admin/` or one of
    // the files could put them outside the site.
    let on_the_way = [root.join("static"), dir.clone()];
    for path in on_the_way.iter().chain(files.iter().map(|(p, _)| p)) {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(CmsError::Link(path.clone()));
        }
    }
    for (path, _) in &files {
        match std::fs::read_to_string(path) {
            Ok(old) if old.lines().take(2).any(|l| l.contains(MARK)) => {}
            Ok(_) => return Err(CmsError::NotOurs(path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return Err(CmsError::NotOurs(path.clone())),
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| CmsError::Io(dir.clone(), e))?;
    let mut written = Vec::new();
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| CmsError::Io(path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn config(languages: &str) -> Config {
        let text = format!(
            "title = \"T\"\nbase_url = \"https://utmaningar.kommun.se/\"\nlanguages = {languages}\n"
        );
        Config::parse(&text, std::path::Path::new("site.toml")).unwrap()
    }

    fn parsed(config: &Config) -> Value {
        let labels = Stage::ALL
            .iter()
            .map(|s| (s.key().to_string(), format!("Etikett {}", s.key())))
            .collect();
        serde_saphyr::from_str(&config_yml(config, &labels)).unwrap()
    }

    /// The fields of the form and of the table agree both ways, at every
    /// level: names, required marks, and a widget for each.
    fn compare(form: &[Value], table: &[FieldSpec], at: &str, in_optional: bool) {
        let form_names: Vec<&str> = form.iter().map(|f| f["name"].as_str().unwrap()).collect();
        let table_names = fields::names(table);
        for name in &table_names {
            assert!(
                form_names.contains(name),
                "{at}: `{name}` is in the model, not in the form"
            );
        }
        for name in &form_names {
            assert!(
                table_names.contains(name),
                "{at}: `{name}` is in the form, not in the model"
            );
        }
        for spec in table {
            let f = form.iter().find(|f| f["name"] == spec.name).unwrap();
            let widget = f["widget"].as_str().unwrap_or("");
            assert!(!widget.is_empty(), "{at}.{}: no widget", spec.name);
            assert_eq!(
                f.get("required") != Some(&Value::Bool(false)),
                spec.required && !in_optional,
                "{at}.{}",
                spec.name
            );
            assert_eq!(f["hint"], spec.hint);
            if let FieldKind::Object(inner) | FieldKind::List(inner) = spec.kind {
                let at = format!("{at}.{}", spec.name);
                let optional =
                    (in_optional || !spec.required) && matches!(spec.kind, FieldKind::Object(_));
                compare(f["fields"].as_array().unwrap(), inner, &at, optional);
            }
        }
    }

    #[test]
    fn the_form_has_every_field_of_the_model_and_no_other() {
        let yml = parsed(&config("[\"sv\", \"en\"]"));
        let collections = yml["collections"].as_array().unwrap();
        for (name, table) in [("challenges", fields::CHALLENGE), ("pages", fields::PAGE)] {
            let c = collections.iter().find(|c| c["name"] == name).unwrap();
            let mut form = c["fields"].as_array().unwrap().clone();
            // The text below the front matter is Decap's `body`.
            let body = form.pop().unwrap();
            assert_eq!(
                (body["name"].as_str(), body["widget"].as_str()),
                (Some("body"), Some("markdown"))
            );
            compare(&form, table, name, false);
        }
    }

    #[test]
    fn stages_languages_workflow_and_dates_are_as_utlys_reads_them() {
        let yml = parsed(&config("[\"sv\", \"en\"]"));
        assert_eq!(yml["publish_mode"], "editorial_workflow");
        assert_eq!(yml["i18n"]["structure"], "multiple_files");
        assert_eq!(yml["i18n"]["locales"], serde_json::json!(["sv", "en"]));
        assert_eq!(yml["backend"]["name"], "gitlab");
        let challenge = &yml["collections"][0]["fields"];
        let field = |n: &str| {
            challenge
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == n)
                .unwrap()
                .clone()
        };
        let options = field("stage")["options"].clone();
        let values: Vec<&str> = options
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["value"].as_str().unwrap())
            .collect();
        assert_eq!(values, Stage::ALL.map(Stage::key));
        assert_eq!(options[2]["label"], "Etikett rfi");
        assert_eq!(field("title")["i18n"], true);
        assert_eq!(field("deadline")["i18n"], "duplicate");
        let regex = field("deadline")["pattern"][0]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(regex, MOMENT_PATTERN);
        assert_eq!(field("published")["time_format"], false);
    }

    #[test]
    fn a_site_in_one_language_has_no_translations() {
        let yml = parsed(&config("[\"sv\"]"));
        assert!(yml.get("i18n").is_none());
        assert!(!config_yml(&config("[\"sv\"]"), &BTreeMap::new()).contains("i18n"));
    }

    #[test]
    fn the_chosen_backend_is_active_and_the_others_are_comments() {
        let mut c = config("[\"sv\"]");
        c.cms.backend = Some("gitea".into());
        c.cms.repo = Some("stad/portal".into());
        c.cms.service_url = Some("https://git.stad.se/".into());
        let yml: Value = serde_saphyr::from_str(&config_yml(&c, &BTreeMap::new())).unwrap();
        assert_eq!(yml["backend"]["name"], "gitea");
        assert_eq!(yml["backend"]["api_root"], "https://git.stad.se/api/v1");
        assert_eq!(yml["backend"]["repo"], "stad/portal");
        let text = config_yml(&c, &BTreeMap::new());
        assert!(text.contains("#   name: \"gitlab\"") && text.contains("#   name: \"github\""));
    }

    #[test]
    fn the_admin_page_is_not_indexed_and_pins_the_script() {
        let page = admin_html(&CmsSettings::default());
        assert!(page.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
        assert!(page.contains(&format!(
            "src=\"{DEFAULT_SCRIPT}\" integrity=\"{DEFAULT_INTEGRITY}\""
        )));
        let own = CmsSettings {
            script_url: Some("/decap/decap-cms.js?a=1&b=\"".into()),
            ..CmsSettings::default()
        };
        let page = admin_html(&own);
        assert!(
            page.contains("src=\"/decap/decap-cms.js?a=1&amp;b=&quot;\"></script>"),
            "{page}"
        );
    }
}
