//! The tiling: every item of a page a rectangle of the grid, the region tiled completely, by
//! dynamic programming over guillotine cuts — exact for the shapes and the score below.
//!
//! **Shapes.** A region of `w` columns × `h` lines holding items `i..j` (priority order) is
//! - one item (a *leaf*) set in the whole region, or
//! - a *stack*: a leaf or a row holding `i..k` above a region holding `k..j`, or
//! - a *row*: two regions side by side, and so that no two titles stand side by side at the
//!   same height (撞题), either one of them is a single leaf and the right one has its first
//!   item boxed (花线) — the leaf's only title is at the top, and every title the other side
//!   has further down stands beside the leaf's text — or every item of the right one is boxed
//!   (a column of boxed items beside the rest: a box keeps its title apart from any).
//!
//! A leaf on the left of a row whose right side is a stack can still meet a title beside its
//! head, when the boxed item at the right side's top is shorter than that head; when the best
//! tiling has such a 撞题 ([`clashes`]), the tiling is made again without leaves on the left
//! of rows, which cannot.
//!
//! Reading the tree in order gives the items in priority order: the lead is at the top left,
//! and priority reads top to bottom, left to right. Stacks put text between any two titles
//! above each other (no 叠题).
//!
//! **Score.** Each leaf scores by itself, and a tiling's score is the sum (see [`Weights`]):
//! importance times width (important articles get the wide frames), less the free lines left
//! in a frame (a *hole* is measured under its shortest text column: balanced columns end a
//! line apart, and a subhead moved on ends its column earlier), the column lines all its text
//! columns leave empty, a box, white added around a headline, tracking, a jump, a picture
//! set away from its preferred height, and legs shorter than the layout's comfort. The lead
//! must be at least as wide as every other item; legs longer than `max-leg-lines` are not
//! allowed at all.

use rayon::prelude::*;

/// What one item needs at one span, measured from the real layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// Grid lines above the body: headline, picture at its least, gap.
    pub head: u32,
    /// Grid lines that hold the whole item, its text columns balanced; with copy-fit's
    /// tightest and loosest tracking (both `lines` without copy-fit).
    pub lines: u32,
    pub tight: u32,
    pub loose: u32,
    /// Lines the item's picture may grow by.
    pub stretch: u32,
    /// Lines of white the item's headline may take more (`headline-space`).
    pub space: u32,
    /// The fewest lines the item may take when it may jump to a later page (its rest then
    /// continues there); `None` when it must be whole.
    pub least: Option<u32>,
    /// The body's lines in one text column at the tightest, no and the loosest tracking, and
    /// the text columns it is balanced over.
    pub body: [u32; 3],
    pub columns: u32,
    /// The lines of the shortest text column in the balanced deal at the tightest, no and
    /// the loosest tracking (a subhead moved on ends its column early): a line free under
    /// the tallest column is two or more under a shorter one.
    pub shortest: [u32; 3],
}

impl Need {
    /// What an item of `body` lines in one text column under a `head` needs when its body is
    /// dealt evenly over `columns` text columns, with no slack: no tracking, picture or white.
    pub fn exact(head: u32, body: u32, columns: u32) -> Need {
        let columns = columns.max(1);
        let lines = head + body.div_ceil(columns);
        let shortest = body / columns;
        Need {
            head,
            lines,
            tight: lines,
            loose: lines,
            stretch: 0,
            space: 0,
            least: None,
            body: [body; 3],
            columns,
            shortest: [shortest; 3],
        }
    }

    /// The need with `cut` lines of its body in one text column taken from its end (a desk's
    /// cut), the rest balanced over the same text columns.
    pub fn cut(&self, cut: u32) -> Need {
        let columns = self.columns.max(1);
        let after = self.body.map(|body| body.saturating_sub(cut));
        let taller = |level: usize| self.body[level].div_ceil(columns) - after[level].div_ceil(columns);
        let shorter = |level: usize| self.body[level] / columns - after[level] / columns;
        let lines = |lines: u32, level: usize| lines.saturating_sub(taller(level)).max(self.head + 1);
        let [tight, plain, loose] = [lines(self.tight, 0), lines(self.lines, 1), lines(self.loose, 2)];
        Need {
            tight,
            lines: plain,
            loose,
            least: self.least.map(|least| least.min(tight)),
            body: after,
            shortest: [0, 1, 2].map(|level| self.shortest[level].saturating_sub(shorter(level))),
            ..*self
        }
    }

    /// The fewest lines the item may take: its least when it may jump, else its tightest.
    pub fn fewest(&self) -> u32 {
        self.least.unwrap_or(self.tight).min(self.tight)
    }

    /// The tracking level copy-fit sets when the body has `rows` lines per column: the
    /// loosest measured whose tallest column the rectangle holds (0 tightest, 2 loosest), and
    /// that column's lines.
    fn level(&self, rows: u32) -> (usize, u32) {
        let tallest = [self.tight, self.lines, self.loose].map(|l| l.saturating_sub(self.head));
        let level = (0..3).rev().find(|&l| rows >= tallest[l]).unwrap_or(0);
        (level, tallest[level])
    }

    /// Free lines in the shortest text column when the body has `rows` lines per column.
    fn shortest_free(&self, rows: u32) -> u32 {
        let (level, tallest) = self.level(rows);
        rows.saturating_sub(self.shortest[level].min(tallest))
    }

    /// Column lines the text columns leave empty when the body has `rows` lines per column.
    fn empty(&self, rows: u32) -> u32 {
        let (level, _) = self.level(rows);
        (self.columns.max(1) * rows).saturating_sub(self.body[level])
    }
}

/// One item to place: an article's first part, or the rest of one continued from an earlier
/// page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Importance: the lead's is the highest.
    pub weight: i64,
    /// What the item needs by span (index `span - 1`): plain, and boxed (`None` where it may
    /// not be boxed or the span is not allowed).
    pub plain: Vec<Option<Need>>,
    pub boxed: Vec<Option<Need>>,
    /// The picture's preferred height over its least, when it has one.
    pub preferred_stretch: u32,
    /// Whether the item stands on the right of a row without a box of its own: a rest (its
    /// jump head is no title) or an article boxed anyway.
    pub box_free: bool,
}

/// The region to tile, in grid units: its first column and line (1-based) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub column: u32,
    pub line: u32,
    pub columns: u32,
    pub lines: u32,
}

/// One item's rectangle and how it fills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub item: usize,
    pub column: u32,
    pub span: u32,
    pub line: u32,
    pub lines: u32,
    pub boxed: bool,
    /// Lines the picture grows by over its least.
    pub stretch: u32,
    /// Lines of white added around the headline.
    pub space: u32,
    /// Lines copy-fit gains (tightening, negative) or fills (loosening) by tracking.
    pub tracked: i32,
    /// Whether the item is cut here and continues on a later page.
    pub continued: bool,
    /// Lines left free under the text of the rectangle's shortest column: a hole from
    /// `hole-lines` on.
    pub free: u32,
    /// Column lines its text columns leave empty above the rectangle's foot.
    pub empty: u32,
}

/// The score's weights, in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// Per unit of importance and grid column of width.
    pub width: i64,
    /// For a frame whose tallest text column ends above its foot, and per line any text
    /// column does (a fuller page is a better one).
    pub free_frame: i64,
    pub free_line: i64,
    /// Per free line, for a frame with a hole (two free lines or more).
    pub hole_line: i64,
    /// For a box set only to keep titles apart.
    pub boxed: i64,
    /// Per line of white added around a headline.
    pub space_line: i64,
    /// Per line copy-fit tightens or loosens.
    pub tracked_line: i64,
    /// For an article cut to jump to a later page, and per line cut off.
    pub jump: i64,
    pub cut_line: i64,
    /// Per line a picture is set away from its preferred height.
    pub picture_line: i64,
    /// Per line a leg is shorter than `comfort_leg`.
    pub short_leg: i64,
    pub comfort_leg: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            width: 4,
            free_frame: 30,
            free_line: 5,
            hole_line: 1000,
            boxed: 30,
            space_line: 10,
            tracked_line: 15,
            jump: 200,
            cut_line: 1,
            picture_line: 3,
            short_leg: 20,
            comfort_leg: 12,
        }
    }
}

/// The bounds every tiling keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The most free lines a frame's shortest column may keep.
    pub most_free: u32,
    /// The tallest leg, in lines.
    pub max_leg: Option<u32>,
    pub weights: Weights,
}

/// A leaf: item `item` in a `span × lines` rectangle, boxed or not; `None` when it cannot be.
pub fn leaf(
    items: &[Item],
    item: usize,
    span: u32,
    lines: u32,
    boxed: bool,
    rules: &Rules,
) -> Option<(i64, Placed)> {
    let it = &items[item];
    let boxed = boxed && !it.box_free;
    let need = (if boxed { &it.boxed } else { &it.plain }).get(span as usize - 1).copied().flatten()?;
    let least = need.fewest();
    if lines < least.max(need.head + 1) || lines > need.loose + need.stretch + need.space + rules.most_free {
        return None;
    }
    let continued = lines < need.tight;
    // Lines over the need go to the picture, the white around the headline, the tracking,
    // and what is left stays free.
    let over = lines.saturating_sub(need.lines);
    let stretch = over.min(need.stretch);
    let space = (over - stretch).min(need.space);
    let loosened = (over - stretch - space).min(need.loose.saturating_sub(need.lines));
    let free = over - stretch - space - loosened;
    let tracked = if continued { 0 } else { loosened as i32 - need.lines.saturating_sub(lines) as i32 };
    let leg = lines.saturating_sub(need.head + stretch + space);
    // A cut part flows to the frame's foot in every column.
    let shortest = if continued { 0 } else { need.shortest_free(leg).max(free) };
    if rules.max_leg.is_some_and(|most| leg > most) || shortest > rules.most_free {
        return None;
    }
    let w = &rules.weights;
    let mut score = it.weight * i64::from(span) * w.width;
    if shortest >= 2 {
        score -= w.hole_line * i64::from(shortest);
    }
    let empty = if continued { 0 } else { need.empty(leg) };
    score -= if free > 0 { w.free_frame } else { 0 } + w.free_line * i64::from(empty);
    if boxed {
        score -= w.boxed;
    }
    score -= w.space_line * i64::from(space);
    score -= w.tracked_line * i64::from(tracked.unsigned_abs());
    if continued {
        score -= w.jump + w.cut_line * i64::from(need.lines - lines);
    }
    score -= w.picture_line * i64::from(stretch.abs_diff(it.preferred_stretch.min(need.stretch)));
    score -= w.short_leg * i64::from(w.comfort_leg.saturating_sub(leg));
    let placed = Placed {
        item,
        column: 0,
        span,
        line: 0,
        lines,
        boxed,
        stretch,
        space,
        tracked,
        continued,
        free: shortest,
        empty,
    };
    Some((score, placed))
}

/// Which items of a region must be boxed, for the titles beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boxing {
    None,
    /// Its first item (at its top left).
    First,
    /// Every item.
    All,
}

impl Boxing {
    const EACH: [Boxing; 3] = [Boxing::None, Boxing::First, Boxing::All];

    /// What the region below a region's top part inherits.
    fn below(self) -> Boxing {
        if self == Boxing::All { Boxing::All } else { Boxing::None }
    }

    /// What the region right of a region's first leaf inherits.
    fn right(self) -> Boxing {
        if self == Boxing::All { Boxing::All } else { Boxing::First }
    }

    fn boxed(self) -> bool {
        self != Boxing::None
    }
}

/// How a region's best tiling is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Leaf,
    /// Items `i..k` in the top `lines` lines (a leaf or a row), the rest below.
    Stack {
        k: usize,
        lines: u32,
    },
    /// The first item a leaf `span` columns wide on the left, the rest on its right.
    LeafLeft {
        span: u32,
    },
    /// All but the last item in the left `span` columns, the last a boxed leaf on the right.
    LeafRight {
        span: u32,
    },
    /// Items `i..k` in the left `span` columns, the rest on the right, every one boxed.
    Boxed {
        k: usize,
        span: u32,
    },
}

/// One table cell: the best score and how it is made.
type Cell = Option<(i64, Choice)>;

/// The tables of one tiling run: for every run of items `i..j`, width, boxed first item and
/// height, the best tiling that is a leaf or a row (`top`), and the best of all (`any`).
struct Tables<'a> {
    items: &'a [Item],
    rules: &'a Rules,
    columns: u32,
    lines: u32,
    /// The lead's span, and the widest any other item may take.
    lead_span: u32,
    /// Whether rows with a leaf on the left are left out (see the module's doc).
    safe: bool,
    top: Vec<Cell>,
    any: Vec<Cell>,
    /// The heights at which `top` has a tiling, by run, width and boxed flag: what a stack
    /// tries for its upper part.
    heights: Vec<Vec<u32>>,
}

impl<'a> Tables<'a> {
    fn index(&self, i: usize, j: usize, w: u32, b: Boxing, h: u32) -> usize {
        let n = self.items.len();
        let (w, h) = (w as usize - 1, h as usize);
        ((((i * (n + 1) + j) * self.columns as usize + w) * 3 + b as usize) * (self.lines as usize + 1)) + h
    }

    fn run(&self, i: usize, j: usize, w: u32, b: Boxing) -> usize {
        self.index(i, j, w, b, 0) / (self.lines as usize + 1)
    }

    fn leaf(&self, item: usize, span: u32, h: u32, boxed: bool) -> Option<i64> {
        let allowed = if item == 0 { span == self.lead_span } else { span <= self.lead_span };
        allowed.then(|| leaf(self.items, item, span, h, boxed, self.rules).map(|(s, _)| s)).flatten()
    }

    fn score(&self, cells: &[Cell], i: usize, j: usize, w: u32, b: Boxing, h: u32) -> Option<i64> {
        cells[self.index(i, j, w, b, h)].map(|(s, _)| s)
    }

    /// Fills both tables for items `i..j`, every width, boxed flag and height; shorter runs
    /// are already filled.
    fn fill(&mut self, i: usize, j: usize) {
        for w in 1..=self.columns {
            for b in Boxing::EACH {
                for h in 1..=self.lines {
                    let top = self.best_top(i, j, w, b, h);
                    let at = self.index(i, j, w, b, h);
                    self.top[at] = top;
                    if top.is_some() {
                        let run = self.run(i, j, w, b);
                        self.heights[run].push(h);
                    }
                }
                for h in 1..=self.lines {
                    let any = self.best_any(i, j, w, b, h);
                    let at = self.index(i, j, w, b, h);
                    self.any[at] = any;
                }
            }
        }
    }

    /// The best leaf or row for `i..j` in `w × h`.
    fn best_top(&self, i: usize, j: usize, w: u32, b: Boxing, h: u32) -> Cell {
        if j == i + 1 {
            return self.leaf(i, w, h, b.boxed()).map(|s| (s, Choice::Leaf));
        }
        let mut best: Cell = None;
        let sum = |pair: Option<(i64, i64)>| pair.map(|(x, y)| x + y);
        for span in 1..w {
            if !self.safe {
                let right = self.score(&self.any, i + 1, j, w - span, b.right(), h);
                consider(
                    &mut best,
                    sum(self.leaf(i, span, h, b.boxed()).zip(right)),
                    Choice::LeafLeft { span },
                );
            }
            let right = self.score(&self.any, i, j - 1, span, b, h).zip(self.leaf(j - 1, w - span, h, true));
            consider(&mut best, sum(right), Choice::LeafRight { span });
            for k in i + 1..j {
                let boxed = self.score(&self.any, i, k, span, b, h).zip(self.score(
                    &self.any,
                    k,
                    j,
                    w - span,
                    Boxing::All,
                    h,
                ));
                consider(&mut best, sum(boxed), Choice::Boxed { k, span });
            }
        }
        best
    }

    /// The best tiling of any shape for `i..j` in `w × h`.
    fn best_any(&self, i: usize, j: usize, w: u32, b: Boxing, h: u32) -> Cell {
        let mut best = self.top[self.index(i, j, w, b, h)];
        for k in i + 1..j {
            for &top in self.heights[self.run(i, k, w, b)].iter().take_while(|&&t| t < h) {
                let (Some(x), Some(y)) = (
                    self.score(&self.top, i, k, w, b, top),
                    self.score(&self.any, k, j, w, b.below(), h - top),
                ) else {
                    continue;
                };
                consider(&mut best, Some(x + y), Choice::Stack { k, lines: top });
            }
        }
        best
    }

    /// The rectangles of the best tiling of `i..j` in the region at (`column`, `line`).
    fn unfold(
        &self,
        cells: &[Cell],
        at: (usize, usize, u32, Boxing, u32),
        corner: (u32, u32),
        out: &mut Vec<Placed>,
    ) {
        let (i, j, w, b, h) = at;
        let (column, line) = corner;
        let Some((_, choice)) = cells[self.index(i, j, w, b, h)] else { return };
        match choice {
            Choice::Leaf => {
                let (_, mut placed) =
                    leaf(self.items, i, w, h, b.boxed(), self.rules).expect("a chosen leaf fits");
                (placed.column, placed.line) = (column, line);
                out.push(placed);
            }
            Choice::Stack { k, lines } => {
                self.unfold(&self.top, (i, k, w, b, lines), corner, out);
                self.unfold(&self.any, (k, j, w, b.below(), h - lines), (column, line + lines), out);
            }
            Choice::LeafLeft { span } => {
                self.unfold(&self.top, (i, i + 1, span, b, h), corner, out);
                self.unfold(&self.any, (i + 1, j, w - span, b.right(), h), (column + span, line), out);
            }
            Choice::LeafRight { span } => {
                self.unfold(&self.any, (i, j - 1, span, b, h), corner, out);
                self.unfold(&self.top, (j - 1, j, w - span, Boxing::First, h), (column + span, line), out);
            }
            Choice::Boxed { k, span } => {
                self.unfold(&self.any, (i, k, span, b, h), corner, out);
                self.unfold(&self.any, (k, j, w - span, Boxing::All, h), (column + span, line), out);
            }
        }
    }
}

/// Keeps the higher score; on a tie the earlier choice, so the result is deterministic.
fn consider(best: &mut Cell, score: Option<i64>, choice: Choice) {
    if let Some(score) = score
        && best.is_none_or(|(b, _)| score > b)
    {
        *best = Some((score, choice));
    }
}

/// The best tiling of `region` with `items`, and its score; `None` when none exists. When the
/// best has a 撞题, the best of the shapes that cannot have one, if any.
pub fn tile(items: &[Item], region: Region, rules: &Rules) -> Option<(i64, Vec<Placed>)> {
    let best = tile_shapes(items, region, rules, false)?;
    if !clashes(items, &best.1) {
        return Some(best);
    }
    // Only when no safe tiling exists does the 撞题 stay; the composer reports it.
    tile_shapes(items, region, rules, true).or(Some(best))
}

/// The best tiling by the shapes that cannot set two titles side by side (no row with a leaf on
/// the left): what [`tile`] falls back to.
pub fn tile_safely(items: &[Item], region: Region, rules: &Rules) -> Option<(i64, Vec<Placed>)> {
    tile_shapes(items, region, rules, true)
}

/// The best tiling by the shapes, without rows with a leaf on the left when `safe`.
fn tile_shapes(items: &[Item], region: Region, rules: &Rules, safe: bool) -> Option<(i64, Vec<Placed>)> {
    let n = items.len();
    if n == 0 || region.columns == 0 || region.lines == 0 {
        return None;
    }
    // One programme per lead span, each on its own core; the best wins, the widest lead on a tie.
    let spans: Vec<u32> = (1..=region.columns).rev().collect();
    let found: Vec<Option<(i64, Vec<Placed>)>> = spans
        .into_par_iter()
        .map(|lead_span| tile_with_lead(items, region, rules, safe, lead_span))
        .collect();
    found.into_iter().flatten().fold(None, |best, (score, placed)| match best {
        Some((b, _)) if score <= b => best,
        _ => Some((score, placed)),
    })
}

/// The best tiling whose lead item is `lead_span` columns wide.
fn tile_with_lead(
    items: &[Item],
    region: Region,
    rules: &Rules,
    safe: bool,
    lead_span: u32,
) -> Option<(i64, Vec<Placed>)> {
    let n = items.len();
    let size = (n + 1) * (n + 1) * region.columns as usize * 3 * (region.lines as usize + 1);
    let mut tables = Tables {
        items,
        rules,
        columns: region.columns,
        lines: region.lines,
        lead_span,
        safe,
        top: vec![None; size],
        any: vec![None; size],
        heights: vec![Vec::new(); size / (region.lines as usize + 1)],
    };
    for len in 1..=n {
        for i in 0..=n - len {
            tables.fill(i, i + len);
        }
    }
    let score = tables.score(&tables.any, 0, n, region.columns, Boxing::None, region.lines)?;
    let mut placed = Vec::new();
    let at = (0, n, region.columns, Boxing::None, region.lines);
    tables.unfold(&tables.any, at, (region.column, region.line), &mut placed);
    Some((score, placed))
}

/// Whether two titled rectangles (neither boxed) stand side by side with their heads — title
/// and picture — on a shared line (撞题).
pub fn clashes(items: &[Item], placed: &[Placed]) -> bool {
    let head = |p: &Placed| {
        let needs = if p.boxed { &items[p.item].boxed } else { &items[p.item].plain };
        needs[p.span as usize - 1].map_or(0, |n| n.head)
    };
    let titled = |p: &&Placed| !p.boxed && !items[p.item].box_free;
    let shared = |a: u32, m: u32, b: u32, n: u32| a < b + n && b < a + m;
    placed.iter().filter(titled).any(|p| {
        placed.iter().filter(titled).any(|q| {
            q.column == p.column + p.span
                && shared(p.line, p.lines, q.line, q.lines)
                && shared(p.line, head(p), q.line, head(q))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(weight: i64, lines_at: impl Fn(u32) -> u32, columns: u32) -> Item {
        let need = |s: u32| Some(Need::exact(3, lines_at(s) - 3, 1));
        let needs: Vec<Option<Need>> = (1..=columns).map(need).collect();
        Item { weight, plain: needs.clone(), boxed: needs, preferred_stretch: 0, box_free: false }
    }

    fn rules() -> Rules {
        Rules { most_free: 1, max_leg: None, weights: Weights::default() }
    }

    #[test]
    fn one_item_fills_a_region_it_fits_exactly() {
        let items = [item(1, |s| 3 + 24 / s, 4)];
        let region = Region { column: 1, line: 1, columns: 4, lines: 9 };
        let (_, placed) = tile(&items, region, &rules()).expect("fits");
        assert_eq!(placed.len(), 1);
        assert_eq!((placed[0].span, placed[0].lines, placed[0].free), (4, 9, 0));
    }

    #[test]
    fn two_items_stack_or_stand_side_by_side_with_the_right_one_boxed() {
        // Each needs 3 + 12 / span lines: side by side at 2 columns each, 9 lines.
        let items = [item(2, |s| 3 + 12 / s, 4), item(1, |s| 3 + 12 / s, 4)];
        let region = Region { column: 1, line: 1, columns: 4, lines: 9 };
        let (_, placed) = tile(&items, region, &rules()).expect("fits");
        assert_eq!(placed.len(), 2);
        assert!(placed[1].boxed && placed[1].column == 3 && placed[1].line == 1);
        // Stacked at full width: 6 + 6 lines.
        let region = Region { column: 1, line: 1, columns: 4, lines: 12 };
        let (_, placed) = tile(&items, region, &rules()).expect("fits");
        assert_eq!((placed[1].line, placed[1].span, placed[1].boxed), (7, 4, false));
    }

    #[test]
    fn a_free_line_under_uneven_balanced_columns_is_a_hole() {
        // A head of 3 lines over 5 text columns, the body dealt evenly over them.
        let item = |body: u32| {
            let plain = [vec![None; 4], vec![Some(Need::exact(3, body, 5))]].concat();
            Item { weight: 1, plain, boxed: vec![None; 5], preferred_stretch: 0, box_free: true }
        };
        let placed = |body: u32, most_free: u32| {
            let rules = Rules { most_free, ..rules() };
            leaf(&[item(body)], 0, 5, 8, false, &rules).map(|(_, placed)| placed.free)
        };
        // 20 lines end level at 4 a column: a line free under each of the five.
        assert_eq!(placed(20, 1), Some(1));
        // 18 lines end at 4, 4, 4, 3, 3: two lines free under the last two columns.
        assert_eq!(placed(18, 1), None);
        assert_eq!(placed(18, 8), Some(2));
    }

    #[test]
    fn a_cut_shortens_the_balanced_columns_by_what_it_takes_from_one() {
        // 101 lines over 5 columns: 21 tall, the shortest 20; 10 lines less: 19 tall, 18 short.
        let need = Need::exact(4, 101, 5);
        assert_eq!((need.lines, need.shortest[1]), (25, 20));
        let cut = need.cut(10);
        assert_eq!((cut.lines, cut.tight, cut.loose, cut.body, cut.shortest), (23, 23, 23, [91; 3], [18; 3]));
        // A cut of the whole body leaves the head and a line.
        assert_eq!(need.cut(500).lines, 5);
        assert_eq!(need.cut(0), need);
    }

    #[test]
    fn nothing_tiles_a_region_the_items_cannot_fill() {
        let items = [item(1, |_| 5, 2)];
        assert!(tile(&items, Region { column: 1, line: 1, columns: 2, lines: 30 }, &rules()).is_none());
    }
}
