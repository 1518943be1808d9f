//! Composition (自动组版): pages that list their articles instead of frames get a rectangle for
//! every article, the page tiled completely, from what each article needs at each span.
//!
//! Pages are composed in page order. For each, the free rectangle the page's fixed frames
//! leave is the *region*; the page's articles (in priority order) and the rests of articles
//! that jumped to it from earlier pages are its *items*. Their needs are measured
//! ([`needs`]), the region tiled ([`tiling`]), and the frames written into the issue, which then
//! builds like any other: the composer's output is an ordinary issue a desk can edit.
//!
//! An article that may jump (`continue-to`) can be cut to fill its page; the rest becomes an
//! item of the page it jumps to, measured after the cut.
//!
//! Where a page's items leave a hole however they are tiled, or more of it empty than the
//! layout's `fill-percent` allows, *fillers* (补白: short items the issue lists on no page) are
//! tried as the page's last item (else after any item but the lead), one at a time, the one
//! that leaves the fewest column lines in holes, then empty beyond the allowance, first, while
//! one leaves fewer; fillers no page takes are left out of the composed issue. A page still
//! emptier than the allowance is tiled again with its empty column lines weighing more, and
//! keeps that tiling when it is fuller.

mod needs;
mod refusal;
pub mod tiling;
mod write;

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::Serialize;

pub use needs::Measurer;
use needs::{Needs, Subject};
use tiling::{Item, Need, Placed, Region, Rules, Weights};
pub use write::write;

use crate::error::Result;
use crate::issue::{Frame, FrameLine, FrameLines, HeadlineKind, Issue, IssueFile, KeyPath};
use crate::layout::Layout;

/// Lines to add to (or take from) an item's measured need, by (article, slot): what a build of
/// the composed issue showed the measuring lacked or left over, when its balanced columns
/// broke differently from the single column it was measured in. By (article, slot, span):
/// another width breaks its lines differently again.
pub type Bumps = HashMap<(usize, usize, u32), i32>;

/// The composed issue, and what composing each page found.
#[derive(Debug, Clone)]
pub struct Composition {
    /// The issue with every composed frame written out and no page listing articles.
    pub issue: Issue,
    pub pages: Vec<ComposedPage>,
    /// The frames the composer added: page index and frame.
    pub frames: Vec<(usize, Frame)>,
    /// The lines each composed part was meant to leave free, by (article, slot): what the
    /// page could not fill, not a measuring error.
    pub free: HashMap<(usize, usize), u32>,
    /// The tracking copy-fit starts from, in em, by article: where the article's needs
    /// measured at no tracking and at the `[fit]` bound put the lines its last rectangle
    /// gives it. Copy-fit goes on from there, a build per step, instead of from none.
    pub tracking: HashMap<usize, f64>,
    /// The index in the issue of each article of the composed issue, which leaves out the
    /// fillers no page took (`free` and `tracking` count in the composed issue's articles).
    pub articles: Vec<usize>,
    /// The fillers no page took, by id.
    pub left_out: Vec<String>,
}

/// One composed page: its score, and the rules it had to give up.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ComposedPage {
    pub number: u32,
    pub score: i64,
    /// Grid lines left free under the shortest text column of each composed frame, summed.
    pub free_lines: u32,
    /// Grid lines left empty across the composed region's foot, where its articles could not
    /// fill it.
    pub foot_lines: u32,
    pub gave_up: Vec<String>,
}

/// Whether any page of `issue` is to be composed.
pub fn wanted(issue: &Issue) -> bool {
    issue.pages.iter().any(|p| !p.articles.is_empty())
}

/// Composes every page that lists articles.
pub fn compose(
    measurer: &mut Measurer,
    file: &IssueFile,
    layout: &Layout,
    bumps: &Bumps,
) -> Result<Composition> {
    let mut composer = Composer::new(file, layout)?;
    let mut order: Vec<usize> =
        (0..file.issue.pages.len()).filter(|&p| !file.issue.pages[p].articles.is_empty()).collect();
    order.sort_by_key(|&p| file.issue.pages[p].number);
    for page in order {
        composer.page(measurer, page, bumps)?;
    }
    for page in &mut composer.issue.pages {
        page.articles.clear();
    }
    let (articles, left_out) = composer.leave_out_fillers();
    Ok(Composition {
        issue: composer.issue,
        pages: composer.pages,
        frames: composer.frames,
        free: composer.free,
        tracking: composer.tracking,
        articles,
        left_out,
    })
}

/// A page's items and their best tiling: without a hole when one exists, else the best with
/// holes; `None` when none fills the page.
struct Tiled {
    subjects: Vec<Subject>,
    needs: Vec<Needs>,
    items: Vec<Item>,
    found: Option<(i64, Vec<Placed>)>,
}

impl Tiled {
    /// The column lines the tiling leaves in holes: free lines of frames that keep `hole`
    /// lines or more free, by their columns.
    fn hole_lines(&self, hole: u32) -> u32 {
        let placed = self.found.iter().flat_map(|(_, placed)| placed);
        placed.filter(|pl| pl.free >= hole).map(|pl| pl.free * pl.span).sum()
    }

    /// The column lines the tiling's frames leave empty.
    fn empty_lines(&self) -> u32 {
        self.found.iter().flat_map(|(_, placed)| placed).map(|pl| pl.empty).sum()
    }

    /// What a filler must lessen: the column lines in holes, then the empty ones beyond
    /// `allowed`.
    fn shortfall(&self, (hole, allowed): (u32, u32)) -> (u32, u32) {
        (self.hole_lines(hole), self.empty_lines().saturating_sub(allowed))
    }

    fn score(&self) -> i64 {
        self.found.as_ref().map_or(i64::MIN, |(score, _)| *score)
    }
}

/// `lines` moved by `bump`, keeping a line.
fn bumped(lines: u32, bump: i32) -> u32 {
    lines.saturating_add_signed(bump).max(1)
}

/// The rest of an article cut on an earlier page, waiting for the page it jumps to.
#[derive(Debug, Clone, Copy)]
struct Rest {
    article: usize,
    /// Its first part's span and lines, and the picture's lines there.
    span: u32,
    lines: u32,
    picture_lines: Option<u32>,
    rank: u32,
}

/// The composition under way.
struct Composer<'a> {
    file: &'a IssueFile,
    layout: &'a Layout,
    issue: Issue,
    ids: HashMap<&'a str, usize>,
    /// Rests by the page number they jump to.
    rests: HashMap<u32, Vec<Rest>>,
    pages: Vec<ComposedPage>,
    frames: Vec<(usize, Frame)>,
    free: HashMap<(usize, usize), u32>,
    tracking: HashMap<usize, f64>,
    /// The fillers no page has taken yet, in the issue's order.
    fillers: Vec<usize>,
}

impl<'a> Composer<'a> {
    /// Checks the composed pages' lists and hints: every id an article, each listed once and
    /// placed in no frame, every `continue-to` a later composed page.
    fn new(file: &'a IssueFile, layout: &'a Layout) -> Result<Self> {
        let issue = &file.issue;
        let ids: HashMap<&str, usize> =
            issue.articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
        let mut errors = Vec::new();
        let mut listed: HashMap<usize, u32> = HashMap::new();
        for (p, page) in issue.pages.iter().enumerate() {
            for (k, id) in page.articles.iter().enumerate() {
                let key = KeyPath::default().key("pages").index(p).key("articles").index(k);
                let Some(&a) = ids.get(id.as_str()) else {
                    errors.push(file.diagnostic(&key, format!("no article has the id `{id}`")));
                    continue;
                };
                if listed.insert(a, page.number).is_some() {
                    errors.push(
                        file.diagnostic(&key, format!("article `{id}` is listed on more than one page")),
                    );
                }
                if issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.article == *id) {
                    errors.push(file.diagnostic(
                        &key,
                        format!("article `{id}` is listed for composing and placed in a frame"),
                    ));
                }
            }
        }
        for (a, article) in issue.articles.iter().enumerate() {
            let key = KeyPath::default().key("articles").index(a);
            if let Some(to) = article.continue_to {
                let composed = issue.pages.iter().any(|p| p.number == to && !p.articles.is_empty());
                let later = listed.get(&a).is_some_and(|&from| to > from);
                if !composed || !later {
                    let message =
                        format!("`continue-to = {to}` must name a later page that lists articles to compose");
                    errors.push(file.diagnostic(&key.clone().key("continue-to"), message));
                }
            }
            if let Some((least, most)) = article.span.map(|s| s.bounds())
                && (least == 0 || most > layout.spec.grid.columns)
            {
                let message = format!("`span` must lie within 1–{} grid columns", layout.spec.grid.columns);
                errors.push(file.diagnostic(&key.key("span"), message));
            }
        }
        if !errors.is_empty() {
            return Err(crate::error::Error::Invalid(errors));
        }
        let placed = |id: &str| issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.article == id);
        let fillers = (0..issue.articles.len())
            .filter(|&a| {
                issue.articles[a].filler && !listed.contains_key(&a) && !placed(&issue.articles[a].id)
            })
            .collect();
        let issue = issue.clone();
        Ok(Composer {
            file,
            layout,
            issue,
            ids,
            rests: HashMap::new(),
            pages: Vec::new(),
            frames: Vec::new(),
            free: HashMap::new(),
            tracking: HashMap::new(),
            fillers,
        })
    }

    /// Composes page `p`: its region, its items' needs, the best tiling (with the fillers
    /// that close its holes or fill it to `fill-percent`), its frames.
    fn page(&mut self, measurer: &mut Measurer, p: usize, bumps: &Bumps) -> Result<()> {
        let page = &self.file.issue.pages[p];
        let region = self.region(p)?;
        let rests = self.rests.remove(&page.number).unwrap_or_default();
        let subjects = self.subjects(p, region, &rests);
        let mut tiled = self.tile(measurer, region, subjects, bumps)?;
        let limits = (self.hole(), self.allowed_empty(region));
        while tiled.shortfall(limits) > (0, 0) {
            match self.fill(measurer, (region, limits), &tiled, bumps)? {
                Some(filled) => tiled = filled,
                None => break,
            }
        }
        if tiled.shortfall(limits) > (0, 0)
            && let Some(fuller) = self.fuller(region, limits, &tiled, bumps)
        {
            tiled = fuller;
        }
        let mut foot_lines = 0;
        if tiled.hole_lines(self.hole()) > 0
            && let Some((lines, shorter)) = self.shorter(region, &tiled, bumps)
        {
            (foot_lines, tiled) = (region.lines - lines, shorter);
        }
        let mut gave_up = Vec::new();
        if foot_lines > 0 {
            gave_up.push(format!(
                "its articles fill {} of its {} lines: the {} columns × {foot_lines} lines at its foot are left empty; add a brief or a filler (补白) that long, or give a picture a `min-lines`/`max-lines` range",
                region.lines - foot_lines,
                region.lines,
                region.columns
            ));
        } else if tiled.hole_lines(self.hole()) > 0 {
            let short: u32 =
                tiled.found.iter().flat_map(|(_, placed)| placed).map(|pl| pl.free * pl.span).sum();
            gave_up.push(format!(
                "no tiling without a hole: its frames keep {short} column lines free; add a brief or a filler (补白), or give a picture a `min-lines`/`max-lines` range"
            ));
        }
        let Tiled { subjects, needs, items, found } = tiled;
        let Some((score, placed)) = found else {
            return Err(self.impossible(p, region, &subjects, &items).into());
        };
        if tiling::clashes(&items, &placed) {
            gave_up
                .push("no tiling without 撞题: two titles stand side by side at the same height".to_string());
        }
        let free_lines = placed.iter().map(|pl| pl.free).sum();
        for pl in &placed {
            let variant = if pl.boxed { &needs[pl.item].boxed } else { &needs[pl.item].plain };
            if let Some(need) = variant.get(pl.span as usize - 1).copied().flatten() {
                self.start_tracking(subjects[pl.item].article, &need, pl);
            }
            self.place(p, &subjects[pl.item], pl);
        }
        self.pages.push(ComposedPage { number: page.number, score, free_lines, foot_lines, gave_up });
        Ok(())
    }

    /// Measures `subjects` and tiles `region` with them.
    fn tile(
        &self,
        measurer: &mut Measurer,
        region: Region,
        subjects: Vec<Subject>,
        bumps: &Bumps,
    ) -> Result<Tiled> {
        let needs = needs::measure(measurer, self.file, self.layout, &subjects)?;
        Ok(self.tiled(region, subjects, needs, bumps))
    }

    /// Tiles `region` with `subjects`, measured as `needs`.
    fn tiled(&self, region: Region, subjects: Vec<Subject>, needs: Vec<Needs>, bumps: &Bumps) -> Tiled {
        self.tiled_by(self.weights(), region, subjects, needs, bumps)
    }

    /// `tiled`'s items tiled again with the empty column lines weighing 2, 4, then 8 times as
    /// much, when the best tiling leaves more empty than `fill-percent` allows: the first that
    /// lessens its shortfall against `limits`. The layout's fill is a target the score's
    /// other terms (a wider lead, fewer boxes) should not outweigh.
    fn fuller(&self, region: Region, limits: (u32, u32), tiled: &Tiled, bumps: &Bumps) -> Option<Tiled> {
        let weights = self.weights();
        [2, 4, 8].into_iter().find_map(|times| {
            let weights = Weights { free_line: weights.free_line * times, ..weights };
            let trial = self.tiled_by(weights, region, tiled.subjects.clone(), tiled.needs.clone(), bumps);
            (trial.found.is_some() && trial.shortfall(limits) < tiled.shortfall(limits)).then_some(trial)
        })
    }

    /// The tallest part of `region` above whole lines at its foot that `tiled`'s items tile
    /// without a hole, with its lines, when the region itself has none: what a page's articles
    /// cannot fill is then one rectangle across its foot, where a filler or an advertisement
    /// can go, not free lines inside their frames. Only a band no larger than `tiled`'s holes
    /// (a 1 × 2 hole is better than a line across the page).
    fn shorter(&self, region: Region, tiled: &Tiled, bumps: &Bumps) -> Option<(u32, Tiled)> {
        let band = tiled.hole_lines(self.hole()) / region.columns.max(1);
        (region.lines.saturating_sub(band).max(1)..region.lines).rev().find_map(|lines| {
            let shorter = Region { lines, ..region };
            let trial = self.tiled(shorter, tiled.subjects.clone(), tiled.needs.clone(), bumps);
            (trial.found.is_some() && trial.hole_lines(self.hole()) == 0).then_some((lines, trial))
        })
    }

    /// Tiles `region` with `subjects`, measured as `needs`, scored by `weights`.
    fn tiled_by(
        &self,
        weights: Weights,
        region: Region,
        subjects: Vec<Subject>,
        needs: Vec<Needs>,
        bumps: &Bumps,
    ) -> Tiled {
        let items = self.items(&subjects, &needs, bumps);
        let rules = |most_free| Rules { most_free, max_leg: self.max_leg(), weights };
        let found = tiling::tile(&items, region, &rules(self.hole() - 1))
            .or_else(|| tiling::tile(&items, region, &rules(region.lines)));
        Tiled { subjects, needs, items, found }
    }

    /// `tiled` with one more filler: the filler with the least shortfall against `limits`
    /// (column lines in holes, then empty beyond `fill-percent`; the best score among equals),
    /// when that is less than `tiled`'s; the filler is then taken from the pool. A filler goes
    /// last in reading order; where none helps there, it is tried after each item but the lead
    /// (a filler has no priority of its own, and a hole away from the page's last frame can
    /// take one only beside it). The fillers are measured together, once.
    fn fill(
        &mut self,
        measurer: &mut Measurer,
        (region, limits): (Region, (u32, u32)),
        tiled: &Tiled,
        bumps: &Bumps,
    ) -> Result<Option<Tiled>> {
        if self.fillers.is_empty() {
            return Ok(None);
        }
        let rank = tiled.subjects.iter().filter(|s| s.before.is_none()).count() as u32 + 1;
        let fillers: Vec<Subject> = self.fillers.iter().map(|&a| self.subject(a, rank, region)).collect();
        let measured = needs::measure(measurer, self.file, self.layout, &fillers)?;
        let last = tiled.subjects.len();
        let key = |t: &Tiled| (t.shortfall(limits), Reverse(t.score()));
        let mut best: Option<(usize, Tiled)> = None;
        for places in [last..last + 1, 1..last] {
            for (k, (filler, need)) in fillers.iter().zip(&measured).enumerate() {
                for at in places.clone() {
                    let (mut subjects, mut needs) = (tiled.subjects.clone(), tiled.needs.clone());
                    subjects.insert(at, filler.clone());
                    needs.insert(at, need.clone());
                    let trial = self.tiled(region, subjects, needs, bumps);
                    let bar =
                        best.as_ref().map_or((tiled.shortfall(limits), Reverse(i64::MAX)), |(_, b)| key(b));
                    if trial.found.is_some() && key(&trial) < bar {
                        best = Some((k, trial));
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        Ok(best.map(|(k, filled)| {
            self.fillers.remove(k);
            filled
        }))
    }

    /// Leaves the fillers no page took out of the composed issue and renumbers the rest;
    /// returns the issue's index of each article kept, and the ids left out.
    fn leave_out_fillers(&mut self) -> (Vec<usize>, Vec<String>) {
        let left_out = self.fillers.iter().map(|&a| self.issue.articles[a].id.clone()).collect();
        let kept: Vec<usize> = (0..self.issue.articles.len()).filter(|a| !self.fillers.contains(a)).collect();
        let index: HashMap<usize, usize> = kept.iter().enumerate().map(|(new, &old)| (old, new)).collect();
        self.issue.articles = kept.iter().map(|&a| self.issue.articles[a].clone()).collect();
        self.free =
            std::mem::take(&mut self.free).into_iter().map(|((a, slot), v)| ((index[&a], slot), v)).collect();
        self.tracking = std::mem::take(&mut self.tracking).into_iter().map(|(a, t)| (index[&a], t)).collect();
        (kept, left_out)
    }

    /// The fewest free lines of one column that make a hole.
    fn hole(&self) -> u32 {
        self.layout.spec.grid.hole_lines.max(1)
    }

    /// The column lines `region`'s frames may leave empty and still fill the layout's
    /// `fill-percent` of it.
    fn allowed_empty(&self, region: Region) -> u32 {
        let share = (100.0 - self.layout.spec.grid.fill_percent).clamp(0.0, 100.0) / 100.0;
        (f64::from(region.columns * region.lines) * share) as u32
    }

    /// The free rectangle of page `p`: the grid below the masthead (page 1), less the fixed
    /// frames and pictures, which must leave one rectangle.
    fn region(&self, p: usize) -> Result<Region> {
        let page = &self.file.issue.pages[p];
        let grid = &self.layout.spec.grid;
        let key = KeyPath::default().key("pages").index(p);
        let mut taken = vec![vec![false; grid.lines as usize]; grid.columns as usize];
        let masthead = if page.number == 1 { grid.masthead_lines } else { 0 };
        let fixed = page.frames.iter().filter(|f| !f.ear).map(|f| (f.column, f.span, f.line, f.lines));
        let pictures = page.pictures.iter().map(|f| (f.column, f.span, f.line, f.lines));
        for (column, span, line, lines) in fixed.chain(pictures) {
            let (FrameLine::At(line), FrameLines::Fixed(lines)) = (line, lines) else {
                let message = "on a page that composes articles, fixed frames and pictures need a numeric `line` and `lines`";
                return Err(self.file.diagnostic(&key, message).into());
            };
            for c in column.saturating_sub(1)..(column + span - 1).min(grid.columns) {
                for l in line.saturating_sub(1)..(line + lines - 1).min(grid.lines) {
                    taken[c as usize][l as usize] = true;
                }
            }
        }
        for column in &mut taken {
            column[..masthead as usize].fill(true);
        }
        let free = |c: u32, l: u32| !taken[c as usize][l as usize];
        let cells: Vec<(u32, u32)> = (0..grid.columns)
            .flat_map(|c| (0..grid.lines).map(move |l| (c, l)))
            .filter(|&(c, l)| free(c, l))
            .collect();
        let (Some(left), Some(right)) = (cells.iter().map(|c| c.0).min(), cells.iter().map(|c| c.0).max())
        else {
            return Err(self
                .file
                .diagnostic(&key, "the page's fixed frames leave no room to compose articles")
                .into());
        };
        let top = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let bottom = cells.iter().map(|c| c.1).max().unwrap_or(0);
        let region =
            Region { column: left + 1, line: top + 1, columns: right - left + 1, lines: bottom - top + 1 };
        if cells.len() as u32 != region.columns * region.lines {
            let message = "the page's fixed frames leave room that is not one rectangle: compose needs one \
                           (place fixed frames across the page's width, at its top or foot)";
            return Err(self.file.diagnostic(&key, message).into());
        }
        Ok(region)
    }

    /// What to measure for page `p`: its listed articles by priority, then the rests jumping
    /// to it.
    fn subjects(&self, p: usize, region: Region, rests: &[Rest]) -> Vec<Subject> {
        let page = &self.file.issue.pages[p];
        let mut subjects: Vec<Subject> = page
            .articles
            .iter()
            .enumerate()
            .map(|(k, id)| self.subject(self.ids[id.as_str()], k as u32 + 1, region))
            .collect();
        subjects.extend(rests.iter().map(|r| Subject {
            article: r.article,
            rank: r.rank,
            spans: self.spans(r.article, region),
            boxable: None,
            boxed: self.issue.articles[r.article].boxed,
            before: Some((r.span, r.lines)),
            picture_lines: r.picture_lines,
            fit: self.fit(r.article),
        }));
        subjects
    }

    /// Article `a`'s first part at `rank` on its page.
    fn subject(&self, a: usize, rank: u32, region: Region) -> Subject {
        let article = &self.file.issue.articles[a];
        Subject {
            article: a,
            rank,
            spans: self.spans(a, region),
            // A box keeps its title apart from those beside it, so it is never as wide as
            // the region.
            boxable: (rank > 1 && region.columns > 1).then_some(region.columns - 1),
            boxed: article.boxed,
            before: None,
            picture_lines: article
                .picture
                .as_ref()
                .map(|pic| pic.min_lines.unwrap_or(pic.lines).min(pic.lines)),
            fit: self.fit(a),
        }
    }

    /// The least and most grid columns article `a` may take in `region`.
    fn spans(&self, a: usize, region: Region) -> (u32, u32) {
        let article = &self.file.issue.articles[a];
        let (least, most) = article.span.map_or((1, region.columns), |s| s.bounds());
        // A 竖题 needs a column beside the text, a headline span its columns.
        let vertical = u32::from(article.headline == HeadlineKind::Vertical) + 1;
        let least = least.max(vertical).max(article.headline_span.unwrap_or(1)).clamp(1, region.columns);
        (least, most.clamp(least, region.columns))
    }

    /// The tiling's items: needs with the picture's stretch, the least lines of an article
    /// that may jump, the bumps, and weights by priority.
    fn items(&self, subjects: &[Subject], needs: &[Needs], bumps: &Bumps) -> Vec<Item> {
        let n = subjects.len() as i64;
        let comfort = self.weights().comfort_leg;
        subjects
            .iter()
            .zip(needs)
            .enumerate()
            .map(|(k, (s, needs))| {
                let article = &self.file.issue.articles[s.article];
                let slot = usize::from(s.before.is_some());
                // No margin: the needs are balanced as the build balances them, and a frame
                // whose text still runs over is composed again with the lines it lacked.
                let bump = |span: usize| bumps.get(&(s.article, slot, span as u32 + 1)).copied().unwrap_or(0);
                let picture = article.picture.as_ref().filter(|_| s.before.is_none());
                let (stretch, preferred) = picture.map_or((0, 0), |pic| {
                    let least = s.picture_lines.unwrap_or(pic.lines);
                    (pic.max_lines.unwrap_or(pic.lines).max(pic.lines) - least, pic.lines - least)
                });
                let jumps = article.continue_to.is_some() && s.before.is_none();
                // White may go around a horizontal headline or a rest's jump head.
                let space = match (s.before, article.headline) {
                    (None, HeadlineKind::Vertical) => 0,
                    _ => self.space_room(),
                };
                let adjust = |(span, need): (usize, &Option<Need>)| {
                    let bump = bump(span);
                    need.map(|need| {
                        // A bump moves the body's lines, never into the head above them.
                        let body = |lines: u32| bumped(lines, bump).max(need.head + 1);
                        Need {
                            lines: body(need.lines),
                            tight: body(need.tight),
                            loose: body(need.loose),
                            body: need.body.map(|b| bumped(b, bump * need.columns as i32)),
                            shortest: need.shortest.map(|l| l.saturating_add_signed(bump)),
                            stretch,
                            space,
                            least: jumps.then_some(need.head + (comfort / 3).max(6)),
                            ..need
                        }
                    })
                };
                // A rest, or a filler wherever it stands, weighs least.
                let weight = if s.before.is_some() || article.filler { 1 } else { n - k as i64 };
                Item {
                    weight,
                    plain: needs.plain.iter().enumerate().map(adjust).collect(),
                    boxed: needs.boxed.iter().enumerate().map(adjust).collect(),
                    preferred_stretch: preferred,
                    box_free: s.boxed || s.before.is_some(),
                }
            })
            .collect()
    }

    /// Writes one placed item into the issue: its frame, and on a first part its rank, box
    /// and picture; a cut part leaves its rest for the page it jumps to.
    fn place(&mut self, p: usize, subject: &Subject, placed: &Placed) {
        let a = subject.article;
        let frame = Frame {
            article: self.issue.articles[a].id.clone(),
            column: placed.column,
            span: placed.span,
            line: FrameLine::At(placed.line),
            lines: FrameLines::Fixed(placed.lines),
            columns: None,
            balance: !placed.continued,
            part: None,
            ear: false,
            head_space: placed.space,
        };
        self.issue.pages[p].frames.push(frame.clone());
        self.frames.push((p, frame));
        self.free.insert((a, usize::from(subject.before.is_some())), placed.free);
        let fit = self.fit(a);
        let article = &mut self.issue.articles[a];
        // Copy-fit closes what the measuring's single column and the balanced columns differ by.
        article.fit |= placed.tracked != 0 || fit;
        if subject.before.is_none() {
            article.rank = Some(subject.rank);
            article.boxed |= placed.boxed;
            if let (Some(picture), Some(least)) = (article.picture.as_mut(), subject.picture_lines) {
                picture.lines = least + placed.stretch;
            }
        }
        if placed.continued
            && let Some(to) = article.continue_to
        {
            let picture_lines = article.picture.as_ref().map(|pic| pic.lines);
            let rest = Rest {
                article: a,
                span: placed.span,
                lines: placed.lines,
                picture_lines,
                rank: subject.rank,
            };
            self.rests.entry(to).or_default().push(rest);
        }
    }

    /// Where copy-fit starts article `a` whose last part is `placed`: the tracking step that
    /// brings its measured `need` (no bump) nearest the lines the rectangle leaves
    /// its head and body, by linear interpolation between the needs at no tracking and at the
    /// bound (at the bound when it changes no line); a tightening rounds up (it must hold the
    /// text), a loosening down.
    fn start_tracking(&mut self, a: usize, need: &Need, placed: &Placed) {
        let room = placed.lines.saturating_sub(placed.stretch + placed.space);
        if placed.continued || !self.fit(a) || room == need.lines {
            return;
        }
        let bounds = &self.layout.spec.fit;
        let steps = f64::from(bounds.steps.max(1));
        // Where the bound gains or loses no line, copy-fit goes all the way to it: start there.
        let share = |gap: u32, range: u32| match range {
            0 => steps,
            _ => (f64::from(gap) / f64::from(range)).min(1.0) * steps,
        };
        let level = if room > need.lines {
            share(room - need.lines, need.loose - need.lines).floor()
        } else {
            -share(need.lines - room, need.lines - need.tight).ceil()
        };
        if level != 0.0 {
            self.tracking.insert(a, level * bounds.tracking_em / steps);
        }
    }

    /// Whether copy-fit may track article `a` to fill its rectangle: when the article or the
    /// layout's `[fit]` allows it for composed pages.
    fn fit(&self, a: usize) -> bool {
        self.file.issue.articles[a].fit || self.layout.spec.fit.compose
    }

    /// The most white the layout's `[fit]` lets a frame's head take.
    fn space_room(&self) -> u32 {
        self.layout.spec.fit.head_space_lines
    }

    /// The tallest leg the layout allows.
    fn max_leg(&self) -> Option<u32> {
        self.layout.spec.article.max_leg_lines
    }

    /// The score's weights: legs are comfortable from a third of the tallest allowed (or a
    /// tenth of the page's lines).
    fn weights(&self) -> Weights {
        let comfort_leg = self.max_leg().map_or(self.layout.spec.grid.lines / 10, |most| most / 3);
        Weights { comfort_leg, ..Weights::default() }
    }
}
