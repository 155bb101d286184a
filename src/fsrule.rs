//! The one rule about the site's files that both the settings and the walk
//! of `content/` follow: where a symbolic link may lead.
//!
//! A leaf: it knows paths and diagnostics only, so `config` and `content`
//! share it without importing each other.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::msg;

/// The folders of the site whose files may be published; a link is
/// followed only to a file in one of them.
const SOURCE_FOLDERS: [&str; 3] = ["content", "static", "themes"];

/// The error for the symbolic link shown as `shown` that cannot be
/// followed (its target is missing, or links loop), with the system's
/// reason `e`.
pub fn broken_link(shown: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        shown,
        msg!(
            "den symboliska länken går inte att följa: {e}",
            "the symbolic link cannot be followed: {e}"
        ),
    )
    .with_code("broken-symlink")
    .with_hint(msg!(
        "ta bort den trasiga eller cirkulära länken",
        "remove the broken or looping link"
    ))
}

/// Why the symbolic link at `path` may not be followed (shown as `shown`),
/// or `None` when it leads to something in `content/`, `static/` or
/// `themes/` that is not hidden. Only the link's target path is resolved;
/// nothing it names is opened. `real_root` is the site root with every link
/// in it resolved.
///
/// A link out of the site, to a hidden file or folder, or one that cannot
/// be followed is an error. A link to another file of the site (the
/// settings, a script beside them) gives a warning and is not followed:
/// such files are not meant to be published, but are no secret either.
pub fn link_problem(real_root: &Path, path: &Path, shown: &Path) -> Option<Diagnostic> {
    let target = match path.canonicalize() {
        Ok(target) => target,
        Err(e) => return Some(broken_link(shown, &e)),
    };
    let Ok(inside) = target.strip_prefix(real_root) else {
        return Some(
            Diagnostic::error(
                shown,
                msg!(
                    "den symboliska länken pekar ut ur webbplatsen",
                    "the symbolic link points outside the site"
                ),
            )
            .with_code("link-outside-site")
            .with_hint(msg!(
                "kopiera in filen i webbplatsen i stället för att länka till den",
                "copy the file into the site instead of linking to it"
            )),
        );
    };
    let to = inside.display();
    if inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return Some(
            Diagnostic::error(
                shown,
                msg!(
                    "den symboliska länken pekar på `{to}`, som är dold; dolda filer och mappar publiceras aldrig",
                    "the symbolic link points to `{to}`, which is hidden; hidden files and folders are never published"
                ),
            )
            .with_code("link-to-hidden")
            .with_hint(msg!(
                "ta bort länken, eller kopiera det som ska publiceras till ett namn som inte börjar med `.`",
                "remove the link, or copy what should be published to a name that does not start with `.`"
            )),
        );
    }
    let first = inside.components().next().map(|c| c.as_os_str());
    if !SOURCE_FOLDERS
        .iter()
        .any(|f| first == Some(std::ffi::OsStr::new(f)))
    {
        return Some(
            Diagnostic::warning(
                shown,
                msg!(
                    "den symboliska länken pekar på `{to}`, som inte ligger i content/, static/ eller themes/; den publiceras inte",
                    "the symbolic link points to `{to}`, which is not in content/, static/ or themes/; it is not published"
                ),
            )
            .with_code("link-not-published")
            .with_hint(msg!(
                "kopiera filen till content/ eller static/ om den ska publiceras, eller ta bort länken",
                "copy the file into content/ or static/ if it should be published, or remove the link"
            )),
        );
    }
    None
}
