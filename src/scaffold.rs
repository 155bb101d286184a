//! Authoring: `utlys new` (a challenge or page from a template) and
//! `utlys init` (a new site).
//!
//! The templates are written for the people who fill them in: every field
//! is present with a one-line Swedish comment saying what it is for, the
//! optional ones commented out with an example value. A new file builds at
//! once, and a new challenge or page starts as a draft, because a site that
//! is rebuilt on a schedule would otherwise publish placeholder text.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::{CONFIG_FILE, Config};
use crate::content::CHALLENGES_DIR;
use crate::content::placeholder as ph;
use crate::diagnostics::Msg;
use crate::msg;
use crate::time::{self, Timestamp};

/// Why a file or site could not be created. Shown in the language
/// messages are shown in ([`ScaffoldError::message`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum ScaffoldError {
    /// The file (or folder) is already there; nothing is overwritten.
    Exists(PathBuf),
    /// `--root` is not a site.
    NotASite(PathBuf),
    /// `init` was pointed at a folder that has files in it.
    NotEmpty(PathBuf),
    /// `init` was pointed at a file.
    NotAFolder(PathBuf),
    /// The title gives no usable file name.
    EmptySlug(String),
    /// The title is empty or spans lines.
    BadTitle(String),
    /// The name would take an address the site already uses.
    Reserved {
        /// The file name without `.md`.
        slug: String,
        /// What already has the address, in both languages.
        taken: Msg,
    },
    /// Reading or writing failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
}

impl ScaffoldError {
    /// What went wrong, in Swedish and English.
    pub fn message(&self) -> Msg {
        match self {
            ScaffoldError::Exists(path) => {
                let path = path.display();
                msg!("{path} finns redan", "{path} already exists")
            }
            ScaffoldError::NotASite(path) => {
                let path = path.display();
                msg!(
                    "{path} har ingen {CONFIG_FILE}: det är ingen webbplatsmapp",
                    "{path} has no {CONFIG_FILE}: it is not a site folder"
                )
            }
            ScaffoldError::NotEmpty(path) => {
                let path = path.display();
                msg!("{path} är inte tom", "{path} is not empty")
            }
            ScaffoldError::NotAFolder(path) => {
                let path = path.display();
                msg!(
                    "{path} är en fil, inte en mapp",
                    "{path} is a file, not a folder"
                )
            }
            ScaffoldError::EmptySlug(title) => msg!(
                "titeln {title:?} har inga bokstäver eller siffror att göra ett filnamn av",
                "the title {title:?} has no letters or digits to make a file name from"
            ),
            ScaffoldError::BadTitle(title) => msg!(
                "titeln {title:?} är inte en titel på en rad",
                "the title {title:?} is not a one-line title"
            ),
            ScaffoldError::Reserved { slug, taken } => {
                let (taken_sv, taken_en) = (&taken.sv, &taken.en);
                msg!(
                    "en sida som heter `{slug}` skulle få adressen /{slug}/, som {taken_sv}",
                    "a page named `{slug}` would take the address /{slug}/, which {taken_en}"
                )
            }
            ScaffoldError::Io { path, source } => {
                let path = path.display();
                msg!("{path}: {source}", "{path}: {source}")
            }
        }
    }

    /// How to get past the problem.
    pub fn hint(&self) -> Msg {
        match self {
            ScaffoldError::Exists(_) => msg!(
                "välj en annan titel, eller redigera filen som finns",
                "choose another title, or edit the existing file"
            ),
            ScaffoldError::NotASite(_) => msg!(
                "kör kommandot i webbplatsens mapp, skriv --root MAPP, eller skapa en webbplats med `utlys init MAPP`",
                "run this in the site folder, pass --root DIR, or create a site with `utlys init DIR`"
            ),
            ScaffoldError::NotEmpty(_) | ScaffoldError::NotAFolder(_) => msg!(
                "ange namnet på en ny eller tom mapp, t.ex. `utlys init utmaningar`",
                "give the name of a new or empty folder, e.g. `utlys init utmaningar`"
            ),
            ScaffoldError::EmptySlug(_) | ScaffoldError::BadTitle(_) => msg!(
                "skriv titeln inom citattecken, t.ex. `utlys new challenge \"Minskat matsvinn\"`",
                "give a title in quotes, e.g. `utlys new challenge \"Minskat matsvinn\"`"
            ),
            ScaffoldError::Reserved { .. } => msg!(
                "välj en annan titel; filnamnet görs av den",
                "choose another title; the file name comes from it"
            ),
            ScaffoldError::Io { .. } => msg!(
                "kontrollera att mappen finns och att det går att skriva i den",
                "check that the folder exists and can be written to"
            ),
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What `utlys new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A challenge under `content/challenges/`.
    Challenge,
    /// A plain page directly under `content/`.
    Page,
}

/// Creates a challenge or page titled `title` in the site at `root`, named
/// after the title's slug (`Titel med åäö` → `titel-med-aao.md`). `now`
/// gives today's date in the site's time zone. Returns the file's path
/// (`root` joined with `content/…`, or just `content/…` when `root` is
/// `.`). An existing file is never overwritten.
pub fn create(
    root: &Path,
    kind: Kind,
    title: &str,
    now: Timestamp,
) -> Result<PathBuf, ScaffoldError> {
    let title = title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        return Err(ScaffoldError::BadTitle(title.to_string()));
    }
    if !root.join(CONFIG_FILE).is_file() {
        return Err(ScaffoldError::NotASite(root.to_path_buf()));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    // Paths as the writer would type them: `content/…`, not `./content/…`.
    let base = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let content = base.join("content");
    let (dir, text) = match kind {
        Kind::Challenge => (
            content.join(CHALLENGES_DIR),
            challenge_file(title, &slug, site_today(root, now), false),
        ),
        Kind::Page => {
            // `index.md` would be the home page, and a page named like a
            // folder of content would share its address.
            if slug == "index" || content.join(&slug).is_dir() || slug == CHALLENGES_DIR {
                let taken = if slug == "index" {
                    msg!("är startsidan", "is the home page")
                } else {
                    msg!(
                        "mappen content/{slug}/ redan har",
                        "the folder content/{slug}/ has"
                    )
                };
                return Err(ScaffoldError::Reserved { slug, taken });
            }
            (
                content.clone(),
                page_file(title, &slug, site_today(root, now)),
            )
        }
    };
    // A challenge can also be a folder with an index.md: same address.
    let folder = dir.join(&slug);
    if kind == Kind::Challenge && folder.exists() {
        return Err(ScaffoldError::Exists(folder));
    }
    let path = dir.join(format!("{slug}.md"));
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `text` to a file that must not exist yet. `create_new` makes the
/// check and the creation one step, so two writers cannot both win.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(io_error(path)(e)),
    };
    file.write_all(text.as_bytes()).map_err(io_error(path))
}

/// Creates a new site in `dir`, which must be missing or empty. Returns the
/// files created, in order.
pub fn init(dir: &Path, now: Timestamp) -> Result<Vec<PathBuf>, ScaffoldError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(_) if dir.is_file() => return Err(ScaffoldError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir)(e)),
    }
    let today = today_in(now, &default_zone());
    let example = "exempel-minskat-matsvinn";
    let files: Vec<(String, String)> = vec![
        (CONFIG_FILE.into(), SITE_TOML.into()),
        (".gitignore".into(), GITIGNORE.into()),
        ("content/_index.md".into(), HOME.into()),
        (
            format!("content/{CHALLENGES_DIR}/_index.md"),
            CHALLENGE_LIST.into(),
        ),
        (
            format!("content/{CHALLENGES_DIR}/{example}.md"),
            example_challenge(today),
        ),
        (
            "content/tillganglighetsredogorelse.md".into(),
            accessibility(),
        ),
    ];
    let mut created = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        write_new(&path, &text)?;
        created.push(path);
    }
    Ok(created)
}

fn default_zone() -> time::TimeZone {
    time::parse_zone("Europe/Stockholm").unwrap_or(time::TimeZone::UTC)
}

/// Today in the site's time zone (Stockholm when `site.toml` cannot be read:
/// a broken setting is reported by the build, not here).
fn site_today(root: &Path, now: Timestamp) -> Date {
    let zone = Config::load(root).map_or_else(|_| default_zone(), |c| c.timezone);
    today_in(now, &zone)
}

fn today_in(now: Timestamp, zone: &time::TimeZone) -> Date {
    now.to_zoned_datetime(zone.clone()).date()
}

/// `date` moved by `days`, as YYYY-MM-DD.
fn plus(date: Date, days: i64) -> String {
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(date)
        .to_string()
}

/// `s` as a YAML double-quoted string, safe whatever the title holds
/// (`:`, `#`, quotes).
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One front-matter field of a template: the comment saying what it is
/// for, its YAML lines, and whether they start commented out.
struct Field {
    comment: &'static str,
    yaml: String,
    example: bool,
}

fn active(comment: &'static str, yaml: String) -> Field {
    Field {
        comment,
        yaml,
        example: false,
    }
}

fn example(comment: &'static str, yaml: String) -> Field {
    Field {
        comment,
        yaml,
        example: true,
    }
}

/// The front matter block. With `enable_examples`, the commented-out
/// examples are written as live fields (used by the tests to prove that
/// every example is valid).
fn front_matter(fields: &[Field], enable_examples: bool) -> String {
    let mut out = String::from("---\n");
    for f in fields {
        out.push_str("# ");
        out.push_str(f.comment);
        out.push('\n');
        for line in f.yaml.lines() {
            if f.example && !enable_examples {
                out.push_str("# ");
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("---\n");
    out
}

/// The fields of a new challenge, every field of the model in the order a
/// writer meets them: what it is, when, whom to ask, then the rest.
fn challenge_fields(title: &str, slug: &str, today: Date) -> Vec<Field> {
    let mut fields = first_challenge_fields(title, today);
    fields.extend(more_challenge_fields(slug, today));
    fields
}

/// The fields of a new challenge up to how to respond: what it is, when,
/// and whom to ask.
fn first_challenge_fields(title: &str, today: Date) -> Vec<Field> {
    let d = |days| plus(today, days);
    vec![
        active(
            "Rubrik: kort och konkret. Syns på sidan, i listor och i flöden.",
            format!("title: {}", yaml_string(title)),
        ),
        active(
            "Sammanfattning: en eller två meningar i klartext, högst 300 tecken. Visas i listor, flöden och sökresultat.",
            format!("summary: \"{}\"", ph::CHALLENGE_SUMMARY),
        ),
        active(
            "Beställaren. Stava likadant varje gång, annars blir det två beställare i filtret.",
            format!("buyer: \"{}\"", ph::BUYER),
        ),
        active(
            "Skede: need, challenge, rfi, dialogue, procurement, concept, prototype, pilot, implementation eller cancelled.",
            "stage: need".into(),
        ),
        active(
            "Publiceringsdatum (ÅÅÅÅ-MM-DD).",
            format!("published: {today}"),
        ),
        active(
            "Utkast: publiceras inte. Ta bort raden eller skriv false när texten är klar.",
            "draft: true".into(),
        ),
        example(
            "När svar tas emot från. Före det visas utmaningen som Kommande.",
            format!("opens: {}", d(0)),
        ),
        example(
            "Sista svarsdag: datum (gäller till 23.59), datum och klockslag (2027-03-15T12:00) eller med tidsförskjutning. Krävs i rfi och procurement.",
            format!("deadline: {}", d(30)),
        ),
        example(
            "Sista dag att ställa frågor, skrivs som deadline.",
            format!("questions_deadline: {}", d(20)),
        ),
        example(
            "Tidszon för tiderna i den här filen. Utan den gäller portalens tidszon.",
            "timezone: Europe/Stockholm".into(),
        ),
        example(
            "Kontaktperson för leverantörernas frågor. name krävs, resten är valfritt.",
            "contact:\n  name: Anna Andersson\n  role: Projektledare\n  email: anna.andersson@example.se\n  phone: 010-123 45 67".into(),
        ),
        example(
            "Vart knappen Ställ en fråga leder. Utan den skickas frågan med e-post till kontaktpersonen.",
            "questions_url: https://example.se/fragor".into(),
        ),
        example(
            "Hur man svarar: en adress (https:// eller mailto:) och/eller instruktioner i Markdown.",
            "respond:\n  url: https://example.se/svara\n  instructions: Svara på frågorna i formuläret senast sista svarsdagen.".into(),
        ),
    ]
}

/// The fields of a new challenge from `compensation` on: what a writer
/// adds when the challenge needs it, each as a commented example.
fn more_challenge_fields(slug: &str, today: Date) -> Vec<Field> {
    let d = |days| plus(today, days);
    vec![
        example(
            "Ersättning för att svara, fri text. Skriv ut det även när ingen ersättning ges.",
            "compensation: Ingen ersättning utgår för svar.".into(),
        ),
        example(
            "Nyckeltal i en faktaruta, vart och ett med label och value.",
            "facts:\n  - label: Inköp per år\n    value: cirka 3,4 miljarder kr".into(),
        ),
        example(
            "Dokument: title och antingen file (en fil i utmaningens mapp) eller url (en länk).",
            "documents:\n  - title: Bakgrundsrapport\n    url: https://example.se/rapport.pdf"
                .into(),
        ),
        example(
            "Bild som visas när någon delar utmaningen: en fil i utmaningens mapp, eller /namn.png i static.",
            "image: delning.png".into(),
        ),
        example(
            "Vad bilden visar, för den som inte ser den. Skriv den alltid när image finns.",
            "image_alt: Skolbarn på väg till skolan en vintermorgon".into(),
        ),
        example(
            "Taggar. Varje tagg får en egen sida och ett filter.",
            "tags:\n  - klimat\n  - inköp".into(),
        ),
        example(
            "En kategori, som blir ett filter i listan.",
            "category: Klimat och miljö".into(),
        ),
        example(
            "EU:s upphandlingskoder (CPV) i formen NNNNNNNN-N.",
            "cpv:\n  - 72000000-5".into(),
        ),
        example(
            "Den officiella annonsen av upphandlingen: url, och gärna id och source (TED, e-Avrop, Mercell …).",
            "notice:\n  source: TED\n  id: 2026/S 123-456789\n  url: https://ted.europa.eu/sv/notice/-/detail/456789-2026".into(),
        ),
        example(
            "Andra utmaningar som hör ihop med den här, med filnamnet utan .md; relation är follows, followed-by eller related.",
            "related:\n  - challenge: klimat-rfi\n    relation: follows".into(),
        ),
        example(
            "Var utmaningen gäller: kommuner, län (Skåne län), NUTS-koder (SE224) eller Hela Sverige.",
            "regions:\n  - Helsingborg".into(),
        ),
        example(
            "Uppskattat värde i hela kronor: ett belopp eller min och max. Valutan är SEK om inget annat anges.",
            "value: { min: 2000000, max: 5000000 }".into(),
        ),
        example(
            "Vilka som kan svara: sme, startup, large-enterprise, research, civil-society, public-sector, consortium.",
            "suitable_for: [sme, startup]".into(),
        ),
        example(
            "Resultatet i Markdown. Visas i skedena pilot, implementation och cancelled.",
            "outcome: Kommunen valde en leverantör och tjänsten används nu på tre enheter.".into(),
        ),
        example(
            "Daterade ändringar som alla ser. En ändring kan flytta deadline; då visas gammalt och nytt datum.",
            format!(
                "updates:\n  - date: {}\n    text: Sista svarsdagen flyttas en vecka.\n    deadline: {}",
                d(7),
                d(37)
            ),
        ),
        example(
            "Frågor och svar som alla leverantörer ser, med datum då frågan kom och besvarades.",
            format!(
                "questions:\n  - question: Får flera företag svara tillsammans?\n    answer: Ja, ange vilket företag som är kontakt.\n    date: {}\n    answered: {}",
                d(3),
                d(4)
            ),
        ),
        example(
            "Möten, till exempel marknadsdialog. Blir poster i kalenderfilerna.",
            format!(
                "events:\n  - title: Digital marknadsdialog\n    start: {0}T10:00\n    end: {0}T11:30\n    place: Digitalt möte\n    url: https://example.se/anmalan\n    description: Vi berättar om utmaningen och svarar på frågor.",
                d(14)
            ),
        ),
        example(
            "Fasplan: varje fas med start, slut, ersättning och antal leverantörer.",
            format!(
                "phases:\n  - name: Konceptfas\n    start: {}\n    end: {}\n    pay: 25 000 kr per leverantör\n    suppliers: 7",
                d(45),
                d(73)
            ),
        ),
        example(
            "Språk, sv eller en. En översättning läggs i stället i en egen fil, namn.en.md.",
            "lang: sv".into(),
        ),
        example(
            "Tidsinställd publicering: utmaningen syns först vid ett bygge från och med detta datum.",
            format!("publish_date: {}", d(0)),
        ),
        example(
            "Ersätter sista delen av adressen, /challenges/<slug>/.",
            format!("slug: {slug}"),
        ),
        example(
            "Fast id i öppna data (OCID i OCDS): gemena bokstäver, siffror och bindestreck. Utan det används adressen; skriv det innan adressen ändras, så behåller utmaningen sitt id.",
            format!("id: challenges-{slug}"),
        ),
    ]
}

/// The text below a new challenge's front matter: a heading and a
/// placeholder per section.
fn challenge_body() -> String {
    format!(
        "\n## Bakgrund\n\n{}\n\n## Vad vi söker\n\n{}\n\n## Så svarar du\n\n{}\n",
        ph::CHALLENGE_BACKGROUND,
        ph::CHALLENGE_WANTED,
        ph::CHALLENGE_RESPOND
    )
}

/// The text of a new challenge file.
fn challenge_file(title: &str, slug: &str, today: Date, enable_examples: bool) -> String {
    front_matter(&challenge_fields(title, slug, today), enable_examples) + &challenge_body()
}

fn page_fields(title: &str, slug: &str, today: Date) -> Vec<Field> {
    vec![
        active(
            "Sidans rubrik. Syns på sidan, i menyn och i sidfoten.",
            format!("title: {}", yaml_string(title)),
        ),
        active(
            "En mening om sidan. Visas för sökmotorer och när sidan delas.",
            format!("summary: \"{}\"", ph::PAGE_SUMMARY),
        ),
        active(
            "Utkast: publiceras inte. Ta bort raden eller skriv false när texten är klar.",
            "draft: true".into(),
        ),
        active(
            "Om sidan visas i huvudmenyn (true) eller bara i sidfoten (false).",
            "menu: false".into(),
        ),
        active(
            "Ordning i menyn och sidfoten, lägst först.",
            "weight: 0".into(),
        ),
        example(
            "Språk, sv eller en. En översättning läggs i stället i en egen fil, namn.en.md.",
            "lang: sv".into(),
        ),
        example(
            "Tidsinställd publicering: sidan syns först vid ett bygge från och med detta datum.",
            format!("publish_date: {today}"),
        ),
        example(
            "Ersätter sista delen av adressen, /<slug>/.",
            format!("slug: {slug}"),
        ),
    ]
}

fn page_file(title: &str, slug: &str, today: Date) -> String {
    front_matter(&page_fields(title, slug, today), false) + &format!("\n{}\n", ph::PAGE_TEXT)
}

const SITE_TOML: &str = r##"# Inställningar för hela portalen.

# Portalens namn, överst på varje sida och i flöden.
title = "Innovationsutmaningar"
# En mening om portalen, för sökmotorer och flöden.
description = "Offentliga innovationsutmaningar: läs behoven, svara på förfrågningar och följ varje utmaning."
# Den fullständiga adressen där portalen publiceras, med / sist. Den får ha en sökväg, t.ex. https://example.se/utmaningar/.
base_url = "https://example.se/"
# Portalens huvudspråk, sv eller en.
language = "sv"
# Alla språk portalen skrivs på, huvudspråket först. Lägg till "en" för översättningar i filer som namn.en.md.
languages = ["sv"]
# Tidszon för alla tider som skrivs utan tidszon (IANA-namn).
timezone = "Europe/Stockholm"
# Klockslag då en sista dag som bara är ett datum går ut.
deadline_time = "23:59"
# Så många dagar före sista dagen visas en utmaning som Stänger snart.
closing_soon_days = 7
# Så många utmaningar visar varje sida i listorna (alla utmaningar, varje
# kategori, beställare …); sida 2 ligger på …/page/2/. 0 visar alla på en sida.
paginate = 20
# Så många av de senast avslutade utmaningarna visar startsidan; alla finns i
# arkivet (status/closed/).
home_closed = 6
# Tema: default är inbyggt; en egen mapp under themes/ går också.
theme = "default"
# Prefix för öppna data i OCDS (api/ocds.json, api/ocds-records.json), som
# upphandlingsdatabaser och aggregatorer läser. Registrera ett eget prefix hos
# Open Contracting Partnership (gratis, se docs/api.md) och skriv det här:
# "ocds-" och sex gemena bokstäver eller siffror. Utan prefix skrivs inga
# OCDS-filer; bygget säger det en gång.
# ocid_prefix = "ocds-xxxxxx"
# Följ via e-post: adressen där stadens nyhetsbrevstjänst skapar en
# prenumeration från ett flöde, med {feed} där flödets adress ska stå. Med
# den får varje flödeslänk en länk "Följ via e-post" bredvid sig. Se
# docs/publicera.md.
# follow_email_url = "https://nyhetsbrev.example.se/prenumerera?rss={feed}"

[markdown]
# Rensa bort rå HTML som kan vara skadlig ur texterna (rekommenderas).
sanitize_html = true

# Organisationens utseende: logotyp, färg, namn och kontaktuppgifter i
# sidfoten. Ta bort # framför raderna som ska gälla. Utan [brand] används
# temats eget utseende.
# [brand]
# Logotypen, en SVG- eller PNG-fil i mappen static/. Använd gärna en ljus
# version: sidhuvudet har märkesfärgen som bakgrund.
# logo = "static/logga.svg"
# Vad logotypen säger, för skärmläsare (krävs när logo är satt).
# logo_alt = "Exempelby kommun"
# Märkesfärgen för sidhuvud och knappar, som #rrggbb. Texten på den är vit,
# så färgen måste ge minst 4,5:1 i kontrast; annars stoppar bygget och
# föreslår närmaste mörkare nyans som räcker.
# color = "#00587a"
# Organisationens namn i sidhuvudet (när det inte finns någon logotyp) och
# i sidfoten.
# organisation = "Exempelby kommun"
#
# [brand.footer]
# address = "Stadshuset, Storgatan 1, 123 45 Exempelby"
# phone = "010-123 45 67"
# email = "kontakt@exempelby.se"
# org_number = "212000-0000"
# links = [
#   { title = "exempelby.se", url = "https://www.exempelby.se/" },
#   { title = "Så behandlar vi personuppgifter", url = "https://www.exempelby.se/personuppgifter" },
# ]
"##;

const GITIGNORE: &str =
    "# Det byggda resultatet skapas av `utlys build`.\n/public/\n/.public.utlys-*\n";

const HOME: &str = "---
title: Innovationsutmaningar
summary: Här beskriver vi behov som ännu saknar en färdig lösning och bjuder in företag att svara.
---

Här samlar vi våra innovationsutmaningar: problem som ingen färdig produkt löser i dag. Varje utmaning visar var i processen den står, vem som är beställare, vilken sista dag som gäller och hur du som leverantör svarar.

Alla leverantörer får samma information samtidigt. Prenumerera på flödet eller lägg in sista dagarna i din kalender, så missar du inget.
";

const CHALLENGE_LIST: &str = "---
title: Alla utmaningar
summary: Alla utmaningar i portalen, både öppna, kommande och avslutade.
---

Här finns alla utmaningar, oavsett om de är öppna för svar, ännu inte har öppnat eller redan är avslutade. Filtrera på skede, status, kategori eller beställare.
";

fn example_challenge(today: Date) -> String {
    format!(
        "---
# Ett exempel att utgå från. Skapa fler med: utlys new challenge \"Titel\"
title: \"{title}\"
summary: \"Vi vill halvera matsvinnet i kommunens skolkök och vill veta vilka lösningar som finns.\"
buyer: \"Exempelstads kommun\"
stage: rfi
published: {today}
deadline: {deadline}
questions_deadline: {questions}
contact:
  name: Anna Andersson
  role: Projektledare
  email: anna.andersson@example.se
respond:
  url: mailto:anna.andersson@example.se
  instructions: Svara på frågorna nedan i ett mejl, högst fem sidor.
compensation: Ingen ersättning utgår för svar.
facts:
  - label: Portioner per dag
    value: cirka 12 000
tags:
  - måltider
  - skola
category: Mat och måltider
# Utkast: exemplet publiceras inte. Skriv om det till er egen utmaning och ta
# bort raden, eller ta bort hela filen.
draft: true
---

## Bakgrund

Kommunens skolkök lagar tusentals portioner om dagen, och en del av maten slängs. Vi vill förstå varför och hitta sätt att minska svinnet utan att eleverna äter sämre.

## Frågor att besvara

1. Hur mäter er lösning matsvinnet, och hur ofta?
2. Vilka resultat har ni nått hos andra beställare?
3. Vad behöver ni från skolköken för att komma i gång?

Detta är en förfrågan om information, inte en upphandling.
",
        title = ph::EXAMPLE_TITLE,
        deadline = plus(today, 30),
        questions = plus(today, 20),
    )
}

/// A new accessibility statement: the parts the law asks for, each with a
/// placeholder the build warns about until it is filled in.
fn accessibility() -> String {
    format!(
        "---
title: Tillgänglighetsredogörelse
summary: Hur tillgänglig portalen är, vilka brister vi känner till och hur du rapporterar problem.
weight: 9
---

Vi vill att så många som möjligt ska kunna använda den här portalen. Här beskriver vi hur den uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vilka kända brister som finns och hur du kan rapportera problem.

## Hur tillgänglig är webbplatsen?

{a11y_status}

## Kända brister

{a11y_shortcomings}

## Om du stöter på problem

Kontakta oss om du upplever brister i tillgängligheten eller behöver innehållet i ett annat format:

- {a11y_email}
- {a11y_phone}

## Tillsyn

Myndigheten för digital förvaltning (DIGG) har tillsyn över lagen. Är du inte nöjd med hur vi har hanterat dina synpunkter kan du anmäla det till DIGG på [digg.se/tdosanmalan](https://www.digg.se/tdosanmalan).

## Hur vi har testat webbplatsen

{a11y_tested}

## Om redogörelsen

{a11y_date}
",
        a11y_status = ph::A11Y_STATUS,
        a11y_shortcomings = ph::A11Y_SHORTCOMINGS,
        a11y_email = ph::A11Y_EMAIL,
        a11y_phone = ph::A11Y_PHONE,
        a11y_tested = ph::A11Y_TESTED,
        a11y_date = ph::A11Y_DATE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{CHALLENGE_FIELDS, PAGE_FIELDS};

    fn now() -> Timestamp {
        "2026-03-02T09:00:00Z".parse().unwrap()
    }

    /// The top-level keys written in a template, live or commented out.
    fn keys(text: &str) -> Vec<String> {
        text.lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .filter_map(|l| {
                let (key, _) = l.split_once(':')?;
                (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                    .then(|| key.to_string())
            })
            .collect()
    }

    #[test]
    fn the_challenge_template_has_every_field_once_with_a_comment() {
        let today = Date::new(2026, 3, 2).unwrap();
        let text = challenge_file("Titel", "titel", today, false);
        let mut found = keys(&text);
        found.sort();
        let mut expected: Vec<String> = CHALLENGE_FIELDS.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected);
        for f in challenge_fields("Titel", "titel", today) {
            assert!(!f.comment.contains('\n'));
            assert!(f.comment.starts_with(char::is_uppercase), "{}", f.comment);
        }
    }

    #[test]
    fn the_page_template_has_every_field_once() {
        let text = page_file("Om", "om", Date::new(2026, 3, 2).unwrap());
        let mut found = keys(&text);
        found.sort();
        let mut expected: Vec<String> = PAGE_FIELDS.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected);
    }

    /// Every placeholder is written by the scaffold, exactly, and found in
    /// what it writes; the commented-out examples hold none.
    #[test]
    fn the_scaffold_writes_every_placeholder_and_each_is_found() {
        use crate::content::{Page, PageKind};
        let today = Date::new(2026, 3, 2).unwrap();
        let written = [
            challenge_file("Titel", "titel", today, false),
            challenge_file("Titel", "titel", today, true),
            page_file("Om", "om", today),
            example_challenge(today),
            accessibility(),
        ];
        let found_in = |text: &str| {
            let mut page = Page::for_tests("x.md", "x/", "X", PageKind::Plain);
            page.body_offset = text[4..].find("\n---\n").map_or(0, |i| i + 9);
            page.text = text.to_string();
            ph::find(&page)
        };
        let mut seen = std::collections::BTreeSet::new();
        for (i, text) in written.iter().enumerate() {
            if i == 1 {
                continue;
            }
            for d in found_in(text) {
                assert_eq!(d.code, ph::CODE);
                seen.insert(d.message.en.clone());
            }
        }
        assert_eq!(seen.len(), ph::PLACEHOLDERS.len(), "{seen:#?}");
        // Uncommented, the examples add no placeholder of their own.
        assert_eq!(found_in(&written[1]).len(), found_in(&written[0]).len());
        let d = &found_in(&written[2])[0];
        assert!(
            d.message.sv.starts_with("exempeltexten `Skriv en mening"),
            "{}",
            d.message.sv
        );
        assert_eq!(
            d.hint.as_ref().map(|h| h.get(crate::model::Lang::Sv)),
            Some("ersätt den med en mening om vad sidan handlar om")
        );
        assert_eq!(
            d.hint.as_ref().map(|h| h.get(crate::model::Lang::En)),
            Some("replace it with one sentence on what the page is about")
        );
    }

    /// `init` writes the example address the build refuses to publish.
    #[test]
    fn the_new_site_toml_has_the_example_address() {
        let config = Config::parse(SITE_TOML, Path::new("site.toml")).unwrap();
        assert!(config.has_example_base_url());
        let mut other = config.clone();
        other
            .set_base_url("https://utmaningar.example.se/")
            .unwrap();
        assert!(!other.has_example_base_url());
        other
            .set_base_url("https://www.example.se/portal/")
            .unwrap();
        assert!(other.has_example_base_url());
        assert_eq!(config.brand, None);
    }

    /// The `[brand]` example of `init`, uncommented, is a brand the build
    /// takes: its colour passes the contrast check.
    #[test]
    fn the_brand_example_uncommented_is_valid() {
        let start = SITE_TOML.find("# [brand]").unwrap();
        let uncommented: String = SITE_TOML[start..]
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with('[')
                        || rest.starts_with("  {")
                        || rest == "]"
                        || rest.split_once(" = ").is_some_and(|(k, _)| {
                            k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                        }) =>
                {
                    rest
                }
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let text = format!("{}{uncommented}\n", &SITE_TOML[..start]);
        let config = Config::parse(&text, Path::new("site.toml")).unwrap();
        let brand = config.brand.expect("a brand");
        assert_eq!(
            brand.palette.map(|p| p.brand.to_string()).as_deref(),
            Some("#00587a")
        );
        assert_eq!(
            brand.logo.map(|l| l.alt).as_deref(),
            Some("Exempelby kommun")
        );
        assert_eq!(brand.footer.links.len(), 2);
        assert_eq!(brand.organisation, "Exempelby kommun");
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(yaml_string("A: \"b\" # c"), r#""A: \"b\" # c""#);
        assert_eq!(yaml_string("a\\b"), r#""a\\b""#);
    }

    /// Every example, uncommented, is valid: a writer who fills in the
    /// template by removing `# ` gets a site that builds.
    #[test]
    fn every_example_field_builds_when_uncommented() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        init(&root, now()).unwrap();
        let today = today_in(now(), &default_zone());
        let all = challenge_file("Alla fält: åäö", "alla-falt-aao", today, true)
            .replace("draft: true", "draft: false");
        fs::write(root.join("content/challenges/alla-falt.md"), all).unwrap();
        // The challenge the `related` example names.
        fs::write(
            root.join("content/challenges/klimat-rfi.md"),
            "---\ntitle: Klimat\nsummary: En förfrågan.\nbuyer: Staden\nstage: need\npublished: 2026-01-10\n---\n",
        )
        .unwrap();
        // `image` names a file the writer adds beside the challenge.
        fs::write(root.join("content/challenges/delning.png"), b"\x89PNG\r\n").unwrap();
        let options = crate::BuildOptions {
            root: root.clone(),
            output: None,
            base_url: None,
            now: now(),
            fixed_clock: false,
            drafts: false,
        };
        let (outputs, counts, warnings) = crate::render(&options).unwrap_or_else(|d| panic!("{d}"));
        // The example of `init` is a draft.
        assert_eq!(counts.challenges, 2, "{warnings}");
        assert!(
            outputs
                .iter()
                .any(|o| o.path == "challenges/alla-falt-aao/index.html"),
            "the slug example applies"
        );
        // Only the outcome, shown at later stages, is questioned, beside
        // the placeholders still to be written.
        let fields: Vec<_> = warnings
            .0
            .iter()
            .filter(|d| d.code != ph::CODE)
            .map(|d| d.field.as_deref())
            .collect();
        assert_eq!(fields, [Some("outcome")], "{warnings}");
    }
}
