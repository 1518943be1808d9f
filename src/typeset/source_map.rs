//! The source map: which article text each expression of the generated sources prints, so a
//! laid-out glyph's span leads back to its article, field, byte offset and chain slot.

use std::collections::HashMap;
use std::ops::Range;

use crate::plan::Field;

/// What one expression of the source prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub article: usize,
    pub field: Field,
    /// Byte offset in the field's text where the expression's text starts (a slice's start).
    pub base: usize,
    /// The chain slot whose frame the expression is set in.
    pub slot: usize,
}

/// Maps byte ranges of the generated sources (`main.typ` and the article modules) to the
/// article text they print.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: HashMap<String, Vec<(Range<usize>, Origin)>>,
}

impl SourceMap {
    /// What the expression at `offset` in the source at virtual path `path` prints.
    pub fn find(&self, path: &str, offset: usize) -> Option<Origin> {
        let entries = self.files.get(path)?;
        let i = entries.partition_point(|(r, _)| r.start <= offset).checked_sub(1)?;
        let (range, origin) = &entries[i];
        range.contains(&offset).then_some(*origin)
    }

    /// Records that `range` of the source at `path` prints `origin`; ranges of one source come
    /// in order.
    pub(super) fn record(&mut self, path: &str, range: Range<usize>, origin: Origin) {
        self.files.entry(path.to_string()).or_default().push((range, origin));
    }

    /// Takes over the entries of another source's map.
    pub(super) fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }
}
