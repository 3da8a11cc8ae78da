//! Progress on standard error, for people watching a terminal: a spinner
//! while one large capture loads and decodes, and the bar of `triage`.
//!
//! Invariants: nothing is drawn unless standard error is a terminal, `TERM`
//! is not `dumb` and `NO_COLOR` is unset (a dumb terminal cannot erase the
//! line; `NO_COLOR` users ask for plain output), and never with `--quiet`.
//! The spinner appears only after [`SPINNER_DELAY`], so a capture that loads
//! in a moment shows nothing, and the line is erased before the report or an
//! error is printed.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long loading and decoding may take before the spinner appears.
pub const SPINNER_DELAY: Duration = Duration::from_secs(1);

/// Whether progress may be drawn on standard error here.
pub fn allowed() -> bool {
    allowed_for(
        std::io::stderr().is_terminal(),
        std::env::var_os("TERM").as_deref(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// The decision of [`allowed`], from its inputs.
fn allowed_for(
    stderr_is_terminal: bool,
    term: Option<&std::ffi::OsStr>,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    stderr_is_terminal && term.is_none_or(|t| t != "dumb") && no_color.is_none_or(|v| v.is_empty())
}

/// A spinner on standard error while the guard lives (see the module doc).
#[derive(Debug)]
pub struct Spinner {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts the spinner for `name`, unless progress is not allowed or
    /// `quiet`.
    pub fn start(name: &str, quiet: bool) -> Spinner {
        if quiet || !allowed() {
            return Spinner {
                stop: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel();
        let label =
            crate::report::safe::escape(&crate::report::timeline::shorten(name, 50)).into_owned();
        let thread = std::thread::Builder::new()
            .name("progress".to_owned())
            .spawn(move || spin(&rx, &label))
            .ok();
        Spinner {
            stop: Some(tx),
            thread,
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        // Closing the channel wakes the thread, which erases its line.
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn spin(rx: &mpsc::Receiver<()>, label: &str) {
    let started = Instant::now();
    if rx.recv_timeout(SPINNER_DELAY) != Err(RecvTimeoutError::Timeout) {
        return;
    }
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    for frame in FRAMES.iter().cycle() {
        eprint!(
            "\r\x1b[2K{frame} reading and decoding {label} … {} s",
            started.elapsed().as_secs()
        );
        if rx.recv_timeout(Duration::from_millis(200)) != Err(RecvTimeoutError::Timeout) {
            break;
        }
    }
    eprint!("\r\x1b[2K");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn progress_only_on_a_capable_terminal() {
        let xterm = Some(OsStr::new("xterm-256color"));
        assert!(allowed_for(true, xterm, None));
        assert!(allowed_for(true, None, Some(OsStr::new(""))));
        assert!(!allowed_for(false, xterm, None), "a pipe or a file");
        assert!(!allowed_for(true, Some(OsStr::new("dumb")), None));
        assert!(!allowed_for(true, xterm, Some(OsStr::new("1"))), "NO_COLOR");
    }

    #[test]
    fn quiet_spinner_draws_nothing() {
        let q = Spinner::start("big.har", true);
        assert!(q.thread.is_none() && q.stop.is_none());
    }
}
