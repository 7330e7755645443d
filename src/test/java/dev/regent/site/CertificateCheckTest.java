package dev.regent.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.spec.SiteSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks on real files made by openssl: what parses, what is unusable and why, what is refused and why. */
class CertificateCheckTest {
    static final String CERT = "deploy/secrets/tls/fullchain.pem";
    static final String KEY = "deploy/secrets/tls/privkey.pem";
    static final SiteSpec.TlsSpec TLS = new SiteSpec.TlsSpec(CERT, KEY, Optional.empty());

    @TempDir
    Path root;

    Path tlsDir() {
        return root.resolve("deploy/secrets/tls");
    }

    static SiteSpec site(List<String> live, List<String> stage) {
        return new SiteSpec(live, stage, Optional.of(TLS), Optional.empty(), List.of());
    }

    CertificateFiles.Parsed parsed() {
        CertificateFiles files = CertificateCheck.read(root, TLS);
        assertThat(files).isInstanceOf(CertificateFiles.Parsed.class);
        return (CertificateFiles.Parsed) files;
    }

    String unusable() {
        CertificateFiles files = CertificateCheck.read(root, TLS);
        assertThat(files).isInstanceOf(CertificateFiles.Unusable.class);
        return ((CertificateFiles.Unusable) files).reason();
    }

    @Test
    void aSelfSignedCertificateWithItsNamesIsServed() {
        TestCertificates.selfSigned(tlsDir(), List.of("www.example.test", "example.test", "stage.example.test"), 90);

        CertificateFiles.Parsed files = parsed();

        assertThat(files.subject()).isEqualTo("CN=www.example.test");
        assertThat(files.issuer()).isEqualTo("CN=www.example.test");
        assertThat(files.names()).containsExactly("www.example.test", "example.test", "stage.example.test");
        assertThat(files.keyMatches()).isTrue();
        assertThat(files.keyExposed()).isEmpty();
        assertThat(files.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(89)), Instant.now().plus(Duration.ofDays(91)));
        assertThat(files.fingerprint()).hasSize(64);
        assertThat(CertificateCheck.refusal(site(List.of("www.example.test", "example.test"),
                List.of("stage.example.test")), files, Instant.now())).isEmpty();
    }

    @Test
    void aWildcardCoversExactlyOneLabel() {
        TestCertificates.selfSigned(tlsDir(), List.of("*.example.test"), 30);
        CertificateFiles.Parsed files = parsed();

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of("stage.example.test")),
                files, Instant.now())).isEmpty();
        assertThat(CertificateCheck.refusal(site(List.of("www.example.test", "example.test"), List.of("a.b.example.test")),
                files, Instant.now())).hasValueSatisfying(reason -> assertThat(reason)
                .contains("the certificate in " + CERT + " does not cover example.test, a.b.example.test (it is for *.example.test)"));
    }

    @Test
    void aChainOfTwoIsReadLeafFirst() throws IOException {
        TestCertificates.TlsFiles made = TestCertificates.chain(tlsDir(), List.of("www.example.test"), 30);

        CertificateFiles.Parsed files = parsed();
        assertThat(files.subject()).isEqualTo("CN=www.example.test");
        assertThat(files.issuer()).isEqualTo("CN=Regent Test CA");
        assertThat(files.keyMatches()).isTrue();

        Files.writeString(made.certificate(), Files.readString(tlsDir().resolve("ca.pem")) + Files.readString(tlsDir().resolve("leaf.pem")));
        assertThat(unusable()).contains("the certificate file " + CERT + " is out of order")
                .contains("certificate 2 (CN=www.example.test)").contains("put that certificate first");
    }

    @Test
    void anEcKeyInSec1FormMatchesItsCertificate() throws IOException {
        TestCertificates.ec(tlsDir(), List.of("www.example.test"), 30);
        assertThat(Files.readString(tlsDir().resolve(TestCertificates.KEY))).contains("BEGIN EC PRIVATE KEY");

        assertThat(parsed().keyMatches()).isTrue();
    }

    @Test
    void aPkcs1RsaKeyMatchesItsCertificate() throws IOException {
        TestCertificates.pkcs1(tlsDir(), List.of("www.example.test"), 30);
        assertThat(Files.readString(tlsDir().resolve(TestCertificates.KEY))).contains("BEGIN RSA PRIVATE KEY");

        assertThat(parsed().keyMatches()).isTrue();
    }

    @Test
    void anEncryptedKeyIsUnusableBecauseNginxWouldAskForItsPassphrase() throws IOException {
        TestCertificates.encryptedKey(tlsDir(), List.of("www.example.test"), 30);
        assertThat(Files.readString(tlsDir().resolve(TestCertificates.KEY))).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(unusable()).startsWith("the key file " + KEY + " is encrypted").contains("passphrase");

        TestCertificates.openssl(tlsDir(), "genrsa", "-traditional", "-aes256", "-passout", "pass:secret",
                "-out", TestCertificates.KEY, "2048");
        assertThat(unusable()).startsWith("the key file " + KEY + " is encrypted");
    }

    @Test
    void theKeyOfAnotherCertificateIsRefused() {
        TestCertificates.keyOfAnother(TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30));
        CertificateFiles.Parsed files = parsed();
        assertThat(files.keyMatches()).isFalse();

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of()), files, Instant.now()))
                .hasValueSatisfying(reason -> assertThat(reason).isEqualTo("the key in " + KEY + " does not match the certificate in "
                        + CERT + " (CN=www.example.test): put the key the certificate was issued for in " + KEY
                        + ", or the certificate issued for this key in " + CERT));
    }

    @Test
    void anExpiredCertificateIsRefusedWithTheDateAndHowLongAgo() {
        TestCertificates.expired(tlsDir(), List.of("www.example.test"));
        CertificateFiles.Parsed files = parsed();
        assertThat(files.keyMatches()).isTrue();

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of()), files, Instant.now()))
                .hasValueSatisfying(reason -> assertThat(reason).isEqualTo("the certificate in " + CERT + " expired "
                        + files.notAfter() + " (30 days ago): renew it and write the new chain to " + CERT + " and its key to " + KEY));
    }

    @Test
    void aCertificateNotYetValidIsRefused() {
        TestCertificates.notYetValid(tlsDir(), List.of("www.example.test"));
        CertificateFiles.Parsed files = parsed();

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of()), files, files.notBefore().minus(Duration.ofDays(3))))
                .hasValue("the certificate in " + CERT + " is not valid until " + files.notBefore()
                        + " (in 3 days): browsers would reject it; install one valid now, or wait");
        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of()), files, files.notBefore())).isEmpty();
    }

    @Test
    void aNameNotCoveredIsRefusedNamingIt() {
        TestCertificates.selfSigned(tlsDir(), List.of("www.example.test", "example.test"), 30);

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of("stage.example.test")), parsed(), Instant.now()))
                .hasValue("the certificate in " + CERT + " does not cover stage.example.test (it is for www.example.test, example.test):"
                        + " get a certificate for every name in spec.site, or remove the names it does not cover");
    }

    @Test
    void aKeyOthersCanReadIsRefusedWithItsModeAndTheFix() {
        TestCertificates.TlsFiles made = TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30);
        TestCertificates.chmod(made.key(), "rw-r--r--");

        CertificateFiles.Parsed files = parsed();
        assertThat(files.keyExposed()).hasValue("the key file " + KEY + " has mode 644, readable by group and others: run chmod 600 " + KEY);
        assertThat(CertificateCheck.refusal(site(List.of("www.example.test"), List.of()), files, Instant.now()))
                .isEqualTo(files.keyExposed());

        TestCertificates.chmod(made.key(), "r--r-----");
        assertThat(parsed().keyExposed()).hasValue("the key file " + KEY + " has mode 440, readable by its group: run chmod 600 " + KEY);
        TestCertificates.chmod(made.key(), "r--------");
        assertThat(parsed().keyExposed()).isEmpty();
    }

    @Test
    void everyProblemFoundIsNamedInOneRefusal() {
        TestCertificates.TlsFiles made = TestCertificates.keyOfAnother(TestCertificates.expired(tlsDir(), List.of("www.example.test")));
        TestCertificates.chmod(made.key(), "rw-r--r--");

        assertThat(CertificateCheck.refusal(site(List.of("www.example.test", "example.test"), List.of()), parsed(), Instant.now()))
                .hasValueSatisfying(reason -> assertThat(reason.split("; "))
                        .satisfiesExactly(
                                r -> assertThat(r).contains("expired"),
                                r -> assertThat(r).contains("does not match"),
                                r -> assertThat(r).contains("does not cover example.test"),
                                r -> assertThat(r).contains("mode 644")));
    }

    @Test
    void missingFilesAreUnusableNamingTheFileAsConfigured() throws IOException {
        assertThat(unusable()).isEqualTo("the certificate file " + CERT + " is missing");

        TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30);
        Files.delete(tlsDir().resolve(TestCertificates.KEY));
        assertThat(unusable()).isEqualTo("the key file " + KEY + " is missing");

        Files.createSymbolicLink(tlsDir().resolve(TestCertificates.KEY), Path.of("../../archive/privkey1.pem"));
        assertThat(unusable()).isEqualTo("the key file " + KEY + " is a link to a file that does not exist (../../archive/privkey1.pem)");
    }

    @Test
    void filesThatAreNotPemAreUnusableSayingWhat() throws IOException {
        TestCertificates.TlsFiles made = TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30);
        byte[] pem = Files.readAllBytes(made.certificate());

        Files.writeString(made.certificate(), "");
        assertThat(unusable()).isEqualTo("the certificate file " + CERT + " is empty");

        Files.writeString(made.certificate(), "hello\n");
        assertThat(unusable()).isEqualTo("the certificate file " + CERT + " is not PEM: there is no -----BEGIN ...----- block in it");

        Files.write(made.certificate(), pem);
        TestCertificates.openssl(tlsDir(), "x509", "-in", TestCertificates.CERTIFICATE, "-outform", "der", "-out", "cert.der");
        Files.copy(tlsDir().resolve("cert.der"), made.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(unusable()).startsWith("the certificate file " + CERT + " is DER (binary), not PEM");

        Files.writeString(made.certificate(), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertThat(unusable()).startsWith("the certificate file " + CERT + " is not valid PEM");
    }

    @Test
    void swappedFilesAreUnusableSayingWhichIsWhich() throws IOException {
        TestCertificates.TlsFiles made = TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30);
        Files.copy(made.key(), tlsDir().resolve("k"));
        Files.copy(made.certificate(), made.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tlsDir().resolve("k"), made.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(unusable()).isEqualTo("the certificate file " + CERT + " holds no certificate, only a private key: is it the key file?");
        Files.copy(made.key(), made.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(unusable()).isEqualTo("the key file " + KEY + " holds no private key, only a certificate: is it the certificate file?");
    }

    @Test
    void aFolderWhereAFileBelongsIsUnusable() throws IOException {
        Files.createDirectories(root.resolve(CERT));
        assertThat(unusable()).isEqualTo("the certificate file " + CERT + " is a folder, not a file");
    }

    @Test
    void aRenewedFileChangesTheFingerprint() {
        TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 30);
        String before = parsed().fingerprint();
        assertThat(parsed().fingerprint()).isEqualTo(before);

        TestCertificates.selfSigned(tlsDir(), List.of("www.example.test"), 60);
        assertThat(parsed().fingerprint()).isNotEqualTo(before);
    }

    @Test
    void withoutTlsNothingIsRefused() {
        var site = new SiteSpec(List.of("www.example.test"), List.of(), Optional.empty(), Optional.empty(), List.of());
        assertThat(CertificateCheck.refusal(site, new CertificateFiles.Unusable("anything"), Instant.now())).isEmpty();
        assertThat(CertificateCheck.refusal(site(List.of(), List.of()), new CertificateFiles.Unusable("the key file k is missing"),
                Instant.now())).hasValue("the key file k is missing");
    }
}
