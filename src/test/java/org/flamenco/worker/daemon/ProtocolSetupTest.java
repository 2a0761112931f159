package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.agent.WorkerTiming;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.CredentialsStore;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.task.TaskDialect;
import org.flamenco.worker.testing.FakeClock;

/** What the chosen protocol changes at startup (protocol-v3.md §8, §10). */
@Timeout(20)
class ProtocolSetupTest {
    private static final Credentials V3 = new Credentials("2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b",
            Secret.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    private static final RunOptions PLAIN = new RunOptions(false, false, false, false, false);

    @TempDir
    Path dir;

    private WorkerConfig config(String... lines) throws Exception {
        Path file = dir.resolve("flamenco-worker.cfg");
        Files.writeString(file, "[flamenco-worker]\nmanager_url = http://127.0.0.1:1/\ncredentials_file = "
                + dir.resolve("cred.cfg") + "\n" + String.join("\n", lines) + "\n");
        return new ConfigLoader(dir, dir).load(Optional.of(file)).config();
    }

    @Test
    void explicitProtocolsAreUsedWithoutAskingTheManager() throws Exception {
        FakeClock clock = new FakeClock();
        V2Settings unreachable = V2Settings.defaults("http://127.0.0.1:1/");

        ManagerProtocol v3 = ProtocolSetup.decide(config("manager_protocol = v3").manager(),
                URI.create("http://127.0.0.1:1/"),
                unreachable, clock, () -> 0.5);
        ManagerProtocol v2 = ProtocolSetup.decide(config("manager_protocol = v2").manager(),
                URI.create("http://127.0.0.1:1/"),
                unreachable, clock, () -> 0.5);

        assertThat(v3).isEqualTo(ManagerProtocol.V3);
        assertThat(v2).isEqualTo(ManagerProtocol.V2);
        assertThat(clock.sleepers()).isZero();
    }

    @Test
    void v3UsesItsOwnCredentialsSectionAndNoRegistrationSecret() throws Exception {
        WorkerConfig config = config("worker_id = 0123456789abcdef01234567", "worker_secret = v2secret",
                "worker_registration_secret = psk");
        new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).write(V3);

        ProtocolSetup v3 = new ProtocolSetup(ManagerProtocol.V3, config, PLAIN);
        ProtocolSetup v2 = new ProtocolSetup(ManagerProtocol.V2, config, PLAIN);

        assertThat(v3.credentials()).isEqualTo(V3);
        assertThat(v3.registrationSecret().isEmpty()).isTrue();
        assertThat(v2.credentials().workerId()).isEqualTo("0123456789abcdef01234567");
        assertThat(v2.registrationSecret().reveal()).isEqualTo("psk");
    }

    @Test
    void reregisterForgetsTheV3Identity() throws Exception {
        WorkerConfig config = config();
        new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).write(V3);

        ProtocolSetup v3 = new ProtocolSetup(ManagerProtocol.V3, config, new RunOptions(false, false, false, false,
                true));

        assertThat(v3.credentials().isComplete()).isFalse();
    }

    @Test
    void storeWritesTheV3SectionOnly() throws Exception {
        WorkerConfig config = config();

        new ProtocolSetup(ManagerProtocol.V3, config, PLAIN).store(V3);

        assertThat(new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).read()).isEqualTo(V3);
        assertThat(new CredentialsStore(config.credentialsFile()).read().isComplete()).isFalse();
    }

    @Test
    void defaultTaskTypesBecomeTheV3NamesButConfiguredOnesStay() throws Exception {
        assertThat(new ProtocolSetup(ManagerProtocol.V3, config(), PLAIN).taskTypes())
                .containsExactly("blender", "ffmpeg", "file-management", "misc");
        assertThat(new ProtocolSetup(ManagerProtocol.V3, config("task_types = blender misc"), PLAIN).taskTypes())
                .containsExactly("blender", "misc");
        assertThat(new ProtocolSetup(ManagerProtocol.V2, config(), PLAIN).taskTypes())
                .isEqualTo(ProtocolSetup.V2_DEFAULT_TASK_TYPES);
    }

    @Test
    void v3LoopTimingAndDialect() throws Exception {
        ProtocolSetup v3 = new ProtocolSetup(ManagerProtocol.V3, config(), PLAIN);

        WorkerTiming timing = v3.timing();

        assertThat(timing.asleepPoll()).hasSeconds(3);
        assertThat(timing.noTask()).hasSeconds(20);
        assertThat(timing.afterTask()).hasSeconds(2);
        assertThat(v3.dialect()).isEqualTo(TaskDialect.V3);
        assertThat(v3.commands(null, "").stream().map(c -> c.name()).toList()).contains("echo", "sleep", "exec",
                "blender-render", "frames-to-video", "move-directory", "copy-file", "make-directory");
    }

    @Test
    void eachDialectRegistersItsCommandsOfCommandsMd() throws Exception {
        try (HelperScripts helpers = HelperScripts.create(dir)) {
            assertThat(TaskRuntime.commands(TaskDialect.V2, helpers, "")).extracting(Command::name).containsExactly(
                    "echo", "log_a_lot", "sleep", "exec", "move_out_of_way", "move_to_final", "copy_file",
                    "remove_tree", "remove_file", "move_with_counter", "create_python_file", "blender_render",
                    "blender_render_progressive", "blender_render_audio", "exr_sequence_to_jpeg",
                    "merge_progressive_renders", "merge_progressive_render_sequence", "create_video",
                    "concatenate_videos", "mux_audio", "encode_audio");
            assertThat(TaskRuntime.commands(TaskDialect.V3, helpers, "")).extracting(Command::name).containsExactly(
                    "echo", "sleep", "exec", "move-directory", "copy-file", "make-directory", "blender-render",
                    "frames-to-video");
        }
    }

    @Test
    void mayIRunEveryTenSecondsInV3_whileV2KeepsItsSetting() throws Exception {
        WorkerConfig config = config("may_i_run_interval_seconds = 2");

        WorkerTiming v3 = new ProtocolSetup(ManagerProtocol.V3, config, PLAIN).timing();
        WorkerTiming v2 = new ProtocolSetup(ManagerProtocol.V2, config, PLAIN).timing();

        assertThat(v3.mayIRunInterval()).hasSeconds(10);
        assertThat(v2.mayIRunInterval()).hasSeconds(2);
    }
}
