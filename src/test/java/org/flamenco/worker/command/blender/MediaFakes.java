package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.SubprocessSettings;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.PosixProcessLauncher;
import org.flamenco.worker.testing.RecordingReporter;


/** The fake {@code blender} and {@code ffmpeg} scripts of src/test/resources/bin, installed into a temp dir. */
public final class MediaFakes {
    private MediaFakes() {
    }

    /** Copies the fake {@code name} into {@code binDir}, executable, with its knobs in {@code <name>.env}. */
    public static Path install(String name, Path binDir, String... knobs) throws IOException {
        Files.createDirectories(binDir);
        Path script = binDir.resolve(name);
        try (InputStream in = MediaFakes.class.getResourceAsStream("/bin/" + name)) {
            assertThat(in).as("fake %s", name).isNotNull();
            Files.write(script, in.readAllBytes());
        }
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Files.writeString(script.resolveSibling(name + ".env"), String.join("\n", knobs) + "\n");
        return script;
    }

    /** The arguments the fake last received (without its own path); empty when it never ran. */
    public static List<String> argv(Path script) throws IOException {
        Path file = script.resolveSibling(script.getFileName() + ".argv");
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    /** A real environment: POSIX launcher, default subprocess rules, no PID file. */
    public static CommandEnvironment environment(Path workingDirectory, Clock clock) {
        return new CommandEnvironment(workingDirectory, clock, new PosixProcessLauncher(),
                SubprocessSettings.DEFAULTS, PidFileGuard.disabled());
    }

    public static CommandContext context(String name, RecordingReporter reporter, CommandEnvironment env) {
        return new CommandContext(name, name + ".(task_id=5c8f0a9b1d2e3f4a5b6c7d8e, command_idx=0)", reporter, env);
    }
}
