//! Reading `[brand]`: each value checked, every problem named with the key
//! it is at, so `config` can point at the value in `site.toml`.

use std::path::{Component, Path};

use serde::Deserialize;

use super::colour::Rgb;
use super::logo::{self, Kind, Unreadable};
use super::{Brand, Footer, LOGO_LARGE_BYTES, Link, Logo, Palette};
use crate::address::{self, Allowed};
use crate::model::Msg;
use crate::msg;
use crate::text::{self, TextKind};

/// `[brand]` as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    logo: Option<String>,
    logo_alt: Option<String>,
    color: Option<String>,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    footer: RawFooter,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFooter {
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    org_number: String,
    #[serde(default)]
    links: Vec<RawLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    title: String,
    url: String,
}

/// A step of the way to a value in `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A table key.
    Name(&'static str),
    /// An item of a list.
    Item(usize),
}

/// A problem with a value of `[brand]`, at `at` (from the top of the file).
#[derive(Debug, Clone)]
pub struct Problem {
    /// The way to the value: `brand`, `color`.
    pub at: Vec<Key>,
    /// The kind of problem.
    pub code: &'static str,
    /// What is wrong.
    pub message: Msg,
    /// How to fix it.
    pub hint: Msg,
    /// A warning rather than an error.
    pub warning: bool,
}

fn at(keys: &[Key]) -> Vec<Key> {
    let mut all = vec![Key::Name("brand")];
    all.extend_from_slice(keys);
    all
}

fn problem(keys: &[Key], code: &'static str, message: Msg, hint: Msg) -> Problem {
    Problem {
        at: at(keys),
        code,
        message,
        hint,
        warning: false,
    }
}

/// Checks `[brand]`: the brand (its logo not looked at yet: see
/// [`read_logo`]) when every value is right, else every problem.
pub fn read(raw: RawBrand) -> Result<Brand, Vec<Problem>> {
    let mut problems = Vec::new();
    check_lines(&raw, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let palette = raw
        .color
        .as_deref()
        .and_then(|c| read_colour(c, &mut problems));
    let logo = read_logo_setting(&raw, &mut problems);
    let footer = read_footer(raw.footer, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Brand {
        palette,
        logo,
        organisation: raw.organisation.trim().to_string(),
        footer,
    })
}

/// Refuses a control character in any value: it would end up on every page.
fn check_lines(raw: &RawBrand, problems: &mut Vec<Problem>) {
    let f = &raw.footer;
    let mut lines: Vec<(Vec<Key>, &str)> = vec![
        (vec![Key::Name("logo")], raw.logo.as_deref().unwrap_or("")),
        (
            vec![Key::Name("logo_alt")],
            raw.logo_alt.as_deref().unwrap_or(""),
        ),
        (vec![Key::Name("color")], raw.color.as_deref().unwrap_or("")),
        (vec![Key::Name("organisation")], &raw.organisation),
    ];
    for (name, value) in [
        ("address", &f.address),
        ("phone", &f.phone),
        ("email", &f.email),
        ("org_number", &f.org_number),
    ] {
        lines.push((vec![Key::Name("footer"), Key::Name(name)], value));
    }
    for (i, link) in f.links.iter().enumerate() {
        for (name, value) in [("title", &link.title), ("url", &link.url)] {
            let keys = vec![
                Key::Name("footer"),
                Key::Name("links"),
                Key::Item(i),
                Key::Name(name),
            ];
            lines.push((keys, value));
        }
    }
    for (keys, value) in lines {
        if let Some((_, c)) = text::forbidden(value, TextKind::Line) {
            let (message, hint) = text::problem_msg(TextKind::Line, c);
            problems.push(problem(&keys, "control-character", message, hint));
        }
    }
}

fn read_colour(written: &str, problems: &mut Vec<Problem>) -> Option<Palette> {
    let keys = [Key::Name("color")];
    let Some(rgb) = Rgb::parse(written.trim()) else {
        problems.push(problem(
            &keys,
            "invalid-color",
            msg!(
                "`{written}` är ingen färg som Utlys kan läsa",
                "`{written}` is not a colour Utlys can read"
            ),
            msg!(
                "skriv färgen som # och sex hexadecimala siffror, som i er grafiska profil: `color = \"#00587a\"`",
                "write the colour as # and six hexadecimal digits, as in your graphic profile: `color = \"#00587a\"`"
            ),
        ));
        return None;
    };
    match Palette::new(rgb) {
        Ok(p) => Some(p),
        Err(refusal) => {
            let (message, hint) = super::refusal_msg(written.trim(), &refusal);
            problems.push(problem(&keys, "brand-contrast", message, hint));
            None
        }
    }
}

fn read_logo_setting(raw: &RawBrand, problems: &mut Vec<Problem>) -> Option<Logo> {
    let path = raw.logo.as_deref()?.trim();
    let keys = [Key::Name("logo")];
    let alt = raw.logo_alt.as_deref().unwrap_or("").trim();
    if alt.is_empty() {
        problems.push(problem(
            &[],
            "logo-alt-missing",
            msg!(
                "`logo` är satt men `logo_alt` saknas: en skärmläsare kan inte läsa upp en bild utan textalternativ",
                "`logo` is set but `logo_alt` is missing: a screen reader cannot read out an image without a text alternative"
            ),
            msg!(
                "skriv det logotypen säger, oftast organisationens namn, under `logo`: `logo_alt = \"Exempelby kommun\"`",
                "write what the logo says, usually the organisation's name, below `logo`: `logo_alt = \"Exempelby kommun\"`"
            ),
        ));
    }
    let Some(out) = path.strip_prefix("static/").filter(|rest| plain(rest)) else {
        problems.push(problem(
            &keys,
            "logo-outside-static",
            msg!(
                "logotypen `{path}` ligger inte i webbplatsens mapp static/",
                "the logo `{path}` is not in the site's static/ folder"
            ),
            msg!(
                "lägg filen i static/ och skriv sökvägen därifrån: `logo = \"static/logga.svg\"`",
                "put the file in static/ and write its path from there: `logo = \"static/logga.svg\"`"
            ),
        ));
        return None;
    };
    let Some(kind) = Kind::of(out) else {
        problems.push(problem(
            &keys,
            "logo-type",
            msg!(
                "logotypen `{path}` är varken SVG eller PNG",
                "the logo `{path}` is neither SVG nor PNG"
            ),
            msg!(
                "spara logotypen som SVG (bäst, skarp i alla storlekar) eller PNG och skriv den filen: `logo = \"static/logga.svg\"`",
                "save the logo as SVG (best, sharp at every size) or PNG and name that file: `logo = \"static/logga.svg\"`"
            ),
        ));
        return None;
    };
    Some(Logo {
        path: path.to_string(),
        out: out.to_string(),
        alt: alt.to_string(),
        kind,
        size: (0, 0),
        bytes: 0,
    })
}

/// A plain relative path: no `..`, no empty or hidden parts, `/` only.
fn plain(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', ':'])
        && path
            .split('/')
            .all(|p| !p.is_empty() && !p.starts_with('.'))
}

fn read_footer(raw: RawFooter, problems: &mut Vec<Problem>) -> Footer {
    let email = raw.email.trim().to_string();
    if !email.is_empty() && !text::looks_like_email(&email) {
        problems.push(problem(
            &[Key::Name("footer"), Key::Name("email")],
            "invalid-email",
            msg!(
                "`{email}` ser inte ut som en e-postadress",
                "`{email}` does not look like an e-mail address"
            ),
            msg!(
                "skriv den som `email = \"kontakt@exempelby.se\"`",
                "write it as `email = \"kontakt@exempelby.se\"`"
            ),
        ));
    }
    let phone = raw.phone.trim().to_string();
    if !phone.is_empty()
        && (!phone.contains(|c: char| c.is_ascii_digit())
            || phone.contains(|c: char| !(c.is_ascii_digit() || " +-().".contains(c))))
    {
        problems.push(problem(
            &[Key::Name("footer"), Key::Name("phone")],
            "invalid-phone",
            msg!(
                "`{phone}` ser inte ut som ett telefonnummer",
                "`{phone}` does not look like a phone number"
            ),
            msg!(
                "skriv bara siffror, mellanslag, bindestreck och + först: `phone = \"010-123 45 67\"`",
                "write only digits, spaces, hyphens and a leading +: `phone = \"+46 10 123 45 67\"`"
            ),
        ));
    }
    let mut links = Vec::new();
    for (i, link) in raw.links.into_iter().enumerate() {
        let keys = |name| {
            [
                Key::Name("footer"),
                Key::Name("links"),
                Key::Item(i),
                Key::Name(name),
            ]
        };
        let (title, url) = (link.title.trim(), link.url.trim());
        if title.is_empty() {
            problems.push(problem(
                &keys("title"),
                "empty-field",
                msg!("länken saknar text i `title`", "the link has no text in `title`"),
                msg!(
                    "skriv vart länken leder: `{{ title = \"Exempelby kommun\", url = \"https://www.exempelby.se/\" }}`",
                    "say where the link leads: `{{ title = \"Exempelby kommun\", url = \"https://www.exempelby.se/\" }}`"
                ),
            ));
        }
        if let Some(p) = address::check_field(url, Allowed::WEB) {
            problems.push(problem(&keys("url"), address::CODE, p.message, p.hint));
        }
        links.push(Link {
            title: title.to_string(),
            url: url.to_string(),
        });
    }
    Footer {
        address: raw.address.trim().to_string(),
        phone,
        email,
        org_number: raw.org_number.trim().to_string(),
        links,
    }
}

/// Looks at the logo file under `root`, by the rule every file of the site
/// follows (a link only to a file inside the site that is not hidden):
/// sets its size, or gives the error; a warning when it is large.
pub fn read_logo(root: &Path, logo: &mut Logo) -> Result<Option<Problem>, Problem> {
    let keys = [Key::Name("logo")];
    let path = &logo.path;
    let missing = || {
        problem(
            &keys,
            "logo-missing",
            msg!(
                "logotypen `{path}` finns inte",
                "the logo `{path}` does not exist"
            ),
            msg!(
                "lägg logotypen i mappen static/ och skriv filens namn som den heter där, med stora och små bokstäver lika",
                "put the logo in the static/ folder and write the file's name as it is there, upper and lower case alike"
            ),
        )
    };
    let file = reach(root, path, &keys)?.ok_or_else(missing)?;
    let meta = std::fs::metadata(&file).map_err(|_| missing())?;
    if !meta.is_file() {
        return Err(missing());
    }
    let bytes = read_start(&file).map_err(|_| missing())?;
    logo.bytes = meta.len();
    logo.size = logo::dimensions(&bytes, logo.kind).map_err(|e| unreadable(path, logo.kind, &e))?;
    if logo.bytes <= LOGO_LARGE_BYTES {
        return Ok(None);
    }
    let kb = logo.bytes.div_ceil(1000);
    Ok(Some(Problem {
        warning: true,
        ..problem(
            &keys,
            "logo-large",
            msg!(
                "logotypen `{path}` är {kb} kB; den laddas på varje sida, så över 100 kB gör portalen långsam på mobilen",
                "the logo `{path}` is {kb} kB; it loads on every page, so over 100 kB makes the portal slow on phones"
            ),
            msg!(
                "spara den som SVG, eller som en mindre PNG (omkring 100 bildpunkter hög räcker)",
                "save it as SVG, or as a smaller PNG (about 100 pixels high is enough)"
            ),
        )
    }))
}

/// The logo's path under `root`, each part on the way checked: a symbolic
/// link out of the site, to something hidden, or one that cannot be
/// followed is an error (as everywhere in the site); a linked folder is
/// not published, so neither is what is in it. `None` when it is missing.
fn reach(root: &Path, path: &str, keys: &[Key]) -> Result<Option<std::path::PathBuf>, Problem> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let parts: Vec<Component<'_>> = Path::new(path).components().collect();
    let mut on_the_way = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        on_the_way.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&on_the_way) else {
            return Ok(None);
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        let shown = Path::new(path);
        if let Some(d) = crate::fsrule::link_problem(&real_root, &on_the_way, shown) {
            return Err(problem(keys, d.code, d.message, d.hint.unwrap_or_default()));
        }
        if i + 1 < parts.len() || on_the_way.is_dir() {
            return Err(problem(
                keys,
                "linked-folder",
                msg!(
                    "logotypen `{path}` ligger i en länkad mapp, som inte publiceras",
                    "the logo `{path}` is in a linked folder, which is not published"
                ),
                msg!(
                    "flytta logotypen direkt in i static/",
                    "move the logo itself into static/"
                ),
            ));
        }
    }
    Ok(Some(on_the_way))
}

/// The first 256 KiB of a file: enough for a PNG header and the root
/// element of any SVG.
fn read_start(file: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(256 * 1024)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn unreadable(path: &str, kind: Kind, e: &Unreadable) -> Problem {
    let keys = [Key::Name("logo")];
    match (e, kind) {
        (Unreadable::NotThatKind, _) => problem(
            &keys,
            "logo-type",
            msg!(
                "filen `{path}` är inte det filnamnet säger (SVG eller PNG)",
                "the file `{path}` is not what its name says (SVG or PNG)"
            ),
            msg!(
                "spara logotypen på nytt som SVG eller PNG från ett bildprogram",
                "save the logo again as SVG or PNG from an image editor"
            ),
        ),
        (Unreadable::NoSize, Kind::Svg) => problem(
            &keys,
            "logo-size",
            msg!(
                "SVG-filen `{path}` säger inte hur stor den är",
                "the SVG file `{path}` does not say how large it is"
            ),
            msg!(
                "ge elementet <svg> ett viewBox, till exempel `viewBox=\"0 0 240 60\"`, eller width och height i bildpunkter",
                "give its <svg> element a viewBox, such as `viewBox=\"0 0 240 60\"`, or width and height in pixels"
            ),
        ),
        (Unreadable::NoSize, Kind::Png) => problem(
            &keys,
            "logo-size",
            msg!(
                "PNG-filen `{path}` har ingen bredd eller höjd",
                "the PNG file `{path}` has no width or height"
            ),
            msg!(
                "spara logotypen på nytt från ett bildprogram",
                "save the logo again from an image editor"
            ),
        ),
    }
}
