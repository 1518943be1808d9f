//! The pictures as they printed: each picture's box and the size its image printed at, read
//! from the laid-out pages, and the warning for a picture whose pixels are too few for that
//! size (it would print soft or blocky).

use crate::error::Diagnostic;
use crate::issue::{Fit, KeyPath};
use crate::layout::EPSILON;
use crate::plan::Context;
use crate::typeset::images::{PlacedImage, Rect};

/// Points in an inch.
const INCH: f64 = 72.0;

/// One picture of the plan as it printed.
#[derive(Debug, Clone)]
pub struct PrintedPicture {
    /// The page's index in the plan.
    pub page: usize,
    /// The article whose 压题照片 it is; none for a page picture.
    pub article: Option<usize>,
    /// The file as the issue names it.
    pub file: String,
    pub fit: Fit,
    /// Column, span, line and lines on the grid, caption included.
    pub extent: [u32; 4],
    /// The box the picture shows in, on the page (pt): the grid extent less the caption.
    pub shown: Rect,
    /// The whole image at its printed size: larger than the box when cropped to fill it.
    pub image: Rect,
    /// Width and height in pixels; none for SVG.
    pub pixels: Option<[u32; 2]>,
    /// Where the issue names the picture, for the warning's place.
    key: KeyPath,
}

impl PrintedPicture {
    /// Pixels per inch at the printed size (the fewer of the two directions); none for SVG.
    pub fn dpi(&self) -> Option<f64> {
        let [w, h] = self.pixels?;
        Some((f64::from(w) / (self.image.width / INCH)).min(f64::from(h) / (self.image.height / INCH)))
    }

    /// The pixels the picture needs to print at `dpi` at its printed size.
    pub fn pixels_for(&self, dpi: f64) -> [u32; 2] {
        let at = |pt: f64| (pt / INCH * dpi).ceil() as u32;
        [at(self.image.width), at(self.image.height)]
    }
}

/// Where a picture of the plan may print: its page, the rectangle it lies in (a page picture's
/// own, an article picture's first frame), and what the issue says of it.
struct Wanted<'p> {
    page: usize,
    article: Option<usize>,
    region: Rect,
    image: &'p str,
    file: &'p str,
    fit: Fit,
    extent: [u32; 4],
    key: KeyPath,
}

/// Every picture of the plan with the box and size it printed at, in page order. A picture is
/// told by its page, its data and the rectangle it lies in.
pub fn pictures(placed: &[PlacedImage], ctx: &Context) -> Vec<PrintedPicture> {
    let plan = ctx.plan;
    wanted(ctx)
        .into_iter()
        .filter_map(|w| {
            let image = plan.images.iter().find(|i| i.path == w.image)?;
            let found = placed.iter().find(|p| {
                let shown = p.clip.unwrap_or(p.image);
                p.page == w.page
                    && w.region.holds(&shown, EPSILON)
                    && p.data.as_slice() == image.bytes.as_slice()
            })?;
            let shown = found.clip.unwrap_or(found.image);
            let mut extent = w.extent;
            if w.article.is_some() {
                // An article's picture starts on the grid line under its headline.
                let pitch = ctx.layout.spec.grid.line_pitch_pt;
                extent[2] += ((shown.y - w.region.y) / pitch).round() as u32;
            }
            Some(PrintedPicture {
                page: w.page,
                article: w.article,
                file: w.file.into(),
                fit: w.fit,
                extent,
                shown,
                image: found.image,
                pixels: image.pixels,
                key: w.key,
            })
        })
        .collect()
}

/// The plan's pictures and where each may print on its page.
fn wanted<'p>(ctx: &Context<'p>) -> Vec<Wanted<'p>> {
    let (plan, layout) = (ctx.plan, ctx.layout);
    let (left, top) = layout.type_origin();
    let on_page = |x: f64, y: f64, width: f64, height: f64| Rect { x: left + x, y: top + y, width, height };
    let mut wanted = Vec::new();
    for (p, page) in plan.pages.iter().enumerate() {
        for (i, picture) in page.pictures.iter().enumerate() {
            wanted.push(Wanted {
                page: p,
                article: None,
                region: on_page(picture.x, picture.y, picture.width, picture.height),
                image: &picture.image,
                file: &picture.file,
                fit: picture.fit,
                extent: picture.extent,
                key: KeyPath::default().key("pages").index(p).key("pictures").index(i).key("image"),
            });
        }
    }
    for a in 0..plan.articles.len() {
        let frame = plan.frame(a, 0);
        let Some(picture) = &frame.picture else { continue };
        let [column, span, line, _] = frame.extent();
        wanted.push(Wanted {
            page: plan.page_of(a, 0),
            article: Some(a),
            region: on_page(frame.x, frame.y, frame.width, frame.height),
            image: &picture.image,
            file: &picture.file,
            fit: picture.fit,
            extent: [column, span, line, picture.lines],
            key: KeyPath::default().key("articles").index(a).key("picture").key("image"),
        });
    }
    wanted
}

/// A warning for each picture with fewer pixels per inch at its printed size than the layout's
/// `min-dpi`: its file, page, resolution, and the pixels it needs beside those it has.
pub fn resolution_warnings(pictures: &[PrintedPicture], ctx: &Context) -> Vec<Diagnostic> {
    let min = ctx.layout.spec.pictures.min_dpi;
    let plan = ctx.plan;
    pictures
        .iter()
        .filter_map(|picture| {
            let (dpi, [w, h]) = (picture.dpi()?, picture.pixels?);
            if dpi >= min {
                return None;
            }
            let [need_w, need_h] = picture.pixels_for(min);
            let message = format!(
                "picture `{}` on page {} prints at {dpi:.0} dpi, under the layout's {min} dpi: it has {w} × {h} pixels and needs {need_w} × {need_h}",
                picture.file, plan.pages[picture.page].number
            );
            Some(ctx.file.diagnostic(&picture.key, message))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(pixels: Option<[u32; 2]>, width_in: f64, height_in: f64) -> PrintedPicture {
        let image = Rect { x: 0.0, y: 0.0, width: width_in * INCH, height: height_in * INCH };
        PrintedPicture {
            page: 0,
            article: None,
            file: "p.png".into(),
            fit: Fit::Cover,
            extent: [1, 1, 1, 1],
            shown: image,
            image,
            pixels,
            key: KeyPath::default(),
        }
    }

    #[test]
    fn resolution_is_the_fewer_pixels_per_printed_inch() {
        // 800 × 500 pixels printed 4 × 2 inches: 200 dpi across, 250 down.
        let picture = printed(Some([800, 500]), 4.0, 2.0);
        assert_eq!(picture.dpi(), Some(200.0));
        assert_eq!(picture.pixels_for(300.0), [1200, 600]);
        assert_eq!(printed(None, 4.0, 2.0).dpi(), None, "an SVG has no resolution");
    }
}
