//! Problems found in a site, with the file, position, field and a hint.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first one,
//! so a writer sees every mistake of a build at once.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicU8, Ordering};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::model::Lang;

pub use crate::model::Msg;

impl Msg {
    /// The text in the language messages are shown in ([`language`]).
    pub fn shown(&self) -> &str {
        self.get(language())
    }
}

impl fmt::Display for Msg {
    /// The text in the language messages are shown in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shown())
    }
}

/// A [`Msg`] from a Swedish and an English format string, each taking its
/// arguments from the surrounding code the way `format!` does:
/// `msg!("{n} fel", "{n} errors")`.
#[macro_export]
macro_rules! msg {
    ($sv:literal, $en:literal $(,)?) => {
        $crate::diagnostics::Msg::new(format!($sv), format!($en))
    };
}

/// The language messages are shown in: 0 Swedish, 1 English, 2 not chosen.
static LANGUAGE: AtomicU8 = AtomicU8::new(2);

/// Chooses the language of every message this process shows.
pub fn set_language(lang: Lang) {
    LANGUAGE.store(
        match lang {
            Lang::Sv => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// Whether a language has been chosen with [`set_language`].
pub fn language_chosen() -> bool {
    LANGUAGE.load(Ordering::Relaxed) != 2
}

/// The language messages are shown in: the one chosen with
/// [`set_language`], English until one is.
pub fn language() -> Lang {
    match LANGUAGE.load(Ordering::Relaxed) {
        0 => Lang::Sv,
        _ => Lang::En,
    }
}

/// The language the environment asks for: the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set and not empty, when it names
/// Swedish (`sv`, `sv_SE.UTF-8`) or English (`en_GB.UTF-8`).
/// `None` when none is set or the one set is another language, or `C` and
/// `POSIX`, which ask for no language in particular.
pub fn language_from_env(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
    let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))?;
    let code = value
        .split(['_', '.', '@', '-'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match code.as_str() {
        "sv" => Some(Lang::Sv),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The site is still built; the writer should look.
    Warning,
    /// The build fails and nothing is published.
    Error,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A 1-based line and column (in characters) inside a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line, counting from 1.
    pub line: usize,
    /// Column in characters, counting from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text).
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
        }
    }
}

/// A byte range in a file: what a problem is about, such as a field's value.
/// An empty span is a point between two characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last one (`start` for an empty span).
    pub end: usize,
}

impl Span {
    /// The bytes from `start` up to (not including) `end`; a reversed range
    /// becomes the empty span at `start`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// The same bytes, `by` bytes further on: a span found in a part of a
    /// file (the front matter, the body) placed in the whole file.
    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// Where a placed problem is, worked out once from the file's text, and the
/// part of the line it starts on that is shown under the message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Excerpt {
    /// Where the span starts.
    start: Position,
    /// Where the span ends (the position after its last character).
    end: Position,
    /// The line the span starts on, as shown: control characters as
    /// pictures, and only a window of at most [`SHOWN_LINE_CHARS`]
    /// characters around the span when the line is longer.
    line: String,
    /// The bytes of `line` that are underlined (empty for a point).
    marked: std::ops::Range<usize>,
}

impl Excerpt {
    /// The excerpt of `span` (already clamped to `text`) in `text`.
    fn new(text: &str, span: Span) -> Excerpt {
        let start = Position::of_offset(text, span.start);
        let end = Position::of_offset(text, span.end);
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[span.start..]
            .find('\n')
            .map_or(text.len(), |i| span.start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        // Only the part of the span on its first line is underlined.
        let marked_end = span.end.min(line_start + line.len()).max(span.start);
        let marked_chars = text[span.start..marked_end].chars().count();
        let (shown, from) = line_window(line, start.column - 1);
        let shown = visible(&shown).into_owned();
        let shown_chars = shown.chars().count();
        let to = (from + marked_chars).min(shown_chars).max(from);
        let byte = |chars: usize| {
            shown
                .char_indices()
                .nth(chars)
                .map_or(shown.len(), |(i, _)| i)
        };
        let marked = byte(from)..byte(to);
        Excerpt {
            start,
            end,
            line: shown,
            marked,
        }
    }
}

/// `offset` moved back to the nearest character boundary in `text`, and
/// clamped to its length.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root when possible.
    pub path: PathBuf,
    /// The bytes of the file the problem is about, when known.
    span: Option<Span>,
    /// The positions and the source line of `span`, read from the file's
    /// text when the span was set: a diagnostic outlives the text.
    excerpt: Option<Box<Excerpt>>,
    /// The front-matter field (`deadline`, `contact.email`), when there is one.
    pub field: Option<String>,
    /// The kind of problem, stable across versions and languages
    /// (`unknown-field`, `invalid-date`), for editors and CI.
    pub code: &'static str,
    /// What is wrong.
    pub message: Msg,
    /// How to fix it.
    pub hint: Option<Msg>,
}

impl Diagnostic {
    /// An error in `path` with no position yet.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<Msg>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            span: None,
            excerpt: None,
            field: None,
            code: "",
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `path` with no position yet.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<Msg>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// An error or a warning, as `warning` says.
    pub fn new(
        severity: Severity,
        path: impl Into<PathBuf>,
        message: impl Into<Msg>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            ..Diagnostic::error(path, message)
        }
    }

    /// A problem found in a part of a file (the Markdown of a page) before
    /// the file is known: `span` counts from the start of the part.
    /// [`Diagnostic::placed`] puts it in its file.
    pub fn in_part(
        severity: Severity,
        span: impl Into<Span>,
        message: impl Into<Msg>,
    ) -> Diagnostic {
        Diagnostic {
            span: Some(span.into()),
            ..Diagnostic::new(severity, PathBuf::new(), message)
        }
    }

    /// Puts a problem found in a part of a file into the file: `path`, and
    /// its span moved by `offset`, where the part starts in the file's
    /// `text`.
    pub fn placed(mut self, path: impl Into<PathBuf>, text: &str, offset: usize) -> Diagnostic {
        self.path = path.into();
        match self.span {
            Some(span) => self.at_span(text, span.shifted(offset)),
            None => self,
        }
    }

    /// Names the front-matter field the problem is in.
    pub fn with_field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    /// Names the kind of problem (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: &'static str) -> Diagnostic {
        self.code = code;
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<Msg>) -> Diagnostic {
        let hint = hint.into();
        if !hint.is_empty() {
            self.hint = Some(hint);
        }
        self
    }

    /// Points the problem at the bytes `span` of the file's `text`, and
    /// keeps the line it starts on for display. A span past the end of the
    /// text is cut to it.
    ///
    /// Only a window of a long line is kept: a file with thousands of
    /// problems on one long line (a flow list of bad values) otherwise held
    /// a copy of the whole line per problem, gigabytes for a small file.
    pub fn at_span(mut self, text: &str, span: Span) -> Diagnostic {
        let start = floor_boundary(text, span.start);
        let span = Span::new(start, floor_boundary(text, span.end));
        self.excerpt = Some(Box::new(Excerpt::new(text, span)));
        self.span = Some(span);
        self
    }

    /// Points the problem at byte `offset` of the file's `text`: the empty
    /// span there.
    pub fn at_offset(self, text: &str, offset: usize) -> Diagnostic {
        self.at_span(text, Span::at(offset))
    }

    /// The bytes of the file the problem is about, when known.
    pub fn span(&self) -> Option<Span> {
        self.span
    }

    /// Where the problem starts, when known.
    pub fn position(&self) -> Option<Position> {
        self.excerpt.as_ref().map(|e| e.start)
    }

    /// Where the problem's span ends (after its last character), when known.
    pub fn end_position(&self) -> Option<Position> {
        self.excerpt.as_ref().map(|e| e.end)
    }

    /// Whether this problem stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` (or just the path when the position is unknown).
    pub fn location(&self) -> String {
        let path = self.path.display();
        match self.position() {
            Some(p) => format!("{path}:{}:{}", p.line, p.column),
            None => path.to_string(),
        }
    }

    /// The first line of the message: severity, location, field and what
    /// is wrong, as one line that editors and CI jobs can read on its own.
    fn title(&self) -> String {
        let mut title = format!("{}: ", self.location());
        if let Some(field) = &self.field {
            title.push_str(&format!("`{}`: ", visible(field)));
        }
        title.push_str(&visible(self.message.shown()));
        title
    }

    /// The problem as text for a terminal, with colours when `color`:
    ///
    /// ```text
    /// error: content/challenges/a.md:4:11: `deadline`: 2023-02-30 is not a date
    ///   |
    /// 4 | deadline: 2023-02-30
    ///   |           ^^^^^^^^^^
    ///   |
    ///   = hint: write the date as YYYY-MM-DD
    /// ```
    ///
    /// The location stays on the first line rather than on a line of its
    /// own (`--> file:line:column`), so a tool that reads one line per
    /// problem still finds the file and the position.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = self.title();
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        if let Some(e) = &self.excerpt {
            group = group.element(
                Snippet::source(e.line.as_str())
                    .line_start(e.start.line)
                    .annotation(AnnotationKind::Primary.span(e.marked.clone())),
            );
        }
        // A hint may show a few lines of front matter as an example: its
        // line breaks are kept, each line shown as `visible` shows it.
        let hint = self.hint.as_ref().map(|h| {
            h.shown()
                .split('\n')
                .map(visible)
                .collect::<Vec<_>>()
                .join("\n")
        });
        if let Some(hint) = &hint {
            group = group.element(Level::HELP.with_name(Some("hint")).message(hint.as_str()));
        }
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like a compiler message, without colours (see
    /// [`Diagnostic::render`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Whether messages written to stderr get colours: only on a terminal, and
/// not when the `NO_COLOR` variable is set to anything but an empty text
/// (<https://no-color.org>).
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` with its control characters (but tabs) as visible stand-ins, one
/// character for one so a caret under it stays in place: `␀` for NUL, `␊`
/// for a line break, `␡` for DEL, `�` for the rest. Written raw, a value
/// quoted from a file could ring the terminal's bell, move its cursor, clear
/// the screen or start a line that looks like another message.
pub fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c != '\t' && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'));
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if !hidden(c) => c,
            '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
            '\u{7F}' => '\u{2421}',
            _ => '\u{FFFD}',
        })
        .collect()
}

/// The most characters of a source line shown under a message.
pub const SHOWN_LINE_CHARS: usize = 120;

/// The part of `line` to show, and where the caret goes in it (in chars),
/// for a problem at character `column` (0-based).
///
/// A long line (a one-line megabyte of front matter, a minified blob) is cut
/// to a window around the column, marked with `…`: printing it whole put
/// megabytes of text and of caret padding on the terminal for one error.
fn line_window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= SHOWN_LINE_CHARS {
        return (line.to_string(), column);
    }
    let column = column.min(length);
    let start = column.saturating_sub(SHOWN_LINE_CHARS / 2);
    let end = (start + SHOWN_LINE_CHARS).min(length);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < length {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

/// The most problems reported for one file by one stage (loading the
/// front matter, rendering the Markdown, the writers' checks).
///
/// A real page has a handful; thousands come from generated or broken
/// files, and finding the line and column of each costs a pass over the
/// file, so past this number problems are counted, not placed.
pub const MAX_PER_FILE: usize = 50;

/// Counts the problems of one file and says which to report in full: the
/// first [`MAX_PER_FILE`]. The rest are summed up by [`FileBudget::summary`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileBudget {
    kept: usize,
    dropped_errors: usize,
    dropped_warnings: usize,
}

impl FileBudget {
    /// Whether a problem of `severity` is reported in full; when not, it is
    /// counted for the summary.
    pub fn admit(&mut self, severity: Severity) -> bool {
        if self.kept < MAX_PER_FILE {
            self.kept += 1;
            return true;
        }
        match severity {
            Severity::Error => self.dropped_errors += 1,
            Severity::Warning => self.dropped_warnings += 1,
        }
        false
    }

    /// One problem for `path` counting those not reported, if any: an error
    /// when any of them is one, so the count of errors never hides a failed
    /// build.
    pub fn summary(&self, path: impl Into<PathBuf>) -> Option<Diagnostic> {
        let dropped = self.dropped_errors + self.dropped_warnings;
        if dropped == 0 {
            return None;
        }
        // Worded to read right wherever sorting puts it: it has no position.
        let (errors, warnings) = (self.dropped_errors, self.dropped_warnings);
        let en = format!(
            "{dropped} more problem{} in this file {} not shown ({errors} error{}, {warnings} warning{}): at most {MAX_PER_FILE} are shown per file",
            plural(dropped),
            if dropped == 1 { "is" } else { "are" },
            plural(errors),
            plural(warnings),
        );
        let warnings_sv = if warnings == 1 {
            "varning"
        } else {
            "varningar"
        };
        let sv = format!(
            "ytterligare {dropped} problem i den här filen visas inte ({errors} fel, {warnings} {warnings_sv}): högst {MAX_PER_FILE} visas per fil"
        );
        let message = Msg::new(sv, en);
        let d = if errors > 0 {
            Diagnostic::error(path, message)
        } else {
            Diagnostic::warning(path, message)
        };
        Some(d.with_code("too-many-problems").with_hint(crate::msg!(
            "rätta problemen som visas och kontrollera igen för att se nästa",
            "fix the problems shown and run the check again to see the next ones"
        )))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Several problems, reported together. The build failed if any is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds several problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts by file and position so output is stable whatever the thread order.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.position(), &a.message).cmp(&(&b.path, b.position(), &b.message))
        });
        self.0.dedup();
    }

    /// Whether there are no problems at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Diagnostics {
    /// Every problem as text for a terminal, each followed by an empty
    /// line; with colours when `color` (see [`stderr_color`]).
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

/// The version of the JSON report written by [`Diagnostics::to_json`].
/// Raised only when a field changes meaning or disappears; new fields may be
/// added without raising it.
pub const JSON_VERSION: u32 = 1;

/// The JSON report: counts first, so a CI step can read them without
/// walking the list.
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One problem in the JSON report. Absent values are `null` rather than
/// missing, so every object has the same keys.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    field: Option<&'a str>,
    code: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
}

impl Diagnostic {
    fn to_json(&self) -> JsonDiagnostic<'_> {
        let path = self.path.to_string_lossy();
        // Editors and CI on every system read the same `/`-separated paths.
        let path = if cfg!(windows) {
            path.replace('\\', "/")
        } else {
            path.into_owned()
        };
        JsonDiagnostic {
            severity: self.severity.as_str(),
            path,
            line: self.position().map(|p| p.line),
            column: self.position().map(|p| p.column),
            end_line: self.end_position().map(|p| p.line),
            end_column: self.end_position().map(|p| p.column),
            field: self.field.as_deref(),
            code: self.code,
            message: self.message.shown(),
            hint: self.hint.as_ref().map(Msg::shown),
        }
    }
}

impl Diagnostics {
    /// Every problem as one JSON document, for editors and CI:
    ///
    /// ```json
    /// {"version": 1, "errors": 1, "warnings": 0, "diagnostics": [
    ///   {"severity": "error", "path": "content/challenges/a.md", "line": 4,
    ///    "column": 11, "end_line": 4, "end_column": 21, "field": "deadline",
    ///    "code": "invalid-date", "message": "…", "hint": "…"}]}
    /// ```
    ///
    /// `line` and `column` count from 1 (columns in characters) and say
    /// where the problem starts; `end_line` and `end_column` say where it
    /// ends (the position after its last character, the same as the start
    /// for a point). The positions, `field` and `hint` are `null` when
    /// unknown. `code` names the kind of problem and does not change with
    /// the language or the wording; `message` and `hint` are in the
    /// language messages are shown in.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            version: JSON_VERSION,
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: self.0.iter().map(Diagnostic::to_json).collect(),
        };
        // Serialising plain strings and numbers into memory cannot fail.
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }
}

/// Makes `path` relative to `root` for display, when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The known name nearest to `unknown`, if one is close enough to be a typo.
pub fn suggest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&unknown_lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count().max(3) / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters: the one measure behind every "did you
/// mean" (field names, stages, anchors, time zones).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_formats_both_languages_from_the_code_around_it() {
        let n = 2;
        let m = crate::msg!("{n} fel", "{n} errors");
        assert_eq!(m.get(Lang::Sv), "2 fel");
        assert_eq!(m.get(Lang::En), "2 errors");
    }

    #[test]
    fn the_environment_names_the_language_in_the_order_posix_reads_it() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            language_from_env(env(&[("LANG", "sv_SE.UTF-8")])),
            Some(Lang::Sv)
        );
        assert_eq!(
            language_from_env(env(&[("LANG", "en_GB.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            language_from_env(env(&[("LANG", "sv_SE.UTF-8"), ("LC_MESSAGES", "en_US")])),
            Some(Lang::En)
        );
        assert_eq!(
            language_from_env(env(&[("LC_ALL", "sv"), ("LC_MESSAGES", "en_US")])),
            Some(Lang::Sv)
        );
        assert_eq!(
            language_from_env(env(&[("LC_ALL", ""), ("LANG", "sv")])),
            Some(Lang::Sv)
        );
        assert_eq!(language_from_env(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(language_from_env(env(&[("LANG", "de_DE.UTF-8")])), None);
        assert_eq!(language_from_env(env(&[])), None);
    }

    #[test]
    fn the_problems_not_shown_are_counted_in_both_languages() {
        let mut budget = FileBudget::default();
        for _ in 0..MAX_PER_FILE {
            assert!(budget.admit(Severity::Warning));
        }
        assert_eq!(budget.summary("a.md"), None);
        assert!(!budget.admit(Severity::Warning));
        let d = budget.summary("a.md").unwrap();
        assert!(!d.is_error());
        assert_eq!(d.code, "too-many-problems");
        assert_eq!(
            d.message.get(Lang::Sv),
            "ytterligare 1 problem i den här filen visas inte (0 fel, 1 varning): högst 50 visas per fil"
        );
        assert_eq!(
            d.message.get(Lang::En),
            "1 more problem in this file is not shown (0 errors, 1 warning): at most 50 are shown per file"
        );
        assert!(!budget.admit(Severity::Error));
        let d = budget.summary("a.md").unwrap();
        assert!(d.is_error());
        assert!(
            d.message.sv.contains("(1 fel, 1 varning)"),
            "{}",
            d.message.sv
        );
        assert!(
            d.message.en.contains("(1 error, 1 warning)"),
            "{}",
            d.message.en
        );
        assert!(d.hint.unwrap().sv.starts_with("rätta problemen"));
    }

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "---\ntitle: Å\ndeadline: x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(
            Position::of_offset(text, offset),
            Position {
                line: 3,
                column: 11
            }
        );
        let after_a = text.find('Å').unwrap() + 'Å'.len_utf8();
        assert_eq!(
            Position::of_offset(text, after_a),
            Position { line: 2, column: 9 }
        );
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("stokholm", "stockholm"), 1);
        assert_eq!(edit_distance("åäö", "aäö"), 1);
    }

    #[test]
    fn suggests_near_names_only() {
        let known = ["deadline", "title", "summary"];
        assert_eq!(suggest("dedline", known), Some("deadline"));
        assert_eq!(suggest("Titel", known), Some("title"));
        assert_eq!(suggest("colour", known), None);
    }

    #[test]
    fn json_report_has_counts_and_null_for_unknowns() {
        let text = "---\ndeadline: x\n---\n";
        let ds = Diagnostics(vec![
            Diagnostic::error(
                "content/a.md",
                Msg::new("`x` is not a date", "`x` is not a date"),
            )
            .with_field("deadline")
            .with_hint(Msg::new("write YYYY-MM-DD", "write YYYY-MM-DD"))
            .at_offset(text, text.find('x').unwrap()),
            Diagnostic::warning(
                "site.toml",
                Msg::new("a \"quoted\" word", "a \"quoted\" word"),
            ),
        ]);
        let v: serde_json::Value = serde_json::from_str(&ds.to_json()).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 1);
        let first = &v["diagnostics"][0];
        assert_eq!(first["severity"], "error");
        assert_eq!(first["path"], "content/a.md");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(2), Some(11))
        );
        assert_eq!(
            (first["end_line"].as_u64(), first["end_column"].as_u64()),
            (Some(2), Some(11))
        );
        assert_eq!(first["field"], "deadline");
        assert_eq!(first["hint"], "write YYYY-MM-DD");
        let second = &v["diagnostics"][1];
        assert_eq!(second["message"], "a \"quoted\" word");
        for key in ["line", "column", "end_line", "end_column", "field", "hint"] {
            assert!(second[key].is_null(), "{key}");
        }
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4);
    }

    /// Regression (hostile site: a 1 MB front-matter line): the whole line
    /// and a caret line of as many spaces were printed for one error.
    #[test]
    fn long_source_lines_are_shown_as_a_window() {
        let text = format!(
            "---\ntags: {}x{}\n---\n",
            "[".repeat(500_000),
            "]".repeat(500_000)
        );
        let at = text.find('x').unwrap();
        let shown = Diagnostic::error("a.md", Msg::new("too deep", "too deep"))
            .at_span(&text, Span::new(at, at + 1))
            .to_string();
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines[2].strip_prefix("2 | ").unwrap();
        let marks = lines[3].strip_prefix("  | ").unwrap();
        assert!(source.starts_with('…') && source.ends_with('…'), "{source}");
        // The mark still points at the `x`.
        assert_eq!(marks.trim_start(), "^");
        assert_eq!(source.chars().nth(marks.chars().count() - 1), Some('x'));
        // Near the start of a long line there is no leading `…`.
        let shown = Diagnostic::error("a.md", Msg::new("m", "m"))
            .at_offset(&text, 4)
            .to_string();
        assert!(
            shown.contains("2 | tags: [[[") && shown.ends_with("\n  | ^"),
            "{shown}"
        );
        // Short lines are shown whole, as before.
        assert_eq!(line_window("abc", 1), ("abc".to_string(), 1));
    }

    #[test]
    fn control_characters_in_the_source_line_are_shown_as_pictures() {
        let text = "---\nbuyer: B\u{1b}[2J\u{0}x\u{2028}\n---\n";
        let at = text.find('x').unwrap();
        let d = Diagnostic::error("a.md", Msg::new("m", "m")).at_span(text, Span::new(at, at + 1));
        let e = d.excerpt.as_deref().unwrap();
        assert_eq!(e.line, "buyer: B\u{241b}[2J\u{2400}x\u{fffd}");
        assert_eq!(&e.line[e.marked.clone()], "x");
        assert!(d.to_string().ends_with("\n  |              ^"), "{d}");
        // Values quoted in messages and hints too.
        let d = Diagnostic::error("a.md", Msg::new("`a\nb\u{7}`", "`a\nb\u{7}`"))
            .with_hint(Msg::new("x\u{85}", "x\u{85}"));
        assert_eq!(
            d.to_string(),
            "error: a.md: `a\u{240a}b\u{2407}`\n |\n = hint: x\u{fffd}"
        );
    }

    #[test]
    fn renders_location_source_span_and_hint() {
        let text = "---\ndeadline: 2023-02-30\n---\n";
        let start = text.find("2023").unwrap();
        let d = Diagnostic::error(
            "a.md",
            Msg::new("2023-02-30 is not a date", "2023-02-30 is not a date"),
        )
        .with_field("deadline")
        .with_hint(Msg::new("write YYYY-MM-DD", "write YYYY-MM-DD"))
        .at_span(text, Span::new(start, start + "2023-02-30".len()));
        assert_eq!(
            d.to_string(),
            "error: a.md:2:11: `deadline`: 2023-02-30 is not a date\n  |\n2 | deadline: 2023-02-30\n  |           ^^^^^^^^^^\n  |\n  = hint: write YYYY-MM-DD"
        );
        assert_eq!(d.span(), Some(Span::new(start, start + 10)));
        assert_eq!(
            d.end_position(),
            Some(Position {
                line: 2,
                column: 21
            })
        );
        // With colours the same text is there, between escape codes.
        let colored = d.render(true);
        assert!(colored.contains('\u{1b}'), "{colored:?}");
        assert!(colored.contains("2023-02-30 is not a date"));
    }

    #[test]
    fn a_span_over_several_lines_is_underlined_on_its_first() {
        let text = "a: |\n  one\n  two\n";
        let start = text.find("one").unwrap();
        let d = Diagnostic::error("a.md", Msg::new("m", "m"))
            .at_span(text, Span::new(start, text.len() - 1));
        assert_eq!(d.position(), Some(Position { line: 2, column: 3 }));
        assert_eq!(d.end_position(), Some(Position { line: 3, column: 6 }));
        assert!(d.to_string().ends_with("2 |   one\n  |   ^^^"), "{d}");
    }

    #[test]
    fn a_span_past_the_text_or_inside_a_character_is_cut_to_it() {
        let text = "å: x";
        let d = Diagnostic::error("a.md", Msg::new("m", "m")).at_span(text, Span::new(1, 99));
        assert_eq!(d.span(), Some(Span::new(0, text.len())));
        assert_eq!(d.position(), Some(Position { line: 1, column: 1 }));
        assert_eq!(d.end_position(), Some(Position { line: 1, column: 5 }));
    }
}
