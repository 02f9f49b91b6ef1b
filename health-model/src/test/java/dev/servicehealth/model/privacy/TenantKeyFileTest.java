package dev.servicehealth.model.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantKeyFileTest {
    @TempDir Path tmp;

    @Test
    void writesAKeyOnlyItsOwnerCanReadAndReadsItBack() throws Exception {
        Path file = tmp.resolve("tenant.key");
        byte[] key = TenantKeyFile.writeRandom(file);

        assertThat(key).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(TenantKeyFile.read(file).token("ACME"))
                .isEqualTo(new TenantTokenizer(key).token("ACME"));
    }
}
