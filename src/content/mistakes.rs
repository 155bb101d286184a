//! Mistakes writers make in front matter, read from the text itself, so
//! that the parser's own words ("mapping values are not allowed in this
//! context") become what to do ("use two spaces instead of a tab").
//!
//! The parsers stop at the first thing they cannot read, often a line or
//! two after the real mistake, and say it in their terms. Each check here
//! looks at the lines up to the parser's stop for one kind of mistake a
//! person makes in a word processor or a web form: a tab, a non-breaking
//! space, curly quotes, a key written twice, a list item without `-`, an
//! item indented off its neighbours.

use crate::diagnostics::{Msg, Span};
use crate::msg;

use super::frontmatter::Format;

/// What most likely made the parser stop, in the writer's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cause {
    /// The kind of mistake (`yaml-tab`, `nbsp`, …).
    pub(crate) code: &'static str,
    /// What is wrong.
    pub(crate) message: Msg,
    /// What to do, ending with the parser's own text as a detail.
    pub(crate) hint: Msg,
    /// Where the mistake is, in the front matter.
    pub(crate) span: Span,
}

/// One line of the front matter: where it starts, and its text without
/// the line break.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    /// The number of leading spaces (what YAML counts as indentation).
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// Whether the line holds nothing but spaces or a comment.
    fn is_blank(&self) -> bool {
        let t = self.text.trim();
        t.is_empty() || t.starts_with('#')
    }

    /// The key of a `key: value` line (after a leading `- `), and the
    /// offset in the line where the text after `key:` starts.
    fn key(&self) -> Option<(&str, usize)> {
        let body = self.text.trim_start_matches([' ', '-']);
        let skipped = self.text.len() - body.len();
        let colon = body.find(':')?;
        let key = body[..colon].trim_end();
        let is_word = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        is_word.then_some((key, skipped + colon + 1))
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n')
        .map(|raw| {
            let line = Line {
                start,
                text: raw.trim_end_matches(['\n', '\r']),
            };
            start += raw.len();
            line
        })
        .collect()
}

/// The index of the line holding byte `offset`.
fn line_at(lines: &[Line<'_>], offset: usize) -> usize {
    lines
        .iter()
        .rposition(|l| l.start <= offset)
        .unwrap_or_default()
}

/// Spaces a word processor or a web page puts where YAML and TOML need a
/// plain space: they look like one and are not.
pub(crate) fn is_invisible_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// The name a writer knows an invisible space by.
fn space_name(c: char) -> Msg {
    match c {
        '\u{a0}' => msg!(
            "ett hårt mellanslag (U+00A0)",
            "a non-breaking space (U+00A0)"
        ),
        '\u{200b}' | '\u{feff}' => {
            let code = format!("U+{:04X}", u32::from(c));
            msg!(
                "ett osynligt tecken ({code})",
                "an invisible character ({code})"
            )
        }
        _ => {
            let code = format!("U+{:04X}", u32::from(c));
            msg!(
                "ett mellanslag som inte är ett vanligt ({code})",
                "a space that is not a normal one ({code})"
            )
        }
    }
}

/// `hint` followed by the parser's own text, kept as a detail for those
/// who search for it.
fn with_detail(hint: Msg, language: &str, detail: &str) -> Msg {
    if detail.is_empty() {
        return hint;
    }
    Msg::new(
        format!("{} ({language}: {detail})", hint.sv),
        format!("{} ({language}: {detail})", hint.en),
    )
}

/// What made the YAML parser stop at byte `at` of `front` with the
/// message `detail`, when the text shows a mistake a person makes.
/// `syntax` says whether the text is no YAML at all (rather than YAML with
/// a value of the wrong shape).
pub(crate) fn explain_yaml(front: &str, at: usize, detail: &str, syntax: bool) -> Option<Cause> {
    let lines = lines(front);
    if lines.is_empty() {
        return None;
    }
    let stop = line_at(&lines, at);
    // The parser may stop a line after the mistake, never before it; the
    // next line is looked at too because it notices a tab or a broken
    // line only once it has read past it.
    let seen = &lines[..(stop + 2).min(lines.len())];
    let cause = invisible_space(seen, Format::Yaml)
        .or_else(|| tab(seen))
        .or_else(|| curly_quoted(lines[stop], Format::Yaml))
        .or_else(|| duplicate_key(&lines, stop))
        .or_else(|| missing_dash(&lines, stop))
        .or_else(|| list_shape(&lines, stop, syntax))?;
    Some(Cause {
        hint: with_detail(cause.hint, "YAML", detail),
        ..cause
    })
}

/// What made the TOML parser stop at byte `at` of `front` with the
/// message `detail`, for the mistakes that look the same in TOML.
pub(crate) fn explain_toml(front: &str, at: usize, detail: &str) -> Option<Cause> {
    let lines = lines(front);
    if lines.is_empty() {
        return None;
    }
    let stop = line_at(&lines, at);
    let seen = &lines[..(stop + 1).min(lines.len())];
    let cause = invisible_space(seen, Format::Toml)
        .or_else(|| curly_quoted(lines[stop], Format::Toml))
        .or_else(|| duplicate_toml_key(&lines, stop))?;
    Some(Cause {
        hint: with_detail(cause.hint, "TOML", detail),
        ..cause
    })
}

/// An invisible space in the indentation of a line or right after the
/// `:` (YAML) or around the `=` (TOML) of a field.
fn invisible_space(lines: &[Line<'_>], format: Format) -> Option<Cause> {
    lines.iter().find_map(|line| {
        let lead = line.text.len() - line.text.trim_start_matches([' ', '\t', '-']).len();
        let in_indent = line.text[..lead].char_indices().find(|&(_, c)| c != ' ');
        let after_sign = match format {
            Format::Yaml => line.text.find(':').map(|i| i + 1),
            Format::Toml => line.text.find('=').map(|i| i + 1),
        };
        let around_sign = after_sign.and_then(|i| {
            let c = line.text[i..].chars().next()?;
            is_invisible_space(c).then_some((i, c))
        });
        let leading = line
            .text
            .char_indices()
            .find(|&(_, c)| c != ' ' && c != '\t')
            .filter(|&(_, c)| is_invisible_space(c));
        let (i, c) = in_indent
            .filter(|&(_, c)| is_invisible_space(c))
            .or(leading)
            .or(around_sign)?;
        let name = space_name(c);
        let (sv_name, en_name) = (&name.sv, &name.en);
        let place = if Some(i) == after_sign {
            match format {
                Format::Yaml => msg!("efter kolonet", "after the colon"),
                Format::Toml => msg!("efter likhetstecknet", "after the equals sign"),
            }
        } else {
            msg!("i indraget", "in the indentation")
        };
        let (sv_place, en_place) = (&place.sv, &place.en);
        Some(Cause {
            code: "nbsp",
            message: msg!(
                "raden har {sv_name} {sv_place}, där det ska vara ett vanligt mellanslag",
                "the line has {en_name} {en_place}, where a normal space belongs"
            ),
            hint: msg!(
                "radera tecknet och skriv ett vanligt mellanslag; det kommer ofta med när text kopieras från Word eller en webbsida",
                "delete the character and type a normal space; it often comes along when text is copied from Word or a web page"
            ),
            span: Span::new(line.start + i, line.start + i + c.len_utf8()),
        })
    })
}

/// A tab in the indentation of a line: YAML indents with spaces only.
fn tab(lines: &[Line<'_>]) -> Option<Cause> {
    lines.iter().find_map(|line| {
        let lead = line.text.len() - line.text.trim_start_matches([' ', '\t', '-']).len();
        let i = line.text[..lead].find('\t')?;
        Some(Cause {
            code: "yaml-tab",
            message: msg!(
                "raden är indragen med tab",
                "the line is indented with a tab"
            ),
            hint: msg!(
                "använd två mellanslag i stället för tab för varje steg i indraget",
                "use two spaces instead of a tab for each step of indentation"
            ),
            span: Span::new(line.start + i, line.start + i + 1),
        })
    })
}

/// Curly quotes (from Word or a phone) around a value, or opening one,
/// that the parser did not read as quotes.
fn curly_quoted(line: Line<'_>, format: Format) -> Option<Cause> {
    let (key, after) = match format {
        Format::Yaml => line.key()?,
        Format::Toml => {
            let eq = line.text.find('=')?;
            (line.text[..eq].trim(), eq + 1)
        }
    };
    let value = &line.text[after..];
    let skipped = value.len() - value.trim_start().len();
    let first = value.trim_start().chars().next()?;
    if !is_curly_quote(first) {
        return None;
    }
    let start = line.start + after + skipped;
    Some(Cause {
        code: "curly-quotes",
        message: msg!(
            "värdet i `{key}` börjar med ett typografiskt citattecken `{first}`, som inte räknas som citattecken här",
            "the value of `{key}` starts with a curly quote `{first}`, which does not count as a quote here"
        ),
        hint: msg!(
            "skriv raka citattecken `\"` runt texten, eller inga alls om texten saknar `:` och `#`",
            "write straight quotes `\"` around the text, or none if the text has no `:` or `#`"
        ),
        span: Span::new(start, start + first.len_utf8()),
    })
}

/// The curly quotes a word processor puts around a quotation, in the
/// languages writers copy from: `”…”`, `“…”`, `„…”`, `«…»`, `‘…’`.
pub(crate) fn is_curly_quote(c: char) -> bool {
    matches!(
        c,
        '\u{201c}'..='\u{201f}' | '\u{2018}'..='\u{201b}' | '«' | '»' | '‹' | '›'
    )
}

/// The closing quotes that may end a value opened with `open`.
fn closers(open: char) -> &'static [char] {
    match open {
        '”' | '“' | '„' | '‟' => &['”', '“'],
        '‘' | '’' | '‚' | '‛' => &['’', '‘'],
        '«' => &['»'],
        '»' => &['«', '»'],
        '‹' => &['›'],
        '›' => &['‹', '›'],
        _ => &[],
    }
}

/// When `value` (trimmed) is wholly wrapped in curly quotes: the bytes of
/// the opening and of the closing quote in it.
pub(crate) fn curly_wrapped(value: &str) -> Option<(Span, Span)> {
    let trimmed = value.trim();
    let offset = value.len() - value.trim_start().len();
    let open = trimmed.chars().next()?;
    let close = trimmed.chars().next_back()?;
    if !is_curly_quote(open) || !closers(open).contains(&close) || trimmed.chars().count() < 3 {
        return None;
    }
    let inner = &trimmed[open.len_utf8()..trimmed.len() - close.len_utf8()];
    // `”Bra” och ”dålig”` is two quotations, not one wrapped value.
    if inner.contains(is_curly_quote) || inner.trim().is_empty() {
        return None;
    }
    let close_at = offset + trimmed.len() - close.len_utf8();
    Some((
        Span::new(offset, offset + open.len_utf8()),
        Span::new(close_at, close_at + close.len_utf8()),
    ))
}

/// The line the parser stopped at repeats a key of the same mapping.
fn duplicate_key(lines: &[Line<'_>], stop: usize) -> Option<Cause> {
    let line = lines[stop];
    let (key, _) = line.key()?;
    let indent = key_column(line);
    let first = lines[..stop]
        .iter()
        .rev()
        .filter(|l| !l.is_blank())
        // A line less indented (or a new list item at the same column)
        // ends the mapping the key is in.
        .take_while(|l| key_column(**l) >= indent && !starts_item_at(**l, indent))
        .filter(|l| key_column(**l) == indent)
        .find(|l| l.key().is_some_and(|(k, _)| k == key))?;
    Some(duplicate_cause(lines, *first, line, key))
}

/// Whether `line` is a list item whose mapping starts at `column`.
fn starts_item_at(line: Line<'_>, column: usize) -> bool {
    line.text.trim_start().starts_with('-') && key_column(line) == column
}

/// The column a line's key starts at, after any `- `.
fn key_column(line: Line<'_>) -> usize {
    line.text.len() - line.text.trim_start_matches([' ', '-']).len()
}

fn duplicate_cause(lines: &[Line<'_>], first: Line<'_>, again: Line<'_>, key: &str) -> Cause {
    // Lines of the file, as the editor and the rest of the report count
    // them: the front matter starts on the second, after its `---`.
    let line_no = |l: Line<'_>| lines.iter().position(|x| x.start == l.start).unwrap_or(0) + 2;
    let (one, two) = (line_no(first), line_no(again));
    let column = key_column(again);
    Cause {
        code: "duplicate-field",
        message: msg!(
            "fältet `{key}` står två gånger: på rad {one} och rad {two}",
            "the field `{key}` is written twice: on line {one} and line {two}"
        ),
        hint: msg!(
            "behåll en av raderna och ta bort den andra",
            "keep one of the lines and delete the other"
        ),
        span: Span::new(again.start + column, again.start + column + key.len()),
    }
}

/// The same for TOML: `key = …` twice in one table.
fn duplicate_toml_key(lines: &[Line<'_>], stop: usize) -> Option<Cause> {
    fn key_of<'a>(l: &Line<'a>) -> Option<&'a str> {
        let (key, _) = l.text.split_once('=')?;
        let key = key.trim();
        (!key.is_empty() && !key.starts_with('[')).then_some(key)
    }
    let line = lines[stop];
    let key = key_of(&line)?;
    let first = lines[..stop]
        .iter()
        .rev()
        .take_while(|l| !l.text.trim_start().starts_with('['))
        .find(|l| key_of(l) == Some(key))?;
    let mut cause = duplicate_cause(lines, *first, line, key);
    let column = line.indent();
    cause.span = Span::new(line.start + column, line.start + column + key.len());
    Some(cause)
}

/// A list item written without its `-`: the line the parser stopped at
/// is a plain word under items that start with `- `.
fn missing_dash(lines: &[Line<'_>], stop: usize) -> Option<Cause> {
    let line = lines[stop];
    let text = line.text.trim();
    if text.is_empty() || text.starts_with('-') || line.key().is_some() {
        return None;
    }
    let indent = line.indent();
    let previous = lines[..stop].iter().rev().find(|l| !l.is_blank())?;
    if previous.indent() != indent || !previous.text.trim_start().starts_with("- ") {
        return None;
    }
    Some(dash_cause(line, text))
}

fn dash_cause(line: Line<'_>, text: &str) -> Cause {
    let indent = line.indent();
    Cause {
        code: "yaml-list-dash",
        message: msg!(
            "raden saknar `-` först, som de andra i listan",
            "the line lacks the `-` in front that the others in the list have"
        ),
        hint: msg!(
            "börja raden med ett bindestreck och ett mellanslag: `- {text}`",
            "start the line with a hyphen and a space: `- {text}`"
        ),
        span: Span::new(line.start + indent, line.start + line.text.len()),
    }
}

/// A value wholly wrapped in curly quotes, found by [`curly_values`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CurlyValue {
    /// The field, with the keys above it (`contact.name`).
    pub(crate) field: String,
    /// The opening quote, in the front matter.
    pub(crate) open: Span,
    /// The closing quote.
    pub(crate) close: Span,
    /// The straight quote that can replace them (`"`, or `'` when the
    /// text holds a `"` or a `\`).
    pub(crate) quote: char,
    /// Whether the text needs quotes at all (it holds `: ` or ` #`).
    pub(crate) needs_quotes: bool,
}

/// Every value of `front` written wholly inside curly quotes, on a line of
/// its own (`key: ”…”`, `- ”…”`, `key = ”…”`), outside block texts.
pub(crate) fn curly_values(format: Format, front: &str) -> Vec<CurlyValue> {
    let lines = lines(front);
    let mut found = Vec::new();
    // Inside a block text (`summary: |`), lines indented past this column
    // are text, not fields.
    let mut block_above: Option<usize> = None;
    let mut parents: Vec<(usize, &str)> = Vec::new();
    for line in &lines {
        if line.is_blank() {
            continue;
        }
        let column = key_column(*line);
        if block_above.is_some_and(|c| line.indent() > c) {
            continue;
        }
        block_above = None;
        parents.retain(|(c, _)| *c < column);
        let (key, after) = match format {
            Format::Yaml => match line.key() {
                Some(found) => found,
                None if line.text.trim_start().starts_with("- ") => ("", column),
                None => continue,
            },
            Format::Toml => match line.text.split_once('=') {
                Some((key, _)) if !key.trim_start().starts_with('[') => (key.trim(), key.len() + 1),
                _ => continue,
            },
        };
        let value = &line.text[after..];
        if format == Format::Yaml && is_opening(line, after) {
            if value.trim().is_empty() {
                parents.push((column, key));
            } else {
                block_above = Some(line.indent());
            }
            continue;
        }
        if let Some(v) = curly_value(line, after, value, key, &parents) {
            found.push(v);
        }
    }
    found
}

fn curly_value(
    line: &Line<'_>,
    after: usize,
    value: &str,
    key: &str,
    parents: &[(usize, &str)],
) -> Option<CurlyValue> {
    let (open, close) = curly_wrapped(value)?;
    let inner = &value[open.end..close.start];
    let quote = if !inner.contains(['"', '\\']) {
        '"'
    } else if !inner.contains('\'') {
        '\''
    } else {
        return None;
    };
    let mut path: Vec<&str> = parents.iter().map(|(_, k)| *k).collect();
    if !key.is_empty() {
        path.push(key);
    }
    let at = line.start + after;
    Some(CurlyValue {
        field: path.join("."),
        open: open.shifted(at),
        close: close.shifted(at),
        quote,
        needs_quotes: inner.contains(": ") || inner.contains(" #") || inner.ends_with(':'),
    })
}

/// The lists whose items are groups of fields, and the shape of one item.
const LIST_SHAPES: &[(&str, &str)] = &[
    ("updates", "  - date: 2023-09-01\n    text: …"),
    (
        "questions",
        "  - question: …\n    answer: …\n    date: 2023-06-20",
    ),
    ("documents", "  - title: …\n    file: underlag.pdf"),
    ("events", "  - title: …\n    start: 2023-09-05T10:00"),
    (
        "phases",
        "  - name: …\n    start: 2023-09-01\n    end: 2023-10-31",
    ),
    ("facts", "  - label: …\n    value: …"),
];

/// A mistake inside one of the lists whose items are groups of fields:
/// the items written without `-`, or a line not lined up with the fields
/// of its item.
fn list_shape(lines: &[Line<'_>], stop: usize, syntax: bool) -> Option<Cause> {
    let head = lines[..=stop]
        .iter()
        .rposition(|l| !l.is_blank() && l.indent() == 0 && !l.text.starts_with('-'))?;
    let (name, _) = lines[head].key()?;
    let (list, shape) = LIST_SHAPES.iter().find(|(n, _)| *n == name)?;
    let block: Vec<Line<'_>> = lines[head + 1..]
        .iter()
        .take_while(|l| l.is_blank() || l.indent() > 0 || l.text.starts_with('-'))
        .filter(|l| !l.is_blank())
        .copied()
        .collect();
    let first = block.first()?;
    let example = format!("{list}:\n{shape}");
    if !first.text.trim_start().starts_with('-') {
        let text = first.text.trim();
        let mut cause = dash_cause(*first, text);
        cause.message = msg!(
            "punkterna i `{list}` saknar `-` först",
            "the items of `{list}` lack the `-` in front"
        );
        cause.hint = msg!(
            "varje punkt börjar med `- `, så här:\n{example}",
            "each item starts with `- `, like this:\n{example}"
        );
        return Some(cause);
    }
    // A value of the wrong shape in a list (`missing field`) is a mistake
    // of indentation only when a line is seen off its item.
    let off = match misaligned(&block) {
        Some(line) => line,
        None if syntax => lines[stop],
        None => return None,
    };
    let indent = off.indent();
    Some(Cause {
        code: "yaml-indentation",
        message: msg!(
            "raden i `{list}` är indragen fel: fälten i en punkt ska stå rakt under varandra",
            "the line in `{list}` is indented wrongly: the fields of an item go straight below each other"
        ),
        hint: msg!(
            "dra in fälten lika långt som det första efter `- `, så här:\n{example}",
            "indent the fields as far as the first one after `- `, like this:\n{example}"
        ),
        span: Span::new(off.start + indent, off.start + off.text.len()),
    })
}

/// The first line of a list's block whose field is not lined up with the
/// first field of its item: indented past the `-` but short of the field,
/// or further than the field right after a field with its value on the
/// same line.
fn misaligned<'a>(block: &[Line<'a>]) -> Option<Line<'a>> {
    let mut field_column = None;
    let mut previous_has_value = false;
    for line in block {
        let trimmed = line.text.trim_start();
        if trimmed.starts_with('-') {
            field_column = Some(key_column(*line));
            previous_has_value = line.key().is_some_and(|(_, v)| !is_opening(line, v));
            continue;
        }
        let column = field_column?;
        let indent = line.indent();
        let off = indent < column || (indent > column && previous_has_value);
        if off && line.key().is_some() {
            return Some(*line);
        }
        if indent == column {
            previous_has_value = line.key().is_some_and(|(_, v)| !is_opening(line, v));
        }
    }
    None
}

/// Whether the value after `key:` (from byte `after`) is empty or opens a
/// block (`|`, `>`): the lines below it then belong to it.
fn is_opening(line: &Line<'_>, after: usize) -> bool {
    let value = line.text[after..].trim();
    value.is_empty() || value.starts_with(['|', '>'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn yaml(front: &str, stop_at: &str) -> Cause {
        let at = front.find(stop_at).expect("the stop is in the text");
        explain_yaml(front, at, "parser text", true).expect("a cause")
    }

    fn marked<'a>(front: &'a str, c: &Cause) -> &'a str {
        &front[c.span.start..c.span.end]
    }

    #[test]
    fn a_tab_in_the_indentation_is_named() {
        let front = "contact:\n  name: A\n\trole: B\n";
        let c = yaml(front, "name");
        assert_eq!(c.code, "yaml-tab");
        assert_eq!(marked(front, &c), "\t");
        assert!(
            c.hint
                .get(Lang::Sv)
                .contains("två mellanslag i stället för tab")
        );
        assert!(c.hint.get(Lang::En).contains("two spaces instead of a tab"));
        assert!(c.hint.en.ends_with("(YAML: parser text)"), "{}", c.hint.en);
    }

    #[test]
    fn a_non_breaking_space_after_the_colon_or_in_the_indentation_is_named() {
        let front = "title: A\nstage:\u{a0}rfi\n";
        let c = yaml(front, "stage");
        assert_eq!((c.code, marked(front, &c)), ("nbsp", "\u{a0}"));
        assert!(c.message.sv.contains("hårt mellanslag"), "{}", c.message.sv);
        assert!(
            c.message.en.contains("non-breaking space"),
            "{}",
            c.message.en
        );
        assert!(c.message.en.contains("after the colon"));
        let front = "contact:\n  name: A\n\u{a0} role: B\n";
        let c = yaml(front, "role");
        assert_eq!(c.code, "nbsp");
        assert!(c.message.sv.contains("i indraget"), "{}", c.message.sv);
    }

    #[test]
    fn a_key_written_twice_names_both_lines() {
        let front = "title: A\nbuyer: B\ncontact:\n  name: C\nbuyer: D\n";
        let c = yaml(front, "buyer: D");
        assert_eq!(c.code, "duplicate-field");
        assert_eq!(c.span.start, front.find("buyer: D").unwrap());
        assert_eq!(marked(front, &c), "buyer");
        assert!(c.message.sv.contains("rad 3 och rad 6"), "{}", c.message.sv);
        assert!(
            c.message.en.contains("line 3 and line 6"),
            "{}",
            c.message.en
        );
        // The same key in another item is not a repeat.
        let front = "facts:\n  - label: A\n    value: 1\n  - label: B\n    value: 2\n    x y\n";
        assert_ne!(yaml(front, "x y").code, "duplicate-field");
    }

    #[test]
    fn a_list_item_without_its_dash_is_named() {
        let front = "tags:\n  - måltider\n  skola\n";
        let c = yaml(front, "skola");
        assert_eq!((c.code, marked(front, &c)), ("yaml-list-dash", "skola"));
        assert!(c.hint.sv.contains("`- skola`"), "{}", c.hint.sv);
        assert!(c.hint.en.contains("`- skola`"), "{}", c.hint.en);
        let front = "updates:\n  date: 2023-09-01\n  text: Ny tid\n";
        let c = yaml(front, "date");
        assert_eq!(c.code, "yaml-list-dash");
        assert!(c.message.en.contains("`updates`"));
        assert!(c.hint.sv.contains("updates:\n  - date:"), "{}", c.hint.sv);
    }

    #[test]
    fn a_field_off_its_item_shows_the_shape_of_the_list() {
        let front = "updates:\n  - date: 2023-09-01\n   text: Ny tid\ntitle: A\n";
        let c = yaml(front, "text");
        assert_eq!(
            (c.code, marked(front, &c)),
            ("yaml-indentation", "text: Ny tid")
        );
        assert!(
            c.hint
                .en
                .contains("updates:\n  - date: 2023-09-01\n    text: …")
        );
        assert!(c.hint.sv.contains("så här:\nupdates:"), "{}", c.hint.sv);
        let front = "questions:\n  - question: Q\n      answer: A\n";
        let c = yaml(front, "answer");
        assert_eq!(
            (c.code, marked(front, &c)),
            ("yaml-indentation", "answer: A")
        );
        // Lines of a block value under a field are its text, not a mistake.
        let block = "questions:\n  - answer: |\n      Ja.\n    question: Q\n    x\n";
        assert_eq!(misaligned(&lines(block)[1..]).map(|l| l.text), None);
    }

    #[test]
    fn curly_quotes_that_stop_the_parser_are_named_and_wrapped_values_found() {
        let front = "title: ”Exempel: minskat”\n";
        let c = yaml(front, ": minskat");
        assert_eq!((c.code, marked(front, &c)), ("curly-quotes", "”"));
        assert!(c.message.sv.contains("typografiskt citattecken"));
        assert!(c.hint.en.contains("straight quotes `\"`"));
        let value = " «Bättre mat» ";
        let (open, close) = curly_wrapped(value).unwrap();
        assert_eq!(
            (&value[open.start..open.end], &value[close.start..close.end]),
            ("«", "»")
        );
        assert_eq!(curly_wrapped("”Bra” och ”dålig”"), None);
        assert_eq!(
            curly_wrapped("”A”"),
            Some((Span::new(0, 3), Span::new(4, 7)))
        );
        assert_eq!(curly_wrapped("\"A\""), None);
        let front = "title: ”A: b”\ncontact:\n  name: «C»\nsummary: |\n  x: ”y”\ntags:\n  - ‘d’\n";
        let found = curly_values(Format::Yaml, front);
        let fields: Vec<&str> = found.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["title", "contact.name", "tags"]);
        assert!(found[0].needs_quotes && !found[1].needs_quotes);
        assert_eq!(&front[found[1].open.start..found[1].close.end], "«C»");
    }

    #[test]
    fn toml_mistakes_are_named_too() {
        let front = "title = \"A\"\nbuyer = \"B\"\ntitle = \"C\"\n";
        let at = front.rfind("title").unwrap();
        let c = explain_toml(front, at, "duplicate key").unwrap();
        assert_eq!(c.code, "duplicate-field");
        assert!(
            c.message.en.contains("line 2 and line 4"),
            "{}",
            c.message.en
        );
        assert!(c.hint.sv.ends_with("(TOML: duplicate key)"));
        let front = "title =\u{a0}\"A\"\n";
        assert_eq!(explain_toml(front, 0, "x").unwrap().code, "nbsp");
    }
}
