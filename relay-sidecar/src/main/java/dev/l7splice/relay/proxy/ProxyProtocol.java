package dev.l7splice.relay.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers sent to a server before the client's bytes ({@code send-proxy},
 * {@code send-proxy-v2}), so the server sees the real client address. v1 is the text line
 * "PROXY TCP4|TCP6 src dst sport dport\r\n"; v2 the binary form (signature, version 2 / PROXY
 * command, TCP over IPv4 or IPv6, addresses, ports). Addresses come as "ip:port" or "[ip]:port".
 */
public final class ProxyProtocol {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyProtocol() {
    }

    /** @param version 1 or 2; {@code client} is the client's address, {@code proxy} where it connected to us */
    public static byte[] header(int version, String client, String proxy) {
        Endpoint src = Endpoint.parse(client);
        Endpoint dst = Endpoint.parse(proxy);
        boolean v6 = src.address.length == 16 || dst.address.length == 16;
        if (version == 1) {
            String line = "PROXY " + (v6 ? "TCP6 " : "TCP4 ") + src.text + " " + dst.text + " " + src.port + " "
                    + dst.port + "\r\n";
            return line.getBytes(StandardCharsets.US_ASCII);
        }
        int addrLen = v6 ? 36 : 12;
        ByteBuffer b = ByteBuffer.allocate(16 + addrLen);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) (v6 ? 0x21 : 0x11)).putShort((short) addrLen);
        b.put(v6 ? src.v6() : src.address).put(v6 ? dst.v6() : dst.address);
        b.putShort((short) src.port).putShort((short) dst.port);
        return b.array();
    }

    private static final class Endpoint {
        final String text;
        final byte[] address;
        final int port;

        private Endpoint(String text, byte[] address, int port) {
            this.text = text;
            this.address = address;
            this.port = port;
        }

        static Endpoint parse(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                // numeric only (these come from getpeername/getsockname): no lookup happens
                return new Endpoint(host, InetAddress.getByName(host).getAddress(),
                        Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a numeric address: " + hostPort, e);
            }
        }

        /** The address as 16 bytes (an IPv4 address mapped into IPv6 when the other end is IPv6). */
        byte[] v6() {
            if (address.length == 16) {
                return address;
            }
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(address, 0, m, 12, 4);
            return m;
        }
    }
}
