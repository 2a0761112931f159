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
    void anActivitySnapshot_cannotStartAChunk() {
        assertThatThrownBy(() -> new LogChunk(
                new Op.Insert(1, "task", "e", Op.Kind.ACTIVITY, false, false, false, "{}", 0, 1), ROOMY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
