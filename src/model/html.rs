//! A page's Markdown once it is HTML: made by rendering, read by the pages
//! and by the formats (feeds, calendars, data) alike.

/// A page's Markdown fields rendered to HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHtml {
    /// The body.
    pub content: String,
    /// `outcome`.
    pub outcome: String,
    /// `respond.instructions`.
    pub instructions: String,
    /// Each amendment's text.
    pub updates: Vec<String>,
    /// Each answer.
    pub answers: Vec<String>,
    /// Each meeting's description.
    pub events: Vec<String>,
}
