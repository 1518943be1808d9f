//! The engine: fonts and the Typst library loaded once, then any number of issues built.
//!
//! [`Engine::build`] runs the stages as a list: load the issue and its layout, plan the frames,
//! measure the continuation splits, set the pages (again, with cuts moved back, while a part
//! still runs past its frame), assemble the report. Each stage is a function of its own over
//! the build's [`Context`].

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use typst::Library;
use typst::foundations::Datetime;
use typst::utils::LazyHash;
use typst_layout::PagedDocument;

use crate::body::Cut;
use crate::check::headlines;
use crate::check::lines::{self, Violation};
use crate::check::page::{self, PageFault};
use crate::check::pictures::{self, PrintedPicture};
use crate::check::verify::{Findings, verify};
use crate::compose;
use crate::error::{Diagnostic, Error, Result};
use crate::issue::{Frame, IssueFile, KeyPath};
use crate::layout::Layout;
use crate::measure::{self, Amount, Fits, Splits, Stretch};
use crate::output::pdf::{self, PdfSettings};
use crate::plan::{Balance, Bounds, Context, Fitting, Heights, Mends, Plan, plan};
use crate::report::{self, Outcome, Report, Timings};
use crate::typeset::compile::compile;
use crate::typeset::fonts::{FontOptions, FontStore};
use crate::typeset::generate::{self, Generated};
use crate::typeset::glyphs::Reader;
use crate::typeset::images::images;
use crate::typeset::world::{self, NewsWorld};

mod copy_fit;
use copy_fit::CopyFit;

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

/// How many times a build may set the pages again to mend lines (see [`Mends`]) or deal
/// balanced columns anew: loose lines set ragged, then squeezed lines mended, then any halving
/// that loosened a line declined, each kind settling in a pass or two.
const MAX_PASSES: usize = 6;

/// How many lines a build may add to auto frames whose text ran over them, in all.
const MAX_GROWTH: u32 = 8;

/// One build's request: the issue, its layout and the options, settled before any stage runs.
struct Job<'a> {
    path: &'a Path,
    file: &'a IssueFile,
    layout: &'a Layout,
    options: &'a BuildOptions,
    started: Instant,
    /// What copy-fit has changed, as far as copy-fitting has gone.
    fitting: Fitting,
    /// The mends an earlier build made in articles this build sets as it did: where setting
    /// the pages starts (see [`Engine::build_fitted`]).
    mends: Mends,
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
    /// What the composer made of pages that listed articles, when it composed any: what
    /// `compose` writes out.
    pub composition: Option<compose::Composition>,
    /// What the pages changed in lines the line check found faulty.
    pub mends: Mends,
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
        let mut job = Job {
            path,
            file: &file,
            layout: &layout,
            options,
            started,
            fitting: Fitting::default(),
            mends: Mends::default(),
        };
        let built = if compose::wanted(&file.issue) {
            self.build_composed(&mut job, &mut worlds)
        } else {
            self.build_copy_fitted(&mut job, &mut worlds)
        };
        self.keep_worlds(key, worlds);
        built
    }

    /// Composes the pages of the issue at `path` that list articles, without building it: the
    /// measuring and the tiling alone.
    pub fn compose(&self, path: &Path) -> Result<compose::Composition> {
        let file = IssueFile::read(path)?;
        let layout = self.load_layout(&file)?;
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut worlds = self.take_worlds(&key);
        let mut measurer =
            compose::Measurer { world: &mut worlds.measure, memo: &self.measured, today: date(&file) };
        let composed = compose::compose(&mut measurer, &file, &layout, &compose::Bumps::new());
        self.keep_worlds(key, worlds);
        composed
    }

    /// Composes the pages that list articles, then builds the composed issue. When a composed
    /// frame's text ran over it or left a hole (its balanced columns broke differently from
    /// the single column it was measured in), composes again with the lines it lacked or had
    /// over; a need that once ran over never shrinks again, and frames composed before are not
    /// built again, so the attempts settle. Returns the best attempt — fewest errors and overset
    /// articles, then fewest holes, then fewest free lines — of at most [`MAX_ATTEMPTS`] + 1.
    fn build_composed(&self, job: &mut Job, worlds: &mut Worlds) -> Result<Build> {
        let mut bumps = compose::Bumps::new();
        let mut grown: Vec<(usize, usize, u32)> = Vec::new();
        let mut tried: Vec<Vec<(usize, Frame)>> = Vec::new();
        let mut best: Option<Build> = None;
        let mut spent = Timings::default();
        for _ in 0..=MAX_ATTEMPTS {
            let mut measurer =
                compose::Measurer { world: &mut worlds.measure, memo: &self.measured, today: date(job.file) };
            let clock = Instant::now();
            let composed = compose::compose(&mut measurer, job.file, job.layout, &bumps);
            spent.compose_ms += ms(clock);
            spent.compositions += 1;
            let composition = match composed {
                Ok(composition) => composition,
                // What the last attempt learnt made a page impossible: the best so far stands.
                Err(_) if best.is_some() => break,
                Err(e) => return Err(e),
            };
            // The bumps did not change the frames: building them again would change nothing.
            if tried.contains(&composition.frames) {
                break;
            }
            tried.push(composition.frames.clone());
            let file = job.file.with_issue(composition.issue.clone());
            let fitting = Fitting { tracking: composition.tracking.clone(), ..Fitting::default() };
            let mut inner = Job { file: &file, fitting, mends: Mends::default(), ..*job };
            let mut built = self.build_copy_fitted(&mut inner, worlds)?;
            spent.builds += built.report.timings.builds;
            spent.probes += built.report.timings.probes;
            let hole = i32::try_from(job.layout.spec.grid.hole_lines).unwrap_or(2);
            let misfits: Vec<((usize, usize, u32), i32)> = misfits(&built, &composition, hole)
                .into_iter()
                .filter(|&(at, lines)| lines > 0 || !grown.contains(&at))
                .collect();
            record_composition(&mut built, composition, job.file);
            let settled = misfits.is_empty();
            if best.as_ref().is_none_or(|b| quality(&built) < quality(b)) {
                best = Some(built);
            }
            if settled {
                break;
            }
            for (at, lines) in misfits {
                if lines > 0 {
                    grown.push(at);
                }
                *bumps.entry(at).or_default() += lines;
            }
        }
        let mut best = best.expect("at least one attempt is built");
        let timings = &mut best.report.timings;
        (timings.compose_ms, timings.compositions, timings.probes, timings.builds) =
            (spent.compose_ms, spent.compositions, spent.probes, spent.builds);
        // The best attempt may be an early one: the total is the whole build's, every attempt.
        timings.total_ms = ms(job.started);
        Ok(best)
    }

    /// Copy-fits (自动调整) each article that asks for it by probing its tracking (see
    /// [`CopyFit`]), builds the issue, then steps the articles whose set pages differ from the
    /// probes a step at a time — white around the headline for whole free lines, tracking for
    /// the rest — within the layout's `[fit]` bounds, until they fit or the bounds are reached.
    /// A step that runs a loosened article over, or gives the article an error it did not have
    /// (Typst may set a tracked line past its column), is taken back, for that article alone.
    /// Each build starts from the mends of the articles it sets as the last one did.
    fn build_copy_fitted(&self, job: &mut Job, worlds: &mut Worlds) -> Result<Build> {
        let mut fit = CopyFit::new(job);
        let mut timings = Timings::default();
        let probes = self.probe_fit(job, &mut worlds.measure, &mut fit, &mut timings)?;
        job.fitting = fit.fitting();
        let mut built = self.build_fitted(job, worlds, Heights::new(), timings)?;
        let mut builds = 1;
        loop {
            let stepped = fit.step(job, &built);
            if stepped.is_empty() {
                (built.report.timings.probes, built.report.timings.builds) = (probes, builds);
                return Ok(built);
            }
            builds += 1;
            let previous = std::mem::replace(&mut job.fitting, fit.fitting());
            job.mends = built.mends.outside(&stepped);
            let next = self.build_fitted(job, worlds, Heights::new(), Timings::default())?;
            // Only the articles whose own step made new errors go back; the others keep theirs.
            let (before, after) = (other_errors(&built), other_errors(&next));
            let worse: Vec<usize> =
                stepped.iter().copied().filter(|a| after.get(a) > before.get(a)).collect();
            fit.take_back(&worse);
            let fitting = fit.fitting();
            built = match () {
                _ if fitting == job.fitting => next,
                _ if fitting == previous => built,
                _ => {
                    job.fitting = fitting;
                    job.mends = next.mends.outside(&worse);
                    builds += 1;
                    self.build_fitted(job, worlds, Heights::new(), Timings::default())?
                }
            };
            job.fitting = fit.fitting();
        }
    }

    /// Copy-fits by measuring, before any page is set (see [`CopyFit::probed`]): each round
    /// plans the issue with the levels reached so far and probes the last parts still walking.
    /// Returns the rounds it took.
    fn probe_fit(
        &self,
        job: &mut Job,
        world: &mut NewsWorld,
        fit: &mut CopyFit,
        timings: &mut Timings,
    ) -> Result<usize> {
        let most = job.layout.spec.fit.head_space_lines;
        let mut rounds = 0;
        loop {
            job.fitting = fit.fitting();
            let (plan, splits, _) = self.plan_and_fit(world, job, &Heights::new(), timings)?;
            let stretches = fit.walking(job, &plan, &splits.bounds);
            if stretches.is_empty() {
                return Ok(rounds);
            }
            rounds += 1;
            let (none, unmended) = (Balance::new(), Mends::default());
            let (file, layout, output) = (job.file, job.layout, job.options.print.output());
            let ctx = Context { file, layout, plan: &plan, output, balance: &none, mends: &unmended };
            let clock = Instant::now();
            let columns = measure::probe(world, &self.measured, &ctx, &stretches, today(&ctx))?;
            timings.split_ms += ms(clock);
            for (&Stretch { article: a, slot, .. }, column) in stretches.iter().zip(&columns) {
                fit.probed(a, plan.frame(a, slot), &plan.articles[a].kinds(), column.as_ref(), most);
            }
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
        let Fits { mut balance, probes, .. } = fits;
        // Set the pages again while they show lines to mend (see [`Mends`]), and
        // while a fixed frame's balanced columns run over it: a column start the page broke
        // from is barred and the columns dealt again where that leaves no hole, else the text
        // flows from column to column.
        let mut mends = job.mends.clone();
        let mut barred: HashMap<usize, Vec<Cut>> = HashMap::new();
        let mut passes = 0;
        let mut last_ragged = BTreeSet::new();
        let set = loop {
            let ctx = Context { file, layout, plan: &plan, output, balance: &balance, mends: &mends };
            let set = set_until_fit(&mut worlds.pages, &ctx, &splits, job.options, &mut timings)?;
            let ran_over = |a: usize| set.findings.overflows.iter().any(|o| o.article == a);
            let found = lines::mends(&set.findings.glyphs, &plan, layout);
            let new = mends.next(found, &last_ragged, ran_over);
            last_ragged = new.ragged.clone();
            let unbalanced = overrun_balanced_frames(&ctx, &set.findings.overflows);
            if (new.is_empty() && unbalanced.is_empty()) || passes == MAX_PASSES {
                break set;
            }
            let dealt: Vec<(usize, Option<Vec<Cut>>)> = (unbalanced.into_iter())
                .map(|a| {
                    let starts = balance.get(&a).map_or(&[][..], Vec::as_slice);
                    let bad = measure::misplaced_start(&set.findings.glyphs, &ctx, a, starts);
                    let bars = barred.entry(a).or_default();
                    bars.extend(bad);
                    let probe = bad.and_then(|_| probes.get(&a));
                    (a, probe.and_then(|probe| measure::rebalanced(probe, &ctx, a, bars)))
                })
                .collect();
            drop(set);
            // Dealt anew, an article's lines break anew: its mends are found again.
            let dealt_anew: Vec<usize> = dealt.iter().map(|(a, _)| *a).collect();
            mends = mends.outside(&dealt_anew);
            mends.extend(new.outside(&dealt_anew));
            for (a, cuts) in dealt {
                match cuts {
                    Some(cuts) => balance.insert(a, cuts),
                    None => balance.remove(&a),
                };
            }
            passes += 1;
        };
        let ctx = Context { file, layout, plan: &plan, output, balance: &balance, mends: &mends };
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
        Ok(Build {
            report,
            document,
            pdf,
            generated,
            errors,
            warnings,
            plan,
            layout,
            violations,
            composition: None,
            mends,
        })
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
        let (file, layout, output, fitting) =
            (job.file, job.layout, job.options.print.output(), &job.fitting);
        let none = Balance::new();
        // Measuring breaks the lines where the set pages do: mended or not, as tall.
        let unmended = Mends::default();
        let mut heights = Heights::new();
        let mut attempts = 0;
        loop {
            let planned = plan(file, layout, &heights, fitting)?;
            let ctx = Context { file, layout, plan: &planned, output, balance: &none, mends: &unmended };
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

/// The articles whose balanced columns run over their fixed last frame (a column broke
/// differently from the measuring, or a subhead moved to the next column): their text flows
/// from column to column instead, which holds what the frame's capacity holds.
fn overrun_balanced_frames(ctx: &Context, overflows: &[measure::Overflow]) -> Vec<usize> {
    overflows
        .iter()
        .filter(|o| o.slot + 1 == ctx.plan.articles[o.article].frames.len())
        .filter(|o| ctx.balance.contains_key(&o.article) && !ctx.plan.frame(o.article, o.slot).auto)
        .map(|o| o.article)
        .collect()
}

/// The lines each composed article's last frame lacked (its text ran over), or had over where
/// its text left a hole the composer did not leave (`hole` lines or more free under its
/// shortest text column, more than the composer left): as many as bring it under a hole.
/// Fewer free lines than the composer left is no misfit: the frame is full, copy-fit filled it.
fn misfits(built: &Build, composition: &compose::Composition, hole: i32) -> compose::Bumps {
    let composed =
        |a: usize| composition.frames.iter().any(|(_, f)| f.article == built.plan.articles[a].id());
    built
        .report
        .articles
        .iter()
        .enumerate()
        .filter(|&(a, _)| composed(a))
        .filter_map(|(a, report)| {
            let slot = built.plan.articles[a].frames.len().checked_sub(1)?;
            let frame = built.plan.frame(a, slot);
            let columns = frame.columns.max(1) as usize;
            let meant = composition.free.get(&(a, slot)).copied().unwrap_or(0) as i32;
            let lines = match &report.overflow {
                Some(amount) => amount.lines.div_ceil(columns).max(1) as i32,
                None => match report.parts.last()?.short_lines as i32 {
                    free if free >= hole && free > meant => hole - 1 - free,
                    _ => 0,
                },
            };
            // Bumps count in the issue's articles, which the composed issue's leave fillers out of.
            (lines != 0).then_some(((composition.articles[a], slot, frame.span), lines))
        })
        .collect()
}

/// How good a composed build is, lower better: its errors and overset articles (an error
/// unless overset is allowed), then its holes (开天窗), then the free lines of its parts.
fn quality(built: &Build) -> (usize, usize, usize) {
    let articles = &built.report.articles;
    let overset = articles.iter().filter(|a| a.overflow.is_some()).count();
    let holes = built.report.pages.iter().map(|p| p.holes.len()).sum();
    let free = articles.iter().flat_map(|a| &a.parts).map(|p| p.free_lines as usize).sum();
    (built.errors.len() + overset, holes, free)
}

/// Puts what composing found into the build: each page's score in the report, each rule
/// given up as a warning.
fn record_composition(built: &mut Build, composition: compose::Composition, file: &IssueFile) {
    for composed in &composition.pages {
        for rule in &composed.gave_up {
            let key = KeyPath::default()
                .key("pages")
                .index(file.issue.pages.iter().position(|p| p.number == composed.number).unwrap_or_default());
            built.warnings.push(file.diagnostic(&key, format!("page {}: {rule}", composed.number)));
        }
        if let Some(page) = built.report.pages.iter_mut().find(|p| p.number == composed.number) {
            page.composed = Some(composed.clone());
        }
    }
    built.composition = Some(composition);
}

/// Each article's errors other than its overflow (which copy-fit works on), by article:
/// the errors that name it.
fn other_errors(built: &Build) -> HashMap<usize, usize> {
    let mut counts = HashMap::new();
    for (a, article) in built.plan.articles.iter().enumerate() {
        let named = format!("article `{}`", article.id());
        let errors = built.errors.iter().filter(|e| e.message.contains(&named)).count();
        let overflow = usize::from(built.report.articles.get(a).is_some_and(|r| r.overflow.is_some()));
        counts.insert(a, errors.saturating_sub(overflow));
    }
    counts
}

/// The issue's date, which the pages show as today.
fn today(ctx: &Context) -> Option<Datetime> {
    date(ctx.file)
}

/// The issue file's date, as Typst's today.
fn date(file: &IssueFile) -> Option<Datetime> {
    let date = file.issue.issue.date;
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
