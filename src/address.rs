//! Whether an address a writer typed is one a browser can follow.
//!
//! A field such as `respond.url` ends up as the `href` of the main button
//! of a challenge, in the feeds and in open data. Browsers read anything
//! there without complaint: `www.example.se` becomes a path under the
//! portal, `https//example.se` too, and an address with a space is cut at
//! the space. Each such mistake is named here with the corrected address,
//! so the writer can copy it, rather than published as a broken link.
//! [`check_field`] is the rule for front-matter fields and settings;
//! [`check_markdown`] finds the same typing mistakes in Markdown links,
//! whose other forms (relative paths, `@/` links) the renderer resolves.

use crate::diagnostics::{Msg, edit_distance};

/// The kind of problem every mistake here is reported with.
pub const CODE: &str = "invalid-url";

/// Which schemes a field accepts besides `https:` and `http:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allowed {
    /// `mailto:` links (the answer may be sent by e-mail).
    pub mailto: bool,
    /// `tel:` links.
    pub tel: bool,
}

impl Allowed {
    /// Web addresses only.
    pub const WEB: Allowed = Allowed {
        mailto: false,
        tel: false,
    };
    /// Web addresses, `mailto:` and `tel:`.
    pub const ANY: Allowed = Allowed {
        mailto: true,
        tel: true,
    };
}

/// What is wrong with an address and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: Msg,
    /// How to fix it, with the corrected address when there is one.
    pub hint: Msg,
}

/// Schemes that run code or carry a document in the link itself: never
/// a link on a public page.
const REFUSED: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// Top-level domains that make a first path part look like a host name
/// (`example.se/rfi`): the ones a Swedish portal links to most.
const LIKELY_DOMAINS: [&str; 9] = ["se", "com", "org", "net", "eu", "nu", "io", "info", "gov"];

/// The problem with the address `value` (already trimmed, not empty, and
/// without control characters, which the text check names) in a field
/// that accepts `allowed`, or `None` when a browser follows it as meant:
/// `https://` or `http://` with a host, an allowed `mailto:`/`tel:`, or a
/// path inside the site from its root (`/om/`).
///
/// A relative path (`svar.html`) is refused in a field: the value is
/// shown on many pages (the challenge, the lists, the feeds, open data),
/// and a relative path means a different place on each. A file beside a
/// challenge is listed with `file:` under `documents`.
pub fn check_field(value: &str, allowed: Allowed) -> Option<Problem> {
    if let Some(p) = common_mistake(value, allowed) {
        return Some(p);
    }
    if let Some((scheme, rest)) = split_scheme(value) {
        return check_scheme(value, &scheme.to_ascii_lowercase(), rest, allowed);
    }
    if value.starts_with('/') {
        return None;
    }
    Some(Problem {
        message: crate::msg!(
            "`{value}` är inte en fullständig adress",
            "`{value}` is not a complete address"
        ),
        hint: crate::msg!(
            "skriv hela adressen med `https://` först, eller en sökväg i portalen som börjar med `/`; en fil bredvid utmaningen listas med `file:` under `documents`",
            "write the whole address starting with `https://`, or a path in the portal starting with `/`; a file beside the challenge is listed with `file:` under `documents`"
        ),
    })
}

/// The typing mistake in the destination of a Markdown link, if it has
/// one of those [`check_field`] names with a correction: a bare `www.`,
/// a misspelt `https://`, an e-mail address without `mailto:`, a space.
/// Everything else (relative paths, schemes) the renderer decides.
pub fn check_markdown(dest: &str) -> Option<Problem> {
    common_mistake(dest, Allowed::ANY)
}

/// The mistakes that are the same in fields and in Markdown.
fn common_mistake(value: &str, allowed: Allowed) -> Option<Problem> {
    if let Some((scheme, _)) = split_scheme(value) {
        let scheme = scheme.to_ascii_lowercase();
        if REFUSED.contains(&scheme.as_str()) {
            return Some(Problem {
                message: crate::msg!(
                    "adresser som börjar med `{scheme}:` är inte tillåtna i en länk",
                    "addresses starting with `{scheme}:` are not allowed in a link"
                ),
                hint: crate::msg!(
                    "en sådan länk kör kod eller bär ett helt dokument i sig; länka till en webbsida med `https://`",
                    "such a link runs code or carries a whole document in itself; link to a web page with `https://`"
                ),
            });
        }
    }
    if let Some(fixed) = fixed_scheme(value) {
        return Some(Problem {
            message: crate::msg!(
                "`{value}` har en felstavad början",
                "`{value}` has a misspelt start"
            ),
            hint: crate::msg!("skriv `{fixed}`", "write `{fixed}`"),
        });
    }
    if let Some(p) = breaking_character(value) {
        return Some(p);
    }
    if looks_like_host(value) {
        let fixed = format!("https://{value}");
        return Some(Problem {
            message: crate::msg!(
                "`{value}` saknar `https://` och blir därför en sökväg inne i portalen",
                "`{value}` lacks `https://`, so it becomes a path inside the portal"
            ),
            hint: crate::msg!(
                "lägg till `https://` först: `{fixed}`",
                "add `https://` in front: `{fixed}`"
            ),
        });
    }
    if is_email(value) {
        let message = crate::msg!(
            "`{value}` är en e-postadress, inte en webbadress",
            "`{value}` is an e-mail address, not a web address"
        );
        let hint = if allowed.mailto {
            crate::msg!(
                "skriv `mailto:` först: `mailto:{value}`",
                "write `mailto:` in front: `mailto:{value}`"
            )
        } else {
            crate::msg!(
                "skriv adressen till en webbsida här; en e-postadress hör hemma i `email` under `contact`",
                "write the address of a web page here; an e-mail address belongs in `email` under `contact`"
            )
        };
        return Some(Problem { message, hint });
    }
    None
}

/// A space (any white space, such as a non-breaking space from a word
/// processor): a browser cuts a pasted address there, Markdown ends a
/// link there, and mail programs break lines there. Other characters
/// (`<`, `"`, `&`) are escaped by every output and encoded by browsers.
fn breaking_character(value: &str) -> Option<Problem> {
    if !value.contains(char::is_whitespace) {
        return None;
    }
    let fixed: String = value
        .split(char::is_whitespace)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("%20");
    Some(Problem {
        message: crate::msg!(
            "adressen `{value}` innehåller ett mellanslag, som bryter länken",
            "the address `{value}` holds a space, which breaks the link"
        ),
        hint: crate::msg!(
            "ta bort mellanslaget, eller skriv det som `%20` om det hör till adressen: `{fixed}`",
            "remove the space, or write it as `%20` if it belongs to the address: `{fixed}`"
        ),
    })
}

/// The scheme of `value` and what follows its `:`, when it starts with
/// one (letters, then letters, digits, `+`, `-` or `.`).
fn split_scheme(value: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = value.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some((scheme, rest))
}

/// The address with its `https://` or `http://` written right, when the
/// writer meant one and typed it wrong: `https//`, `http:/`, `htps://`,
/// `https:\\`, `https:///`.
fn fixed_scheme(value: &str) -> Option<String> {
    let letters = value.find(|c: char| !c.is_ascii_alphabetic())?;
    let (word, rest) = value.split_at(letters);
    let sep_len = rest
        .find(|c: char| !":/\\;".contains(c))
        .unwrap_or(rest.len());
    let (sep, tail) = rest.split_at(sep_len);
    if sep.is_empty() || !sep.contains(['/', '\\']) || tail.is_empty() {
        return None;
    }
    let word = word.to_ascii_lowercase();
    let scheme = match word.as_str() {
        "https" | "http" if sep == "://" => return None,
        "https" | "http" => word.clone(),
        // `ftp` is one letter from `http`, but a scheme of its own.
        "ftp" | "ftps" => return None,
        w if edit_distance(w, "https") == 1 => "https".to_string(),
        w if edit_distance(w, "http") == 1 => "http".to_string(),
        _ => return None,
    };
    Some(format!("{scheme}://{tail}"))
}

/// Whether a value without a scheme starts with a host name: `www.…`, or
/// a first part such as `helsingborg.se`.
fn looks_like_host(value: &str) -> bool {
    if value.starts_with(['/', '.', '#', '?']) || split_scheme(value).is_some() {
        return false;
    }
    let first = value.split(['/', '?', '#']).next().unwrap_or("");
    if first.to_ascii_lowercase().starts_with("www.") {
        return true;
    }
    let labels: Vec<&str> = first.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| LIKELY_DOMAINS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// Whether `value` is an e-mail address written alone.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(['/', ':'])
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains(['@', '/'])
}

/// The rules of a value that starts with a scheme.
fn check_scheme(value: &str, scheme: &str, rest: &str, allowed: Allowed) -> Option<Problem> {
    match scheme {
        "https" | "http" => check_host(value, rest),
        "mailto" if allowed.mailto => {
            let address = rest.split('?').next().unwrap_or("");
            (!is_email(address)).then(|| Problem {
                message: crate::msg!(
                    "`{value}` har ingen e-postadress efter `mailto:`",
                    "`{value}` has no e-mail address after `mailto:`"
                ),
                hint: crate::msg!(
                    "skriv till exempel `mailto:namn@kommun.se`",
                    "write, for example, `mailto:name@kommun.se`"
                ),
            })
        }
        "tel" if allowed.tel => (!rest.chars().any(|c| c.is_ascii_digit())).then(|| Problem {
            message: crate::msg!(
                "`{value}` har inget telefonnummer efter `tel:`",
                "`{value}` has no phone number after `tel:`"
            ),
            hint: crate::msg!(
                "skriv till exempel `tel:+46101234567`",
                "write, for example, `tel:+46101234567`"
            ),
        }),
        _ => {
            let others = match (allowed.mailto, allowed.tel) {
                (true, true) => "`https://`, `http://`, `mailto:`, `tel:`",
                (true, false) => "`https://`, `http://`, `mailto:`",
                (false, true) => "`https://`, `http://`, `tel:`",
                (false, false) => "`https://`, `http://`",
            };
            Some(Problem {
                message: crate::msg!(
                    "adresser som börjar med `{scheme}:` är inte tillåtna här",
                    "addresses starting with `{scheme}:` are not allowed here"
                ),
                hint: crate::msg!(
                    "skriv en adress som börjar med {others}",
                    "write an address starting with {others}"
                ),
            })
        }
    }
}

/// The problem with the host of an `https:`/`http:` address (`rest` is
/// what follows the `:`), if it has none or an impossible one.
fn check_host(value: &str, rest: &str) -> Option<Problem> {
    let after = rest.strip_prefix("//").unwrap_or("");
    let host = after.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let name = host.split(':').next().unwrap_or(host);
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "-.".contains(c))
        && !name.starts_with(['.', '-'])
        && !name.contains("..")
        && (name.contains('.') || name.eq_ignore_ascii_case("localhost"));
    let bracketed = host.starts_with('[') && host.contains(']');
    if valid || bracketed {
        return None;
    }
    let message = if name.is_empty() {
        crate::msg!(
            "`{value}` saknar namnet på webbplatsen efter `//`",
            "`{value}` has no site name after `//`"
        )
    } else {
        crate::msg!(
            "`{value}` har inget giltigt namn på webbplatsen (`{name}`)",
            "`{value}` has no valid site name (`{name}`)"
        )
    };
    Some(Problem {
        message,
        hint: crate::msg!(
            "skriv hela adressen, till exempel `https://www.helsingborg.se/rfi`; kopiera den från webbläsarens adressfält",
            "write the whole address, for example `https://www.helsingborg.se/rfi`; copy it from the browser's address bar"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn hint(value: &str, allowed: Allowed) -> (String, String) {
        let p = check_field(value, allowed).unwrap_or_else(|| panic!("{value} is refused"));
        (
            p.hint.get(Lang::Sv).to_string(),
            p.hint.get(Lang::En).to_string(),
        )
    }

    #[test]
    fn whole_addresses_and_site_paths_pass() {
        for ok in [
            "https://www.helsingborg.se/rfi",
            "http://example.se",
            "HTTPS://Example.se/a?b=c#d",
            "https://växjö.se/",
            "https://localhost:1111/",
            "https://[2001:db8::1]/",
            "/om/",
        ] {
            assert_eq!(check_field(ok, Allowed::WEB), None, "{ok}");
        }
        assert_eq!(check_field("mailto:a@b.se", Allowed::ANY), None);
        assert!(check_field("tel:+46 10", Allowed::ANY).is_some());
        assert_eq!(check_field("tel:+4610", Allowed::ANY), None);
    }

    #[test]
    fn a_bare_www_gets_https_in_front() {
        let (sv, en) = hint("www.helsingborg.se/rfi", Allowed::WEB);
        assert!(sv.contains("`https://www.helsingborg.se/rfi`"), "{sv}");
        assert!(sv.starts_with("lägg till `https://`"), "{sv}");
        assert!(en.contains("add `https://` in front: `https://www.helsingborg.se/rfi`"));
        let (_, en) = hint("helsingborg.se/rfi", Allowed::WEB);
        assert!(en.contains("`https://helsingborg.se/rfi`"), "{en}");
    }

    #[test]
    fn misspelt_schemes_are_corrected() {
        for (typed, fixed) in [
            ("https//example.se/a", "https://example.se/a"),
            ("http:/example.se", "http://example.se"),
            ("htps://example.se", "https://example.se"),
            ("htttp://example.se", "http://example.se"),
            ("https:\\\\example.se", "https://example.se"),
            ("https:///example.se", "https://example.se"),
            ("https;//example.se", "https://example.se"),
        ] {
            let (sv, en) = hint(typed, Allowed::WEB);
            assert_eq!(sv, format!("skriv `{fixed}`"), "{typed}");
            assert_eq!(en, format!("write `{fixed}`"), "{typed}");
        }
        assert!(fixed_scheme("ftp://example.se").is_none());
    }

    #[test]
    fn an_email_address_points_to_mailto_or_to_the_contact() {
        let (sv, en) = hint("anna@kommun.se", Allowed::ANY);
        assert!(sv.contains("`mailto:anna@kommun.se`"), "{sv}");
        assert!(en.contains("`mailto:anna@kommun.se`"), "{en}");
        let (sv, en) = hint("anna@kommun.se", Allowed::WEB);
        assert!(sv.contains("`email` under `contact`"), "{sv}");
        assert!(en.contains("`email` under `contact`"), "{en}");
        let (_, en) = hint("mailto:anna@kommun.se", Allowed::WEB);
        assert!(
            en.starts_with("write an address starting with `https://`"),
            "{en}"
        );
    }

    #[test]
    fn spaces_are_named_with_the_encoded_address() {
        let (sv, en) = hint("https://example.se/min fil.pdf", Allowed::WEB);
        assert!(sv.contains("`https://example.se/min%20fil.pdf`"), "{sv}");
        assert!(en.contains("`https://example.se/min%20fil.pdf`"), "{en}");
        let p = check_field("https://example.se/a\u{a0}b", Allowed::WEB).unwrap();
        assert!(p.message.get(Lang::En).contains("holds a space"));
        assert!(
            p.message
                .get(Lang::Sv)
                .contains("innehåller ett mellanslag")
        );
        // Escaped by every output and encoded by the browser.
        assert_eq!(
            check_field("https://example.se/s?a=1&b=<2>", Allowed::WEB),
            None
        );
    }

    #[test]
    fn scripts_and_inline_documents_are_refused() {
        for bad in ["javascript:alert(1)", "JavaScript:x", "data:text/html,x"] {
            let p = check_field(bad, Allowed::ANY).unwrap();
            assert!(
                p.message
                    .get(Lang::En)
                    .contains("are not allowed in a link"),
                "{bad}"
            );
            assert!(
                p.message
                    .get(Lang::Sv)
                    .contains("är inte tillåtna i en länk"),
                "{bad}"
            );
            assert!(check_markdown(bad).is_some());
        }
    }

    #[test]
    fn empty_or_impossible_hosts_are_refused() {
        for bad in ["https://", "https:///", "https://?a", "http://exa mple"] {
            assert!(check_field(bad, Allowed::WEB).is_some(), "{bad}");
        }
        let p = check_field("https://", Allowed::WEB).unwrap();
        assert!(p.message.get(Lang::En).contains("no site name"));
        assert!(p.message.get(Lang::Sv).contains("saknar namnet"));
        assert!(check_field("https://intranat/", Allowed::WEB).is_some());
    }

    #[test]
    fn relative_paths_are_refused_in_fields_but_left_to_markdown() {
        let p = check_field("svar.html", Allowed::WEB).unwrap();
        assert!(p.hint.get(Lang::En).contains("`file:`"));
        assert_eq!(check_markdown("svar.html"), None);
        assert_eq!(check_markdown("../bilagor/a.pdf"), None);
        assert_eq!(check_markdown("#rubrik"), None);
        assert!(check_markdown("www.example.se").is_some());
        assert!(check_markdown("anna@kommun.se").is_some());
    }
}
