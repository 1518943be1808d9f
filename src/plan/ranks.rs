//! Title hierarchy: each article's rank on the page of its first frame, and the title size
//! that rank gives, so a notice never looks like the lead.

use crate::issue::KeyPath;

use super::Planner;

impl Planner<'_> {
    /// Ranks the articles opening on each page — by their `rank`, else by first frame area,
    /// largest first, equal areas sharing a rank — and gives each first frame its title size:
    /// the article's `title-size`, else the layout's size for its rank, a 字号 smaller where
    /// copy-fit set it so.
    pub(super) fn ranks(&mut self) {
        let layout = self.layout;
        for p in 0..self.pages.len() {
            let area = |frame: &super::PlannedFrame| (frame.width * frame.height).round() as i64;
            let opening: Vec<(usize, i64)> = (self.pages[p].frames.iter().enumerate())
                .filter(|(_, frame)| frame.slot == 0)
                .map(|(f, frame)| (f, area(frame)))
                .collect();
            let mut areas: Vec<i64> = opening.iter().map(|&(_, area)| area).collect();
            areas.sort_unstable_by(|a, b| b.cmp(a));
            areas.dedup();
            for (f, frame_area) in opening {
                let a = self.pages[p].frames[f].article;
                let by_area = areas.iter().position(|&x| x == frame_area).unwrap_or(0) as u32 + 1;
                let rank = self.file.issue.articles[a].rank.unwrap_or(by_area);
                let size = self.title_size(a, rank).unwrap_or_else(|| layout.title_size(rank));
                let smaller = self.fitting.smaller_title.contains(&a);
                let frame = &mut self.pages[p].frames[f];
                frame.rank = rank;
                frame.title_size = if smaller { layout.smaller_size(size) } else { size };
            }
        }
    }

    /// The size an article's own `title-size` names, recording a name the layout lacks or a
    /// rank of 0.
    fn title_size(&mut self, a: usize, rank: u32) -> Option<f64> {
        let key = KeyPath::default().key("articles").index(a);
        if rank == 0 {
            self.error(&key.clone().key("rank"), "a rank counts from 1, the page's lead");
        }
        let name = self.file.issue.articles[a].title_size.clone()?;
        let size = self.layout.size_pt(&name);
        if size.is_none() {
            let names: Vec<_> = self.layout.spec.sizes.keys().map(String::as_str).collect();
            let message = format!("title-size `{name}` is not a 字号 of the layout ({})", names.join(", "));
            self.error(&key.key("title-size"), message);
        }
        size
    }
}
