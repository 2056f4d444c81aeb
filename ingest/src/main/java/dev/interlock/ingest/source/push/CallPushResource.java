package dev.interlock.ingest.source.push;

import java.io.InputStream;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.interlock.ingest.runtime.IngestRole;

/**
 * {@code POST /api/ingest/calls}: NDJSON batches of canister log records from relays (docs/call-ingestion.md).
 * The logic is in {@link CallPushHandler}; an instance without the ingest role answers 404 ROLE_DISABLED.
 */
@Path("/api/ingest/calls")
public class CallPushResource {
    @Inject
    CallPushService service;

    @Inject
    IngestRole role;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response push(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        if (!role.active()) {
            return Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("code", "ROLE_DISABLED", "message", "the ingest role does not run on this instance "
                            + "(interlock.roles)")).build();
        }
        CallPushHandler.Response r = service.handler().handle(authorization, length(contentLength),
                body == null ? InputStream.nullInputStream() : body);
        Response.ResponseBuilder b = Response.status(r.status()).type(MediaType.APPLICATION_JSON).entity(r.body());
        r.headers().forEach(b::header);
        return b.build();
    }

    private static long length(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
