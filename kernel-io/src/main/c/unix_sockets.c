/*
 * Unix domain sockets for the sidecar hand-off: connect and listen on a path (the socket file is
 * never wider than its mode), the peer's and our own uid (SO_PEERCRED: the sidecar accepts only
 * agents of its own user), and messages that carry fds (SCM_RIGHTS).
 * Contract (as in every file of the library): >= 0 or -errno, no state.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

/* The Java path as a sockaddr_un: 0, -ENOMEM, or -ENAMETOOLONG when it does not fit sun_path. */
static int fill_addr(JNIEnv *env, jstring path, struct sockaddr_un *addr) {
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (p == NULL) {
        return -ENOMEM;
    }
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    int too_long = strlen(p) >= sizeof addr->sun_path;
    if (!too_long) {
        strcpy(addr->sun_path, p);
    }
    (*env)->ReleaseStringUTFChars(env, path, p);
    return too_long ? -ENAMETOOLONG : 0;
}

static jint unixConnect0(JNIEnv *env, jclass cls, jstring path) {
    struct sockaddr_un addr;
    int r = fill_addr(env, path, &addr);
    if (r < 0) {
        return r;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* Binds with the given file mode (the socket file is created under a 0177 umask, then chmod). */
static jint unixListen0(JNIEnv *env, jclass cls, jstring path, jint mode) {
    struct sockaddr_un addr;
    int r = fill_addr(env, path, &addr);
    if (r < 0) {
        return r;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    mode_t old = umask(0177);
    r = bind(fd, (struct sockaddr *) &addr, sizeof addr);
    umask(old);
    if (r < 0 || chmod(addr.sun_path, (mode_t) mode) < 0 || listen(fd, 128) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* The peer's uid (SO_PEERCRED), or -errno. */
static jlong peerUid0(JNIEnv *env, jclass cls, jint fd) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        return -errno;
    }
    return (jlong) cred.uid;
}

static jlong uid0(JNIEnv *env, jclass cls) {
    return (jlong) getuid();
}

/*
 * Sends buf[0..len) carrying nfds fds (SCM_RIGHTS) with its first byte: all of it on a blocking
 * socket; on a non-blocking one possibly less (the count sent), or -EAGAIN when nothing went.
 */
static jint sendWithFds0(JNIEnv *env, jclass cls, jint sock, jbyteArray buf, jint len, jintArray fds) {
    jbyte data[65536];
    if (len > (jint) sizeof data) {
        return -EMSGSIZE;
    }
    (*env)->GetByteArrayRegion(env, buf, 0, len, data);
    int nfds = fds == NULL ? 0 : (*env)->GetArrayLength(env, fds);
    if (nfds > 8) {
        return -EINVAL;
    }
    jint fdv[8];
    if (nfds > 0) {
        (*env)->GetIntArrayRegion(env, fds, 0, nfds, fdv);
    }
    int sent = 0;
    while (sent < len) {
        struct iovec iov = { data + sent, (size_t) (len - sent) };
        char control[CMSG_SPACE(8 * sizeof(int))];
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (sent == 0 && nfds > 0) {
            memset(control, 0, sizeof control);
            msg.msg_control = control;
            msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
            struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
            for (int i = 0; i < nfds; i++) {
                ((int *) CMSG_DATA(c))[i] = fdv[i];
            }
        }
        ssize_t r = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && sent > 0) {
                return sent; /* a non-blocking socket took part: the caller sends the rest, without fds */
            }
            return -errno;
        }
        sent += (int) r;
    }
    return sent;
}

/*
 * Receives up to buf.length bytes; fds that arrive with them are stored in fdsOut (the rest set to
 * -1). Returns the byte count (0 at end of stream) or -errno. Extra fds beyond fdsOut are closed.
 */
static jint recvWithFds0(JNIEnv *env, jclass cls, jint sock, jbyteArray buf, jint off, jint len, jintArray fdsOut) {
    jbyte data[65536];
    if (len > (jint) sizeof data) {
        len = sizeof data;
    }
    char control[CMSG_SPACE(8 * sizeof(int))];
    struct iovec iov = { data, (size_t) len };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t r;
    do {
        r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        return -errno;
    }
    int cap = fdsOut == NULL ? 0 : (*env)->GetArrayLength(env, fdsOut);
    jint got[8];
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; i++) {
                int fd = ((int *) CMSG_DATA(c))[i];
                if (n < cap && n < 8) {
                    got[n++] = fd;
                } else {
                    close(fd);
                }
            }
        }
    }
    for (int i = n; i < cap && i < 8; i++) {
        got[i] = -1;
    }
    if (cap > 0) {
        (*env)->SetIntArrayRegion(env, fdsOut, 0, cap < 8 ? cap : 8, got);
    }
    if (r > 0) {
        (*env)->SetByteArrayRegion(env, buf, off, (jint) r, data);
    }
    return (jint) r;
}

static const JNINativeMethod methods[] = {
    { "unixConnect0", "(Ljava/lang/String;)I", (void *) unixConnect0 },
    { "unixListen0", "(Ljava/lang/String;I)I", (void *) unixListen0 },
    { "peerUid0", "(I)J", (void *) peerUid0 },
    { "uid0", "()J", (void *) uid0 },
    { "sendWithFds0", "(I[BI[I)I", (void *) sendWithFds0 },
    { "recvWithFds0", "(I[BII[I)I", (void *) recvWithFds0 },
};

const struct l7_natives l7_unix_natives = L7_NATIVES(methods);
