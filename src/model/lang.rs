//! The languages a site is written and shown in.

/// The language dates and times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Swedish.
    Sv,
    /// English.
    En,
}

/// A text the tool says to a person, in both languages it speaks. Which one
/// is shown follows `diagnostics::language`, which also makes it
/// displayable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Msg {
    /// The Swedish text.
    pub sv: String,
    /// The English text.
    pub en: String,
}

impl Msg {
    /// A message from its Swedish and its English text.
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }

    /// Whether both texts are empty.
    pub fn is_empty(&self) -> bool {
        self.sv.is_empty() && self.en.is_empty()
    }
}
