//! File types a browser runs rather than shows: a file of such a type
//! published on the portal runs with the portal's own origin.
//!
//! The list is of extensions, because that is what a web server goes by
//! when it chooses the `Content-Type` of a plain file (Apache's and nginx's
//! `mime.types`, IIS's MIME map). It holds every extension those map to a
//! type a browser renders as a document that may hold script, or runs as
//! script, plus the extensions a server commonly hands to a program.

/// Extensions (lower case, without the dot) of files that run on the
/// portal's origin, with what they are, for messages and the docs.
pub const ACTIVE_TYPES: &[(&str, &str)] = &[
    // Web pages: the browser runs their scripts.
    ("html", "a web page"),
    ("htm", "a web page"),
    ("shtml", "a web page with server-side includes"),
    ("shtm", "a web page with server-side includes"),
    ("stm", "a web page with server-side includes"),
    ("xhtml", "a web page (XHTML)"),
    ("xht", "a web page (XHTML)"),
    ("xhtm", "a web page (XHTML)"),
    ("mht", "a saved web page (MHTML)"),
    ("mhtml", "a saved web page (MHTML)"),
    ("hta", "an HTML application"),
    ("htc", "an HTML component"),
    // XML of every kind: a browser shows it as a document in which
    // XHTML-namespaced `<script>` runs, or which an XSLT style sheet turns
    // into a page with script.
    ("svg", "an SVG image, which may hold script"),
    ("svgz", "a compressed SVG image, which may hold script"),
    ("xml", "an XML document, which may hold script"),
    ("xsl", "an XSLT style sheet, which may produce script"),
    ("xslt", "an XSLT style sheet, which may produce script"),
    ("rss", "an RSS feed (XML), which may hold script"),
    ("atom", "an Atom feed (XML), which may hold script"),
    ("rdf", "an RDF document (XML), which may hold script"),
    ("mml", "a MathML document (XML), which may hold script"),
    ("xul", "a XUL document (XML), which may hold script"),
    ("wsdl", "a WSDL document (XML), which may hold script"),
    ("kml", "a KML document (XML), which may hold script"),
    ("gpx", "a GPX document (XML), which may hold script"),
    ("xspf", "an XSPF playlist (XML), which may hold script"),
    // Scripts and plug-in programs.
    ("js", "a JavaScript file"),
    ("mjs", "a JavaScript module"),
    ("cjs", "a JavaScript file"),
    ("swf", "a Flash program"),
    ("xap", "a Silverlight program"),
    ("jar", "a Java program"),
    // Files a web server may run as programs instead of sending them.
    ("php", "a PHP program"),
    ("php3", "a PHP program"),
    ("php4", "a PHP program"),
    ("php5", "a PHP program"),
    ("php7", "a PHP program"),
    ("phtml", "a PHP program"),
    ("phar", "a PHP program"),
    ("pht", "a PHP program"),
    ("asp", "an ASP program"),
    ("aspx", "an ASP.NET program"),
    ("asa", "an ASP program"),
    ("asax", "an ASP.NET program"),
    ("ascx", "an ASP.NET program"),
    ("ashx", "an ASP.NET program"),
    ("asmx", "an ASP.NET program"),
    ("cshtml", "an ASP.NET page"),
    ("vbhtml", "an ASP.NET page"),
    ("jsp", "a Java server page"),
    ("jspx", "a Java server page"),
    ("cfm", "a ColdFusion program"),
    ("cfml", "a ColdFusion program"),
    ("cgi", "a CGI program"),
    ("pl", "a Perl program"),
];

/// The first part of `name` (a file name, not a path) that is an active
/// extension, in lower case, with what it is.
///
/// Every part after the first dot counts, not only the last: Apache maps
/// each extension of `rapport.html.bak` and serves it as HTML when the last
/// one is unknown, and runs `bild.php.png` where PHP is set up by handler.
pub fn active_extension(name: &str) -> Option<(String, &'static str)> {
    name.split('.').skip(1).find_map(|part| {
        let part = part.to_ascii_lowercase();
        ACTIVE_TYPES
            .iter()
            .find(|(ext, _)| *ext == part)
            .map(|(_, what)| (part, *what))
    })
}

/// Whether `ext` (lower case, no dot) is in [`ACTIVE_TYPES`].
pub fn is_active(ext: &str) -> bool {
    ACTIVE_TYPES.iter().any(|(e, _)| *e == ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_the_name_counts_in_any_case() {
        assert_eq!(
            active_extension("karta.SVG").map(|(e, _)| e),
            Some("svg".into())
        );
        assert_eq!(
            active_extension("rapport.html.bak").map(|(e, _)| e),
            Some("html".into())
        );
        assert_eq!(
            active_extension("bild.php.png").map(|(e, _)| e),
            Some("php".into())
        );
        assert_eq!(active_extension("rapport.pdf"), None);
        assert_eq!(active_extension("html"), None);
        assert_eq!(active_extension("v1.2-js.pdf"), None);
    }

    #[test]
    fn extensions_are_lower_case_without_dots_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (ext, what) in ACTIVE_TYPES {
            assert!(
                ext.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{ext}"
            );
            assert!(!what.is_empty());
            assert!(seen.insert(*ext), "{ext} twice");
        }
    }
}
