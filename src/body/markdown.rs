//! The Markdown body format, read with comrak and its CJK-friendly emphasis.
//!
//! A newspaper sets paragraphs, subheads, list items and bold, nothing else, and a desk must get
//! back what it wrote. So only those constructs are interpreted; any other construct (a link,
//! single-star emphasis, inline code, raw HTML, a rule) prints as written — its source text, cut
//! out by comrak's source positions — and what Markdown would silently swallow or that cannot
//! print as meant (reference definitions, HTML comments, block quotes, code info strings) is an
//! error at its place. A last pass checks that every non-blank source character was either
//! printed or consumed as syntax, so a construct overlooked here cannot drop text unnoticed.

use comrak::nodes::{AstNode, ListType, NodeValue, Sourcepos};
use comrak::{Arena, Options};

use super::{BlockKind, Builder, Parsed, Problem};

/// Reads a Markdown body into blocks, or says where it holds what cannot print as meant.
pub fn parse(markdown: &str) -> Result<Parsed, Vec<Problem>> {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options());
    let mut reader = Reader::new(markdown);
    reader.blocks(root);
    reader.check_consumed();
    if reader.problems.is_empty() {
        reader.builder.close();
        Ok(Parsed { blocks: reader.builder.blocks, notes: reader.notes })
    } else {
        reader.problems.sort_by_key(|p| p.offset);
        Err(reader.problems)
    }
}

/// CommonMark with CJK-friendly emphasis; setext headings off, so a line of `---` or `===` under
/// text is a rule or text, never a silent subhead.
fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.cjk_friendly_emphasis = true;
    options.parse.ignore_setext = true;
    options
}

/// The source text with its line starts, to turn comrak's (line, byte column) into offsets.
struct Source<'s> {
    text: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> Source<'s> {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as CommonMark counts them.
    fn new(text: &'s str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        Source { text, line_starts }
    }

    /// The byte offset of a 1-based line and byte column.
    fn offset(&self, line: usize, column: usize) -> usize {
        let start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        (start + column.saturating_sub(1)).min(self.text.len())
    }

    /// The byte range a node covers (comrak's end is its last byte).
    fn range(&self, pos: Sourcepos) -> std::ops::Range<usize> {
        let start = self.text.floor_char_boundary(self.offset(pos.start.line, pos.start.column));
        let end = self.text.ceil_char_boundary(self.offset(pos.end.line, pos.end.column) + 1);
        start..end.max(start)
    }

    fn slice(&self, pos: Sourcepos) -> &'s str {
        &self.text[self.range(pos)]
    }
}

/// Walks comrak's tree into the block builder, noting which source bytes it accounted for.
struct Reader<'s> {
    source: Source<'s>,
    builder: Builder,
    /// Source bytes printed or consumed as syntax.
    consumed: Vec<bool>,
    problems: Vec<Problem>,
    /// What prints as written but was perhaps meant otherwise.
    notes: Vec<Problem>,
}

impl<'s> Reader<'s> {
    fn new(markdown: &'s str) -> Self {
        Reader {
            source: Source::new(markdown),
            builder: Builder::default(),
            consumed: vec![false; markdown.len()],
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn consume(&mut self, pos: Sourcepos) {
        let range = self.source.range(pos);
        self.consumed[range].fill(true);
    }

    fn problem(&mut self, offset: usize, message: String) {
        self.problems.push(Problem { offset, message });
    }

    fn blocks<'a>(&mut self, node: &'a AstNode<'a>) {
        for child in node.children() {
            self.block(child);
        }
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>) {
        let (value, pos) = {
            let ast = node.data.borrow();
            (ast.value.clone(), ast.sourcepos)
        };
        match value {
            NodeValue::Paragraph => self.paragraph(node, pos),
            NodeValue::Heading(_) => self.heading(node, pos),
            NodeValue::Item(list) => self.item(node, pos, list.list_type),
            NodeValue::CodeBlock(code) => self.code_block(pos, &code.info, &code.literal),
            NodeValue::HtmlBlock(html) if html.literal.trim_start().starts_with("<!--") => {
                self.consume(pos);
                self.html_comment(pos);
            }
            NodeValue::BlockQuote => {
                self.consume(pos);
                let at = self.source.range(pos).start;
                self.problem(
                    at,
                    "a line starting with `>` is a block quote, which a page cannot set; write `\\>` to print `>`"
                        .into(),
                );
            }
            NodeValue::Document | NodeValue::List(_) => self.blocks(node),
            // HTML blocks, rules and anything else print as written, lines joined as in a paragraph.
            _ => {
                self.consume(pos);
                self.builder.open(BlockKind::Para);
                self.as_written(self.source.slice(pos));
                self.builder.close();
            }
        }
    }

    fn paragraph<'a>(&mut self, node: &'a AstNode<'a>, pos: Sourcepos) {
        // comrak takes link reference definitions off a paragraph's start and then counts its
        // inline positions from what remains: the text ends lines above the paragraph's end.
        let last_line = node.last_child().map(|c| c.data.borrow().sourcepos.end.line);
        if last_line.is_some_and(|line| line < pos.end.line) {
            self.consume(pos);
            let at = self.source.range(pos).start;
            self.problem(at, reference_definition(&self.source.text[at..]));
            return;
        }
        self.builder.open(BlockKind::Para);
        self.inlines(node);
    }

    /// `#` subheads; the `#` marks are syntax. A heading with no text prints as written.
    fn heading<'a>(&mut self, node: &'a AstNode<'a>, pos: Sourcepos) {
        let range = self.source.range(pos);
        for (i, b) in self.source.text.as_bytes()[range.clone()].iter().enumerate() {
            if *b == b'#' {
                self.consumed[range.start + i] = true;
            }
        }
        if node.children().next().is_none() {
            self.consume(pos);
            self.builder.open(BlockKind::Para);
            self.as_written(self.source.slice(pos));
            return;
        }
        self.builder.open(BlockKind::Subhead);
        self.inlines(node);
        self.builder.close();
    }

    /// A list item: a bullet gives way to the layout's marker; a number prints as written.
    fn item<'a>(&mut self, node: &'a AstNode<'a>, pos: Sourcepos, list_type: ListType) {
        let start = self.source.range(pos).start;
        let line_end =
            self.source.text[start..].find(['\n', '\r']).map_or(self.source.text.len(), |i| start + i);
        let line = &self.source.text[start..line_end];
        let marker_start = start + (line.len() - line.trim_start().len());
        let marker_len = self.source.text[marker_start..line_end]
            .find(char::is_whitespace)
            .unwrap_or(line_end - marker_start);
        let marker = &self.source.text[marker_start..marker_start + marker_len];
        self.consumed[marker_start..marker_start + marker_len].fill(true);
        let empty = node.children().next().is_none();
        self.builder.open(if empty { BlockKind::Para } else { BlockKind::Item });
        if empty || list_type == ListType::Ordered {
            self.builder.text(marker);
            self.builder.text(" ");
        }
        self.blocks(node);
        self.builder.close();
    }

    /// Code lines print as written, each as a paragraph; fences are syntax, an info string would
    /// be lost.
    fn code_block(&mut self, pos: Sourcepos, info: &str, literal: &str) {
        self.consume(pos);
        if !info.is_empty() {
            let start = self.source.range(pos).start;
            let at = self.source.text[start..].find(info).map_or(start, |i| start + i);
            self.problem(
                at,
                format!("the code block's info string `{info}` would not print; delete it (the code lines print as written)"),
            );
        }
        for line in literal.lines() {
            self.builder.open(BlockKind::Para);
            self.builder.text(line);
            self.builder.close();
        }
    }

    fn html_comment(&mut self, pos: Sourcepos) {
        let at = self.source.range(pos).start;
        let at = at + self.source.text[at..].find("<!--").unwrap_or(0);
        self.problem(
            at,
            "an HTML comment would print as written; delete it, or write `\\<!--` to print it".into(),
        );
    }

    fn inlines<'a>(&mut self, node: &'a AstNode<'a>) {
        for child in node.children() {
            self.inline(child);
        }
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>) {
        let (value, pos) = {
            let ast = node.data.borrow();
            (ast.value.clone(), ast.sourcepos)
        };
        self.consume(pos);
        let written = self.source.slice(pos);
        match value {
            NodeValue::Text(text) => {
                debug_assert!(
                    written.contains(['\\', '&']) || written == text,
                    "comrak places `{text}` at `{written}`"
                );
                // Bold left open or closed without its partner prints its `**`: a typo, most
                // likely, but `2**10` is meant as written.
                if let Some(at) = written.find("**") {
                    let message = "this `**` has no partner in its paragraph, so it prints as asterisks, not \
                                   bold; add the other `**`, or write `\\*\\*` to say the asterisks are meant";
                    let offset = self.source.range(pos).start + at;
                    self.notes.push(Problem { offset, message: message.into() });
                }
                self.builder.text(&text)
            }
            NodeValue::SoftBreak => self.builder.line_break(),
            NodeValue::LineBreak => {
                // A backslash before the line end is what the author typed (a shell
                // continuation, say); the page joins the lines either way.
                if written.starts_with('\\') {
                    self.builder.text("\\");
                }
                self.builder.line_break();
            }
            // Bold is `**…**` only: `__init__` and the like are identifiers.
            NodeValue::Strong if written.starts_with("**") => {
                self.builder.strong += 1;
                self.inlines(node);
                self.builder.strong -= 1;
            }
            NodeValue::Code(code) => self.builder.text(&code.literal),
            NodeValue::HtmlInline(html) if html.starts_with("<!--") => self.html_comment(pos),
            // Links, images, autolinks, HTML, single-mark emphasis: as written.
            _ => self.as_written(written),
        }
    }

    /// Source text printed as it stands; its line ends join as a paragraph's do.
    fn as_written(&mut self, text: &str) {
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.builder.line_break();
            }
            self.builder.text(if i > 0 { line.trim() } else { line.trim_end() });
        }
    }

    /// Whether the backslash at `offset` escapes a printed mark (comrak leaves it out of the
    /// text's source range when it opens a paragraph).
    fn is_escape(&self, offset: usize) -> bool {
        let next = offset + 1;
        self.source.text[offset..].starts_with('\\')
            && self.source.text[next..].starts_with(|c: char| c.is_ascii_punctuation())
            && self.consumed[next]
    }

    /// Reports source text that was neither printed nor consumed as syntax: Markdown dropped it.
    /// With the options above that is a link reference definition (or what looks like a
    /// footnote, `[^1]: …`).
    fn check_consumed(&mut self) {
        let text = self.source.text;
        let mut reported_line = None;
        for (offset, c) in text.char_indices() {
            if c.is_whitespace() || self.consumed[offset] || self.is_escape(offset) {
                continue;
            }
            let line = self.source.line_starts.partition_point(|&s| s <= offset);
            if reported_line == Some(line) {
                continue;
            }
            reported_line = Some(line);
            let rest = &text[offset..];
            let message = if rest.starts_with('[') {
                reference_definition(rest)
            } else {
                format!(
                    "Markdown would not print `{}`; write `\\` before its first mark to print it as written",
                    first_line(rest)
                )
            };
            self.problem(offset, message);
        }
    }
}

/// The message for a link reference definition at the start of `text`.
fn reference_definition(text: &str) -> String {
    format!(
        "`{}` is a link reference definition, which Markdown does not print; write `\\[` for its `[` to print it as written, or delete it",
        first_line(text)
    )
}

/// The first line of `text`, shortened to be quoted in a message.
fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::super::Block;
    use super::*;

    fn text(md: &str) -> String {
        parse(md).unwrap().blocks.iter().map(Block::text).collect::<Vec<_>>().join("|")
    }

    /// The problems' messages, each with the text at its offset.
    fn problems(md: &str) -> Vec<(String, String)> {
        let problems = parse(md).unwrap_err();
        problems.into_iter().map(|p| (md[p.offset..].chars().take(6).collect(), p.message)).collect()
    }

    #[test]
    fn bold_next_to_chinese_punctuation() {
        let blocks = parse("**提示：**正文要加粗").unwrap().blocks;
        assert_eq!(blocks[0].runs[0], super::super::Run { text: "提示：".into(), strong: true });
        assert_eq!(blocks[0].runs[1].text, "正文要加粗");
    }

    #[test]
    fn identifiers_and_single_marks_print_as_written() {
        for md in ["_N_GNU_nonoption_argv_flags_ 原样。", "__init__ 与 a*b*c 和 *强调* 与 _a_b_", "x**y"]
        {
            assert_eq!(text(md), md);
            assert!(parse(md).unwrap().blocks[0].runs.iter().all(|r| !r.strong), "{md}");
        }
    }

    #[test]
    fn bold_without_its_partner_prints_as_written_with_a_note_at_its_place() {
        // Opened and never closed, closed and never opened: a note at each `**`.
        let md = "**标题未闭合的正文\n\n另一段加粗止于此**。";
        let parsed = parse(md).unwrap();
        assert_eq!(text(md), "**标题未闭合的正文|另一段加粗止于此**。");
        let at: Vec<&str> = parsed.notes.iter().map(|n| &md[n.offset..n.offset + 2]).collect();
        assert_eq!(at, ["**", "**"], "{:?}", parsed.notes);
        assert_eq!(parsed.notes[1].offset, md.find("此**").unwrap() + "此".len());
        assert!(parsed.notes[0].message.contains("\\*\\*"), "{}", parsed.notes[0].message);
        // Bold with its partner, escaped asterisks and code keep quiet.
        for quiet in ["**加粗**正文", "写作 \\*\\* 星号", "用 `a**b` 命令"] {
            assert!(parse(quiet).unwrap().notes.is_empty(), "{quiet}");
        }
    }

    #[test]
    fn links_images_autolinks_and_html_print_as_written() {
        for md in [
            "类别 [:alnum:](字母和数字) 与",
            "图 ![说明](p.png) 止",
            "见 <https://www.debian.org/> 或 <sanvila@debian.org>Installed-Size:",
            "标签 <a href=\"x\">文</a> 止",
            "脚注[^1]与 [引用][r] 止",
        ] {
            assert_eq!(text(md), md);
        }
        // A link across two lines of a list item: the lines join, the indent goes.
        assert_eq!(text("- 项 [链接\n  跨行](u) 止"), "项 [链接跨行](u) 止");
    }

    #[test]
    fn escapes_entities_and_code_quotes_are_interpreted() {
        assert_eq!(text("\\[x\\] \\*a\\* \\\\ C:\\Users"), "[x] *a* \\ C:\\Users");
        assert_eq!(text("AT&amp;T &#x4E00; AT&T"), "AT&T 一 AT&T");
        assert_eq!(text("用 `**x** [a](b)` 命令"), "用 **x** [a](b) 命令");
    }

    #[test]
    fn blocks_markdown_would_empty_print_as_written() {
        assert_eq!(text("甲\n\n---\n\n* * *\n\n乙\n==="), "甲|---|* * *|乙===");
        assert_eq!(text("-\n\n#\n\n2."), "-|#|2.");
        assert_eq!(text("<div>\n块\n</div>"), "<div>块</div>");
        assert_eq!(text("./configure \\\n--prefix=/usr"), "./configure \\ --prefix=/usr");
        assert_eq!(text("    缩进一\n    缩进二\n\n```\n代码 **x**\n```"), "缩进一|缩进二|代码 **x**");
        assert_eq!(text("1) 甲\n2) 乙"), "1) 甲|2) 乙");
    }

    #[test]
    fn what_markdown_would_swallow_is_refused_at_its_place() {
        let found = problems("正文 [a] 续\n\n[a]: http://x\n[^1]: 注释\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "[a]: h");
        assert!(found[0].1.contains("link reference definition") && found[0].1.contains("\\["), "{found:?}");
        assert_eq!(found[1].0, "[^1]: ");
        // A definition opening a paragraph leaves the rest of it in place.
        assert_eq!(problems("[a]: /u\n后文 [a]")[0].0, "[a]: /");
        assert_eq!(problems("- [b]: y")[0].0, "[b]: y");
    }

    #[test]
    fn comments_quotes_and_info_strings_are_refused() {
        let found = problems("段 <!-- 注 --> 后\n\n> 引文\n\n```python\nx\n```\n\n<!--\n块\n-->");
        let at: Vec<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["<!-- 注", "> 引文\n\n", "python", "<!--\n块"]);
        assert!(found[0].1.contains("\\<!--"));
        assert!(found[1].1.contains("\\>"));
        assert!(found[2].1.contains("info string `python`"));
    }
}
