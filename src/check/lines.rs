//! The line check: the laid-out body lines read back and held to the rules of Chinese setting
//! (clreq, GB/T 15834), so the count of violations is measured, not assumed.
//!
//! - 禁则: no closing punctuation at a line's start, no opening punctuation at its end, no
//!   connecting dash (— alone, ～, –) or interpunct (·, ・) at a line's start;
//! - —— and …… never split across two lines;
//! - 孤字: no paragraph ends with a line of one character;
//! - every body baseline on the grid;
//! - no line looser than the layout's `max-stretch-em` between two characters (see [`spacing`]);
//! - a quarter-em space between Chinese and Latin letters (Typst's `cjk-latin-spacing`), and
//!   between Chinese and digits the layout's `cjk-digit-spacing`;
//! - no long word broken at an emergency break (see [`breaks`]); a word broken at a break a
//!   reader expects may open a line with its `.` or `-`;
//! - full-width punctuation set full width or half (at a line's end or start, beside another
//!   mark, or halved to pull a character in), never at a width between (see
//!   [`spacing::odd_punctuation`]);
//! - an end byline or a signature line never split across lines, and no text column of a
//!   part that continues ending above its frame's last line (see [`columns`]).

use std::collections::HashMap;

use serde::Serialize;

use super::columns;
use super::spacing;
use crate::body::Cut;
use crate::layout::{DigitSpacing, EPSILON, Layout};
use crate::plan::{At, Field, Mends, Plan};
use crate::typeset::breaks::{Break, breaks, in_word};
use crate::typeset::generate::longest_unbroken;
use crate::typeset::glyphs::Glyph;
use crate::typeset::joins::{CLOSING_QUOTES, CONNECTING};
use crate::typeset::phrases::{CLOSING, DOUBLED, OPENING, is_punctuation};
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
    /// The widest space justification added between two neighbouring characters, in em,
    /// beyond the tracking copy-fit set for the whole article (even colour, not a loose line).
    pub stretch_em: f64,
    /// Chinese and Latin-letter neighbours on the line set without their space.
    pub tight_pairs: usize,
    /// The space between each Chinese character and a digit beside it, in em.
    pub digit_spaces: Vec<f64>,
    /// Whether the line starts inside a long word, at a break a reader expects (a URL's `.`
    /// may then open the line).
    pub starts_in_word: bool,
    /// Whether the line ends inside a word at an emergency break.
    pub emergency_break: bool,
    /// The space justification added between the line's characters in all, in em.
    pub slack_em: f64,
    /// The full-width punctuation set neither full nor half where the rule wants it (see
    /// [`spacing::odd_punctuation`]).
    pub odd_punctuation: Vec<(char, f64)>,
    /// The line's first word (Latin letters, digits, a URL, or a closing byline that opens the
    /// line): how many characters precede it on the line, and where it starts (block, run,
    /// byte offset into the run's text; for the byline, the end of the last run).
    pub first_word: Option<(usize, (usize, usize, usize))>,
    /// Where the line's first character is (see [`start_of`]): the break before the line.
    pub start: Option<Cut>,
    /// For a line Typst squeezed, where the marks to halve are (see [`spacing::halving`]).
    pub halving: Option<Vec<Cut>>,
    /// Where a loose line's characters are in the body (none for a line within the bound):
    /// the halves among them are declined.
    pub places: Vec<Cut>,
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
    /// A justified line looser than the layout's `max-stretch-em`.
    LooseLine,
    /// A connecting dash or interpunct opens a line.
    DashAtStart,
    /// Chinese and digits spaced otherwise than the layout's `cjk-digit-spacing`.
    DigitSpacing,
    /// An end byline or a signature line split across lines.
    SplitClosing,
    /// A text column of a part that continues ends above its frame's last line.
    ShortColumn,
    /// 孤行: a paragraph's first line alone at a text column's foot, or its last line alone at
    /// a column's top.
    LoneLine,
    /// A line setting full-width punctuation at a width between full and half (counted once a
    /// line).
    PunctuationWidth,
    /// 背题: a subhead or run-in head ends a text column, its text in the next.
    HeadAtFoot,
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
    pub loose_line: usize,
    pub dash_at_start: usize,
    pub digit_spacing: usize,
    pub split_closing: usize,
    pub short_column: usize,
    pub lone_line: usize,
    pub punctuation_width: usize,
    pub head_at_foot: usize,
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
            Rule::LooseLine => &mut self.loose_line,
            Rule::DashAtStart => &mut self.dash_at_start,
            Rule::DigitSpacing => &mut self.digit_spacing,
            Rule::SplitClosing => &mut self.split_closing,
            Rule::ShortColumn => &mut self.short_column,
            Rule::LoneLine => &mut self.lone_line,
            Rule::PunctuationWidth => &mut self.punctuation_width,
            Rule::HeadAtFoot => &mut self.head_at_foot,
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

/// Where a violation is: (article, chain slot, text column), its page and its grid line.
pub type Place = ((usize, usize, u32), u32, u32);

impl Violation {
    /// A violation of `rule` found at `place`, on a line holding `text`.
    pub fn at(rule: Rule, ((article, slot, column), page, line): Place, text: String) -> Violation {
        Violation { rule, article, slot, column, page, line, text, detail: None }
    }

    /// A violation of `rule` found on body line `line`.
    pub fn on(rule: Rule, line: &BodyLine) -> Violation {
        let place = ((line.article, line.slot, line.column), line.page, line.number);
        Violation::at(rule, place, line.text.clone())
    }

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
            Rule::LooseLine => "a line is looser than the layout's max-stretch-em",
            Rule::DashAtStart => "a line starts with a connecting dash or interpunct (行首禁则)",
            Rule::DigitSpacing => {
                "Chinese and digits are spaced otherwise than the layout's cjk-digit-spacing"
            }
            Rule::SplitClosing => "a byline or signature line is split across lines",
            Rule::ShortColumn => "a column of a continued part ends above the frame's last line",
            Rule::LoneLine => {
                "a paragraph's first line stands alone at a column's foot, or its last line at a column's top (孤行)"
            }
            Rule::PunctuationWidth => "a line sets punctuation neither full width nor half width",
            Rule::HeadAtFoot => "a subhead or bold head ends a column, its text in the next (背题)",
        };
        let detail = self.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
        format!(
            "article `{article_id}`, page {}, line {}: {what}: “{}”{detail}",
            self.page, self.line, self.text
        )
    }
}

/// What the layout allows the lines: how loose, and how digits sit beside Chinese.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_stretch_em: f64,
    pub digit_spacing: DigitSpacing,
}

impl Limits {
    pub fn of(layout: &Layout) -> Limits {
        let article = &layout.spec.article;
        Limits { max_stretch_em: article.max_stretch_em, digit_spacing: article.cjk_digit_spacing }
    }
}

/// Every violation on the laid-out pages: the body lines' ([`check`]), split closings, short
/// columns, lone lines and heads at a column's foot ([`columns`]).
pub fn check_pages(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Vec<Violation> {
    let lines = lines(glyphs, plan, layout);
    let mut found = check(&lines, &Limits::of(layout));
    found.extend(columns::split_closings(glyphs, plan, layout));
    found.extend(columns::short_columns(&lines, glyphs, plan, layout));
    found.extend(columns::lone_lines(&lines));
    found.extend(columns::heads_at_foot(glyphs, plan, layout));
    found
}

/// Checks lines given in reading order, article by article.
pub fn check(lines: &[BodyLine], limits: &Limits) -> Vec<Violation> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let violation = |rule| Violation::on(rule, line);
        let (Some(first), Some(last)) = (line.text.chars().next(), line.text.chars().last()) else {
            continue;
        };
        // A paragraph's own first or last character is no break's doing; a Latin mark with a
        // letter or digit right after it opens a word (`.list`, `.org`), it closes nothing.
        let opens_word =
            first.is_ascii_punctuation() && line.text.chars().nth(1).is_some_and(char::is_alphanumeric);
        if CLOSING.contains(first) && line.continues_paragraph && !line.starts_in_word && !opens_word {
            found.push(violation(Rule::ClosingAtStart));
        }
        if OPENING.contains(last) && !line.ends_paragraph {
            found.push(violation(Rule::OpeningAtEnd));
        }
        let next = lines.get(i + 1).filter(|n| n.article == line.article && !line.ends_paragraph);
        if next.is_some_and(|next| DOUBLED.contains(last) && next.text.starts_with(last)) {
            found.push(violation(Rule::SplitDoubled));
        }
        // A —— split across lines is counted once, on the line it ends.
        let previous = i.checked_sub(1).map(|p| &lines[p]);
        let previous = previous.filter(|p| p.article == line.article && !p.ends_paragraph);
        let after_split = previous.is_some_and(|p| p.text.ends_with(first) && DOUBLED.contains(first));
        // A paragraph may open with a dash; a line broken before one may not.
        let broken_before = line.continues_paragraph && !line.starts_in_word && !after_split;
        if broken_before && opens_with_connecting(&line.text) {
            found.push(violation(Rule::DashAtStart));
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
        if line.stretch_em > limits.max_stretch_em + spacing::TOLERANCE_EM {
            let detail = format!("+{:.2} em between two characters", line.stretch_em);
            found.push(Violation { detail: Some(detail), ..violation(Rule::LooseLine) });
        }
        if !line.odd_punctuation.is_empty() {
            let marks: Vec<String> =
                line.odd_punctuation.iter().map(|(c, em)| format!("“{c}” {em:.2} em")).collect();
            let detail = Some(marks.join(", "));
            found.push(Violation { detail, ..violation(Rule::PunctuationWidth) });
        }
        let spaced = |em: f64| em >= spacing::SPACED_EM;
        let wanted = limits.digit_spacing != DigitSpacing::None;
        for _ in line.digit_spaces.iter().filter(|em| spaced(**em) != wanted) {
            found.push(violation(Rule::DigitSpacing));
        }
    }
    found
}

/// Whether `text` opens with a connecting mark: a dash that is not the first of ——, or ～, –,
/// ·, ・.
fn opens_with_connecting(text: &str) -> bool {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('—'), Some('—')) => false,
        (Some(c), _) => CONNECTING.contains(c),
        _ => false,
    }
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
    // Glyphs come line by line, so most find their line as the one before did.
    let mut grouped: Vec<(LineKey, Vec<&Glyph>)> = Vec::new();
    let mut index: HashMap<LineKey, usize> = HashMap::new();
    for glyph in glyphs {
        let o = glyph.origin;
        if !plan.articles[o.article].is_prose(o.field) {
            continue;
        }
        let key = (o.article, o.slot, glyph.column(plan, layout), glyph.line_key());
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
    let body_size = layout.body_size();
    glyphs.sort_by(|x, y| x.x.total_cmp(&y.x));
    let steps = grid_steps(glyphs[0].baseline, plan, a, slot, layout);
    let on_grid = glyphs.iter().any(|g| (g.size - body_size).abs() > EPSILON)
        || (steps - steps.round()).abs() * layout.spec.grid.line_pitch_pt < GRID_EPSILON;
    let blocks: Vec<usize> = glyphs.iter().filter_map(|g| g.cut().map(|c| c.block)).collect();
    let starts_block = glyphs.iter().find_map(|g| g.cut()).is_some_and(|c| c.at_block_start())
        || glyphs.iter().any(|g| g.origin.field == Field::Dateline);
    let pairs = spacing::pairs(&glyphs);
    let tracking = plan.frame(a, slot).tracking_em;
    let stretch_em = spacing::stretch(&pairs, tracking);
    let justified = justification(&pairs, tracking, layout);
    // What each gap between the line's characters gave up beyond the article's tracking.
    let gap_squeeze = (tracking - justified.chars).max(0.0);
    let line = BodyLine {
        article: a,
        slot,
        column,
        page: plan.page_number(a, slot),
        number: line_number(steps),
        text: glyphs.iter().flat_map(|g| g.text.chars()).filter(|c| !c.is_whitespace()).collect(),
        ends_paragraph: false,
        continues_paragraph: !starts_block,
        on_grid,
        stretch_em,
        tight_pairs: spacing::beside_han(&pairs, |c| !c.is_ascii_digit())
            .into_iter()
            .filter(|em| *em < spacing::SPACED_EM)
            .count(),
        digit_spaces: spacing::beside_han(&pairs, |c| c.is_ascii_digit()),
        starts_in_word: glyphs
            .first()
            .is_some_and(|g| word_break_at(g, g.bytes.start, plan, layout).is_some()),
        emergency_break: glyphs
            .last()
            .is_some_and(|g| word_break_at(g, g.bytes.end, plan, layout) == Some(Break::Emergency)),
        slack_em: spacing::slack(&pairs),
        odd_punctuation: spacing::odd_punctuation(&glyphs, justified),
        first_word: first_word(&glyphs, plan),
        start: glyphs.iter().find(|g| !g.text.trim().is_empty()).and_then(|g| start_of(g, plan)),
        halving: spacing::halving(&glyphs, justified, gap_squeeze, layout.spec.article.squeeze_em)
            .map(|marks| marks.into_iter().filter_map(|g| g.cut()).collect()),
        places: match stretch_em > layout.spec.article.max_stretch_em + spacing::TOLERANCE_EM {
            true => glyphs.iter().filter_map(|g| g.cut()).collect(),
            false => Vec::new(),
        },
    };
    (line, blocks.first().copied(), blocks.last().copied(), starts_block)
}

/// How many grid lines below the first line of article `a`'s frame of slot `slot` a baseline
/// at `baseline` (pt on the page) sits: a whole number for a line on the grid.
pub(super) fn grid_steps(baseline: f64, plan: &Plan, a: usize, slot: usize, layout: &Layout) -> f64 {
    let (_, oy) = layout.type_origin();
    let top = oy + plan.frame(a, slot).y;
    (baseline - top - layout.spec.grid.ascent_em * layout.body_size()) / layout.spec.grid.line_pitch_pt
}

/// The 1-based grid line of a baseline `steps` lines below the frame's first.
pub(super) fn line_number(steps: f64) -> u32 {
    (steps.round().max(0.0) as u32) + 1
}

/// What justification gave a line (see [`spacing::Justification`]): a tightened article's
/// lines have no stretch of their own (see the template's frame).
fn justification(pairs: &[spacing::Pair], tracking: f64, layout: &Layout) -> spacing::Justification {
    let own = if tracking < 0.0 { 0.0 } else { layout.spec.article.stretch_em };
    spacing::Justification::of(spacing::justification(pairs), tracking, own)
}

/// Where glyph `g` starts in its article's body text: a closing byline starts where the last
/// run ends.
fn start_of(g: &Glyph, plan: &Plan) -> Option<Cut> {
    if g.origin.field == Field::Byline {
        let blocks = &plan.articles[g.origin.article].blocks;
        let block = blocks.len().checked_sub(1)?;
        let run = blocks[block].runs.len().checked_sub(1)?;
        return Some(Cut { block, run, offset: blocks[block].runs[run].text.len() });
    }
    g.cut()
}

/// The first word of a line's glyphs ([`BodyLine::first_word`]).
fn first_word(glyphs: &[&Glyph], plan: &Plan) -> Option<(usize, (usize, usize, usize))> {
    let mut visible = glyphs.iter().filter(|g| !g.text.trim().is_empty()).peekable();
    if let Some(g) = visible.peek().filter(|g| g.origin.field == Field::Byline) {
        let Cut { block, run, offset } = start_of(g, plan)?;
        return Some((0, (block, run, offset)));
    }
    let visible: Vec<&&Glyph> = visible.collect();
    // Closing quotation marks are narrow in Unicode's widths, yet start no word (a break
    // before one would open a line with it).
    let starts_word = |c: char| in_word(c) && !CLOSING_QUOTES.contains(c);
    let word = visible.iter().position(|g| g.text.chars().next().is_some_and(starts_word))?;
    // Opening marks before the word go with it: no line may end with one (禁则).
    let opening = |g: &&Glyph| g.text.chars().next().is_some_and(|c| OPENING.contains(c));
    let before = (0..word).rev().take_while(|&k| opening(visible[k])).last().unwrap_or(word);
    let g = visible[before];
    let Field::Run(b, r) = g.origin.field else { return None };
    Some((before, (b, r, g.bytes.start)))
}

/// Where a cut of article `a`'s body is, as mends key it.
fn at(a: usize, c: Cut) -> At {
    (a, c.block, c.run, c.offset)
}

/// What to change in the lines of the laid-out pages ([`Mends`]): the breaks to set
/// unjustified ([`ragged`]), the squeezed lines' kept breaks and halved marks
/// ([`squeezed_lines`]), and as declined every character of a loose line (the engine declines
/// those it halved).
pub fn mends(glyphs: &[Glyph], plan: &Plan, layout: &Layout) -> Mends {
    let lines = lines(glyphs, plan, layout);
    let limits = Limits::of(layout);
    let (kept, halved) = squeezed_lines(&lines);
    let ragged = ragged(&lines, &limits).into_iter().collect();
    // A halved mark on a loose line is declined (see [`Mends::declined`]).
    let declined = lines.iter().flat_map(|l| l.places.iter().map(|&c| at(l.article, c))).collect();
    Mends { ragged, kept: kept.into_iter().collect(), halved: halved.into_iter().collect(), declined }
}

/// The breaks to keep and the marks to halve so that each line Typst squeezed holds what it
/// holds with marks of half width (see [`spacing::halving`]): the line's breaks are kept — the
/// one before it unless it opens its paragraph or part, the one after it unless it ends
/// them — so the marks' room goes to the line, not to a new choice of breaks. A line whose
/// breaks cannot be kept (one starts at text that is not the body's) or that has too few
/// marks to halve stays as set: its remaining squeeze would fall on the halved marks again.
fn squeezed_lines(lines: &[BodyLine]) -> (Vec<At>, Vec<At>) {
    let (mut kept, mut halved) = (Vec::new(), Vec::new());
    let same_part = |a: &BodyLine, b: &BodyLine| (a.article, a.slot) == (b.article, b.slot);
    for (i, line) in lines.iter().enumerate() {
        let Some(marks) = &line.halving else {
            continue;
        };
        let previous = i.checked_sub(1).map(|p| &lines[p]);
        let before = previous.filter(|p| line.continues_paragraph && same_part(p, line)).map(|_| line.start);
        let next = lines.get(i + 1).filter(|n| !line.ends_paragraph && same_part(n, line));
        let after = next.map(|n| n.start);
        if before == Some(None) || after == Some(None) {
            continue;
        }
        kept.extend(before.flatten().into_iter().chain(after.flatten()).map(|c| at(line.article, c)));
        halved.extend(marks.iter().map(|&c| at(line.article, c)));
    }
    (kept, halved)
}

/// The breaks after each line looser than the layout allows whose paragraph goes on with a
/// word (Latin letters, digits, a URL or mail address) at or near the next line's start: the
/// word moved whole, having no break a reader accepts, and left too little on its line to
/// justify. Such a line reads better flush to its start, as a setter leaves a contact line
/// before a phone number, than with its characters spread apart (联 系 人 ： 王 波); the
/// characters before the word come back to it when its added space holds them (联系人：王 ‖
/// 波 13935108044 becomes 联系人：王波 ‖ 13935108044).
fn ragged(lines: &[BodyLine], limits: &Limits) -> Vec<(usize, usize, usize, usize)> {
    let mut found = Vec::new();
    for pair in lines.windows(2) {
        let (line, next) = (&pair[0], &pair[1]);
        let loose = line.stretch_em > limits.max_stretch_em + spacing::TOLERANCE_EM;
        // In the same text column: a column's last line stays justified, as the next column
        // goes on with it.
        let same_column = (next.article, next.slot, next.column) == (line.article, line.slot, line.column);
        let goes_on = !line.ends_paragraph && same_column;
        match next.first_word {
            // Each character coming back takes an em, and the line keeps half an em spare.
            Some((before, (b, r, at))) if loose && goes_on && before as f64 + 0.5 <= line.slack_em => {
                found.push((line.article, b, r, at));
            }
            _ => {}
        }
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> BodyLine {
        BodyLine { text: text.into(), on_grid: true, number: 1, page: 1, ..BodyLine::default() }
    }

    fn rules(lines: &[BodyLine]) -> Vec<Rule> {
        let limits = Limits { max_stretch_em: 0.1, digit_spacing: DigitSpacing::None };
        check(lines, &limits).into_iter().map(|v| v.rule).collect()
    }

    #[test]
    fn finds_each_kind_of_violation() {
        let within = |text| BodyLine { continues_paragraph: true, ..line(text) };
        assert_eq!(rules(&[within("，开头")]), vec![Rule::ClosingAtStart]);
        assert_eq!(rules(&[within(". 开头")]), vec![Rule::ClosingAtStart]);
        // A file's extension opens a word: 扩展名为 ‖ .list的文件.
        assert!(rules(&[within(".list的文件")]).is_empty());
        assert_eq!(rules(&[line("结尾“")]), vec![Rule::OpeningAtEnd]);
        // A paragraph that begins with a closing mark or ends with an opening one broke nowhere.
        assert!(rules(&[line("}")]).is_empty());
        let last = BodyLine { ends_paragraph: true, ..line("/var/log/dpkg {") };
        assert!(rules(&[last]).is_empty());
        assert_eq!(rules(&[line("破折号—"), line("—之后")]), vec![Rule::SplitDoubled]);
        assert_eq!(rules(&[line("省略号…"), line("…之后")]), vec![Rule::SplitDoubled]);
        let lone = BodyLine { ends_paragraph: true, continues_paragraph: true, ..line("了。") };
        assert_eq!(rules(&[lone]), vec![Rule::LoneCharacter]);
        assert_eq!(rules(&[BodyLine { on_grid: false, ..line("正文") }]), vec![Rule::OffGrid]);
        assert_eq!(rules(&[BodyLine { tight_pairs: 2, ..line("用CPU算") }]), vec![Rule::CjkLatinSpacing; 2]);
    }

    #[test]
    fn finds_loose_lines_dashes_at_a_lines_start_and_digits_spaced_against_the_layout() {
        assert_eq!(rules(&[BodyLine { stretch_em: 1.0, ..line("联系人：王波") }]), vec![Rule::LooseLine]);
        assert!(rules(&[BodyLine { stretch_em: 0.1, ..line("正好") }]).is_empty());
        let within = |text| BodyLine { continues_paragraph: true, ..line(text) };
        assert_eq!(rules(&[within("—氢能商用车")]), vec![Rule::DashAtStart]);
        assert_eq!(rules(&[within("～30日")]), vec![Rule::DashAtStart]);
        assert_eq!(rules(&[within("·恩格斯")]), vec![Rule::DashAtStart]);
        // A 破折号 may open a line; one split across lines is counted once, as split.
        assert!(rules(&[within("——他说")]).is_empty());
        assert_eq!(rules(&[line("他说—"), within("—好")]), vec![Rule::SplitDoubled]);
        let spaced = BodyLine { digit_spaces: vec![0.25, 0.0], ..line("200辆") };
        assert_eq!(rules(&[spaced]), vec![Rule::DigitSpacing]);
        let squeezed =
            BodyLine { odd_punctuation: vec![('，', 0.71), ('、', 0.71)], ..line("好，多、少") };
        assert_eq!(rules(&[squeezed]), vec![Rule::PunctuationWidth]);
    }

    #[test]
    fn a_squeezed_line_keeps_its_breaks_and_halves_its_marks() {
        let cut = |offset| Cut { block: 0, run: 0, offset };
        let first = BodyLine { start: Some(cut(0)), ..line("聚焦主业转型，打造铝镁专业") };
        let squeezed = BodyLine {
            start: Some(cut(39)),
            continues_paragraph: true,
            halving: Some(vec![cut(57)]),
            ..line("镇，推进项目建设，聚焦主业转")
        };
        let last = BodyLine {
            start: Some(cut(81)),
            continues_paragraph: true,
            ends_paragraph: true,
            ..line("型。")
        };
        let (kept, halved) = squeezed_lines(&[first.clone(), squeezed.clone(), last.clone()]);
        assert_eq!((kept, halved), (vec![(0, 0, 0, 39), (0, 0, 0, 81)], vec![(0, 0, 0, 57)]));
        // A paragraph's or a part's ends break already.
        let opening = BodyLine { continues_paragraph: false, ..squeezed.clone() };
        assert_eq!(squeezed_lines(&[opening, last.clone()]).0, vec![(0, 0, 0, 81)]);
        let next_part = BodyLine { slot: 1, ..last.clone() };
        assert_eq!(squeezed_lines(&[first.clone(), squeezed.clone(), next_part]).0, vec![(0, 0, 0, 39)]);
        // A break that is not the body's cannot be kept: the line stays as set.
        let unplaced = BodyLine { start: None, ..last };
        assert_eq!(squeezed_lines(&[first, squeezed, unplaced]), (vec![], vec![]));
    }

    #[test]
    fn a_loose_line_before_a_word_that_moved_whole_is_set_ragged() {
        let limits = Limits { max_stretch_em: 0.1, digit_spacing: DigitSpacing::None };
        let loose = BodyLine { stretch_em: 0.33, slack_em: 2.6, ..line("本报讯联系人：王") };
        let word = |before| Some((before, (3, 0, 19)));
        let number = BodyLine { first_word: word(1), ..line("波13935108044；") };
        assert_eq!(ragged(&[loose.clone(), number.clone()], &limits), vec![(0, 3, 0, 19)]);
        // Not when the next line opens another column, the characters before the word would
        // not come back, the next line has no word, the paragraph ends, or the line is within
        // the bound.
        let next_column = BodyLine { column: 1, ..number.clone() };
        assert!(ragged(&[loose.clone(), next_column], &limits).is_empty());
        let far = BodyLine { first_word: word(3), ..number.clone() };
        assert!(ragged(&[loose.clone(), far], &limits).is_empty());
        assert!(ragged(&[loose.clone(), line("郑婷")], &limits).is_empty());
        let ended = BodyLine { ends_paragraph: true, ..loose.clone() };
        assert!(ragged(&[ended, number.clone()], &limits).is_empty());
        let tight = BodyLine { stretch_em: 0.1, ..loose };
        assert!(ragged(&[tight, number], &limits).is_empty());
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
