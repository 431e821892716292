//! The lock files: `claims/NAME.lock` beside each `claims/NAME.toml`, the
//! accepted baseline of every source the factsheet cites, in git (see
//! docs/lock-format.md). The store is the cache and the history; the lock
//! holds the decisions, and wins where the two disagree.

use std::io::Write as _;
use std::path::Path;

/// Replaces `path` with `bytes` atomically: a temporary file in the same
/// folder, synced, then renamed over it. Readers see the old or the new file,
/// never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
