package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.engine.store.IdentityMerges.Id;
import io.tracetics.engine.store.IdentityMerges.Merge;
import io.tracetics.engine.store.IdentityMerges.State;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityMergesTest {
  private static final long APP = 7;

  /** Identifiers "a".."z" of APP with keys 1..26, each its own person, unless changed. */
  private static Map<Id, State> fresh(String... ids) {
    Map<Id, State> states = new HashMap<>();
    for (String id : ids) {
      long key = id.charAt(0) - 'a' + 1;
      states.put(new Id(APP, id), new State(key, key, false));
    }
    return states;
  }

  private static IdentityLink link(String anonymous, String user) {
    return new IdentityLink(APP, anonymous, user);
  }

  private static long key(String id) {
    return id.charAt(0) - 'a' + 1;
  }

  @Test
  void anAnonymousIdBecomesAnAliasOfTheUser() {
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u")), fresh("a", "u")));
  }

  @Test
  void manyAnonymousIdsMayJoinOnePerson() {
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u")), new Merge(APP, key("b"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u"), link("b", "u")), fresh("a", "b", "u")));
  }

  @Test
  void theFirstLinkWins() {
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u"), link("a", "v")), fresh("a", "u", "v")));
    Map<Id, State> linkedBefore = fresh("a", "u", "v");
    linkedBefore.put(new Id(APP, "a"), new State(key("a"), key("u"), false));
    assertEquals(List.of(), IdentityMerges.of(List.of(link("a", "v")), linkedBefore));
  }

  @Test
  void aSelfLinkAndARepeatedLinkChangeNothing() {
    assertEquals(List.of(), IdentityMerges.of(List.of(link("a", "a")), fresh("a")));
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u"), link("a", "u")), fresh("a", "u")));
  }

  /** A user that is itself an alias: the link goes to its person (no chains). */
  @Test
  void aLinkToAnAliasGoesToItsPerson() {
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u")), new Merge(APP, key("b"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u"), link("b", "a")), fresh("a", "b", "u")));
    Map<Id, State> aliasBefore = fresh("a", "b");
    aliasBefore.put(new Id(APP, "a"), new State(key("a"), key("u"), false));
    assertEquals(
        List.of(new Merge(APP, key("b"), key("u"))),
        IdentityMerges.of(List.of(link("b", "a")), aliasBefore));
  }

  /** A person with aliases is not merged into another, in the same load or a later one. */
  @Test
  void aPersonWithAliasesStaysAPerson() {
    assertEquals(
        List.of(new Merge(APP, key("a"), key("u"))),
        IdentityMerges.of(List.of(link("a", "u"), link("u", "v")), fresh("a", "u", "v")));
    Map<Id, State> personBefore = fresh("u", "v");
    personBefore.put(new Id(APP, "u"), new State(key("u"), key("u"), true));
    assertEquals(List.of(), IdentityMerges.of(List.of(link("u", "v")), personBefore));
  }

  /** The user already belongs to the anonymous id's person: nothing to do, and no cycle. */
  @Test
  void aLinkBackToItsOwnPersonChangesNothing() {
    assertEquals(
        List.of(new Merge(APP, key("u"), key("a"))),
        IdentityMerges.of(List.of(link("u", "a"), link("a", "u")), fresh("a", "u")));
  }

  @Test
  void appsAreApart() {
    Map<Id, State> states = fresh("a", "u");
    states.put(new Id(8, "a"), new State(100, 100, false));
    states.put(new Id(8, "u"), new State(101, 101, false));
    assertEquals(
        List.of(new Merge(8, 100, 101)),
        IdentityMerges.of(List.of(new IdentityLink(8, "a", "u")), states));
  }

  @Test
  void everyNamedIdentifierMustHaveAState() {
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityMerges.of(List.of(link("a", "u")), fresh("a")));
  }
}
