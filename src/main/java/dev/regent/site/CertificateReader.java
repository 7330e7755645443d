package dev.regent.site;

import dev.regent.spec.SiteSpec;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads the configured chain and key into {@link CertificateFiles}; every problem becomes an Unusable naming the file. */
final class CertificateReader {
    /** Far above any real chain; keeps a wrong path (a log, a dump) from being read whole. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Path root;
    private final SiteSpec.TlsSpec tls;

    private CertificateReader(Path root, SiteSpec.TlsSpec tls) {
        this.root = root;
        this.tls = tls;
    }

    /** An internal early exit carrying the reason; never leaves this class. */
    private static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    static CertificateFiles read(Path root, SiteSpec.TlsSpec tls) {
        try {
            return new CertificateReader(root, tls).parse();
        } catch (Unusable e) {
            return new CertificateFiles.Unusable(e.getMessage());
        }
    }

    private CertificateFiles parse() throws Unusable {
        String certName = "the certificate file " + tls.certificate();
        String keyName = "the key file " + tls.key();
        byte[] chainBytes = bytes(root.resolve(tls.certificate()), certName);
        byte[] keyBytes = bytes(root.resolve(tls.key()), keyName);
        List<X509CertificateHolder> chain = chain(chainBytes, certName);
        PrivateKey key = key(keyBytes, keyName);
        X509CertificateHolder leaf = chain.get(0);
        boolean matches = KeyPairing.matches(key, publicKey(leaf, certName));
        if (!matches) {
            for (int i = 1; i < chain.size(); i++) {
                if (KeyPairing.matches(key, publicKey(chain.get(i), certName))) {
                    throw new Unusable(certName + " is out of order: the key in " + tls.key() + " belongs to its certificate "
                            + (i + 1) + " (" + chain.get(i).getSubject() + "), but nginx serves the first one as the site's"
                            + " certificate: put that certificate first, then the intermediates");
                }
            }
        }
        return new CertificateFiles.Parsed(leaf.getSubject().toString(), leaf.getIssuer().toString(), dnsNames(leaf),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), matches,
                exposed(root.resolve(tls.key()), tls.key()), fingerprint(chainBytes, keyBytes));
    }

    private static byte[] bytes(Path file, String name) throws Unusable {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            throw new Unusable(name + " is a link to a file that does not exist" + linkTarget(file));
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unusable(name + " is missing");
        }
        if (Files.isDirectory(file)) {
            throw new Unusable(name + " is a folder, not a file");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Unusable(name + " is " + Files.size(file) + " bytes, too large for a PEM file: is the path right?");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw new Unusable(name + " is empty");
            }
            return bytes;
        } catch (AccessDeniedException e) {
            throw new Unusable(name + " cannot be read (permission denied): Regent checks it before nginx loads it, so the user"
                    + " Regent runs as must be able to read it (root, as for nginx)");
        } catch (NoSuchFileException e) {
            throw new Unusable(name + " is missing");
        } catch (IOException e) {
            throw new Unusable(name + " cannot be read: " + e);
        }
    }

    private static String linkTarget(Path link) {
        try {
            return " (" + Files.readSymbolicLink(link) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Object> pemObjects(byte[] bytes, String name) throws Unusable {
        var objects = new ArrayList<Object>();
        try (var parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new Unusable(name + " is not valid PEM: " + e.getMessage());
        }
        if (objects.isEmpty()) {
            throw new Unusable(bytes[0] == 0x30
                    ? name + " is DER (binary), not PEM: convert it, e.g. openssl x509 -inform der (certificate) or openssl pkey -inform der (key)"
                    : name + " is not PEM: there is no -----BEGIN ...----- block in it");
        }
        return objects;
    }

    private static List<X509CertificateHolder> chain(byte[] bytes, String name) throws Unusable {
        List<Object> objects = pemObjects(bytes, name);
        List<X509CertificateHolder> chain = objects.stream().filter(X509CertificateHolder.class::isInstance)
                .map(X509CertificateHolder.class::cast).toList();
        if (chain.isEmpty()) {
            boolean key = objects.stream().anyMatch(o -> o instanceof PEMKeyPair || o instanceof PrivateKeyInfo
                    || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair);
            throw new Unusable(name + " holds no certificate" + (key ? ", only a private key: is it the key file?" : ""));
        }
        return chain;
    }

    private static PrivateKey key(byte[] bytes, String name) throws Unusable {
        boolean certificate = false;
        for (Object o : pemObjects(bytes, name)) {
            PrivateKeyInfo info = null;
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new Unusable(name + " is encrypted: nginx would need its passphrase; write it decrypted"
                        + " (openssl pkey -in encrypted.pem -out key.pem) and keep it mode 600");
            } else if (o instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (o instanceof PrivateKeyInfo plain) {
                info = plain;
            } else if (o instanceof X509CertificateHolder) {
                certificate = true;
            }
            if (info != null) {
                try {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                } catch (IOException | RuntimeException e) {
                    throw new Unusable(name + " holds a key of a kind Regent cannot read ("
                            + info.getPrivateKeyAlgorithm().getAlgorithm() + "): " + e.getMessage());
                }
            }
        }
        throw new Unusable(name + " holds no private key" + (certificate ? ", only a certificate: is it the certificate file?" : ""));
    }

    private static PublicKey publicKey(X509CertificateHolder certificate, String name) throws Unusable {
        try {
            return new JcaPEMKeyConverter().getPublicKey(certificate.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new Unusable(name + " holds a certificate whose public key Regent cannot read ("
                    + certificate.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm() + "): " + e.getMessage());
        }
    }

    private static List<String> dnsNames(X509CertificateHolder certificate) {
        GeneralNames names = GeneralNames.fromExtensions(certificate.getExtensions(), Extension.subjectAlternativeName);
        if (names == null) {
            return List.of();
        }
        var dns = new ArrayList<String>();
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() == GeneralName.dNSName) {
                dns.add(n.getName().toString());
            }
        }
        return dns;
    }

    /** Group or others may read the key (followed through links, as nginx opens it). */
    private static Optional<String> exposed(Path key, String configured) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(key);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean group = perms.contains(PosixFilePermission.GROUP_READ);
        boolean others = perms.contains(PosixFilePermission.OTHERS_READ);
        if (!group && !others) {
            return Optional.empty();
        }
        return Optional.of("the key file " + configured + " has mode " + mode(perms) + ", readable by "
                + (group && others ? "group and others" : group ? "its group" : "others")
                + ": run chmod 600 " + configured);
    }

    static String mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%03o", mode);
    }

    private static String fingerprint(byte[] chain, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(chain);
            sha.update(key);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
