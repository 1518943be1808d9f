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
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let options = BuildOptions { allow_overset: args.allow_overset, ..BuildOptions::default() };
    let build = engine.build(&args.issue, &options)?;
    super::summarize(&build);
    super::finish(&build)?;
    println!("{}: no problems found", args.issue.display());
    Ok(())
}
