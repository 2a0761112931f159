package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class FrameListTest {
    @Test
    void parsesNumbersAndRangesInOrder() {
        FrameList list = FrameList.parse("1,3,5..8").orElseThrow();

        assertThat(list.count()).isEqualTo(6);
        assertThat(list.positionOf(1)).hasValue(0);
        assertThat(list.positionOf(5)).hasValue(2);
        assertThat(list.positionOf(8)).hasValue(5);
        assertThat(list.positionOf(4)).isEmpty();
    }

    @Test
    void rejectsWhatIsNotAFrameList() {
        assertThat(FrameList.parse("")).isEmpty();
        assertThat(FrameList.parse("5..3")).isEmpty();
        assertThat(FrameList.parse("-1")).isEmpty();
        assertThat(FrameList.parse("1-3")).isEmpty();
        assertThat(FrameList.parse("1,,2")).isEmpty();
    }

    @Test
    void hugeRangeStaysSmall() {
        FrameList list = FrameList.parse("1..100000000").orElseThrow();

        assertThat(list.count()).isEqualTo(100_000_000L);
        assertThat(list.framesNotIn(Set.of(1, 2), 3)).containsExactly(3, 4, 5);
    }
}
