/*
 * File descriptors and pipes: dup(2), close(2), pipes sized with F_SETPIPE_SZ, FIONREAD,
 * O_NONBLOCK, read(2) and write(2) of a Java byte range, the size of a regular file.
 * Contract (as in every file of the library): >= 0 or -errno, no state.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

static jint dup0(JNIEnv *env, jclass cls, jint fd) {
    int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return r < 0 ? -errno : r;
}

static jint close0(JNIEnv *env, jclass cls, jint fd) {
    return close(fd) < 0 ? -errno : 0;
}

/* Returns (readFd << 32) | writeFd, or -errno. */
static jlong pipe0(JNIEnv *env, jclass cls) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return -errno;
    }
    return ((jlong) fds[0] << 32) | (jlong) (unsigned int) fds[1];
}

static jint setPipeSize0(JNIEnv *env, jclass cls, jint fd, jint size) {
    int r = fcntl(fd, F_SETPIPE_SZ, size);
    return r < 0 ? -errno : r;
}

static jint pipeSize0(JNIEnv *env, jclass cls, jint fd) {
    int r = fcntl(fd, F_GETPIPE_SZ);
    return r < 0 ? -errno : r;
}

/* Bytes waiting in a pipe (or socket): FIONREAD. */
static jint readable0(JNIEnv *env, jclass cls, jint fd) {
    int n = 0;
    return ioctl(fd, FIONREAD, &n) < 0 ? -errno : n;
}

/* Sets O_NONBLOCK on the open file description (shared by every dup of the fd). */
static jint setNonBlocking0(JNIEnv *env, jclass cls, jint fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || ((fl & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)) {
        return -errno;
    }
    return 0;
}

/* write(2) of a Java byte range, at most 16 KiB (the relay writes a hand-off's prefix with it). */
static jint write0(JNIEnv *env, jclass cls, jint fd, jbyteArray buf, jint off, jint len) {
    jbyte tmp[16384];
    if (len > (jint) sizeof tmp) {
        len = sizeof tmp;
    }
    (*env)->GetByteArrayRegion(env, buf, off, len, tmp);
    ssize_t r;
    do {
        r = write(fd, tmp, (size_t) len);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (jint) r;
}

/* read(2) into a Java byte range (at most 64 KiB): the count, 0 at end of stream, or -errno. */
static jint read0(JNIEnv *env, jclass cls, jint fd, jbyteArray buf, jint off, jint len) {
    jbyte tmp[65536];
    if (len > (jint) sizeof tmp) {
        len = sizeof tmp;
    }
    ssize_t r;
    do {
        r = read(fd, tmp, (size_t) len);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        return -errno;
    }
    if (r > 0) {
        (*env)->SetByteArrayRegion(env, buf, off, (jint) r, tmp);
    }
    return (jint) r;
}

/* The size of a regular file, or -EINVAL for anything else (pipe, device, socket), or -errno. */
static jlong regularFileSize0(JNIEnv *env, jclass cls, jint fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    return S_ISREG(st.st_mode) ? (jlong) st.st_size : -EINVAL;
}

static const JNINativeMethod methods[] = {
    { "dup0", "(I)I", (void *) dup0 },
    { "close0", "(I)I", (void *) close0 },
    { "pipe0", "()J", (void *) pipe0 },
    { "setPipeSize0", "(II)I", (void *) setPipeSize0 },
    { "pipeSize0", "(I)I", (void *) pipeSize0 },
    { "readable0", "(I)I", (void *) readable0 },
    { "setNonBlocking0", "(I)I", (void *) setNonBlocking0 },
    { "write0", "(I[BII)I", (void *) write0 },
    { "read0", "(I[BII)I", (void *) read0 },
    { "regularFileSize0", "(I)J", (void *) regularFileSize0 },
};

const struct l7_natives l7_fd_natives = L7_NATIVES(methods);
