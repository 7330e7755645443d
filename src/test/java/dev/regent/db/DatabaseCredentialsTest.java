package dev.regent.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseCredentialsTest {
    @TempDir
    Path root;

    @Test
    void noPasswordFileMeansNoDatabaseUrl() {
        assertThat(DatabaseCredentials.databaseUrl(new HostLayout(root))).isEmpty();
    }

    @Test
    void theUrlNamesRoleHostPortAndDatabaseWithThePasswordFromTheFile() throws IOException {
        var layout = new HostLayout(root);
        Files.createDirectories(DatabaseCredentials.passwordFile(layout).getParent());
        Files.writeString(DatabaseCredentials.passwordFile(layout), "s3cret\n");

        assertThat(DatabaseCredentials.databaseUrl(layout)).contains("postgres://regent:s3cret@db:5432/regent");
    }

    @Test
    void passwordCharactersThatMeanSomethingInAUrlArePercentEncoded() {
        String url = DatabaseCredentials.urlFor("p@ss:w/rd %+?#é");

        URI uri = URI.create(url);
        assertThat(uri.getHost()).isEqualTo("db");
        assertThat(uri.getPort()).isEqualTo(5432);
        assertThat(uri.getPath()).isEqualTo("/regent");
        assertThat(uri.getUserInfo()).isEqualTo("regent:p@ss:w/rd %+?#é");
        assertThat(url).doesNotContain("+").doesNotContain(" ");
    }

    @Test
    void ensurePasswordMakesARandomOwnerOnlyFileOnceAndKeepsIt() throws IOException {
        Path file = DatabaseCredentials.passwordFile(new HostLayout(root));

        assertThat(DatabaseCredentials.ensurePassword(file, new SecureRandom())).isTrue();
        String first = Files.readString(file);
        assertThat(first.strip()).matches("[0-9a-f]{48}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        assertThat(DatabaseCredentials.ensurePassword(file, new SecureRandom())).isFalse();
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(file.getParent()).isDirectoryNotContaining(p -> !p.equals(file));
    }

    @Test
    void anUnreadablePasswordFileIsAnErrorThatDoesNotLeakIt() throws IOException {
        var layout = new HostLayout(root);
        Path file = DatabaseCredentials.passwordFile(layout);
        Files.createDirectories(file);  // a folder where the file should be: exists, cannot be read

        assertThatThrownBy(() -> DatabaseCredentials.databaseUrl(layout))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deploy/secrets/db-password");
    }
}
