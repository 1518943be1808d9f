//! `banmian fonts`: the fonts found, and which family each face of a layout resolves to.

use std::path::Path;

use banmian::layout::{BUILT_IN, Layout};
use banmian::typeset::fonts::FontSource;
use banmian::{Engine, Result};

#[derive(clap::Args)]
pub struct Args {
    /// A layout name or file to resolve; all built-in layouts when absent.
    #[arg(long)]
    layout: Option<String>,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    println!("Fonts found (in order of precedence):");
    for (info, source) in engine.fonts().faces() {
        let origin = match source {
            FontSource::Embedded(_) => "embedded".to_string(),
            FontSource::File(path) => path.display().to_string(),
        };
        println!(
            "  {:<28} {:>4} {:<8} {origin}",
            info.family,
            info.variant.weight.to_number(),
            format!("{:?}", info.variant.style)
        );
    }
    let names: Vec<String> = match args.layout {
        Some(name) => vec![name],
        None => BUILT_IN.iter().map(|(name, _)| name.to_string()).collect(),
    };
    for name in names {
        let layout = Layout::load(&name, Path::new("."))?;
        println!("\nLayout `{}`:", layout.spec.name);
        let mut resolved = layout.clone();
        let outcome = resolved.resolve_fonts(engine.fonts().book());
        for face in layout.spec.fonts.keys() {
            match resolved.spec.fonts[face].first() {
                Some(family) => println!("  {face:<10} → {family}"),
                None => println!("  {face:<10} → none available"),
            }
        }
        outcome?;
    }
    Ok(())
}
