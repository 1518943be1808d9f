//! The engine: fonts and the Typst library loaded once, then any number of issues built.
//!
//! One build runs the stages in order — read the issue file, load its layout, plan the frames,
//! generate the Typst program, compile it, verify the pages, export the PDF — and returns the
//! PDF with the report, or every error it found.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use typst::Library;
use typst::foundations::Datetime;
use typst::utils::LazyHash;
use typst_layout::PagedDocument;

use crate::body::Cut;
use crate::error::{Diagnostic, Error, Result};
use crate::fonts::{FontOptions, FontStore};
use crate::generate::{self, Generated};
use crate::issue::{IssueFile, KeyPath};
use crate::layout::{Layout, Output};
use crate::pdf::{PdfSettings, Standard};
use crate::plan::{Plan, plan};
use crate::report::{PageReport, Report, Timings};
use crate::verify::verify;
use crate::world::{self, NewsWorld};
use crate::{compile, composition, measure};

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
    /// The plan and layout the pages were set from, and the line-composition violations with
    /// their lines: what a proof draws over the pages.
    pub plan: Plan,
    pub layout: Layout,
    pub violations: Vec<composition::Violation>,
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

    /// Builds the issue at `path`. Errors that stop layout (bad data, bad layout) are `Err`;
    /// problems found on the laid-out pages are in [`Build::errors`], beside the report.
    pub fn build(&self, path: &Path, options: &BuildOptions) -> Result<Build> {
        let started = Instant::now();
        options.print.check()?;
        let file = IssueFile::read(path)?;
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
        layout.output = Output {
            bleed_pt: options.print.bleed_pt,
            archive: options.print.standard == Standard::ArchiveA2b,
        };
        let plan = plan(&file, &layout)?;

        let date = file.issue.issue.date;
        let today = Datetime::from_ymd(date.year(), date.month(), date.day());
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut worlds = self.take_worlds(&key);
        let mut timings = Timings { plan_ms: ms(started), ..Timings::default() };
        let clock = Instant::now();
        let (mut bounds, lines, rounds) =
            measure::split(&mut worlds.measure, &self.measured, &file, &layout, &plan, today)?;
        timings.split_ms = ms(clock);
        timings.split_compiles = rounds;

        let mut attempts = 0;
        // How much overset was cut off (allowed), as first measured with all of it set.
        let mut cut_off = Vec::new();
        let (generated, document, typst_warnings, findings, violations, exported) = loop {
            let clock = Instant::now();
            let generated = generate::generate(&file, &layout, &plan, &bounds);
            worlds.pages.load(&generated, today);
            let (document, warnings) = compile::compile(&worlds.pages, &layout.template_path)?;
            timings.compile_ms += ms(clock);
            timings.compiles += 1;
            // The PDF is exported while the pages are checked, and kept only if they pass.
            let ((findings, violations, verify_ms), (exported, pdf_ms)) = rayon::join(
                || {
                    let clock = Instant::now();
                    let findings = verify(&document, &worlds.pages, &generated.map, &plan, &layout, &bounds);
                    let violations =
                        composition::check(&composition::lines(&findings.placed, &plan, &layout));
                    (findings, violations, ms(clock))
                },
                || {
                    let clock = Instant::now();
                    let exported =
                        options.pdf.then(|| crate::pdf::export(&document, &file, today, &options.print));
                    (exported, ms(clock))
                },
            );
            timings.verify_ms += verify_ms;
            timings.pdf_ms += pdf_ms;
            // A part that runs past its frame (the measured line breaks moved when the part was
            // cut) gives its last line to the next part; overset is cut off when allowed.
            let mut moved = bounds.clone();
            for over in &findings.overflows {
                let (a, slot) = (over.article, over.slot);
                let last = slot + 1 == plan.articles[a].frames.len();
                let cut = if last {
                    if options.allow_overset {
                        cut_off.push((a, over.amount.clone()));
                    }
                    options.allow_overset.then_some(over.first).flatten()
                } else {
                    measure::line_before(&lines, a, slot, bounds[a][slot], bounds[a][slot + 1])
                };
                if let Some(cut) = cut {
                    moved[a][slot + 1] = cut;
                }
            }
            // The report describes the pages as compiled: cuts change only when set again.
            if moved == bounds || attempts == MAX_ATTEMPTS {
                break (generated, document, warnings, findings, violations, exported);
            }
            bounds = moved;
            attempts += 1;
        };
        self.keep_worlds(key, worlds);

        let mut articles = findings.articles;
        for (a, amount) in cut_off {
            articles[a].overflow.get_or_insert(amount);
        }
        let mut warnings_composition = Vec::new();
        for violation in &violations {
            articles[violation.article].composition.add(violation.rule);
            warnings_composition
                .push(Diagnostic::new(violation.describe(plan.articles[violation.article].id())));
        }
        let mut errors = findings.errors;
        let mut warnings = plan.warnings.clone();
        warnings.extend(typst_warnings);
        warnings.append(&mut warnings_composition);
        for over in &findings.overflows {
            let article = &plan.articles[over.article];
            let page = plan.pages[article.frames[over.slot].0].number;
            errors.push(Diagnostic::new(format!(
                "article `{}` does not fit its frame on page {page}: 差 {} 行 / {} 字 (over by {} lines, {} characters)",
                article.id(),
                over.amount.lines,
                over.amount.chars,
                over.amount.lines,
                over.amount.chars
            )));
        }
        let continuation = &layout.geometry.continuation;
        for (report, article) in articles.iter().zip(&plan.articles) {
            let holding: Vec<_> = report.parts.iter().filter(|p| p.text_range[0] < p.text_range[1]).collect();
            if let Some(last) = holding.last().filter(|p| p.free_lines > continuation.underset_warning_lines)
            {
                warnings.push(Diagnostic::new(format!(
                    "article `{}` leaves {} lines free at its end on page {}",
                    article.id(),
                    last.free_lines,
                    last.page
                )));
            }
            for empty in report.parts.iter().skip(holding.len()) {
                warnings.push(Diagnostic::new(format!(
                    "article `{}` ends before its frame on page {}, which stays empty",
                    article.id(),
                    empty.page
                )));
            }
        }
        let overset = bounds.iter().zip(&plan.articles).any(|(b, a)| b.last() != Some(&Cut::end(&a.blocks)));
        if overset {
            for (article, b) in plan.articles.iter().zip(&bounds) {
                let end = Cut::end(&article.blocks);
                if b.last() != Some(&end) {
                    warnings.push(Diagnostic::new(format!(
                        "article `{}`: overset text from character {} left out (--allow-overset)",
                        article.id(),
                        b.last().map_or(0, |c| c.char_index(&article.blocks))
                    )));
                }
            }
        }

        let pdf = match exported {
            Some(Ok(bytes)) if errors.is_empty() => Some(bytes),
            Some(Err(diagnostics)) if errors.is_empty() => {
                errors.extend(diagnostics);
                None
            }
            _ => None,
        };
        timings.total_ms = ms(started);
        let report = Report {
            issue: path.display().to_string(),
            layout: layout.geometry.name.clone(),
            pages: plan
                .pages
                .iter()
                .map(|p| PageReport { number: p.number, section: p.section.clone(), frames: p.frames.len() })
                .collect(),
            articles,
            overset,
            errors: errors.iter().map(ToString::to_string).collect(),
            warnings: warnings.iter().map(ToString::to_string).collect(),
            timings,
        };
        Ok(Build { report, document, pdf, generated, errors, warnings, plan, layout, violations })
    }
}

/// Milliseconds since `since`.
fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
