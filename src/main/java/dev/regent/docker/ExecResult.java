package dev.regent.docker;

/** What a command run in a container did. exitCode is -1 when it timed out. */
public record ExecResult(int exitCode, String output, boolean timedOut) {

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** The last lines of the output, for messages that must stay readable. */
    public String tail(int lines) {
        String[] all = output.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }
}
