package org.flamenco.worker.manager.v2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * Task-update bodies, serialised into a buffer the calling thread (the sender) reuses for its next update: a request
 * is sent before the call that made its body returns. Saves two copies of every body (Jackson's segments and the
 * array made of them). A buffer grown by an unusually large update is not kept. Thread-safe (one buffer per thread).
 */
final class UpdateBodies {
    /** An update body buffer that grew beyond this is not kept for the next update. */
    private static final int KEEP_BODY_BUFFER_BYTES = 256 * 1024;

    private final ObjectMapper json;
    private final MediaType type;
    private final ThreadLocal<BodyBuffer> buffers = ThreadLocal.withInitial(BodyBuffer::new);

    UpdateBodies(ObjectMapper json, MediaType type) {
        this.json = json;
        this.type = type;
    }

    /** The body of {@code doc}, valid until this thread asks for the next one. */
    RequestBody of(TaskUpdateDoc doc) {
        BodyBuffer out = buffers.get();
        if (out.capacity() > KEEP_BODY_BUFFER_BYTES) {
            out = new BodyBuffer();
            buffers.set(out);
        }
        out.reset();
        try {
            json.writeValue(out, doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + doc.getClass().getSimpleName(), e);
        }
        return RequestBody.create(out.array(), type, 0, out.size());
    }

    /** A byte buffer whose array is handed to the request as it is (no copy). */
    private static final class BodyBuffer extends ByteArrayOutputStream {
        BodyBuffer() {
            super(8 * 1024);
        }

        synchronized byte[] array() {
            return buf;
        }

        synchronized int capacity() {
            return buf.length;
        }
    }
}
