//! `banmian preview`: one PNG per page and a contact sheet, for editors checking pages.

use std::path::PathBuf;

use banmian::output::{preview, write_previews};
use banmian::{BuildOptions, Engine, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
    /// The folder for the PNGs; defaults to `preview/` beside the issue file.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Resolution of the page PNGs; the contact sheet has half of it.
    #[arg(long, default_value_t = 60.0)]
    dpi: f64,
    /// Pages to render by number, e.g. 1,3 (all when absent).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pages: Vec<u32>,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let build = engine.build(&args.issue, &BuildOptions::default())?;
    let numbers: Vec<u32> = build.report.pages.iter().map(|p| p.number).collect();
    let previews = preview::render(&build.document, &numbers, args.dpi, &args.pages)?;
    let dir =
        args.out.unwrap_or_else(|| args.issue.parent().unwrap_or(std::path::Path::new("")).join("preview"));
    write_previews(&dir, &previews, true)?;
    println!("wrote {} page previews and a contact sheet to {}", previews.pages.len(), dir.display());
    // Previews show a failing build's pages too, so the problem can be seen; it still fails.
    super::finish(&build)
}
