package org.flamenco.worker.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.command.CommandReporter;

/** A {@link CommandReporter} that records everything in memory. Thread-safe. */
public final class RecordingReporter implements CommandReporter {
    private final List<String> log = new ArrayList<>();
    private final List<String> activities = new ArrayList<>();
    private final List<Integer> progress = new ArrayList<>();
    private final Map<String, Double> timing = new LinkedHashMap<>();
    private final List<Path> outputs = new ArrayList<>();

    @Override
    public synchronized void log(String line) {
        log.add(line);
    }

    @Override
    public synchronized void activity(String activity) {
        activities.add(activity);
    }

    @Override
    public synchronized void commandProgress(int percentage) {
        progress.add(percentage);
    }

    @Override
    public synchronized void timing(String name, double seconds) {
        timing.merge(name, seconds, Double::sum);
    }

    @Override
    public synchronized void outputProduced(Path file) {
        outputs.add(file);
    }

    private int steps;

    @Override
    public synchronized void stepCompleted() {
        steps++;
    }

    /** How many steps the command reported (Flamenco 3 counting). */
    public synchronized int steps() {
        return steps;
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    public synchronized List<String> activities() {
        return List.copyOf(activities);
    }

    public synchronized List<Integer> progress() {
        return List.copyOf(progress);
    }

    public synchronized Map<String, Double> timing() {
        return new LinkedHashMap<>(timing);
    }

    public synchronized List<Path> outputs() {
        return List.copyOf(outputs);
    }
}
