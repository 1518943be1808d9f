//! `banmian check`: validates and lays out an issue, prints the findings, writes nothing.

use std::path::PathBuf;

use banmian::{Engine, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let build = engine.build(&args.issue, false)?;
    super::summarize(&build);
    super::finish(&build)?;
    println!("{}: no problems found", args.issue.display());
    Ok(())
}
