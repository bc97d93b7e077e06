package io.tracetics.engine.exec;

/**
 * Users of one alternative of a step with several ({@code any_of}).
 *
 * @param index the alternative's position in the step's {@code anyOf}
 * @param eventName its event name
 * @param users the users counted at the step who did this alternative at the moment they took the
 *     step (an event of theirs at that instant matches it); a user can count for several
 *     alternatives, so these may add up to more than the step's users
 */
public record AlternativeCount(int index, String eventName, long users) {}
