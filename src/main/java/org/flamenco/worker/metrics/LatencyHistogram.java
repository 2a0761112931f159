package org.flamenco.worker.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Request durations per endpoint in fixed buckets (seconds); lock-free observations, read at scrape time. */
final class LatencyHistogram {
    static final double[] UPPER_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** One endpoint's buckets (not cumulative), the +Inf bucket last. */
    static final class Series {
        final LongAdder[] buckets = new LongAdder[UPPER_BOUNDS.length + 1];
        final DoubleAdder sum = new DoubleAdder();

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            int i = 0;
            while (i < UPPER_BOUNDS.length && seconds > UPPER_BOUNDS[i]) {
                i++;
            }
            buckets[i].increment();
            sum.add(seconds);
        }
    }

    private final Map<String, Series> byEndpoint = new ConcurrentHashMap<>();

    void observe(String endpoint, double seconds) {
        byEndpoint.computeIfAbsent(endpoint, k -> new Series()).observe(seconds);
    }

    Map<String, Series> series() {
        return Map.copyOf(byEndpoint);
    }
}
