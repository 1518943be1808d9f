//! banmian (版面): a typesetting engine for Chinese newspapers.
//!
//! One issue's structured data goes in; a print-ready multi-column PDF comes out. Data flows one
//! way, one module (or folder) per stage, and no module imports a stage after it:
//!
//! issue file ([`issue`], article bodies via [`body`]) → layout ([`layout`]) → plan ([`plan`]:
//! grid, frames, chains) → Typst program, compiled and read back ([`typeset`]) → continuation splits
//! ([`measure`]) → pages composed from their articles' needs ([`compose`]) → checks of the laid-out glyphs ([`check`]) → report ([`report`]) → PDF,
//! previews and files ([`output`]); the live proof's view of the pages in the browser
//! ([`serve`]).
//!
//! [`Engine`] runs the stages for each build and keeps fonts, the Typst library, compilation
//! worlds and measured splits between builds.

pub mod body;
pub mod check;
pub mod compose;
pub mod engine;
pub mod error;
pub mod issue;
pub mod layout;
pub mod measure;
pub mod output;
pub mod plan;
pub mod report;
pub mod serve;
pub mod typeset;

pub use engine::{Build, BuildOptions, Engine};
pub use error::{Diagnostic, Error, Result};
pub use output::pdf::{PdfSettings, Standard};
pub use typeset::fonts::FontOptions;
