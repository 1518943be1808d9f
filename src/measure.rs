//! Continuation (续转): where each article's text leaves one frame for the next.
//!
//! Typst cannot thread text between boxes, so the split is measured from a real layout: the
//! article's remaining text is set in its next frame, where the page has it, with the same
//! headline or jump head and columns, and what does not fit runs on below the frame. The lines
//! inside the frame are read back as glyphs. The part ends one line before the frame's end,
//! which the jump line （下转第N版） takes; a subhead never ends a part, and (if the layout asks)
//! a part never starts with a paragraph's last line alone. Rounds go slot by slot along every
//! chain at once.
//!
//! The measuring program mirrors the final one (see [`generate`]), so the final compile reuses
//! the layout of every paragraph a part holds whole. When the final pages still show an
//! *overflow* — text past a frame's bottom — [`moved`] moves that part's cut back a line.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde::Serialize;
use typst::foundations::Datetime;

use crate::body::{BlockKind, Cut};
use crate::error::{Diagnostic, Result};
use crate::layout::EPSILON;
use crate::plan::{Balance, Bounds, Context, Field, Heights, PlannedArticle};
use crate::typeset::compile::compile;
use crate::typeset::generate::{self, MeasureJob};
use crate::typeset::glyphs::{Glyph, Reader};
use crate::typeset::world::NewsWorld;

/// How much text a measuring pass sets, as a multiple of the lines the frame holds, by an
/// estimate of the lines the text takes ([`Cut::advance_lines`]). Headlines, subheads and
/// leading make the frame hold less than that, so the pass almost always fills the frame; when
/// it does not, the article is measured again with four times as much.
const MEASURE_REACH: f64 = 1.2;

/// The first cut of every body line a part was measured to hold, in reading order, by
/// (article, slot).
pub type LineStarts = HashMap<(usize, usize), Vec<Cut>>;

/// How much text: body lines (of one text column) and characters, whitespace not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Amount {
    pub lines: usize,
    pub chars: usize,
}

/// Text set past the bottom of one part's frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow {
    pub article: usize,
    pub slot: usize,
    pub amount: Amount,
    /// Where the body text past the frame begins.
    pub first: Option<Cut>,
}

/// The cuts found, and what finding them took.
#[derive(Debug, Default)]
pub struct Splits {
    pub bounds: Bounds,
    /// The measured lines of every split part, which let a later pass move a split back.
    pub lines: LineStarts,
    /// Measuring compiles run (none when every measurement came from the memo).
    pub compiles: usize,
}

/// What setting one stretch of an article in its frame showed.
#[derive(Debug, Clone)]
enum Measured {
    /// No text of the article was set (it has none in the stretch).
    Nothing,
    /// The whole stretch fit the frame.
    Fits,
    /// The frame filled up: the first cut of each body line it holds, and the first cut beyond.
    Full { lines: Vec<Cut>, next: Cut },
    /// A probe: the whole stretch in the frame's first text column.
    Probed(Column),
}

/// A stretch of body set whole in one text column by a probe: `head` grid lines under the
/// frame's top (headline, picture), then `lines` lines, with the first cut of each body line by
/// its line (counted from the frame's top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub head: u32,
    pub lines: u32,
    pub starts: Vec<(u32, Cut)>,
    /// Whether the headline set its kicker, title and subtitle each on one line, the title at
    /// the frame's full title size: a wider headline of the same fields then sets alike.
    pub one_line_head: bool,
}

/// A column's body balanced over several text columns (齐栏): the body lines of the tallest
/// column, and where each later column starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balanced {
    pub lines: u32,
    pub cuts: Vec<Cut>,
}

impl Column {
    /// The body balanced over `columns` text columns: the fewest lines per column that hold
    /// it with a subhead never ending a column. The lines are dealt out evenly (the first
    /// columns a line longer when they cannot be equal); where a subhead makes a column end
    /// early, the columns after it carry more, and the deal is made one line longer until
    /// the last column holds its share. `kinds` are the kinds of the article's blocks.
    pub fn balanced(&self, kinds: &[BlockKind], columns: u32) -> Balanced {
        self.balanced_barring(kinds, columns, &[])
    }

    /// [`Column::balanced`] with no column starting at a `barred` cut: a column that would is
    /// started a line earlier, as where a subhead would end the column before.
    pub fn balanced_barring(&self, kinds: &[BlockKind], columns: u32, barred: &[Cut]) -> Balanced {
        let columns = columns.max(1);
        let mut dealt = self.lines;
        loop {
            let sizes = column_sizes(dealt, columns);
            let tallest = sizes.first().copied().unwrap_or(0);
            if let Some(cuts) = self.cuts(kinds, &sizes, barred) {
                return Balanced { lines: tallest, cuts };
            }
            if tallest >= self.lines {
                return Balanced { lines: self.lines, cuts: Vec::new() };
            }
            dealt += 1;
        }
    }

    /// The lines of the shortest of `columns` text columns the body is dealt over as
    /// `balanced`: a subhead moved to the next column ends its column early, and a body of
    /// fewer lines than columns leaves some empty.
    pub fn shortest(&self, balanced: &Balanced, columns: u32) -> u32 {
        if balanced.cuts.len() + 1 < columns.max(1) as usize {
            return 0;
        }
        let line = |cut: &Cut| self.starts.iter().find(|(_, c)| c == cut).map_or(self.head, |(l, _)| *l);
        let ends: Vec<u32> = std::iter::once(self.head)
            .chain(balanced.cuts.iter().map(line))
            .chain(std::iter::once(self.head + self.lines))
            .collect();
        ends.windows(2).map(|w| w[1].saturating_sub(w[0])).min().unwrap_or(0)
    }

    /// Whether the body, flowing from column to column (as a frame whose balanced columns
    /// do not hold it sets it), fits `columns` text columns under the head of a frame
    /// `frame_lines` tall, a subhead never ending a column.
    pub fn flows(&self, kinds: &[BlockKind], columns: u32, frame_lines: u32) -> bool {
        let height = frame_lines.saturating_sub(self.head);
        height > 0 && self.cuts(kinds, &vec![height; columns.max(1) as usize], &[]).is_some()
    }

    /// Where the later columns start when the columns take `sizes` lines, each cut moved back
    /// so that a subhead goes on with the paragraph it heads and no column starts at a `barred`
    /// cut; `None` when the last column would be taller than the first, or a column would be
    /// left empty.
    fn cuts(&self, kinds: &[BlockKind], sizes: &[u32], barred: &[Cut]) -> Option<Vec<Cut>> {
        let subhead = |c: &Cut| kinds.get(c.block) == Some(&BlockKind::Subhead);
        let first = self.starts.first()?.1;
        let mut cuts: Vec<Cut> = Vec::new();
        let mut line = self.head;
        for size in &sizes[..sizes.len().saturating_sub(1)] {
            line += size;
            let opens = |c: &Cut| *c > cuts.last().copied().unwrap_or(first);
            let Some(mut i) = self.starts.iter().position(|(l, c)| *l >= line && opens(c)) else {
                return Some(cuts);
            };
            while subhead(&self.starts[i - 1].1) || barred.contains(&self.starts[i].1) {
                i -= 1;
                if !opens(&self.starts[i].1) {
                    return None;
                }
            }
            line = self.starts[i].0;
            cuts.push(self.starts[i].1);
        }
        (self.head + self.lines <= line + sizes.first().copied().unwrap_or(0)).then_some(cuts)
    }
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

/// Finds each article's cuts. Measurements found in `memo` are reused; new ones are added to it.
pub fn split(
    world: &mut NewsWorld,
    memo: &Mutex<Memo>,
    ctx: &Context,
    today: Option<Datetime>,
) -> Result<Splits> {
    let mut splitter = Splitter::new(world, memo, ctx, today);
    splitter.splits.bounds = ctx.plan.unsplit();
    let longest = ctx.plan.articles.iter().map(|a| a.frames.len()).max().unwrap_or(0);
    for slot in 0..longest.saturating_sub(1) {
        splitter.round(slot)?;
    }
    Ok(splitter.splits)
}

/// What fitting found: the heights of auto frames and the columns of balanced parts.
#[derive(Debug, Default)]
pub struct Fits {
    pub heights: Heights,
    pub balance: Balance,
    /// Each balanced part's probe, its body in one text column, to deal again (see
    /// [`rebalanced`]).
    pub probes: HashMap<usize, Column>,
}

/// Probes the last part of every article whose last frame is auto or balanced: an auto frame
/// gets the fewest lines that hold its text with the columns ending within a line of each
/// other; a balanced part gets the cuts where its later columns start.
pub fn fit(
    world: &mut NewsWorld,
    memo: &Mutex<Memo>,
    ctx: &Context,
    bounds: &Bounds,
    today: Option<Datetime>,
) -> Result<Fits> {
    let plan = ctx.plan;
    let jobs: Vec<MeasureJob> = (0..plan.articles.len())
        .filter_map(|a| {
            let slot = plan.articles[a].frames.len().checked_sub(1)?;
            let frame = plan.frame(a, slot);
            let (start, end) = (bounds[a][slot], bounds[a][slot + 1]);
            let stretch = Stretch { article: a, slot, start, end, bare: false };
            (frame.balance && start < end).then(|| probe_job(ctx, &stretch))
        })
        .collect();
    let mut fits = Fits::default();
    if jobs.is_empty() {
        return Ok(fits);
    }
    let mut splitter = Splitter::new(world, memo, ctx, today);
    let outcomes = splitter.measure(&jobs)?;
    for (job, outcome) in jobs.iter().zip(outcomes) {
        if let Measured::Probed(column) = outcome {
            fits.apply(ctx, job, &column);
        }
    }
    Ok(fits)
}

/// A stretch of an article's text to probe: from `start` to `end`, in the frame of chain slot
/// `slot`, under its head or `bare` (the body lines alone).
#[derive(Debug, Clone, Copy)]
pub struct Stretch {
    pub article: usize,
    pub slot: usize,
    pub start: Cut,
    pub end: Cut,
    pub bare: bool,
}

/// Probes stretches of text for the composer, each set whole in its frame's first text
/// column: the grid lines above its body (headline, picture; none when bare) and the body
/// lines it takes; `None` for a stretch without text. Measurements come from the memo where
/// it has them.
pub fn probe(
    world: &mut NewsWorld,
    memo: &Mutex<Memo>,
    ctx: &Context,
    stretches: &[Stretch],
    today: Option<Datetime>,
) -> Result<Vec<Option<Column>>> {
    let jobs: Vec<MeasureJob> = stretches.iter().map(|s| probe_job(ctx, s)).collect();
    let mut splitter = Splitter::new(world, memo, ctx, today);
    let outcomes = splitter.measure(&jobs)?;
    Ok(outcomes
        .into_iter()
        .map(|m| match m {
            Measured::Probed(column) => Some(column),
            _ => None,
        })
        .collect())
}

/// A probe of a stretch: its frame made tall enough to hold it all in one column.
fn probe_job(ctx: &Context, stretch: &Stretch) -> MeasureJob {
    let &Stretch { article: a, slot, start, end, bare } = stretch;
    let frame = ctx.plan.frame(a, slot);
    let blocks = &ctx.plan.articles[a].blocks;
    // At most a line per character and two per block (subheads), and room for the headline:
    // a probe too short would spill into the next column, one too tall costs nothing.
    let chars = end.char_index(blocks) - start.char_index(blocks);
    let lines = chars + 2 * (end.block.min(blocks.len()) + 1 - start.block.min(blocks.len())) + 40;
    let height = frame.height.max(lines as f64 * ctx.layout.spec.grid.line_pitch_pt);
    MeasureJob { article: a, slot, start, end, probe_height: Some(height), bare }
}

impl Fits {
    /// Takes a probe's outcome: the auto frame's height, and where the later columns start.
    fn apply(&mut self, ctx: &Context, job: &MeasureJob, column: &Column) {
        let frame = ctx.plan.frame(job.article, job.slot);
        let balanced = column.balanced(&ctx.plan.articles[job.article].kinds(), frame.columns);
        let height = (column.head + balanced.lines).max(1);
        if frame.auto {
            let (p, f) = ctx.plan.articles[job.article].frames[job.slot];
            self.heights.insert((p, f), height);
        } else if height > frame.lines {
            return;
        }
        if !balanced.cuts.is_empty() {
            self.balance.insert(job.article, balanced.cuts);
            self.probes.insert(job.article, column.clone());
        }
    }
}

/// How many lines each of `columns` text columns takes of `lines` lines, balanced: the first
/// columns one line longer than the last when they cannot be equal.
fn column_sizes(lines: u32, columns: u32) -> Vec<u32> {
    let columns = columns.max(1);
    let (base, longer) = (lines / columns, lines % columns);
    (0..columns).map(|c| base + u32::from(c < longer)).collect()
}

/// One build's measuring: its world, the memo, the issue, and the cuts found so far.
struct Splitter<'a> {
    world: &'a mut NewsWorld,
    memo: &'a Mutex<Memo>,
    ctx: &'a Context<'a>,
    today: Option<Datetime>,
    /// The fingerprint of what every job depends on ([`generate::measure_context`]).
    context: u128,
    splits: Splits,
}

impl<'a> Splitter<'a> {
    fn new(
        world: &'a mut NewsWorld,
        memo: &'a Mutex<Memo>,
        ctx: &'a Context<'a>,
        today: Option<Datetime>,
    ) -> Self {
        let context = generate::measure_context(ctx);
        Splitter { world, memo, ctx, today, context, splits: Splits::default() }
    }

    /// Cuts every chain after slot `slot`. Each article measures a little more than its frame
    /// can hold; one whose measured stretch all fit is measured again with more, so a short
    /// stretch never passes for the article's end.
    fn round(&mut self, slot: usize) -> Result<()> {
        let plan = self.ctx.plan;
        let mut pending: Vec<(usize, f64)> = (0..plan.articles.len())
            .filter(|&a| {
                let article = &plan.articles[a];
                article.frames.len() > slot + 1 && self.splits.bounds[a][slot] < Cut::end(&article.blocks)
            })
            .map(|a| (a, MEASURE_REACH))
            .collect();
        while !pending.is_empty() {
            let jobs: Vec<MeasureJob> = pending.iter().map(|&(a, reach)| self.job(a, slot, reach)).collect();
            let outcomes = self.measure(&jobs)?;
            let mut again = Vec::new();
            for ((job, outcome), &(a, reach)) in jobs.iter().zip(outcomes).zip(&pending) {
                match outcome {
                    Measured::Nothing => {}
                    // Unless the rest fits this frame (the later frames then stay empty).
                    Measured::Fits if job.end < Cut::end(&plan.articles[a].blocks) => {
                        again.push((a, reach * 4.0))
                    }
                    Measured::Fits => {}
                    Measured::Full { lines, next } => self.cut(job, lines, next)?,
                    Measured::Probed { .. } => unreachable!("splits measure no probes"),
                }
            }
            pending = again;
        }
        Ok(())
    }

    /// The job that sets article `a` from its cut before `slot` in that slot's frame, about
    /// `reach` times what the frame holds.
    fn job(&self, a: usize, slot: usize, reach: f64) -> MeasureJob {
        let (layout, plan) = (self.ctx.layout, self.ctx.plan);
        let frame = plan.frame(a, slot);
        let column = frame.column_width;
        let lines = f64::from(frame.lines) * f64::from(frame.columns) * reach;
        let start = self.splits.bounds[a][slot];
        let end = start.advance_lines(&plan.articles[a].blocks, column / layout.body_size(), lines);
        MeasureJob { article: a, slot, start, end, probe_height: None, bare: false }
    }

    /// What each job shows, from the memo or from measuring compiles of those it lacks: two at
    /// once, in a sibling world on the other core, when there is enough text to share.
    fn measure(&mut self, jobs: &[MeasureJob]) -> Result<Vec<Measured>> {
        let ctx = self.ctx;
        let keys: Vec<u128> =
            jobs.iter().map(|job| generate::measure_fingerprint(ctx, self.context, job)).collect();
        let mut outcomes: Vec<Option<Measured>> = {
            let memo = self.memo.lock().expect("the memo is never left half-written");
            keys.iter().map(|&key| memo.get(key)).collect()
        };
        let unknown: Vec<usize> = (0..jobs.len()).filter(|&j| outcomes[j].is_none()).collect();
        let (first, second) = halves(ctx, jobs, &unknown);
        let today = self.today;
        let measured = if first.is_empty() {
            Vec::new()
        } else if second.is_empty() {
            measure_in(self.world, ctx, today, jobs, &first)?
        } else {
            let mut sibling = self.world.sibling();
            let (a, b) = rayon::join(
                || measure_in(self.world, ctx, today, jobs, &first),
                || measure_in(&mut sibling, ctx, today, jobs, &second),
            );
            a?.into_iter().chain(b?).collect()
        };
        self.splits.compiles += usize::from(!first.is_empty()) + usize::from(!second.is_empty());
        let mut memo = self.memo.lock().expect("the memo is never left half-written");
        for (j, outcome) in first.iter().chain(&second).zip(measured) {
            memo.insert(keys[*j], outcome.clone());
            outcomes[*j] = Some(outcome);
        }
        Ok(outcomes.into_iter().map(|o| o.expect("every job is measured")).collect())
    }

    /// Cuts the job's article where its filled frame ends; the later parts start empty.
    fn cut(&mut self, job: &MeasureJob, lines: Vec<Cut>, next: Cut) -> Result<()> {
        let (a, slot) = (job.article, job.slot);
        let article = &self.ctx.plan.articles[a];
        let cut = choose(&lines, next, article, self.ctx.layout.spec.continuation.avoid_lone_lines);
        let bounds = &mut self.splits.bounds[a];
        if cut <= bounds[slot] {
            return Err(Diagnostic::new(format!(
                "article `{}`: its frame on page {} is too small to hold any text and its jump line",
                article.id(),
                self.ctx.plan.page_number(a, slot)
            ))
            .into());
        }
        bounds[slot + 1] = cut;
        for later in &mut bounds[slot + 2..] {
            *later = Cut::end(&article.blocks);
        }
        self.splits.lines.insert((a, slot), lines);
        Ok(())
    }
}

/// How much work one measuring compile must have before a second, beside it, pays for its own
/// pages, in characters set.
const SHARED_CHARS: usize = 4000;

/// What setting one job's frame costs besides its text, in characters set: its headline,
/// picture and page take about as long as 400 characters of body (a probe of a head and a
/// line takes some 4 ms, body sets at some 100 characters a millisecond).
const FRAME_CHARS: usize = 400;

/// The jobs `unknown` (indices into `jobs`) in two shares of about equal work (their text and
/// their frames), in order; the second is empty when there is too little to share.
fn halves(ctx: &Context, jobs: &[MeasureJob], unknown: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let work = |j: &usize| {
        let (job, blocks) = (&jobs[*j], &ctx.plan.articles[jobs[*j].article].blocks);
        job.end.char_index(blocks).saturating_sub(job.start.char_index(blocks)) + FRAME_CHARS
    };
    let total: usize = unknown.iter().map(work).sum();
    if total < 2 * SHARED_CHARS || unknown.len() < 2 {
        return (unknown.to_vec(), Vec::new());
    }
    let mut set = 0;
    let cut = unknown
        .iter()
        .position(|j| {
            set += work(j);
            2 * set >= total
        })
        .map_or(unknown.len(), |i| (i + 1).min(unknown.len() - 1));
    (unknown[..cut].to_vec(), unknown[cut..].to_vec())
}

/// Sets the jobs `which` (indices into `jobs`) in one measuring compile in `world`, and reads
/// what each shows.
fn measure_in(
    world: &mut NewsWorld,
    ctx: &Context,
    today: Option<Datetime>,
    jobs: &[MeasureJob],
    which: &[usize],
) -> Result<Vec<Measured>> {
    let set: Vec<MeasureJob> = which.iter().map(|&j| jobs[j]).collect();
    let generated = generate::generate_measure(ctx, &set);
    world.load(&generated, today);
    let (document, _) = compile(world, &ctx.layout.template_path)?;
    let reader = Reader { world, map: &generated.map, plan: ctx.plan };
    let glyphs = reader.glyphs(&document, &mut Vec::new());
    let runs = by_article(&glyphs);
    Ok(set
        .iter()
        .map(|job| {
            let glyphs = runs.get(&job.article);
            if job.probe_height.is_some() { probed(glyphs, ctx, job) } else { measured(glyphs, ctx, job) }
        })
        .collect())
}

/// What a job's frame shows: the first cut of each body line inside the frame, in reading
/// order (column by column), and the first cut of the text that ran on below it.
fn measured(glyphs: Option<&Vec<&Glyph>>, ctx: &Context, job: &MeasureJob) -> Measured {
    let Some(glyphs) = glyphs else { return Measured::Nothing };
    let frame = ctx.plan.frame(job.article, job.slot);
    let (x, y) = ctx.layout.type_origin();
    let (left, bottom) = (x + frame.x, y + frame.y + frame.height);
    // The line verification draws between a frame's text and its overflow.
    let (inside, below): (Vec<&Glyph>, Vec<&Glyph>) =
        glyphs.iter().partition(|g| g.baseline <= bottom + EPSILON);
    let mut lines: BTreeMap<(u32, i64), Cut> = BTreeMap::new();
    for glyph in inside {
        let Some(cut) = glyph.cut() else { continue };
        let (column, _) = frame.column_at(left, glyph.x);
        lines.entry((column, glyph.line_key())).and_modify(|c| *c = (*c).min(cut)).or_insert(cut);
    }
    // What ran on below is body text, or only what closes the article (its byline or
    // signature): then the frame is full all the same, and the text's end is what follows.
    let next = below.iter().filter_map(|g| g.cut()).min();
    let closing = || (!below.is_empty()).then(|| Cut::end(&ctx.plan.articles[job.article].blocks));
    match next.or_else(closing) {
        Some(next) => Measured::Full { lines: lines.into_values().collect(), next },
        None => Measured::Fits,
    }
}

/// What a probe's frame shows: the lines above the body, the body's lines in the first text
/// column, and where each body line starts.
fn probed(glyphs: Option<&Vec<&Glyph>>, ctx: &Context, job: &MeasureJob) -> Measured {
    let Some(glyphs) = glyphs else { return Measured::Nothing };
    let (layout, article) = (ctx.layout, &ctx.plan.articles[job.article]);
    let top = layout.type_origin().1 + ctx.plan.frame(job.article, job.slot).y;
    let pitch = layout.spec.grid.line_pitch_pt;
    let ascent = layout.spec.grid.ascent_em;
    let column: Vec<&&Glyph> = glyphs.iter().filter(|g| article.in_column(g.origin.field)).collect();
    let Some(head) = column
        .iter()
        .map(|g| ((g.baseline - ascent * g.size - top) / pitch + EPSILON).floor())
        .reduce(f64::min)
    else {
        return Measured::Nothing;
    };
    let end = column
        .iter()
        .map(|g| ((g.baseline + (1.0 - ascent) * g.size - top) / pitch - EPSILON).ceil())
        .fold(head, f64::max);
    let mut starts: BTreeMap<u32, Cut> = BTreeMap::new();
    for glyph in column.iter() {
        let Some(cut) = glyph.cut() else { continue };
        let line = ((glyph.baseline - ascent * glyph.size - top) / pitch + EPSILON).floor().max(0.0) as u32;
        starts.entry(line).and_modify(|c| *c = (*c).min(cut)).or_insert(cut);
    }
    let head = head.max(0.0) as u32;
    Measured::Probed(Column {
        head,
        lines: (end as u32).saturating_sub(head),
        starts: starts.into_iter().collect(),
        one_line_head: one_line_head(glyphs, ctx.plan.frame(job.article, job.slot).title_size),
    })
}

/// Whether the headline's kicker, title and subtitle glyphs each stand on one baseline, the
/// title's at `title_size` (not shrunk to fit).
fn one_line_head(glyphs: &[&Glyph], title_size: f64) -> bool {
    [Field::Kicker, Field::Title, Field::Subtitle].into_iter().all(|field| {
        let mut set = glyphs.iter().filter(|g| g.origin.field == field);
        let Some(first) = set.next() else { return true };
        let full = |g: &Glyph| field != Field::Title || (g.size - title_size).abs() < EPSILON;
        full(first) && set.all(|g| (g.baseline - first.baseline).abs() < EPSILON && full(g))
    })
}

/// Each article's glyphs (a measuring program sets one stretch per article).
fn by_article<'a>(glyphs: &'a [Glyph<'a>]) -> HashMap<usize, Vec<&'a Glyph<'a>>> {
    let mut articles: HashMap<usize, Vec<&Glyph>> = HashMap::new();
    for glyph in glyphs {
        articles.entry(glyph.origin.article).or_default().push(glyph);
    }
    articles
}

/// Picks the cut that ends a part: the start of the frame's last body line (its place goes to
/// the jump line), moved back so that a subhead does not end the part and, with
/// `avoid_lone`, the next part does not open with a paragraph's last line alone.
fn choose(lines: &[Cut], next: Cut, article: &PlannedArticle, avoid_lone: bool) -> Cut {
    choose_by_kind(lines, next, &article.kinds(), avoid_lone)
}

/// [`choose`] over the kinds of the article's blocks.
fn choose_by_kind(lines: &[Cut], next: Cut, kinds: &[BlockKind], avoid_lone: bool) -> Cut {
    let Some(mut i) = lines.len().checked_sub(1) else { return next };
    let kind = |c: Cut| kinds.get(c.block).copied();
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

/// Where article `a`'s balanced last frame, set with column starts `starts`, first broke from
/// them: the planned start of the first text column whose first line on the page begins
/// elsewhere (the part before it, cut inside a paragraph, set a line more than its probe).
pub fn misplaced_start(glyphs: &[Glyph], ctx: &Context, a: usize, starts: &[Cut]) -> Option<Cut> {
    let slot = ctx.plan.articles[a].frames.len().checked_sub(1)?;
    // Each text column's first body glyph, by its line and then its cut.
    let mut firsts: BTreeMap<u32, (i64, Cut)> = BTreeMap::new();
    for g in glyphs.iter().filter(|g| g.origin.article == a && g.origin.slot == slot) {
        let Some(cut) = g.cut() else { continue };
        let first = firsts.entry(g.column(ctx.plan, ctx.layout)).or_insert((g.line_key(), cut));
        *first = (*first).min((g.line_key(), cut));
    }
    let found = |c: usize| firsts.get(&(c as u32 + 1)).map(|&(_, cut)| cut);
    (0..starts.len()).find(|&c| found(c) != Some(starts[c])).map(|c| starts[c])
}

/// Column starts for article `a`'s balanced last frame dealt again from its `column` probe
/// (see [`Fits::probes`]), no column starting at a `barred` cut; `None` when flowing serves as
/// well — it leaves the last column less than the layout's `hole-lines` short — or the deal no
/// longer fits.
pub fn rebalanced(column: &Column, ctx: &Context, a: usize, barred: &[Cut]) -> Option<Vec<Cut>> {
    let article = &ctx.plan.articles[a];
    let frame = ctx.plan.frame(a, article.frames.len().checked_sub(1)?);
    let room = frame.columns * frame.lines.saturating_sub(column.head);
    if room.saturating_sub(column.lines) < ctx.layout.spec.grid.hole_lines.max(1) {
        return None;
    }
    let balanced = column.balanced_barring(&article.kinds(), frame.columns, barred);
    (column.head + balanced.lines <= frame.lines && !balanced.cuts.is_empty()).then_some(balanced.cuts)
}

/// Moves a split back by one measured line; `None` when it cannot move without leaving the
/// part (which starts at `start`) empty.
fn line_before(lines: &LineStarts, article: usize, slot: usize, start: Cut, cut: Cut) -> Option<Cut> {
    let measured = lines.get(&(article, slot))?;
    measured.iter().rev().find(|&&c| c < cut).copied().filter(|&c| c > start)
}

/// The bounds to set the pages with after `overflows`: a part that ran past a frame that is
/// not its article's last gives its last line to the next part (the measured line breaks
/// moved when the part was cut); the overset past an article's last frame is cut off when
/// `allow_overset`. Equal to `bounds` when nothing can move.
pub fn moved(bounds: &Bounds, lines: &LineStarts, overflows: &[Overflow], allow_overset: bool) -> Bounds {
    let mut moved = bounds.clone();
    for over in overflows {
        let (a, slot) = (over.article, over.slot);
        let last = slot + 2 == bounds[a].len();
        let cut = if last {
            allow_overset.then_some(over.first).flatten()
        } else {
            line_before(lines, a, slot, bounds[a][slot], bounds[a][slot + 1])
        };
        if let Some(cut) = cut {
            moved[a][slot + 1] = cut;
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockKind::{Para, Subhead};

    fn at(block: usize, offset: usize) -> Cut {
        Cut { block, run: 0, offset }
    }

    /// A column of `starts` (line, cut) under no head, as long as its last line.
    fn column(starts: &[(u32, Cut)]) -> Column {
        let lines = starts.last().map_or(0, |s| s.0 + 1);
        Column { head: 0, lines, starts: starts.to_vec(), one_line_head: true }
    }

    /// `lines` lines of paragraph 0, nine bytes each.
    fn paragraph(lines: u32) -> Column {
        let starts: Vec<(u32, Cut)> = (0..lines).map(|l| (l, at(0, 9 * l as usize))).collect();
        column(&starts)
    }

    #[test]
    fn balanced_columns_deal_the_lines_evenly() {
        assert_eq!(
            paragraph(6).balanced(&[Para], 3),
            Balanced { lines: 2, cuts: vec![at(0, 18), at(0, 36)] }
        );
        // Seven lines over three columns: 3, 2, 2.
        assert_eq!(
            paragraph(7).balanced(&[Para], 3),
            Balanced { lines: 3, cuts: vec![at(0, 27), at(0, 45)] }
        );
        assert_eq!(paragraph(7).shortest(&paragraph(7).balanced(&[Para], 3), 3), 2);
        // Two lines over three columns leave one empty.
        assert_eq!(paragraph(2).shortest(&paragraph(2).balanced(&[Para], 3), 3), 0);
    }

    #[test]
    fn a_barred_column_start_moves_a_line_earlier() {
        // Six lines of paragraph 0 over two columns start column two at its fourth line. With
        // that start barred (the part before it set a line more on the page) column two would
        // start at the third and be taller than column one, so the deal grows: the fifth.
        assert_eq!(paragraph(6).balanced(&[Para], 2).cuts, vec![at(0, 27)]);
        let barred = paragraph(6).balanced_barring(&[Para], 2, &[at(0, 27)]);
        assert_eq!(barred, Balanced { lines: 4, cuts: vec![at(0, 36)] });
        // Seven lines deal 4 and 3; barred at the fifth, column two starts at the fourth.
        let barred = paragraph(7).balanced_barring(&[Para], 2, &[at(0, 36)]);
        assert_eq!(barred, Balanced { lines: 4, cuts: vec![at(0, 27)] });
        // Barring the only start the first column could end at leaves no deal but one column.
        assert_eq!(paragraph(2).balanced_barring(&[Para], 2, &[at(0, 9)]).cuts, vec![]);
    }

    #[test]
    fn a_subhead_never_ends_a_balanced_column_and_the_columns_grow_to_hold_it() {
        // Two lines of paragraph 0, subhead 1, four lines of paragraph 2: an even deal (3, 3)
        // would end column one with the subhead, and moving it over leaves four lines for
        // column two; columns of four hold it all.
        let starts =
            [(0, at(0, 0)), (1, at(0, 9)), (2, at(1, 0)), (3, at(2, 0)), (4, at(2, 9)), (5, at(2, 18))];
        let balanced = column(&starts).balanced(&[Para, Subhead, Para], 2);
        assert_eq!(balanced, Balanced { lines: 4, cuts: vec![at(2, 9)] });
        // Column one holds four lines (paragraph 0, the subhead and a line), column two two.
        assert_eq!(column(&starts).shortest(&balanced, 2), 2);
        // A subhead heading the only paragraph cannot leave its column: one column holds both.
        let headed = column(&[(0, at(0, 0)), (1, at(1, 0))]);
        assert_eq!(headed.balanced(&[Subhead, Para], 2), Balanced { lines: 2, cuts: vec![] });
    }

    #[test]
    fn flowing_columns_hold_what_balanced_ones_cannot() {
        // Paragraph 0 (two lines), subhead 1, paragraph 2 (three lines) in two columns: in a
        // frame four lines tall column one takes four lines and column two the last two.
        let starts =
            [(0, at(0, 0)), (1, at(0, 9)), (2, at(1, 0)), (3, at(2, 0)), (4, at(2, 9)), (5, at(2, 18))];
        let kinds = [Para, Subhead, Para];
        let flat = column(&starts);
        assert!(flat.flows(&kinds, 2, 4));
        // Three lines tall, the subhead may not end column one: with it column two needs four.
        assert!(!flat.flows(&kinds, 2, 3));
        // A head of one line takes a line of every column.
        let below: Vec<(u32, Cut)> = starts.iter().map(|&(l, c)| (l + 1, c)).collect();
        let headed = Column { head: 1, lines: 6, starts: below, one_line_head: true };
        assert!(!headed.flows(&kinds, 2, 4));
        assert!(headed.flows(&kinds, 2, 5));
        // No room under the head: nothing flows.
        assert!(!paragraph(1).flows(&[Para], 2, 0));
    }

    #[test]
    fn a_part_ends_before_its_frames_last_line() {
        // Three lines of one paragraph; the jump line takes the frame's last line.
        let lines = [at(0, 0), at(0, 30), at(0, 60)];
        assert_eq!(choose_by_kind(&lines, at(0, 90), &[Para], false), at(0, 60));
        // Nothing measured: the cut is where the overflow starts.
        assert_eq!(choose_by_kind(&[], at(0, 12), &[Para], false), at(0, 12));
    }

    #[test]
    fn a_subhead_never_ends_a_part() {
        // Paragraph 0, subhead 1, paragraph 2 starting on the last line.
        let lines = [at(0, 0), at(0, 30), at(1, 0), at(2, 0)];
        let kinds = [Para, Subhead, Para];
        assert_eq!(choose_by_kind(&lines, at(2, 30), &kinds, false), at(1, 0));
    }

    #[test]
    fn a_paragraphs_last_line_does_not_open_the_next_part_alone() {
        // The line at the cut is the last of paragraph 0, which started two lines above.
        let lines = [at(0, 0), at(0, 30), at(0, 60)];
        let next = at(1, 0);
        assert_eq!(choose_by_kind(&lines, next, &[Para, Para], false), at(0, 60));
        assert_eq!(choose_by_kind(&lines, next, &[Para, Para], true), at(0, 30));
        // A one-line paragraph is not a lone last line.
        let short = [at(0, 0), at(1, 0)];
        assert_eq!(choose_by_kind(&short, at(2, 0), &[Para, Para, Para], true), at(1, 0));
    }

    #[test]
    fn a_cut_moves_back_one_measured_line_but_never_empties_its_part() {
        let mut lines = LineStarts::new();
        lines.insert((0, 0), vec![at(0, 0), at(0, 30), at(0, 60)]);
        assert_eq!(line_before(&lines, 0, 0, at(0, 0), at(0, 60)), Some(at(0, 30)));
        assert_eq!(line_before(&lines, 0, 0, at(0, 0), at(0, 30)), None);
        assert_eq!(line_before(&lines, 1, 0, at(0, 0), at(0, 30)), None);
    }

    #[test]
    fn overflows_move_cuts_back_or_cut_off_overset() {
        let mut lines = LineStarts::new();
        lines.insert((0, 0), vec![at(0, 0), at(0, 30), at(0, 60)]);
        let end = at(5, 0);
        let bounds: Bounds = vec![vec![at(0, 0), at(0, 60), end]];
        let over = |slot, first| Overflow { article: 0, slot, amount: Amount { lines: 1, chars: 3 }, first };
        // A middle frame ran over: its last line goes on.
        assert_eq!(moved(&bounds, &lines, &[over(0, Some(at(0, 60)))], false)[0][1], at(0, 30));
        // The last frame ran over: cut off only when allowed.
        let overset = [over(1, Some(at(3, 0)))];
        assert_eq!(moved(&bounds, &lines, &overset, false), bounds);
        assert_eq!(moved(&bounds, &lines, &overset, true)[0][2], at(3, 0));
    }
}
