package dev.regent.failure;

/**
 * A failure told to a person: its message and each cause's that adds something, joined by ": ".
 * "could not write X" alone would hide "No space left on device".
 */
public final class Causes {
    private Causes() {
    }

    public static String of(Throwable e) {
        var text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (!text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return text.toString();
    }
}
