package dev.interlock.dashboard.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.interlock.model.api.ApiError;
import dev.interlock.model.api.ApiErrorCode;
import dev.interlock.model.api.ApiException;

/** Turns errors into HTTP responses in one place; clients never see stack traces. */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return response(e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ApiErrorCode code = status == 404 ? ApiErrorCode.NOT_FOUND
                : status < 500 ? ApiErrorCode.INVALID_REQUEST : ApiErrorCode.INTERNAL;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code.name(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected error serving a request", e);
        return response(ApiErrorCode.INTERNAL, "internal error; see the service log");
    }

    private static Response response(ApiErrorCode code, String message) {
        return Response.status(code.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code.name(), message)).build();
    }
}
