/* A C module user of LuaSocket's internal C API, the way LuaSec uses it:
 * an object embedding t_io/t_buffer/t_timeout with its own transport
 * callbacks, whose methods call buffer_meth_receive & co.
 *
 *   probe <library.so> <script.lua>
 *
 * dlopen()s the library (Debian's liblua5.X-socket.so.2 or ours), takes the
 * fifteen functions lua-sec imports from it with dlsym(), and runs the
 * script with a global `probe` table. scripts/capi-test.sh runs the same
 * script on both libraries and compares the outputs, which include a log of
 * every callback call (sizes asked, codes), so the transport must be driven
 * exactly as the C core drives it.
 *
 * The transport is scripted and pure C (callbacks never call Lua, like
 * LuaSec's): `probe.new{ "data", -1, "more", -2 }` makes an object whose
 * recv hands out the strings (cut to what is asked) and returns the numbers
 * as codes (IO_TIMEOUT -1, IO_CLOSED -2, errno > 0), then IO_CLOSED forever;
 * send accepts `sendcap` bytes per call and fails with `senderr` after
 * `sendlimit` bytes. The code 1000 is a stall: success with nothing moved
 * (tests/capi/stall.lua, ours only: buffer.c spins for ever on it). */
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#if LUA_VERSION_NUM >= 502
#define lua_objlen_compat lua_rawlen
#else
#define lua_objlen_compat lua_objlen
#endif

/* The records as the C core's io.h, timeout.h and buffer.h define them
 * (tests/capi_layout.rs checks ours against those headers). */
typedef struct { double block, total, start; } t_timeout;
typedef int (*p_send)(void *, const char *, size_t, size_t *, t_timeout *);
typedef int (*p_recv)(void *, char *, size_t, size_t *, t_timeout *);
typedef const char *(*p_error)(void *, int);
typedef struct { void *ctx; p_send send; p_recv recv; p_error error; } t_io;
typedef struct {
    double birthday;
    size_t sent, received;
    t_io *io;
    t_timeout *tm;
    size_t first, last;
    char data[8192];
} t_buffer;

static struct {
    void (*buffer_init)(t_buffer *, t_io *, t_timeout *);
    int (*buffer_isempty)(t_buffer *);
    int (*buffer_meth_getstats)(lua_State *, t_buffer *);
    int (*buffer_meth_setstats)(lua_State *, t_buffer *);
    int (*buffer_meth_send)(lua_State *, t_buffer *);
    int (*buffer_meth_receive)(lua_State *, t_buffer *);
    void (*io_init)(t_io *, p_send, p_recv, p_error, void *);
    void (*socket_destroy)(int *);
    void (*socket_setblocking)(int *);
    void (*socket_setnonblocking)(int *);
    const char *(*socket_strerror)(int);
    int (*socket_waitfd)(int *, int, t_timeout *);
    void (*timeout_init)(t_timeout *, double, double);
    t_timeout *(*timeout_markstart)(t_timeout *);
    int (*timeout_meth_settimeout)(lua_State *, t_timeout *);
} api;

#define MAXSTEPS 64
#define LOGSIZE 4096

typedef struct {
    int sock;
    t_io io;
    t_buffer buf;
    t_timeout tm;
    /* scripted transport */
    int nsteps, step;
    int code[MAXSTEPS];       /* 0: data step */
    size_t off[MAXSTEPS], len[MAXSTEPS];
    size_t pos;               /* consumed bytes of the current data step */
    char *bytes;              /* all data steps, concatenated (malloc) */
    size_t sendcap, sendlimit, sentall;
    int senderr;
    char log[LOGSIZE];
    size_t loglen;
    char errtext[32];
} t_probe;

static void logf_(t_probe *p, const char *fmt, size_t a, long b) {
    if (p->loglen < LOGSIZE - 64)
        p->loglen += (size_t) snprintf(p->log + p->loglen, LOGSIZE - p->loglen, fmt, a, b);
}

/* The timeout handed to a callback must be the object's own record, and
 * already marked for the running call. */
static void check_tm(t_probe *p, t_timeout *tm) {
    if (tm != &p->tm) logf_(p, "[tm is not the object's record %zu %ld]", 0, 0);
    if (tm->start <= 0) logf_(p, "[tm not marked %zu %ld]", 0, 0);
}

static int probe_recv(void *ctx, char *data, size_t count, size_t *got, t_timeout *tm) {
    t_probe *p = (t_probe *) ctx;
    check_tm(p, tm);
    *got = 0;
    if (p->step >= p->nsteps) {
        logf_(p, "recv(%zu)=closed%ld ", count, 0);
        return -2;
    }
    if (p->code[p->step] == 1000) { /* a stall: success, nothing moved */
        p->step++;
        logf_(p, "recv(%zu)=stall%ld ", count, 0);
        return 0;
    }
    if (p->code[p->step] != 0) {
        int c = p->code[p->step++];
        logf_(p, "recv(%zu)=code%ld ", count, c);
        return c;
    } else {
        size_t left = p->len[p->step] - p->pos;
        size_t n = left < count ? left : count;
        memcpy(data, p->bytes + p->off[p->step] + p->pos, n);
        p->pos += n;
        if (p->pos == p->len[p->step]) { p->step++; p->pos = 0; }
        *got = n;
        logf_(p, "recv(%zu)=%ld ", count, (long) n);
        return 0;
    }
}

static int probe_send(void *ctx, const char *data, size_t count, size_t *sent, t_timeout *tm) {
    t_probe *p = (t_probe *) ctx;
    size_t n = count < p->sendcap ? count : p->sendcap;
    (void) data;
    check_tm(p, tm);
    *sent = 0;
    if (p->sentall >= p->sendlimit) {
        logf_(p, "send(%zu)=code%ld ", count, p->senderr);
        return p->senderr;
    }
    if (n > p->sendlimit - p->sentall) n = p->sendlimit - p->sentall;
    p->sentall += n;
    *sent = n;
    logf_(p, "send(%zu)=%ld ", count, (long) n);
    return 0;
}

static const char *probe_error(void *ctx, int err) {
    t_probe *p = (t_probe *) ctx;
    logf_(p, "error(%zu)%ld ", 0, err);
    if (err == 42) return NULL; /* lua_pushstring(NULL) pushes nil */
    if (err > 0 && err < 1000) return api.socket_strerror(err);
    snprintf(p->errtext, sizeof p->errtext, "E%d", err);
    return p->errtext;
}

static t_probe *check(lua_State *L) {
    return (t_probe *) luaL_checkudata(L, 1, "probe{object}");
}

static int m_receive(lua_State *L) { return api.buffer_meth_receive(L, &check(L)->buf); }
static int m_send(lua_State *L) { return api.buffer_meth_send(L, &check(L)->buf); }
static int m_getstats(lua_State *L) { return api.buffer_meth_getstats(L, &check(L)->buf); }
static int m_setstats(lua_State *L) { return api.buffer_meth_setstats(L, &check(L)->buf); }
static int m_settimeout(lua_State *L) { return api.timeout_meth_settimeout(L, &check(L)->tm); }

static int m_dirty(lua_State *L) {
    lua_pushboolean(L, !api.buffer_isempty(&check(L)->buf));
    return 1;
}

/* The callback log since the last call, then cleared. */
static int m_log(lua_State *L) {
    t_probe *p = check(L);
    lua_pushlstring(L, p->log, p->loglen);
    p->loglen = 0;
    return 1;
}

static int m_timeout(lua_State *L) {
    t_probe *p = check(L);
    lua_pushnumber(L, p->tm.block);
    lua_pushnumber(L, p->tm.total);
    return 2;
}

static int m_gc(lua_State *L) {
    t_probe *p = check(L);
    free(p->bytes);
    p->bytes = NULL;
    return 0;
}

/* probe.new(steps [, sendcap [, sendlimit [, senderr]]]) */
static int p_new(lua_State *L) {
    size_t total = 0, at = 0;
    int i, n;
    t_probe *p;
    size_t sendcap = (size_t) luaL_optnumber(L, 2, 1e9);
    size_t sendlimit = (size_t) luaL_optnumber(L, 3, 1e12);
    int senderr = (int) luaL_optnumber(L, 4, -2);
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (int) lua_objlen_compat(L, 1);
    if (n > MAXSTEPS) return luaL_error(L, "too many steps");
    lua_settop(L, 1);
    p = (t_probe *) lua_newuserdata(L, sizeof(t_probe));
    memset(p, 0, sizeof *p);
    p->sock = -1;
    p->nsteps = n;
    p->sendcap = sendcap;
    p->sendlimit = sendlimit;
    p->senderr = senderr;
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        if (lua_type(L, -1) == LUA_TSTRING) total += lua_objlen_compat(L, -1);
        lua_pop(L, 1);
    }
    p->bytes = (char *) malloc(total + 1);
    if (!p->bytes) return luaL_error(L, "out of memory");
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            memcpy(p->bytes + at, s, len);
            p->off[i - 1] = at;
            p->len[i - 1] = len;
            at += len;
        } else {
            p->code[i - 1] = (int) lua_tonumber(L, -1);
        }
        lua_pop(L, 1);
    }
    luaL_getmetatable(L, "probe{object}");
    lua_setmetatable(L, -2);
    api.io_init(&p->io, probe_send, probe_recv, probe_error, p);
    api.timeout_init(&p->tm, -1, -1);
    api.buffer_init(&p->buf, &p->io, &p->tm);
    return 1;
}

/* probe.strerror(code) */
static int p_strerror(lua_State *L) {
    lua_pushstring(L, api.socket_strerror((int) luaL_checknumber(L, 1)));
    return 1;
}

/* probe.wait(what, block [, data]): socket_waitfd on one end of a fresh
 * socketpair ("r", "w" or "c"); with `data`, the other end writes it first.
 * Returns the code and whether the wait took at least `block` seconds. */
static int p_wait(lua_State *L) {
    const char *what = luaL_checkstring(L, 1);
    double block = luaL_checknumber(L, 2);
    int sv[2], sw = what[0] == 'r' ? POLLIN : what[0] == 'w' ? POLLOUT : POLLIN | POLLOUT;
    t_timeout tm;
    double t0;
    int r;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return luaL_error(L, "socketpair");
    if (lua_isstring(L, 3)) {
        size_t len;
        const char *s = lua_tolstring(L, 3, &len);
        if (write(sv[1], s, len) < 0) return luaL_error(L, "write");
    }
    api.timeout_init(&tm, block, -1);
    t0 = api.timeout_markstart(&tm)->start;
    r = api.socket_waitfd(&sv[0], sw, &tm);
    lua_pushnumber(L, r);
    {
        t_timeout now;
        api.timeout_markstart(&now);
        lua_pushboolean(L, now.start - t0 >= block - 0.002);
    }
    api.socket_destroy(&sv[0]);
    lua_pushnumber(L, sv[0]);
    close(sv[1]);
    return 3;
}

/* probe.blocking(): socket_setblocking/socket_setnonblocking on a real
 * descriptor, and socket_destroy; returns O_NONBLOCK after each step, the
 * descriptor after destroy and whether it was really closed. */
static int p_blocking(lua_State *L) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), saved = fd;
    api.socket_setnonblocking(&fd);
    lua_pushboolean(L, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    api.socket_setnonblocking(&fd);
    lua_pushboolean(L, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    api.socket_setblocking(&fd);
    lua_pushboolean(L, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    api.socket_destroy(&fd);
    lua_pushnumber(L, fd);
    lua_pushboolean(L, fcntl(saved, F_GETFL) == -1);
    api.socket_destroy(&fd); /* invalid now: a no-op */
    return 5;
}

static const luaL_Reg methods[] = {
    {"receive", m_receive}, {"send", m_send}, {"getstats", m_getstats},
    {"setstats", m_setstats}, {"settimeout", m_settimeout}, {"dirty", m_dirty},
    {"log", m_log}, {"timeout", m_timeout}, {NULL, NULL}};

#define SYM(name) do { \
    *(void **) (&api.name) = dlsym(lib, #name); \
    if (!api.name) { fprintf(stderr, "probe: %s lacks %s\n", argv[1], #name); return 2; } \
} while (0)

int main(int argc, char **argv) {
    void *lib;
    lua_State *L;
    const luaL_Reg *r;
    if (argc != 3) { fprintf(stderr, "usage: probe library.so script.lua\n"); return 2; }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "probe: %s\n", dlerror()); return 2; }
    SYM(buffer_init); SYM(buffer_isempty); SYM(buffer_meth_getstats);
    SYM(buffer_meth_setstats); SYM(buffer_meth_send); SYM(buffer_meth_receive);
    SYM(io_init); SYM(socket_destroy); SYM(socket_setblocking);
    SYM(socket_setnonblocking); SYM(socket_strerror); SYM(socket_waitfd);
    SYM(timeout_init); SYM(timeout_markstart); SYM(timeout_meth_settimeout);
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_newmetatable(L, "probe{object}");
    lua_newtable(L);
    for (r = methods; r->name; r++) {
        lua_pushcfunction(L, r->func);
        lua_setfield(L, -2, r->name);
    }
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcfunction(L, p_new); lua_setfield(L, -2, "new");
    lua_pushcfunction(L, p_strerror); lua_setfield(L, -2, "strerror");
    lua_pushcfunction(L, p_wait); lua_setfield(L, -2, "wait");
    lua_pushcfunction(L, p_blocking); lua_setfield(L, -2, "blocking");
    lua_setglobal(L, "probe");
    if (luaL_loadfile(L, argv[2]) || lua_pcall(L, 0, 0, 0)) {
        fprintf(stderr, "probe: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    lua_close(L);
    return 0;
}
