package dev.servicehealth.serving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident questions as named, parameterized Pinot SQL: the one catalog the on-call CLI, the
 * Grafana dashboards and the tests read. Parameters are written {@code {name}}; times are epoch
 * milliseconds of window starts, ranges half-open {@code [from, to)}.
 *
 * <p>Rules every query keeps: ratios are computed from summed counters (never averaged), and
 * percentiles are merged from the rows' t-digests with {@code percentileTDigest} (never averaged);
 * the tables are upsert tables, so each row is counted once, in its newest version. The queries
 * that compare the last minutes with the time before take the end of the range and the length of
 * the recent part ({@code recent_ms}), so that Grafana can fill them from its time range (Pinot
 * 0.11 does not fold arithmetic on two literals inside a {@code CASE} condition, but computes it on
 * a column).
 */
public enum IncidentQuery {
    /**
     * 1. Global, regional or one zone: per region and availability zone, the last {@code recent_ms}
     * before {@code to} against the time from {@code baseline_from} up to them.
     */
    REGIONAL_AVAILABILITY(
            "Is it global, regional or one zone? Availability and 5xx rate per region and"
                    + " availability zone, now against the hour before",
            """
            SELECT region, availability_zone,
              SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN requests ELSE 0 END) AS requests_now,
              SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN successes ELSE 0 END) AS successes_now,
              SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN server_errors ELSE 0 END) AS server_errors_now,
              SUM(CASE WHEN window_start + {recent_ms} < {to} THEN requests ELSE 0 END) AS requests_before,
              SUM(CASE WHEN window_start + {recent_ms} < {to} THEN successes ELSE 0 END) AS successes_before,
              SUM(CASE WHEN window_start + {recent_ms} < {to} THEN server_errors ELSE 0 END) AS server_errors_before
            FROM service_kpi
            WHERE window_start >= {baseline_from} AND window_start < {to}
            GROUP BY region, availability_zone
            ORDER BY region, availability_zone
            LIMIT 1000""",
            "5m"),

    /** 2. Impacted tenants: 5xx now against each tenant's own rate in the hour before. */
    IMPACTED_TENANTS(
            "Which tenants are hit? Tenants ranked by 5xx above their own baseline, with tier",
            """
            SELECT tenant_token, tenant_tier,
              SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN server_errors ELSE 0 END) AS server_errors_now,
              SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN requests ELSE 0 END) AS requests_now,
              SUM(CASE WHEN window_start + {recent_ms} < {to} THEN server_errors ELSE 0 END) AS server_errors_before,
              SUM(CASE WHEN window_start + {recent_ms} < {to} THEN requests ELSE 0 END) AS requests_before
            FROM drilldown_kpi
            WHERE window_start >= {baseline_from} AND window_start < {to}
            GROUP BY tenant_token, tenant_tier
            ORDER BY SUM(CASE WHEN window_start + {recent_ms} >= {to} THEN server_errors ELSE 0 END)
              - {baseline_scale} * SUM(CASE WHEN window_start + {recent_ms} < {to} THEN server_errors ELSE 0 END) DESC,
              tenant_token
            LIMIT {limit}""",
            "5m"),

    /** 3. Improving or not: per minute and region, the counters the error rate is made of. */
    ERROR_TREND(
            "Is it improving? Per-minute 5xx rate per region over the range",
            """
            SELECT window_start, region,
              SUM(requests) AS requests, SUM(server_errors) AS server_errors,
              SUM(successes) AS successes
            FROM service_kpi
            WHERE window_start >= {from} AND window_start < {to}
            GROUP BY window_start, region
            ORDER BY window_start, region
            LIMIT 10000""",
            "15m",
            "--last",
            "15m"),

    /** 4. SLA of one tier: availability and merged latency percentiles per region. */
    TIER_SLA(
            "Are we violating the SLA of a tier? Availability and latency per region for one tier",
            """
            SELECT region,
              SUM(requests) AS requests, SUM(successes) AS successes,
              SUM(server_errors) AS server_errors,
              PERCENTILETDIGEST(latency_tdigest, 95) AS latency_p95,
              PERCENTILETDIGEST(latency_tdigest, 99) AS latency_p99
            FROM service_kpi
            WHERE tenant_tier = {tier} AND window_start >= {from} AND window_start < {to}
            GROUP BY region
            ORDER BY region
            LIMIT 100""",
            "1h",
            "--tier",
            "PREMIUM",
            "--last",
            "15m"),

    /** 5. Drill-down: one tenant on one endpoint, per minute, all regions. */
    TENANT_DRILLDOWN(
            "What does one tenant see on one endpoint? Per minute, with P50/P95/P99",
            """
            SELECT window_start,
              SUM(requests) AS requests, SUM(successes) AS successes,
              SUM(server_errors) AS server_errors, SUM(client_errors) AS client_errors,
              SUM(throttled) AS throttled,
              PERCENTILETDIGEST(latency_tdigest, 50) AS latency_p50,
              PERCENTILETDIGEST(latency_tdigest, 95) AS latency_p95,
              PERCENTILETDIGEST(latency_tdigest, 99) AS latency_p99
            FROM drilldown_kpi
            WHERE tenant_token = {tenant_token} AND endpoint = {endpoint}
              AND window_start >= {from} AND window_start < {to}
            GROUP BY window_start
            ORDER BY window_start
            LIMIT 1000""",
            "15m",
            "--tenant",
            "ACME",
            "--endpoint",
            "/services/data/v60/query",
            "--last",
            "15m"),

    /** 6. The rolling ops view: the 1-minute rows of the range merged per region and service. */
    ROLLING_OPS_VIEW(
            "The live ops view: the last 5 minutes per region and service, counters summed and"
                    + " sketches merged",
            """
            SELECT region, service,
              SUM(requests) AS requests, SUM(successes) AS successes,
              SUM(server_errors) AS server_errors, SUM(throttled) AS throttled,
              PERCENTILETDIGEST(latency_tdigest, 50) AS latency_p50,
              PERCENTILETDIGEST(latency_tdigest, 95) AS latency_p95,
              PERCENTILETDIGEST(latency_tdigest, 99) AS latency_p99
            FROM service_kpi
            WHERE window_start >= {from} AND window_start < {to}
            GROUP BY region, service
            ORDER BY region, service
            LIMIT 1000""",
            "5m"),

    /** 7a. What changed: the deploys, flag changes and incident tickets of the range. */
    STATUS_CHANGES(
            "What changed? Deploys, feature flags and incident tickets in the range",
            """
            SELECT event_time_ms, kind, origin, region, service, endpoint, version, summary,
              event_id
            FROM status_events
            WHERE event_time_ms >= {from} AND event_time_ms < {to}
            ORDER BY event_time_ms
            LIMIT 1000""",
            "1h",
            "--last",
            "1h"),

    /**
     * 7b. Around a change: one service in one region, {@code span_ms} before the minute of the
     * change ({@code at}) against the same span from that minute on.
     */
    AROUND_CHANGE(
            "Did the change cause it? One service's KPIs before and after a status event",
            """
            SELECT CASE WHEN window_start < {at} THEN 'before' ELSE 'after' END AS side,
              SUM(requests) AS requests, SUM(successes) AS successes,
              SUM(server_errors) AS server_errors,
              SUM(auth_attempts) AS auth_attempts, SUM(auth_failures) AS auth_failures,
              PERCENTILETDIGEST(latency_tdigest, 95) AS latency_p95,
              PERCENTILETDIGEST(token_mint_latency_tdigest, 95) AS token_mint_latency_p95
            FROM service_kpi
            WHERE service = {service} AND region = {region}
              AND window_start + {span_ms} >= {at} AND window_start - {span_ms} < {at}
            GROUP BY CASE WHEN window_start < {at} THEN 'before' ELSE 'after' END
            ORDER BY CASE WHEN window_start < {at} THEN 'before' ELSE 'after' END DESC
            LIMIT 2""",
            null,
            "--service",
            "identity",
            "--region",
            "EMEA",
            "--at",
            IncidentQuery.AT_A_DEPLOY),

    /**
     * 8. What the live numbers miss: events that reached their window after the lateness bound,
     * seen in the range, per window, region and service (from the service grain's contributions, so
     * each event counts once): the windows a backfill must repair.
     */
    TOO_LATE_WINDOWS(
            "What do the live numbers miss? Events too late for their window, per window, region"
                    + " and service: what a backfill must repair",
            """
            SELECT window_start, region, service,
              SUM(events) AS events, MIN(seen_at) AS first_at, MAX(seen_at) AS last_at
            FROM too_late_events
            WHERE grain = 'service' AND seen_at >= {from} AND seen_at < {to}
            GROUP BY window_start, region, service
            ORDER BY window_start, region, service
            LIMIT 10000""",
            "1h",
            "--last",
            "1h"),

    /** 9. Bad input: the records the normalizer dead-lettered in the range, by reason and topic. */
    DEAD_LETTERS(
            "Is bad input arriving? Dead letters per reason and source topic",
            """
            SELECT reason, source_topic, COUNT(*) AS dead_letters,
              MIN(dead_lettered_at_ms) AS first_at, MAX(dead_lettered_at_ms) AS last_at
            FROM dead_letters
            WHERE dead_lettered_at_ms >= {from} AND dead_lettered_at_ms < {to}
            GROUP BY reason, source_topic
            ORDER BY COUNT(*) DESC, reason, source_topic
            LIMIT 1000""",
            "1h",
            "--last",
            "1h"),

    /**
     * 10. Schema drift: what the normalizer saw change in its inputs in the range, per source and
     * producer (user agent, or a status event's origin), so that owners see drift instead of having
     * it tolerated unseen.
     */
    SCHEMA_DRIFT(
            "What changed in the inputs? New fields, renamed fields, changed types and endpoints"
                    + " outside the catalog, per source and producer",
            """
            SELECT source, producer, kind, name, SUM(drift_count) AS occurrences,
              MIN(first_seen_ms) AS first_seen_at, MAX(last_seen_ms) AS last_seen_at
            FROM schema_drift
            WHERE reported_at_ms >= {from} AND reported_at_ms < {to}
            GROUP BY source, producer, kind, name
            ORDER BY SUM(drift_count) DESC, source, producer, kind, name
            LIMIT 1000""",
            "1h",
            "--last",
            "1h");

    /** Where an example's {@code --at} names a deploy: the user fills in its time. */
    public static final String AT_A_DEPLOY = "<a deploy's time>";

    private final String question;
    private final String template;
    private final String defaultRange;
    private final List<String> example;
    private final Set<String> parameters;

    /**
     * @param defaultRange how far back {@code --last} reaches when not given ({@code 15m}); null
     *     for a query whose range is around a time
     * @param example the options of an example command, as the local run prints it
     */
    IncidentQuery(String question, String template, String defaultRange, String... example) {
        this.question = question;
        this.template = template;
        this.defaultRange = defaultRange;
        this.example = List.of(example);
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = Placeholder.PATTERN.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        this.parameters = Set.copyOf(names);
    }

    /** The question the query answers, as an incident commander asks it. */
    public String question() {
        return question;
    }

    /** How far back the command reaches without {@code --last}, if its range ends now. */
    public Optional<String> defaultRange() {
        return Optional.ofNullable(defaultRange);
    }

    /** The command line of an example: the command's name and its options. */
    public List<String> example() {
        List<String> command = new ArrayList<>(List.of(commandName()));
        command.addAll(example);
        return command;
    }

    /** The SQL with {@code {name}} placeholders. */
    public String template() {
        return template;
    }

    public Set<String> parameters() {
        return parameters;
    }

    /** The table the query reads. */
    public String table() {
        Matcher from = Placeholder.TABLE.matcher(template);
        if (!from.find()) {
            throw new IllegalStateException(name() + " reads no table");
        }
        return from.group(1);
    }

    /** The time column the query's range is on, if its range starts at {@code from}. */
    public Optional<String> timeColumn() {
        Matcher range = Placeholder.RANGE_START.matcher(template);
        return range.find() ? Optional.of(range.group(1)) : Optional.empty();
    }

    /** The command-line name: {@code TENANT_DRILLDOWN} → {@code tenant-drilldown}. */
    public String commandName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The SQL with every parameter replaced by a literal: strings quoted (quotes doubled), numbers
     * as they are.
     *
     * @throws IllegalArgumentException if a parameter is missing or unknown, or a value is neither
     *     a string nor a number
     */
    public String sql(Map<String, ?> values) {
        Map<String, String> literals = new HashMap<>();
        values.forEach((name, value) -> literals.put(name, literal(value)));
        return withExpressions(literals);
    }

    /**
     * The SQL with every parameter replaced by the given text as it is: for clients that fill the
     * values in themselves, such as Grafana's macros and variables.
     *
     * @throws IllegalArgumentException if a parameter is missing or unknown
     */
    public String withExpressions(Map<String, String> expressions) {
        List<String> unknown = new ArrayList<>(expressions.keySet());
        unknown.removeAll(parameters);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name() + " has no parameters " + unknown);
        }
        Matcher matcher = Placeholder.PATTERN.matcher(template);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!expressions.containsKey(name)) {
                throw new IllegalArgumentException(name() + " needs parameter " + name);
            }
            matcher.appendReplacement(sql, Matcher.quoteReplacement(expressions.get(name)));
        }
        matcher.appendTail(sql);
        return sql.toString();
    }

    /** Holds the pattern apart: an enum's constructor cannot read the enum's own statics. */
    private static final class Placeholder {
        static final Pattern PATTERN = Pattern.compile("\\{([a-z_]+)}");
        static final Pattern TABLE = Pattern.compile("\\bFROM\\s+([a-z_]+)");
        static final Pattern RANGE_START =
                Pattern.compile("\\b([a-z_]+) >= \\{(?:from|baseline_from)}");
    }

    /** A SQL literal: a string quoted (quotes doubled), a number as it is. */
    static String literal(Object value) {
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof Double number && Double.isFinite(number)) {
            return number.toString();
        }
        throw new IllegalArgumentException("not a string or finite number: " + value);
    }
}
