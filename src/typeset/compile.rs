//! Compiling the generated program, with Typst's diagnostics turned into the engine's.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst_layout::PagedDocument;

use super::generate;
use super::world::{NewsWorld, file_id};
use crate::error::{Diagnostic, Error, Location, Result};

/// Compiles the world's program to pages. Warnings come back beside the document.
pub fn compile(world: &NewsWorld, template_path: &Path) -> Result<(PagedDocument, Vec<Diagnostic>)> {
    let warned = typst::compile::<PagedDocument>(world);
    forget_old_layouts();
    let warnings = warned.output.is_ok().then(|| convert(world, &warned.warnings, template_path));
    match warned.output {
        Ok(document) => Ok((document, warnings.unwrap_or_default())),
        Err(errors) => Err(Error::Invalid(convert(world, &errors, template_path))),
    }
}

/// How many compiles pass between two evictions of Typst's memoised layouts. Each eviction
/// walks every cache: after every compile, that cost a composed build a tenth of its time.
const EVICT_EVERY: usize = 8;

/// The compiles so far, in every thread.
static COMPILES: AtomicUsize = AtomicUsize::new(0);

/// Drops, every [`EVICT_EVERY`] compiles, the layouts Typst memoised that the last 8 to 16
/// compiles did not use: a rebuild still finds the last build's final pages, and a composed
/// build, which compiles dozens of times, does not keep every probe's layouts.
fn forget_old_layouts() {
    if COMPILES.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
        comemo::evict(1);
    }
}

fn convert(world: &NewsWorld, diagnostics: &[SourceDiagnostic], template_path: &Path) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.to_string();
            if d.severity == Severity::Warning {
                message.insert_str(0, "typst warning: ");
            }
            for hint in &d.hints {
                message.push_str(&format!(" (hint: {})", hint.v));
            }
            Diagnostic::new(message).at(locate(world, d, template_path))
        })
        .collect()
}

/// The layout template's file and line for a diagnostic, or the generated main source's.
fn locate(world: &NewsWorld, d: &SourceDiagnostic, template_path: &Path) -> Option<Location> {
    let id = d.span.id()?;
    let range = world.range(d.span)?;
    let source = world.source_of(id)?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    let file = if id == file_id(generate::TEMPLATE) {
        template_path.to_path_buf()
    } else {
        id.get().vpath().get_without_slash().into()
    };
    Some(Location { file, line: line + 1, column: column + 1 })
}
