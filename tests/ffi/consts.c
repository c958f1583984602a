/* Prints the constants, pseudo-indices and type facts that the hand-written
 * declarations in src/lua/ffi/ hard-code, as the real Lua headers define them
 * (compiled by tests/ffi_abi.rs with -I /usr/include/lua5.X or luajit-2.1 for
 * the ABI the test is built for; it compares every line with the Rust side). */
#include <stdio.h>
#include "lua.h"

#define P(name, value) printf("%s %lld\n", name, (long long) (value))
/* 2 for a floating type, 1 for a signed integer, 0 for an unsigned one */
#define KIND(T) ((T) 0.5 != 0 ? 2 : (T) -1 > (T) 0 ? 0 : 1)

int main(void) {
    P("LUA_VERSION_NUM", LUA_VERSION_NUM);
    P("LUA_REGISTRYINDEX", LUA_REGISTRYINDEX);
#ifdef LUA_GLOBALSINDEX
    P("LUA_GLOBALSINDEX", LUA_GLOBALSINDEX);
#endif
    P("lua_upvalueindex(1)", lua_upvalueindex(1));
    P("lua_upvalueindex(2)", lua_upvalueindex(2));
    P("lua_upvalueindex(3)", lua_upvalueindex(3));
    P("LUA_MULTRET", LUA_MULTRET);
#ifdef LUA_OK
    P("LUA_OK", LUA_OK);
#else
    /* 5.1's lua.h names no LUA_OK: its calls return 0 on success */
    P("LUA_OK", 0);
#endif
    P("LUA_YIELD", LUA_YIELD);
    P("LUA_TNONE", LUA_TNONE);
    P("LUA_TNIL", LUA_TNIL);
    P("LUA_TBOOLEAN", LUA_TBOOLEAN);
    P("LUA_TLIGHTUSERDATA", LUA_TLIGHTUSERDATA);
    P("LUA_TNUMBER", LUA_TNUMBER);
    P("LUA_TSTRING", LUA_TSTRING);
    P("LUA_TTABLE", LUA_TTABLE);
    P("LUA_TFUNCTION", LUA_TFUNCTION);
    P("LUA_TUSERDATA", LUA_TUSERDATA);
    P("sizeof lua_Number", sizeof(lua_Number));
    P("kind lua_Number", KIND(lua_Number));
    P("sizeof lua_Integer", sizeof(lua_Integer));
    P("kind lua_Integer", KIND(lua_Integer));
#if LUA_VERSION_NUM >= 503
    P("sizeof lua_KContext", sizeof(lua_KContext));
    P("kind lua_KContext", KIND(lua_KContext));
#endif
#if LUA_VERSION_NUM >= 504
    P("sizeof lua_Unsigned", sizeof(lua_Unsigned));
    P("kind lua_Unsigned", KIND(lua_Unsigned));
#endif
    return 0;
}
