package dev.regent.edit;

/** What a seed verb did to desired-state.yaml: the new text to write, or why it refused. */
public sealed interface VerbResult {

    /** {@code newText} re-parses as a valid desired state. */
    record Edited(String newText, String summary) implements VerbResult {
    }

    record Refused(String reason) implements VerbResult {
    }
}
