//! `site.toml`: the settings of one site.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::address::{self, Allowed, Problem};
use crate::brand::{self, Brand, Key, RawBrand};
use crate::diagnostics::{Diagnostic, Msg, Severity, Span, suggest};
use crate::model::Lang;
use crate::msg;
use crate::text::{self, TextKind};
use crate::time::{self, Time, TimeZone};

/// The file name of the site settings.
pub const CONFIG_FILE: &str = "site.toml";

/// The host of the `base_url` that `utlys init` writes: a site still
/// using it has not been told where it is published.
pub const EXAMPLE_HOST: &str = "example.se";

/// The kind of problem a `base_url` still at [`EXAMPLE_HOST`] is.
pub const EXAMPLE_BASE_URL: &str = "example-base-url";

/// How many challenges a page of a list shows unless `paginate` says.
pub const DEFAULT_PAGINATE: usize = 20;

/// The most challenges `paginate` may ask a page to show.
const MAX_PAGINATE: i64 = 1000;

/// How many closed challenges the home page shows unless `home_closed` says.
pub const DEFAULT_HOME_CLOSED: usize = 6;

/// The most closed challenges `home_closed` may ask for.
const MAX_HOME_CLOSED: i64 = 100;

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_deadline_time")]
    deadline_time: String,
    #[serde(default = "default_closing_soon_days")]
    closing_soon_days: i64,
    #[serde(default = "default_paginate")]
    paginate: i64,
    #[serde(default = "default_home_closed")]
    home_closed: i64,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    allow_active_files: Vec<String>,
    ocid_prefix: Option<String>,
    brand: Option<RawBrand>,
    #[serde(default)]
    image: String,
    #[serde(default)]
    image_alt: String,
    follow_email_url: Option<String>,
    #[serde(default)]
    cms: CmsSettings,
}

/// The `[cms]` table: where the browser editor (Decap CMS) is loaded from
/// and which Git service it saves to. Read by `utlys cms`, which writes
/// `static/admin/`; the build itself does not use it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CmsSettings {
    /// The address of the CMS script. Without it, the pinned version
    /// [`crate::cms::DEFAULT_SCRIPT`] with its integrity hash.
    pub script_url: Option<String>,
    /// The subresource-integrity hash (`sha384-…`) of `script_url`.
    pub script_integrity: Option<String>,
    /// `gitlab` (the default), `gitea` (also Forgejo) or `github`.
    pub backend: Option<String>,
    /// The repository, `group/project`.
    pub repo: Option<String>,
    /// The branch edits are published to (default `main`).
    pub branch: Option<String>,
    /// The address of a self-hosted service, such as `https://gitlab.kommun.se`.
    pub service_url: Option<String>,
    /// The id of the OAuth application registered with the service.
    pub app_id: Option<String>,
}

/// The Git services the CMS can save to.
pub const CMS_BACKENDS: [&str; 3] = ["gitlab", "gitea", "github"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default = "yes")]
    sanitize_html: bool,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        RawMarkdown {
            sanitize_html: true,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_language() -> String {
    "sv".into()
}
fn default_timezone() -> String {
    "Europe/Stockholm".into()
}
fn default_deadline_time() -> String {
    "23:59".into()
}
fn default_closing_soon_days() -> i64 {
    7
}
fn default_paginate() -> i64 {
    DEFAULT_PAGINATE as i64
}
fn default_home_closed() -> i64 {
    DEFAULT_HOME_CLOSED as i64
}
fn default_theme() -> String {
    "default".into()
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "timezone",
    "deadline_time",
    "closing_soon_days",
    "paginate",
    "home_closed",
    "theme",
    "markdown",
    "allow_active_files",
    "ocid_prefix",
    "brand",
    "image",
    "image_alt",
    "follow_email_url",
    "cms",
];

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-sentence description for search engines and feeds.
    pub description: String,
    /// Absolute base URL, always ending in `/` (`https://example.se/utmaningar/`).
    pub base_url: String,
    /// The path part of `base_url`, starting and ending in `/` (`/utmaningar/`).
    pub base_path: String,
    /// The default language.
    pub language: Lang,
    /// Every language the site is written in, the default first.
    pub languages: Vec<Lang>,
    /// The site's time zone.
    pub timezone: TimeZone,
    /// The zone's IANA name.
    pub timezone_name: String,
    /// Time of day a date-only deadline ends.
    pub deadline_time: Time,
    /// How many days before the deadline a challenge counts as closing soon.
    pub closing_soon_days: i64,
    /// How many challenges each page of a list shows (the challenge list,
    /// every term page); `0` puts every challenge on one page.
    pub paginate: usize,
    /// How many of the latest closed challenges the home page shows.
    pub home_closed: usize,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Clean raw HTML in Markdown (the default) rather than passing it through.
    pub sanitize_html: bool,
    /// Extensions (lower case, no dot) from [`crate::filetypes::ACTIVE_TYPES`]
    /// that may still be published from `content/`, because the site says
    /// so in `allow_active_files`. Empty by default.
    pub allow_active_files: Vec<String>,
    /// The publisher's OCID prefix registered with the Open Contracting
    /// Partnership (`ocds-` and six letters or digits). Without one the
    /// OCDS files are not written: an OCID under someone else's prefix, or
    /// an unregistered one, is rejected by aggregators.
    pub ocid_prefix: Option<String>,
    /// The city's logo, colour, name and contact details (`[brand]`);
    /// `None` keeps the theme's own look.
    pub brand: Option<Brand>,
    /// Warnings about the settings that every run reports (a large logo).
    pub warnings: Vec<Diagnostic>,
    /// The picture shown when a page without its own is shared: a file
    /// under `static/`, its path there without a leading `/`
    /// (`bilder/delning.png`); empty for none.
    pub image: String,
    /// The text alternative of `image`; may be empty.
    pub image_alt: String,
    /// The address of the site's newsletter service that subscribes to a
    /// feed by e-mail, with `{feed}` where the feed's address goes
    /// (`https://nyhetsbrev.example.se/prenumerera?rss={feed}`). With one,
    /// every feed link has a "follow by e-mail" link beside it.
    pub follow_email_url: Option<String>,
    /// The `[cms]` table, for `utlys cms`.
    pub cms: CmsSettings,
}

impl Config {
    /// Reads `site.toml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let shown = PathBuf::from(CONFIG_FILE);
        // The settings are read like every file of the site: a link is
        // followed only to a file inside the site.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            // Settings are not published, so a link to another file of the
            // site is fine; only a link out of it, to a hidden file or a
            // broken one is refused.
            if let Some(problem) = crate::fsrule::link_problem(&real_root, &path, &shown)
                .filter(crate::diagnostics::Diagnostic::is_error)
            {
                return Err(vec![problem]);
            }
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    return Err(vec![
                        Diagnostic::error(
                            shown,
                            msg!(
                                "filen är inte sparad som UTF-8",
                                "the file is not valid UTF-8"
                            ),
                        )
                        .with_code("not-utf8")
                        .with_hint(msg!("spara filen som UTF-8", "save it as UTF-8")),
                    ]);
                }
            },
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(
                        shown,
                        msg!(
                            "det går inte att läsa webbplatsens inställningar: {e}",
                            "cannot read the site settings: {e}"
                        ),
                    )
                    .with_code("unreadable-file")
                    .with_hint(msg!(
                        "kör Utlys i webbplatsens mapp, eller skriv --root MAPP",
                        "run Utlys in the site folder, or pass --root DIR"
                    )),
                ]);
            }
        };
        let mut config = Config::parse(&text, &shown)?;
        config.read_logo(root, &text, &shown)?;
        Ok(config)
    }

    /// Looks at the logo file `[brand]` names, if any: sets its size, or
    /// gives the error, at the value in `site.toml` (`text`).
    fn read_logo(&mut self, root: &Path, text: &str, shown: &Path) -> Result<(), Vec<Diagnostic>> {
        let Some(logo) = self.brand.as_mut().and_then(|b| b.logo.as_mut()) else {
            return Ok(());
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let settings = Settings::new(text, shown);
        match brand::read_logo(root, logo) {
            Ok(warning) => {
                self.warnings
                    .extend(warning.map(|w| settings.brand_problem(w)));
                Ok(())
            }
            Err(problem) => Err(vec![settings.brand_problem(problem)]),
        }
    }

    /// Parses the text of `site.toml`; `shown` is the path used in messages.
    /// Every problem is reported at once, at the value it is about.
    pub fn parse(text: &str, shown: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut raw = read_raw(text, shown)?;
        let settings = Settings::new(text, shown);
        check_lines(&raw, &settings)?;
        let mut errors = Vec::new();
        let (base_url, base_path) = normalize_base_url(&raw.base_url).unwrap_or_else(|problem| {
            let d = Diagnostic::error(shown, problem.message)
                .with_code(address::CODE)
                .with_field("base_url")
                .with_hint(problem.hint);
            errors.push(match settings.span("base_url", None) {
                Some(span) => d.at_span(text, span),
                None => d,
            });
            (String::new(), "/".into())
        });
        let (language, languages) = read_languages(&raw, &settings, &mut errors);
        let timezone = time::parse_zone(&raw.timezone).unwrap_or_else(|e| {
            errors.push(settings.time_error("timezone", e));
            TimeZone::UTC
        });
        let deadline_time = time::parse_time_of_day(&raw.deadline_time).unwrap_or_else(|e| {
            errors.push(settings.time_error("deadline_time", e));
            Time::midnight()
        });
        check_numbers_and_names(&raw, &settings, &mut errors);
        let allow_active_files = read_active_files(&raw, &settings, &mut errors);
        check_ocid_prefix(&raw, &settings, &mut errors);
        check_image(&raw, &settings, &mut errors);
        let brand = match raw.brand.take() {
            None => None,
            Some(b) => brand::read(b)
                .map_err(|problems| {
                    errors.extend(problems.into_iter().map(|p| settings.brand_problem(p)));
                })
                .ok(),
        };
        check_follow_email_url(&raw, &settings, &mut errors);
        check_cms(&raw.cms, &settings, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            language,
            languages,
            timezone,
            timezone_name: raw.timezone,
            deadline_time,
            closing_soon_days: raw.closing_soon_days,
            paginate: usize::try_from(raw.paginate).unwrap_or(DEFAULT_PAGINATE),
            home_closed: usize::try_from(raw.home_closed).unwrap_or(DEFAULT_HOME_CLOSED),
            theme: raw.theme,
            sanitize_html: raw.markdown.sanitize_html,
            allow_active_files,
            ocid_prefix: raw.ocid_prefix,
            brand,
            warnings: Vec::new(),
            image: raw.image.trim().trim_start_matches('/').to_string(),
            image_alt: raw.image_alt.trim().to_string(),
            follow_email_url: raw.follow_email_url.map(|u| u.trim().to_string()),
            cms: raw.cms,
        })
    }

    /// The address that subscribes by e-mail to the feed at `feed` (an
    /// absolute address): `follow_email_url` with `{feed}` replaced by it,
    /// percent-encoded; empty when the site has no `follow_email_url`.
    pub fn follow_email(&self, feed: &str) -> String {
        self.follow_email_url
            .as_deref()
            .map_or_else(String::new, |t| {
                t.replace(FEED_PLACEHOLDER, &crate::escape::encode_component(feed))
            })
    }

    /// Whether `base_url` is still the example address `utlys init` wrote
    /// (host [`EXAMPLE_HOST`] or `www.` and it, any path). Every feed,
    /// calendar and canonical link would point there.
    pub fn has_example_base_url(&self) -> bool {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let host = rest.split(['/', ':']).next().unwrap_or("");
        let host = host.to_ascii_lowercase();
        host == EXAMPLE_HOST || host.strip_prefix("www.") == Some(EXAMPLE_HOST)
    }

    /// Replaces the base URL with `url`, given with the `--base-url` flag
    /// (or by the preview server); the error names the flag.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let (base_url, base_path) = normalize_base_url(url).map_err(|problem| {
            Diagnostic::error("--base-url", problem.message)
                .with_code(address::CODE)
                .with_hint(problem.hint)
        })?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// The problem with the site at `root` when its `base_url` is still the
/// example address (see [`Config::has_example_base_url`]), at the value
/// in `site.toml`: an error for `build`, a warning for `check`. `None`
/// when the address is the site's own, or the settings cannot be read
/// (the build then reports that).
pub fn example_base_url(root: &Path, severity: Severity) -> Option<Diagnostic> {
    let config = Config::load(root).ok()?;
    if !config.has_example_base_url() {
        return None;
    }
    let url = &config.base_url;
    let d = Diagnostic::new(
        severity,
        CONFIG_FILE,
        crate::msg!(
            "`base_url` är fortfarande exempeladressen `{url}` från `utlys init`, så alla länkar, flöden och kalendrar skulle peka dit",
            "`base_url` is still the example address `{url}` from `utlys init`, so every link, feed and calendar would point there"
        ),
    )
    .with_code(EXAMPLE_BASE_URL)
    .with_field("base_url")
    .with_hint(crate::msg!(
        "skriv adressen där portalen publiceras i `base_url` i site.toml, till exempel `https://utmaningar.kommun.se/`; för ett prov, ge `--base-url` eller `--allow-example-url`",
        "write the address the portal is published at as `base_url` in site.toml, for example `https://utmaningar.kommun.se/`; for a trial, give `--base-url` or `--allow-example-url`"
    ));
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let shown = PathBuf::from(CONFIG_FILE);
    Some(match Settings::new(text, &shown).span("base_url", None) {
        Some(span) => d.at_span(text, span),
        None => d,
    })
}

/// `site.toml` read into its fields, or the parser's error at its span,
/// with the nearest known key for a misspelt one.
fn read_raw(text: &str, shown: &Path) -> Result<RawConfig, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| {
        // The TOML parser's own words exist in English only.
        let parsed = e.message().trim();
        let mut d = Diagnostic::error(
            shown,
            msg!("site.toml går inte att läsa: {parsed}", "{parsed}"),
        )
        .with_code("invalid-toml");
        if let Some(span) = e.span() {
            d = d.at_span(text, span.into());
        }
        if let Some(name) = unknown_name(e.message())
            && let Some(near) = suggest(name, KNOWN_KEYS.iter().copied())
        {
            d = d
                .with_code("unknown-field")
                .with_hint(msg!("menade du `{near}`?", "did you mean `{near}`?"));
        }
        vec![d]
    })
}

/// The text of `site.toml` with the spans of its values, as the TOML
/// parser gives them, for pointing each problem at its value.
struct Settings<'a> {
    text: &'a str,
    shown: &'a Path,
    table: Option<toml::de::DeTable<'a>>,
}

impl<'a> Settings<'a> {
    fn new(text: &'a str, shown: &'a Path) -> Settings<'a> {
        let table = toml::de::DeTable::parse(text)
            .ok()
            .map(toml::Spanned::into_inner);
        Settings { text, shown, table }
    }

    /// The bytes of the value of `key`, or of its item `item` for a list.
    fn span(&self, key: &str, item: Option<usize>) -> Option<Span> {
        let value = self.table.as_ref()?.get(key)?;
        let span = match (item, value.get_ref()) {
            (Some(i), toml::de::DeValue::Array(items)) => items.get(i)?.span(),
            _ => value.span(),
        };
        Some(span.into())
    }

    /// The bytes of the value at `keys`, a table key or a list item at
    /// each step (`brand`, `footer`, `links`, 1, `url`).
    fn span_at(&self, keys: &[Key]) -> Option<Span> {
        let mut value: Option<&toml::Spanned<toml::de::DeValue<'_>>> = None;
        for key in keys {
            let next = match (key, value.map(toml::Spanned::get_ref)) {
                (Key::Name(name), None) => self.table.as_ref()?.get(*name),
                (Key::Name(name), Some(toml::de::DeValue::Table(t))) => t.get(*name),
                (Key::Item(i), Some(toml::de::DeValue::Array(items))) => items.get(*i),
                _ => None,
            };
            value = Some(next?);
        }
        Some(value?.span().into())
    }

    /// A problem of `[brand]` as a diagnostic at its value, or at the
    /// table when the value is not written (a missing `logo_alt`).
    fn brand_problem(&self, p: brand::Problem) -> Diagnostic {
        let field =
            p.at.iter()
                .map(|k| match k {
                    Key::Name(n) => format!(".{n}"),
                    Key::Item(i) => format!("[{i}]"),
                })
                .collect::<String>();
        let severity = if p.warning {
            Severity::Warning
        } else {
            Severity::Error
        };
        let d = Diagnostic::new(severity, self.shown, p.message)
            .with_code(p.code)
            .with_field(field.trim_start_matches('.'))
            .with_hint(p.hint);
        match self.span_at(&p.at) {
            Some(span) => d.at_span(self.text, span),
            None => d,
        }
    }

    /// A time zone or time of day that cannot be read, at the value of `key`.
    fn time_error(&self, key: &str, e: time::TimeError) -> Diagnostic {
        let d = e.into_diagnostic(self.shown).with_field(key);
        match self.span(key, None) {
            Some(span) => d.at_span(self.text, span),
            None => d,
        }
    }

    /// An error about the value of `key` (item `item` of it, for a list).
    fn error(
        &self,
        (key, item): (&str, Option<usize>),
        code: &'static str,
        message: Msg,
        hint: Msg,
    ) -> Diagnostic {
        let d = Diagnostic::error(self.shown, message)
            .with_code(code)
            .with_field(key)
            .with_hint(hint);
        match self.span(key, item) {
            Some(span) => d.at_span(self.text, span),
            None => d,
        }
    }
}

/// Refuses a control character in a one-line setting. The values are not
/// read further when there is one: it would only end up in the next
/// messages. `base_url` is checked with the rest of its form, the same way
/// as `--base-url`.
fn check_lines(raw: &RawConfig, settings: &Settings<'_>) -> Result<(), Vec<Diagnostic>> {
    let lines = [
        ("title", raw.title.as_str()),
        ("description", raw.description.as_str()),
        ("language", raw.language.as_str()),
        ("timezone", raw.timezone.as_str()),
        ("deadline_time", raw.deadline_time.as_str()),
        ("theme", raw.theme.as_str()),
        ("ocid_prefix", raw.ocid_prefix.as_deref().unwrap_or("")),
        ("image", raw.image.as_str()),
        ("image_alt", raw.image_alt.as_str()),
        (
            "follow_email_url",
            raw.follow_email_url.as_deref().unwrap_or(""),
        ),
    ]
    .into_iter()
    .map(|(key, value)| ((key, None), value))
    .chain(
        raw.languages
            .iter()
            .enumerate()
            .map(|(i, l)| (("languages", Some(i)), l.as_str())),
    );
    let mut errors = Vec::new();
    for (at, value) in lines {
        if let Some((_, c)) = text::forbidden(value, TextKind::Line) {
            let (message, hint) = text::problem_msg(TextKind::Line, c);
            errors.push(settings.error(at, "control-character", message, hint));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The default language and every language of the site, the default first.
fn read_languages(
    raw: &RawConfig,
    settings: &Settings<'_>,
    errors: &mut Vec<Diagnostic>,
) -> (Lang, Vec<Lang>) {
    let language = parse_lang(&raw.language).unwrap_or_else(|| {
        let written = &raw.language;
        errors.push(settings.error(
            ("language", None),
            "unknown-language",
            msg!("okänt språk `{written}`", "unknown language `{written}`"),
            msg!("skriv \"sv\" eller \"en\"", "use \"sv\" or \"en\""),
        ));
        Lang::Sv
    });
    let mut languages = vec![language];
    for (i, l) in raw.languages.iter().enumerate() {
        match parse_lang(l) {
            Some(l) if !languages.contains(&l) => languages.push(l),
            Some(_) => {}
            None => errors.push(settings.error(
                ("languages", Some(i)),
                "unknown-language",
                msg!("okänt språk `{l}`", "unknown language `{l}`"),
                msg!("skriv \"sv\" och/eller \"en\"", "use \"sv\" and/or \"en\""),
            )),
        }
    }
    (language, languages)
}

/// `paginate` and `home_closed`: whole numbers in their ranges.
fn check_list_sizes(raw: &RawConfig, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    if !(0..=MAX_PAGINATE).contains(&raw.paginate) {
        let n = raw.paginate;
        errors.push(settings.error(
            ("paginate", None),
            "out-of-range",
            msg!(
                "{n} är inte ett antal utmaningar per sida från 1 till {MAX_PAGINATE} (0 stänger av uppdelningen)",
                "{n} is not a number of challenges per page from 1 to {MAX_PAGINATE} (0 turns paging off)"
            ),
            msg!(
                "skriv till exempel paginate = 20 (standardvärdet)",
                "write for example paginate = 20 (the default)"
            ),
        ));
    }
    if !(0..=MAX_HOME_CLOSED).contains(&raw.home_closed) {
        let n = raw.home_closed;
        errors.push(settings.error(
            ("home_closed", None),
            "out-of-range",
            msg!(
                "{n} är inte ett antal avslutade utmaningar från 0 till {MAX_HOME_CLOSED}",
                "{n} is not a number of closed challenges from 0 to {MAX_HOME_CLOSED}"
            ),
            msg!(
                "skriv till exempel home_closed = 6 (standardvärdet)",
                "write for example home_closed = 6 (the default)"
            ),
        ));
    }
}

fn check_numbers_and_names(raw: &RawConfig, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    if !(0..=365).contains(&raw.closing_soon_days) {
        let days = raw.closing_soon_days;
        errors.push(settings.error(
            ("closing_soon_days", None),
            "out-of-range",
            msg!(
                "{days} är inte ett antal dagar från 0 till 365",
                "{days} is not a number of days from 0 to 365"
            ),
            msg!("standardvärdet är 7", "the default is 7"),
        ));
    }
    check_list_sizes(raw, settings, errors);
    if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
        let theme = &raw.theme;
        errors.push(settings.error(
            ("theme", None),
            "invalid-theme",
            msg!(
                "`{theme}` är inte namnet på en temamapp",
                "`{theme}` is not a theme folder name"
            ),
            msg!(
                "skriv namnet på en mapp direkt under themes/, till exempel \"default\"",
                "name a folder directly under themes/, such as \"default\""
            ),
        ));
    }
}

/// The kinds of picture a shared page may show (see `image`).
pub const IMAGE_TYPES: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// The form of `image`: a path inside `static/` to a picture. Whether the
/// file is there is checked with the files of `static/`.
fn check_image(raw: &RawConfig, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    let written = raw.image.trim();
    if written.is_empty() {
        return;
    }
    let name = written.trim_start_matches('/');
    let plain = !name.is_empty()
        && !name.contains(['\\', ':'])
        && name
            .split('/')
            .all(|p| !p.is_empty() && p != ".." && !p.starts_with('.'));
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let problem = if !plain {
        Some((
            "invalid-image-path",
            msg!(
                "`{written}` är inte en fil i mappen `static/`",
                "`{written}` is not a file in the `static/` folder"
            ),
        ))
    } else if !ext.is_some_and(|e| IMAGE_TYPES.contains(&e.as_str())) {
        Some((
            "invalid-image-type",
            msg!(
                "`{written}` är inte en bild av en typ som kan delas (PNG, JPEG, GIF eller WebP)",
                "`{written}` is not an image of a type that can be shared (PNG, JPEG, GIF or WebP)"
            ),
        ))
    } else {
        None
    };
    if let Some((code, message)) = problem {
        errors.push(settings.error(
            ("image", None),
            code,
            message,
            msg!(
                "lägg bilden i mappen static och skriv sökvägen där, till exempel image = \"bilder/delning.png\"",
                "put the image in the static folder and write its path there, such as image = \"bilder/delning.png\""
            ),
        ));
    }
}

/// The form of `ocid_prefix`, when there is one.
fn check_ocid_prefix(raw: &RawConfig, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    if let Some(prefix) = &raw.ocid_prefix
        && !is_ocid_prefix(prefix)
    {
        errors.push(settings.error(
            ("ocid_prefix", None),
            "invalid-ocid-prefix",
            msg!(
                "`{prefix}` är inget OCID-prefix: det ska vara `ocds-` och sex gemena bokstäver eller siffror",
                "`{prefix}` is not an OCID prefix: it must be `ocds-` and six lower-case letters or digits"
            ),
            msg!(
                "skriv prefixet som Open Contracting Partnership har registrerat åt er, till exempel \"ocds-213czf\", eller ta bort raden för att inte publicera några OCDS-filer",
                "write the prefix the Open Contracting Partnership registered for you, such as \"ocds-213czf\", or remove the line to publish no OCDS files"
            ),
        ));
    }
}

/// What `follow_email_url` holds where the feed's address goes.
pub const FEED_PLACEHOLDER: &str = "{feed}";

/// The form of `follow_email_url`, when there is one: a whole `https://`
/// address with `{feed}` in it.
fn check_follow_email_url(raw: &RawConfig, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    let Some(written) = raw.follow_email_url.as_deref().map(str::trim) else {
        return;
    };
    if let Some((message, hint)) = follow_email_url_problem(written) {
        errors.push(settings.error(
            ("follow_email_url", None),
            "invalid-follow-email-url",
            message,
            hint,
        ));
    }
}

/// Refuses a `[cms]` table the CMS could not work with: an unknown
/// backend, a script that is not loaded over https (or from the site
/// itself), or any value with a control character.
fn check_cms(cms: &CmsSettings, settings: &Settings<'_>, errors: &mut Vec<Diagnostic>) {
    if let Some(backend) = cms.backend.as_deref()
        && !CMS_BACKENDS.contains(&backend)
    {
        let names = CMS_BACKENDS.join(", ");
        errors.push(settings.error(
            ("cms", None),
            "invalid-cms-setting",
            msg!(
                "`backend = \"{backend}\"` under [cms] är ingen tjänst som redigeringsverktyget kan spara till",
                "`backend = \"{backend}\"` under [cms] is not a service the editor can save to"
            ),
            msg!(
                "skriv en av {names}, till exempel `backend = \"gitlab\"`",
                "write one of {names}, such as `backend = \"gitlab\"`"
            ),
        ));
    }
    if let Some(url) = cms.script_url.as_deref()
        && !(url.starts_with("https://") || (url.starts_with('/') && !url.starts_with("//")))
    {
        errors.push(settings.error(
            ("cms", None),
            "invalid-cms-setting",
            msg!(
                "`script_url = \"{url}\"` under [cms] är varken en https-adress eller en sökväg på webbplatsen",
                "`script_url = \"{url}\"` under [cms] is neither an https address nor a path on the site"
            ),
            msg!(
                "skriv till exempel `script_url = \"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\"`, eller ta bort raden för att använda standardversionen",
                "write for example `script_url = \"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\"`, or remove the line to use the default version"
            ),
        ));
    }
    let values = [
        &cms.script_url,
        &cms.script_integrity,
        &cms.backend,
        &cms.repo,
        &cms.branch,
        &cms.service_url,
        &cms.app_id,
    ];
    if values
        .iter()
        .filter_map(|v| v.as_deref())
        .any(|v| text::forbidden(v, TextKind::Line).is_some() || v.contains(['"', '\\']))
    {
        errors.push(settings.error(
            ("cms", None),
            "invalid-cms-setting",
            msg!(
                "ett värde under [cms] innehåller ett kontrolltecken, ett citattecken eller ett omvänt snedstreck",
                "a value under [cms] holds a control character, a quotation mark or a backslash"
            ),
            msg!(
                "skriv varje värde på en rad utan citattecken inuti, till exempel `repo = \"kommun/utmaningar\"`",
                "write each value on one line without quotation marks inside, such as `repo = \"kommun/utmaningar\"`"
            ),
        ));
    }
}

/// What is wrong with `follow_email_url` written as `url`, and the fix.
fn follow_email_url_problem(url: &str) -> Option<(Msg, Msg)> {
    let example = "follow_email_url = \"https://nyhetsbrev.example.se/prenumerera?rss={feed}\"";
    // The placeholder stands for an encoded address: any letters do to
    // check the rest.
    let filled = url.replace(FEED_PLACEHOLDER, "feed");
    let problem = if url.is_empty() {
        Some(msg!("adressen är tom", "the address is empty"))
    } else {
        address::check_field(&filled, Allowed::WEB).map(|p| p.message)
    };
    if let Some(problem) = problem {
        let (sv, en) = (&problem.sv, &problem.en);
        return Some((
            msg!(
                "`follow_email_url` är ingen adress som går att följa: {sv}",
                "`follow_email_url` is not an address that can be followed: {en}"
            ),
            msg!(
                "skriv nyhetsbrevstjänstens hela adress för att prenumerera, med {{feed}} där flödets adress ska stå, till exempel:\n{example}\neller ta bort raden",
                "write the newsletter service's whole address for subscribing, with {{feed}} where the feed's address goes, for example:\n{example}\nor remove the line"
            ),
        ));
    }
    if !url.to_ascii_lowercase().starts_with("https://") {
        let fixed = format!(
            "follow_email_url = \"https://{}\"",
            url.split_once("://").map_or(url, |(_, rest)| rest)
        );
        return Some((
            msg!(
                "`follow_email_url` måste börja med `https://`, så att ingen kan läsa eller ändra prenumerationen på vägen",
                "`follow_email_url` must start with `https://`, so that nobody can read or change the subscription on the way"
            ),
            msg!(
                "använd tjänstens https-adress:\n{fixed}",
                "use the service's https address:\n{fixed}"
            ),
        ));
    }
    if !url.contains(FEED_PLACEHOLDER) {
        let sep = if url.contains('?') { '&' } else { '?' };
        let fixed = format!("follow_email_url = \"{url}{sep}feed={{feed}}\"");
        return Some((
            msg!(
                "`follow_email_url` saknar {{feed}}, platsen där flödets adress ska stå: alla länkar skulle prenumerera på samma sak",
                "`follow_email_url` has no {{feed}}, the place where the feed's address goes: every link would subscribe to the same thing"
            ),
            msg!(
                "skriv {{feed}} där tjänsten vill ha flödets adress (se tjänstens hjälp för namnet på parametern), till exempel:\n{fixed}",
                "write {{feed}} where the service takes the feed's address (see the service's help for the parameter's name), for example:\n{fixed}"
            ),
        ));
    }
    None
}

/// The extensions of `allow_active_files`, lower case without a dot.
fn read_active_files(
    raw: &RawConfig,
    settings: &Settings<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut allowed = Vec::new();
    for (i, written) in raw.allow_active_files.iter().enumerate() {
        let ext = written.trim().trim_start_matches('.').to_ascii_lowercase();
        if crate::filetypes::is_active(&ext) {
            allowed.push(ext);
        } else {
            errors.push(settings.error(
                ("allow_active_files", Some(i)),
                "invalid-file-type",
                msg!(
                    "`{written}` är ingen filtyp som körs i webbläsaren",
                    "`{written}` is not a file type that runs in the browser"
                ),
                msg!(
                    "skriv filändelser som \"svg\"; andra filer, som PDF, publiceras utan att stå här",
                    "list extensions such as \"svg\"; other files, such as PDF, are published without being listed"
                ),
            ));
        }
    }
    allowed
}

/// Parses a language code.
pub fn parse_lang(code: &str) -> Option<Lang> {
    match code {
        "sv" => Some(Lang::Sv),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The language code of `lang`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    }
}

/// The name inside backticks of serde's "unknown field `x`" message.
pub(crate) fn unknown_name(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// Checks an absolute http(s) URL and splits off its path; both end in `/`.
fn normalize_base_url(url: &str) -> Result<(String, String), Problem> {
    // Before anything else: the address is written into `robots.txt`, the
    // feeds and every page, where a line break would add a line of its own.
    // The value is not quoted, so the character does not reach the terminal.
    if let Some((at, c)) = text::forbidden(url, TextKind::Line) {
        let what = text::describe_msg(c);
        let (sv, en) = (&what.sv, &what.en);
        let before = url[..at].escape_debug();
        return Err(Problem {
            message: crate::msg!(
                "grundadressen innehåller {sv} efter `{before}`",
                "the base URL holds {en} after `{before}`"
            ),
            hint: crate::msg!(
                "ta bort tecknet: en adress är en rad utan styrtecken",
                "remove it: an address is one line without control characters"
            ),
        });
    }
    let url = url.trim();
    let plain_path = Problem {
        message: crate::msg!(
            "sökvägen i `{url}` får bara bestå av vanliga delar, utan `?`, `#`, citattecken eller `..`",
            "the path of `{url}` may only hold plain path segments, without `?`, `#`, quotes or `..`"
        ),
        hint: crate::msg!(
            "skriv adressen där portalen publiceras, till exempel `https://kommun.se/utmaningar/`",
            "write the address the portal is published at, for example `https://kommun.se/utmaningar/`"
        ),
    };
    if let Some(problem) = address::check_field(url, Allowed::WEB) {
        return Err(problem);
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(Problem {
            message: crate::msg!(
                "`{url}` är ingen fullständig adress som börjar med `https://` eller `http://`",
                "`{url}` is not an absolute address starting with `https://` or `http://`"
            ),
            hint: plain_path.hint,
        });
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.contains('@')
        || path.contains(['?', '#', '"', '<', '>', '\'', '\\'])
        || path.contains("/../")
    {
        return Err(plain_path);
    }
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let scheme_len = url.len() - rest.len();
    Ok((format!("{}{host}{path}", &url[..scheme_len]), path))
}

/// Whether `prefix` has the form of a registered OCID prefix:
/// `ocds-` and six lower-case letters or digits.
pub fn is_ocid_prefix(prefix: &str) -> bool {
    prefix.strip_prefix("ocds-").is_some_and(|rest| {
        rest.len() == 6
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// The folder of language `lang`'s pages: `""` for the default, `en/` else.
pub fn lang_prefix(config: &Config, lang: Lang) -> String {
    if lang == config.language {
        String::new()
    } else {
        format!("{}/", lang_code(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            normalize_base_url("https://example.se/utmaningar").unwrap(),
            (
                "https://example.se/utmaningar/".into(),
                "/utmaningar/".into()
            )
        );
        assert_eq!(
            normalize_base_url("http://localhost:1111").unwrap(),
            ("http://localhost:1111/".into(), "/".into())
        );
        assert!(normalize_base_url("example.se").is_err());
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        let problem = normalize_base_url("https://example.se/\nDisallow: /").unwrap_err();
        assert_eq!(
            problem.message.get(Lang::En),
            "the base URL holds a line break (U+000A) after `https://example.se/`"
        );
        assert_eq!(
            problem.message.get(Lang::Sv),
            "grundadressen innehåller en radbrytning (U+000A) efter `https://example.se/`"
        );
        let problem = normalize_base_url("www.kommun.se/utmaningar/").unwrap_err();
        assert_eq!(
            problem.hint.get(Lang::Sv),
            "lägg till `https://` först: `https://www.kommun.se/utmaningar/`"
        );
        assert_eq!(
            problem.hint.get(Lang::En),
            "add `https://` in front: `https://www.kommun.se/utmaningar/`"
        );
        let problem = normalize_base_url("https//kommun.se/").unwrap_err();
        assert_eq!(problem.hint.get(Lang::En), "write `https://kommun.se/`");
        assert!(normalize_base_url("https://e.se/a?b").is_err());
        for c in [
            '\r', '\0', '\u{B}', '\u{C}', '\u{7F}', '\u{85}', '\u{2028}', '\u{2029}',
        ] {
            assert!(
                normalize_base_url(&format!("https://e.se/{c}")).is_err(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn defaults_apply_and_unknown_keys_suggest() {
        let c = Config::parse(
            "title = \"T\"\nbase_url = \"https://e.se/\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(c.closing_soon_days, 7);
        assert_eq!((c.paginate, c.home_closed), (20, 6));
        assert_eq!(c.timezone_name, "Europe/Stockholm");
        assert!(c.sanitize_html);
        let e = Config::parse(
            "title = \"T\"\nbase_url = \"https://e.se/\"\ntimezon = \"UTC\"\n",
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert_eq!(e[0].position().map(|p| p.line), Some(3));
        assert_eq!(
            e[0].hint.as_ref().map(|h| h.en.as_str()),
            Some("did you mean `timezone`?")
        );
    }

    #[test]
    fn paginate_and_home_closed_are_checked() {
        let parse = |extra: &str| {
            Config::parse(
                &format!("title = \"T\"\nbase_url = \"https://e.se/\"\n{extra}"),
                Path::new("site.toml"),
            )
        };
        assert_eq!(parse("paginate = 0\n").unwrap().paginate, 0);
        assert_eq!(
            parse("paginate = 5\nhome_closed = 0\n")
                .unwrap()
                .home_closed,
            0
        );
        let e = parse("paginate = -1\n").unwrap_err();
        assert_eq!(e[0].code, "out-of-range");
        assert_eq!(
            e[0].message.get(Lang::Sv),
            "-1 är inte ett antal utmaningar per sida från 1 till 1000 (0 stänger av uppdelningen)"
        );
        assert_eq!(
            e[0].hint.as_ref().map(|h| h.en.as_str()),
            Some("write for example paginate = 20 (the default)")
        );
        assert!(parse("home_closed = 101\n").is_err());
        assert!(parse("paginate = \"20\"\n").is_err());
    }

    #[test]
    fn follow_email_url_needs_https_and_the_feed() {
        let parse = |url: &str| {
            Config::parse(
                &format!(
                    "title = \"T\"\nbase_url = \"https://e.se/u/\"\nfollow_email_url = \"{url}\"\n"
                ),
                Path::new("site.toml"),
            )
        };
        let good = parse("https://brev.example.se/prenumerera?lista=7&rss={feed}").unwrap();
        assert_eq!(
            good.follow_email("https://e.se/u/tags/klimat/atom.xml"),
            "https://brev.example.se/prenumerera?lista=7&rss=https%3A%2F%2Fe.se%2Fu%2Ftags%2Fklimat%2Fatom.xml"
        );
        let none = Config::parse(
            "title = \"T\"\nbase_url = \"https://e.se/\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(none.follow_email("https://e.se/atom.xml"), "");
        for (bad, says, fix) in [
            (
                "https://brev.example.se/prenumerera",
                "has no {feed}",
                "https://brev.example.se/prenumerera?feed={feed}",
            ),
            (
                "http://brev.example.se/p?rss={feed}",
                "must start with `https://`",
                "follow_email_url = \"https://brev.example.se/p?rss={feed}\"",
            ),
            (
                "brev.example.se/p?rss={feed}",
                "is not an address that can be followed",
                "https://nyhetsbrev.example.se/prenumerera?rss={feed}",
            ),
            ("", "is empty", "{feed}"),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.len(), 1, "{bad}");
            assert_eq!(e[0].code, "invalid-follow-email-url", "{bad}");
            assert_eq!(e[0].field.as_deref(), Some("follow_email_url"), "{bad}");
            assert_eq!(e[0].position().map(|p| p.line), Some(3), "{bad}");
            assert!(e[0].message.en.contains(says), "{bad}: {}", e[0].message.en);
            assert!(!e[0].message.sv.is_empty());
            let hint = e[0].hint.as_ref().unwrap();
            assert!(hint.en.contains(fix), "{bad}: {}", hint.en);
            assert!(hint.sv.contains(fix), "{bad}: {}", hint.sv);
        }
    }

    #[test]
    fn ocid_prefix_is_optional_and_checked() {
        let parse = |extra: &str| {
            Config::parse(
                &format!("title = \"T\"\nbase_url = \"https://e.se/\"\n{extra}"),
                Path::new("site.toml"),
            )
        };
        assert_eq!(parse("").unwrap().ocid_prefix, None);
        assert_eq!(
            parse("ocid_prefix = \"ocds-213czf\"\n")
                .unwrap()
                .ocid_prefix
                .as_deref(),
            Some("ocds-213czf")
        );
        for bad in [
            "ocds-utlys",
            "ocds-213CZF",
            "ocds-213czf7",
            "213czf",
            "ocds_213czf",
        ] {
            let e = parse(&format!("\nocid_prefix = \"{bad}\"\n")).unwrap_err();
            assert_eq!(e.len(), 1, "{bad}");
            assert_eq!(e[0].field.as_deref(), Some("ocid_prefix"), "{bad}");
            assert_eq!(e[0].position().map(|p| p.line), Some(4), "{bad}");
            assert!(e[0].message.en.contains(bad), "{}", e[0].message);
            assert!(
                e[0].hint
                    .as_ref()
                    .map(|h| h.en.as_str())
                    .is_some_and(|h| h.contains("ocds-213czf"))
            );
        }
    }

    #[test]
    fn a_control_character_in_a_setting_is_named_in_both_languages() {
        let text = "title = \"T\\u0007\"\nbase_url = \"https://e.se/\"\n";
        let e = Config::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "control-character");
        assert_eq!(e[0].field.as_deref(), Some("title"));
        assert_eq!(
            e[0].message.get(Lang::Sv),
            "värdet innehåller ett styrtecken (U+0007); fältet ska vara en rad vanlig text"
        );
        assert_eq!(
            e[0].message.get(Lang::En),
            "the value holds a control character (U+0007); this field is one line of plain text"
        );
        assert!(
            e[0].hint
                .as_ref()
                .unwrap()
                .sv
                .starts_with("ta bort tecknet")
        );
    }

    #[test]
    fn problems_point_at_the_value_they_are_about() {
        let text = "title = \"T\"\n# theme = \"x\"\nbase_url = \"https://e.se/\"\nlanguages = [\"en\", \"fi\"]\ntheme = \"../x\"\n";
        let e = Config::parse(text, Path::new("site.toml")).unwrap_err();
        let spans: Vec<(&str, Option<Span>)> = e
            .iter()
            .map(|d| (d.field.as_deref().unwrap_or(""), d.span()))
            .collect();
        let at = |needle: &str| {
            let i = text.find(needle).unwrap();
            Some(Span::new(i, i + needle.len()))
        };
        // The item of the list, and the value rather than a commented-out
        // line that names the same key.
        assert_eq!(
            spans,
            [("languages", at("\"fi\"")), ("theme", at("\"../x\""))]
        );
    }
}
