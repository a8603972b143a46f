/*
 * Calls that work on a socket of either family, so the Unix hand-off socket and the balancer's
 * TCP sockets share them: accept4(2) (blocking or non-blocking result) and shutdown(2).
 * Contract (as in every file of the library): >= 0 or -errno, no state.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <sys/socket.h>

/* accept4 with SOCK_NONBLOCK: the relay's clients are non-blocking from the start (no fcntl). */
static jint acceptNonBlocking0(JNIEnv *env, jclass cls, jint fd) {
    int r;
    do {
        r = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static jint accept0(JNIEnv *env, jclass cls, jint fd) {
    int r;
    do {
        r = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

/* shutdown(2): how = 0 read, 1 write, 2 both. */
static jint shutdown0(JNIEnv *env, jclass cls, jint fd, jint how) {
    return shutdown(fd, how) < 0 ? -errno : 0;
}

static const JNINativeMethod methods[] = {
    { "acceptNonBlocking0", "(I)I", (void *) acceptNonBlocking0 },
    { "accept0", "(I)I", (void *) accept0 },
    { "shutdown0", "(II)I", (void *) shutdown0 },
};

const struct l7_natives l7_socket_natives = L7_NATIVES(methods);
