//! `[brand]` in `site.toml`: a city's logo, colour, name and contact
//! details on every page, with the contrast the theme promises kept.
//!
//! The default theme draws white text on its brand colour (the header, the
//! buttons) and the brand colour as text on the white page (the reset
//! button of the list); its focus highlight is a yellow behind dark text,
//! drawn on the header too. A brand colour replaces the theme's, so every
//! pair it takes part in is measured here ([`checks`]) and a colour under
//! 4.5:1 is refused with the nearest shade of its hue that passes. The
//! hover shade and, when needed, a lighter focus highlight are computed
//! from it ([`Palette::new`]). The colours reach the pages as CSS custom
//! properties in a style sheet of their own ([`css`]): no `<style>`
//! element or attribute, so the pages keep to a strict content security
//! policy.

pub mod colour;
pub mod logo;
mod settings;

use std::fmt::Write as _;

use crate::model::Msg;
use crate::msg;
use colour::{NON_TEXT_CONTRAST, Rgb, TEXT_CONTRAST, WHITE, Way, contrast, ratio_text};
pub use settings::{Key, Problem, RawBrand, read, read_logo};

/// The output path of the brand's style sheet, beside the theme's and,
/// like the theme's files, named with a hash of its bytes
/// (`static/brand.3f2a9c1e.css`), so a server may cache it for a year and
/// a new colour still reaches every reader.
pub fn css_path(brand: &Brand) -> String {
    crate::theme::assets::hashed_name("static/brand.css", css(brand).as_bytes())
}

/// A logo over this many bytes makes `check` warn.
pub const LOGO_LARGE_BYTES: u64 = 100_000;

/// The height, in CSS pixels, a logo is shown at in the header.
pub const LOGO_HEIGHT: u32 = 48;

/// The text colour the default theme draws on its brand colour.
pub const THEME_ON_BRAND: Rgb = WHITE;
/// The default theme's page background (`--bg`).
pub const THEME_BG: Rgb = WHITE;
/// The default theme's focus highlight (`--focus`).
pub const THEME_FOCUS: Rgb = Rgb::new(0xff, 0xbf, 0x47);
/// The text on the focus highlight, and the focus outline (`--focus-text`).
pub const THEME_FOCUS_TEXT: Rgb = Rgb::new(0x0b, 0x0c, 0x0c);

/// How much of its luminance the hover shade loses: buttons under the
/// pointer and the line under the header.
const HOVER_DARKER: f64 = 0.4;

/// The validated `[brand]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Brand {
    /// The colours, when `color` is set.
    pub palette: Option<Palette>,
    /// The logo, when `logo` is set.
    pub logo: Option<Logo>,
    /// The organisation's name, for the header and the footer.
    pub organisation: String,
    /// The footer's contact block.
    pub footer: Footer,
}

/// `[brand.footer]`: how to reach the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Footer {
    /// Postal or visiting address, one line.
    pub address: String,
    /// Phone number as people write it.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// Swedish organisation number (`212000-1124`).
    pub org_number: String,
    /// Links such as the city's main site and its privacy page.
    pub links: Vec<Link>,
}

/// A link of the footer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// Its text.
    pub title: String,
    /// Its address, checked like every address a writer types.
    pub url: String,
}

/// The logo: a file in the site's `static/` folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Logo {
    /// The path as written: `static/logga.svg`.
    pub path: String,
    /// Where it is published: its path under `static/` (`logga.svg`),
    /// since the site's `static/` folder is published at the root.
    pub out: String,
    /// Its text alternative.
    pub alt: String,
    /// SVG or PNG.
    pub kind: logo::Kind,
    /// Its width and height in pixels, read from the file; `(0, 0)` until
    /// [`read_logo`] has looked.
    pub size: (u32, u32),
    /// Its size in bytes.
    pub bytes: u64,
}

impl Logo {
    /// Width and height to show it at: [`LOGO_HEIGHT`] high, or its own
    /// height when that is less, with its own shape. The page sets these
    /// so nothing moves when it loads; CSS narrows a wide one to the screen
    /// and keeps the shape.
    pub fn shown_size(&self) -> (u32, u32) {
        let (w, h) = self.size;
        if w == 0 || h == 0 {
            return (0, 0);
        }
        let height = h.min(LOGO_HEIGHT);
        let width = (u64::from(w) * u64::from(height)).div_ceil(u64::from(h));
        (u32::try_from(width).unwrap_or(u32::MAX).max(1), height)
    }
}

/// The colours a brand colour gives the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    /// `--brand`: the header, buttons, accents.
    pub brand: Rgb,
    /// `--brand-dark`: a button under the pointer, the line under the header.
    pub hover: Rgb,
    /// `--focus`: the theme's focus highlight, made lighter in its own hue
    /// when the brand colour is too close to it.
    pub focus: Rgb,
}

/// One pair of colours the theme draws together, measured.
#[derive(Debug, Clone)]
pub struct Check {
    /// Where the pair is drawn.
    pub what: Msg,
    /// The contrast it has.
    pub ratio: f64,
    /// The contrast it needs.
    pub min: f64,
}

/// A brand colour refused for its contrast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refusal {
    /// Its contrast against the text drawn on it.
    pub ratio: f64,
    /// The nearest shade of its hue that passes.
    pub suggestion: Rgb,
    /// The contrast of the suggestion.
    pub suggestion_ratio: f64,
}

impl Palette {
    /// The palette of brand colour `brand`, or why it is refused: white
    /// text on it (and it as text on the white page) under 4.5:1.
    pub fn new(brand: Rgb) -> Result<Palette, Refusal> {
        let ratio = contrast(brand, THEME_ON_BRAND);
        if ratio < TEXT_CONTRAST {
            let suggestion = colour::nearest_passing(brand, THEME_ON_BRAND, TEXT_CONTRAST);
            return Err(Refusal {
                ratio,
                suggestion,
                suggestion_ratio: contrast(suggestion, THEME_ON_BRAND),
            });
        }
        let hover = colour::shade(brand, Way::Darker, HOVER_DARKER);
        // The highlight must stand out from the header it is drawn on.
        let focus = colour::nearest_passing(THEME_FOCUS, brand, NON_TEXT_CONTRAST);
        Ok(Palette {
            brand,
            hover,
            focus,
        })
    }
}

/// Every pair of colours of `palette` the default theme draws together,
/// with the contrast each has and needs.
pub fn checks(p: &Palette) -> Vec<Check> {
    let check = |what: Msg, a: Rgb, b: Rgb, min: f64| Check {
        what,
        ratio: contrast(a, b),
        min,
    };
    vec![
        check(
            msg!(
                "vit text på märkesfärgen (sidhuvud, knappar) och märkesfärgen som text på vit sida",
                "white text on the brand colour (header, buttons) and the brand colour as text on the white page"
            ),
            THEME_ON_BRAND,
            p.brand,
            TEXT_CONTRAST,
        ),
        check(
            msg!(
                "vit text på hovringsfärgen (knapp under muspekaren)",
                "white text on the hover colour (a button under the pointer)"
            ),
            THEME_ON_BRAND,
            p.hover,
            TEXT_CONTRAST,
        ),
        check(
            msg!(
                "fokusmarkeringen mot sidhuvudets märkesfärg",
                "the focus highlight against the brand colour of the header"
            ),
            p.focus,
            p.brand,
            NON_TEXT_CONTRAST,
        ),
        check(
            msg!(
                "mörk text på fokusmarkeringen",
                "dark text on the focus highlight"
            ),
            THEME_FOCUS_TEXT,
            p.focus,
            TEXT_CONTRAST,
        ),
        check(
            msg!(
                "fokusramen mot sidans bakgrund",
                "the focus outline against the page background"
            ),
            THEME_FOCUS_TEXT,
            THEME_BG,
            NON_TEXT_CONTRAST,
        ),
    ]
}

/// The message and hint of a refused colour written as `written`.
pub fn refusal_msg(written: &str, r: &Refusal) -> (Msg, Msg) {
    let (sv, en) = (ratio_text(r.ratio, true), ratio_text(r.ratio, false));
    let fixed = r.suggestion;
    let (fsv, fen) = (
        ratio_text(r.suggestion_ratio, true),
        ratio_text(r.suggestion_ratio, false),
    );
    (
        msg!(
            "färgen `{written}` ger bara kontrasten {sv}:1 mot den vita texten i sidhuvudet och på knapparna; minst 4,5:1 krävs för att texten ska gå att läsa (WCAG 2.1 AA)",
            "the colour `{written}` gives only {en}:1 contrast against the white text of the header and buttons; at least 4.5:1 is needed for the text to be readable (WCAG 2.1 AA)"
        ),
        msg!(
            "närmaste mörkare nyans av samma färgton som klarar kravet är {fixed} ({fsv}:1); skriv `color = \"{fixed}\"`",
            "the nearest darker shade of the same hue that passes is {fixed} ({fen}:1); write `color = \"{fixed}\"`"
        ),
    )
}

/// The brand's style sheet: the palette as the theme's custom properties,
/// and the layout of the logo and the contact block.
pub fn css(brand: &Brand) -> String {
    let mut out = String::from(
        "/* Made by Utlys from [brand] in site.toml. Every colour pair below was\n   measured against WCAG 2.1 AA at build time. */\n",
    );
    if let Some(p) = &brand.palette {
        out.push_str("\n/*");
        for c in checks(p) {
            let _ = write!(
                out,
                "\n * {}: {}:1 (min {}:1)",
                c.what.en,
                ratio_text(c.ratio, false),
                ratio_text(c.min, false)
            );
        }
        let _ = write!(
            out,
            "\n */\n:root {{\n  --brand: {};\n  --brand-dark: {};\n  --focus: {};\n}}\n",
            p.brand, p.hover, p.focus
        );
    }
    out.push_str(LAYOUT_CSS);
    out
}

/// The layout of the brand's parts, the same for every brand.
const LAYOUT_CSS: &str = "
.site-title--brand {
  display: inline-flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem 0.9rem;
  max-width: 100%;
}

/* The logo keeps its width and height attributes (no shift while the page
   loads); on a narrow screen it narrows and keeps its shape. */
.site-logo {
  display: block;
  flex: 0 1 auto;
  max-width: 100%;
  height: auto;
}

.site-org {
  display: block;
  font-size: 0.95rem;
  font-weight: 400;
}

.footer-org {
  margin: 1.5rem 0 1rem;
}

.footer-org__name {
  font-size: 1.05rem;
  margin: 0 0 0.25rem;
}

.footer-org address {
  font-style: normal;
  margin: 0 0 0.5rem;
}

.footer-org ul {
  list-style: none;
  padding: 0;
  display: flex;
  flex-wrap: wrap;
  gap: 0.25rem 1.5rem;
}

.footer-org li + li {
  margin-top: 0;
}
";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value of custom property `name` in the `:root` rule of the
    /// default theme's style sheet.
    fn theme_value(name: &str) -> Rgb {
        let css = include_str!("../../themes/default/static/style.css");
        let root = &css[css.find(":root").unwrap()..];
        let root = &root[..root.find('}').unwrap()];
        let at = root.find(&format!("{name}:")).unwrap() + name.len() + 1;
        let value = root[at..].split(';').next().unwrap().trim();
        Rgb::parse(value).unwrap()
    }

    #[test]
    fn the_theme_colours_here_are_the_theme_s() {
        assert_eq!(theme_value("--focus"), THEME_FOCUS);
        assert_eq!(theme_value("--focus-text"), THEME_FOCUS_TEXT);
        assert_eq!(theme_value("--bg"), THEME_BG);
        // The theme's own brand colour passes, and its focus yellow is kept.
        let own = Palette::new(theme_value("--brand")).unwrap();
        assert_eq!(own.focus, THEME_FOCUS);
        let css = include_str!("../../themes/default/static/style.css");
        // White is what the theme draws on the brand colour.
        let button = &css[css.find(".button {").unwrap()..];
        let button = &button[..button.find('}').unwrap()];
        assert!(button.contains("background: var(--brand)") && button.contains("color: #ffffff"));
    }

    #[test]
    fn a_light_colour_is_refused_with_a_darker_shade_that_passes() {
        let r = Palette::new(Rgb::parse("#ffcc00").unwrap()).unwrap_err();
        assert_eq!(ratio_text(r.ratio, false), "1.51");
        assert!(r.suggestion_ratio >= 4.5);
        assert!(Palette::new(r.suggestion).is_ok());
        let (m, h) = refusal_msg("#FFCC00", &r);
        assert!(m.sv.contains("1,51:1") && m.en.contains("1.51:1"), "{m:?}");
        let fixed = r.suggestion.to_string();
        assert!(h.en.contains(&format!("color = \"{fixed}\"")), "{h:?}");
    }

    #[test]
    fn a_mid_colour_gets_a_lighter_focus_highlight() {
        // #1a73e8 passes white text (4.51:1) but the theme's yellow is too
        // close to it (2.74:1): the highlight is lifted, the hue kept.
        let p = Palette::new(Rgb::parse("#1a73e8").unwrap()).unwrap();
        assert_ne!(p.focus, THEME_FOCUS);
        assert!(p.focus.luminance() > THEME_FOCUS.luminance());
        assert!(contrast(p.focus, p.brand) >= 3.0);
        assert!(p.focus.r >= p.focus.g && p.focus.g >= p.focus.b);
        let css = css(&Brand {
            palette: Some(p),
            ..Brand::default()
        });
        assert!(css.contains(&format!("--brand: {};", p.brand)));
        assert!(css.contains(&format!("--focus: {};", p.focus)));
    }

    #[test]
    fn a_logo_is_shown_at_most_the_header_height() {
        let logo = |w, h| Logo {
            path: String::new(),
            out: String::new(),
            alt: String::new(),
            kind: logo::Kind::Png,
            size: (w, h),
            bytes: 0,
        };
        assert_eq!(logo(400, 100).shown_size(), (192, 48));
        assert_eq!(logo(32, 32).shown_size(), (32, 32));
        assert_eq!(logo(3, 1000).shown_size(), (1, 48));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn every_colour_is_taken_or_refused_with_a_shade_that_is_taken(
            r in any::<u8>(), g in any::<u8>(), b in any::<u8>()
        ) {
            let colour = Rgb::new(r, g, b);
            let palette = match Palette::new(colour) {
                Ok(p) => p,
                Err(refusal) => {
                    prop_assert!(refusal.ratio < 4.5);
                    prop_assert!(refusal.suggestion_ratio >= 4.5);
                    Palette::new(refusal.suggestion).expect("the suggestion passes")
                }
            };
            for c in checks(&palette) {
                prop_assert!(c.ratio >= c.min, "{colour}: {} {}", c.what.en, c.ratio);
            }
        }
    }
}
