//! Utlys: a static site generator for public-sector innovation challenges.
//!
//! The pipeline runs one way: [`content::load`] reads `content/` into a
//! [`content::Site`], [`plan`] lists every output as a job with a
//! fingerprint of its inputs, [`render`] runs the jobs through the theme,
//! and [`emit`] swaps the outputs into the output folder atomically.
//! [`build`] runs them all; `serve` runs the same steps with a cache.

pub mod address;
pub mod brand;
pub mod check;
pub mod cms;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod emit;
pub mod escape;
pub mod filetypes;
pub mod fsrule;
pub mod history;
pub mod markdown;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod theme;
pub mod time;
pub mod timing;
pub mod view;

pub mod pipeline;

pub use pipeline::{
    BuildOptions, BuildReport, Prepared, Spent, build, prepare, render, render_into,
};
