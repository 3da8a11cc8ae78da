//! Rule `truncated-capture`: The capture is truncated.

use super::*;

declare_rule! {
    /// ## What it means
    /// The file ends in the middle: the entries before the cut were
    /// recovered, the rest is lost.
    /// ## Why it matters
    /// The step where the sign-in broke may be after the cut.
    /// ## How to fix
    /// Ask for the capture again; make sure the export finished (large HARs
    /// take time) and that the file was not cut by an upload size limit.
    pub static TRUNCATED = {
        code: "truncated-capture",
        category: CaptureQuality,
        severity: Warning,
        title: "The capture is truncated",
        check: truncated,
    };
}

pub fn truncated(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if !ctx.capture.is_truncated() {
        return;
    }
    let detail = ctx
        .capture
        .notes
        .iter()
        .find(|n| matches!(n, crate::capture::LoadNote::Truncated { .. }))
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push(Finding::new(
        &TRUNCATED,
        ctx.exchanges().last().map(|e| e.index),
        format!("The file ends mid-way: {detail}."),
    ));
}
