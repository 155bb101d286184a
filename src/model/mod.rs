//! The parts of the site model that every layer shares and that do no I/O.
//!
//! They sit below loading, time, Markdown and rendering, so each of those
//! can name them without importing another.

pub mod cpv;
pub mod currency;
mod generated;
mod html;
mod id;
mod lang;
mod paging;
pub mod regions;
mod strings;

pub use generated::{Generated, Place};
pub use html::PageHtml;
pub use id::PageId;
pub use lang::{Lang, Msg};
pub use paging::{PAGE_DIR, page_path, split};
pub use strings::{Strings, t};
