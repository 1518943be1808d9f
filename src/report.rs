//! The build report: what production staff check before sending pages to print, as JSON.

use serde::Serialize;

use crate::composition::Counts;

/// The whole issue's report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Report {
    /// The issue file.
    pub issue: String,
    pub layout: String,
    pub pages: Vec<PageReport>,
    pub articles: Vec<ArticleReport>,
    /// Whether overset text was allowed (`--allow-overset`) and left out of the PDF.
    pub overset: bool,
    /// Errors that kept the PDF from being written; empty on success.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Where the build's time went.
    pub timings: Timings,
}

/// Time spent in each stage of one build, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Timings {
    /// Reading the issue and layout, planning the frames.
    pub plan_ms: f64,
    /// Finding the continuation splits: its measuring compiles.
    pub split_ms: f64,
    pub split_compiles: usize,
    /// Generating and compiling the pages (more than one compile when a split moved back).
    pub compile_ms: f64,
    pub compiles: usize,
    /// Checking the pages: conservation, containment, tofu and line composition.
    pub verify_ms: f64,
    /// Exporting the PDF, which runs beside the checks: `total-ms` is less than the sum.
    pub pdf_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PageReport {
    pub number: u32,
    pub section: Option<String>,
    pub frames: usize,
}

/// One article: its size and where it went.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ArticleReport {
    pub id: String,
    pub title: String,
    /// Characters of the article's text, whitespace not counted.
    pub chars: usize,
    /// The article's parts in chain order, one per frame.
    pub parts: Vec<PartReport>,
    /// Text left after the last frame (overset), when any.
    pub overflow: Option<Overflow>,
    /// Line-composition violations found on the article's laid-out lines.
    pub composition: Counts,
}

impl ArticleReport {
    pub fn new(id: &str, title: &str, chars: usize) -> Self {
        ArticleReport {
            id: id.into(),
            title: title.into(),
            chars,
            parts: Vec::new(),
            overflow: None,
            composition: Counts::default(),
        }
    }
}

/// One part of an article: one frame, measured from the laid-out glyphs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PartReport {
    pub page: u32,
    /// The frame's index among its page's frames.
    pub frame: usize,
    /// Which characters of the article's body this part holds: [start, end), counted in
    /// characters of the body text (blocks joined).
    pub text_range: [usize; 2],
    /// Capacity in column-lines: grid lines × text columns.
    pub lines: u32,
    pub used_lines: u32,
    /// Whole lines left empty at the bottom of the frame's columns.
    pub free_lines: u32,
    /// Characters set in this frame, whitespace not counted.
    pub chars: usize,
    /// The page this part continues on (下转), when it does.
    pub jump_to: Option<u32>,
    /// The page this part continues from (上接), when it does.
    pub jump_from: Option<u32>,
}

/// Text left over after an article's frames.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Overflow {
    pub lines: usize,
    pub chars: usize,
}
