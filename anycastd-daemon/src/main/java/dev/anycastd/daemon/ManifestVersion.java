package dev.anycastd.daemon;

import picocli.CommandLine.IVersionProvider;

/** {@code anycastd VERSION}, the version written in the daemon jar's manifest by the build. */
final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"anycastd " + version()};
    }

    /** The version, or {@code (development build)} for classes run from a build directory (tests, an IDE), which have no manifest. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
