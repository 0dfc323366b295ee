package dev.hearth.cli.probe;

import java.lang.invoke.MethodHandles;

/**
 * A Java agent that {@code LauncherTest} puts into the JVM that {@code bin/hearth} starts. Before the CLI's main runs,
 * it reports for each class named in its argument (comma separated) the module the class is in, and whether code
 * outside that module (this agent, on the class path) may use the class ({@code public}: a public lookup may access
 * it) and reach into its package reflectively ({@code private}: a private lookup may be had in it). One line per
 * class: {@code probe: CLASS in MODULE public=yes|no private=yes|no}, MODULE {@code unnamed} for the class path. The
 * agent's package is its own, so that it cannot be split with the CLI's module.
 */
public final class ModuleProbe {
    private ModuleProbe() {
    }

    public static void premain(String classes) {
        for (String name : classes.split(",")) {
            try {
                Class<?> c = Class.forName(name, false, ClassLoader.getSystemClassLoader());
                String module = c.getModule().isNamed() ? c.getModule().getName() : "unnamed";
                System.out.println("probe: " + name + " in " + module + " public=" + yesNo(publicAccess(c))
                        + " private=" + yesNo(privateAccess(c)));
            } catch (ClassNotFoundException e) {
                System.out.println("probe: " + name + " not found");
            }
        }
    }

    private static boolean publicAccess(Class<?> c) {
        try {
            MethodHandles.publicLookup().accessClass(c);
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    private static boolean privateAccess(Class<?> c) {
        try {
            MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
