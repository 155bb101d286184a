//! `utlys check`: everything a build validates, without writing anything,
//! plus warnings that only a writer can act on (images without alt text).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, LoadOptions, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, FileBudget, Severity};
use crate::emit::Discard;
use crate::msg;
use crate::pipeline::{BuildOptions, prepare};
use crate::render::Counts;

/// What a check found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Every problem, errors and warnings, sorted by file and position.
    pub diagnostics: Diagnostics,
    /// What a build would publish; `None` when the site has errors.
    pub counts: Option<Counts>,
    /// What a build would tell about the site as a whole (see
    /// [`crate::pipeline::Prepared::notes`]); empty when it has errors.
    pub notes: Vec<crate::diagnostics::Msg>,
}

impl CheckReport {
    /// Whether a build would fail.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Loads and renders the site in memory as `build` would (`options.output`
/// and `options.base_url` are not needed), and adds the checks for writers.
/// Nothing is written anywhere.
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut notes = Vec::new();
    let (mut diagnostics, counts) = match prepare(options) {
        Ok(mut prepared) => {
            // The history of the published site is read, never written.
            if let Err(problems) = prepared.follow_history(options) {
                return CheckReport {
                    diagnostics: problems,
                    counts: None,
                    notes,
                };
            }
            notes = prepared.notes();
            let _stage = crate::timing::Stage::start("alt text");
            let found: Vec<Vec<Diagnostic>> = prepared
                .site()
                .pages
                .par_iter()
                .map(images_without_alt)
                .collect();
            drop(_stage);
            // Every template is rendered, so template errors are found too,
            // but the pages are thrown away rather than kept or written.
            match prepared.render(options, &Discard::default()) {
                Ok((counts, mut warnings, _spent)) => {
                    warnings.extend(found.into_iter().flatten());
                    (warnings, Some(counts))
                }
                Err(mut problems) => {
                    problems.extend(found.into_iter().flatten());
                    (problems, None)
                }
            }
        }
        Err(mut problems) => {
            // Loading failed, so the pages that did load are read again for
            // the writers' checks; this only happens on a broken site.
            if let Ok(config) = Config::load(&options.root) {
                let load = LoadOptions {
                    now: options.now,
                    drafts: options.drafts,
                };
                let (site, _) = content::load(&options.root, &config, load);
                let found: Vec<Vec<Diagnostic>> =
                    site.pages.par_iter().map(images_without_alt).collect();
                problems.extend(found.into_iter().flatten());
            }
            (problems, None)
        }
    };
    diagnostics.sort();
    if counts.is_none() {
        notes.clear();
    }
    CheckReport {
        diagnostics,
        counts,
        notes,
    }
}

/// The Markdown extensions the renderer uses, so an image is found exactly
/// where it would be rendered (not inside a table cell read as text).
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A Markdown image: where it starts (a byte offset), where it points and
/// its alt text (the text between `![` and `]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Byte offset of the `!` in the Markdown.
    pub offset: usize,
    /// The address, as written.
    pub dest: String,
    /// The alternative text, as plain text.
    pub alt: String,
}

/// Every image in `markdown`, in order, with its alt text.
pub fn images(markdown: &str) -> Vec<Image> {
    let mut done = Vec::new();
    // Images nest when an image's alt text holds another image; the inner
    // one's text counts for both, as it does in the rendered `alt`.
    let mut open: Vec<Image> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => open.push(Image {
                offset: range.start,
                dest: dest_url.into_string(),
                alt: String::new(),
            }),
            Event::End(TagEnd::Image) => {
                if let Some(image) = open.pop() {
                    if let Some(outer) = open.last_mut() {
                        outer.alt.push_str(&image.alt);
                    }
                    done.push(image);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) => {
                if let Some(image) = open.last_mut() {
                    image.alt.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(image) = open.last_mut() {
                    image.alt.push(' ');
                }
            }
            _ => {}
        }
    }
    done.sort_by_key(|i| i.offset);
    done
}

/// A warning for each image of the page's body whose alt text is empty.
pub fn images_without_alt(page: &Page) -> Vec<Diagnostic> {
    // Every kind of image starts with `![`; a body without one is not parsed.
    if !page.body().contains("![") {
        return Vec::new();
    }
    // Past the first warnings of the page the rest are only counted: each
    // one placed is a pass over the text.
    let mut budget = FileBudget::default();
    let mut found: Vec<Diagnostic> = images(page.body())
        .into_iter()
        .filter(|image| image.alt.trim().is_empty())
        .filter(|_| budget.admit(Severity::Warning))
        .map(|image| {
            let dest = &image.dest;
            Diagnostic::warning(
                &page.source,
                msg!(
                    "bilden `{dest}` saknar alternativtext",
                    "the image `{dest}` has no alt text"
                ),
            )
            .with_code("missing-alt")
            .with_hint(msg!(
                "beskriv vad bilden visar mellan hakparenteserna, till exempel `![Karta över skolvägarna](karta.png)`; skärmläsare läser upp den texten i stället för bilden",
                "describe what the image shows between the brackets, e.g. `![Karta över skolvägarna](karta.png)`; screen readers read that text instead of the image"
            ))
            .at_offset(&page.text, page.body_offset + image.offset)
        })
        .collect();
    found.extend(budget.summary(&page.source));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_alt_text_of_every_kind_of_image() {
        let md = "Intro ![](a.png) and ![A *map* of `x`](b.png)\n\n\
                  | t |\n|---|\n| ![ ](c.png) |\n\n\
                  [![](d.png)](https://example.se)\n\n\
                  ![ref]\n\n[ref]: e.png\n";
        let found: Vec<(String, String)> =
            images(md).into_iter().map(|i| (i.dest, i.alt)).collect();
        assert_eq!(
            found,
            [
                ("a.png".into(), "".into()),
                ("b.png".into(), "A map of x".into()),
                ("c.png".into(), " ".into()),
                ("d.png".into(), "".into()),
                ("e.png".into(), "ref".into()),
            ]
        );
    }

    #[test]
    fn offsets_point_at_the_exclamation_mark() {
        let md = "Text\n\n  ![](bild.png)\n";
        let image = &images(md)[0];
        assert_eq!(&md[image.offset..image.offset + 2], "![");
    }

    #[test]
    fn code_is_not_an_image() {
        assert!(images("`![](a.png)`\n\n    ![](b.png)\n").is_empty());
    }
}
