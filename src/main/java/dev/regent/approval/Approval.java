package dev.regent.approval;

import java.time.Instant;

/** An approval of a build for live: the build, the commit it was made from, who approved it and when. */
public record Approval(String build, String commit, String by, Instant at) {
}
