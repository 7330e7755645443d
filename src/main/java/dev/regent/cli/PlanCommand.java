package dev.regent.cli;

import dev.regent.plan.Plan;
import dev.regent.plan.Plans;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Prints what apply would do, in order, changing nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        var desired = options.load(System.err);
        if (desired.isEmpty()) {
            return 2;
        }
        var wiring = new Wiring(options.root());
        Plan plan = Plans.now(desired.get(), wiring.observe(desired.get()), wiring.clock);
        print(plan);
        return plan.errors().isEmpty() ? 0 : 2;
    }

    static void print(Plan plan) {
        if (!plan.errors().isEmpty()) {
            System.err.println("desired state rejected against the host, nothing would change:");
            plan.errors().forEach(e -> System.err.println("  " + e));
            return;
        }
        if (plan.converged()) {
            System.out.println("Converged: nothing to do.");
            return;
        }
        for (int i = 0; i < plan.actions().size(); i++) {
            System.out.printf("%3d. %s%n", i + 1, plan.actions().get(i).describe());
        }
        plan.blocked().forEach(b -> System.out.println("blocked: " + b));
    }
}
