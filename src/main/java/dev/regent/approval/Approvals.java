package dev.regent.approval;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.spec.BuildNames;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * deploy/run/approvals.json: a list of approvals {build, commit, by, at}, the newest per build
 * ({@code regent approve}, POST /api/approve); a single such object reads as well. An approval
 * binds the build to the commit it was made from, so a build made again under the same name is
 * not approved by an older approval. An unreadable file approves nothing.
 */
public final class Approvals {
    public static final String FILE = "approvals.json";
    static final int MAX_BY = 200;
    /** Approvals of this many builds are kept: far more than a host keeps builds. */
    static final int KEEP = 100;

    private Approvals() {
    }

    public static Path file(HostLayout layout) {
        return layout.run().resolve(FILE);
    }

    /** The newest approval of {@code build}, if any. */
    public static Optional<Approval> read(HostLayout layout, String build) {
        return all(layout).stream().filter(a -> a.build().equals(build)).max(Comparator.comparing(Approval::at));
    }

    /** Every complete approval the file holds, in file order. */
    static List<Approval> all(HostLayout layout) {
        JsonNode root = HostFiles.readJson(file(layout), JsonNode.class).orElse(null);
        if (root == null) {
            return List.of();
        }
        var approvals = new ArrayList<Approval>();
        for (JsonNode item : root.isArray() ? root : List.of(root)) {
            try {
                Approval a = HostFiles.JSON.treeToValue(item, Approval.class);
                if (a != null && a.build() != null && a.commit() != null && a.by() != null && a.at() != null) {
                    approvals.add(a);
                }
            } catch (IOException | IllegalArgumentException e) {
                // An entry that does not parse approves nothing.
            }
        }
        return approvals;
    }

    /** What approving a build ended in: written, or refused with why (nothing written). */
    public sealed interface Result {
        record Approved(Approval approval) implements Result {
        }

        record Refused(String reason) implements Result {
        }
    }

    /** Approves {@code build} as it is on the host now (its regent-build.json names the commit), by {@code by}. */
    public static Result approve(HostLayout layout, String build, String by, Clock clock) {
        if (!BuildNames.isValid(build)) {
            return new Result.Refused("\"" + build + "\" is not a build name");
        }
        String who = by.strip();
        if (who.isEmpty() || who.length() > MAX_BY || who.chars().anyMatch(Character::isISOControl)) {
            return new Result.Refused("the approver's name must be 1 to " + MAX_BY + " characters without control characters");
        }
        Optional<BuildRecord> record = HostFiles.readJson(layout.build(build).resolve(BuildRecord.FILE), BuildRecord.class);
        if (record.isEmpty() || record.get().commit() == null) {
            return new Result.Refused("build " + build + " is not on this host (no " + BuildRecord.FILE
                    + "): approve a build once it is made");
        }
        Approval approval = new Approval(build, record.get().commit(), who, clock.instant());
        var kept = new ArrayList<>(all(layout).stream().filter(a -> !a.build().equals(build)).toList());
        kept.add(approval);
        HostFiles.writeJson(file(layout), kept.subList(Math.max(0, kept.size() - KEEP), kept.size()));
        return new Result.Approved(approval);
    }
}
