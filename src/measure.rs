//! Continuation (续转): where each article's text leaves one frame for the next.
//!
//! Typst cannot thread text between boxes, so the split is measured from a real layout: the
//! article's remaining text is set in its next frame, where the page has it, with the same
//! headline or jump head and columns, and what does not fit runs on below the frame. The lines
//! inside the frame are read back through the source map. The part ends one line before the
//! frame's end, which the jump line （下转第N版） takes; a subhead never ends a part, and (if the
//! layout asks) a part never starts with a paragraph's last line alone. Rounds go frame by frame
//! along every chain at once.
//!
//! The measuring program mirrors the final one (see [`generate`]), so the final compile reuses
//! the layout of every paragraph a part holds whole.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use typst::foundations::Datetime;

use crate::body::{BlockKind, Cut};
use crate::compile::compile;
use crate::error::{Diagnostic, Result};
use crate::generate::{self, Bounds, MeasureJob, Part};
use crate::issue::IssueFile;
use crate::layout::Layout;
use crate::plan::{Plan, PlannedArticle};
use crate::verify::{self, Placed};
use crate::world::NewsWorld;

/// How much text a measuring pass sets, as a multiple of the lines the frame holds, by an
/// estimate of the lines the text takes ([`Cut::advance_lines`]). Headlines, subheads and
/// leading make the frame hold less than that, so the pass almost always fills the frame; when
/// it does not, the article is measured again with four times as much.
const MEASURE_REACH: f64 = 1.2;

/// The first cut of every body line a part was measured to hold, in reading order.
pub type Lines = HashMap<(usize, usize), Vec<Cut>>;

/// What setting one stretch of an article in its frame showed.
#[derive(Debug, Clone)]
enum Measured {
    /// No text of the article was set (it has none in the stretch).
    Nothing,
    /// The whole stretch fit the frame.
    Fits,
    /// The frame filled up: the first cut of each body line it holds, and the first cut beyond.
    Full { lines: Vec<Cut>, next: Cut },
}

/// Measurements kept between builds, by fingerprint (see [`generate::measure_fingerprint`]):
/// when an editor changes one article, only that article is measured again.
#[derive(Debug, Default)]
pub struct Memo {
    entries: HashMap<u128, Measured>,
}

/// How many measurements a memo keeps; beyond this it starts afresh.
const MEMO_ENTRIES: usize = 8192;

impl Memo {
    fn get(&self, key: u128) -> Option<Measured> {
        self.entries.get(&key).cloned()
    }

    fn insert(&mut self, key: u128, measured: Measured) {
        if self.entries.len() >= MEMO_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(key, measured);
    }
}

/// Finds each article's cuts. Returns the bounds, the measured lines of every split part (which
/// let a later pass move a split back a line) and how many measuring compiles it took.
/// Measurements found in `memo` are reused; new ones are added to it.
pub fn split(
    world: &mut NewsWorld,
    memo: &Mutex<Memo>,
    file: &IssueFile,
    layout: &Layout,
    plan: &Plan,
    today: Option<Datetime>,
) -> Result<(Bounds, Lines, usize)> {
    let mut bounds = generate::unsplit(plan);
    let mut rounds = 0;
    let mut lines = Lines::new();
    let context = generate::measure_context(layout, plan);
    let longest = plan.articles.iter().map(|a| a.frames.len()).max().unwrap_or(0);
    for round in 0..longest.saturating_sub(1) {
        // Each article measures a little more than its frame can hold; one whose measured
        // stretch all fit is measured again with more, so a short stretch never passes for the
        // article's end.
        let mut pending: Vec<(usize, f64)> = plan
            .articles
            .iter()
            .enumerate()
            .filter(|(a, article)| {
                article.frames.len() > round + 1 && bounds[*a][round] < Cut::end(&article.blocks)
            })
            .map(|(a, _)| (a, MEASURE_REACH))
            .collect();
        while !pending.is_empty() {
            let jobs: Vec<MeasureJob> = pending
                .iter()
                .map(|&(a, reach)| {
                    let article = &plan.articles[a];
                    let (p, f) = article.frames[round];
                    let frame = &plan.pages[p].frames[f];
                    let (column, _) = layout.frame_columns(frame);
                    let lines = f64::from(frame.lines) * f64::from(frame.columns) * reach;
                    let start = bounds[a][round];
                    let end = start.advance_lines(&article.blocks, column / layout.body_size(), lines);
                    MeasureJob { article: a, slot: round, start, end }
                })
                .collect();
            let keys: Vec<u128> =
                jobs.iter().map(|job| generate::measure_fingerprint(context, layout, plan, job)).collect();
            let mut outcomes: Vec<Option<Measured>> = {
                let memo = memo.lock().expect("the memo is never left half-written");
                keys.iter().map(|&key| memo.get(key)).collect()
            };
            let unknown: Vec<MeasureJob> =
                jobs.iter().zip(&outcomes).filter(|(_, o)| o.is_none()).map(|(job, _)| *job).collect();
            if !unknown.is_empty() {
                rounds += 1;
                let generated = generate::generate_measure(file, layout, plan, &unknown);
                world.load(&generated, today);
                let (document, _) = compile(world, &layout.template_path)?;
                let placed = verify::collect(&document, world, &generated.map, plan, &mut Vec::new());
                let runs = by_article(&placed);
                let mut memo = memo.lock().expect("the memo is never left half-written");
                for ((job, outcome), &key) in jobs.iter().zip(&mut outcomes).zip(&keys) {
                    if outcome.is_none() {
                        let measured = measured(runs.get(&job.article), layout, plan, job);
                        memo.insert(key, measured.clone());
                        *outcome = Some(measured);
                    }
                }
            }
            let mut again = Vec::new();
            for ((job, outcome), &(_, reach)) in jobs.iter().zip(outcomes).zip(&pending) {
                let (a, slot) = (job.article, job.slot);
                let article = &plan.articles[a];
                let (measured, next) = match outcome.expect("every job is measured") {
                    Measured::Nothing => continue,
                    Measured::Fits => {
                        if job.end < Cut::end(&article.blocks) {
                            again.push((a, reach * 4.0));
                        }
                        // Otherwise the rest fits this frame: the later frames stay empty.
                        continue;
                    }
                    Measured::Full { lines, next } => (lines, next),
                };
                let cut = choose(&measured, next, article, layout.geometry.continuation.avoid_lone_lines);
                if cut <= bounds[a][slot] {
                    let (p, _) = article.frames[slot];
                    return Err(Diagnostic::new(format!(
                        "article `{}`: its frame on page {} is too small to hold any text and its jump line",
                        article.id(),
                        plan.pages[p].number
                    ))
                    .into());
                }
                bounds[a][slot + 1] = cut;
                for later in &mut bounds[a][slot + 2..] {
                    *later = Cut::end(&article.blocks);
                }
                lines.insert((a, slot), measured);
            }
            pending = again;
        }
    }
    Ok((bounds, lines, rounds))
}

/// What a job's frame shows: the first cut of each body line inside the frame, in reading
/// order (column by column), and the first cut of the text that ran on below it.
fn measured(glyphs: Option<&Vec<&Placed>>, layout: &Layout, plan: &Plan, job: &MeasureJob) -> Measured {
    let Some(glyphs) = glyphs else { return Measured::Nothing };
    let (p, f) = plan.articles[job.article].frames[job.slot];
    let frame = &plan.pages[p].frames[f];
    let (x, y) = layout.type_origin();
    let (left, bottom) = (x + frame.x, y + frame.y + frame.height);
    // The line verification draws between a frame's text and its overflow.
    let (inside, below): (Vec<&Placed>, Vec<&Placed>) =
        glyphs.iter().partition(|g| g.baseline <= bottom + verify::EPSILON);
    let mut lines: BTreeMap<(u32, i64), Cut> = BTreeMap::new();
    for glyph in inside {
        let Some(cut) = glyph.cut() else { continue };
        let (column, _) = layout.column_at(frame, left, glyph.x);
        let key = (column, (glyph.baseline * 100.0).round() as i64);
        lines.entry(key).and_modify(|c| *c = (*c).min(cut)).or_insert(cut);
    }
    // What ran on below is body text, or only what closes the article (its byline or
    // signature): then the frame is full all the same, and the text's end is what follows.
    let next = below.iter().filter_map(|g| g.cut()).min();
    let closing = || (!below.is_empty()).then(|| Cut::end(&plan.articles[job.article].blocks));
    match next.or_else(closing) {
        Some(next) => Measured::Full { lines: lines.into_values().collect(), next },
        None => Measured::Fits,
    }
}

/// Each article's glyphs (a measuring program sets one stretch per article).
fn by_article<'a>(placed: &'a [Placed<'a>]) -> HashMap<usize, Vec<&'a Placed<'a>>> {
    let mut articles: HashMap<usize, Vec<&Placed>> = HashMap::new();
    for glyph in placed {
        articles.entry(glyph.origin.article).or_default().push(glyph);
    }
    articles
}

/// Picks the cut that ends a part: the start of the page's last body line (its place goes to
/// the jump line), moved back so that a subhead does not end the part and, with
/// `avoid_lone`, the next part does not open with a paragraph's last line alone.
fn choose(lines: &[Cut], next: Cut, article: &PlannedArticle, avoid_lone: bool) -> Cut {
    let Some(mut i) = lines.len().checked_sub(1) else { return next };
    let kind = |c: Cut| article.blocks.get(c.block).map(|b| b.kind);
    loop {
        let before = i;
        // A subhead never ends a part: take the whole subhead along.
        while i > 0 && kind(lines[i - 1]) == Some(BlockKind::Subhead) {
            i -= 1;
        }
        // The line at the split is the last of its paragraph, and not its only one.
        let following = lines.get(i + 1).copied().unwrap_or(next);
        let last_of_paragraph = following.block > lines[i].block;
        let not_first = i > 0 && lines[i - 1].block == lines[i].block && !lines[i].at_block_start();
        if avoid_lone && last_of_paragraph && not_first {
            i -= 1;
        }
        if i == before || i == 0 {
            break;
        }
    }
    lines[i]
}

/// Moves a split back by one measured line; `None` when it cannot move without leaving the
/// part (which starts at `start`) empty.
pub fn line_before(lines: &Lines, article: usize, slot: usize, start: Cut, cut: Cut) -> Option<Cut> {
    let measured = lines.get(&(article, slot))?;
    measured.iter().rev().find(|&&c| c < cut).copied().filter(|&c| c > start)
}

impl Placed<'_> {
    /// The body cut before this glyph, for glyphs of body runs.
    pub fn cut(&self) -> Option<Cut> {
        match self.origin.part {
            Part::Run(block, run) => Some(Cut { block, run, offset: self.bytes.start }),
            _ => None,
        }
    }
}
