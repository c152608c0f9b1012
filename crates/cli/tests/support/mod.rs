//! What the command-line tests share: running the binary from the repository root.

#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `delimit` with `args` from the repository root, without colour.
pub fn delimit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_delimit"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("delimit runs")
}

pub fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}
