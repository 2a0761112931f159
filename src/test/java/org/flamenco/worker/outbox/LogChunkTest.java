package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogChunkTest {
    private static final LogChunk.Limits ROOMY = new LogChunk.Limits(100, 10_000);

    private static Op.Insert line(long seq, String exec, boolean silent, String text) {
        return new Op.Insert(seq, "task", exec, Op.Kind.LOG, silent, false, false, text, text.length(), 1000 + seq);
    }

    @Test
    void consecutiveLinesOfOneExecution_joinWithNewlinesAndKeepTheFirstLinesIdentity() {
        LogChunk chunk = new LogChunk(line(5, "e", false, "a"), ROOMY);

        assertThat(chunk.add(line(6, "e", false, "bb"))).isTrue();
        assertThat(chunk.add(line(7, "e", false, "ccc"))).isTrue();

        assertThat(chunk.payload()).isEqualTo("a\nbb\nccc");
        assertThat(chunk.lines()).isEqualTo(3);
        assertThat(chunk.count()).isEqualTo(3);
        assertThat(chunk.logBytes()).isEqualTo(6);
        assertThat(chunk.first().seq()).isEqualTo(5);
        assertThat(chunk.first().capturedMicros()).isEqualTo(1005);
    }

    @Test
    void aGapAnotherExecutionOrAnotherSilentFlag_startsANewChunk() {
        LogChunk chunk = new LogChunk(line(5, "e", false, "a"), ROOMY);

        assertThat(chunk.add(line(7, "e", false, "gap"))).isFalse();
        assertThat(chunk.add(line(6, "other", false, "other execution"))).isFalse();
        assertThat(chunk.add(line(6, "e", true, "silently aborting"))).isFalse();
        assertThat(chunk.add(new Op.Insert(6, "task", "e", Op.Kind.ACTIVITY, false, false, false, "{}", 0, 1)))
                .isFalse();
        assertThat(chunk.lines()).isEqualTo(1);
    }

    @Test
    void limits_capLinesAndCharacters() {
        LogChunk byLines = new LogChunk(line(1, "e", false, "a"), new LogChunk.Limits(2, 1000));
        assertThat(byLines.add(line(2, "e", false, "b"))).isTrue();
        assertThat(byLines.add(line(3, "e", false, "c"))).isFalse();

        LogChunk byChars = new LogChunk(line(1, "e", false, "12345"), new LogChunk.Limits(100, 11));
        assertThat(byChars.add(line(2, "e", false, "abcde"))).isTrue(); // 5 + 1 + 5 = 11
        assertThat(byChars.add(line(3, "e", false, "x"))).isFalse();
    }

    @Test
    void requestLimits_leaveRoomForSeveralChunksPerRequest() {
        assertThat(LogChunk.Limits.forRequests(1000).maxLines()).isEqualTo(250);
        assertThat(LogChunk.Limits.forRequests(20_000).maxLines()).isEqualTo(1000);
        assertThat(LogChunk.Limits.forRequests(1).maxLines()).isEqualTo(1);
    }

    @Test
    void requestLimits_preferALineCountThatDividesTheRequestCap() {
        assertThat(LogChunk.Limits.forRequests(2000).maxLines()).isEqualTo(500);
        assertThat(LogChunk.Limits.forRequests(1001).maxLines()).isEqualTo(143); // 7 rows of 143 lines
        assertThat(LogChunk.Limits.forRequests(1009).maxLines()).isEqualTo(252); // a prime: no divisor near 252
    }

    @Test
    void capacity_capsTheLinesOfOneChunkBelowTheLimit() {
        LogChunk chunk = new LogChunk(line(1, "e", false, "a"), ROOMY, 2, 2, "ts");
        assertThat(chunk.append(2, "b", 5)).isTrue();
        assertThat(chunk.append(3, "c", 5)).isFalse();
        assertThat(chunk.payload()).isEqualTo("a\nb");
        assertThat(chunk.logBytes()).isEqualTo(6);
        assertThatThrownBy(() -> new LogChunk(line(1, "e", false, "a"), ROOMY, 101, 1, "ts"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunkWithAStamp_holdsItOnceAndTakesNoLineThatCarriesItsOwnPrefix() {
        LogChunk stamped = new LogChunk(line(1, "e", false, "a"), ROOMY, 10, 2, "2020-03-12T10:00:00.5+00:00");
        assertThat(stamped.add(line(2, "e", false, "2020-03-12T10:00:01.5+00:00: b"))).isFalse();
        assertThat(stamped.stamp()).isEqualTo("2020-03-12T10:00:00.5+00:00");

        LogChunk plain = new LogChunk(line(1, "e", false, "ts: a"), ROOMY);
        assertThat(plain.stamp()).isNull();
        assertThatThrownBy(() -> plain.append(2, "b", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void append_refusesAGapAndWhatWouldPassTheCharacterLimit() {
        LogChunk chunk = new LogChunk(line(1, "e", false, "12345"), new LogChunk.Limits(100, 14), 100, 2, "t");
        assertThat(chunk.append(3, "gap", 3)).isFalse();
        assertThat(chunk.append(2, "abcdefgh", 8)).isTrue(); // 5 + 1 + 8 = 14
        assertThat(chunk.append(3, "x", 1)).isFalse();
        assertThat(chunk.payload()).isEqualTo("12345\nabcdefgh");
        assertThat(chunk.lines()).isEqualTo(2);
    }

    @Test
    void anActivitySnapshot_cannotStartAChunk() {
        assertThatThrownBy(() -> new LogChunk(
                new Op.Insert(1, "task", "e", Op.Kind.ACTIVITY, false, false, false, "{}", 0, 1), ROOMY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
