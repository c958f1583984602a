//! The Lua side of the house: the only place with `unsafe` FFI.
//!
//! * [`ffi`]: raw declarations per Lua ABI.
//! * [`State`]: a `Copy` handle over `*mut lua_State` with one method per C
//!   API call or macro we use, so that the object modules are plain safe Rust.
//! * [`boundary`]: the recipe every exported `lua_CFunction` follows (see the
//!   module docs there) and the only functions that raise Lua errors.
//! * [`HostBuf`]: result buffers in the host's memory, freed by a guard
//!   userdata if anything raises.
// The declarations are this crate's own business. Crate-visible in what ships,
// so that rustc reports any that nothing uses (dead_code); public only with
// the test-only `link-lua` feature, for the integration tests that drive the
// boundary and compare the declarations with the C headers.
#[cfg(not(feature = "link-lua"))]
pub(crate) mod ffi;
#[cfg(feature = "link-lua")]
pub mod ffi;

mod boundary;
mod hostbuf;
mod push;
mod state;

pub use boundary::{Panicked, Raise};
pub use hostbuf::HostBuf;
pub use push::{Nil, One, Push, Pushed};
pub use state::{LuaType, State};

/// Defines an exported-style `lua_CFunction`: `extern "C-unwind"`, handing the
/// body a [`State`]. Without a return type the body returns the number of
/// results it pushed (`c_int`); with `-> T` it returns a `T: Push`, which is
/// pushed after the body. Type parameters make one method serve a whole
/// class family (`close::<Tcp>` in tcp's method table).
///
/// The body must follow the boundary recipe (module [`boundary`]): check
/// arguments first, do Rust work only inside [`State::pure`], push or raise
/// last, and never hold a value with a destructor across a call that may raise.
#[macro_export]
macro_rules! lua_fn {
    ($(#[$m:meta])* $vis:vis fn $name:ident $(<$($g:ident : $b:path),+>)? ($l:ident) $(-> $ret:ty)? $body:block) => {
        $(#[$m])*
        #[allow(clippy::missing_safety_doc)] // called by the interpreter only
        $vis unsafe extern "C-unwind" fn $name $(<$($g: $b),+>)? (
            raw: *mut $crate::lua::ffi::lua_State,
        ) -> ::std::os::raw::c_int {
            // SAFETY: the interpreter calls a C function with a valid state.
            let $l = unsafe { $crate::lua::State::from_raw(raw) };
            // a closure, so that `return` and `?` in the body produce the value
            #[allow(clippy::redundant_closure_call)]
            let r: $crate::lua_fn!(@ret $($ret)?) = (move || -> $crate::lua_fn!(@ret $($ret)?) { $body })();
            $crate::lua::Push::push(r, $l)
        }
    };
    (@ret) => { ::std::os::raw::c_int };
    (@ret $ret:ty) => { $ret };
}
