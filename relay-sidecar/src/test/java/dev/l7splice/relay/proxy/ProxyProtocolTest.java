package dev.l7splice.relay.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProxyProtocolTest {

    @Test
    void v1Ipv4AndIpv6() {
        assertEquals("PROXY TCP4 192.0.2.1 127.0.0.1 56324 8080\r\n",
                new String(ProxyProtocol.header(1, "192.0.2.1:56324", "127.0.0.1:8080"), StandardCharsets.US_ASCII));
        assertEquals("PROXY TCP6 2001:db8::1 ::1 40000 443\r\n",
                new String(ProxyProtocol.header(1, "[2001:db8::1]:40000", "[::1]:443"), StandardCharsets.US_ASCII));
    }

    @Test
    void v2Ipv4ByteExact() {
        byte[] h = ProxyProtocol.header(2, "192.0.2.1:56324", "127.0.0.1:8080");
        assertArrayEquals(HexFormat.of().parseHex(
                "0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c0000201" + "7f000001" + "dc04" + "1f90"), h);
    }

    @Test
    void v2Ipv6ByteExact() {
        byte[] h = ProxyProtocol.header(2, "[2001:db8::1]:40000", "[::1]:443");
        assertArrayEquals(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "21" + "0024"
                + "20010db8000000000000000000000001" + "00000000000000000000000000000001" + "9c40" + "01bb"), h);
    }
}
