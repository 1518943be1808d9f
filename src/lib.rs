//! banmian (版面): a typesetting engine for Chinese newspapers.
//!
//! One issue's structured data goes in; a print-ready multi-column PDF comes out. Data flows one
//! way through one module per stage:
//!
//! issue file ([`issue`]) → layout ([`layout`]) → plan ([`plan`], bodies via [`body`]) →
//! continuation splits ([`measure`]) → Typst source ([`generate`]) →
//! compile ([`world`], [`fonts`], [`compile`]) →
//! verify ([`verify`], [`composition`]) → PDF, previews and report ([`pdf`], [`output`], [`preview`],
//! [`report`]); the live proof in the browser ([`serve`]).
//!
//! [`Engine`] runs the stages and keeps fonts and the Typst library between builds.

pub mod body;
pub mod compile;
pub mod composition;
pub mod engine;
pub mod error;
pub mod fonts;
pub mod generate;
pub mod issue;
pub mod layout;
pub mod measure;
pub mod output;
pub mod pdf;
pub mod plan;
pub mod preview;
pub mod report;
pub mod serve;
pub mod verify;
pub mod world;

pub use engine::{Build, BuildOptions, Engine};
pub use error::{Diagnostic, Error, Result};
pub use fonts::FontOptions;
pub use pdf::{PdfSettings, Standard};
