//! An article's body: read from `body` or `body-file`, in its body format, with each problem
//! placed where the text is written — the body file's line, or the line inside the issue file's
//! string — so the desk fixes the right character.

use super::load::offset_location;
use super::{BodyFormat, IssueFile, KeyPath};
use crate::body::{self, Block, Problem};
use crate::error::{Diagnostic, Error, Location, Result};

impl IssueFile {
    /// The blocks of the body of article `index` (an index into the issue's articles).
    pub fn article_blocks(&self, index: usize) -> Result<Vec<Block>> {
        let article = &self.issue.articles[index];
        let key = KeyPath::default().key("articles").index(index);
        let format = article.body_format.unwrap_or(self.issue.body_format);
        match (&article.body, &article.body_file) {
            (Some(text), None) => {
                let key = key.key("body");
                parse(text, format).map_err(|problems| {
                    self.problems(&key, problems, |offset| self.locate_in_string(&key, text, offset))
                })
            }
            (None, Some(rel)) => self.body_file(key.key("body-file"), rel, format),
            (Some(_), Some(_)) => Err(self
                .diagnostic(&key.key("body-file"), "give either `body` or `body-file`, not both")
                .into()),
            (None, None) => Err(self.diagnostic(&key, "an article needs `body` or `body-file`").into()),
        }
    }

    fn body_file(&self, key: KeyPath, rel: &str, format: BodyFormat) -> Result<Vec<Block>> {
        let path = self.resolve(&key, rel)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| self.diagnostic(&key, format!("cannot read body file {}: {e}", path.display())))?;
        parse(&text, format).map_err(|problems| {
            self.problems(&key, problems, |offset| Some(offset_location(&path, &text, offset)))
        })
    }

    /// The body's problems as diagnostics at `key`, placed by `locate` (the key's place when
    /// that finds none).
    fn problems(
        &self,
        key: &KeyPath,
        problems: Vec<Problem>,
        locate: impl Fn(usize) -> Option<Location>,
    ) -> Error {
        Error::Invalid(
            problems
                .into_iter()
                .map(|p| {
                    let at = locate(p.offset).or_else(|| self.locate(key));
                    Diagnostic::new(p.message).at(at).key(key.to_string())
                })
                .collect(),
        )
    }
}

fn parse(text: &str, format: BodyFormat) -> std::result::Result<Vec<Block>, Vec<Problem>> {
    match format {
        BodyFormat::Markdown => body::parse(text),
        BodyFormat::Text => Ok(body::parse_text(text)),
    }
}
