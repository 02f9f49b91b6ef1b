package dev.servicehealth.model.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TenantTokenizerTest {
    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void sameKeyAndTenantGiveSameToken() {
        assertThat(new TenantTokenizer(key(1)).token("ACME"))
                .isEqualTo(new TenantTokenizer(key(1)).token("ACME"))
                .startsWith("tk_")
                .hasSize(3 + 22)
                .doesNotContain("ACME");
    }

    @Test
    void differentKeysOrTenantsGiveDifferentTokens() {
        TenantTokenizer tokenizer = new TenantTokenizer(key(1));
        assertThat(tokenizer.token("ACME")).isNotEqualTo(tokenizer.token("GLOBEX"));
        assertThat(tokenizer.token("ACME")).isNotEqualTo(new TenantTokenizer(key(2)).token("ACME"));
    }

    @Test
    void refusesShortOrMissingKeys() {
        assertThatThrownBy(() -> new TenantTokenizer(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantTokenizer.fromBase64Key(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
