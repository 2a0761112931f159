package org.flamenco.worker.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts per label-value combination; lock-free increments, read at scrape time. */
final class LabeledCounter {
    private final List<String> labelNames;
    private final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

    LabeledCounter(String... labelNames) {
        this.labelNames = List.of(labelNames);
    }

    void increment(String... labelValues) {
        add(1, labelValues);
    }

    void add(long n, String... labelValues) {
        counts.computeIfAbsent(List.of(labelValues), k -> new LongAdder()).add(n);
    }

    List<String> labelNames() {
        return labelNames;
    }

    /** A copy: label values → count. */
    Map<List<String>, Long> values() {
        Map<List<String>, Long> copy = new LinkedHashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
