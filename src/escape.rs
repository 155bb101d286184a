//! Escaping text for HTML and XML outputs written without a template, and
//! percent-encoding for URLs: one [`AsciiSet`] per use, so each rule is
//! written once.

use std::borrow::Cow;

use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};

/// Escapes `&`, `<`, `>`, `"` and `'` so text is safe in element content and
/// in quoted attribute values of HTML and XML.
pub fn xml(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Bytes kept as they are in a file path made part of a URL: letters,
/// digits and `/-_.~`; everything else is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Bytes kept as they are in a value put inside another URL (a query
/// parameter): only the unreserved characters of RFC 3986, letters,
/// digits and `-_.~`. `/`, `:`, `?`, `&` and `=` are encoded, so the value
/// cannot end the parameter or add one.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Bytes kept in a `Location` path: those of [`PATH`] plus the
/// sub-delimiters, `:` and `@`, which a path segment may hold as they are
/// (RFC 3986, `pchar`).
const LOCATION: &AsciiSet = &PATH
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Bytes encoded in an address written by a person: control characters,
/// space and the printable characters a URI may not hold. `%` is not among
/// them, so an address that is already encoded stays the same.
const URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes a whole value, an address included, to be put inside
/// another URL (`https%3A%2F%2Fx.se%2Fatom.xml`), or one value of a query
/// such as the subject of a `mailto:` link (RFC 6068): `Fråga om X` →
/// `Fr%C3%A5ga%20om%20X`.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Percent-encodes the characters of a file path that are not safe in a URL.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Percent-encodes a path for a `Location` header, keeping `/` and the
/// characters a path allows as they are.
pub fn encode_location(path: &str) -> String {
    utf8_percent_encode(path, LOCATION).to_string()
}

/// An address as written, with the characters a URI may not hold (spaces,
/// letters outside ASCII such as `å`, `"<>` and the like) percent-encoded
/// the way a browser would before requesting it; the ends are trimmed.
///
/// Front matter accepts `https://example.se/rapport å.pdf`; OCDS types the
/// field as a URI and validators reject the raw form.
pub fn encode_uri(url: &str) -> String {
    utf8_percent_encode(url.trim(), URI).to_string()
}

/// Decodes `%XX` escapes once; `None` when the result is not UTF-8.
/// Malformed escapes stay as they are.
pub fn decode_path(raw: &str) -> Option<String> {
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            xml(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(xml("åäö"), "åäö");
    }

    #[test]
    fn a_query_value_keeps_nothing_that_ends_it() {
        assert_eq!(
            encode_component("Fråga & svar? #1 = a/b"),
            "Fr%C3%A5ga%20%26%20svar%3F%20%231%20%3D%20a%2Fb"
        );
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("a/Frågor 1.pdf"), "a/Fr%C3%A5gor%201.pdf");
    }

    /// The encoders these sets replaced, byte by byte: what each kept as
    /// it was, everything else as `%XX` with capital hex digits.
    fn by_hand(text: &str, keep: impl Fn(u8) -> bool) -> String {
        let mut out = String::new();
        for b in text.bytes() {
            if keep(b) {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    fn old_path(text: &str) -> String {
        by_hand(text, |b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b))
    }

    fn old_location(text: &str) -> String {
        by_hand(text, |b| {
            b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b)
        })
    }

    fn old_uri(text: &str) -> String {
        by_hand(text.trim(), |b| {
            b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b)
        })
    }

    /// Every ASCII character, and the inputs that tell encoders apart.
    fn tricky() -> Vec<String> {
        let mut inputs: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        inputs.extend(
            [
                "a b",
                "å",
                "Frågor & svar.pdf",
                "100%",
                "%C3%A5",
                "%zz",
                "#frag",
                "?q=1&r=2",
                "\"<>\"",
                "~user/x",
                "a\\b|c^d`e{f}",
                " https://x.se/rapport å.pdf ",
                "/utmaningar/å b/",
                "😀/ä\u{7f}\t\n",
            ]
            .map(String::from),
        );
        inputs
    }

    #[test]
    fn the_sets_encode_exactly_what_the_old_encoders_did() {
        for input in tricky() {
            assert_eq!(encode_path(&input), old_path(&input), "path {input:?}");
            assert_eq!(
                encode_location(&input),
                old_location(&input),
                "location {input:?}"
            );
            assert_eq!(encode_uri(&input), old_uri(&input), "uri {input:?}");
        }
    }

    #[test]
    fn each_use_keeps_its_own_characters() {
        assert_eq!(
            encode_path("a b/å%#?\"<>~"),
            "a%20b/%C3%A5%25%23%3F%22%3C%3E~"
        );
        assert_eq!(encode_location("/å b/x;y=1:@!"), "/%C3%A5%20b/x;y=1:@!");
        assert_eq!(encode_location("/a?b#c%"), "/a%3Fb%23c%25");
        assert_eq!(
            encode_uri(" https://x.se/rapport å.pdf "),
            "https://x.se/rapport%20%C3%A5.pdf"
        );
        assert_eq!(
            encode_uri("https://x.se/a%20b?q=1#f~"),
            "https://x.se/a%20b?q=1#f~"
        );
        assert_eq!(
            encode_uri("https://x.se/\"<x>\""),
            "https://x.se/%22%3Cx%3E%22"
        );
    }

    #[test]
    fn paths_are_decoded_once_and_only_as_utf8() {
        assert_eq!(decode_path("/%C3%A5%20b").as_deref(), Some("/å b"));
        assert_eq!(decode_path("/%252e").as_deref(), Some("/%2e"));
        assert_eq!(decode_path("/%zz/%4").as_deref(), Some("/%zz/%4"));
        assert_eq!(decode_path("/%2F%2f").as_deref(), Some("///"));
        assert_eq!(decode_path("/%ff"), None);
    }
}
