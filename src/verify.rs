//! Verification of the laid-out pages, from the glyphs themselves rather than from estimates.
//!
//! Every glyph printed from article data is traced through its span and the [`SourceMap`] to its
//! article, part and byte offset. From that the stage proves what the PDF will show: each
//! article's text appears exactly once, inside its frame; no glyph is a missing-glyph box; and it
//! measures what production staff need to know, lines used and free and any overflow.

use std::collections::{BTreeSet, HashMap};

use typst::WorldExt;
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::syntax::Span;
use typst::text::TextItem;
use typst_layout::PagedDocument;

use crate::error::Diagnostic;
use crate::generate::{self, Part, SourceMap};
use crate::layout::Layout;
use crate::plan::{Plan, PlannedArticle, PlannedFrame};
use crate::report::{ArticleReport, FrameReport, Overflow};
use crate::world::{NewsWorld, file_id};

/// Tolerance for comparing glyph positions with frame edges, in pt.
const EPSILON: f64 = 0.01;

/// One glyph printed from article data.
struct Placed {
    page: usize,
    article: usize,
    part: Part,
    /// Byte range of the glyph's cluster inside the part's text.
    bytes: std::ops::Range<usize>,
    text: String,
    x: f64,
    width: f64,
    baseline: f64,
    size: f64,
}

/// What verification found: per-article measurements and the errors that block the PDF.
pub struct Findings {
    pub articles: Vec<ArticleReport>,
    pub errors: Vec<Diagnostic>,
}

/// Checks the document against the plan.
pub fn verify(
    document: &PagedDocument,
    world: &NewsWorld,
    map: &SourceMap,
    plan: &Plan,
    layout: &Layout,
) -> Findings {
    let mut errors = Vec::new();
    let placed = collect(document, world, map, plan, &mut errors);
    let (origin_x, origin_y) = layout.type_origin();
    let pitch = layout.geometry.grid.line_pitch_pt;

    let mut articles: Vec<ArticleReport> = plan
        .articles
        .iter()
        .map(|a| ArticleReport::new(a.id(), &a.article.title, count_chars(&article_text(a))))
        .collect();
    let mut coverage: HashMap<(usize, Part), Vec<u8>> = HashMap::new();
    // Per (article, frame slot): glyphs inside, and lines hit beyond the bottom.
    let mut inside: HashMap<(usize, usize), Vec<&Placed>> = HashMap::new();
    let mut overflow: HashMap<usize, (usize, BTreeSet<i64>)> = HashMap::new();

    for glyph in &placed {
        let text = part_text(&plan.articles[glyph.article], glyph.part);
        let counts = coverage
            .entry((glyph.article, glyph.part))
            .or_insert_with(|| vec![0; text.len()]);
        for count in &mut counts[glyph.bytes.start.min(text.len())..glyph.bytes.end.min(text.len())]
        {
            *count = count.saturating_add(1);
        }
        let slots = &plan.articles[glyph.article].frames;
        let on_page: Vec<(usize, &PlannedFrame)> = slots
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| *p == glyph.page)
            .map(|(slot, (p, f))| (slot, &plan.pages[*p].frames[*f]))
            .collect();
        let hit = on_page
            .iter()
            .find(|(_, f)| contains(f, origin_x, origin_y, glyph));
        if let Some((slot, _)) = hit {
            inside
                .entry((glyph.article, *slot))
                .or_default()
                .push(glyph);
            continue;
        }
        let below = on_page.iter().find(|(_, f)| {
            glyph.baseline > origin_y + f.y + f.height
                && glyph.x + EPSILON >= origin_x + f.x
                && glyph.x + glyph.width <= origin_x + f.x + f.width + EPSILON
        });
        if below.is_some() {
            let entry = overflow.entry(glyph.article).or_default();
            if !glyph.text.trim().is_empty() {
                entry.0 += glyph.text.chars().count();
            }
            entry.1.insert((glyph.baseline * 10.0).round() as i64);
            continue;
        }
        errors.push(Diagnostic::new(format!(
            "article `{}`: “{}” is set outside its frames on page {}",
            plan.articles[glyph.article].id(),
            glyph.text,
            plan.pages[glyph.page].number
        )));
    }

    // Overflow runs on below the last text column: count its lines and characters.
    for (&a, (chars, baselines)) in &overflow {
        let lines = baselines.len();
        let article = &plan.articles[a];
        let (p, _) = article.frames[article.frames.len() - 1];
        articles[a].overflow = Some(Overflow {
            lines,
            chars: *chars,
        });
        errors.push(Diagnostic::new(format!(
            "article `{}` does not fit its frame on page {}: 差 {lines} 行 / {chars} 字 (over by {lines} lines, {chars} characters)",
            article.id(),
            plan.pages[p].number
        )));
    }

    // Frames: characters placed, lines used and free.
    for (a, article) in plan.articles.iter().enumerate() {
        for (slot, &(p, f)) in article.frames.iter().enumerate() {
            let frame = &plan.pages[p].frames[f];
            let glyphs = inside.get(&(a, slot)).map(Vec::as_slice).unwrap_or(&[]);
            let chars = glyphs
                .iter()
                .filter(|g| !g.text.trim().is_empty())
                .map(|g| g.text.chars().count())
                .sum();
            let free = free_lines(frame, glyphs, origin_x, origin_y, pitch, layout);
            let capacity = frame.lines * frame.columns;
            articles[a].frames.push(FrameReport {
                page: plan.pages[p].number,
                lines: capacity,
                used_lines: capacity - free.min(capacity),
                free_lines: free.min(capacity),
                chars,
            });
        }
    }

    // Conservation: every character of every part exactly once.
    for (a, article) in plan.articles.iter().enumerate() {
        for part in parts(article) {
            let text = part_text(article, part);
            let counts = coverage.get(&(a, part));
            for (offset, c) in text.char_indices() {
                if c.is_whitespace() {
                    continue;
                }
                let n = counts.map_or(0, |v| v[offset]);
                if n != 1 {
                    let what = if n == 0 {
                        "is missing from"
                    } else {
                        "appears more than once in"
                    };
                    let context: String = text[offset..].chars().take(12).collect();
                    errors.push(Diagnostic::new(format!(
                        "article `{}`: the text at “{context}” {what} the pages",
                        article.id()
                    )));
                    break;
                }
            }
        }
    }

    Findings { articles, errors }
}

/// Walks the pages and keeps every glyph that came from article data; reports missing glyphs.
fn collect(
    document: &PagedDocument,
    world: &NewsWorld,
    map: &SourceMap,
    plan: &Plan,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Placed> {
    let main = file_id(generate::MAIN);
    let mut cache: HashMap<Span, Option<(usize, Part)>> = HashMap::new();
    let mut placed = Vec::new();
    for (page, p) in document.pages().iter().enumerate() {
        walk(&p.frame, Transform::identity(), &mut |origin, item| {
            let mut x = origin.x;
            for glyph in &item.glyphs {
                let advance = glyph.x_advance.at(item.size);
                let (span, offset) = glyph.span;
                let source = *cache.entry(span).or_insert_with(|| {
                    if span.id() != Some(main) {
                        return None;
                    }
                    world.range(span).and_then(|r| map.find(r.start))
                });
                let text = item.text.get(glyph.range()).unwrap_or_default().to_string();
                if glyph.id == 0 && !text.trim().is_empty() {
                    let c = text.chars().next().unwrap_or('?');
                    let whose = match source {
                        Some((a, _)) => format!("article `{}`", plan.articles[a].id()),
                        None => "the layout's own text".into(),
                    };
                    errors.push(Diagnostic::new(format!(
                        "no font of the layout has “{c}” (U+{:04X}) used in {whose} on page {}",
                        c as u32,
                        plan.pages.get(page).map_or(page as u32 + 1, |pg| pg.number)
                    )));
                }
                if let Some((article, part)) = source {
                    let start = usize::from(offset);
                    placed.push(Placed {
                        page,
                        article,
                        part,
                        bytes: start..start + glyph.range().len(),
                        text,
                        // The pen position: punctuation compressed at a line's start is
                        // shifted left by its offset but its ink stays after the pen.
                        x: x.to_pt(),
                        width: advance.to_pt(),
                        baseline: origin.y.to_pt(),
                        size: item.size.to_pt(),
                    });
                }
                x += advance;
            }
        });
    }
    placed
}

/// Calls `f` with the page position of each text item's baseline origin.
fn walk(frame: &Frame, ts: Transform, f: &mut impl FnMut(Point, &TextItem)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk(&group.frame, ts, f);
            }
            FrameItem::Text(text) => f(pos.transform(ts), text),
            _ => {}
        }
    }
}

fn contains(frame: &PlannedFrame, ox: f64, oy: f64, glyph: &Placed) -> bool {
    let (left, top) = (ox + frame.x, oy + frame.y);
    glyph.x + EPSILON >= left
        && glyph.x + glyph.width <= left + frame.width + EPSILON
        && glyph.baseline - glyph.size * 0.88 + EPSILON >= top
        && glyph.baseline <= top + frame.height + EPSILON
}

/// Whole grid lines left empty at the bottom of each text column of a frame.
fn free_lines(
    frame: &PlannedFrame,
    glyphs: &[&Placed],
    ox: f64,
    oy: f64,
    pitch: f64,
    layout: &Layout,
) -> u32 {
    let gutter = f64::from(layout.geometry.grid.gutter_chars) * layout.body_size();
    let n = f64::from(frame.columns);
    let column_width = (frame.width - (n - 1.0) * gutter) / n;
    let bottom = oy + frame.y + frame.height;
    (0..frame.columns)
        .map(|c| {
            let left = ox + frame.x + f64::from(c) * (column_width + gutter);
            let right = left + column_width;
            let lowest = glyphs
                .iter()
                .filter(|g| g.x + g.width > left + EPSILON && g.x < right - EPSILON)
                .map(|g| g.baseline + g.size * 0.12)
                .fold(f64::NEG_INFINITY, f64::max);
            if lowest.is_finite() {
                ((bottom - lowest) / pitch + EPSILON).floor().max(0.0) as u32
            } else {
                frame.lines
            }
        })
        .sum()
}

/// The parts of an article in reading order: headline, top byline, dateline, body, end byline.
fn parts(article: &PlannedArticle) -> Vec<Part> {
    let a = &article.article;
    let top_byline = a.byline.is_some() && !article.byline_at_end();
    let mut parts: Vec<Part> = [
        (a.kicker.is_some(), Part::Kicker),
        (true, Part::Title),
        (a.subtitle.is_some(), Part::Subtitle),
        (top_byline, Part::Byline),
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
    parts
}

/// The text of one part.
fn part_text(article: &PlannedArticle, part: Part) -> &str {
    let a = &article.article;
    match part {
        Part::Kicker => a.kicker.as_deref().unwrap_or_default(),
        Part::Title => &a.title,
        Part::Subtitle => a.subtitle.as_deref().unwrap_or_default(),
        Part::Dateline => a.dateline.as_deref().unwrap_or_default(),
        Part::Byline => a.byline.as_deref().unwrap_or_default(),
        Part::Run(b, r) => &article.blocks[b].runs[r].text,
    }
}

/// All the article's text in reading order.
pub fn article_text(article: &PlannedArticle) -> String {
    parts(article)
        .into_iter()
        .map(|p| part_text(article, p))
        .collect()
}

fn count_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}
