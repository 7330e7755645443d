package dev.regent.cli;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetReport;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.etcd.EtcdCoordinator;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "fleet", mixinStandardHelpOptions = true, subcommands = {FleetCommand.Status.class, CommandLine.HelpCommand.class},
        description = "Reads a fleet's rollout from its etcd fleet store (kind: Fleet files).")
final class FleetCommand implements Runnable {
    @Spec
    CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Shows every host of the fleet file (file order) as its record in the fleet store says: state, "
                    + "revision, live, stage, age, message; a host without a record is down or not started. Then, for each "
                    + "revision a host applies, its slot holders, the hosts queued for a slot, and its halt.",
                    "Reads only: publishes no record and takes no slot. The file is read whole; --host is ignored."},
            footer = {"", "Exit codes: 0 read, 1 a halt stands for a revision some host applies, 2 invalid file or usage, "
                    + EXIT_STORE_UNAVAILABLE + " the fleet store did not answer."})
    static final class Status implements Callable<Integer> {
        /** The name the reader connects under; it publishes nothing under it. */
        static final String READER = "regent-fleet-status";
        /** The reader's lease holds nothing of its own; a short one goes soon if the reader dies. */
        private static final Duration READER_TTL = Duration.ofSeconds(5);

        @Mixin
        CommonOptions options;

        @Mixin
        OutputOption output;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            PrintWriter err = command().getErr();
            LoadResult loaded = SpecLoader.loadWholeFile(options.file());
            if (loaded instanceof LoadResult.Invalid invalid) {
                err.println("fleet file rejected:");
                invalid.errors().forEach(e -> err.println("  " + e));
                err.flush();
                return 2;
            }
            DesiredState state = ((LoadResult.Valid) loaded).state();
            if (state.fleet().isEmpty()) {
                return usage(err, options.file() + " is not a fleet file (kind: Fleet)");
            }
            List<URI> endpoints = options.etcd();
            if (endpoints.isEmpty()) {
                return usage(err, "pass the fleet store's endpoints: --etcd URL[,URL...] (or set REGENT_ETCD_ENDPOINTS)");
            }
            FleetReport report;
            try (Coordinator store = EtcdCoordinator.connect(endpoints, state.name(), READER, READER_TTL)) {
                report = read(store, state.name(), state.fleet().get(), clock);
            } catch (FleetUnavailable e) {
                err.println("etcd at " + endpoints.stream().map(URI::toString).collect(Collectors.joining(","))
                        + " did not answer: " + e.getMessage());
                err.flush();
                return EXIT_STORE_UNAVAILABLE;
            }
            if (output.text()) {
                PrintWriter out = output.out();
                report.text().forEach(out::println);
                out.flush();
            } else {
                output.print(report);
            }
            return report.halted() ? 1 : 0;
        }

        private CommandLine command() {
            return output.command.commandLine();
        }

        private int usage(PrintWriter err, String message) {
            err.println(message);
            err.flush();
            return 2;
        }
    }

    static final int EXIT_STORE_UNAVAILABLE = 4;

    /**
     * Reads the records, then the slots and halt of each revision they name. The records come from
     * the first read: a view is per revision, and which revisions matter is known only from them.
     */
    static FleetReport read(Coordinator store, String fleet, FleetSpec spec, Clock clock) throws FleetUnavailable {
        Map<String, HostRecord> records = store.view("").hosts();
        Map<String, FleetView> views = new LinkedHashMap<>();
        for (HostRecord record : records.values()) {
            if (!views.containsKey(record.revision())) {
                views.put(record.revision(), store.view(record.revision()));
            }
        }
        return FleetReport.of(fleet, spec, records, views, clock.instant());
    }
}
