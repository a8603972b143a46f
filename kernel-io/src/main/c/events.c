/*
 * Readiness: poll(2) on one fd (the inline splice loop), epoll (the relay's event loop) and an
 * eventfd (to wake that loop from another thread). A signal is reported as a timeout (0), never
 * as an error: callers re-check their state and wait again.
 * Contract (as in every file of the library): >= 0 or -errno, no state.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* Returns the revents bits, 0 on timeout or interruption, or -errno. */
static jint poll0(JNIEnv *env, jclass cls, jint fd, jint events, jint timeoutMillis) {
    struct pollfd p;
    p.fd = fd;
    p.events = (short) events;
    p.revents = 0;
    int r = poll(&p, 1, timeoutMillis);
    if (r < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    return r == 0 ? 0 : p.revents;
}

static jint epollCreate0(JNIEnv *env, jclass cls) {
    int r = epoll_create1(EPOLL_CLOEXEC);
    return r < 0 ? -errno : r;
}

/* op: 1 add, 2 del, 3 mod (EPOLL_CTL_*). The event's data is the fd itself. */
static jint epollCtl0(JNIEnv *env, jclass cls, jint ep, jint op, jint fd, jint events) {
    struct epoll_event ev;
    ev.events = (uint32_t) events;
    ev.data.u64 = 0;
    ev.data.fd = fd;
    return epoll_ctl(ep, op, fd, &ev) < 0 ? -errno : 0;
}

/* Fills out[2i] = fd, out[2i+1] = events; returns the count, 0 on timeout or signal, or -errno. */
static jint epollWait0(JNIEnv *env, jclass cls, jint ep, jintArray out, jint timeoutMillis) {
    struct epoll_event evs[256];
    jint cap = (*env)->GetArrayLength(env, out) / 2;
    if (cap > 256) {
        cap = 256;
    }
    int n = epoll_wait(ep, evs, cap, timeoutMillis);
    if (n < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    jint tmp[512];
    for (int i = 0; i < n; i++) {
        tmp[2 * i] = evs[i].data.fd;
        tmp[2 * i + 1] = (jint) evs[i].events;
    }
    (*env)->SetIntArrayRegion(env, out, 0, 2 * n, tmp);
    return n;
}

static jint eventfd0(JNIEnv *env, jclass cls) {
    int r = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return r < 0 ? -errno : r;
}

static jint eventfdSignal0(JNIEnv *env, jclass cls, jint fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof one) < 0 ? -errno : 0;
}

static jint eventfdClear0(JNIEnv *env, jclass cls, jint fd) {
    uint64_t v;
    return read(fd, &v, sizeof v) < 0 ? -errno : 0;
}

static const JNINativeMethod methods[] = {
    { "poll0", "(III)I", (void *) poll0 },
    { "epollCreate0", "()I", (void *) epollCreate0 },
    { "epollCtl0", "(IIII)I", (void *) epollCtl0 },
    { "epollWait0", "(I[II)I", (void *) epollWait0 },
    { "eventfd0", "()I", (void *) eventfd0 },
    { "eventfdSignal0", "(I)I", (void *) eventfdSignal0 },
    { "eventfdClear0", "(I)I", (void *) eventfdClear0 },
};

const struct l7_natives l7_event_natives = L7_NATIVES(methods);
