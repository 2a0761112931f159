package org.flamenco.worker.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.WindowsPaths;

/** Turns the interpolated {@code [flamenco-worker]} and {@code [pre_task_check]} sections into typed values. */
final class WorkerConfigReader {
    static final String SECTION = "flamenco-worker";
    static final String PRE_TASK_CHECK = "pre_task_check";

    /** Built-in defaults, in the order of worker-behaviour.md §2.3. */
    static final Map<String, String> DEFAULTS = defaults();

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern TASK_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern WORKER_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final String SECONDS_ABOVE_0 = "expected a number of seconds greater than 0";
    private static final String SECONDS_FROM_0 = "expected a number of seconds, 0 or more";

    private final Map<String, Map<String, RawValue>> raw;
    private final Map<String, String> values;
    private final Map<String, String> preTaskValues;
    private final Path workingDir;
    private final Optional<Path> homeDir;

    WorkerConfigReader(Map<String, Map<String, RawValue>> raw, Map<String, Map<String, String>> interpolated,
                       Path workingDir, Optional<Path> homeDir) {
        this.raw = raw;
        this.values = interpolated.getOrDefault(SECTION, Map.of());
        this.preTaskValues = interpolated.getOrDefault(PRE_TASK_CHECK, Map.of());
        this.workingDir = workingDir;
        this.homeDir = homeDir;
    }

    WorkerConfig read(LoggingSettings logging, List<String> warnings) throws ConfigException {
        for (String key : values.keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                warnings.add(origin(SECTION, key) + ": [" + SECTION + "] unknown key \"" + key + "\" ignored"
                        + KeySuggestion.nearest(key, DEFAULTS.keySet()).map(k -> "; did you mean \"" + k + "\"?")
                                .orElse(""));
            }
        }
        Duration mayIRun = seconds("may_i_run_interval_seconds", false);
        if (mayIRun.compareTo(Duration.ofSeconds(60)) >= 0) {
            warnings.add(origin(SECTION, "may_i_run_interval_seconds") + ": [" + SECTION
                    + "] may_i_run_interval_seconds = " + values.get("may_i_run_interval_seconds")
                    + " is 60 s or more; the Manager's default worker timeout is 1 minute");
        }
        List<List<Path>> checks = preTaskChecks();
        warnAboutWindowsPaths(warnings);
        // read in this order so that, of several bad keys, the same one is reported as before
        String managerUrl = managerUrl();
        Secret registrationSecret = Secret.of(values.get("worker_registration_secret").strip());
        List<String> taskTypes = taskTypes();
        Path queueDb = path("task_update_queue_db");
        Path pidFile = optionalPath("subprocess_pid_file").orElse(null);
        Duration pushLogMaxInterval = seconds("push_log_max_interval_seconds", false);
        int pushLogMaxEntries = (int) integer("push_log_max_entries", 1, "expected an integer of at least 1");
        Duration pushActMaxInterval = seconds("push_act_max_interval_seconds", false);
        Credentials credentials = credentials();
        Path credentialsFile = path("credentials_file");
        String nickname = nickname();
        Path caFile = caFile().orElse(null);
        Duration connectTimeout = seconds("http_connect_timeout_seconds", false);
        Duration readTimeout = seconds("http_read_timeout_seconds", false);
        Duration killGrace = seconds("subprocess_kill_grace_seconds", true);
        Duration inactivityTimeout = seconds("subprocess_inactivity_timeout_seconds", true);
        long taskLogMaxBytes = integer("task_log_max_bytes", 0,
                "expected a number of bytes, 0 or more (0 disables the cap)");
        PreTaskSettings preTask = new PreTaskSettings(checks.get(0), checks.get(1),
                seconds("pre_task_check_timeout_seconds", false));
        Duration shutdownTimeout = seconds("shutdown_timeout_seconds", false);
        int quarantine = (int) integer("quarantine_fast_failures", 0, "expected an integer, 0 or more (0 disables)");
        ManagerSettings manager = new ManagerSettings(managerUrl, managerProtocol(), caFile, connectTimeout,
                readTimeout, registrationSecret, nickname);
        OptionalInt oomScoreAdjust = oomScoreAdjust();
        int nice = (int) bounded("subprocess_nice", 0, 19, "expected an integer from 0 to 19");
        MonitoringSettings monitoring = monitoring();
        ProcessSettings subprocess = new ProcessSettings(killGrace, inactivityTimeout, pidFile, nice, oomScoreAdjust,
                processLauncher());
        return new WorkerConfig(manager, credentials, credentialsFile, taskTypes,
                new QueueSettings(queueDb, pushActMaxInterval, pushLogMaxInterval, pushLogMaxEntries, taskLogMaxBytes),
                subprocess, preTask, new LifecycleSettings(mayIRun, quarantine, shutdownTimeout, restartExitCode()),
                logging, monitoring, workingDir);
    }

    /** {@code auto}, {@code portable}, or {@code posix} where it works (Linux: setsid and /proc). */
    private String processLauncher() throws ConfigException {
        String value = values.get("process_launcher").strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("auto", "posix", "spawn", "windows", "portable").contains(value)) {
            throw invalid("process_launcher", "expected auto, posix, spawn, windows or portable");
        }
        String os = System.getProperty("os.name", "");
        if (value.equals("posix") && !os.startsWith("Linux")) {
            throw invalid("process_launcher", "expected auto or portable (posix needs Linux)");
        }
        if (value.equals("windows") && !os.startsWith("Windows")) {
            throw invalid("process_launcher", "expected auto, spawn or portable (windows needs Windows)");
        }
        if (value.equals("spawn") && os.startsWith("Windows")) {
            throw invalid("process_launcher", "expected auto, windows or portable (spawn needs a POSIX system)");
        }
        return value;
    }

    /** Empty leaves the subprocesses' score as inherited. */
    private OptionalInt oomScoreAdjust() throws ConfigException {
        if (values.get("oom_score_adjust").isBlank()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) bounded("oom_score_adjust", 0, 1000,
                "expected empty (leave as is) or an integer from 0 to 1000"));
    }

    private long bounded(String key, long min, long max, String expected) throws ConfigException {
        String text = values.get(key).strip();
        if (!INTEGER.matcher(text).matches() || text.length() > 10) {
            throw invalid(key, expected);
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw invalid(key, expected);
        }
        return value;
    }

    private MonitoringSettings monitoring() throws ConfigException {
        try {
            return new MonitoringSettings(MonitoringSettings.parseListen(values.get("metrics_listen").strip()),
                    seconds("healthz_max_silence_seconds", false));
        } catch (IllegalArgumentException e) {
            throw invalid("metrics_listen", "expected empty (off) or host:port such as 127.0.0.1:9101 ("
                    + e.getMessage() + ")");
        }
    }

    /** {@code credentials_file}, resolved ({@code ~} is the home directory). */
    Path credentialsFile() throws ConfigException {
        Path file = path("credentials_file");
        if (Files.isDirectory(file)) {
            throw invalid("credentials_file", "expected the path of a file (the worker keeps its identity there), "
                    + "not a directory: " + file);
        }
        return file;
    }

    private String managerUrl() throws ConfigException {
        String url = values.get("manager_url");
        if (url.isEmpty()) {
            return url;
        }
        String prefix = origin(SECTION, "manager_url") + ": [" + SECTION + "] ";
        if (url.startsWith("'") || url.startsWith("\"")) {
            throw new ConfigException(prefix + "manager_url should not be quoted: " + url);
        }
        if (!url.contains("://")) {
            throw new ConfigException(prefix
                    + "manager_url should be a URL (http://host:port/ or https://host:port/): " + url);
        }
        String scheme = url.substring(0, url.indexOf("://"));
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(prefix + "manager_url should start with http:// or https://: " + url);
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new URISyntaxException(url, "no host");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(prefix + "manager_url is not a valid URL: " + url, e);
        }
        return url;
    }

    private List<String> taskTypes() throws ConfigException {
        String text = values.get("task_types").strip();
        List<String> types = text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        for (String type : types) {
            if (!TASK_TYPE.matcher(type).matches()) {
                throw invalid("task_types", "expected a whitespace-separated list of task types, each matching "
                        + TASK_TYPE.pattern());
            }
        }
        if (types.isEmpty()) {
            throw invalid("task_types", "expected at least one task type");
        }
        return types;
    }

    private Credentials credentials() throws ConfigException {
        String id = values.get("worker_id").strip();
        if (!id.isEmpty() && !WORKER_ID.matcher(id).matches()) {
            throw invalid("worker_id", "expected empty or 24 hexadecimal characters");
        }
        return new Credentials(id, Secret.of(values.get("worker_secret").strip()));
    }

    private String nickname() throws ConfigException {
        String nickname = values.get("worker_nickname");
        if (nickname.chars().anyMatch(Character::isISOControl)) {
            throw invalid("worker_nickname", "expected text without control characters");
        }
        return nickname;
    }

    private Optional<Path> caFile() throws ConfigException {
        Optional<Path> file = optionalPath("manager_ca_file");
        if (file.isPresent() && !PemFiles.isReadablePem(file.get())) {
            throw invalid("manager_ca_file", "expected a readable PEM file with at least one certificate");
        }
        return file;
    }

    /** {@code v2}, {@code v3} or {@code auto} (ask {@code GET /api/v3/version} at startup), lower case. */
    private String managerProtocol() throws ConfigException {
        String protocol = values.get("manager_protocol").strip().toLowerCase(java.util.Locale.ROOT);
        if (!protocol.equals("v2") && !protocol.equals("v3") && !protocol.equals("auto")) {
            throw invalid("manager_protocol", "expected v2, v3 or auto");
        }
        return protocol;
    }

    /** Empty: the worker cannot be restarted by the Manager; else the exit code that asks for a restart. */
    private OptionalInt restartExitCode() throws ConfigException {
        if (values.get("restart_exit_code").isBlank()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) bounded("restart_exit_code", 6, 127, "expected empty (the Manager cannot "
                + "restart this worker) or an integer from 6 to 127 (0-5 and 128+ are the worker's own exit codes)"));
    }

    private Duration seconds(String key, boolean zeroAllowed) throws ConfigException {
        String text = values.get(key).strip();
        String expected = zeroAllowed ? SECONDS_FROM_0 + (key.contains("inactivity") ? " (0 disables)" : "")
                : SECONDS_ABOVE_0;
        if (!DECIMAL.matcher(text).matches()) {
            throw invalid(key, expected);
        }
        double seconds = Double.parseDouble(text);
        if (Double.isInfinite(seconds) || seconds < 0 || (seconds == 0 && !zeroAllowed)) {
            throw invalid(key, expected);
        }
        return seconds >= Long.MAX_VALUE / 1e9 ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
                : Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private long integer(String key, long min, String expected) throws ConfigException {
        String text = values.get(key).strip();
        if (!INTEGER.matcher(text).matches()) {
            throw invalid(key, expected);
        }
        try {
            long value = Long.parseLong(text);
            long max = key.equals("task_log_max_bytes") ? Long.MAX_VALUE : Integer.MAX_VALUE;
            if (value < min || value > max) {
                throw invalid(key, expected);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, expected);
        }
    }

    private Path path(String key) throws ConfigException {
        return optionalPath(key).orElseThrow(() -> invalid(key, "expected a path"));
    }

    private Optional<Path> optionalPath(String key) throws ConfigException {
        String text = values.get(key).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(resolve(SECTION, key, text, true));
    }

    /** Relative to the working directory; a leading {@code ~} only for the keys whose default uses it. */
    private Path resolve(String section, String key, String text, boolean expandHome) throws ConfigException {
        try {
            boolean home = expandHome && (key.equals("credentials_file") || key.equals("manager_ca_file"))
                    && (text.equals("~") || text.startsWith("~/") || text.startsWith("~\\"));
            if (home && homeDir.isEmpty()) {
                throw new ConfigException(ConfigMessages.invalid(origin(section, key), section, key,
                        raw.get(section).get(key).text(), "expected a path; ~ cannot be expanded because HOME is not "
                                + "set and this user has no home directory in the passwd database: set HOME, or give "
                                + key + " a path without ~"));
            }
            Path base = home ? homeDir.get() : workingDir;
            String rest = home ? text.substring(1).replaceFirst("^[/\\\\]", "") : text;
            return base.resolve(rest).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(ConfigMessages.invalid(origin(section, key), section, key,
                    raw.get(section).get(key).text(), "expected a path"), e);
        }
    }

    /**
     * worker-behaviour.md §2.3: on a POSIX host, {@code D:\x} or {@code \\server\share} is not a path but a
     * file name in the working directory; it is accepted (the original accepted it) with a warning naming key and
     * value.
     */
    private void warnAboutWindowsPaths(List<String> warnings) {
        for (String key : List.of("task_update_queue_db", "subprocess_pid_file", "credentials_file",
                "manager_ca_file")) {
            windowsPathWarning(SECTION, key, values.get(key)).ifPresent(warnings::add);
        }
        for (String key : raw.getOrDefault(PRE_TASK_CHECK, Map.of()).keySet()) {
            windowsPathWarning(PRE_TASK_CHECK, key, preTaskValues.get(key)).ifPresent(warnings::add);
        }
    }

    private Optional<String> windowsPathWarning(String section, String key, String value) {
        Optional<String> problem = value == null ? Optional.empty()
                : WindowsPaths.problem(value, WindowsPaths.windowsHere());
        return problem.map(p -> origin(section, key) + ": [" + section + "] " + key + " = \"" + value.strip() + "\" "
                + p);
    }

    /** {@code [pre_task_check]}: read paths, then write paths (worker-behaviour.md §2.4). */
    private List<List<Path>> preTaskChecks() throws ConfigException {
        List<Path> read = new ArrayList<>();
        List<Path> write = new ArrayList<>();
        Map<String, RawValue> section = raw.getOrDefault(PRE_TASK_CHECK, Map.of());
        for (Map.Entry<String, RawValue> entry : section.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("read") && !key.startsWith("write")) {
                throw new ConfigException(entry.getValue().origin() + ": [" + PRE_TASK_CHECK
                        + "] keys must start with \"read\" or \"write\"; found \"" + key + "\"");
            }
        }
        for (String key : section.keySet()) {
            String text = preTaskValues.get(key).strip();
            if (text.isEmpty()) {
                throw new ConfigException(ConfigMessages.invalid(origin(PRE_TASK_CHECK, key), PRE_TASK_CHECK, key,
                        text, "expected a path"));
            }
            (key.startsWith("read") ? read : write).add(resolve(PRE_TASK_CHECK, key, text, false));
        }
        return List.of(read, write);
    }

    private ConfigException invalid(String key, String expected) {
        RawValue value = raw.get(SECTION).get(key);
        return new ConfigException(ConfigMessages.invalid(value.origin(), SECTION, key, value.text(), expected));
    }

    private String origin(String section, String key) {
        return raw.get(section).get(key).origin();
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("manager_url", "");
        d.put("worker_registration_secret", "");
        d.put("task_types", "sleep blender-render file-management exr-merge video-encoding");
        d.put("task_update_queue_db", "flamenco-worker.db");
        d.put("subprocess_pid_file", "flamenco-worker-subprocess.pid");
        d.put("may_i_run_interval_seconds", "5");
        d.put("push_log_max_interval_seconds", "30");
        d.put("push_log_max_entries", "1000");
        d.put("push_act_max_interval_seconds", "15");
        d.put("worker_id", "");
        d.put("worker_secret", "");
        d.put("credentials_file", "~/.flamenco-worker.cfg");
        d.put("worker_nickname", "");
        d.put("manager_ca_file", "");
        d.put("http_connect_timeout_seconds", "3");
        d.put("http_read_timeout_seconds", "30");
        d.put("subprocess_kill_grace_seconds", "10");
        d.put("subprocess_inactivity_timeout_seconds", "3600");
        d.put("task_log_max_bytes", "67108864");
        d.put("pre_task_check_timeout_seconds", "10");
        d.put("shutdown_timeout_seconds", "30");
        d.put("quarantine_fast_failures", "0");
        d.put("manager_protocol", "auto");
        d.put("oom_score_adjust", System.getProperty("os.name", "").startsWith("Linux") ? "500" : "");
        d.put("subprocess_nice", "0");
        d.put("metrics_listen", "");
        d.put("healthz_max_silence_seconds", "300");
        d.put("process_launcher", "auto");
        d.put("restart_exit_code", "");
        return Collections.unmodifiableMap(d);
    }
}
