//! Verification of the laid-out pages, from the glyphs themselves rather than from estimates.
//!
//! Every glyph printed from article data is traced through its span and the [`SourceMap`] to its
//! article, part, byte offset and the frame it belongs in. From that the stage proves what the PDF
//! will show: each article's text appears exactly once, each part inside its own frame, and no
//! glyph is a missing-glyph box; and it measures what production staff need to know: lines used
//! and free, and text that did not fit.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use rayon::prelude::*;

use typst::WorldExt;
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::syntax::Span;
use typst::text::{Font, TextItem};
use typst_layout::PagedDocument;

use crate::body::Cut;
use crate::error::Diagnostic;
use crate::generate::{self, Bounds, Origin, Part, SourceMap};
use crate::layout::Layout;
use crate::plan::{Plan, PlannedArticle, PlannedFrame};
use crate::report::{ArticleReport, Overflow, PartReport};
use crate::world::NewsWorld;

/// Tolerance for comparing glyph positions with frame edges, in pt.
pub const EPSILON: f64 = 0.01;

/// One glyph printed from article data, positioned on its page (pt, y down).
pub struct Placed<'a> {
    pub page: usize,
    pub origin: Origin,
    /// Byte range of the glyph's cluster inside the part's text.
    pub bytes: Range<usize>,
    /// The cluster's text, from the plan's article data.
    pub text: &'a str,
    /// The pen position where the glyph starts, and its advance.
    pub x: f64,
    pub width: f64,
    /// The advance the font gives the glyph, before justification and spacing.
    pub natural: f64,
    /// The horizontal extent of the glyph's ink; none for a space.
    pub ink: Option<(f64, f64)>,
    pub baseline: f64,
    pub size: f64,
}

/// What verification found: per-article measurements, text that did not fit each part's
/// frame, and the errors that block the PDF.
pub struct Findings<'a> {
    pub articles: Vec<ArticleReport>,
    /// Every part whose text ran past its frame's bottom.
    pub overflows: Vec<OverflowAt>,
    pub errors: Vec<Diagnostic>,
    /// The glyphs printed from article data, for the line-composition check.
    pub placed: Vec<Placed<'a>>,
}

/// Text that ran past the bottom of one part's frame.
pub struct OverflowAt {
    pub article: usize,
    pub slot: usize,
    pub amount: Overflow,
    /// Where the text past the frame begins.
    pub first: Option<Cut>,
}

/// Glyphs of one part found below its frame's bottom.
#[derive(Default)]
struct Spill {
    chars: usize,
    /// Distinct baselines, in tenths of a point.
    baselines: BTreeSet<i64>,
    first: Option<Cut>,
}

/// Checks the document against the plan and the cuts it was generated with.
pub fn verify<'a>(
    document: &PagedDocument,
    world: &NewsWorld,
    map: &SourceMap,
    plan: &'a Plan,
    layout: &Layout,
    bounds: &Bounds,
) -> Findings<'a> {
    let mut errors = Vec::new();
    let placed = collect(document, world, map, plan, &mut errors);
    let (origin_x, origin_y) = layout.type_origin();

    let mut coverage: HashMap<(usize, Part), Vec<u8>> = HashMap::new();
    let mut inside: HashMap<(usize, usize), Vec<&Placed>> = HashMap::new();
    let mut over: HashMap<(usize, usize), Spill> = HashMap::new();
    // Lines already reported as too wide, by article and baseline.
    let mut overfull: std::collections::HashSet<(usize, u64)> = std::collections::HashSet::new();
    for glyph in &placed {
        let Origin { article: a, part, slot, .. } = glyph.origin;
        let article = &plan.articles[a];
        if !matches!(part, Part::JumpTitle | Part::JumpLine) {
            let text = part_text(article, part);
            let counts = coverage.entry((a, part)).or_insert_with(|| vec![0; text.len()]);
            for count in &mut counts[glyph.bytes.start.min(text.len())..glyph.bytes.end.min(text.len())] {
                *count = count.saturating_add(1);
            }
        }
        let (p, f) = article.frames[slot];
        let frame = &plan.pages[p].frames[f];
        let (left, top) = (origin_x + frame.x, origin_y + frame.y);
        // Body text stays inside one text column; headlines span the frame.
        let in_body = matches!(part, Part::Run(..) | Part::Dateline | Part::Signature(_) | Part::JumpLine)
            || (part == Part::Byline && article.byline_at_end());
        let (from, to) = if in_body {
            let (_, from) = layout.column_at(frame, left, glyph.x);
            (from, from + layout.frame_columns(frame).0)
        } else {
            (left, left + frame.width)
        };
        let within_x = glyph.ink.is_none_or(|(l, r)| l + EPSILON >= from && r <= to + EPSILON);
        let below_top = glyph.baseline - glyph.size * layout.geometry.grid.ascent_em + EPSILON >= top;
        if glyph.page == p && below_top && glyph.baseline > top + frame.height + EPSILON {
            let spill = over.entry((a, slot)).or_default();
            if !glyph.text.trim().is_empty() {
                spill.chars += glyph.text.chars().count();
            }
            spill.baselines.insert((glyph.baseline * 10.0).round() as i64);
            spill.first = spill.first.into_iter().chain(glyph.cut()).min();
        } else if glyph.page == p && below_top && within_x {
            inside.entry((a, slot)).or_default().push(glyph);
        } else if glyph.page == p && below_top {
            if overfull.insert((a, glyph.baseline.to_bits())) {
                let context: String = part_text(article, part)[glyph.bytes.start..].chars().take(8).collect();
                errors.push(Diagnostic::new(format!(
                    "article `{}`: a line on page {} is too wide for its column at “{}”: \
                     no break is allowed there (an unbreakable run or a cluster of punctuation)",
                    article.id(),
                    plan.pages[p].number,
                    context
                )));
            }
        } else {
            errors.push(Diagnostic::new(format!(
                "article `{}`: “{}” is set outside its frame on page {}",
                article.id(),
                glyph.text,
                plan.pages.get(glyph.page).map_or(0, |pg| pg.number)
            )));
        }
    }

    let mut overflows: Vec<OverflowAt> = over
        .into_iter()
        .map(|((article, slot), spill)| OverflowAt {
            article,
            slot,
            amount: Overflow { lines: spill.baselines.len(), chars: spill.chars },
            first: spill.first,
        })
        .collect();
    overflows.sort_by_key(|o| (o.article, o.slot));

    let mut articles = Vec::new();
    for (a, article) in plan.articles.iter().enumerate() {
        let total = count_chars(&article_text(article));
        let mut report = ArticleReport::new(article.id(), &article.article.title, total);
        for (slot, &(p, f)) in article.frames.iter().enumerate() {
            let frame = &plan.pages[p].frames[f];
            let glyphs = inside.get(&(a, slot)).map(Vec::as_slice).unwrap_or(&[]);
            let capacity = frame.lines * frame.columns;
            let (start, end) = (bounds[a][slot], bounds[a][slot + 1]);
            let holds_text = start < end;
            let continues = generate::continues(&bounds[a], slot);
            // The jump line takes the last line of a part that continues.
            let free = free_lines(frame, glyphs, origin_x, origin_y, layout)
                .min(capacity)
                .saturating_sub(u32::from(continues));
            report.parts.push(PartReport {
                page: plan.pages[p].number,
                frame: f,
                text_range: [start.char_index(&article.blocks), end.char_index(&article.blocks)],
                lines: capacity,
                used_lines: capacity - free,
                free_lines: free,
                chars: glyphs
                    .iter()
                    .filter(|g| g.origin.part != Part::JumpTitle && !g.text.trim().is_empty())
                    .map(|g| g.text.chars().count())
                    .sum(),
                jump_to: continues.then(|| plan.pages[article.frames[slot + 1].0].number),
                jump_from: (slot > 0 && holds_text).then(|| plan.pages[article.frames[slot - 1].0].number),
            });
        }
        report.overflow = overflows
            .iter()
            .find(|o| o.article == a && o.slot + 1 == article.frames.len())
            .map(|o| o.amount.clone());
        articles.push(report);
    }

    // Conservation: every character of every part exactly once, up to the last cut (which is
    // the end of the text unless overset was allowed to be left out).
    for (a, article) in plan.articles.iter().enumerate() {
        let limit = *bounds[a].last().expect("bounds hold a start and an end");
        let whole = limit == Cut::end(&article.blocks);
        for part in parts(article) {
            let text = part_text(article, part);
            let counts = coverage.get(&(a, part));
            for (offset, c) in text.char_indices() {
                let beyond = match part {
                    Part::Run(block, run) => Cut { block, run, offset } >= limit,
                    Part::Byline => !whole && article.byline_at_end(),
                    Part::Signature(_) => !whole,
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
    }

    Findings { articles, overflows, errors, placed }
}

/// What collecting glyphs looks up again and again: each span's origin, each glyph's outline
/// bounds (in front of the font store's, which lasts between builds). One per worker thread.
#[derive(Default)]
struct Lookups {
    origins: HashMap<Span, Option<Origin>>,
    /// By font, then glyph. A font's hash and equality are its data and index; its inner
    /// caches do not change them.
    bounds: HashMap<Font, HashMap<u16, Option<ttf_parser::Rect>>>,
}

/// Walks the pages (in parallel) and keeps every glyph printed from article data; a glyph no
/// font had (a missing-glyph box) is reported with its character, code point and article.
pub fn collect<'a>(
    document: &PagedDocument,
    world: &NewsWorld,
    map: &SourceMap,
    plan: &'a Plan,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Placed<'a>> {
    let pages: Vec<(Vec<Placed<'a>>, Vec<Diagnostic>)> = document
        .pages()
        .par_iter()
        .enumerate()
        .map_init(Lookups::default, |lookups, (page, p)| {
            collect_page(page, &p.frame, world, map, plan, lookups)
        })
        .collect();
    let mut placed = Vec::new();
    for (glyphs, page_errors) in pages {
        placed.extend(glyphs);
        errors.extend(page_errors);
    }
    placed
}

/// The glyphs of one page printed from article data, and its missing-glyph errors.
#[allow(clippy::mutable_key_type)]
fn collect_page<'a>(
    page: usize,
    frame: &Frame,
    world: &NewsWorld,
    map: &SourceMap,
    plan: &'a Plan,
    lookups: &mut Lookups,
) -> (Vec<Placed<'a>>, Vec<Diagnostic>) {
    let Lookups { origins: cache, bounds: bounding_boxes } = lookups;
    let (mut placed, mut errors) = (Vec::new(), Vec::new());
    walk(frame, Transform::identity(), &mut |pen, item| {
        let mut x = pen.x;
        // Looked up once per text item: its font's glyph bounds; and the last span's origin,
        // as a run of glyphs mostly shares one span.
        let font_bounds = bounding_boxes.entry(item.font.font().clone()).or_default();
        let mut last: Option<(Span, Option<Origin>)> = None;
        for glyph in &item.glyphs {
            let advance = glyph.x_advance.at(item.size);
            let natural = item.font.x_advance(glyph.id).map_or(advance, |em| em.at(item.size));
            // Where the glyph's ink is, within its own box: justification widens advances
            // past the ink, punctuation compressed at a line's start is shifted left of the
            // pen, and a face's design may let ink overshoot its box by a hair.
            let bounds = *font_bounds
                .entry(glyph.id)
                .or_insert_with(|| world.fonts().glyph_bounds(&item.font, glyph.id));
            let ink = bounds.map(|b| {
                let shift = (x + glyph.x_offset.at(item.size)).to_pt();
                let scale = item.size.to_pt() / item.font.units_per_em();
                let (box_l, box_r) = (shift, shift + advance.min(natural).to_pt());
                (
                    (shift + f64::from(b.x_min) * scale).max(box_l),
                    (shift + f64::from(b.x_max) * scale).min(box_r),
                )
            });
            let (span, offset) = glyph.span;
            let source = match last {
                Some((known, origin)) if known == span => origin,
                _ => {
                    let origin = *cache.entry(span).or_insert_with(|| {
                        let path = span.id()?.get().vpath().get_with_slash().to_string();
                        map.find(&path, world.range(span)?.start)
                    });
                    last = Some((span, origin));
                    origin
                }
            };
            let text = item.text.get(glyph.range()).unwrap_or_default();
            if glyph.id == 0 && !text.trim().is_empty() {
                let c = text.chars().next().unwrap_or('?');
                let whose = match source {
                    Some(o) => format!("article `{}`", plan.articles[o.article].id()),
                    None => "the layout's own text".into(),
                };
                let number = plan.pages.get(page).map_or(page as u32 + 1, |pg| pg.number);
                errors.push(Diagnostic::new(format!(
                    "no font of the layout has “{c}” (U+{:04X}) used in {whose} on page {number}",
                    c as u32
                )));
            }
            if let Some(origin) = source {
                let start = origin.base + usize::from(offset);
                // A cluster may carry characters of the neighbouring text (a break
                // opportunity the template put there): count only what matches the data.
                let data = part_text(&plan.articles[origin.article], origin.part);
                let len = common_prefix(text, data.get(start..).unwrap_or_default());
                let text = data.get(start..start + len).unwrap_or_default();
                placed.push(Placed {
                    page,
                    origin,
                    bytes: start..start + len,
                    text,
                    x: x.to_pt(),
                    width: advance.to_pt(),
                    natural: natural.to_pt(),
                    ink,
                    baseline: pen.y.to_pt(),
                    size: item.size.to_pt(),
                });
            }
            x += advance;
        }
    });
    (placed, errors)
}

/// Calls `f` with the page position of each text item's baseline origin.
fn walk(frame: &Frame, ts: Transform, f: &mut impl FnMut(Point, &TextItem)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                walk(&group.frame, ts, f);
            }
            FrameItem::Text(text) => f(pos.transform(ts), text),
            _ => {}
        }
    }
}

/// Whole grid lines left empty at the bottom of each text column of a frame.
fn free_lines(frame: &PlannedFrame, glyphs: &[&Placed], ox: f64, oy: f64, layout: &Layout) -> u32 {
    let (column_width, gutter) = layout.frame_columns(frame);
    let pitch = layout.geometry.grid.line_pitch_pt;
    let bottom = oy + frame.y + frame.height;
    (0..frame.columns)
        .map(|c| {
            let left = ox + frame.x + f64::from(c) * (column_width + gutter);
            let right = left + column_width;
            let lowest = glyphs
                .iter()
                .filter(|g| g.x + g.width > left + EPSILON && g.x < right - EPSILON)
                .map(|g| g.baseline + g.size * (1.0 - layout.geometry.grid.ascent_em))
                .fold(f64::NEG_INFINITY, f64::max);
            if lowest.is_finite() {
                ((bottom - lowest) / pitch + EPSILON).floor().max(0.0) as u32
            } else {
                frame.lines
            }
        })
        .sum()
}

/// The parts of an article's text: headline, top byline, dateline, body, end byline. (The
/// dateline stands before the first paragraph, after any opening subhead; the jump head's
/// repeated title is not part of the text.)
fn parts(article: &PlannedArticle) -> Vec<Part> {
    let a = &article.article;
    let top_byline = a.byline.is_some() && !article.byline_at_end();
    let mut parts: Vec<Part> = [
        (a.kicker.is_some(), Part::Kicker),
        (true, Part::Title),
        (a.subtitle.is_some(), Part::Subtitle),
        (top_byline, Part::Byline),
        (a.editor_note.is_some(), Part::Note),
        (a.lead.is_some(), Part::Lead),
        (a.dateline.is_some(), Part::Dateline),
    ]
    .into_iter()
    .filter_map(|(present, part)| present.then_some(part))
    .collect();
    for (b, block) in article.blocks.iter().enumerate() {
        parts.extend((0..block.runs.len()).map(|r| Part::Run(b, r)));
    }
    if article.byline_at_end() {
        parts.push(Part::Byline);
    }
    parts.extend((0..a.signature.len()).map(Part::Signature));
    parts
}

/// The text of one part.
fn part_text(article: &PlannedArticle, part: Part) -> &str {
    let a = &article.article;
    match part {
        Part::Kicker => a.kicker.as_deref().unwrap_or_default(),
        Part::Title | Part::JumpTitle => &a.title,
        Part::JumpLine => "",
        Part::Subtitle => a.subtitle.as_deref().unwrap_or_default(),
        Part::Dateline => a.dateline.as_deref().unwrap_or_default(),
        Part::Byline => a.byline.as_deref().unwrap_or_default(),
        Part::Note => a.editor_note.as_deref().unwrap_or_default(),
        Part::Lead => a.lead.as_deref().unwrap_or_default(),
        Part::Signature(i) => &a.signature[i],
        Part::Run(b, r) => &article.blocks[b].runs[r].text,
    }
}

/// All the article's text in reading order.
pub fn article_text(article: &PlannedArticle) -> String {
    parts(article).into_iter().map(|p| part_text(article, p)).collect()
}

/// The length in bytes of the longest common prefix of two strings, on character boundaries.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum()
}

fn count_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}
