//! Reading a law folder from disk, within the limits of [`crate::limits`].

use crate::check::LawFile;
use crate::limits::{MAX_LAW_BYTES, MAX_LAW_FILE_BYTES, MAX_LAW_FILES, size};
use std::io::{self, Read};
use std::path::Path;

/// Every `*.md` file under `dir`, except `README.md`, named relative to `dir`.
///
/// A file larger than [`MAX_LAW_FILE_BYTES`] is read only that far and one byte more, for
/// [`crate::compile`] to refuse it with `L003` at its name. More than [`MAX_LAW_FILES`]
/// files, or more than [`MAX_LAW_BYTES`] in all, is an error naming the folder.
pub fn read_dir(dir: &Path) -> io::Result<Vec<LawFile>> {
    let mut out = Vec::new();
    let mut bytes = 0;
    walk(dir, dir, &mut out, &mut bytes)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<LawFile>, bytes: &mut usize) -> io::Result<()> {
    // Only what is read is kept: a folder of many other files costs no memory.
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let is_dir = entry.file_type()?.is_dir();
        if is_dir
            || (path.extension().is_some_and(|e| e == "md")
                && path.file_name().is_some_and(|n| n != "README.md"))
        {
            entries.push((entry.file_name(), path, is_dir));
        }
    }
    entries.sort();
    for (_, path, is_dir) in entries {
        if is_dir {
            walk(root, &path, out, bytes)?;
            continue;
        }
        if out.len() == MAX_LAW_FILES {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "{} holds more than {MAX_LAW_FILES} law files (*.md), the most read at once; \
                     keep the law of one knowledge base in one folder, and other files elsewhere",
                    root.display()
                ),
            ));
        }
        let text = read_text_at_most(&path, MAX_LAW_FILE_BYTES)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        *bytes += text.len();
        if *bytes > MAX_LAW_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "the law files under {} come to more than {}, the most read at once",
                    root.display(),
                    size(MAX_LAW_BYTES)
                ),
            ));
        }
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push(LawFile { name, text });
    }
    Ok(())
}

/// The bytes of a file, at most `max + 1` of them: memory never holds more, whatever the file
/// (a device, a pipe, a file still growing), and more than `max` says the file is too large.
pub fn read_at_most(path: &Path, max: usize) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of a file of at most `max` bytes. A longer file is read only to `max + 1` bytes
/// and given as such (an invalid UTF-8 sequence at the cut, or anywhere, replaced), so that
/// whoever reads it sees it is too long and says so where it belongs.
pub fn read_text_at_most(path: &Path, max: usize) -> io::Result<String> {
    let bytes = read_at_most(path, max)?;
    if bytes.len() > max {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}
