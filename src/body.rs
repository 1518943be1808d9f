//! Article bodies: Markdown or plain text in, a flat list of blocks of plain-text runs out.
//!
//! What the author wrote is what prints: the plain-text format interprets nothing but blank
//! lines, and the Markdown format ([`markdown`]) only what a newspaper can set, printing the rest
//! as written or refusing it at its place.
//!
//! The runs are the unit the rest of the engine works with: each reaches Typst as one JSON string
//! (never as markup), each is one expression in the generated source, and so each laid-out glyph
//! traces back to a run and a byte offset inside it.

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

mod markdown;

pub use markdown::parse;

/// Typst records a glyph's offset inside its text in 16 bits; runs stay well below that.
const MAX_RUN_BYTES: usize = 16 * 1024;

/// What a block is; it decides how the template sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Para,
    Subhead,
    Item,
}

/// A stretch of text with one emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub strong: bool,
}

/// A paragraph, subhead or list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub runs: Vec<Run>,
}

/// A paragraph this short, all of it bold, reads as a run-in head (`**一、…**` on a line of its
/// own): two lines of a 12-character column, the narrowest a newspaper sets body in.
const RUN_IN_HEAD_CHARS: usize = 24;

impl Block {
    /// The block's text, runs joined.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// Whether the block heads the text after it: a subhead, or a short paragraph all in bold
    /// (a run-in head). The line check counts a head that ends a column before its text (背题).
    pub fn is_head(&self) -> bool {
        let bold = self.runs.iter().all(|r| r.strong || r.text.trim().is_empty());
        let short = || self.text().trim().chars().count() <= RUN_IN_HEAD_CHARS;
        self.kind == BlockKind::Subhead
            || (self.kind == BlockKind::Para && bold && self.runs.iter().any(|r| r.strong) && short())
    }
}

/// A position in a body between two characters: byte `offset` of run `run` of block `block`.
/// Continuation splits an article's body at cuts; cuts order as the text reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Cut {
    pub block: usize,
    pub run: usize,
    pub offset: usize,
}

impl Cut {
    /// The cut after the last block.
    pub fn end(blocks: &[Block]) -> Cut {
        Cut { block: blocks.len(), run: 0, offset: 0 }
    }

    /// Whether the cut falls at the start of a block (a paragraph boundary).
    pub fn at_block_start(self) -> bool {
        self.run == 0 && self.offset == 0
    }

    /// The cut where about `lines` lines of `line_em` em end after `self`, or the body's end.
    /// Each character takes its East Asian width (full-width 1 em, others ½ em; the ambiguous
    /// ones such as “” and —— are full-width in Chinese text) and each block starts a new line:
    /// an estimate of how much text a frame can hold, so measuring sets little more than that.
    pub fn advance_lines(self, blocks: &[Block], line_em: f64, lines: f64) -> Cut {
        let mut used = 0.0;
        for (b, block) in blocks.iter().enumerate().skip(self.block) {
            let mut width = 0.0;
            for (r, run) in block.runs.iter().enumerate() {
                if (b, r) < (self.block, self.run) {
                    continue;
                }
                let from = if (b, r) == (self.block, self.run) { self.offset.min(run.text.len()) } else { 0 };
                for (i, c) in run.text[from..].char_indices() {
                    width += c.width_cjk().unwrap_or(0) as f64 / 2.0;
                    if used + width / line_em > lines {
                        return Cut { block: b, run: r, offset: from + i };
                    }
                }
            }
            used += (width / line_em).ceil().max(1.0);
        }
        Cut::end(blocks)
    }

    /// The character offset of the cut in the body's text (blocks and runs joined).
    pub fn char_index(self, blocks: &[Block]) -> usize {
        let mut chars = 0;
        for (b, block) in blocks.iter().enumerate() {
            for (r, run) in block.runs.iter().enumerate() {
                if (b, r) == (self.block, self.run) {
                    return chars + run.text[..self.offset.min(run.text.len())].chars().count();
                }
                if (b, r) > (self.block, self.run) {
                    return chars;
                }
                chars += run.text.chars().count();
            }
        }
        chars
    }
}

/// A body read: its blocks, and `notes` on what prints as written but was perhaps meant
/// otherwise (a `**` without its partner), for the desk to look at.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub blocks: Vec<Block>,
    pub notes: Vec<Problem>,
}

/// Something in a body that cannot print as its author meant, at byte `offset` of the body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// Reads a plain-text body: paragraphs are separated by blank lines and nothing else is
/// interpreted, so text pasted from a word processor prints exactly as it stands.
pub fn parse_text(text: &str) -> Vec<Block> {
    let mut builder = Builder::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            builder.close();
            continue;
        }
        if builder.current.is_some() {
            builder.line_break();
        }
        builder.text(line.trim());
    }
    builder.close();
    builder.blocks
}

/// Collects blocks and runs as a body is read.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    current: Option<Block>,
    strong: u32,
    /// A line break waiting to be joined: Chinese lines join directly, Latin words with a space.
    pending_break: bool,
}

impl Builder {
    fn open(&mut self, kind: BlockKind) {
        // A paragraph inside a list item continues the item.
        if kind == BlockKind::Para && self.current.as_ref().is_some_and(|b| b.kind == BlockKind::Item) {
            self.line_break();
            return;
        }
        self.close();
        self.current = Some(Block { kind, runs: Vec::new() });
    }

    fn close(&mut self) {
        self.pending_break = false;
        if let Some(mut block) = self.current.take() {
            trim(&mut block);
            if !block.runs.is_empty() {
                self.blocks.push(block);
            }
        }
    }

    fn line_break(&mut self) {
        self.pending_break = true;
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.current.is_none() {
            self.current = Some(Block { kind: BlockKind::Para, runs: Vec::new() });
        }
        let strong = self.strong > 0;
        let pending = std::mem::take(&mut self.pending_break);
        let block = self.current.as_mut().expect("a block is open");
        if pending && needs_space(block.runs.last().and_then(|r| r.text.chars().last()), text.chars().next())
        {
            push(block, " ", strong);
        }
        push(block, text, strong);
    }
}

/// Appends text to the block, merging with a run of the same emphasis and splitting long runs.
fn push(block: &mut Block, text: &str, strong: bool) {
    let mut rest = text;
    while !rest.is_empty() {
        let run = match block.runs.last_mut() {
            Some(run) if run.strong == strong && run.text.len() < MAX_RUN_BYTES => run,
            _ => {
                block.runs.push(Run { text: String::new(), strong });
                block.runs.last_mut().expect("just pushed")
            }
        };
        let room = rest.floor_char_boundary(MAX_RUN_BYTES - run.text.len());
        let room = if room == 0 && run.text.is_empty() { rest.ceil_char_boundary(1) } else { room };
        if room == 0 {
            block.runs.push(Run { text: String::new(), strong });
            continue;
        }
        run.text.push_str(&rest[..room]);
        rest = &rest[room..];
    }
}

/// Removes whitespace at the block's ends, which no reader sees and Typst would drop.
fn trim(block: &mut Block) {
    if let Some(first) = block.runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = block.runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    block.runs.retain(|r| !r.text.is_empty());
}

/// Whether a line break between these characters reads as a space: not next to Chinese text.
fn needs_space(before: Option<char>, after: Option<char>) -> bool {
    match (before, after) {
        (Some(b), Some(a)) => !(is_wide(b) || is_wide(a) || b.is_whitespace() || a.is_whitespace()),
        _ => false,
    }
}

/// CJK ideographs, kana, hangul, CJK and full-width punctuation: scripts written without spaces.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF |
        0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subhead_or_a_short_paragraph_all_in_bold_is_a_head() {
        let block = |kind, runs: &[(&str, bool)]| Block {
            kind,
            runs: runs.iter().map(|&(text, strong)| Run { text: text.into(), strong }).collect(),
        };
        assert!(block(BlockKind::Subhead, &[("稿件导向", false)]).is_head());
        assert!(block(BlockKind::Para, &[("preinst", true)]).is_head());
        assert!(block(BlockKind::Para, &[("一、", true), (" ", false), ("坚持", true)]).is_head());
        // Bold inside a paragraph, a long bold paragraph, a list item: text, not heads.
        assert!(!block(BlockKind::Para, &[("提示：", true), ("正文", false)]).is_head());
        assert!(!block(BlockKind::Para, &[(&"加粗的整段".repeat(5), true)]).is_head());
        assert!(!block(BlockKind::Item, &[("preinst", true)]).is_head());
        assert!(!block(BlockKind::Para, &[(" ", false)]).is_head());
    }

    fn texts(md: &str) -> Vec<(BlockKind, String)> {
        parse(md).unwrap().blocks.iter().map(|b| (b.kind, b.text())).collect()
    }

    #[test]
    fn chinese_lines_join_without_space_and_latin_with_one() {
        assert_eq!(texts("产业链\n链上互通"), vec![(BlockKind::Para, "产业链链上互通".into())]);
        assert_eq!(texts("hello\nworld"), vec![(BlockKind::Para, "hello world".into())]);
    }

    #[test]
    fn blocks_and_emphasis() {
        let blocks = parse("## 稿件导向\n\n**一是**以链招商。\n\n- 甲\n- 乙\n\n1. 丙").unwrap().blocks;
        assert_eq!(blocks[0].kind, BlockKind::Subhead);
        assert_eq!(blocks[1].runs[0], Run { text: "一是".into(), strong: true });
        assert_eq!(blocks[1].runs[1], Run { text: "以链招商。".into(), strong: false });
        assert_eq!((blocks[2].kind, blocks[2].text()), (BlockKind::Item, "甲".into()));
        assert_eq!(blocks[4].text(), "1. 丙");
    }

    #[test]
    fn markup_characters_stay_text() {
        let md = "#set text(red) $x$ @ref <l> `code` \\[x\\] // c";
        assert_eq!(texts(md)[0].1, "#set text(red) $x$ @ref <l> code [x] // c");
    }

    #[test]
    fn cuts_advance_by_estimated_lines_across_runs_and_blocks() {
        let blocks = parse("一二**三四**五\n\n六七abcd").unwrap().blocks;
        let start = Cut::default();
        // Lines of 2 em: 一二 | 三四 | 五 (the block's last line), then 六七 | abcd.
        assert_eq!(start.advance_lines(&blocks, 2.0, 1.0), Cut { block: 0, run: 1, offset: 0 });
        assert_eq!(start.advance_lines(&blocks, 2.0, 2.2), Cut { block: 0, run: 2, offset: 0 });
        assert_eq!(start.advance_lines(&blocks, 2.0, 2.5), Cut { block: 1, run: 0, offset: 0 });
        assert_eq!(start.advance_lines(&blocks, 2.0, 3.0), Cut { block: 1, run: 0, offset: 0 });
        assert_eq!(start.advance_lines(&blocks, 2.0, 3.0).char_index(&blocks), 5);
        // Latin letters are half as wide: four fill the fifth line.
        assert_eq!(start.advance_lines(&blocks, 2.0, 4.5), Cut { block: 1, run: 0, offset: 8 });
        assert_eq!(start.advance_lines(&blocks, 2.0, 99.0), Cut::end(&blocks));
        // From inside a run.
        let mid = Cut { block: 0, run: 1, offset: 3 };
        assert_eq!(mid.advance_lines(&blocks, 2.0, 0.7), Cut { block: 0, run: 2, offset: 0 });
    }

    #[test]
    fn long_paragraphs_split_into_runs_below_typst_offset_limit() {
        let text = "汉".repeat(30_000);
        let blocks = parse(&text).unwrap().blocks;
        assert_eq!(blocks[0].text(), text);
        assert!(blocks[0].runs.iter().all(|r| r.text.len() <= MAX_RUN_BYTES));
    }

    #[test]
    fn plain_text_interprets_only_blank_lines() {
        let text = "**提示：**[x](y) <a> `x` \\[ _a_b_ # ~~ *\n  续行 next\nline\n\n　　第二段 1. - >";
        let blocks = parse_text(text);
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.kind == BlockKind::Para && b.runs.iter().all(|r| !r.strong)));
        assert_eq!(blocks[0].text(), "**提示：**[x](y) <a> `x` \\[ _a_b_ # ~~ *续行 next line");
        assert_eq!(blocks[1].text(), "第二段 1. - >");
    }
}
