//! The template contract: every variable a theme's templates get, as typed
//! views. A theme author reads this module to learn what a template can use;
//! the field documentation of each view is that contract.
//!
//! | template | variables |
//! |---|---|
//! | every one | [`Globals`] (`site`, `lang`, `t`, `feeds`, `list_url`, `footer_pages`, `accessibility_url`) and [`PageVars`] (`nav`, `page_url`, `permalink`, `title`, `description`, `alternates`, `translations`, `share`) |
//! | `index.html` | [`HomeVars`]: `intro`, `counts`, `open`, `upcoming`, `closed`, `upcoming_url`, `archive_url` |
//! | `list.html` | [`ListVars`]: `intro`, `challenges`, `paging`, `filters`, `search_index_url` |
//! | `challenge.html` | `challenge`: the fields of [`Card`] and of [`ChallengeDetails`] |
//! | `page.html` | `page`: [`PlainPage`] |
//! | `taxonomy.html` | [`TaxonomyVars`]: `taxonomy` |
//! | `term.html` | [`TermVars`]: `taxonomy`, `term`, `challenges`, `paging`, `feed` |
//! | `embed.html` | [`EmbedVars`]: `challenges` (open, then upcoming; at most `paginate`), `total` |
//! | `404.html` | nothing more |
//! | `challenge_card.html` | the globals, `item` (a [`Card`]) and `heading_level` (2 or 3) |
//!
//! Every template can also call `asset(path="style.css")`: the address of
//! a file of the theme's `static/` folder as published, under a name with
//! a hash of its bytes (`/static/style.3f2a9c1e.css`), so a server may keep
//! it for a year (see [`crate::theme::assets`]). A theme names its style
//! sheet, scripts, fonts and icons only this way; a literal path the theme
//! does not have stops the build (code `missing-asset`).
//!
//! Lists of challenges (`open`, `challenges`, …) hold [`Card`]s with their
//! [`CardHtml`]. Views become template values through
//! `tera::Value::from_serializable` ([`value`]): Tera's own serializer
//! makes a struct's fields map keys without allocating them and copies each
//! string once, which is what building the maps by hand cost too. Views
//! built once (cards, taxonomies, the globals) are shared by every page that
//! shows them.

mod card;
mod challenge;
mod moment;
mod page;
mod paging;
mod templates;

use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::model::Lang;
use crate::time::Timestamp;

pub use crate::content::{Taxonomy, list_order, stage_label, status_label};
pub use crate::escape::encode_path;
pub use crate::model::{PAGE_DIR, page_path, split};
pub use crate::model::{PageHtml, Strings, t};
pub use card::{Card, CardHtml, FilterTerms, Label, TermLink, ValueView, card};
pub use challenge::{
    AskView, ChallengeDetails, ChangeView, ContactView, CpvView, DocumentView, EventView, FactView,
    NoticeView, PhaseView, QuestionView, RelatedLink, RespondView, UpdateView, challenge,
};
pub use moment::MomentView;
pub use page::{
    Alternate, BrandLinkView, BrandView, BuiltAt, FeedLink, Feeds, FooterView, Globals, LogoView,
    NavItem, NavLink, PageVars, Share, ShareImage, SiteView, og_locale,
};
pub use paging::{PageLink, Paging};
pub use templates::{
    EmbedVars, Filter, HomeCounts, HomeVars, ListVars, PlainPage, Shared, TaxonomyVars,
    TaxonomyView, TermCount, TermVars, Var,
};

/// Everything the challenge context needs besides the challenge.
pub struct Env<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// UI strings of the page's language.
    pub strings: &'a Strings,
    /// The page language.
    pub lang: Lang,
    /// The build clock.
    pub now: Timestamp,
    /// The language's folder: `""` or `en/`.
    pub prefix: String,
}

impl Env<'_> {
    /// Root-relative URL (with the base path) of output folder `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// Absolute URL of output folder `path`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// URL of a taxonomy term page.
    pub fn term_url(&self, taxonomy: Taxonomy, slug: &str) -> String {
        self.url(&format!("{}{}/{slug}/", self.prefix, taxonomy.key()))
    }
}

/// A view as a template value. The views are structs of strings, numbers,
/// booleans, options and lists, with their field names as keys, which Tera's
/// serializer always takes; a failure would be a view this module got wrong.
pub fn value<T: Serialize + ?Sized>(view: &T) -> tera::Value {
    tera::Value::from_serializable(view)
}

/// Adds the fields of `view` (a struct) to `ctx` as variables, each under
/// its field name.
pub fn insert_fields<T: Serialize + ?Sized>(ctx: &mut tera::Context, view: &T) {
    let Some(fields) = value(view).into_map() else {
        return;
    };
    for (key, field) in fields {
        match key {
            tera::value::Key::Str(name) => ctx.insert_value(name, field),
            other => ctx.insert_value(other.to_string(), field),
        }
    }
}

/// Object `value` with the entries of `extra` added.
pub fn with_entries(value: tera::Value, extra: tera::Map) -> tera::Value {
    let mut map = value.into_map().unwrap_or_default();
    map.extend(extra);
    tera::Value::from(map)
}

/// JSON that cannot end a `<script>` element or open a comment: `<`, `>`
/// and `&` are written as `\u` escapes, which JSON parsers read back as is.
pub fn script_safe_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A file size as people write it: "240 kB", "1,2 MB" (sv) / "1.2 MB" (en).
pub fn format_size(bytes: u64, lang: Lang) -> String {
    let (value, unit) = match bytes {
        0..1_000 => return format!("{bytes} B"),
        1_000..1_000_000 => (bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => (bytes as f64 / 1e6, "MB"),
        _ => (bytes as f64 / 1e9, "GB"),
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = match lang {
        Lang::Sv => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text}\u{a0}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(240_000, Lang::Sv), "240\u{a0}kB");
        assert_eq!(format_size(1_234_567, Lang::Sv), "1,2\u{a0}MB");
        assert_eq!(format_size(1_234_567, Lang::En), "1.2\u{a0}MB");
        assert_eq!(format_size(12, Lang::En), "12 B");
    }

    #[test]
    fn json_for_scripts_cannot_close_the_element() {
        let v = json!({ "t": "</script><!-- & \u{2028}" });
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
