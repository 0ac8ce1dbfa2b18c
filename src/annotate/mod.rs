//! Stage 4, **annotate**: the project's editable record. Each source gets one annotated
//! Markdown file under `content/`: its metadata, its text with the claims marked, and one
//! `claim` block per claim holding the extracted data and the editor's `[review]`.
//!
//! [`annotate`] merges a fresh extraction with the previous file so that no editor's work is
//! lost; [`write()`] and [`parse`] turn the record into Markdown and back.

pub mod anchor;
mod markdown;
mod merge;
mod record;
mod toml_out;

pub use anchor::{anchor, reanchor, QuoteContext};
pub use markdown::{parse, write, AnnotateError};
pub use merge::{annotate, claim_id};
pub use record::{Anchoring, AnnotatedSource, ClaimRecord, FrontMatter, Origin, Review, ReviewFields};
