package org.flamenco.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Enforces the package arrows of STYLE.md: a package imports only the packages listed for it (its own
 * sub-packages always allowed), and no cycles, also between sub-packages. Scans the source files' import lines and
 * same-file references to fully qualified names.
 */
class ArchitectureTest {
    private static final String ROOT = "org.flamenco.worker";
    private static final Path MAIN = Path.of("src/main/java/org/flamenco/worker");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.flamenco\\.worker[\\w.]*)",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.flamenco\\.worker(\\.[a-z][\\w]*)+");

    /**
     * package → packages it may import (STYLE.md "Package layout"); an entry names a package with its sub-packages
     * ({@code manager}) or one sub-package alone ({@code manager.v2}). Beyond STYLE.md, {@code metrics} and
     * {@code doctor} may import {@code clock}: both read time, and rule 6 says time comes through the {@code Clock}
     * seam (docs/decisions.md 29).
     */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", Set.of("cli")),
            Map.entry("cli", Set.of("daemon", "config", "doctor", "task", "command", "model", "embedded")),
            Map.entry("daemon", Set.of("config", "agent", "task", "command", "process", "outbox", "manager",
                    "metrics", "doctor", "model", "clock")),
            Map.entry("config", Set.of("model")),
            Map.entry("agent", Set.of("manager", "task", "outbox", "metrics", "model", "clock")),
            Map.entry("task", Set.of("command", "outbox", "metrics", "model", "clock")),
            Map.entry("command", Set.of("process", "model", "clock")),
            Map.entry("process", Set.of("clock")),
            Map.entry("outbox", Set.of("manager", "metrics", "model", "clock")),
            Map.entry("manager", Set.of("model", "clock")),
            Map.entry("metrics", Set.of("model", "clock")),
            Map.entry("doctor", Set.of("config", "manager", "process", "outbox", "model", "clock")),
            Map.entry("embedded", Set.of("manager.v2", "model")),
            Map.entry("model", Set.of()),
            Map.entry("clock", Set.of()));

    @Test
    void everyImportFollowsThePackageArrows() throws IOException {
        List<String> violations = violations(MAIN);

        assertThat(violations).isEmpty();
    }

    @Test
    void detectsAPlantedUpwardImport(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path modelDir = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(modelDir.resolve("Bad.java"),
                "package org.flamenco.worker.model;\nimport org.flamenco.worker.agent.Something;\nclass Bad {}\n");

        List<String> violations = violations(tmp);

        assertThat(violations).singleElement().asString().contains("model", "agent");
    }

    @Test
    void anArrowToOneSubPackageDoesNotAllowItsSiblings(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path embeddedDir = Files.createDirectories(tmp.resolve("embedded"));
        Files.writeString(embeddedDir.resolve("Good.java"), "package org.flamenco.worker.embedded;\n"
                + "import org.flamenco.worker.manager.v2.Something;\nclass Good {}\n");
        Files.writeString(embeddedDir.resolve("Bad.java"), "package org.flamenco.worker.embedded;\n"
                + "import org.flamenco.worker.manager.v3.Something;\nclass Bad {}\n");

        List<String> violations = violations(tmp);

        assertThat(violations).singleElement().asString().contains("embedded", "manager.v3");
    }

    @Test
    void embeddedManagerIsOnlyUsedByCli() throws IOException {
        List<String> users = new ArrayList<>();
        forEachSource(MAIN, (pkg, deps) -> {
            if (deps.contains("embedded") && !pkg.equals("cli") && !pkg.equals("embedded")) {
                users.add(pkg);
            }
        });

        assertThat(users).isEmpty();
    }

    @Test
    void noCycleBetweenPackagesOrSubPackages() throws IOException {
        Map<String, Set<String>> graph = new HashMap<>();
        forEachSource(MAIN, (pkg, deps) -> deps.stream().filter(d -> !d.equals(pkg))
                .forEach(d -> graph.computeIfAbsent(pkg, k -> new HashSet<>()).add(d)));

        assertThat(findCycle(graph)).isEmpty();
    }

    @Test
    void detectsAPlantedCycle() {
        Map<String, Set<String>> graph = Map.of("command.blender", Set.of("command.ffmpeg"),
                "command.ffmpeg", Set.of("command.blender"));

        assertThat(findCycle(graph)).isNotEmpty();
    }

    /** A cycle as a list of packages, or empty. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
                                 List<String> path) {
        Integer s = state.get(node);
        if (s != null) {
            if (s == 1) {
                path.add(node);
            }
            return s == 1;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return false;
    }

    static List<String> violations(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        forEachSource(root, (pkg, deps) -> {
            String top = topLevel(pkg);
            Set<String> allowed = ALLOWED.get(top);
            if (allowed == null) {
                out.add("package '" + pkg + "' is not in STYLE.md's layout");
                return;
            }
            for (String dep : deps) {
                String depTop = topLevel(dep);
                if (!depTop.equals(top) && allowed.stream().noneMatch(a -> dep.equals(a) || dep.startsWith(a + "."))) {
                    out.add("'" + pkg + "' imports '" + dep + "' against the arrows");
                }
            }
        });
        return out;
    }

    private interface SourceVisitor {
        void visit(String pkg, Set<String> deps);
    }

    private static void forEachSource(Path root, SourceVisitor visitor) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(file -> {
                String rel = root.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
                String text;
                try {
                    text = Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Set<String> deps = new HashSet<>();
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    deps.add(packageOf(m.group(1)));
                }
                Matcher q = QUALIFIED.matcher(text.replaceAll("(?m)^(package|import) .*$", ""));
                while (q.find()) {
                    deps.add(packageOf(q.group()));
                }
                visitor.visit(rel, deps);
            });
        }
    }

    /** The sub-package below the root named by a fully qualified class or package name. */
    private static String packageOf(String qualified) {
        String rest = qualified.length() > ROOT.length() ? qualified.substring(ROOT.length() + 1) : "";
        StringBuilder pkg = new StringBuilder();
        for (String part : rest.split("\\.")) {
            if (part.isEmpty() || Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static String topLevel(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }
}
