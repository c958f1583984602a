/* luahost: a small Lua interpreter for the hardening tests (scripts/harden.sh),
 * built against 5.1, 5.4 and LuaJIT. It is what a sandboxing C host looks like:
 *
 *   - its lua_Alloc counts every byte and refuses to grow beyond a cap the
 *     script sets (host.memcap / host.memlimit), as a sandbox would;
 *   - it can fire SIGALRM every N microseconds through setitimer, with a
 *     handler installed WITHOUT SA_RESTART, so every blocking system call
 *     in the modules sees EINTR (host.sigstart / host.sigstop);
 *   - it reports what the tests measure: open descriptors, resident memory
 *     after malloc_trim, bytes held by Lua;
 *   - it can lower its address-space limit (host.vlimit, `ulimit -v`).
 *
 * The modules are loaded with require (LUA_CPATH), so the same binary runs
 * the reference C core and ours. Usage: luahost script.lua [args...]
 * Exit status 0 when the script returns normally, 1 when it raises.
 * The state is closed before exit, so valgrind sees what lua_close frees. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/* ---- the capped allocator ------------------------------------------------ */
static size_t used, cap, peak, refused;

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    (void)ud;
    /* osize is the block's size only when ptr != NULL (5.2+ pass a type tag
     * for new blocks) */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        used -= old;
        return NULL;
    }
    if (cap && nsize > old && used - old + nsize > cap) {
        refused++;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        refused++;
        return NULL;
    }
    used = used - old + nsize;
    if (used > peak) peak = used;
    return p;
}

/* host.memcap(bytes): total cap on what Lua holds (0 or nil: none); returns the old cap */
static int h_memcap(lua_State *L) {
    size_t old = cap;
    cap = (size_t)luaL_optnumber(L, 1, 0);
    lua_pushnumber(L, (lua_Number)old);
    return 1;
}

/* host.memlimit(extra): cap = what Lua holds now + extra bytes */
static int h_memlimit(lua_State *L) {
    size_t extra = (size_t)luaL_checknumber(L, 1);
    cap = used + extra;
    lua_pushnumber(L, (lua_Number)cap);
    return 1;
}

static int h_memused(lua_State *L) {
    lua_pushnumber(L, (lua_Number)used);
    return 1;
}

/* host.refused(): allocations refused so far */
static int h_refused(lua_State *L) {
    lua_pushnumber(L, (lua_Number)refused);
    return 1;
}

/* host.rss(): resident set in KiB, after giving free heap back to the kernel
 * (so that what stays is memory still held, not the allocator's cache) */
static int h_rss(lua_State *L) {
    long pages = 0, res = 0;
    FILE *f;
    malloc_trim(0);
    f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
        fclose(f);
    }
    lua_pushnumber(L, (lua_Number)res * (lua_Number)sysconf(_SC_PAGESIZE) / 1024);
    return 1;
}

/* host.fdcount(): open descriptors of this process */
static int h_fdcount(lua_State *L) {
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    if (!d) return luaL_error(L, "opendir /proc/self/fd: %s", strerror(errno));
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    lua_pushnumber(L, n - 1); /* not the directory's own descriptor */
    return 1;
}

/* host.vlimit(kib): `ulimit -v kib` from inside, once the script has built
 * its input (so that the interpreter's own copies do not count) */
static int h_vlimit(lua_State *L) {
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    rl.rlim_cur = (rlim_t)luaL_checknumber(L, 1) * 1024;
    if (setrlimit(RLIMIT_AS, &rl) != 0) return luaL_error(L, "setrlimit: %s", strerror(errno));
    return 0;
}

/* ---- the signal storm ---------------------------------------------------- */
static volatile sig_atomic_t delivered;

static void on_alarm(int sig) {
    (void)sig;
    delivered++;
}

/* host.sigstart(usec): SIGALRM every usec microseconds, no SA_RESTART */
static int h_sigstart(lua_State *L) {
    long usec = (long)luaL_checknumber(L, 1);
    struct sigaction sa;
    struct itimerval it;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* deliberately not SA_RESTART */
    if (sigaction(SIGALRM, &sa, NULL) != 0) return luaL_error(L, "sigaction: %s", strerror(errno));
    delivered = 0;
    it.it_interval.tv_sec = usec / 1000000;
    it.it_interval.tv_usec = usec % 1000000;
    it.it_value = it.it_interval;
    if (setitimer(ITIMER_REAL, &it, NULL) != 0) return luaL_error(L, "setitimer: %s", strerror(errno));
    return 0;
}

/* host.sigstop(): stops the timer; returns the signals delivered */
static int h_sigstop(lua_State *L) {
    struct itimerval it;
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
    lua_pushnumber(L, (lua_Number)delivered);
    return 1;
}

static int h_signals(lua_State *L) {
    lua_pushnumber(L, (lua_Number)delivered);
    return 1;
}

static const struct { const char *name; lua_CFunction f; } host_fns[] = {
    {"memcap", h_memcap},   {"memlimit", h_memlimit}, {"memused", h_memused},
    {"refused", h_refused}, {"rss", h_rss},           {"fdcount", h_fdcount},
    {"vlimit", h_vlimit},   {"sigstart", h_sigstart}, {"sigstop", h_sigstop}, {"signals", h_signals},
};

static int traceback(lua_State *L) {
    const char *msg;
    cap = 0; /* the report must not fail for want of memory */
    msg = lua_tostring(L, 1);
    lua_getglobal(L, "debug");
    lua_getfield(L, -1, "traceback");
    lua_pushstring(L, msg ? msg : "(error object is not a string)");
    lua_pushnumber(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

int main(int argc, char **argv) {
    lua_State *L;
    int i, rc;
    size_t k;
    if (argc < 2) {
        fprintf(stderr, "usage: %s script.lua [args...]\n", argv[0]);
        return 2;
    }
    /* a fixed mmap threshold: big blocks always go back to the kernel when
     * freed, so RSS measures what is held rather than glibc's heuristics */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    L = lua_newstate(capped_alloc, NULL);
    if (!L) {
        fprintf(stderr, "luahost: lua_newstate refused a custom allocator\n");
        return 2;
    }
    luaL_openlibs(L);
    lua_newtable(L);
    for (k = 0; k < sizeof host_fns / sizeof host_fns[0]; k++) {
        lua_pushcfunction(L, host_fns[k].f);
        lua_setfield(L, -2, host_fns[k].name);
    }
    lua_setglobal(L, "host");
    lua_newtable(L);
    for (i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");
    lua_pushcfunction(L, traceback);
    if (luaL_loadfile(L, argv[1]) != 0) {
        fprintf(stderr, "luahost: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    for (i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
    rc = lua_pcall(L, argc - 2, 0, 1);
    if (rc != 0) {
        cap = 0;
        fprintf(stderr, "luahost: %s\n", lua_tostring(L, -1));
    }
    fflush(stdout);
    lua_close(L);
    return rc != 0;
}
