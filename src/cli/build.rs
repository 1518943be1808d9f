//! `banmian build`: issue file in, PDF out (atomically), with an optional report and Typst source.

use std::path::PathBuf;
use std::time::Instant;

use banmian::output::{emit_typst, write_atomic};
use banmian::{BuildOptions, Engine, Error, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
    /// The PDF to write; defaults to the issue file's name with .pdf beside it.
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// Writes a JSON report of pages, frames, lines and overflow (also when the laid-out pages
    /// fail a check; bad data or a broken layout stop before there is anything to report).
    #[arg(long, value_name = "REPORT.json")]
    report: Option<PathBuf>,
    /// Writes the generated Typst source, data, layout and fonts to this folder.
    #[arg(long, value_name = "DIR")]
    emit_typst: Option<PathBuf>,
    /// Builds even when text is left after an article's last frame; the overset is left out
    /// and marked in the report.
    #[arg(long)]
    allow_overset: bool,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let start = Instant::now();
    let options = BuildOptions { pdf: true, allow_overset: args.allow_overset };
    let build = engine.build(&args.issue, &options)?;
    if let Some(dir) = &args.emit_typst {
        emit_typst(dir, &build.generated)?;
    }
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(&build.report).expect("a report serialises");
        write_atomic(path, &json)?;
    }
    super::finish(&build)?;
    let pdf =
        build.pdf.as_ref().ok_or_else(|| Error::one(banmian::Diagnostic::new("no PDF was produced")))?;
    let output = args.output.unwrap_or_else(|| args.issue.with_extension("pdf"));
    write_atomic(&output, pdf)?;
    super::summarize(&build);
    println!(
        "wrote {} ({} pages) in {} ms",
        output.display(),
        build.report.pages.len(),
        start.elapsed().as_millis()
    );
    Ok(())
}
