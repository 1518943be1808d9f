//! The tiling of automatic page composition (自动组版), tested without Typst: its score against
//! an exhaustive enumeration written here, and the newspaper rules its result keeps, checked
//! geometrically from the rectangles it returns.

use std::collections::HashMap;
use std::rc::Rc;

use banmian::compose::tiling::{
    Item, Need, Placed, Region, Rules, Weights, clashes, leaf, tile, tile_safely,
};
use proptest::prelude::*;

/// Random choices read in turn, 0 past the end: proptest shrinks rolls toward 0, and 0 is
/// always the simplest choice, so a failure shrinks to a small input.
struct Dice<'a> {
    rolls: &'a [u32],
    at: usize,
}

impl Dice<'_> {
    /// A number in `0..n` (0 when `n` is 0).
    fn roll(&mut self, n: u32) -> u32 {
        let r = self.rolls.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if n == 0 { 0 } else { r % n }
    }

    /// True `percent` % of the time; false on a roll of 0.
    fn chance(&mut self, percent: u32) -> bool {
        100 - self.roll(100) <= percent
    }
}

/// Cuts a `w × h` region into at most `n` rectangles (span, lines) by the tiling's shapes, in
/// reading order: items measured to fit them make inputs that tile often, where independent
/// random needs would almost never fill a region exactly.
fn plan(d: &mut Dice, w: u32, h: u32, n: usize, out: &mut Vec<(u32, u32)>) {
    if n == 1 || (w == 1 && h < 2) {
        out.push((w, h));
        return;
    }
    if w > 1 && (h < 2 || d.chance(50)) {
        let span = 1 + d.roll(w - 1);
        if d.chance(50) {
            out.push((span, h));
            plan(d, w - span, h, n - 1, out);
        } else {
            plan(d, span, h, n - 1, out);
            out.push((w - span, h));
        }
    } else {
        let top = 1 + d.roll(h - 1);
        let k = 1 + d.roll(n as u32 - 1) as usize;
        plan(d, w, top, k, out);
        plan(d, w, h - top, n - k, out);
    }
}

/// What an item of `area` column-lines of text under a `head` needs at `span`, with copy-fit's
/// and the picture's slack, and a cut when it may jump.
fn need(d: &mut Dice, head: u32, area: u32, span: u32, stretch: u32, jumps: bool) -> Need {
    let lines = head + area.div_ceil(span).max(1);
    let tight = lines.saturating_sub(d.roll(3)).max(head + 1);
    let loose = lines + d.roll(3);
    let least = jumps.then(|| head + 1 + d.roll(tight - head));
    let space = d.roll(3);
    // The body's column lines at the tightest, no and the loosest tracking, dealt over `span`
    // text columns.
    let body = [area.saturating_sub((lines - tight) * span), area, area + (loose - lines) * span];
    let shortest = body.map(|b| (b / span).saturating_sub(d.roll(2)));
    Need { head, lines, tight, loose, stretch, space, least, body, columns: span, shortest }
}

/// An item measured to fill a `span × lines` rectangle (give or take noise), its weight
/// given by priority.
fn item(d: &mut Dice, weight: i64, (span, lines): (u32, u32), columns: u32) -> Item {
    let head = (2 + d.roll(5)).min(lines.saturating_sub(1)).max(1);
    let mut area = (lines.saturating_sub(head) * span).saturating_sub(d.roll(span)).max(1);
    if d.chance(20) {
        area += d.roll(3 * span);
    }
    let stretch = if d.chance(30) { d.roll(5) } else { 0 };
    let jumps = d.chance(25);
    let (mut plain, mut boxed) = (Vec::new(), Vec::new());
    for s in 1..=columns {
        let allowed = s == span || d.chance(85);
        let n = need(d, head, area, s, stretch, jumps);
        let extra = d.roll(2);
        let b = Need { lines: n.lines + extra, tight: n.tight + extra, loose: n.loose + extra, ..n };
        plain.push(allowed.then_some(n));
        boxed.push((allowed && d.chance(80)).then_some(b));
    }
    Item { weight, plain, boxed, preferred_stretch: d.roll(stretch + 1), box_free: d.chance(10) }
}

/// Random items for a `columns × lines` region, weights falling with priority.
fn items(d: &mut Dice, n: usize, columns: u32, lines: u32) -> Vec<Item> {
    let mut rects = Vec::new();
    plan(d, columns, lines, n, &mut rects);
    while rects.len() < n {
        rects.push((1 + d.roll(columns), 3 + d.roll(lines)));
    }
    let mut weights: Vec<i64> = (0..n).map(|_| 1 + i64::from(d.roll(10))).collect();
    weights.sort_unstable_by(|a, b| b.cmp(a));
    rects.iter().zip(weights).map(|(&rect, w)| item(d, w, rect, columns)).collect()
}

/// Random rules: free lines allowed, sometimes a tallest leg.
fn rules(d: &mut Dice) -> Rules {
    let max_leg = d.chance(50).then(|| 8 + d.roll(40));
    Rules { most_free: d.roll(3), max_leg, weights: Weights::default() }
}

/// A region placed somewhere on the page (the tiling must honour its corner).
fn region(d: &mut Dice, columns: u32, lines: u32) -> Region {
    Region { column: 1 + d.roll(3), line: 1 + d.roll(20), columns, lines }
}

/// Every tiling of one sub-region, rectangles relative to its top-left corner.
type Tilings = Rc<Vec<Vec<Placed>>>;

/// Which items of a sub-region must be boxed: none, its first (top-left) one, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Boxes {
    None,
    First,
    All,
}

/// The exhaustive enumeration: every tiling by the shapes the tiling module documents, built
/// rectangle by rectangle. Sub-regions' tilings are cached, but every complete tiling is listed
/// and scored on its own — no score is maximised before the whole tiling is known. With
/// `safe`, rows with a leaf on the left are left out, as the tiling does after a 撞题.
struct Enumeration<'a> {
    items: &'a [Item],
    rules: &'a Rules,
    safe: bool,
    /// By (first item, end, width, boxes, height, only a leaf or a row).
    cache: HashMap<(usize, usize, u32, Boxes, u32, bool), Tilings>,
}

impl Enumeration<'_> {
    /// Tilings of items `i..j` in `w × h`, boxed as `boxes` says: a leaf or a row when `top`,
    /// else also a stack — a leaf or row above, any tiling of the rest below.
    fn tilings(&mut self, i: usize, j: usize, w: u32, boxes: Boxes, h: u32, top: bool) -> Tilings {
        let key = (i, j, w, boxes, h, top);
        if let Some(found) = self.cache.get(&key) {
            return found.clone();
        }
        let all = |b: Boxes| if b == Boxes::All { Boxes::All } else { Boxes::First };
        let below = if boxes == Boxes::All { Boxes::All } else { Boxes::None };
        let mut out = Vec::new();
        if j == i + 1 {
            out.extend(leaf(self.items, i, w, h, boxes != Boxes::None, self.rules).map(|(_, p)| vec![p]));
        } else {
            for span in 1..w {
                if !self.safe {
                    let left = self.tilings(i, i + 1, span, boxes, h, true);
                    let right = self.tilings(i + 1, j, w - span, all(boxes), h, false);
                    combine(&mut out, &left, &right, (span, 0));
                }
                let left = self.tilings(i, j - 1, span, boxes, h, false);
                let right = self.tilings(j - 1, j, w - span, Boxes::First, h, true);
                combine(&mut out, &left, &right, (span, 0));
                for k in i + 1..j {
                    let left = self.tilings(i, k, span, boxes, h, false);
                    let right = self.tilings(k, j, w - span, Boxes::All, h, false);
                    combine(&mut out, &left, &right, (span, 0));
                }
            }
        }
        if !top {
            for k in i + 1..j {
                for upper in 1..h {
                    let above = self.tilings(i, k, w, boxes, upper, true);
                    if above.is_empty() {
                        continue;
                    }
                    let rest = self.tilings(k, j, w, below, h - upper, false);
                    combine(&mut out, &above, &rest, (0, upper));
                }
            }
        }
        let out = Rc::new(out);
        self.cache.insert(key, out.clone());
        out
    }
}

/// Every pairing of a tiling from `first` with one from `second` moved by `offset`.
fn combine(out: &mut Vec<Vec<Placed>>, first: &[Vec<Placed>], second: &[Vec<Placed>], offset: (u32, u32)) {
    for a in first {
        for b in second {
            let moved =
                b.iter().map(|p| Placed { column: p.column + offset.0, line: p.line + offset.1, ..*p });
            out.push(a.iter().copied().chain(moved).collect());
        }
    }
}

/// A tiling's score: its leaves' scores summed; `None` when a rectangle is no leaf.
fn score(items: &[Item], rules: &Rules, tiling: &[Placed]) -> Option<i64> {
    tiling.iter().map(|p| leaf(items, p.item, p.span, p.lines, p.boxed, rules).map(|(s, _)| s)).sum()
}

/// The best score of all tilings of `region` whose lead is at least as wide as every other
/// item, by all shapes or (`safe`) by those without a leaf on the left of a row.
fn enumerated_best(items: &[Item], region: Region, rules: &Rules, safe: bool) -> Option<i64> {
    let mut e = Enumeration { items, rules, safe, cache: HashMap::new() };
    let all = e.tilings(0, items.len(), region.columns, Boxes::None, region.lines, false);
    let lead_widest = |t: &&Vec<Placed>| {
        let lead = t.iter().find(|p| p.item == 0).expect("the lead is placed").span;
        t.iter().all(|p| p.span <= lead)
    };
    all.iter().filter(lead_widest).filter_map(|t| score(items, rules, t)).max()
}

/// The need an item was placed with.
fn need_of(items: &[Item], p: &Placed) -> Need {
    let item = &items[p.item];
    let needs = if p.boxed { &item.boxed } else { &item.plain };
    needs[p.span as usize - 1].expect("a placed span is allowed")
}

/// Whether two line ranges `[a, a + m)` and `[b, b + n)` share a line.
fn overlap(a: u32, m: u32, b: u32, n: u32) -> bool {
    m > 0 && n > 0 && a < b + n && b < a + m
}

/// The rectangles tile `region` exactly, each item once: inside it, pairwise disjoint, their
/// areas summing to its area.
fn check_exact_tiling(n: usize, region: Region, placed: &[Placed]) -> Result<(), TestCaseError> {
    let mut seen: Vec<usize> = placed.iter().map(|p| p.item).collect();
    seen.sort_unstable();
    prop_assert_eq!(seen, (0..n).collect::<Vec<_>>(), "each item exactly once");
    for p in placed {
        prop_assert!(
            p.column >= region.column && p.column + p.span <= region.column + region.columns,
            "{p:?}"
        );
        prop_assert!(p.line >= region.line && p.line + p.lines <= region.line + region.lines, "{p:?}");
    }
    for (a, p) in placed.iter().enumerate() {
        for q in &placed[a + 1..] {
            let apart =
                !overlap(p.column, p.span, q.column, q.span) || !overlap(p.line, p.lines, q.line, q.lines);
            prop_assert!(apart, "{p:?} overlaps {q:?}");
        }
    }
    let area: u32 = placed.iter().map(|p| p.span * p.lines).sum();
    prop_assert_eq!(area, region.columns * region.lines, "no gap");
    Ok(())
}

/// Every rectangle is a leaf: its lines within its need's bounds, no leg over the tallest,
/// and what it reports is what [`leaf`] computes for it.
fn check_leaves(items: &[Item], rules: &Rules, placed: &[Placed]) -> Result<(), TestCaseError> {
    for p in placed {
        let need = need_of(items, p);
        let least = need.least.unwrap_or(need.tight).min(need.tight).max(need.head + 1);
        prop_assert!(
            p.lines >= least && p.lines <= need.loose + need.stretch + need.space + rules.most_free,
            "{p:?} {need:?}"
        );
        let leg = p.lines - need.head - p.stretch - p.space;
        prop_assert!(rules.max_leg.is_none_or(|most| leg <= most), "leg {leg} of {p:?}");
        let (_, expected) =
            leaf(items, p.item, p.span, p.lines, p.boxed, rules).expect("a placed rectangle is a leaf");
        prop_assert_eq!(Placed { column: 0, line: 0, ..*p }, expected);
    }
    Ok(())
}

/// The lead stands at the region's top left, unboxed, at least as wide as any other item; and
/// priority reads top to bottom, left to right: the shapes put an earlier item in a stack's
/// upper part or a row's left part, so every later item lies wholly below or wholly to the
/// right of every earlier one.
fn check_order(region: Region, placed: &[Placed]) -> Result<(), TestCaseError> {
    let mut by_item = placed.to_vec();
    by_item.sort_by_key(|p| p.item);
    let lead = by_item[0];
    prop_assert_eq!((lead.column, lead.line, lead.boxed), (region.column, region.line, false));
    prop_assert!(by_item.iter().all(|p| p.span <= lead.span), "the lead is the widest: {by_item:?}");
    for (a, p) in by_item.iter().enumerate() {
        for q in &by_item[a + 1..] {
            let below = q.line >= p.line + p.lines;
            let right = q.column >= p.column + p.span;
            prop_assert!(below || right, "{q:?} comes after {p:?} but is neither below it nor right of it");
        }
    }
    Ok(())
}

/// No 撞题: two items side by side, neither boxed nor free of a box, never have their heads
/// (titles, and pictures at their least) on a shared line.
fn check_no_clash(items: &[Item], placed: &[Placed]) -> Result<(), TestCaseError> {
    let titled = |p: &Placed| !p.boxed && !items[p.item].box_free;
    for p in placed.iter().filter(|p| titled(p)) {
        for q in placed.iter().filter(|q| titled(q) && q.column == p.column + p.span) {
            if !overlap(p.line, p.lines, q.line, q.lines) {
                continue;
            }
            let (hp, hq) = (need_of(items, p).head, need_of(items, q).head);
            prop_assert!(
                !overlap(p.line, hp, q.line, hq),
                "撞题: {p:?} (head {hp}) beside {q:?} (head {hq})"
            );
        }
    }
    Ok(())
}

/// One random case from `rolls`: `n` items, the rules, and a region of `columns × lines`.
fn case(rolls: &[u32], n: usize, columns: u32, lines: u32) -> (Vec<Item>, Rules, Region) {
    let mut d = Dice { rolls, at: 0 };
    let items = items(&mut d, n, columns, lines);
    let rules = rules(&mut d);
    let region = region(&mut d, columns, lines);
    (items, rules, region)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// For small sets, the dynamic programme's score is the best of every tiling enumerated
    /// one by one; neither finds a tiling when the other does not.
    #[test]
    fn the_tiling_scores_as_the_best_enumerated_tiling(
        rolls in proptest::collection::vec(0u32..1000, 200),
        n in 1usize..=6,
        columns in 1u32..=5,
        lines in 4u32..=40,
    ) {
        let (items, rules, region) = case(&rolls, n, columns, lines);
        // The best of all shapes, or — when that tiling had a 撞题 — the best of the safe ones.
        let got = tile(&items, region, &rules).map(|(s, _)| s);
        let (all, safe) = (enumerated_best(&items, region, &rules, false), enumerated_best(&items, region, &rules, true));
        prop_assert!(got == all || got == safe, "tile {got:?}, enumerated {all:?} (safe {safe:?})");
        prop_assert_eq!(got.is_some(), all.is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The tiling's result keeps the rules geometrically, on sets up to a full broadsheet page:
    /// an exact tiling, every rectangle a leaf, its score their sum, the lead first and
    /// widest, priority in reading order, no 撞题.
    #[test]
    fn the_tiling_keeps_the_rules(
        rolls in proptest::collection::vec(0u32..1000, 400),
        n in 1usize..=10,
        columns in 1u32..=8,
        lines in 4u32..=120,
    ) {
        let (items, rules, region) = case(&rolls, n, columns, lines);
        let Some((total, placed)) = tile(&items, region, &rules) else { return Ok(()) };
        check_exact_tiling(n, region, &placed)?;
        check_leaves(&items, &rules, &placed)?;
        prop_assert_eq!(score(&items, &rules, &placed), Some(total));
        check_order(region, &placed)?;
    }

    /// No 撞题 in the tiling's result, unless no tiling by the safe shapes exists.
    #[test]
    fn the_tiling_sets_no_titles_side_by_side(
        rolls in proptest::collection::vec(0u32..1000, 400),
        n in 1usize..=10,
        columns in 1u32..=8,
        lines in 4u32..=120,
    ) {
        let (items, rules, region) = case(&rolls, n, columns, lines);
        let Some((_, placed)) = tile(&items, region, &rules) else { return Ok(()) };
        if clashes(&items, &placed) {
            prop_assert!(tile_safely(&items, region, &rules).is_none(), "a safe tiling was passed over");
        } else {
            check_no_clash(&items, &placed)?;
        }
    }
}

/// One need: `head` and `lines`, no slack.
fn exact(head: u32, lines: u32) -> Option<Need> {
    Some(Need::exact(head, lines.saturating_sub(head), 1))
}

/// The smallest 撞题 a row with a leaf on the left allows: only the right part's first item is
/// boxed, and when it is shorter than the left leaf's head, the next item's title stands beside
/// that head. Here the lead (head 6: title and picture) stands on the left of a 2 × 12 region, a
/// boxed brief of 3 lines on the right, and under the brief the third item's title, on lines
/// 4–5, beside the lead's head on lines 1–6. When the third item may be boxed too, the tiling
/// boxes the whole right column instead; when it may not, the clash is the only tiling, and
/// `clashes` says so (the composer reports it).
#[test]
fn a_short_boxed_item_does_not_let_the_next_title_stand_beside_a_tall_head() {
    let item = |weight, plain, boxed| Item {
        weight,
        plain: vec![plain],
        boxed: vec![boxed],
        preferred_stretch: 0,
        box_free: false,
    };
    let mut items =
        [item(3, exact(6, 12), None), item(2, None, exact(1, 3)), item(1, exact(2, 9), exact(2, 9))];
    let rules = Rules { most_free: 0, max_leg: None, weights: Weights::default() };
    let region = Region { column: 1, line: 1, columns: 2, lines: 12 };
    let (_, placed) = tile(&items, region, &rules).expect("the row tiles");
    check_no_clash(&items, &placed).unwrap();
    assert!(placed.iter().filter(|p| p.item > 0).all(|p| p.boxed));
    items[2].boxed = vec![None];
    let (_, placed) = tile(&items, region, &rules).expect("the row still tiles");
    assert!(clashes(&items, &placed));
}

/// The generators make inputs that tile often enough for the properties to mean something
/// (37 of 100: a need's shortest column at each tracking follows that tracking's body, so a
/// rectangle that holds only the tightest deal may leave a hole under its shortest column).
#[test]
fn most_generated_inputs_tile() {
    let mut tiled = 0;
    for seed in 0..100u32 {
        let rolls: Vec<u32> = (0..200).map(|k| (seed * 7919 + k * 104_729) % 1000).collect();
        let mut d = Dice { rolls: &rolls, at: 0 };
        let items = items(&mut d, 1 + (seed % 6) as usize, 1 + seed % 5, 10 + seed % 30);
        let rules = rules(&mut d);
        let region = region(&mut d, 1 + seed % 5, 10 + seed % 30);
        tiled += usize::from(tile(&items, region, &rules).is_some());
    }
    assert!(tiled >= 30, "only {tiled} of 100 inputs tile");
}

/// A need whose lines a bump took into its head (fewer lines than head) does not make a leaf
/// panic: its leg (lines under the head, picture and white) is never negative.
#[test]
fn a_need_shorter_than_its_head_makes_a_leaf_not_a_panic() {
    let need = Need {
        head: 10,
        lines: 5,
        tight: 5,
        loose: 5,
        stretch: 6,
        space: 0,
        least: None,
        body: [0; 3],
        columns: 1,
        shortest: [0; 3],
    };
    let item =
        Item { weight: 1, plain: vec![Some(need)], boxed: vec![None], preferred_stretch: 0, box_free: true };
    let rules = Rules { most_free: 2, max_leg: None, weights: Weights::default() };
    let (_, placed) = leaf(&[item], 0, 1, 11, false, &rules).expect("eleven lines hold the head and a line");
    assert_eq!((placed.lines, placed.stretch), (11, 6));
}
