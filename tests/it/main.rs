//! Integration tests: the real binary against a real HTTP server on 127.0.0.1
//! and a real SQLite store in a temporary folder.

mod browser;
mod check;
mod cli;
mod import;
mod realworld;
mod report;
mod review;
mod simweb;
mod support;
