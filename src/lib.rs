//! citewatch keeps published claims honest.
//!
//! Data flows one way, one module per stage:
//!
//! ```text
//! claims → plan → fetch → extract → compare → judge → store → report
//! (files)  (URLs)  (net)   (text)    (baseline) (verdicts) (SQLite) (text/JSON)
//! ```
//!
//! `check` runs the stages in order; `app` turns a command line into a run and
//! an exit status. Network and disk stay in `fetch`, `store`, `claims` loading
//! and `app`; `extract`, `compare`, `judge` and `report` are pure.

pub mod app;
pub mod archive;
pub mod check;
pub mod claims;
pub mod cli;
pub mod compare;
pub mod config;
pub mod dead;
pub mod extract;
pub mod fasthash;
pub mod fetch;
pub mod figures;
pub mod import;
pub mod inspect;
pub mod interrupt;
pub mod judge;
pub mod lock;
pub mod memo;
pub mod model;
pub mod notify;
pub mod plan;
pub mod progress;
pub mod report;
pub mod review;
pub mod rundoc;
pub mod sandbox;
pub mod statuses;
pub mod store;
pub mod target;
#[cfg(test)]
mod testing;
pub mod text;
