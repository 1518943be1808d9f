//! Pictures: page pictures on the grid, an article's 压题照片 in its first frame, and the
//! masthead's logo, each file read once and checked to be a picture.

use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage};

use crate::error::{Diagnostic, Error};
use crate::issue::{FrameLines, KeyPath, Page};

use super::grid::{Area, Taken, rest_lines};
use super::{FramePicture, Image, PlannedPicture, Planner};

impl Planner<'_> {
    /// A page's picture frames, placed on the grid beside its article frames.
    pub(super) fn page_pictures(
        &mut self,
        p: usize,
        page: &Page,
        masthead: bool,
        key: &KeyPath,
        taken: &mut Taken,
    ) -> Vec<PlannedPicture> {
        let layout = self.layout;
        let area = if masthead { Area::BelowMasthead } else { Area::Anywhere };
        let mut pictures = Vec::new();
        for (i, picture) in page.pictures.iter().enumerate() {
            let key = key.clone().key("pictures").index(i);
            let across = [picture.column, picture.column.saturating_add(picture.span)];
            let line = self.start_line(picture.line, across, masthead, taken);
            let lines = match picture.lines {
                FrameLines::Fixed(lines) => lines,
                FrameLines::Rest => rest_lines(page, across, line, layout.spec.grid.lines),
                FrameLines::Auto => {
                    self.error(
                        &key.clone().key("lines"),
                        "a picture has no text to size it: give its `lines`, or \"rest\"",
                    );
                    continue;
                }
            };
            let extent = [picture.column, picture.span, line, lines];
            let Some(cells) = self.place(&key, extent, area) else { continue };
            if let Some(other) = taken.overlap(&cells) {
                let message = format!("this picture overlaps {other}");
                self.error(&key, message);
                continue;
            }
            taken.take(cells, format!("pages[{p}].pictures[{i}]"));
            let Some(image) = self.picture(&key.clone().key("image"), &picture.image) else { continue };
            pictures.push(PlannedPicture {
                x: layout.column_x(picture.column),
                y: layout.line_y(line),
                width: layout.span_width(picture.span),
                height: layout.lines_height(lines),
                extent,
                lines,
                image,
                file: picture.image.clone(),
                fit: picture.fit,
                caption: picture.caption.clone(),
                credit: picture.credit.clone(),
            });
        }
        pictures
    }

    /// Article `a`'s 压题照片, under the headline of its first frame, as tall as copy-fit left it.
    pub(super) fn article_picture(&mut self, a: usize, key: &KeyPath) {
        let Some(picture) = self.articles[a].article.picture.clone() else { return };
        let (p, f) = self.articles[a].frames[0];
        let fitted = self.fitting.picture.get(&a).copied().unwrap_or(0);
        let lines = picture.lines.saturating_add_signed(fitted);
        if lines == 0 || lines >= self.pages[p].frames[f].lines {
            let message = format!("a picture of {lines} lines does not fit the article's first frame");
            self.error(&key.clone().key("lines"), message);
            return;
        }
        if let Some(image) = self.picture(&key.clone().key("image"), &picture.image) {
            self.pages[p].frames[f].picture = Some(FramePicture {
                image,
                file: picture.image,
                fit: picture.fit,
                caption: picture.caption,
                credit: picture.credit,
                lines,
            });
        }
    }

    /// Reads a picture the issue names at `key`, recording the problem when it cannot be used;
    /// returns its virtual path.
    pub(super) fn picture(&mut self, key: &KeyPath, relative: &str) -> Option<String> {
        match self.load_picture(key, relative) {
            Ok(path) => Some(path),
            Err(problem) => {
                self.errors.push(problem);
                None
            }
        }
    }

    /// Reads a picture once per file: it must lie inside the issue's folder and be a PNG, JPEG
    /// or SVG, and a PNG or JPEG must decode. Returns its virtual path in the generated program.
    fn load_picture(&mut self, key: &KeyPath, relative: &str) -> Result<String, Diagnostic> {
        let file = self.file;
        let to_diagnostic = |e: Error| match e {
            Error::Invalid(mut d) => d.remove(0),
            other => file.diagnostic(key, other.to_string()),
        };
        let path = file.resolve(key, relative).map_err(to_diagnostic)?;
        let bytes = std::fs::read(&path)
            .map_err(|e| file.diagnostic(key, format!("cannot read picture {}: {e}", path.display())))?;
        let Some(extension) = picture_kind(&bytes) else {
            return Err(file.diagnostic(key, format!("{} is not a PNG, JPEG or SVG picture", path.display())));
        };
        if let Some(known) = self.images.iter().find(|i| i.bytes == bytes) {
            return Ok(known.path.clone());
        }
        let pixels = match extension {
            "svg" => None,
            _ => Some(pixels(&bytes).map_err(|why| {
                file.diagnostic(key, format!("cannot decode picture {}: {why}", path.display()))
            })?),
        };
        // Named by its content, not its place in the issue: a frame's data then names the
        // picture it shows, whatever else the issue holds (a measurement's fingerprint holds it).
        let virtual_path = format!("/pictures/{:032x}.{extension}", typst::utils::hash128(&bytes));
        self.images.push(Image { path: virtual_path.clone(), bytes, pixels });
        Ok(virtual_path)
    }
}

/// A PNG's or JPEG's width and height in pixels, as it prints (EXIF rotation applied), decoded
/// as Typst decodes it: the compile reuses this decoding from Typst's cache.
fn pixels(bytes: &[u8]) -> Result<[u32; 2], String> {
    let data = Bytes::new(bytes.to_vec());
    let format = ExchangeFormat::detect(bytes).ok_or("its format is not one Typst reads")?;
    let image = RasterImage::new(data, format, Smart::Auto).map_err(|e| e.to_string())?;
    Ok([image.width(), image.height()])
}

/// The file extension of a picture's format, told by its first bytes.
fn picture_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if std::str::from_utf8(bytes).is_ok_and(|t| t.contains("<svg")) {
        Some("svg")
    } else {
        None
    }
}
