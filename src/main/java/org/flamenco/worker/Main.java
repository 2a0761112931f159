package org.flamenco.worker;

import org.flamenco.worker.cli.WorkerCli;

/** Entry point: runs the picocli command line and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(WorkerCli.run(args));
    }
}
