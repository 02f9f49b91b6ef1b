package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketRingTest {
    private static final long T = 1_795_341_600_000L;

    @Test
    void sumsTrailingWindowsOfWholeBucketsTheFillingOneIncluded() {
        BucketRing ring = BucketRing.of(10_000, 6, true);
        for (int s = 0; s < 60; s++) {
            ring.add(T + s * 1_000L, s >= 55 ? 1 : 0, 1, s >= 55 ? T + s * 1_000L : Long.MAX_VALUE);
        }
        assertThat(ring.window(1)).isEqualTo(new BucketRing.Window(5, 10));
        assertThat(ring.window(6)).isEqualTo(new BucketRing.Window(5, 60));
        assertThat(ring.window(100)).as("no more than the ring holds").isEqualTo(ring.window(6));

        ring.add(T + 60_500, 1, 1, T + 60_500);
        assertThat(ring.window(1))
                .as("a new bucket starts empty, its first event answers at once")
                .isEqualTo(new BucketRing.Window(1, 1));
        assertThat(ring.window(6))
                .as("the oldest bucket left")
                .isEqualTo(new BucketRing.Window(6, 51));
    }

    @Test
    void countsALateEventInItsOwnBucketAndRefusesOneOlderThanTheRing() {
        BucketRing ring = BucketRing.of(10_000, 6, true);
        ring.add(T + 55_000, 0, 1, Long.MAX_VALUE);
        assertThat(ring.add(T + 5_000, 1, 1, T + 5_000)).isTrue();
        assertThat(ring.window(1)).isEqualTo(new BucketRing.Window(0, 1));
        assertThat(ring.window(6)).isEqualTo(new BucketRing.Window(1, 2));
        assertThat(ring.add(T - 5_000, 1, 1, T - 5_000)).isFalse();
        assertThat(ring.window(6)).isEqualTo(new BucketRing.Window(1, 2));
    }

    @Test
    void aJumpPastTheWholeRingClearsEveryBucket() {
        BucketRing ring = BucketRing.of(10_000, 6, true);
        ring.add(T, 3, 3, T);
        ring.add(T + 3_600_000, 0, 1, Long.MAX_VALUE);
        assertThat(ring.window(6)).isEqualTo(new BucketRing.Window(0, 1));
    }

    @Test
    void aBurnStartsWithItsRunOfBucketsOverTheThresholdNotWithAStrayErrorBefore() {
        BucketRing ring = BucketRing.of(10_000, 12, true);
        ring.add(T + 2_000, 1, 1, T + 2_000);
        ring.add(T + 15_000, 0, 5, Long.MAX_VALUE);
        ring.add(T + 31_000, 4, 5, T + 31_000);
        ring.add(T + 55_000, 3, 3, T + 55_000);
        assertThat(ring.burnStartMs(12, 0.1, 0, ring.newest))
                .as(
                        "the stray error at 2 s is cut off by the clean bucket at 15 s; the empty"
                                + " buckets at 40 s do not cut the run")
                .isEqualTo(T + 31_000);
    }

    @Test
    void aGoodFirstCountInANewBucketDoesNotHideTheRunBeforeIt() {
        BucketRing ring = BucketRing.of(10_000, 12, true);
        ring.add(T + 1_000, 0, 5, Long.MAX_VALUE);
        ring.add(T + 12_000, 4, 5, T + 12_000);
        ring.add(T + 20_500, 0, 1, Long.MAX_VALUE);
        assertThat(ring.burnStartMs(12, 0.1, 0, ring.newest)).isEqualTo(T + 12_000);
    }

    @Test
    void aBurnStartsAtTheFirstBadEventOfTheFirstBucketOverTheThreshold() {
        BucketRing ring = BucketRing.of(10_000, 6, true);
        ring.add(T + 1_000, 1, 100, T + 1_000);
        ring.add(T + 12_000, 0, 10, Long.MAX_VALUE);
        ring.add(T + 13_000, 5, 5, T + 13_000);
        ring.add(T + 14_500, 5, 5, T + 14_500);
        assertThat(ring.burnStartMs(6, 0.1, 0, ring.newest))
                .as("the first bucket's 1 % is below 10 %: the second bucket's first bad event")
                .isEqualTo(T + 13_000);
        assertThat(ring.burnStartMs(6, 0.1, T + 20_000, ring.newest))
                .as("no bucket ending after the given time burns")
                .isEqualTo(Long.MAX_VALUE);
        BucketRing coarse = BucketRing.of(300_000, 4, false);
        coarse.add(T + 301_000, 1, 1, T + 301_000);
        assertThat(coarse.burnStartMs(4, 0.1, 0, coarse.newest))
                .as("a coarse ring knows its bucket")
                .isEqualTo(T + 300_000);
    }
}
