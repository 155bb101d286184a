//! The table of front-matter fields: every field a challenge or page may
//! have, with what it holds, whether it is required and a Swedish line of
//! help. The validator's lists of known fields and the generated CMS form
//! (`crate::cms`) are both held to this one table: a test reads the field
//! names serde itself expects of each struct in [`super::model`] and
//! compares them with the table both ways, so a field added to the model
//! and not here (or the other way round) fails the tests, and through them
//! the CMS configuration.

/// What a field holds, which decides how it is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Line,
    /// Markdown, which may span lines.
    Markdown,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A date, a local date and time (`2027-03-15T12:00`) or a time with an
    /// offset: the forms a deadline may take.
    Moment,
    /// An IANA time zone name, such as `Europe/Stockholm`.
    Zone,
    /// One of the stages (`need`, `rfi`, …).
    Stage,
    /// A language code the site is written in (`sv`, `en`).
    Lang,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// An e-mail address.
    Email,
    /// A web address (`https://`), or for some fields `mailto:`.
    Url,
    /// A list of one-line texts (tags).
    Words,
    /// A list of CPV codes, `NNNNNNNN-N`.
    Cpv,
    /// Part of an address: lower-case letters, digits and hyphens.
    Slug,
    /// A file beside the page (a document).
    File,
    /// A group of named fields.
    Object(&'static [FieldSpec]),
    /// A list whose items are groups of named fields.
    List(&'static [FieldSpec]),
}

/// One field of front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key, as written in the file.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether every file must have it (a field required only at some
    /// stages, such as `deadline`, is not).
    pub required: bool,
    /// A short Swedish label for forms.
    pub label: &'static str,
    /// One Swedish sentence or two saying what it is for and how to write it.
    pub hint: &'static str,
}

const fn field(
    name: &'static str,
    kind: FieldKind,
    label: &'static str,
    hint: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: false,
        label,
        hint,
    }
}

const fn required(
    name: &'static str,
    kind: FieldKind,
    label: &'static str,
    hint: &'static str,
) -> FieldSpec {
    FieldSpec {
        required: true,
        ..field(name, kind, label, hint)
    }
}

use FieldKind::*;

/// The fields of `contact`.
pub const CONTACT: &[FieldSpec] = &[
    required("name", Line, "Namn", "Kontaktpersonens namn."),
    field(
        "role",
        Line,
        "Roll",
        "Roll eller titel, till exempel Projektledare.",
    ),
    field(
        "email",
        Email,
        "E-post",
        "E-postadress, till exempel anna.andersson@kommun.se.",
    ),
    field(
        "phone",
        Line,
        "Telefon",
        "Telefonnummer som det ska visas, till exempel 010-123 45 67.",
    ),
];

/// The fields of `respond`.
pub const RESPOND: &[FieldSpec] = &[
    field(
        "url",
        Url,
        "Adress för svar",
        "Var svaret lämnas: en adress som börjar med https:// eller mailto:.",
    ),
    field(
        "instructions",
        Markdown,
        "Instruktioner",
        "Hur man svarar, i Markdown.",
    ),
];

/// The fields of an item of `facts`.
pub const FACT: &[FieldSpec] = &[
    required(
        "label",
        Line,
        "Vad",
        "Vad nyckeltalet gäller, till exempel Inköp per år.",
    ),
    required(
        "value",
        Line,
        "Värde",
        "Värdet som det ska visas, till exempel cirka 3,4 miljarder kr.",
    ),
];

/// The fields of an item of `documents`.
pub const DOCUMENT: &[FieldSpec] = &[
    required("title", Line, "Titel", "Dokumentets titel."),
    field(
        "file",
        File,
        "Fil",
        "En fil som laddas upp och läggs bredvid utmaningen. Fyll i antingen fil eller länk, inte båda.",
    ),
    field(
        "url",
        Url,
        "Länk",
        "En adress som börjar med https://. Fyll i antingen fil eller länk, inte båda.",
    ),
    field(
        "date",
        Date,
        "Datum",
        "Dagen dokumentet lades till (ÅÅÅÅ-MM-DD). Med ett datum får dokumentet en post i flödena.",
    ),
];

/// The official notice (`notice`).
pub const NOTICE: &[FieldSpec] = &[
    required(
        "url",
        Url,
        "Adress",
        "Annonsens adress, som börjar med https://.",
    ),
    field(
        "id",
        Line,
        "Nummer",
        "Annonsens nummer i databasen, till exempel 2026/S 123-456789.",
    ),
    field(
        "source",
        Line,
        "Databas",
        "Var annonsen finns, till exempel TED, e-Avrop eller Mercell. Utan den läses den ur adressen när det går.",
    ),
];

/// A link to another challenge (an item of `related`).
pub const RELATED: &[FieldSpec] = &[
    required(
        "challenge",
        Slug,
        "Utmaning",
        "Den andra utmaningens filnamn utan .md, till exempel klimat-rfi.",
    ),
    field(
        "relation",
        Line,
        "Förhållande",
        "follows (den här följer på den andra), followed-by (den andra följer på den här) eller related. Utan den: related.",
    ),
];

/// The estimated value (`value`).
pub const VALUE: &[FieldSpec] = &[
    field(
        "min",
        Integer,
        "Lägst",
        "Det lägsta uppskattade värdet i hela kronor, utan mellanslag.",
    ),
    field(
        "max",
        Integer,
        "Högst",
        "Det högsta uppskattade värdet i hela kronor. För ett enda belopp: samma som lägst.",
    ),
    field(
        "currency",
        Line,
        "Valuta",
        "Tre bokstäver enligt ISO 4217. Utan den: SEK.",
    ),
];

/// The fields of an item of `updates`.
pub const UPDATE: &[FieldSpec] = &[
    required(
        "date",
        Date,
        "Datum",
        "Dagen ändringen gjordes (ÅÅÅÅ-MM-DD).",
    ),
    field(
        "text",
        Markdown,
        "Vad som ändras",
        "Ändringen i klartext, i Markdown.",
    ),
    field(
        "deadline",
        Moment,
        "Ny sista svarsdag",
        "Fyll i när ändringen flyttar sista svarsdagen; skrivs som deadline.",
    ),
    field(
        "questions_deadline",
        Moment,
        "Ny sista dag för frågor",
        "Fyll i när ändringen flyttar sista dagen för frågor.",
    ),
];

/// The fields of an item of `questions`.
pub const QUESTION: &[FieldSpec] = &[
    required("question", Markdown, "Fråga", "Frågan som den ställdes."),
    field(
        "answer",
        Markdown,
        "Svar",
        "Svaret, som alla leverantörer ser.",
    ),
    required(
        "date",
        Date,
        "Frågan kom",
        "Dagen frågan kom in (ÅÅÅÅ-MM-DD).",
    ),
    field(
        "answered",
        Date,
        "Besvarad",
        "Dagen frågan besvarades (ÅÅÅÅ-MM-DD).",
    ),
];

/// The fields of an item of `events`.
pub const EVENT: &[FieldSpec] = &[
    required(
        "title",
        Line,
        "Rubrik",
        "Mötets rubrik, till exempel Digital marknadsdialog.",
    ),
    required(
        "start",
        Moment,
        "Börjar",
        "När mötet börjar, till exempel 2027-03-01T10:00.",
    ),
    field("end", Moment, "Slutar", "När mötet slutar, efter starten."),
    field(
        "place",
        Line,
        "Plats",
        "Var mötet hålls, eller Digitalt möte.",
    ),
    field(
        "url",
        Url,
        "Länk",
        "Anmälan eller möteslänk, som börjar med https://.",
    ),
    field(
        "description",
        Markdown,
        "Beskrivning",
        "Vad mötet handlar om, i Markdown.",
    ),
];

/// The fields of an item of `phases`.
pub const PHASE: &[FieldSpec] = &[
    required(
        "name",
        Line,
        "Namn",
        "Fasens namn, till exempel Konceptfas.",
    ),
    required(
        "start",
        Date,
        "Första dag",
        "Fasens första dag (ÅÅÅÅ-MM-DD).",
    ),
    required("end", Date, "Sista dag", "Fasens sista dag (ÅÅÅÅ-MM-DD)."),
    field(
        "pay",
        Line,
        "Ersättning",
        "Ersättning per leverantör, till exempel 25 000 kr.",
    ),
    field(
        "suppliers",
        Line,
        "Antal leverantörer",
        "Hur många leverantörer som deltar.",
    ),
];

/// Every field of a challenge, in the order a writer meets them.
pub const CHALLENGE: &[FieldSpec] = &[
    required(
        "title",
        Line,
        "Rubrik",
        "Kort och konkret. Syns på sidan, i listor och i flöden.",
    ),
    required(
        "summary",
        Line,
        "Sammanfattning",
        "En eller två meningar i klartext, högst 300 tecken. Visas i listor, flöden och sökresultat.",
    ),
    required(
        "buyer",
        Line,
        "Beställare",
        "Stava likadant varje gång, annars blir det två beställare i filtret.",
    ),
    required("stage", Stage, "Skede", "Var i processen utmaningen är."),
    required(
        "published",
        Date,
        "Publiceringsdatum",
        "Dagen utmaningen publiceras (ÅÅÅÅ-MM-DD).",
    ),
    field("draft", Bool, "Utkast", "Ett utkast publiceras inte."),
    field(
        "opens",
        Moment,
        "Öppnar",
        "När svar tas emot från. Före det visas utmaningen som Kommande.",
    ),
    field(
        "deadline",
        Moment,
        "Sista svarsdag",
        "Ett datum (gäller till 23.59), datum och klockslag (2027-03-15T12:00) eller med tidsförskjutning (2027-03-15T12:00+01:00). Krävs i skedena rfi och procurement.",
    ),
    field(
        "questions_deadline",
        Moment,
        "Sista dag för frågor",
        "Skrivs som sista svarsdag.",
    ),
    field(
        "timezone",
        Zone,
        "Tidszon",
        "Tidszon för tiderna, till exempel Europe/Stockholm. Utan den gäller portalens tidszon.",
    ),
    field(
        "contact",
        Object(CONTACT),
        "Kontaktperson",
        "Vem leverantörerna frågar. Namn krävs, resten är valfritt.",
    ),
    field(
        "respond",
        Object(RESPOND),
        "Så svarar du",
        "En adress och/eller instruktioner.",
    ),
    field(
        "compensation",
        Line,
        "Ersättning för svar",
        "Fri text. Skriv ut det även när ingen ersättning ges.",
    ),
    field(
        "facts",
        List(FACT),
        "Nyckeltal",
        "Nyckeltal i en faktaruta.",
    ),
    field(
        "documents",
        List(DOCUMENT),
        "Dokument",
        "Dokument med titel och antingen en fil eller en länk.",
    ),
    field(
        "tags",
        Words,
        "Taggar",
        "Varje tagg får en egen sida och ett filter.",
    ),
    field(
        "category",
        Line,
        "Kategori",
        "En kategori, som blir ett filter i listan.",
    ),
    field(
        "cpv",
        Cpv,
        "CPV-koder",
        "EU:s upphandlingskoder i formen NNNNNNNN-N.",
    ),
    field(
        "regions",
        Words,
        "Områden",
        "Kommuner, län (Skåne län), NUTS-koder (SE224) eller Hela Sverige.",
    ),
    field(
        "value",
        Object(VALUE),
        "Uppskattat värde",
        "Ett belopp eller ett spann i hela kronor.",
    ),
    field(
        "suitable_for",
        Words,
        "Vilka kan svara",
        "sme, startup, large-enterprise, research, civil-society, public-sector eller consortium.",
    ),
    field(
        "notice",
        Object(NOTICE),
        "Officiell annons",
        "Annonsen av upphandlingen i TED eller en svensk databas.",
    ),
    field(
        "related",
        List(RELATED),
        "Hör ihop med",
        "Andra utmaningar på portalen, till exempel upphandlingen som följer på en RFI.",
    ),
    field(
        "image",
        File,
        "Bild vid delning",
        "En bild (PNG, JPEG, GIF eller WebP) som visas när länken delas.",
    ),
    field(
        "image_alt",
        Line,
        "Bildens alternativtext",
        "Vad bilden visar, för den som inte ser den. Krävs när det finns en bild.",
    ),
    field(
        "questions_url",
        Url,
        "Adress för frågor",
        "Var leverantörer ställer frågor: https:// eller mailto:. Utan den används kontaktpersonens e-post.",
    ),
    field(
        "outcome",
        Markdown,
        "Resultat",
        "Resultatet i Markdown. Visas i skedena pilot, implementation och cancelled.",
    ),
    field(
        "updates",
        List(UPDATE),
        "Ändringar",
        "Daterade ändringar som alla ser. En ändring kan flytta sista svarsdagen.",
    ),
    field(
        "questions",
        List(QUESTION),
        "Frågor och svar",
        "Frågor och svar som alla leverantörer ser.",
    ),
    field(
        "events",
        List(EVENT),
        "Möten",
        "Möten, till exempel marknadsdialog. Blir poster i kalenderfilerna.",
    ),
    field(
        "phases",
        List(PHASE),
        "Fasplan",
        "Varje fas med start, slut, ersättning och antal leverantörer.",
    ),
    field(
        "lang",
        Lang,
        "Språk",
        "Lämna tomt: språket följer av filnamnet (namn.md, namn.en.md).",
    ),
    field(
        "publish_date",
        Date,
        "Publiceras från",
        "Utmaningen syns först vid ett bygge från och med detta datum.",
    ),
    field(
        "slug",
        Slug,
        "Adressnamn",
        "Ersätter sista delen av adressen, /challenges/<slug>/: gemena bokstäver, siffror och bindestreck.",
    ),
    field(
        "id",
        Slug,
        "Fast id",
        "Fast id i öppna data (OCID): gemena bokstäver, siffror och bindestreck. Ändra det aldrig när det väl är publicerat.",
    ),
];

/// Every field of a plain page (or a section's intro).
pub const PAGE: &[FieldSpec] = &[
    required("title", Line, "Rubrik", "Sidans rubrik."),
    field(
        "summary",
        Line,
        "Sammanfattning",
        "En mening om sidan, för sökmotorer och listor.",
    ),
    field(
        "slug",
        Slug,
        "Adressnamn",
        "Ersätter sista delen av adressen: gemena bokstäver, siffror och bindestreck.",
    ),
    field("draft", Bool, "Utkast", "Ett utkast publiceras inte."),
    field(
        "lang",
        Lang,
        "Språk",
        "Lämna tomt: språket följer av filnamnet (namn.md, namn.en.md).",
    ),
    field(
        "weight",
        Integer,
        "Ordning",
        "Lägre tal kommer först i menyn.",
    ),
    field("menu", Bool, "I menyn", "Visa sidan i webbplatsens meny."),
    field(
        "publish_date",
        Date,
        "Publiceras från",
        "Sidan syns först vid ett bygge från och med detta datum.",
    ),
];

/// The names of `fields`, in order.
pub fn names(fields: &[FieldSpec]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The names of the fields of the items of every list and group of a
/// challenge (`date`, `question`, `email`, …), each once: what an unknown
/// key inside an item may be a misspelling of.
pub fn item_names() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in CHALLENGE {
        if let Object(inner) | List(inner) = f.kind {
            for name in names(inner) {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{
        CHALLENGE_FIELDS, ChallengeMeta, Contact, DocumentMeta, EventMeta, Fact, PAGE_FIELDS,
        PageMeta, PhaseMeta, QuestionMeta, Respond, UpdateMeta,
    };
    use serde::de::{self, Deserialize, Visitor, value::Error};

    /// A deserializer that only asks: which fields does this struct take?
    /// serde's derive passes them to `deserialize_struct`, so these are the
    /// names the validator itself accepts, not a copy of them.
    struct FieldNames<'a>(&'a mut Vec<&'static str>);

    impl<'de> de::Deserializer<'de> for FieldNames<'_> {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("names read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    fn serde_fields<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        let mut names = Vec::new();
        let _ = T::deserialize(FieldNames(&mut names));
        assert!(!names.is_empty(), "no fields read");
        names.sort_unstable();
        names
    }

    fn sorted(fields: &[FieldSpec]) -> Vec<&'static str> {
        let mut n = names(fields);
        n.sort_unstable();
        n
    }

    #[test]
    fn the_table_names_exactly_the_fields_the_validator_reads() {
        let pairs: [(&str, Vec<&str>, &[FieldSpec]); 10] = [
            ("challenge", serde_fields::<ChallengeMeta>(), CHALLENGE),
            ("page", serde_fields::<PageMeta>(), PAGE),
            ("contact", serde_fields::<Contact>(), CONTACT),
            ("respond", serde_fields::<Respond>(), RESPOND),
            ("facts", serde_fields::<Fact>(), FACT),
            ("documents", serde_fields::<DocumentMeta>(), DOCUMENT),
            ("updates", serde_fields::<UpdateMeta>(), UPDATE),
            ("questions", serde_fields::<QuestionMeta>(), QUESTION),
            ("events", serde_fields::<EventMeta>(), EVENT),
            ("phases", serde_fields::<PhaseMeta>(), PHASE),
        ];
        for (what, model, table) in pairs {
            assert_eq!(
                model,
                sorted(table),
                "{what}: the model and the table differ"
            );
        }
    }

    #[test]
    fn the_unknown_field_lists_are_the_table() {
        let mut challenge = CHALLENGE_FIELDS.to_vec();
        challenge.sort_unstable();
        assert_eq!(challenge, sorted(CHALLENGE));
        let mut page = PAGE_FIELDS.to_vec();
        page.sort_unstable();
        assert_eq!(page, sorted(PAGE));
    }

    #[test]
    fn nested_lists_are_of_the_challenge_only_and_every_field_has_help() {
        fn walk(fields: &[FieldSpec], depth: usize) {
            let mut seen = Vec::new();
            for f in fields {
                assert!(!seen.contains(&f.name), "{} twice", f.name);
                seen.push(f.name);
                assert!(!f.label.is_empty() && f.hint.ends_with('.'), "{}", f.name);
                if let Object(inner) | List(inner) = f.kind {
                    assert_eq!(depth, 0, "{}: groups nest one level only", f.name);
                    walk(inner, depth + 1);
                }
            }
        }
        walk(CHALLENGE, 0);
        walk(PAGE, 0);
        assert!(item_names().contains(&"questions_deadline"));
    }
}
