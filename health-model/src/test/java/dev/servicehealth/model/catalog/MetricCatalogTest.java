package dev.servicehealth.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MetricCatalogTest {
    private static RequestEvent gateway(int status) {
        return RequestEvents.gateway().status(status).build();
    }

    private static RequestEvent auth(AuthOutcome outcome) {
        return RequestEvents.auth(outcome).build();
    }

    @Test
    void classifiesStatusesForAvailability() {
        assertThat(MetricCatalog.SUCCESSES.of(gateway(200))).isEqualTo(1);
        assertThat(MetricCatalog.SUCCESSES.of(gateway(404))).isEqualTo(1);
        assertThat(MetricCatalog.SUCCESSES.of(gateway(429))).isZero();
        assertThat(MetricCatalog.THROTTLED.of(gateway(429))).isEqualTo(1);
        assertThat(MetricCatalog.SERVER_ERRORS.of(gateway(503))).isEqualTo(1);
        assertThat(MetricCatalog.CLIENT_ERRORS.of(gateway(429))).isZero();
    }

    @Test
    void everyGatewayRequestIsEitherAvailableOrAFailureOfOneKind() {
        for (int status = 100; status < 600; status++) {
            RequestEvent e = gateway(status);
            assertThat(
                            MetricCatalog.SUCCESSES.of(e)
                                    + MetricCatalog.SERVER_ERRORS.of(e)
                                    + MetricCatalog.THROTTLED.of(e))
                    .as("status %d", status)
                    .isEqualTo(1);
            assertThat(MetricCatalog.CLIENT_ERRORS.of(e))
                    .as("client errors are served requests, status %d", status)
                    .isLessThanOrEqualTo(MetricCatalog.SUCCESSES.of(e));
        }
    }

    @Test
    void countsAuthFailuresOnlyWhenTheServiceFailed() {
        assertThat(MetricCatalog.AUTH_FAILURES.of(auth(AuthOutcome.INVALID_CREDENTIALS))).isZero();
        assertThat(MetricCatalog.LOGIN_REJECTIONS.of(auth(AuthOutcome.INVALID_CREDENTIALS)))
                .isEqualTo(1);
        assertThat(MetricCatalog.AUTH_FAILURES.of(auth(AuthOutcome.TIMEOUT))).isEqualTo(1);
        assertThat(MetricCatalog.DEPENDENCY_ERRORS.of(auth(AuthOutcome.DEPENDENCY_ERROR)))
                .isEqualTo(1);
        assertThat(MetricCatalog.REQUESTS.of(auth(AuthOutcome.SUCCESS))).isZero();
        assertThat(MetricCatalog.LATENCY.of(auth(AuthOutcome.SUCCESS))).isNaN();
        assertThat(MetricCatalog.TOKEN_MINT_LATENCY.of(auth(AuthOutcome.SUCCESS))).isEqualTo(5);
    }

    @Test
    void kpiNamesAreUnique() {
        Set<String> names = new HashSet<>();
        Stream.of(
                        MetricCatalog.COUNTERS.stream().map(CounterKpi::name),
                        MetricCatalog.RATIOS.stream().map(RatioKpi::name),
                        MetricCatalog.DISTRIBUTIONS.stream().map(DistributionKpi::name),
                        MetricCatalog.SATURATION.stream().map(SaturationKpi::name))
                .flatMap(s -> s)
                .forEach(name -> assertThat(names.add(name)).as(name).isTrue());
    }

    @Test
    void renderedDocumentNamesEveryKpi() {
        String doc = MetricCatalogDocument.render();
        MetricCatalog.COUNTERS.forEach(k -> assertThat(doc).contains("`" + k.name() + "`"));
        MetricCatalog.RATIOS.forEach(k -> assertThat(doc).contains("`" + k.name() + "`"));
        for (PipelineMetric m : PipelineMetric.values()) {
            assertThat(doc).contains(m.prometheusName());
        }
    }
}
