//! Helpers of the unit tests.

/// Up to `n` pages of the real-page corpus beside the project (see
/// docs/extraction.md), as text; none when it is absent.
pub fn real_pages(n: usize) -> Vec<String> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/realworld/pages");
    let Ok(dir) = std::fs::read_dir(&corpus) else { return Vec::new() };
    let mut paths: Vec<std::path::PathBuf> = dir.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths
        .iter()
        .take(n)
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}
