//! Fonts: the open Chinese faces shipped inside the binary, fonts from `--font-path` folders,
//! and the system's fonts found by fontdb. Faces are indexed once per process; each is read and
//! parsed only when a page first uses it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontInstance};
use typst::utils::LazyHash;

/// A file of `fonts/` as (name, bytes).
macro_rules! embed {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../../fonts/", $name)))
    };
}

/// The subset fonts in `fonts/`, embedded so a fresh machine needs nothing installed.
pub const EMBEDDED: [(&str, &[u8]); 5] = [
    embed!("NotoSerifCJKsc-Regular-subset.otf"),
    embed!("NotoSerifCJKsc-Bold-subset.otf"),
    embed!("NotoSansCJKsc-Regular-subset.otf"),
    embed!("NotoSansCJKsc-Bold-subset.otf"),
    embed!("BanmianWenKai-Regular-subset.ttf"),
];

/// Where the engine looks for fonts.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Folders searched before anything else, so a user's fonts win.
    pub font_paths: Vec<PathBuf>,
    /// Whether the system's installed fonts are used after the embedded ones.
    pub system_fonts: bool,
}

/// Where a face's data lives.
#[derive(Debug, Clone)]
pub enum FontSource {
    /// Built into the binary.
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// One face: its origin and, once needed, the parsed font.
#[derive(Debug)]
struct Slot {
    source: FontSource,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// All faces the engine can use, in precedence order: `--font-path`, embedded, system.
#[derive(Debug)]
pub struct FontStore {
    book: LazyHash<FontBook>,
    slots: Vec<Slot>,
    /// Outline bounds by font and glyph, read once for the store's life: verifying a page
    /// needs every glyph's ink, and CFF outlines are costly to read.
    #[allow(clippy::mutable_key_type)]
    bounds: Mutex<HashMap<(Font, u16), Option<ttf_parser::Rect>>>,
}

impl FontStore {
    pub fn new(options: &FontOptions) -> FontStore {
        let mut book = FontBook::new();
        let mut slots = Vec::new();

        let mut user = fontdb::Database::new();
        for dir in &options.font_paths {
            user.load_fonts_dir(dir);
        }
        add_database(&user, &mut book, &mut slots);

        for (_, data) in EMBEDDED {
            for (index, info) in FontInfo::iter(data).enumerate() {
                book.push(info);
                slots.push(Slot {
                    source: FontSource::Embedded(data),
                    index: index as u32,
                    font: OnceLock::new(),
                });
            }
        }

        if options.system_fonts {
            let mut system = fontdb::Database::new();
            system.load_system_fonts();
            add_database(&system, &mut book, &mut slots);
        }
        FontStore { book: LazyHash::new(book), slots, bounds: Mutex::default() }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// The font in slot `index`, loaded on first use; `None` out of range or when unreadable.
    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| {
                let bytes = match &slot.source {
                    FontSource::Embedded(data) => Bytes::new(*data),
                    FontSource::File(path) => Bytes::new(std::fs::read(path).ok()?),
                };
                Font::new(bytes, slot.index)
            })
            .clone()
    }

    /// The bounds of `glyph`'s outline in font units; `None` for a glyph without one.
    pub fn glyph_bounds(&self, font: &FontInstance, glyph: u16) -> Option<ttf_parser::Rect> {
        let mut bounds = self.bounds.lock().expect("the bounds are never left half-written");
        *bounds
            .entry((font.font().clone(), glyph))
            .or_insert_with(|| font.ttf().glyph_bounding_box(ttf_parser::GlyphId(glyph)))
    }

    /// Every face: (family, weight, style, source), for `banmian fonts`.
    pub fn faces(&self) -> impl Iterator<Item = (&FontInfo, &FontSource)> {
        self.slots.iter().enumerate().filter_map(|(i, slot)| Some((self.book.info(i)?, &slot.source)))
    }
}

/// Indexes a fontdb database's faces into the book.
fn add_database(db: &fontdb::Database, book: &mut FontBook, slots: &mut Vec<Slot>) {
    for face in db.faces() {
        let path = match &face.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
            fontdb::Source::Binary(_) => continue,
        };
        let info = db.with_face_data(face.id, FontInfo::new).flatten();
        if let Some(info) = info {
            book.push(info);
            slots.push(Slot { source: FontSource::File(path), index: face.index, font: OnceLock::new() });
        }
    }
}
