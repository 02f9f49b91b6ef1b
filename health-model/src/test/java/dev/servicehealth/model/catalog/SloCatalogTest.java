package dev.servicehealth.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.ReferenceData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SloCatalogTest {
    private static final Map<String, ServiceLevelObjective> SLOS =
            SloCatalog.of(ReferenceData.bundled().sloTargets()).stream()
                    .collect(Collectors.toMap(ServiceLevelObjective::id, Function.identity()));

    @Test
    void takesEveryTiersTargetsFromTheSeeds() {
        assertThat(SLOS)
                .containsOnlyKeys(
                        List.of("premium", "standard", "free").stream()
                                .flatMap(
                                        t ->
                                                List.of(
                                                        "availability." + t,
                                                        "latency_p95." + t,
                                                        "latency_p99." + t,
                                                        "auth_availability." + t)
                                                        .stream())
                                .toList());
        assertThat(SLOS.get("availability.premium").objective()).isCloseTo(0.9995, within(1e-12));
        assertThat(SLOS.get("availability.premium").errorBudget()).isCloseTo(5e-4, within(1e-12));
        assertThat(SLOS.get("auth_availability.free").objective()).isCloseTo(0.98, within(1e-12));
        assertThat(SLOS.get("latency_p99.standard").objective()).isEqualTo(0.99);
    }

    @Test
    void judgesWithTheMetricCatalogsDefinitionsAndOnlyItsOwnTier() {
        ServiceLevelObjective availability = SLOS.get("availability.premium");
        RequestEvents premium = RequestEvents.gateway().tier(TenantTier.PREMIUM);
        assertThat(availability.judge(premium.status(200).build())).isEqualTo(SloJudgement.GOOD);
        assertThat(availability.judge(premium.status(404).build())).isEqualTo(SloJudgement.GOOD);
        assertThat(availability.judge(premium.status(429).build())).isEqualTo(SloJudgement.BAD);
        assertThat(availability.judge(premium.status(503).build())).isEqualTo(SloJudgement.BAD);
        assertThat(availability.judge(RequestEvents.gateway().tier(TenantTier.FREE).build()))
                .isEqualTo(SloJudgement.NOT_COUNTED);
        assertThat(
                        availability.judge(
                                RequestEvents.auth(AuthOutcome.SUCCESS)
                                        .tier(TenantTier.PREMIUM)
                                        .build()))
                .isEqualTo(SloJudgement.NOT_COUNTED);

        ServiceLevelObjective auth = SLOS.get("auth_availability.premium");
        RequestEvents premiumAuth =
                RequestEvents.auth(AuthOutcome.TIMEOUT).tier(TenantTier.PREMIUM);
        assertThat(auth.judge(premiumAuth.build())).isEqualTo(SloJudgement.BAD);
        assertThat(
                        auth.judge(
                                RequestEvents.auth(AuthOutcome.INVALID_CREDENTIALS)
                                        .tier(TenantTier.PREMIUM)
                                        .build()))
                .as("a wrong password is not our failure")
                .isEqualTo(SloJudgement.GOOD);

        ServiceLevelObjective p95 = SLOS.get("latency_p95.premium");
        assertThat(p95.judge(premium.latency(300).build())).isEqualTo(SloJudgement.GOOD);
        assertThat(p95.judge(premium.latency(301).build())).isEqualTo(SloJudgement.BAD);
        assertThat(p95.judge(premium.latency(Double.NaN).build()))
                .isEqualTo(SloJudgement.NOT_COUNTED);
    }

    @Test
    void aTotalOutageAt999TakesAbout52SecondsToTripTheHourlyPairAndSixTheFastOne() {
        ServiceLevelObjective standard = SLOS.get("availability.standard");
        BurnRateRule hourly =
                BurnRateRule.ALL.stream().filter(r -> r.name().equals("1h")).findFirst().get();
        assertThat(hourly.timeToTrip(standard, 1)).contains(Duration.ofMillis(51_840));
        assertThat(BurnRateRule.FAST.timeToTrip(standard, 1)).contains(Duration.ofSeconds(6));
        assertThat(BurnRateRule.FAST.timeToTrip(SLOS.get("auth_availability.free"), 0.8))
                .as("the EMEA auth outage fails 80 % of the free tier's auth operations")
                .contains(Duration.ofMillis(21_600));
        assertThat(BurnRateRule.FAST.timeToTrip(SLOS.get("latency_p95.free"), 0.5))
                .as("half the requests slow burn a 5 % budget at 10 ×, never 14.4 ×")
                .isEmpty();
    }

    @Test
    void aPairTripsOnlyWhenBothWindowsBurnAndTheLongOneHoldsEnoughEvents() {
        ServiceLevelObjective slo = SLOS.get("availability.standard");
        BurnRateRule fast = BurnRateRule.FAST;
        assertThat(fast.trips(slo, 10, 100, 2, 20)).isTrue();
        assertThat(fast.trips(slo, 10, 100, 1, 20)).as("short window below 10 %").isFalse();
        assertThat(fast.trips(slo, 9, 100, 2, 20)).as("long window below 10 %").isFalse();
        assertThat(fast.trips(slo, 1, 3, 1, 3)).as("three requests are too few").isFalse();
        assertThat(fast.trips(slo, 10, 100, 0, 0)).as("0/0 is no data, not a page").isFalse();

        BurnRateRule sixHours =
                BurnRateRule.ALL.stream().filter(r -> r.name().equals("6h")).findFirst().get();
        ServiceLevelObjective premium = SLOS.get("availability.premium");
        assertThat(sixHours.trips(premium, 2, 200, 1, 30))
                .as("1 % of 200 is over 0.3 %, but 0.3 % of 200 is not five bad events")
                .isFalse();
        assertThat(sixHours.trips(premium, 20, 2_000, 3, 400)).isTrue();
        assertThat(sixHours.trips(premium, 20, 2_000, 1, 100))
                .as("one stray error in a short window of 100 cannot confirm a burn at 0.3 %")
                .isFalse();
    }
}
