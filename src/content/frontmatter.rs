//! Splitting a Markdown file into front matter and body, and parsing the
//! front matter (YAML between `---` lines or TOML between `+++` lines).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::mistakes;
use crate::diagnostics::{Diagnostic, Msg, Severity, Span};
use crate::msg;
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

/// Splits `text` (BOM already removed; LF or CRLF line ends) into front matter
/// and body. The front matter must start on the first line. The error's
/// span is in `text`; [`Diagnostic::placed`] names the file.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end_matches(['\n', '\r']).trim_end();
    let (format, delimiter) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(Diagnostic::in_part(
                Severity::Error,
                Span::at(0),
                msg!(
                    "filen börjar inte med en rubrikdel",
                    "the file does not start with front matter"
                ),
            )
            .with_code("no-front-matter")
            .with_hint(msg!(
                "börja filen med en rad `---`, sedan fält som `title: …` och sist en rad `---` till",
                "begin the file with a line `---`, then fields such as `title: …`, then another `---` line"
            )));
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
    Err(Diagnostic::in_part(
        Severity::Error,
        Span::new(0, first.len()),
        msg!(
            "rubrikdelen avslutas aldrig: det saknas en andra rad `{delimiter}`",
            "the front matter is never closed: no second `{delimiter}` line"
        ),
    )
    .with_code("unclosed-front-matter")
    .with_hint(msg!(
        "lägg till en rad med bara `{delimiter}` efter det sista fältet",
        "add a line with only `{delimiter}` after the last field"
    )))
}

/// A front matter read into `T`, with what was noticed on the way.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The fields.
    pub value: T,
    /// The top-level keys `T` has no field for.
    pub unknown: Vec<String>,
    /// Warnings about how values were written (curly quotes around a
    /// value, which are taken off); spans in the front matter.
    pub notes: Vec<Diagnostic>,
}

/// Parses front matter into `T`, and lists the top-level keys `T` has no
/// field for. Unknown keys are not an error here, so that every one of them
/// can be reported at once; the text is read once for both.
///
/// A value wholly wrapped in curly quotes (`title: ”Bättre mat”`, as Word
/// writes them) is read without them, with a warning in
/// [`Parsed::notes`]. On an error, its span is in `front`; when the text
/// shows a mistake a person makes (a tab, a non-breaking space, a key
/// written twice, …) the error says so in both languages, with a code and
/// a hint ending with the parser's own text; otherwise it is the parser's
/// message with no hint, and the caller words it.
pub fn parse<T: DeserializeOwned>(format: Format, front: &str) -> Result<Parsed<T>, Diagnostic> {
    let (front, notes) = unwrap_curly_quotes(format, front);
    let front = front.as_ref();
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
            .map_err(|e| toml_error(front, &e))?,
    };
    Ok(Parsed {
        value,
        unknown,
        notes,
    })
}

/// The top-level keys of the front matter, read without a type: for a
/// front matter that [`parse`] rejects, whose unknown keys are still
/// reported.
pub fn keys(format: Format, front: &str) -> Result<Vec<String>, Diagnostic> {
    let parsed: Parsed<BTreeMap<String, IgnoredAny>> = parse(format, front)?;
    Ok(parsed.value.into_keys().collect())
}

fn yaml_error(front: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let span = e.location().map_or(Span::at(0), |l| error_span(front, &l));
    // The message alone: our own diagnostic shows the file's position and line.
    use serde_saphyr::MessageFormatter;
    let message = serde_saphyr::UserMessageFormatter.format_message(e);
    let message = message.trim();
    // Whether the text is no YAML at all, or YAML with a value of the
    // wrong shape (a mistake that only some explanations fit).
    let syntax = serde_saphyr::from_str::<IgnoredAny>(front).is_err();
    match mistakes::explain_yaml(front, span.start, message, syntax) {
        Some(cause) => explained(cause),
        None => Diagnostic::in_part(Severity::Error, span, Msg::new(message, message)),
    }
}

fn toml_error(front: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().map_or(Span::at(0), Span::from);
    let message = e.message().trim();
    match mistakes::explain_toml(front, span.start, message) {
        Some(cause) => explained(cause),
        None => Diagnostic::in_part(Severity::Error, span, Msg::new(message, message)),
    }
}

fn explained(cause: mistakes::Cause) -> Diagnostic {
    Diagnostic::in_part(Severity::Error, cause.span, cause.message)
        .with_code(cause.code)
        .with_hint(cause.hint)
}

/// `front` with the curly quotes wholly around a value replaced by
/// straight ones, and a warning for each. The text keeps its length and
/// every value its place, so spans read from it point into `front`.
fn unwrap_curly_quotes(format: Format, front: &str) -> (Cow<'_, str>, Vec<Diagnostic>) {
    let found = mistakes::curly_values(format, front);
    if found.is_empty() {
        return (Cow::Borrowed(front), Vec::new());
    }
    let mut text = front.to_string();
    let mut notes = Vec::new();
    for value in found {
        let (open, close) = (value.open, value.close);
        // Spaces before the opening quote and after the closing one: the
        // text between them keeps its bytes.
        let opening = format!("{}{}", " ".repeat(open.end - open.start - 1), value.quote);
        let closing = format!("{}{}", value.quote, " ".repeat(close.end - close.start - 1));
        text.replace_range(close.start..close.end, &closing);
        text.replace_range(open.start..open.end, &opening);
        let shown = &front[open.start..close.end];
        let field = value.field;
        let hint = if value.needs_quotes {
            msg!(
                "skriv raka citattecken `\"` i stället, eftersom texten har `:` eller `#`: `{field}: \"…\"`",
                "write straight quotes `\"` instead, as the text has a `:` or `#`: `{field}: \"…\"`"
            )
        } else {
            msg!(
                "ta bort dem, eller skriv raka citattecken `\"` om texten ska ha citattecken på sidan",
                "delete them, or write straight quotes `\"` if the page should show quotes"
            )
        };
        notes.push(
            Diagnostic::in_part(
                Severity::Warning,
                Span::new(open.start, close.end),
                msg!(
                    "värdet står inom typografiska citattecken ({shown}); de togs bort, så sidan visar texten utan dem",
                    "the value is wrapped in curly quotes ({shown}); they were taken off, so the page shows the text without them"
                ),
            )
            .with_field(field)
            .with_code("curly-quotes")
            .with_hint(hint),
        );
    }
    (Cow::Owned(text), notes)
}

/// One step of a path into the front matter: a key of a mapping or an
/// item of a list (counting from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The value of this key.
    Key(&'a str),
    /// The item at this index.
    Item(usize),
}

/// The front matter read as a tree of keys and values with the bytes each
/// was written at, as its parser gives them: for pointing a problem at a
/// field's value or key.
///
/// Read only for a file with a problem to place, from the same text as the
/// typed reading, so the spans are those of the values that were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    root: Node,
}

/// A value and the bytes it was written at (in the front matter).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    span: Span,
    value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// Keys with their spans, and their values, in the order written.
    Map(Vec<(String, Span, Node)>),
    List(Vec<Node>),
    /// A scalar as text (a date or a number as it would be printed).
    Scalar(String),
}

impl Fields {
    /// Reads `front`; `None` when it is not valid YAML or TOML (its parse
    /// error is then the problem to report, placed by the parser).
    pub fn read(format: Format, front: &str) -> Option<Fields> {
        // Read as the typed parse reads it; the spans stay those of `front`.
        let (front, _) = unwrap_curly_quotes(format, front);
        let front = front.as_ref();
        let root = match format {
            Format::Yaml if front.trim().is_empty() => Node {
                span: Span::at(0),
                value: Value::Map(Vec::new()),
            },
            Format::Yaml => {
                let node: serde_saphyr::Spanned<YamlValue> = serde_saphyr::from_str(front).ok()?;
                yaml_node(node)
            }
            Format::Toml => {
                let table = toml::de::DeTable::parse(front).ok()?;
                let span = Span::from(table.span());
                Node {
                    span,
                    value: toml_table(table.into_inner()),
                }
            }
        };
        Some(Fields { root })
    }

    fn node(&self, path: &[Step<'_>]) -> Option<&Node> {
        path.iter()
            .try_fold(&self.root, |node, step| match (step, &node.value) {
                (Step::Key(k), Value::Map(entries)) => entries
                    .iter()
                    .find(|(key, _, _)| key == k)
                    .map(|(_, _, v)| v),
                (Step::Item(i), Value::List(items)) => items.get(*i),
                _ => None,
            })
    }

    /// The bytes of the value at `path`.
    pub fn value(&self, path: &[Step<'_>]) -> Option<Span> {
        self.node(path).map(|n| n.span)
    }

    /// The bytes of the last key of `path` (the key itself, not its value).
    pub fn key(&self, path: &[Step<'_>]) -> Option<Span> {
        let (Step::Key(last), parent) = path.split_last()? else {
            return None;
        };
        match &self.node(parent)?.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(key, _, _)| key == last)
                .map(|(_, span, _)| *span),
            _ => None,
        }
    }

    /// The bytes of the value of `field` in the first item of list `list`
    /// whose `field` is written `text`.
    pub fn find_item(&self, list: &str, field: &str, text: &str) -> Option<Span> {
        let Value::List(items) = &self.node(&[Step::Key(list)])?.value else {
            return None;
        };
        items.iter().find_map(|item| match &item.value {
            Value::Map(entries) => entries.iter().find_map(|(key, _, v)| {
                (key == field && v.value == Value::Scalar(text.to_string())).then_some(v.span)
            }),
            _ => None,
        })
    }
}

/// A front-matter value with the bytes it was written at, when the parser
/// says (YAML does; TOML front matter gives `None`). Read with the typed
/// front matter, so a problem with the value is placed without reading
/// the front matter a second time for [`Fields`].
#[derive(Debug)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it is written in the front matter.
    pub span: Option<Span>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let known = spanned.referenced.span().byte_offset().is_some();
        let span = known.then(|| saphyr_span(&spanned.referenced));
        Ok(At {
            value: spanned.value,
            span,
        })
    }
}

/// The front matter of a whole file's `text` read as [`Fields`], and the
/// offset of the front matter in the file (to shift its spans by).
pub fn fields_of(text: &str) -> Option<(Fields, usize)> {
    let split = split(text).ok()?;
    Some((Fields::read(split.format, split.front)?, split.front_offset))
}

/// Any YAML value, read through [`serde_saphyr::Spanned`] at every level so
/// that each key and value keeps where it was written.
#[derive(Debug)]
enum YamlValue {
    Map(
        Vec<(
            serde_saphyr::Spanned<ScalarText>,
            serde_saphyr::Spanned<YamlValue>,
        )>,
    ),
    List(Vec<serde_saphyr::Spanned<YamlValue>>),
    Scalar(String),
}

/// A scalar (or a key) as text, whatever its type.
#[derive(Debug)]
struct ScalarText(String);

fn saphyr_span(location: &serde_saphyr::Location) -> Span {
    let span = location.span();
    let to_usize = |v: Option<u64>| v.and_then(|v| usize::try_from(v).ok());
    match (to_usize(span.byte_offset()), to_usize(span.byte_len())) {
        (Some(start), Some(len)) => Span::new(start, start + len),
        (Some(start), None) => Span::at(start),
        _ => Span::at(0),
    }
}

/// The span of a parse error: the parser gives the bytes for some errors
/// and only the line and column (in characters) for others.
fn error_span(front: &str, location: &serde_saphyr::Location) -> Span {
    if location.span().byte_offset().is_some() {
        return saphyr_span(location);
    }
    let (Ok(line), Ok(column)) = (
        usize::try_from(location.line()),
        usize::try_from(location.column()),
    ) else {
        return Span::at(0);
    };
    if line == 0 {
        return Span::at(0);
    }
    let line_start: usize = front
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let line_start = line_start.min(front.len());
    let within: usize = front[line_start..]
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    Span::at(line_start + within)
}

fn yaml_node(node: serde_saphyr::Spanned<YamlValue>) -> Node {
    let span = saphyr_span(&node.referenced);
    let value = match node.value {
        YamlValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.value.0, saphyr_span(&k.referenced), yaml_node(v)))
                .collect(),
        ),
        YamlValue::List(items) => Value::List(items.into_iter().map(yaml_node).collect()),
        YamlValue::Scalar(text) => Value::Scalar(text),
    };
    Node { span, value }
}

fn toml_value(value: toml::de::DeValue<'_>) -> Value {
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => Value::Scalar(s.into_owned()),
        DeValue::Integer(i) => Value::Scalar(i.as_str().to_string()),
        DeValue::Float(f) => Value::Scalar(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Scalar(b.to_string()),
        DeValue::Datetime(d) => Value::Scalar(d.to_string()),
        DeValue::Array(items) => Value::List(
            items
                .into_iter()
                .map(|item| Node {
                    span: Span::from(item.span()),
                    value: toml_value(item.into_inner()),
                })
                .collect(),
        ),
        DeValue::Table(table) => toml_table(table),
    }
}

fn toml_table(table: toml::de::DeTable<'_>) -> Value {
    Value::Map(
        table
            .into_iter()
            .map(|(k, v)| {
                let key_span = Span::from(k.span());
                let span = Span::from(v.span());
                let value = toml_value(v.into_inner());
                (k.into_inner().into_owned(), key_span, Node { span, value })
            })
            .collect(),
    )
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = YamlValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(YamlValue::Map(entries))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(YamlValue::List(items))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<YamlValue, E> {
                Ok(YamlValue::Scalar(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match YamlValue::deserialize(d)? {
            YamlValue::Scalar(text) => Ok(ScalarText(text)),
            _ => Err(de::Error::custom("a key must be a word")),
        }
    }
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
        let e = split("# Title\n").unwrap_err();
        assert!(e.message.en.contains("does not start"));
        assert_eq!(e.span(), Some(Span::at(0)));
        assert!(
            split("---\ntitle: A\n")
                .unwrap_err()
                .message
                .en
                .contains("never closed")
        );
    }

    /// The bytes `needle` is written at in `text`.
    fn at(text: &str, needle: &str) -> Option<Span> {
        text.find(needle).map(|i| Span::new(i, i + needle.len()))
    }

    #[test]
    fn fields_give_the_spans_of_nested_yaml_and_toml_values_and_keys() {
        use Step::{Item, Key};
        let y = "title: A\ncontact:\n  name: B\n  email: x@y\ntags: [a, \"b c\"]\n";
        let f = Fields::read(Format::Yaml, y).unwrap();
        assert_eq!(f.value(&[Key("contact"), Key("email")]), at(y, "x@y"));
        assert_eq!(f.key(&[Key("contact"), Key("email")]), at(y, "email"));
        assert_eq!(f.value(&[Key("title")]), at(y, "A"));
        assert_eq!(f.value(&[Key("tags"), Item(1)]), at(y, "\"b c\""));
        assert_eq!(f.value(&[Key("nothing")]), None);
        let t = "title = \"A\"\n[contact]\nemail = \"x@y\"\n";
        let f = Fields::read(Format::Toml, t).unwrap();
        assert_eq!(f.value(&[Key("contact"), Key("email")]), at(t, "\"x@y\""));
        assert_eq!(f.key(&[Key("title")]), at(t, "title"));
        let t = "contact = { name = \"B\", email = \"x\" }\n";
        let f = Fields::read(Format::Toml, t).unwrap();
        assert_eq!(f.value(&[Key("contact"), Key("email")]), at(t, "\"x\""));
        assert_eq!(f.key(&[Key("contact"), Key("email")]), at(t, "email"));
    }

    #[test]
    fn list_items_are_found_by_what_is_written_in_them() {
        let y = "documents:\n  - title: A\n    file: a.pdf\n  - title: B\n    file: b.pdf\n";
        let f = Fields::read(Format::Yaml, y).unwrap();
        assert_eq!(f.find_item("documents", "file", "b.pdf"), at(y, "b.pdf"));
        let t = "[[documents]]\ntitle = \"A\"\nfile = \"a.pdf\"\n[[documents]]\nfile = \"b.pdf\"\n";
        let f = Fields::read(Format::Toml, t).unwrap();
        assert_eq!(
            f.find_item("documents", "file", "b.pdf"),
            at(t, "\"b.pdf\"")
        );
        assert_eq!(f.find_item("documents", "file", "c.pdf"), None);
    }

    #[derive(Debug, Deserialize)]
    struct D {
        deadline: DateText,
        value: Text,
    }

    #[derive(Debug, Deserialize)]
    struct Placed {
        title: String,
        stage: At<String>,
    }

    #[test]
    fn a_value_read_with_its_place_is_the_same_value_in_yaml_and_toml() {
        let yaml = "title: A\nstage: rfi\n";
        let read = parse::<Placed>(Format::Yaml, yaml).unwrap().value;
        assert_eq!(
            (read.title.as_str(), read.stage.value.as_str()),
            ("A", "rfi")
        );
        assert_eq!(read.stage.span, at(yaml, "rfi"));
        let toml = "title = \"A\"\nstage = \"rfi\"\n";
        let read = parse::<Placed>(Format::Toml, toml).unwrap().value;
        assert_eq!(read.stage.value, "rfi");
        assert_eq!(read.stage.span, None);
    }

    #[test]
    fn dates_and_numbers_are_kept_as_written() {
        let d: D = parse(Format::Toml, "deadline = 2023-08-31\nvalue = 115000\n")
            .unwrap()
            .value;
        assert_eq!(d.deadline.0, "2023-08-31");
        assert_eq!(d.value.0, "115000");
        let d: D = parse(Format::Yaml, "deadline: 2023-08-31T14:00\nvalue: 3.4\n")
            .unwrap()
            .value;
        assert_eq!(d.deadline.0, "2023-08-31T14:00");
        assert_eq!(d.value.0, "3.4");
    }

    #[test]
    fn unknown_top_level_keys_are_listed_in_the_same_reading() {
        let yaml = "deadline: 2023-08-31\ndeadlnie: x\nvalue: 1\nextra:\n  nested: [1, 2]\n";
        let Parsed {
            value: d, unknown, ..
        } = parse::<D>(Format::Yaml, yaml).unwrap();
        assert_eq!(d.value.0, "1");
        assert_eq!(unknown, ["deadlnie", "extra"]);
        let toml = "deadline = 2023-08-31\nvalue = 1\n[extra]\nnested = 2\n";
        let unknown = parse::<D>(Format::Toml, toml).unwrap().unknown;
        assert_eq!(unknown, ["extra"]);
        let unknown = parse::<D>(Format::Yaml, "deadline: x\nvalue: 1\n")
            .unwrap()
            .unknown;
        assert!(unknown.is_empty());
    }

    #[test]
    fn yaml_errors_point_into_the_front_matter() {
        let e = parse::<D>(Format::Yaml, "value: 1\ndeadline: [a, b\n").unwrap_err();
        // On the second line, where the problem is.
        let start = e.span().map(|s| s.start);
        assert!(start.is_some_and(|o| o >= "value: 1\n".len()), "{e:?}");
        assert!(
            !e.message.en.contains("line") && !e.message.en.contains('\n'),
            "{}",
            e.message
        );
    }
}
