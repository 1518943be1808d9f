//! The line-composition check on real layouts: it finds a violation that a layout lets happen,
//! and the built-in layouts avoid it.

mod common;

use banmian::layout::BUILT_IN;
use common::{BUILD, Edit, MINIMAL, engine, write_issue};

/// A paragraph whose natural breaking leaves one character and its full stop on the last line
/// of a 14-character column (the first line is indented two characters, and carries the
/// dateline), followed by another paragraph.
fn lone_character_issue(layout: &str) -> String {
    let paragraph = "一二三四五六七八九".to_string() + "一二三四五六七八九十一二三" + "尾。";
    MINIMAL
        .edit("layout = \"tabloid\"", &format!("layout = \"{layout}\""))
        .edit("span = 2", "span = 1")
        .edit("第一段正文。\n\n第二段正文。", &format!("{paragraph}\n\n第二段。"))
}

#[test]
fn a_lone_last_character_is_found_where_the_layout_allows_it() {
    let tabloid = BUILT_IN.iter().find(|(name, _)| *name == "tabloid").unwrap().1;
    let permissive = tabloid.edit("runt-cost = 1000", "runt-cost = 0");
    assert_ne!(permissive, tabloid);
    let (_dir, path) = write_issue(
        "issue.toml",
        &lone_character_issue("permissive.toml"),
        &[("permissive.toml", &permissive)],
    );
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(build.report.articles[0].composition.lone_character, 1, "{:?}", build.warnings);
    assert!(build.warnings.iter().any(|w| w.message.contains("孤字") && w.message.contains("尾。")));

    let (_dir, path) = write_issue("issue.toml", &lone_character_issue("tabloid"), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(build.report.articles[0].composition, Default::default(), "{:?}", build.warnings);
}

#[test]
fn the_examples_have_no_composition_violations() {
    for name in ["kaifaqu-2023-10", "broadsheet-demo"] {
        let build = engine().build(&common::example(name), &BUILD).unwrap();
        for article in &build.report.articles {
            assert_eq!(article.composition, Default::default(), "{name}: {}", article.id);
        }
    }
}
