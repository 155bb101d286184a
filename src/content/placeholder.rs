//! The example texts `utlys init` and `utlys new` write, and finding the
//! ones a writer left in place.
//!
//! The scaffold writes exactly these texts (it takes them from here), so a
//! page still holding one is found by comparing text, never by guessing:
//! a real challenge that says "fyll i formuläret" is not a placeholder,
//! the line "E-post: fyll i" of a new accessibility statement is.

use crate::diagnostics::{Diagnostic, Span};

use super::Page;

/// The kind of problem a placeholder left in place is reported with.
pub const CODE: &str = "placeholder";

/// The summary of a new challenge.
pub const CHALLENGE_SUMMARY: &str = "Skriv en eller två meningar om vad som efterfrågas.";
/// The buyer of a new challenge.
pub const BUYER: &str = "Fyll i beställarens namn";
/// The first section of a new challenge's text.
pub const CHALLENGE_BACKGROUND: &str = "Beskriv problemet med egna ord: vem som har det, hur stort det är och varför det behöver lösas nu.";
/// The second section of a new challenge's text.
pub const CHALLENGE_WANTED: &str =
    "Beskriv vilken sorts lösning eller kunskap ni vill ha, utan att låsa fast en viss teknik.";
/// The last section of a new challenge's text.
pub const CHALLENGE_RESPOND: &str = "Berätta hur och när leverantörer svarar och vem de kan fråga.";
/// The summary of a new page.
pub const PAGE_SUMMARY: &str = "Skriv en mening om vad sidan handlar om.";
/// The text of a new page.
pub const PAGE_TEXT: &str = "Skriv sidans text här med Markdown.";
/// The title of the example challenge of a new site.
pub const EXAMPLE_TITLE: &str = "Exempel: minskat matsvinn i skolköket";
/// How accessible the site is, in a new accessibility statement.
pub const A11Y_STATUS: &str =
    "Fyll i: helt, delvis eller inte förenlig med lagen, och enligt vilken bedömning.";
/// The known shortcomings, in a new accessibility statement.
pub const A11Y_SHORTCOMINGS: &str =
    "Fyll i de brister ni känner till, eller skriv att ni inte känner till några.";
/// The e-mail address to report problems to.
pub const A11Y_EMAIL: &str = "E-post: fyll i";
/// The phone number to report problems to.
pub const A11Y_PHONE: &str = "Telefon: fyll i";
/// How the site was tested.
pub const A11Y_TESTED: &str = "Fyll i hur och när webbplatsen har granskats.";
/// When the statement was written.
pub const A11Y_DATE: &str = "Fyll i när redogörelsen upprättades och senast uppdaterades.";

/// Every placeholder with what replaces it, in Swedish and English.
pub const PLACEHOLDERS: [(&str, &str, &str); 14] = [
    (
        CHALLENGE_SUMMARY,
        "en eller två meningar om vad utmaningen efterfrågar",
        "one or two sentences on what the challenge asks for",
    ),
    (
        BUYER,
        "beställarens namn, stavat som i era andra utmaningar, till exempel `Helsingborgs stad`",
        "the buyer's name, spelt as in your other challenges, for example `Helsingborgs stad`",
    ),
    (
        CHALLENGE_BACKGROUND,
        "en beskrivning av problemet: vem som har det, hur stort det är och varför det är viktigt nu",
        "a description of the problem: who has it, how large it is and why it matters now",
    ),
    (
        CHALLENGE_WANTED,
        "vilken sorts lösning eller kunskap ni söker",
        "the kind of solution or knowledge you are looking for",
    ),
    (
        CHALLENGE_RESPOND,
        "hur och när leverantörer svarar och vem de kan fråga",
        "how and when suppliers respond and whom they can ask",
    ),
    (
        PAGE_SUMMARY,
        "en mening om vad sidan handlar om",
        "one sentence on what the page is about",
    ),
    (PAGE_TEXT, "sidans egen text", "the page's own text"),
    (
        EXAMPLE_TITLE,
        "rubriken på er egen utmaning, eller ta bort exemplet",
        "the title of your own challenge, or remove the example",
    ),
    (
        A11Y_STATUS,
        "om portalen är helt, delvis eller inte förenlig med lagen (2018:1937), och enligt vilken bedömning",
        "whether the portal fully, partly or does not comply with the law (2018:1937), and by which assessment",
    ),
    (
        A11Y_SHORTCOMINGS,
        "de brister ni känner till, eller att ni inte känner till några",
        "the shortcomings you know of, or that you know of none",
    ),
    (
        A11Y_EMAIL,
        "`E-post:` och den e-postadress som tar emot synpunkter på tillgängligheten",
        "`E-post:` and the e-mail address that receives accessibility feedback",
    ),
    (
        A11Y_PHONE,
        "`Telefon:` och ett telefonnummer, eller ta bort raden",
        "`Telefon:` and a phone number, or remove the line",
    ),
    (
        A11Y_TESTED,
        "hur och när portalen granskades",
        "how and when the portal was reviewed",
    ),
    (
        A11Y_DATE,
        "när redogörelsen skrevs och senast uppdaterades",
        "when the statement was written and last updated",
    ),
];

/// The last four bytes of `text` as a number (fewer, padded, in a
/// shorter text).
const fn tail(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut four = [0u8; 4];
    let mut i = 0;
    while i < 4 && i < bytes.len() {
        four[3 - i] = bytes[bytes.len() - 1 - i];
        i += 1;
    }
    u32::from_le_bytes(four)
}

/// [`tail`] of each placeholder: a line ending in none of these ends in no
/// placeholder.
const TAILS: [u32; PLACEHOLDERS.len()] = {
    let mut tails = [0; PLACEHOLDERS.len()];
    let mut i = 0;
    while i < tails.len() {
        assert!(PLACEHOLDERS[i].0.len() >= 4);
        tails[i] = tail(PLACEHOLDERS[i].0);
        i += 1;
    }
    tails
};

/// A warning for each placeholder still in `page`, at the placeholder,
/// when it ends its line: only a closing quote and spaces may follow it.
/// The scaffold writes each placeholder as a whole value or a whole line,
/// so "E-post: fyll i gärna" is the writer's own text. Comment lines of the
/// front matter (`# …`) are passed over: they hold the template's
/// explanations and commented-out examples.
pub fn find(page: &Page) -> Vec<Diagnostic> {
    let text = page.text.as_str();
    let mut found = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let in_front = start < page.body_offset;
        let comment = in_front && line.trim_start().starts_with('#');
        if !comment {
            // Only the line's end is compared: searching every line for
            // every placeholder cost more than the rest of loading a large
            // site.
            let end = line.trim_end();
            let quoted = end.strip_suffix(['"', '\'']);
            let ends = [Some(end), quoted];
            // Most lines end in none of the placeholders' last four bytes.
            if !ends.into_iter().flatten().any(|e| TAILS.contains(&tail(e))) {
                start += line.len();
                continue;
            }
            for (placeholder, sv, en) in PLACEHOLDERS {
                let before = ends
                    .into_iter()
                    .flatten()
                    .find_map(|e| e.strip_suffix(placeholder));
                if let Some(before) = before {
                    let at = start + before.len();
                    let span = Span::new(at, at + placeholder.len());
                    found.push(warning(page, span, placeholder, sv, en));
                }
            }
        }
        start += line.len();
    }
    found
}

fn warning(page: &Page, span: Span, placeholder: &str, sv: &str, en: &str) -> Diagnostic {
    Diagnostic::warning(
        &page.source,
        crate::msg!(
            "exempeltexten `{placeholder}` från `utlys init` eller `utlys new` står kvar",
            "the example text `{placeholder}` from `utlys init` or `utlys new` is still in place"
        ),
    )
    .with_code(CODE)
    .with_hint(crate::msg!("ersätt den med {sv}", "replace it with {en}"))
    .at_span(&page.text, span)
}
