//! Escaping text for HTML and XML outputs written without a template, and
//! file paths for URLs.

use std::borrow::Cow;

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

/// Percent-encodes the characters of a file path that are not safe in a URL.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            super::xml(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(super::xml("åäö"), "åäö");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            super::encode_path("a/Frågor 1.pdf"),
            "a/Fr%C3%A5gor%201.pdf"
        );
    }
}
