package dev.regent.approval;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.spec.BuildNames;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * deploy/run/approvals.json: the last approval given ({@code regent approve}, POST /api/approve).
 * It binds the build to the commit it was made from, so a build replaced under the same name is
 * not approved by an older approval.
 */
public final class Approvals {
    public static final String FILE = "approvals.json";
    static final int MAX_BY = 200;

    private Approvals() {
    }

    public static Path file(HostLayout layout) {
        return layout.run().resolve(FILE);
    }

    /** The approval of {@code build}, if the last approval given names it; an unreadable file approves nothing. */
    public static Optional<Approval> read(HostLayout layout, String build) {
        return HostFiles.readJson(file(layout), Approval.class)
                .filter(a -> build.equals(a.build()) && a.commit() != null && a.by() != null && a.at() != null);
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
        HostFiles.writeJson(file(layout), approval);
        return new Result.Approved(approval);
    }
}
