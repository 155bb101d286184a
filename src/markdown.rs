//! Markdown to HTML with pulldown-cmark: heading anchors, `@/` internal
//! links, unsafe URLs refused, raw HTML cleaned.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::content::is_safe_link;

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
    /// Byte offset of the link in the Markdown.
    pub offset: usize,
}

/// A problem in the Markdown; `offset` is a byte offset into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset into the Markdown.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
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
    /// Problems found.
    pub problems: Vec<Problem>,
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
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = links.reserved_ids.clone();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut has_raw_html = false;
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
                has_raw_html = true;
                first_raw_html.get_or_insert(range.start);
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(&dest_url, range.start, links, &mut out, false, dir);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(&dest_url, range.start, links, &mut out, true, dir);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(tag @ Tag::Heading { .. })) => {
                heading = Some((events.len(), vec![Event::Start(tag)]));
            }
            (Some(_), Event::End(TagEnd::Heading(level))) => {
                let Some((_, mut inner)) = heading.take() else {
                    continue;
                };
                let text = heading_text(&inner[1..]);
                let written_id = match &inner[0] {
                    Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                    _ => None,
                };
                let base = written_id
                    .map(slug::slugify)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| heading_slug(&text));
                let id = unique_id(&base, &mut used_ids, &mut next_suffix);
                out.anchors.push(id.clone());
                // Classes and attributes written in `{…}` are dropped: they
                // could carry event handlers past the sanitizer.
                inner[0] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                });
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
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
    out.html = if has_raw_html && sanitize {
        // The cleaner's HTML parser looks through the open elements for
        // each new one, so its time grows with the square of the nesting:
        // thousands of nested elements took tens of seconds. The depth is
        // measured first, in one pass, and a page past the limit is refused.
        if nesting_exceeds(&html_out, MAX_HTML_DEPTH) {
            out.problems.push(Problem {
                offset: first_raw_html.unwrap_or(0),
                message: format!(
                    "the page's HTML nests more than {MAX_HTML_DEPTH} elements inside each other"
                ),
                hint: "flatten the raw HTML; lists, quotes and tables written in Markdown count too when the text also holds raw HTML".into(),
            });
            String::new()
        } else {
            sanitizer().clean(&html_out).to_string()
        }
    } else {
        html_out
    };
    out
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
    offset: usize,
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
                        offset,
                    });
                    CowStr::from(format!("{url}#{anchor}"))
                } else {
                    CowStr::from(url.to_string())
                }
            }
            None => {
                out.problems.push(Problem {
                    offset,
                    message: format!("the link `{dest}` points to a page that does not exist"),
                    hint: "write the path under content/, such as `@/challenges/klimat.md`; check the spelling and that the page is not a draft".into(),
                });
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
        return dest.clone();
    }
    out.problems.push(Problem {
        offset,
        message: format!("the address `{dest}` is not allowed"),
        hint: if image {
            "images must be files in the site or https:// addresses".into()
        } else {
            "links may use https://, http://, mailto: or tel:, or point inside the site".into()
        },
    });
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
        assert_eq!(r.problems[0].offset, md.find("[c]").unwrap());
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
        assert_eq!(r.problems[0].offset, text.find('<').unwrap());
        assert!(r.problems[0].message.contains("more than 256 elements"));
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
