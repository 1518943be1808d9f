//! The plan: the issue's frames checked against the layout's grid and turned into rectangles,
//! and its articles with their bodies parsed and their frames chained. Everything after this
//! stage trusts the plan.
//!
//! Words used from here on:
//! - a *frame* is a rectangle of the grid given to one article; an article's frames form its
//!   *chain*, and a frame's place in it is its *slot* (0-based);
//! - a *part* is the stretch of an article's text one slot holds; *bounds* are the cuts
//!   ([`Cut`]) between an article's parts;
//! - a *field* ([`Field`]) is one piece of text the pages print for an article: a headline
//!   line, the dateline, a body run, the jump line …;
//! - a *mend* ([`Mends`]) is what a build changes in a line that a setting of the pages showed
//!   faulty: a break set ragged or kept, a mark halved.
//!
//! [`plan`] runs the checks in order — articles, paper, pages and their frames, chains — on a
//! [`Planner`] that collects every problem, so a desk sees them all at once.

mod article;
mod grid;
pub mod holes;
mod mends;
mod paper;
mod pictures;
mod ranks;

pub use mends::{At, Mends};

use std::collections::HashMap;

use serde::Serialize;

use crate::body::{Block, Cut};
use crate::error::{Diagnostic, Error, Result};
use crate::issue::{Article, Fit, IssueFile, KeyPath};
use crate::layout::{EPSILON, Layout, Output};

/// A checked issue, ready to set.
#[derive(Debug, Clone)]
pub struct Plan {
    pub pages: Vec<PlannedPage>,
    /// The masthead's logo picture, as a virtual path.
    pub logo: Option<String>,
    pub articles: Vec<PlannedArticle>,
    /// Every picture file the pages show, once each.
    pub images: Vec<Image>,
    /// Findings that do not stop the build, e.g. a chain that jumps back to an earlier page.
    pub warnings: Vec<Diagnostic>,
    /// What copy-fit changed, as the plan applies it.
    pub fitting: Fitting,
}

/// A page and the rectangles on it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedPage {
    pub number: u32,
    /// The page's name in the layout's numerals, e.g. 第二版.
    pub name: String,
    pub section: Option<String>,
    pub editor: Option<String>,
    pub designer: Option<String>,
    pub proofreader: Option<String>,
    /// Whether the page carries the masthead (page 1).
    pub masthead: bool,
    pub frames: Vec<PlannedFrame>,
    /// 栏线 between neighbouring frames of different articles and pictures.
    pub rules: Vec<Rule>,
    pub pictures: Vec<PlannedPicture>,
}

/// A picture on the page, in pt from the type area's top-left corner.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedPicture {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Where it sits on the grid: column, span, line and lines, caption included.
    #[serde(skip)]
    pub extent: [u32; 4],
    /// Height in grid lines, caption included.
    pub lines: u32,
    /// The picture's virtual path in the generated program.
    pub image: String,
    /// The picture's file as the issue names it, for messages.
    #[serde(skip)]
    pub file: String,
    pub fit: Fit,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The bytes of a picture the issue uses, its virtual path, and its size in pixels (none for
/// SVG, which has no resolution).
#[derive(Debug, Clone)]
pub struct Image {
    pub path: String,
    pub bytes: Vec<u8>,
    pub pixels: Option<[u32; 2]>,
}

/// A rule from (x1, y1) to (x2, y2), in pt from the type area's top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// A frame as a rectangle in pt from the type area's top-left corner.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedFrame {
    /// Index into [`Plan::articles`].
    #[serde(skip)]
    pub article: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Text columns inside the frame.
    pub columns: u32,
    /// Width in grid columns.
    #[serde(skip)]
    pub span: u32,
    /// Height in grid lines.
    pub lines: u32,
    /// Position in the grid, for ordering chains: first line and column, 1-based.
    #[serde(skip)]
    pub grid_at: (u32, u32),
    /// Whether the frame takes its height from its text (`lines = "auto"`).
    #[serde(skip)]
    pub auto: bool,
    /// Whether the frame's text columns are balanced when its text ends early.
    #[serde(skip)]
    pub balance: bool,
    /// Copy-fit's tracking for the article's text, in em (0 unless fitted).
    pub tracking_em: f64,
    /// The frame's slot in its article's chain.
    pub slot: usize,
    /// The jump head's line for a continued part, e.g. （上接第一版）.
    pub jump_from: Option<String>,
    /// The line ending a part that continues, e.g. （下转第二版）.
    pub jump_to: Option<String>,
    /// Width of the headline, in pt: the frame's, or less with `headline-span`.
    pub headline_width: f64,
    /// Width the body's text columns share, in pt: the frame's, less a vertical headline's
    /// and a box's insets.
    pub text_width: f64,
    /// From the frame's left edge to its first text column, in pt: a boxed frame's inset.
    pub text_x: f64,
    /// The width of each text column and of the gutters between them, in pt, as
    /// [`Layout::text_column`] divides `text_width`: the template sets them, the checks read
    /// them.
    pub column_width: f64,
    pub column_gutter: f64,
    /// Whether the headline runs down the frame's right side (竖题).
    pub vertical: bool,
    /// Whether a border (花线) is drawn around the frame.
    pub boxed: bool,
    /// The article's picture (压题照片), under the headline of its first frame.
    pub picture: Option<FramePicture>,
    /// The article's rank on the page of its first frame (1 = the lead, by frame area or the
    /// article's `rank`); 0 on later frames.
    #[serde(skip)]
    pub rank: u32,
    /// The title's size on the article's first frame, in pt (by rank, or the article's
    /// `title-size`); 0 on later frames.
    pub title_size: f64,
    /// Grid lines of white added around the frame's head (headline or jump head): its
    /// `head-space`, and copy-fit's on the article's last frame.
    pub head_space: u32,
}

impl PlannedFrame {
    /// Where the frame sits on the grid: column, span, line and lines.
    pub fn extent(&self) -> [u32; 4] {
        [self.grid_at.1, self.span, self.grid_at.0, self.lines]
    }

    /// Grid lines × text columns: how many body lines the frame holds.
    pub fn capacity(&self) -> u32 {
        self.lines * self.columns
    }

    /// Divides the text width into text columns as the layout says; called whenever the text
    /// width is settled.
    pub fn settle_columns(&mut self, layout: &Layout) {
        (self.column_width, self.column_gutter) = layout.text_column(self.text_width, self.columns);
    }

    /// Where text column `k` (0-based) lies, with `left` the frame's left edge in the caller's
    /// coordinates: its left edge and width. The template, measuring and every check place
    /// columns by this.
    pub fn column(&self, k: u32, left: f64) -> (f64, f64) {
        (left + self.text_x + f64::from(k) * (self.column_width + self.column_gutter), self.column_width)
    }

    /// The text column a pen position `x` falls in, with `left` the frame's left edge in the
    /// same coordinates: the column's index and its left edge.
    pub fn column_at(&self, left: f64, x: f64) -> (u32, f64) {
        let step = self.column_width + self.column_gutter;
        let last = f64::from(self.columns.max(1) - 1);
        let k = ((x - left - self.text_x + EPSILON) / step).floor().clamp(0.0, last) as u32;
        (k, self.column(k, left).0)
    }
}

/// A picture set across a frame, under its headline.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramePicture {
    /// The picture's virtual path in the generated program.
    pub image: String,
    /// The picture's file as the issue names it, for messages.
    #[serde(skip)]
    pub file: String,
    pub fit: Fit,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Height in grid lines, caption included.
    pub lines: u32,
}

/// An article with its body parsed and its frames found.
#[derive(Debug, Clone)]
pub struct PlannedArticle {
    pub article: Article,
    pub blocks: Vec<Block>,
    /// (page index, frame index) of the article's frames, in chain order.
    pub frames: Vec<(usize, usize)>,
}

/// A piece of text the pages print for an article: one of its own fields, or the jump head
/// and jump line the layout adds to a continued part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Kicker,
    Title,
    Subtitle,
    Dateline,
    Byline,
    /// The title repeated over a continued part; not part of the article's text.
    JumpTitle,
    /// The jump line ending a part, e.g. （下转第二版）: the layout's words, not the article's,
    /// named in the source so that verification keeps it inside its frame too.
    JumpLine,
    /// 编者按.
    Note,
    /// 导语.
    Lead,
    /// A line of the closing signature.
    Signature(usize),
    /// A body run: (block, run).
    Run(usize, usize),
}

/// Where each article's text is cut into parts: for each article, one cut before each of its
/// slots and one after the last (`START, c1, …, END`). A part whose two cuts are equal is empty.
pub type Bounds = Vec<Vec<Cut>>;

/// Whether part `slot` of an article cut at `cuts` holds text that goes on in the next part,
/// so that it ends with a jump line.
pub fn continues(cuts: &[Cut], slot: usize) -> bool {
    cuts[slot] < cuts[slot + 1] && cuts.get(slot + 2).is_some_and(|&next| next > cuts[slot + 1])
}

impl Plan {
    /// The frame of article `article`'s chain slot `slot`.
    pub fn frame(&self, article: usize, slot: usize) -> &PlannedFrame {
        let (p, f) = self.articles[article].frames[slot];
        &self.pages[p].frames[f]
    }

    /// The page (index into [`Plan::pages`]) of article `article`'s chain slot `slot`.
    pub fn page_of(&self, article: usize, slot: usize) -> usize {
        self.articles[article].frames[slot].0
    }

    /// The page number of article `article`'s chain slot `slot`.
    pub fn page_number(&self, article: usize, slot: usize) -> u32 {
        self.pages[self.page_of(article, slot)].number
    }

    /// Bounds that put each article's whole text in its first frame.
    pub fn unsplit(&self) -> Bounds {
        self.articles
            .iter()
            .map(|a| {
                let end = Cut::end(&a.blocks);
                std::iter::once(Cut::default()).chain(std::iter::repeat_n(end, a.frames.len())).collect()
            })
            .collect()
    }
}

/// An issue ready to set: what every stage after planning reads, settled once per build.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub file: &'a IssueFile,
    pub layout: &'a Layout,
    pub plan: &'a Plan,
    /// How the pages are drawn for this build's PDF (bleed, archive colours).
    pub output: Output,
    /// The balanced columns of articles' last parts, once measured.
    pub balance: &'a Balance,
    /// What the engine changes in lines, once the set pages showed where it is needed.
    pub mends: &'a Mends,
}

/// The heights measured for auto frames, by (page index, frame index): what [`plan`] places
/// them with; an auto frame not in it gets a provisional height.
pub type Heights = HashMap<(usize, usize), u32>;

/// What copy-fit changed, by article: the tracking of its text, in em (an article not in it
/// keeps its layout's), the grid lines of white it added around its last frame's head
/// (beyond the frame's own `head-space`; negative when it took some of that), and the grid
/// lines it added to its 压题照片 (negative when it took some), and the articles whose title it
/// set one 字号 smaller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fitting {
    pub tracking: HashMap<usize, f64>,
    pub space: HashMap<usize, i32>,
    pub picture: HashMap<usize, i32>,
    pub smaller_title: Vec<usize>,
}

/// Where the later text columns of a balanced part start, by article: the cuts that end each
/// column of the article's last frame but the last.
pub type Balance = HashMap<usize, Vec<Cut>>;

/// Checks the issue against the layout and builds the plan; all problems are reported together.
pub fn plan(file: &IssueFile, layout: &Layout, heights: &Heights, fitting: &Fitting) -> Result<Plan> {
    let mut planner = Planner::new(file, layout, heights, fitting);
    planner.articles()?;
    planner.paper();
    planner.pages();
    planner.masthead_middle();
    planner.chains();
    planner.ranks();
    planner.finish()
}

/// The plan under construction, with every problem found so far.
struct Planner<'a> {
    file: &'a IssueFile,
    layout: &'a Layout,
    heights: &'a Heights,
    /// What copy-fit changed.
    fitting: &'a Fitting,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Article ids to their index.
    ids: HashMap<&'a str, usize>,
    articles: Vec<PlannedArticle>,
    pages: Vec<PlannedPage>,
    images: Vec<Image>,
    logo: Option<String>,
    /// Each article's explicit `part` keys, in the order its frames were met.
    parts: Vec<Vec<(Option<u32>, KeyPath)>>,
}

impl<'a> Planner<'a> {
    fn new(file: &'a IssueFile, layout: &'a Layout, heights: &'a Heights, fitting: &'a Fitting) -> Self {
        Planner {
            file,
            layout,
            heights,
            fitting,
            errors: Vec::new(),
            warnings: Vec::new(),
            ids: HashMap::new(),
            articles: Vec::new(),
            pages: Vec::new(),
            images: Vec::new(),
            logo: None,
            parts: Vec::new(),
        }
    }

    /// Records a problem at `key`.
    fn error(&mut self, key: &KeyPath, message: impl Into<String>) {
        self.errors.push(self.file.diagnostic(key, message));
    }

    /// The 要目 box and a 报眼 article would share the masthead's middle.
    fn masthead_middle(&mut self) {
        let issue = &self.file.issue;
        if issue.issue.contents && issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.ear) {
            self.error(
                &KeyPath::default().key("issue").key("contents"),
                "the 要目 box and a 报眼 frame both sit beside the masthead; keep one",
            );
        }
    }

    fn finish(self) -> Result<Plan> {
        if !self.errors.is_empty() {
            return Err(Error::Invalid(self.errors));
        }
        let Planner { pages, logo, articles, images, warnings, fitting, .. } = self;
        Ok(Plan { pages, logo, articles, images, warnings, fitting: fitting.clone() })
    }
}
