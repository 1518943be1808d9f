//! The checks of the laid-out pages, read from their glyphs: [`verify`] proves that every
//! article's text is on the pages exactly once and inside its frames, and measures each part's
//! fill and overflow; [`lines`], the line check, holds the body lines to the rules of Chinese
//! setting (clreq), measuring the space between characters with [`spacing`] and what spans
//! lines with [`columns`].

pub mod columns;
pub mod lines;
pub mod spacing;
pub mod verify;
