package dev.servicehealth.model.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a clear tenant id by a keyed token: {@code tk_} + base64url of the first 16 bytes of
 * HMAC-SHA256(key, tenant_id). Without the key a token cannot be reversed nor forged; with it, an
 * authorised tool (the on-call CLI) can compute the token of a tenant it is asked about.
 *
 * <p>Not thread-safe: one instance per operator subtask. Tokens are cached (tenants are few, events
 * many) in a bounded LRU map so the HMAC runs once per tenant, not once per event.
 */
public final class TenantTokenizer {
    /** Environment variable holding the base64 key in the jobs and tools that need it. */
    public static final String KEY_ENV = "SERVICE_HEALTH_TENANT_KEY";

    private static final int MIN_KEY_BYTES = 32;
    private static final int CACHE_SIZE = 65_536;
    private static final int TOKEN_BYTES = 16;

    private final Mac mac;
    private final Map<String, String> cache =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > CACHE_SIZE;
                }
            };

    public TenantTokenizer(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "tenant tokenization key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Decodes a base64 key as stored in {@link #KEY_ENV} or a secret file. */
    public static TenantTokenizer fromBase64Key(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("tenant tokenization key is not set");
        }
        return new TenantTokenizer(Base64.getDecoder().decode(base64Key.trim()));
    }

    public String token(String tenantId) {
        String token = cache.get(tenantId);
        if (token == null) {
            byte[] digest = mac.doFinal(tenantId.getBytes(StandardCharsets.UTF_8));
            byte[] prefix = new byte[TOKEN_BYTES];
            System.arraycopy(digest, 0, prefix, 0, TOKEN_BYTES);
            token = "tk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(prefix);
            cache.put(tenantId, token);
        }
        return token;
    }
}
