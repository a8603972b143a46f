/*
 * The few Linux system calls the agent needs and the JDK does not expose: splice(2), pipes with
 * F_SETPIPE_SZ, poll(2) on one fd, dup(2). Every function returns a value >= 0 on success and
 * -errno on failure, so the Java side never has to read errno through another JNI call.
 * No function keeps state; all are safe to call from any thread.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define FN(name) Java_dev_l7splice_agent_core_nativeio_LinuxIo_##name

JNIEXPORT jint JNICALL FN(dup0)(JNIEnv *env, jclass cls, jint fd) {
    int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return r < 0 ? -errno : r;
}

JNIEXPORT jint JNICALL FN(close0)(JNIEnv *env, jclass cls, jint fd) {
    return close(fd) < 0 ? -errno : 0;
}

/* Returns (readFd << 32) | writeFd, or -errno. */
JNIEXPORT jlong JNICALL FN(pipe0)(JNIEnv *env, jclass cls) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return -errno;
    }
    return ((jlong) fds[0] << 32) | (jlong) (unsigned int) fds[1];
}

JNIEXPORT jint JNICALL FN(setPipeSize0)(JNIEnv *env, jclass cls, jint fd, jint size) {
    int r = fcntl(fd, F_SETPIPE_SZ, size);
    return r < 0 ? -errno : r;
}

JNIEXPORT jint JNICALL FN(pipeSize0)(JNIEnv *env, jclass cls, jint fd) {
    int r = fcntl(fd, F_GETPIPE_SZ);
    return r < 0 ? -errno : r;
}

/* Bytes waiting in a pipe (or socket): FIONREAD. */
JNIEXPORT jint JNICALL FN(readable0)(JNIEnv *env, jclass cls, jint fd) {
    int n = 0;
    return ioctl(fd, FIONREAD, &n) < 0 ? -errno : n;
}

JNIEXPORT jint JNICALL FN(isNonBlocking0)(JNIEnv *env, jclass cls, jint fd) {
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -errno : ((fl & O_NONBLOCK) ? 1 : 0);
}

/* Sets O_NONBLOCK on the open file description (shared by every dup of the fd). */
JNIEXPORT jint JNICALL FN(setNonBlocking0)(JNIEnv *env, jclass cls, jint fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || ((fl & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)) {
        return -errno;
    }
    return 0;
}

JNIEXPORT jlong JNICALL FN(splice0)(JNIEnv *env, jclass cls, jint fdIn, jint fdOut, jlong len, jint flags) {
    ssize_t r;
    do {
        r = splice(fdIn, NULL, fdOut, NULL, (size_t) len, (unsigned int) flags);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (jlong) r;
}

/* Returns the revents bits, 0 on timeout or interruption, or -errno. */
JNIEXPORT jint JNICALL FN(poll0)(JNIEnv *env, jclass cls, jint fd, jint events, jint timeoutMillis) {
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

/* ---- epoll, for the relay's event loop ---- */

JNIEXPORT jint JNICALL FN(epollCreate0)(JNIEnv *env, jclass cls) {
    int r = epoll_create1(EPOLL_CLOEXEC);
    return r < 0 ? -errno : r;
}

/* op: 1 add, 2 del, 3 mod (EPOLL_CTL_*). The event's data is the fd itself. */
JNIEXPORT jint JNICALL FN(epollCtl0)(JNIEnv *env, jclass cls, jint ep, jint op, jint fd, jint events) {
    struct epoll_event ev;
    ev.events = (uint32_t) events;
    ev.data.u64 = 0;
    ev.data.fd = fd;
    return epoll_ctl(ep, op, fd, &ev) < 0 ? -errno : 0;
}

/* Fills out[2i] = fd, out[2i+1] = events; returns the count, 0 on timeout or signal, or -errno. */
JNIEXPORT jint JNICALL FN(epollWait0)(JNIEnv *env, jclass cls, jint ep, jintArray out, jint timeoutMillis) {
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

JNIEXPORT jint JNICALL FN(eventfd0)(JNIEnv *env, jclass cls) {
    int r = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return r < 0 ? -errno : r;
}

JNIEXPORT jint JNICALL FN(eventfdSignal0)(JNIEnv *env, jclass cls, jint fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof one) < 0 ? -errno : 0;
}

JNIEXPORT jint JNICALL FN(eventfdClear0)(JNIEnv *env, jclass cls, jint fd) {
    uint64_t v;
    return read(fd, &v, sizeof v) < 0 ? -errno : 0;
}

/* shutdown(2): how = 0 read, 1 write, 2 both. */
JNIEXPORT jint JNICALL FN(shutdown0)(JNIEnv *env, jclass cls, jint fd, jint how) {
    return shutdown(fd, how) < 0 ? -errno : 0;
}
