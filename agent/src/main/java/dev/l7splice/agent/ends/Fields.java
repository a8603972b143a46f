package dev.l7splice.agent.ends;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field and method access on a server's own objects, looked up by name on the object's class at run
 * time (the agent never names or loads the server's classes), cached per class. The classes must be
 * in a package open to the agent: any unnamed module's are. Thread-safe.
 */
public final class Fields {

    private static final ClassValue<Map<String, VarHandle>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, VarHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    /**
     * {@link #get}'s getters, typed {@code (Object)Object} so that {@code invokeExact} needs no
     * conversion per call: a read through a VarHandle whose receiver type is the server's class goes
     * through an {@code asType} adaptation on every call, 2-3x the cost, and {@code get} runs several
     * times for every {@code transferTo} into a server's stream, taken or not.
     */
    private static final ClassValue<Map<String, MethodHandle>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Fields() {
    }

    /** The handle of field {@code name} of {@code type}, declared there or in its nearest superclass that has it. */
    public static VarHandle of(Class<?> type, String name) throws ReflectiveOperationException {
        Map<String, VarHandle> known = FIELDS.get(type);
        VarHandle h = known.get(name);
        if (h == null) {
            Field f = field(type, name);
            h = MethodHandles.privateLookupIn(f.getDeclaringClass(), MethodHandles.lookup()).unreflectVarHandle(f);
            known.put(name, h);
        }
        return h;
    }

    /** The value of field {@code name} of {@code owner} (found as {@link #of} finds it), a primitive boxed. */
    public static Object get(Object owner, String name) throws ReflectiveOperationException {
        MethodHandle getter = getter(owner.getClass(), name);
        try {
            return (Object) getter.invokeExact(owner);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) { // a field getter throws nothing checked
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle getter(Class<?> type, String name) throws ReflectiveOperationException {
        Map<String, MethodHandle> known = GETTERS.get(type);
        MethodHandle g = known.get(name);
        if (g == null) {
            Field f = field(type, name);
            g = MethodHandles.privateLookupIn(f.getDeclaringClass(), MethodHandles.lookup()).unreflectGetter(f).asType(GETTER);
            known.put(name, g);
        }
        return g;
    }

    public static void set(Object owner, String name, Object value) throws ReflectiveOperationException {
        of(owner.getClass(), name).set(owner, value);
    }

    /** A public method of the object's class (inherited ones included), found by name and parameter count. */
    public static Method method(Class<?> type, String name, int params) throws NoSuchMethodException {
        Map<String, Method> known = METHODS.get(type);
        String key = name + "/" + params;
        Method m = known.get(key);
        if (m == null) {
            for (Method candidate : type.getMethods()) {
                if (candidate.getName().equals(name) && candidate.getParameterCount() == params) {
                    known.put(key, candidate);
                    return candidate;
                }
            }
            throw new NoSuchMethodException(type.getName() + "." + name);
        }
        return m;
    }

    /** Field {@code name} declared by {@code type} or its nearest superclass that has one. */
    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Field f = declared(c, name);
            if (f != null) {
                return f;
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Field declared(Class<?> c, String name) {
        try {
            return c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
