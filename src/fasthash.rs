//! A hasher for keys that are already spread or that a page cannot choose:
//! document node indices, words' FNV hashes. One multiply per key, where
//! SipHash's protection against chosen keys buys nothing.

/// Multiplies each integer key into the state (bytes are folded in the same way).
#[derive(Default, Clone, Copy)]
pub struct MulHasher(u64);

const K: u64 = 0x9e37_79b9_7f4a_7c15;

impl std::hash::Hasher for MulHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(K);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// Builds [`MulHasher`]s for a `HashMap` or `HashSet`.
pub type BuildMul = std::hash::BuildHasherDefault<MulHasher>;
