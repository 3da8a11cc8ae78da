//! The bottom layer: one implementation of each text primitive the
//! decoders, the redactor and secret masking share — base64 with the
//! leniency captures need, HTML scanning with one entity decoder, percent /
//! form decoding, the compact-JWT spotter, the multipart reader, XML
//! references, duration wording and the zlib header test. Nothing here knows about captures or
//! findings; every function takes text or bytes and never panics on input.

pub mod base64;
pub mod duration;
pub mod html;
pub mod jwt;
pub mod multipart;
pub mod percent;
pub mod xml;
pub mod zlib;
