//! Stage timings, printed to stderr when `UTLYS_TIMINGS` is set: where a
//! build spends its time, for profiling and the benchmark notes.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("UTLYS_TIMINGS").is_some())
}

/// Measures one stage from creation to drop.
pub struct Stage {
    name: &'static str,
    started: Instant,
}

impl Stage {
    /// Starts timing stage `name`.
    pub fn start(name: &'static str) -> Stage {
        Stage {
            name,
            started: Instant::now(),
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if enabled() {
            eprintln!(
                "timing: {:<12} {:>8.1} ms",
                self.name,
                self.started.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
