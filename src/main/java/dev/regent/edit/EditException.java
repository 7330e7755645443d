package dev.regent.edit;

/** The text cannot be edited safely (it is not YAML the editor understands, or the target is missing). */
public final class EditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EditException(String message) {
        super(message);
    }
}
