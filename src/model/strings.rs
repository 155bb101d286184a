//! The UI strings a theme gives each language.

use std::collections::BTreeMap;

/// The UI strings of one language.
pub type Strings = BTreeMap<String, String>;

/// A UI string, or `fallback` when the theme lacks the key.
pub fn t<'a>(strings: &'a Strings, key: &str, fallback: &'a str) -> &'a str {
    strings.get(key).map_or(fallback, String::as_str)
}
