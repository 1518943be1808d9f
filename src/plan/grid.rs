//! The grid: pages and their frames placed on the layout's columns and lines, checked for
//! extent and overlap, and the 栏线 drawn between neighbouring articles.

use crate::issue::{Frame, FrameLine, FrameLines, KeyPath, Page};
use crate::layout::{EPSILON, Grid, Layout};

use super::{PlannedFrame, PlannedPage, PlannedPicture, Planner, Rule};

/// Narrowest text column a frame may be divided into, in body characters.
const MIN_COLUMN_CHARS: f64 = 4.0;

/// Where on the page a rectangle may lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    /// An inner page: the whole type area.
    Anywhere,
    /// Page 1: below the masthead's lines.
    BelowMasthead,
    /// Page 1's 报眼: within the masthead's lines, beside the name.
    Ear,
}

/// Grid cells [column start, column end, line start, line end), ends exclusive.
pub(super) type Cells = [u32; 4];

/// A problem with a rectangle's extent: the key it is about and what is wrong.
pub(super) type Problem = (&'static str, String);

/// The rectangles taken so far on one page, with what took them, for overlap messages.
#[derive(Default)]
pub(super) struct Taken(Vec<(Cells, String)>);

impl Taken {
    /// What already holds part of `cells`, if anything.
    pub(super) fn overlap(&self, cells: &Cells) -> Option<&str> {
        self.0.iter().find(|(r, _)| overlaps(r, cells)).map(|(_, what)| what.as_str())
    }

    pub(super) fn take(&mut self, cells: Cells, what: String) {
        self.0.push((cells, what));
    }

    /// The first line below everything taken in grid columns [from, to), if anything is.
    pub(super) fn bottom(&self, from: u32, to: u32) -> Option<u32> {
        self.0.iter().filter(|(r, _)| r[0] < to && from < r[1]).map(|(r, _)| r[3]).max()
    }
}

impl Planner<'_> {
    /// Places every page's frames and pictures on the grid.
    pub(super) fn pages(&mut self) {
        let file = self.file;
        let root = KeyPath::default();
        if file.issue.pages.is_empty() {
            self.error(&root.clone().key("pages"), "an issue needs at least one page");
        }
        let mut last_number = 0;
        for (p, page) in file.issue.pages.iter().enumerate() {
            let key = root.clone().key("pages").index(p);
            if page.number <= last_number {
                let message = format!("page numbers must rise from 1: {} follows {last_number}", page.number);
                self.error(&key.clone().key("number"), message);
            }
            last_number = page.number;
            let planned = self.page(p, page, &key);
            self.pages.push(planned);
        }
    }

    /// One page: its frames, then its pictures, then the rules between them.
    fn page(&mut self, p: usize, page: &Page, key: &KeyPath) -> PlannedPage {
        let masthead = page.number == 1;
        let mut taken = Taken::default();
        let mut frames = Vec::new();
        for (f, frame) in page.frames.iter().enumerate() {
            let key = key.clone().key("frames").index(f);
            let at = self.extent(frame, (p, f), masthead, &taken);
            if let Some(planned) = self.frame(frame, at, masthead, &key, &taken) {
                let [column, span, line, lines] = at;
                taken.take(
                    [column, column.saturating_add(span), line, line.saturating_add(lines)],
                    format!("pages[{p}].frames[{f}] (article `{}`)", frame.article),
                );
                self.articles[planned.article].frames.push((p, frames.len()));
                self.parts[planned.article].push((frame.part, key));
                frames.push(planned);
            }
        }
        let pictures = self.page_pictures(p, page, masthead, key, &mut taken);
        let layout = self.layout;
        PlannedPage {
            number: page.number,
            name: layout.spec.continuation.page_name(page.number),
            section: page.section.clone(),
            editor: page.editor.clone(),
            designer: page.designer.clone(),
            proofreader: page.proofreader.clone(),
            masthead,
            rules: rules(&frames, &pictures, layout),
            frames,
            pictures,
        }
    }

    /// The frame's grid extent [column, span, line, lines]: a stacked frame (`line = "below"`)
    /// starts under the frames above it in its columns, an auto frame (`lines = "auto"`) takes
    /// the height its text was measured to need, or before that a provisional one.
    fn extent(&self, frame: &Frame, at: (usize, usize), masthead: bool, taken: &Taken) -> [u32; 4] {
        let page = &self.file.issue.pages[at.0];
        let across = [frame.column, frame.column.saturating_add(frame.span)];
        let line = self.start_line(frame.line, across, masthead && !frame.ear, taken);
        let lines = match frame.lines {
            FrameLines::Fixed(lines) => lines,
            FrameLines::Rest => rest_lines(page, across, line, self.layout.spec.grid.lines),
            FrameLines::Auto => {
                self.heights.get(&at).copied().unwrap_or_else(|| self.provisional_lines(frame))
            }
        };
        [frame.column, frame.span, line, lines]
    }

    /// The first line of a rectangle across grid columns [from, to): its own, or with
    /// `"below"` the line under what is taken in those columns (or the top of the area).
    pub(super) fn start_line(
        &self,
        line: FrameLine,
        [from, to]: [u32; 2],
        below_masthead: bool,
        taken: &Taken,
    ) -> u32 {
        match line {
            FrameLine::At(line) => line,
            FrameLine::Below => {
                let top = if below_masthead { self.layout.spec.grid.masthead_lines + 1 } else { 1 };
                taken.bottom(from, to).map_or(top, |end| end.max(top))
            }
        }
    }

    /// An auto frame's height before its text is measured: the least that passes the plan's
    /// checks, so the frames stacked under it stay on the page.
    fn provisional_lines(&self, frame: &Frame) -> u32 {
        let picture =
            self.ids.get(frame.article.as_str()).and_then(|&a| self.file.issue.articles[a].picture.as_ref());
        picture.map_or(1, |p| p.lines + 1)
    }

    /// A frame checked against its article, the grid and the frames before it; `None` (with
    /// the problems recorded) when it cannot be placed.
    fn frame(
        &mut self,
        frame: &Frame,
        extent: [u32; 4],
        masthead: bool,
        key: &KeyPath,
        taken: &Taken,
    ) -> Option<PlannedFrame> {
        let Some(&article) = self.ids.get(frame.article.as_str()) else {
            self.error(&key.clone().key("article"), format!("no article has the id `{}`", frame.article));
            return None;
        };
        let area = match (masthead, frame.ear) {
            (false, _) => Area::Anywhere,
            (true, false) => Area::BelowMasthead,
            (true, true) => Area::Ear,
        };
        let before = self.errors.len();
        if frame.ear && !masthead {
            self.error(&key.clone().key("ear"), "only page 1 has a masthead to sit beside");
        }
        let cells = self.place_frame(frame, key, extent, area)?;
        let columns = frame.columns.unwrap_or(frame.span);
        let column_chars = self.layout.text_column(self.layout.span_width(frame.span), columns.max(1)).0
            / self.layout.body_size();
        if self.errors.len() == before && (columns == 0 || column_chars < MIN_COLUMN_CHARS) {
            let message = format!(
                "{columns} text columns in {} grid columns leave less than {MIN_COLUMN_CHARS} characters a column",
                frame.span
            );
            self.error(&key.clone().key("columns"), message);
        }
        if self.errors.len() != before {
            return None;
        }
        if let Some(other) = taken.overlap(&cells) {
            self.error(key, format!("this frame overlaps {other}"));
            return None;
        }
        Some(self.planned_frame(article, frame, extent, columns))
    }

    /// Places a frame's extent, saying for an auto frame how many lines its text needs.
    fn place_frame(&mut self, frame: &Frame, key: &KeyPath, extent: [u32; 4], area: Area) -> Option<Cells> {
        let grid = &self.layout.spec.grid;
        let [_, _, line, lines] = extent;
        if frame.lines == FrameLines::Auto
            && line.saturating_add(lines) > grid.lines + 1
            && line <= grid.lines
        {
            let left = grid.lines + 1 - line;
            let message = format!(
                "the rest of article `{}` needs {lines} lines in this auto frame, but only {left} are left below line {line}: \
                 widen the frame, give the article another frame to continue in, or cut its text",
                frame.article
            );
            self.error(&key.clone().key("lines"), message);
            return None;
        }
        self.place(key, extent, area)
    }

    /// A placed frame's rectangle in pt, before its chain gives it a slot and jump lines. A
    /// boxed frame's text keeps half a gutter from its 花线 on each side, so the box lies on
    /// the frame's edges, inside the type area.
    fn planned_frame(&self, article: usize, frame: &Frame, extent: [u32; 4], columns: u32) -> PlannedFrame {
        let layout = self.layout;
        let spec = &self.file.issue.articles[article];
        let span = extent[1];
        let headline_span = spec.headline_span.map_or(span, |s| s.clamp(1, span));
        let mut planned = PlannedFrame::on_grid(layout, article, extent, columns);
        planned.auto = frame.lines == FrameLines::Auto;
        planned.balance = frame.balance || planned.auto;
        planned.head_space = frame.head_space;
        planned.tracking_em = self.fitting.tracking.get(&article).copied().unwrap_or(0.0);
        planned.headline_width = layout.span_width(headline_span);
        planned.boxed = spec.boxed || frame.ear;
        if planned.boxed {
            let inset = layout.gutter() / 2.0;
            planned.text_x = inset;
            planned.text_width -= 2.0 * inset;
            planned.headline_width = planned.headline_width.min(planned.text_width);
            planned.settle_columns(layout);
        }
        planned
    }

    /// Places a rectangle [column, span, line, lines] on the grid, recording its problems.
    pub(super) fn place(&mut self, key: &KeyPath, extent: [u32; 4], area: Area) -> Option<Cells> {
        match grid_place(extent, &self.layout.spec.grid, area) {
            Ok(cells) => Some(cells),
            Err(problems) => {
                for (name, message) in problems {
                    self.error(&key.clone().key(name), message);
                }
                None
            }
        }
    }
}

/// How many lines `"rest"` gives a rectangle across grid columns [from, to) starting at
/// `line`: down to the first frame or picture of the page below it in those columns that has
/// a line of its own, or to the grid's foot (`lines` lines).
pub(super) fn rest_lines(page: &Page, [from, to]: [u32; 2], line: u32, lines: u32) -> u32 {
    let starts = page.frames.iter().map(|f| (f.column, f.span, f.line));
    let starts = starts.chain(page.pictures.iter().map(|p| (p.column, p.span, p.line)));
    let next = starts
        .filter_map(|(column, span, at)| match at {
            FrameLine::At(at) if at > line && column < to && from < column.saturating_add(span) => Some(at),
            _ => None,
        })
        .min()
        .unwrap_or(lines + 1);
    next.saturating_sub(line).max(1)
}

/// Why a rectangle's extent on one axis leaves the grid: `start` (1-based) and `len` against
/// `limit`, with the axis's key names (start key, length key, unit). None when it fits.
fn extent_problem(start: u32, len: u32, limit: u32, names: [&'static str; 3]) -> Option<Problem> {
    let [start_key, len_key, unit] = names;
    if start == 0 || start > limit {
        Some((start_key, format!("{start_key} {start} is outside the grid's {unit} 1–{limit}")))
    } else if len == 0 || len > limit - start + 1 {
        Some((
            len_key,
            format!("a frame from {start_key} {start} of {len} {unit} leaves the grid's {limit} {unit}"),
        ))
    } else {
        None
    }
}

/// Checks that a rectangle of the grid, [column, span, line, lines], lies inside the grid and
/// in its `area`; returns its cells or every problem found.
pub(super) fn grid_place(
    [column, span, line, lines]: [u32; 4],
    grid: &Grid,
    area: Area,
) -> Result<Cells, Vec<Problem>> {
    let across = extent_problem(column, span, grid.columns, ["column", "span", "columns"]);
    let down = extent_problem(line, lines, grid.lines, ["line", "lines", "lines"]);
    let mut problems: Vec<Problem> = across.into_iter().chain(down.clone()).collect();
    if down.is_none() && area == Area::BelowMasthead && line <= grid.masthead_lines {
        let message = format!(
            "lines 1–{} of page 1 hold the masthead; this starts at line {line}",
            grid.masthead_lines
        );
        problems.push(("line", message));
    }
    if down.is_none() && area == Area::Ear && line + lines - 1 > grid.masthead_lines {
        problems.push((
            "lines",
            format!("a 报眼 frame stays within the masthead's lines 1–{}", grid.masthead_lines),
        ));
    }
    if problems.is_empty() { Ok([column, column + span, line, line + lines]) } else { Err(problems) }
}

impl PlannedFrame {
    /// The frame on grid cells [column, span, line, lines] with `columns` text columns across
    /// its whole width, before its article gives it a headline, box or slot.
    pub fn on_grid(
        layout: &Layout,
        article: usize,
        [column, span, line, lines]: [u32; 4],
        columns: u32,
    ) -> Self {
        let width = layout.span_width(span);
        let mut frame = PlannedFrame {
            article,
            x: layout.column_x(column),
            y: layout.line_y(line),
            width,
            height: layout.lines_height(lines),
            columns,
            lines,
            span,
            grid_at: (line, column),
            auto: false,
            balance: false,
            tracking_em: 0.0,
            slot: 0,
            jump_from: None,
            jump_to: None,
            headline_width: width,
            text_width: width,
            rank: 0,
            title_size: 0.0,
            head_space: 0,
            text_x: 0.0,
            column_width: 0.0,
            column_gutter: 0.0,
            vertical: false,
            boxed: false,
            picture: None,
        };
        frame.settle_columns(layout);
        frame
    }
}

/// Whether two rectangles of grid cells share a cell.
fn overlaps(a: &Cells, b: &Cells) -> bool {
    a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3]
}

/// A rectangle on the page and who owns it: frames are owned by their article, each picture
/// by itself, and no rule separates two rectangles of one owner, nor a boxed frame (its 花线
/// does) from anything.
struct Owned {
    owner: usize,
    boxed: bool,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// 栏线: a vertical rule in the middle of the gutter between side-by-side frames of different
/// articles, and a horizontal rule in the middle of the white between stacked ones — the
/// upper one's last leading and the white above the lower one's first ink — each as long as
/// the frames share; rules that meet end to end along one line are drawn as one.
fn rules(frames: &[PlannedFrame], pictures: &[PlannedPicture], layout: &Layout) -> Vec<Rule> {
    let gutter = layout.gutter();
    let leading = layout.spec.grid.line_pitch_pt - layout.body_size();
    let above = layout.spec.article.headline_above_lines * layout.spec.grid.line_pitch_pt;
    // Where a horizontal rule lies under a frame's bottom edge, and vertical ones end there.
    let under = |edge: f64| edge + (above - leading) / 2.0;
    let bottom_of =
        |edge: f64| if edge < layout.type_height() - EPSILON { under(edge) } else { edge - leading };
    let close = |a: f64, b: f64| (a - b).abs() < EPSILON;
    let boxes: Vec<Owned> = frames
        .iter()
        .map(|f| Owned { owner: f.article, boxed: f.boxed, x: f.x, y: f.y, width: f.width, height: f.height })
        .chain(pictures.iter().enumerate().map(|(i, p)| Owned {
            owner: usize::MAX - i,
            boxed: false,
            x: p.x,
            y: p.y,
            width: p.width,
            height: p.height,
        }))
        .collect();
    let mut rules = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in boxes[i + 1..].iter().filter(|b| b.owner != a.owner && !a.boxed && !b.boxed) {
            let (left, right) = if a.x < b.x { (a, b) } else { (b, a) };
            let (top, bottom) = if a.y < b.y { (a, b) } else { (b, a) };
            let (y1, y2) = (a.y.max(b.y), (a.y + a.height).min(b.y + b.height));
            let (x1, x2) = (a.x.max(b.x), (a.x + a.width).min(b.x + b.width));
            if close(left.x + left.width + gutter, right.x) && y2 > y1 {
                let x = left.x + left.width + gutter / 2.0;
                rules.push(Rule {
                    x1: x,
                    y1: y1 + ((above - leading) / 2.0).max(0.0),
                    x2: x,
                    y2: bottom_of(y2),
                });
            } else if close(top.y + top.height, bottom.y) && x2 > x1 {
                let y = under(bottom.y);
                rules.push(Rule { x1, y1: y, x2, y2: y });
            }
        }
    }
    let rules = joined(rules, EPSILON);
    joined(meeting(rules, gutter / 2.0), EPSILON)
}

/// The rules with each end of a horizontal rule carried `reach` further when a vertical rule
/// passes there, so the two meet in a T instead of leaving the gutter's half between them.
fn meeting(rules: Vec<Rule>, reach: f64) -> Vec<Rule> {
    let vertical: Vec<Rule> = rules.iter().filter(|r| r.x1 == r.x2).cloned().collect();
    let passes = |x: f64, y: f64| {
        vertical.iter().any(|v| (v.x1 - x).abs() < EPSILON && v.y1 - EPSILON <= y && y <= v.y2 + EPSILON)
    };
    rules
        .into_iter()
        .map(|mut r| {
            if r.y1 == r.y2 {
                if passes(r.x1 - reach, r.y1) {
                    r.x1 -= reach;
                }
                if passes(r.x2 + reach, r.y1) {
                    r.x2 += reach;
                }
            }
            r
        })
        .collect()
}

/// The rules with those on one line that meet or leave at most `gap` between them drawn as
/// one, so a column rule runs on where no rule crosses it.
fn joined(mut rules: Vec<Rule>, gap: f64) -> Vec<Rule> {
    rules.sort_by(|a, b| (a.x1, a.y1, a.x2, a.y2).partial_cmp(&(b.x1, b.y1, b.x2, b.y2)).expect("finite"));
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        let vertical = r.x1 == r.x2;
        let extends = |last: &Rule| {
            let on_line = if vertical {
                last.x1 == last.x2 && (last.x1 - r.x1).abs() < EPSILON
            } else {
                last.y1 == last.y2 && (last.y1 - r.y1).abs() < EPSILON
            };
            let gap_here = if vertical { r.y1 - last.y2 } else { r.x1 - last.x2 };
            on_line && gap_here <= gap
        };
        match out.iter_mut().rev().find(|last| extends(last)) {
            Some(last) if vertical => last.y2 = last.y2.max(r.y2),
            Some(last) => last.x2 = last.x2.max(r.x2),
            None => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabloid() -> Layout {
        Layout::load("tabloid", std::path::Path::new(".")).unwrap()
    }

    fn frame(article: usize, cells: [u32; 4], layout: &Layout) -> PlannedFrame {
        PlannedFrame::on_grid(layout, article, cells, cells[1])
    }

    #[test]
    fn rules_separate_neighbouring_articles_only() {
        let layout = tabloid();
        let pitch = layout.spec.grid.line_pitch_pt;
        // A: columns 1–3, lines 1–40; B beside it in columns 4–5, lines 11–30; C under A.
        let frames = [
            frame(0, [1, 3, 1, 40], &layout),
            frame(1, [4, 2, 11, 20], &layout),
            frame(2, [1, 3, 41, 20], &layout),
            frame(0, [4, 2, 31, 10], &layout),
        ];
        let rules = rules(&frames, &[], &layout);
        assert_eq!(rules.len(), 3, "{rules:?}");
        let vertical = rules.iter().find(|r| r.x1 == r.x2).unwrap();
        assert_eq!(vertical.x1, layout.column_x(4) - layout.body_size() / 2.0);
        // It starts where B's white above its headline is, below B's top edge.
        let (above, leading) = (0.5 * pitch, pitch - layout.body_size());
        assert!((vertical.y1 - (10.0 * pitch + (above - leading) / 2.0)).abs() < 1e-9);
        // Between A and C, across A's width; none between A and its own frame under B.
        assert!(rules.iter().any(|r| r.y1 == r.y2 && r.x2 - r.x1 == layout.span_width(3)));
    }

    #[test]
    fn rules_run_on_where_nothing_crosses_them_and_meet_in_a_t() {
        let layout = tabloid();
        let pitch = layout.spec.grid.line_pitch_pt;
        let (above, leading) = (0.5 * pitch, pitch - layout.body_size());
        // A: columns 1–3, lines 1–40; B and C stacked beside it.
        let frames = [
            frame(0, [1, 3, 1, 40], &layout),
            frame(1, [4, 2, 1, 20], &layout),
            frame(2, [4, 2, 21, 20], &layout),
        ];
        let rules = rules(&frames, &[], &layout);
        assert_eq!(rules.len(), 2, "{rules:?}");
        let vertical = rules.iter().find(|r| r.x1 == r.x2).unwrap();
        // One rule past B and C, from A's top to the white under A's last line.
        assert!((vertical.y2 - (40.0 * pitch + (above - leading) / 2.0)).abs() < 1e-9, "{vertical:?}");
        // The rule between B and C reaches the column rule.
        let across = rules.iter().find(|r| r.y1 == r.y2).unwrap();
        assert_eq!((across.x1, across.x2), (vertical.x1, layout.type_width()));
        // A boxed frame's 花线 stands for its rules.
        let mut boxed = frames.clone();
        boxed[1].boxed = true;
        assert_eq!(super::rules(&boxed, &[], &layout).len(), 1);
    }

    #[test]
    fn grid_place_checks_extent_and_area() {
        let grid = tabloid().spec.grid;
        let masthead = grid.masthead_lines;
        assert_eq!(grid_place([2, 3, 20, 10], &grid, Area::Anywhere), Ok([2, 5, 20, 30]));
        let keys =
            |r: Result<Cells, Vec<Problem>>| r.unwrap_err().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys(grid_place([0, 1, 1, 1], &grid, Area::Anywhere)), ["column"]);
        assert_eq!(keys(grid_place([grid.columns, 2, 1, 1], &grid, Area::Anywhere)), ["span"]);
        assert_eq!(keys(grid_place([1, 1, 1, grid.lines + 1], &grid, Area::Anywhere)), ["lines"]);
        assert_eq!(keys(grid_place([1, 9, 0, 1], &grid, Area::Anywhere)), ["span", "line"]);
        // Page 1 keeps its masthead lines; the 报眼 stays within them.
        assert_eq!(keys(grid_place([1, 1, masthead, 5], &grid, Area::BelowMasthead)), ["line"]);
        assert!(grid_place([1, 1, masthead + 1, 5], &grid, Area::BelowMasthead).is_ok());
        assert!(grid_place([4, 2, 1, masthead], &grid, Area::Ear).is_ok());
        assert_eq!(keys(grid_place([4, 2, 1, masthead + 1], &grid, Area::Ear)), ["lines"]);
    }

    #[test]
    fn taken_cells_find_overlaps_but_not_neighbours() {
        let mut taken = Taken::default();
        taken.take([1, 3, 1, 11], "A".into());
        assert_eq!(taken.overlap(&[2, 4, 10, 20]), Some("A"));
        assert_eq!(taken.overlap(&[3, 5, 1, 11]), None);
        assert_eq!(taken.overlap(&[1, 3, 11, 20]), None);
    }
}
