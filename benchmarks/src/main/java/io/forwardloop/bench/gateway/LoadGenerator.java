package io.forwardloop.bench.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator for {@code POST /v1/predict}: each client is one thread on one
 * keep-alive HTTP/1.1 connection that sends a prebuilt request, reads the answer and sends the
 * next, so the generator costs little CPU next to the gateway it measures.
 */
final class LoadGenerator {
    /** Names of the client threads, for attributing CPU time. */
    static final String THREAD_PREFIX = "bench-client-";

    private final InetSocketAddress address;
    private final List<byte[]> requests;

    /** The outcome of a load phase: requests sent, of which failed, and their latencies. */
    record Load(long requests, long failed, double seconds, double[] latenciesMs, long cpuNanos) {
        /** Answered requests (status 200) per second; failed ones do not count as throughput. */
        double requestsPerSecond() {
            return (requests - failed) / seconds;
        }
    }

    LoadGenerator(URI gateway, String adapter, List<String> texts) {
        this.address = new InetSocketAddress(gateway.getHost(), gateway.getPort());
        ObjectMapper json = new ObjectMapper();
        this.requests = texts.stream().map(t -> request(json, gateway, adapter, t)).toList();
    }

    private static byte[] request(ObjectMapper json, URI gateway, String adapter, String text) {
        try {
            byte[] body = json.writeValueAsBytes(Map.of("adapter", adapter, "text", text));
            String head =
                    "POST /v1/predict HTTP/1.1\r\nHost: "
                            + gateway.getHost()
                            + ":"
                            + gateway.getPort()
                            + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length
                            + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            return all;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code clients} clients until {@code count} requests are sent, {@code maxSeconds} pass
     * or {@code stop} is set.
     */
    Load run(int clients, int count, long maxSeconds, AtomicBoolean stop)
            throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<Client> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Client client = new Client(issued, failed, count, deadline, stop);
            Thread thread = new Thread(client, THREAD_PREFIX + c);
            thread.setDaemon(true);
            client.thread = thread;
            running.add(client);
            thread.start();
        }
        for (Client client : running) {
            client.thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] latencies =
                running.stream().flatMapToDouble(c -> Arrays.stream(c.latencies())).toArray();
        Arrays.sort(latencies);
        long cpu = running.stream().mapToLong(c -> c.cpuNanos).sum();
        return new Load(latencies.length, failed.get(), seconds, latencies, cpu);
    }

    /** One connection sending requests one after the other. */
    private final class Client implements Runnable {
        private final AtomicInteger issued;
        private final AtomicLong failed;
        private final int count;
        private final long deadline;
        private final AtomicBoolean stop;
        private final double[] latencies;
        private int done;
        private volatile long cpuNanos;
        private Thread thread;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Client(AtomicInteger issued, AtomicLong failed, int count, long deadline, AtomicBoolean s) {
            this.issued = issued;
            this.failed = failed;
            this.count = count;
            this.deadline = deadline;
            this.stop = s;
            this.latencies = new double[Math.min(count, 1 << 16)];
        }

        @Override
        public void run() {
            int n;
            while (!stop.get()
                    && System.nanoTime() < deadline
                    && (n = issued.getAndIncrement()) < count) {
                long start = System.nanoTime();
                if (!send(requests.get(n % requests.size()))) {
                    failed.incrementAndGet();
                }
                if (done < latencies.length) {
                    latencies[done++] = (System.nanoTime() - start) / 1e6;
                }
            }
            disconnect();
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }

        double[] latencies() {
            return Arrays.copyOf(latencies, done);
        }

        private boolean send(byte[] request) {
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                out.flush();
                return readAnswer() == 200;
            } catch (IOException e) {
                disconnect();
                return false;
            }
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        private void disconnect() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a connection that already failed
                }
                socket = null;
            }
        }

        /** Reads one answer and returns its status; closes the connection when asked to. */
        private int readAnswer() throws IOException {
            String status = line();
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String h = header.toLowerCase(Locale.ROOT);
                if (h.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                    chunked = true;
                } else if (h.startsWith("connection:") && h.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                skipChunks();
            } else if (length >= 0) {
                skip(length);
            } else {
                close = true;
            }
            if (close) {
                disconnect();
            }
            return code;
        }

        private void skipChunks() throws IOException {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
                    size > 0;
                    size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                skip(size);
                line();
            }
            line();
        }

        private void skip(long bytes) throws IOException {
            in.skipNBytes(bytes);
        }

        private String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (b != '\r') {
                    buffer.write(b);
                }
            }
            return buffer.toString(StandardCharsets.US_ASCII);
        }
    }
}
