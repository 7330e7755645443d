package dev.regent.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Certificates and keys made by the host's {@code openssl} (3.0) for tests: each call writes
 * {@value #CERTIFICATE} (the chain, leaf first) and {@value #KEY} (mode 600) into {@code dir},
 * creating it, replacing what was there. The first name is also the subject's CN; every name is a
 * DNS subjectAltName.
 */
public final class TestCertificates {
    public static final String CERTIFICATE = "fullchain.pem";
    public static final String KEY = "privkey.pem";
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private TestCertificates() {
    }

    /** The two files one call wrote. */
    public record TlsFiles(Path certificate, Path key) {
    }

    /** RSA 2048, PKCS#8 key, self-signed, valid from now for {@code days}. */
    public static TlsFiles selfSigned(Path dir, List<String> names, int days) {
        Path d = folder(dir);
        openssl(d, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY);
        return x509(d, names, days);
    }

    /** EC P-256, key as SEC1 ("BEGIN EC PRIVATE KEY", after an "EC PARAMETERS" block), self-signed. */
    public static TlsFiles ec(Path dir, List<String> names, int days) {
        Path d = folder(dir);
        openssl(d, "ecparam", "-name", "prime256v1", "-genkey", "-out", KEY);
        return x509(d, names, days);
    }

    /** RSA 2048, key as PKCS#1 ("BEGIN RSA PRIVATE KEY"), self-signed. */
    public static TlsFiles pkcs1(Path dir, List<String> names, int days) {
        Path d = folder(dir);
        openssl(d, "genrsa", "-traditional", "-out", KEY, "2048");
        return x509(d, names, days);
    }

    /** As {@link #selfSigned}, then the key encrypted (PKCS#8, AES-256) with the passphrase "secret". */
    public static TlsFiles encryptedKey(Path dir, List<String> names, int days) {
        TlsFiles files = selfSigned(dir, names, days);
        openssl(files.key().getParent(), "pkey", "-in", KEY, "-aes256", "-passout", "pass:secret", "-out", KEY + ".enc");
        move(files.key().resolveSibling(KEY + ".enc"), files.key());
        return files;
    }

    /**
     * A leaf signed by a test CA ("Regent Test CA", written as ca.pem and ca-key.pem): the chain
     * file holds the leaf then the CA, as certbot's fullchain.pem holds leaf then intermediate.
     */
    public static TlsFiles chain(Path dir, List<String> names, int days) {
        Path d = folder(dir);
        openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-noenc", "-keyout", "ca-key.pem", "-out", "ca.pem",
                "-subj", "/CN=Regent Test CA", "-days", String.valueOf(days + 1),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(d, "req", "-new", "-newkey", "rsa:2048", "-noenc", "-keyout", KEY, "-out", "leaf.csr",
                "-subj", "/CN=" + names.get(0));
        write(d.resolve("leaf.ext"), "subjectAltName=" + san(names) + "\nbasicConstraints=CA:FALSE\n");
        openssl(d, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", String.valueOf(days), "-extfile", "leaf.ext", "-out", "leaf.pem");
        write(d.resolve(CERTIFICATE), read(d.resolve("leaf.pem")) + read(d.resolve("ca.pem")));
        return done(d);
    }

    /** Self-signed (RSA, PKCS#8 key), valid exactly from {@code notBefore} to {@code notAfter}, made with {@code openssl ca}. */
    public static TlsFiles validBetween(Path dir, List<String> names, Instant notBefore, Instant notAfter) {
        Path d = folder(dir);
        Path ca = d.resolve("ca-db");
        folder(ca);
        write(ca.resolve("index.txt"), "");
        write(ca.resolve("serial"), "1000\n");
        write(d.resolve("ca.cnf"), """
                [ca]
                default_ca = test
                [test]
                database = ca-db/index.txt
                new_certs_dir = ca-db
                serial = ca-db/serial
                default_md = sha256
                policy = anything
                unique_subject = no
                email_in_dn = no
                [anything]
                commonName = supplied
                [leaf]
                basicConstraints = CA:FALSE
                subjectAltName = %s
                """.formatted(san(names)));
        openssl(d, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY);
        openssl(d, "req", "-new", "-key", KEY, "-subj", "/CN=" + names.get(0), "-out", "self.csr");
        openssl(d, "ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", KEY, "-in", "self.csr",
                "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter),
                "-extensions", "leaf", "-notext", "-out", CERTIFICATE);
        return done(d);
    }

    /** Valid from 90 days ago until 30 days ago. */
    public static TlsFiles expired(Path dir, List<String> names) {
        Instant now = Instant.now();
        return validBetween(dir, names, now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(30)));
    }

    /** Valid from 10 days on, for 90 days. */
    public static TlsFiles notYetValid(Path dir, List<String> names) {
        Instant now = Instant.now();
        return validBetween(dir, names, now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(100)));
    }

    /** Replaces the key in {@code files} with a fresh RSA key no certificate was issued for (mode 600). */
    public static TlsFiles keyOfAnother(TlsFiles files) {
        Path d = files.key().getParent();
        openssl(d, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other-key.pem");
        move(d.resolve("other-key.pem"), files.key());
        chmod(files.key(), "rw-------");
        return files;
    }

    /** Sets a file's mode, e.g. "rw-r--r--" for 644. */
    public static void chmod(Path file, String permissions) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the host's openssl in {@code dir}; fails the test with its output unless it exits 0. Returns stdout+stderr. */
    public static String openssl(Path dir, String... args) {
        var command = new ArrayList<String>();
        command.add("openssl");
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TlsFiles x509(Path d, List<String> names, int days) {
        openssl(d, "req", "-x509", "-key", KEY, "-subj", "/CN=" + names.get(0), "-days", String.valueOf(days),
                "-addext", "subjectAltName=" + san(names), "-addext", "basicConstraints=CA:FALSE", "-out", CERTIFICATE);
        return done(d);
    }

    private static TlsFiles done(Path d) {
        chmod(d.resolve(KEY), "rw-------");
        return new TlsFiles(d.resolve(CERTIFICATE), d.resolve(KEY));
    }

    private static String san(List<String> names) {
        return names.stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
    }

    private static Path folder(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
