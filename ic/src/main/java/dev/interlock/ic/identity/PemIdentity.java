package dev.interlock.ic.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads an identity from a PEM file as {@code dfx} and {@code icp} keep them: SEC1
 * {@code EC PRIVATE KEY} (dfx's secp256k1 keys, CRLF line ends included, with or without an
 * {@code EC PARAMETERS} block), PKCS#8 {@code PRIVATE KEY} (icp-cli's secp256k1 keys, and Ed25519 keys
 * of older dfx versions). Encrypted keys are refused with the command that exports a plain one.
 */
public final class PemIdentity {
    private PemIdentity() {
    }

    public static Identity load(Path file) throws IOException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not a PEM file (it is not ASCII text)", e);
        }
        try {
            return parse(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Identity parse(String pem) {
        try (Reader r = new StringReader(pem); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    return fromPrivateKeyInfo(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return fromPrivateKeyInfo(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("the key is encrypted; export a plain one with "
                            + "`dfx identity export <name> > identity.pem` (or `icp identity export <name>`) and keep that file private");
                }
                // EC PARAMETERS and other blocks before the key are skipped
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable PEM key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no private key found (expected an EC PRIVATE KEY or PRIVATE KEY block)");
    }

    private static Identity fromPrivateKeyInfo(PrivateKeyInfo info) throws IOException {
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            return new Ed25519Identity(seed);
        }
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object params = info.getPrivateKeyAlgorithm().getParameters();
            if (params != null && !SECObjectIdentifiers.secp256k1.equals(params)) {
                throw new IllegalArgumentException("an EC key on curve " + params + "; the IC accepts secp256k1 (1.3.132.0.10)"
                        + " here (prime256v1 keys are not supported yet)");
            }
            org.bouncycastle.asn1.sec.ECPrivateKey k = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            BigInteger d = k.getKey();
            return new Secp256k1Identity(d);
        }
        throw new IllegalArgumentException("a key of algorithm " + alg + "; supported: secp256k1 and Ed25519");
    }
}
