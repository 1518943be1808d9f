//! Where headlines may break: between phrases, never inside a word.
//!
//! Typst 0.15.1 breaks Chinese between any two characters (UAX #14 has no word segmentation
//! for it), so a title may break as 「激活高／质量发展」. The generator hands a headline field
//! (kicker, title, subtitle, subhead, jump head) to the template as *pieces*, each with the
//! [`Level`] of the boundary before it, and the template sets each stretch between the breaks
//! it allows as an unbreakable box: phrase boundaries (a space, after punctuation, before an
//! opening mark) first, then boundaries between words of two or more characters from ICU's
//! dictionary segmenter, then any segmenter boundary. No level breaks inside a Latin word or
//! against 禁则 (before closing, after opening punctuation), nor beside a dash or ellipsis. The line check holds laid-out
//! headlines to the same boundaries ([`boundary`]).

use std::ops::Range;
use std::sync::LazyLock;

use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

use super::breaks::in_word;

/// Punctuation that may not open a line.
pub const CLOSING: &str = "，。、；：？！）］｝」』”’》〉】〕〗〙〛,.;:?!)]}";
/// Punctuation that may not end a line.
pub const OPENING: &str = "（［｛「『“‘《〈【〔〖〘〚([{";
/// Marks written doubled that must stay on one line.
pub const DOUBLED: &str = "—…";
/// Chinese numerals: a number written in them is one word, whatever the segmenter says
/// (「二十／七日」 would read as two numbers).
const NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两";
/// Units of a date or time that stay with the number before them (「2023／年」, 「二十七／日」)
/// and, after a number, with the number after them (「六月／二十七日」).
const DATE_UNITS: &str = "年月日号时点分秒";

/// How good a break a headline boundary is; the template uses the best level that fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A space, or punctuation: where a reader pauses.
    Phrase = 1,
    /// Between two words of two or more characters each.
    Word = 2,
    /// Any other boundary the segmenter finds, next to a word of one character.
    Short = 3,
}

/// One piece of a headline field: its text's byte range, the boundary before it (`None` for
/// the first piece), and the space the data has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub level: Option<Level>,
    pub gap: Gap,
}

/// The space before a headline piece, as the template sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    None,
    /// Between Chinese phrases: a full-width space (全角空格).
    Full,
    /// Between two Latin words or numbers: the font's word space.
    Word,
}

impl Gap {
    /// The template's value for it.
    pub fn markup(self) -> &'static str {
        match self {
            Gap::None => "none",
            Gap::Full => "\"full\"",
            Gap::Word => "\"word\"",
        }
    }
}

static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_auto(Default::default()));

/// The pieces of `text` between its boundaries; whitespace belongs to no piece.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let boundaries = boundaries(text);
    let mut start = None;
    let mut spaced = false;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let end_here = i == text.len() || c.is_whitespace() || boundaries.iter().any(|(at, _)| *at == i);
        if let Some(s) = start.filter(|_| end_here) {
            let level = boundaries.iter().find(|(at, _)| *at == s).map(|(_, l)| *l);
            let level = if pieces.is_empty() { None } else { level.or(Some(Level::Phrase)) };
            let gap = match pieces.last() {
                Some(before) if std::mem::take(&mut spaced) => gap_between(text, before.range.end, s),
                _ => Gap::None,
            };
            pieces.push(Piece { range: s..i, level, gap });
            start = None;
        }
        if i < text.len() && c.is_whitespace() {
            spaced = !pieces.is_empty();
        } else if start.is_none() && i < text.len() {
            start = Some(i);
        }
    }
    pieces
}

/// The space between the piece ending at `end` and the one starting at `start`: a word space
/// between Latin words or numbers, else a full-width space.
fn gap_between(text: &str, end: usize, start: usize) -> Gap {
    let before = text[..end].chars().next_back();
    let after = text[start..].chars().next();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(before) && latin(after) { Gap::Word } else { Gap::Full }
}

/// The level of the boundary at byte `at` of `text`, if a headline may break there; after
/// spaces a break is a phrase boundary.
pub fn boundary(text: &str, at: usize) -> Option<Level> {
    let before = text.get(..at)?.chars().next_back()?;
    if before.is_whitespace() {
        return Some(Level::Phrase);
    }
    boundaries(text).into_iter().find(|(b, _)| *b == at).map(|(_, level)| level)
}

/// Every break a headline may take inside `text`'s runs of non-space characters, in order.
fn boundaries(text: &str) -> Vec<(usize, Level)> {
    let words: Vec<usize> = SEGMENTER.segment_str(text).collect();
    // The segmenter's word around a boundary: its character counts on either side.
    let chars_between = |from: usize, to: usize| text[from..to].chars().count();
    let mut found = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for k in 1..chars.len() {
        let ((_, a), (at, b)) = (chars[k - 1], chars[k]);
        let before_a = k.checked_sub(2).map(|j| chars[j].1);
        if a.is_whitespace() || b.is_whitespace() || CLOSING.contains(b) || OPENING.contains(a) {
            continue;
        }
        // A dash or ellipsis stays with both its neighbours; a Latin word, a number and a
        // number with its date unit stay whole.
        if DOUBLED.contains(a)
            || DOUBLED.contains(b)
            || (in_word(a) && in_word(b))
            || in_number(before_a, a, b)
        {
            continue;
        }
        if is_punctuation(a) || OPENING.contains(b) {
            found.push((at, Level::Phrase));
            continue;
        }
        let Ok(w) = words.binary_search(&at) else { continue };
        let (left, right) = (chars_between(words[w - 1], at), chars_between(at, words[w + 1]));
        found.push((at, if left >= 2 && right >= 2 { Level::Word } else { Level::Short }));
    }
    found
}

/// Whether `a` and `b`, after `before`, are inside one number or date: two characters of a
/// number, a number and its date unit, or a number's date unit and the next number.
fn in_number(before: Option<char>, a: char, b: char) -> bool {
    let numeral = |c: char| c.is_ascii_digit() || NUMERALS.contains(c);
    let unit = |c: char| DATE_UNITS.contains(c);
    (numeral(a) && (numeral(b) || unit(b))) || (unit(a) && before.is_some_and(numeral) && numeral(b))
}

/// Whether `c` is punctuation, Chinese or Latin.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || CLOSING.contains(c)
        || OPENING.contains(c)
        || DOUBLED.contains(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0x2010..=0x2027)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with `|`, `/` and `.` before pieces of level Phrase, Word and Short, and `_`
    /// for a full-width space, `~` for a word space.
    fn marked(text: &str) -> String {
        let mut out = String::new();
        for piece in pieces(text) {
            match piece.gap {
                Gap::Full => out.push('_'),
                Gap::Word => out.push('~'),
                Gap::None => {}
            }
            out.push_str(match piece.level {
                None => "",
                Some(Level::Phrase) => "|",
                Some(Level::Word) => "/",
                Some(Level::Short) => ".",
            });
            out.push_str(&text[piece.range]);
        }
        out
    }

    #[test]
    fn a_space_between_latin_words_is_a_word_space_and_between_chinese_a_full_width_one() {
        let text = "Red Hat软件包 管理";
        let gap =
            |word: &str| pieces(text).into_iter().find(|p| &text[p.range.clone()] == word).map(|p| p.gap);
        assert_eq!(gap("Red"), Some(Gap::None));
        assert_eq!(gap("Hat"), Some(Gap::Word));
        assert_eq!(gap("管理"), Some(Gap::Full));
        assert_eq!(marked("2023 年"), "2023_|年");
    }

    #[test]
    fn spaces_and_punctuation_are_phrase_boundaries() {
        assert_eq!(marked("聚焦主业 打造铝镁专业镇"), "聚焦.主.业_|打造.铝.镁.专业.镇");
        assert_eq!(
            marked("以“一泓清水”激活高质量发展“绿动引擎”"),
            "以|“一.泓.清水”|激活.高.质量/发展|“绿.动.引擎”"
        );
        assert_eq!(marked("——兴县、沁源两地"), "——兴.县、|沁.源.两.地");
    }

    #[test]
    fn words_of_one_character_break_last_and_latin_words_never() {
        assert_eq!(marked("推进项目建设 拓展产业转型新空间"), "推进/项目/建设_|拓展/产业/转型.新.空间");
        assert_eq!(marked("Debian GNU/Linux 与其他"), "Debian~|GNU/Linux_|与其.他");
    }

    #[test]
    fn a_number_stays_whole_and_with_its_date_unit() {
        let marked = marked("《六月二十七日望湖楼醉书》");
        assert!(!marked.contains("二十/七") && !marked.contains("二十.七"), "{marked}");
        assert!(marked.starts_with("《六月二十七日"), "a date stays whole: {marked}");
        assert_eq!(boundary("2023年10月", "2023".len()), None);
        assert_eq!(boundary("共有三十五家", "共有三十".len()), None);
        assert_eq!(boundary("2023年10月", "2023年".len()), None);
        assert_eq!(boundary("今年上半年", "今年".len()), Some(Level::Word));
    }

    #[test]
    fn breaks_are_found_where_the_pieces_start() {
        let text = "聚焦主业 打造铝镁专业镇";
        assert_eq!(boundary(text, "聚焦主业 ".len()), Some(Level::Phrase));
        assert_eq!(boundary(text, "聚焦主业 打造铝".len()), Some(Level::Short));
        assert_eq!(boundary("推进项目", "推进".len()), Some(Level::Word));
        assert_eq!(boundary("GNU/Linux", "GNU/".len()), None);
        assert_eq!(boundary("“绿动”", "“".len()), None);
    }
}
