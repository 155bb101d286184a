//! Which characters a text field may hold.
//!
//! A one-line field (a title, an address, a tag) ends up in places where a
//! line break or another control character changes the meaning: a line of
//! `robots.txt`, an XML attribute, an HTTP header of a calendar line. A
//! Markdown field may break lines, but XML 1.0 forbids most other control
//! characters outright, so one of them in a feed makes the whole feed
//! unreadable. Both are refused when the site is loaded, with the character
//! named, rather than escaped differently by every output. Which links are
//! safe to follow is decided here too, for fields and Markdown alike.

use crate::diagnostics::Msg;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line of plain text: no control characters and no line or
    /// paragraph separators.
    Line,
    /// Text over several lines (Markdown): line breaks and tabs, but none
    /// of the control characters XML 1.0 forbids.
    Multiline,
}

/// The first character `text` may not hold as a `kind` field, with its
/// byte offset.
pub fn forbidden(text: &str, kind: TextKind) -> Option<(usize, char)> {
    // Every forbidden character's UTF-8 form holds one of these bytes (C0
    // controls and DEL as themselves, C1 controls after 0xC2, the line and
    // paragraph separators after 0xE2, U+FFFE and U+FFFF after 0xEF), so
    // a text without them (most bodies) is passed in one quick look at its
    // bytes instead of being decoded.
    let suspicious = |b: u8| match kind {
        TextKind::Line => b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF),
        TextKind::Multiline => (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF,
    };
    // In blocks, every byte of a block looked at without stopping early, so
    // the compiler compares many bytes at once: a page's body is read in an
    // eighth of the time.
    let bytes = text.as_bytes();
    let mut blocks = bytes.chunks_exact(64);
    let clean = blocks
        .by_ref()
        .all(|block| !block.iter().fold(false, |seen, &b| seen | suspicious(b)))
        && !blocks.remainder().iter().any(|&b| suspicious(b));
    if clean {
        return None;
    }
    text.char_indices().find(|&(_, c)| match kind {
        TextKind::Line => {
            c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
        }
        TextKind::Multiline => not_in_xml(c),
    })
}

/// Whether XML 1.0 forbids `c` in a document (its `Char` production).
pub fn not_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The character in words, with its code, in both languages: "en
/// radbrytning (U+000A)", "a line break (U+000A)".
pub fn describe_msg(c: char) -> Msg {
    let (sv, en) = match c {
        '\n' => ("en radbrytning", "a line break"),
        '\r' => ("ett vagnreturtecken", "a carriage return"),
        '\t' => ("ett tabbtecken", "a tab"),
        '\u{0}' => ("ett NUL-tecken", "a NUL character"),
        '\u{B}' => ("ett vertikalt tabbtecken", "a vertical tab"),
        '\u{C}' => ("ett sidmatningstecken", "a form feed"),
        '\u{7F}' => ("ett raderingstecken (DEL)", "a delete character"),
        '\u{85}' => ("ett tecken för ny rad (NEL)", "a next-line character"),
        '\u{2028}' => ("en radavgränsare", "a line separator"),
        '\u{2029}' => ("en styckeavgränsare", "a paragraph separator"),
        '\u{FFFE}' | '\u{FFFF}' => ("ett icke-tecken", "a noncharacter"),
        '\u{80}'..='\u{9F}' => ("ett C1-styrtecken", "a C1 control character"),
        _ => ("ett styrtecken", "a control character"),
    };
    let code = format!("U+{:04X}", u32::from(c));
    crate::msg!("{sv} ({code})", "{en} ({code})")
}

/// What is wrong with a `kind` field holding `c`, and how to fix it.
pub fn problem_msg(kind: TextKind, c: char) -> (Msg, Msg) {
    let what = describe_msg(c);
    let (sv, en) = (&what.sv, &what.en);
    match kind {
        TextKind::Line => (
            crate::msg!(
                "värdet innehåller {sv}; fältet ska vara en rad vanlig text",
                "the value holds {en}; this field is one line of plain text"
            ),
            crate::msg!(
                "ta bort tecknet och skriv värdet på en rad; text som klistras in från Word, en PDF eller ett e-brev får ofta med sig osynliga tecken",
                "remove the character and write the value on one line; text pasted from Word, a PDF or an e-mail often brings invisible characters along"
            ),
        ),
        TextKind::Multiline => (
            crate::msg!(
                "texten innehåller {sv}, som inte får finnas i nyhetsflöden (XML)",
                "the text holds {en}, which XML feeds cannot carry"
            ),
            crate::msg!(
                "ta bort tecknet; det syns inte och kommer ofta med när text klistras in från ett annat program",
                "remove the character; it is invisible and often comes along with text pasted from another program"
            ),
        ),
    }
}

/// Whether `url` is a safe link with one of `schemes`, or relative. Both
/// the loader (links in fields) and Markdown (links in text) ask it.
pub fn is_safe_link(url: &str, schemes: &[&str]) -> bool {
    let url = url.trim();
    if url.chars().any(|c| c.is_control()) {
        return false;
    }
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme))
        }
        _ => !url.is_empty(),
    }
}

/// Whether `s` has the form of an e-mail address: a name, `@` and a domain
/// with a dot, without spaces or the characters that end an address.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(|c: char| c.is_whitespace() || "<>\"'(),;:[]\\".contains(c))
        && !domain.contains('@')
}

/// The address form of a term's name (`Smart stad` → `smart-stad`), as
/// `slug::slugify` makes it, remembered per thread: a site has a few dozen
/// tags, buyers and regions, and each is turned into an address in every
/// card, list, feed and index that names it.
pub fn term_slug(name: &str) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    // Enough for the terms of any real site; past it the memory starts over.
    const REMEMBERED: usize = 4096;
    thread_local! {
        static SLUGS: RefCell<HashMap<Box<str>, Box<str>>> = RefCell::new(HashMap::new());
    }
    SLUGS.with_borrow_mut(|slugs| {
        if let Some(slug) = slugs.get(name) {
            return slug.to_string();
        }
        let slug = slug::slugify(name);
        if slugs.len() >= REMEMBERED {
            slugs.clear();
        }
        slugs.insert(name.into(), slug.as_str().into());
        slug
    })
}

#[cfg(test)]
mod tests {
    /// The byte look-up in [`forbidden`] lets no forbidden character by:
    /// every character, alone and inside other text, gives the answer of
    /// the character test itself.
    #[test]
    fn the_quick_byte_look_never_misses_a_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let line =
                c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}');
            let text = format!("Å {c} ö");
            assert_eq!(forbidden(&text, TextKind::Line).is_some(), line, "{c:?}");
            assert_eq!(
                forbidden(&text, TextKind::Multiline).is_some(),
                not_in_xml(c),
                "{c:?}"
            );
        }
    }

    use super::*;

    #[test]
    fn one_line_fields_refuse_every_control_and_separator() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{B}', '\u{C}', '\u{1F}', '\u{7F}', '\u{85}', '\u{9F}',
            '\u{2028}', '\u{2029}', '\u{FFFE}',
        ] {
            let text = format!("Titel{c}x");
            assert_eq!(forbidden(&text, TextKind::Line), Some((5, c)), "{c:?}");
        }
        assert_eq!(forbidden("Åtgärd – “citat” ", TextKind::Line), None);
    }

    #[test]
    fn multiline_fields_refuse_only_what_xml_forbids() {
        assert_eq!(
            forbidden("a\nb\r\n\tc\u{7F}\u{85}\u{2028}", TextKind::Multiline),
            None
        );
        for c in [
            '\0', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}', '\u{FFFF}',
        ] {
            assert_eq!(
                forbidden(&format!("ab{c}"), TextKind::Multiline),
                Some((2, c))
            );
        }
    }

    #[test]
    fn a_character_is_found_wherever_it_stands_in_a_long_text() {
        // Texts are looked at in blocks of 64 bytes: the character is put
        // at each place of the first blocks and of the remainder after them,
        // with text of two- and three-byte characters around it.
        let filler = "å–a".repeat(40);
        for at in 0..filler.len() {
            if !filler.is_char_boundary(at) {
                continue;
            }
            let text = format!("{}\u{1}{}", &filler[..at], &filler[at..]);
            assert_eq!(forbidden(&text, TextKind::Multiline), Some((at, '\u{1}')));
            assert_eq!(forbidden(&text, TextKind::Line), Some((at, '\u{1}')));
        }
        assert_eq!(forbidden(&filler, TextKind::Multiline), None);
        assert_eq!(forbidden(&filler, TextKind::Line), None);
    }

    #[test]
    fn characters_are_named_with_their_code() {
        let en = |c| describe_msg(c).en;
        assert_eq!(en('\n'), "a line break (U+000A)");
        assert_eq!(en('\u{2029}'), "a paragraph separator (U+2029)");
        assert_eq!(en('\u{9B}'), "a C1 control character (U+009B)");
        assert_eq!(en('\u{1}'), "a control character (U+0001)");
        assert_eq!(describe_msg('\n').sv, "en radbrytning (U+000A)");
        assert_eq!(describe_msg('\u{1}').sv, "ett styrtecken (U+0001)");
    }

    #[test]
    fn only_listed_schemes_are_safe() {
        assert!(is_safe_link("https://example.se/a", &["https"]));
        assert!(is_safe_link("mailto:a@b.se", &["https", "mailto"]));
        assert!(!is_safe_link(
            "javascript:alert(1)",
            &["https", "http", "mailto"]
        ));
        assert!(!is_safe_link("JavaScript:alert(1)", &["https"]));
        assert!(!is_safe_link("java\tscript:alert(1)", &["https"]));
        assert!(!is_safe_link("data:text/html,x", &["https"]));
        assert!(is_safe_link("../a/b", &["https"]));
    }

    #[test]
    fn a_remembered_slug_is_the_one_slugify_makes() {
        let names = [
            "Smart stad",
            "Äldreomsorg",
            "Region Skåne",
            "Co-creation",
            "  ",
            "Öppna data",
        ];
        for _ in 0..2 {
            for name in names {
                assert_eq!(term_slug(name), slug::slugify(name), "{name}");
            }
        }
        // Past what is remembered, the memory starts over and stays right.
        for i in 0..5000 {
            let name = format!("Tagg {i}");
            assert_eq!(term_slug(&name), format!("tagg-{i}"));
        }
        assert_eq!(term_slug("Smart stad"), "smart-stad");
    }
}
