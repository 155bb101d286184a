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
    /// every address in the theme (`{{ site.base_path }}challenges/`); the
    /// theme's own files are named through `asset(path="…")`.
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
    /// The theme's script, `static/utlys.js`, under its hashed name (as
    /// `asset(path="utlys.js")` gives it); empty when the theme has none.
    pub script_url: String,
    /// The city's logo, colour, name and contact details (`[brand]` of
    /// `site.toml`); absent (`none`) when the site has none.
    pub brand: Option<BrandView<'a>>,
}

/// `site.brand`: what `[brand]` in `site.toml` puts on every page.
#[derive(Debug, Serialize, Hash)]
pub struct BrandView<'a> {
    /// The brand's style sheet (its colours as custom properties, the
    /// layout of the logo), to link after the theme's.
    pub css_url: String,
    /// The logo, if any.
    pub logo: Option<LogoView<'a>>,
    /// The organisation's name; may be empty.
    pub organisation: &'a str,
    /// The contact block of the footer.
    pub footer: FooterView<'a>,
}

/// `site.brand.logo`.
#[derive(Debug, Serialize, Hash)]
pub struct LogoView<'a> {
    /// Its address.
    pub url: String,
    /// Its text alternative.
    pub alt: &'a str,
    /// The width to show it at, with `height` in the file's shape: set on
    /// the `<img>` so nothing moves while it loads.
    pub width: u32,
    /// See `width`.
    pub height: u32,
}

/// `site.brand.footer`: how to reach the organisation; empty strings for
/// what is not given.
#[derive(Debug, Serialize, Hash)]
pub struct FooterView<'a> {
    /// Whether any of the fields below is given.
    pub any: bool,
    /// Postal or visiting address.
    pub address: &'a str,
    /// Phone number as written.
    pub phone: &'a str,
    /// The same for a `tel:` link: digits and a leading `+`.
    pub phone_uri: String,
    /// E-mail address.
    pub email: &'a str,
    /// Organisation number.
    pub org_number: &'a str,
    /// Links such as the main site and the privacy page.
    pub links: Vec<BrandLinkView<'a>>,
}

/// A link of the footer's contact block.
#[derive(Debug, Serialize, Hash)]
pub struct BrandLinkView<'a> {
    /// Its text.
    pub title: &'a str,
    /// Its address.
    pub url: &'a str,
}

impl<'a> BrandView<'a> {
    /// The view of `brand` on a site whose addresses start with `base_path`.
    pub fn new(brand: &'a crate::brand::Brand, base_path: &str) -> BrandView<'a> {
        let f = &brand.footer;
        let mut phone_uri: String = f.phone.chars().filter(char::is_ascii_digit).collect();
        if f.phone.starts_with('+') {
            phone_uri.insert(0, '+');
        }
        BrandView {
            css_url: format!("{base_path}{}", crate::brand::css_path(brand)),
            logo: brand.logo.as_ref().map(|logo| {
                let (width, height) = logo.shown_size();
                LogoView {
                    url: format!("{base_path}{}", crate::escape::encode_path(&logo.out)),
                    alt: &logo.alt,
                    width,
                    height,
                }
            }),
            organisation: &brand.organisation,
            footer: FooterView {
                any: !(f.address.is_empty()
                    && f.phone.is_empty()
                    && f.email.is_empty()
                    && f.org_number.is_empty()
                    && f.links.is_empty()),
                address: &f.address,
                phone: &f.phone,
                phone_uri,
                email: &f.email,
                org_number: &f.org_number,
                links: f
                    .links
                    .iter()
                    .map(|l| BrandLinkView {
                        title: &l.title,
                        url: &l.url,
                    })
                    .collect(),
            },
        }
    }
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
#[derive(Debug, Clone, Serialize, Hash)]
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
    /// What the page tells a site it is shared on (Open Graph and Twitter
    /// card tags).
    pub share: Share,
}

/// `share`: how a page presents itself when a link to it is shared.
#[derive(Debug, Serialize)]
pub struct Share {
    /// `og:type`: `article` for a challenge, else `website`.
    pub kind: &'static str,
    /// `og:locale` of the page's language: `sv_SE`, `en_GB`.
    pub locale: &'static str,
    /// `og:locale:alternate`: the locales of the page's other languages.
    pub locale_alternates: Vec<&'static str>,
    /// The picture shown with the link, if the page has one.
    pub image: Option<ShareImage>,
    /// `twitter:card`: `summary_large_image` with a picture, else
    /// `summary`.
    pub card: &'static str,
}

/// A picture shown with a shared link.
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    /// Its absolute address.
    pub url: String,
    /// Its text alternative; may be empty.
    pub alt: String,
}

impl Share {
    /// The sharing tags of a page in language `lang` (`sv`, `en`), with its
    /// other languages `alternates` and its picture.
    pub fn new(
        article: bool,
        lang: &str,
        alternates: &[Alternate],
        image: Option<ShareImage>,
    ) -> Share {
        Share {
            kind: if article { "article" } else { "website" },
            locale: og_locale(lang),
            locale_alternates: alternates
                .iter()
                .filter(|a| a.lang != lang)
                .map(|a| og_locale(a.lang))
                .collect(),
            card: if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            },
            image,
        }
    }
}

/// The Open Graph locale of a language code: `sv_SE`, `en_GB`.
pub fn og_locale(lang: &str) -> &'static str {
    match lang {
        "en" => "en_GB",
        _ => "sv_SE",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn alternate(lang: &'static str) -> Alternate {
        Alternate {
            lang,
            name: "",
            url: String::new(),
            permalink: String::new(),
            current: false,
        }
    }

    #[test]
    fn a_challenge_with_a_picture_is_a_large_card_naming_the_other_language() {
        let image = ShareImage {
            url: "https://example.se/a.png".into(),
            alt: "A".into(),
        };
        let both = [alternate("sv"), alternate("en")];
        let share = Share::new(true, "sv", &both, Some(image));
        assert_eq!(share.kind, "article");
        assert_eq!(share.locale, "sv_SE");
        assert_eq!(share.locale_alternates, ["en_GB"]);
        assert_eq!(share.card, "summary_large_image");
        let plain = Share::new(false, "en", &[], None);
        assert_eq!(
            (plain.kind, plain.locale, plain.card),
            ("website", "en_GB", "summary")
        );
        assert!(plain.locale_alternates.is_empty());
    }
}
