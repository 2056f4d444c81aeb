package dev.interlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.ic.icp.pb.Block;
import dev.interlock.ic.icp.pb.Memo;
import dev.interlock.ic.icp.pb.Send;
import dev.interlock.ic.icp.pb.TimeStamp;
import dev.interlock.ic.icp.pb.Tokens;
import dev.interlock.ic.icp.pb.Transaction;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Json;

/** {@code scan} over files: canister log records and ledger block rows in, alerts out. */
class ScanCommandTest {
    private static final String ICP_LEDGER = "ryjl3-tyaaa-aaaaa-aaaba-cai";
    private static final String SHOP = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    private static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";
    private static final String ALICE = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] identifier(String owner) {
        return AccountIdentifier.of(Account.of(Principal.fromText(owner)));
    }

    /** An ICP ledger transfer block, protobuf-encoded as the ledger serves it. */
    private static String icpTransfer(String from, String to, long e8s, long atSeconds) {
        Send send = Send.newBuilder()
                .setFrom(dev.interlock.ic.icp.pb.AccountIdentifier.newBuilder().setHash(ByteString.copyFrom(identifier(from))))
                .setTo(dev.interlock.ic.icp.pb.AccountIdentifier.newBuilder().setHash(ByteString.copyFrom(identifier(to))))
                .setAmount(Tokens.newBuilder().setE8S(e8s)).setMaxFee(Tokens.newBuilder().setE8S(10_000)).build();
        Block b = Block.newBuilder().setTimestamp(TimeStamp.newBuilder().setTimestampNanos(T0 + atSeconds * SECOND))
                .setTransaction(Transaction.newBuilder().setSend(send).setMemo(Memo.newBuilder().setMemo(0))).build();
        return HexFormat.of().formatHex(b.toByteArray());
    }

    private static String record(long idx, long atSeconds, String line) {
        return "{\"canister\":\"" + SHOP + "\",\"idx\":" + idx + ",\"timestamp_nanos\":" + (T0 + atSeconds * SECOND)
                + ",\"content\":" + new String(Json.encode("ILK1 " + line)) + "}";
    }

    @Test
    void icpLedgerBlocksGivenAsHexAreMatchedWithTheCanistersTransfersByAccountIdentifier() throws IOException {
        Path blocks = Files.writeString(dir.resolve("icp-blocks.ndjson"), String.join("\n",
                "{\"ledger\":\"" + ICP_LEDGER + "\",\"index\":0,\"hash\":\"00\",\"block\":\""
                        + icpTransfer(SHOP, ALICE, 900, 1) + "\"}",
                "{\"ledger\":\"" + ICP_LEDGER + "\",\"index\":1,\"hash\":\"00\",\"block\":\""
                        + icpTransfer(SHOP, BOB, 500, 3) + "\"}") + "\n");
        Path calls = Files.writeString(dir.resolve("calls.ndjson"), String.join("\n",
                record(0, 2, "{\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"" + BOB + "\"}"),
                record(1, 2, "{\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\",\"to\":\"" + ICP_LEDGER
                        + "\",\"m\":\"icrc1_transfer\",\"w\":\"u\",\"tx\":{\"to\":\"" + BOB + "\",\"amt\":\"500\"}}"),
                record(2, 4, "{\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"ok\",\"b\":1}"),
                record(3, 4, "{\"e\":\"rep\",\"x\":\"c1\"}"),
                record(4, 600, "{\"e\":\"in\",\"x\":\"c2\",\"m\":\"balance\",\"f\":\"" + BOB + "\"}"),
                record(5, 600, "{\"e\":\"rep\",\"x\":\"c2\"}")) + "\n");
        Path out = dir.resolve("alerts.ndjson");

        CliRun run = CliRun.of("scan", "--quiet", "--calls", calls.toString(), "--blocks", blocks.toString(), "--out",
                out.toString());

        assertThat(run.exit()).isZero();
        List<Alert> alerts = Files.readAllLines(out).stream().map(l -> Json.decode(l.getBytes(), Alert.class)).toList();
        String shopAccount = HexFormat.of().formatHex(identifier(SHOP));
        assertThat(alerts).as("block 1 pays the transfer; block 0 left the shop's account unexplained").singleElement()
                .satisfies(a -> {
                    assertThat(a.alertClass()).isEqualTo(AlertClass.LEDGER_RECONCILIATION);
                    assertThat(a.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/" + shopAccount + "/block/" + ICP_LEDGER
                            + "/0");
                    assertThat(a.canister()).isEqualTo(SHOP);
                    assertThat(a.amountAtStake()).hasToString("900");
                });
    }

    @Test
    void recordsMissingFromTheFileAreToldToTheDetectorsAndNamedByTheAlertsTheyMayChange() throws IOException {
        Path calls = Files.writeString(dir.resolve("gap.ndjson"), String.join("\n",
                record(0, 0, "{\"e\":\"in\",\"x\":\"c1\",\"m\":\"quote\",\"f\":\"" + BOB + "\"}"),
                record(1, 0, "{\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\",\"to\":\"" + SHOP
                        + "\",\"m\":\"get_price\",\"w\":\"u\"}"),
                // idx 2..39 are not in the file: the callback of k1 may have been among them
                record(40, 300, "{\"e\":\"in\",\"x\":\"c2\",\"m\":\"quote\",\"f\":\"" + BOB + "\"}"),
                record(41, 300, "{\"e\":\"rep\",\"x\":\"c2\"}")) + "\n");
        Path out = dir.resolve("gap-alerts.ndjson");

        CliRun run = CliRun.of("scan", "--quiet", "--calls", calls.toString(), "--out", out.toString());

        assertThat(run.exit()).isZero();
        List<Alert> alerts = Files.readAllLines(out).stream().map(l -> Json.decode(l.getBytes(), Alert.class)).toList();
        assertThat(alerts).filteredOn(a -> a.alertClass() == AlertClass.STALLED_CALL).singleElement().satisfies(a -> {
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.evidence().missing()).contains("log records 2..39 (LOG_GAP)");
        });
    }
}
