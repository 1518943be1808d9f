//! Build and rebuild times on synthetic 对开 issues: 4, 8 and 16 pages about 90 % filled, every
//! page's four lead articles continued on the next page. `cargo bench --bench build`.
//!
//! The issues are generated deterministically from the seed example's text, so runs compare.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use banmian::{BuildOptions, Engine, FontOptions};
use criterion::{Criterion, criterion_group, criterion_main};

/// Body text to cut articles from: the seed example's articles, over and over.
fn corpus() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kaifaqu-2023-10/articles");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).unwrap().replace("## ", "").replace("- ", "")).collect()
}

/// Writes a `pages`-page broadsheet issue into `dir`; returns the issue file. Each page has
/// four two-column frames in its upper part, holding new articles, and four in its lower part,
/// holding the continuations of the page before (page 1's lower frames hold short articles).
fn synthetic_issue(dir: &Path, pages: u32) -> PathBuf {
    let text: Vec<char> = corpus().chars().filter(|c| *c != '\n').collect();
    let mut at = 0;
    let mut body = |chars: usize| -> String {
        let mut out = String::new();
        for i in 0..chars {
            out.push(text[(at + i) % text.len()]);
            if i % 180 == 179 {
                out.push_str("\n\n");
            }
        }
        at += chars;
        out
    };
    let mut issue = String::from(
        "layout = \"broadsheet\"\n\n[paper]\nname = \"样报\"\n\n[issue]\nnumber = 1\ndate = 2024-01-01\n\n",
    );
    let mut articles = String::new();
    for p in 1..=pages {
        let top = if p == 1 { 17 } else { 1 };
        write!(issue, "[[pages]]\nnumber = {p}\n\n").unwrap();
        for i in 0..4u32 {
            let column = 2 * i + 1;
            let id = format!("p{p}a{i}");
            let continued = p < pages;
            let part = if continued { "part = 1\n" } else { "" };
            write!(issue, "[[pages.frames]]\narticle = \"{id}\"\ncolumn = {column}\nspan = 2\nline = {top}\nlines = {}\n{part}\n", 72 - top).unwrap();
            // About 90 % of the frames the article owns (27 characters a line, two columns).
            let lines = (72 - top) + if continued { 48 } else { 0 };
            let chars = (f64::from(lines) * 27.0 * 0.9 * 0.85) as usize;
            writeln!(
                articles,
                "[[articles]]\nid = \"{id}\"\ntitle = \"第{p}版第{i}篇\"\nbody-file = \"{id}.md\"\n"
            )
            .unwrap();
            std::fs::write(dir.join(format!("{id}.md")), body(chars)).unwrap();
            // The lower frame: the previous page's article continued, or on page 1 a short one.
            let (lower, part) =
                if p > 1 { (format!("p{}a{i}", p - 1), "part = 2\n") } else { (format!("short{i}"), "") };
            write!(issue, "[[pages.frames]]\narticle = \"{lower}\"\ncolumn = {column}\nspan = 2\nline = 73\nlines = 48\n{part}\n").unwrap();
            if p == 1 {
                writeln!(
                    articles,
                    "[[articles]]\nid = \"{lower}\"\ntitle = \"短讯{i}\"\nbody-file = \"{lower}.md\"\n"
                )
                .unwrap();
                std::fs::write(dir.join(format!("{lower}.md")), body((48.0 * 27.0 * 0.8) as usize)).unwrap();
            }
        }
    }
    let path = dir.join("issue.toml");
    std::fs::write(&path, issue + &articles).unwrap();
    path
}

fn benches(c: &mut Criterion) {
    let engine = Engine::new(&FontOptions { font_paths: Vec::new(), system_fonts: false });
    let options = BuildOptions { pdf: true, allow_overset: true, ..BuildOptions::default() };
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for pages in [4, 8, 16] {
        let dir = tempfile::tempdir().unwrap();
        let issue = synthetic_issue(dir.path(), pages);
        let first = engine.build(&issue, &options).unwrap();
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        group
            .bench_function(format!("{pages} pages"), |b| b.iter(|| engine.build(&issue, &options).unwrap()));
        // One article edited between builds, as `watch` sees it.
        let article = dir.path().join("p1a0.md");
        let original = std::fs::read_to_string(&article).unwrap();
        let mut edit = 0u32;
        group.bench_function(format!("{pages} pages, one article edited"), |b| {
            b.iter(|| {
                edit += 1;
                std::fs::write(&article, original.replacen('。', &format!("{edit}。"), 1)).unwrap();
                engine.build(&issue, &options).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(build, benches);
criterion_main!(build);
