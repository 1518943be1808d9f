//! The headline check: headline lines read back from their glyphs and held to a desk's rules,
//! so the counts are measured, not assumed:
//!
//! - a headline line (kicker, title, subtitle, subhead, jump head) never ends inside a word:
//!   only at the boundaries of [`crate::typeset::phrases`];
//! - a title takes at most the layout's `title-max-lines`; one that needs more is reported
//!   with the size it would need;
//! - titles follow the ranks of their articles on the page: none larger than the lead's, none
//!   larger than one ranked above it (标题层次);
//! - 碰题: the titles of side-by-side frames never stand at the same height, unless a box
//!   (花线) around one of the frames or a vertical title (竖题) sets them apart, as desks do.

use std::collections::BTreeMap;
use std::ops::Range;

use super::lines::{Rule, Violation};
use crate::body::BlockKind;
use crate::layout::{EPSILON, Layout};
use crate::plan::{Context, Field, Plan};
use crate::typeset::breaks::{self, in_word};
use crate::typeset::glyphs::Glyph;
use crate::typeset::phrases::{CLOSING, Gap, OPENING, boundary, pieces};

/// One laid-out line of a headline field.
#[derive(Debug, Clone)]
struct HeadLine {
    article: usize,
    slot: usize,
    field: Field,
    page: u32,
    /// The line's grid line inside its frame, 1-based.
    number: u32,
    /// The line's glyphs left to right: byte range in the field's text, advance in pt.
    glyphs: Vec<(Range<usize>, f64)>,
    text: String,
    size: f64,
    /// The top and bottom of the line's 1-em boxes on the page, in pt.
    top: f64,
    bottom: f64,
}

/// A headline line's glyphs: (article, slot, field order, [`Glyph::line_key`]); the order
/// puts kicker, title and subtitle before the subheads, by block.
type LineKey = (usize, usize, (usize, usize), i64);

/// Checks every headline of the laid-out pages.
pub fn check(glyphs: &[Glyph], ctx: &Context) -> Vec<Violation> {
    let lines = headline_lines(glyphs, ctx.plan, ctx.layout);
    let mut found = broken_words(&lines, ctx.plan);
    found.extend(long_titles(&lines, ctx));
    found.extend(inversions(&lines, ctx.plan));
    found.extend(clashes(&lines, ctx));
    found
}

/// Whether `field` is a headline line set horizontally in slot `slot`'s frame.
fn is_headline(plan: &Plan, article: usize, slot: usize, field: Field) -> bool {
    let vertical = slot == 0 && plan.frame(article, slot).vertical;
    match field {
        Field::Kicker | Field::Title | Field::Subtitle => !vertical,
        Field::JumpTitle => true,
        Field::Run(b, _) => plan.articles[article].blocks[b].kind == BlockKind::Subhead,
        _ => false,
    }
}

/// The headline lines of every article, grouped by article, slot and field, top to bottom.
fn headline_lines(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<HeadLine> {
    let ascent = layout.spec.grid.ascent_em;
    let (_, oy) = layout.type_origin();
    let mut grouped: BTreeMap<LineKey, Vec<&Glyph>> = BTreeMap::new();
    for g in glyphs {
        let o = g.origin;
        if is_headline(plan, o.article, o.slot, o.field) {
            // Subhead runs of one block share a line; other fields sort before the body.
            let order = match o.field {
                Field::Run(b, _) => (1, b),
                Field::Kicker => (0, 0),
                Field::Title => (0, 1),
                Field::Subtitle => (0, 2),
                _ => (0, 3),
            };
            grouped.entry((o.article, o.slot, order, g.line_key())).or_default().push(g);
        }
    }
    grouped
        .into_values()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let first = line[0];
            let (a, slot) = (first.origin.article, first.origin.slot);
            let top = first.baseline - ascent * size;
            let steps = (top - oy - plan.frame(a, slot).y) / layout.spec.grid.line_pitch_pt;
            HeadLine {
                number: steps.max(0.0) as u32 + 1,
                article: first.origin.article,
                slot: first.origin.slot,
                field: first.origin.field,
                page: plan.page_number(first.origin.article, first.origin.slot),
                glyphs: line.iter().map(|g| (g.bytes.clone(), g.width)).collect(),
                text: line.iter().map(|g| g.text).collect(),
                size,
                top,
                bottom: first.baseline + (1.0 - ascent) * size,
            }
        })
        .collect()
}

/// The same field's next line after `lines[i]`, if it has one.
fn next_of(lines: &[HeadLine], i: usize) -> Option<&HeadLine> {
    let (line, next) = (&lines[i], lines.get(i + 1)?);
    let same_field = match (line.field, next.field) {
        (Field::Run(a, _), Field::Run(b, _)) => a == b,
        (a, b) => a == b,
    };
    (next.article == line.article && next.slot == line.slot && same_field).then_some(next)
}

/// Headline lines that end inside a word: the next line of the field starts where
/// [`boundary`] allows no break — unless the word is wider than the line's measure and the
/// break is one a reader expects in it (after `/`, before `.`: [`breaks::expected`]), the
/// best a word that fits no line allows.
fn broken_words(lines: &[HeadLine], plan: &Plan) -> Vec<Violation> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(next) = next_of(lines, i) else { continue };
        let Some((range, _)) = next.glyphs.first() else { continue };
        let text = plan.articles[next.article].text(next.field);
        // Subhead runs are pieces of their own: a run's start is a boundary.
        if range.start > 0
            && boundary(text, range.start).is_none()
            && !breaks_too_wide(line, next, text, plan)
        {
            found.push(violation(Rule::HeadlineBreak, line, format!("{}／{}", line.text, next.text)));
        }
    }
    found
}

/// Whether `line` ends, and `next` goes on, at a good break inside a word of `text` that is,
/// with the brackets 禁则 keeps with it, wider than the line's measure (a subhead's text
/// column, else the headline's width).
fn breaks_too_wide(line: &HeadLine, next: &HeadLine, text: &str, plan: &Plan) -> bool {
    let at = next.glyphs.first().map_or(0, |(range, _)| range.start);
    if !breaks::expected(text, at) {
        return false;
    }
    // The word with the marks 禁则 keeps on its line: opening ones before, closing ones after.
    let before = |c: char| in_word(c) || OPENING.contains(c);
    let after = |c: char| in_word(c) || CLOSING.contains(c);
    let start = text[..at].char_indices().rev().take_while(|&(_, c)| before(c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|&(_, c)| !after(c)).map_or(text.len(), |(i, _)| at + i);
    let width: f64 = line
        .glyphs
        .iter()
        .chain(&next.glyphs)
        .filter(|(r, _)| (start..end).contains(&r.start))
        .map(|(_, w)| w)
        .sum();
    let frame = plan.frame(line.article, line.slot);
    let measure = match line.field {
        Field::Run(..) => frame.column_width,
        _ => frame.headline_width,
    };
    width > measure + EPSILON
}

/// A violation found on headline line `line`.
fn violation(rule: Rule, line: &HeadLine, text: String) -> Violation {
    Violation::at(rule, ((line.article, line.slot, 0), line.page, line.number), text)
}

/// Titles on more lines than the layout allows, with the size they would need.
fn long_titles(lines: &[HeadLine], ctx: &Context) -> Vec<Violation> {
    let most = ctx.layout.spec.article.title_max_lines;
    let mut found = Vec::new();
    for (a, article) in ctx.plan.articles.iter().enumerate() {
        let title: Vec<&HeadLine> =
            lines.iter().filter(|l| l.article == a && l.slot == 0 && l.field == Field::Title).collect();
        if title.len() <= most as usize {
            continue;
        }
        let size = title[0].size;
        let widths: Vec<(Range<usize>, f64)> = title.iter().flat_map(|l| l.glyphs.iter().cloned()).collect();
        let (stretches, gaps) = stretches(&article.article.title, &widths, size);
        let width = ctx.plan.frame(a, 0).headline_width;
        let needed = size * fitting_scale(&stretches, &gaps, width, most);
        let mut v = violation(Rule::TitleLines, title[0], article.article.title.clone());
        v.detail = Some(format!(
            "{} lines at {size:.1} pt, the least `title-shrink` allows; on {most} it would need {needed:.1} pt",
            title.len()
        ));
        found.push(v);
    }
    found
}

/// The title's narrowest stretches (between any two boundaries) as widths in pt from its
/// glyphs, and the space before each: a full-width space, or the word space as set.
fn stretches(title: &str, glyphs: &[(Range<usize>, f64)], size: f64) -> (Vec<f64>, Vec<f64>) {
    let pieces = pieces(title);
    let width = |within: Range<usize>| -> f64 {
        glyphs.iter().filter(|(r, _)| within.start <= r.start && r.start < within.end).map(|(_, w)| w).sum()
    };
    let widths = pieces.iter().map(|p| width(p.range.clone())).collect();
    let ends = std::iter::once(0).chain(pieces.iter().map(|p| p.range.end));
    let gaps = pieces
        .iter()
        .zip(ends)
        .map(|(p, end)| match p.gap {
            Gap::Full => size,
            Gap::Word => width(end..p.range.start),
            Gap::None => 0.0,
        })
        .collect();
    (widths, gaps)
}

/// How many first-fit lines of `width` stretches `widths` wide take, each opened by its gap.
fn pack(widths: &[f64], gaps: &[f64], width: f64) -> usize {
    let (mut lines, mut used) = (0, 0.0);
    for (w, gap) in widths.iter().zip(gaps) {
        if lines == 0 || used + gap + w > width + EPSILON {
            lines += 1;
            used = *w;
        } else {
            used += gap + w;
        }
    }
    lines
}

/// The largest scale, at most 1, at which the stretches fit `most` lines of `width`.
fn fitting_scale(widths: &[f64], gaps: &[f64], width: f64, most: u32) -> f64 {
    let fits = |k: f64| {
        let scaled = |v: &[f64]| v.iter().map(|x| x * k).collect::<Vec<_>>();
        widths.iter().all(|w| w * k <= width + EPSILON)
            && pack(&scaled(widths), &scaled(gaps), width) <= most as usize
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    if fits(hi) {
        return hi;
    }
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) { lo = mid } else { hi = mid }
    }
    lo
}

/// One page's title, as the hierarchy check sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked {
    rank: u32,
    size: f64,
}

/// The titles that break the page's hierarchy: larger than the lead's (the best-ranked), or
/// than a title ranked above them.
fn inverted(titles: &[Ranked]) -> Vec<usize> {
    (0..titles.len())
        .filter(|&i| titles.iter().any(|t| t.rank < titles[i].rank && titles[i].size > t.size + EPSILON))
        .collect()
}

/// Titles larger than one ranked above them on their page.
fn inversions(lines: &[HeadLine], plan: &Plan) -> Vec<Violation> {
    let mut found = Vec::new();
    for page in &plan.pages {
        let titles: Vec<(&HeadLine, Ranked)> = page
            .frames
            .iter()
            .filter(|f| f.slot == 0)
            .filter_map(|f| {
                let line = lines
                    .iter()
                    .find(|l| l.article == f.article && l.slot == 0 && l.field == Field::Title)?;
                let size = lines
                    .iter()
                    .filter(|l| l.article == f.article && l.slot == 0 && l.field == Field::Title)
                    .map(|l| l.size)
                    .fold(0.0, f64::max);
                Some((line, Ranked { rank: f.rank, size }))
            })
            .collect();
        let ranked: Vec<Ranked> = titles.iter().map(|(_, r)| *r).collect();
        for i in inverted(&ranked) {
            let (line, r) = titles[i];
            let mut v =
                violation(Rule::TitleInversion, line, plan.articles[line.article].article.title.clone());
            v.detail = Some(format!("rank {} at {:.1} pt", r.rank, r.size));
            found.push(v);
        }
    }
    found
}

/// A title's place for 碰题: its frame's horizontal extent and its lines' vertical extent, on
/// the page.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// Whether two titles clash: their frames side by side, no more than `gutter` apart, and
/// their lines overlapping in height.
fn clash(a: Placed, b: Placed, gutter: f64) -> bool {
    let apart = (b.left - a.right).max(a.left - b.right);
    (-EPSILON..=gutter + EPSILON).contains(&apart) && a.top < b.bottom - EPSILON && b.top < a.bottom - EPSILON
}

/// 碰题: each title beside an earlier-placed neighbour's title at the same height, counted
/// once, on the later article.
fn clashes(lines: &[HeadLine], ctx: &Context) -> Vec<Violation> {
    let (plan, layout) = (ctx.plan, ctx.layout);
    let gutter = f64::from(layout.spec.grid.gutter_chars) * layout.body_size();
    let (ox, _) = layout.type_origin();
    let mut found = Vec::new();
    for page in &plan.pages {
        let titles: Vec<(&HeadLine, Placed)> = page
            .frames
            .iter()
            .filter(|f| f.slot == 0 && !f.vertical && !f.boxed)
            .filter_map(|f| {
                let title: Vec<&HeadLine> = lines
                    .iter()
                    .filter(|l| l.article == f.article && l.slot == 0 && l.field == Field::Title)
                    .collect();
                let top = title.iter().map(|l| l.top).fold(f64::INFINITY, f64::min);
                let bottom = title.iter().map(|l| l.bottom).fold(f64::NEG_INFINITY, f64::max);
                let (left, right) = (ox + f.x, ox + f.x + f.width);
                Some((*title.first()?, Placed { left, right, top, bottom }))
            })
            .collect();
        for (i, (line, placed)) in titles.iter().enumerate() {
            if let Some((other, _)) = titles[..i].iter().find(|(_, p)| clash(*p, *placed, gutter)) {
                let title = &plan.articles[line.article].article.title;
                let mut v = violation(Rule::TitleClash, line, title.clone());
                v.detail = Some(format!("beside “{}”", plan.articles[other.article].article.title));
                found.push(v);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_are_titles_larger_than_one_ranked_above() {
        let r = |rank, size| Ranked { rank, size };
        assert!(inverted(&[r(1, 26.0), r(2, 22.0), r(2, 22.0), r(3, 18.0)]).is_empty());
        // A notice as large as nothing above it may be.
        assert_eq!(inverted(&[r(1, 26.0), r(2, 22.0), r(3, 26.0)]), [2]);
        // Larger than the lead.
        assert_eq!(inverted(&[r(2, 30.0), r(1, 26.0)]), [0]);
    }

    #[test]
    fn titles_clash_side_by_side_at_the_same_height_only() {
        let p = |left, right, top, bottom| Placed { left, right, top, bottom };
        let lead = p(0.0, 396.0, 100.0, 126.0);
        assert!(clash(lead, p(405.0, 666.0, 110.0, 132.0), 9.0));
        // Below the lead's title, or a column further off: no clash.
        assert!(!clash(lead, p(405.0, 666.0, 130.0, 152.0), 9.0));
        assert!(!clash(lead, p(540.0, 666.0, 110.0, 132.0), 9.0));
        // Stacked frames are not side by side.
        assert!(!clash(lead, p(0.0, 396.0, 110.0, 132.0), 9.0));
    }

    #[test]
    fn a_long_title_needs_the_scale_that_fits_its_lines() {
        // Three stretches of 100 pt, the last after a 20-pt space: 2 lines of 200 pt hold them
        // at 2/3 of the size (first line 200, second 20 + 100 scaled).
        let (widths, gaps) = ([100.0, 100.0, 100.0], [0.0, 0.0, 20.0]);
        assert_eq!(pack(&widths, &gaps, 200.0), 2);
        assert_eq!(fitting_scale(&widths, &gaps, 200.0, 3), 1.0);
        let k = fitting_scale(&widths, &gaps, 150.0, 2);
        assert!((k - 0.75).abs() < 1e-3, "{k}");
        assert_eq!(
            stretches("推进 项目", &[(0..3, 10.0), (3..6, 10.0), (7..10, 10.0), (10..13, 10.0)], 10.0),
            (vec![20.0, 20.0], vec![0.0, 10.0])
        );
    }
}
