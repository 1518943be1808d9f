//! Build and rebuild times on synthetic 对开 issues of 4, 8, 16 and 32 pages, 91 % of frame lines used,
//! every page's four lead articles continued on the next page. `cargo bench --bench build`.
//!
//! For each size, measured in one run so the figures compare:
//! - `cold`: a build in a fresh engine with Typst's caches emptied, as a new process does;
//! - `one compile`: compiling the build's final generated source once, in a fresh world, and
//!   exporting the PDF, which is what `typst compile` of the `--emit-typst` folder does;
//! - `rebuild, unchanged` and `rebuild, one article edited`: the same engine building again, as
//!   `watch` does;
//! - `batch`: distinct 8-page issues built in parallel on 1 and on all threads, in pages/s;
//! - printed after the timings, for each size: the ratio of a cold build to one compile,
//!   timed in alternation so that drifts in the machine's speed hit both alike, and the peak
//!   heap of each.
//!
//! The issues are generated deterministically from the seed example's text, so runs compare.

mod common;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use banmian::issue::IssueFile;
use banmian::output::pdf;
use banmian::typeset::fonts::FontStore;
use banmian::typeset::world::{self, NewsWorld};
use banmian::typeset::{compile, generate};
use banmian::{BuildOptions, Engine, FontOptions};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use peak_alloc::PeakAlloc;
use rayon::prelude::*;

/// Counts heap use, for the peak memory of a build against one compile.
#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

const SIZES: [u32; 4] = [4, 8, 16, 32];
const FONTS: FontOptions = FontOptions { font_paths: Vec::new(), system_fonts: false };

/// Paragraphs to make articles of: the seed example's, over and over.
fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kaifaqu-2023-10/articles");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let text: String = names.iter().map(|p| std::fs::read_to_string(p).unwrap() + "\n").collect();
    text.lines()
        .map(|l| l.trim_start_matches("## ").trim_start_matches("- ").to_string())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Lines of a two-column frame of the broadsheet (13 characters a column), as body text.
const CHARS_PER_LINE: f64 = 26.0;
/// How much of each article's frames its text fills, less its headline or jump head.
const FILL: f64 = 0.9;

/// Writes a `pages`-page broadsheet issue into `dir`; returns the issue file. Each page has
/// four two-column frames in its upper part, holding new articles, and four in its lower part,
/// holding the continuations of the page before (page 1's lower frames hold short articles).
/// `variant` starts the text at another paragraph, so variants are distinct issues.
fn synthetic_issue(dir: &Path, pages: u32, variant: usize) -> PathBuf {
    synthetic(dir, pages, variant, false)
}

/// [`synthetic_issue`], with every article's last frame taking its height from its text
/// (`lines = "auto"`) when `auto` is set.
fn synthetic(dir: &Path, pages: u32, variant: usize, auto: bool) -> PathBuf {
    let height = |lines: u32| if auto { "\"auto\"".to_string() } else { lines.to_string() };
    let paragraphs = corpus();
    let mut at = variant * 7;
    // Whole paragraphs until about `chars` characters; the last one ends at a sentence's end.
    let mut body = |chars: usize| -> String {
        let mut out = String::new();
        let mut left = chars;
        while left > 0 {
            let paragraph = &paragraphs[at % paragraphs.len()];
            at += 1;
            let n = paragraph.chars().count();
            let taken: String = if n <= left {
                paragraph.clone()
            } else {
                let head: String = paragraph.chars().take(left).collect();
                match head.rfind('。') {
                    Some(end) => head[..end + '。'.len_utf8()].to_string(),
                    None => break,
                }
            };
            left -= taken.chars().count().min(left);
            out.push_str(&taken);
            out.push_str("\n\n");
        }
        out
    };
    // Grid lines a headline and its gap take, and a jump head.
    let (headline, jump_head) = (6.0, 3.0);
    let fill = |lines: f64| (lines * CHARS_PER_LINE * FILL) as usize;
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
            let upper = 72 - top;
            let upper_lines = if continued { upper.to_string() } else { height(upper) };
            write!(issue, "[[pages.frames]]\narticle = \"{id}\"\ncolumn = {column}\nspan = 2\nline = {top}\nlines = {upper_lines}\n{part}\n").unwrap();
            let mut lines = f64::from(upper) - headline;
            if continued {
                lines += 48.0 - jump_head;
            }
            writeln!(
                articles,
                "[[articles]]\nid = \"{id}\"\ntitle = \"第{p}版第{i}篇\"\nbody-file = \"{id}.md\"\n"
            )
            .unwrap();
            std::fs::write(dir.join(format!("{id}.md")), body(fill(lines))).unwrap();
            // The lower frame: the previous page's article continued, or on page 1 a short one.
            let (lower, part) =
                if p > 1 { (format!("p{}a{i}", p - 1), "part = 2\n") } else { (format!("short{i}"), "") };
            let lower_lines = height(48);
            write!(issue, "[[pages.frames]]\narticle = \"{lower}\"\ncolumn = {column}\nspan = 2\nline = 73\nlines = {lower_lines}\n{part}\n").unwrap();
            if p == 1 {
                writeln!(
                    articles,
                    "[[articles]]\nid = \"{lower}\"\ntitle = \"短讯{i}\"\nbody-file = \"{lower}.md\"\n"
                )
                .unwrap();
                std::fs::write(dir.join(format!("{lower}.md")), body(fill(48.0 - headline))).unwrap();
            }
        }
    }
    let path = dir.join("issue.toml");
    std::fs::write(&path, issue + &articles).unwrap();
    path
}

fn options() -> BuildOptions {
    BuildOptions { pdf: true, allow_overset: true, ..BuildOptions::default() }
}

/// A build as a new process makes it: a fresh engine, and Typst's memoised results dropped.
fn cold_build(issue: &Path) -> banmian::Build {
    comemo::evict(0);
    cold_build_after_evict(issue)
}

fn cold_build_after_evict(issue: &Path) -> banmian::Build {
    let build = Engine::new(&FONTS).build(issue, &options()).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    build
}

/// One compile of `generated` and its PDF export, in a fresh world with Typst's caches empty.
fn one_compile(issue: &Path, generated: &generate::Generated) -> Vec<u8> {
    comemo::evict(0);
    one_compile_after_evict(issue, generated)
}

fn one_compile_after_evict(issue: &Path, generated: &generate::Generated) -> Vec<u8> {
    let mut world = NewsWorld::new(Arc::new(world::library()), Arc::new(FontStore::new(&FONTS)));
    world.load(generated, None);
    let (document, _) = compile::compile(&world, Path::new("template.typ")).unwrap();
    let file = IssueFile::read(issue).unwrap();
    pdf::export(&document, &file, None, &pdf::PdfSettings::default()).unwrap()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    let mut summary = Vec::new();
    for pages in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let issue = synthetic_issue(dir.path(), pages, 0);
        let generated = cold_build(&issue).generated;
        group.bench_function(format!("{pages} pages/cold"), |b| b.iter(|| cold_build(&issue)));
        group.bench_function(format!("{pages} pages/one compile"), |b| {
            b.iter(|| one_compile(&issue, &generated))
        });

        let engine = Engine::new(&FONTS);
        engine.build(&issue, &options()).unwrap();
        group.bench_function(format!("{pages} pages/rebuild, unchanged"), |b| {
            b.iter(|| engine.build(&issue, &options()).unwrap())
        });
        // One article edited between builds, as `watch` sees it.
        let article = dir.path().join("p1a0.md");
        let original = std::fs::read_to_string(&article).unwrap();
        let mut edit = 0u32;
        group.bench_function(format!("{pages} pages/rebuild, one article edited"), |b| {
            b.iter(|| {
                edit += 1;
                std::fs::write(&article, original.replacen('。', &format!("{edit}。"), 1)).unwrap();
                engine.build(&issue, &options()).unwrap()
            })
        });
        std::fs::write(&article, &original).unwrap();

        // Heap above what was in use before, from empty caches.
        let peak = |run: &dyn Fn()| {
            comemo::evict(0);
            HEAP.reset_peak_usage();
            let base = HEAP.current_usage();
            run();
            HEAP.peak_usage() - base
        };
        let build_peak = peak(&|| drop(cold_build_after_evict(&issue)));
        let compile_peak = peak(&|| drop(one_compile_after_evict(&issue, &generated)));
        let (build_ms, compile_ms, ratio) = alternating(&issue, &generated);
        summary.push(Summary { pages, build_ms, compile_ms, ratio, build_peak, compile_peak });
    }
    group.finish();

    // Distinct issues, so no build reuses another's work; a fresh engine per run.
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    let (issues_per_batch, pages) = (4, 8);
    let dir = tempfile::tempdir().unwrap();
    let issues: Vec<PathBuf> = (0..issues_per_batch)
        .map(|v| {
            let sub = dir.path().join(v.to_string());
            std::fs::create_dir(&sub).unwrap();
            synthetic_issue(&sub, pages, v + 1)
        })
        .collect();
    group.throughput(Throughput::Elements(u64::from(pages) * issues_per_batch as u64));
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_function(format!("{issues_per_batch} × {pages} pages, {threads} threads"), |b| {
            b.iter_batched(
                || {
                    comemo::evict(0);
                    Engine::new(&FONTS)
                },
                |engine| {
                    pool.install(|| issues.par_iter().for_each(|issue| drop(engine.build(issue, &options()))))
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();

    println!("\ncold build against one compile of its final source, {ROUNDS} alternating rounds, medians:");
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    for Summary { pages, build_ms, compile_ms, ratio, build_peak, compile_peak } in summary {
        println!(
            "{pages:>3} pages: time {build_ms:.0} / {compile_ms:.0} ms = {ratio:.2}; \
             peak heap {:.1} / {:.1} MiB = {:.2}",
            mib(build_peak),
            mib(compile_peak),
            build_peak as f64 / compile_peak as f64
        );
    }
}

/// What is printed after the timings for one size.
struct Summary {
    pages: u32,
    build_ms: f64,
    compile_ms: f64,
    ratio: f64,
    build_peak: usize,
    compile_peak: usize,
}

/// How many times `alternating` times each.
const ROUNDS: usize = 9;

/// A cold build and one compile of its final source, timed in turn: their medians, and the
/// median of each round's ratio.
fn alternating(issue: &Path, generated: &generate::Generated) -> (f64, f64, f64) {
    let time = |run: &dyn Fn()| {
        let start = std::time::Instant::now();
        run();
        start.elapsed().as_secs_f64() * 1000.0
    };
    let rounds: Vec<(f64, f64)> = (0..ROUNDS)
        .map(|_| (time(&|| drop(cold_build(issue))), time(&|| drop(one_compile(issue, generated)))))
        .collect();
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let ratio = median(rounds.iter().map(|(b, c)| b / c).collect());
    let build = median(rounds.iter().map(|r| r.0).collect());
    let compile = median(rounds.iter().map(|r| r.1).collect());
    (build, compile, ratio)
}

/// Auto heights against fixed frames: cold builds of the 16-page issue with every article's
/// last frame `lines = "auto"`, and of the same issue with its frames fixed, timed in
/// alternation (median of the rounds' ratios).
fn fitting(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    let (fixed_dir, auto_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let fixed = synthetic(fixed_dir.path(), 16, 0, false);
    let auto = synthetic(auto_dir.path(), 16, 0, true);
    assert!(cold_build(&auto).errors.is_empty(), "the auto issue builds");
    group.bench_function("16 pages/cold, fixed frames", |b| b.iter(|| cold_build(&fixed)));
    group.bench_function("16 pages/cold, auto heights", |b| b.iter(|| cold_build(&auto)));
    group.finish();
    let (a, f) = common::alternating(&auto, &fixed, ROUNDS, |i| drop(cold_build(i)));
    println!(
        "\n16 pages, auto heights against fixed frames, {ROUNDS} alternating rounds: {a:.0} / {f:.0} ms = {:.2}",
        a / f
    );
}

criterion_group!(build, benches, fitting);
criterion_main!(build);
