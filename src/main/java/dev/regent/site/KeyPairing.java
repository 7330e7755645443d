package dev.regent.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Whether a private key is the one of a certificate's public key: a signature made with one verifies with the other. */
final class KeyPairing {
    private static final byte[] CHALLENGE = "regent: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    private KeyPairing() {
    }

    static boolean matches(PrivateKey key, PublicKey certificate) {
        String algorithm = signature(key.getAlgorithm());
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(CHALLENGE);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate);
            verify.update(CHALLENGE);
            return verify.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key of another kind than the certificate's (RSA against EC) cannot verify: not its key.
            return false;
        }
    }

    private static String signature(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> keyAlgorithm;
        };
    }
}
