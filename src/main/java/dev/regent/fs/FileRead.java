package dev.regent.fs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file read that keeps "not there" apart from "there but unreadable": a rule that protects what
 * a file names must not read a corrupt file as an empty one.
 */
public sealed interface FileRead<T> {

    record Absent<T>() implements FileRead<T> {
    }

    record Present<T>(T value) implements FileRead<T> {
    }

    /** The file exists but could not be read or parsed; {@code error} says why. */
    record Unreadable<T>(Path file, String error) implements FileRead<T> {
        /** "deploy/run/nginx-applied.json (the parser's message)": the file as the user finds it, and why. */
        public String describe(Path root) {
            return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()) + " (" + error + ")";
        }
    }

    /** The value, treating an unreadable file as absent: only for reads no safety rule depends on. */
    default Optional<T> orAbsent() {
        return this instanceof Present<T> p ? Optional.of(p.value()) : Optional.empty();
    }

    default Optional<Unreadable<T>> unreadable() {
        return this instanceof Unreadable<T> u ? Optional.of(u) : Optional.empty();
    }
}
