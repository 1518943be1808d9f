//! Composition (自动组版) times, on the broadsheet demo's articles. `cargo bench --bench compose`.
//!
//! - `对开 page, cold`: one page of six articles composed in a fresh engine with Typst's caches
//!   emptied, measuring included, as a new process does;
//! - `对开 page, warm`: the same page composed again by the same engine, its measurements
//!   memoised, as `watch` and `serve` do;
//! - printed after: a 16-page issue (the demo's four pages, four times) composed and built cold,
//!   and, timed in alternation so that drifts in the machine's speed hit both alike, the ratio
//!   of building it without coordinates to building the issue `compose` wrote out for it.

mod common;

use std::path::{Path, PathBuf};

use banmian::issue::IssueFile;
use banmian::{BuildOptions, Engine, FontOptions};
use criterion::{Criterion, criterion_group, criterion_main};
use toml_edit::{ArrayOfTables, DocumentMut, value};

const FONTS: FontOptions = FontOptions { font_paths: Vec::new(), system_fonts: false };
const ROUNDS: usize = 3;

/// The demo's folder.
fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broadsheet-demo")
}

/// The demo's issue with its articles and pictures copied into `dir`, edited by `edit`;
/// returns the issue file.
fn issue_in(dir: &Path, edit: impl FnOnce(&str) -> String) -> PathBuf {
    for sub in ["articles", "pictures"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(demo().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    let text = edit(&std::fs::read_to_string(demo().join("issue.toml")).unwrap());
    let path = dir.join("issue.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// One inner page (page 2) listing the demo's page 4 articles, which need no jumps.
fn one_page(text: &str) -> String {
    let mut doc: DocumentMut = text.parse().unwrap();
    let pages = doc["pages"].as_array_of_tables_mut().unwrap();
    let mut page = pages.get(3).unwrap().clone();
    page["number"] = value(2);
    let listed: Vec<String> =
        page["articles"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    *pages = ArrayOfTables::new();
    pages.push(page);
    let articles = doc["articles"].as_array_of_tables_mut().unwrap();
    articles.retain(|a| listed.iter().any(|id| Some(id.as_str()) == a["id"].as_str()));
    for article in articles.iter_mut() {
        article.remove("continue-to");
    }
    doc.to_string()
}

/// The demo's four pages `times` times over, articles renamed and jumps moved along, as text:
/// the demo's head, its pages repeated, then its articles section repeated with the ids and
/// jumps of each repetition rewritten.
fn repeated(text: &str, times: u32) -> String {
    let doc: DocumentMut = text.parse().unwrap();
    let articles_at = text.find("\n[[articles]]\n").unwrap() + 1;
    let head = &text[..text.find("\n[[pages]]\n").unwrap() + 1];
    let (mut pages, mut articles) = (String::new(), String::new());
    for k in 0..times {
        let renamed = |id: &str| if k == 0 { id.to_string() } else { format!("{id}-{k}") };
        for page in doc["pages"].as_array_of_tables().unwrap() {
            let number = page["number"].as_integer().unwrap() + 4 * i64::from(k);
            let ids: Vec<String> = page["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| format!("\"{}\"", renamed(v.as_str().unwrap())))
                .collect();
            pages += &format!("[[pages]]\nnumber = {number}\narticles = [{}]\n\n", ids.join(", "));
        }
        for line in text[articles_at..].lines() {
            let line = match (line.strip_prefix("id = \""), line.strip_prefix("continue-to = ")) {
                (Some(rest), _) => format!("id = \"{}\"", renamed(rest.split('"').next().unwrap())),
                (_, Some(rest)) => {
                    let to: u32 = rest.split_whitespace().next().unwrap().parse().unwrap();
                    format!("continue-to = {}", to + 4 * k)
                }
                _ => line.to_string(),
            };
            articles += &line;
            articles.push('\n');
        }
    }
    format!("{head}{pages}{articles}")
}

fn options() -> BuildOptions {
    BuildOptions { pdf: true, allow_overset: true, ..BuildOptions::default() }
}

/// A build as a new process makes it: a fresh engine, and Typst's memoised results dropped.
fn cold_build(issue: &Path) -> banmian::Build {
    comemo::evict(0);
    Engine::new(&FONTS).build(issue, &options()).unwrap()
}

fn pages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let page = issue_in(dir.path(), one_page);
    let mut group = c.benchmark_group("compose");
    group.sample_size(10);
    group.bench_function("对开 page, cold", |b| {
        b.iter(|| {
            comemo::evict(0);
            Engine::new(&FONTS).compose(&page).unwrap()
        })
    });
    let engine = Engine::new(&FONTS);
    engine.compose(&page).unwrap();
    group.bench_function("对开 page, warm", |b| b.iter(|| engine.compose(&page).unwrap()));
    group.finish();
    sixteen_pages();
}

/// The 16-page issue composed and built cold, and against the issue `compose` wrote for it.
fn sixteen_pages() {
    let dir = tempfile::tempdir().unwrap();
    let issue = issue_in(dir.path(), |text| repeated(text, 4));
    let built = cold_build(&issue);
    let composition = built.composition.expect("the issue is composed");
    let written = dir.path().join("issue.composed.toml");
    let file = IssueFile::read(&issue).unwrap();
    std::fs::write(&written, banmian::compose::write(&file, &composition).unwrap()).unwrap();
    let (composed, out) = common::alternating(&issue, &written, ROUNDS, |i| drop(cold_build(i)));
    println!(
        "\n16 pages composed and built cold, against the composed issue written out, {ROUNDS} alternating rounds: \
         {composed:.0} / {out:.0} ms = {:.2}",
        composed / out
    );
}

criterion_group!(compose, pages);
criterion_main!(compose);
