//! The paths the build writes itself, and the check that no file of the
//! site is published over them.
//!
//! Each kind of output says where it goes in one place that its producer
//! also writes to: the pages in [`super::pages::generated`], the feeds,
//! calendars, data and indexes in [`crate::output::generated`], the theme's
//! files in [`THEME_STATIC_DIR`]. A test renders a site with every kind of
//! output and fails when an output is written anywhere these do not name.

use std::collections::HashMap;
use std::path::Path;

use crate::config::Config;
use crate::content::{Page, PageKind, Site};
use crate::diagnostics::Diagnostic;
use crate::model::Lang;
use crate::model::Msg;
pub use crate::model::{Generated, Place};
use crate::msg;

/// The folder of the theme's own files (style sheet, script, icon) in the
/// output.
pub const THEME_STATIC_DIR: &str = crate::theme::ASSET_DIR;

/// Every path the build writes itself for `site`.
pub fn generated(config: &Config, site: &Site) -> Vec<Generated> {
    let mut all = super::pages::generated(config);
    all.extend(crate::output::generated(config, site));
    all.push(Generated::folder(
        THEME_STATIC_DIR,
        msg!(
            "temats filer (stilmall, skript, ikon)",
            "the theme's files (style sheet, script, icon)"
        ),
    ));
    all
}

/// The generated places of a site, indexed so that finding what a path
/// takes costs a few look-ups however many challenges (and so calendars)
/// there are.
struct Places<'a> {
    /// Generated files by path.
    files: HashMap<&'a str, &'a Generated>,
    /// Every folder that holds a generated file (`challenges/klimat`,
    /// without the last `/`), with one such file.
    folders_of_files: HashMap<&'a str, &'a Generated>,
    /// Whole folders and numbered files: a handful.
    others: Vec<&'a Generated>,
}

impl<'a> Places<'a> {
    fn new(generated: impl IntoIterator<Item = &'a Generated>) -> Places<'a> {
        let mut places = Places {
            files: HashMap::new(),
            folders_of_files: HashMap::new(),
            others: Vec::new(),
        };
        for g in generated {
            match &g.place {
                Place::File(path) => {
                    places.files.entry(path).or_insert(g);
                    for (i, _) in path.match_indices('/') {
                        places.folders_of_files.entry(&path[..i]).or_insert(g);
                    }
                }
                _ => places.others.push(g),
            }
        }
        places
    }

    /// The generated place that `out`, published by a source in `lang`,
    /// would take, if any (see [`Generated::takes`]).
    fn taken(&self, out: &str, lang: Lang) -> Option<&'a Generated> {
        let in_the_way = || {
            out.match_indices('/')
                .find_map(|(i, _)| self.files.get(&out[..i]).copied())
        };
        self.files
            .get(out)
            .copied()
            .or_else(in_the_way)
            .or_else(|| self.folders_of_files.get(out).copied())
            .or_else(|| self.others.iter().copied().find(|g| g.takes(out, lang)))
    }
}

/// The pages and files of `content/` that would be published where the
/// build writes something itself: one error each, naming the source and
/// the generated path. Without this, one of the two silently replaced the
/// other (`content/api/` mixed into the open data, `content/tags.md` over
/// the tag list, a file over `atom.xml`).
///
/// And the files of the site's `static/` folder, published at the output
/// root by their paths `static_rels`, that would take a generated path.
/// Every generated path is listed once for both.
pub fn find_collisions<'r>(
    config: &Config,
    site: &Site,
    static_rels: impl IntoIterator<Item = &'r str>,
) -> Vec<Diagnostic> {
    let generated = generated(config, site);
    let places = Places::new(&generated);
    let mut problems = content_collisions(config, site, &places);
    problems.extend(static_collisions(config, static_rels, &places));
    problems
}

/// The collisions of `content/` with `places`.
fn content_collisions(config: &Config, site: &Site, places: &Places<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &site.pages {
        // The home page's and the challenge list's texts are shown on
        // those generated pages: that is where they belong.
        if matches!(page.kind, PageKind::Home | PageKind::ChallengeList) {
            continue;
        }
        let out = format!("{}index.html", page.url_path);
        if let Some(g) = places.taken(&out, page.lang) {
            problems.push(page_collision(page, g));
        }
    }
    for asset in &site.assets {
        if let Some(g) = places.taken(&asset.out_path, config.language) {
            let shown = Path::new("content").join(&asset.rel);
            problems.push(
                Diagnostic::error(shown, collision_message(&asset.out_path, g))
                    .with_code(CODE)
                    .with_hint(collision_hint(
                        g,
                        msg!(
                            "byt namn på filen eller på mappen den ligger i",
                            "rename the file or the folder it is in"
                        ),
                    )),
            );
        }
    }
    problems
}

/// The collisions of the files of `static/`, by their paths `rels`, with
/// `places`: one error each.
fn static_collisions<'r>(
    config: &Config,
    rels: impl IntoIterator<Item = &'r str>,
    places: &Places<'_>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for rel in rels {
        let Some(g) = places.taken(rel, config.language) else {
            continue;
        };
        let hint = if rel.starts_with(THEME_STATIC_DIR) {
            let theme = &config.theme;
            msg!(
                "byt namn på filen eller flytta den; temats egna filer ligger i themes/{theme}/static/",
                "rename or move the file; a theme's own files go in themes/{theme}/static/"
            )
        } else {
            collision_hint(
                g,
                msg!(
                    "byt namn på filen eller flytta den",
                    "rename or move the file"
                ),
            )
        };
        problems.push(
            Diagnostic::error(Path::new("static").join(rel), collision_message(rel, g))
                .with_code(CODE)
                .with_hint(hint),
        );
    }
    problems
}

/// The code of every collision with a generated path.
const CODE: &str = "generated-address";

/// What is wrong with a source published as `out` over `g`.
fn collision_message(out: &str, g: &Generated) -> Msg {
    let out = format!("/{}", out.trim_end_matches("index.html"));
    let place = g.shown();
    let (sv, en) = (&g.what.sv, &g.what.en);
    match &g.place {
        _ if out == place => msg!(
            "den skulle publiceras som {out}, som bygget skriver själv: {sv}",
            "it would be published as {out}, which the build writes itself: {en}"
        ),
        Place::Folder(_) if out.starts_with(&place) => msg!(
            "den skulle publiceras som {out}, inne i {place}, som bygget fyller själv med {sv}",
            "it would be published as {out}, inside {place}, which the build fills itself with {en}"
        ),
        Place::Numbered { .. } => msg!(
            "den skulle publiceras som {out}, ett namn som bygget ger {sv} ({place})",
            "it would be published as {out}, a name the build gives to {en} ({place})"
        ),
        _ => msg!(
            "den skulle publiceras som {out}, i vägen för {place}, som bygget skriver själv: {sv}",
            "it would be published as {out}, in the way of {place}, which the build writes itself: {en}"
        ),
    }
}

/// How to fix a collision with `g`, when the general hint is not enough.
fn collision_hint(g: &Generated, general: Msg) -> Msg {
    match g.owner {
        Some(lang) => {
            let code = crate::config::lang_code(lang);
            let (sv, en) = (&general.sv, &general.en);
            msg!(
                "{sv}; en översättning är en fil bredvid originalet med ett namn som `om.{code}.md`",
                "{en}; a translation is a file beside its original named like `om.{code}.md`"
            )
        }
        None => general,
    }
}

/// The error for a page over a generated path: at its `slug` when it has
/// one (the likeliest cause), else at the file.
fn page_collision(page: &Page, g: &Generated) -> Diagnostic {
    let message = collision_message(&page.url_path, g);
    let d = Diagnostic::error(&page.source, message).with_code(CODE);
    let slug = crate::content::frontmatter::fields_of(&page.text).and_then(|(fields, offset)| {
        let span = fields.value(&[crate::content::frontmatter::Step::Key("slug")])?;
        Some(span.shifted(offset))
    });
    match slug {
        Some(span) => d
            .with_field("slug")
            .with_hint(msg!("välj en annan `slug`", "choose another `slug`"))
            .at_span(&page.text, span),
        None => d.with_hint(collision_hint(
            g,
            msg!(
                "byt namn på filen eller mappen, eller ange en `slug` för sidan",
                "rename the file or its folder, or set a `slug` for the page"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_taken_by_itself_by_what_is_inside_it_and_by_a_file_in_its_way() {
        let feed = Generated::file("atom.xml", Msg::new("Atom-flödet", "the Atom feed"));
        assert!(feed.takes("atom.xml", Lang::Sv));
        assert!(feed.takes("atom.xml/index.html", Lang::Sv));
        assert!(!feed.takes("atom-xml/index.html", Lang::Sv));
        let data = Generated::file("api/ocds.json", Msg::new("öppna data", "open data"));
        assert!(data.takes("api", Lang::Sv));
        assert!(!data.takes("ap", Lang::Sv));
        let tags = Generated::folder("tags/", crate::content::Taxonomy::Tags.pages_name());
        assert!(tags.takes("tags/index.html", Lang::Sv));
        assert!(tags.takes("tags/x/y.pdf", Lang::Sv));
        assert!(tags.takes("tags", Lang::Sv));
        assert!(!tags.takes("tagsx/index.html", Lang::Sv));
        let english = Generated {
            owner: Some(Lang::En),
            ..Generated::folder("en/", Msg::new("de engelska sidorna", "the English pages"))
        };
        assert!(english.takes("en/om/index.html", Lang::Sv));
        assert!(!english.takes("en/om/index.html", Lang::En));
        let parts = Generated {
            place: Place::Numbered {
                prefix: "sitemap-",
                suffix: ".xml",
            },
            what: Msg::new("webbplatskartan", "the sitemap"),
            owner: None,
        };
        assert!(parts.takes("sitemap-12.xml", Lang::Sv));
        assert!(!parts.takes("sitemap-.xml", Lang::Sv));
        assert!(!parts.takes("sitemap-a.xml", Lang::Sv));
        assert_eq!(parts.shown(), "/sitemap-N.xml");
    }

    #[test]
    fn a_collision_is_told_in_both_languages() {
        let feed = Generated::file("atom.xml", Msg::new("Atom-flödet", "the Atom feed"));
        let m = collision_message("atom.xml", &feed);
        assert_eq!(
            m.get(Lang::Sv),
            "den skulle publiceras som /atom.xml, som bygget skriver själv: Atom-flödet"
        );
        assert_eq!(
            m.get(Lang::En),
            "it would be published as /atom.xml, which the build writes itself: the Atom feed"
        );
        let english = Generated {
            owner: Some(Lang::En),
            ..Generated::folder("en/", Msg::new("de engelska sidorna", "the English pages"))
        };
        let m = collision_message("en/om/index.html", &english);
        assert_eq!(
            m.get(Lang::Sv),
            "den skulle publiceras som /en/om/, inne i /en/, som bygget fyller själv med de engelska sidorna"
        );
        let hint = collision_hint(&english, Msg::new("byt namn", "rename"));
        assert_eq!(
            hint.get(Lang::Sv),
            "byt namn; en översättning är en fil bredvid originalet med ett namn som `om.en.md`"
        );
        assert_eq!(
            hint.get(Lang::En),
            "rename; a translation is a file beside its original named like `om.en.md`"
        );
    }

    /// Every output of a site with every kind of output (the sample portal:
    /// two languages, challenges with documents, every taxonomy) is either
    /// a page or file of the site or a place [`generated`] names. A new
    /// output written anywhere else fails here, so the list cannot drift
    /// from what is really written.
    #[test]
    fn every_generated_output_is_named() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = crate::BuildOptions {
            root: root.to_path_buf(),
            output: None,
            base_url: None,
            now: crate::time::parse_now("2023-07-01T12:00:00+02:00").expect("a clock"),
            fixed_clock: true,
            drafts: false,
        };
        let config = Config::load(root).expect("the sample's settings");
        let (site, _) = crate::content::load(
            root,
            &config,
            crate::content::LoadOptions {
                now: options.now,
                drafts: false,
            },
        );
        let (outputs, _, _) = crate::render(&options).expect("the sample builds");
        let generated = generated(&config, &site);
        // A language's folder holds that language's pages, generated or
        // not, so it names nothing by itself here.
        let places = Places::new(generated.iter().filter(|g| g.owner.is_none()));
        let from_site: std::collections::HashSet<String> = site
            .pages
            .iter()
            .filter(|p| !matches!(p.kind, PageKind::Home | PageKind::ChallengeList))
            .map(|p| format!("{}index.html", p.url_path))
            .chain(site.assets.iter().map(|a| a.out_path.clone()))
            .collect();
        let mut unnamed = Vec::new();
        for output in &outputs {
            if from_site.contains(&output.path) {
                continue;
            }
            if places.taken(&output.path, config.language).is_none() {
                unnamed.push(output.path.clone());
            }
        }
        assert!(
            unnamed.is_empty(),
            "written but not named in generated(): {unnamed:?}"
        );
        // The sample has both languages, challenges and every taxonomy, so
        // each kind of place is really written to.
        // The list's later pages exist only on a list longer than a page;
        // the sample's four challenges fit on one (the integration test
        // `paging` builds a longer one).
        for g in generated.iter().filter(|g| {
            !matches!(g.place, Place::Numbered { .. })
                && !g.shown().ends_with(&format!("/{}", crate::view::PAGE_DIR))
        }) {
            assert!(
                outputs
                    .iter()
                    .any(|o| g.takes(&o.path, config.language) && !from_site.contains(&o.path)),
                "{} ({}) is named but nothing is written there",
                g.shown(),
                g.what
            );
        }
    }
}
