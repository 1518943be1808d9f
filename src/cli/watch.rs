//! `banmian watch`: rebuilds when the issue, a body file, the layout or a picture changes,
//! keeping the engine — its fonts and Typst's caches — between builds, so a rebuild costs what
//! changed. A failed rebuild prints its errors and keeps the last good PDF; watching goes on.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use banmian::output::{preview, write_atomic, write_previews};
use banmian::{BuildOptions, Diagnostic, Engine, Error, Result};
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher};

/// Events arriving this soon after one belong to the same edit (editors write in bursts).
const SETTLE: Duration = Duration::from_millis(150);

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
    /// The PDF to write; defaults to the issue file's name with .pdf beside it.
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// Also writes page previews into this folder after each good build.
    #[arg(long, value_name = "DIR")]
    preview: Option<PathBuf>,
    #[command(flatten)]
    print: super::PrintArgs,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let options = BuildOptions { pdf: true, print: args.print.settings()?, ..BuildOptions::default() };
    let output = args.output.clone().unwrap_or_else(|| args.issue.with_extension("pdf"));
    let folder = folder(&args.issue);
    println!("watching {} (Ctrl-C stops)", folder.display());
    // Our own outputs change too; they are not edits. Events name absolute paths.
    let absolute_output = std::path::absolute(&output).unwrap_or_else(|_| output.clone());
    let absolute_preview =
        args.preview.as_ref().map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()));
    let ours = |path: &Path| {
        path == absolute_output
            || absolute_preview.as_ref().is_some_and(|dir| path.starts_with(dir))
            || path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(".tmp"))
    };
    on_edits(&folder, ours, || rebuild(engine, &args, &options, &output))
}

/// The folder an issue's files live in: the issue file's.
pub(super) fn folder(issue: &Path) -> PathBuf {
    issue.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// Calls `rebuild` once, then after every edit of a file in `folder` that is not `ours`, until
/// the watcher stops; a burst of events within [`SETTLE`] is one edit.
pub(super) fn on_edits(folder: &Path, ours: impl Fn(&Path) -> bool, mut rebuild: impl FnMut()) -> Result<()> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender)
        .map_err(|e| Error::one(Diagnostic::new(format!("cannot watch files: {e}"))))?;
    watcher
        .watch(folder, RecursiveMode::Recursive)
        .map_err(|e| Error::one(Diagnostic::new(format!("cannot watch {}: {e}", folder.display()))))?;
    rebuild();
    // An edit changes a file's content or name; reading files (as every build does) does not.
    let is_edit = |event: notify::Result<notify::Event>| {
        event.is_ok_and(|e| {
            matches!(
                e.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            ) && e.paths.iter().any(|p| !ours(p))
        })
    };
    loop {
        let Ok(first) = events.recv() else { return Ok(()) };
        let mut edited = is_edit(first);
        while let Ok(event) = events.recv_timeout(SETTLE) {
            edited |= is_edit(event);
        }
        if edited {
            rebuild();
        }
    }
}

/// Builds once and reports: the time and pages on success, the errors otherwise.
fn rebuild(engine: &Engine, args: &Args, options: &BuildOptions, output: &Path) {
    let start = Instant::now();
    let outcome = engine.build(&args.issue, options).and_then(|build| {
        super::finish(&build)?;
        let pdf = build.pdf.as_ref().ok_or_else(|| Error::one(Diagnostic::new("no PDF was produced")))?;
        write_atomic(output, pdf)?;
        if let Some(dir) = &args.preview {
            let numbers: Vec<u32> = build.report.pages.iter().map(|p| p.number).collect();
            let previews = preview::render(&build.document, &numbers, 60.0, &[])?;
            write_previews(dir, &previews, false)?;
        }
        Ok(build.report.pages.len())
    });
    let ms = start.elapsed().as_millis();
    match outcome {
        Ok(pages) => println!("built {} ({}) in {ms} ms", output.display(), super::pages(pages)),
        Err(error) => {
            eprintln!("{error}");
            println!("build failed after {ms} ms; {} is unchanged", output.display());
        }
    }
}
