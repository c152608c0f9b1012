//! Encryption of identifying data at rest: ChaCha20-Poly1305 with a random nonce per record,
//! bound to the record it belongs to (the associated data names the case and revision), so
//! that a ciphertext copied onto another row does not decrypt.

use crate::{ErrorKind, RegistryError, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// A 256-bit key.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.fingerprint())
    }
}

/// Where the key came from, to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    File(PathBuf),
    /// A new key was made and written to this file.
    Created(PathBuf),
}

impl Key {
    /// A key from 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Result<Key> {
        let bytes = hex::decode(text.trim()).map_err(|e| {
            RegistryError::invalid("key.format", format!("the key is not hexadecimal: {e}"))
        })?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
            RegistryError::invalid("key.format", "the key must be 64 hexadecimal digits")
        })?;
        Ok(Key(bytes))
    }

    /// A fresh random key.
    pub fn generate() -> Result<Key> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| RegistryError::storage(format!("no randomness: {e}")))?;
        Ok(Key(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key from `DELIMIT_KEY` (hexadecimal), else from the file `key_file` (as
    /// `--key-file` or `DELIMIT_KEY_FILE` name it), else from `default_file`, which is
    /// created with a new key when missing. A key file others may read is refused.
    pub fn from_environment(
        key_file: Option<&Path>,
        default_file: &Path,
    ) -> Result<(Key, KeySource)> {
        if let Ok(text) = std::env::var("DELIMIT_KEY") {
            return Ok((Key::from_hex(&text)?, KeySource::Environment));
        }
        if let Some(path) = key_file {
            return Ok((Key::read(path)?, KeySource::File(path.into())));
        }
        if default_file.exists() {
            return Ok((
                Key::read(default_file)?,
                KeySource::File(default_file.into()),
            ));
        }
        let key = Key::generate()?;
        key.write_new(default_file)?;
        Ok((key, KeySource::Created(default_file.into())))
    }

    /// The key in file `path`, which only its owner may read.
    pub fn read(path: &Path) -> Result<Key> {
        refuse_loose(path)?;
        // A key is 64 hexadecimal digits: a file much longer is not one, and is read no further.
        let text = delimit_law::load::read_text_at_most(path, 4096).map_err(|e| {
            RegistryError::new(
                ErrorKind::Storage,
                "key.read",
                format!("cannot read the key file {}: {e}", path.display()),
            )
        })?;
        Key::from_hex(&text).map_err(|e| {
            RegistryError::invalid(e.code, format!("{}: {}", path.display(), e.message))
        })
    }

    /// Writes the key to a new file `path` that only its owner can read.
    pub fn write_new(&self, path: &Path) -> Result<()> {
        write_private(path, &self.to_hex())
    }

    /// Identifies the key without revealing it.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest([b"delimit key fingerprint".as_slice(), &self.0].concat());
        hex::encode(&digest[..8])
    }

    /// A key of its own for `purpose` (the audit chain's MACs, the seals of case revisions),
    /// derived from this one: HMAC-SHA256 of the purpose under this key.
    pub(crate) fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Encrypts `plain` for the record `context`.
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let cipher = ChaCha20Poly1305::new(&self.0.into());
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| RegistryError::storage(format!("no randomness: {e}")))?;
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| RegistryError::storage("encryption failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`Key::seal`] wrote for the same `context`.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        let corrupt = || {
            RegistryError::new(
                ErrorKind::Storage,
                "protected.corrupt",
                format!(
                    "the protected data of {context} cannot be decrypted: it was changed or written with another key"
                ),
            )
        };
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != VERSION {
            return Err(corrupt());
        }
        let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().map_err(|_| corrupt())?;
        ChaCha20Poly1305::new(&self.0.into())
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| corrupt())
    }
}

/// HMAC-SHA256 under `key` of `parts`, each preceded by its length so that no two lists of
/// parts read the same, in hexadecimal.
pub(crate) fn mac_of(key: &[u8; 32], parts: &[&[u8]]) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(&(part.len() as u64).to_le_bytes());
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Refuses a key file that others than its owner may read or change.
fn refuse_loose(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(RegistryError::invalid(
                "key.permissions",
                format!(
                    "the key file {} can be read by others than its owner (mode {mode:o}); make it private with `chmod 600 {}`",
                    path.display(),
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        RegistryError::storage(format!(
            "cannot create the key file {}: {e}",
            path.display()
        ))
    })?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| {
            RegistryError::storage(format!("cannot write the key file {}: {e}", path.display()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_its_key_and_context() {
        let key = Key::generate().unwrap();
        let sealed = key.seal("case c1 revision 1", b"Name Surname").unwrap();
        assert_eq!(
            key.open("case c1 revision 1", &sealed).unwrap(),
            b"Name Surname"
        );
        assert!(key.open("case c2 revision 1", &sealed).is_err());
        let other = Key::generate().unwrap();
        assert!(other.open("case c1 revision 1", &sealed).is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(key.open("case c1 revision 1", &tampered).is_err());
        assert!(!sealed.windows(7).any(|w| w == b"Surname"));
    }

    #[test]
    fn keys_read_back_from_hex_and_refuse_bad_text() {
        let key = Key::generate().unwrap();
        let again = Key::from_hex(&key.to_hex()).unwrap();
        assert_eq!(key.fingerprint(), again.fingerprint());
        assert_eq!(Key::from_hex("abc").unwrap_err().code, "key.format");
        assert_eq!(Key::from_hex("zz").unwrap_err().code, "key.format");
    }
}
