package dev.interlock.ic.candid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;

class IcpCandidTest {
    @Test
    void aQueryEncodedBlocksReplyRoundTripsWithCertificateBlocksAndArchivedRanges() {
        CandidValue.Func archive = new CandidValue.Func(Principal.fromText("qjdve-lqaaa-aaaaa-aaaeq-cai").bytes(), "get_encoded_blocks");
        IcpCandid.EncodedBlocks reply = new IcpCandid.EncodedBlocks(Optional.of(new byte[] {(byte) 0xd9, 1}),
                List.of(new byte[] {0x0a, 0x01}, new byte[] {0x12}), 9_000_000_000L, 8_999_999_998L,
                List.of(new IcpCandid.ArchivedRange(0, 2_000, archive)));

        IcpCandid.EncodedBlocks back = IcpCandid.read(IcpCandid.encode(reply), CandidDecoder.Limits.DEFAULT);

        assertThat(back.certificate()).hasValueSatisfying(c -> assertThat(c).containsExactly(0xd9, 1));
        assertThat(back.blocks()).containsExactly(new byte[] {0x0a, 0x01}, new byte[] {0x12});
        assertThat(back.chainLength()).isEqualTo(9_000_000_000L);
        assertThat(back.firstBlockIndex()).isEqualTo(8_999_999_998L);
        assertThat(back.archived()).singleElement().satisfies(a -> {
            assertThat(a.start()).isZero();
            assertThat(a.length()).isEqualTo(2_000);
            assertThat(a.callback().method()).isEqualTo("get_encoded_blocks");
        });
    }

    @Test
    void anArchiveAnswersBlocksOrAnErrorNamedInTheMessage() {
        List<CandidType> t = IcpCandid.table();
        byte[] ok = CandidEncoder.encode(t, List.of(new CandidType.Ref(8)), List.of(new CandidValue.Variant(CandidType.idOf("Ok"),
                new CandidValue.Vec(List.of(new CandidValue.Blob(new byte[] {7}))))));
        assertThat(IcpCandid.readArchiveReply(ok, CandidDecoder.Limits.DEFAULT)).containsExactly(new byte[] {7});
        assertThat(IcpCandid.encodeArchiveReply(List.of(new byte[] {7}))).isEqualTo(ok);

        byte[] err = CandidEncoder.encode(t, List.of(new CandidType.Ref(8)), List.of(new CandidValue.Variant(CandidType.idOf("Err"),
                new CandidValue.Variant(CandidType.idOf("BadFirstBlockIndex"), new CandidValue.Reserved()))));
        assertThatThrownBy(() -> IcpCandid.readArchiveReply(err, CandidDecoder.Limits.DEFAULT)).hasMessageContaining("answered Err");
    }

    @Test
    void aReplyOfAnotherShapeNamesTheField() {
        assertThatThrownBy(() -> IcpCandid.read(IcpCandid.encodeGetBlocksArgs(0, 10), CandidDecoder.Limits.DEFAULT))
                .hasMessageContaining("QueryEncodedBlocksResponse: certificate is missing");
    }
}
