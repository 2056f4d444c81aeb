package dev.interlock.ingest.targets;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ingest.targets.Target.State;

/**
 * {@code /api/targets}: the monitored ledgers and canisters (docs/targets.md). List, read, add (201), pause, resume
 * and remove; changes reach the ingest role of every instance within {@code interlock.ingest.targets.refresh}.
 */
@Path("/api/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetResource {
    @Inject
    TargetService service;

    @GET
    public List<Map<String, Object>> list() {
        return service.list();
    }

    @GET
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        return service.get(name);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(JsonNode body) {
        Map<String, Object> t = service.add(body);
        return Response.status(Response.Status.CREATED).header("Location", "/api/targets/" + t.get("name")).entity(t).build();
    }

    @POST
    @Path("{name}/pause")
    public Map<String, Object> pause(@PathParam("name") String name) {
        return service.setState(name, State.PAUSED);
    }

    @POST
    @Path("{name}/resume")
    public Map<String, Object> resume(@PathParam("name") String name) {
        return service.setState(name, State.ACTIVE);
    }

    @DELETE
    @Path("{name}")
    public Map<String, Object> remove(@PathParam("name") String name) {
        return service.setState(name, State.REMOVED);
    }
}
