//! Articles: their bodies read (see [`crate::issue::IssueFile::article_blocks`]), their text
//! by field, and their frames chained.

use crate::body::BlockKind;
use crate::error::{Error, Result};
use crate::issue::{BylinePosition, HeadlineKind, KeyPath};
use crate::layout::EPSILON;

use super::{Field, PlannedArticle, PlannedPage, Planner};

impl PlannedArticle {
    pub fn id(&self) -> &str {
        &self.article.id
    }

    /// The kind of each block of the body, in order: what the column rules look at.
    pub fn kinds(&self) -> Vec<BlockKind> {
        self.blocks.iter().map(|b| b.kind).collect()
    }

    pub fn byline_at_end(&self) -> bool {
        self.article.byline.is_some() && self.article.byline_position == BylinePosition::End
    }

    /// Whether `field` is set inside one text column (the body, its dateline, closing byline,
    /// signature and jump line), rather than across the frame as headlines are.
    pub fn in_column(&self, field: Field) -> bool {
        matches!(field, Field::Run(..) | Field::Dateline | Field::Signature(_) | Field::JumpLine)
            || (field == Field::Byline && self.byline_at_end())
    }

    /// Whether `field` is prose the line check holds to the rules of Chinese setting: paragraph
    /// and list runs, the dateline and the closing byline (not subheads, signatures or the jump
    /// line, which are set by rules of their own).
    pub fn is_prose(&self, field: Field) -> bool {
        match field {
            Field::Run(b, _) => self.blocks[b].kind != BlockKind::Subhead,
            Field::Dateline => true,
            Field::Byline => self.byline_at_end(),
            _ => false,
        }
    }

    /// The fields of the article's text in reading order: headline, top byline, dateline, body,
    /// end byline, signature. (The dateline stands before the first paragraph, after any opening
    /// subhead; the jump head's repeated title is not part of the text.)
    pub fn fields(&self) -> Vec<Field> {
        let a = &self.article;
        let top_byline = a.byline.is_some() && !self.byline_at_end();
        let mut fields: Vec<Field> = [
            (a.kicker.is_some(), Field::Kicker),
            (true, Field::Title),
            (a.subtitle.is_some(), Field::Subtitle),
            (top_byline, Field::Byline),
            (a.editor_note.is_some(), Field::Note),
            (a.lead.is_some(), Field::Lead),
            (a.dateline.is_some(), Field::Dateline),
        ]
        .into_iter()
        .filter_map(|(present, field)| present.then_some(field))
        .collect();
        for (b, block) in self.blocks.iter().enumerate() {
            fields.extend((0..block.runs.len()).map(|r| Field::Run(b, r)));
        }
        if self.byline_at_end() {
            fields.push(Field::Byline);
        }
        fields.extend((0..a.signature.len()).map(Field::Signature));
        fields
    }

    /// The text of one field.
    pub fn text(&self, field: Field) -> &str {
        let a = &self.article;
        match field {
            Field::Kicker => a.kicker.as_deref().unwrap_or_default(),
            Field::Title | Field::JumpTitle => &a.title,
            Field::JumpLine => "",
            Field::Subtitle => a.subtitle.as_deref().unwrap_or_default(),
            Field::Dateline => a.dateline.as_deref().unwrap_or_default(),
            Field::Byline => a.byline.as_deref().unwrap_or_default(),
            Field::Note => a.editor_note.as_deref().unwrap_or_default(),
            Field::Lead => a.lead.as_deref().unwrap_or_default(),
            Field::Signature(i) => &a.signature[i],
            Field::Run(b, r) => &self.blocks[b].runs[r].text,
        }
    }

    /// All the article's text in reading order.
    pub fn full_text(&self) -> String {
        self.fields().into_iter().map(|f| self.text(f)).collect()
    }
}

impl Planner<'_> {
    /// Reads every article: unique id, a title, a body that can be read and parsed.
    pub(super) fn articles(&mut self) -> Result<()> {
        let file = self.file;
        for (i, article) in file.issue.articles.iter().enumerate() {
            let key = KeyPath::default().key("articles").index(i);
            if self.ids.insert(&article.id, i).is_some() {
                self.error(&key.clone().key("id"), format!("article id `{}` is used twice", article.id));
            }
            if article.title.trim().is_empty() {
                self.error(&key.clone().key("title"), "an article needs a title");
            }
            let blocks = match file.article_blocks(i) {
                Ok((blocks, mut notes)) => {
                    self.warnings.append(&mut notes);
                    blocks
                }
                Err(Error::Invalid(mut d)) => {
                    self.errors.append(&mut d);
                    Vec::new()
                }
                Err(e) => return Err(e),
            };
            self.articles.push(PlannedArticle { article: article.clone(), blocks, frames: Vec::new() });
        }
        self.parts = vec![Vec::new(); self.articles.len()];
        Ok(())
    }

    /// Orders each article's frames into its chain, checks its first frame against its
    /// headline and picture, and words the jump lines between its frames.
    pub(super) fn chains(&mut self) {
        for a in 0..self.articles.len() {
            let key = KeyPath::default().key("articles").index(a);
            if self.articles[a].frames.is_empty() {
                // A frame that names the article but was rejected has its own error already.
                let id = self.articles[a].id();
                let named = self.file.issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.article == id);
                if !named {
                    let filler = match self.articles[a].article.filler {
                        true => {
                            " (a filler is set by the composer, where a page that lists articles leaves a hole)"
                        }
                        false => "",
                    };
                    let message = format!("article `{id}` is placed in no frame{filler}");
                    self.error(&key.clone().key("id"), message);
                }
                continue;
            }
            match chain_order(&self.parts[a], &self.pages, &self.articles[a].frames) {
                Ok(order) => self.articles[a].frames = order,
                Err((key, message)) => {
                    self.error(&key, message);
                    continue;
                }
            }
            self.auto_only_last(a);
            self.headline(a, &key);
            self.article_picture(a, &key.clone().key("picture"));
            self.jumps(a, &key.key("id"));
        }
    }

    /// Only an article's last frame may take its height from the text: the frames before it
    /// are filled to their ends, so their heights decide where the text goes on.
    fn auto_only_last(&mut self, a: usize) {
        let frames = self.articles[a].frames.clone();
        let Some((_, earlier)) = frames.split_last() else { return };
        for &(p, f) in earlier {
            if self.pages[p].frames[f].auto {
                let key = KeyPath::default().key("pages").index(p).key("frames").index(f).key("lines");
                let message = format!(
                    "only the last frame of article `{}` can take its height from the text; give this frame its `lines`",
                    self.articles[a].id()
                );
                self.error(&key, message);
            }
        }
    }

    /// A headline span the first frame holds; a vertical headline's demands on its frame.
    fn headline(&mut self, a: usize, key: &KeyPath) {
        let layout = self.layout;
        let (p, f) = self.articles[a].frames[0];
        let file = self.file;
        let art = &file.issue.articles[a];
        if let Some(span) = art.headline_span
            && (span == 0 || layout.span_width(span) > self.pages[p].frames[f].width + EPSILON)
        {
            let message =
                format!("a headline spanning {span} grid columns does not fit the article's first frame");
            self.error(&key.clone().key("headline-span"), message);
        }
        if art.headline != HeadlineKind::Vertical {
            return;
        }
        let top_byline = art.byline.is_some() && art.byline_position == BylinePosition::Top;
        let spaced = self.pages[p].frames[f].head_space > 0;
        if top_byline || art.editor_note.is_some() || art.lead.is_some() || art.picture.is_some() || spaced {
            self.error(
                &key.clone().key("headline"),
                "a vertical headline carries no top byline, 编者按, 导语, picture or head-space; set them horizontally",
            );
        }
        // The headline takes the first frame's rightmost grid column.
        let frame = &mut self.pages[p].frames[f];
        let one_column = layout.span_width(1) + layout.gutter();
        if frame.width < layout.span_width(2) - EPSILON {
            self.error(
                &key.clone().key("headline"),
                "a vertical headline needs a first frame at least two grid columns wide",
            );
        } else {
            frame.vertical = true;
            frame.text_width -= one_column;
            frame.columns = frame.columns.saturating_sub(1).max(1);
            frame.settle_columns(layout);
        }
    }

    /// Gives each frame its slot and jump lines, and the last one copy-fit's white around its
    /// head; warns when the chain goes back a page.
    fn jumps(&mut self, a: usize, key: &KeyPath) {
        let continuation = &self.layout.spec.continuation;
        let article = &self.articles[a];
        let numbers: Vec<u32> = article.frames.iter().map(|&(p, _)| self.pages[p].number).collect();
        if numbers.windows(2).any(|w| w[1] < w[0]) {
            let joined = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(" → ");
            let message = format!("article `{}` continues on an earlier page ({joined})", article.id());
            self.warnings.push(self.file.diagnostic(key, message));
        }
        let fitted = self.fitting.space.get(&a).copied().unwrap_or(0);
        for (slot, &(p, f)) in article.frames.iter().enumerate() {
            let frame = &mut self.pages[p].frames[f];
            frame.slot = slot;
            if slot + 1 == numbers.len() {
                frame.head_space = frame.head_space.saturating_add_signed(fitted);
            }
            frame.jump_from = (slot > 0).then(|| continuation.jump_from_line(numbers[slot - 1]));
            frame.jump_to = numbers.get(slot + 1).map(|&to| continuation.jump_to_line(to));
        }
    }
}

/// Orders an article's frames into its chain: by explicit `part` keys when given (all frames or
/// none, no number twice), else by page, then line, then column.
fn chain_order(
    parts: &[(Option<u32>, KeyPath)],
    pages: &[PlannedPage],
    frames: &[(usize, usize)],
) -> std::result::Result<Vec<(usize, usize)>, (KeyPath, String)> {
    let grid_at = |(p, f): (usize, usize)| (p, pages[p].frames[f].grid_at);
    order_chain(parts, frames, grid_at)
}

/// [`chain_order`] over any placement: `place` gives the (page, (line, column)) a frame sorts by.
fn order_chain(
    parts: &[(Option<u32>, KeyPath)],
    frames: &[(usize, usize)],
    place: impl Fn((usize, usize)) -> (usize, (u32, u32)),
) -> std::result::Result<Vec<(usize, usize)>, (KeyPath, String)> {
    let mut keyed: Vec<_> = frames.iter().copied().zip(parts).collect();
    let explicit = parts.iter().filter(|(part, _)| part.is_some()).count();
    if explicit == 0 {
        keyed.sort_by_key(|&(frame, _)| place(frame));
    } else if explicit < parts.len() {
        let (_, key) = parts.iter().find(|(part, _)| part.is_none()).expect("some frame has no part");
        return Err((key.clone().key("part"), "give every frame of this article a `part`, or none".into()));
    } else {
        keyed.sort_by_key(|(_, (part, _))| *part);
        if let Some(w) = keyed.windows(2).find(|w| w[0].1.0 == w[1].1.0) {
            let message = format!("part {} is given twice", w[1].1.0.unwrap_or(0));
            return Err((w[1].1.1.clone().key("part"), message));
        }
    }
    Ok(keyed.into_iter().map(|(frame, _)| frame).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> KeyPath {
        KeyPath::default().key("pages").index(i)
    }

    #[test]
    fn chains_follow_page_then_line_then_column() {
        // (page, frame) → (page, (line, column)).
        let places = [(0, (40, 1)), (1, (1, 1)), (0, (1, 4)), (0, (1, 1))];
        let frames = [(0, 0), (1, 0), (0, 2), (0, 3)];
        let place = |(p, f): (usize, usize)| {
            let i = frames.iter().position(|&x| x == (p, f)).unwrap();
            places[i]
        };
        let parts: Vec<_> = (0..4).map(|i| (None, key(i))).collect();
        let order = order_chain(&parts, &frames, place).unwrap();
        assert_eq!(order, [(0, 3), (0, 2), (0, 0), (1, 0)]);
    }

    #[test]
    fn explicit_parts_order_the_chain_and_must_be_complete_and_distinct() {
        let frames = [(0, 0), (1, 0), (2, 0)];
        let place = |(p, _): (usize, usize)| (p, (1, 1));
        let parts = [(Some(3), key(0)), (Some(1), key(1)), (Some(2), key(2))];
        assert_eq!(order_chain(&parts, &frames, place).unwrap(), [(1, 0), (2, 0), (0, 0)]);

        let partial = [(Some(1), key(0)), (None, key(1)), (Some(2), key(2))];
        let (at, message) = order_chain(&partial, &frames, place).unwrap_err();
        assert_eq!(at.to_string(), "pages[1].part");
        assert!(message.contains("every frame"), "{message}");

        let twice = [(Some(1), key(0)), (Some(2), key(1)), (Some(1), key(2))];
        let (_, message) = order_chain(&twice, &frames, place).unwrap_err();
        assert_eq!(message, "part 1 is given twice");
    }
}
