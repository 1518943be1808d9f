//! The page check: what each page draws held to its anatomy, as a chief typesetter looks at it.
//!
//! - ink outside the type area: any glyph or drawn ornament (a box's 花线, a rule) of an
//!   article frame that reaches past the type area (版心), read from the laid-out frame items;
//! - rules too close to text: a 栏线 closer than the layout's `rule-clearance-pt` to a glyph of
//!   a neighbouring frame.

use std::collections::HashMap;

use serde::Serialize;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{Font, TextItem};
use typst_layout::PagedDocument;

use crate::layout::{EPSILON, Layout};
use crate::plan::{Context, Rule};
use crate::typeset::glyphs::Glyph;

/// The label the template gives every article frame's block.
const FRAME_LABEL: &str = "article-frame";

/// What the page check found wrong, counted per page in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// A glyph or ornament of an article frame reaches past the type area.
    InkOutsideTypeArea,
    /// A 栏线 lies closer to text than the layout's clearance.
    RuleTooClose,
}

/// Counts of each fault.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    pub ink_outside_type_area: usize,
    pub rule_too_close: usize,
}

impl Counts {
    pub fn add(&mut self, fault: Fault) {
        *match fault {
            Fault::InkOutsideTypeArea => &mut self.ink_outside_type_area,
            Fault::RuleTooClose => &mut self.rule_too_close,
        } += 1;
    }
}

/// One fault: its kind, the page's index in the plan, and what a reader would look for.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFault {
    pub fault: Fault,
    pub page: usize,
    pub what: String,
}

impl PageFault {
    pub fn describe(&self, page_number: u32) -> String {
        let kind = match self.fault {
            Fault::InkOutsideTypeArea => "ink outside the type area",
            Fault::RuleTooClose => "a 栏线 too close to text",
        };
        format!("page {page_number}: {kind}: {}", self.what)
    }
}

/// An extent on the page in pt, y down: [left, top, right, bottom].
type Extent = [f64; 4];

/// Checks every page: article frames' ink against the type area, 栏线 against the glyphs.
// A font's hash and equality are its data and index; its inner caches do not change them.
#[allow(clippy::mutable_key_type)]
pub fn check(document: &PagedDocument, glyphs: &[Glyph], ctx: &Context) -> Vec<PageFault> {
    let layout = ctx.layout;
    let (ox, oy) = layout.type_origin();
    let area = [ox, oy, ox + layout.type_width(), oy + layout.type_height()];
    let mut faults = Vec::new();
    let mut bounds = GlyphBounds::new();
    for (page, p) in document.pages().iter().enumerate() {
        let mut inks = Inks { ascent: layout.spec.grid.ascent_em, found: Vec::new(), bounds: &mut bounds };
        inks.walk(&p.frame, Transform::identity(), false);
        let inks = inks.found;
        faults.extend(outside(&inks, area).map(|what| PageFault {
            fault: Fault::InkOutsideTypeArea,
            page,
            what,
        }));
        let rules = ctx.plan.pages.get(page).map_or(&[][..], |pg| &pg.rules[..]);
        let page_glyphs: Vec<&Glyph> = glyphs.iter().filter(|g| g.page == page).collect();
        for rule in rules {
            let near = too_close(rule, (ox, oy), &page_glyphs, layout);
            faults.extend(near.map(|what| PageFault { fault: Fault::RuleTooClose, page, what }));
        }
    }
    faults
}

/// The extents of everything drawn inside article frames, gathered by one walk of a page.
/// Glyph outline bounds by font and glyph, read once per check: a page has thousands of glyphs
/// but only hundreds of distinct ones, and reading an outline is the costly part.
type GlyphBounds = HashMap<(Font, u16), Option<ttf_parser::Rect>>;

struct Inks<'b> {
    /// The layout's line box above the baseline, in em: text items are measured by their line
    /// boxes, as the grid places them.
    ascent: f64,
    found: Vec<(Extent, String)>,
    bounds: &'b mut GlyphBounds,
}

impl Inks<'_> {
    /// Text items by their line boxes, shapes by their bounds with the stroke, of every item
    /// inside a labelled article frame.
    fn walk(&mut self, frame: &Frame, ts: Transform, inside: bool) {
        for (pos, item) in frame.items() {
            let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(group) => {
                    let labelled = group.label.is_some_and(|l| l.resolve().as_str() == FRAME_LABEL);
                    self.walk(&group.frame, at.pre_concat(group.transform), inside || labelled);
                }
                FrameItem::Text(text) if inside => {
                    if let Some((left, right)) = ink_across(text, self.bounds) {
                        let size = text.size.to_pt();
                        let [a, b] = [Point::with_x(left), Point::with_x(right)].map(|p| p.transform(at));
                        let base = a.y.to_pt();
                        let (top, bottom) = (base - self.ascent * size, base + (1.0 - self.ascent) * size);
                        let extent = [a.x.min(b.x).to_pt(), top, a.x.max(b.x).to_pt(), bottom];
                        self.found.push((extent, format!("“{}”", text.text.trim())));
                    }
                }
                FrameItem::Shape(shape, _) if inside => {
                    let bbox = shape.bbox(true);
                    let [a, b] = [bbox.min, bbox.max].map(|p| p.transform(at));
                    let (x, y) = ([a.x.to_pt(), b.x.to_pt()], [a.y.to_pt(), b.y.to_pt()]);
                    let extent = [x[0].min(x[1]), y[0].min(y[1]), x[0].max(x[1]), y[0].max(y[1])];
                    self.found.push((extent, "a frame's rule or box".into()));
                }
                _ => {}
            }
        }
    }
}

/// Where a text item's ink lies across, from its pen position: its glyphs' outlines within
/// their boxes (as the glyph reader takes them: a face may let ink overshoot its box by a
/// hair), so a space or an advance widened past the last character does not count; none
/// without ink.
// See `check`: fonts as keys.
#[allow(clippy::mutable_key_type)]
fn ink_across(text: &TextItem, bounds: &mut GlyphBounds) -> Option<(Abs, Abs)> {
    let mut pen = Abs::zero();
    let mut extent: Option<(Abs, Abs)> = None;
    for glyph in &text.glyphs {
        let advance = glyph.x_advance.at(text.size);
        let bound = *bounds
            .entry((text.font.font().clone(), glyph.id))
            .or_insert_with(|| text.font.ttf().glyph_bounding_box(ttf_parser::GlyphId(glyph.id)));
        if let Some(b) = bound {
            let shift = pen + glyph.x_offset.at(text.size);
            let natural = text.font.x_advance(glyph.id).map_or(advance, |em| em.at(text.size));
            let scale = |units: i16| text.font.to_em(units).at(text.size);
            let box_right = shift + advance.min(natural);
            let (l, r) = ((shift + scale(b.x_min)).max(shift), (shift + scale(b.x_max)).min(box_right));
            extent = Some(extent.map_or((l, r), |(el, er)| (el.min(l), er.max(r))));
        }
        pen += advance;
    }
    extent
}

/// The ink that reaches past `area`, with how far.
fn outside(inks: &[(Extent, String)], area: Extent) -> impl Iterator<Item = String> + '_ {
    inks.iter().filter_map(move |(e, what)| {
        let over = [area[0] - e[0], area[1] - e[1], e[2] - area[2], e[3] - area[3]];
        let most = over.iter().copied().fold(0.0, f64::max);
        (most > EPSILON).then(|| format!("{what} reaches {most:.2} pt past it"))
    })
}

/// Whether glyphs lie closer to `rule` (in type-area coordinates, the area's corner at
/// `origin`) than the layout's clearance: the closest, described.
fn too_close(rule: &Rule, origin: (f64, f64), glyphs: &[&Glyph], layout: &Layout) -> Option<String> {
    let clearance = layout.spec.article.rule_clearance_pt;
    let half = layout.spec.article.rule_pt / 2.0;
    let (x1, y1, x2, y2) = (origin.0 + rule.x1, origin.1 + rule.y1, origin.0 + rule.x2, origin.1 + rule.y2);
    let ascent = layout.spec.grid.ascent_em;
    // Only glyphs within the clearance of the rule's box can be too close: a cheap test first,
    // since a page has thousands of glyphs and dozens of rules.
    let reach = clearance + half + EPSILON;
    let (left, right) = (x1.min(x2) - reach, x1.max(x2) + reach);
    let (top, bottom) = (y1.min(y2) - reach, y1.max(y2) + reach);
    let closest = glyphs
        .iter()
        .filter_map(|g| {
            let (l, r) = g.ink?;
            let (t, b) = (g.baseline - ascent * g.size, g.baseline + (1.0 - ascent) * g.size);
            let near = l <= right && r >= left && t <= bottom && b >= top;
            near.then(|| (gap([l, t, r, b], [x1, y1, x2, y2]) - half, g.text))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    (closest.0 + EPSILON < clearance).then(|| {
        format!(
            "the rule at ({:.1}, {:.1}) lies {:.2} pt from “{}”, less than {clearance} pt",
            x1, y1, closest.0, closest.1
        )
    })
}

/// The distance between a rectangle [left, top, right, bottom] and an axis-parallel segment
/// [x1, y1, x2, y2]; 0 when they meet.
fn gap(rect: Extent, segment: Extent) -> f64 {
    let [l, t, r, b] = rect;
    let (sl, sr) = (segment[0].min(segment[2]), segment[0].max(segment[2]));
    let (st, sb) = (segment[1].min(segment[3]), segment[1].max(segment[3]));
    let dx = (sl - r).max(l - sr).max(0.0);
    let dy = (st - b).max(t - sb).max(0.0);
    dx.hypot(dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_past_the_type_area_is_found_and_ink_inside_is_not() {
        let area = [10.0, 10.0, 110.0, 210.0];
        let inks = vec![
            ([10.0, 10.0, 110.0, 210.0], "flush".to_string()),
            ([100.0, 50.0, 114.5, 60.0], "box".to_string()),
            ([20.0, 205.0, 30.0, 211.35], "bottom".to_string()),
        ];
        let found: Vec<String> = outside(&inks, area).collect();
        assert_eq!(found, ["box reaches 4.50 pt past it", "bottom reaches 1.35 pt past it"]);
    }

    #[test]
    fn a_segments_gap_to_a_rectangle_is_measured_across_and_along() {
        // A vertical rule 1.35 pt right of a glyph, and one that runs past its foot.
        assert!((gap([0.0, 0.0, 9.0, 9.0], [10.35, -5.0, 10.35, 20.0]) - 1.35).abs() < 1e-9);
        assert!((gap([0.0, 0.0, 9.0, 9.0], [0.0, 12.0, 30.0, 12.0]) - 3.0).abs() < 1e-9);
        assert_eq!(gap([0.0, 0.0, 9.0, 9.0], [4.0, 4.0, 4.0, 20.0]), 0.0);
        assert!((gap([0.0, 0.0, 9.0, 9.0], [12.0, 13.0, 12.0, 20.0]) - 5.0).abs() < 1e-9);
    }
}
