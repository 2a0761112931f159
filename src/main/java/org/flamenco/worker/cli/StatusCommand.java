package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.LoadedConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flamenco-worker status}: asks the running worker's {@code /healthz} (at {@code metrics_listen}) and prints
 * one screen, or the JSON as it came.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        usageHelpWidth = 110, sortOptions = false,
        description = {"Show what the running worker is doing: state, current task and progress, update queue "
                + "depth and age, last successful contact with the Manager. Reads the worker's /healthz endpoint at "
                + "metrics_listen (see README \"Monitoring\"); says so when metrics_listen is empty."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the worker answered and is healthy",
            "1:the worker answered unhealthy (the reason is printed), or did not answer (not running?)",
            "2:usage error, the configuration cannot be loaded, or metrics_listen is empty (nothing to ask)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  flamenco-worker status -c /etc/flamenco-worker/flamenco-worker.cfg",
            "  flamenco-worker status --json               the /healthz document, for fleet tooling"})
public final class StatusCommand implements Callable<Integer> {
    static final int UNHEALTHY = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @ParentCommand
    private WorkerCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Read metrics_listen from this configuration file instead of ./flamenco-worker.cfg and "
                    + "the home file.")
    private Path configFile;

    @Option(names = "--json", description = "Print the worker's /healthz JSON document as it came.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        CliEnvironment environment = parent.environment();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        try {
            loaded = new ConfigLoader(environment.workingDir(), environment.homeDir())
                    .load(Optional.ofNullable(configFile));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        }
        Optional<InetSocketAddress> listen = loaded.config().monitoring().metricsListen();
        if (listen.isEmpty()) {
            err.println("metrics_listen is empty in " + loaded.filesRead() + ": the worker serves no status. Set "
                    + "metrics_listen = 127.0.0.1:9101 and restart the worker (README \"Monitoring\").");
            return ExitCode.USAGE;
        }
        URI uri = healthzUri(listen.get());
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("No answer from the worker at " + uri + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it running?");
            return UNHEALTHY;
        }
        if (json) {
            out.print(response.body());
        } else {
            out.print(screen(uri, new ObjectMapper().readTree(response.body())));
        }
        out.flush();
        return response.statusCode() == 200 ? ExitCode.OK : UNHEALTHY;
    }

    static URI healthzUri(InetSocketAddress listen) {
        InetAddress address = listen.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                : listen.getAddress();
        String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return URI.create("http://" + host + ":" + listen.getPort() + "/healthz");
    }

    static String screen(URI uri, JsonNode h) {
        StringBuilder b = new StringBuilder();
        boolean healthy = h.path("healthy").asBoolean();
        b.append("Flamenco Worker at ").append(uri.resolve("/")).append(": ")
                .append(healthy ? "healthy" : "UNHEALTHY: " + h.path("reason").asText()).append('\n');
        b.append(line("State", h.path("state").asText()
                + (h.path("quarantined").asBoolean() ? " (quarantined after fast task failures)" : "")));
        b.append(line("Task", h.path("task").isTextual()
                ? h.path("task").asText() + ", " + h.path("task_progress_percent").asInt() + "%, running for "
                + age(h.path("task_elapsed_seconds")) : "none"));
        long queued = h.path("queue_updates").asLong();
        b.append(line("Update queue", queued == 0 ? "empty"
                : queued + " updates, " + bytes(h.path("queue_bytes").asLong()) + ", oldest "
                + age(h.path("queue_oldest_age_seconds")) + " old"));
        b.append(line("Manager", h.path("manager_last_contact_age_seconds").isNumber()
                ? "last successful answer " + age(h.path("manager_last_contact_age_seconds")) + " ago"
                : "no successful answer yet"));
        b.append(line("Up for", age(h.path("up_seconds"))));
        return b.toString();
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "  %-14s %s%n", label + ":", value);
    }

    private static String age(JsonNode seconds) {
        double s = seconds.asDouble();
        if (s < 120) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 7200) {
            return String.format(Locale.ROOT, "%d min %d s", (long) s / 60, (long) s % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", (long) s / 3600, (long) s % 3600 / 60);
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
