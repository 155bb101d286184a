//! `paging`: where a page of a long list of challenges is among its list's
//! pages, and the links between them (the paths are
//! [`crate::model::page_path`]'s).

use std::ops::Range;

use serde::Serialize;

use crate::model::page_path;

/// How many numbered links either side of the current page the navigation
/// shows, besides the first and the last page.
const NEAR: usize = 2;

/// `paging` of `list.html` and `term.html`: where this page is among the
/// pages of its list.
#[derive(Debug, Serialize, Hash, Clone, PartialEq, Eq)]
pub struct Paging {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has; at least 1.
    pub pages: usize,
    /// How many challenges the whole list has, on all its pages.
    pub items: usize,
    /// The place in the list of the first challenge on this page, from 1
    /// (0 when the list is empty).
    pub first_item: usize,
    /// The place in the list of the last challenge on this page.
    pub last_item: usize,
    /// The previous page's address (root-relative); empty on the first.
    pub prev: String,
    /// The next page's address (root-relative); empty on the last.
    pub next: String,
    /// The numbered links to show, in order: the first and last page and
    /// those near this one, so the row stays short with many pages. An
    /// entry with `number` 0 stands for the pages left out between two
    /// numbers ("…").
    pub links: Vec<PageLink>,
}

/// One entry of [`Paging::links`].
#[derive(Debug, Serialize, Hash, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The page's number; 0 for a gap.
    pub number: usize,
    /// Its address (root-relative); empty for a gap.
    pub url: String,
    /// Whether it is the page shown.
    pub current: bool,
}

impl Paging {
    /// Page `current` of `ranges` (as [`split`] gives them) of the list at
    /// `list_path`; `url` makes an output path an address.
    pub fn new(
        ranges: &[Range<usize>],
        current: usize,
        list_path: &str,
        url: impl Fn(&str) -> String,
    ) -> Paging {
        let pages = ranges.len().max(1);
        let link = |n: usize| url(&page_path(list_path, n));
        let range = ranges.get(current - 1).cloned().unwrap_or(0..0);
        let mut numbers: Vec<usize> = [1, pages]
            .into_iter()
            .chain(current.saturating_sub(NEAR).max(1)..=(current + NEAR).min(pages))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::new();
        for (i, &n) in numbers.iter().enumerate() {
            if i > 0 && n > numbers[i - 1] + 1 {
                links.push(PageLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                number: n,
                url: link(n),
                current: n == current,
            });
        }
        Paging {
            current,
            pages,
            items: ranges.last().map_or(0, |r| r.end),
            first_item: if range.is_empty() { 0 } else { range.start + 1 },
            last_item: range.end,
            prev: if current > 1 {
                link(current - 1)
            } else {
                String::new()
            },
            next: if current < pages {
                link(current + 1)
            } else {
                String::new()
            },
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::split;

    fn numbers(p: &Paging) -> Vec<usize> {
        p.links.iter().map(|l| l.number).collect()
    }

    #[test]
    fn lists_split_into_full_pages_and_a_rest() {
        // A list of one page: one range of the whole list.
        let one = |r: Range<usize>| -> Vec<Range<usize>> { std::iter::once(r).collect() };
        assert_eq!(split(0, 20), one(0..0));
        assert_eq!(split(20, 20), one(0..20));
        assert_eq!(split(41, 20), vec![0..20, 20..40, 40..41]);
        assert_eq!(split(41, 0), one(0..41));
    }

    #[test]
    fn the_first_page_is_the_list_itself_and_the_row_of_numbers_stays_short() {
        assert_eq!(page_path("challenges/", 1), "challenges/");
        assert_eq!(page_path("challenges/", 3), "challenges/page/3/");
        let ranges = split(1000, 10);
        let url = |p: &str| format!("/{p}");
        let first = Paging::new(&ranges, 1, "challenges/", url);
        assert_eq!(numbers(&first), [1, 2, 3, 0, 100]);
        assert_eq!(
            (first.prev.as_str(), first.next.as_str()),
            ("", "/challenges/page/2/")
        );
        assert_eq!(first.links[0].url, "/challenges/");
        let middle = Paging::new(&ranges, 50, "challenges/", url);
        assert_eq!(numbers(&middle), [1, 0, 48, 49, 50, 51, 52, 0, 100]);
        assert!(middle.links[4].current);
        assert_eq!(
            (middle.first_item, middle.last_item, middle.items),
            (491, 500, 1000)
        );
        let last = Paging::new(&ranges, 100, "challenges/", url);
        assert_eq!(numbers(&last), [1, 0, 98, 99, 100]);
        assert_eq!(last.next, "");
        assert_eq!(last.prev, "/challenges/page/99/");
        let one = Paging::new(&split(3, 10), 1, "tags/a/", url);
        assert_eq!((one.pages, numbers(&one)), (1, vec![1]));
        let empty = Paging::new(&split(0, 10), 1, "tags/a/", url);
        assert_eq!((empty.first_item, empty.last_item, empty.items), (0, 0, 0));
    }
}
