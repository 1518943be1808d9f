//! The size table: every frame and picture with its place on the grid and its size in mm and
//! pt, and for pictures the pixels, aspect and resolution they print at, so that a designer
//! can prepare each picture at the right aspect and resolution.

use serde::Serialize;

use crate::check::pictures::PrintedPicture;
use crate::issue::Fit;
use crate::layout::MM;
use crate::plan::Context;

/// One frame or picture on its page.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SizeReport {
    pub page: u32,
    /// The frame's article, or the article whose 压题照片 this is.
    pub article: Option<String>,
    /// The frame's place in its article's chain, 1-based; none for a picture.
    pub part: Option<usize>,
    /// First grid column, span, first grid line and lines (a picture's caption included).
    pub column: u32,
    pub span: u32,
    pub line: u32,
    pub lines: u32,
    /// The frame, or the box the picture shows in (its caption not included).
    pub width_mm: f64,
    pub height_mm: f64,
    pub width_pt: f64,
    pub height_pt: f64,
    /// What a picture is and how it prints; none for a frame.
    pub picture: Option<PictureSize>,
}

/// A picture's file, pixels and how they print in its box.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PictureSize {
    /// The file as the issue names it.
    pub file: String,
    pub fit: Fit,
    /// Width and height in pixels; none for SVG.
    pub pixels: Option<[u32; 2]>,
    /// The picture's width over its height, and its box's: where they differ, `cover` crops
    /// and `contain` leaves background.
    pub aspect: f64,
    pub box_aspect: f64,
    /// Pixels per inch at the printed size; none for SVG.
    pub dpi: Option<f64>,
    /// The pixels the layout's `min-dpi` asks for at the printed size; none for SVG.
    pub wanted_pixels: Option<[u32; 2]>,
}

/// The table's rows: each page's frames, then its pictures, each by grid line and column.
pub fn sizes(ctx: &Context, pictures: &[PrintedPicture]) -> Vec<SizeReport> {
    let plan = ctx.plan;
    let mut rows: Vec<(usize, SizeReport)> = Vec::new();
    for (p, page) in plan.pages.iter().enumerate() {
        for frame in &page.frames {
            let article = Some(plan.articles[frame.article].id().to_string());
            let row = row(page.number, article, frame.extent(), [frame.width, frame.height]);
            rows.push((p, SizeReport { part: Some(frame.slot + 1), ..row }));
        }
    }
    for picture in pictures {
        let article = picture.article.map(|a| plan.articles[a].id().to_string());
        let shown = picture.shown;
        let row = row(plan.pages[picture.page].number, article, picture.extent, [shown.width, shown.height]);
        let size = PictureSize {
            file: picture.file.clone(),
            fit: picture.fit,
            pixels: picture.pixels,
            aspect: picture.image.width / picture.image.height,
            box_aspect: shown.width / shown.height,
            dpi: picture.dpi(),
            wanted_pixels: picture.pixels.map(|_| picture.pixels_for(ctx.layout.spec.pictures.min_dpi)),
        };
        rows.push((picture.page, SizeReport { picture: Some(size), ..row }));
    }
    rows.sort_by_key(|(p, row)| (*p, row.picture.is_some(), row.line, row.column));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// A row for a rectangle of `[width, height]` pt at grid `extent` on page `page`.
fn row(page: u32, article: Option<String>, extent: [u32; 4], [width, height]: [f64; 2]) -> SizeReport {
    let [column, span, line, lines] = extent;
    SizeReport {
        page,
        article,
        part: None,
        column,
        span,
        line,
        lines,
        width_mm: width / MM,
        height_mm: height / MM,
        width_pt: width,
        height_pt: height,
        picture: None,
    }
}
