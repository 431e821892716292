//! A MinHash sketch of a text's words, for the similarity figure when the
//! baseline's full text is not at hand. Pure.
//!
//! Each word is counted with its occurrence number ("the#1", "the#2"), so the
//! sketch estimates the Jaccard index of the two word multisets; the figure
//! reported is the matching Dice coefficient, 2J / (1 + J), which, like the
//! word-diff ratio of a full comparison, is the share of words the two texts
//! have in common.

use std::collections::HashMap;

/// Number of hash functions (16 bits of each are kept).
pub const SIZE: usize = 128;

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The splitmix64 finaliser: a fixed, well-mixing permutation of u64.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The sketch of a normalised text (empty for a text without words).
pub fn sketch(text: &str) -> Vec<u16> {
    // Each word's hash, with its occurrence number mixed in. Words are
    // counted by their 64-bit hash: two words of a text sharing one would
    // need a collision of FNV-1a.
    let mut seen: HashMap<u64, u64, crate::fasthash::BuildMul> = HashMap::default();
    let hashes: Vec<u64> = text
        .split_whitespace()
        .map(|w| {
            let h = fnv(w.as_bytes());
            let n = seen.entry(h).or_insert(0);
            *n += 1;
            h ^ mix(*n)
        })
        .collect();
    if hashes.is_empty() {
        return Vec::new();
    }
    minima(&hashes).iter().map(|m| (m >> 48) as u16).collect()
}

/// For each of the `SIZE` hash functions, the least value over `hashes`.
fn minima(hashes: &[u64]) -> [u64; SIZE] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has the features the function is compiled for.
        return unsafe { minima_avx512(hashes) };
    }
    minima_portable(hashes)
}

/// [`minima`] compiled for AVX-512 (eight 64-bit lanes, 64-bit multiplies).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn minima_avx512(hashes: &[u64]) -> [u64; SIZE] {
    minima_portable(hashes)
}

/// Each function `i` is `mix(h ^ seed_i)`; the loops are laid out for the
/// compiler to vectorise (one word against all the seeds).
#[inline(always)]
fn minima_portable(hashes: &[u64]) -> [u64; SIZE] {
    // The per-function seeds, mixed once rather than once per word.
    let mut seeds = [0u64; SIZE];
    for (i, s) in seeds.iter_mut().enumerate() {
        *s = mix(i as u64 + 1);
    }
    let mut mins = [u64::MAX; SIZE];
    for &h in hashes {
        for (m, seed) in mins.iter_mut().zip(&seeds) {
            *m = (*m).min(mix(h ^ seed));
        }
    }
    mins
}

/// The estimated share of words two sketched texts have in common (0..1).
pub fn similarity(a: &[u16], b: &[u16]) -> Option<f64> {
    if a.len() != SIZE || b.len() != SIZE {
        return None;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIZE as f64;
    // 16-bit values collide by chance once in 65,536.
    let chance = 1.0 / 65536.0;
    let j = ((same - chance) / (1.0 - chance)).clamp(0.0, 1.0);
    Some(2.0 * j / (1.0 + j))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The sketch as base64 (big-endian 16-bit values).
pub fn encode(s: &[u16]) -> String {
    let bytes: Vec<u8> = s.iter().flat_map(|v| v.to_be_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Reads a sketch back; `None` when it is not one.
pub fn decode(s: &str) -> Option<Vec<u16>> {
    let mut bytes = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = B64.iter().position(|b| *b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bytes.len() % 2 != 0 {
        return None;
    }
    Some(bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sketch as first written: one word at a time, every function.
    fn reference(text: &str) -> Vec<u16> {
        let mut seen: HashMap<&str, u64> = HashMap::new();
        let mut mins = [u64::MAX; SIZE];
        for w in text.split_whitespace() {
            let n = seen.entry(w).or_insert(0);
            *n += 1;
            let h = fnv(w.as_bytes()) ^ mix(*n);
            for (i, m) in mins.iter_mut().enumerate() {
                let v = mix(h ^ mix(i as u64 + 1));
                if v < *m {
                    *m = v;
                }
            }
        }
        mins.iter().map(|m| (m >> 48) as u16).collect()
    }

    fn words(n: usize, salt: &str) -> String {
        (0..n).map(|i| format!("w{i}{salt}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn round_trips_and_estimates() {
        let a = sketch(&words(400, ""));
        assert_eq!(a.len(), SIZE);
        assert_eq!(decode(&encode(&a)).unwrap(), a);
        assert_eq!(similarity(&a, &a), Some(1.0));
        // A quarter of the words replaced: about 75% in common.
        let changed = format!("{} {}", words(300, ""), words(100, "x"));
        let s = similarity(&a, &sketch(&changed)).unwrap();
        assert!((0.62..0.88).contains(&s), "{s}");
        let other = similarity(&a, &sketch(&words(400, "y"))).unwrap();
        assert!(other < 0.1, "{other}");
        assert!(sketch("").is_empty());
        assert_eq!(similarity(&a, &[]), None);
        // Repeated words count with their multiplicity.
        assert_ne!(sketch("a a a b"), sketch("a b"));
        // The values written into lock files never change (every machine,
        // with or without vector instructions, computes the same).
        assert_eq!(sketch("the cat sat on the mat"), reference("the cat sat on the mat"));
        let long = words(3000, "z");
        assert_eq!(sketch(&long), reference(&long));
        assert_eq!(minima_portable(&[1, 2, 3]), minima(&[1, 2, 3]));
    }
}
