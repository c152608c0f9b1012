//! The law language of delimit: literate Markdown law files whose fenced blocks hold
//! provisions, sources and rules; the parser and the checker that turn them into a
//! [`KnowledgeBase`], and located diagnostics for everything wrong with them.
//!
//! This crate knows nothing of cases, evaluation, storage or the web: it reads law
//! and says whether it is well formed.

pub mod ast;
pub mod check;
pub mod diag;
pub mod kb;
pub mod lexer;
pub mod limits;
pub mod literate;
pub mod load;
pub mod parse;
pub mod verification;

pub use check::{Compiled, LawFile, compile};
pub use diag::{Diagnostic, Severity, Sources, Span, render};
pub use kb::*;
