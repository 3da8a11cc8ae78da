//! Deterministic generator of large, realistic sign-in captures for the
//! benchmarks: a Chrome-style HAR 1.2 and a Fiddler SAZ built from the same
//! traffic model ([`traffic`]): page loads with HTML, JS, CSS, base64 images
//! and JSON APIs, Entra ID OIDC sign-ins (long `/authorize` redirects, the
//! login page, `form_post` with `code` / `id_token` / `state`, AADSTS error
//! redirects) and SAML sign-ins (Redirect-binding `SAMLRequest`, auto-submit
//! pages with a `SAMLResponse`).
//!
//! Invariants: output depends only on [`VERSION`], [`SEED`] and the target
//! size (own PRNG, no clock, no hash-map order), so files are cached under
//! `target/bench-data/` and reused while the name (which carries the
//! version) matches. Bump [`VERSION`] whenever the output changes. Files are
//! written to a temporary name and renamed, so an interrupted run never
//! leaves a truncated capture behind.

mod content;
mod har;
mod identity;
mod rng;
mod saz;
mod traffic;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Generator version: part of every file name; bump when output changes.
pub const VERSION: u32 = 1;
/// The one seed every run uses.
pub const SEED: u64 = 0x7ACE_1A5E_C0FF_EE01;
/// Default HAR size in bytes (decimal MB, as the bench reports sizes).
pub const HAR_BYTES: usize = 160_000_000;
/// Default SAZ content size: the members' uncompressed bytes.
pub const SAZ_CONTENT_BYTES: usize = 110_000_000;

/// A generated capture on disk.
#[derive(Debug, Clone)]
pub struct Generated {
    pub path: PathBuf,
    /// Whether this run wrote it (false: reused from the cache).
    pub fresh: bool,
}

/// `$TRACE_INSPECT_BENCH_DATA`, else `$CARGO_TARGET_DIR/bench-data`, else
/// `<crate>/target/bench-data`.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRACE_INSPECT_BENCH_DATA") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// The HAR of about `bytes` bytes, generated on first use.
pub fn har_file(bytes: usize) -> io::Result<Generated> {
    cached(&format!("signin-g{VERSION}-{bytes}.har"), |w| {
        har::write(w, SEED, bytes).map(|_| ())
    })
}

/// The identity-heavy HAR of `entries` entries (a multiple of 80), generated
/// on first use.
pub fn identity_file(entries: usize) -> io::Result<Generated> {
    cached(&format!("signin-g{VERSION}-identity-{entries}.har"), |w| {
        har::write_identity(w, SEED, entries).map(|_| ())
    })
}

/// The identity-heavy HAR in memory (for the self-check).
pub fn identity_bytes(entries: usize) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    har::write_identity(&mut v, SEED, entries)?;
    Ok(v)
}

/// The SAZ whose members hold about `bytes` bytes, generated on first use.
pub fn saz_file(bytes: usize) -> io::Result<Generated> {
    cached(&format!("signin-g{VERSION}-{bytes}.saz"), |w| {
        saz::write(w, SEED, bytes)
    })
}

/// A SAZ zip bomb: `sessions` HTML responses of `body` zero bytes each,
/// generated on first use.
pub fn bomb_file(sessions: u32, body: usize) -> io::Result<Generated> {
    cached(
        &format!("signin-g{VERSION}-bomb-{sessions}x{body}.saz"),
        |w| saz::write_bomb(w, sessions, body),
    )
}

/// A HAR in memory (for the quick self-check `cargo test --benches` runs).
pub fn har_bytes(bytes: usize) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    har::write(&mut v, SEED, bytes)?;
    Ok(v)
}

/// A SAZ in memory.
pub fn saz_bytes(bytes: usize) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    saz::write(&mut v, SEED, bytes)?;
    Ok(v)
}

fn cached(
    name: &str,
    generate: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Generated> {
    let dir = data_dir();
    let path = dir.join(name);
    if path.is_file() {
        return Ok(Generated { path, fresh: false });
    }
    fs::create_dir_all(&dir)?;
    remove_old_versions(&dir);
    let tmp = dir.join(format!("{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        generate(&mut w)?;
        w.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| Generated { path, fresh: true })
}

/// Deletes captures of other generator versions (they are 100+ MB each).
fn remove_old_versions(dir: &Path) {
    let current = format!("signin-g{VERSION}-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("signin-g") && !name.starts_with(&current) {
            let _ = fs::remove_file(e.path());
        }
    }
}
