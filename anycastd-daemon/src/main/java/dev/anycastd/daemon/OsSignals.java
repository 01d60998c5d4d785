package dev.anycastd.daemon;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends {@code anycastd run} on SIGTERM and SIGINT (naming the signal) and on an exception no
 * thread caught.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the only way to learn which
 * signal arrived; it is reached by reflection because javac's warning about it cannot be
 * suppressed and the build treats warnings as errors. Where it is missing, the JVM's own
 * handling stays and the daemon's shutdown hook withdraws the prefixes.
 */
final class OsSignals {

    private static final Logger log = LoggerFactory.getLogger(OsSignals.class);

    private OsSignals() {
    }

    /** Installs the handlers; they complete {@code termination}. */
    static void install(Termination termination) {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> termination.fail(error));
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : new String[] {"TERM", "INT"}) {
                Object signal = signalType.getConstructor(String.class).newInstance(name);
                handle.invoke(null, signal, Proxy.newProxyInstance(handlerType.getClassLoader(),
                        new Class<?>[] {handlerType}, handler(termination, "SIG" + name)));
            }
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            // Without sun.misc.Signal the JVM still exits on these signals and runs the shutdown hook.
            log.atDebug().log("Signals are handled by the JVM's shutdown hooks: {}", e.toString());
        }
    }

    /**
     * Runs {@code action} on each {@code signal} (e.g. {@code SIGURG}), on the JVM's signal
     * thread; where {@code sun.misc.Signal} is missing, the signal keeps the JVM's own meaning.
     */
    static void onSignal(String signal, Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object os = signalType.getConstructor(String.class).newInstance(signal.replaceFirst("^SIG", ""));
            handle.invoke(null, os, Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    handler(action, signal)));
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            log.atWarn().addKeyValue("signal", signal).log("{} cannot be handled here: {}", signal, e.toString());
        }
    }

    private static InvocationHandler handler(Termination termination, String name) {
        return handler(() -> termination.signal(name), name);
    }

    private static InvocationHandler handler(Runnable action, String name) {
        return (proxy, method, args) -> {
            switch (method.getName()) {
                case "handle":
                    action.run();
                    return null;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    return "handler of " + name;
            }
        };
    }
}
