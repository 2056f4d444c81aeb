package dev.interlock.dashboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.interlock.model.api.ApiErrorCode;
import dev.interlock.model.api.ApiException;

class AlertFilterTest {
    @Test
    void unknownAlertClassIsAnInvalidRequestNamingTheKnownClasses() {
        assertThatThrownBy(() -> AlertResource.filter("DOUBLE_SPENT", null, null, 1000))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ApiErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("'DOUBLE_SPENT'", "DOUBLE_SPEND");
                });
    }

    @Test
    void limitOutsideOneToTheMaximumIsRejected() {
        assertThatThrownBy(() -> AlertResource.filter(null, null, 0, 1000)).hasMessage(
                "limit must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> AlertResource.filter(null, null, 1001, 1000)).hasMessage(
                "limit must be between 1 and 1000, got 1001");
    }

    @Test
    void blankFiltersMeanNoFilterAndTheDefaultLimitIsAHundred() {
        var f = AlertResource.filter(" ", "", null, 1000);
        assertThat(f.alertClass()).isEmpty();
        assertThat(f.canister()).isEmpty();
        assertThat(f.limit()).isEqualTo(100);
    }
}
