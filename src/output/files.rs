//! Writing results: files appear whole or not at all, previews go into a folder, and
//! `--emit-typst` writes a folder the official `typst compile` reproduces the PDF from.

use std::io::Write;
use std::path::Path;

use super::preview::Previews;
use crate::error::{Error, Result};
use crate::typeset::fonts::EMBEDDED;
use crate::typeset::generate::{self, Generated};

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place, so
/// a reader never sees a half-written PDF and a failed build leaves the old file untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    // On disk before the rename, so a crash never leaves a short file under the final name.
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // A temporary file is private to its owner; the result is readable like any written file,
    // or keeps the permissions of the file it replaces.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        temp.as_file().set_permissions(permissions).map_err(|e| Error::io(path, e))?;
    }
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes the generated program, its data, its template and the embedded fonts under `dir`.
/// `typst compile --root DIR --font-path DIR/fonts --ignore-system-fonts DIR/main.typ` then
/// makes the same pages when the layout's faces resolved to the embedded fonts; a build that
/// used installed or `--font-path` fonts needs those folders on typst's `--font-path` too.
pub fn emit_typst(dir: &Path, generated: &Generated) -> Result<()> {
    let mut files: Vec<(String, &[u8])> = vec![
        (generate::MAIN.into(), generated.main.as_bytes()),
        (generate::TEMPLATE.into(), generated.template.as_bytes()),
    ];
    files.extend(generated.modules.iter().map(|(path, text)| (path.clone(), text.as_bytes())));
    files.extend(generated.data.iter().map(|(path, bytes)| (path.clone(), bytes.as_slice())));
    files.extend(EMBEDDED.iter().map(|(name, bytes)| (format!("/fonts/{name}"), *bytes)));
    for (virtual_path, bytes) in files {
        let path = dir.join(virtual_path.trim_start_matches('/'));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_atomic(&path, bytes)?;
    }
    Ok(())
}

/// Writes each page's preview as `page-N.png` into `dir` (made if missing), and the contact
/// sheet as `contact-sheet.png` when `sheet` is set.
pub fn write_previews(dir: &Path, previews: &Previews, sheet: bool) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (number, png) in &previews.pages {
        write_atomic(&dir.join(format!("page-{number}.png")), png)?;
    }
    if sheet {
        write_atomic(&dir.join("contact-sheet.png"), &previews.contact_sheet)?;
    }
    Ok(())
}
