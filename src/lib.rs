//! citewatch keeps published claims honest.
//!
//! Data flows one way:
//! claims → plan (distinct URLs) → fetch → extract text → compare with the
//! baseline → judge each claim → store → report.

pub mod claims;
pub mod model;
pub mod text;
pub mod compare;
pub mod extract;
