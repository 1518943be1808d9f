//! The size table `check` prints: each frame and picture with its grid place and its size in
//! mm and pt, pictures with their pixels, aspect against their box's and resolution.

use banmian::report::{Report, SizeReport};

/// Prints the table under a header, one row per frame or picture.
pub fn print(report: &Report) {
    if report.sizes.is_empty() {
        return;
    }
    println!();
    println!(
        "{:<4} {:<28} {:<19} {:>18} {:>15}  {:<11} {:<14} dpi fit",
        "page", "what", "col span line lines", "width × height", "in pt", "pixels", "aspect / box"
    );
    for row in &report.sizes {
        println!("{}", line(row));
    }
}

/// One row: what it is, where, how large, and for a picture how its pixels print.
fn line(row: &SizeReport) -> String {
    let what = match (&row.picture, &row.article, row.part) {
        (Some(picture), Some(article), _) => format!("{} ({article})", picture.file),
        (Some(picture), None, _) => picture.file.clone(),
        (None, Some(article), Some(part)) if part > 1 => format!("{article} (part {part})"),
        (None, article, _) => article.clone().unwrap_or_default(),
    };
    let grid = format!("{} {} {} {}", row.column, row.span, row.line, row.lines);
    let mm = format!("{:.1} × {:.1} mm", row.width_mm, row.height_mm);
    let pt = format!("{:.1} × {:.1}", row.width_pt, row.height_pt);
    let mut text = format!("{:<4} {:<28} {:<19} {:>18} {:>15}", row.page, what, grid, mm, pt);
    if let Some(picture) = &row.picture {
        let pixels = picture.pixels.map_or("SVG".into(), |[w, h]| format!("{w} × {h}"));
        let aspect = format!("{:.2} / {:.2}", picture.aspect, picture.box_aspect);
        let dpi = picture.dpi.map_or("-".into(), |d| format!("{d:.0}"));
        text += &format!("  {pixels:<11} {aspect:<14} {dpi:<4} {}", picture.fit);
    }
    text
}
