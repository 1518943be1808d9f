//! Holes: grid cells of a page that no frame, picture or masthead covers — a page must have
//! none (开天窗 is a printing error). The report's page table and the proof both show them.

use std::collections::HashMap;

use serde::Serialize;

use super::PlannedPage;
use crate::layout::Layout;

/// A rectangle of grid cells: first column and line (0-based), and how many of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cells {
    pub column: u32,
    pub columns: u32,
    pub line: u32,
    pub lines: u32,
}

/// The holes of a page: grid cells whose centre no frame, picture or (page 1) masthead covers,
/// joined into rectangles.
pub fn holes(page: &PlannedPage, layout: &Layout) -> Vec<Cells> {
    let grid = &layout.spec.grid;
    let cell_width = layout.span_width(1);
    let pitch = grid.line_pitch_pt;
    let taken: Vec<(f64, f64, f64, f64)> = page
        .frames
        .iter()
        .map(|f| (f.x, f.y, f.width, f.height))
        .chain(page.pictures.iter().map(|p| (p.x, p.y, p.width, p.height)))
        .collect();
    let free: Vec<Vec<bool>> = (1..=grid.columns)
        .map(|column| {
            let x = layout.column_x(column) + cell_width / 2.0;
            (0..grid.lines)
                .map(|line| {
                    let y = (f64::from(line) + 0.5) * pitch;
                    let masthead = page.masthead && line < grid.masthead_lines;
                    !masthead && !taken.iter().any(|&(l, t, w, h)| x > l && x < l + w && y > t && y < t + h)
                })
                .collect()
        })
        .collect();
    join_cells(&free)
}

/// Joins free cells (`free[column][line]`) into rectangles: runs down each column, then equal
/// runs in neighbouring columns side by side.
fn join_cells(free: &[Vec<bool>]) -> Vec<Cells> {
    let mut done: Vec<Cells> = Vec::new();
    // Rectangles still open to the right, by their (line, lines).
    let mut open: HashMap<(u32, u32), Cells> = HashMap::new();
    for (column, lines) in (0u32..).zip(free) {
        let mut runs = Vec::new();
        let mut start = None;
        for (line, &is_free) in (0u32..).zip(lines.iter().chain([&false])) {
            match (is_free, start) {
                (true, None) => start = Some(line),
                (false, Some(s)) => {
                    runs.push((s, line - s));
                    start = None;
                }
                _ => {}
            }
        }
        let mut next = HashMap::new();
        for run in runs {
            let cells = match open.remove(&run) {
                Some(c) => Cells { columns: c.columns + 1, ..c },
                None => Cells { column, columns: 1, line: run.0, lines: run.1 },
            };
            next.insert(run, cells);
        }
        done.extend(open.into_values());
        open = next;
    }
    done.extend(open.into_values());
    done.sort_by_key(|c| (c.line, c.column));
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> Vec<Vec<bool>> {
        // Rows are lines, characters columns ('.' free): transpose to [column][line].
        let width = rows[0].len();
        (0..width).map(|c| rows.iter().map(|r| r.as_bytes()[c] == b'.').collect()).collect()
    }

    #[test]
    fn free_cells_join_into_rectangles() {
        let holes = join_cells(&grid(&["##..", "##..", "#...", "####"]));
        assert_eq!(
            holes,
            vec![
                Cells { column: 2, columns: 2, line: 0, lines: 3 },
                Cells { column: 1, columns: 1, line: 2, lines: 1 },
            ]
        );
    }

    #[test]
    fn a_full_page_has_no_holes() {
        assert!(join_cells(&grid(&["###", "###"])).is_empty());
    }
}
