package io.tracetics.alerts;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a webhook may never reach unless private targets are allowed: everything that is
 * not a public unicast address. A pure rule on the address bytes; IPv6 forms that embed an IPv4
 * address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code
 * 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the IPv4 address they carry.
 */
public final class TargetAddresses {
  private TargetAddresses() {}

  /** Why {@code address} is refused as a webhook target, or empty when it is public. */
  public static Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 ? ipv4(bytes, 0) : ipv6(bytes);
  }

  private static Optional<String> ipv4(byte[] b, int at) {
    int a0 = b[at] & 0xff;
    int a1 = b[at + 1] & 0xff;
    int a2 = b[at + 2] & 0xff;
    if (a0 == 0) {
      return reason("unspecified (0.0.0.0/8)");
    }
    if (a0 == 10) {
      return reason("private (10.0.0.0/8)");
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return reason("shared address space (100.64.0.0/10)");
    }
    if (a0 == 127) {
      return reason("loopback (127.0.0.0/8)");
    }
    if (a0 == 169 && a1 == 254) {
      return reason("link-local (169.254.0.0/16)");
    }
    if (a0 == 172 && (a1 & 0xf0) == 16) {
      return reason("private (172.16.0.0/12)");
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return reason("IETF protocol assignments (192.0.0.0/24)");
    }
    if (a0 == 192 && a1 == 0 && a2 == 2
        || a0 == 198 && a1 == 51 && a2 == 100
        || a0 == 203 && a1 == 0 && a2 == 113) {
      return reason("documentation range");
    }
    if (a0 == 192 && a1 == 168) {
      return reason("private (192.168.0.0/16)");
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return reason("benchmarking (198.18.0.0/15)");
    }
    if (a0 >= 224 && a0 < 240) {
      return reason("multicast (224.0.0.0/4)");
    }
    if (a0 >= 240) {
      return reason("reserved (240.0.0.0/4, broadcast included)");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return ipv4(b, 12).map(r -> "IPv4-mapped " + r);
    }
    if (zero(b, 0, 12)) {
      if (zero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
        return reason(b[15] == 0 ? "unspecified (::)" : "loopback (::1)");
      }
      return ipv4(b, 12).map(r -> "IPv4-compatible " + r).or(() -> reason("IPv4-compatible"));
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      return ipv4(b, 12).map(r -> "NAT64 " + r);
    }
    if (b0 == 0x20 && b1 == 0x02) {
      return ipv4(b, 2).map(r -> "6to4 " + r);
    }
    if (b0 == 0x01 && b1 == 0x00 && zero(b, 2, 8)) {
      return reason("discard-only (100::/64)");
    }
    if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
      return reason("documentation (2001:db8::/32)");
    }
    if ((b0 & 0xfe) == 0xfc) {
      return reason("unique local (fc00::/7)");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return reason("link-local (fe80::/10)");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return reason("site-local (fec0::/10)");
    }
    if (b0 == 0xff) {
      return reason("multicast (ff00::/8)");
    }
    return Optional.empty();
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Optional<String> reason(String text) {
    return Optional.of(text);
  }
}
