//! The variables every page gets: the same on every page of a language
//! ([`Globals`]) and the page's own ([`PageVars`]).

use serde::Serialize;

use super::Strings;

/// Variables every template gets, the same on every page of a language.
#[derive(Debug, Serialize, Hash)]
pub struct Globals<'a> {
    /// The site's settings and addresses.
    pub site: SiteView<'a>,
    /// The page's language: `sv`, `en`.
    pub lang: &'static str,
    /// The theme's UI strings in the page's language, by key
    /// (`t.deadline`, `t["status_closing-soon"]`), from `i18n/<lang>.toml`.
    pub t: &'a Strings,
    /// The feeds and data files to link to.
    pub feeds: Feeds,
    /// The list of all challenges in the page's language.
    pub list_url: String,
    /// Every plain page of the language (menu or not), by `weight` and
    /// title, for the footer.
    pub footer_pages: &'a [NavLink],
    /// The accessibility statement (a plain page whose file name starts
    /// with `tillganglighet` or `accessibility`); empty when there is none.
    pub accessibility_url: String,
}

/// `site`: the site's settings and addresses.
#[derive(Debug, Serialize, Hash)]
pub struct SiteView<'a> {
    /// `title` of `site.toml`.
    pub title: &'a str,
    /// `description` of `site.toml`.
    pub description: &'a str,
    /// The absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// The path of the base URL, starting and ending in `/`: prefix of
    /// every address in the theme (`{{ site.base_path }}static/style.css`).
    pub base_path: &'a str,
    /// The home page of the page's language.
    pub home_url: String,
    /// The site's main language.
    pub lang: &'static str,
    /// The site's time zone (IANA name).
    pub timezone: &'a str,
    /// Days before a deadline a challenge counts as closing soon.
    pub closing_soon_days: i64,
    /// Whether the build clock was chosen (`--now`): the page's script then
    /// keeps to it instead of the reader's clock (`clock` in
    /// static/utlys.js).
    pub fixed_clock: bool,
    /// When the site was built (the build clock, whole seconds).
    pub built_at: BuiltAt,
    /// The site's Atom feed in the main language.
    pub feed_url: String,
    /// The calendar of every deadline and meeting.
    pub calendar_url: String,
    /// The same calendar as a `webcal://` address, for subscribing.
    pub calendar_webcal: String,
    /// `api/challenges.json`.
    pub data_url: String,
    /// `api/ocds.json`, empty when the site has no `ocid_prefix` (no
    /// OCDS is written then).
    pub ocds_url: String,
    /// The theme's script, `static/utlys.js`.
    pub script_url: String,
}

/// `site.built_at`: the build clock in the site's time zone.
#[derive(Debug, Serialize, Hash)]
pub struct BuiltAt {
    /// RFC 3339, for `<time datetime>`.
    pub rfc3339: String,
    /// In words in the page's language.
    pub display: String,
}

/// `feeds`: what to subscribe to and harvest.
#[derive(Debug, Serialize, Hash)]
pub struct Feeds {
    /// The Atom feed of the page's language.
    pub atom: String,
    /// The address that follows that feed by e-mail (see [`FeedLink`]);
    /// empty when the site has no `follow_email_url`.
    pub atom_email: String,
    /// The calendar of every deadline and meeting.
    pub calendar: String,
    /// `api/challenges.json`.
    pub json: String,
    /// `api/ocds.json`, empty when the site has no `ocid_prefix`.
    pub ocds: String,
}

/// The feed of one challenge or one term, as its page links to it
/// (`challenge.feed`, `feed` on a term page).
#[derive(Debug, Serialize, Hash)]
pub struct FeedLink {
    /// The feed's address from the site root
    /// (`/challenges/klimat/atom.xml`).
    pub url: String,
    /// The address that follows the feed by e-mail: the site's
    /// `follow_email_url` with the feed's absolute address, percent-encoded,
    /// in place of `{feed}`; empty when the site has none.
    pub email_url: String,
}

impl FeedLink {
    /// The link to the feed at output path `path`.
    pub fn new(config: &crate::config::Config, path: &str) -> FeedLink {
        FeedLink {
            url: format!("{}{path}", config.base_path),
            email_url: config.follow_email(&format!("{}{path}", config.base_url)),
        }
    }
}

/// A link to a page: an entry of `footer_pages`, and of the menu.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct NavLink {
    /// The page's title.
    pub title: String,
    /// Its address.
    pub url: String,
    /// Its language.
    pub lang: &'static str,
}

/// Variables of every page that are its own.
#[derive(Debug, Serialize)]
pub struct PageVars<'a> {
    /// The menu: the list of all challenges, then the plain pages with
    /// `menu: true`, by `weight` and title.
    pub nav: Vec<NavItem<'a>>,
    /// The page's address from the site root.
    pub page_url: &'a str,
    /// The page's absolute address.
    pub permalink: String,
    /// The page's title, for `<title>`.
    pub title: &'a str,
    /// The page's description, for `<meta name="description">`; may be
    /// empty.
    pub description: &'a str,
    /// The page in every language, this one included (`current`); empty on
    /// a site of one language, so the theme shows no language switch.
    pub alternates: &'a [Alternate],
    /// The same list as `alternates`.
    pub translations: &'a [Alternate],
}

/// An entry of the menu.
#[derive(Debug, Serialize)]
pub struct NavItem<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its address.
    pub url: &'a str,
    /// Its language.
    pub lang: &'static str,
    /// Whether it is the page being rendered.
    pub current: bool,
}

impl<'a> NavItem<'a> {
    /// The menu entry of `link` on the page at `page_url`.
    pub fn new(link: &'a NavLink, page_url: &str) -> NavItem<'a> {
        NavItem {
            title: &link.title,
            url: &link.url,
            lang: link.lang,
            current: link.url == page_url,
        }
    }
}

/// The page in one language.
#[derive(Debug, Serialize)]
pub struct Alternate {
    /// The language: `sv`.
    pub lang: &'static str,
    /// The language's name in that language: `Svenska`.
    pub name: &'static str,
    /// The page's address in it.
    pub url: String,
    /// The same, absolute.
    pub permalink: String,
    /// Whether it is the language of the page being rendered.
    pub current: bool,
}
