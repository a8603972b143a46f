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
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

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

/*
 * Resets a TCP connection now, whoever else holds the fd: connect(2) with AF_UNSPEC disconnects
 * the socket, and the kernel sends an RST from any established or closing state. The peer sees
 * "connection reset" instead of a clean end of stream, so a cut body is never taken for a whole one.
 */
JNIEXPORT jint JNICALL FN(reset0)(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNSPEC;
    return connect(fd, &sa, sizeof(sa)) < 0 ? -errno : 0;
}

/* ---- write(2) of a Java byte range (the relay writes a hand-off's prefix with it) ---- */

JNIEXPORT jint JNICALL FN(write0)(JNIEnv *env, jclass cls, jint fd, jbyteArray buf, jint off, jint len) {
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
JNIEXPORT jint JNICALL FN(read0)(JNIEnv *env, jclass cls, jint fd, jbyteArray buf, jint off, jint len) {
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

/* ---- Unix domain sockets with SCM_RIGHTS, for the sidecar hand-off ---- */

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

JNIEXPORT jint JNICALL FN(unixConnect0)(JNIEnv *env, jclass cls, jstring path) {
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
JNIEXPORT jint JNICALL FN(unixListen0)(JNIEnv *env, jclass cls, jstring path, jint mode) {
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

/* accept4 with SOCK_NONBLOCK: the relay's clients are non-blocking from the start (no fcntl). */
JNIEXPORT jint JNICALL FN(acceptNonBlocking0)(JNIEnv *env, jclass cls, jint fd) {
    int r;
    do {
        r = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

JNIEXPORT jint JNICALL FN(accept0)(JNIEnv *env, jclass cls, jint fd) {
    int r;
    do {
        r = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

/* The peer's uid (SO_PEERCRED), or -errno. */
JNIEXPORT jlong JNICALL FN(peerUid0)(JNIEnv *env, jclass cls, jint fd) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        return -errno;
    }
    return (jlong) cred.uid;
}

JNIEXPORT jlong JNICALL FN(uid0)(JNIEnv *env, jclass cls) {
    return (jlong) getuid();
}

/* Sends all of buf[0..len) in one message carrying nfds fds (SCM_RIGHTS) with its first byte. */
JNIEXPORT jint JNICALL FN(sendWithFds0)(JNIEnv *env, jclass cls, jint sock, jbyteArray buf, jint len, jintArray fds) {
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
JNIEXPORT jint JNICALL FN(recvWithFds0)(JNIEnv *env, jclass cls, jint sock, jbyteArray buf, jint off, jint len, jintArray fdsOut) {
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

static jstring format_address(JNIEnv *env, struct sockaddr_storage ss);

/* "address:port" of a TCP socket's peer, or null. */
JNIEXPORT jstring JNICALL FN(peerAddress0)(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *) &ss, &len) < 0) {
        return NULL;
    }
    return format_address(env, ss);
}

/* "address:port" of a TCP socket's own end, or null. */
JNIEXPORT jstring JNICALL FN(localAddress0)(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0) {
        return NULL;
    }
    return format_address(env, ss);
}

static jstring format_address(JNIEnv *env, struct sockaddr_storage ss) {
    char host[INET6_ADDRSTRLEN];
    char out[INET6_ADDRSTRLEN + 16];
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *) &ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        snprintf(out, sizeof out, "%s:%d", host, ntohs(a->sin_port));
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        snprintf(out, sizeof out, "[%s]:%d", host, ntohs(a->sin6_port));
    } else {
        return NULL;
    }
    return (*env)->NewStringUTF(env, out);
}

/* ---- TCP, for the relay's standalone balancer ---- */

static int resolve(JNIEnv *env, jstring host, jint port, struct sockaddr_storage *ss, socklen_t *len) {
    const char *h = (*env)->GetStringUTFChars(env, host, NULL);
    if (h == NULL) {
        return -ENOMEM;
    }
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *) ss;
    int r = 0;
    if (inet_pton(AF_INET, h, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t) port);
        *len = sizeof *a4;
    } else if (inet_pton(AF_INET6, h, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t) port);
        *len = sizeof *a6;
    } else {
        r = -EINVAL; /* numeric addresses only: names are resolved in Java */
    }
    (*env)->ReleaseStringUTFChars(env, host, h);
    return r;
}

JNIEXPORT jint JNICALL FN(tcpListen0)(JNIEnv *env, jclass cls, jstring host, jint port) {
    struct sockaddr_storage ss;
    socklen_t len;
    int r = resolve(env, host, port, &ss, &len);
    if (r < 0) {
        return r;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *) &ss, len) < 0 || listen(fd, 1024) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

JNIEXPORT jint JNICALL FN(localPort0)(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0) {
        return -errno;
    }
    return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *) &ss)->sin6_port)
                                    : ntohs(((struct sockaddr_in *) &ss)->sin_port);
}

/* socket(2) + a non-blocking connect(2): the fd (connecting or connected) or -errno. */
static int connect_start(JNIEnv *env, jstring host, jint port) {
    struct sockaddr_storage ss;
    socklen_t len;
    int r = resolve(env, host, port, &ss, &len);
    if (r < 0) {
        return r;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return -errno;
    }
    if (connect(fd, (struct sockaddr *) &ss, len) < 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* A connected, non-blocking TCP socket, or -errno (ETIMEDOUT after timeoutMillis). */
JNIEXPORT jint JNICALL FN(tcpConnect0)(JNIEnv *env, jclass cls, jstring host, jint port, jint timeoutMillis) {
    int fd = connect_start(env, host, port);
    if (fd < 0) {
        return fd;
    }
    struct pollfd p = { fd, POLLOUT, 0 };
    int n;
    do {
        n = poll(&p, 1, timeoutMillis);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        int e = n == 0 ? ETIMEDOUT : errno;
        close(fd);
        return -e;
    }
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) {
        close(fd);
        return -err;
    }
    return fd;
}

/*
 * A non-blocking TCP connect that does not wait: the fd (connecting or connected; wait for
 * POLLOUT, then read socketError0) or -errno when it failed at once.
 */
JNIEXPORT jint JNICALL FN(tcpConnectStart0)(JNIEnv *env, jclass cls, jstring host, jint port) {
    return connect_start(env, host, port);
}

/* SO_ERROR of a socket: 0, or the errno of its failed connect. */
JNIEXPORT jint JNICALL FN(socketError0)(JNIEnv *env, jclass cls, jint fd) {
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0) {
        return errno;
    }
    return err;
}

/*
 * sendfile(2) from a file to a socket, from the file's own offset (NULL offset: the kernel reads
 * at the file position and advances it, exactly as read(2) would).
 */
#include <sys/sendfile.h>

JNIEXPORT jlong JNICALL FN(sendfile0)(JNIEnv *env, jclass cls, jint outFd, jint inFd, jlong len) {
    ssize_t r;
    do {
        r = sendfile(outFd, inFd, NULL, (size_t) len);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (jlong) r;
}

/* The size of a regular file, or -EINVAL for anything else (pipe, device, socket), or -errno. */
JNIEXPORT jlong JNICALL FN(regularFileSize0)(JNIEnv *env, jclass cls, jint fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    return S_ISREG(st.st_mode) ? (jlong) st.st_size : -EINVAL;
}
