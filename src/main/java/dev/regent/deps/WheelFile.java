package dev.regent.deps;

import java.util.Optional;

/** A wheel named as PEP 427 says: {@code name-version(-build)?-python-abi-platform.whl}. */
public record WheelFile(String fileName, String name, String version) {

    public static Optional<WheelFile> parse(String fileName) {
        if (!fileName.endsWith(".whl")) {
            return Optional.empty();
        }
        String[] parts = fileName.substring(0, fileName.length() - 4).split("-");
        if (parts.length != 5 && parts.length != 6) {
            return Optional.empty();
        }
        return Optional.of(new WheelFile(fileName, parts[0], parts[1]));
    }

    public String normalizedName() {
        return PackageNames.normalize(name);
    }

    public boolean is(String project, String pinnedVersion) {
        return normalizedName().equals(PackageNames.normalize(project)) && PackageNames.sameVersion(version, pinnedVersion);
    }
}
