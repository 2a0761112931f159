package org.flamenco.worker.outbox;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.model.ActivitySnapshot;

/** The stored form of an activity snapshot: UTF-8 JSON text in the queue's {@code payload} column. */
final class SnapshotJson {
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    String encode(ActivitySnapshot snapshot) {
        try {
            return mapper.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode an activity snapshot", e);
        }
    }

    /** Decodes a stored snapshot; throws {@link IllegalArgumentException} when it cannot be decoded. */
    ActivitySnapshot decode(String payload) {
        try {
            ActivitySnapshot s = mapper.readValue(payload, ActivitySnapshot.class);
            if (s == null) {
                throw new IllegalArgumentException("stored activity snapshot is null");
            }
            return s;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode stored activity snapshot: " + e.getMessage(), e);
        }
    }
}
