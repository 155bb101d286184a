//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.
//!
//! The sitemap lists every HTML page the theme renders, found the same way
//! `render` finds them: in each language the home page, the challenge list,
//! each taxonomy and each of its terms; then each challenge and plain page.
//! The 404 pages are left out on purpose.
//!
//! `lastmod` is never the build clock, so a rebuild of unchanged content
//! writes the same bytes: a challenge uses its newest amendment (or its
//! publication), a list uses the newest of the challenges it shows, and a
//! plain page has none, since nothing in the model says when it changed.

use std::collections::{BTreeMap, BTreeSet};

use super::OutputContext;
use crate::config::lang_prefix;
use crate::content::Taxonomy;
use crate::content::{CHALLENGES_DIR, Challenge, PageKind};
use crate::emit::{Output, OutputData};
use crate::escape;
use crate::escape::encode_path;
use crate::model::{Generated, Place, page_path, split};
use crate::msg;
use crate::time::{self, Moment};

/// The namespace of the sitemap protocol.
const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Where the sitemap (or, for a large site, the sitemap index) is written.
const SITEMAP_PATH: &str = "sitemap.xml";

/// Where `robots.txt` is written.
const ROBOTS_PATH: &str = "robots.txt";

/// The numbered parts of a sitemap split beneath an index:
/// `sitemap-1.xml`, `sitemap-2.xml`, …
const PART_PREFIX: &str = "sitemap-";
const PART_SUFFIX: &str = ".xml";

/// Where the sitemap, its parts and `robots.txt` go.
pub(super) fn generated() -> Vec<Generated> {
    vec![
        Generated::file(SITEMAP_PATH, msg!("webbplatskartan", "the sitemap")),
        Generated {
            place: Place::Numbered {
                prefix: PART_PREFIX,
                suffix: PART_SUFFIX,
            },
            what: msg!(
                "delarna av en stor webbplatskarta",
                "the parts of a large sitemap"
            ),
            owner: None,
        },
        Generated::file(
            ROBOTS_PATH,
            msg!(
                "instruktionerna till sökmotorer",
                "the instructions for search engines"
            ),
        ),
    ]
}

/// The protocol's limit of URLs per file; a larger site gets an index.
const MAX_URLS: usize = 50_000;

/// One page to list: its output folder and when it last changed.
#[derive(Debug)]
struct Url<'a> {
    path: String,
    lastmod: Option<&'a Moment>,
}

/// Renders `sitemap.xml` (split into numbered files beneath a sitemap index
/// when a site has more pages than one file may list) and `robots.txt`.
pub fn render(ctx: &OutputContext<'_>) -> Vec<Output> {
    let urls = collect(ctx);
    let mut outputs = write_sitemaps(ctx, &urls, MAX_URLS);
    outputs.push(Output {
        path: ROBOTS_PATH.into(),
        data: OutputData::Bytes(robots(ctx).into_bytes()),
    });
    outputs
}

/// Every HTML page, in a stable order, each once.
fn collect<'a>(ctx: &OutputContext<'a>) -> Vec<Url<'a>> {
    let (config, site) = (ctx.config, ctx.site);
    let newest_of = |members: &mut dyn Iterator<Item = &'a Challenge>| -> Option<&'a Moment> {
        members
            .map(last_changed)
            .max_by_key(|m| m.zoned.timestamp())
    };

    let mut urls = Vec::new();
    // The generated lists exist in every language, under its prefix (`en/`),
    // and show the challenges of that language.
    for &lang in &config.languages {
        let prefix = lang_prefix(config, lang);
        let challenges: Vec<&'a Challenge> = site
            .pages_in(config.language, lang)
            .into_iter()
            .filter_map(|i| site.pages.get(i).and_then(|p| p.challenge()))
            .collect();
        let newest = newest_of(&mut challenges.iter().copied());
        // The home page and the challenge list exist whether or not their
        // intro pages (`_index.md`) do.
        urls.push(Url {
            path: prefix.clone(),
            lastmod: newest,
        });
        let later_pages = |list: &str, len: usize| -> Vec<String> {
            (2..=split(len, config.paginate).len())
                .map(|n| page_path(list, n))
                .collect()
        };
        let list = format!("{prefix}{CHALLENGES_DIR}/");
        for path in std::iter::once(list.clone()).chain(later_pages(&list, challenges.len())) {
            urls.push(Url {
                path,
                lastmod: newest,
            });
        }
        for tax in Taxonomy::ALL {
            // Every taxonomy gets an overview page, even with no terms.
            urls.push(Url {
                path: format!("{prefix}{}/", tax.key()),
                lastmod: newest,
            });
            // Term slugs as the renderer makes them (they do not depend on
            // the UI strings); a BTreeMap lists a shared term once.
            let mut terms: BTreeMap<String, Vec<&'a Challenge>> = BTreeMap::new();
            for c in &challenges {
                for (slug, _) in tax.terms_of(c, ctx.strings, lang) {
                    terms.entry(slug).or_default().push(*c);
                }
            }
            for (slug, members) in terms {
                let term = format!("{prefix}{}/{slug}/", tax.key());
                let pages = later_pages(&term, members.len());
                let lastmod = newest_of(&mut members.into_iter());
                for path in std::iter::once(term.clone()).chain(pages) {
                    urls.push(Url { path, lastmod });
                }
            }
        }
    }
    // Every challenge and plain page, at its own address in its language.
    for page in &site.pages {
        let lastmod = match &page.kind {
            PageKind::Challenge(c) => Some(last_changed(c)),
            PageKind::Plain => None,
            // Rendered as the generated lists above.
            PageKind::Home | PageKind::ChallengeList => continue,
        };
        urls.push(Url {
            path: page.url_path.clone(),
            lastmod,
        });
    }
    // Two sources of one address are a build error reported elsewhere; the
    // sitemap still lists the address only once.
    let mut seen = BTreeSet::new();
    urls.retain(|u| seen.insert(u.path.clone()));
    urls
}

/// When a challenge last changed: its newest amendment, else publication.
fn last_changed(c: &Challenge) -> &Moment {
    c.updates
        .iter()
        .map(|u| &u.date)
        .chain(std::iter::once(&c.published))
        .max_by_key(|m| m.zoned.timestamp())
        .unwrap_or(&c.published)
}

/// The sitemap files: one `sitemap.xml`, or an index of `sitemap-N.xml`
/// files of at most `max` URLs each.
fn write_sitemaps(ctx: &OutputContext<'_>, urls: &[Url<'_>], max: usize) -> Vec<Output> {
    if urls.len() <= max {
        return vec![Output {
            path: SITEMAP_PATH.into(),
            data: OutputData::Bytes(urlset(ctx, urls).into_bytes()),
        }];
    }
    let mut outputs = Vec::new();
    let mut index = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NAMESPACE}\">\n"
    );
    for (n, chunk) in urls.chunks(max.max(1)).enumerate() {
        let path = format!("{PART_PREFIX}{}{PART_SUFFIX}", n + 1);
        index.push_str(&format!(
            "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n",
            escape::xml(&ctx.permalink(&path))
        ));
        outputs.push(Output {
            path,
            data: OutputData::Bytes(urlset(ctx, chunk).into_bytes()),
        });
    }
    index.push_str("</sitemapindex>\n");
    outputs.insert(
        0,
        Output {
            path: SITEMAP_PATH.into(),
            data: OutputData::Bytes(index.into_bytes()),
        },
    );
    outputs
}

/// One `<urlset>` document.
fn urlset(ctx: &OutputContext<'_>, urls: &[Url<'_>]) -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{NAMESPACE}\">\n");
    for url in urls {
        // Slugs are ASCII already; encoding keeps `loc` a valid URL even if
        // a future page path is not.
        let loc = ctx.permalink(&encode_path(&url.path));
        out.push_str(&format!("  <url>\n    <loc>{}</loc>\n", escape::xml(&loc)));
        if let Some(m) = url.lastmod {
            // W3C Datetime, which RFC 3339 with an offset satisfies.
            out.push_str(&format!(
                "    <lastmod>{}</lastmod>\n",
                time::rfc3339(&m.zoned)
            ));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is named absolutely.
///
/// Crawlers only read `robots.txt` at the root of a host. When `base_url`
/// has a path, this file is only a template for the host's own file.
fn robots(ctx: &OutputContext<'_>) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        ctx.permalink(SITEMAP_PATH)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Site;
    use crate::model::{PageHtml, Strings};
    use std::path::Path;

    fn with_ctx<T>(f: impl FnOnce(&OutputContext<'_>) -> T) -> T {
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://example.se/u/\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        let site = Site::default();
        let strings = Strings::new();
        let html: Vec<std::sync::Arc<PageHtml>> = Vec::new();
        f(&OutputContext {
            config: &config,
            site: &site,
            html: &html,
            strings: &strings,
            strings_by_lang: &std::collections::BTreeMap::new(),
            now: "2023-08-25T08:00:00Z".parse().unwrap(),
        })
    }

    fn text(o: &Output) -> &str {
        match &o.data {
            OutputData::Bytes(b) => std::str::from_utf8(b).unwrap(),
            OutputData::Copy(_) => panic!("rendered, not copied"),
        }
    }

    #[test]
    fn an_empty_site_lists_its_fixed_pages() {
        with_ctx(|ctx| {
            let outputs = render(ctx);
            let sitemap = text(&outputs[0]);
            assert_eq!(outputs[0].path, "sitemap.xml");
            assert!(sitemap.contains("<loc>https://example.se/u/</loc>"));
            assert!(sitemap.contains("<loc>https://example.se/u/challenges/</loc>"));
            assert!(sitemap.contains("<loc>https://example.se/u/status/</loc>"));
            assert!(!sitemap.contains("lastmod"));
            assert_eq!(
                text(&outputs[1]),
                "User-agent: *\nAllow: /\n\nSitemap: https://example.se/u/sitemap.xml\n"
            );
        });
    }

    #[test]
    fn a_large_site_gets_an_index() {
        with_ctx(|ctx| {
            let urls = collect(ctx);
            // The home page, the list and the nine taxonomies.
            assert_eq!(urls.len(), 11);
            let outputs = write_sitemaps(ctx, &urls, 4);
            let paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
            assert_eq!(
                paths,
                [
                    "sitemap.xml",
                    "sitemap-1.xml",
                    "sitemap-2.xml",
                    "sitemap-3.xml"
                ]
            );
            let index = text(&outputs[0]);
            assert!(index.contains("<sitemapindex"));
            assert!(index.contains("<loc>https://example.se/u/sitemap-3.xml</loc>"));
            assert_eq!(text(&outputs[3]).matches("<url>").count(), 3);
        });
    }
}
