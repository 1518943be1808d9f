//! The space between neighbouring characters of a laid-out line, measured from the glyphs'
//! advances against their natural widths: what justification added (how loose the line is),
//! what Typst's CJK–Latin spacing put between Chinese and Latin letters or digits, how wide
//! its full-width marks are set, and which of them a squeezed line halves instead ([`halving`]).

use crate::layout::EPSILON;
use crate::typeset::glyphs::Glyph;
use crate::typeset::joins::{is_han, is_western};

/// Float noise allowed over a bound, in em.
pub const TOLERANCE_EM: f64 = 0.005;

/// Spacing between Chinese and Latin or digits at or above this, in em, is a quarter-em space
/// (Typst shrinks it to an eighth of an em at most); below it, none.
pub const SPACED_EM: f64 = 0.1;

/// Two neighbouring visible characters of a line and the space between them beyond their
/// natural widths (and the natural width of any word space between them), in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub before: char,
    pub after: char,
    pub space_em: f64,
    /// Whether a word space stands between them.
    pub word_space: bool,
}

/// The pairs of neighbouring visible characters of a line's glyphs (in order of `x`). Glyphs
/// with something between them that is not article text (a dateline's space, a byline's
/// parenthesis) make no pair.
pub fn pairs(glyphs: &[&Glyph]) -> Vec<Pair> {
    let mut found = Vec::new();
    let mut previous: Option<(&Glyph, char)> = None;
    let (mut spaces, mut end) = (0.0, f64::NAN);
    for g in glyphs {
        let touching = (g.x - end).abs() < EPSILON;
        end = g.x + g.width;
        let Some(first) = g.text.chars().next() else {
            previous = None;
            continue;
        };
        if !touching {
            previous = None;
        }
        if first.is_whitespace() {
            spaces += g.natural;
            continue;
        }
        if let Some((p, before)) = previous {
            let space = (g.x + g.offset) - (p.x + p.offset + p.natural) - spaces;
            found.push(Pair { before, after: first, space_em: space / p.size, word_space: spaces > 0.0 });
        }
        previous = g.text.chars().last().map(|last| (*g, last));
        spaces = 0.0;
    }
    found
}

/// Whether a pair is Chinese beside a Latin letter or digit, with no word space between: its
/// space is Typst's CJK–Latin spacing, measured by its own rule.
fn mixed(pair: &Pair) -> bool {
    if pair.word_space {
        return false;
    }
    (is_han(pair.before) && is_western(pair.after)) || (is_western(pair.before) && is_han(pair.after))
}

/// How loose a line is: the widest space justification added between two of its characters,
/// in em (0 for a line set at its natural width or squeezed), beyond the `tracking` copy-fit
/// set for the whole article: that is its even colour, not looseness.
pub fn stretch(pairs: &[Pair], tracking: f64) -> f64 {
    pairs.iter().filter(|p| !mixed(p)).map(|p| p.space_em - tracking).fold(0.0, f64::max)
}

/// The space justification added to a line in all, in em: what a ragged line would have
/// spare at its end.
pub fn slack(pairs: &[Pair]) -> f64 {
    pairs.iter().filter(|p| !mixed(p)).map(|p| p.space_em.max(0.0)).sum()
}

/// What justification gave every gap of a line, in em: the median space between two Chinese
/// characters (negative on a squeezed line); on a line with no two side by side, between two
/// Latin letters or digits of a word, which Typst stretches alike.
pub fn justification(pairs: &[Pair]) -> f64 {
    let median = |both: fn(char) -> bool| {
        let mut spaces: Vec<f64> = (pairs.iter())
            .filter(|p| both(p.before) && both(p.after) && !p.word_space)
            .map(|p| p.space_em)
            .collect();
        spaces.sort_by(f64::total_cmp);
        spaces.get(spaces.len() / 2).copied()
    };
    median(is_han).or_else(|| median(is_western)).unwrap_or(0.0)
}

/// The space, in em, between each Chinese character and a neighbour that is `western` (see
/// [`is_western`]; letters, or digits), less the line's [`justification`].
pub fn beside_han(pairs: &[Pair], western: impl Fn(char) -> bool) -> Vec<f64> {
    let justified = justification(pairs);
    pairs
        .iter()
        .filter(|p| mixed(p) && western(if is_han(p.before) { p.after } else { p.before }))
        .map(|p| p.space_em - justified)
        .collect()
}

/// Full-width punctuation whose blank half Typst may take away (clreq's punctuation width
/// adjustment).
const COMPRESSIBLE: &str = "，。．、：；？！”’》）』」】〗〕〉］｝“‘《（『「【〖〔〈［｛";

/// How far a mark's width may lie from full or half, in em: what a squeezed line's tracking
/// takes from every character, and float noise.
const WIDTH_TOLERANCE_EM: f64 = 0.04;

/// What justification gave a line's glyphs, in em: its Chinese characters (the median space
/// between two of them, see [`justification`]) and its full-width marks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Justification {
    pub chars: f64,
    pub marks: f64,
}

impl Justification {
    /// From what the characters got (`chars`): marks get every glyph's `tracking` and, on a
    /// stretched line, what goes beyond the characters' own stretch (`stretch_em`, which Typst
    /// spends first and gives marks none of); on a squeezed line the tracking alone, as their
    /// squeeze is what [`odd_punctuation`] finds.
    pub fn of(chars: f64, tracking: f64, stretch_em: f64) -> Justification {
        Justification { chars, marks: tracking + (chars - tracking - stretch_em).max(0.0) }
    }
}

/// A full-width mark of a line as set: its place among the line's visible glyphs, and its
/// width in em — as laid out, less what justification gave the marks, and less what it gave
/// the characters.
struct Mark {
    k: usize,
    c: char,
    width: f64,
    set: f64,
    as_char: f64,
}

impl Mark {
    /// Full width; also when justified as a character (a quotation mark Typst takes for a
    /// Latin one).
    fn full(&self) -> bool {
        [self.set, self.as_char].iter().any(|w| (w - 1.0).abs() <= WIDTH_TOLERANCE_EM)
    }

    /// Half width; a halved mark takes no justification.
    fn half(&self) -> bool {
        [self.set, self.width].iter().any(|w| (w - 0.5).abs() <= WIDTH_TOLERANCE_EM)
    }

    /// The width the mark would have unsqueezed: full, or half where it is half or below.
    fn unsqueezed(&self) -> f64 {
        if self.set > 0.5 + WIDTH_TOLERANCE_EM { 1.0 } else { 0.5 }
    }

    /// Set at a width between, or below half: squeezed.
    fn squeezed(&self) -> bool {
        !self.full() && !self.half() && self.set < 1.0
    }
}

/// The full-width marks among a line's visible glyphs (in order of `x`).
fn marks(visible: &[&Glyph], justified: Justification) -> Vec<Mark> {
    let em = |g: &Glyph, v: f64| v / g.size;
    (visible.iter().enumerate())
        .filter_map(|(k, g)| {
            let (c, width) = (g.text.chars().next()?, em(g, g.width));
            let (set, as_char) = (width - justified.marks, width - justified.chars);
            full_mark(c, em(g, g.natural)).then_some(Mark { k, c, width, set, as_char })
        })
        .collect()
}

fn visible<'g, 'a>(glyphs: &[&'g Glyph<'a>]) -> Vec<&'g Glyph<'a>> {
    glyphs.iter().copied().filter(|g| !g.text.trim().is_empty()).collect()
}

/// The full-width punctuation of a line's glyphs (in order of `x`) set at a width against the
/// rule of clreq and GB/T 15834 practice: full or half width (half where a mark ends or
/// starts the line, stands beside another mark — neighbouring marks share their blank halves —
/// or was halved to make room on the line, 挤进), never a width between, which a squeezed
/// line's proportional shrink gives (a comma of 0.71 em beside lines of full-width ones), each
/// with its width in em less what justification gave it.
pub fn odd_punctuation(glyphs: &[&Glyph], justified: Justification) -> Vec<(char, f64)> {
    let marks = marks(&visible(glyphs), justified);
    marks.iter().filter(|m| !m.full() && !m.half()).map(|m| (m.c, m.set)).collect()
}

/// Pause marks, the first a line halves to make room: their blank half reads as no loss.
const PAUSES: &str = "，、；：。？！";

/// How a line Typst squeezed (marks set between full and half) makes the same room with
/// half-width marks instead (挤进): the glyphs of the marks to halve, as many as the room Typst
/// took from its squeezed marks and, `gap_squeeze` em each, from the gaps between its
/// characters — fewer when every mark is halved and the characters may give the rest
/// (`squeeze` each, the layout's `squeeze-em`). Which marks, best first: see [`halvable`]. None
/// when the line has too few. Whether the halves leave the line looser than the layout allows
/// is measured on the pages set with them (see [`crate::plan::Mends::declined`]).
pub fn halving<'g, 'a>(
    glyphs: &[&'g Glyph<'a>],
    justified: Justification,
    gap_squeeze: f64,
    squeeze: f64,
) -> Option<Vec<&'g Glyph<'a>>> {
    let visible = visible(glyphs);
    let marks = marks(&visible, justified);
    let odd: Vec<&Mark> = marks.iter().filter(|m| m.squeezed()).collect();
    if odd.is_empty() {
        return None;
    }
    let from_marks: f64 = odd.iter().map(|m| m.unsqueezed() - m.set).sum();
    let room = from_marks + gap_squeeze * visible.len().saturating_sub(1) as f64;
    let runs = halvable(&marks, &visible);
    // The characters (Chinese, Latin letters, digits: every glyph but the marks) give
    // `squeeze` each, only once no mark is left full (Typst would shrink that one most). Float
    // noise and the tolerance of a width never ask for one run more.
    let chars = visible.len() - marks.len();
    let gives = |n: usize| -> f64 { runs[..n].iter().copied().flatten().map(|m| m.unsqueezed() - 0.5).sum() };
    let full = |n: usize| {
        let halved = |m: &Mark| runs[..n].iter().copied().flatten().any(|h| h.k == m.k);
        marks.iter().filter(|m| !m.half() && !halved(m)).count()
    };
    let covers = |n: usize, room: f64| gives(n) >= room - 0.05;
    let capacity = squeeze * chars as f64;
    let count = (1..=runs.len()).find(|&n| covers(n, room) || full(n) == 0 && covers(n, room - capacity))?;
    Some(runs[..count].iter().flat_map(|run| run.iter().map(|m| visible[m.k])).collect())
}

/// The marks of a line that may be halved, in runs that halve together, best first: marks
/// inside the line between letters, digits or Chinese characters (at its ends a mark is half
/// already), alone or side by side (Typst compresses one of two neighbours already, and a halved mark no
/// longer shares its blank half); a run gives what its marks take unsqueezed beyond half an em
/// each. Pause marks come before brackets and quotes, single marks before runs, later ones
/// before earlier.
fn halvable<'m>(marks: &'m [Mark], visible: &[&Glyph]) -> Vec<&'m [Mark]> {
    // A mark's neighbours are letters, digits or Chinese characters: beside a box, a symbol
    // such as ` can lose its text in the PDF (it read back as a combining accent).
    let inside = |k: Option<usize>| {
        let c = k.and_then(|k| visible.get(k)).and_then(|g| g.text.chars().next());
        c.is_some_and(char::is_alphanumeric)
    };
    let mut runs: Vec<&[Mark]> = marks.chunk_by(|a, b| a.k + 1 == b.k).collect();
    runs.retain(|run| {
        let (first, last) = (&run[0], &run[run.len() - 1]);
        run.iter().any(|m| !m.half()) && inside(first.k.checked_sub(1)) && inside(Some(last.k + 1))
    });
    runs.sort_by_key(|run| (run.len() > 1, !PAUSES.contains(run[0].c), std::cmp::Reverse(run[0].k)));
    runs
}

/// Whether `c` is compressible punctuation set from a full-width glyph (a Chinese quotation
/// mark, not the Latin one that shares its code point).
fn full_mark(c: char, natural_em: f64) -> bool {
    COMPRESSIBLE.contains(c) && (natural_em - 1.0).abs() <= WIDTH_TOLERANCE_EM
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Field;
    use crate::typeset::source_map::Origin;

    /// Glyphs set one after another from x = 0 at 10 pt: each (text, advance, natural, offset)
    /// in em.
    fn set(glyphs: &[(&'static str, f64, f64, f64)]) -> Vec<Glyph<'static>> {
        let mut x = 0.0;
        let origin = Origin { article: 0, field: Field::Run(0, 0), base: 0, slot: 0 };
        glyphs
            .iter()
            .map(|&(text, width, natural, offset)| {
                let g = Glyph {
                    page: 0,
                    origin,
                    bytes: 0..text.len(),
                    text,
                    x,
                    width: width * 10.0,
                    natural: natural * 10.0,
                    offset: offset * 10.0,
                    ink: None,
                    baseline: 0.0,
                    size: 10.0,
                };
                x += width * 10.0;
                g
            })
            .collect()
    }

    fn measured(glyphs: &[(&'static str, f64, f64, f64)]) -> Vec<Pair> {
        let set = set(glyphs);
        pairs(&set.iter().collect::<Vec<_>>())
    }

    #[test]
    fn a_line_is_as_loose_as_its_widest_added_space_and_a_word_space_counts() {
        // 联 系 人 stretched by 0.3 em each, then a word space of 0.9 em (natural 0.25).
        let line = measured(&[
            ("联", 1.3, 1.0, 0.0),
            ("系", 1.3, 1.0, 0.0),
            ("人", 1.3, 1.0, 0.0),
            (" ", 0.6, 0.25, 0.0),
            ("王", 1.0, 1.0, 0.0),
        ]);
        assert_eq!(line.len(), 3);
        let stretch = stretch(&line, 0.0);
        assert!((stretch - 0.65).abs() < 1e-9, "{stretch}");
        // The article tracked 0.03 em a character by copy-fit: that much is not looseness.
        assert!((super::stretch(&line, 0.03) - 0.62).abs() < 1e-9);
        assert!((slack(&line) - 1.25).abs() < 1e-9);
        // A squeezed line is not loose.
        assert_eq!(super::stretch(&measured(&[("一", 0.98, 1.0, 0.0), ("二", 1.0, 1.0, 0.0)]), 0.0), 0.0);
        // Tracked tighter by 0.03 em, a line set at its natural width is 0.03 looser than its
        // article's other lines.
        let natural = measured(&[("一", 1.0, 1.0, 0.0), ("二", 1.0, 1.0, 0.0)]);
        assert!((super::stretch(&natural, -0.03) - 0.03).abs() < 1e-9);
    }

    #[test]
    fn chinese_beside_digits_is_measured_less_the_lines_justification() {
        // Every gap stretched 0.1 em; 辆 after 200 shifted by a quarter em (Typst's offset).
        let line = measured(&[
            ("美", 1.1, 1.0, 0.0),
            ("锦", 1.35, 1.0, 0.0),
            ("200", 1.6, 1.5, 0.0),
            ("辆", 1.35, 1.0, 0.25),
            ("重", 1.1, 1.0, 0.0),
            ("卡", 1.0, 1.0, 0.0),
        ]);
        let digits = beside_han(&line, |c| c.is_ascii_digit());
        assert_eq!(digits.len(), 2);
        assert!(digits.iter().all(|em| (em - 0.25).abs() < 1e-9), "{digits:?}");
        // The quarter em is the spacing rule's, not looseness.
        assert!((stretch(&line, 0.0) - 0.1).abs() < 1e-9);
        assert!(beside_han(&line, |c| c.is_alphabetic()).is_empty());
    }

    #[test]
    fn punctuation_is_full_or_half_never_between() {
        let odd = |glyphs: &[(&'static str, f64, f64, f64)]| {
            let set = set(glyphs);
            odd_punctuation(&set.iter().collect::<Vec<_>>(), Justification::default())
        };
        // A full comma inside, a half full stop at the end, 。（ sharing a half em.
        let clean = [("好", 1.0, 1.0, 0.0), ("，", 1.0, 1.0, 0.0), ("多", 1.0, 1.0, 0.0)];
        assert!(odd(&clean).is_empty());
        assert!(odd(&[("完", 1.0, 1.0, 0.0), ("。", 0.5, 1.0, 0.0)]).is_empty());
        let pair =
            [("完", 1.0, 1.0, 0.0), ("。", 0.5, 1.0, 0.0), ("（", 1.0, 1.0, 0.0), ("魏", 1.0, 1.0, 0.0)];
        assert!(odd(&pair).is_empty());
        // A squeezed line's comma between, and a half comma inside the line.
        assert_eq!(
            odd(&[("好", 1.0, 1.0, 0.0), ("，", 0.71, 1.0, 0.0), ("多", 1.0, 1.0, 0.0)]),
            vec![('，', 0.71)]
        );
        // A comma halved to make room (挤进) is half, inside the line too.
        assert!(odd(&[("好", 1.0, 1.0, 0.0), ("，", 0.5, 1.0, 0.0), ("多", 1.0, 1.0, 0.0)]).is_empty());
        // A line stretched 0.08 em a gap (0.05 of it the characters' own stretch) sets its
        // comma 1.03 wide: full, less what justification gave the marks.
        let stretched = set(&[("好", 1.08, 1.0, 0.0), ("，", 1.03, 1.0, 0.0), ("多", 1.0, 1.0, 0.0)]);
        let justified = Justification::of(0.08, 0.0, 0.05);
        assert!(odd_punctuation(&stretched.iter().collect::<Vec<_>>(), justified).is_empty());
        // Copy-fit's tracking is every glyph's; a squeezed line's marks are measured whole.
        assert!((Justification::of(0.05, 0.03, 0.05).marks - 0.03).abs() < 1e-9);
        assert!(Justification::of(-0.01, 0.0, 0.05).marks.abs() < 1e-9);
        // A quotation mark Typst stretched as a character is full.
        let quote = set(&[("好", 1.08, 1.0, 0.0), ("”", 1.08, 1.0, 0.0), ("多", 1.0, 1.0, 0.0)]);
        assert!(odd_punctuation(&quote.iter().collect::<Vec<_>>(), justified).is_empty());
        // A Latin comma is no full-width mark.
        assert!(odd(&[("a", 0.5, 0.5, 0.0), (",", 0.25, 0.25, 0.0), ("b", 0.5, 0.5, 0.0)]).is_empty());
    }

    #[test]
    fn a_squeezed_line_halves_as_many_marks_as_make_its_room() {
        let none = Justification::default();
        let halved = |glyphs: &[Glyph<'static>], squeezed: f64| {
            let refs: Vec<&Glyph> = glyphs.iter().collect();
            halving(&refs, none, squeezed, 0.02).map(|g| g.iter().map(|g| g.x / 10.0).collect::<Vec<_>>())
        };
        let han = ("字", 1.0, 1.0, 0.0);
        let squeezed = ("，", 0.667, 1.0, 0.0);
        // Twelve characters and three commas in 14 em: a character pulled in, two halves.
        let line = [
            [han, han, squeezed],
            [han, han, han],
            [squeezed, han, han],
            [han, squeezed, han],
            [han, han, han],
        ];
        let found = halved(&set(line.as_flattened()), 0.0).unwrap();
        // The later commas first.
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0] > found[1]);
        // A slight squeeze halves a mark too: the characters give nothing while one is full.
        let slight = [han, ("，", 0.9, 1.0, 0.0), han, han];
        assert_eq!(halved(&set(&slight), 0.0).map(|x| x.len()), Some(1));
        // Once every mark is halved, the characters give the rest: 0.4 em from the comma and
        // 0.02 em from each of 14 gaps is more than its half, within what they may give.
        let mut long = vec![han; 14];
        long.insert(7, ("，", 0.6, 1.0, 0.0));
        assert_eq!(halved(&set(&long), 0.02).map(|x| x.len()), Some(1));
        let long = set(&long);
        let refs: Vec<&Glyph> = long.iter().collect();
        assert!(halving(&refs, none, 0.02, 0.0).is_none(), "with nothing to give, one half is short");
        // Marks side by side halve together; a mark at the line's end is half already.
        let beside =
            [han, ("”", 0.5, 1.0, 0.0), ("，", 0.6, 1.0, 0.0), han, han, han, han, ("。", 0.5, 1.0, 0.0)];
        assert_eq!(halved(&set(&beside), 0.0).map(|x| x.len()), Some(2));
        let ends = [("“", 0.5, 1.0, 0.0), han, han, han, ("，", 0.8, 1.0, 0.0)];
        assert!(halved(&set(&ends), 0.0).is_none());
        // A line with no squeezed mark needs nothing.
        assert!(halved(&set(&[han, ("，", 1.0, 1.0, 0.0), han]), 0.0).is_none());
    }

    #[test]
    fn a_line_without_two_chinese_characters_side_by_side_is_measured_by_its_letters() {
        let line =
            set(&[("和", 1.0, 1.0, 0.0), ("f", 0.4, 0.3, 0.0), ("o", 0.6, 0.5, 0.0), ("o", 0.5, 0.5, 0.0)]);
        let pairs = pairs(&line.iter().collect::<Vec<_>>());
        assert!((justification(&pairs) - 0.1).abs() < 1e-9, "{pairs:?}");
        assert_eq!(justification(&[]), 0.0);
    }

    #[test]
    fn text_between_that_is_not_the_articles_makes_no_pair() {
        let mut glyphs = set(&[("文", 1.0, 1.0, 0.0), ("魏", 1.0, 1.0, 0.0)]);
        glyphs[1].x += 10.0;
        assert!(pairs(&glyphs.iter().collect::<Vec<_>>()).is_empty());
    }
}
