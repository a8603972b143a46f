/*
 * The library's one exported symbol. When LinuxIo calls System.load, the JVM runs JNI_OnLoad,
 * which binds every native of LinuxIo to its function with RegisterNatives, one table per file.
 * Why at load and not by Java_... names: the functions stay static (nothing else in the process
 * can call or interpose them), and a native with no function, or the wrong signature, fails the
 * load itself (LinuxIo reports the library as unavailable) instead of failing at its first call.
 * FindClass here uses the loader of the class that called System.load, i.e. LinuxIo's own (the
 * agent's loader, on Java 24+ the loader of the dev.l7splice.nativeio module, or in the sidecar
 * the application loader).
 */
#include "l7native.h"

#include <stddef.h>

#define LINUX_IO "dev/l7splice/kernel/nativeio/LinuxIo"

static const struct l7_natives *const parts[] = {
    &l7_fd_natives,
    &l7_transfer_natives,
    &l7_event_natives,
    &l7_socket_natives,
    &l7_unix_natives,
    &l7_tcp_natives,
};

/* The JNI version, or JNI_ERR with the JVM's exception pending (the load then throws it). */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass cls = (*env)->FindClass(env, LINUX_IO);
    if (cls == NULL) {
        return JNI_ERR;
    }
    jint r = JNI_VERSION_1_8;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0] && r != JNI_ERR; i++) {
        if ((*env)->RegisterNatives(env, cls, parts[i]->methods, parts[i]->count) != JNI_OK) {
            r = JNI_ERR;
        }
    }
    (*env)->DeleteLocalRef(env, cls);
    return r;
}
