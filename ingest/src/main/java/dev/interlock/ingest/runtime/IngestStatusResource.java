package dev.interlock.ingest.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/ingest/status}: every source of this instance with its state (running, retrying,
 * failed), problem, records published, records/s over the last 10 s, lag behind the source's tip, last
 * poll and cursor, plus what the source adds (a ledger's kind, next index, length, last certified tip,
 * chain break). An instance without the ingest role answers {@code "active": false} and no sources.
 */
@Path("/api/ingest/status")
@Produces(MediaType.APPLICATION_JSON)
public class IngestStatusResource {
    @Inject
    IngestRole role;

    @GET
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", role.active());
        m.put("sources", role.status());
        return m;
    }
}
