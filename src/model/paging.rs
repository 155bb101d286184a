//! The pages of a long list of challenges: which challenges each page
//! shows and where it is.
//!
//! Page 1 is the list's own address (`challenges/`); page `n` is at
//! `challenges/page/n/`. No `page/1/` is written: a link to the first page
//! is always the list's own address, so there is one address per page.

use std::ops::Range;

/// The folder under a list's address that holds its pages after the first.
pub const PAGE_DIR: &str = "page/";

/// The output path of page `n` of the list whose own path is `list_path`
/// (ending in `/`, or empty for the site root).
pub fn page_path(list_path: &str, n: usize) -> String {
    if n <= 1 {
        list_path.to_string()
    } else {
        format!("{list_path}{PAGE_DIR}{n}/")
    }
}

/// The ranges of a list of `items` challenges that each page shows, with
/// `per_page` on a page (`0`: all on one). An empty list has one empty page.
pub fn split(items: usize, per_page: usize) -> Vec<Range<usize>> {
    if per_page == 0 || items <= per_page {
        // One page: the whole list (a vector of one range, not of numbers).
        return std::iter::once(0..items).collect();
    }
    (0..items)
        .step_by(per_page)
        .map(|start| start..(start + per_page).min(items))
        .collect()
}
