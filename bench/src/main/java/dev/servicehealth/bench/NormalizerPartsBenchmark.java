package dev.servicehealth.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.ingest.normalize.RawRecordNormalizer;
import dev.servicehealth.ingest.parse.FlatJsonReader;
import dev.servicehealth.ingest.parse.ParsedLine;
import dev.servicehealth.ingest.parse.RejectedRecord;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.reference.ServiceCatalog;
import dev.servicehealth.model.reference.TenantDirectory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pieces of the normalizer's gateway path, each alone on one thread over the same simulator
 * lines as {@link NormalizerBenchmark}, so the whole can be compared with its parts. One operation
 * is one gateway line (or the event made from it); ops/s is lines/s on one core.
 *
 * <ul>
 *   <li>{@code jacksonTokens}: the floor, Jackson's streaming parser walking every token of the
 *       line without reading a value.
 *   <li>{@code flatJsonReader}: {@link FlatJsonReader#read} with the normalizer's own gateway field
 *       list (aliases, coercions, required-field checks).
 *   <li>{@code enrich}: what the normalizer looks up per parsed line: tenant token (HMAC, cached),
 *       tenant tier, endpoint template in the service catalog, region.
 *   <li>{@code catalogResolve}: the service-catalog lookup of {@code enrich} alone.
 *   <li>{@code encode}: the event's Kafka key and its protobuf value, as emitted.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class NormalizerPartsBenchmark {
    @Param("200000")
    public int lines;

    private final JsonFactory plainJson = new JsonFactory();
    private FlatJsonReader reader;
    private TenantTokenizer tokenizer;
    private TenantDirectory tenants;
    private ServiceCatalog catalog;

    private byte[][] values;
    private String[] tenantIds;
    private String[] endpoints;
    private String[] regions;
    private RequestEvent[] events;
    private int nextValue;
    private int nextParsed;
    private int nextEvent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<RawRecord> records = GatewayLines.generate(lines);
        values = records.stream().map(RawRecord::value).toArray(byte[][]::new);

        ReferenceData reference = ReferenceData.bundled();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        tokenizer = new TenantTokenizer(key);
        tenants = reference.tenants();
        catalog = reference.serviceCatalog();

        try (BenchSettings settings = new BenchSettings()) {
            RawRecordNormalizer normalizer =
                    new RawRecordNormalizer(BenchSettings.SOURCE_BY_TOPIC, settings.settings);
            normalizer.open(DefaultOpenContext.INSTANCE);
            reader = gatewayReaderOf(normalizer);
            events = eventsOf(normalizer, records);
        }
        extractLookupKeys();
    }

    /**
     * The reader the normalizer itself built, so this benchmark cannot drift from the production
     * field list; a renamed field fails here, loudly, rather than measuring a stale copy.
     */
    private static FlatJsonReader gatewayReaderOf(RawRecordNormalizer normalizer)
            throws ReflectiveOperationException {
        return (FlatJsonReader) privateField(privateField(normalizer, "requests"), "gateway");
    }

    private static Object privateField(Object owner, String name)
            throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** The request events the normalizer makes of the lines, decoded back from its output. */
    private static RequestEvent[] eventsOf(RawRecordNormalizer normalizer, List<RawRecord> records)
            throws Exception {
        List<RequestEvent> decoded = new ArrayList<>(records.size());
        Collector<NormalizedRecord> collector =
                new Collector<>() {
                    @Override
                    public void collect(NormalizedRecord record) {
                        decoded.add(EventCodec.decodeRequest(record.value()));
                    }

                    @Override
                    public void close() {}
                };
        CountingOutputs deadLetters = new CountingOutputs();
        for (RawRecord record : records) {
            normalizer.processElement(record, deadLetters.contextFor(normalizer), collector);
        }
        return decoded.toArray(new RequestEvent[0]);
    }

    private void extractLookupKeys() {
        int tenant = reader.indexOf("tenant_id");
        int endpoint = reader.indexOf("endpoint");
        int region = reader.indexOf("region");
        List<String[]> keys = new ArrayList<>(values.length);
        for (byte[] value : values) {
            try {
                ParsedLine line = reader.read(value);
                keys.add(
                        new String[] {
                            line.string(tenant), line.string(endpoint), line.string(region)
                        });
            } catch (RejectedRecord rejected) {
                // dead-letter material has nothing to enrich
            }
        }
        tenantIds = keys.stream().map(k -> k[0]).toArray(String[]::new);
        endpoints = keys.stream().map(k -> k[1]).toArray(String[]::new);
        regions = keys.stream().map(k -> k[2]).toArray(String[]::new);
    }

    @Benchmark
    public int jacksonTokens() {
        byte[] value = values[nextValue];
        nextValue = nextValue + 1 == values.length ? 0 : nextValue + 1;
        int tokens = 0;
        try (JsonParser parser = plainJson.createParser(value)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        } catch (IOException malformed) {
            return -tokens;
        }
        return tokens;
    }

    @Benchmark
    public int flatJsonReader() {
        byte[] value = values[nextValue];
        nextValue = nextValue + 1 == values.length ? 0 : nextValue + 1;
        try {
            return reader.read(value).unknownFields();
        } catch (RejectedRecord rejected) {
            return -1;
        }
    }

    @Benchmark
    public void enrich(Blackhole blackhole) {
        int i = nextParsed;
        nextParsed = nextParsed + 1 == tenantIds.length ? 0 : nextParsed + 1;
        blackhole.consume(tokenizer.token(tenantIds[i]));
        blackhole.consume(tenants.tierOf(tenantIds[i]));
        blackhole.consume(catalog.resolve(endpoints[i]));
        blackhole.consume(Region.parse(regions[i]));
    }

    @Benchmark
    public Optional<EndpointInfo> catalogResolve() {
        int i = nextParsed;
        nextParsed = nextParsed + 1 == endpoints.length ? 0 : nextParsed + 1;
        return catalog.resolve(endpoints[i]);
    }

    @Benchmark
    public void encode(Blackhole blackhole) {
        RequestEvent event = events[nextEvent];
        nextEvent = nextEvent + 1 == events.length ? 0 : nextEvent + 1;
        blackhole.consume(EventCodec.key(event.dedupKey()));
        blackhole.consume(EventCodec.encode(event));
    }
}
