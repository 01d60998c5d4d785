package dev.anycastd.daemon;

import picocli.CommandLine.IVersionProvider;

/** {@code anycastd VERSION}, the version written in the daemon jar's manifest by the build. */
final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        // Classes run from a build directory (tests, an IDE) have no manifest.
        return new String[] {"anycastd " + (version == null ? "(development build)" : version)};
    }
}
