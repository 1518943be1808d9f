//! `banmian compose`: composes the pages that list articles (自动组版) and writes the issue
//! with every composed frame written out, for the desk to adjust by hand and build.

use std::path::{Path, PathBuf};

use banmian::issue::IssueFile;
use banmian::output::write_atomic;
use banmian::{BuildOptions, Diagnostic, Engine, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json) whose pages list articles.
    issue: PathBuf,
    /// The composed issue to write, in the issue's folder (its paths are relative to it);
    /// by default `NAME.composed.toml` (or `.json`) beside the issue.
    #[arg(short, long, value_name = "OUT.toml")]
    output: Option<PathBuf>,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let out = args.output.clone().unwrap_or_else(|| composed_path(&args.issue));
    let folder = |p: &Path| {
        std::fs::canonicalize(p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")))
    };
    if folder(&out).ok() != folder(&args.issue).ok() {
        let message = format!(
            "{}: write the composed issue into the issue's folder, where its body and picture paths lead",
            out.display()
        );
        return Err(Diagnostic::new(message).into());
    }
    let build = engine.build(&args.issue, &BuildOptions::default())?;
    let Some(composition) = &build.composition else {
        return Err(
            Diagnostic::new(format!("{}: no page lists articles to compose", args.issue.display())).into()
        );
    };
    super::summarize(&build);
    for page in &build.report.pages {
        if let Some(composed) = &page.composed {
            let foot = match composed.foot_lines {
                0 => String::new(),
                lines => format!(", {lines} lines empty at its foot"),
            };
            println!(
                "page {:<3} score {}, {} free lines in its frames{foot}",
                page.number, composed.score, composed.free_lines
            );
        }
    }
    if !composition.left_out.is_empty() {
        println!("fillers no page needed, left out: {}", composition.left_out.join(", "));
    }
    super::finish(&build)?;
    let file = IssueFile::read(&args.issue)?;
    write_atomic(&out, banmian::compose::write(&file, composition)?.as_bytes())?;
    println!("wrote {}", out.display());
    Ok(())
}

/// `issue.toml` → `issue.composed.toml`, beside it.
fn composed_path(issue: &Path) -> PathBuf {
    let stem = issue.file_stem().and_then(|s| s.to_str()).unwrap_or("issue");
    let extension = issue.extension().and_then(|s| s.to_str()).unwrap_or("toml");
    issue.with_file_name(format!("{stem}.composed.{extension}"))
}
