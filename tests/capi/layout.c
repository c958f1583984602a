/* Prints the layout facts of the C core's t_io, t_timeout and t_buffer, its
 * I/O codes and wait flags, as upstream's own headers define them (compiled
 * with -I .cache/upstream/luasocket-3.1.0/src by tests/capi_layout.rs, which
 * compares every line with the Rust #[repr(C)] definitions). */
#include <stdio.h>
#include <stddef.h>
#include "buffer.h"
#include "socket.h"
#include <poll.h>

#define P(name, value) printf("%s %ld\n", name, (long) (value))

int main(void) {
    P("sizeof t_io", sizeof(t_io));
    P("offsetof t_io.ctx", offsetof(t_io, ctx));
    P("offsetof t_io.send", offsetof(t_io, send));
    P("offsetof t_io.recv", offsetof(t_io, recv));
    P("offsetof t_io.error", offsetof(t_io, error));
    P("sizeof t_timeout", sizeof(t_timeout));
    P("offsetof t_timeout.block", offsetof(t_timeout, block));
    P("offsetof t_timeout.total", offsetof(t_timeout, total));
    P("offsetof t_timeout.start", offsetof(t_timeout, start));
    P("sizeof t_buffer", sizeof(t_buffer));
    P("alignof t_buffer", _Alignof(t_buffer));
    P("offsetof t_buffer.birthday", offsetof(t_buffer, birthday));
    P("offsetof t_buffer.sent", offsetof(t_buffer, sent));
    P("offsetof t_buffer.received", offsetof(t_buffer, received));
    P("offsetof t_buffer.io", offsetof(t_buffer, io));
    P("offsetof t_buffer.tm", offsetof(t_buffer, tm));
    P("offsetof t_buffer.first", offsetof(t_buffer, first));
    P("offsetof t_buffer.last", offsetof(t_buffer, last));
    P("offsetof t_buffer.data", offsetof(t_buffer, data));
    P("BUF_SIZE", BUF_SIZE);
    P("sizeof t_socket", sizeof(t_socket));
    P("SOCKET_INVALID", SOCKET_INVALID);
    P("IO_DONE", IO_DONE);
    P("IO_TIMEOUT", IO_TIMEOUT);
    P("IO_CLOSED", IO_CLOSED);
    P("IO_UNKNOWN", IO_UNKNOWN);
    /* usocket.c (not a header) defines the wait flags as poll events */
    P("WAITFD_R", POLLIN);
    P("WAITFD_W", POLLOUT);
    P("WAITFD_C", POLLIN | POLLOUT);
    return 0;
}
