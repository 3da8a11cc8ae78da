//! The bottom layer: one implementation of each text primitive the
//! decoders and the redactor share — base64 with the leniency captures
//! need, HTML scanning with one entity decoder, and the other codecs as they
//! are unified. Nothing here knows about
//! captures, protocols or findings; every function takes text or bytes and
//! never panics on input.

pub mod base64;
pub mod duration;
pub mod html;
pub mod percent;
