//! Reading the files users name (answers, rule folders, topologies, tier files, CSV
//! measurements, existing design files). Every read is capped at [`MAX_BYTES`], so a
//! mistyped path such as `/dev/zero` or a multi-gigabyte log cannot take unbounded memory.

use std::io::Read;
use std::path::Path;

/// Largest file read, in bytes: the same cap the YAML reader applies.
pub const MAX_BYTES: usize = crate::yaml::MAX_BYTES;

/// Most files read from one user folder (`--rules DIR`, `--templates DIR`).
pub const MAX_FILES: usize = 1_000;

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The operating system refused (missing, a folder, no permission).
    #[error(
        "cannot read {path}: {}; accepted: the path of a readable text file",
        describe(source)
    )]
    Io {
        /// The file as named.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Larger than [`MAX_BYTES`].
    #[error("{path} is larger than {MAX_BYTES} bytes; at most {MAX_BYTES} bytes are accepted")]
    TooLarge {
        /// The file as named.
        path: String,
    },
    /// Not UTF-8 text.
    #[error("{path} is not UTF-8 text (byte {offset}); accepted: a UTF-8 text file")]
    NotText {
        /// The file as named.
        path: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

/// An I/O error in a few plain words, without the `(os error N)` suffix.
pub fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "there is no such file or folder".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "it is a folder".into(),
        ErrorKind::NotADirectory => "it is not a folder".into(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        ErrorKind::StorageFull => "no space left on the device".into(),
        ErrorKind::QuotaExceeded => "the disk quota is exceeded".into(),
        // Errors built with a message of our own already say it plainly.
        _ if e.get_ref().is_some() => e.to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    }
}

/// Reads the UTF-8 text of `path`, at most [`MAX_BYTES`] bytes.
pub fn read(path: &Path) -> Result<String, Error> {
    let shown = || path.display().to_string();
    let io = |source| Error::Io {
        path: shown(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_BYTES {
        return Err(Error::TooLarge { path: shown() });
    }
    String::from_utf8(bytes).map_err(|e| Error::NotText {
        path: shown(),
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_device_is_refused_after_the_cap() {
        if Path::new("/dev/zero").exists() {
            let e = read(Path::new("/dev/zero")).unwrap_err();
            assert!(matches!(e, Error::TooLarge { .. }), "{e}");
            assert!(e.to_string().contains("at most 8388608 bytes"), "{e}");
        }
    }

    #[test]
    fn names_the_file_when_it_is_missing_a_folder_or_binary() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(&dir.path().join("missing.yaml")).unwrap_err();
        assert!(e.to_string().contains("missing.yaml"), "{e}");
        assert!(read(dir.path()).is_err());
        let bin = dir.path().join("b.yaml");
        std::fs::write(&bin, [b'a', 0xff, b'b']).unwrap();
        let e = read(&bin).unwrap_err();
        assert!(e.to_string().contains("byte 1"), "{e}");
        std::fs::write(&bin, "ok: 1\n").unwrap();
        assert_eq!(read(&bin).unwrap(), "ok: 1\n");
    }
}
