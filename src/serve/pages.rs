//! The pages as SVG, which stays sharp at any zoom. Each page is named by a hash of its laid-out
//! content, so a rebuild renders and sends only the pages an edit changed, and a browser may
//! keep a page it has for as long as it likes. Pages are gzipped once, when rendered.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use typst_layout::PagedDocument;

/// The rendered pages on show and those of the build before, by name: undoing an edit brings
/// back pages already rendered, and a browser still fetching the last pages finds them.
#[derive(Default)]
pub struct PageStore {
    pages: HashMap<String, Arc<Vec<u8>>>,
    previous: Vec<String>,
}

impl PageStore {
    /// Renders the document's pages not stored yet and forgets those of earlier builds;
    /// returns each page's name.
    pub fn update(&mut self, document: &PagedDocument) -> Vec<String> {
        let names: Vec<String> =
            document.pages().iter().map(|page| format!("{:032x}", typst::utils::hash128(page))).collect();
        let new: Vec<(String, Arc<Vec<u8>>)> = document
            .pages()
            .par_iter()
            .zip(&names)
            .filter(|(_, name)| !self.pages.contains_key(*name))
            .map(|(page, name)| {
                let svg = typst_svg::svg(page, &typst_svg::SvgOptions::default());
                (name.clone(), Arc::new(gzip(svg.as_bytes())))
            })
            .collect();
        self.pages.retain(|name, _| names.contains(name) || self.previous.contains(name));
        self.pages.extend(new);
        self.previous = names.clone();
        names
    }

    /// A page's SVG, gzipped.
    pub fn get(&self, name: &str) -> Option<Arc<Vec<u8>>> {
        self.pages.get(name).cloned()
    }
}

/// Compresses fast: a page is sent soon after it is set.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("writing to memory does not fail");
    encoder.finish().expect("writing to memory does not fail")
}

/// The bytes gzipped by [`gzip`], for a client that does not take gzip.
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("the bytes were gzipped here");
    out
}
