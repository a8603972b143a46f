package dev.l7splice.it.loops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP forwarder written the way the widely copied {@code TCPForwardServer} / {@code ForwardThread}
 * example is: per accepted connection a {@link ClientThread} connects to the destination and starts
 * two {@link ForwardThread}s, each holding its streams in fields set by its constructor and copying
 * with {@code while (true) { n = in.read(buf); if (n == -1) break; out.write(buf, 0, n); out.flush(); }}.
 * Knows nothing about l7splice; JDK classes only. Unlike the original it half-closes the
 * destination on end of stream (so a request body and its answer both get through) and closes both
 * sockets when a direction fails or both have ended; each failure is printed on stderr as
 * {@code forward failed DIRECTION: EXCEPTION}. Usage: {@code TcpForwarder DEST_PORT [swappable]};
 * {@code swappable} uses {@link SwappableForwardThread}, a shape the agent must leave. Prints READY port=N.
 */
public final class TcpForwarder {

    private TcpForwarder() {
    }

    public static void main(String[] args) throws Exception {
        int destination = Integer.parseInt(args[0]);
        boolean swappable = args.length > 1 && args[1].equals("swappable");
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        System.out.println("READY port=" + server.getLocalPort());
        while (true) {
            Socket client = server.accept();
            new ClientThread(client, destination, swappable).start();
        }
    }
}

/** One forwarded connection: connects, starts both directions, closes both sockets at the end. */
final class ClientThread extends Thread {
    private final Socket mClientSocket;
    private final int mDestinationPort;
    private final boolean mSwappable;
    private Socket mServerSocket;
    private int mEnded;

    ClientThread(Socket client, int destinationPort, boolean swappable) {
        super("client-thread");
        setDaemon(true);
        mClientSocket = client;
        mDestinationPort = destinationPort;
        mSwappable = swappable;
    }

    @Override
    public void run() {
        try {
            mServerSocket = new Socket(InetAddress.getLoopbackAddress(), mDestinationPort);
            InputStream clientIn = mClientSocket.getInputStream();
            OutputStream clientOut = mClientSocket.getOutputStream();
            InputStream serverIn = mServerSocket.getInputStream();
            OutputStream serverOut = mServerSocket.getOutputStream();
            if (mSwappable) {
                new SwappableForwardThread(this, "up", clientIn, serverOut, mServerSocket).start();
                new SwappableForwardThread(this, "down", serverIn, clientOut, mClientSocket).start();
            } else {
                new ForwardThread(this, "up", clientIn, serverOut, mServerSocket).start();
                new ForwardThread(this, "down", serverIn, clientOut, mClientSocket).start();
            }
        } catch (IOException e) {
            System.err.println("forward failed connect: " + e);
            connectionBroken();
        }
    }

    /** One direction reached its end of stream; after both, the connection is done. */
    synchronized void directionEnded() {
        if (++mEnded == 2) {
            connectionBroken();
        }
    }

    /** As in the original: close both sockets, whatever state they are in. */
    synchronized void connectionBroken() {
        try {
            mClientSocket.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (mServerSocket != null) {
                mServerSocket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }
}

/** The copied shape: streams in private fields written once, by the constructor. */
final class ForwardThread extends Thread {
    private static final int BUFFER_SIZE = 8192;
    private final ClientThread mParent;
    private final String mDirection;
    private final Socket mDestination;
    private InputStream mInputStream;
    private OutputStream mOutputStream;

    ForwardThread(ClientThread parent, String direction, InputStream in, OutputStream out, Socket destination) {
        super("forward-" + direction);
        setDaemon(true);
        mParent = parent;
        mDirection = direction;
        mInputStream = in;
        mOutputStream = out;
        mDestination = destination;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            while (true) {
                int bytesRead = mInputStream.read(buffer);
                if (bytesRead == -1) {
                    break; // end of stream
                }
                mOutputStream.write(buffer, 0, bytesRead);
                mOutputStream.flush();
            }
            mDestination.shutdownOutput();
            mParent.directionEnded();
        } catch (IOException e) {
            System.err.println("forward failed " + mDirection + ": " + e);
            mParent.connectionBroken();
        }
    }
}

/** The same loop, but a setter may swap the destination while it runs: the agent must leave it. */
final class SwappableForwardThread extends Thread {
    private final ClientThread mParent;
    private final String mDirection;
    private final Socket mDestination;
    private final InputStream mInputStream;
    private OutputStream mOutputStream;

    SwappableForwardThread(ClientThread parent, String direction, InputStream in, OutputStream out, Socket destination) {
        super("swappable-" + direction);
        setDaemon(true);
        mParent = parent;
        mDirection = direction;
        mInputStream = in;
        mOutputStream = out;
        mDestination = destination;
    }

    void setOutputStream(OutputStream out) {
        mOutputStream = out;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                int bytesRead = mInputStream.read(buffer);
                if (bytesRead == -1) {
                    break;
                }
                mOutputStream.write(buffer, 0, bytesRead);
                mOutputStream.flush();
            }
            mDestination.shutdownOutput();
            mParent.directionEnded();
        } catch (IOException e) {
            System.err.println("forward failed " + mDirection + ": " + e);
            mParent.connectionBroken();
        }
    }
}
