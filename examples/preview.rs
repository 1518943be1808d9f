//! A newsroom tool embedding banmian: build an issue with the library, then write its page
//! previews. `cargo run --example preview -- ISSUE OUTDIR`
//!
//! The engine is made once and could build any number of issues or versions of one issue;
//! fonts and Typst's caches stay warm between builds.

use std::path::PathBuf;
use std::process::ExitCode;

use banmian::output::{preview, write_previews};
use banmian::{BuildOptions, Engine, FontOptions};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [issue, out] = args.as_slice() else {
        eprintln!("usage: preview ISSUE OUTDIR");
        return ExitCode::from(2);
    };
    let engine = Engine::new(&FontOptions { font_paths: Vec::new(), system_fonts: true });
    let result = engine.build(issue, &BuildOptions::default()).and_then(|build| {
        for problem in build.errors.iter().chain(&build.warnings) {
            eprintln!("{problem}");
        }
        let numbers: Vec<u32> = build.report.pages.iter().map(|p| p.number).collect();
        let previews = preview::render(&build.document, &numbers, 72.0, &[])?;
        write_previews(out, &previews, true)?;
        Ok(previews.pages.len())
    });
    match result {
        Ok(pages) => {
            println!("{pages} pages previewed in {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(1)
        }
    }
}
