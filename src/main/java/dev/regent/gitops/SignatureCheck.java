package dev.regent.gitops;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Verifies a commit's OpenPGP signature (the {@code gpgsig} header) against a keyring of trusted
 * public keys (an armored export, `gpg --export --armor KEY...`), with BouncyCastle as JGit's
 * gpg.bc module brings it. Unsigned commits and signatures by keys outside the keyring are refused.
 */
public final class SignatureCheck {
    private final PGPPublicKeyRingCollection trusted;

    private SignatureCheck(PGPPublicKeyRingCollection trusted) {
        this.trusted = trusted;
    }

    public static SignatureCheck fromKeyring(Path armoredKeys) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(armoredKeys))) {
            return new SignatureCheck(new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator()));
        } catch (PGPException e) {
            throw new IOException("could not read the trusted keys in " + armoredKeys + ": " + e.getMessage(), e);
        }
    }

    /** Empty when {@code rawCommit} (the commit object's bytes) carries a good signature by a trusted key; else why not. */
    public Optional<String> reject(byte[] rawCommit) {
        Split split = split(rawCommit);
        if (split.signature().isEmpty()) {
            return Optional.of("the commit is not signed");
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(split.signature().get()))) {
            Object first = new JcaPGPObjectFactory(in).nextObject();
            if (!(first instanceof PGPSignatureList list) || list.isEmpty()) {
                return Optional.of("the commit's signature is not an OpenPGP signature");
            }
            PGPSignature signature = list.get(0);
            PGPPublicKey key = trusted.getPublicKey(signature.getKeyID());
            if (key == null) {
                return Optional.of(String.format("signed by key %016X, which is not among the trusted keys", signature.getKeyID()));
            }
            signature.init(new JcaPGPContentVerifierBuilderProvider(), key);
            signature.update(split.payload());
            return signature.verify() ? Optional.empty()
                    : Optional.of(String.format("the signature by key %016X does not match the commit", signature.getKeyID()));
        } catch (IOException | PGPException | RuntimeException e) {
            return Optional.of("the signature could not be checked: " + e.getMessage());
        }
    }

    /**
     * Who signed {@code rawCommit}: the trusted key's first user ID and key id when the signature
     * verifies; empty when unsigned or not verified by a trusted key.
     */
    public Optional<String> signer(byte[] rawCommit) {
        if (reject(rawCommit).isPresent()) {
            return Optional.empty();
        }
        return signingKey(rawCommit).map(id -> {
            PGPPublicKey key = findKey(id);
            java.util.Iterator<String> users = key == null ? java.util.Collections.emptyIterator() : key.getUserIDs();
            String keyId = String.format("key %016X", id);
            return users.hasNext() ? users.next() + " (" + keyId + ")" : keyId;
        });
    }

    private PGPPublicKey findKey(long id) {
        try {
            return trusted.getPublicKey(id);
        } catch (Exception e) {
            return null;
        }
    }

    /** The id of the key that signed {@code rawCommit}, verified or not; empty when it is not signed. */
    public static Optional<Long> signingKey(byte[] rawCommit) {
        Optional<byte[]> signature = split(rawCommit).signature();
        if (signature.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature.get()))) {
            Object first = new JcaPGPObjectFactory(in).nextObject();
            return first instanceof PGPSignatureList list && !list.isEmpty() ? Optional.of(list.get(0).getKeyID())
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The commit without its gpgsig header (what was signed), and the signature itself. */
    private static Split split(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\n\n");
        String headers = headerEnd < 0 ? text : text.substring(0, headerEnd + 1);
        String body = headerEnd < 0 ? "" : text.substring(headerEnd + 1);
        var payload = new StringBuilder();
        var signature = new StringBuilder();
        boolean inSignature = false;
        for (String line : headers.split("\n", -1)) {
            if (line.startsWith("gpgsig ")) {
                inSignature = true;
                signature.append(line.substring("gpgsig ".length())).append('\n');
            } else if (inSignature && line.startsWith(" ")) {
                signature.append(line.substring(1)).append('\n');
            } else {
                inSignature = false;
                if (!line.isEmpty()) {
                    payload.append(line).append('\n');
                }
            }
        }
        payload.append(body);
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(payload.toString().getBytes(StandardCharsets.UTF_8));
        return new Split(bytes.toByteArray(),
                signature.isEmpty() ? Optional.empty() : Optional.of(signature.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private record Split(byte[] payload, Optional<byte[]> signature) {
    }
}
