//! Plain Rust, no Lua: the system side of LuaSocket (time, sockets, name
//! resolution, waiting, error strings). Everything here is unit-testable
//! without an interpreter.
pub mod buffer;
pub mod cast;
pub mod cbuffer;
pub mod errors;
pub mod inet;
pub mod options;
pub mod poll;
pub mod resolve;
pub mod sink;
pub mod sock;
pub mod time;
pub mod timeout;
pub mod udp;
pub mod unix;

/// Ignore `SIGPIPE` process-wide, as the C core does on every load, so a write
/// to a closed peer reports `closed` instead of killing the host.
pub fn ignore_sigpipe() {
    // SAFETY: setting a signal disposition to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}
