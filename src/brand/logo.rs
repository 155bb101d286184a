//! The size of a logo, read from the file itself: the PNG header, or the
//! `width`, `height` and `viewBox` of an SVG's root element.

/// The kinds of logo a page can show everywhere without a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics.
    Png,
}

impl Kind {
    /// The kind a file name's extension says, in any case.
    pub fn of(name: &str) -> Option<Kind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Kind::Svg),
            "png" => Some(Kind::Png),
            _ => None,
        }
    }
}

/// What is wrong with a logo's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The bytes are not of the kind the name says.
    NotThatKind,
    /// The kind is right, but the file gives no size.
    NoSize,
}

/// The width and height, in pixels, of the logo in `bytes` of kind `kind`.
/// An SVG's `width` and `height` count when they are plain numbers or
/// pixels; otherwise its `viewBox` gives the shape (one of `width` and
/// `height` with a `viewBox` gives the other).
pub fn dimensions(bytes: &[u8], kind: Kind) -> Result<(u32, u32), Unreadable> {
    match kind {
        Kind::Png => png_size(bytes),
        Kind::Svg => svg_size(bytes),
    }
}

/// A PNG starts with its signature and then the `IHDR` chunk, whose first
/// two numbers (big-endian) are the width and the height.
fn png_size(bytes: &[u8]) -> Result<(u32, u32), Unreadable> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) || bytes.get(12..16) != Some(b"IHDR".as_slice()) {
        return Err(Unreadable::NotThatKind);
    }
    let number = |at: usize| {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    match (number(16), number(20)) {
        (Some(w), Some(h)) if w > 0 && h > 0 => Ok((w, h)),
        (Some(_), Some(_)) => Err(Unreadable::NoSize),
        _ => Err(Unreadable::NotThatKind),
    }
}

fn svg_size(bytes: &[u8]) -> Result<(u32, u32), Unreadable> {
    let text = String::from_utf8_lossy(bytes);
    let tag = root_tag(&text).ok_or(Unreadable::NotThatKind)?;
    let attrs = attributes(tag);
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    let width = get("width").and_then(pixels);
    let height = get("height").and_then(pixels);
    let view = get("viewBox").and_then(view_box);
    let (w, h) = match (width, height, view) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some((vw, vh))) => (vw, vh),
        _ => return Err(Unreadable::NoSize),
    };
    let whole = |v: f64| (v.round() >= 1.0 && v < 1e6).then(|| v.round() as u32);
    match (whole(w), whole(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(Unreadable::NoSize),
    }
}

/// The text inside the root `<svg …>` tag, after its name: the first
/// element that is not a declaration, comment or processing instruction.
fn root_tag(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        let at = rest.find('<')?;
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            break;
        }
    }
    let after = rest.strip_prefix("<svg")?;
    if !after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    // The tag ends at the first `>` outside quotes.
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(&after[..i]),
            _ => {}
        }
    }
    None
}

/// The `name="value"` pairs of a tag (either quote).
fn attributes(tag: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].split_whitespace().last().unwrap_or("");
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(end) = after[1..].find(q) else {
            break;
        };
        out.push((name, after[1..1 + end].trim().to_string()));
        rest = &after[end + 2..];
    }
    out
}

/// A length in pixels: a plain number or one in `px`; other units
/// (`mm`, `em`, `%`) say nothing of pixels.
fn pixels(value: &str) -> Option<f64> {
    let number = value.strip_suffix("px").unwrap_or(value).trim();
    let v: f64 = number.parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v)
}

/// The width and height of a `viewBox` (`min-x min-y width height`).
fn view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn png_size_comes_from_the_header() {
        assert_eq!(dimensions(&png(240, 64), Kind::Png), Ok((240, 64)));
        assert_eq!(
            dimensions(b"GIF89a....", Kind::Png),
            Err(Unreadable::NotThatKind)
        );
        assert_eq!(
            dimensions(&png(240, 64)[..18], Kind::Png),
            Err(Unreadable::NotThatKind)
        );
        assert_eq!(dimensions(&png(0, 64), Kind::Png), Err(Unreadable::NoSize));
    }

    #[test]
    fn svg_size_comes_from_its_attributes_or_view_box() {
        let svg = |attrs: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<!-- a > b -->\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}><g/></svg>"
            )
        };
        let size = |attrs: &str| dimensions(svg(attrs).as_bytes(), Kind::Svg);
        assert_eq!(size("width=\"200\" height=\"50\""), Ok((200, 50)));
        assert_eq!(size("width='200px' height='50px'"), Ok((200, 50)));
        assert_eq!(size("viewBox=\"0 0 400 100\""), Ok((400, 100)));
        assert_eq!(
            size("width=\"100%\" viewBox=\"0,0,400,100\""),
            Ok((400, 100))
        );
        assert_eq!(size("width=\"200\" viewBox=\"0 0 400 100\""), Ok((200, 50)));
        assert_eq!(size("height=\"25\" viewBox=\"0 0 400 100\""), Ok((100, 25)));
        assert_eq!(size("data-x=\"a>b\" viewBox=\"0 0 40 10\""), Ok((40, 10)));
        assert_eq!(size("width=\"10mm\""), Err(Unreadable::NoSize));
        assert_eq!(size(""), Err(Unreadable::NoSize));
        assert_eq!(
            dimensions(b"<html><svg width=\"1\" height=\"1\"></svg>", Kind::Svg),
            Err(Unreadable::NotThatKind)
        );
        assert_eq!(
            dimensions(&png(1, 1), Kind::Svg),
            Err(Unreadable::NotThatKind)
        );
    }

    #[test]
    fn the_kind_is_the_extension() {
        assert_eq!(Kind::of("static/Logga.SVG"), Some(Kind::Svg));
        assert_eq!(Kind::of("logo.png"), Some(Kind::Png));
        assert_eq!(Kind::of("logo.jpg"), None);
        assert_eq!(Kind::of("logo"), None);
    }
}
