/*
 * TCP for the balancer and the relay: listen and connect on numeric addresses (names are resolved
 * in Java), a connect that is not waited for and its SO_ERROR, the reset of a connection, and the
 * "address:port" of either end for logs and PROXY headers.
 * Contract (as in every file of the library): >= 0 or -errno, no state. Two exceptions, on
 * purpose: socketError0 returns the errno as a positive number (it is a value, not a failure of
 * the call), and the address functions return a Java string or null.
 */
#define _GNU_SOURCE
#include "l7native.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* "address:port" ("[v6]:port") as a Java string, or null for a family other than IPv4 and IPv6. */
static jstring format_address(JNIEnv *env, const struct sockaddr_storage *ss) {
    char host[INET6_ADDRSTRLEN];
    char out[INET6_ADDRSTRLEN + 16];
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *) ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        snprintf(out, sizeof out, "%s:%d", host, ntohs(a->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *) ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        snprintf(out, sizeof out, "[%s]:%d", host, ntohs(a->sin6_port));
    } else {
        return NULL;
    }
    return (*env)->NewStringUTF(env, out);
}

/* "address:port" of a TCP socket's peer, or null. */
static jstring peerAddress0(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *) &ss, &len) < 0) {
        return NULL;
    }
    return format_address(env, &ss);
}

/* "address:port" of a TCP socket's own end, or null. */
static jstring localAddress0(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0) {
        return NULL;
    }
    return format_address(env, &ss);
}

/* A numeric IPv4 or IPv6 address and a port as a sockaddr: 0, -ENOMEM or -EINVAL. */
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

static jint tcpListen0(JNIEnv *env, jclass cls, jstring host, jint port) {
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

static jint localPort0(JNIEnv *env, jclass cls, jint fd) {
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
static jint tcpConnect0(JNIEnv *env, jclass cls, jstring host, jint port, jint timeoutMillis) {
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
static jint tcpConnectStart0(JNIEnv *env, jclass cls, jstring host, jint port) {
    return connect_start(env, host, port);
}

/* SO_ERROR of a socket: 0, or the errno of its failed connect (positive, see the top). */
static jint socketError0(JNIEnv *env, jclass cls, jint fd) {
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0) {
        return errno;
    }
    return err;
}

/*
 * Resets a TCP connection now, whoever else holds the fd: connect(2) with AF_UNSPEC disconnects
 * the socket, and the kernel sends an RST from any established or closing state. The peer sees
 * "connection reset" instead of a clean end of stream, so a cut body is never taken for a whole one.
 */
static jint reset0(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNSPEC;
    return connect(fd, &sa, sizeof(sa)) < 0 ? -errno : 0;
}

static const JNINativeMethod methods[] = {
    { "peerAddress0", "(I)Ljava/lang/String;", (void *) peerAddress0 },
    { "localAddress0", "(I)Ljava/lang/String;", (void *) localAddress0 },
    { "tcpListen0", "(Ljava/lang/String;I)I", (void *) tcpListen0 },
    { "localPort0", "(I)I", (void *) localPort0 },
    { "tcpConnect0", "(Ljava/lang/String;II)I", (void *) tcpConnect0 },
    { "tcpConnectStart0", "(Ljava/lang/String;I)I", (void *) tcpConnectStart0 },
    { "socketError0", "(I)I", (void *) socketError0 },
    { "reset0", "(I)I", (void *) reset0 },
};

const struct l7_natives l7_tcp_natives = L7_NATIVES(methods);
