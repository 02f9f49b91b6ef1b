package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.reference.SloTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The on-call CLI over the incident query catalog: {@code oncall tenant-drilldown --tenant ACME
 * --endpoint /services/data/v60/query --last 15m}. A clear tenant id is tokenized with the
 * configured key (the same HMAC the normalizer applies) and never sent to Pinot; every query that
 * names a tenant is audited first. Answers are printed as a table with availability and error rates
 * computed from the summed counters.
 */
public final class OnCallCli {
    /**
     * The options a query's parameters ask for, as the usage writes them: those that say what the
     * query is about, then (after the range) those that shape its answer.
     */
    private static final Map<String, String> SELECTING_OPTIONS =
            orderedMap(
                    "tenant_token", "--tenant ID",
                    "endpoint", "--endpoint PATH",
                    "service", "--service NAME",
                    "region", "--region REGION",
                    "at", "--at TIME [--span 10m]",
                    "tier", "[--tier PREMIUM]");

    private static final Map<String, String> SHAPING_OPTIONS =
            orderedMap("recent_ms", "[--baseline 1h]", "limit", "[--limit 20]");

    // after the option tables it is made from
    static final String USAGE = usage();

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PinotBroker broker;
    private final Path tenantKey;
    private final AuditLog audit;
    private final String user;
    private final ReferenceData reference;
    private final Clock clock;
    private final PrintStream out;

    public OnCallCli(
            URI broker,
            Path tenantKey,
            AuditLog audit,
            String user,
            ReferenceData reference,
            Clock clock,
            PrintStream out) {
        this.broker = new PinotBroker(broker, Duration.ofSeconds(10));
        this.tenantKey = tenantKey;
        this.audit = audit;
        this.user = user;
        this.reference = reference;
        this.clock = clock;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> global = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (rest.isEmpty()
                    && List.of("--broker", "--tenant-key", "--audit-log", "--user")
                            .contains(args[i])
                    && i + 1 < args.length) {
                global.put(args[i], args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.isEmpty() || rest.contains("--help")) {
            System.out.println(USAGE);
            System.exit(rest.isEmpty() ? 2 : 0);
        }
        String brokerUrl =
                global.getOrDefault("--broker", System.getenv("SERVICE_HEALTH_PINOT_BROKER"));
        if (brokerUrl == null) {
            System.err.println("no Pinot broker: pass --broker URL\n\n" + USAGE);
            System.exit(2);
        }
        String key =
                global.getOrDefault(
                        "--tenant-key", System.getenv("SERVICE_HEALTH_TENANT_KEY_FILE"));
        OnCallCli cli =
                new OnCallCli(
                        URI.create(brokerUrl),
                        key == null ? null : Path.of(key),
                        new AuditLog(
                                Path.of(global.getOrDefault("--audit-log", "oncall-audit.jsonl"))),
                        global.getOrDefault("--user", System.getProperty("user.name")),
                        ReferenceData.bundled(),
                        Clock.systemUTC(),
                        System.out);
        System.exit(cli.execute(rest, System.err));
    }

    /**
     * Runs one query as the command does: a bad command line prints the problem and the usage and
     * gives 2; Pinot unreachable or refusing the query prints one line that names the URL and the
     * cause and gives 1.
     *
     * @return the exit code
     */
    public int execute(List<String> args, PrintStream err) {
        try {
            run(args);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("oncall: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        } catch (IOException e) {
            err.println("oncall: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Runs one query: {@code args} is the query's name followed by its options.
     *
     * @throws IllegalArgumentException on an unknown query, option or value
     */
    public void run(List<String> args) throws IOException {
        IncidentQuery query = query(args.get(0));
        Map<String, String> options = options(args.subList(1, args.size()));
        long to = nextMinute();
        Map<String, Object> parameters = bind(query, options, to);
        String tenantToken = (String) parameters.get("tenant_token");
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown options for " + query.commandName() + ": " + options.keySet());
        }
        if (tenantToken != null) {
            audit.record(user, query, tenantToken, parameters);
        }
        QueryResult result = broker.query(query.sql(parameters));
        out.println("# " + query.question());
        out.println(
                "# "
                        + MINUTE.format(Instant.ofEpochMilli(rangeStart(parameters)))
                        + " to "
                        + MINUTE.format(Instant.ofEpochMilli(rangeEnd(parameters, to)))
                        + " UTC, "
                        + result.rows().size()
                        + " rows in "
                        + result.timeUsedMs()
                        + " ms");
        if (result.rows().isEmpty()) {
            explainEmpty(query, parameters, tenantToken);
            return;
        }
        ResultTable.of(result).print(out);
        if (query == IncidentQuery.ERROR_TREND) {
            out.println(Trend.of(result).describe());
        }
        if (query == IncidentQuery.TIER_SLA) {
            printSla(
                    result,
                    reference
                            .sloTargets()
                            .get(TenantTier.valueOf((String) parameters.get("tier"))));
        }
    }

    /**
     * The query's parameters from the command's options: every option follows from a parameter of
     * the query's SQL, the same way for every query, so a query added to the catalog is a command
     * with no code here. Consumes the options it reads.
     */
    private Map<String, Object> bind(IncidentQuery query, Map<String, String> options, long to)
            throws IOException {
        Set<String> wanted = query.parameters();
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (wanted.contains("to")) {
            parameters.put("to", to);
        }
        if (query.defaultRange().isPresent()) {
            long last = duration(options.remove("--last"), query.defaultRange().get());
            if (wanted.contains("recent_ms")) {
                long baseline = duration(options.remove("--baseline"), "1h");
                parameters.put("recent_ms", last);
                parameters.put("baseline_from", to - last - baseline);
                if (wanted.contains("baseline_scale")) {
                    parameters.put("baseline_scale", (double) last / baseline);
                }
            } else {
                parameters.put("from", to - last);
            }
        }
        if (wanted.contains("limit")) {
            parameters.put("limit", positive("--limit", options.remove("--limit"), 20));
        }
        if (wanted.contains("tier")) {
            String tier = optional(options, "--tier", "PREMIUM").toUpperCase(Locale.ROOT);
            try {
                TenantTier.valueOf(tier);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown tier " + tier + ": one of " + List.of(TenantTier.values()));
            }
            parameters.put("tier", tier);
        }
        if (wanted.contains("endpoint")) {
            parameters.put("endpoint", endpoint(required(options, "--endpoint")));
        }
        if (wanted.contains("service")) {
            parameters.put("service", required(options, "--service"));
        }
        if (wanted.contains("region")) {
            parameters.put("region", required(options, "--region").toUpperCase(Locale.ROOT));
        }
        if (wanted.contains("tenant_token")) {
            String tenant = required(options, "--tenant");
            parameters.put("tenant_token", tokenizer().token(tenant));
        }
        if (wanted.contains("at")) {
            long at = instant(required(options, "--at"));
            parameters.put("at", Math.floorDiv(at, 60_000L) * 60_000L);
            parameters.put("span_ms", duration(options.remove("--span"), "10m"));
        }
        return parameters;
    }

    /**
     * The endpoint value the normalizer gives a path, so that an engineer can paste the path of a
     * log line ({@code /services/data/v60.0/query?q=…}): the catalog's template with the version in
     * one spelling, or the path's own endpoint with ids collapsed. Says so when it differs.
     */
    private String endpoint(String path) {
        EndpointInfo endpoint = reference.serviceCatalog().endpointOf(path);
        if (!endpoint.template().equals(path)) {
            out.println(
                    "# endpoint "
                            + path
                            + " is counted as "
                            + endpoint.template()
                            + (endpoint.catalogued()
                                    ? " (" + endpoint.product() + " / " + endpoint.service() + ")"
                                    : " (not in the service catalog)"));
        }
        return endpoint.template();
    }

    /** The options of a query's command, as the usage shows them, from its parameters. */
    static String synopsis(IncidentQuery query) {
        Set<String> wanted = query.parameters();
        List<String> options = new ArrayList<>();
        addWanted(SELECTING_OPTIONS, wanted, options);
        query.defaultRange().ifPresent(range -> options.add("[--last " + range + "]"));
        addWanted(SHAPING_OPTIONS, wanted, options);
        return String.join(" ", options);
    }

    private static void addWanted(
            Map<String, String> optionByParameter, Set<String> wanted, List<String> options) {
        optionByParameter.forEach(
                (parameter, option) -> {
                    if (wanted.contains(parameter)) {
                        options.add(option);
                    }
                });
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The usage: the global options and every query of the catalog with its options. */
    static String usage() {
        StringBuilder usage =
                new StringBuilder(
                        "usage: oncall [--broker URL] [--tenant-key FILE] [--audit-log FILE]"
                                + " [--user NAME] <query> [options]\n\n"
                                + "queries (the incident query catalog):\n");
        for (IncidentQuery query : IncidentQuery.values()) {
            usage.append(
                    String.format(
                            Locale.ROOT, "  %-22s %s%n", query.commandName(), synopsis(query)));
            usage.append("      ").append(query.question()).append('\n');
        }
        return usage.append(
                        """

                        drilldown is short for tenant-drilldown, drift for schema-drift. TIME: \
                        2026-11-22T14:02:00Z or epoch milliseconds.
                        --broker      Pinot broker URL (default $SERVICE_HEALTH_PINOT_BROKER)
                        --tenant-key  the tenant token key file (default \
                        $SERVICE_HEALTH_TENANT_KEY_FILE)
                        --audit-log   where tenant queries are recorded (default \
                        oncall-audit.jsonl)
                        --user        who asks (default $USER)
                        Ranges end after the current minute, which shows its early value.""")
                .toString();
    }

    private static int positive(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(name + " must be a positive number, not " + value);
    }

    private static String optional(Map<String, String> options, String name, String fallback) {
        String value = options.remove(name);
        return value == null ? fallback : value;
    }

    private static long rangeEnd(Map<String, Object> parameters, long to) {
        return parameters.containsKey("at")
                ? (Long) parameters.get("at") + (Long) parameters.get("span_ms")
                : to;
    }

    /** Where the range the query reads starts: its baseline if it has one. */
    private static long rangeStart(Map<String, Object> parameters) {
        if (parameters.containsKey("at")) {
            return (Long) parameters.get("at") - (Long) parameters.get("span_ms");
        }
        Object start = parameters.getOrDefault("baseline_from", parameters.get("from"));
        return (Long) start;
    }

    /**
     * Why an answer may be empty: how new the table's newest row is (a stalled pipeline, a range in
     * the future or past retention) and, for a tenant, whether Pinot has any row of that tenant and
     * which endpoints it has in the range (a tenant id or an endpoint spelled otherwise).
     */
    private void explainEmpty(IncidentQuery query, Map<String, Object> parameters, String token)
            throws IOException {
        out.println("no rows in " + query.table() + " for this range and these values");
        Optional<String> timeColumn = query.timeColumn();
        if (timeColumn.isPresent()) {
            out.println(
                    newest(
                            query.table(),
                            timeColumn.get(),
                            "",
                            "the newest row of " + query.table()));
        }
        if (token == null) {
            return;
        }
        String tenant = "tenant_token = " + IncidentQuery.literal(token);
        out.println(
                newest(
                        query.table(),
                        "window_start",
                        " WHERE " + tenant,
                        "the newest row of this tenant (any endpoint)"));
        QueryResult endpoints =
                broker.query(
                        "SELECT endpoint, SUM(requests) AS endpoint_requests FROM "
                                + query.table()
                                + " WHERE "
                                + tenant
                                + " AND window_start >= "
                                + parameters.get("from")
                                + " AND window_start < "
                                + parameters.get("to")
                                + " GROUP BY endpoint ORDER BY SUM(requests) DESC LIMIT 10");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < endpoints.rows().size(); i++) {
            names.add(endpoints.value(i, "endpoint").asText());
        }
        out.println(
                names.isEmpty()
                        ? "this tenant has no rows in the range on any endpoint"
                        : "in the range this tenant has rows for the endpoints: "
                                + String.join(", ", names));
    }

    private String newest(String table, String column, String where, String what)
            throws IOException {
        QueryResult newest =
                broker.query(
                        "SELECT MAX("
                                + column
                                + ") AS newest, COUNT(*) AS rows_total FROM "
                                + table
                                + where
                                + " LIMIT 1");
        if (newest.rows().isEmpty() || newest.value(0, "rows_total").asLong() == 0) {
            return what + ": none, Pinot has no such row at all";
        }
        return what
                + ": "
                + MINUTE.format(Instant.ofEpochMilli(newest.value(0, "newest").asLong()))
                + " UTC";
    }

    private void printSla(QueryResult result, SloTarget target) {
        for (int i = 0; i < result.rows().size(); i++) {
            double requests = result.value(i, "requests").asDouble();
            if (requests == 0) {
                continue;
            }
            double availability = 100 * result.value(i, "successes").asDouble() / requests;
            JsonNode p95 = result.value(i, "latency_p95");
            List<String> breaches = new ArrayList<>();
            if (availability < target.availabilityPct()) {
                breaches.add(
                        String.format(
                                Locale.ROOT,
                                "availability %.3f%% < %.2f%%",
                                availability,
                                target.availabilityPct()));
            }
            if (p95.isNumber() && p95.asDouble() > target.latencyP95Ms()) {
                breaches.add(
                        String.format(
                                Locale.ROOT,
                                "P95 %.0f ms > %.0f ms",
                                p95.asDouble(),
                                target.latencyP95Ms()));
            }
            out.println(
                    result.value(i, "region").asText()
                            + ": "
                            + (breaches.isEmpty()
                                    ? "within the " + target.tier() + " SLO"
                                    : "SLO VIOLATED: " + String.join(", ", breaches)));
        }
    }

    private TenantTokenizer tokenizer() throws IOException {
        if (tenantKey == null) {
            throw new IllegalArgumentException(
                    "a tenant query needs the tenant key: --tenant-key FILE");
        }
        return TenantKeyFile.read(tenantKey);
    }

    /** The end of the current minute: ranges include the open minute's early value. */
    private long nextMinute() {
        long now = clock.millis();
        return Math.floorDiv(now, 60_000L) * 60_000L + 60_000L;
    }

    private static long instant(String text) {
        try {
            return text.chars().allMatch(Character::isDigit)
                    ? Long.parseLong(text)
                    : Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a time: " + text);
        }
    }

    private static IncidentQuery query(String name) {
        String normalized =
                switch (name) {
                    case "drilldown" -> "tenant-drilldown";
                    case "drift" -> "schema-drift";
                    default -> name;
                };
        for (IncidentQuery query : IncidentQuery.values()) {
            if (query.commandName().equals(normalized)) {
                return query;
            }
        }
        throw new IllegalArgumentException("unknown query " + name);
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --option value at " + args.get(i));
            }
            options.put(args.get(i), args.get(i + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** {@code 15m}, {@code 1h}, {@code 90s} in milliseconds, whole minutes only. */
    static long duration(String value, String fallback) {
        String text = value == null ? fallback : value;
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        long millis =
                switch (text.charAt(text.length() - 1)) {
                    case 's' -> amount * 1_000;
                    case 'm' -> amount * 60_000;
                    case 'h' -> amount * 3_600_000;
                    case 'd' -> amount * 86_400_000;
                    default -> throw new IllegalArgumentException("not a duration: " + text);
                };
        if (millis <= 0 || millis % 60_000 != 0) {
            throw new IllegalArgumentException(text + ": ranges are whole minutes");
        }
        return millis;
    }
}
