package dev.regent.approval;

import java.time.Instant;

/** An approval of a build's promotion: who approved which build, made from which commit, and when. */
public record Approval(String build, String commit, String by, Instant at) {
}
