/*
 * What the files of libl7native.so share. Each file holds one concern and ends with the table of
 * the natives it provides to dev.l7splice.kernel.nativeio.LinuxIo; registry.c registers every
 * table from JNI_OnLoad, so no function is exported under a Java_... name and the library's only
 * dynamic symbol is JNI_OnLoad.
 *
 * The contract every file keeps: a native returns a value >= 0 on success and -errno on failure
 * (the few exceptions say so where they are), so the Java side never reads errno through another
 * JNI call; no native keeps state, so all are safe to call from any thread.
 */
#ifndef L7NATIVE_H
#define L7NATIVE_H

#include <jni.h>

/* Visible to the other files of the library, never to the dynamic linker. */
#define L7_INTERNAL __attribute__((visibility("hidden")))

/* One file's share of LinuxIo's natives. */
struct l7_natives {
    const JNINativeMethod *methods;
    jint count;
};

#define L7_NATIVES(table) { (table), (jint) (sizeof (table) / sizeof (table)[0]) }

extern L7_INTERNAL const struct l7_natives l7_fd_natives;       /* fds.c */
extern L7_INTERNAL const struct l7_natives l7_transfer_natives; /* transfer.c */
extern L7_INTERNAL const struct l7_natives l7_event_natives;    /* events.c */
extern L7_INTERNAL const struct l7_natives l7_socket_natives;   /* sockets.c */
extern L7_INTERNAL const struct l7_natives l7_unix_natives;     /* unix_sockets.c */
extern L7_INTERNAL const struct l7_natives l7_tcp_natives;      /* tcp.c */

#endif
