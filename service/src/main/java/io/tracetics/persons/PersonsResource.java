package io.tracetics.persons;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * One person of an app, with the tenant's management token: {@code GET
 * /api/v1/apps/{app_id}/persons/{identifier}?limit=&cursor=}, the identifier URL-encoded (any of
 * the person's identifiers: an alias answers with its person). The same answer comes from {@code
 * GET /api/v1/apps/{app_id}/persons?identifier=}, for the identifiers that a path cannot carry: the
 * server refuses a path with an encoded {@code /}, {@code %} or {@code \} or a {@code .} or {@code
 * ..} segment (Jetty's ambiguous-URI rules, kept for every route).
 */
@Path("/api/v1/apps/{app_id}/persons")
@Produces(MediaType.APPLICATION_JSON)
public class PersonsResource {
  private final PersonService persons;

  public PersonsResource(PersonService persons) {
    this.persons = persons;
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public PersonApi.PersonResponse find(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @QueryParam("identifier") String identifier,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return persons.person(tenant.tenantId(), app, identifier, limit, cursor);
  }

  @GET
  @Path("/{identifier}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public PersonApi.PersonResponse get(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("identifier") String identifier,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return persons.person(tenant.tenantId(), app, identifier, limit, cursor);
  }
}
