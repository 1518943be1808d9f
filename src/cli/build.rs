//! `banmian build`: issue files in, PDFs out (atomically), with an optional report and Typst
//! source. Several issues, or folders of them, build in parallel: one failure does not stop the
//! others, and a summary ends the run.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use banmian::output::{emit_typst, write_atomic};
use banmian::{BuildOptions, Diagnostic, Engine, Error, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

#[derive(clap::Args)]
pub struct Args {
    /// Issue files (.toml or .json), or folders searched for issue.toml and issue.json files.
    #[arg(required = true)]
    issues: Vec<PathBuf>,
    /// The PDF to write (one issue only); defaults to the issue file's name with .pdf beside it.
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// Writes a JSON report of pages, frames, lines and overflow (one issue only; also when the
    /// laid-out pages fail a check, while bad data or a broken layout stop before any report).
    #[arg(long, value_name = "REPORT.json")]
    report: Option<PathBuf>,
    /// Writes the generated Typst source, data, layout and fonts to this folder (one issue only).
    #[arg(long, value_name = "DIR")]
    emit_typst: Option<PathBuf>,
    /// Builds even when text is left after an article's last frame; the overset is left out
    /// and marked in the report.
    #[arg(long)]
    allow_overset: bool,
    /// Copy-fits every article: its tracking tightened or loosened within the layout's [fit]
    /// bound so it ends where its last frame does.
    #[arg(long)]
    fit: bool,
    #[command(flatten)]
    print: super::PrintArgs,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let issues = expand(&args.issues)?;
    let options = BuildOptions {
        pdf: true,
        allow_overset: args.allow_overset,
        print: args.print.settings()?,
        fit: args.fit,
    };
    if let [issue] = issues.as_slice() {
        return build_one(engine, issue, &args, &options);
    }
    if args.output.is_some() || args.report.is_some() || args.emit_typst.is_some() {
        return Err(Diagnostic::new("-o, --report and --emit-typst take a single issue").into());
    }
    build_many(engine, &issues, &options)
}

/// Issue files named directly, and those found in named folders, in a stable order.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn search(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() && depth > 0 {
                search(&path, depth - 1, found)?;
            } else if name == "issue.toml" || name == "issue.json" {
                found.push(path);
            }
        }
        Ok(())
    }
    let mut issues = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = issues.len();
            search(path, 3, &mut issues)?;
            if issues.len() == before {
                return Err(
                    Diagnostic::new(format!("{} holds no issue.toml or issue.json", path.display())).into()
                );
            }
        } else {
            issues.push(path.clone());
        }
    }
    Ok(issues)
}

fn build_one(engine: &Engine, issue: &Path, args: &Args, options: &BuildOptions) -> Result<()> {
    let start = Instant::now();
    let build = engine.build(issue, options)?;
    if let Some(dir) = &args.emit_typst {
        emit_typst(dir, &build.generated)?;
    }
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(&build.report).expect("a report serialises");
        write_atomic(path, &json)?;
    }
    super::finish(&build)?;
    let output = args.output.clone().unwrap_or_else(|| issue.with_extension("pdf"));
    write_pdf(&build, &output)?;
    super::summarize(&build);
    println!(
        "wrote {} ({}) in {} ms",
        output.display(),
        super::pages(build.report.pages.len()),
        start.elapsed().as_millis()
    );
    Ok(())
}

fn write_pdf(build: &banmian::Build, output: &Path) -> Result<()> {
    let pdf = build.pdf.as_ref().ok_or_else(|| Error::one(Diagnostic::new("no PDF was produced")))?;
    write_atomic(output, pdf)
}

/// Builds every issue in parallel; a progress bar on a terminal, a line per issue otherwise.
fn build_many(engine: &Engine, issues: &[PathBuf], options: &BuildOptions) -> Result<()> {
    let started = Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(issues.len() as u64);
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").expect("a valid template"));
        bar
    } else {
        ProgressBar::hidden()
    };
    let outcomes: Vec<(std::result::Result<usize, Error>, u128)> = issues
        .par_iter()
        .map(|issue| {
            let start = Instant::now();
            let outcome = engine.build(issue, options).and_then(|build| {
                super::finish(&build)?;
                write_pdf(&build, &issue.with_extension("pdf"))?;
                Ok(build.report.pages.len())
            });
            let ms = start.elapsed().as_millis();
            bar.inc(1);
            bar.set_message(issue.display().to_string());
            if bar.is_hidden() {
                let status = if outcome.is_ok() { "ok" } else { "FAILED" };
                eprintln!("{status} {} ({ms} ms)", issue.display());
            }
            (outcome, ms)
        })
        .collect();
    bar.finish_and_clear();

    let mut failed = 0;
    println!("{:<48} {:>5} {:>8}  status", "issue", "pages", "ms");
    for (issue, (outcome, ms)) in issues.iter().zip(&outcomes) {
        match outcome {
            Ok(pages) => println!("{:<48} {pages:>5} {ms:>8}  ok", issue.display()),
            Err(error) => {
                failed += 1;
                println!("{:<48} {:>5} {ms:>8}  failed", issue.display(), "-");
                eprintln!("{}:\n{error}", issue.display());
            }
        }
    }
    println!("{} issues, {} failed, in {} ms", issues.len(), failed, started.elapsed().as_millis());
    if failed == 0 {
        Ok(())
    } else {
        Err(Diagnostic::new(format!("{failed} of {} issues failed", issues.len())).into())
    }
}
