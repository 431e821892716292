//! Integration tests: the real binary against a real HTTP server on 127.0.0.1
//! and a real SQLite store in a temporary folder.

mod archive;
mod browser;
mod check;
mod cli;
mod conventions;
mod fragments;
mod hostile;
mod import;
mod knobs;
mod lock;
mod next_steps;
mod notify;
mod props;
mod realworld;
mod report;
mod review;
mod simweb;
mod support;
mod trial_pages;
mod trial_travel;
