//! Stage timings, printed to stderr when `UTLYS_TIMINGS` is set: where a
//! build spends its time, for profiling and the benchmark notes.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("UTLYS_TIMINGS").is_some())
}

/// When the process began its work, as near as [`begin`] was called.
static BEGUN: OnceLock<Instant> = OnceLock::new();

/// Notes the start of the process's work: each stage then also says when
/// it ended, counted from here, so the time between stages shows.
pub fn begin() {
    BEGUN.get_or_init(Instant::now);
}

/// Measures one stage from creation to drop.
pub struct Stage {
    name: &'static str,
    started: Instant,
    cpu: f64,
}

/// The process's memory line `key` of `/proc/self/status`, in MiB; `?`
/// where there is none.
fn memory(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with(key))?;
            let kib: u64 = line[key.len()..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some((kib / 1024).to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// CPU seconds the whole process has used so far (every thread).
fn process_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the call's duration.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    if ok {
        t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
    } else {
        0.0
    }
}

impl Stage {
    /// Starts timing stage `name`.
    pub fn start(name: &'static str) -> Stage {
        Stage {
            name,
            started: Instant::now(),
            cpu: if enabled() { process_cpu() } else { 0.0 },
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if enabled() {
            // CPU time over wall time tells how well a stage uses the
            // cores (1.0: one core busy throughout).
            let wall = self.started.elapsed().as_secs_f64();
            let cpu = process_cpu() - self.cpu;
            let at = BEGUN.get().map_or(0.0, |b| b.elapsed().as_secs_f64());
            eprintln!(
                "timing: {:<12} {:>8.1} ms  cpu {:>8.1} ms  ({:.2} cores)  memory {:>6} MiB, peak {:>6} MiB, done at {:>7.1} ms",
                self.name,
                wall * 1e3,
                cpu * 1e3,
                cpu / wall.max(1e-9),
                memory("VmRSS:"),
                memory("VmHWM:"),
                at * 1e3,
            );
        }
    }
}
