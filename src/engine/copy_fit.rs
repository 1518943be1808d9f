//! Copy-fit's progress (自动调整): what it has changed of each fitted article so far, one step
//! per build, and the articles that are done.
//!
//! A step works on an article's last part, the frame its text ends in:
//! - text that runs over takes a line of white from its frame's head (the frame's own
//!   `head-space` too), and no white is added to it again; else a loosening goes back a step
//!   and settles there; else the tracking tightens a step (within the layout's `[fit]` bound);
//! - whole lines free in every text column go to the white around the frame's head (headline
//!   or jump head; exact: the text's lines break as before, only lower);
//! - what is left free loosens the tracking a step; a tightening the article needed is not
//!   loosened again.
//!
//! A composed article starts from the composer's estimate of its tracking rather than none.

use std::collections::HashMap;

use super::{Build, Job};
use crate::plan::Fitting;

/// What one step changes of one article, from and to, so it can be taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The tracking level, in steps of the bound.
    Tracking { from: i64, to: i64 },
    /// The grid lines of white added to (or taken from) the head's own.
    Space { from: i32, to: i32 },
}

/// Copy-fit's progress: each fitted article's tracking level, the white added around its
/// headline, its last step, and the articles that are done.
pub(super) struct CopyFit {
    /// One tracking step, in em, and how many steps the bound allows each way.
    step: f64,
    steps: i64,
    levels: HashMap<usize, i64>,
    space: HashMap<usize, i32>,
    /// Articles whose head gave white back after an overrun: none is added again.
    shrunk: Vec<usize>,
    /// Articles that ran over at some step: a tightening they needed is not loosened again.
    overran: Vec<usize>,
    last: HashMap<usize, Step>,
    settled: Vec<usize>,
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
            shrunk: Vec::new(),
            overran: Vec::new(),
            last: HashMap::new(),
            settled: Vec::new(),
        }
    }

    /// Moves every unsettled fitted article a step towards its fit; returns those it moved.
    pub(super) fn step(&mut self, job: &Job, built: &Build) -> Vec<usize> {
        let mut moved = Vec::new();
        for (a, article) in job.file.issue.articles.iter().enumerate() {
            if !(article.fit || job.options.fit) || self.settled.contains(&a) {
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
        let loosened = matches!(self.last.get(&a), Some(Step::Tracking { from, to }) if to > from);
        if report.overflow.is_some() {
            return match () {
                _ if frame.head_space > 0 => Some((white(space - 1), false)),
                // A loosening that ran over goes back a step, and stays there.
                _ if level > -self.steps => Some((track(level - 1), level > 0 || loosened)),
                _ => None,
            };
        }
        let room = i32::try_from(most.saturating_sub(frame.head_space)).unwrap_or(0);
        let slack = i32::try_from(slack).unwrap_or(0).min(room);
        let beside_vertical = frame.vertical && frame.slot == 0;
        let spaced = !(frame.auto || beside_vertical || self.shrunk.contains(&a));
        if slack > 0 && spaced {
            return Some((white(space + slack), false));
        }
        // A tightening the article needed to fit stays; one it started from (the composer's
        // estimate) loosens while lines are free.
        let loosens = level < self.steps && (level >= 0 || !self.overran.contains(&a));
        (free > 0 && !frame.auto && loosens).then_some((track(level + 1), false))
    }

    /// Makes step `step` of article `a`.
    fn apply(&mut self, a: usize, step: Step) {
        self.last.insert(a, step);
        match step {
            Step::Tracking { to, .. } => _ = self.levels.insert(a, to),
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
        Fitting { tracking, space }
    }
}
