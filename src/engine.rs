//! The engine: fonts and the Typst library loaded once, then any number of issues built.
//!
//! One build runs the stages in order — read the issue file, load its layout, plan the frames,
//! generate the Typst program, compile it, verify the pages, export the PDF — and returns the
//! PDF with the report, or every error it found.

use std::path::Path;

use typst::Library;
use typst::foundations::{Datetime, Smart};
use typst::utils::LazyHash;

use crate::compile;
use crate::error::{Diagnostic, Error, Result};
use crate::fonts::{FontOptions, FontStore};
use crate::generate::{self, Generated};
use crate::issue::{IssueFile, KeyPath};
use crate::layout::Layout;
use crate::plan::plan;
use crate::report::{PageReport, Report};
use crate::verify::verify;
use crate::world::{self, NewsWorld};

/// Holds what is expensive to set up and shared by builds.
pub struct Engine {
    fonts: FontStore,
    library: LazyHash<Library>,
}

/// What one build produced. `pdf` is present only when `errors` is empty and a PDF was asked for.
pub struct Build {
    pub report: Report,
    pub pdf: Option<Vec<u8>>,
    pub generated: Generated,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Engine {
    pub fn new(fonts: &FontOptions) -> Engine {
        Engine {
            fonts: FontStore::new(fonts),
            library: world::library(),
        }
    }

    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// Builds the issue at `path`. Errors that stop layout (bad data, bad layout) are `Err`;
    /// problems found on the laid-out pages are in [`Build::errors`], beside the report.
    pub fn build(&self, path: &Path, want_pdf: bool) -> Result<Build> {
        let file = IssueFile::read(path)?;
        let mut layout = Layout::load(&file.issue.layout, file.dir()).map_err(|e| match e {
            Error::Invalid(ds) => Error::Invalid(
                ds.into_iter()
                    .map(|d| match d.location {
                        Some(_) => d,
                        None => file.diagnostic(&KeyPath::default().key("layout"), d.message),
                    })
                    .collect(),
            ),
            other => other,
        })?;
        layout.resolve_fonts(self.fonts.book())?;
        let plan = plan(&file, &layout)?;
        let generated = generate::generate(&file, &layout, &plan);

        let date = file.issue.issue.date;
        let today = Datetime::from_ymd(date.year(), date.month(), date.day());
        let mut world = NewsWorld::new(&self.library, &self.fonts);
        world.load(&generated, today);
        let (document, warnings) = compile::compile(&world, &layout.template_path)?;
        let findings = verify(&document, &world, &generated.map, &plan, &layout);

        let mut errors = findings.errors;
        let pdf = if errors.is_empty() && want_pdf {
            match typst_pdf::pdf(&document, &pdf_options(&file, today)) {
                Ok(bytes) => Some(bytes),
                Err(diagnostics) => {
                    errors.extend(
                        diagnostics
                            .iter()
                            .map(|d| Diagnostic::new(format!("PDF export: {}", d.message))),
                    );
                    None
                }
            }
        } else {
            None
        };
        let report = Report {
            issue: path.display().to_string(),
            layout: layout.geometry.name.clone(),
            pages: plan
                .pages
                .iter()
                .map(|p| PageReport {
                    number: p.number,
                    section: p.section.clone(),
                    frames: p.frames.len(),
                })
                .collect(),
            articles: findings.articles,
            errors: errors.iter().map(ToString::to_string).collect(),
            warnings: warnings.iter().map(ToString::to_string).collect(),
        };
        Ok(Build {
            report,
            pdf,
            generated,
            errors,
            warnings,
        })
    }
}

/// PDF settings that make the same issue give the same bytes: the timestamp is the issue date.
fn pdf_options(file: &IssueFile, today: Option<Datetime>) -> typst_pdf::PdfOptions {
    let issue = &file.issue;
    typst_pdf::PdfOptions {
        ident: Smart::Custom(format!(
            "{}-{}-{}",
            issue.paper.name, issue.issue.date, issue.issue.number
        )),
        creator: Smart::Custom(Some("banmian".into())),
        timestamp: today.map(typst_pdf::Timestamp::new_utc),
        ..Default::default()
    }
}
