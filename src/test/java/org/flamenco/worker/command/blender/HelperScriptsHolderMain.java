package org.flamenco.worker.command.blender;

import java.nio.file.Path;

/**
 * Test child process: creates a {@link HelperScripts} directory under {@code args[0]}, prints its path, and holds it
 * until stdin closes or the process is killed.
 */
public final class HelperScriptsHolderMain {
    private HelperScriptsHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        try (HelperScripts scripts = HelperScripts.create(Path.of(args[0]))) {
            System.out.println(scripts.directory());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the directory
            }
        }
    }
}
