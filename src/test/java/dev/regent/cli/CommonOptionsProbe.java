package dev.regent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A command with only the common options: prints the host and etcd endpoints it was given (a separate JVM reads the environment). */
@Command(name = "probe")
final class CommonOptionsProbe implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        System.out.println("host=" + options.host().orElse("(none)") + " etcd=" + options.etcd());
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CommonOptionsProbe()).execute(args));
    }
}
