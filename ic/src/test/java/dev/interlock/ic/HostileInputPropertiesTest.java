package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.candid.IcpCandid;
import dev.interlock.ic.cert.Certificate;
import dev.interlock.ic.cert.HashTree;
import dev.interlock.ic.icp.IcpBlock;

/**
 * Garbage never escapes the decoders as anything but their own clear error: random bytes, valid
 * messages cut short or with a byte flipped, for Candid, CBOR hash trees and certificates, and ICP
 * protobuf blocks.
 */
class HostileInputPropertiesTest {
    private static final byte[] VALID_REPLY = Icrc3Candid.encodeGetBlocksResult(new Icrc3Candid.GetBlocksResult(
            java.math.BigInteger.TEN, java.util.List.of(new Icrc3Candid.Block(java.math.BigInteger.ONE,
                    Value.map().put("phash", Value.blob(new byte[32])).put("tx", Value.map().put("amt", Value.nat(5)).build())
                            .build())), java.util.List.of()));

    @Provide
    Arbitrary<byte[]> mangledReplies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, VALID_REPLY.length - 1).map(n -> Arrays.copyOf(VALID_REPLY, n));
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, VALID_REPLY.length - 1).flatMap(i -> Arbitraries.bytes()
                .map(b -> {
                    byte[] c = VALID_REPLY.clone();
                    c[i] = b;
                    return c;
                }));
        Arbitrary<byte[]> prefixed = random.map(r -> {
            byte[] c = new byte[r.length + 4];
            System.arraycopy(new byte[] {'D', 'I', 'D', 'L'}, 0, c, 0, 4);
            System.arraycopy(r, 0, c, 4, r.length);
            return c;
        });
        return Arbitraries.oneOf(random, cut, flipped, prefixed);
    }

    @Property(tries = 2_000)
    void candidRepliesDecodeOrFailWithACandidError(@ForAll("mangledReplies") byte[] bytes) {
        assertThatCode(() -> {
            try {
                Icrc3Candid.readGetBlocksResult(bytes, CandidDecoder.Limits.DEFAULT);
            } catch (CandidException expected) {
                // the decoder's own error
            }
            try {
                IcpCandid.read(bytes, CandidDecoder.Limits.DEFAULT);
            } catch (CandidException expected) {
                // the decoder's own error
            }
        }).doesNotThrowAnyException();
    }

    @Property(tries = 2_000)
    void cborTreesAndCertificatesParseOrFailWithAnArgumentError(@ForAll @Size(max = 256) byte[] bytes) {
        assertThatCode(() -> {
            try {
                HashTree.fromCbor(bytes).reconstruct();
            } catch (IllegalArgumentException expected) {
                // named error
            }
            try {
                Certificate.fromCbor(bytes);
            } catch (IllegalArgumentException expected) {
                // named error
            }
        }).doesNotThrowAnyException();
    }

    @Property(tries = 2_000)
    void icpBlocksDecodeOrFailWithAnArgumentError(@ForAll @Size(max = 256) byte[] bytes) {
        assertThatCode(() -> {
            try {
                IcpBlock.decode(0, bytes);
            } catch (IllegalArgumentException expected) {
                // named error
            }
        }).doesNotThrowAnyException();
    }
}
