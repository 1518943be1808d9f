//! What the line check finds across lines: an end byline or a signature line set on more than
//! one line, a text column of a part that continues ending above its frame's last line
//! (a professional fills every column, 齐底; the jump line's line counts as used), and a lone
//! line (孤行) at a column's foot or top.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::lines::{BodyLine, Rule, Violation, grid_steps, line_number};
use crate::layout::Layout;
use crate::plan::{Field, Plan};
use crate::typeset::glyphs::Glyph;

/// A closing field: (article, field) — a byline or one signature line.
type Closing = (usize, Field);

/// Bylines and signature lines whose glyphs lie on more than one line.
pub fn split_closings(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<Violation> {
    let placed = glyphs.iter().filter(|g| matches!(g.origin.field, Field::Byline | Field::Signature(_)));
    let placed: Vec<(Closing, (usize, i64))> =
        placed.map(|g| ((g.origin.article, g.origin.field), (g.origin.slot, g.line_key()))).collect();
    split(&placed)
        .into_iter()
        .map(|((a, field), (slot, key))| {
            let steps = grid_steps(key as f64 / 100.0, plan, a, slot, layout);
            let place = ((a, slot, 0), plan.page_number(a, slot), line_number(steps));
            Violation::at(Rule::SplitClosing, place, plan.articles[a].text(field).to_string())
        })
        .collect()
}

/// The closings placed (slot, line key) on more than one line, with the first of their lines.
fn split(placed: &[(Closing, (usize, i64))]) -> Vec<(Closing, (usize, i64))> {
    let mut lines: HashMap<Closing, BTreeSet<(usize, i64)>> = HashMap::new();
    for (closing, at) in placed {
        lines.entry(*closing).or_default().insert(*at);
    }
    let mut split: Vec<_> = lines
        .into_iter()
        .filter(|(_, at)| at.len() > 1)
        .filter_map(|(c, at)| Some((c, *at.first()?)))
        .collect();
    split.sort_by_key(|&((a, _), at)| (a, at));
    split
}

/// Where a text column's text ends: its last line's number and text.
type Ends = BTreeMap<(usize, usize, u32), (u32, String)>;

/// Text columns of every frame but its article's last that end above the frame's last line.
pub fn short_columns(lines: &[BodyLine], glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<Violation> {
    let mut ends = Ends::new();
    for line in lines {
        let end = ends.entry((line.article, line.slot, line.column)).or_default();
        if line.number >= end.0 {
            *end = (line.number, line.text.clone());
        }
    }
    for g in glyphs.iter().filter(|g| g.origin.field == Field::JumpLine) {
        let (a, slot, column) = (g.origin.article, g.origin.slot, g.column(plan, layout));
        let number = line_number(grid_steps(g.baseline, plan, a, slot, layout));
        let end = ends.entry((a, slot, column)).or_default();
        end.0 = end.0.max(number);
    }
    short(&ends, |a, slot| {
        let frame = plan.frame(a, slot);
        (frame.columns, frame.lines, plan.page_number(a, slot))
    })
}

/// 孤行: each text column's last line that opens a paragraph going on in the next column or
/// part, and its first line that ends a paragraph begun before it. `lines` are in reading
/// order.
pub fn lone_lines(lines: &[BodyLine]) -> Vec<Violation> {
    let mut found = Vec::new();
    let column = |l: &BodyLine| (l.article, l.slot, l.column);
    for (i, line) in lines.iter().enumerate() {
        let first = i == 0 || column(&lines[i - 1]) != column(line);
        let last = lines.get(i + 1).is_none_or(|next| column(next) != column(line));
        let at_top = first && line.ends_paragraph && line.continues_paragraph;
        let at_foot = last && !line.ends_paragraph && !line.continues_paragraph;
        if at_top || at_foot {
            found.push(Violation::on(Rule::LoneLine, line));
        }
    }
    found
}

/// 背题: text columns whose last line holds a head (see [`crate::body::Block::is_head`]) with
/// the article's text after it, which then starts the next column or part without its head.
pub fn heads_at_foot(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<Violation> {
    // Each text column's last line: its key, and the last block on it.
    let mut feet: BTreeMap<(usize, usize, u32), (i64, usize, f64)> = BTreeMap::new();
    for g in glyphs {
        let Field::Run(block, _) = g.origin.field else { continue };
        let foot = feet.entry((g.origin.article, g.origin.slot, g.column(plan, layout))).or_insert((
            g.line_key(),
            block,
            g.baseline,
        ));
        if (g.line_key(), block) > (foot.0, foot.1) {
            *foot = (g.line_key(), block, g.baseline);
        }
    }
    let heads = feet.into_iter().filter(|&((a, ..), (_, block, _))| {
        let blocks = &plan.articles[a].blocks;
        blocks[block].is_head() && block + 1 < blocks.len()
    });
    heads
        .map(|((a, slot, column), (_, block, baseline))| {
            let line = line_number(grid_steps(baseline, plan, a, slot, layout));
            let place = ((a, slot, column), plan.page_number(a, slot), line);
            Violation::at(Rule::HeadAtFoot, place, plan.articles[a].blocks[block].text())
        })
        .collect()
}

/// The short columns among `ends`, given each frame's (text columns, lines, page number).
fn short(ends: &Ends, frame: impl Fn(usize, usize) -> (u32, u32, u32)) -> Vec<Violation> {
    let mut last_slot: BTreeMap<usize, usize> = BTreeMap::new();
    for &(a, slot, _) in ends.keys() {
        let last = last_slot.entry(a).or_default();
        *last = (*last).max(slot);
    }
    let slots: BTreeSet<(usize, usize)> = ends.keys().map(|&(a, slot, _)| (a, slot)).collect();
    let mut found = Vec::new();
    for (a, slot) in slots.into_iter().filter(|(a, slot)| *slot < last_slot[a]) {
        let (columns, lines, page) = frame(a, slot);
        for column in 0..columns {
            let (line, text) = ends.get(&(a, slot, column)).cloned().unwrap_or_default();
            if line < lines {
                found.push(Violation::at(Rule::ShortColumn, ((a, slot, column), page, line), text));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_on_two_lines_is_split() {
        let byline = (0, Field::Byline);
        let signature = (0, Field::Signature(1));
        let placed = [
            (byline, (0, 100)),
            (byline, (0, 100)),
            (byline, (0, 1270)),
            (signature, (0, 1400)),
            (signature, (0, 1400)),
        ];
        assert_eq!(split(&placed), vec![(byline, (0, 100))]);
    }

    #[test]
    fn a_paragraphs_first_line_at_a_columns_foot_and_its_last_at_a_columns_top_are_lone() {
        let line = |column, number, continues, ends| BodyLine {
            column,
            number,
            continues_paragraph: continues,
            ends_paragraph: ends,
            text: format!("{column}:{number}"),
            ..BodyLine::default()
        };
        let lines = [
            // Column 0: a whole paragraph, then a paragraph's first line at the foot.
            line(0, 1, false, false),
            line(0, 2, true, true),
            line(0, 3, false, false),
            // Column 1: its second line at the top, then one that goes on into column 2.
            line(1, 1, true, false),
            line(1, 2, true, false),
            // Column 2: its last line alone at the top; a one-line paragraph ends the part.
            line(2, 1, true, true),
            line(2, 2, false, true),
        ];
        let lone: Vec<String> = lone_lines(&lines).into_iter().map(|v| v.text).collect();
        assert_eq!(lone, ["0:3", "2:1"]);
        // A paragraph's first line at the foot is lone, not its last: a one-line paragraph
        // or a paragraph's end there is not.
        assert!(lone_lines(&[line(0, 1, false, true), line(1, 1, false, true)]).is_empty());
    }

    #[test]
    fn columns_of_a_continued_part_must_reach_the_frames_last_line() {
        let mut ends = Ends::new();
        // Article 0: slot 0 has two columns of 10 lines, the second ends at line 9; slot 1 is
        // its last part, and may end anywhere.
        ends.insert((0, 0, 0), (10, "满".into()));
        ends.insert((0, 0, 1), (9, "短".into()));
        ends.insert((0, 1, 0), (3, "末".into()));
        // Article 1 has one frame: its end is free.
        ends.insert((1, 0, 0), (2, "完".into()));
        let found = short(&ends, |_, _| (2, 10, 1));
        let found: Vec<_> = found.iter().map(|v| (v.article, v.line, v.text.as_str())).collect();
        assert_eq!(found, vec![(0, 9, "短")]);
        // A column with no text at all is short too.
        ends.remove(&(0, 0, 1));
        assert_eq!(short(&ends, |_, _| (2, 10, 1)).len(), 1);
    }
}
