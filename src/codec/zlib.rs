//! Telling a zlib stream (RFC 1950) from raw DEFLATE (RFC 1951): SAML's
//! Redirect binding deflates raw, some IdPs and servers send zlib-wrapped
//! data where raw is meant, and HTTP `Content-Encoding: deflate` is meant to
//! be zlib but is often raw. Both decoders look at the two header bytes.

/// Whether `bytes` start with a zlib header: CM = 8 (deflate) and
/// CMF·256 + FLG a multiple of 31 (RFC 1950 §2.2).
pub fn is_header(bytes: &[u8]) -> bool {
    matches!(bytes, [cmf, flg, ..]
        if cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_zlib_headers_compressors_write() {
        // 78 01 (fastest), 78 9c (default), 78 da (best): all zlib.
        for h in [[0x78, 0x01], [0x78, 0x9c], [0x78, 0xda]] {
            assert!(is_header(&h), "{h:02x?}");
        }
        // A raw DEFLATE block of a SAMLRequest (fixed Huffman), a wrong
        // check, a non-deflate method, too short.
        assert!(!is_header(&[0xfd, 0x58]));
        assert!(!is_header(&[0x78, 0x9d]));
        assert!(!is_header(&[0x79, 0x9c]));
        assert!(!is_header(&[0x78]));
    }
}
