//! Shared test helpers: one engine per test binary, issues written to temporary folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use banmian::{BuildOptions, Engine, FontOptions, PdfSettings, Standard};
use typst::layout::{Frame, FrameItem, Point, Transform};

/// Build options that produce a PDF.
pub const BUILD: BuildOptions = BuildOptions {
    pdf: true,
    allow_overset: false,
    print: PdfSettings { bleed_pt: None, standard: Standard::Print, epoch: None },
    fit: false,
};

/// An engine over the embedded fonts only, so results do not depend on the machine.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&FontOptions { font_paths: Vec::new(), system_fonts: false }))
}

/// A small valid tabloid issue: one page, one article in a 2-column frame.
pub const MINIMAL: &str = r#"layout = "tabloid"

[paper]
name = "测试报"

[issue]
number = 1
date = 2024-03-05

[[pages]]
number = 1
section = "要闻"

[[pages.frames]]
article = "a"
column = 1
span = 2
line = 13
lines = 30

[[articles]]
id = "a"
title = "标题"
dateline = "本报讯"
byline = "张三"
body = """
第一段正文。

第二段正文。
"""
"#;

/// Writes `files` into a fresh temporary folder; returns the folder (kept alive) and the issue path.
pub fn write_issue(name: &str, text: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The repository's examples folder.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).join("issue.toml")
}

/// An example's issue as a desk builds it: for a composed example, the issue `compose` wrote
/// out beside its issue file (composing in a debug build takes minutes; one test composes it
/// and compares), else its issue file.
pub fn built_example(name: &str) -> PathBuf {
    let composed = example(name).with_file_name("issue.composed.toml");
    if composed.exists() { composed } else { example(name) }
}

/// Extracts a PDF's text, whitespace removed (columns and justification add spaces and breaks).
pub fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text can be extracted");
    squeeze(&text)
}

/// Text with whitespace removed.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Edits a test fixture, failing loudly when the text to replace is not there: a fixture that
/// silently stays unchanged would make its test test nothing.
pub trait Edit {
    fn edit(&self, from: &str, to: &str) -> String;
}

impl Edit for str {
    fn edit(&self, from: &str, to: &str) -> String {
        assert!(self.contains(from), "the fixture has no {from:?}");
        self.replace(from, to)
    }
}

/// Every glyph on the first page: (its character, its size in pt, its position).
pub fn glyphs(document: &typst_layout::PagedDocument) -> Vec<(String, f64, Point)> {
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
