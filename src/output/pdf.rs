//! PDF export for the printer and the archive.
//!
//! The same issue gives the same bytes: the timestamp is the issue date (or the build's
//! `SOURCE_DATE_EPOCH`), the document id is the paper, date and issue number. With bleed, the
//! template has already grown each page by the slug and drawn crop marks, and typst-pdf wrote
//! the TrimBox; typst-pdf 0.15.1 has no way to write the BleedBox, so it is added here.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::error::Diagnostic;
use crate::issue::IssueFile;
use crate::layout::{MM, Output};

/// How a build's PDF is made.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PdfSettings {
    /// Bleed (出血) beyond the trimmed page in pt; with it come crop marks and a BleedBox.
    pub bleed_pt: Option<f64>,
    pub standard: Standard,
    /// Seconds since 1970 to stamp the PDF with instead of the issue date, for reproducible
    /// builds (`SOURCE_DATE_EPOCH`).
    pub epoch: Option<i64>,
}

/// The PDF standard a build conforms to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Standard {
    /// PDF 1.7 with process CMYK colours, for print. It carries no structure tags: a RIP has
    /// no use for them, and leaving them out makes export about a third faster and the file
    /// about 40 % smaller.
    #[default]
    Print,
    /// PDF/A-2b, for the archive, tagged for readers; typst-pdf 0.15.1 cannot write CMYK in
    /// it, so the template sets black as gray and other colours as RGB.
    ArchiveA2b,
}

/// The largest bleed a build accepts: printers ask for 3 to 5 mm.
const MAX_BLEED_MM: f64 = 25.0;

impl PdfSettings {
    /// How the template draws pages for this PDF.
    pub fn output(&self) -> Output {
        Output { bleed_pt: self.bleed_pt, archive: self.standard == Standard::ArchiveA2b }
    }

    /// Rejects a bleed that is negative, not a number or beyond any printer's need.
    pub fn check(&self) -> Result<(), Diagnostic> {
        match self.bleed_pt {
            Some(b) if !(0.0..=MAX_BLEED_MM * MM).contains(&b) => Err(Diagnostic::new(format!(
                "a bleed of {:.2} mm is not between 0 and {MAX_BLEED_MM} mm",
                b / MM
            ))),
            _ => Ok(()),
        }
    }
}

/// Exports `document`; `date` is the issue's date, the timestamp unless an epoch is given.
pub fn export(
    document: &PagedDocument,
    file: &IssueFile,
    date: Option<Datetime>,
    settings: &PdfSettings,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let issue = &file.issue;
    let timestamp = match settings.epoch {
        Some(seconds) => Some(epoch_datetime(seconds)?),
        None => date,
    };
    let standards = match settings.standard {
        Standard::Print => typst_pdf::PdfStandards::default(),
        Standard::ArchiveA2b => typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| vec![Diagnostic::new(format!("PDF/A-2b: {}", e.message()))])?,
    };
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("{}-{}-{}", issue.paper.name, issue.issue.date, issue.issue.number)),
        creator: Smart::Custom(Some("banmian".into())),
        timestamp: timestamp.map(typst_pdf::Timestamp::new_utc),
        standards,
        tagged: settings.standard == Standard::ArchiveA2b,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(document, &options).map_err(|diagnostics| {
        diagnostics.iter().map(|d| Diagnostic::new(format!("PDF export: {}", d.message))).collect::<Vec<_>>()
    })?;
    match settings.bleed_pt {
        Some(bleed) => add_bleed_boxes(&pdf, bleed).map_err(|e| vec![e]),
        None => Ok(pdf),
    }
}

/// The UTC date and time `seconds` after 1970.
fn epoch_datetime(seconds: i64) -> Result<Datetime, Vec<Diagnostic>> {
    let invalid =
        || vec![Diagnostic::new(format!("SOURCE_DATE_EPOCH {seconds} is not a date a PDF can hold"))];
    let t = time::OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| invalid())?;
    Datetime::from_ymd_hms(t.year(), t.month().into(), t.day(), t.hour(), t.minute(), t.second())
        .ok_or_else(invalid)
}

/// Gives every page a BleedBox: its TrimBox grown by `bleed` pt on each side, within the media.
fn add_bleed_boxes(pdf: &[u8], bleed: f64) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: lopdf::Error| Diagnostic::new(format!("PDF export: cannot add the bleed box: {e}"));
    let mut document = lopdf::Document::load_mem(pdf).map_err(fail)?;
    for id in document.get_pages().into_values() {
        let page = document.get_object_mut(id).and_then(lopdf::Object::as_dict_mut).map_err(fail)?;
        let corners = |key: &[u8]| -> Result<Vec<f64>, lopdf::Error> {
            page.get(key)?.as_array()?.iter().map(|v| v.as_float().map(f64::from)).collect()
        };
        let (trim, media) = (corners(b"TrimBox").map_err(fail)?, corners(b"MediaBox").map_err(fail)?);
        let (&[tx1, ty1, tx2, ty2], &[mx1, my1, mx2, my2]) = (trim.as_slice(), media.as_slice()) else {
            return Err(Diagnostic::new("PDF export: a page box is not four numbers"));
        };
        let grown =
            [(tx1 - bleed).max(mx1), (ty1 - bleed).max(my1), (tx2 + bleed).min(mx2), (ty2 + bleed).min(my2)];
        page.set("BleedBox", grown.iter().map(|&v| lopdf::Object::Real(v as f32)).collect::<Vec<_>>());
    }
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).map_err(|e| Diagnostic::new(format!("PDF export: {e}")))?;
    Ok(bytes)
}
