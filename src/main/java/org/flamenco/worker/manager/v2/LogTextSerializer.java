package org.flamenco.worker.manager.v2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a task update's log text (up to 1 MiB of short lines) as a JSON string: escaped in one pass over its UTF-8
 * bytes and handed to the generator as raw UTF-8. The escapes are Jackson's ({@code \n}-style short escapes,
 * {@code \}{@code u00XX} for other control characters, everything else as is; characters outside the BMP stay
 * UTF-8 where Jackson's byte writer would write two {@code \}{@code u} escapes, which decodes the same), but the
 * work is several times cheaper than its char-by-char path on the worker's C1-only service JVM, where the sender
 * would otherwise spend most of its time escaping. Writers that are not byte based get the plain string.
 */
final class LogTextSerializer extends StdSerializer<String> {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    LogTextSerializer() {
        super(String.class);
    }

    @Override
    public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (gen.getOutputTarget() instanceof OutputStream) {
            byte[] escaped = escapedUtf8(value);
            gen.writeRawUTF8String(escaped, 0, escaped.length);
        } else {
            gen.writeString(value);
        }
    }

    /** The JSON string content (without quotes) of {@code text}, UTF-8 encoded. */
    static byte[] escapedUtf8(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        int extra = 0;
        for (byte b : raw) {
            if (b >= 0 && (b < 0x20 || b == '"' || b == '\\')) {
                extra += shortEscape(b) != 0 ? 1 : 5;
            }
        }
        if (extra == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length + extra];
        int o = 0;
        for (byte b : raw) {
            if (b >= 0 && (b < 0x20 || b == '"' || b == '\\')) {
                out[o++] = '\\';
                byte e = shortEscape(b);
                if (e != 0) {
                    out[o++] = e;
                } else {
                    out[o++] = 'u';
                    out[o++] = '0';
                    out[o++] = '0';
                    out[o++] = HEX[b >> 4];
                    out[o++] = HEX[b & 0xF];
                }
            } else {
                out[o++] = b;
            }
        }
        return out;
    }

    private static byte shortEscape(byte b) {
        return switch (b) {
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            case '\b' -> 'b';
            case '\f' -> 'f';
            case '"' -> '"';
            case '\\' -> '\\';
            default -> 0;
        };
    }
}
