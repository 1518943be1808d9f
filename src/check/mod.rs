//! The checks of the laid-out pages, read from their glyphs: [`verify`] proves that every
//! article's text is on the pages exactly once and inside its frames, and measures each part's
//! fill and overflow; [`lines`], the line check, holds the body lines to the rules of Chinese
//! setting (clreq); [`pictures`] reads each picture's box and printed size from the pages and
//! warns of a picture with too few pixels for it; [`headlines`] holds headlines to their
//! phrase breaks, sizes by rank and 碰题; [`page`], the page check, holds what each page draws to its
//! anatomy (ink inside the type area, rules clear of text); the line check measures the space
//! between characters with [`spacing`] and what spans lines with [`columns`].

pub mod columns;
pub mod headlines;
pub mod lines;
pub mod page;
pub mod pictures;
pub mod spacing;
pub mod verify;
