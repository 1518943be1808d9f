//! Headlines: sizes from the layout's 字号 names, and the vertical headline's glyph order.

mod common;

use banmian::layout::BUILT_IN;
use common::{BUILD, Edit, MINIMAL, engine, write_issue};
use typst::layout::{Frame, FrameItem, Point, Transform};

/// Every glyph on the first page: (its character, its size in pt, its position).
fn glyphs(document: &typst_layout::PagedDocument) -> Vec<(String, f64, Point)> {
    fn walk(frame: &Frame, ts: Transform, out: &mut Vec<(String, f64, Point)>) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(
                    &g.frame,
                    ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(g.transform),
                    out,
                ),
                FrameItem::Text(text) => {
                    let mut x = pos.x;
                    for g in &text.glyphs {
                        let c = text.text[g.range()].to_string();
                        out.push((c, text.size.to_pt(), Point::new(x, pos.y).transform(ts)));
                        x += g.x_advance.at(text.size);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&document.pages()[0].frame, Transform::identity(), &mut out);
    out
}

#[test]
fn headline_sizes_come_from_the_layouts_size_names() {
    let tabloid = BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    for (name, pt) in [("一号", 26.0), ("小初", 36.0), ("三号", 16.0)] {
        let layout = tabloid.edit(
            "title = { face = \"biaosong\", size = \"一号\", weight = 700 }",
            &format!("title = {{ face = \"biaosong\", size = \"{name}\", weight = 700 }}"),
        );
        let text = MINIMAL
            .edit("layout = \"tabloid\"", "layout = \"mine.toml\"")
            .edit("title = \"标题\"", "title = \"题\"");
        let (_dir, path) = write_issue("issue.toml", &text, &[("mine.toml", &layout)]);
        let build = engine().build(&path, &BUILD).unwrap();
        let size = glyphs(&build.document).into_iter().find(|(c, ..)| c == "题").unwrap().1;
        assert_eq!(size, pt, "{name}");
    }
}

#[test]
fn a_vertical_headline_stacks_its_characters_top_to_bottom() {
    let title = "“氢”装上阵，向绿而行";
    let text = MINIMAL.edit("title = \"标题\"", &format!("title = \"{title}\"\nheadline = \"vertical\""));
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let glyphs = glyphs(&build.document);
    // The title is larger than the body and smaller than the masthead's name.
    let column: Vec<_> = glyphs.iter().filter(|(_, size, _)| *size > 12.0 && *size < 40.0).collect();
    let read: String = column.iter().map(|(c, ..)| c.as_str()).collect();
    assert_eq!(read, title, "every character of the title, in order");
    assert!(column.windows(2).all(|w| w[1].2.y > w[0].2.y), "each character below the one before");
    let x = column[0].2.x;
    assert!(column.iter().all(|g| (g.2.x - x).abs().to_pt() < 20.0), "one column");
    // The body sits to the left of the headline.
    let body_x = glyphs.iter().find(|(c, ..)| c == "段").unwrap().2.x;
    assert!(body_x < x);
}
