//! The build report: what production staff check before sending pages to print, as JSON, and
//! the one place it is assembled — from the plan, the cuts, and what the checks found — with
//! the build's errors and warnings.

mod sizes;

use serde::Serialize;

pub use sizes::{PictureSize, SizeReport};

use crate::body::Cut;
use crate::check::lines::{Counts, Violation};
use crate::check::page::{self, PageFault};
use crate::check::pictures::{self, PrintedPicture};
use crate::check::verify::Fill;
use crate::check::verify::Findings;
use crate::compose::ComposedPage;
use crate::error::Diagnostic;
use crate::measure::{Amount, Overflow};
use crate::plan::holes::holes;
use crate::plan::{Bounds, Context, Plan, PlannedArticle, continues};

/// The whole issue's report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Report {
    /// The issue file.
    pub issue: String,
    pub layout: String,
    pub pages: Vec<PageReport>,
    pub articles: Vec<ArticleReport>,
    /// Every frame and picture with its grid place and size, pictures with their resolution.
    pub sizes: Vec<SizeReport>,
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
    /// Reading the issue and layout, planning the frames; for a composed or copy-fitted
    /// issue also composing and every build before the one reported.
    pub plan_ms: f64,
    /// Composing the pages that list articles (measuring their needs, tiling), every time.
    pub compose_ms: f64,
    /// How often the pages were composed: again after a composed frame's text did not fit.
    pub compositions: usize,
    /// How often copy-fit probed last parts at tracking levels before setting the pages (one
    /// measuring round each), and how often the whole issue was built: once, and again for
    /// every copy-fit step the set pages asked for.
    pub probes: usize,
    pub builds: usize,
    /// Finding the continuation splits: its measuring compiles.
    pub split_ms: f64,
    pub split_compiles: usize,
    /// Generating and compiling the pages (more than one compile when a split moved back).
    pub compile_ms: f64,
    pub compiles: usize,
    /// Checking the pages: conservation, containment, tofu and the line check.
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
    /// Page-check faults found on the page.
    pub anatomy: page::Counts,
    /// How much of the type area (below the masthead on page 1) holds text, headlines or
    /// pictures, in percent: every grid cell of a frame or picture, less its frame's free lines.
    pub fill_percent: f64,
    /// Grid rectangles no frame or picture covers, at least one column × the layout's
    /// `hole-lines` (开天窗): columns and lines 1-based.
    pub holes: Vec<Hole>,
    /// What composing the page found, when the composer made it: its score and the rules it
    /// gave up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub composed: Option<ComposedPage>,
}

/// A hole on a page: grid rectangle [column, columns, line, lines], 1-based.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Hole {
    pub column: u32,
    pub columns: u32,
    pub line: u32,
    pub lines: u32,
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
    pub overflow: Option<Amount>,
    /// Copy-fit's change to the article's tracking (字距), in em; 0 when not fitted.
    pub tracking_em: f64,
    /// Copy-fit's change to the height of the article's 压题照片, in grid lines.
    pub picture_lines: i32,
    /// What copy-fit changed, in the desk's words ("字距 −0.020 em, 照片 −3 行, 题空 +1 行");
    /// empty when nothing.
    pub copy_fit: String,
    /// Line-check violations found on the article's laid-out lines.
    pub composition: Counts,
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
    /// Whole lines every text column leaves empty at its bottom: how far the text could move
    /// down (see [`Fill::slack_lines`]).
    pub slack_lines: u32,
    /// Whole lines its shortest text column leaves empty at its bottom: a hole from the
    /// layout's `hole-lines` on.
    pub short_lines: u32,
    /// Grid lines of white added around the frame's head (`head-space` and copy-fit's).
    pub head_space: u32,
    /// Characters set in this frame, whitespace not counted.
    pub chars: usize,
    /// The page this part continues on (下转), when it does.
    pub jump_to: Option<u32>,
    /// The page this part continues from (上接), when it does.
    pub jump_from: Option<u32>,
}

/// What a build's report is made from.
pub struct Outcome<'a> {
    pub ctx: &'a Context<'a>,
    /// The cuts the final pages were set with.
    pub bounds: &'a Bounds,
    pub findings: Findings<'a>,
    pub violations: &'a [Violation],
    /// The pictures as they printed.
    pub pictures: Vec<PrintedPicture>,
    /// Page-check faults, by page.
    pub faults: Vec<PageFault>,
    /// Typst's own warnings from compiling the final pages.
    pub typst_warnings: Vec<Diagnostic>,
    /// The overset cut off (allowed) from each article, as first measured with all of it set.
    pub cut_off: Vec<(usize, Amount)>,
}

/// The report, with the errors and warnings it lists as diagnostics.
pub struct Assembled {
    pub report: Report,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Assembled {
    /// Adds errors found after the pages were checked (the PDF export's).
    pub fn fail(&mut self, errors: Vec<Diagnostic>) {
        self.report.errors.extend(errors.iter().map(ToString::to_string));
        self.errors.extend(errors);
    }
}

/// Assembles the report of the issue at `issue` from a build's outcome.
pub fn assemble(issue: String, outcome: Outcome, timings: Timings) -> Assembled {
    let Outcome { ctx, bounds, findings, violations, pictures, faults, typst_warnings, cut_off } = outcome;
    let plan = ctx.plan;
    let mut articles: Vec<ArticleReport> = plan
        .articles
        .iter()
        .enumerate()
        .map(|(a, article)| article_report(ctx, a, article, &findings, bounds))
        .collect();
    for (a, amount) in cut_off {
        articles[a].overflow.get_or_insert(amount);
    }
    let mut warnings = plan.warnings.clone();
    warnings.extend(typst_warnings);
    warnings.extend(pictures::resolution_warnings(&pictures, ctx));
    for violation in violations {
        articles[violation.article].composition.add(violation.rule);
        warnings.push(Diagnostic::new(violation.describe(plan.articles[violation.article].id())));
    }
    for fault in &faults {
        warnings.push(Diagnostic::new(fault.describe(plan.pages[fault.page].number)));
    }
    let findings_fills = findings.fills;
    let mut errors = findings.errors;
    for over in &findings.overflows {
        errors.push(Diagnostic::new(overflow_message(ctx, over)));
    }
    for (report, article) in articles.iter().zip(&plan.articles) {
        warnings.extend(fill_warnings(ctx, report, article));
    }
    for (i, page) in plan.pages.iter().enumerate() {
        for hole in page_holes(ctx, i, &findings_fills) {
            warnings.push(Diagnostic::new(format!(
                "page {}: a hole of {} columns × {} lines at column {}, line {} (开天窗): no text, frame or picture covers it",
                page.number, hole.columns, hole.lines, hole.column, hole.line
            )));
        }
    }
    let overset = overset(ctx, bounds);
    warnings.extend(overset.iter().map(|w| Diagnostic::new(w.clone())));
    let report = Report {
        issue,
        layout: ctx.layout.spec.name.clone(),
        pages: plan
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| PageReport {
                number: p.number,
                section: p.section.clone(),
                frames: p.frames.len(),
                anatomy: anatomy(&faults, i),
                fill_percent: fill_percent(ctx, i, &findings_fills),
                holes: page_holes(ctx, i, &findings_fills),
                composed: None,
            })
            .collect(),
        articles,
        sizes: sizes::sizes(ctx, &pictures),
        overset: !overset.is_empty(),
        errors: errors.iter().map(ToString::to_string).collect(),
        warnings: warnings.iter().map(ToString::to_string).collect(),
        timings,
    };
    Assembled { report, errors, warnings }
}

/// What a desk does about an overflow: how much is over, in lines of one text column and
/// characters, the frame height that would hold it, and whether copy-fit already went to its
/// bound.
fn overflow_message(ctx: &Context, over: &Overflow) -> String {
    let plan = ctx.plan;
    let frame = plan.frame(over.article, over.slot);
    let (lines, chars) = (over.amount.lines, over.amount.chars);
    let wanted = frame.lines as usize + lines.div_ceil(frame.columns.max(1) as usize);
    let fitted = match copy_fit(plan, over.article) {
        done if done.is_empty() => done,
        done => format!("; copy-fit went no further than {done}"),
    };
    format!(
        "article `{}` does not fit its frame on page {}: 差 {lines} 行 / {chars} 字 (over by {lines} lines of a \
         text column, {chars} characters; a frame of {wanted} grid lines would hold it{fitted})",
        plan.articles[over.article].id(),
        plan.page_number(over.article, over.slot),
    )
}

/// How full page `p` is, in percent of its type area (below the masthead on page 1): the grid
/// cells of its frames and pictures, less the free lines of each frame (a free line of a text
/// column counts the grid columns that column spans).
fn fill_percent(ctx: &Context, p: usize, fills: &[Vec<Fill>]) -> f64 {
    let (plan, grid) = (ctx.plan, &ctx.layout.spec.grid);
    let page = &plan.pages[p];
    let lines = grid.lines - if page.masthead { grid.masthead_lines } else { 0 };
    let area = f64::from(grid.columns * lines);
    let mut covered: f64 = page.pictures.iter().map(|pic| f64::from(pic.extent[1] * pic.extent[3])).sum();
    for frame in &page.frames {
        let (a, slot) = (frame.article, frame.slot);
        let free = fills.get(a).and_then(|f| f.get(slot)).map_or(0, |f| f.free_lines);
        let per_column = f64::from(frame.span) / f64::from(frame.columns.max(1));
        covered += f64::from(frame.span * frame.lines) - f64::from(free) * per_column;
    }
    (100.0 * covered / area).clamp(0.0, 100.0)
}

/// Page `p`'s holes of at least one column × the layout's `hole-lines`, 1-based: grid no frame
/// or picture covers, and the foot of a balanced frame under text columns that end that many
/// lines short of it.
fn page_holes(ctx: &Context, p: usize, fills: &[Vec<Fill>]) -> Vec<Hole> {
    let least = ctx.layout.spec.grid.hole_lines;
    let page = &ctx.plan.pages[p];
    let uncovered = holes(page, ctx.layout).into_iter().filter(|c| c.lines >= least).map(|c| Hole {
        column: c.column + 1,
        columns: c.columns,
        line: c.line + 1,
        lines: c.lines,
    });
    let short = page.frames.iter().filter(|f| f.balance).flat_map(|f| {
        let free =
            fills.get(f.article).and_then(|fill| fill.get(f.slot)).map_or(&[][..], |fill| &fill.by_column);
        short_feet(f.extent(), free, least)
    });
    uncovered.chain(short).collect()
}

/// The holes at the foot of a frame at `extent` (grid column, span, line, lines) whose text
/// columns leave `free` lines each: every run of neighbouring columns at least `least` lines
/// short, as deep as its shallowest, over the grid columns its text columns cover (rounded,
/// for text columns wider than a grid column).
fn short_feet([column, span, line, lines]: [u32; 4], free: &[u32], least: u32) -> Vec<Hole> {
    let columns = free.len() as u32;
    let grid = |c: u32| column + (c * span + columns / 2) / columns.max(1);
    let mut feet = Vec::new();
    let mut c = 0;
    while c < columns {
        let start = c;
        while c < columns && free[c as usize] >= least {
            c += 1;
        }
        if c > start {
            let depth = free[start as usize..c as usize].iter().copied().min().unwrap_or(0).min(lines);
            let (from, to) = (grid(start), grid(c));
            feet.push(Hole {
                column: from,
                columns: (to - from).max(1),
                line: line + lines - depth,
                lines: depth,
            });
        }
        c += 1;
    }
    feet
}

/// One article's row: each part's place, text, capacity and fill, and its overset.
fn article_report(
    ctx: &Context,
    a: usize,
    article: &PlannedArticle,
    findings: &Findings,
    bounds: &Bounds,
) -> ArticleReport {
    let plan = ctx.plan;
    let parts = (0..article.frames.len())
        .map(|slot| {
            let frame = plan.frame(a, slot);
            let fill = &findings.fills[a][slot];
            let (start, end) = (bounds[a][slot], bounds[a][slot + 1]);
            let capacity = frame.capacity();
            PartReport {
                page: plan.page_number(a, slot),
                frame: article.frames[slot].1,
                text_range: [start.char_index(&article.blocks), end.char_index(&article.blocks)],
                lines: capacity,
                used_lines: capacity - fill.free_lines,
                free_lines: fill.free_lines,
                slack_lines: fill.slack_lines,
                short_lines: fill.by_column.iter().copied().max().unwrap_or(0),
                head_space: frame.head_space,
                chars: fill.chars,
                jump_to: continues(&bounds[a], slot).then(|| plan.page_number(a, slot + 1)),
                jump_from: (slot > 0 && start < end).then(|| plan.page_number(a, slot - 1)),
            }
        })
        .collect();
    let last = article.frames.len() - 1;
    ArticleReport {
        id: article.id().into(),
        title: article.article.title.clone(),
        chars: article.full_text().chars().filter(|c| !c.is_whitespace()).count(),
        parts,
        overflow: findings
            .overflows
            .iter()
            .find(|o| o.article == a && o.slot == last)
            .map(|o| o.amount.clone()),
        tracking_em: plan.frame(a, 0).tracking_em,
        picture_lines: plan.fitting.picture.get(&a).copied().unwrap_or(0),
        copy_fit: copy_fit(plan, a),
        composition: Counts::default(),
    }
}

/// What copy-fit changed of article `a`, in the desk's words: tracking (字距), picture height
/// (照片), the title a 字号 smaller (标题小一号) and the white around the last frame's head
/// (题空), each only when changed.
fn copy_fit(plan: &Plan, a: usize) -> String {
    let signed = |n: i32| format!("{}{}", if n < 0 { "−" } else { "+" }, n.unsigned_abs());
    let tracking = plan.fitting.tracking.get(&a).filter(|t| **t != 0.0);
    let tracking = tracking.map(|t| format!("字距 {}{:.3} em", if *t < 0.0 { "−" } else { "+" }, t.abs()));
    let lines =
        |name: &str, n: Option<&i32>| n.filter(|n| **n != 0).map(|&n| format!("{name} {} 行", signed(n)));
    let title = plan.fitting.smaller_title.contains(&a).then(|| "标题小一号".to_string());
    [tracking, lines("照片", plan.fitting.picture.get(&a)), title, lines("题空", plan.fitting.space.get(&a))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The page check's counts for page `index`.
fn anatomy(faults: &[PageFault], index: usize) -> page::Counts {
    let mut counts = page::Counts::default();
    for fault in faults.iter().filter(|f| f.page == index) {
        counts.add(fault.fault);
    }
    counts
}

/// Warnings about an article's fill: many free lines at its end, frames left empty after it.
fn fill_warnings(ctx: &Context, report: &ArticleReport, article: &PlannedArticle) -> Vec<Diagnostic> {
    let limit = ctx.layout.spec.continuation.underset_warning_lines;
    let holding: Vec<_> = report.parts.iter().filter(|p| p.text_range[0] < p.text_range[1]).collect();
    let mut warnings = Vec::new();
    if let Some(last) = holding.last().filter(|p| p.free_lines > limit) {
        warnings.push(Diagnostic::new(format!(
            "article `{}` leaves {} lines free at its end on page {}",
            article.id(),
            last.free_lines,
            last.page
        )));
    }
    for empty in report.parts.iter().skip(holding.len()) {
        warnings.push(Diagnostic::new(format!(
            "article `{}` ends before its frame on page {}, which stays empty",
            article.id(),
            empty.page
        )));
    }
    warnings
}

/// A note for each article whose overset was left out (`--allow-overset`).
fn overset(ctx: &Context, bounds: &Bounds) -> Vec<String> {
    ctx.plan
        .articles
        .iter()
        .zip(bounds)
        .filter(|(article, b)| b.last() != Some(&Cut::end(&article.blocks)))
        .map(|(article, b)| {
            format!(
                "article `{}`: overset text from character {} left out (--allow-overset)",
                article.id(),
                b.last().map_or(0, |c| c.char_index(&article.blocks))
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feet_of_columns_two_lines_short_are_holes() {
        // Five columns at grid column 1, lines 10–30, the last three two lines short.
        let feet = short_feet([1, 5, 10, 21], &[1, 1, 2, 2, 2], 2);
        assert_eq!(feet, [Hole { column: 3, columns: 3, line: 29, lines: 2 }]);
        // One line short everywhere is no hole; two runs are two.
        assert!(short_feet([1, 5, 10, 21], &[1; 5], 2).is_empty());
        assert_eq!(short_feet([1, 5, 10, 21], &[3, 1, 2, 0, 0], 2).len(), 2);
        // Three text columns over grid columns 2–5: the last, a grid column and a third wide,
        // holds grid column 5 whole.
        let feet = short_feet([2, 4, 1, 20], &[0, 0, 5], 2);
        assert_eq!(feet, [Hole { column: 5, columns: 1, line: 16, lines: 5 }]);
    }
}
