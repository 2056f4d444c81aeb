package dev.interlock.ic.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;

public class PemIdentityTest {
    /** A secp256k1 key made with `openssl ecparam -name secp256k1 -genkey -noout` (agent-rs's test vector). */
    public static final String SEC1 = """
            -----BEGIN EC PARAMETERS-----
            BgUrgQQACg==
            -----END EC PARAMETERS-----
            -----BEGIN EC PRIVATE KEY-----
            MHQCAQEEIAgy7nZEcVHkQ4Z1Kdqby8SwyAiyKDQmtbEHTIM+WNeBoAcGBSuBBAAK
            oUQDQgAEgO87rJ1ozzdMvJyZQ+GABDqUxGLvgnAnTlcInV3NuhuPv4O3VGzMGzeB
            N3d26cRxD99TPtm8uo2OuzKhSiq6EQ==
            -----END EC PRIVATE KEY-----
            """;
    /** Its public key as `openssl ec -pubout -outform DER` writes it. */
    static final String SEC1_DER = "3056301006072a8648ce3d020106052b8104000a0342000480ef3bac9d68cf374cbc9c9943e180043a94c462ef8270274e57"
            + "089d5dcdba1b8fbf83b7546ccc1b3781377776e9c4710fdf533ed9bcba8d8ebb32a14a2aba11";

    @Test
    void aDfxSecp256k1KeyGivesTheDerPublicKeyOpensslGivesAndItsSelfAuthenticatingPrincipal() {
        Identity id = PemIdentity.parse(SEC1);
        assertThat(id.kind()).isEqualTo("secp256k1");
        assertThat(HexFormat.of().formatHex(id.publicKeyDer())).isEqualTo(SEC1_DER);
        byte[] der = HexFormat.of().parseHex(SEC1_DER);
        byte[] expected = java.util.Arrays.copyOf(Hashes.sha224(der), 29);
        expected[28] = 0x02;
        assertThat(id.principal()).isEqualTo(Principal.of(expected));
    }

    @Test
    void crlfLineEndsAndAPkcs8EncodingOfTheSameKeyReadTheSame() throws Exception {
        assertThat(PemIdentity.parse(SEC1.replace("\n", "\r\n")).principal()).isEqualTo(PemIdentity.parse(SEC1).principal());

        PrivateKeyInfo info;
        try (PEMParser p = new PEMParser(new java.io.StringReader(SEC1))) {
            Object o;
            while (!((o = p.readObject()) instanceof PEMKeyPair)) {
                assertThat(o).isNotNull();
            }
            info = ((PEMKeyPair) o).getPrivateKeyInfo();
        }
        String pkcs8 = pem("PRIVATE KEY", info.getEncoded());
        assertThat(pkcs8).contains("BEGIN PRIVATE KEY");
        assertThat(PemIdentity.parse(pkcs8).principal()).isEqualTo(PemIdentity.parse(SEC1).principal());
    }

    @Test
    void secp256k1SignaturesVerifyAndAreAlwaysLowS() {
        Identity id = PemIdentity.parse(SEC1);
        X9ECParameters curve = SECNamedCurves.getByName("secp256k1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        byte[] der = id.publicKeyDer();
        byte[] point = java.util.Arrays.copyOfRange(der, der.length - 65, der.length);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(curve.getCurve().decodePoint(point), domain));
        for (int i = 0; i < 64; i++) {
            byte[] msg = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = id.sign(msg);
            assertThat(sig).hasSize(64);
            BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
            BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
            assertThat(s).isLessThanOrEqualTo(curve.getN().shiftRight(1));
            assertThat(verifier.verifySignature(Hashes.sha256(msg), r, s)).as("signature %d", i).isTrue();
        }
    }

    @Test
    void anEd25519Pkcs8KeySignsWhatTheJdkVerifiesWithItsDerPublicKey() throws Exception {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (i * 7 + 1);
        }
        PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DEROctetString(seed));
        Identity id = PemIdentity.parse(pem("PRIVATE KEY", info.getEncoded()));
        assertThat(id.kind()).isEqualTo("Ed25519");
        assertThat(HexFormat.of().formatHex(id.publicKeyDer())).startsWith("302a300506032b6570032100").hasSize(88);

        byte[] msg = "\nic-request and a request id".getBytes(StandardCharsets.UTF_8);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(id.publicKeyDer())));
        jdk.update(msg);
        assertThat(jdk.verify(id.sign(msg))).isTrue();
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheCommandThatExportsAPlainOne() throws Exception {
        String encrypted = pem("ENCRYPTED PRIVATE KEY", new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_PBES2), new byte[16]).getEncoded());
        assertThatThrownBy(() -> PemIdentity.parse(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted").hasMessageContaining("dfx identity export");
        assertThatThrownBy(() -> PemIdentity.parse("hello")).hasMessageContaining("no private key found");
    }

    private static String pem(String type, byte[] der) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(new PemObject(type, der));
        }
        return w.toString();
    }
}
