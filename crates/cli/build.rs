//! Embeds the law and screening folders in the binary, so that `delimit` works anywhere with the
//! knowledge base it was built with.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if path
            .extension()
            .is_some_and(|x| x == "md" || x == "yaml" || x == "yml")
        {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut code = String::new();
    for (folder, name, doc) in [
        ("law", "FILES", "Law files and scenarios"),
        ("screening", "SCREENING", "Screening indicator lists"),
    ] {
        let dir = manifest.join("../..").join(folder);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        code.push_str(&format!(
            "/// {doc} bundled at build time: (path, contents).\npub static {name}: &[(&str, &str)] = &[\n"
        ));
        for (file, path) in files {
            let abs = path.canonicalize().unwrap_or(path);
            code.push_str(&format!(
                "    ({file:?}, include_str!({:?})),\n",
                abs.display().to_string()
            ));
        }
        code.push_str("];\n");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("bundled.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
