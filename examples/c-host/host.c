/* A C program that embeds Lua and luasocket-rs, from one header and one
 * pkg-config line (see Makefile):
 *
 *   ./host        one interpreter: a TCP echo round trip and mime.b64
 *   ./host -t 8   8 threads at once, each with its own lua_State, each doing
 *                 TCP, UDP, DNS (localhost) and mime work, every result checked
 *
 * It registers the four C modules itself, so nothing is loaded from disk but
 * upstream's Lua files (socket.lua, mime.lua, ...), found through
 * package.path as usual. Exits 0 when every check passed. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "luasocket.h" /* luaopen_socket_core & co, LUASOCKET_VERSION */
#include "mime.h"      /* MIME_VERSION */

/* Make the four modules requirable: "socket.core", "mime.core",
 * "socket.unix", "socket.serial". */
static void open_luasocket(lua_State *L) {
    static const luaL_Reg modules[] = {
        {"socket.core", luaopen_socket_core},
        {"mime.core", luaopen_mime_core},
        {"socket.unix", luaopen_socket_unix},
        {"socket.serial", luaopen_socket_serial},
        {NULL, NULL}};
    const luaL_Reg *m;
#if LUA_VERSION_NUM >= 502
    /* open each now, into package.loaded */
    for (m = modules; m->name; m++) {
        luaL_requiref(L, m->name, m->func, 0);
        lua_pop(L, 1);
    }
#else
    /* Lua 5.1 and LuaJIT: open each on first require */
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    for (m = modules; m->name; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 2);
#endif
}

/* One interpreter's work. Called as chunk(LUASOCKET_VERSION, MIME_VERSION,
 * id, rounds); returns "ok" or raises. */
static const char *script =
    "local want_socket, want_mime, id, rounds = ...\n"
    "local socket = require 'socket'\n"
    "local mime = require 'mime'\n"
    "assert(socket == package.loaded['socket.core'], 'socket.lua runs on our core')\n"
    "assert(socket._VERSION == want_socket, socket._VERSION)\n"
    "assert(mime._VERSION == want_mime, mime._VERSION)\n"
    "assert(type(require('socket.unix').stream) == 'function')\n"
    "assert(type(require('socket.serial')) == 'function')\n"
    /* this example is also a test: no C module came from disk */
    "local maps = io.open('/proc/self/maps'):read('*a')\n"
    "assert(not maps:find('/socket/core.so', 1, true) and not maps:find('/mime/core.so', 1, true),\n"
    "  'a C module was loaded from disk')\n"
    "local ok, err = pcall(socket.sleep, 'x')\n"
    "assert(not ok and err:find('number expected'), err)\n"
    "local a, b = socket.protect(function() socket.try(nil, 'caught') end)()\n"
    "assert(a == nil and b == 'caught')\n"
    "\n"
    "for round = 1, rounds do\n"
    "  local msg = ('hello from %d, round %d'):format(id, round)\n"
    /* TCP: an echo round trip on loopback */
    "  local server = assert(socket.bind('127.0.0.1', 0))\n"
    "  local _, port = server:getsockname()\n"
    "  local client = assert(socket.connect('127.0.0.1', port))\n"
    "  local peer = assert(server:accept())\n"
    "  for _, s in ipairs { server, client, peer } do s:settimeout(5) end\n"
    "  assert(client:send(msg .. '\\n'))\n"
    "  assert(peer:send(assert(peer:receive('*l')) .. '\\n'))\n"
    "  assert(client:receive('*l') == msg)\n"
    "  client:close(); peer:close(); server:close()\n"
    /* mime: base64 both ways */
    "  assert(mime.b64('hello') == 'aGVsbG8=')\n"
    "  assert(mime.unb64(mime.b64(msg)) == msg)\n"
    "  if rounds > 1 then\n"
    /* UDP: a datagram from one socket to another */
    "    local u1, u2 = assert(socket.udp()), assert(socket.udp())\n"
    "    assert(u1:setsockname('127.0.0.1', 0)); assert(u2:setsockname('127.0.0.1', 0))\n"
    "    u1:settimeout(5); u2:settimeout(5)\n"
    "    local _, p2 = u2:getsockname()\n"
    "    assert(u1:sendto(msg, '127.0.0.1', p2))\n"
    "    local got, from = u2:receivefrom()\n"
    "    assert(got == msg and from == '127.0.0.1', tostring(got))\n"
    "    u1:close(); u2:close()\n"
    /* DNS: the resolver, localhost only */
    "    assert(socket.dns.toip('localhost') == '127.0.0.1')\n"
    "    local ai = assert(socket.dns.getaddrinfo('localhost'))\n"
    "    assert(#ai > 0 and ai[1].addr, 'getaddrinfo')\n"
    "    assert(socket.dns.tohostname('127.0.0.1'))\n"
    /* more mime: quoted-printable and line wrapping */
    "    assert(mime.unqp(mime.qp('caf\\233 = ' .. msg)) == 'caf\\233 = ' .. msg)\n"
    "    assert(mime.wrp(10, msg) ~= nil)\n"
    "  end\n"
    "end\n"
    "return 'ok'\n";

struct job {
    int id, rounds;
    pthread_barrier_t *start; /* threads: all begin at once */
    char error[512];          /* empty when every check passed */
};

/* Creates an interpreter, runs the script, closes it. */
static void run(struct job *job) {
    lua_State *L = luaL_newstate();
    const char *res;
    if (!L) {
        snprintf(job->error, sizeof job->error, "cannot create a lua_State");
        return;
    }
    luaL_openlibs(L);
    open_luasocket(L);
    if (luaL_loadstring(L, script) != 0) {
        snprintf(job->error, sizeof job->error, "%s", lua_tostring(L, -1));
    } else {
        lua_pushstring(L, LUASOCKET_VERSION);
        lua_pushstring(L, MIME_VERSION);
        lua_pushinteger(L, job->id);
        lua_pushinteger(L, job->rounds);
        if (lua_pcall(L, 4, 1, 0) != 0 || !(res = lua_tostring(L, -1)) || strcmp(res, "ok") != 0)
            snprintf(job->error, sizeof job->error, "%s", lua_tostring(L, -1));
    }
    lua_close(L);
}

static void *thread_main(void *arg) {
    struct job *job = arg;
    pthread_barrier_wait(job->start);
    run(job);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 0, i, failed = 0;
    struct job *jobs;
    pthread_t *tids;
    pthread_barrier_t start;

    if (argc == 3 && strcmp(argv[1], "-t") == 0)
        threads = atoi(argv[2]);
    if (threads < 0 || threads > 256 || (argc != 1 && threads == 0)) {
        fprintf(stderr, "usage: %s [-t threads]\n", argv[0]);
        return 2;
    }
    if (threads == 0) { /* one interpreter, on this thread */
        struct job job = {0, 1, NULL, ""};
        run(&job);
        if (job.error[0]) {
            fprintf(stderr, "host: %s\n", job.error);
            return 1;
        }
        printf("ok\n");
        return 0;
    }

    jobs = calloc((size_t)threads, sizeof *jobs);
    tids = calloc((size_t)threads, sizeof *tids);
    if (!jobs || !tids || pthread_barrier_init(&start, NULL, (unsigned)threads) != 0)
        return 2;
    for (i = 0; i < threads; i++) {
        jobs[i].id = i + 1;
        jobs[i].rounds = 3;
        jobs[i].start = &start;
        if (pthread_create(&tids[i], NULL, thread_main, &jobs[i]) != 0) {
            fprintf(stderr, "host: pthread_create failed\n");
            return 2;
        }
    }
    for (i = 0; i < threads; i++) {
        pthread_join(tids[i], NULL);
        if (jobs[i].error[0]) {
            fprintf(stderr, "host: thread %d: %s\n", jobs[i].id, jobs[i].error);
            failed++;
        }
    }
    pthread_barrier_destroy(&start);
    free(jobs);
    free(tids);
    if (failed)
        return 1;
    printf("ok: %d threads\n", threads);
    return 0;
}
