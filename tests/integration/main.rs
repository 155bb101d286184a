//! Integration tests of `utlys build`: each module runs the real binary on
//! small sites in temporary folders and checks what it writes and says.

mod addresses;
mod assets;
mod authoring;
mod base_url;
mod brand;
mod ci_templates;
mod cli;
mod cms;
mod codes;
mod collisions;
mod deadlines;
mod diagnostics;
mod documents;
mod drafts;
mod front_matter;
mod hostile;
mod incremental;
mod incremental_outputs;
mod language;
mod links;
mod mistakes;
mod moved_times;
mod paging;
mod placeholders;
mod properties;
mod publish;
mod regressions;
mod sample_site;
mod serve;
mod sharing;
mod supplier_fields;
mod util;
mod validation;
