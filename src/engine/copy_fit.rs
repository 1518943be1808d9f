//! Copy-fit's progress (自动调整): what it has changed of each fitted article so far, and the
//! articles that are done.
//!
//! Copy-fit first *probes*, before any page is set: each round measures the last parts still
//! walking at one tracking level each (the way an auto frame is measured, memoised), going up
//! a step from a level whose columns hold the text (balanced, or else flowing from column to
//! column, as the pages set what balanced columns do not hold) and down from one that runs over,
//! within the `[fit]` bound; a level that runs over first takes the white around the head (a
//! fuller column beats white). An article settles on the level that fits with the fewest
//! column lines left empty once its picture and head's white have taken what they may (then
//! the most lines, the least tracking); white its head gave up is not added again, and whole
//! lines left free go to the white around its head.
//!
//! The set pages then have the last word, one *step* per build, where they differ from the
//! probes (a paragraph cut between balanced columns may break its lines differently). A step
//! works on an article's last part, the frame its text ends in:
//! - text that runs over takes a line of white from its frame's head (the frame's own
//!   `head-space` too), and no white is added to it again; else a loosening goes back a step
//!   and settles there; else the tracking tightens a step (within the layout's `[fit]` bound);
//! - whole lines free in every text column go to the white around the frame's head (headline
//!   or jump head; exact: the text's lines break as before, only lower);
//! - what is left free loosens the tracking a step, unless probing chose the level; a
//!   tightening the article needed is not loosened again.
//!
//! An article whose last part is in its first frame, under its 压题照片, has the picture as a
//! means too, exact as the white is (the text's lines break as before): lines still over at
//! the tracking's bound come from the picture, and lines free after the tracking go to it
//! before the white, each within the layout's `picture-lines` and the picture's own range.
//! Text still over then sets the title one 字号 smaller (`[fit] title-step`), where the last
//! part holds the headline: probed again from the level reached, since only the real layout
//! knows whether the smaller title takes fewer lines; one that gains none goes back. The set
//! pages' steps do not change titles.
//!
//! A composed article starts from the composer's estimate of its tracking rather than none.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::{Build, Job};
use crate::body::BlockKind;
use crate::measure::{Column, Stretch};
use crate::plan::{Bounds, Fitting, Plan, PlannedFrame};

/// What probing an article's last part at one tracking level showed: the body lines it sets
/// in one text column, the grid lines its columns leave free in the frame (negative when
/// they run over), the white around its head that leaves them free, and the column lines its
/// text columns leave empty once the picture and the head's white have taken what they may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Trial {
    level: i64,
    lines: u32,
    slack: i32,
    space: i32,
    empty: u32,
}

/// What an article settled on before its title was set smaller: the level it chose (with its
/// white), the picture's change and the lines still over.
#[derive(Debug, Clone, Copy)]
struct Untitled {
    chosen: Trial,
    picture: i32,
    over: i32,
}

/// What one step changes of one article, from and to, so it can be taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The tracking level, in steps of the bound.
    Tracking { from: i64, to: i64 },
    /// The grid lines of white added to (or taken from) the head's own.
    Space { from: i32, to: i32 },
    /// The grid lines added to (or taken from) the 压题照片.
    Picture { from: i32, to: i32 },
}

/// Copy-fit's progress: each fitted article's tracking level, the white added around its
/// headline, its last step, and the articles that are done.
pub(super) struct CopyFit {
    /// One tracking step, in em, and how many steps the bound allows each way.
    step: f64,
    steps: i64,
    levels: HashMap<usize, i64>,
    space: HashMap<usize, i32>,
    /// The grid lines added to each picture, and how far each may go down and up.
    picture: HashMap<usize, i32>,
    rooms: HashMap<usize, (i32, i32)>,
    /// Whether a title may be set a 字号 smaller, and the articles whose title is.
    title_step: bool,
    smaller_title: Vec<usize>,
    /// What an article had settled on when its title was set smaller, to go back to when the
    /// smaller title gains no line.
    before_title: HashMap<usize, Untitled>,
    /// Articles whose head gave white back after an overrun: none is added again.
    shrunk: Vec<usize>,
    /// Articles that ran over at some step: a tightening they needed is not loosened again.
    overran: Vec<usize>,
    last: HashMap<usize, Step>,
    settled: Vec<usize>,
    /// The levels probed of each article still walking, in order, and the articles whose
    /// level probing chose.
    trials: HashMap<usize, Vec<Trial>>,
    probed: Vec<usize>,
}

impl CopyFit {
    /// Starts from the tracking `job.fitting` already has (the composer's estimate), on the
    /// nearest steps.
    pub(super) fn new(job: &Job) -> Self {
        let bounds = &job.layout.spec.fit;
        let step = bounds.tracking_em / f64::from(bounds.steps.max(1));
        let steps = i64::from(bounds.steps);
        let level = |em: f64| ((em / step).round() as i64).clamp(-steps, steps);
        CopyFit {
            step,
            steps,
            levels: job.fitting.tracking.iter().map(|(&a, &em)| (a, level(em))).collect(),
            space: HashMap::new(),
            picture: HashMap::new(),
            rooms: (0..job.file.issue.articles.len()).map(|a| (a, picture_room(job, a))).collect(),
            title_step: bounds.title_step,
            smaller_title: Vec::new(),
            before_title: HashMap::new(),
            shrunk: Vec::new(),
            overran: Vec::new(),
            last: HashMap::new(),
            settled: Vec::new(),
            trials: HashMap::new(),
            probed: Vec::new(),
        }
    }

    /// The last parts to probe next: those of fitted articles whose walk goes on, set in a
    /// fixed frame, under their heads.
    pub(super) fn walking(&self, job: &Job, plan: &Plan, bounds: &Bounds) -> Vec<Stretch> {
        (0..plan.articles.len())
            .filter(|&a| fitted(job, a) && !self.probed.contains(&a))
            .filter_map(|a| {
                let slot = plan.articles[a].frames.len().checked_sub(1)?;
                let (start, end) = (bounds[a][slot], bounds[a][slot + 1]);
                let stretch = Stretch { article: a, slot, start, end, bare: false };
                (!plan.frame(a, slot).auto && start < end).then_some(stretch)
            })
            .collect()
    }

    /// Takes what probing article `a`'s last part in `frame` showed at its current level
    /// (`None`: no text in it), and moves its walk on or settles it; `most` is the most white
    /// its head may have.
    pub(super) fn probed(
        &mut self,
        a: usize,
        frame: &PlannedFrame,
        kinds: &[BlockKind],
        column: Option<&Column>,
        most: u32,
    ) {
        let Some(column) = column else {
            self.probed.push(a);
            return;
        };
        let needs = i64::from(column.head + column.balanced(kinds, frame.columns).lines);
        let text_rows = |given: i64| i64::from(frame.lines) + given - i64::from(column.head);
        // The lines free when the head gives `given` lines of its white back (exact: the text
        // breaks as before); text its balanced columns do not hold flows from column to column.
        let slack = |given: i64| {
            let lines = i64::from(frame.lines) + given;
            let flows = || column.flows(kinds, frame.columns, u32::try_from(lines).unwrap_or(0));
            if lines < needs && flows() { 0 } else { lines - needs }
        };
        // An overrun takes the white around the head first; a fuller column beats white.
        let given = (-slack(0)).clamp(0, i64::from(frame.head_space));
        let space = self.space.get(&a).copied().unwrap_or(0);
        let level = self.levels.get(&a).copied().unwrap_or(0);
        let absorbs = i64::from(self.absorbs(a, frame, most));
        let trials = self.trials.entry(a).or_default();
        let slack = slack(given);
        // Free lines the picture and the head's white do not take stay empty in every column.
        let rows = text_rows(given) - slack.clamp(0, absorbs);
        let empty = (i64::from(frame.columns) * rows - i64::from(column.lines)).max(0) as u32;
        let trial =
            Trial { level, lines: column.lines, slack: slack as i32, space: space - given as i32, empty };
        trials.push(trial);
        if let Some(next) = next_level(trials, self.steps) {
            self.levels.insert(a, next);
            return;
        }
        let chosen = best(trials);
        self.levels.insert(a, chosen.level);
        self.space.insert(a, chosen.space);
        if chosen.space < space && !self.shrunk.contains(&a) {
            self.shrunk.push(a);
        }
        // The picture takes what the tracking left over or free, then the white the rest.
        let unresized = self.picture_of(a);
        let slack = chosen.slack - self.resize(a, frame, chosen.slack);
        if slack < 0 && self.title_may_shrink(a, frame) {
            // Walk again from the level reached, with the smaller title and the picture as it was.
            let picture = self.picture.insert(a, unresized).unwrap_or(0);
            self.before_title.insert(a, Untitled { chosen, picture, over: slack });
            self.smaller_title.push(a);
            self.trials.remove(&a);
            return;
        }
        // A smaller title that gained no line goes back, with what the article had before.
        let slack = match self.before_title.remove(&a) {
            Some(before) if slack <= before.over => {
                self.levels.insert(a, before.chosen.level);
                self.space.insert(a, before.chosen.space);
                self.picture.insert(a, before.picture);
                self.smaller_title.retain(|&t| t != a);
                before.over
            }
            _ => slack,
        };
        let room = i32::try_from(self.white_room(a, frame, most)).unwrap_or(0);
        if slack > 0 && room > 0 {
            self.space.insert(a, self.space[&a] + slack.min(room));
        }
        self.probed.push(a);
    }

    /// The free lines of article `a`'s last part, `frame`, that its picture and its head's
    /// white (up to `most`) may take.
    fn absorbs(&self, a: usize, frame: &PlannedFrame, most: u32) -> u32 {
        let up = self.rooms.get(&a).map_or(0, |&(_, up)| up);
        let picture = if frame.picture.is_some() { up - self.picture_of(a) } else { 0 };
        picture.unsigned_abs() + self.white_room(a, frame, most)
    }

    /// The lines of white probing may still add around the head of article `a`'s last part,
    /// `frame`, up to `most` in all: none once the head gave white back, or beside a 竖题.
    fn white_room(&self, a: usize, frame: &PlannedFrame, most: u32) -> u32 {
        match self.shrunk.contains(&a) || (frame.vertical && frame.slot == 0) {
            true => 0,
            false => most.saturating_sub(frame.head_space),
        }
    }

    /// Changes article `a`'s picture by up to `lines` (fewer when negative), when `frame`
    /// shows it, within its room; returns the change made.
    fn resize(&mut self, a: usize, frame: &PlannedFrame, lines: i32) -> i32 {
        let to = self.picture_target(a, frame, lines);
        to - self.picture.insert(a, to).unwrap_or(0)
    }

    /// The grid lines copy-fit has added to article `a`'s picture so far.
    fn picture_of(&self, a: usize) -> i32 {
        self.picture.get(&a).copied().unwrap_or(0)
    }

    /// Article `a`'s picture change after `lines` more (fewer when negative), within its room;
    /// its change so far when `frame` does not show it.
    fn picture_target(&self, a: usize, frame: &PlannedFrame, lines: i32) -> i32 {
        let from = self.picture_of(a);
        let (down, up) = self.rooms.get(&a).copied().unwrap_or((0, 0));
        match frame.picture {
            Some(_) => (from + lines).clamp(-down, up),
            None => from,
        }
    }

    /// Whether article `a`'s title may still be set a 字号 smaller: `frame`, its last, holds
    /// its headline across its top.
    fn title_may_shrink(&self, a: usize, frame: &PlannedFrame) -> bool {
        self.title_step && frame.slot == 0 && !frame.vertical && !self.smaller_title.contains(&a)
    }

    /// Moves every unsettled fitted article a step towards its fit; returns those it moved.
    pub(super) fn step(&mut self, job: &Job, built: &Build) -> Vec<usize> {
        let mut moved = Vec::new();
        for a in 0..job.file.issue.articles.len() {
            if !fitted(job, a) || self.settled.contains(&a) {
                continue;
            }
            if built.report.articles[a].overflow.is_some() && !self.overran.contains(&a) {
                self.overran.push(a);
            }
            match self.next(a, built, job.layout.spec.fit.head_space_lines) {
                Some((step, settle)) => {
                    self.apply(a, step);
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

    /// Article `a`'s next step and whether it settles there, or `None` when it is done; `most`
    /// is the most white its last frame's head may have.
    fn next(&self, a: usize, built: &Build, most: u32) -> Option<(Step, bool)> {
        let report = &built.report.articles[a];
        let frames = &built.plan.articles[a].frames;
        let &(p, f) = frames.last()?;
        let frame = &built.plan.pages[p].frames[f];
        let (free, slack) = report.parts.last().map_or((0, 0), |part| (part.free_lines, part.slack_lines));
        let level = self.levels.get(&a).copied().unwrap_or(0);
        let space = self.space.get(&a).copied().unwrap_or(0);
        let track = |to: i64| Step::Tracking { from: level, to };
        let white = |to: i32| Step::Space { from: space, to };
        let picture = self.picture_of(a);
        let resize = |to: i32| (to != picture).then_some((Step::Picture { from: picture, to }, false));
        let loosened = matches!(self.last.get(&a), Some(Step::Tracking { from, to }) if to > from);
        if let Some(over) = &report.overflow {
            // The grid lines that hold what is over, spread over the frame's text columns.
            let lines = i32::try_from(over.lines.div_ceil(frame.columns.max(1) as usize)).unwrap_or(i32::MAX);
            return match () {
                _ if frame.head_space > 0 => Some((white(space - 1), false)),
                // A loosening that ran over goes back a step, and stays there; a probed level
                // (never loosened again) may still give its free lines to the head's white.
                _ if level > -self.steps => {
                    let stays = (level > 0 || loosened) && !self.probed.contains(&a);
                    Some((track(level - 1), stays))
                }
                _ => resize(self.picture_target(a, frame, -lines)),
            };
        }
        let slack = i32::try_from(slack).unwrap_or(0);
        if slack > 0
            && !frame.auto
            && !self.overran.contains(&a)
            && let Some(step) = resize(self.picture_target(a, frame, slack))
        {
            return Some(step);
        }
        let room = i32::try_from(most.saturating_sub(frame.head_space)).unwrap_or(0);
        let slack = slack.min(room);
        let beside_vertical = frame.vertical && frame.slot == 0;
        let spaced = !(frame.auto || beside_vertical || self.shrunk.contains(&a));
        if slack > 0 && spaced {
            return Some((white(space + slack), false));
        }
        // A tightening the article needed to fit stays; one it started from (the composer's
        // estimate) loosens while lines are free.
        let loosens =
            level < self.steps && (level >= 0 || !self.overran.contains(&a)) && !self.probed.contains(&a);
        (free > 0 && !frame.auto && loosens).then_some((track(level + 1), false))
    }

    /// Makes step `step` of article `a`.
    fn apply(&mut self, a: usize, step: Step) {
        self.last.insert(a, step);
        match step {
            Step::Tracking { to, .. } => _ = self.levels.insert(a, to),
            Step::Picture { to, .. } => _ = self.picture.insert(a, to),
            Step::Space { from, to } => {
                self.space.insert(a, to);
                if to < from {
                    self.shrunk.push(a);
                }
            }
        }
    }

    /// Takes back the last step of `articles` when it went further from the article as
    /// written (a step back towards it stays); they settle there.
    pub(super) fn take_back(&mut self, articles: &[usize]) {
        for &a in articles {
            match self.last.remove(&a) {
                Some(Step::Tracking { from, to }) if to.abs() > from.abs() => _ = self.levels.insert(a, from),
                Some(Step::Space { from, to }) if to.abs() > from.abs() => _ = self.space.insert(a, from),
                Some(Step::Picture { from, to }) if to.abs() > from.abs() => _ = self.picture.insert(a, from),
                _ => {}
            }
            self.settled.push(a);
        }
    }

    /// What copy-fit has changed so far, for the next build.
    pub(super) fn fitting(&self) -> Fitting {
        let tracking =
            self.levels.iter().filter(|(_, l)| **l != 0).map(|(&a, &l)| (a, l as f64 * self.step)).collect();
        let space = self.space.iter().filter(|(_, s)| **s != 0).map(|(&a, &s)| (a, s)).collect();
        let picture = self.picture.iter().filter(|(_, l)| **l != 0).map(|(&a, &l)| (a, l)).collect();
        let mut smaller_title = self.smaller_title.clone();
        smaller_title.sort_unstable();
        Fitting { tracking, space, picture, smaller_title }
    }
}

/// How many grid lines copy-fit may take from and add to article `a`'s 压题照片: the layout's
/// `picture-lines`, within the picture's own `min-lines` and `max-lines` and at least a line.
fn picture_room(job: &Job, a: usize) -> (i32, i32) {
    let Some(picture) = &job.file.issue.articles[a].picture else { return (0, 0) };
    let bound = job.layout.spec.fit.picture_lines;
    let least = picture.lines.saturating_sub(bound).max(picture.min_lines.unwrap_or(1)).max(1);
    let most = picture.lines.saturating_add(bound).min(picture.max_lines.unwrap_or(u32::MAX));
    let lines = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    (lines(picture.lines.saturating_sub(least)), lines(most.saturating_sub(picture.lines)))
}

/// Whether article `a` is copy-fitted: it asks for it, or the build does for all.
fn fitted(job: &Job, a: usize) -> bool {
    job.file.issue.articles[a].fit || job.options.fit
}

/// The level to probe after `trials`: a step up from one that fits, down from one that runs
/// over; `None` when that is past the bound or probed already (the walk has found its edge).
fn next_level(trials: &[Trial], steps: i64) -> Option<i64> {
    let last = trials.last()?;
    let to = if last.slack >= 0 { last.level + 1 } else { last.level - 1 };
    (to.abs() <= steps && trials.iter().all(|t| t.level != to)).then_some(to)
}

/// The level an article settles on: of those that fit, the one whose text columns leave the
/// fewest column lines empty, then the one setting the most lines, the least tracking among
/// equals; when none fits, the tightest probed. (In one column, or a frame with no white to
/// give, the fewest empty is the most lines; over balanced columns a line more can open a
/// row of them.)
fn best(trials: &[Trial]) -> Trial {
    let fitting = trials
        .iter()
        .filter(|t| t.slack >= 0)
        .max_by_key(|t| (Reverse(t.empty), t.lines, Reverse(t.level.abs())));
    *fitting.or_else(|| trials.iter().min_by_key(|t| t.level)).expect("a walk has a trial")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(level: i64, lines: u32, slack: i32) -> Trial {
        Trial { level, lines, slack, space: 0, empty: 0 }
    }

    #[test]
    fn a_walk_goes_up_while_it_fits_and_down_while_it_runs_over() {
        assert_eq!(next_level(&[trial(0, 40, 1)], 3), Some(1));
        assert_eq!(next_level(&[trial(0, 40, -1)], 3), Some(-1));
        // The edge is found: the level next to the last is probed already.
        assert_eq!(next_level(&[trial(0, 40, 1), trial(1, 42, -1)], 3), None);
        assert_eq!(next_level(&[trial(0, 40, -1), trial(-1, 38, 0)], 3), None);
        // Never past the bound.
        assert_eq!(next_level(&[trial(3, 40, 2)], 3), None);
        assert_eq!(next_level(&[trial(-3, 40, -2)], 3), None);
    }

    #[test]
    fn an_article_settles_on_the_fullest_fit_with_the_least_tracking() {
        // Loosening to 1 sets a line more and fits; 2 sets no more: 1 is chosen.
        let up = [trial(0, 40, 1), trial(1, 41, 0), trial(2, 41, 0), trial(3, 43, -1)];
        assert_eq!(best(&up).level, 1);
        // Nothing fits: the tightest probed, where the least is over.
        let over = [trial(0, 40, -3), trial(-1, 39, -2), trial(-2, 38, -1)];
        assert_eq!(best(&over).level, -2);
        // A tightening the composer started from loosens back towards none when it fits.
        let back = [trial(-2, 38, 0), trial(-1, 38, 0), trial(0, 39, -1)];
        assert_eq!(best(&back).level, -1);
        // Over five balanced columns, 15 lines fill three rows (the head's white takes the
        // fourth) where 16 leave four column lines of a fourth row empty: the fuller frame wins.
        let rows = [Trial { empty: 0, ..trial(0, 15, 1) }, Trial { empty: 4, ..trial(1, 16, 0) }];
        assert_eq!(best(&rows).level, 0);
    }
}
