//! Typesetting with Typst: the plan becomes a Typst program ([`generate`]) whose every
//! expression of article text is recorded in a [`source_map`] and lines break where Chinese
//! setting wants ([`joins`]); the program is compiled in
//! process ([`compile`]) in a [`world`] of in-memory files and the [`fonts`] the layout names;
//! and the laid-out pages are read back as [`glyphs`], each traced to the text it prints, and
//! as [`images`], each with the box it shows in.

pub mod breaks;
pub mod compile;
pub mod fonts;
pub mod generate;
pub mod glyphs;
pub mod images;
pub mod joins;
pub mod phrases;
pub mod source_map;
pub mod world;
