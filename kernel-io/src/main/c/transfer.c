/*
 * The calls that move bytes in the kernel: splice(2) between a socket and a pipe, sendfile(2) from
 * a file to a socket. Both retry on EINTR, so a signal never looks like a failed transfer.
 * Contract (as in every file of the library): >= 0 or -errno, no state.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/sendfile.h>

static jlong splice0(JNIEnv *env, jclass cls, jint fdIn, jint fdOut, jlong len, jint flags) {
    ssize_t r;
    do {
        r = splice(fdIn, NULL, fdOut, NULL, (size_t) len, (unsigned int) flags);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (jlong) r;
}

/*
 * sendfile(2) from a file to a socket, from the file's own offset (NULL offset: the kernel reads
 * at the file position and advances it, exactly as read(2) would).
 */
static jlong sendfile0(JNIEnv *env, jclass cls, jint outFd, jint inFd, jlong len) {
    ssize_t r;
    do {
        r = sendfile(outFd, inFd, NULL, (size_t) len);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (jlong) r;
}

static const JNINativeMethod methods[] = {
    { "splice0", "(IIJI)J", (void *) splice0 },
    { "sendfile0", "(IIJ)J", (void *) sendfile0 },
};

const struct l7_natives l7_transfer_natives = L7_NATIVES(methods);
