package io.tracetics.persons;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventCursor;
import io.tracetics.engine.store.PersonEvent;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.engine.store.PersonProfile;
import io.tracetics.engine.store.Watermark;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppService;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's view of one person of its app, read from this node's DuckDB copy: whoever an
 * identifier belongs to, with its identifiers, traits and events, all identifiers' together.
 */
public class PersonService {
  private final AppService apps;
  private final AnalyticsStore store;
  private final PersonLookup lookup;
  private final ObjectMapper json;

  public PersonService(AppService apps, AnalyticsStore store, ObjectMapper json) {
    this.apps = apps;
    this.store = store;
    this.lookup = new PersonLookup(store);
    this.json = json;
  }

  /**
   * The person {@code identifier} belongs to, with the page of events asked for.
   *
   * @throws ApiException 404 {@code app_not_found} for another tenant's app, 404 {@code
   *     person_not_found} when the app has no such identifier (loaded on this node), 400 {@code
   *     invalid_parameter} for a missing identifier, a limit or a cursor
   */
  public PersonApi.PersonResponse person(
      TenantId tenant, AppId app, String identifier, String limit, String cursor) {
    apps.get(tenant, app);
    if (identifier == null || identifier.isEmpty()) {
      throw ApiException.badRequest(
          "invalid_parameter", "Query parameter 'identifier' is required");
    }
    PersonPage page = PersonPage.of(limit, cursor);
    // Read the position first: the answer includes at least what was loaded up to it.
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    PersonProfile person =
        lookup
            .find(app.value(), identifier, page.limit(), page.before())
            .orElseThrow(() -> ApiException.notFound("Person", identifier));
    List<PersonApi.PersonEventResponse> events = new ArrayList<>(person.events().size());
    for (PersonEvent e : person.events()) {
      events.add(
          new PersonApi.PersonEventResponse(
              e.eventId(),
              e.userIdentifier(),
              e.eventName(),
              e.eventTime(),
              parse(e.metadataJson())));
    }
    Watermark mark = person.watermark();
    return new PersonApi.PersonResponse(
        person.personId(),
        person.identifiers(),
        parse(person.traitsJson()),
        person.firstSeen().orElse(null),
        person.lastSeen().orElse(null),
        person.eventCount(),
        events,
        person.next().map(EventCursor::token).orElse(null),
        new PersonApi.WatermarkResponse(
            mark.eventCount(),
            mark.maxEventId().isPresent() ? mark.maxEventId().getAsLong() : null,
            position,
            mark.identityVersion()));
  }

  private JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      // The store holds only JSON it checked on the way in.
      throw new IllegalStateException("Stored JSON is unreadable", e);
    }
  }
}
