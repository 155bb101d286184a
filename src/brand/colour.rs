//! Colours and their contrast by WCAG 2.1: relative luminance, contrast
//! ratio, and the shade of a colour's hue with a chosen luminance.
//!
//! A shade is made in linear light, where the luminance is a weighted sum
//! of the channels: scaling the three channels by one factor scales the
//! luminance by that factor and keeps the hue and saturation (a darker
//! shade); mixing each channel towards full light by one share raises the
//! luminance by that share of what is left and keeps the hue (a lighter
//! shade, less saturated). Nothing here is picked by eye.

use std::fmt;

/// A colour of 8 bits a channel, as CSS writes `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

/// White.
pub const WHITE: Rgb = Rgb::new(0xff, 0xff, 0xff);

/// The least contrast of text against its background (WCAG 2.1, 1.4.3 AA).
pub const TEXT_CONTRAST: f64 = 4.5;

/// The least contrast of a focus indicator or another part of a control
/// against what is next to it (WCAG 2.1, 1.4.11 AA).
pub const NON_TEXT_CONTRAST: f64 = 3.0;

impl Rgb {
    /// A colour from its channels.
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Reads `#rrggbb` or `#rgb` (upper or lower case).
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Rgb::new(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb::new(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// The channels in linear light, 0 to 1.
    fn linear(self) -> [f64; 3] {
        [self.r, self.g, self.b].map(|c| to_linear(f64::from(c) / 255.0))
    }

    /// The colour nearest to linear channels `c` (each clamped to 0..1).
    fn from_linear(c: [f64; 3]) -> Rgb {
        let [r, g, b] = c.map(|v| (from_linear(v.clamp(0.0, 1.0)) * 255.0).round() as u8);
        Rgb::new(r, g, b)
    }

    /// Relative luminance by WCAG 2.1: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        let [r, g, b] = self.linear();
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }
}

impl fmt::Display for Rgb {
    /// `#rrggbb`, lower case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// An sRGB channel (0 to 1) in linear light. WCAG 2.1 writes the threshold
/// as 0.03928, the sRGB standard as 0.04045: no 8-bit value lies between
/// them, so both give the same luminance here.
fn to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// A linear channel (0 to 1) as sRGB.
fn from_linear(c: f64) -> f64 {
    if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

/// The contrast ratio of two colours by WCAG 2.1, from 1 to 21, whichever
/// is the lighter.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// A ratio as people read it, cut (not rounded) to two decimals so that a
/// ratio just under a limit never reads as the limit: `4.49`, or `4,49`
/// with `comma`.
pub fn ratio_text(ratio: f64, comma: bool) -> String {
    let cut = (ratio * 100.0).floor() / 100.0;
    let text = format!("{cut:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    if comma { text.replace('.', ",") } else { text }
}

/// Which way a shade goes from its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// Less light: the channels scaled down.
    Darker,
    /// More light: the channels mixed towards white.
    Lighter,
}

/// The shade of `colour`'s hue `amount` of the way (0 to 1) towards black
/// or white, in linear light: its luminance is scaled by `1 - amount`
/// (darker) or moved `amount` of the way to 1 (lighter).
pub fn shade(colour: Rgb, way: Way, amount: f64) -> Rgb {
    let amount = amount.clamp(0.0, 1.0);
    let c = colour.linear();
    Rgb::from_linear(match way {
        Way::Darker => c.map(|v| v * (1.0 - amount)),
        Way::Lighter => c.map(|v| v + (1.0 - v) * amount),
    })
}

/// The shade of `colour`'s hue nearest to it that has at least `min`
/// contrast against `against`: darker when `against` is the lighter of the
/// two, else lighter; the other way when that one cannot reach `min`.
/// `colour` itself when it already passes. For a limit up to 4.5 the
/// result always passes: the search ends at black or white, and one of
/// them has at least 4.58:1 against any colour.
pub fn nearest_passing(colour: Rgb, against: Rgb, min: f64) -> Rgb {
    if contrast(colour, against) >= min {
        return colour;
    }
    let (first, second) = if against.luminance() >= colour.luminance() {
        (Way::Darker, Way::Lighter)
    } else {
        (Way::Lighter, Way::Darker)
    };
    let way = if contrast(shade(colour, first, 1.0), against) >= min {
        first
    } else {
        second
    };
    // The contrast grows with the amount; find the least amount that passes.
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    for _ in 0..40 {
        let mid = (low + high) / 2.0;
        if contrast(shade(colour, way, mid), against) >= min {
            high = mid;
        } else {
            low = mid;
        }
    }
    // Rounding to 8 bits may cost a hair of contrast: step on until the
    // rounded colour passes too.
    let mut amount = high;
    loop {
        let candidate = shade(colour, way, amount);
        if contrast(candidate, against) >= min || amount >= 1.0 {
            return candidate;
        }
        amount = (amount + 0.002).min(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_both_forms_of_hex() {
        assert_eq!(Rgb::parse("#0d3b66"), Some(Rgb::new(0x0d, 0x3b, 0x66)));
        assert_eq!(Rgb::parse("#0D3B66"), Some(Rgb::new(0x0d, 0x3b, 0x66)));
        assert_eq!(Rgb::parse("#fc0"), Some(Rgb::new(0xff, 0xcc, 0x00)));
        for bad in ["0d3b66", "#0d3b6", "#0d3b667", "#ggg", "#+1f", "", "#"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb::new(0x0d, 0x3b, 0x66).to_string(), "#0d3b66");
    }

    #[test]
    fn contrast_matches_known_values() {
        let black = Rgb::new(0, 0, 0);
        assert!((contrast(black, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        // The default theme's own figures (style.css): white on its brand
        // colour 11.5:1, its text colour on white 16.6:1 (rounded there).
        let brand = Rgb::parse("#0d3b66").unwrap();
        assert_eq!(ratio_text(contrast(brand, WHITE), false), "11.44");
        let text = Rgb::parse("#1b1f23").unwrap();
        assert_eq!(ratio_text(contrast(text, WHITE), false), "16.57");
        // #767676 is the lightest grey with 4.5:1 on white, #777777 is not.
        assert!(contrast(Rgb::parse("#767676").unwrap(), WHITE) >= 4.5);
        assert!(contrast(Rgb::parse("#777777").unwrap(), WHITE) < 4.5);
    }

    #[test]
    fn ratios_are_cut_not_rounded() {
        assert_eq!(ratio_text(4.4999, false), "4.49");
        assert_eq!(ratio_text(4.5, true), "4,5");
        assert_eq!(ratio_text(21.0, false), "21");
        assert_eq!(ratio_text(1.567, true), "1,56");
    }

    #[test]
    fn a_light_colour_gets_the_nearest_darker_shade_of_its_hue() {
        let yellow = Rgb::parse("#ffcc00").unwrap();
        let fixed = nearest_passing(yellow, WHITE, TEXT_CONTRAST);
        assert!(contrast(fixed, WHITE) >= TEXT_CONTRAST);
        // Nearest: it passes by a hair, not by a wide margin.
        assert!(contrast(fixed, WHITE) < TEXT_CONTRAST + 0.1);
        // Same hue: the channels keep their order and red stays the largest.
        assert!(fixed.r > fixed.g && fixed.g > fixed.b);
        // A colour that passes is left as it is.
        let brand = Rgb::parse("#0d3b66").unwrap();
        assert_eq!(nearest_passing(brand, WHITE, TEXT_CONTRAST), brand);
    }

    #[test]
    fn a_dark_colour_against_dark_text_gets_a_lighter_shade() {
        let dark_text = Rgb::parse("#0b0c0c").unwrap();
        let navy = Rgb::parse("#0d3b66").unwrap();
        let fixed = nearest_passing(navy, dark_text, TEXT_CONTRAST);
        assert!(fixed.luminance() > navy.luminance());
        assert!(contrast(fixed, dark_text) >= TEXT_CONTRAST);
    }

    /// The hue of a colour in degrees, `None` for a grey.
    fn hue(c: Rgb) -> Option<f64> {
        let [r, g, b] = [c.r, c.g, c.b].map(|v| f64::from(v) / 255.0);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let d = max - min;
        if d < 1e-9 {
            return None;
        }
        let h = if max == r {
            ((g - b) / d).rem_euclid(6.0)
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        Some(h * 60.0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_suggestion_always_passes(
            r in any::<u8>(), g in any::<u8>(), b in any::<u8>(),
            tr in any::<u8>(), tg in any::<u8>(), tb in any::<u8>(),
        ) {
            let colour = Rgb::new(r, g, b);
            for against in [WHITE, Rgb::new(0x0b, 0x0c, 0x0c), Rgb::new(tr, tg, tb)] {
                let fixed = nearest_passing(colour, against, TEXT_CONTRAST);
                prop_assert!(
                    contrast(fixed, against) >= TEXT_CONTRAST,
                    "{colour} against {against} gave {fixed}"
                );
            }
        }

        #[test]
        fn a_darker_suggestion_keeps_the_hue(r in any::<u8>(), g in any::<u8>(), b in any::<u8>()) {
            let colour = Rgb::new(r, g, b);
            let fixed = nearest_passing(colour, WHITE, TEXT_CONTRAST);
            prop_assert!(contrast(fixed, WHITE) >= TEXT_CONTRAST);
            prop_assert!(fixed.luminance() <= colour.luminance() + 1e-12);
            // The hue moves only as much as rounding to 8 bits makes it;
            // dark shades have few steps, so the allowance grows there.
            if let (Some(before), Some(after)) = (hue(colour), hue(fixed)) {
                let diff = (before - after).abs();
                let diff = diff.min(360.0 - diff);
                let span = f64::from(fixed.r.max(fixed.g).max(fixed.b))
                    - f64::from(fixed.r.min(fixed.g).min(fixed.b));
                prop_assert!(
                    diff <= 2.0 + 120.0 / span.max(1.0),
                    "{colour} -> {fixed}: hue {before:.1} -> {after:.1}"
                );
            }
        }
    }
}
