//! The engine: fonts and the Typst library loaded once, then any number of issues built.
//!
//! [`Engine::build`] runs the stages as a list: load the issue and its layout, plan the frames,
//! measure the continuation splits, set the pages (again, with cuts moved back, while a part
//! still runs past its frame), assemble the report. Each stage is a function of its own over
//! the build's [`Context`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use typst::Library;
use typst::foundations::Datetime;
use typst::utils::LazyHash;
use typst_layout::PagedDocument;

use crate::check::headlines;
use crate::check::lines::{self, Violation};
use crate::check::page::{self, PageFault};
use crate::check::pictures::{self, PrintedPicture};
use crate::check::verify::{Findings, verify};
use crate::error::{Diagnostic, Error, Result};
use crate::issue::{IssueFile, KeyPath};
use crate::layout::Layout;
use crate::measure::{self, Amount, Fits, Splits};
use crate::output::pdf::{self, PdfSettings};
use crate::plan::{Balance, Bounds, Context, Heights, Plan, Ragged, Tracking, plan};
use crate::report::{self, Outcome, Report, Timings};
use crate::typeset::compile::compile;
use crate::typeset::fonts::{FontOptions, FontStore};
use crate::typeset::generate::{self, Generated};
use crate::typeset::glyphs::Reader;
use crate::typeset::images::images;
use crate::typeset::world::{self, NewsWorld};

/// Holds what is expensive to set up and shared by builds, and what makes a rebuild cheap: the
/// compilation worlds of recently built issues, whose programs are updated in place so Typst
/// reuses the layout of what did not change, and the measured continuation splits.
pub struct Engine {
    fonts: Arc<FontStore>,
    library: Arc<LazyHash<Library>>,
    /// Worlds of recently built issues, the most recent last.
    worlds: Mutex<Vec<(PathBuf, Worlds)>>,
    measured: Mutex<measure::Memo>,
}

/// An issue's two programs, the measuring pages and the issue's pages, each in a world of its
/// own: a rebuild updates each program from its own previous version, so Typst reuses what an
/// edit left unchanged.
struct Worlds {
    measure: NewsWorld,
    pages: NewsWorld,
}

/// How many issues' worlds an engine keeps (a night's batch of editions builds each once).
const KEPT_WORLDS: usize = 8;

/// How many times a build may move splits back and set the pages again.
const MAX_ATTEMPTS: usize = 4;

/// How many lines a build may add to auto frames whose text ran over them, in all.
const MAX_GROWTH: u32 = 8;

/// One build's request: the issue, its layout and the options, settled before any stage runs.
struct Job<'a> {
    path: &'a Path,
    file: &'a IssueFile,
    layout: &'a Layout,
    options: &'a BuildOptions,
    started: Instant,
    /// Copy-fit's tracking per article, as far as copy-fitting has gone.
    tracking: Tracking,
}

/// What a build should do beyond laying out and verifying.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Produce the PDF (`check` does not).
    pub pdf: bool,
    /// Build even when text is left after an article's last frame: the overset is left out of
    /// the PDF and marked in the report.
    pub allow_overset: bool,
    /// How the PDF is made: bleed and crop marks, standard, timestamp.
    pub print: PdfSettings,
    /// Copy-fit every article, as if each had `fit = true`.
    pub fit: bool,
}

/// What one build produced. `pdf` is present only when `errors` is empty and a PDF was asked for.
pub struct Build {
    pub report: Report,
    /// The laid-out pages, for previews.
    pub document: PagedDocument,
    pub pdf: Option<Vec<u8>>,
    pub generated: Generated,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// The plan and layout the pages were set from, and the line check's violations with
    /// their lines: what a proof draws over the pages.
    pub plan: Plan,
    pub layout: Layout,
    pub violations: Vec<Violation>,
}

/// The final pages of one attempt, checked, with the PDF exported beside the checks.
struct SetPages<'a> {
    /// The cuts the pages were set with.
    bounds: Bounds,
    /// The overset cut off (allowed) from each article, as first measured with all of it set.
    cut_off: Vec<(usize, Amount)>,
    generated: Generated,
    document: PagedDocument,
    typst_warnings: Vec<Diagnostic>,
    findings: Findings<'a>,
    violations: Vec<Violation>,
    pictures: Vec<PrintedPicture>,
    /// What the page check found.
    faults: Vec<PageFault>,
    /// The PDF, when one was asked for; kept only if the checks pass.
    exported: Option<std::result::Result<Vec<u8>, Vec<Diagnostic>>>,
}

impl Engine {
    pub fn new(fonts: &FontOptions) -> Engine {
        Engine {
            fonts: Arc::new(FontStore::new(fonts)),
            library: Arc::new(world::library()),
            worlds: Mutex::default(),
            measured: Mutex::default(),
        }
    }

    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// Builds the issue at `path`. Errors that stop layout (bad data, bad layout) are `Err`;
    /// problems found on the laid-out pages are in [`Build::errors`], beside the report.
    pub fn build(&self, path: &Path, options: &BuildOptions) -> Result<Build> {
        let started = Instant::now();
        options.print.check()?;
        let file = IssueFile::read(path)?;
        let layout = self.load_layout(&file)?;
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut worlds = self.take_worlds(&key);
        let mut job = Job { path, file: &file, layout: &layout, options, started, tracking: Tracking::new() };
        let built = self.build_copy_fitted(&mut job, &mut worlds);
        self.keep_worlds(key, worlds);
        built
    }

    /// Builds the issue, then copy-fits (自动调整) each article that asks for it: one that
    /// runs over its last fixed frame is built again with its tracking tightened a step, one
    /// that stops short of it loosened a step, within the layout's `[fit]` bound, until it
    /// fits or the bound is reached. A step that runs a loosened article over, or makes the
    /// pages fail a check they passed (Typst may break a tightened line badly), is taken back.
    fn build_copy_fitted(&self, job: &mut Job, worlds: &mut Worlds) -> Result<Build> {
        let mut fit = CopyFit::new(job);
        let mut built = self.build_fitted(job, worlds, Heights::new(), Timings::default())?;
        let mut baseline = other_errors(&built);
        loop {
            let stepped = fit.step(job, &built);
            if stepped.is_empty() {
                return Ok(built);
            }
            job.tracking = fit.tracking();
            let next = self.build_fitted(job, worlds, Heights::new(), Timings::default())?;
            if other_errors(&next) > baseline {
                fit.take_back(&stepped);
                job.tracking = fit.tracking();
                continue;
            }
            baseline = other_errors(&next);
            built = next;
        }
    }

    /// Plans, measures, fits and sets the pages, giving each auto frame `extra` lines beyond
    /// its measured height; when an auto frame's text still runs over it (a balanced column
    /// broke a line differently from the measuring), builds again with the lines it lacked.
    fn build_fitted(
        &self,
        job: &Job,
        worlds: &mut Worlds,
        extra: Heights,
        mut timings: Timings,
    ) -> Result<Build> {
        let (file, layout, output) = (job.file, job.layout, job.options.print.output());
        let (plan, splits, fits) = self.plan_and_fit(&mut worlds.measure, job, &extra, &mut timings)?;
        timings.plan_ms = ms(job.started) - timings.split_ms - timings.compile_ms - timings.verify_ms;
        let balance = &fits.balance;
        // Set the pages again while they show loose lines to set ragged (see [`Ragged`]).
        let mut ragged = Ragged::new();
        let mut passes = 0;
        let set = loop {
            let ctx = Context { file, layout, plan: &plan, output, balance, ragged: &ragged };
            let set = set_until_fit(&mut worlds.pages, &ctx, &splits, job.options, &mut timings)?;
            let found = lines::ragged_breaks(&set.findings.glyphs, &plan, layout);
            let new: Vec<_> = found.into_iter().filter(|b| !ragged.contains(b)).collect();
            if new.is_empty() || passes == MAX_ATTEMPTS {
                break set;
            }
            drop(set);
            ragged.extend(new);
            passes += 1;
        };
        let ctx = Context { file, layout, plan: &plan, output, balance, ragged: &ragged };
        let grow = overrun_auto_frames(&ctx, &set.findings.overflows);
        if !grow.is_empty() && extra.values().sum::<u32>() < MAX_GROWTH {
            let mut extra = extra;
            for (frame, lines) in grow {
                *extra.entry(frame).or_default() += lines;
            }
            return self.build_fitted(job, worlds, extra, timings);
        }
        let SetPages {
            bounds,
            cut_off,
            generated,
            document,
            typst_warnings,
            findings,
            violations,
            pictures,
            faults,
            exported,
        } = set;
        let outcome = Outcome {
            ctx: &ctx,
            bounds: &bounds,
            findings,
            violations: &violations,
            pictures,
            faults,
            typst_warnings,
            cut_off,
        };
        let (report::Assembled { report, errors, warnings }, pdf) =
            finish(job.path, outcome, exported, timings, job.started);
        let layout = layout.clone();
        Ok(Build { report, document, pdf, generated, errors, warnings, plan, layout, violations })
    }

    /// The issue's layout, with its fonts resolved against the engine's; a layout problem
    /// without a place of its own points at the issue's `layout` key.
    fn load_layout(&self, file: &IssueFile) -> Result<Layout> {
        let mut layout = Layout::load(&file.issue.layout, file.dir()).map_err(|e| match e {
            Error::Invalid(ds) => Error::Invalid(
                ds.into_iter()
                    .map(|d| match d.location {
                        Some(_) => d,
                        None => file.diagnostic(&KeyPath::default().key("layout"), d.message),
                    })
                    .collect(),
            ),
            other => other,
        })?;
        layout.resolve_fonts(self.fonts.book())?;
        Ok(layout)
    }

    /// Plans the issue, measures its splits, and fits its auto and balanced frames. A measured
    /// height moves the frames stacked below it and the cuts before an auto frame, so the issue
    /// is planned, split and fitted again until the heights stay (the memo keeps what did not
    /// change), at most [`MAX_ATTEMPTS`] times.
    fn plan_and_fit(
        &self,
        world: &mut NewsWorld,
        job: &Job,
        extra: &Heights,
        timings: &mut Timings,
    ) -> Result<(Plan, Splits, Fits)> {
        let (file, layout, output, tracking) =
            (job.file, job.layout, job.options.print.output(), &job.tracking);
        let none = Balance::new();
        // Measuring breaks the lines where the set pages do: ragged or not, as tall.
        let unjustified = Ragged::new();
        let mut heights = Heights::new();
        let mut attempts = 0;
        loop {
            let planned = plan(file, layout, &heights, tracking)?;
            let ctx = Context { file, layout, plan: &planned, output, balance: &none, ragged: &unjustified };
            let splits = self.split(world, &ctx, timings)?;
            let clock = Instant::now();
            let mut fits = measure::fit(world, &self.measured, &ctx, &splits.bounds, today(&ctx))?;
            timings.split_ms += ms(clock);
            for (frame, lines) in extra {
                if let Some(height) = fits.heights.get_mut(frame) {
                    *height += lines;
                }
            }
            if fits.heights == heights || attempts == MAX_ATTEMPTS {
                return Ok((planned, splits, fits));
            }
            heights = fits.heights;
            attempts += 1;
        }
    }

    /// Measures the continuation splits, remembering them in the engine's memo.
    fn split(&self, world: &mut NewsWorld, ctx: &Context, timings: &mut Timings) -> Result<Splits> {
        let clock = Instant::now();
        let splits = measure::split(world, &self.measured, ctx, today(ctx))?;
        timings.split_ms += ms(clock);
        timings.split_compiles += splits.compiles;
        Ok(splits)
    }

    /// The worlds an earlier build of `key` left, or new ones.
    fn take_worlds(&self, key: &Path) -> Worlds {
        let mut kept = self.worlds.lock().expect("the worlds are never left half-written");
        match kept.iter().position(|(path, _)| path == key) {
            Some(i) => kept.remove(i).1,
            None => Worlds {
                measure: NewsWorld::new(self.library.clone(), self.fonts.clone()),
                pages: NewsWorld::new(self.library.clone(), self.fonts.clone()),
            },
        }
    }

    /// Keeps `worlds` for the next build of `key`, dropping the least recently built beyond
    /// [`KEPT_WORLDS`].
    fn keep_worlds(&self, key: PathBuf, worlds: Worlds) {
        let mut kept = self.worlds.lock().expect("the worlds are never left half-written");
        kept.push((key, worlds));
        if kept.len() > KEPT_WORLDS {
            kept.remove(0);
        }
    }
}

/// The auto frames whose text ran over them on the set pages (a balanced column broke a line
/// differently from the measuring), with the lines each needs more.
fn overrun_auto_frames(ctx: &Context, overflows: &[measure::Overflow]) -> Heights {
    overflows
        .iter()
        .filter(|o| {
            o.slot + 1 == ctx.plan.articles[o.article].frames.len() && ctx.plan.frame(o.article, o.slot).auto
        })
        .map(|o| {
            let columns = ctx.plan.frame(o.article, o.slot).columns.max(1) as usize;
            (ctx.plan.articles[o.article].frames[o.slot], o.amount.lines.div_ceil(columns).max(1) as u32)
        })
        .collect()
}

/// Copy-fit's progress: each fitted article's tracking in steps of the layout's bound, and the
/// articles that are done.
struct CopyFit {
    step: f64,
    steps: i64,
    levels: HashMap<usize, i64>,
    settled: Vec<usize>,
}

impl CopyFit {
    fn new(job: &Job) -> Self {
        let bounds = &job.layout.spec.fit;
        let step = bounds.tracking_em / f64::from(bounds.steps.max(1));
        CopyFit { step, steps: i64::from(bounds.steps), levels: HashMap::new(), settled: Vec::new() }
    }

    /// Moves every unsettled fitted article a step towards its fit; returns those it moved.
    fn step(&mut self, job: &Job, built: &Build) -> Vec<usize> {
        let mut moved = Vec::new();
        for (a, article) in job.file.issue.articles.iter().enumerate() {
            if !(article.fit || job.options.fit) || self.settled.contains(&a) {
                continue;
            }
            let report = &built.report.articles[a];
            let free = report.parts.last().map_or(0, |p| p.free_lines);
            let auto = built.plan.articles[a]
                .frames
                .last()
                .is_some_and(|&(p, f)| built.plan.pages[p].frames[f].auto);
            let level = self.levels.entry(a).or_default();
            let next = match (report.overflow.is_some(), free > 0 && !auto) {
                // A loosening that ran over goes back a step, and stays there.
                (true, _) if *level > 0 => Some((*level - 1, true)),
                (true, _) if *level > -self.steps => Some((*level - 1, false)),
                (false, true) if *level >= 0 && *level < self.steps => Some((*level + 1, false)),
                _ => None,
            };
            match next {
                Some((to, settle)) => {
                    *level = to;
                    moved.push(a);
                    if settle {
                        self.settled.push(a);
                    }
                }
                None => self.settled.push(a),
            }
        }
        moved
    }

    /// Takes back the last step of `articles`, which settle where they were.
    fn take_back(&mut self, articles: &[usize]) {
        for &a in articles {
            let level = self.levels.entry(a).or_default();
            *level -= level.signum();
            self.settled.push(a);
        }
    }

    fn tracking(&self) -> Tracking {
        self.levels.iter().filter(|(_, l)| **l != 0).map(|(&a, &l)| (a, l as f64 * self.step)).collect()
    }
}

/// A build's errors other than its overflows, which copy-fit works on.
fn other_errors(built: &Build) -> usize {
    let overflows = built.report.articles.iter().filter(|a| a.overflow.is_some()).count();
    built.errors.len().saturating_sub(overflows)
}

/// The issue's date, which the pages show as today.
fn today(ctx: &Context) -> Option<Datetime> {
    let date = ctx.file.issue.issue.date;
    Datetime::from_ymd(date.year(), date.month(), date.day())
}

/// Sets the pages until no part runs past its frame: a part that does gives its last line to
/// the next part (the measured line breaks moved when it was cut), and overset is cut off when
/// allowed, at most [`MAX_ATTEMPTS`] times.
fn set_until_fit<'a>(
    world: &mut NewsWorld,
    ctx: &Context<'a>,
    splits: &Splits,
    options: &BuildOptions,
    timings: &mut Timings,
) -> Result<SetPages<'a>> {
    let mut bounds = splits.bounds.clone();
    let mut cut_off: Vec<(usize, Amount)> = Vec::new();
    let mut attempts = 0;
    loop {
        let mut set = set_pages(world, ctx, &bounds, options, timings)?;
        let moved = measure::moved(&bounds, &splits.lines, &set.findings.overflows, options.allow_overset);
        // The report describes the pages as compiled: cuts change only when set again.
        if moved == bounds || attempts == MAX_ATTEMPTS {
            set.bounds = bounds;
            set.cut_off = cut_off;
            return Ok(set);
        }
        for over in set.findings.overflows.iter().filter(|o| o.slot + 2 == bounds[o.article].len()) {
            if options.allow_overset && !cut_off.iter().any(|(a, _)| *a == over.article) {
                cut_off.push((over.article, over.amount.clone()));
            }
        }
        bounds = moved;
        attempts += 1;
    }
}

/// Generates and compiles the pages cut at `bounds`, then checks them while the PDF is
/// exported on the other core.
fn set_pages<'a>(
    world: &mut NewsWorld,
    ctx: &Context<'a>,
    bounds: &Bounds,
    options: &BuildOptions,
    timings: &mut Timings,
) -> Result<SetPages<'a>> {
    let clock = Instant::now();
    let generated = generate::generate(ctx, bounds);
    world.load(&generated, today(ctx));
    let (document, typst_warnings) = compile(world, &ctx.layout.template_path)?;
    timings.compile_ms += ms(clock);
    timings.compiles += 1;
    let reader = Reader { world, map: &generated.map, plan: ctx.plan };
    let ((findings, violations, pictures, faults, verify_ms), (exported, pdf_ms)) = rayon::join(
        || {
            let clock = Instant::now();
            let findings = verify(&document, reader, ctx, bounds);
            let mut violations = lines::check_pages(&findings.glyphs, ctx.plan, ctx.layout);
            violations.extend(headlines::check(&findings.glyphs, ctx));
            let pictures = pictures::pictures(&images(&document), ctx);
            let faults = page::check(&document, &findings.glyphs, ctx);
            (findings, violations, pictures, faults, ms(clock))
        },
        || {
            let clock = Instant::now();
            let exported = options.pdf.then(|| pdf::export(&document, ctx.file, today(ctx), &options.print));
            (exported, ms(clock))
        },
    );
    timings.verify_ms += verify_ms;
    timings.pdf_ms += pdf_ms;
    let (bounds, cut_off) = (Bounds::new(), Vec::new());
    Ok(SetPages {
        bounds,
        cut_off,
        generated,
        document,
        typst_warnings,
        findings,
        violations,
        pictures,
        faults,
        exported,
    })
}

/// The build's report, and the PDF when the pages passed every check.
fn finish(
    path: &Path,
    outcome: Outcome,
    exported: Option<std::result::Result<Vec<u8>, Vec<Diagnostic>>>,
    timings: Timings,
    started: Instant,
) -> (report::Assembled, Option<Vec<u8>>) {
    let mut assembled = report::assemble(path.display().to_string(), outcome, timings);
    let pdf = match exported {
        Some(Ok(bytes)) if assembled.errors.is_empty() => Some(bytes),
        Some(Err(diagnostics)) if assembled.errors.is_empty() => {
            assembled.fail(diagnostics);
            None
        }
        _ => None,
    };
    assembled.report.timings.total_ms = ms(started);
    (assembled, pdf)
}

/// Milliseconds since `since`.
fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
