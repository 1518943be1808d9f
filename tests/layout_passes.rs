//! A page compile lays the document out once. Typst lays it out again while introspection has
//! not settled, and measuring an element that gets a location (a paragraph, `context`,
//! `layout`, `strong`) is such introspection: one in a measured headline doubled every compile
//! of every issue. The template measures only content without them; this test holds it to that
//! on an issue with every field the template measures.

mod common;

use common::{BUILD, engine, write_issue};

/// Two tabloid pages: an article with every headline field, a picture with a caption, subheads
/// (one in bold), continued onto page 2 under a jump head.
const ISSUE: &str = r#"layout = "tabloid"

[paper]
name = "测试报"

[issue]
number = 1
date = 2024-03-05

[[pages]]
number = 1

[[pages.frames]]
article = "a"
column = 1
span = 3
line = 13
lines = 40

[[pages]]
number = 2

[[pages.frames]]
article = "a"
column = 1
span = 4
line = 1
lines = 60

[[articles]]
id = "a"
kicker = "引题 测量一次"
title = "标题在测量时不带段落 版面只排一遍"
subtitle = "副题 也在其中"
byline = "张三"
editor-note = "编者按的文字。"
lead = "导语的文字。"
dateline = "本报讯"
body-file = "body.md"

[articles.picture]
image = "p.png"
caption = "图片说明"
credit = "李四 摄"
lines = 10
"#;

fn body() -> String {
    let paragraph = "版面的每一栏都排满，每一篇文章都在它的框里结束。".repeat(6);
    let mut text = String::new();
    for k in 0..12 {
        if k % 3 == 1 {
            text += if k == 4 { "## **加粗的**小标题\n\n" } else { "## 小标题 分两段\n\n" };
        }
        text += &paragraph;
        text += "\n\n";
    }
    text
}

fn png() -> Vec<u8> {
    let mut pixmap = tiny_skia::Pixmap::new(40, 30).unwrap();
    pixmap.fill(tiny_skia::Color::from_rgba8(200, 40, 40, 255));
    pixmap.encode_png().unwrap()
}

#[test]
fn every_compile_lays_the_pages_out_once() {
    let (dir, path) = write_issue("issue.toml", ISSUE, &[("body.md", &body())]);
    std::fs::write(dir.path().join("p.png"), png()).unwrap();
    typst_timing::enable();
    let build = engine().build(&path, &BUILD).unwrap();
    typst_timing::disable();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert_eq!(build.report.articles[0].parts.len(), 2, "the article continues onto page 2");
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0)).unwrap();
    let events: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let count = |name: &str| events.iter().filter(|e| e["name"] == name && e["ph"] == "B").count();
    assert!(count("iter (1)") >= 2, "the measuring and the pages were compiled");
    assert_eq!(
        count("iter (2)"),
        0,
        "a compile laid the document out twice ({} compiles)",
        count("iter (1)")
    );
}
