//! Stop signals: `kill` (SIGTERM), a closed terminal or SSH connection (SIGHUP) and an
//! interrupt (SIGINT, Ctrl-C outside raw mode). Long-running parts of the program (the
//! TUI, a demo build) listen for them, leave through their normal way out so nothing is
//! left half done, and then end the process by the same signal, as whoever sent it
//! expects.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub const STOP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

/// Set when a stop signal arrives: `asked` for code that only needs to know whether to
/// stop, the signal's number for ending the process by it.
#[derive(Clone)]
pub struct Stop {
    asked: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
}

impl Stop {
    /// Listen from now to the end of the process (signal-hook cannot hand a signal back
    /// to its default action). Each part that listens gets its own flags; a signal sets
    /// them all.
    pub fn listen() -> io::Result<Stop> {
        let stop = Stop {
            asked: Arc::new(AtomicBool::new(false)),
            which: Arc::new(AtomicUsize::new(0)),
        };
        // Actions run in the order they were registered: the number is stored before
        // the flag is raised, so whoever sees the flag also sees which signal it was.
        for sig in STOP_SIGNALS {
            signal_hook::flag::register_usize(sig, Arc::clone(&stop.which), sig as usize)?;
            signal_hook::flag::register(sig, Arc::clone(&stop.asked))?;
        }
        Ok(stop)
    }

    /// Raised once a stop signal has arrived.
    pub fn asked(&self) -> &AtomicBool {
        &self.asked
    }

    /// The signal that arrived, if one did.
    pub fn signal(&self) -> Option<i32> {
        if !self.asked.load(Ordering::SeqCst) {
            return None;
        }
        i32::try_from(self.which.load(Ordering::SeqCst)).ok()
    }
}

/// End the process by `signal`, as its default action would have; if that ever returns,
/// exit with the status a shell shows for it.
pub fn end_by(signal: i32) -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal)
}
