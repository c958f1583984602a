//! The C core's timeout record and its arithmetic (timeout.c): a block and a
//! total timeout (negative = none) and the start time of the current call.
use super::time::gettime;

/// `t_timeout`: block, total, start (seconds; the C ABI layout, three doubles).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeout {
    pub block: f64,
    pub total: f64,
    pub start: f64,
}

impl Default for Timeout {
    fn default() -> Self {
        Timeout {
            block: -1.0,
            total: -1.0,
            start: 0.0,
        }
    }
}

impl Timeout {
    /// `timeout_markstart`: every I/O method restarts the clock.
    pub fn mark_start(&mut self) {
        self.start = gettime();
    }

    /// Starts an operation of one of our objects: records the start time
    /// only where a wait can use it (a block timeout other than 0 or a total
    /// timeout; always in DEBUG builds, which report the elapsed time). With
    /// no timeout, or a zero block timeout, no wait reads it, so the clock
    /// read is saved. (The C API keeps `mark_start`: a foreign transport may
    /// read the record.)
    pub fn begin(&mut self) {
        let waits_timed = !(self.block < 0.0 && self.total < 0.0) && self.block != 0.0;
        if waits_timed || cfg!(feature = "debug") {
            self.mark_start();
        }
    }

    /// `timeout_iszero`: block exactly 0 means "never wait" (no poll at all).
    pub fn is_zero(&self) -> bool {
        self.block == 0.0
    }

    /// `timeout_getretry` at time `now`: the budget of the next wait in
    /// seconds, negative for "forever". With only a block timeout it counts
    /// from the start of the call (a deadline, as the C core does on Unix).
    pub fn retry_at(&self, now: f64) -> f64 {
        if self.block < 0.0 && self.total < 0.0 {
            -1.0
        } else if self.block < 0.0 {
            (self.total - now + self.start).max(0.0)
        } else if self.total < 0.0 {
            (self.block - now + self.start).max(0.0)
        } else {
            let t = (self.total - now + self.start).max(0.0);
            if self.block < t {
                self.block
            } else {
                t
            }
        }
    }

    /// The poll(2) argument for the next wait: whole milliseconds, truncated,
    /// as `(int)(retry * 1e3)`; -1 waits forever.
    pub fn poll_ms_at(&self, now: f64) -> i32 {
        let t = (self.retry_at(now) * 1e3) as i32;
        if t >= 0 {
            t
        } else {
            -1
        }
    }

    pub fn poll_ms(&self) -> i32 {
        self.poll_ms_at(gettime())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm(block: f64, total: f64) -> Timeout {
        Timeout {
            block,
            total,
            start: 100.0,
        }
    }

    #[test]
    fn retry_table() {
        assert_eq!(tm(-1.0, -1.0).retry_at(150.0), -1.0);
        assert_eq!(tm(-1.0, 5.0).retry_at(102.0), 3.0);
        assert_eq!(tm(-1.0, 5.0).retry_at(110.0), 0.0);
        assert_eq!(tm(3.0, -1.0).retry_at(101.0), 2.0);
        assert_eq!(tm(3.0, -1.0).retry_at(104.0), 0.0);
        assert_eq!(tm(1.0, 5.0).retry_at(102.0), 1.0);
        assert_eq!(tm(1.0, 5.0).retry_at(104.5), 0.5);
        assert_eq!(tm(1.0, 5.0).retry_at(200.0), 0.0);
    }

    #[test]
    fn ms_truncation() {
        assert_eq!(tm(0.0004, -1.0).poll_ms_at(100.0), 0);
        assert_eq!(tm(0.0509, -1.0).poll_ms_at(100.0), 50);
        assert_eq!(tm(-1.0, -1.0).poll_ms_at(100.0), -1);
        assert_eq!(tm(-5.0, -3.0).poll_ms_at(100.0), -1);
        // huge values saturate instead of wrapping like C's UB cast would
        assert_eq!(tm(1e300, -1.0).poll_ms_at(100.0), i32::MAX);
    }

    #[test]
    fn zero_rule() {
        assert!(tm(0.0, -1.0).is_zero());
        assert!(tm(0.0, 10.0).is_zero());
        assert!(!tm(-1.0, 0.0).is_zero());
        assert!(!tm(0.001, -1.0).is_zero());
        let d = Timeout::default();
        assert_eq!((d.block, d.total), (-1.0, -1.0));
    }
}
