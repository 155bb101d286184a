//! Content-hashed names for the theme's own files.
//!
//! Every file of a theme's `static/` folder is published under a name that
//! carries a hash of its bytes (`style.css` as `static/style.3f2a9c1e.css`),
//! so a server may keep it for a year: a changed file gets a new name, and
//! the pages that name it are made again. Templates name a file by its
//! path under `static/` through `asset(path="style.css")`; a literal name
//! that is not in the theme is found before anything is rendered.
//!
//! A style sheet that names another file of the theme with a relative
//! `url(…)` (a font, an icon) is rewritten to the hashed name first, and
//! hashed after: a new font gives the style sheet a new name too.

use std::collections::BTreeMap;
use std::ops::Range;

use super::ThemeFile;

/// Hex digits of the hash kept in a file name: 32 bits, plenty to tell the
/// versions of one file apart.
const HASH_DIGITS: usize = 8;

/// The published name of `path` (under `static/`) with `bytes`: the hash
/// goes before the last extension (`fonts/a.woff2` → `fonts/a.0c1d2e3f.woff2`),
/// or at the end of a name without one.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    let hash = &hash[..HASH_DIGITS];
    let (folder, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let file = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{file}.{hash}"),
    };
    if folder.is_empty() {
        file
    } else {
        format!("{folder}/{file}")
    }
}

/// Names every file of `statics` by its content: the other files first,
/// then the style sheets, whose `url(…)` references to the others are
/// rewritten in `statics` to the hashed names. Gives path → published name.
pub fn name_assets(statics: &mut BTreeMap<String, ThemeFile>) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = statics
        .iter()
        .filter(|(path, _)| !is_css(path))
        .map(|(path, file)| (path.clone(), hashed_name(path, &file.bytes)))
        .collect();
    for (path, file) in statics.iter_mut().filter(|(path, _)| is_css(path)) {
        if let Ok(css) = std::str::from_utf8(&file.bytes)
            && let Some(rewritten) = rewrite_css_urls(css, path, &names)
        {
            file.bytes = rewritten.into_bytes();
        }
        names.insert(path.clone(), hashed_name(path, &file.bytes));
    }
    names
}

fn is_css(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".css")
}

/// `css` (the file `path`) with each relative `url(…)` that names another
/// file of `names` changed to its hashed name; `None` when none does.
fn rewrite_css_urls(css: &str, path: &str, names: &BTreeMap<String, String>) -> Option<String> {
    let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    let mut changed = false;
    while let Some(at) = rest.find("url(") {
        let (before, after) = rest.split_at(at + "url(".len());
        out.push_str(before);
        let Some(arg) = url_argument(after) else {
            rest = after;
            continue;
        };
        let reference = &after[arg.clone()];
        let (target, suffix) = reference
            .find(['?', '#'])
            .map_or((reference, ""), |i| reference.split_at(i));
        let hashed = resolve(folder, target).and_then(|p| names.get(&p));
        match hashed {
            Some(hashed) => {
                out.push_str(&after[..arg.start]);
                let file = hashed.rsplit('/').next().unwrap_or(hashed);
                let dir = target.rsplit_once('/').map_or("", |(d, _)| d);
                if !dir.is_empty() {
                    out.push_str(dir);
                    out.push('/');
                }
                out.push_str(file);
                out.push_str(suffix);
                changed = true;
            }
            None => out.push_str(&after[..arg.end]),
        }
        rest = &after[arg.end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The byte range of the address inside `url(` … `)`, without quotes or
/// spaces around it.
fn url_argument(after: &str) -> Option<Range<usize>> {
    let start = after.len() - after.trim_start().len();
    let first = after[start..].chars().next()?;
    if first == '"' || first == '\'' {
        let end = after[start + 1..].find(first)? + start + 1;
        return Some(start + 1..end);
    }
    let end = after.find(')')?;
    let arg = after[start..end].trim_end();
    Some(start..start + arg.len())
}

/// The path under `static/` that the relative address `target` names from
/// the folder `folder`; `None` for an absolute address, one with a scheme
/// (`data:`, `https:`), or one that leaves `static/`.
fn resolve(folder: &str, target: &str) -> Option<String> {
    if target.is_empty() || target.starts_with(['/', '#']) || target.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The literal paths of the `asset(path="…")` calls in a template's
/// `source`, with their byte ranges, to check before rendering.
pub fn literal_references(source: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = source[from..].find("asset(") {
        let start = from + at + "asset(".len();
        from = start;
        // Not the end of a longer name (`my_asset(`).
        let before = source[..start - "asset(".len()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let args = source[start..].trim_start();
        let Some(args) = args.strip_prefix("path") else {
            continue;
        };
        let Some(args) = args.trim_start().strip_prefix('=') else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let value_start = source.len() - args.len() + 1;
        if let Some(len) = source[value_start..].find(quote) {
            let range = value_start..value_start + len;
            found.push((range.clone(), &source[range]));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(text: &str) -> ThemeFile {
        ThemeFile {
            bytes: text.as_bytes().to_vec(),
            origin: PathBuf::from(text),
        }
    }

    #[test]
    fn the_hash_goes_before_the_last_extension() {
        let name = hashed_name("style.css", b"body{}");
        assert!(
            name.starts_with("style.") && name.ends_with(".css"),
            "{name}"
        );
        assert_eq!(name.len(), "style..css".len() + HASH_DIGITS);
        assert_eq!(name, hashed_name("style.css", b"body{}"));
        assert_ne!(name, hashed_name("style.css", b"body{ }"));
        let nested = hashed_name("fonts/a.min.woff2", b"x");
        assert!(nested.starts_with("fonts/a.min.") && nested.ends_with(".woff2"));
        assert_eq!(hashed_name("LICENSE", b"x").len(), "LICENSE.".len() + 8);
        assert!(hashed_name(".nojekyll", b"x").starts_with(".nojekyll."));
    }

    #[test]
    fn style_sheets_name_the_hashed_fonts_and_change_with_them() {
        let css = "@font-face{src:url(\"../fonts/a.woff2?v=1\") format(\"woff2\")}\n\
                   .i{background:url( icon.svg )}.d{background:url(data:image/png;base64,AA)}\
                   .x{background:url(/logo.svg)}.m{background:url(missing.svg)}";
        let mut statics = BTreeMap::from([
            ("css/style.css".to_string(), file(css)),
            ("css/icon.svg".to_string(), file("<svg/>")),
            ("fonts/a.woff2".to_string(), file("font 1")),
        ]);
        let names = name_assets(&mut statics.clone());
        let font = names["fonts/a.woff2"]
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let icon = names["css/icon.svg"]
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let mut rewritten = statics.clone();
        name_assets(&mut rewritten);
        let text = String::from_utf8(rewritten["css/style.css"].bytes.clone()).unwrap();
        assert!(
            text.contains(&format!("url(\"../fonts/{font}?v=1\")")),
            "{text}"
        );
        assert!(text.contains(&format!("url( {icon} )")), "{text}");
        assert!(text.contains("url(data:image/png;base64,AA)"));
        assert!(text.contains("url(/logo.svg)") && text.contains("url(missing.svg)"));
        statics.insert("fonts/a.woff2".to_string(), file("font 2"));
        let again = name_assets(&mut statics);
        assert_ne!(again["css/style.css"], names["css/style.css"]);
        assert_eq!(again["css/icon.svg"], names["css/icon.svg"]);
    }

    #[test]
    fn literal_references_are_found_with_their_place() {
        let source = "<link href=\"{{ asset(path=\"style.css\") }}\">{{ my_asset(path='x') }}\
                      {{ asset( path = 'fonts/a.woff2' ) }}{{ asset(path=name) }}";
        let found: Vec<&str> = literal_references(source).iter().map(|(_, p)| *p).collect();
        assert_eq!(found, ["style.css", "fonts/a.woff2"]);
        let (range, _) = &literal_references(source)[0];
        assert_eq!(&source[range.clone()], "style.css");
    }
}
