package org.flamenco.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Splits a byte stream into text lines (commands.md §2.4): line ends {@code \n}, {@code \r\n} and a lone
 * {@code \r}; trailing whitespace removed; a last line without line end delivered; UTF-8 with invalid sequences
 * as U+FFFD; lines longer than {@link #MAX_LINE_BYTES} cut into pieces at character boundaries. Not thread-safe:
 * one reader per stream. Reads with a large buffer and decodes each line with one reused decoder, so it keeps up
 * with well over a million short lines per second.
 */
public final class LineReader {
    /** The longest line piece, in bytes of UTF-8. */
    public static final int MAX_LINE_BYTES = 65_536;
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final LineSink sink;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final byte[] line = new byte[MAX_LINE_BYTES + 4];
    private CharBuffer chars = CharBuffer.allocate(1024);
    private int lineLength;
    /** Negative when the line so far holds a byte above 0x7F (the sign bits of its bytes, OR-ed together). */
    private int lineBits;
    private boolean afterCr;

    public LineReader(InputStream in, LineSink sink) {
        this.in = Objects.requireNonNull(in, "in");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Reads to end of stream, delivering every line; {@link LineSink#endOfBurst()} after the lines of each read
     * (before the next read may block).
     */
    public void readAll() throws IOException, InterruptedException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            accept(buf, n);
            sink.endOfBurst();
        }
        if (lineLength > 0) {
            emit(lineLength);
            sink.endOfBurst();
        }
    }

    private void accept(byte[] buf, int n) throws InterruptedException {
        int start = 0;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            bits |= b;
            if (b == '\n' || b == '\r') {
                if (b == '\n' && afterCr && i == start && lineLength == 0) {
                    afterCr = false; // the \n of a \r\n pair: the line was already delivered at the \r
                    start = i + 1;
                    continue;
                }
                lineBits |= bits;
                append(buf, start, i - start);
                emit(lineLength);
                bits = 0;
                afterCr = b == '\r';
                start = i + 1;
            } else if (afterCr) {
                afterCr = false;
            }
        }
        lineBits |= bits;
        append(buf, start, n - start);
    }

    private void append(byte[] buf, int from, int count) throws InterruptedException {
        while (count > 0) {
            int room = MAX_LINE_BYTES - lineLength;
            int take = Math.min(room, count);
            System.arraycopy(buf, from, line, lineLength, take);
            lineLength += take;
            from += take;
            count -= take;
            if (lineLength == MAX_LINE_BYTES && count > 0) {
                cutLongLine(buf[from]);
            }
        }
    }

    /** The line is full and more bytes follow: deliver a piece ending at a character boundary. */
    private void cutLongLine(byte next) throws InterruptedException {
        int cut = MAX_LINE_BYTES;
        if (isContinuation(next)) {
            // back off to the lead byte of the character that straddles the cut (at most 3 bytes back)
            int i = MAX_LINE_BYTES - 1;
            while (i > MAX_LINE_BYTES - 4 && isContinuation(line[i])) {
                i--;
            }
            if (!isContinuation(line[i]) && (line[i] & 0xC0) == 0xC0) {
                cut = i;
            }
        }
        int rest = MAX_LINE_BYTES - cut;
        emitPiece(cut);
        System.arraycopy(line, cut, line, 0, rest);
        lineLength = rest;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private void emit(int length) throws InterruptedException {
        emitPiece(length);
        lineLength = 0;
        lineBits = 0;
    }

    private void emitPiece(int length) throws InterruptedException {
        String text = decode(length);
        if (lineBits < 0 && text.length() * 3L > MAX_LINE_BYTES) {
            deliverRepaired(text);
        } else {
            sink.line(text);
        }
    }

    /**
     * A piece with invalid bytes can outgrow {@link #MAX_LINE_BYTES} once decoded (one byte becomes U+FFFD, three
     * bytes): deliver it in pieces that fit, so the command's prefix goes in front of each and nothing cuts it again.
     */
    private void deliverRepaired(String text) throws InterruptedException {
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : Character.isLowSurrogate(c)
                    ? 0 : 3;
            if (bytes + size > MAX_LINE_BYTES) {
                sink.line(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        sink.line(text.substring(start));
    }

    private String decode(int length) {
        if (lineBits >= 0) {
            // Plain ASCII (the common case): no decoder needed, and the string is made straight from the bytes.
            int end = length;
            while (end > 0 && isTrailingSpace((char) line[end - 1])) {
                end--;
            }
            return new String(line, 0, end, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
        if (chars.capacity() < length) {
            chars = CharBuffer.allocate(Math.max(length, chars.capacity() * 2));
        }
        chars.clear();
        decoder.reset();
        CoderResult r = decoder.decode(bytes, chars, true);
        if (r.isOverflow()) {
            throw new IllegalStateException("decoder overflow with " + chars.capacity() + " chars for " + length);
        }
        decoder.flush(chars);
        int end = chars.position();
        while (end > 0 && isTrailingSpace(chars.get(end - 1))) {
            end--;
        }
        return new String(chars.array(), 0, end);
    }

    private static boolean isTrailingSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u000b' || c == '\f' || Character.isWhitespace(c)
                || Character.isSpaceChar(c);
    }
}
