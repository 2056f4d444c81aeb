package dev.interlock.dashboard.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import dev.interlock.model.Alert;
import dev.interlock.model.Json;

/** Alerts in PostgreSQL: stored once per dedup key, listed newest first. */
@ApplicationScoped
public class AlertRepository {
    @Inject
    EntityManager em;

    /** Stores the alert unless one with its dedup key exists; true when it was new. Joins the caller's transaction. */
    @Transactional
    public boolean storeIfNew(Alert alert) {
        boolean exists = !em.createQuery("SELECT a.id FROM AlertEntity a WHERE a.dedupKey = :k", Long.class)
                .setParameter("k", alert.dedupKey()).setMaxResults(1).getResultList().isEmpty();
        if (exists) {
            return false;
        }
        AlertEntity e = new AlertEntity();
        e.dedupKey = alert.dedupKey();
        e.payloadVersion = alert.version();
        e.alertClass = alert.alertClass().name();
        e.severity = alert.severity().name();
        e.canister = alert.canister();
        e.callers = new String(Json.encode(alert.callers() == null ? List.of() : alert.callers()));
        e.amountAtStake = alert.amountAtStake() == null ? null : new BigDecimal(alert.amountAtStake());
        e.explanation = alert.explanation();
        e.evidence = new String(Json.encode(alert.evidence()));
        e.detectedAt = toTime(alert.detectedAtNanos());
        e.storedAt = OffsetDateTime.now(ZoneOffset.UTC);
        em.persist(e);
        return true;
    }

    @Transactional
    public List<AlertEntity> list(AlertFilter filter) {
        StringBuilder jpql = new StringBuilder("SELECT a FROM AlertEntity a WHERE 1 = 1");
        filter.alertClass().ifPresent(c -> jpql.append(" AND a.alertClass = :class"));
        filter.canister().ifPresent(c -> jpql.append(" AND a.canister = :canister"));
        jpql.append(" ORDER BY a.detectedAt DESC, a.id DESC");
        TypedQuery<AlertEntity> q = em.createQuery(jpql.toString(), AlertEntity.class);
        filter.alertClass().ifPresent(c -> q.setParameter("class", c));
        filter.canister().ifPresent(c -> q.setParameter("canister", c));
        return q.setMaxResults(filter.limit()).getResultList();
    }

    @Transactional
    public Optional<AlertEntity> find(long id) {
        return Optional.ofNullable(em.find(AlertEntity.class, id));
    }

    /** True when the database answers: tells a bad record from an unreachable database. */
    @Transactional
    public boolean reachable() {
        try {
            em.createNativeQuery("SELECT 1").getSingleResult();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static OffsetDateTime toTime(long nanos) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, nanos), ZoneOffset.UTC);
    }

    /** Which alerts to list. */
    public record AlertFilter(Optional<String> alertClass, Optional<String> canister, int limit) {
    }
}
