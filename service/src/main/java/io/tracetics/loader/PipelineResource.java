package io.tracetics.loader;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.tenancy.OperatorPrincipal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The operator's pipeline status: ingest rate, queue depth, loader lag, failures. */
@Path("/api/v1/pipeline")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {
  private final PipelineStatusService status;

  public PipelineResource(PipelineStatusService status) {
    this.status = status;
  }

  @GET
  @Timed
  @ExceptionMetered
  public PipelineStatus status(@Auth OperatorPrincipal operator) {
    return status.status();
  }
}
