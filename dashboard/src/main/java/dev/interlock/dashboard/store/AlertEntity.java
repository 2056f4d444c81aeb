package dev.interlock.dashboard.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored alert (table {@code alerts}, created by Flyway migration V1). */
@Entity
@Table(name = "alerts")
public class AlertEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dedup_key", nullable = false, unique = true, length = 512)
    public String dedupKey;

    @Column(name = "payload_version", nullable = false)
    public int payloadVersion;

    @Column(name = "alert_class", nullable = false, length = 64)
    public String alertClass;

    @Column(nullable = false, length = 16)
    public String severity;

    @Column(nullable = false, length = 128)
    public String canister;

    /** JSON array of principals. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String callers;

    @Column(name = "amount_at_stake", precision = 40, scale = 0)
    public BigDecimal amountAtStake;

    @Column(nullable = false)
    public String explanation;

    /** JSON of {@link dev.interlock.model.Evidence}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String evidence;

    @Column(name = "detected_at", nullable = false)
    public OffsetDateTime detectedAt;

    @Column(name = "stored_at", nullable = false)
    public OffsetDateTime storedAt;
}
