package dev.servicehealth.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.ingest.parse.DriftKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDriftTrackerTest {

    @Test
    void reportsEachChangeOncePerIntervalWithItsCountAndWhenItWasSeen() {
        SchemaDriftTracker tracker = new SchemaDriftTracker(60_000);
        assertThat(tracker.reportIfDue(0)).as("the first report is an interval away").isEmpty();
        tracker.observe(SourceKind.GATEWAY, "sf-cli/2.1", DriftKind.NEW_FIELD, "trace_id", 1_000);
        tracker.observe(SourceKind.GATEWAY, "sf-cli/2.1", DriftKind.NEW_FIELD, "trace_id", 7_000);
        tracker.observe(SourceKind.GATEWAY, "sf-cli/2.1", DriftKind.NEW_FIELD, "trace_id", 3_000);
        tracker.observe(SourceKind.AUTH, null, DriftKind.RENAMED_FIELD, "ts → timestamp", 2_000);

        assertThat(tracker.reportIfDue(59_999)).isEmpty();
        List<SchemaDrift> report = tracker.reportIfDue(60_000);

        assertThat(report)
                .containsExactlyInAnyOrder(
                        new SchemaDrift(
                                "gateway",
                                "sf-cli/2.1",
                                "new_field",
                                "trace_id",
                                3,
                                1_000,
                                7_000,
                                60_000),
                        new SchemaDrift(
                                "auth",
                                "unknown",
                                "renamed_field",
                                "ts → timestamp",
                                1,
                                2_000,
                                2_000,
                                60_000));
        assertThat(tracker.pending(60_000)).as("reported means gone").isEmpty();
        tracker.observe(SourceKind.GATEWAY, "sf-cli/2.1", DriftKind.NEW_FIELD, "trace_id", 61_000);
        assertThat(tracker.reportIfDue(100_000)).as("the next one an interval later").isEmpty();
        assertThat(tracker.reportIfDue(120_000))
                .singleElement()
                .extracting(SchemaDrift::count)
                .isEqualTo(1L);
    }

    @Test
    void takesBackTheCountsACheckpointHeld() {
        SchemaDriftTracker before = new SchemaDriftTracker(60_000);
        before.observe(SourceKind.STATUS, "argo", DriftKind.NEW_FIELD, "cluster", 5_000);
        before.observe(SourceKind.STATUS, "argo", DriftKind.NEW_FIELD, "cluster", 6_000);
        List<SchemaDrift> checkpoint = before.pending(6_500);

        SchemaDriftTracker after = new SchemaDriftTracker(60_000);
        checkpoint.forEach(after::restore);
        after.observe(SourceKind.STATUS, "argo", DriftKind.NEW_FIELD, "cluster", 4_000);
        after.reportIfDue(10_000);

        assertThat(after.reportIfDue(70_000))
                .containsExactly(
                        new SchemaDrift(
                                "status", "argo", "new_field", "cluster", 3, 4_000, 6_000, 70_000));
    }

    @Test
    void holdsABoundedNumberOfChangesAndCountsTheRestTogether() {
        SchemaDriftTracker tracker = new SchemaDriftTracker(60_000);
        for (int i = 0; i < SchemaDriftTracker.MAX_CHANGES + 50; i++) {
            tracker.observe(SourceKind.GATEWAY, "bot/" + i, DriftKind.NEW_FIELD, "f" + i, 1_000);
        }

        List<SchemaDrift> pending = tracker.pending(2_000);

        assertThat(pending).hasSize(SchemaDriftTracker.MAX_CHANGES + 1);
        assertThat(pending)
                .filteredOn(line -> line.name().equals(SchemaDriftTracker.MORE))
                .singleElement()
                .satisfies(line -> assertThat(line.producer()).isEqualTo(SchemaDriftTracker.MORE))
                .extracting(SchemaDrift::count)
                .isEqualTo(50L);
    }
}
