//! An article's body: read from `body` or `body-file`, in its body format, with each problem
//! (and each note, a warning) placed where the text is written — the body file's line, or the
//! line inside the issue file's string — so the desk fixes the right character.

use super::load::offset_location;
use super::{BodyFormat, IssueFile, KeyPath};
use crate::body::{self, Block, Parsed, Problem};
use crate::error::{Diagnostic, Error, Location, Result};

impl IssueFile {
    /// The blocks of the body of article `index` (an index into the issue's articles), and the
    /// notes on what in it prints as written but was perhaps meant otherwise, as warnings.
    pub fn article_blocks(&self, index: usize) -> Result<(Vec<Block>, Vec<Diagnostic>)> {
        let article = &self.issue.articles[index];
        let key = KeyPath::default().key("articles").index(index);
        let format = article.body_format.unwrap_or(self.issue.body_format);
        match (&article.body, &article.body_file) {
            (Some(text), None) => {
                let key = key.key("body");
                self.placed(&key, parse(text, format), |offset| self.locate_in_string(&key, text, offset))
            }
            (None, Some(rel)) => self.body_file(key.key("body-file"), rel, format),
            (Some(_), Some(_)) => Err(self
                .diagnostic(&key.key("body-file"), "give either `body` or `body-file`, not both")
                .into()),
            (None, None) => Err(self.diagnostic(&key, "an article needs `body` or `body-file`").into()),
        }
    }

    fn body_file(
        &self,
        key: KeyPath,
        rel: &str,
        format: BodyFormat,
    ) -> Result<(Vec<Block>, Vec<Diagnostic>)> {
        let path = self.resolve(&key, rel)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| self.diagnostic(&key, format!("cannot read body file {}: {e}", path.display())))?;
        self.placed(&key, parse(&text, format), |offset| Some(offset_location(&path, &text, offset)))
    }

    /// A body's blocks and notes, or its problems, each problem and note a diagnostic at `key`
    /// placed by `locate` (the key's place when that finds none).
    fn placed(
        &self,
        key: &KeyPath,
        parsed: std::result::Result<Parsed, Vec<Problem>>,
        locate: impl Fn(usize) -> Option<Location>,
    ) -> Result<(Vec<Block>, Vec<Diagnostic>)> {
        let placed = |problems: Vec<Problem>| -> Vec<Diagnostic> {
            problems
                .into_iter()
                .map(|p| {
                    let at = locate(p.offset).or_else(|| self.locate(key));
                    Diagnostic::new(p.message).at(at).key(key.to_string())
                })
                .collect()
        };
        match parsed {
            Ok(Parsed { blocks, notes }) => Ok((blocks, placed(notes))),
            Err(problems) => Err(Error::Invalid(placed(problems))),
        }
    }
}

fn parse(text: &str, format: BodyFormat) -> std::result::Result<Parsed, Vec<Problem>> {
    match format {
        BodyFormat::Markdown => body::parse(text),
        BodyFormat::Text => Ok(Parsed { blocks: body::parse_text(text), notes: Vec::new() }),
    }
}
