//! The parts of the site model that every layer shares and that do no I/O.
//!
//! They sit below loading, time, Markdown and rendering, so each of those
//! can name them without importing another.

mod lang;

pub use lang::Lang;
