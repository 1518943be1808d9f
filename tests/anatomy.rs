//! Page anatomy on real builds: whole-character 破栏 columns, the page check finding ink outside
//! the type area and rules too close to text where a layout allows them, and the examples
//! free of both.

mod common;

use banmian::layout::BUILT_IN;
use banmian::report::Report;
use common::{BUILD, Edit, MINIMAL, engine, write_issue};

fn tabloid() -> &'static str {
    BUILT_IN.iter().find(|(name, _)| *name == "tabloid").unwrap().1
}

/// MINIMAL with a second article stacked under the first, and the first boxed when `boxed`,
/// in the layout `layout`.
fn stacked(layout: &str, boxed: bool) -> String {
    let box_key = if boxed { "boxed = true\n" } else { "" };
    MINIMAL
        .edit("layout = \"tabloid\"", &format!("layout = \"{layout}\""))
        .edit("column = 1\nspan = 2", "column = 4\nspan = 2")
        .edit(
            "[[articles]]",
            "[[pages.frames]]\narticle = \"b\"\ncolumn = 4\nspan = 2\nline = 43\nlines = 20\n\n[[articles]]",
        )
        + &format!("{box_key}\n[[articles]]\nid = \"b\"\ntitle = \"第二篇\"\nbody = \"另一段正文。\"\n")
}

fn counts(report: &Report) -> Vec<(usize, usize)> {
    report.pages.iter().map(|p| (p.anatomy.ink_outside_type_area, p.anatomy.rule_too_close)).collect()
}

/// MINIMAL with a second article beside the first, both with lines that fill their columns,
/// in the layout `layout`.
fn beside(layout: &str) -> String {
    let paragraph = "新闻正文".repeat(15);
    MINIMAL
        .edit("layout = \"tabloid\"", &format!("layout = \"{layout}\""))
        .edit("第一段正文。", &paragraph)
        .edit(
            "[[articles]]",
            "[[pages.frames]]\narticle = \"b\"\ncolumn = 3\nspan = 2\nline = 13\nlines = 30\n\n[[articles]]",
        )
        + &format!("\n[[articles]]\nid = \"b\"\ntitle = \"第二篇\"\nbody = \"{paragraph}\"\n")
}

#[test]
fn a_rule_closer_to_text_than_the_layouts_clearance_is_found() {
    // The gutter's middle is 4.5 pt from the text: a layout asking for 6 pt finds the rule.
    let strict = tabloid().edit("rule-clearance-pt = 3", "rule-clearance-pt = 6");
    let (_dir, path) = write_issue("issue.toml", &beside("strict.toml"), &[("strict.toml", &strict)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(counts(&build.report), [(0, 1)], "{:?}", build.warnings);
    assert!(
        build
            .warnings
            .iter()
            .any(|w| w.message.contains("栏线 too close to text") && w.message.contains("less than 6 pt"))
    );

    let (_dir, path) = write_issue("issue.toml", &beside("tabloid"), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(counts(&build.report), [(0, 0)], "{:?}", build.warnings);
}

#[test]
fn a_box_drawn_in_the_gutter_at_the_type_areas_edge_is_found_outside_it() {
    // The template's box as it was: half a gutter out on every side.
    let template = include_str!("../layouts/newspaper.typ").edit(
        "outset: (x: -thickness / 2, top: -thickness / 2, bottom: -leading(L) / 2),",
        "outset: (x: 4.5pt, y: leading(L) / 2),",
    );
    let layout = format!("template = \"old.typ\"\n{}", tabloid());
    let files = [("old.toml", layout.as_str()), ("old.typ", template.as_str())];
    let (_dir, path) = write_issue("issue.toml", &stacked("old.toml", true), &files);
    let build = engine().build(&path, &BUILD).unwrap();
    let (outside, _) = counts(&build.report)[0];
    assert!(outside >= 1, "{:?}", build.warnings);
    assert!(build.warnings.iter().any(|w| w.message.contains("outside the type area")));

    let (_dir, path) = write_issue("issue.toml", &stacked("tabloid", true), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(counts(&build.report), [(0, 0)], "{:?}", build.warnings);
}

#[test]
fn broken_columns_are_whole_characters_and_the_gutters_take_the_rest() {
    // 四破三 on the tabloid: 59 characters into three columns of 19, gutters of 1 + 1.
    let text = MINIMAL.edit("span = 2", "span = 4\ncolumns = 3");
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    assert_eq!(columns(&path), (19.0 * 9.0, 9.0));
    // 三破二 of 44 characters: two columns of 21, the gutter of 2.
    let text = MINIMAL.edit("span = 2", "span = 3\ncolumns = 2");
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    assert_eq!(columns(&path), (21.0 * 9.0, 2.0 * 9.0));
    // A layout that gives the rest to the columns: 21.5 characters, the grid's gutter.
    let even = tabloid().edit("broken-remainder = \"gutters\"", "broken-remainder = \"columns\"");
    let text = text.edit("layout = \"tabloid\"", "layout = \"even.toml\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[("even.toml", &even)]);
    assert_eq!(columns(&path), (21.5 * 9.0, 9.0));
}

/// The first frame's text column width and gutter, as the built pages set them (the plan's
/// data the template reads).
fn columns(path: &std::path::Path) -> (f64, f64) {
    let build = engine().build(path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let plan = &build.generated.data.iter().find(|(p, _)| p == "/data/plan.json").unwrap().1;
    let plan: serde_json::Value = serde_json::from_slice(plan).unwrap();
    let frame = &plan["pages"][0]["frames"][0];
    (frame["column-width"].as_f64().unwrap(), frame["column-gutter"].as_f64().unwrap())
}

#[test]
fn the_examples_show_no_page_check_faults() {
    for name in ["kaifaqu-2023-10", "broadsheet-demo"] {
        let build = engine().build(&common::built_example(name), &BUILD).unwrap();
        assert!(build.errors.is_empty(), "{name}: {:?}", build.errors);
        assert!(counts(&build.report).iter().all(|&c| c == (0, 0)), "{name}: {:?}", build.warnings);
    }
}
