//! Splitting a Markdown file into front matter and body, and parsing the
//! front matter (YAML between `---` lines or TOML between `+++` lines).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The front-matter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
}

/// A file split in two; offsets are bytes into the text that was split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML or TOML.
    pub format: Format,
    /// The front matter, without its delimiter lines.
    pub front: &'a str,
    /// Where `front` starts in the file.
    pub front_offset: usize,
    /// The Markdown after the closing delimiter line.
    pub body: &'a str,
    /// Where `body` starts in the file.
    pub body_offset: usize,
}

/// Why a file could not be split; `offset` points into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// Byte offset in the file.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Splits `text` (BOM already removed; LF or CRLF line ends) into front matter
/// and body. The front matter must start on the first line.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end_matches(['\n', '\r']).trim_end();
    let (format, delimiter) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(SplitError {
                offset: 0,
                message: "the file does not start with front matter".into(),
                hint: "begin the file with a line `---`, then fields such as `title: …`, then another `---` line".into(),
            });
        }
    };
    let mut offset = first_end;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let line = text[offset..end].trim_end_matches(['\n', '\r']).trim_end();
        if line == delimiter {
            return Ok(Split {
                format,
                front: &text[first_end..offset],
                front_offset: first_end,
                body: &text[end..],
                body_offset: end,
            });
        }
        offset = end;
    }
    Err(SplitError {
        offset: 0,
        message: format!("the front matter is never closed: no second `{delimiter}` line"),
        hint: format!("add a line with only `{delimiter}` after the last field"),
    })
}

/// A front-matter parse error; `offset` points into the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the front matter, when the parser knows it.
    pub offset: Option<usize>,
    /// The parser's message.
    pub message: String,
}

/// Parses front matter into `T`, and lists the top-level keys `T` has no
/// field for. Unknown keys are not an error here, so that every one of them
/// can be reported at once; the text is read once for both.
pub fn parse<T: DeserializeOwned>(
    format: Format,
    front: &str,
) -> Result<(T, Vec<String>), ParseError> {
    let mut unknown = Vec::new();
    let note = |path: serde_ignored::Path<'_>| {
        if let serde_ignored::Path::Map { parent, key } = path
            && matches!(parent, serde_ignored::Path::Root)
        {
            unknown.push(key);
        }
    };
    let value = match format {
        Format::Yaml => {
            // An empty front matter is an empty mapping, not a YAML null.
            let front = if front.trim().is_empty() { "{}" } else { front };
            serde_saphyr::with_deserializer_from_str(front, |de| {
                serde_ignored::deserialize(de, note)
            })
            .map_err(|e| yaml_error(front, &e))?
        }
        Format::Toml => toml::Deserializer::parse(front)
            .and_then(|de| serde_ignored::deserialize(de, note))
            .map_err(|e| ParseError {
                offset: e.span().map(|s| s.start),
                message: e.message().trim().to_string(),
            })?,
    };
    Ok((value, unknown))
}

/// The top-level keys of the front matter, read without a type: for a
/// front matter that [`parse`] rejects, whose unknown keys are still
/// reported.
pub fn keys(format: Format, front: &str) -> Result<Vec<String>, ParseError> {
    let (map, _): (BTreeMap<String, IgnoredAny>, _) = parse(format, front)?;
    Ok(map.into_keys().collect())
}

fn yaml_error(front: &str, e: &serde_saphyr::Error) -> ParseError {
    let offset = e.location().and_then(|loc| {
        let line = usize::try_from(loc.line()).ok()?;
        let column = usize::try_from(loc.column()).ok()?;
        if line == 0 {
            return None;
        }
        let line_start = front
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let line_text = front[line_start.min(front.len())..]
            .lines()
            .next()
            .unwrap_or("");
        let within: usize = line_text
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        Some(line_start + within)
    });
    // The message alone: our own diagnostic shows the file's position and line.
    use serde_saphyr::MessageFormatter;
    let message = serde_saphyr::UserMessageFormatter
        .format_message(e)
        .trim()
        .to_string();
    ParseError { offset, message }
}

/// Finds the byte offset (in the front matter) of the value of the key at
/// `path`, such as `["contact", "email"]`, so messages can point at it.
///
/// This reads the text line by line rather than asking the parser, which is
/// enough for the front matter people write: block mappings in YAML, plain
/// keys, `[tables]` and inline tables in TOML.
pub fn locate(format: Format, front: &str, path: &[&str]) -> Option<usize> {
    match format {
        Format::Yaml => locate_yaml(front, path),
        Format::Toml => locate_toml(front, path),
    }
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// Offset of the value after `key:` (or of the key when the value is on the
/// following lines).
fn locate_yaml(front: &str, path: &[&str]) -> Option<usize> {
    let mut depth = 0;
    let mut min_indent = 0;
    let mut found = None;
    for (start, line) in lines_with_offsets(front) {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if depth > 0 && indent < min_indent {
            // Left the mapping of the parent key without finding the child.
            return found;
        }
        let key_text = content.trim_start_matches("- ");
        let key_indent = indent + (content.len() - key_text.len());
        let Some(key) = path.get(depth) else { break };
        let matches = key_text
            .strip_prefix(key)
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .is_some();
        if matches && key_indent >= min_indent {
            let after_colon = key_indent + key_text.find(':').unwrap_or(0) + 1;
            let value_at = line[after_colon..]
                .find(|c: char| !c.is_whitespace())
                .map(|i| after_colon + i);
            found = Some(start + value_at.unwrap_or(key_indent));
            depth += 1;
            min_indent = key_indent + 1;
            if depth == path.len() {
                return found;
            }
        }
    }
    found
}

fn locate_toml(front: &str, path: &[&str]) -> Option<usize> {
    let mut table: Vec<String> = Vec::new();
    let mut best = None;
    for (start, line) in lines_with_offsets(front) {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if let Some(name) = content.strip_prefix('[') {
            let name = name.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or("").trim();
            table = name
                .split('.')
                .map(|s| s.trim().trim_matches('"').to_string())
                .collect();
            if table.len() <= path.len() && table.iter().zip(path).all(|(a, b)| a == b) {
                best = Some(start + indent);
            }
            continue;
        }
        let Some((key, _)) = content.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let mut full: Vec<&str> = table.iter().map(String::as_str).collect();
        full.extend(key.split('.').map(str::trim));
        let common = full.iter().zip(path).take_while(|(a, b)| a == b).count();
        if common == full.len() && common > 0 {
            let eq = line.find('=').unwrap_or(0) + 1;
            let value_at = line[eq..]
                .find(|c: char| !c.is_whitespace())
                .map_or(indent, |i| eq + i);
            if common == path.len() {
                return Some(start + value_at);
            }
            // An inline table or array holding the rest of the path.
            let rest = path[common..].last().copied().unwrap_or("");
            let within = line[value_at..]
                .find(&format!("{rest} "))
                .or_else(|| line[value_at..].find(&format!("{rest}=")))
                .map_or(value_at, |i| value_at + i);
            best = Some(start + within);
        }
    }
    best
}

/// A date or time as written: a YAML string or a TOML date, kept as text so
/// it can be resolved in the right time zone later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2023-08-31 or a date and time such as 2023-08-31T14:00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // A TOML date (`deadline = 2023-08-31`) arrives as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let Some((_, value)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                Ok(DateText(value))
            }
        }
        d.deserialize_any(V)
    }
}

/// Text that may have been written as a number or a yes/no (`value: 115000`),
/// kept as the text the writer typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_toml_with_crlf() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
        let s = split("+++\ntitle = \"A\"\n+++\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.body, "");
        assert_eq!(
            &"+++\ntitle = \"A\"\n+++\n"[s.front_offset..],
            "title = \"A\"\n+++\n"
        );
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        assert!(
            split("# Title\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(
            split("---\ntitle: A\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn locates_nested_yaml_and_toml_values() {
        let y = "title: A\ncontact:\n  name: B\n  email: x@y\n";
        assert_eq!(
            locate(Format::Yaml, y, &["contact", "email"]),
            y.find("x@y")
        );
        assert_eq!(locate(Format::Yaml, y, &["title"]), y.find('A'));
        let t = "title = \"A\"\n[contact]\nemail = \"x@y\"\n";
        assert_eq!(
            locate(Format::Toml, t, &["contact", "email"]),
            t.find("\"x@y")
        );
        let t = "contact = { name = \"B\", email = \"x\" }\n";
        assert_eq!(
            locate(Format::Toml, t, &["contact", "email"]),
            t.find("email")
        );
    }

    #[derive(Debug, Deserialize)]
    struct D {
        deadline: DateText,
        value: Text,
    }

    #[test]
    fn dates_and_numbers_are_kept_as_written() {
        let (d, _): (D, _) =
            parse(Format::Toml, "deadline = 2023-08-31\nvalue = 115000\n").unwrap();
        assert_eq!(d.deadline.0, "2023-08-31");
        assert_eq!(d.value.0, "115000");
        let (d, _): (D, _) =
            parse(Format::Yaml, "deadline: 2023-08-31T14:00\nvalue: 3.4\n").unwrap();
        assert_eq!(d.deadline.0, "2023-08-31T14:00");
        assert_eq!(d.value.0, "3.4");
    }

    #[test]
    fn unknown_top_level_keys_are_listed_in_the_same_reading() {
        let yaml = "deadline: 2023-08-31\ndeadlnie: x\nvalue: 1\nextra:\n  nested: [1, 2]\n";
        let (d, unknown): (D, _) = parse(Format::Yaml, yaml).unwrap();
        assert_eq!(d.value.0, "1");
        assert_eq!(unknown, ["deadlnie", "extra"]);
        let toml = "deadline = 2023-08-31\nvalue = 1\n[extra]\nnested = 2\n";
        let (_, unknown): (D, _) = parse(Format::Toml, toml).unwrap();
        assert_eq!(unknown, ["extra"]);
        let (_, unknown): (D, _) = parse(Format::Yaml, "deadline: x\nvalue: 1\n").unwrap();
        assert!(unknown.is_empty());
    }

    #[test]
    fn yaml_errors_point_into_the_front_matter() {
        let e = parse::<D>(Format::Yaml, "value: 1\ndeadline: [a, b\n").unwrap_err();
        // On the second line, where the problem is.
        assert!(e.offset.is_some_and(|o| o >= "value: 1\n".len()), "{e:?}");
        assert!(
            !e.message.contains("line") && !e.message.contains('\n'),
            "{}",
            e.message
        );
    }
}
