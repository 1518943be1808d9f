//! What a build hands out: the PDF for the printer or the archive ([`pdf`]), page previews
//! ([`preview`]), and files written whole or not at all ([`files`]).

pub mod files;
pub mod pdf;
pub mod preview;

pub use files::{emit_typst, write_atomic, write_previews};
