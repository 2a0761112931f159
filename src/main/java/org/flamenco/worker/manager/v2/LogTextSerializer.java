package org.flamenco.worker.manager.v2;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import org.flamenco.worker.model.LogText;

/**
 * Writes a task update's log text (up to 1 MiB of short lines) as a JSON string, escaped by
 * {@link LogText#json()} straight from the UTF-8 pieces read from the queue file and handed to the
 * generator as raw UTF-8: no {@code String} is made of the log on the way, and the escaping copies runs of plain
 * bytes instead of going character by character (several times cheaper than Jackson's own path on the worker's
 * C1-only service JVM, where the sender would otherwise spend most of its time escaping). Writers that are not byte
 * based get the plain string.
 */
public final class LogTextSerializer extends StdSerializer<LogText> {
    public LogTextSerializer() {
        super(LogText.class);
    }

    @Override
    public void serialize(LogText value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (gen.getOutputTarget() instanceof OutputStream) {
            LogText.Json escaped = value.json();
            gen.writeRawUTF8String(escaped.bytes(), 0, escaped.length());
        } else {
            gen.writeString(value.text());
        }
    }
}
