//! Print-ready output: bleed boxes and crop marks, process colours with black-only text, the
//! archival standard, and reproducible bytes.

mod common;

use banmian::{BuildOptions, PdfSettings, Standard};
use common::{BUILD, engine, example};
use lopdf::{Document, Object};

const MM: f64 = 72.0 / 25.4;

fn build(settings: PdfSettings) -> Vec<u8> {
    let options = BuildOptions { print: settings, ..BUILD };
    let build = engine().build(&example("kaifaqu-2023-10"), &options).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    build.pdf.unwrap()
}

fn bleed(mm: f64) -> PdfSettings {
    PdfSettings { bleed_pt: Some(mm * MM), ..BUILD.print }
}

/// A page box as [x1, y1, x2, y2].
fn page_box(document: &Document, page: lopdf::ObjectId, key: &[u8]) -> Option<[f64; 4]> {
    let dict = document.get_dictionary(page).unwrap();
    let values: Vec<f64> =
        dict.get(key).ok()?.as_array().unwrap().iter().map(|v| f64::from(v.as_float().unwrap())).collect();
    Some(values.try_into().unwrap())
}

/// Strokes drawn in registration colour (1 1 1 1 K), as their two end points in page space.
fn registration_strokes(document: &Document, page: lopdf::ObjectId) -> Vec<[(f64, f64); 2]> {
    let content = lopdf::content::Content::decode(&document.get_page_content(page).unwrap()).unwrap();
    let number = |o: &Object| f64::from(o.as_float().unwrap());
    let (mut origin, mut registration, mut from, mut strokes) = ((0.0, 0.0), false, (0.0, 0.0), Vec::new());
    for op in &content.operations {
        match op.operator.as_str() {
            // Typst places each shape with a translation (and a flip of y).
            "cm" => origin = (number(&op.operands[4]), number(&op.operands[5])),
            "K" => registration = op.operands.iter().all(|v| number(v) == 1.0),
            "Q" => registration = false,
            "m" => from = (number(&op.operands[0]), number(&op.operands[1])),
            "l" if registration => {
                let to = (number(&op.operands[0]), number(&op.operands[1]));
                let place = |(x, y): (f64, f64)| (origin.0 + x, origin.1 - y);
                strokes.push([place(from), place(to)]);
            }
            _ => {}
        }
    }
    strokes
}

#[test]
fn a_bleed_build_has_trim_and_bleed_boxes_and_crop_marks_outside_the_bleed() {
    let pdf = build(bleed(3.0));
    let document = Document::load_mem(&pdf).unwrap();
    let pages = document.get_pages();
    assert_eq!(pages.len(), 2);
    for &page in pages.values() {
        let trim = page_box(&document, page, b"TrimBox").expect("a TrimBox");
        let bleed = page_box(&document, page, b"BleedBox").expect("a BleedBox");
        let media = page_box(&document, page, b"MediaBox").unwrap();
        // The tabloid's trimmed page is 275 × 390 mm.
        assert!(((trim[2] - trim[0]) / MM - 275.0).abs() < 0.01);
        assert!(((trim[3] - trim[1]) / MM - 390.0).abs() < 0.01);
        for i in 0..4 {
            let out = if i < 2 { -1.0 } else { 1.0 };
            assert!((bleed[i] - (trim[i] + out * 3.0 * MM)).abs() < 0.01, "{bleed:?} around {trim:?}");
            assert!(out * (media[i] - bleed[i]) > 0.0, "the media holds the bleed and the marks");
        }
        let marks = registration_strokes(&document, page);
        assert_eq!(marks.len(), 8, "two crop marks at each corner: {marks:?}");
        for [a, b] in marks {
            let inside_bleed = |(x, y): (f64, f64)| {
                x > bleed[0] + 0.01 && x < bleed[2] - 0.01 && y > bleed[1] + 0.01 && y < bleed[3] - 0.01
            };
            assert!(!inside_bleed(a) && !inside_bleed(b), "a crop mark reaches into the bleed");
            // Each mark continues a trim edge.
            let on_edge = |v: f64, lo: f64, hi: f64| (v - lo).abs() < 0.01 || (v - hi).abs() < 0.01;
            let vertical = (a.0 - b.0).abs() < 0.01;
            assert!(if vertical { on_edge(a.0, trim[0], trim[2]) } else { on_edge(a.1, trim[1], trim[3]) });
        }
    }
}

#[test]
fn without_bleed_there_are_no_marks_no_extra_boxes_and_no_tags() {
    let pdf = build(BUILD.print);
    assert!(!String::from_utf8_lossy(&pdf).contains("/StructTreeRoot"), "a press PDF carries no tags");
    let document = Document::load_mem(&pdf).unwrap();
    for &page in document.get_pages().values() {
        assert!(page_box(&document, page, b"TrimBox").is_none());
        assert!(registration_strokes(&document, page).is_empty());
    }
}

#[test]
fn the_same_input_gives_the_same_bytes_and_source_date_epoch_sets_the_date() {
    assert!(build(bleed(3.0)) == build(bleed(3.0)), "two bleed builds differ");
    let dated = |epoch| {
        let pdf = build(PdfSettings { epoch, ..BUILD.print });
        let document = Document::load_mem(&pdf).unwrap();
        let info = document.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let date = document.get_dictionary(info).unwrap().get(b"CreationDate").unwrap().clone();
        String::from_utf8(date.as_str().unwrap().to_vec()).unwrap()
    };
    // Without an epoch the issue's date (2023-10-10) stamps the PDF.
    assert!(dated(None).starts_with("D:20231010"), "{}", dated(None));
    // 1700000000 s is 2023-11-14 22:13:20 UTC.
    assert!(dated(Some(1_700_000_000)).starts_with("D:20231114221320"), "{}", dated(Some(1_700_000_000)));
}

/// A colour operator's operands.
type Colour = Vec<f64>;

/// The colour operators of every page's content, with their operands; and the fill colour in
/// effect at each text-showing operator (`None` when set other than by `k`).
fn colours(pdf: &[u8]) -> (Vec<(String, Colour)>, Vec<Option<Colour>>) {
    let document = Document::load_mem(pdf).unwrap();
    let (mut operators, mut text_fills) = (Vec::new(), Vec::new());
    for &page in document.get_pages().values() {
        let content = lopdf::content::Content::decode(&document.get_page_content(page).unwrap()).unwrap();
        let mut fill = None;
        for op in content.operations {
            let values: Vec<f64> =
                op.operands.iter().filter_map(|v| v.as_float().ok().map(f64::from)).collect();
            match op.operator.as_str() {
                "TJ" | "Tj" | "'" | "\"" => text_fills.push(fill.clone()),
                "k" => fill = Some(values.clone()),
                "g" | "rg" | "sc" | "scn" | "cs" => fill = None,
                _ => {}
            }
            if ["k", "K", "g", "G", "rg", "RG", "sc", "SC", "scn", "SCN", "cs", "CS"]
                .contains(&op.operator.as_str())
            {
                operators.push((op.operator, values));
            }
        }
    }
    (operators, text_fills)
}

const BLACK: [f64; 4] = [0.0, 0.0, 0.0, 1.0];
const MASTHEAD_RED: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

#[test]
fn print_colours_are_process_cmyk_and_text_is_black_only() {
    // An issue without pictures: every colour on its pages is the layout's.
    let (_dir, path) = common::write_issue("issue.toml", common::MINIMAL, &[]);
    let minimal = engine().build(&path, &BUILD).unwrap();
    let (operators, _) = colours(minimal.pdf.as_ref().unwrap());
    for (operator, values) in &operators {
        assert!(operator == "k" || operator == "K", "a non-CMYK colour operator `{operator}`");
        assert!(values == &BLACK || values == &MASTHEAD_RED, "{operator} {values:?}");
    }
    assert!(operators.iter().any(|(_, v)| v == &MASTHEAD_RED), "the masthead is red");
    // With pictures too, all text is black on the black plate, but the masthead.
    let (_, text_fills) = colours(&build(BUILD.print));
    let red = text_fills.iter().filter(|f| f.as_deref() == Some(&MASTHEAD_RED[..])).count();
    assert!(red > 0 && red < 10, "only the paper's name is red: {red} runs");
    for fill in text_fills {
        assert!(
            fill.as_deref() == Some(&BLACK[..]) || fill.as_deref() == Some(&MASTHEAD_RED[..]),
            "{fill:?}"
        );
    }
}

#[test]
fn an_archive_build_is_pdf_a_2b_with_gray_black_and_rgb_colours() {
    let pdf = build(PdfSettings { standard: Standard::ArchiveA2b, ..bleed(3.0) });
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A identification in the metadata");
    assert!(text.contains("/StructTreeRoot"), "the archive's PDF is tagged for readers");
    for (operator, values) in colours(&pdf).0 {
        assert!(!["k", "K"].contains(&operator.as_str()), "CMYK in PDF/A: {operator} {values:?}");
    }
}
