package dev.l7splice.agent.instrument;

/**
 * One method to put a prologue in: on entry it loads some of the method's values, calls a static
 * entry in the bootstrap package ({@code dev/l7splice/agent/bootstrap}) and, by {@link Outcome},
 * returns early or goes on with the method's own code. Immutable, so shared freely between threads.
 *
 * @param method     the method's name
 * @param descriptor its exact descriptor, or null for every public method of that name
 * @param loads      what to pass, in order: {@code "this"}, a parameter's index ({@code "0"} is the
 *                   first parameter, also in static methods) or {@code "this.<field>"} (a field
 *                   declared by the class itself, of the entry's parameter type at that position)
 * @param entry      the entry's class, simple name within the bootstrap package
 * @param call       the entry's name
 * @param callDesc   the entry's descriptor
 * @param outcome    what the entry's answer means
 */
public record MethodHook(String method, String descriptor, String[] loads, String entry, String call, String callDesc,
                  Outcome outcome) {

    static final String BOOTSTRAP = "dev/l7splice/agent/bootstrap/";

    /** What the prologue does with the entry's answer. */
    public enum Outcome {
        /** A void entry: then the method's own code. */
        CONTINUE,
        /** The answer replaces the parameter that was loaded first (one parameter loaded). */
        REPLACE_ARGUMENT,
        /** A boolean: true returns at once (void, or true from a boolean method); false runs the method. */
        RETURN_IF_TRUE,
        /** A long, 0 or count + 1: non-zero returns the count (a long, or an int cast as the library casts). */
        RETURN_COUNT
    }

    /** A hook on one exact method that calls {@code L7Dispatch}. */
    public static MethodHook dispatch(String method, String descriptor, String call, String callDesc, Outcome outcome,
                               String... loads) {
        return new MethodHook(method, descriptor, loads, "L7Dispatch", call, callDesc, outcome);
    }

    /** A hook on one exact method that calls {@code LibraryEntries}. */
    public static MethodHook library(String method, String descriptor, String call, String callDesc, Outcome outcome,
                              String... loads) {
        return new MethodHook(method, descriptor, loads, "LibraryEntries", call, callDesc, outcome);
    }

    boolean matches(int access, String name, String desc) {
        if (!method.equals(name)) {
            return false;
        }
        return descriptor == null ? (access & 0x0001) != 0 : descriptor.equals(desc); // 0x0001: ACC_PUBLIC
    }
}
