//! The languages a site is written and shown in.

/// The language dates and times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Swedish.
    Sv,
    /// English.
    En,
}
