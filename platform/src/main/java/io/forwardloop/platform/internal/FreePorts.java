package io.forwardloop.platform.internal;

import io.forwardloop.platform.PlatformException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds TCP ports on the loopback interface that nothing listens on at the moment of asking. */
public final class FreePorts {
    private FreePorts() {}

    /** Returns {@code requested} when it is positive, otherwise a port that is free right now. */
    public static int resolve(int requested) {
        return requested > 0 ? requested : pick();
    }

    /** Returns a port that is free right now; another process may still take it first. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PlatformException(
                    "cannot find a free port on the loopback interface: " + e.getMessage(), e);
        }
    }
}
