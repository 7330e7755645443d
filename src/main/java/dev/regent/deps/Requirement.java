package dev.regent.deps;

import java.util.List;

/** One pinned line of requirements.txt: {@code name==version}, with the sha256 hashes it allows (none: any). */
public record Requirement(String name, String version, List<String> sha256, boolean hasMarker, int line) {

    public Requirement {
        sha256 = List.copyOf(sha256);
    }

    public String normalizedName() {
        return PackageNames.normalize(name);
    }

    public String pin() {
        return name + "==" + version;
    }
}
