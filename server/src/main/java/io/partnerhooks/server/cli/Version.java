package io.partnerhooks.server.cli;

import io.partnerhooks.server.App;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version and exit.")
final class Version implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("Partnerhooks " + App.VERSION);
        return 0;
    }
}
