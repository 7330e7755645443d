package dev.regent.cli;

import dev.regent.approval.Approvals;
import dev.regent.fs.HostLayout;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approves the promotion of BUILD to live (spec.promotion.requireApproval): records the build, "
                + "the commit it was made from, who approved and when in deploy/run/approvals.json. A running "
                + "`regent run` picks it up at once.", "Exit 0 when recorded, 1 when refused (no such build on the host)."})
final class ApproveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    @Parameters(index = "0", paramLabel = "BUILD", description = "The build to approve, e.g. b.")
    String build;

    @Option(names = "--by", description = "Who approves (default: the OS user).")
    String by;

    @Override
    public Integer call() {
        var layout = new HostLayout(options.root());
        String who = Optional.ofNullable(by).orElseGet(() -> System.getProperty("user.name", "unknown"));
        var result = Approvals.approve(layout, build, who, Clock.systemUTC());
        if (result instanceof Approvals.Result.Refused refused) {
            System.err.println("not approved: " + refused.reason());
            return 1;
        }
        var approval = ((Approvals.Result.Approved) result).approval();
        if (!output.text()) {
            output.print(approval);
        } else {
            output.out().printf("approved build %s (commit %s) by %s at %s%n", approval.build(),
                    approval.commit().substring(0, Math.min(12, approval.commit().length())), approval.by(), approval.at());
            output.out().flush();
        }
        return 0;
    }
}
