package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Region;

/**
 * Status signals: the scenario's planned deploys and incident tickets, plus background deploys and
 * feature-flag changes at random instants, some of an unsupported type ({@code maintenance_window})
 * and some with line-level dirt.
 */
final class StatusGenerator {
    private static final String UNSUPPORTED_TYPE = "maintenance_window";
    private static final String[] FLAGS = {
        "bulk-api-v2", "new-case-router", "async-apex-queue", "einstein-search-rerank"
    };

    /** Status lines reach the topic this long after the change, at most. */
    private static final long MAX_SHIPPING_MS = 3_000;

    private final SimulatorConfig config;
    private final TrafficModel model;
    private final Dice dice;
    private final BadRecords bad;
    private final LineRenderer renderer = new LineRenderer();
    private final Schedule schedule;
    private final double meanGapMs;
    private long nextBackgroundMs;

    StatusGenerator(SimulatorConfig config, TrafficModel model, Dice dice, Schedule schedule) {
        this.config = config;
        this.model = model;
        this.dice = dice;
        this.bad = new BadRecords(dice.split());
        this.schedule = schedule;
        this.meanGapMs =
                config.statusEventsPerHour() > 0 ? 3_600_000 / config.statusEventsPerHour() : 0;
        this.nextBackgroundMs =
                meanGapMs > 0
                        ? config.startMs() + (long) dice.exponential(meanGapMs)
                        : Long.MAX_VALUE;
    }

    /** Background events happening before {@code untilMs}. */
    void background(long untilMs) {
        while (nextBackgroundMs < untilMs) {
            long at = nextBackgroundMs;
            nextBackgroundMs = at + 1 + (long) dice.exponential(meanGapMs);
            String service = model.services().get(dice.index(model.services().size()));
            Region region =
                    dice.chance(0.2)
                            ? null
                            : TrafficModel.REGIONS.get(dice.index(TrafficModel.REGIONS.size()));
            Lines.Status line;
            if (dice.chance(config.dirt().rate(Dirt.UNKNOWN_STATUS_TYPE))) {
                line =
                        new Lines.Status(
                                eventId(),
                                UNSUPPORTED_TYPE,
                                "statuspage",
                                region,
                                service,
                                null,
                                "scheduled maintenance of " + service,
                                null,
                                at);
                emit(
                        line,
                        Style.CANONICAL,
                        Expectation.deadLetter(
                                EventKind.STATUS, DeadLetterReason.UNSUPPORTED_EVENT_TYPE));
                continue;
            }
            if (dice.chance(0.5)) {
                String version = service + "-2026.11." + dice.between(1, 20);
                line =
                        new Lines.Status(
                                eventId(),
                                "deploy",
                                dice.chance(0.5) ? "argo" : "spinnaker",
                                region,
                                service,
                                null,
                                "deploy " + version,
                                version,
                                at);
            } else {
                String flag = FLAGS[dice.index(FLAGS.length)];
                line =
                        new Lines.Status(
                                eventId(),
                                "feature_flag",
                                "launchdarkly",
                                region,
                                service,
                                null,
                                "flag " + flag + " rolled to " + dice.between(1, 10) * 10 + "%",
                                flag,
                                at);
            }
            emitWithDirt(line);
        }
    }

    /** A scenario's status event, always well-formed: the story must be visible. */
    void planned(ScenarioTimeline.PlannedStatus planned) {
        emit(
                new Lines.Status(
                        eventId(),
                        planned.type(),
                        planned.origin(),
                        planned.region(),
                        planned.service(),
                        planned.endpoint(),
                        planned.summary(),
                        planned.version(),
                        planned.timeMs()),
                Style.CANONICAL,
                Expectation.oneStatus());
    }

    private void emitWithDirt(Lines.Status line) {
        BadRecords.LineFault fault = bad.pickFault(config.dirt(), 0);
        if (fault == null) {
            Style style =
                    dice.chance(config.dirt().rate(Dirt.DRIFT))
                            ? RequestGenerator.DRIFT_STYLES.get(
                                    dice.index(RequestGenerator.DRIFT_STYLES.size()))
                            : Style.CANONICAL;
            Lines.Status spelled =
                    new Lines.Status(
                            line.eventId(),
                            line.type(),
                            line.origin(),
                            line.region(),
                            line.service(),
                            line.endpoint(),
                            line.summary(),
                            line.version(),
                            style.representable(line.eventTimeMs(), line.eventTimeMs()));
            emit(spelled, style, Expectation.oneStatus());
            return;
        }
        byte[] value =
                switch (fault) {
                    case MALFORMED -> bad.malformed(renderer.status(line, Style.CANONICAL, null));
                    case NOT_OBJECT -> bad.notObject(renderer.status(line, Style.CANONICAL, null));
                    case EMPTY -> new byte[0];
                    case MISSING_FIELD ->
                            renderer.status(
                                    line, Style.CANONICAL, bad.missing(BadRecords.STATUS_REQUIRED));
                    case INVALID_VALUE ->
                            renderer.status(
                                    line, Style.CANONICAL, bad.invalid(BadRecords.STATUS_INVALID));
                };
        schedule(line.eventTimeMs(), value, Expectation.deadLetter(EventKind.STATUS, fault.reason));
    }

    private void emit(Lines.Status line, Style style, Expectation expectation) {
        schedule(line.eventTimeMs(), renderer.status(line, style, null), expectation);
    }

    private void schedule(long eventMs, byte[] value, Expectation expectation) {
        long emitMs = eventMs + dice.between(200, MAX_SHIPPING_MS);
        if (emitMs < config.endMs()) {
            schedule.add(emitMs, RawTopic.STATUS, null, value, expectation, null, false);
        }
    }

    private String eventId() {
        return "evt-" + dice.hex(16);
    }
}
