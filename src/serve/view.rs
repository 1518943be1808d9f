//! What the proof page shows, computed from one build: every page with the rectangles drawn
//! over it (frames with their fill, overset, jump lines, holes, line-check marks) and the
//! page table. All positions are in pt from the page's top-left corner, so the browser scales
//! them with the page at any zoom.

use std::collections::HashSet;

use serde::Serialize;

use crate::engine::Build;
use crate::layout::Layout;
use crate::measure::Amount;
use crate::plan::PlannedFrame;
use crate::plan::holes::{Cells, holes};
use crate::report::PartReport;

/// A rectangle on a page, in pt from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The whole proof: the pages of the last build that laid them out, and how the latest build went.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Rises with every build, so a browser knows a message is new.
    pub version: u64,
    /// The issue file.
    pub issue: String,
    pub status: Status,
    pub pages: Vec<PageView>,
    /// Warnings without a place on a page (line-check warnings are the pages' marks).
    pub warnings: Vec<String>,
}

/// How the latest build went.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Whether the pages shown are the latest build's (a build that stopped before layout
    /// leaves the last good pages on show).
    pub current: bool,
    pub errors: Vec<String>,
    /// The build's time in milliseconds.
    pub ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub number: u32,
    /// The page's name, e.g. 第二版.
    pub name: String,
    pub section: Option<String>,
    pub width: f64,
    pub height: f64,
    /// Where the page's SVG is served; it changes only when the page does.
    pub svg: String,
    /// Column-lines used and available in the page's frames.
    pub used: u32,
    pub lines: u32,
    pub frames: Vec<FrameView>,
    pub pictures: Vec<Rect>,
    pub holes: Vec<Hole>,
    pub marks: Vec<Mark>,
}

/// One frame: one part of an article.
#[derive(Debug, Clone, Serialize)]
pub struct FrameView {
    /// The element id on the page, e.g. `p1-f0` (page index, frame index).
    pub id: String,
    pub article: String,
    pub title: String,
    /// The part's place in the article's chain, 1-based, and the chain's length.
    pub part: usize,
    pub parts: usize,
    pub rect: Rect,
    pub lines: u32,
    pub used: u32,
    pub free: u32,
    pub chars: usize,
    /// Text left after the article's last frame, shown on that frame.
    pub overset: Option<Amount>,
    pub jump_to: Option<Jump>,
    pub jump_from: Option<Jump>,
}

/// A jump line (下转 / 上接) and the part it leads to.
#[derive(Debug, Clone, Serialize)]
pub struct Jump {
    pub label: String,
    pub page: u32,
    /// The element id of the part it leads to.
    pub target: String,
    /// Where the jump line sits on this page.
    pub at: Rect,
}

/// Grid cells no frame, picture or masthead covers.
#[derive(Debug, Clone, Serialize)]
pub struct Hole {
    pub rect: Rect,
    pub columns: u32,
    pub lines: u32,
}

/// A line-check warning at its line.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub id: String,
    pub rect: Rect,
    pub article: String,
    pub text: String,
}

impl View {
    /// The view of a build whose pages are served at `svgs` (one per page).
    pub fn of(build: &Build, svgs: Vec<String>, version: u64, ms: f64) -> View {
        let places = Places::new(&build.layout);
        let mut pages: Vec<PageView> = build
            .plan
            .pages
            .iter()
            .zip(build.document.pages())
            .zip(svgs)
            .enumerate()
            .map(|(p, ((page, laid_out), svg))| {
                let size = laid_out.frame.size();
                let frames: Vec<FrameView> =
                    (0..page.frames.len()).map(|f| frame_view(build, &places, p, f)).collect();
                PageView {
                    number: page.number,
                    name: page.name.clone(),
                    section: page.section.clone(),
                    width: size.x.to_pt(),
                    height: size.y.to_pt(),
                    svg,
                    used: frames.iter().map(|f| f.used).sum(),
                    lines: frames.iter().map(|f| f.lines).sum(),
                    frames,
                    pictures: page
                        .pictures
                        .iter()
                        .map(|pic| places.rect(pic.x, pic.y, pic.width, pic.height))
                        .collect(),
                    holes: holes(page, &build.layout)
                        .into_iter()
                        .map(|c| Hole { rect: places.cells(c), columns: c.columns, lines: c.lines })
                        .collect(),
                    marks: Vec::new(),
                }
            })
            .collect();
        let mut marked = HashSet::new();
        for (i, violation) in build.violations.iter().enumerate() {
            let article = &build.plan.articles[violation.article];
            let (p, f) = article.frames[violation.slot];
            let frame = &build.plan.pages[p].frames[f];
            let text = violation.describe(article.id());
            marked.insert(text.clone());
            let mark = Mark {
                id: format!("m{i}"),
                rect: places.line(frame, violation.column, violation.line),
                article: article.id().to_string(),
                text,
            };
            if let Some(page) = pages.get_mut(p) {
                page.marks.push(mark);
            }
        }
        let warnings =
            build.warnings.iter().map(ToString::to_string).filter(|w| !marked.contains(w)).collect();
        let status =
            Status { current: true, errors: build.errors.iter().map(ToString::to_string).collect(), ms };
        View { version, issue: build.report.issue.clone(), status, pages, warnings }
    }
}

/// The element id of frame `f` on page index `p`.
fn frame_id(p: usize, f: usize) -> String {
    format!("p{p}-f{f}")
}

/// The view of frame `f` on page index `p`, with its part's fill from the report.
fn frame_view(build: &Build, places: &Places, p: usize, f: usize) -> FrameView {
    let frame = &build.plan.pages[p].frames[f];
    let article = &build.plan.articles[frame.article];
    let report = &build.report.articles[frame.article];
    let slot = article.frames.iter().position(|&at| at == (p, f)).expect("a frame is in its article's chain");
    let part: &PartReport = &report.parts[slot];
    let last = slot + 1 == article.frames.len();
    let jump = |to: Option<u32>, neighbour: usize, label: &Option<String>, at: Rect| {
        to.map(|page| {
            let (tp, tf) = article.frames[neighbour];
            Jump { label: label.clone().unwrap_or_default(), page, target: frame_id(tp, tf), at }
        })
    };
    let columns = frame.columns.max(1);
    FrameView {
        id: frame_id(p, f),
        article: article.id().to_string(),
        title: article.article.title.clone(),
        part: slot + 1,
        parts: article.frames.len(),
        rect: places.rect(frame.x, frame.y, frame.width, frame.height),
        lines: part.lines,
        used: part.used_lines,
        free: part.free_lines,
        chars: part.chars,
        overset: report.overflow.clone().filter(|_| last),
        jump_to: jump(part.jump_to, slot + 1, &frame.jump_to, places.line(frame, columns - 1, frame.lines)),
        jump_from: jump(part.jump_from, slot.saturating_sub(1), &frame.jump_from, places.line(frame, 0, 1)),
    }
}

/// Turns the plan's positions (pt from the type area's corner, grid lines and columns) into
/// rectangles on the page.
struct Places<'a> {
    layout: &'a Layout,
    origin: (f64, f64),
    pitch: f64,
}

impl<'a> Places<'a> {
    fn new(layout: &'a Layout) -> Places<'a> {
        Places { layout, origin: layout.type_origin(), pitch: layout.spec.grid.line_pitch_pt }
    }

    fn rect(&self, x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x: self.origin.0 + x, y: self.origin.1 + y, w, h }
    }

    /// Grid line `line` (1-based) of text column `column` (0-based) of `frame`.
    fn line(&self, frame: &PlannedFrame, column: u32, line: u32) -> Rect {
        let (x, width) = frame.column(column, frame.x);
        self.rect(x, frame.y + f64::from(line.max(1) - 1) * self.pitch, width, self.pitch)
    }

    fn cells(&self, cells: Cells) -> Rect {
        let x = self.layout.column_x(cells.column + 1);
        let y = f64::from(cells.line) * self.pitch;
        self.rect(x, y, self.layout.span_width(cells.columns), f64::from(cells.lines) * self.pitch)
    }
}
