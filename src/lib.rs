//! Utlys: a static site generator for public-sector innovation challenges.
//!
//! The pipeline runs one way: [`content::load`] reads `content/` into a
//! [`content::Site`], [`render::render_site`] turns it into outputs through
//! the theme, and [`emit::publish`] swaps them into the output folder
//! atomically. [`build`] runs all three.

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod emit;
pub mod escape;
pub mod filetypes;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod time;
pub mod timing;

mod pipeline;

pub use pipeline::{BuildOptions, BuildReport, Prepared, build, prepare, render, render_into};
