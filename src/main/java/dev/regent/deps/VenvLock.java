package dev.regent.deps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a requirements venv was made from: the requirements file, the interpreter, and the sha256 of
 * every wheelhouse file pip could have picked for each installed package (the pinned version's files
 * when pinned, else every version's). Two builds with equal locks get the same files from pip, so the
 * second may reuse the first's venv. Written as {@code regent-lock.json} into the venv after a full install.
 */
public record VenvLock(String requirementsSha256, String python, SortedMap<String, String> wheels) {
    public static final String FILE = "regent-lock.json";

    public VenvLock {
        wheels = new TreeMap<>(wheels);
    }

    /** The lock of a venv holding {@code installed} (package names) made from these requirements and wheels. */
    public static VenvLock of(String requirementsText, String python, Collection<String> installed,
                              Requirements requirements, Wheelhouse wheelhouse) {
        Map<String, String> pins = requirements.pinned().stream()
                .collect(Collectors.toMap(Requirement::normalizedName, Requirement::version, (a, b) -> a));
        SortedMap<String, String> wheels = new TreeMap<>();
        for (String name : installed) {
            String normalized = PackageNames.normalize(name);
            for (WheelFile wheel : wheelhouse.of(normalized)) {
                String pinned = pins.get(normalized);
                if (pinned == null || PackageNames.sameVersion(pinned, wheel.version())) {
                    wheels.put(wheel.fileName(), wheelhouse.sha256(wheel));
                }
            }
        }
        return new VenvLock(sha256(requirementsText), python, wheels);
    }

    /** The name of this lock's entry in the {@link VenvStore}: equal locks, equal ids. */
    public String id() {
        StringBuilder text = new StringBuilder(requirementsSha256).append('\n').append(python).append('\n');
        wheels.forEach((file, sha) -> text.append(file).append(' ').append(sha).append('\n'));
        return sha256(text.toString()).substring(0, 24);
    }

    /** The packages this lock's wheels are of. */
    public Set<String> packages() {
        return wheels.keySet().stream().flatMap(f -> WheelFile.parse(f).stream()).map(WheelFile::normalizedName)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** True when a venv made now from these requirements would get the same files as this lock's venv. */
    public boolean sameAs(String requirementsText, String python, Requirements requirements, Wheelhouse wheelhouse) {
        return requirementsSha256.equals(sha256(requirementsText)) && this.python.equals(python)
                && equals(of(requirementsText, python, packages(), requirements, wheelhouse));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
