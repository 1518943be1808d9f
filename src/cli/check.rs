//! `banmian check`: validates and lays out an issue, prints the findings, writes nothing.

use std::path::PathBuf;

use banmian::{BuildOptions, Engine, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
    /// Reports overset text as a warning instead of an error.
    #[arg(long)]
    allow_overset: bool,
    /// Copy-fits every article, as `build --fit` does.
    #[arg(long)]
    fit: bool,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let options =
        BuildOptions { allow_overset: args.allow_overset, fit: args.fit, ..BuildOptions::default() };
    let build = engine.build(&args.issue, &options)?;
    super::summarize(&build);
    super::sizes::print(&build.report);
    super::finish(&build)?;
    let verdict = match build.warnings.len() {
        0 => "no problems found".to_string(),
        1 => "no errors, 1 warning".to_string(),
        n => format!("no errors, {n} warnings"),
    };
    println!("{}: {verdict}", args.issue.display());
    Ok(())
}
