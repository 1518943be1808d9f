//! The Typst `World` banmian compiles in: generated source and data held in memory, fonts from
//! the [`FontStore`], and no access to the disk or network.
//!
//! Files keep stable virtual paths and sources are updated in place, so comemo can reuse the
//! layout of everything that did not change between two builds in one process.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontStore;
use super::generate::{self, Generated};

/// The file id of a virtual path in the project root.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("generated paths are valid virtual paths");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The standard library, built once per process.
pub fn library() -> LazyHash<Library> {
    LazyHash::new(Library::builder().build())
}

/// A compilation environment over one generated program. An engine keeps one per issue and
/// purpose (measuring, final pages), so each program is updated in place from build to build.
pub struct NewsWorld {
    /// Typst's standard library, built once per engine and shared by every world.
    library: Arc<LazyHash<Library>>,
    /// The engine's fonts: the font book Typst chooses from, and the faces, loaded lazily.
    fonts: Arc<FontStore>,
    /// The id of `/main.typ`, the program's entry point.
    main: FileId,
    /// The generated sources (main, template, article modules), kept between builds and
    /// updated in place so unchanged ones stay the same source for comemo.
    sources: HashMap<FileId, Source>,
    /// The data files (layout, plan, article JSON) and pictures, by virtual path.
    files: HashMap<FileId, Bytes>,
    /// The date, which `datetime.today()` gives the template.
    today: Option<Datetime>,
}

impl NewsWorld {
    pub fn new(library: Arc<LazyHash<Library>>, fonts: Arc<FontStore>) -> Self {
        NewsWorld {
            library,
            fonts,
            main: file_id(generate::MAIN),
            sources: HashMap::new(),
            files: HashMap::new(),
            today: None,
        }
    }

    /// A new world over the same library and fonts, to compile beside this one.
    pub fn sibling(&self) -> NewsWorld {
        NewsWorld::new(self.library.clone(), self.fonts.clone())
    }

    /// Loads a generated program, replacing the previous one's files in place.
    pub fn load(&mut self, generated: &Generated, today: Option<Datetime>) {
        self.today = today;
        self.set_source(generate::MAIN, &generated.main);
        self.set_source(generate::TEMPLATE, &generated.template);
        for (path, text) in &generated.modules {
            self.set_source(path, text);
        }
        // Unchanged files keep their bytes, so Typst sees them as the same file.
        let mut files = HashMap::with_capacity(generated.data.len());
        for (path, bytes) in &generated.data {
            let id = file_id(path);
            let kept = self.files.remove(&id).filter(|old| old.as_slice() == bytes.as_slice());
            files.insert(id, kept.unwrap_or_else(|| Bytes::new(bytes.clone())));
        }
        self.files = files;
    }

    fn set_source(&mut self, path: &str, text: &str) {
        let id = file_id(path);
        match self.sources.get_mut(&id) {
            Some(source) => {
                source.replace(text);
            }
            None => {
                self.sources.insert(id, Source::new(id, text.to_string()));
            }
        }
    }

    /// The fonts the program is set in.
    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// A source of the program, for mapping spans to lines.
    pub fn source_of(&self, id: FileId) -> Option<&Source> {
        self.sources.get(&id)
    }
}

impl World for NewsWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}
