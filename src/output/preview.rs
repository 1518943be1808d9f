//! Page previews for editors: one PNG per page and a contact sheet of all pages side by side.

use typst::layout::Abs;
use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result};

/// Space between pages on the contact sheet, in pt.
const SHEET_GAP_PT: f64 = 24.0;

/// Rendered previews: (page number, PNG) for each page asked for, and the contact sheet.
pub struct Previews {
    pub pages: Vec<(u32, Vec<u8>)>,
    pub contact_sheet: Vec<u8>,
}

/// Renders `document` at `dpi`; `numbers` are the pages' numbers in the issue, `only` selects
/// pages by number (all when empty). The contact sheet holds every page at half the resolution.
pub fn render(document: &PagedDocument, numbers: &[u32], dpi: f64, only: &[u32]) -> Result<Previews> {
    if !(1.0..=1200.0).contains(&dpi) {
        return Err(
            Diagnostic::new(format!("a preview resolution of {dpi} dpi is not between 1 and 1200")).into()
        );
    }
    if let Some(missing) = only.iter().find(|n| !numbers.contains(n)) {
        return Err(Diagnostic::new(format!("the issue has no page {missing}")).into());
    }
    let options = |dpi: f64| typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(dpi / 72.0),
        render_bleed: false,
    };
    let mut pages = Vec::new();
    for (page, &number) in document.pages().iter().zip(numbers) {
        if only.is_empty() || only.contains(&number) {
            let pixmap = typst_render::render(page, &options(dpi));
            pages.push((number, encode(&pixmap)?));
        }
    }
    let small: Vec<_> =
        document.pages().iter().map(|p| typst_render::render(p, &options(dpi / 2.0))).collect();
    let gap = (Abs::pt(SHEET_GAP_PT).to_pt() * dpi / 2.0 / 72.0).round() as u32;
    let width = small.iter().map(|p| p.width() + gap).sum::<u32>() + gap;
    let height = small.iter().map(|p| p.height()).max().unwrap_or(0) + 2 * gap;
    let mut sheet =
        tiny_skia::Pixmap::new(width.max(1), height.max(1)).ok_or_else(|| too_large(width, height))?;
    sheet.fill(tiny_skia::Color::from_rgba8(0xd0, 0xd0, 0xd0, 0xff));
    let mut x = gap;
    for pixmap in &small {
        let paint = tiny_skia::PixmapPaint::default();
        sheet.draw_pixmap(
            x as i32,
            gap as i32,
            pixmap.as_ref(),
            &paint,
            tiny_skia::Transform::identity(),
            None,
        );
        x += pixmap.width() + gap;
    }
    Ok(Previews { pages, contact_sheet: encode(&sheet)? })
}

fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>> {
    pixmap.encode_png().map_err(|e| Error::one(Diagnostic::new(format!("cannot encode a preview: {e}"))))
}

fn too_large(width: u32, height: u32) -> Error {
    Diagnostic::new(format!("a contact sheet of {width} × {height} pixels is too large")).into()
}
