package dev.servicehealth.model.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.catalog.BurnRateRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PageJsonTest {
    private static final ScopePage EMEA =
            new ScopePage(
                    BurnRateRule.Severity.PAGE,
                    ScopeLevel.REGION,
                    "EMEA",
                    AlertState.FIRING,
                    new String[] {"auth_availability.premium", "availability.standard"},
                    new String[] {"fast", "1h"},
                    new double[] {52.0, 20.1},
                    new double[] {90.0, 31.5},
                    new double[] {0.97, 0.99},
                    new String[] {"auth_availability.premium|GLOBAL|all|PAGE"},
                    1_000,
                    2_000,
                    1_500);

    @Test
    void readsBackWhatItWrote() throws IOException {
        ScopePage read = PageJson.read(PageJson.write(EMEA));

        assertThat(read.pageKey()).isEqualTo("PAGE|REGION|EMEA");
        assertThat(read).usingRecursiveComparison().isEqualTo(EMEA);
    }

    @Test
    void refusesAPageWithoutAPairForEachObjective() {
        String json =
                new String(PageJson.write(EMEA), StandardCharsets.UTF_8)
                        .replace("[\"fast\",\"1h\"]", "[\"fast\"]");

        assertThatThrownBy(() -> PageJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("2 objectives");
    }

    @Test
    void refusesAPageWithoutItsPlace() {
        String json =
                new String(PageJson.write(EMEA), StandardCharsets.UTF_8)
                        .replace("\"scope\":\"EMEA\",", "");

        assertThatThrownBy(() -> PageJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("place");
    }
}
