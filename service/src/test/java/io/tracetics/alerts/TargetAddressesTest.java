package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals only: InetAddress parses them without any lookup. */
class TargetAddressesTest {

  private static Optional<String> refusal(String literal) throws UnknownHostException {
    return TargetAddresses.refusal(InetAddress.getByName(literal));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.20.10.5",
        "172.31.255.255",
        "192.168.0.1",
        "192.168.255.254",
        "169.254.169.254",
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "100.64.0.1",
        "100.127.255.255",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.0.8",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456:789a::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "2001:db8::1",
        "100::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:192.168.1.1",
        "::127.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::7f00:1",
        "2002:a00:1::",
        "2002:c0a8:101::1"
      })
  void refusesWhatIsNotPublic(String address) throws UnknownHostException {
    assertTrue(refusal(address).isPresent(), address + " must be refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.1.1",
        "192.167.1.1",
        "11.0.0.1",
        "126.255.255.255",
        "128.0.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1"
      })
  void allowsPublicAddresses(String address) throws UnknownHostException {
    assertEquals(Optional.empty(), refusal(address), address + " is public");
  }

  @ParameterizedTest
  @ValueSource(strings = {"172.15.0.1", "172.32.0.1"})
  void theBordersOf172_16Slash12ArePublic(String address) throws UnknownHostException {
    assertTrue(refusal(address).isEmpty());
  }

  @org.junit.jupiter.api.Test
  void anIpv4MappedAddressGivenAsSixteenBytesIsJudgedByItsIpv4() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    // InetAddress turns the mapped form into an Inet4Address; the raw bytes are judged the same.
    assertTrue(TargetAddresses.refusal(InetAddress.getByAddress(mapped)).isPresent());
    assertTrue(
        TargetAddresses.refusal(java.net.Inet6Address.getByAddress(null, mapped, null))
            .isPresent());
  }
}
