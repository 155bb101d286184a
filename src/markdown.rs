//! Markdown to HTML with pulldown-cmark: heading anchors, `@/` internal
//! links, unsafe URLs refused, raw HTML cleaned.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::diagnostics::{Diagnostic, Msg, Severity, Span};
use crate::msg;
use crate::text::is_safe_link;

/// Where pages are published, for resolving `@/path.md` links.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// `rel` under `content/` (`challenges/klimat.md`) → root-relative URL
    /// including the base path (`/utmaningar/challenges/klimat/`).
    pub urls: HashMap<String, String>,
    /// Pages that exist but could not be loaded: links to them are not
    /// reported again, their own error says what is wrong.
    pub unloadable: HashSet<String>,
    /// Ids the theme uses on every page (`main`, …), which headings avoid.
    pub reserved_ids: HashSet<String>,
    /// Files under `content/` by `rel` → their root-relative URL, so a
    /// relative link or image (`bild.png`) reaches the file from every page
    /// that names it, translations under `/en/` included.
    pub assets: HashMap<String, String>,
}

impl Links {
    /// The key of `@/…` target `path`: the page itself, or the folder page
    /// (`challenges/klimat.md` also finds `challenges/klimat/index.md`).
    pub fn resolve<'a>(&'a self, path: &str) -> Option<(&'a str, &'a str)> {
        let direct = self.urls.get_key_value(path);
        let folder = || {
            let stem = path
                .strip_suffix(".md")
                .unwrap_or(path)
                .trim_end_matches('/');
            self.urls.get_key_value(&format!("{stem}/index.md"))
        };
        direct
            .or_else(folder)
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// A link to an anchor on another page, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// The target page's `rel`.
    pub target: String,
    /// The anchor, without `#`.
    pub anchor: String,
    /// The bytes of the link in the Markdown.
    pub span: Span,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The heading ids, in order.
    pub anchors: Vec<String>,
    /// Anchors on other pages that links point to.
    pub anchor_refs: Vec<AnchorRef>,
    /// Problems found, with spans in the Markdown; the caller places them
    /// in their file ([`Diagnostic::placed`]).
    pub problems: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`. `sanitize` cleans raw HTML (the default of every site).
pub fn render(markdown: &str, links: &Links, sanitize: bool) -> Rendered {
    render_in(markdown, links, sanitize, "")
}

/// Renders the Markdown of a file in folder `dir` under `content/` (`""` or
/// ending in `/`), against which relative links to files are resolved.
pub fn render_in(markdown: &str, links: &Links, sanitize: bool, dir: &str) -> Rendered {
    let mut ids = PageIds::new(links);
    render_part(markdown, links, sanitize, dir, &mut ids)
}

/// The ids given out on one page so far, so that the several Markdown
/// texts of a page (the body, answers, amendments, …) never share one.
#[derive(Debug, Clone)]
pub struct PageIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl PageIds {
    /// A page with only the theme's ids taken.
    pub fn new(links: &Links) -> PageIds {
        PageIds {
            used: links.reserved_ids.clone(),
            next: HashMap::new(),
        }
    }
}

/// Like [`render_in`], for one of several texts on a page: ids already in
/// `ids` are not given out again, and this text's ids are added to it.
pub fn render_part(
    markdown: &str,
    links: &Links,
    sanitize: bool,
    dir: &str,
    ids: &mut PageIds,
) -> Rendered {
    let mut out = Rendered::default();
    // Where the first raw HTML starts: a problem with it is reported there.
    let mut first_raw_html = None;
    // Sized for the text up front: grown event by event, the list was
    // copied a dozen times for a long page.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(markdown.len() / 16);
    // Events of the heading being read, so its id can come from its text.
    let mut heading: Option<(usize, Vec<Event<'_>>)> = None;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                first_raw_html.get_or_insert(Span::from(range.clone()));
                event
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                Event::Start(resolve_tag(tag, range.into(), links, &mut out, dir))
            }
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(tag @ Tag::Heading { .. })) => {
                heading = Some((events.len(), vec![Event::Start(tag)]));
            }
            (Some(_), Event::End(TagEnd::Heading(level))) => {
                let Some((_, inner)) = heading.take() else {
                    continue;
                };
                events.extend(finish_heading(inner, level, ids, &mut out.anchors));
            }
            (Some((_, inner)), event) => inner.push(event),
            (None, event) => events.push(event),
        }
    }
    if let Some((_, inner)) = heading {
        events.extend(inner);
    }

    let mut html_out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut html_out, events.into_iter());
    out.html = match first_raw_html {
        Some(span) if sanitize => clean_html(html_out, span, &mut out.problems),
        _ => html_out,
    };
    // Raw HTML and footnotes bring ids of their own, which may repeat the
    // theme's, a heading's or each other's. Headings' ids never contain
    // `"`, so their absence means there is nothing else to check.
    if first_raw_html.is_some() || out.html.contains("footnote-definition") {
        let (html, problems) = unique_element_ids(
            &out.html,
            markdown,
            &out.anchors,
            &links.reserved_ids,
            &mut ids.used,
            &mut ids.next,
        );
        out.html = html;
        out.problems.extend(problems);
    }
    // Kept until the last output is written: without the room left over
    // from growing it, a site's HTML takes a tenth less memory.
    out.html.shrink_to_fit();
    out
}

/// A link or image start tag with its address resolved (see
/// [`resolve_link`]); `span` is where it is written.
fn resolve_tag<'a>(
    tag: Tag<'a>,
    span: Span,
    links: &Links,
    out: &mut Rendered,
    dir: &str,
) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            dest_url: resolve_link(&dest_url, span, links, out, false, dir),
            link_type,
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            dest_url: resolve_link(&dest_url, span, links, out, true, dir),
            link_type,
            title,
            id,
        },
        other => other,
    }
}

/// A heading's events (`inner`, from its start tag on) with the heading's
/// id: the one written (`## Text {#id}`) or one made from its text, unique
/// on the page; the id is added to `anchors`.
fn finish_heading<'a>(
    mut inner: Vec<Event<'a>>,
    level: pulldown_cmark::HeadingLevel,
    ids: &mut PageIds,
    anchors: &mut Vec<String>,
) -> Vec<Event<'a>> {
    let text = heading_text(&inner[1..]);
    let written_id = match &inner[0] {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    };
    let base = written_id
        .map(slug::slugify)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| heading_slug(&text));
    let id = unique_id(&base, &mut ids.used, &mut ids.next);
    anchors.push(id.clone());
    // Classes and attributes written in `{…}` are dropped: they could carry
    // event handlers past the sanitizer.
    inner[0] = Event::Start(Tag::Heading {
        level,
        id: Some(CowStr::from(id)),
        classes: Vec::new(),
        attrs: Vec::new(),
    });
    inner.push(Event::End(TagEnd::Heading(level)));
    inner
}

/// Raw HTML cleaned by the sanitizer; refused (an error at `first_raw_html`,
/// where the text's first raw HTML is, and no HTML) when it nests deeper
/// than [`MAX_HTML_DEPTH`].
fn clean_html(html: String, first_raw_html: Span, problems: &mut Vec<Diagnostic>) -> String {
    // The cleaner's HTML parser looks through the open elements for each
    // new one, so its time grows with the square of the nesting: thousands
    // of nested elements took tens of seconds. The depth is measured first,
    // in one pass, and a page past the limit is refused.
    if nesting_exceeds(&html, MAX_HTML_DEPTH) {
        problems.push(
            Diagnostic::in_part(
                Severity::Error,
                first_raw_html,
                msg!(
                    "sidans HTML har mer än {MAX_HTML_DEPTH} element inuti varandra",
                    "the page's HTML nests more than {MAX_HTML_DEPTH} elements inside each other"
                ),
            )
            .with_code("html-too-deep")
            .with_hint(msg!(
                "lägg färre HTML-element inuti varandra; listor, citat och tabeller skrivna i Markdown räknas också när texten även har HTML",
                "flatten the raw HTML; lists, quotes and tables written in Markdown count too when the text also holds raw HTML"
            )),
        );
        return String::new();
    }
    sanitizer().clean(&html).to_string()
}

/// An attribute of a tag in rendered HTML: its name and where its value is.
struct Attribute {
    name: String,
    value: std::ops::Range<usize>,
}

/// A start tag in rendered HTML: its name and attributes.
struct StartTag {
    name: String,
    attributes: Vec<Attribute>,
}

/// The start tags of `html`, in order. Made for HTML as the cleaner or
/// pulldown-cmark writes it (text has no bare `<`); raw HTML of a site that
/// turned cleaning off is read the same way, as a browser would in the
/// common cases (quoted or unquoted values, comments skipped).
fn start_tags(html: &str) -> Vec<StartTag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..]
                .find("-->")
                .map_or(b.len(), |p| lt + 4 + p + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(b.len(), |p| p + i);
        let mut tag = StartTag {
            name: html[i..name_end].to_ascii_lowercase(),
            attributes: Vec::new(),
        };
        i = name_end;
        loop {
            while b
                .get(i)
                .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/')
            {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let attr_end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .map_or(b.len(), |p| p + i);
            let name = html[i..attr_end].to_ascii_lowercase();
            i = attr_end;
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let value = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = html[start..]
                        .find(char::from(q))
                        .map_or(b.len(), |p| p + start);
                    i = (end + 1).min(b.len());
                    start..end
                }
                _ => {
                    let start = i;
                    let end = html[start..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(b.len(), |p| p + start);
                    i = end;
                    start..end
                }
            };
            tag.attributes.push(Attribute { name, value });
        }
        tags.push(tag);
    }
    tags
}

/// Makes every `id` in `html` unique on the page: the ids of headings
/// (`heading_ids`, already unique) stay; any other id that repeats one of
/// the theme (`reserved`), a heading or an earlier element is renamed as
/// headings are (`main` → `main-1`), with a warning. Same-page links
/// (`href="#main"`, `headers="main"`) follow the renamed element when
/// nothing else in the text kept that id; the theme's own anchors (the
/// skip link's `#main`) are outside the text and keep reaching the theme.
fn unique_element_ids(
    html: &str,
    markdown: &str,
    heading_ids: &[String],
    reserved: &HashSet<String>,
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> (String, Vec<Diagnostic>) {
    let tags = start_tags(html);
    let headings: HashSet<&str> = heading_ids.iter().map(String::as_str).collect();
    // Ids the text keeps: links to them stay as they are.
    let mut kept: HashSet<String> = heading_ids.iter().cloned().collect();
    let mut seen_headings: HashSet<String> = HashSet::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut problems = Vec::new();
    // How many times each id has been met, and where in the Markdown the
    // ids are written (found when first needed), for the warnings.
    let mut written: HashMap<String, usize> = HashMap::new();
    let mut places: Option<HashMap<&str, Vec<usize>>> = None;
    for tag in &tags {
        for attr in &tag.attributes {
            if attr.name != "id" {
                continue;
            }
            let id = &html[attr.value.clone()];
            if id.is_empty() {
                continue;
            }
            let is_heading = matches!(tag.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            if is_heading && headings.contains(id) && seen_headings.insert(id.to_string()) {
                continue;
            }
            let nth = written.entry(id.to_string()).or_insert(0);
            let occurrence = *nth;
            *nth += 1;
            if !used.contains(id) {
                used.insert(id.to_string());
                kept.insert(id.to_string());
                continue;
            }
            let new = unique_id(id, used, next);
            let by = if kept.contains(id) {
                if headings.contains(id) {
                    Msg::new("en rubrik", "a heading")
                } else {
                    Msg::new("ett annat element", "another element")
                }
            } else if reserved.contains(id) {
                Msg::new("temat", "the theme")
            } else {
                Msg::new("ett annat element", "another element")
            };
            // A footnote's id comes from its label, written `[^label]:`.
            let offset = places
                .get_or_insert_with(|| id_attributes(markdown))
                .get(id)
                .and_then(|at| at.get(occurrence).copied())
                .or_else(|| markdown.find(&format!("[^{id}]:")))
                .unwrap_or(0);
            let follows = !kept.contains(id);
            problems.push(renamed_id_warning(id, &new, &by, follows, offset));
            // Links follow the first element that lost the id, as they
            // would have reached the first one holding it.
            if follows {
                renamed.entry(id.to_string()).or_insert_with(|| new.clone());
            }
            edits.push((attr.value.clone(), new));
        }
    }
    if !renamed.is_empty() {
        follow_renamed_ids(html, &tags, &renamed, &mut edits);
    }
    (apply_edits(html, edits), problems)
}

/// The warning for an element's id `id` that repeats one taken `by` the
/// theme, a heading or another element, published as `new`; `follows` when
/// the page's links to it now lead to `new`.
fn renamed_id_warning(id: &str, new: &str, by: &Msg, follows: bool, offset: usize) -> Diagnostic {
    let hint = if follows {
        msg!(
            "ge elementet ett eget id, till exempel `{new}`; länkar på den här sidan till `#{id}` leder nu till `#{new}`",
            "give the element an id of its own, such as `{new}`; links on this page to `#{id}` now lead to `#{new}`"
        )
    } else {
        msg!(
            "ge elementet ett eget id, till exempel `{new}`; länkar till `#{id}` leder fortfarande till det första elementet med det",
            "give the element an id of its own, such as `{new}`; links to `#{id}` still lead to the first element with it"
        )
    };
    let (by_sv, by_en) = (&by.sv, &by.en);
    Diagnostic::in_part(
        Severity::Warning,
        Span::at(offset),
        msg!(
            "id:t `{id}` används redan på den här sidan av {by_sv}; det publiceras som `{new}`",
            "the id `{id}` is already used on this page by {by_en}; it is published as `{new}`"
        ),
    )
    .with_code("renamed-id")
    .with_hint(hint)
}

/// Adds to `edits` the same-page links (`href="#id"`) and table headers
/// (`headers="id …"`) that lead to an id in `renamed`, pointed at its new
/// name.
fn follow_renamed_ids(
    html: &str,
    tags: &[StartTag],
    renamed: &HashMap<String, String>,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    for tag in tags {
        for attr in &tag.attributes {
            let value = &html[attr.value.clone()];
            let new = match attr.name.as_str() {
                "href" => value
                    .strip_prefix('#')
                    .and_then(|id| renamed.get(id))
                    .map(|id| format!("#{id}")),
                // Table cells name their header cells by id.
                "headers"
                    if value
                        .split_ascii_whitespace()
                        .any(|t| renamed.contains_key(t)) =>
                {
                    Some(
                        value
                            .split_ascii_whitespace()
                            .map(|t| renamed.get(t).map_or(t, String::as_str))
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                }
                _ => None,
            };
            if let Some(new) = new {
                edits.push((attr.value.clone(), new));
            }
        }
    }
}

/// `html` with each range of `edits` (which do not overlap) replaced.
fn apply_edits(html: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    if edits.is_empty() {
        return html.to_string();
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(html.len() + edits.len() * 4);
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&html[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Where each `id="…"` attribute is written in `markdown`, by value (quoted
/// either way, or not at all), in order. Read once per text, and only when
/// an id is renamed, so many renamed ids cost one pass.
fn id_attributes(markdown: &str) -> HashMap<&str, Vec<usize>> {
    let bytes = markdown.as_bytes();
    let mut found: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut from = 0;
    while let Some(p) = markdown[from..].find(['i', 'I']).map(|p| p + from) {
        from = p + 1;
        if !bytes
            .get(p + 1)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b'd'))
        {
            continue;
        }
        // Only the attribute itself, not `data-id` or `valid`.
        if p == 0 || !bytes[p - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = markdown[p + 2..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        found.entry(value).or_default().push(p);
    }
    found
}

/// The deepest nesting of elements a text with raw HTML may have, with
/// sanitising on. Real pages stay far below it (a list in a table in a
/// quote is a dozen levels).
pub const MAX_HTML_DEPTH: usize = 256;

/// Elements that never hold others (`<br>`), and those whose end tag may be
/// left out (`<p>`, `<li>`): the next one closes them, so they do not
/// deepen the tree however many are written.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "rp", "rt",
];

/// Whether elements in `html` nest more than `limit` deep, counted in one
/// pass over the text: start tags open, end tags close, comments and
/// declarations are skipped, quoted attribute values may hold `>`.
fn nesting_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(found) = bytes[i..].iter().position(|&b| b == b'<') {
        i += found + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!DOCTYPE`, `<?…`, or a `<` that is text.
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        // The end of the tag, past quoted values.
        let mut j = name_start + name_len;
        let mut quote = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), b) if b == q => quote = None,
                _ => {}
            }
            j += 1;
        }
        let self_closing = j > 0 && bytes.get(j - 1) == Some(&b'/');
        i = j.min(bytes.len());
        if NOT_NESTING.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

fn resolve_link<'a>(
    dest: &CowStr<'a>,
    span: Span,
    links: &Links,
    out: &mut Rendered,
    image: bool,
    dir: &str,
) -> CowStr<'a> {
    if let Some(url) = asset_url(dest, dir, links) {
        return CowStr::from(url);
    }
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        if links.unloadable.contains(path) {
            return CowStr::from("#");
        }
        return match links.resolve(path) {
            Some((rel, url)) => {
                if let Some(anchor) = anchor {
                    out.anchor_refs.push(AnchorRef {
                        target: rel.to_string(),
                        anchor: anchor.to_string(),
                        span,
                    });
                    CowStr::from(format!("{url}#{anchor}"))
                } else {
                    CowStr::from(url.to_string())
                }
            }
            None => {
                out.problems.push(
                    Diagnostic::in_part(
                        Severity::Error,
                        span,
                        msg!(
                            "länken `{dest}` pekar på en sida som inte finns",
                            "the link `{dest}` points to a page that does not exist"
                        ),
                    )
                    .with_code("broken-link")
                    .with_hint(msg!(
                        "skriv sökvägen under content/, till exempel `@/challenges/klimat.md`; kontrollera stavningen och att sidan inte är ett utkast",
                        "write the path under content/, such as `@/challenges/klimat.md`; check the spelling and that the page is not a draft"
                    )),
                );
                CowStr::from("#")
            }
        };
    }
    let schemes: &[&str] = if image {
        &["https", "http"]
    } else {
        &["https", "http", "mailto", "tel"]
    };
    if dest.is_empty() || dest.starts_with('#') || is_safe_link(dest, schemes) {
        // A link a browser follows, but perhaps not where the writer
        // meant: `www.…` without `https://` is a path inside the portal.
        if let Some(problem) = crate::address::check_markdown(dest) {
            out.problems.push(
                Diagnostic::in_part(Severity::Warning, span, problem.message)
                    .with_code(crate::address::CODE)
                    .with_hint(problem.hint),
            );
        }
        return dest.clone();
    }
    let hint = if image {
        crate::msg!(
            "en bild ska vara en fil i portalen eller en adress som börjar med `https://`",
            "images must be files in the site or `https://` addresses"
        )
    } else {
        crate::msg!(
            "en länk får börja med `https://`, `http://`, `mailto:` eller `tel:`, eller peka in i portalen",
            "links may use `https://`, `http://`, `mailto:` or `tel:`, or point inside the site"
        )
    };
    out.problems.push(
        Diagnostic::in_part(
            Severity::Error,
            span,
            crate::msg!(
                "adressen `{dest}` är inte tillåten",
                "the address `{dest}` is not allowed"
            ),
        )
        .with_code(crate::address::CODE)
        .with_hint(hint),
    );
    CowStr::from("#")
}

/// The published URL of a relative link to a file under `content/`
/// (`bild.png`, `../bilagor/a.pdf#sida=2`), if it names one.
fn asset_url(dest: &str, dir: &str, links: &Links) -> Option<String> {
    if links.assets.is_empty() || dest.contains(':') || dest.starts_with(['/', '#', '@']) {
        return None;
    }
    let split = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(split);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let url = links.assets.get(&parts.join("/"))?;
    Some(format!("{url}{rest}"))
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The anchor of a heading: its text slugified (å, ä → a; ö → o), or
/// `section` when the text has no letters or digits.
pub fn heading_slug(text: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() { "section".into() } else { s }
}

/// `base`, or `base-1`, `base-2`, … : the first id not used yet.
///
/// `next` remembers, per base, the suffix to try next. Every smaller suffix
/// is known to be taken (ids are never released), so the result is the same
/// as counting from 1, but n identical headings cost n tries instead of n²/2
/// (20,000 `## Svar` took two minutes to render).
fn unique_id(base: &str, used: &mut HashSet<String>, next: &mut HashMap<String, usize>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let n = next.entry(base.to_string()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// The cleaner for raw HTML: what Markdown itself produces is allowed,
/// scripts, styles, event handlers and unsafe URLs are not.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "lang", "title"])
            .add_tags([
                "input",
                "details",
                "summary",
                "figure",
                "figcaption",
                "mark",
                "abbr",
            ])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            // `style` is allowed for the column alignment Markdown tables
            // write; any other property (position, background, …) could lay
            // a fake page over the real one (found by the `markdown` fuzz
            // target).
            .filter_style_properties(HashSet::from(["text-align"]))
            .add_tag_attributes("ol", ["start"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("sup", ["footnote-definition-label", "footnote-reference"])
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(None);
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        let mut urls = HashMap::new();
        urls.insert("challenges/a.md".into(), "/base/challenges/a/".into());
        urls.insert("challenges/b/index.md".into(), "/base/challenges/b/".into());
        Links {
            urls,
            reserved_ids: HashSet::from(["main".to_string()]),
            ..Links::default()
        }
    }

    #[test]
    fn headings_get_unique_transliterated_ids() {
        let r = render(
            "## Så gick det till\n\n## Så gick det till\n\n# Rubrik {#egen}\n",
            &links(),
            true,
        );
        assert_eq!(
            r.anchors,
            ["sa-gick-det-till", "sa-gick-det-till-1", "egen"]
        );
        assert!(
            r.html
                .contains(r#"<h2 id="sa-gick-det-till">Så gick det till</h2>"#)
        );
    }

    #[test]
    fn internal_links_resolve_and_record_anchors() {
        let md = "[a](@/challenges/a.md) [b](@/challenges/b.md#x) [c](@/nope.md)";
        let r = render(md, &links(), true);
        assert!(r.html.contains(r#"href="/base/challenges/a/""#));
        assert!(r.html.contains(r##"href="/base/challenges/b/#x""##));
        assert_eq!(r.anchor_refs[0].target, "challenges/b/index.md");
        assert_eq!(r.problems.len(), 1);
        // The whole link is the problem's span.
        let c = md.find("[c]").unwrap();
        assert_eq!(r.problems[0].span(), Some(Span::new(c, md.len())));
        assert_eq!(r.problems[0].code, "broken-link");
        assert_eq!(
            r.problems[0].message.sv,
            "länken `@/nope.md` pekar på en sida som inte finns"
        );
        assert_eq!(
            r.problems[0].message.en,
            "the link `@/nope.md` points to a page that does not exist"
        );
    }

    #[test]
    fn unsafe_urls_and_raw_html_are_neutralised() {
        let r = render(
            "[x](javascript:alert(1)) ![i](data:image/png;base64,AA)",
            &links(),
            true,
        );
        assert_eq!(r.problems.len(), 2);
        assert!(!r.html.contains("javascript"));
        let first = &r.problems[0];
        assert_eq!(first.code, "invalid-url");
        assert_eq!(
            first.message.sv,
            "adressen `javascript:alert(1)` är inte tillåten"
        );
        assert_eq!(
            first.message.en,
            "the address `javascript:alert(1)` is not allowed"
        );
        assert!(first.hint.as_ref().unwrap().sv.starts_with("en länk får"));
        assert!(
            r.problems[1]
                .hint
                .as_ref()
                .unwrap()
                .sv
                .starts_with("en bild ska")
        );
        let r = render(
            "<img src=x onerror=alert(1)><script>alert(1)</script>\n\n# T {onclick=alert(1)}",
            &links(),
            true,
        );
        assert!(
            !r.html.contains("onerror")
                && !r.html.contains("<script")
                && !r.html.contains("onclick"),
            "{}",
            r.html
        );
        let r = render("<b>fet</b>", &links(), false);
        assert!(r.html.contains("<b>fet</b>"));
    }

    #[test]
    fn relative_links_to_files_reach_them_from_any_page() {
        let mut l = links();
        l.assets.insert(
            "challenges/b/bild.png".into(),
            "/base/challenges/b/bild.png".into(),
        );
        let r = render_in(
            "![Karta](bild.png) [pdf](./bild.png#x)",
            &l,
            true,
            "challenges/b/",
        );
        assert!(
            r.html.contains(r#"src="/base/challenges/b/bild.png""#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r##"href="/base/challenges/b/bild.png#x""##),
            "{}",
            r.html
        );
        let r = render_in(
            "![x](../b/bild.png) ![y](saknas.png)",
            &l,
            true,
            "challenges/c/",
        );
        assert!(r.html.contains(r#"src="/base/challenges/b/bild.png""#));
        assert!(r.html.contains(r#"src="saknas.png""#));
    }

    /// Regression (hostile site: a 50 MB page with a repeated heading):
    /// numbering duplicate ids restarted at 1 for every heading, quadratic
    /// in the number of identical headings.
    #[test]
    fn many_identical_headings_are_numbered_in_linear_time() {
        let markdown = "## Svar\n\n".repeat(20_000);
        let started = std::time::Instant::now();
        let r = render(&markdown, &Links::default(), true);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(r.anchors.len(), 20_000);
        assert_eq!(r.anchors[0], "svar");
        assert_eq!(r.anchors[1], "svar-1");
        assert_eq!(r.anchors[19_999], "svar-19999");
        // Numbering still skips ids that a heading's own text produced.
        let r = render("## A\n\n## A 1\n\n## A\n\n## A\n", &Links::default(), true);
        assert_eq!(r.anchors, ["a", "a-1", "a-2", "a-3"]);
        let r = render("## A\n\n## A\n\n## A 1\n", &Links::default(), true);
        assert_eq!(r.anchors, ["a", "a-1", "a-1-1"]);
    }

    /// Regression (fuzz target `markdown`): raw `<td style="position:fixed">`
    /// kept its style, so a page could cover itself with other content.
    #[test]
    fn table_cell_styles_keep_only_text_align() {
        let r = render(
            "<table><tr><td style=\"position:fixed;top:0;text-align:right\">x</td></tr></table>\n\n| a |\n|:-:|\n| b |\n",
            &Links::default(),
            true,
        );
        assert!(
            !r.html.contains("position") && !r.html.contains("top:"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"<td style="text-align:right">x</td>"#),
            "{}",
            r.html
        );
        // Markdown's own alignment survives the cleaning.
        assert!(
            r.html.contains(r#"<th style="text-align:center">a</th>"#),
            "{}",
            r.html
        );
    }

    /// Every `id="…"` value in `html`, in order.
    fn ids(html: &str) -> Vec<String> {
        start_tags(html)
            .iter()
            .flat_map(|t| &t.attributes)
            .filter(|a| a.name == "id")
            .map(|a| html[a.value.clone()].to_string())
            .collect()
    }

    #[test]
    fn raw_ids_that_repeat_the_theme_a_heading_or_each_other_are_renamed() {
        let md = "## Status\n\n<div id=\"main\">a</div>\n\n<span id=\"status\">b</span>\n\n\
                  <p id='dup'>c</p>\n\n<p id=dup>d</p>\n\n[till main](#main) [till dup](#dup) [till status](#status)\n";
        for sanitize in [true, false] {
            let r = render(md, &links(), sanitize);
            assert_eq!(
                ids(&r.html),
                ["status", "main-1", "status-1", "dup", "dup-1"],
                "{}",
                r.html
            );
            // The link to the theme's id follows the element; links to ids
            // the text kept still reach the first holder.
            assert!(r.html.contains(r##"href="#main-1""##), "{}", r.html);
            assert!(r.html.contains(r##"href="#dup""##), "{}", r.html);
            assert!(r.html.contains(r##"href="#status""##), "{}", r.html);
            let messages: Vec<(&str, bool, usize)> = r
                .problems
                .iter()
                .map(|p| {
                    let start = p.span().map_or(usize::MAX, |s| s.start);
                    (p.message.en.as_str(), !p.is_error(), start)
                })
                .collect();
            assert_eq!(
                messages,
                [
                    (
                        "the id `main` is already used on this page by the theme; it is published as `main-1`",
                        true,
                        md.find("id=\"main\"").unwrap()
                    ),
                    (
                        "the id `status` is already used on this page by a heading; it is published as `status-1`",
                        true,
                        md.find("id=\"status\"").unwrap()
                    ),
                    (
                        "the id `dup` is already used on this page by another element; it is published as `dup-1`",
                        true,
                        md.find("id=dup").unwrap()
                    ),
                ]
            );
            assert_eq!(
                r.problems[0].hint.as_ref().map(|h| h.en.as_str()).unwrap(),
                "give the element an id of its own, such as `main-1`; links on this page to `#main` now lead to `#main-1`"
            );
            assert_eq!(
                r.problems[2].hint.as_ref().map(|h| h.en.as_str()).unwrap(),
                "give the element an id of its own, such as `dup-1`; links to `#dup` still lead to the first element with it"
            );
            assert_eq!(r.problems[0].code, "renamed-id");
            assert_eq!(
                r.problems[0].message.sv,
                "id:t `main` används redan på den här sidan av temat; det publiceras som `main-1`"
            );
            assert_eq!(
                r.problems[1].message.sv,
                "id:t `status` används redan på den här sidan av en rubrik; det publiceras som `status-1`"
            );
        }
    }

    #[test]
    fn footnote_ids_and_table_headers_follow_renamed_ids() {
        let r = render("Text[^main]\n\n[^main]: Not.\n", &links(), true);
        assert_eq!(ids(&r.html), ["main-1"], "{}", r.html);
        assert!(r.html.contains(r##"href="#main-1""##), "{}", r.html);
        assert_eq!(r.problems.len(), 1);
        let r = render(
            "<table><tr><th id=\"main\">x</th></tr><tr><td headers=\"main\">y</td></tr></table>\n\n<p id=\"main\">z</p>\n",
            &links(),
            true,
        );
        assert_eq!(ids(&r.html), ["main-1", "main-2"], "{}", r.html);
        assert!(r.html.contains(r#"headers="main-1""#), "{}", r.html);
        assert_eq!(r.problems.len(), 2);
    }

    /// Renaming n repeated ids costs time linear in n: the ratio of the
    /// fastest of three runs at 4n and at n, measured in one run.
    /// The CPU time this thread has used so far.
    fn thread_cpu_time() -> std::time::Duration {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to fill.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
        std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }

    #[test]
    fn many_repeated_raw_ids_are_renamed_in_linear_time() {
        // The fastest of several runs, at sizes far enough apart that a
        // busy machine cannot make linear look quadratic: 8 times the ids
        // take about 8 times as long when linear, 64 times when quadratic.
        // Measured in the CPU time of this thread, which other work on the
        // machine does not stretch, unlike the wall clock.
        let fastest = |n: usize| {
            let md = "<p id=\"x\">a</p>\n\n".repeat(n);
            (0..5)
                .map(|_| {
                    let started = thread_cpu_time();
                    let r = render(&md, &Links::default(), true);
                    assert_eq!(r.problems.len(), n - 1);
                    thread_cpu_time().saturating_sub(started)
                })
                .min()
                .unwrap_or_default()
        };
        let small = fastest(1_000);
        let large = fastest(8_000);
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
        eprintln!(
            "renaming repeated raw ids: {small:?} for 1,000, {large:?} for 8,000 ({ratio:.1}×)"
        );
        assert!(ratio < 32.0, "{small:?} for 1,000, {large:?} for 8,000");
    }

    #[test]
    fn pages_without_colliding_ids_are_unchanged() {
        let md = "## A\n\n<div id=\"egen\">x</div> <a href=\"#egen\">y</a>\n";
        let r = render(md, &links(), true);
        assert!(r.problems.is_empty());
        assert_eq!(ids(&r.html), ["a", "egen"]);
    }

    /// Regression (hostile site: thousands of nested `<div>`s): cleaning
    /// took time growing with the square of the depth; past the limit the
    /// page is refused before it is cleaned.
    #[test]
    fn deep_raw_html_is_refused_before_cleaning() {
        let at = |depth: usize| {
            format!(
                "Text\n\n{}x{}\n",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        let r = render(&at(MAX_HTML_DEPTH), &links(), true);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.html.contains("<div>x</div>"));
        let text = at(MAX_HTML_DEPTH + 1);
        let r = render(&text, &links(), true);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(
            r.problems[0].span().map(|s| s.start),
            Some(text.find('<').unwrap())
        );
        assert!(r.problems[0].message.en.contains("more than 256 elements"));
        // Unclosed paragraphs, breaks and self-closed tags do not nest.
        let flat = format!("<div>{}</div>", "<p>a<br><img src=a.png/>".repeat(1_000));
        assert!(render(&flat, &links(), true).problems.is_empty());
        // A `>` in a quoted value does not end the tag early.
        assert!(!nesting_exceeds(
            r#"<div title="a>b"><span>x</span></div>"#,
            2
        ));
        assert!(nesting_exceeds("<div><div><div>x", 2));
        // Without sanitising the HTML is passed through as written.
        assert!(render(&text, &links(), false).problems.is_empty());
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a |\n|---|\n| b |\n\n~~x~~ - [x] t\n\nA[^1]\n\n[^1]: n\n\n\"q\"",
            &links(),
            true,
        );
        for needle in ["<table>", "<del>", "footnote", "\u{201c}q\u{201d}"] {
            assert!(r.html.contains(needle), "{needle} in {}", r.html);
        }
    }
}
