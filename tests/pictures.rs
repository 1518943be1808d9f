//! Pictures on real builds: `fit = "contain"` shows the whole picture inside its box on the
//! layout's background while `cover` fills the box, the report gives every frame's and
//! picture's size, and a picture with too few pixels for its printed size is a warning.

mod common;

use std::path::Path;

use banmian::Build;
use common::{BUILD, Edit, MINIMAL, engine, write_issue};
use typst::layout::{Frame, FrameItem, Point, Transform};

/// A PNG of `width` × `height` pixels of one strong red.
fn red_png(width: u32, height: u32) -> Vec<u8> {
    let mut pixmap = tiny_skia::Pixmap::new(width, height).unwrap();
    pixmap.fill(tiny_skia::Color::from_rgba8(200, 30, 30, 255));
    pixmap.encode_png().unwrap()
}

/// MINIMAL with a page picture of `p.png` in a tall, narrow box (one grid column, 30 lines,
/// with a caption) and the article's 压题照片 (two columns, 20 lines), both boxes narrower
/// than an 8:5 picture, both fitted by `fit`.
fn issue(fit: &str) -> String {
    let page_picture = format!(
        "[[pages.pictures]]\nimage = \"p.png\"\ncaption = \"广告\"\ncolumn = 3\nspan = 1\nline = 13\nlines = 30\nfit = \"{fit}\"\n\n[[articles]]"
    );
    MINIMAL.edit("[[articles]]", &page_picture)
        + &format!("\n[articles.picture]\nimage = \"p.png\"\nlines = 20\nfit = \"{fit}\"\n")
}

/// Builds `text` with `p.png` beside it.
fn built(text: &str, png: &[u8]) -> Build {
    let (dir, path) = write_issue("issue.toml", text, &[]);
    std::fs::write(dir.path().join("p.png"), png).unwrap();
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    build
}

/// A rectangle on the page in pt: left, top, right, bottom.
type Rect = [f64; 4];

/// Every image on the first page with the clipped box around it, read from the laid-out page.
fn placements(build: &Build) -> Vec<(Rect, Rect)> {
    fn walk(frame: &Frame, ts: Transform, clip: Option<Rect>, out: &mut Vec<(Rect, Rect)>) {
        let rect = |pos: Point, size: typst::layout::Size, ts: Transform| {
            let (a, b) = (pos.transform(ts), (pos + size.to_point()).transform(ts));
            [a.x.to_pt(), a.y.to_pt(), b.x.to_pt(), b.y.to_pt()]
        };
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    let ts = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(g.transform);
                    let inner = g.clip.as_ref().map(|_| rect(Point::zero(), g.frame.size(), ts));
                    walk(&g.frame, ts, inner.or(clip), out);
                }
                FrameItem::Image(_, size, _) => out.push((rect(*pos, *size, ts), clip.unwrap())),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&build.document.pages()[0].frame, Transform::identity(), None, &mut out);
    out
}

/// The colour of the first page's pixel at (`x`, `y`) pt, rendered at 2 pixels per pt.
fn pixel(pixmap: &tiny_skia::Pixmap, x: f64, y: f64) -> [u8; 3] {
    let c = pixmap.pixel((x * 2.0) as u32, (y * 2.0) as u32).unwrap();
    [c.red(), c.green(), c.blue()]
}

const RED: [u8; 3] = [200, 30, 30];
const PAPER: [u8; 3] = [255, 255, 255];

#[test]
fn contain_shows_the_whole_picture_inside_its_box_on_the_background() {
    // A wide picture (8:5) in boxes narrower than it: contain leaves paper above and below.
    let build = built(&issue("contain"), &red_png(160, 100));
    let placed = placements(&build);
    assert_eq!(placed.len(), 2, "the page picture and the 压题照片");
    let render = typst_render::render(
        &build.document.pages()[0],
        &typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(2.0), render_bleed: false },
    );
    for ([l, t, r, b], [bl, bt, br, bb]) in placed {
        let e = 0.01;
        assert!(l >= bl - e && t >= bt - e && r <= br + e && b <= bb + e, "the picture leaves its box");
        assert!((l - bl).abs() < e && (r - br).abs() < e, "a wide picture spans its box's width");
        assert!(((r - l) / (b - t) - 1.6).abs() < 1e-3, "the picture keeps its aspect");
        let mid = (bl + br) / 2.0;
        assert_eq!(pixel(&render, mid, (t + b) / 2.0), RED);
        // The box's background shows where the picture does not reach.
        if t - bt > 2.0 {
            assert_eq!(pixel(&render, mid, bt + 1.0), PAPER);
            assert_eq!(pixel(&render, mid, bb - 1.0), PAPER);
        }
    }
}

#[test]
fn cover_still_fills_its_box() {
    let build = built(&issue("cover"), &red_png(160, 100));
    let placed = placements(&build);
    assert_eq!(placed.len(), 2);
    for ([l, t, r, b], [bl, bt, br, bb]) in placed {
        let e = 0.01;
        assert!(
            l <= bl + e && t <= bt + e && r >= br - e && b >= bb - e,
            "the picture leaves a gap in its box"
        );
        assert!(l < bl - 1.0 && r > br + 1.0, "a wide picture is cropped at its sides");
        assert!(((r - l) / (b - t) - 1.6).abs() < 1e-3, "the picture keeps its aspect");
    }
    // Without `fit`, pictures are cropped to fill as before.
    let default = issue("cover").replace("fit = \"cover\"\n", "");
    assert!(!default.contains("fit"));
    let placed = placements(&built(&default, &red_png(160, 100)));
    assert_eq!(placed.len(), 2);
    assert!(placed.iter().all(|&([l, _, r, _], [bl, _, br, _])| l < bl - 1.0 && r > br + 1.0), "{placed:?}");
}

#[test]
fn the_report_gives_each_frames_and_pictures_size_and_resolution() {
    let build = built(&issue("contain"), &red_png(800, 500));
    let sizes = &build.report.sizes;
    // The article's frame, its 压题照片, the page picture.
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    let frame = &sizes[0];
    assert_eq!((frame.article.as_deref(), frame.part), (Some("a"), Some(1)));
    assert_eq!([frame.column, frame.span, frame.line, frame.lines], [1, 2, 13, 30]);
    let layout = banmian::layout::Layout::load("tabloid", Path::new(".")).unwrap();
    assert!((frame.width_pt - layout.span_width(2)).abs() < 1e-6);
    assert!((frame.height_pt - layout.lines_height(30)).abs() < 1e-6);
    assert!((frame.width_mm - frame.width_pt * 25.4 / 72.0).abs() < 1e-9);
    let page_picture = sizes.iter().find(|s| s.article.is_none()).unwrap();
    let picture = page_picture.picture.as_ref().unwrap();
    assert_eq!(picture.file, "p.png");
    assert_eq!(picture.pixels, Some([800, 500]));
    assert!((picture.aspect - 1.6).abs() < 1e-9);
    assert!((picture.box_aspect - page_picture.width_pt / page_picture.height_pt).abs() < 1e-9);
    // Shown whole across one column: 800 pixels over the column's width.
    let dpi = 800.0 / (layout.span_width(1) / 72.0);
    assert!((picture.dpi.unwrap() - dpi).abs() < 1e-6, "{:?} against {dpi}", picture.dpi);
    let json = serde_json::to_value(&build.report).unwrap();
    let row = &json["sizes"][2];
    for key in ["page", "column", "span", "line", "lines", "width-mm", "height-mm", "width-pt", "height-pt"] {
        assert!(row.get(key).is_some(), "{key} missing from {row}");
    }
    assert_eq!(row["picture"]["pixels"], serde_json::json!([800, 500]));
    assert_eq!(row["picture"]["fit"], "contain");
}

#[test]
fn a_picture_with_too_few_pixels_for_its_size_is_a_warning() {
    let text = issue("cover");
    let small = built(&text, &red_png(80, 50));
    let warnings: Vec<String> = small.warnings.iter().map(ToString::to_string).collect();
    let low: Vec<_> = warnings.iter().filter(|w| w.contains("dpi")).collect();
    assert_eq!(low.len(), 2, "{warnings:?}");
    for (warning, key) in low.iter().zip(["pages[0].pictures[0].image", "articles[0].picture.image"]) {
        assert!(warning.contains(key), "{warning}");
        assert!(warning.contains("picture `p.png` on page 1 prints at"), "{warning}");
        assert!(warning.contains("under the layout's 200 dpi: it has 80 × 50 pixels and needs"), "{warning}");
    }
    // What it needs is what prints at 200 dpi.
    let row = small.report.sizes.iter().find(|s| s.article.is_none()).unwrap();
    let [w, h] = row.picture.as_ref().unwrap().wanted_pixels.unwrap();
    assert!(low[0].ends_with(&format!("needs {w} × {h}")), "{}", low[0]);

    let large = built(&text, &red_png(2400, 1500));
    assert!(large.warnings.iter().all(|w| !w.to_string().contains("dpi")), "{:?}", large.warnings);
    assert!(large.report.sizes.iter().filter_map(|s| s.picture.as_ref()).all(|p| p.dpi.unwrap() >= 200.0));
}

#[test]
fn an_svg_has_no_resolution_to_warn_about() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"><rect width=\"4\" height=\"3\"/></svg>";
    let text = issue("contain").replace("p.png", "p.svg");
    let (_dir, path) = write_issue("issue.toml", &text, &[("p.svg", svg)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.warnings.iter().all(|w| !w.to_string().contains("dpi")), "{:?}", build.warnings);
    let pictures: Vec<_> = build.report.sizes.iter().filter_map(|s| s.picture.as_ref()).collect();
    assert_eq!(pictures.len(), 2);
    assert!(
        pictures.iter().all(|p| p.pixels.is_none() && p.dpi.is_none() && (p.aspect - 4.0 / 3.0).abs() < 1e-3)
    );
}
