//! luasocket-rs: LuaSocket's C core in Rust, a binary drop-in for
//! `socket/core.so`.
//!
//! * [`lua`]: the raw Lua C API and the boundary every exported function obeys.
//! * [`net`]: plain Rust system code (no Lua).
//! * [`socket`]: the Lua-visible module and objects, joining the two.
//! * [`mime`]: the `mime.core` filters.
//! * `capi`: the C core's internal C API that Debian's lua-sec links against.
#![deny(unsafe_op_in_unsafe_fn)]

mod capi;
mod entry;
pub mod lua;
pub mod mime;
pub mod net;
pub mod serial;
pub mod socket;
pub mod unix;

pub use entry::*;
