//! Reading a user's text file safely: a size limit checked before reading, UTF-8 checked with the place of
//! the first bad byte, a leading byte-order mark dropped.

use std::io::Read as _;
use std::path::Path;

use crate::diagnostics::{Diagnostic, LineIndex};

/// The largest TOML scenario file read by default. A generated 100,000-contact scenario is 34 MiB and takes
/// about 150 MB to load; but a TOML file with errors is read again whole, to place them, at about 35 times
/// its size, so 64 MiB keeps that worst case near 2.5 GB. Larger scenarios are written in JSON.
pub const DEFAULT_MAX_SCENARIO_BYTES: u64 = 64 * 1024 * 1024;

/// The largest JSON scenario file read. JSON is read in one streaming pass, each contact checked and kept
/// as it is read (no tree of the file), so the bound is the text itself: 1,000,000 contacts are 350 MiB.
pub const MAX_JSON_SCENARIO_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// A file's text, or why it has none.
#[derive(Debug)]
pub enum TextError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// Larger than the limit: not read at all.
    TooLarge { size: u64, limit: u64 },
    /// Not UTF-8.
    NotUtf8(Box<NotUtf8>),
}

/// A file that is not UTF-8: its text lossily decoded, and a diagnostic that points at the first bad byte.
#[derive(Debug)]
pub struct NotUtf8 {
    pub lossy: String,
    pub diagnostic: Diagnostic,
}

/// Reads a file as UTF-8 text, refusing files over `limit` bytes before reading them.
pub fn read_text(path: &Path, limit: u64) -> Result<String, TextError> {
    read_text_limited_by(path, |_| limit)
}

/// Reads a file as UTF-8 text, refusing files over the limit that its first bytes choose (at most 64 of
/// them, fewer in a shorter file) before reading it.
pub fn read_text_limited_by(
    path: &Path,
    limit_for: impl FnOnce(&[u8]) -> u64,
) -> Result<String, TextError> {
    let file = std::fs::File::open(path).map_err(TextError::Io)?;
    let size = file.metadata().map_err(TextError::Io)?.len();
    // The head is kept and the rest read after it, not read again: a pipe cannot seek back.
    let mut head = Vec::with_capacity(64);
    (&file)
        .take(64)
        .read_to_end(&mut head)
        .map_err(TextError::Io)?;
    let limit = limit_for(&head);
    if size > limit {
        return Err(TextError::TooLarge { size, limit });
    }
    // The size may change while reading (a file being written): never read past the limit.
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    bytes.extend_from_slice(&head);
    file.take((limit + 1).saturating_sub(head.len() as u64))
        .read_to_end(&mut bytes)
        .map_err(TextError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(TextError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    decode(bytes)
}

/// Decodes bytes as UTF-8, dropping a leading byte-order mark.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, TextError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let bad = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The lossy text has the same bytes up to `bad`, so the offset holds in it.
            let at = LineIndex::new(&lossy).line_col(&lossy, bad);
            let diagnostic = Diagnostic::error(format!(
                "the file is not UTF-8 text: byte 0x{:02X} at byte offset {bad} (line {}, column {}) is not valid UTF-8",
                err.as_bytes()[bad], at.line, at.column
            ))
            .at(bad..bad + 1)
            .hint("save the file as UTF-8; a binary or non-text file cannot be read");
            Err(TextError::NotUtf8(Box::new(NotUtf8 { lossy, diagnostic })))
        }
    }
}

/// A size in bytes for people, in binary units: `1.5 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_dropped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa = 1".to_vec()).ok().as_deref(),
            Some("a = 1")
        );
    }

    #[test]
    fn bad_bytes_are_located() {
        let Err(TextError::NotUtf8(bad)) = decode(b"a = 1\nb = \xFF\n".to_vec()) else {
            panic!("expected a UTF-8 error");
        };
        let diagnostic = bad.diagnostic;
        assert_eq!(diagnostic.span, Some(10..11));
        assert!(
            diagnostic.message.contains("line 2, column 5"),
            "{}",
            diagnostic.message
        );
    }

    #[test]
    fn files_over_the_limit_are_refused_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.toml");
        std::fs::write(&path, vec![b'#'; 2048]).expect("write");
        assert!(matches!(
            read_text(&path, 1024),
            Err(TextError::TooLarge {
                size: 2048,
                limit: 1024
            })
        ));
        assert!(read_text(&path, 4096).is_ok());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(12), "12 bytes");
        assert_eq!(human_bytes(1536 * 1024), "1.5 MiB");
        assert_eq!(human_bytes(256 * 1024 * 1024), "256.0 MiB");
    }
}
