/* require "benchclock" returns a function giving CLOCK_MONOTONIC in seconds:
 * the suite's timer, loaded beside the core under test so the measured loop
 * never times itself with socket.gettime (which is under test). Built by
 * bench/run.sh into build/bench/<lua>/, never installed. No Lua headers: the
 * two calls used have the same C signature in Lua 5.1-5.4 and LuaJIT. */
#include <time.h>

typedef struct lua_State lua_State;
typedef int (*lua_CFunction)(lua_State *L);
extern void lua_pushnumber(lua_State *L, double n);
extern void lua_pushcclosure(lua_State *L, lua_CFunction fn, int n);

static int now(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
  return 1;
}

int luaopen_benchclock(lua_State *L) {
  lua_pushcclosure(L, now, 0);
  return 1;
}
