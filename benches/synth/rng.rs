//! A tiny deterministic PRNG (SplitMix64) and the random-text helpers the
//! generator builds captures from.
//!
//! Invariant: the same seed gives the same sequence on every platform and
//! every Rust version, so a generated capture is byte-identical wherever it
//! is built (the cache key is the generator version, not the machine).

/// SplitMix64 (Steele, Lea, Flood 2014): one u64 of state, good enough for
/// test data and trivially reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8; 16] = b"0123456789abcdef";
const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); Lemire's multiply-shift, bias negligible here.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A millisecond duration as Chrome writes it (full f64 precision).
    pub fn millis(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub fn pick<'t, T: ?Sized>(&mut self, items: &[&'t T]) -> &'t T {
        items[self.below(items.len())]
    }

    /// Appends `n` random bytes (image and signature payloads).
    pub fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        out.reserve(n);
        let mut left = n;
        while left >= 8 {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
            left -= 8;
        }
        let tail = self.next_u64().to_le_bytes();
        out.extend_from_slice(&tail[..left]);
    }

    fn chars(&mut self, out: &mut String, n: usize, alphabet: &[u8]) {
        out.reserve(n);
        for _ in 0..n {
            out.push(char::from(alphabet[self.below(alphabet.len())]));
        }
    }

    pub fn b64url(&mut self, n: usize) -> String {
        let mut s = String::new();
        self.chars(&mut s, n, B64URL);
        s
    }

    /// A base64url token of a random length in `lo..=hi`.
    pub fn b64url_between(&mut self, lo: usize, hi: usize) -> String {
        let n = self.range(lo, hi);
        self.b64url(n)
    }

    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::new();
        self.chars(&mut s, n, HEX);
        s
    }

    pub fn alnum(&mut self, n: usize) -> String {
        let mut s = String::new();
        self.chars(&mut s, n, ALNUM);
        s
    }

    /// A lower-case GUID, `8-4-4-4-12`.
    pub fn guid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }

    /// `n` words of filler prose, some of it non-ASCII, as pages are.
    pub fn words(&mut self, out: &mut String, n: usize) {
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.pick(WORDS));
        }
    }
}

const WORDS: &[&str] = &[
    "account",
    "sign",
    "in",
    "your",
    "organization",
    "password",
    "continue",
    "help",
    "privacy",
    "terms",
    "use",
    "cookies",
    "the",
    "a",
    "to",
    "of",
    "and",
    "with",
    "for",
    "dashboard",
    "report",
    "invoice",
    "team",
    "project",
    "settings",
    "profile",
    "security",
    "access",
    "request",
    "approve",
    "pending",
    "review",
    "Anmelden",
    "Konto",
    "Passwort",
    "Connexion",
    "compte",
    "réessayer",
    "Iniciar",
    "sesión",
    "contraseña",
    "サインイン",
    "アカウント",
    "登录",
    "账户",
    "Войти",
    "учётная",
    "запись",
    "ok",
    "cancel",
    "next",
    "back",
    "learn",
    "more",
];
