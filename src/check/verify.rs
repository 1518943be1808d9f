//! Verification of the laid-out pages, from the glyphs themselves rather than from estimates.
//!
//! Every glyph printed from article data is traced to its article, field, byte offset and the
//! frame it belongs in. From that the stage proves what the PDF will show — each article's
//! text appears exactly once, each part inside its own frame and text column, no glyph is a
//! missing-glyph box — and measures what production staff need to know: each part's free
//! lines and characters, and every overflow.

use std::collections::{BTreeSet, HashMap, HashSet};

use typst_layout::PagedDocument;

use crate::body::Cut;
use crate::error::Diagnostic;
use crate::layout::{EPSILON, Layout};
use crate::measure::{Amount, Overflow};
use crate::plan::{Bounds, Context, Field, PlannedArticle, PlannedFrame, continues};
use crate::typeset::glyphs::{Glyph, Reader};

/// What verification found.
pub struct Findings<'a> {
    /// The glyphs printed from article data, for the line check.
    pub glyphs: Vec<Glyph<'a>>,
    /// What each part's frame holds, by article, then slot.
    pub fills: Vec<Vec<Fill>>,
    /// Every part whose text ran past its frame's bottom, in article and slot order.
    pub overflows: Vec<Overflow>,
    /// What keeps the PDF from being written.
    pub errors: Vec<Diagnostic>,
}

/// What one part's frame holds, measured from its glyphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// Whole lines left empty at the bottom of the frame's text columns, less the jump line of
    /// a part that continues.
    pub free_lines: u32,
    /// Whole lines every text column leaves empty at its bottom: how far the frame's text can
    /// move down without running over.
    pub slack_lines: u32,
    /// Characters set in the frame, whitespace not counted.
    pub chars: usize,
    /// Whole lines left empty at the bottom of each text column, left to right.
    pub by_column: Vec<u32>,
}

/// The running count of one part's overflow.
#[derive(Default)]
struct Tally {
    chars: usize,
    lines: BTreeSet<i64>,
    first: Option<Cut>,
}

/// The glyphs sorted by where they landed.
#[derive(Default)]
struct Sorted<'g, 'a> {
    /// How often each byte of each field is printed, by (article, field).
    coverage: HashMap<(usize, Field), Vec<u8>>,
    /// Glyphs inside their frame, by (article, slot).
    inside: HashMap<(usize, usize), Vec<&'g Glyph<'a>>>,
    /// Glyphs past their frame's bottom, by (article, slot).
    past: HashMap<(usize, usize), Tally>,
    /// Lines already reported as too wide, by article and line.
    overfull: HashSet<(usize, i64)>,
    errors: Vec<Diagnostic>,
}

/// Checks the document against the plan and the cuts it was generated with.
pub fn verify<'a>(
    document: &PagedDocument,
    reader: Reader<'_, 'a>,
    ctx: &Context,
    bounds: &Bounds,
) -> Findings<'a> {
    let mut errors = Vec::new();
    let glyphs = reader.glyphs(document, &mut errors);
    let mut sorted = Sorted::default();
    for glyph in &glyphs {
        sorted.add(glyph, ctx);
    }
    errors.append(&mut sorted.errors);
    let fills = fills(&sorted, ctx, bounds);
    for (a, article) in ctx.plan.articles.iter().enumerate() {
        errors.extend(conservation(article, a, &sorted.coverage, bounds));
    }
    let mut overflows: Vec<Overflow> = sorted
        .past
        .into_iter()
        .map(|((article, slot), tally)| Overflow {
            article,
            slot,
            amount: Amount { lines: tally.lines.len(), chars: tally.chars },
            first: tally.first,
        })
        .collect();
    overflows.sort_by_key(|o| (o.article, o.slot));
    Findings { glyphs, fills, overflows, errors }
}

impl<'g, 'a> Sorted<'g, 'a> {
    /// Counts the glyph's bytes, and files it inside its frame, past its bottom, or as an error.
    fn add(&mut self, glyph: &'g Glyph<'a>, ctx: &Context) {
        let (plan, layout) = (ctx.plan, ctx.layout);
        let Glyph { origin, .. } = *glyph;
        let (a, slot) = (origin.article, origin.slot);
        let article = &plan.articles[a];
        if !matches!(origin.field, Field::JumpTitle | Field::JumpLine) {
            let text = article.text(origin.field);
            let counts = self.coverage.entry((a, origin.field)).or_insert_with(|| vec![0; text.len()]);
            for count in &mut counts[glyph.bytes.start.min(text.len())..glyph.bytes.end.min(text.len())] {
                *count = count.saturating_add(1);
            }
        }
        let frame = plan.frame(a, slot);
        let page = plan.page_of(a, slot);
        let (ox, oy) = layout.type_origin();
        let top = oy + frame.y;
        let below_top = glyph.baseline - glyph.size * layout.spec.grid.ascent_em + EPSILON >= top;
        if glyph.page != page || !below_top {
            let number = plan.pages.get(glyph.page).map_or(0, |pg| pg.number);
            let message = format!(
                "article `{}`: “{}” is set outside its frame on page {number}",
                article.id(),
                glyph.text
            );
            self.errors.push(Diagnostic::new(message));
        } else if glyph.baseline > top + frame.height + EPSILON {
            let tally = self.past.entry((a, slot)).or_default();
            if !glyph.text.trim().is_empty() {
                tally.chars += glyph.text.chars().count();
            }
            tally.lines.insert(glyph.line_key());
            tally.first = tally.first.into_iter().chain(glyph.cut()).min();
        } else if within_x(glyph, article, frame, ox) {
            self.inside.entry((a, slot)).or_default().push(glyph);
        } else if self.overfull.insert((a, glyph.line_key())) {
            let context: String = article.text(origin.field)[glyph.bytes.start..].chars().take(8).collect();
            self.errors.push(Diagnostic::new(format!(
                "article `{}`: a line on page {} is too wide for its column at “{}”: \
                 no break is allowed there (an unbreakable run or a cluster of punctuation)",
                article.id(),
                plan.pages[page].number,
                context
            )));
        }
    }
}

/// Whether the glyph's ink lies across its place: body text inside one text column,
/// headlines across the frame.
fn within_x(glyph: &Glyph, article: &PlannedArticle, frame: &PlannedFrame, ox: f64) -> bool {
    let left = ox + frame.x;
    let (from, to) = if article.in_column(glyph.origin.field) {
        let (_, from) = frame.column_at(left, glyph.x);
        (from, from + frame.column_width)
    } else {
        (left, left + frame.width)
    };
    glyph.ink.is_none_or(|(l, r)| l + EPSILON >= from && r <= to + EPSILON)
}

/// Each part's free lines and characters, from the glyphs inside its frame.
fn fills(sorted: &Sorted, ctx: &Context, bounds: &Bounds) -> Vec<Vec<Fill>> {
    let (ox, oy) = ctx.layout.type_origin();
    let plan = ctx.plan;
    (0..plan.articles.len())
        .map(|a| {
            (0..plan.articles[a].frames.len())
                .map(|slot| {
                    let frame = plan.frame(a, slot);
                    let glyphs = sorted.inside.get(&(a, slot)).map(Vec::as_slice).unwrap_or(&[]);
                    // The jump line takes the last line of a part that continues.
                    let by_column = free_lines(frame, glyphs, (ox, oy), ctx.layout);
                    let jump_line = u32::from(continues(&bounds[a], slot));
                    let free = by_column.iter().sum::<u32>().min(frame.capacity()).saturating_sub(jump_line);
                    let slack = by_column.iter().min().map_or(0, |s| s.saturating_sub(jump_line));
                    let chars = glyphs
                        .iter()
                        .filter(|g| g.origin.field != Field::JumpTitle && !g.text.trim().is_empty())
                        .map(|g| g.text.chars().count())
                        .sum();
                    Fill { free_lines: free, slack_lines: slack, chars, by_column }
                })
                .collect()
        })
        .collect()
}

/// Whole grid lines left empty at the bottom of each text column of a frame, with the type
/// area's origin at `origin`. The text columns start where the body does: a column the body
/// does not reach is empty from there down (the headline above it is no text of its own),
/// and all of a frame that sets no body is empty.
fn free_lines(frame: &PlannedFrame, glyphs: &[&Glyph], origin: (f64, f64), layout: &Layout) -> Vec<u32> {
    let pitch = layout.spec.grid.line_pitch_pt;
    let (ascent, descent) = (layout.spec.grid.ascent_em, 1.0 - layout.spec.grid.ascent_em);
    let bottom = origin.1 + frame.y + frame.height;
    let top = |g: &Glyph| g.baseline - g.size * ascent;
    let body = glyphs.iter().filter(|g| matches!(g.origin.field, Field::Run(..)));
    let body_top = body.map(|g| top(g)).fold(f64::INFINITY, f64::min);
    let lines = |from: f64| ((bottom - from) / pitch + EPSILON).floor().max(0.0) as u32;
    (0..frame.columns)
        .map(|c| {
            let (left, width) = frame.column(c, origin.0 + frame.x);
            let right = left + width;
            let lowest = glyphs
                .iter()
                .filter(|g| g.x + g.width > left + EPSILON && g.x < right - EPSILON)
                .filter(|g| top(g) + EPSILON >= body_top)
                .map(|g| g.baseline + g.size * descent)
                .fold(f64::NEG_INFINITY, f64::max);
            match (lowest.is_finite(), body_top.is_finite()) {
                (true, _) => lines(lowest),
                (false, true) => lines(body_top),
                (false, false) => frame.lines,
            }
        })
        .collect()
}

/// Conservation: every character of every field of article `a` exactly once, up to its last
/// cut (the end of the text unless overset was allowed to be left out). One error per field.
fn conservation(
    article: &PlannedArticle,
    a: usize,
    coverage: &HashMap<(usize, Field), Vec<u8>>,
    bounds: &Bounds,
) -> Vec<Diagnostic> {
    let limit = *bounds[a].last().expect("bounds hold a start and an end");
    let whole = limit == Cut::end(&article.blocks);
    let mut errors = Vec::new();
    for field in article.fields() {
        let text = article.text(field);
        let counts = coverage.get(&(a, field));
        for (offset, c) in text.char_indices() {
            let beyond = match field {
                Field::Run(block, run) => Cut { block, run, offset } >= limit,
                Field::Byline => !whole && article.byline_at_end(),
                Field::Signature(_) => !whole,
                _ => false,
            };
            let n = counts.map_or(0, |v| v[offset]);
            if beyond || c.is_whitespace() || n == 1 {
                continue;
            }
            let what = if n == 0 { "is missing from" } else { "appears more than once in" };
            let context: String = text[offset..].chars().take(12).collect();
            errors.push(Diagnostic::new(format!(
                "article `{}`: the text at “{context}” {what} the pages",
                article.id()
            )));
            break;
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::source_map::Origin;

    fn frame(layout: &Layout, columns: u32, lines: u32) -> PlannedFrame {
        let mut frame = PlannedFrame::on_grid(layout, 0, [1, columns, 1, lines], columns);
        frame.grid_at = (1, 1);
        frame
    }

    /// A body glyph on grid line `line` (1-based) of text column `column`.
    fn glyph(layout: &Layout, frame: &PlannedFrame, column: u32, line: u32) -> Glyph<'static> {
        let (x, _) = frame.column(column, 0.0);
        let size = layout.body_size();
        let pitch = layout.spec.grid.line_pitch_pt;
        Glyph {
            page: 0,
            origin: Origin { article: 0, field: Field::Run(0, 0), base: 0, slot: 0 },
            bytes: 0..3,
            text: "字",
            x,
            width: size,
            natural: size,
            offset: 0.0,
            ink: Some((0.0, size)),
            baseline: f64::from(line - 1) * pitch + layout.spec.grid.ascent_em * size,
            size,
        }
    }

    #[test]
    fn free_lines_count_whole_empty_lines_under_each_columns_last_line() {
        let layout = Layout::load("tabloid", std::path::Path::new(".")).unwrap();
        let frame = frame(&layout, 2, 10);
        // Column 0 filled to line 10, column 1 to line 7; the origin is the frame's corner.
        let glyphs =
            [glyph(&layout, &frame, 0, 10), glyph(&layout, &frame, 1, 1), glyph(&layout, &frame, 1, 7)];
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        assert_eq!(free_lines(&frame, &refs, (0.0, 0.0), &layout), [0, 3]);
        // A column the body does not reach is free from the body's first line down, a title
        // above it not counted; a frame without body is wholly free.
        let mut title = glyph(&layout, &frame, 1, 2);
        title.origin.field = Field::Title;
        let head = [glyph(&layout, &frame, 0, 4), glyph(&layout, &frame, 0, 10), title];
        let refs: Vec<&Glyph> = head.iter().collect();
        assert_eq!(free_lines(&frame, &refs, (0.0, 0.0), &layout), [0, 7]);
        assert_eq!(free_lines(&frame, &refs[2..], (0.0, 0.0), &layout), [10, 10]);
        assert_eq!(free_lines(&frame, &[], (0.0, 0.0), &layout), [10, 10]);
    }
}
