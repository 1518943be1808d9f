//! Reading the laid-out pages back: every glyph printed from article data, traced through its
//! span and the [`SourceMap`] to its article, field, byte offset and chain slot, with its place
//! on the page. Measuring reads where text stopped fitting from these glyphs; the checks prove
//! from them that the pages hold the articles exactly.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use typst::WorldExt;
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::syntax::Span;
use typst::text::{Font, TextItem};
use typst_layout::PagedDocument;

use super::source_map::{Origin, SourceMap};
use super::world::NewsWorld;
use crate::body::Cut;
use crate::error::Diagnostic;
use crate::layout::Layout;
use crate::plan::{Field, Plan};

/// One glyph printed from article data, positioned on its page (pt, y down).
pub struct Glyph<'a> {
    /// The page's index in the document.
    pub page: usize,
    pub origin: Origin,
    /// Byte range of the glyph's cluster inside the field's text.
    pub bytes: Range<usize>,
    /// The cluster's text, from the plan's article data.
    pub text: &'a str,
    /// The pen position where the glyph starts, and its advance.
    pub x: f64,
    pub width: f64,
    /// The advance the font gives the glyph, before justification and spacing.
    pub natural: f64,
    /// How far the glyph's drawing is shifted right of the pen: the space Typst adds before
    /// it (CJK–Latin spacing), negative where punctuation is compressed on its left.
    pub offset: f64,
    /// The horizontal extent of the glyph's ink; none for a space.
    pub ink: Option<(f64, f64)>,
    pub baseline: f64,
    pub size: f64,
}

impl Glyph<'_> {
    /// The body cut before this glyph, for glyphs of body runs.
    pub fn cut(&self) -> Option<Cut> {
        match self.origin.field {
            Field::Run(block, run) => Some(Cut { block, run, offset: self.bytes.start }),
            _ => None,
        }
    }

    /// The glyph's baseline as a key that groups the glyphs of one line: in hundredths of a pt,
    /// so float noise never splits a line and no two grid lines meet.
    pub fn line_key(&self) -> i64 {
        (self.baseline * 100.0).round() as i64
    }

    /// The text column of its frame the glyph stands in (0 the first).
    pub fn column(&self, plan: &Plan, layout: &Layout) -> u32 {
        let frame = plan.frame(self.origin.article, self.origin.slot);
        frame.column_at(layout.type_origin().0 + frame.x, self.x).0
    }
}

/// What reading glyphs looks up again and again: each span's origin, each glyph's outline
/// bounds (in front of the font store's, which lasts between builds). One per worker thread.
#[derive(Default)]
struct Lookups {
    origins: HashMap<Span, Option<Origin>>,
    /// By font, then glyph. A font's hash and equality are its data and index; its inner
    /// caches do not change them.
    bounds: HashMap<Font, HashMap<u16, Option<ttf_parser::Rect>>>,
}

/// What one walk over the pages reads from: the compiled program and the plan it was made from
/// (whose article text the glyphs keep slices of).
#[derive(Clone, Copy)]
pub struct Reader<'w, 'a> {
    pub world: &'w NewsWorld,
    pub map: &'w SourceMap,
    pub plan: &'a Plan,
}

impl<'a> Reader<'_, 'a> {
    /// Walks the pages (in parallel) and keeps every glyph printed from article data; a glyph no
    /// font had (a missing-glyph box) is reported with its character, code point and article.
    pub fn glyphs(self, document: &PagedDocument, errors: &mut Vec<Diagnostic>) -> Vec<Glyph<'a>> {
        let pages: Vec<(Vec<Glyph<'a>>, Vec<Diagnostic>)> = document
            .pages()
            .par_iter()
            .enumerate()
            .map_init(Lookups::default, |lookups, (page, p)| self.page(page, &p.frame, lookups))
            .collect();
        let mut glyphs = Vec::new();
        for (page_glyphs, page_errors) in pages {
            glyphs.extend(page_glyphs);
            errors.extend(page_errors);
        }
        glyphs
    }

    /// The glyphs of one page printed from article data, and its missing-glyph errors.
    #[allow(clippy::mutable_key_type)]
    fn page(self, page: usize, frame: &Frame, lookups: &mut Lookups) -> (Vec<Glyph<'a>>, Vec<Diagnostic>) {
        let (mut glyphs, mut errors) = (Vec::new(), Vec::new());
        walk(frame, Transform::identity(), &mut |pen, item| {
            let mut x = pen.x;
            // Looked up once per text item: its font's glyph bounds; and the last span's
            // origin, as a run of glyphs mostly shares one span.
            let font_bounds = lookups.bounds.entry(item.font.font().clone()).or_default();
            let mut last: Option<(Span, Option<Origin>)> = None;
            for glyph in &item.glyphs {
                let advance = glyph.x_advance.at(item.size);
                let natural = item.font.x_advance(glyph.id).map_or(advance, |em| em.at(item.size));
                // Where the glyph's ink is, within its own box: justification widens advances
                // past the ink, punctuation compressed at a line's start is shifted left of
                // the pen, and a face's design may let ink overshoot its box by a hair.
                let bounds = *font_bounds
                    .entry(glyph.id)
                    .or_insert_with(|| self.world.fonts().glyph_bounds(&item.font, glyph.id));
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
                        let origin = *lookups.origins.entry(span).or_insert_with(|| self.origin(span));
                        last = Some((span, origin));
                        origin
                    }
                };
                let text = item.text.get(glyph.range()).unwrap_or_default();
                if glyph.id == 0 && !text.trim().is_empty() {
                    errors.push(self.missing(page, text, source));
                }
                if let Some(origin) = source {
                    let start = origin.base + usize::from(offset);
                    // A cluster may carry characters of the neighbouring text (a break
                    // opportunity the template put there): count only what matches the data.
                    let data = self.plan.articles[origin.article].text(origin.field);
                    let len = common_prefix(text, data.get(start..).unwrap_or_default());
                    glyphs.push(Glyph {
                        page,
                        origin,
                        bytes: start..start + len,
                        text: data.get(start..start + len).unwrap_or_default(),
                        x: x.to_pt(),
                        width: advance.to_pt(),
                        natural: natural.to_pt(),
                        offset: glyph.x_offset.at(item.size).to_pt(),
                        ink,
                        baseline: pen.y.to_pt(),
                        size: item.size.to_pt(),
                    });
                }
                x += advance;
            }
        });
        (glyphs, errors)
    }

    /// What the expression at `span` prints, when it prints article data.
    fn origin(self, span: Span) -> Option<Origin> {
        let path = span.id()?.get().vpath().get_with_slash().to_string();
        self.map.find(&path, self.world.range(span)?.start)
    }

    /// The error for a missing-glyph box showing `text` on page index `page`.
    fn missing(self, page: usize, text: &str, source: Option<Origin>) -> Diagnostic {
        let c = text.chars().next().unwrap_or('?');
        let whose = match source {
            Some(o) => format!("article `{}`", self.plan.articles[o.article].id()),
            None => "the layout's own text".into(),
        };
        let number = self.plan.pages.get(page).map_or(page as u32 + 1, |pg| pg.number);
        Diagnostic::new(format!(
            "no font of the layout has “{c}” (U+{:04X}) used in {whose} on page {number}",
            c as u32
        ))
    }
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

/// The length in bytes of the longest common prefix of two strings, on character boundaries.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum()
}
