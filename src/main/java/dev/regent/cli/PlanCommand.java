package dev.regent.cli;

import dev.regent.plan.Action;
import dev.regent.plan.Plan;
import dev.regent.plan.Plans;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecError;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Prints what apply would do, in order, changing nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    /** What -o json|yaml prints: the actions in order as apply describes them, what waits and why, the errors. */
    record PlanView(boolean converged, List<String> actions, List<dev.regent.plan.BlockReason> blocked, List<String> errors) {
        static PlanView of(Plan plan) {
            return new PlanView(plan.converged(), plan.actions().stream().map(Action::describe).toList(),
                    plan.blocked(), plan.errors().stream().map(SpecError::toString).toList());
        }

        static PlanView rejected(List<SpecError> errors) {
            return new PlanView(false, List.of(), List.of(), errors.stream().map(SpecError::toString).toList());
        }
    }

    @Override
    public Integer call() {
        LoadResult loaded = options.loadResult(System.err);
        if (loaded instanceof LoadResult.Invalid invalid) {
            if (!output.text()) {
                output.print(PlanView.rejected(invalid.errors()));
            }
            return 2;
        }
        var desired = ((LoadResult.Valid) loaded).state();
        var wiring = new Wiring(options.root());
        Plan plan = Plans.now(desired, wiring.observe(desired), wiring.clock);
        if (output.text()) {
            print(output.out(), plan);
        } else {
            output.print(PlanView.of(plan));
        }
        return plan.errors().isEmpty() ? 0 : 2;
    }

    static void print(PrintWriter out, Plan plan) {
        if (!plan.errors().isEmpty()) {
            System.err.println("desired state rejected against the host, nothing would change:");
            plan.errors().forEach(e -> System.err.println("  " + e));
            return;
        }
        if (plan.converged()) {
            out.println("Converged: nothing to do.");
            return;
        }
        for (int i = 0; i < plan.actions().size(); i++) {
            out.printf("%3d. %s%n", i + 1, plan.actions().get(i).describe());
        }
        plan.blocked().forEach(b -> out.println("blocked: " + b.message()));
    }
}
