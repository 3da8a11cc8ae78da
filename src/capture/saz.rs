//! Fiddler SAZ archives (stub: being written).

use super::{Capture, CaptureError, LoadOptions};

/// A SAZ archive with its members extracted.
#[derive(Debug, Default)]
pub struct Archive {}

impl Archive {
    pub fn extract(_bytes: &[u8], _options: &LoadOptions) -> Result<Archive, CaptureError> {
        Err(CaptureError::Other("SAZ support is not built yet".into()))
    }

    pub fn parse(&self, _path: &str, _options: &LoadOptions) -> Result<Capture<'_>, CaptureError> {
        Err(CaptureError::Other("SAZ support is not built yet".into()))
    }
}
