package io.tracetics.alerts;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a webhook URL may be called: http(s) with a host and no credentials, and, unless private
 * targets are allowed, every address its host resolves to public ({@link TargetAddresses}). Checked
 * when an alert is created and again before each attempt, after a fresh resolution: a name that
 * resolved to a public address at creation may point at a private one later.
 */
public final class WebhookTargets {
  /** The longest URL accepted (the column's size). */
  public static final int MAX_URL_LENGTH = 2048;

  /** Resolves a host name (or an address literal) to its addresses. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /** The system resolver (an address literal resolves to itself without a lookup). */
  public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** A URL that may be called now, with the addresses that were checked. */
  public record Target(URI uri, List<InetAddress> addresses) {}

  /** Why a URL may not be called: a sentence naming the problem. */
  public static final class RefusedTarget extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedTarget(String message) {
      super(message);
    }
  }

  private final Resolver resolver;
  private final boolean allowPrivate;

  public WebhookTargets(Resolver resolver, boolean allowPrivate) {
    this.resolver = resolver;
    this.allowPrivate = allowPrivate;
  }

  /**
   * The URL's form problem (scheme, host, credentials, length), or empty when it is well formed.
   */
  public static Optional<String> formProblem(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not carry credentials");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("must not have a fragment");
    }
    return Optional.empty();
  }

  /**
   * Resolves and checks {@code url}.
   *
   * @throws RefusedTarget when it is malformed, its host does not resolve, or (unless private
   *     targets are allowed) one of its addresses is not public
   */
  public Target check(String url) throws RefusedTarget {
    Optional<String> form = formProblem(url);
    if (form.isPresent()) {
      throw new RefusedTarget(form.get());
    }
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new RefusedTarget("host " + host + " does not resolve");
    }
    if (addresses.isEmpty()) {
      throw new RefusedTarget("host " + host + " does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        Optional<String> refusal = TargetAddresses.refusal(address);
        if (refusal.isPresent()) {
          throw new RefusedTarget(
              "host "
                  + host
                  + " resolves to "
                  + address.getHostAddress()
                  + ", a "
                  + refusal.get()
                  + " address: webhooks only reach public addresses");
        }
      }
    }
    return new Target(uri, addresses);
  }
}
