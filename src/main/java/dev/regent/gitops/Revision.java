package dev.regent.gitops;

import dev.regent.spec.DesiredState;

/** A desired state and where it came from: a commit id, or "file:" + the sha256 of a plain desired-state file's bytes. */
public record Revision(DesiredState state, String id) {

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
