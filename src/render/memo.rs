//! What one render leaves for the next, so that rendering a site again after
//! a small change renders only what the change reaches (`utlys serve`).
//!
//! Every page of a site being previewed has a *version*: a number that stays
//! the same for as long as the page's file and what was derived from it
//! (address, documents) stay the same, and is new otherwise. Markdown is
//! rendered again only for pages with a new version (or when the addresses
//! links resolve to changed). Every output of the page renderer carries a
//! *fingerprint* of everything its template reads: the theme, the site-wide
//! variables, its own fields and the versions of the pages it shows. An
//! output whose fingerprint is the one it had last time is not rendered
//! again: its bytes would be the same.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Counts;
use super::context::{PageHtml, Taxonomy};
use crate::diagnostics::Diagnostic;
use crate::markdown::{AnchorRef, Links};
use crate::model::Lang;

/// A number no other version of anything in this process has had.
pub fn fresh_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Builds a fingerprint from the parts an output depends on.
#[derive(Default)]
pub struct Fingerprint(DefaultHasher);

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    /// Adds a part.
    pub fn with<T: Hash + ?Sized>(mut self, part: &T) -> Fingerprint {
        part.hash(&mut self.0);
        self
    }

    /// Adds a JSON value, by its text.
    pub fn json(self, value: &serde_json::Value) -> Fingerprint {
        self.with(&value.to_string())
    }

    /// Adds a template value: the same for equal values, whatever order
    /// their maps hold their keys in.
    pub fn value(mut self, value: &tera::Value) -> Fingerprint {
        hash_value(value, &mut self.0);
        self
    }

    /// The fingerprint of the parts added.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

fn hash_value(value: &tera::Value, hasher: &mut DefaultHasher) {
    value.name().hash(hasher);
    value.is_safe().hash(hasher);
    if let Some(map) = value.as_map() {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.len().hash(hasher);
        for (key, item) in entries {
            key.hash(hasher);
            hash_value(item, hasher);
        }
    } else if let Some(items) = value.as_array() {
        items.len().hash(hasher);
        for item in items {
            hash_value(item, hasher);
        }
    } else {
        // Scalars: their text, told apart by their kind above.
        value.to_string().hash(hasher);
    }
}

/// One page's Markdown as rendered, with what the checks across pages need.
#[derive(Debug)]
pub struct MarkdownEntry {
    /// The version of the page it was rendered from.
    pub(crate) version: u64,
    /// The HTML of each Markdown field.
    pub(crate) html: Arc<PageHtml>,
    /// Stays the same while `html` does, even when the page changed.
    pub(crate) html_version: u64,
    /// The ids of the page's headings.
    pub(crate) anchors: Vec<String>,
    /// Its links to headings on other pages.
    pub(crate) anchor_refs: Vec<AnchorRef>,
    /// Problems found in its Markdown.
    pub(crate) problems: Vec<Diagnostic>,
}

/// The Markdown of every page as last rendered, and the addresses its links
/// were resolved against.
#[derive(Debug, Default)]
pub struct MarkdownMemo {
    pub(crate) links: Links,
    pub(crate) sanitize: bool,
    /// By the page's `rel`.
    pub(crate) pages: HashMap<String, Arc<MarkdownEntry>>,
}

/// What the last good render of the pages left: the fingerprint of each
/// output and each challenge card, rendered, and what every page of a
/// language shares.
#[derive(Debug, Default, Clone)]
pub struct PageMemo {
    /// Output path → the fingerprint it was rendered with.
    pub(crate) outputs: HashMap<String, u64>,
    /// (language, page `rel`) → the card, rendered.
    pub(crate) cards: HashMap<(Lang, String), Card>,
    /// Fingerprint of the templates, the settings and the clock.
    pub(crate) base: u64,
    /// What the pages of each language share.
    pub(crate) langs: Vec<LangMemo>,
    /// What the render counted.
    pub(crate) counts: Counts,
    /// Page key → where it is published in each language: `(lang, url_path)`.
    pub(crate) translations: HashMap<String, Vec<(Lang, String)>>,
    /// Only the outputs and cards a render of a few pages changed, to be
    /// [merged](PageMemo::merge) into the last memo.
    pub(crate) partial: bool,
}

impl PageMemo {
    /// Takes in what a render of a few pages left, or all a full render
    /// left; gives back the memo the latter replaces, for the caller to let
    /// go of when it suits (freeing every card takes a while).
    pub fn merge(&mut self, next: PageMemo) -> Option<PageMemo> {
        if next.partial {
            self.outputs.extend(next.outputs);
            self.cards.extend(next.cards);
            None
        } else {
            Some(std::mem::replace(self, next))
        }
    }
}

/// What every page of one language shares.
#[derive(Debug, Clone)]
pub struct LangMemo {
    pub(crate) lang: Lang,
    /// Fingerprint of the memo's `base`, the language and `globals`.
    pub(crate) base: u64,
    /// The site-wide template variables.
    pub(crate) globals: tera::Context,
    /// The menu.
    pub(crate) nav: Vec<serde_json::Value>,
}

/// A challenge's card as lists show it, with its HTML.
#[derive(Debug, Clone)]
pub struct Card {
    /// Fingerprint of the page it was made from.
    pub(crate) source: u64,
    /// Fingerprint of the card's content: what the lists showing it depend on.
    pub(crate) content: u64,
    /// Fingerprint of what places the challenge in a list.
    pub(crate) order: u64,
    /// The card.
    pub(crate) value: tera::Value,
    /// The taxonomy terms the challenge is filed under: (taxonomy, slug, name).
    pub(crate) terms: Arc<Vec<(Taxonomy, String, String)>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_parts_and_their_order_apart() {
        let ab = Fingerprint::new().with("a").with("b").finish();
        assert_eq!(ab, Fingerprint::new().with("a").with("b").finish());
        assert_ne!(ab, Fingerprint::new().with("b").with("a").finish());
        assert_ne!(ab, Fingerprint::new().with("ab").finish());
    }

    #[test]
    fn versions_are_never_handed_out_twice() {
        let a = fresh_version();
        let b = fresh_version();
        assert_ne!(a, b);
    }

    #[test]
    fn template_values_are_fingerprinted_by_content_not_by_map_order() {
        let fp = |v: &tera::Value| Fingerprint::new().value(v).finish();
        let map = |entries: &[(&'static str, tera::Value)]| {
            let mut m = tera::Map::default();
            for (k, v) in entries {
                m.insert(tera::value::Key::Str(k), v.clone());
            }
            tera::Value::from(m)
        };
        let (a, b) = (tera::Value::from("a"), tera::Value::from(1u64));
        let ab = map(&[("x", a.clone()), ("y", b.clone())]);
        let ba = map(&[("y", b.clone()), ("x", a.clone())]);
        assert_eq!(fp(&ab), fp(&ba));
        // A number and the same digits as text differ, as do safe and
        // escaped text, and a key moved into a nested map.
        assert_ne!(fp(&tera::Value::from("1")), fp(&b));
        assert_ne!(fp(&a), fp(&tera::Value::safe_string("a")));
        assert_ne!(fp(&ab), fp(&map(&[("x", a.clone())])));
        assert_ne!(
            fp(&ab),
            fp(&map(&[("x", map(&[("y", b.clone())])), ("y", b)]))
        );
        assert_ne!(
            fp(&tera::Value::from(vec![a.clone(), tera::Value::none()])),
            fp(&tera::Value::from(vec![a]))
        );
    }
}
