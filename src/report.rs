//! The build report: what production staff check before sending pages to print, as JSON.

use serde::Serialize;

/// The whole issue's report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Report {
    /// The issue file.
    pub issue: String,
    pub layout: String,
    pub pages: Vec<PageReport>,
    pub articles: Vec<ArticleReport>,
    /// Errors that kept the PDF from being written; empty on success.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
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
    pub frames: Vec<FrameReport>,
    /// Text that did not fit, when any.
    pub overflow: Option<Overflow>,
}

impl ArticleReport {
    pub fn new(id: &str, title: &str, chars: usize) -> Self {
        ArticleReport {
            id: id.into(),
            title: title.into(),
            chars,
            frames: Vec::new(),
            overflow: None,
        }
    }
}

/// One frame of an article, measured from the laid-out glyphs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct FrameReport {
    pub page: u32,
    /// Capacity in column-lines: grid lines × text columns.
    pub lines: u32,
    pub used_lines: u32,
    /// Whole lines left empty at the bottom of the frame's columns.
    pub free_lines: u32,
    /// Characters set in this frame, whitespace not counted.
    pub chars: usize,
}

/// Text left over after an article's frames.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Overflow {
    pub lines: usize,
    pub chars: usize,
}
