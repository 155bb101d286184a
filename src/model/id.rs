//! Names for the pages of a loaded site.

/// One page of a loaded site: its place in `Site::pages`. Jobs, cards and
/// Markdown results name the pages they come from by this, never by a
/// position in a list of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(u32);

impl PageId {
    /// The page at `index` of the site's pages.
    pub fn new(index: usize) -> PageId {
        PageId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// Its index in the site's pages.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
