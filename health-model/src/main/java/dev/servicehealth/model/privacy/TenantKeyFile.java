package dev.servicehealth.model.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The tenant key as a file: one line of base64, readable by its owner only. Production mounts it
 * from a secret store; the local run and the tests make a fresh random one.
 */
public final class TenantKeyFile {
    private static final int KEY_BYTES = 32;

    private TenantKeyFile() {}

    /** Writes a new random key to {@code file} (owner read/write only) and returns it. */
    public static byte[] writeRandom(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    /** A tokenizer with the key in {@code file}. */
    public static TenantTokenizer read(Path file) throws IOException {
        return TenantTokenizer.fromBase64Key(Files.readString(file, StandardCharsets.US_ASCII));
    }
}
