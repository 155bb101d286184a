//! Rendering a plan's jobs into outputs: pages through the theme's Tera
//! templates, the formats made from the whole site, and the files published
//! as they are. Nothing here decides what to render: the plan and the
//! cache do ([`crate::pipeline`]).

mod pages;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Msg};
use crate::emit::{OutputData, Sink, StreamWriter, WriteError};
use crate::model::{Lang, PageHtml, Strings};
use crate::msg;
use crate::output::OutputContext;
pub use crate::plan::Counts;
use crate::plan::{Format, Inputs, Job, Make};
pub use crate::theme::Theme;
pub(crate) use pages::{Cards, PageRenderer};

/// Puts the theme files, copied files and feeds of `jobs` in `sink`; the
/// problems. `html` is each page's Markdown as HTML; the feeds' entries
/// are taken from `entries`, and written there when it has none yet.
pub fn put_files(
    inputs: &Inputs<'_>,
    html: &[Arc<PageHtml>],
    entries: &crate::output::feed::Entries,
    jobs: &[&Job],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let (strings, strings_by_lang) = output_strings(inputs);
    let ctx = output_context(inputs, html, &strings, &strings_by_lang);
    // The feeds with the most entries first: one of the site's whole lists
    // started last would keep one core busy while the other waits.
    let mut jobs = jobs.to_vec();
    jobs.sort_by_key(|job| match &job.make {
        Make::Feed(scope) => std::cmp::Reverse(scope.pages.len()),
        _ => std::cmp::Reverse(0),
    });
    jobs.par_iter()
        .filter_map(|job| {
            let data = match &job.make {
                Make::ThemeFile(path) => {
                    OutputData::Bytes(inputs.theme.statics.get(path)?.bytes.clone())
                }
                Make::Copy(source) => OutputData::Copy(source.clone()),
                Make::BrandCss => {
                    OutputData::Bytes(crate::brand::css(inputs.config.brand.as_ref()?).into_bytes())
                }
                Make::Feed(scope) => crate::output::feed::render_scope(&ctx, entries, scope)?.data,
                Make::Page(_) => return None,
            };
            sink.put_owned(&job.out, data)
                .err()
                .map(|e| write_problem(&o_path(&e), e))
        })
        .collect()
}

/// Makes `formats` from the whole site into `sink`, in parallel, each
/// output as soon as it is made (`api/challenges.json` piece by piece).
/// Gives the problems, and the paths each format wrote.
pub fn put_formats(
    inputs: &Inputs<'_>,
    html: &[Arc<PageHtml>],
    formats: &[Format],
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, HashMap<Format, Vec<String>>) {
    let (strings, strings_by_lang) = output_strings(inputs);
    let ctx = output_context(inputs, html, &strings, &strings_by_lang);
    let done: Vec<(Format, Vec<String>, Vec<WriteError>)> = formats
        .par_iter()
        .map(|&format| {
            let _stage = crate::timing::Stage::start(format.name());
            let recording = Recording {
                sink,
                paths: Mutex::new(Vec::new()),
            };
            let problems = crate::output::put(format, &ctx, &recording);
            let paths = recording
                .paths
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            (format, paths, problems)
        })
        .collect();
    let mut problems = Vec::new();
    let mut written = HashMap::new();
    for (format, paths, errors) in done {
        problems.extend(errors.into_iter().map(|e| write_problem(&o_path(&e), e)));
        written.insert(format, paths);
    }
    (problems, written)
}

/// The UI strings the outputs read: the default language's, and each
/// language's.
fn output_strings(inputs: &Inputs<'_>) -> (Strings, BTreeMap<Lang, Strings>) {
    let (theme, config) = (inputs.theme, inputs.config);
    let strings = theme.strings_for(config.language, config.language);
    let by_lang = config
        .languages
        .iter()
        .map(|&l| (l, theme.strings_for(l, config.language)))
        .collect();
    (strings, by_lang)
}

/// What the outputs of `inputs` are made from.
fn output_context<'a>(
    inputs: &Inputs<'a>,
    html: &'a [Arc<PageHtml>],
    strings: &'a Strings,
    strings_by_lang: &'a BTreeMap<Lang, Strings>,
) -> OutputContext<'a> {
    OutputContext {
        config: inputs.config,
        site: inputs.site,
        html,
        strings,
        strings_by_lang,
        now: inputs.now,
    }
}

/// A sink that notes the paths put through it.
struct Recording<'s> {
    sink: &'s dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl Recording<'_> {
    fn note(&self, path: &str) {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
    }
}

impl Sink for Recording<'_> {
    fn put(&self, path: &str, data: &OutputData) -> Result<(), WriteError> {
        self.note(path);
        self.sink.put(path, data)
    }

    fn put_owned(&self, path: &str, data: OutputData) -> Result<(), WriteError> {
        self.note(path);
        self.sink.put_owned(path, data)
    }

    fn put_stream(&self, path: &str, write: &StreamWriter<'_>) -> Result<(), WriteError> {
        self.note(path);
        self.sink.put_stream(path, write)
    }
}

/// The output path a write error is about, for its message.
fn o_path(e: &WriteError) -> String {
    match e {
        WriteError::Duplicate(p) => p.clone(),
        WriteError::Io { path, .. } => path.display().to_string(),
        _ => String::new(),
    }
}

/// A write failure as a diagnostic. Two outputs with one path are told
/// apart here, where the generated lists that may take an address are known.
pub(crate) fn write_problem(path: &str, e: WriteError) -> Diagnostic {
    let problem = e.message();
    let (sv, en) = (&problem.sv, &problem.en);
    let (message, hint) = match e {
        WriteError::Duplicate(_) => (
            msg!(
                "{sv}; en sida, en fil i static/ eller en lista som bygget gör (challenges/, tags/, categories/, buyers/, stages/, status/) har samma adress; byt namn på sidan eller filen",
                "{en}; a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"
            ),
            msg!(
                "byt namn på sidan eller filen så att var och en får en egen adress",
                "rename the page or file so each has its own address"
            ),
        ),
        _ => (problem.clone(), left_as_it_was()),
    };
    Diagnostic::error(path, message)
        .with_code(e.code())
        .with_hint(hint)
}

/// `asset(path="style.css")`: the address of the theme's file
/// `static/style.css` under its hashed name. A path the theme does not
/// have fails the page (a literal one is found before: [`missing_assets`]).
fn register_asset(tera: &mut tera::Tera, theme: &Theme, base_path: &str) {
    let urls: HashMap<String, String> = theme
        .assets
        .keys()
        .filter_map(|p| Some((p.clone(), theme.asset_url(base_path, p)?)))
        .collect();
    tera.register_function(
        "asset",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            urls.get(path.trim_start_matches('/'))
                .cloned()
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "asset(path=\"{path}\"): the theme has no static/{path} (temat har ingen static/{path})"
                    ))
                })
        },
    );
}

/// Every `asset(path="…")` in the templates that names a file the theme
/// does not have, as an error at its place.
fn missing_assets(theme: &Theme) -> Vec<Diagnostic> {
    let known = theme.assets.keys().cloned().collect::<Vec<_>>().join(", ");
    let mut problems = Vec::new();
    for file in theme.templates.values() {
        let text = String::from_utf8_lossy(&file.bytes);
        for (range, path) in crate::theme::assets::literal_references(&text) {
            if theme.assets.contains_key(path.trim_start_matches('/')) {
                continue;
            }
            let span = crate::diagnostics::Span::new(range.start, range.end);
            problems.push(
                Diagnostic::error(
                    &file.origin,
                    msg!(
                        "mallen hänvisar till temats fil `static/{path}`, som inte finns",
                        "the template names the theme's file `static/{path}`, which does not exist"
                    ),
                )
                .with_code("missing-asset")
                .with_hint(msg!(
                    "lägg filen i temats mapp static/, eller rätta namnet till en av temats filer: {known}",
                    "put the file in the theme's static/ folder, or correct the name to one of the theme's files: {known}"
                ))
                .at_span(&text, span),
            );
        }
    }
    problems
}

/// The hint of a build that stopped before publishing.
pub(crate) fn left_as_it_was() -> Msg {
    msg!(
        "den publicerade webbplatsen lämnades som den var",
        "the published site was left as it was"
    )
}

/// Reads the theme's templates into Tera, with the function `asset` that
/// gives the address of a theme file as published under `base_path`;
/// every problem with them.
pub fn build_tera(theme: &Theme, base_path: &str) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    register_asset(&mut tera, theme, base_path);
    let mut problems = missing_assets(theme);
    let sources: Vec<(&str, String, &Path)> = theme
        .templates
        .iter()
        .map(|(name, f)| {
            (
                name.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
                f.origin.as_path(),
            )
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s, _)| (*n, s.as_str()))) {
        let message = error_chain(&e);
        let origin = sources
            .iter()
            .find(|(n, _, _)| message.contains(*n))
            .map_or(Path::new("themes"), |(_, _, o)| *o);
        problems.push(
            Diagnostic::error(
                origin,
                msg!(
                    "mallen går inte att läsa: {message}",
                    "the template cannot be read: {message}"
                ),
            )
            .with_code("template-error")
            .with_hint(msg!(
                "kontrollera Tera-syntaxen nära stället som anges",
                "check the Tera syntax near the place shown"
            )),
        );
    }
    for required in [
        "index.html",
        "list.html",
        "challenge.html",
        "page.html",
        "taxonomy.html",
        "term.html",
        "404.html",
    ] {
        if !theme.templates.contains_key(required) {
            problems.push(
                Diagnostic::error(
                    "themes",
                    msg!(
                        "temat saknar templates/{required}",
                        "the theme has no templates/{required}"
                    ),
                )
                .with_code("missing-template")
                .with_hint(msg!(
                    "lägg till mallen i temats mapp templates/",
                    "add the template to the theme's templates/ folder"
                )),
            );
        }
    }
    if problems.is_empty() {
        Ok(tera)
    } else {
        Err(problems)
    }
}

/// A Tera error with its causes, on one line.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_outputs_with_one_path_name_what_may_share_an_address() {
        let d = write_problem(
            "tags/x/index.html",
            WriteError::Duplicate("tags/x/index.html".into()),
        );
        assert_eq!(
            d.message.en,
            "two files would be written to /tags/x/index.html; a page, a static file or a generated list (challenges/, tags/, categories/, buyers/, stages/, status/) use the same address; rename the page or file"
        );
        assert_eq!(
            d.message.sv,
            "två filer skulle skrivas till /tags/x/index.html; en sida, en fil i static/ eller en lista som bygget gör (challenges/, tags/, categories/, buyers/, stages/, status/) har samma adress; byt namn på sidan eller filen"
        );
        assert_eq!(d.code, "duplicate-address");
    }

    #[test]
    fn a_failed_write_names_the_action_in_both_languages() {
        let e = WriteError::Io {
            action: crate::emit::Action::WRITE,
            path: "public/a.html".into(),
            source: std::io::Error::other("disk full"),
        };
        let d = write_problem("a.html", e);
        assert_eq!(d.code, "write-failed");
        assert_eq!(d.message.sv, "kan inte skriva public/a.html: disk full");
        assert_eq!(d.message.en, "cannot write public/a.html: disk full");
        let hint = d.hint.unwrap();
        assert_eq!(hint.sv, "den publicerade webbplatsen lämnades som den var");
        assert_eq!(hint.en, "the published site was left as it was");
    }
}
