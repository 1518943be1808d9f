//! `banmian serve`: a live proof of the issue in the browser. Builds as `watch` does (one engine,
//! rebuilt on every edit of the issue's files) and shows each build's pages with the fit drawn
//! on them. Overset is allowed, so a frame that runs over is drawn, in red with its 差 N 行,
//! instead of stopping the build.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use banmian::serve::{self, Proof};
use banmian::{BuildOptions, Diagnostic, Engine, Error, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The issue file (.toml or .json).
    issue: PathBuf,
    /// The port to serve on; 0 picks a free one.
    #[arg(long, default_value_t = 8420)]
    port: u16,
    /// The address to listen on. Anything but a loopback address lets other machines see the
    /// issue.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Opens the proof in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run(engine: &Engine, args: Args) -> Result<()> {
    let options = BuildOptions { allow_overset: true, ..BuildOptions::default() };
    let proof = Arc::new(Proof::new(&args.issue));
    let bound = serve::start(SocketAddr::new(args.host, args.port), proof.clone()).map_err(|e| {
        Error::one(Diagnostic::new(format!("cannot serve on {}:{}: {e}", args.host, args.port)))
    })?;
    let url = format!("http://{bound}/");
    println!("serving the proof of {} at {url} (Ctrl-C stops)", args.issue.display());
    if args.open {
        open(&url);
    }
    let folder = super::watch::folder(&args.issue);
    super::watch::on_edits(
        &folder,
        |_| false,
        || {
            let start = Instant::now();
            let outcome = engine.build(&args.issue, &options);
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            proof.publish(&outcome, ms);
            match &outcome {
                Ok(build) => println!(
                    "built {} in {ms:.0} ms: {} errors, {} warnings",
                    super::pages(build.report.pages.len()),
                    build.errors.len(),
                    build.warnings.len()
                ),
                Err(error) => {
                    println!("{error}\nbuild failed after {ms:.0} ms; the last good pages stay on show")
                }
            }
        },
    )
}

/// Opens `url` with the desktop's opener; a machine without one still serves.
fn open(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {e}); open {url}");
    }
}
