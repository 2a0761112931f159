package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.flamenco.worker.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the INI reader through the real loader ({@code -c FILE}): arbitrary bytes, byte-order marks, CRLF, huge
 * values, interpolation loops. Whatever the file holds, loading either yields a configuration or fails with a
 * {@link ConfigException} whose message names the file; nothing else escapes (no runtime exception, no stack
 * overflow). Replay a failure with the {@code -Dfuzz.seed} it prints.
 */
class ConfigFuzzTest {
    private static final List<String> KEYS = List.of("manager_url", "task_types", "worker_nickname",
            "push_log_max_entries", "may_i_run_interval_seconds", "task_log_max_bytes", "subprocess_pid_file",
            "credentials_file", "task_update_queue_db", "manager_protocol", "http_read_timeout_seconds",
            "unknown_key", "a", "b", "Key");
    private static final List<String> FIXED_LINES = List.of("[flamenco-worker]", "[pre_task_check]", "[loggers]",
            "[handler_file]", "[logger_root]", "[", "[]", "# comment", "; comment", "", "  continued", "\tcontinued",
            "args = ('/tmp/x.log', 'midnight')", "args = (", "keys = root", "level = INFO", "handlers = console,file",
            "[ flamenco-worker ]", "=", ":", "= value", "[DEFAULT]");
    private static final List<String> VALUES = List.of("${a}", "${b}", "${flamenco-worker:a}", "${nosuch}",
            "${nosuch:a}", "$$", "$", "${", "%(a)s", "${a", "${}", "http://[::1", "http://127.0.0.1:8080/", "-5",
            "99999999999999999999", "1e3", "v2", "v3", "", "0", "~", "~/x", "sleep blender-render", "\u00e9\u20ac");

    @TempDir
    Path dir;

    @Test
    void arbitraryBytes_loadOrFailWithAConfigException() {
        Fuzz.forAll("config from arbitrary bytes", 300, r -> Fuzz.bytes(r, 3000), HexFormat.of()::formatHex,
                this::loadOrConfigException);
    }

    @Test
    void iniLikeText_withBomsAndCrlf_loadsOrFailsWithAConfigException() {
        Fuzz.forAll("INI-like config", 500, ConfigFuzzTest::iniBytes,
                b -> new String(b, StandardCharsets.UTF_8), this::loadOrConfigException);
    }

    @Test
    void interpolationLoopsAndHugeValues_failWithAConfigExceptionOrLoad() throws Exception {
        for (String text : List.of(
                "[flamenco-worker]\na = ${b}\nb = ${a}\nworker_nickname = ${a}\n",
                "[flamenco-worker]\na = ${a}\nworker_nickname = ${a}\n",
                "[flamenco-worker]\nworker_nickname = ${worker_nickname}\n",
                "[flamenco-worker]\na = ${flamenco-worker:b}\nb = ${flamenco-worker:a}\ntask_types = ${b}\n",
                "[flamenco-worker]\na = x${a}${a}\nworker_nickname = ${a}\n",
                "[flamenco-worker]\na = " + "${b}".repeat(30) + "\nb = " + "${c}".repeat(30) + "\nc = "
                        + "${d}".repeat(30) + "\nd = " + "y".repeat(1000) + "\nworker_nickname = ${a}\n",
                "[flamenco-worker]\nworker_nickname = " + "z".repeat(2_000_000) + "\n",
                "[flamenco-worker]\n" + "k = v\n".repeat(50_000),
                "[flamenco-worker]\nk = " + "\n  more".repeat(50_000) + "\n")) {
            loadOrConfigException(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void loadOrConfigException(byte[] content) throws IOException {
        Path file = dir.resolve("fuzz.cfg");
        Files.write(file, content);
        Path work = Files.createDirectories(dir.resolve("work"));
        Path home = Files.createDirectories(dir.resolve("home"));
        try {
            new ConfigLoader(work, home).load(Optional.of(file));
        } catch (ConfigException e) {
            assertThat(e.getMessage()).as("message of %s", e).isNotBlank().contains(file.getFileName().toString());
        }
    }

    private static byte[] iniBytes(Random r) {
        List<String> lines = new ArrayList<>();
        lines.add("[flamenco-worker]");
        int n = r.nextInt(25);
        for (int i = 0; i < n; i++) {
            lines.add(switch (r.nextInt(4)) {
                case 0 -> Fuzz.oneOf(r, FIXED_LINES.toArray(String[]::new));
                case 1, 2 -> key(r) + Fuzz.oneOf(r, " = ", "=", ": ", " : ", " =  ") + value(r);
                default -> Fuzz.anyString(r, 60);
            });
        }
        String text = String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
        if (r.nextBoolean()) {
            text = text.replace("\n", "\r\n");
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] bom = Fuzz.oneOf(r, new byte[0], new byte[0], new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xFF, (byte) 0xFE});
        byte[] out = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, out, 0, bom.length);
        System.arraycopy(body, 0, out, bom.length, body.length);
        return out;
    }

    private static String key(Random r) {
        return r.nextInt(4) == 0 ? Fuzz.string(r, "abcKEY_-. :[]$%{}", 12) : Fuzz.oneOf(r, KEYS.toArray(String[]::new));
    }

    private static String value(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Fuzz.anyString(r, 40);
            case 1 -> Fuzz.string(r, "${}:$%()a_b ", 20);
            case 2 -> "x".repeat(r.nextInt(200_000));
            default -> Fuzz.oneOf(r, VALUES.toArray(String[]::new));
        };
    }
}
