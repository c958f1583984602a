/* Written against LuaSocket's own headers (upstream's luasocket.h and mime.h,
 * Debian's unix.h and lua-socket-serial.h): must compile unchanged against
 * ours, which scripts/c-host-test.sh checks on every Lua version with
 * -Wall -Wextra -Wpedantic -Werror (and as C89 on 5.1, as C++ on 5.4). */
#ifdef __cplusplus
#include <lua.hpp>
#endif
#include "luasocket.h"
#include "mime.h"
#include "unix.h"
#include "lua-socket-serial.h"

/* an extension module exported with LuaSocket's macro, as its own are */
LUASOCKET_API int luaopen_upstream_api(lua_State *L);

LUASOCKET_API int luaopen_upstream_api(lua_State *L) {
    static const luaL_Reg openers[] = {
        {"socket.core", luaopen_socket_core},
        {"mime.core", luaopen_mime_core},
        {"socket.unix", luaopen_socket_unix},
        {"socket.serial", luaopen_socket_serial},
        {NULL, NULL}};
    const luaL_Reg *m;
    lua_newtable(L);
    for (m = openers; m->name; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    lua_pushstring(L, LUASOCKET_VERSION " " LUASOCKET_COPYRIGHT);
    lua_setfield(L, -2, "socket");
    lua_pushstring(L, MIME_VERSION " " MIME_COPYRIGHT " " MIME_AUTHORS);
    lua_setfield(L, -2, "mime");
    luaL_checktype(L, -1, LUA_TTABLE); /* lauxlib.h comes with luasocket.h */
    return 1;
}

#ifdef UPSTREAM_API_MAIN
/* linked (C++ build): the openers have C linkage and the versions match */
#include <string.h>
int main(void) {
    lua_State *L = luaL_newstate();
    int ok;
    luaL_openlibs(L);
    luaopen_upstream_api(L);
    lua_getfield(L, -1, "socket.core");
    lua_call(L, 0, 1);
    lua_getfield(L, -1, "_VERSION");
    ok = strcmp(lua_tostring(L, -1), LUASOCKET_VERSION) == 0;
    lua_close(L);
    return ok ? 0 : 1;
}
#endif
