//! Refusal: why a page cannot be composed, in the desk's terms — what its articles need
//! against what it holds, and what to change. An overfull page names the cut that lets it
//! tile: the article and about how many characters, found by tiling the page again with that
//! article's measured needs shortened, its columns balanced evenly. A cut that moves a subhead
//! or changes how the article's columns balance may leave the page a line or two over; the
//! refusal after it names what is left.

use super::Composer;
use super::needs::Subject;
use super::tiling::{self, Item, Need, Region, Rules};
use crate::error::Diagnostic;
use crate::issue::KeyPath;

/// The cut that lets an overfull page tile: which item, and about how many characters.
struct Cut {
    item: usize,
    chars: usize,
}

/// The cuts of one item that let a page tile, in lines of its body in one text column (`body`
/// lines at its tightest tracking, holding `chars` characters).
struct Ways {
    item: usize,
    least: u32,
    whole: Option<u32>,
    body: u32,
    chars: usize,
}

impl Composer<'_> {
    /// Why page `p` cannot be composed, in the desk's terms: what the articles need against
    /// what the page holds, and what to change.
    pub(super) fn impossible(
        &self,
        p: usize,
        region: Region,
        subjects: &[Subject],
        items: &[Item],
    ) -> Diagnostic {
        let page = &self.file.issue.pages[p];
        let key = KeyPath::default().key("pages").index(p).key("articles");
        if let Some(message) = self.legs_too_long(p, subjects, items) {
            return self.file.diagnostic(&key, message);
        }
        let needed: u32 = items.iter().filter_map(|item| self.least_column_lines(item)).sum();
        let most: u32 = items.iter().filter_map(most_column_lines).sum();
        let holds = region.columns * region.lines;
        let message = if let Some(lines) = self.least_lines(region, items) {
            format!(
                "page {}: the articles need {lines} lines at the least on the page's {} columns, it holds {} ({} over); {}",
                page.number,
                region.columns,
                region.lines,
                lines - region.lines,
                self.remedy(p, subjects, items, self.cut(region, subjects, items))
            )
        } else if needed > holds {
            format!(
                "page {}: the articles need {needed} column lines at the least, the page holds {holds}; {}",
                page.number,
                self.remedy(p, subjects, items, None)
            )
        } else if most < holds {
            format!(
                "page {}: the articles fill at most {most} of the page's {holds} column lines; add an article, or give a picture a larger `max-lines`",
                page.number
            )
        } else {
            format!(
                "page {}: no tiling of these articles fills the page's {} columns × {} lines (their heights leave gaps or legs too long); allow `continue-to`, give a picture a `min-lines`/`max-lines` range, or change a `span`",
                page.number, region.columns, region.lines
            )
        };
        self.file.diagnostic(&key, message)
    }

    /// The refusal of page `p` when an article's legs are taller than the layout's
    /// `max-leg-lines` at every span it may take.
    fn legs_too_long(&self, p: usize, subjects: &[Subject], items: &[Item]) -> Option<String> {
        let most = self.max_leg()?;
        let legs = |item: &Item| item.plain.iter().flatten().map(|n| n.fewest().saturating_sub(n.head)).min();
        let (s, leg) =
            subjects.iter().zip(items).find_map(|(s, i)| legs(i).filter(|&l| l > most).map(|l| (s, l)))?;
        let (least, widest) = s.spans;
        Some(format!(
            "page {}: article `{}` at {least}–{widest} columns needs legs of {leg} lines at the least, the layout's max-leg-lines is {most}; allow it a wider `span`",
            self.file.issue.pages[p].number,
            self.id(s)
        ))
    }

    /// The fewest column lines `item` takes at any span whose legs the layout allows.
    fn least_column_lines(&self, item: &Item) -> Option<u32> {
        let legal = |n: &Need| self.max_leg().is_none_or(|most| n.fewest().saturating_sub(n.head) <= most);
        let spans =
            item.plain.iter().enumerate().filter_map(|(s, n)| n.filter(legal).map(|n| (s as u32 + 1, n)));
        spans.map(|(span, n)| n.fewest() * span).min()
    }

    /// What the desk can do about page `p` its articles overfill: make `cut` (or cut the text),
    /// let the longest article that may not jump continue (when a later page is composed), or
    /// move one.
    fn remedy(&self, p: usize, subjects: &[Subject], items: &[Item], cut: Option<Cut>) -> String {
        let cut = cut.map_or("cut the text".to_string(), |cut| {
            format!("cut about {} characters from `{}`", cut.chars, self.id(&subjects[cut.item]))
        });
        let plain = format!("{cut}, or move an article to another page");
        let number = self.file.issue.pages[p].number;
        let later = self.file.issue.pages.iter().any(|q| q.number > number && !q.articles.is_empty());
        if !later {
            return plain;
        }
        let longest = subjects
            .iter()
            .zip(items)
            .filter(|(s, _)| s.before.is_none() && self.file.issue.articles[s.article].continue_to.is_none())
            .max_by_key(|(_, item)| self.least_column_lines(item).unwrap_or(0));
        longest.map_or(plain, |(s, _)| {
            format!("{cut}, allow `continue-to` for `{}`, or move an article to another page", self.id(s))
        })
    }

    /// The cut from one of the page's own articles (not a rest) that lets `items` tile
    /// `region`: the fewest lines for a tiling without a hole, when that is no more than half
    /// the region's height beyond the fewest for any tiling (a clean page is worth a longer
    /// cut, not any), else the fewest for any; the later in priority on a tie (the less
    /// important story is cut first).
    fn cut(&self, region: Region, subjects: &[Subject], items: &[Item]) -> Option<Cut> {
        let own = subjects.iter().enumerate().rev().filter(|(_, s)| s.before.is_none());
        let ways: Vec<Ways> = own.filter_map(|(k, s)| self.ways(region, items, k, s)).collect();
        let fewest = ways.iter().map(|w| w.least).min()?;
        let clean =
            ways.iter().filter_map(|w| w.whole.filter(|&l| l <= fewest + region.lines / 2).map(|l| (w, l)));
        let (chosen, lines) = clean
            .min_by_key(|&(_, lines)| lines)
            .or_else(|| ways.iter().map(|w| (w, w.least)).min_by_key(|&(_, lines)| lines))?;
        let chars = (lines as usize * chosen.chars).div_ceil(chosen.body.max(1) as usize);
        Some(Cut { item: chosen.item, chars })
    }

    /// The cuts of item `k` (subject `s`) that let `items` tile `region`: the fewest lines for
    /// any tiling, and for one without a hole. The tilings without a hole may begin at a longer
    /// cut and skip some after, so they are looked for a line at a time, up to half the
    /// region's height beyond the fewest (a longer one is not wanted, see [`Self::cut`]).
    fn ways(&self, region: Region, items: &[Item], k: usize, s: &Subject) -> Option<Ways> {
        // At the tightest tracking: what the least need the page was refused at is set with.
        let body = items[k].plain.iter().flatten().map(|n| n.body[0]).max()?;
        let tiles = |lines: u32, most_free: u32| {
            let mut trial = items.to_vec();
            trial[k] = cut_item(&items[k], lines);
            tiling::tile(&trial, region, &self.any_free(most_free)).is_some()
        };
        let least = least_passing(0, body, |lines| tiles(lines, region.lines))?;
        let whole = (least..=body.min(least + region.lines / 2)).find(|&lines| tiles(lines, self.hole() - 1));
        let (blocks, _) = self.file.article_blocks(s.article).ok()?;
        let chars = blocks.iter().map(|b| b.text().chars().count()).sum();
        Some(Ways { item: k, least, whole, body, chars })
    }

    /// The rules of a tiling that may leave any frame up to `lines` free.
    fn any_free(&self, lines: u32) -> Rules {
        Rules { most_free: lines, max_leg: self.max_leg(), weights: self.weights() }
    }

    /// The fewest lines a region as wide as `region` but taller must have for `items` to
    /// tile it (free lines allowed), when one up to twice `region`'s height does.
    fn least_lines(&self, region: Region, items: &[Item]) -> Option<u32> {
        // A taller region gives every leaf more room, until legs grow past `max-leg-lines`:
        // the heights that tile run from the least up to some most.
        least_passing(region.lines, region.lines, |lines| {
            tiling::tile(items, Region { lines, ..region }, &self.any_free(lines)).is_some()
        })
    }

    fn id(&self, s: &Subject) -> &str {
        &self.file.issue.articles[s.article].id
    }
}

/// The most column lines `item` can fill at any span: its lines with its picture grown, and
/// a line of white.
fn most_column_lines(item: &Item) -> Option<u32> {
    let spans = item.plain.iter().enumerate();
    spans.filter_map(|(s, n)| n.map(|n| (n.lines + n.stretch + 1) * (s as u32 + 1))).max()
}

/// `item` with `lines` lines of its body in one text column cut from its end, at every span.
fn cut_item(item: &Item, lines: u32) -> Item {
    let cut = |needs: &[Option<Need>]| needs.iter().map(|n| n.map(|n| n.cut(lines))).collect();
    Item { plain: cut(&item.plain), boxed: cut(&item.boxed), ..item.clone() }
}

/// The least `x` in `from + 1 ..= from + most` for which `passes` holds, when `passes` holds
/// from some `x` on (up to where it may fail again): steps doubling from `from` find one, a
/// bisection below it the least.
fn least_passing(from: u32, most: u32, passes: impl Fn(u32) -> bool) -> Option<u32> {
    let (mut fails, mut step) = (from, 1);
    let mut passed = loop {
        if passes(from + step.min(most)) {
            break from + step.min(most);
        }
        if step >= most {
            return None;
        }
        fails = from + step;
        step *= 2;
    };
    while passed - fails > 1 {
        let mid = fails + (passed - fails) / 2;
        if passes(mid) { passed = mid } else { fails = mid }
    }
    Some(passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_passing_value_is_found_by_doubling_then_bisecting() {
        assert_eq!(least_passing(0, 100, |x| x >= 37), Some(37));
        assert_eq!(least_passing(10, 10, |x| x >= 11), Some(11));
        assert_eq!(least_passing(10, 10, |x| x >= 20), Some(20));
        assert_eq!(least_passing(10, 10, |x| x >= 21), None);
        // A value that passes only in a window is found when a doubling step lands in it.
        assert_eq!(least_passing(0, 64, |x| (5..=9).contains(&x)), Some(5));
    }
}
