/* A C program that embeds Lua and links luasocket-rs statically, using only
 * the generated header: the way a C host (not `require` from disk) uses us.
 * Built with -Wall -Werror against each Lua version's own headers. */
#include <stdio.h>
#include <stdlib.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "luasocket.h"

static const char *script =
    "local socket = require 'socket'\n"                     /* upstream socket.lua on our core */
    "assert(socket == package.loaded['socket.core'])\n"
    "assert(socket._VERSION == 'LuaSocket 3.0.0', socket._VERSION)\n"
    "assert(type(socket.gettime()) == 'number')\n"
    "assert(select('#', socket.skip(1, 'a', 'b', 'c')) == 2)\n"
    "local ok, err = pcall(socket.sleep, 'x')\n"
    "assert(not ok and err:find('number expected, got string'), err)\n"
    "local a, b = socket.protect(function() socket.try(nil, 'caught') end)()\n"
    "assert(a == nil and b == 'caught')\n"
    "return 'ok'\n";

int main(void) {
    lua_State *L = luaL_newstate();
    const char *res;
    if (!L) return 2;
    luaL_openlibs(L);
    /* package.preload['socket.core'] = luaopen_socket_core */
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_socket_core);
    lua_setfield(L, -2, "socket.core");
    lua_pop(L, 2);
    if (luaL_loadstring(L, script) != 0 || lua_pcall(L, 0, 1, 0) != 0) {
        fprintf(stderr, "c-host: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    res = lua_tostring(L, -1);
    printf("%s\n", res ? res : "(nil)");
    lua_close(L);
    return 0;
}
