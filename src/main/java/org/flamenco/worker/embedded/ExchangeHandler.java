package org.flamenco.worker.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP exchange into a recorded {@link Call}: records it, applies the fault plan (canned reply, delay),
 * lets the {@link Router} (v2 or v3 endpoints) answer, and writes the {@link Reply}. All I/O happens outside the
 * state lock.
 */
final class ExchangeHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);

    private static final long MAX_EXACT_READ = 64L * 1024 * 1024;

    private final ManagerState state;
    private final Router endpoints;

    ExchangeHandler(ManagerState state, Router endpoints) {
        this.state = Objects.requireNonNull(state, "state");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("embedded Manager could not answer {}: {}", exchange.getRequestURI(), e.toString());
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] raw = readBody(exchange);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(exchange.getRequestHeaders());
        long generation = state.generation();
        long index = state.locked(() -> {
            long sequence = state.forgottenRequests + state.requests.size();
            state.requests.add(new RecordedRequest(sequence, state.now(), method, path, headers, raw, 0));
            return sequence;
        });
        Optional<CannedReply> canned = state.locked(() -> state.faults.take(path));
        FaultPlan.Delay delay = state.read(() -> state.faults.delayFor(path));
        if (!delay.afterProcessing() && !hold(delay, generation, index)) {
            return;
        }
        Call call = new Call(method, path, headers, raw, first(headers, "User-Agent"));
        Reply reply = canned.map(Reply::canned).orElseGet(() -> apply(call));
        if (delay.afterProcessing() && !hold(delay, generation, index)) {
            return;
        }
        answered(index, reply.status());
        LOG.debug("{} {} → {}", method, path, reply.status());
        if (reply.status() == CannedReply.DISCONNECT) {
            return;
        }
        write(exchange, reply);
    }

    /** The request body; read into an array of the announced length when there is one (no growing and copying). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String announced = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (announced != null) {
            try {
                length = Long.parseLong(announced.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        try (var in = exchange.getRequestBody()) {
            if (length >= 0 && length <= MAX_EXACT_READ) {
                byte[] body = in.readNBytes((int) length);
                in.transferTo(OutputStream.nullOutputStream()); // nothing, unless the length was wrong
                return body;
            }
            return in.readAllBytes();
        }
    }

    /** Slow-reply fault; {@code false} (and the request marked dropped) when the Manager stopped meanwhile. */
    private boolean hold(FaultPlan.Delay delay, long generation, long index) throws InterruptedException {
        if (delay.duration().isZero() || state.delay(delay.duration(), generation)) {
            return true;
        }
        answered(index, CannedReply.DISCONNECT);
        return false;
    }

    private Reply apply(Call call) {
        try {
            return endpoints.handle(call);
        } catch (RuntimeException e) {
            LOG.warn("embedded Manager failed on {} {}", call.method(), call.path(), e);
            return Reply.error(500, "embedded Manager error: " + e);
        }
    }

    /** Records the answer on request number {@code sequence}, unless it was forgotten meanwhile. */
    private void answered(long sequence, int status) {
        state.run(() -> {
            long i = sequence - state.forgottenRequests;
            if (i >= 0 && i < state.requests.size()) {
                state.requests.set((int) i, state.requests.get((int) i).withStatus(status));
            }
        });
    }

    private static void write(HttpExchange exchange, Reply reply) throws IOException {
        Map<String, String> out = new LinkedHashMap<>(reply.headers());
        if (!reply.contentType().isEmpty()) {
            out.put("Content-Type", reply.contentType());
        }
        out.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}
