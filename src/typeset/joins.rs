//! The hidden characters the generator sets inside a run, so that lines break as Chinese
//! setting wants: break opportunities in long words ([`breaks`]), a word joiner before a
//! connecting dash or interpunct (连接号 —, ～, –; 间隔号 ·, ・), which UAX #14 lets open a line
//! and 禁则 does not, a word joiner before a closing quotation mark and after an opening one
//! where a character that is no mark stands beside it (Typst's line breaking for Chinese
//! allows a break before ” and after “), and a zero-width space between Chinese and digits
//! where the layout sets them close (Typst gives letters and digits alike a quarter em;
//! anything between the two characters stops it). All are hidden, so the PDF's text stays
//! the article's.

use super::breaks::breaks;
use super::phrases::is_punctuation;
use crate::layout::DigitSpacing;

/// What the generator sets at a byte offset inside a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// A break opportunity: a hidden zero-width space.
    Break,
    /// No break: a hidden word joiner.
    Glue,
    /// Something that is not text, so Typst sees no Chinese beside a digit and adds no space:
    /// an empty box (a break opportunity, as Unicode's rules allow one there anyway).
    Apart,
    /// A line break that leaves the line before it unjustified (see [`crate::plan::Mends`]).
    Ragged,
    /// A line break kept where Typst put it, the line before it justified.
    Kept,
}

impl Join {
    /// The Typst markup of the hidden character.
    pub fn markup(self) -> &'static str {
        match self {
            Join::Break => "#hide[#sym.zws]",
            Join::Glue => "#hide[#sym.wj]",
            Join::Apart => "#box()",
            Join::Ragged => "#linebreak()",
            Join::Kept => "#linebreak(justify: true)",
        }
    }
}

/// The quotation marks Typst's breaking for Chinese lets open (”’) or end (“‘) a line.
pub const CLOSING_QUOTES: &str = "”’";
const OPENING_QUOTES: &str = "“‘";

/// Connecting marks that may not open a line. A — next to another — is half of a 破折号,
/// which may.
pub const CONNECTING: &str = "—～–·・";

/// The joins in `text` (a run that follows the character `before` in its paragraph), in order
/// of offset, at most one per offset (glue wins): the breaks of its long words for a column
/// surely holding `longest` Latin characters, glue before connecting marks, and with
/// [`DigitSpacing::None`] [`Join::Apart`] between Chinese and digits. An offset of 0 stands
/// for what goes between `before` and the run.
pub fn joins(text: &str, before: Option<char>, longest: usize, digits: DigitSpacing) -> Vec<(usize, Join)> {
    let mut found: Vec<(usize, Join)> =
        breaks(text, longest).into_iter().map(|(at, _)| (at, Join::Break)).collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        let before = k.checked_sub(1).map_or(before, |p| Some(chars[p].1));
        let after = chars.get(k + 1).map(|n| n.1);
        let paired_dash = c == '—' && (before == Some('—') || after == Some('—'));
        if CONNECTING.contains(c) && !paired_dash {
            found.push((at, Join::Glue));
        }
        // Between two marks Typst's breaking holds (and a join would stop it compressing them).
        let plain = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace() && !is_punctuation(c));
        if CLOSING_QUOTES.contains(c) && plain(before) {
            found.push((at, Join::Glue));
        }
        if OPENING_QUOTES.contains(c) && plain(after) {
            found.push((at + c.len_utf8(), Join::Glue));
        }
        let han = |c: Option<char>| c.is_some_and(is_han);
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        if digits == DigitSpacing::None
            && ((han(before) && digit(Some(c))) || (digit(before) && han(Some(c))))
        {
            found.push((at, Join::Apart));
        }
    }
    found.sort_by_key(|&(at, join)| (at, join != Join::Glue));
    found.dedup_by_key(|(at, _)| *at);
    found
}

/// Whether Typst spaces `c` from Chinese characters: a Latin, Greek or Cyrillic letter, a
/// digit, or `#`, `$`, `%`, `&` (typst-layout's `is_letter_or_number`).
pub fn is_western(c: char) -> bool {
    let letter = c.is_alphabetic() && matches!(c as u32, 0..=0x052F | 0x1E00..=0x1FFF);
    letter || c.is_ascii_digit() || "#$%&".contains(c)
}

/// Whether `c` is a Chinese character (Han script), which Typst spaces from Latin and digits.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with `|` at breaks, `+` at glue and `_` where Chinese and digits are kept apart.
    fn marked(text: &str, digits: DigitSpacing) -> String {
        let joins = joins(text, None, 20, digits);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            match joins.iter().find(|(at, _)| *at == i) {
                Some((_, Join::Break)) => out.push('|'),
                Some((_, Join::Glue)) => out.push('+'),
                Some((_, Join::Apart)) => out.push('_'),
                Some((_, Join::Ragged | Join::Kept)) => out.push('\n'),
                None => {}
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn connecting_marks_are_glued_to_what_precedes_them_but_a_dash_pair_is_not() {
        assert_eq!(marked("制氢—加氢站～氢能", DigitSpacing::Quarter), "制氢+—加氢站+～氢能");
        assert_eq!(marked("马克思·恩格斯，1990–2000", DigitSpacing::Quarter), "马克思+·恩格斯，1990+–2000");
        assert_eq!(marked("他说——好", DigitSpacing::Quarter), "他说——好");
    }

    #[test]
    fn closing_quotes_are_glued_to_what_precedes_them_and_opening_quotes_to_what_follows() {
        assert_eq!(
            marked("激活项目“绿动引擎”。所见即所得（WYSIWYG）编辑器", DigitSpacing::Quarter),
            "激活项目“+绿动引擎+”。所见即所得（WYSIWYG）编辑器"
        );
        // Marks beside marks or spaces are left to Typst, which compresses them.
        assert_eq!(marked("（“kfreebsd”）", DigitSpacing::Quarter), "（“+kfreebsd+”）");
        assert_eq!(marked("说： “好”", DigitSpacing::Quarter), "说： “+好+”");
        // Commas and brackets Typst keeps by itself.
        assert_eq!(marked("恩格斯，（马克思）", DigitSpacing::Quarter), "恩格斯，（马克思）");
    }

    #[test]
    fn digits_set_close_to_chinese_are_separated_from_it() {
        assert_eq!(marked("美锦集团200辆重卡", DigitSpacing::None), "美锦集团_200_辆重卡");
        assert_eq!(marked("美锦集团200辆重卡", DigitSpacing::Quarter), "美锦集团200辆重卡");
        assert_eq!(marked("3月", DigitSpacing::None), "3_月");
        // Between runs: the character before the run decides.
        assert_eq!(
            joins("200辆", Some('团'), 20, DigitSpacing::None),
            vec![(0, Join::Apart), (3, Join::Apart)]
        );
        assert_eq!(joins("—加", Some('氢'), 20, DigitSpacing::None), vec![(0, Join::Glue)]);
    }
}
