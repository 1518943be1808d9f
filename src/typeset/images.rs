//! Reading the laid-out pages back for pictures: where each image printed and the box it was
//! clipped to, so that the checks can tell each picture's printed size and resolution.

use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem, Point, Size, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

/// A rectangle on a page, in pt from its top-left corner, y down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The rectangle of `size` at `pos`, both in the coordinates `ts` maps to the page's.
    fn placed(pos: Point, size: Size, ts: Transform) -> Rect {
        let (a, b) = (pos.transform(ts), (pos + size.to_point()).transform(ts));
        let (x, y) = (a.x.to_pt().min(b.x.to_pt()), a.y.to_pt().min(b.y.to_pt()));
        Rect { x, y, width: (b.x - a.x).to_pt().abs(), height: (b.y - a.y).to_pt().abs() }
    }

    /// Whether `other` lies inside this rectangle, give or take `tolerance` pt.
    pub fn holds(&self, other: &Rect, tolerance: f64) -> bool {
        other.x >= self.x - tolerance
            && other.y >= self.y - tolerance
            && other.x + other.width <= self.x + self.width + tolerance
            && other.y + other.height <= self.y + self.height + tolerance
    }
}

/// One image as it printed.
pub struct PlacedImage {
    /// The page's index in the document.
    pub page: usize,
    /// The picture file's bytes, to tell which picture it is.
    pub data: Bytes,
    /// The whole image at its printed size: larger than its box when cropped to fill it.
    pub image: Rect,
    /// The innermost clipped box around it, which is the box it shows in; none when nothing
    /// clips it.
    pub clip: Option<Rect>,
}

/// Every raster and SVG image on the pages, in page order.
pub fn images(document: &PagedDocument) -> Vec<PlacedImage> {
    let mut placed = Vec::new();
    for (page, p) in document.pages().iter().enumerate() {
        walk(&p.frame, Transform::identity(), None, &mut |image, clip, data| {
            placed.push(PlacedImage { page, data, image, clip });
        });
    }
    placed
}

/// Calls `f` with each image's page rectangle, its innermost clip and its data.
fn walk(frame: &Frame, ts: Transform, clip: Option<Rect>, f: &mut impl FnMut(Rect, Option<Rect>, Bytes)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                let inner = group.clip.as_ref().map(|_| Rect::placed(Point::zero(), group.frame.size(), ts));
                walk(&group.frame, ts, inner.or(clip), f);
            }
            FrameItem::Image(image, size, _) => {
                let data = match image.kind() {
                    ImageKind::Raster(raster) => raster.data().clone(),
                    ImageKind::Svg(svg) => svg.data().clone(),
                    ImageKind::Pdf(_) => continue,
                };
                f(Rect::placed(*pos, *size, ts), clip, data);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::layout::Abs;

    #[test]
    fn a_rectangle_is_placed_through_its_transform_and_holds_what_lies_inside() {
        let ts = Transform::translate(Abs::pt(10.0), Abs::pt(20.0));
        let size = Size::new(Abs::pt(30.0), Abs::pt(40.0));
        let rect = Rect::placed(Point::new(Abs::pt(1.0), Abs::pt(2.0)), size, ts);
        assert_eq!(rect, Rect { x: 11.0, y: 22.0, width: 30.0, height: 40.0 });
        let inner = Rect { x: 11.0, y: 30.0, width: 30.0, height: 10.0 };
        assert!(rect.holds(&inner, 0.01));
        assert!(!inner.holds(&rect, 0.01));
    }
}
