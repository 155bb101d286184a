//! Atom feeds.

use super::OutputContext;
use crate::render::Output;

/// Renders this output.
pub fn render(_ctx: &OutputContext<'_>) -> Vec<Output> {
    Vec::new()
}
