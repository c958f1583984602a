/* The fixed far end of the benchmark suite, identical for both cores: raw
 * system calls, large buffers, no Lua. Built by bench/run.sh with cc -O2.
 *
 * Server modes (used by bench/work.lua): listen on an ephemeral port, print
 * "PORT n", serve, then print "RESULT <check>" and exit.
 *   peer source N            send N bytes of pattern(o) = o % 251, close
 *   peer sink                read to EOF; checks bytes against the sender's
 *                            1 MiB-periodic pattern: "recv N bad B"
 *   peer lines KIND COUNT    KIND 40: 40-byte lines, KIND kb: 1-4 KiB lines
 *   peer echo SIZE           echo SIZE-byte messages until EOF
 *   peer udpecho 4|6 COUNT   echo COUNT datagrams to their sender
 *   peer many N r|h          accept N connections; r: read one byte from
 *                            each, answer 'x' where it was 'r'; h: just hold;
 *                            exit when the first connection reaches EOF
 *   peer http COUNT SIZE     COUNT sequential HTTP/1.1 responses of SIZE bytes
 *
 * Client modes (the "raw-syscall C limit" column): `peer raw WORKLOAD ARGS`
 * runs the same transfer as bench/work.lua's workload of that name with raw
 * system calls, against a forked copy of the server above (or in-process
 * where the Lua workload is), and prints "RESULT seconds ops check".
 *
 * Every mode stops itself with alarm() after PEER_TIMEOUT seconds (60). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG (256 * 1024)
#define MIB (1024 * 1024)
static unsigned char buf[4 * MIB];

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "peer: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
  va_end(ap);
  exit(2);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int listener(int family, int type, int *port) {
  int fd = socket(family, type, 0), one = 1;
  if (fd < 0) die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len;
  if (family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  }
  if (bind(fd, (struct sockaddr *)&ss, len) < 0) die("bind");
  if (type == SOCK_STREAM && listen(fd, 4096) < 0) die("listen");
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) die("getsockname");
  *port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                   : ((struct sockaddr_in *)&ss)->sin_port);
  return fd;
}

static int accept1(int lfd) {
  int fd;
  do fd = accept(lfd, NULL, NULL);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) die("accept");
  return fd;
}

static int connect_to(int family, int port) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len;
  if (family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    a->sin6_port = htons(port);
    len = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = htons(port);
    len = sizeof *a;
  }
  int fd = socket(family, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (connect(fd, (struct sockaddr *)&ss, len) < 0) die("connect");
  return fd;
}

static void write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) die("write");
    c += w;
    n -= (size_t)w;
  }
}

/* Reads exactly n bytes unless EOF comes first; returns what it read. */
static size_t read_full(int fd, void *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) die("read");
    if (r == 0) break;
    got += (size_t)r;
  }
  return got;
}

/* ---- the data the workloads move (bench/work.lua builds the same) ---- */

/* receive side: byte o of a stream is o % 251 (251 is prime, so no buffer
 * size of a power of two lines up with it). */
static void fill_pattern(unsigned char *p, size_t n, uint64_t off) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)((off + i) % 251);
}

/* 40-byte lines: "%08d" of (j % 1024), 30 'y', CR LF. 1-4 KiB lines
 * (j % 256): "%08d", then (1023 + j*40503 % 3072) - 8 bytes of 'a' + j%26,
 * then LF. */
static size_t line_at(unsigned char *p, const char *kind, unsigned j) {
  if (strcmp(kind, "40") == 0) {
    j %= 1024;
    snprintf((char *)p, 9, "%08u", j);
    memset(p + 8, 'y', 30);
    p[38] = '\r';
    p[39] = '\n';
    return 40;
  }
  j %= 256;
  size_t len = 1023 + (j * 40503u) % 3072;
  snprintf((char *)p, 9, "%08u", j);
  memset(p + 8, 'a' + j % 26, len - 8);
  p[len] = '\n';
  return len + 1;
}

/* One block of lines that repeats: 1024 40-byte lines (x 8, 320 KiB) or 256
 * long lines. */
static size_t line_block(unsigned char *p, const char *kind, unsigned *nlines) {
  size_t n = 0;
  unsigned per = strcmp(kind, "40") == 0 ? 1024 : 256;
  unsigned reps = strcmp(kind, "40") == 0 ? 8 : 1;
  for (unsigned r = 0; r < reps; r++)
    for (unsigned j = 0; j < per; j++) n += line_at(p + n, kind, j);
  *nlines = per * reps;
  return n;
}

/* ---- servers; each returns its check text ---- */

static char result[256];

static const char *srv_source(int lfd, uint64_t n) {
  int fd = accept1(lfd);
  uint64_t off = 0;
  fill_pattern(buf, BIG + 251, 0);
  while (off < n) {
    size_t k = n - off < BIG ? (size_t)(n - off) : BIG;
    write_all(fd, buf + off % 251, k);
    off += k;
  }
  close(fd);
  snprintf(result, sizeof result, "sent %llu", (unsigned long long)n);
  return result;
}

static const char *srv_sink(int lfd) {
  int fd = accept1(lfd);
  uint64_t off = 0, bad = 0;
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) die("read");
    if (r == 0) break;
    uint64_t a = off, b = off + (uint64_t)r - 1;
    if (buf[0] != (a % MIB) % 251 || buf[r - 1] != (b % MIB) % 251) bad++;
    off += (uint64_t)r;
  }
  close(fd);
  snprintf(result, sizeof result, "recv %llu bad %llu", (unsigned long long)off,
           (unsigned long long)bad);
  return result;
}

static const char *srv_lines(int lfd, const char *kind, uint64_t count) {
  unsigned per;
  size_t blen = line_block(buf, kind, &per);
  int fd = accept1(lfd);
  if (count % per) die("line count %llu is not a multiple of %u", (unsigned long long)count, per);
  for (uint64_t i = 0; i < count / per; i++) write_all(fd, buf, blen);
  close(fd);
  snprintf(result, sizeof result, "lines %llu", (unsigned long long)count);
  return result;
}

static const char *srv_echo(int lfd, size_t size) {
  int fd = accept1(lfd);
  nodelay(fd);
  uint64_t n = 0;
  while (read_full(fd, buf, size) == size) {
    write_all(fd, buf, size);
    n++;
  }
  close(fd);
  snprintf(result, sizeof result, "echoed %llu", (unsigned long long)n);
  return result;
}

static const char *srv_udpecho(int ufd, uint64_t count) {
  uint64_t n = 0;
  while (n < count) {
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t r = recvfrom(ufd, buf, 65536, 0, (struct sockaddr *)&from, &flen);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) die("recvfrom");
    if (sendto(ufd, buf, (size_t)r, 0, (struct sockaddr *)&from, flen) != r) die("sendto");
    n++;
  }
  snprintf(result, sizeof result, "echoed %llu", (unsigned long long)n);
  return result;
}

static const char *srv_many(int lfd, int n, char mode) {
  int *fds = malloc(sizeof(int) * (size_t)n), ready = 0;
  if (!fds) die("malloc");
  for (int i = 0; i < n; i++) fds[i] = accept1(lfd);
  if (mode == 'r')
    for (int i = 0; i < n; i++) {
      char c;
      if (read_full(fds[i], &c, 1) != 1) die("many: no byte on connection %d", i);
      if (c == 'r') {
        write_all(fds[i], "x", 1);
        ready++;
      }
    }
  char c;
  while (read(fds[0], &c, 1) > 0) {}
  for (int i = 0; i < n; i++) close(fds[i]);
  free(fds);
  snprintf(result, sizeof result, "accepted %d ready %d", n, ready);
  return result;
}

static const char *srv_http(int lfd, int count, size_t size) {
  char head[256];
  int hl = snprintf(head, sizeof head,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                    size);
  fill_pattern(buf, size, 0);
  for (int i = 0; i < count; i++) {
    int fd = accept1(lfd);
    char req[8192];
    size_t got = 0;
    while (!memmem(req, got, "\r\n\r\n", 4)) {
      if (got == sizeof req) die("http: request too long");
      ssize_t r = read(fd, req + got, sizeof req - got);
      if (r <= 0) die("http: request cut short");
      got += (size_t)r;
    }
    write_all(fd, head, (size_t)hl);
    write_all(fd, buf, size);
    close(fd);
  }
  snprintf(result, sizeof result, "served %d", count);
  return result;
}

/* ---- raw clients: the same transfers as bench/work.lua ---- */

typedef const char *(*server_fn)(int lfd, char **argv);
static const char *run_source(int l, char **a) { return srv_source(l, strtoull(a[0], 0, 10)); }
static const char *run_sink(int l, char **a) { (void)a; return srv_sink(l); }
static const char *run_lines(int l, char **a) { return srv_lines(l, a[0], strtoull(a[1], 0, 10)); }
static const char *run_echo(int l, char **a) { return srv_echo(l, (size_t)atoi(a[0])); }
static const char *run_udpecho(int l, char **a) { return srv_udpecho(l, strtoull(a[1], 0, 10)); }
static const char *run_many(int l, char **a) { return srv_many(l, atoi(a[0]), a[1][0]); }

/* Starts a server in a child over a fresh listener; returns the port. */
static pid_t child;
static int fork_server(int family, int type, server_fn fn, char **argv) {
  int port, lfd = listener(family, type, &port);
  child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    fn(lfd, argv);
    _exit(0);
  }
  close(lfd);
  return port;
}

static void reap(void) {
  int st;
  if (waitpid(child, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("server child failed");
}

static int raw(int argc, char **argv) {
  const char *w = argv[0];
  double t0 = 0, t1 = 0;
  unsigned long long ops = 0;
  char check[128] = "ok";
  if (!strcmp(w, "recvall")) {
    /* what any binding must do to return one fresh string of unknown size:
     * read (256 KiB at a time) into a buffer that grows by doubling, then
     * copy the bytes once into a new allocation (both touched, as a Lua
     * string is) */
    uint64_t n = strtoull(argv[1], 0, 10), off = 0, cap = MIB;
    char *sa[] = {argv[1]};
    int fd = connect_to(AF_INET, fork_server(AF_INET, SOCK_STREAM, run_source, sa));
    t0 = now();
    unsigned char *b = malloc(cap);
    for (;;) {
      if (cap - off < BIG) {
        b = realloc(b, cap *= 2);
        if (!b) die("realloc");
      }
      ssize_t r = read(fd, b + off, BIG);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) die("read");
      if (r == 0) break;
      off += (uint64_t)r;
      ops++;
    }
    unsigned char *s = malloc(off + 1);
    if (!s) die("malloc");
    memcpy(s, b, off);
    free(b);
    t1 = now();
    for (uint64_t k = 0; k < 64; k++) {
      uint64_t i = k * (n / 64) + k * 7;
      if (s[i] != i % 251) die("bad byte at %llu", (unsigned long long)i);
    }
    free(s);
    if (off != n) die("got %llu of %llu bytes", (unsigned long long)off, (unsigned long long)n);
    ops = n / MIB;
    snprintf(check, sizeof check, "bytes %llu", (unsigned long long)off);
    close(fd);
    reap();
  } else if (!strcmp(w, "recv8192")) {
    /* the same bytes, read into a reused 256 KiB buffer, first byte of each
     * read checked */
    uint64_t n = strtoull(argv[1], 0, 10), off = 0;
    char *sa[] = {argv[1]};
    int fd = connect_to(AF_INET, fork_server(AF_INET, SOCK_STREAM, run_source, sa));
    t0 = now();
    for (;;) {
      ssize_t r = read(fd, buf, BIG);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) die("read");
      if (r == 0) break;
      if (buf[0] != off % 251) die("bad byte at %llu", (unsigned long long)off);
      off += (uint64_t)r;
      ops++;
    }
    t1 = now();
    if (off != n) die("got %llu of %llu bytes", (unsigned long long)off, (unsigned long long)n);
    snprintf(check, sizeof check, "bytes %llu", (unsigned long long)off);
    close(fd);
    reap();
  } else if (!strcmp(w, "send")) {
    /* the best of three write sizes: on one CPU, smaller writes can pipeline
     * better with the reader than one large write */
    uint64_t count = strtoull(argv[1], 0, 10);
    static const size_t step[] = {8192, 65536, MIB};
    for (size_t i = 0; i < MIB; i++) buf[i] = (unsigned char)(i % 251);
    double best = 1e30;
    int only = argc > 2 ? atoi(argv[2]) : 0; /* raw send N STEP: that step alone */
    for (int s = 0; s < 3; s++) {
      if (only && (size_t)only != step[s]) continue;
      int fd = connect_to(AF_INET, fork_server(AF_INET, SOCK_STREAM, run_sink, NULL));
      double a = now();
      for (uint64_t i = 0; i < count; i++)
        for (size_t o = 0; o < MIB; o += step[s]) write_all(fd, buf + o, step[s]);
      double b = now();
      close(fd);
      reap();
      if (b - a < best) best = b - a, t0 = a, t1 = b;
    }
    ops = count;
    snprintf(check, sizeof check, "bytes %llu", (unsigned long long)(count * MIB));
  } else if (!strcmp(w, "lines40") || !strcmp(w, "lineskb")) {
    /* read 256 KiB at a time, find each line with memchr, check its length */
    const char *kind = !strcmp(w, "lines40") ? "40" : "kb";
    uint64_t count = strtoull(argv[1], 0, 10), lines = 0;
    char *sa[] = {(char *)kind, argv[1]};
    static unsigned char want[8192];
    int fd = connect_to(AF_INET, fork_server(AF_INET, SOCK_STREAM, run_lines, sa));
    size_t have = 0;
    t0 = now();
    for (;;) {
      ssize_t r = read(fd, buf + have, BIG);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) die("read");
      if (r == 0) break;
      have += (size_t)r;
      unsigned char *p = buf, *end = buf + have, *nl;
      while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        size_t len = line_at(want, kind, (unsigned)lines);
        if ((size_t)(nl - p + 1) != len) die("line %llu has the wrong length", (unsigned long long)lines);
        lines++;
        p = nl + 1;
      }
      have = (size_t)(end - p);
      memmove(buf, p, have);
    }
    t1 = now();
    if (lines != count) die("got %llu of %llu lines", (unsigned long long)lines, (unsigned long long)count);
    ops = lines;
    snprintf(check, sizeof check, "lines %llu", (unsigned long long)lines);
    close(fd);
    reap();
  } else if (!strcmp(w, "pingpong") || !strcmp(w, "pingpong_inproc")) {
    uint64_t count = strtoull(argv[1], 0, 10);
    unsigned char msg[64], back[64];
    int c, s = -1;
    if (!strcmp(w, "pingpong")) {
      char *sa[] = {"64"};
      c = connect_to(AF_INET, fork_server(AF_INET, SOCK_STREAM, run_echo, sa));
    } else {
      int port, lfd = listener(AF_INET, SOCK_STREAM, &port);
      c = connect_to(AF_INET, port);
      s = accept1(lfd);
      close(lfd);
      nodelay(s);
    }
    nodelay(c);
    t0 = now();
    for (uint64_t i = 0; i < count; i++) {
      memset(msg, 'a' + (int)(i % 16), sizeof msg);
      write_all(c, msg, 64);
      if (s >= 0) {
        if (read_full(s, back, 64) != 64) die("short read");
        write_all(s, back, 64);
      }
      if (read_full(c, back, 64) != 64 || memcmp(back, msg, 64)) die("bad reply");
    }
    t1 = now();
    ops = count;
    close(c);
    if (s >= 0) close(s);
    else reap();
    snprintf(check, sizeof check, "replies %llu", ops);
  } else if (!strcmp(w, "udp") || !strcmp(w, "udpconn") || !strcmp(w, "udp6")) {
    int fam = !strcmp(w, "udp6") ? AF_INET6 : AF_INET;
    uint64_t count = strtoull(argv[1], 0, 10);
    char *sa[] = {fam == AF_INET6 ? "6" : "4", argv[1]};
    int port = fork_server(fam, SOCK_DGRAM, run_udpecho, sa);
    int u = socket(fam, SOCK_DGRAM, 0);
    struct sockaddr_storage to;
    memset(&to, 0, sizeof to);
    socklen_t tl;
    if (fam == AF_INET6) {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;
      a->sin6_family = AF_INET6; a->sin6_addr = in6addr_loopback; a->sin6_port = htons(port);
      tl = sizeof *a;
    } else {
      struct sockaddr_in *a = (struct sockaddr_in *)&to;
      a->sin_family = AF_INET; a->sin_addr.s_addr = htonl(INADDR_LOOPBACK); a->sin_port = htons(port);
      tl = sizeof *a;
    }
    int conn = !strcmp(w, "udpconn");
    if (conn && connect(u, (struct sockaddr *)&to, tl) < 0) die("connect");
    unsigned char msg[64], back[128];
    t0 = now();
    for (uint64_t i = 0; i < count; i++) {
      memset(msg, 'a' + (int)(i % 16), sizeof msg);
      if (conn) {
        if (send(u, msg, 64, 0) != 64) die("send");
        if (recv(u, back, sizeof back, 0) != 64) die("recv");
      } else {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        if (sendto(u, msg, 64, 0, (struct sockaddr *)&to, tl) != 64) die("sendto");
        if (recvfrom(u, back, sizeof back, 0, (struct sockaddr *)&from, &fl) != 64) die("recvfrom");
      }
      if (memcmp(back, msg, 64)) die("bad datagram");
    }
    t1 = now();
    ops = count;
    close(u);
    reap();
    snprintf(check, sizeof check, "replies %llu", ops);
  } else if (!strcmp(w, "select")) {
    /* the same socket set; one poll() per call over a prebuilt array */
    int n = atoi(argv[1]), k = atoi(argv[2]);
    uint64_t m = strtoull(argv[3], 0, 10);
    char *sa[] = {argv[1], "r"};
    int port = fork_server(AF_INET, SOCK_STREAM, run_many, sa);
    struct pollfd *pf = calloc((size_t)n, sizeof *pf);
    for (int i = 0; i < n; i++) {
      pf[i].fd = connect_to(AF_INET, port);
      pf[i].events = POLLIN;
    }
    for (int i = 0; i < n; i++) {
      int r = (int)((long long)(i) * k % n) < k; /* k of them, spread */
      write_all(pf[i].fd, r ? "r" : "n", 1);
    }
    for (int tries = 0; poll(pf, (nfds_t)n, 10) != k; tries++)
      if (tries > 1000) die("select: never %d ready", k);
    t0 = now();
    for (uint64_t j = 0; j < m; j++) {
      int got = poll(pf, (nfds_t)n, 0), seen = 0;
      for (int i = 0; i < n && seen < got; i++)
        if (pf[i].revents & POLLIN) seen++;
      if (got != k || seen != k) die("select: %d ready, not %d", got, k);
    }
    t1 = now();
    ops = m;
    for (int i = 0; i < n; i++) close(pf[i].fd);
    reap();
    snprintf(check, sizeof check, "ready %d", k);
  } else if (!strcmp(w, "churn")) {
    uint64_t count = strtoull(argv[1], 0, 10);
    int port, lfd = listener(AF_INET, SOCK_STREAM, &port);
    t0 = now();
    for (uint64_t i = 0; i < count; i++) {
      int c = connect_to(AF_INET, port), a = accept1(lfd);
      close(c);
      close(a);
    }
    t1 = now();
    ops = count;
    close(lfd);
    snprintf(check, sizeof check, "connections %llu", ops);
  } else if (!strcmp(w, "tcp4")) {
    uint64_t count = strtoull(argv[1], 0, 10);
    int first = -1;
    t0 = now();
    for (uint64_t i = 0; i < count; i++) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0 || (first >= 0 && fd != first)) die("socket");
      first = fd;
      close(fd);
    }
    t1 = now();
    ops = count;
    snprintf(check, sizeof check, "sockets %llu", ops);
  } else if (!strcmp(w, "toip") || !strcmp(w, "getaddrinfo")) {
    uint64_t count = strtoull(argv[1], 0, 10);
    int gai = !strcmp(w, "getaddrinfo");
    t0 = now();
    for (uint64_t i = 0; i < count; i++) {
      if (gai) {
        struct addrinfo hints, *res;
        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_CANONNAME;
        if (getaddrinfo("localhost", NULL, &hints, &res) != 0 || !res) die("getaddrinfo");
        freeaddrinfo(res);
      } else {
        struct hostent *h = gethostbyname("localhost");
        if (!h || h->h_addrtype != AF_INET) die("gethostbyname");
      }
    }
    t1 = now();
    ops = count;
    snprintf(check, sizeof check, "lookups %llu", ops);
  } else {
    fprintf(stderr, "peer: no raw client for %s\n", w);
    return 2;
  }
  printf("RESULT %.9f %llu %s\n", t1 - t0, ops, check);
  return 0;
}

int main(int argc, char **argv) {
  const char *t = getenv("PEER_TIMEOUT");
  alarm(t ? (unsigned)atoi(t) : 60);
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (argc < 2) {
    fprintf(stderr, "usage: peer MODE ARGS (see bench/peer.c)\n");
    return 2;
  }
  const char *m = argv[1];
  if (!strcmp(m, "raw")) return argc < 3 ? 2 : raw(argc - 2, argv + 2);
  int port, fd;
  const char *res;
  if (!strcmp(m, "udpecho")) {
    if (argc < 4) return 2;
    fd = listener(argv[2][0] == '6' ? AF_INET6 : AF_INET, SOCK_DGRAM, &port);
  } else {
    fd = listener(AF_INET, SOCK_STREAM, &port);
  }
  printf("PORT %d\n", port);
  fflush(stdout);
  if (!strcmp(m, "source") && argc >= 3) res = run_source(fd, argv + 2);
  else if (!strcmp(m, "sink")) res = srv_sink(fd);
  else if (!strcmp(m, "lines") && argc >= 4) res = run_lines(fd, argv + 2);
  else if (!strcmp(m, "echo") && argc >= 3) res = run_echo(fd, argv + 2);
  else if (!strcmp(m, "udpecho")) res = run_udpecho(fd, argv + 2);
  else if (!strcmp(m, "many") && argc >= 4) res = run_many(fd, argv + 2);
  else if (!strcmp(m, "http") && argc >= 4) res = srv_http(fd, atoi(argv[2]), strtoull(argv[3], 0, 10));
  else {
    fprintf(stderr, "peer: unknown mode %s\n", m);
    return 2;
  }
  printf("RESULT %s\n", res);
  return 0;
}
