//! The line check: the laid-out body lines read back and held to the rules of Chinese setting
//! (clreq, GB/T 15834), so the count of violations is measured, not assumed.
//!
//! - 禁则: no closing punctuation at a line's start, no opening punctuation at its end;
//! - —— and …… never split across two lines;
//! - 孤字: no paragraph ends with a line of one character;
//! - every body baseline on the grid;
//! - a quarter-em space between Chinese and Latin letters (Typst's `cjk-latin-spacing`; digits
//!   are set close to Chinese, as Chinese newspapers set them);
//! - no long word broken at an emergency break (see [`breaks`]); a word broken at a break a
//!   reader expects may open a line with its `.` or `-`.

use std::collections::HashMap;

use serde::Serialize;

use crate::layout::{EPSILON, Layout};
use crate::plan::{Field, Plan};
use crate::typeset::breaks::{Break, breaks, in_word};
use crate::typeset::generate::longest_unbroken;
use crate::typeset::glyphs::Glyph;
use crate::typeset::phrases::{CLOSING, DOUBLED, OPENING, is_punctuation};

/// The least space, in em, between Chinese and Latin letters.
const CJK_LATIN_MIN_EM: f64 = 0.2;
/// Tolerance for baselines on the grid, in pt.
const GRID_EPSILON: f64 = 0.05;

/// One laid-out line of an article's body, as the check needs it.
#[derive(Debug, Clone, Default)]
pub struct BodyLine {
    pub article: usize,
    /// The part's slot in the article's chain, and the text column the line is set in.
    pub slot: usize,
    pub column: u32,
    pub page: u32,
    /// The line's grid line inside its frame, 1-based.
    pub number: u32,
    /// The line's characters, whitespace left out.
    pub text: String,
    /// Whether this is the last line of a paragraph.
    pub ends_paragraph: bool,
    /// Whether the paragraph has lines before this one.
    pub continues_paragraph: bool,
    /// Whether the line's baseline sits on the grid.
    pub on_grid: bool,
    /// Chinese and Latin-letter neighbours on the line set without their space.
    pub tight_pairs: usize,
    /// Whether the line starts inside a long word, at a break a reader expects (a URL's `.`
    /// may then open the line).
    pub starts_in_word: bool,
    /// Whether the line ends inside a word at an emergency break.
    pub emergency_break: bool,
}

/// What a rule found wrong, counted per article in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// 行首禁则: closing punctuation opens a line.
    ClosingAtStart,
    /// 行尾禁则: opening punctuation ends a line.
    OpeningAtEnd,
    /// —— or …… split across lines.
    SplitDoubled,
    /// 孤字: a paragraph's last line holds one character.
    LoneCharacter,
    /// A body baseline off the grid.
    OffGrid,
    /// Chinese and Latin letters set without their space.
    CjkLatinSpacing,
    /// A long word broken where no rule allows, because no allowed break fit the column.
    EmergencyBreak,
    /// A headline line that ends inside a word (see [`crate::check::headlines`]).
    HeadlineBreak,
    /// A title on more lines than the layout's `title-max-lines`, at its least size.
    TitleLines,
    /// A title larger than its page's lead's, or than one of a higher rank.
    TitleInversion,
    /// 碰题: the title lines of side-by-side frames at the same height.
    TitleClash,
}

/// Counts of each rule's violations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    pub closing_at_start: usize,
    pub opening_at_end: usize,
    pub split_doubled: usize,
    pub lone_character: usize,
    pub off_grid: usize,
    pub cjk_latin_spacing: usize,
    pub emergency_break: usize,
    pub headline_break: usize,
    pub title_lines: usize,
    pub title_inversion: usize,
    pub title_clash: usize,
}

impl Counts {
    pub fn add(&mut self, rule: Rule) {
        *match rule {
            Rule::ClosingAtStart => &mut self.closing_at_start,
            Rule::OpeningAtEnd => &mut self.opening_at_end,
            Rule::SplitDoubled => &mut self.split_doubled,
            Rule::LoneCharacter => &mut self.lone_character,
            Rule::OffGrid => &mut self.off_grid,
            Rule::CjkLatinSpacing => &mut self.cjk_latin_spacing,
            Rule::EmergencyBreak => &mut self.emergency_break,
            Rule::HeadlineBreak => &mut self.headline_break,
            Rule::TitleLines => &mut self.title_lines,
            Rule::TitleInversion => &mut self.title_inversion,
            Rule::TitleClash => &mut self.title_clash,
        } += 1;
    }
}

/// One violation: the rule, and the line it was found on.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub rule: Rule,
    pub article: usize,
    pub slot: usize,
    pub column: u32,
    pub page: u32,
    pub line: u32,
    pub text: String,
    /// What the rule's wording leaves out, e.g. the size a title would need.
    pub detail: Option<String>,
}

impl Violation {
    pub fn describe(&self, article_id: &str) -> String {
        let what = match self.rule {
            Rule::ClosingAtStart => "a line starts with closing punctuation (行首禁则)",
            Rule::OpeningAtEnd => "a line ends with opening punctuation (行尾禁则)",
            Rule::SplitDoubled => "—— or …… is split across lines",
            Rule::LoneCharacter => "a paragraph ends with a single character (孤字)",
            Rule::OffGrid => "a body line is off the grid",
            Rule::CjkLatinSpacing => "Chinese and Latin letters touch without their space",
            Rule::EmergencyBreak => "a word is broken where no rule allows, as nothing else fit the column",
            Rule::HeadlineBreak => "a headline line is broken inside a word",
            Rule::TitleLines => "the title takes more lines than the layout's title-max-lines",
            Rule::TitleInversion => {
                "the title is larger than that of an article ranked above it (标题层次倒置)"
            }
            Rule::TitleClash => {
                "the title stands beside a neighbouring frame's title at the same height (碰题)"
            }
        };
        let detail = self.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
        format!(
            "article `{article_id}`, page {}, line {}: {what}: “{}”{detail}",
            self.page, self.line, self.text
        )
    }
}

/// Checks lines given in reading order, article by article.
pub fn check(lines: &[BodyLine]) -> Vec<Violation> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let violation = |rule| Violation {
            rule,
            article: line.article,
            slot: line.slot,
            column: line.column,
            page: line.page,
            line: line.number,
            text: line.text.clone(),
            detail: None,
        };
        let (Some(first), Some(last)) = (line.text.chars().next(), line.text.chars().last()) else {
            continue;
        };
        if CLOSING.contains(first) && !line.starts_in_word {
            found.push(violation(Rule::ClosingAtStart));
        }
        if OPENING.contains(last) {
            found.push(violation(Rule::OpeningAtEnd));
        }
        let next = lines.get(i + 1).filter(|n| n.article == line.article && !line.ends_paragraph);
        if let Some(next) = next
            && DOUBLED.contains(last)
            && next.text.starts_with(last)
        {
            found.push(violation(Rule::SplitDoubled));
        }
        let letters = || line.text.chars().filter(|c| !is_punctuation(*c)).count();
        if line.ends_paragraph && line.continues_paragraph && letters() == 1 {
            found.push(violation(Rule::LoneCharacter));
        }
        if !line.on_grid {
            found.push(violation(Rule::OffGrid));
        }
        for _ in 0..line.tight_pairs {
            found.push(violation(Rule::CjkLatinSpacing));
        }
        if line.emergency_break {
            found.push(violation(Rule::EmergencyBreak));
        }
    }
    found
}

/// A body line: (article, chain slot, text column, [`Glyph::line_key`]).
type LineKey = (usize, usize, u32, i64);

/// Reads the body lines of every article back from its verified glyphs, in reading order.
pub fn lines(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<BodyLine> {
    let grouped = group(glyphs, plan, layout);
    let mut lines: Vec<(BodyLine, Option<usize>, Option<usize>, bool)> =
        grouped.into_iter().map(|(key, glyphs)| line(key, glyphs, plan, layout)).collect();
    // A line ends its paragraph when the next line of the article starts another block.
    let n = lines.len();
    for i in 0..n {
        let ends = match lines.get(i + 1) {
            Some((next, first, _, starts)) if next.article == lines[i].0.article => {
                *starts || first.zip(lines[i].2).is_some_and(|(f, l)| f > l)
            }
            _ => true,
        };
        lines[i].0.ends_paragraph = ends;
    }
    lines.into_iter().map(|(line, ..)| line).collect()
}

/// The glyphs of each body line, lines in reading order.
fn group<'g, 'a>(
    glyphs: &'g [Glyph<'a>],
    plan: &Plan,
    layout: &Layout,
) -> Vec<(LineKey, Vec<&'g Glyph<'a>>)> {
    let (ox, _) = layout.type_origin();
    // Glyphs come line by line, so most find their line as the one before did.
    let mut grouped: Vec<(LineKey, Vec<&Glyph>)> = Vec::new();
    let mut index: HashMap<LineKey, usize> = HashMap::new();
    for glyph in glyphs {
        let o = glyph.origin;
        if !plan.articles[o.article].is_prose(o.field) {
            continue;
        }
        let frame = plan.frame(o.article, o.slot);
        let (column, _) = frame.column_at(ox + frame.x, glyph.x);
        let key = (o.article, o.slot, column, glyph.line_key());
        match grouped.last_mut() {
            Some((last, glyphs)) if *last == key => glyphs.push(glyph),
            _ => {
                let i = *index.entry(key).or_insert_with(|| {
                    grouped.push((key, Vec::new()));
                    grouped.len() - 1
                });
                grouped[i].1.push(glyph);
            }
        }
    }
    grouped.sort_unstable_by_key(|(key, _)| *key);
    grouped
}

/// One body line from its glyphs, with the first and last block it holds and whether it
/// starts a block (the paragraph ends are found from its neighbours).
fn line(
    (a, slot, column, _): LineKey,
    mut glyphs: Vec<&Glyph>,
    plan: &Plan,
    layout: &Layout,
) -> (BodyLine, Option<usize>, Option<usize>, bool) {
    let (_, oy) = layout.type_origin();
    let pitch = layout.spec.grid.line_pitch_pt;
    let body_size = layout.body_size();
    glyphs.sort_by(|x, y| x.x.total_cmp(&y.x));
    let top = oy + plan.frame(a, slot).y;
    let steps = (glyphs[0].baseline - top - layout.spec.grid.ascent_em * body_size) / pitch;
    let on_grid = glyphs.iter().any(|g| (g.size - body_size).abs() > EPSILON)
        || (steps - steps.round()).abs() * pitch < GRID_EPSILON;
    let blocks: Vec<usize> = glyphs.iter().filter_map(|g| g.cut().map(|c| c.block)).collect();
    let starts_block = glyphs.iter().find_map(|g| g.cut()).is_some_and(|c| c.at_block_start())
        || glyphs.iter().any(|g| g.origin.field == Field::Dateline);
    let line = BodyLine {
        article: a,
        slot,
        column,
        page: plan.page_number(a, slot),
        number: (steps.round().max(0.0) as u32) + 1,
        text: glyphs.iter().flat_map(|g| g.text.chars()).filter(|c| !c.is_whitespace()).collect(),
        ends_paragraph: false,
        continues_paragraph: !starts_block,
        on_grid,
        tight_pairs: tight_pairs(&glyphs, body_size),
        starts_in_word: glyphs
            .first()
            .is_some_and(|g| word_break_at(g, g.bytes.start, plan, layout).is_some()),
        emergency_break: glyphs
            .last()
            .is_some_and(|g| word_break_at(g, g.bytes.end, plan, layout) == Some(Break::Emergency)),
    };
    (line, blocks.first().copied(), blocks.last().copied(), starts_block)
}

/// The break the generator put at byte `at` of the glyph's run, if the text there is inside a
/// word: what a line starting or ending there was broken at.
fn word_break_at(glyph: &Glyph, at: usize, plan: &Plan, layout: &Layout) -> Option<Break> {
    let Field::Run(b, r) = glyph.origin.field else { return None };
    let text = &plan.articles[glyph.origin.article].blocks[b].runs[r].text;
    let word = |c: Option<char>| c.is_some_and(in_word);
    if !word(text.get(..at)?.chars().next_back()) || !word(text.get(at..)?.chars().next()) {
        return None;
    }
    let longest = longest_unbroken(layout, plan.frame(glyph.origin.article, glyph.origin.slot));
    breaks(text, longest).into_iter().find(|&(offset, _)| offset == at).map(|(_, kind)| kind)
}

/// Neighbouring glyphs, one Chinese and one a Latin letter, with less than
/// [`CJK_LATIN_MIN_EM`] between them.
fn tight_pairs(glyphs: &[&Glyph], size: f64) -> usize {
    glyphs
        .windows(2)
        .filter(|w| {
            let (a, b) = (w[0], w[1]);
            let (Some(x), Some(y)) = (a.text.chars().last(), b.text.chars().next()) else { return false };
            let mixed = (is_han(x) && y.is_ascii_alphabetic()) || (x.is_ascii_alphabetic() && is_han(y));
            mixed && b.x - (a.x + a.natural) < CJK_LATIN_MIN_EM * size - EPSILON
        })
        .count()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> BodyLine {
        BodyLine { text: text.into(), on_grid: true, number: 1, page: 1, ..BodyLine::default() }
    }

    fn rules(lines: &[BodyLine]) -> Vec<Rule> {
        check(lines).into_iter().map(|v| v.rule).collect()
    }

    #[test]
    fn finds_each_kind_of_violation() {
        assert_eq!(rules(&[line("，开头")]), vec![Rule::ClosingAtStart]);
        assert_eq!(rules(&[line("结尾“")]), vec![Rule::OpeningAtEnd]);
        assert_eq!(rules(&[line("破折号—"), line("—之后")]), vec![Rule::SplitDoubled]);
        assert_eq!(rules(&[line("省略号…"), line("…之后")]), vec![Rule::SplitDoubled]);
        let lone = BodyLine { ends_paragraph: true, continues_paragraph: true, ..line("了。") };
        assert_eq!(rules(&[lone]), vec![Rule::LoneCharacter]);
        assert_eq!(rules(&[BodyLine { on_grid: false, ..line("正文") }]), vec![Rule::OffGrid]);
        assert_eq!(rules(&[BodyLine { tight_pairs: 2, ..line("用CPU算") }]), vec![Rule::CjkLatinSpacing; 2]);
    }

    #[test]
    fn clean_lines_pass() {
        let first = line("“引号”在行首，逗号在行中。");
        let last = BodyLine { ends_paragraph: true, continues_paragraph: true, ..line("两个字。") };
        assert!(rules(&[first, last]).is_empty());
        // A one-line paragraph of one character is no 孤字: it has no lines before it.
        assert!(rules(&[BodyLine { ends_paragraph: true, ..line("好") }]).is_empty());
        // A dash may end one paragraph and another open the next.
        let end = BodyLine { ends_paragraph: true, ..line("完—") };
        assert!(rules(&[end, line("—开始")]).is_empty());
    }
}
