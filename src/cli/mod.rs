//! Command-line arguments and dispatch. Usage errors exit with 2 (clap), data and layout errors with 1.

mod build;
mod check;
mod compose;
mod fonts;
mod init;
mod preview;
mod schema;
mod serve;
mod sizes;
mod watch;

use std::path::PathBuf;

use banmian::{Diagnostic, Engine, FontOptions, PdfSettings, Result, Standard};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "banmian", version, about = "Typesets a Chinese newspaper issue into a print-ready PDF")]
pub struct Cli {
    #[command(flatten)]
    fonts: FontArgs,
    #[command(subcommand)]
    command: Command,
}

/// Where fonts come from, for every subcommand.
#[derive(Args)]
struct FontArgs {
    /// Adds fonts from this folder (may be repeated); they take precedence over all others.
    #[arg(long = "font-path", value_name = "DIR", global = true)]
    font_paths: Vec<PathBuf>,
    /// Uses only the fonts shipped with banmian and those of --font-path.
    #[arg(long, global = true)]
    no_system_fonts: bool,
}

/// How the PDF is made, for the commands that write one.
#[derive(Args)]
struct PrintArgs {
    /// Bleed beyond the trimmed page, e.g. 3mm, 0.125in or 9pt: the page grows by the bleed
    /// and a slug with crop marks, and the PDF gets TrimBox and BleedBox.
    #[arg(long, value_name = "LENGTH", value_parser = parse_length)]
    bleed: Option<f64>,
    /// The PDF standard: 1.7 with CMYK colours for print, or PDF/A-2b for the archive.
    #[arg(long, value_enum, default_value = "1.7")]
    pdf_standard: PdfStandard,
}

#[derive(Clone, Copy, ValueEnum)]
enum PdfStandard {
    #[value(name = "1.7")]
    Pdf17,
    #[value(name = "a-2b")]
    A2b,
}

impl PrintArgs {
    /// The settings, with the timestamp from `SOURCE_DATE_EPOCH` when it is set.
    fn settings(&self) -> Result<PdfSettings> {
        let epoch = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(text) => Some(text.trim().parse::<i64>().map_err(|_| {
                Diagnostic::new(format!("SOURCE_DATE_EPOCH `{text}` is not a whole number of seconds"))
            })?),
            Err(_) => None,
        };
        let standard = match self.pdf_standard {
            PdfStandard::Pdf17 => Standard::Print,
            PdfStandard::A2b => Standard::ArchiveA2b,
        };
        Ok(PdfSettings { bleed_pt: self.bleed, standard, epoch })
    }
}

/// A length with its unit (mm, cm, in or pt), in pt.
fn parse_length(text: &str) -> std::result::Result<f64, String> {
    let units = [("mm", 72.0 / 25.4), ("cm", 72.0 / 2.54), ("in", 72.0), ("pt", 1.0)];
    let (number, per_unit) = units
        .iter()
        .find_map(|(unit, pt)| text.trim().strip_suffix(unit).map(|n| (n.trim(), *pt)))
        .ok_or_else(|| format!("`{text}` needs a unit: mm, cm, in or pt"))?;
    let value: f64 = number.parse().map_err(|_| format!("`{number}` is not a number"))?;
    if value.is_finite() { Ok(value * per_unit) } else { Err(format!("`{number}` is not a number")) }
}

#[derive(Subcommand)]
enum Command {
    /// Builds an issue file into a PDF.
    Build(build::Args),
    /// Validates and lays out an issue without writing a PDF.
    Check(check::Args),
    /// Composes the pages that list articles and writes the issue with their frames.
    Compose(compose::Args),
    /// Writes a starter issue that builds, to copy and fill in.
    Init(init::Args),
    /// Rebuilds an issue whenever its files change.
    Watch(watch::Args),
    /// Serves a live proof of an issue in the browser, rebuilt on every edit.
    Serve(serve::Args),
    /// Prints the JSON Schema of the issue format.
    Schema,
    /// Writes PNG previews of an issue's pages and a contact sheet.
    Preview(preview::Args),
    /// Lists the fonts found and the family each layout face resolves to.
    Fonts(fonts::Args),
}

pub fn run(cli: Cli) -> Result<()> {
    let engine = Engine::new(&FontOptions {
        font_paths: cli.fonts.font_paths,
        system_fonts: !cli.fonts.no_system_fonts,
    });
    match cli.command {
        Command::Build(args) => build::run(&engine, args),
        Command::Check(args) => check::run(&engine, args),
        Command::Compose(args) => compose::run(&engine, args),
        Command::Fonts(args) => fonts::run(&engine, args),
        Command::Preview(args) => preview::run(&engine, args),
        Command::Init(args) => init::run(args),
        Command::Schema => schema::run(),
        Command::Watch(args) => watch::run(&engine, args),
        Command::Serve(args) => serve::run(&engine, args),
    }
}

/// Prints a build's findings: warnings, then errors; returns the errors as the command's failure.
fn finish(build: &banmian::Build) -> Result<()> {
    for warning in &build.warnings {
        eprintln!("warning: {warning}");
    }
    if build.errors.is_empty() { Ok(()) } else { Err(banmian::Error::Invalid(build.errors.clone())) }
}

/// "1 page", "4 pages".
fn pages(n: usize) -> String {
    if n == 1 { "1 page".into() } else { format!("{n} pages") }
}

/// One line per part: where it went and how full its frame is (lines of one text column, the
/// unit every count of the report uses); then one line per page: its fill and its holes.
fn summarize(build: &banmian::Build) {
    for article in &build.report.articles {
        for part in &article.parts {
            let jump = match (part.jump_from, part.jump_to) {
                (Some(from), Some(to)) => format!("  from page {from}, on to page {to}"),
                (Some(from), None) => format!("  from page {from}"),
                (None, Some(to)) => format!("  on to page {to}"),
                (None, None) => String::new(),
            };
            println!(
                "{:<16} page {:<3} {:>6} chars  {:>4}/{:<4} lines used  {:>3} free{jump}",
                article.id, part.page, part.chars, part.used_lines, part.lines, part.free_lines
            );
        }
        if !article.copy_fit.is_empty() {
            println!("{:<16} copy-fit: {}", article.id, article.copy_fit);
        }
    }
    for page in &build.report.pages {
        let holes: Vec<String> = page
            .holes
            .iter()
            .map(|h| format!("{} col × {} lines at column {}, line {}", h.columns, h.lines, h.column, h.line))
            .collect();
        let holes = if holes.is_empty() { "no holes".to_string() } else { holes.join("; ") };
        println!("page {:<3} {:>5.1} % filled, {holes}", page.number, page.fill_percent);
    }
}
