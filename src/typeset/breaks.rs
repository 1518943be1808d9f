//! Where long Latin runs may break: URLs, e-mail addresses, paths, identifiers, version strings
//! and long numbers in a narrow column.
//!
//! Typst breaks text by Unicode's rules, which allow no break inside `www.debian.org` or
//! `13935108044`; in a column of 13 characters such a run overruns its column. The generator
//! gives a long *word* (a run of characters that are neither spaces nor wide CJK ones) the break
//! opportunities a reader expects — after `/` (or `//`), before `.`, `@`, `?`, `&`, `#`, `=`,
//! `-`, `_`, `~` and `+` when letters or digits follow, and before an opening quotation mark
//! after a Chinese character or mark (Unicode keeps `、“postinst”、“prerm”` in one word) — set
//! as a hidden zero-width space, so they never become text of the PDF. Where a piece between
//! those is still wider than the column can surely hold, every character boundary inside it
//! becomes an *emergency* break, which the line check reports when a line ends at one.

use std::sync::LazyLock;

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};
use unicode_width::UnicodeWidthChar;

use super::phrases::{CLOSING, OPENING};

/// Which kind of break opportunity a position inside a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// A break a reader expects, by the rules above.
    Good,
    /// A break inside a piece too long for the column.
    Emergency,
}

/// Characters a good break may come before, when letters or digits follow them in the word.
const BREAK_BEFORE: &str = ".@?&#=-_~+";

/// The closing marks that end what an opening one began: no good break before one.
const CLOSING_BRACKETS: &str = "）］｝」』”’》〉】〕〗〙〛)]}";

/// Whether no line may start with `c` (禁则, and a per cent sign kept with its number): no
/// emergency break comes before it, nor after an opening mark.
fn closing(c: char) -> bool {
    CLOSING.contains(c) || c == '%'
}

/// The break opportunities the generator adds to `text`, in order, as (byte offset, kind):
/// none in words of at most `longest / 2` characters, where moving the word whole reads
/// better; good ones in longer words; and emergency ones inside any piece of more than
/// `longest` characters, the most a text column surely holds.
pub fn breaks(text: &str, longest: usize) -> Vec<(usize, Break)> {
    let mut found = Vec::new();
    for (from, to) in words(text) {
        word_breaks(text, from, to, longest, &mut found);
    }
    found
}

/// Whether a line may break at byte `at` of `text` where a reader expects it: Unicode's own
/// opportunity (UAX #14: after `/` before a letter, at a hyphen) or a good break inside a
/// word (see the module docs); never an emergency one.
pub fn expected(text: &str, at: usize) -> bool {
    words(text).iter().any(|&(from, _)| from == at) || breaks(text, 1).contains(&(at, Break::Good))
}

/// The byte ranges of the words of `text`: the stretches between two of the break
/// opportunities Unicode's line breaking rules (UAX #14) allow, spaces trimmed. `“铝镁”2024`
/// or `，-12` hold together as Typst sets them.
fn words(text: &str) -> Vec<(usize, usize)> {
    static SEGMENTER: LazyLock<LineSegmenterBorrowed<'static>> =
        LazyLock::new(|| LineSegmenter::new_for_non_complex_scripts(LineBreakOptions::default()));
    let mut words = Vec::new();
    let mut last = 0;
    for point in SEGMENTER.segment_str(text).filter(|&p| p > 0) {
        let stretch = &text[last..point];
        let from = last + (stretch.len() - stretch.trim_start().len());
        let to = last + stretch.trim_end().len();
        if from < to {
            words.push((from, to));
        }
        last = point;
    }
    words
}

/// How many Latin letters wide `text` is: a wide character counts as two.
fn latin_width(text: &str) -> usize {
    text.chars().map(|c| if c.width() == Some(2) { 2 } else { 1 }).sum()
}

/// Whether `c` belongs to a word: neither a space nor a wide (CJK) character, which Unicode's
/// rules already break around.
pub fn in_word(c: char) -> bool {
    !c.is_whitespace() && c.width() != Some(2)
}

/// The breaks inside the word `text[from..to]`.
fn word_breaks(text: &str, from: usize, to: usize, longest: usize, found: &mut Vec<(usize, Break)>) {
    let word = &text[from..to];
    if latin_width(word) <= longest / 2 {
        return;
    }
    let good = good_breaks(word);
    let mut last = 0;
    for end in good.iter().copied().chain([word.len()]) {
        let piece = &word[last..end];
        if latin_width(piece) > longest {
            let inner = piece.char_indices().skip(1).filter(|&(i, c)| {
                let before = piece[..i].chars().next_back();
                !closing(c) && !before.is_some_and(|b| OPENING.contains(b))
            });
            found.extend(inner.map(|(i, _)| (from + last + i, Break::Emergency)));
        }
        if end < word.len() {
            found.push((from + end, Break::Good));
        }
        last = end;
    }
}

/// The good breaks inside one word, as byte offsets into it.
fn good_breaks(word: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let alnum_after = |k: usize| chars[k + 1..].iter().any(|(_, c)| c.is_alphanumeric());
    let mut breaks = Vec::new();
    for k in 1..chars.len() {
        let (at, c) = chars[k];
        let before = chars[k - 1].1;
        let after_slash = before == '/' && c != '/';
        let before_mark =
            BREAK_BEFORE.contains(c) && !BREAK_BEFORE.contains(before) && before != '/' && alnum_after(k);
        // Unicode keeps a quotation mark with what stands before it, so 为“preinst”、“prerm”
        // is one word; a Chinese character or mark that may end a line, before an opening
        // quotation mark (which may start one), is where a reader expects the break.
        let before_quote = "“‘".contains(c) && before.width() == Some(2) && !OPENING.contains(before);
        // 禁则 holds inside a word too: `org/）` and `dpkg{.1` keep their brackets.
        let kept = CLOSING_BRACKETS.contains(c) || OPENING.contains(before);
        if before_quote || ((after_slash || before_mark) && before != ':' && !kept) {
            breaks.push(at);
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with `|` at good breaks and `!` at emergency ones (Unicode's own break
    /// opportunities, such as after `/` or `-` before a letter, are not marked).
    fn marked(text: &str, longest: usize) -> String {
        let breaks = breaks(text, longest);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            match breaks.iter().find(|(at, _)| *at == i) {
                Some((_, Break::Good)) => out.push('|'),
                Some((_, Break::Emergency)) => out.push('!'),
                None => {}
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn expected_breaks_are_unicodes_and_the_good_ones_never_an_emergency() {
        let path = "RedHat/Slackware.org";
        // After `/` before a letter (Unicode's own), before `.` in the word (a good one).
        assert!(expected(path, "RedHat/".len()));
        assert!(expected(path, "RedHat/Slackware".len()));
        // Inside `Slackware`: only an emergency break, however narrow the line.
        assert!(!expected(path, "RedHat/Slack".len()));
        assert!(!expected("13935108044", 5));
    }

    #[test]
    fn urls_break_after_slashes_and_before_dots_never_inside_the_scheme() {
        assert_eq!(
            marked("见https://www.debian.org/doc/manuals/。", 20),
            "见https://www|.debian|.org/doc/manuals/。"
        );
        assert_eq!(marked("ftp://a.b/c?x=1&y=2", 12), "ftp://a.b/c?x|=1|&y|=2");
    }

    #[test]
    fn brackets_stay_with_the_word_they_close_or_open() {
        assert_eq!(marked("维基（https://wiki.debian.org/）中", 20), "维基（https://wiki|.debian|.org/）中");
        assert_eq!(marked("/var/log/dpkg{.1,.2}", 12), "/var/log/dpkg{.1,|.2}");
    }

    #[test]
    fn mail_addresses_and_identifiers_break_before_their_marks() {
        assert_eq!(
            marked("‹sanvila@debian.org›Installed-Size:", 20),
            "‹sanvila|@debian|.org›Installed-Size:"
        );
        assert_eq!(marked("_N_GNU_nonoption_argv_flags_", 20), "_N|_GNU|_nonoption|_argv|_flags_");
    }

    #[test]
    fn short_words_and_sentence_ends_keep_whole() {
        // Words of up to half a column move to the next line whole.
        assert_eq!(marked("请访问debian.org。", 24), "请访问debian.org。");
        // A final full stop or question mark is no break: letters must follow.
        assert_eq!(marked("see www.example.com.", 20), "see www|.example|.com.");
    }

    #[test]
    fn words_hold_together_across_marks_no_line_may_start_with() {
        // No break is allowed between ， and -: the runs either side are one word, which gets
        // the break a reader expects before the hyphen.
        assert_eq!(marked("a@dty.cn0308628574，-2318630173@", 20), "a|@dty|.cn0308628574，|-2318630173@");
        // Between Chinese text and a word Unicode breaks anyway: separate words.
        assert_eq!(marked("中文www.example.com中文", 20), "中文www|.example|.com中文");
    }

    #[test]
    fn a_chinese_mark_before_an_opening_quote_is_a_break() {
        // Unicode keeps “ with the 、 before it: the list is one word, broken between items.
        assert_eq!(marked("名为“preinst”、“postinst”、“prerm”", 12), "名为|“preinst”、|“postinst”、|“prerm”");
        assert_eq!(marked("限制，“contrib”", 6), "限制，|“c!o!n!t!r!i!b”");
    }

    #[test]
    fn pieces_too_long_for_the_column_get_emergency_breaks() {
        assert_eq!(marked("电话13935108044", 8), "电话1!3!9!3!5!1!0!8!0!4!4");
        assert_eq!(marked("abcdefghij.k", 8), "a!b!c!d!e!f!g!h!i!j|.k");
        // A number that fits the column keeps whole.
        assert_eq!(marked("电话13935108044", 12), "电话13935108044");
    }
}
