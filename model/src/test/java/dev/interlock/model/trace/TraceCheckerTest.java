package dev.interlock.model.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TraceCheckerTest {
    private static TraceChecker.Report check(String... lines) {
        TraceChecker c = new TraceChecker();
        for (String l : lines) {
            c.accept(l);
        }
        return c.report();
    }

    private static List<String> faults(TraceChecker.Report r) {
        return r.findings().stream().filter(TraceChecker.Finding::fault).map(Object::toString).toList();
    }

    @Test
    void aWellFormedLogPassesWithOrdinaryLinesInBetween() {
        TraceChecker.Report r = check(
                "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"2vxsx-fae\"}",
                "some ordinary debug output",
                "ILK1 {\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\",\"to\":\"mxzaz-hqaaa-aaaar-qaada-cai\",\"m\":\"icrc1_transfer\",\"w\":\"u\",\"tx\":{\"to\":\"2vxsx-fae\",\"amt\":\"5\"}}",
                "ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"ok\",\"b\":12}",
                "ILK1 {\"e\":\"rep\",\"x\":\"c1\"}");
        assertThat(r.findings()).isEmpty();
        assertThat(r.traceEvents()).isEqualTo(4);
        assertThat(r.lines()).isEqualTo(5);
    }

    @Test
    void eachMalformedLineIsNamedWithItsNumberAndFault() {
        TraceChecker.Report r = check(
                "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"2vxsx-fae\"}",
                "ILK1 {\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\",\"m\":\"f\",\"w\":\"u\"}",
                "ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"rej\",\"rc\":9}",
                "ILK1 {not json",
                "ILK2 {\"e\":\"in\"}",
                "ILK1 {\"e\":\"call\",\"x\":\"c1\",\"c\":\"k2\",\"to\":\"a\",\"m\":\"f\",\"w\":\"x\"}");
        assertThat(faults(r)).containsExactly(
                "line 2: field \"to\" is required for \"call\"",
                "line 3: field \"rc\" must be a reject code 1..6 when \"o\" is rej",
                "line 4: not valid JSON after the prefix: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                "line 5: unsupported trace format version ILK2 (this reader knows ILK1)",
                "line 6: field \"w\" must be u, b or n");
    }

    @Test
    void anEventAfterATrapRecordWithoutAMessageBeginLineIsAFault() {
        TraceChecker.Report r = check(
                "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"m\",\"f\":\"2vxsx-fae\"}",
                "[TRAP]: boom",
                "ILK1 {\"e\":\"wr\",\"x\":\"c2\",\"k\":\"balance\"}");
        assertThat(faults(r)).containsExactly("line 3: \"wr\" follows a [TRAP] record without a message-begin line "
                + "(in, cb or cu): every message must print one first");
        assertThat(r.trapRecords()).isEqualTo(1);
    }

    @Test
    void logRecordsMustHaveIncreasingIdxAndUnknownEventsAreWarningsNotFaults() {
        TraceChecker.Report r = check(
                "{\"idx\":5,\"timestamp_nanos\":1,\"content\":\"ILK1 {\\\"e\\\":\\\"in\\\",\\\"x\\\":\\\"c1\\\",\\\"m\\\":\\\"m\\\",\\\"f\\\":\\\"2vxsx-fae\\\"}\"}",
                "{\"idx\":5,\"timestamp_nanos\":1,\"content\":\"ILK1 {\\\"e\\\":\\\"zz\\\",\\\"x\\\":\\\"c1\\\"}\"}");
        assertThat(faults(r)).containsExactly("line 2: record idx 5 does not increase (previous 5)");
        assertThat(r.warnings()).isEqualTo(1);
    }

    @Test
    void theParserRecognisesTraceLinesOfAnyVersionButOnlyReadsVersionOne() {
        assertThat(TraceFormat.isTraceLine("ILK1 {}")).isTrue();
        assertThat(TraceFormat.isTraceLine("ILK12 {}")).isTrue();
        assertThat(TraceFormat.isTraceLine("ILKA {}")).isFalse();
        assertThat(TraceFormat.isTraceLine("ilk1 {}")).isFalse();
        assertThatThrownBy(() -> TraceFormat.parse("ILK1 {\"x\":\"c1\"}"))
                .hasMessage("field \"e\" (event code) is missing");
        assertThat(TraceFormat.parse("ILK1 {\"e\":\"rep\",\"x\":\"c1\",\"later\":1}").event()).isEqualTo(TraceEvent.REPLY);
    }
}
