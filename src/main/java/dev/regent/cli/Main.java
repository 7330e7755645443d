package dev.regent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "regent", mixinStandardHelpOptions = true, version = "regent 0.1.0",
        description = "Converges a Docker Compose host of uWSGI emperors and nginx to desired-state.yaml.",
        subcommands = {PlanCommand.class, ApplyCommand.class, RunCommand.class, StatusCommand.class,
                ValidateCommand.class, HistoryCommand.class, EventsCommand.class, VerbCommands.FindFreeBuild.class, VerbCommands.CreateBuild.class,
                VerbCommands.Activate.class, VerbCommands.Deactivate.class, VerbCommands.Stage.class,
                VerbCommands.SwapLive.class, VerbCommands.Rollback.class, VerbCommands.Rm.class, ShellCommand.class, ManageCommand.class,
                ApproveCommand.class, FleetCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done or converged, 1 failed or blocked, 2 invalid input or usage,",
                "3 another Regent holds the host (apply without --wait), 4 the fleet store did not answer (fleet status)."})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        boolean loop = args.length > 0 && args[0].equals("run");
        if (System.getProperty("REGENT_LOG_LEVEL") == null && System.getenv("REGENT_LOG_LEVEL") == null) {
            System.setProperty("REGENT_LOG_LEVEL", loop ? "INFO" : "WARN");
        }
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
    }
}
