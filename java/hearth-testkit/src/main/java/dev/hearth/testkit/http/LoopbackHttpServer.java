package dev.hearth.testkit.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server on loopback (an ephemeral port) written on plain sockets, so that a fake upstream can do
 * what real ones do when they fail: stall mid-stream, reset the connection, send broken bytes. Keep-alive and
 * chunked responses as the JDK HttpClient expects; one virtual thread per connection.
 */
public final class LoopbackHttpServer implements AutoCloseable {
    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public LoopbackHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        Thread.ofVirtual().name("loopback-http-accept").start(this::acceptLoop);
    }

    /** The base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                Thread.ofVirtual().name("loopback-http-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Exchange exchange = Exchange.read(socket, in, out);
                if (exchange == null) {
                    return;
                }
                handler.handle(exchange);
                if (!exchange.finish()) {
                    return; // the handler closed, reset or abandoned the connection
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, or the handler failed: the connection ends either way
        } finally {
            open.remove(socket);
        }
    }

    /** One request and its response. */
    public static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private final String method;
        private final String path;
        private final Map<String, String> headers;
        private final byte[] body;
        private boolean chunked;
        private boolean done;
        private boolean keepOpen = true;

        private Exchange(Socket socket, OutputStream out, String method, String path, Map<String, String> headers,
                byte[] body) {
            this.socket = socket;
            this.out = out;
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
        }

        static Exchange read(Socket socket, InputStream in, OutputStream out) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length < 3) {
                throw new IOException("bad request line: " + requestLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                return null;
            }
            return new Exchange(socket, out, parts[0], parts[1], headers, body);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** Request headers, names in lower case. */
        public Map<String, String> headers() {
            return headers;
        }

        public String body() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A whole response with a body. */
        public void respond(int status, Map<String, String> responseHeaders, String responseBody) throws IOException {
            byte[] bytes = responseBody.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = statusLine(status, responseHeaders);
            head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            done = true;
        }

        /** Sends a status line and headers with a Content-Length; write the body with {@link #write}. */
        public void head(int status, Map<String, String> responseHeaders, long contentLength) throws IOException {
            StringBuilder head = statusLine(status, responseHeaders);
            head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            done = true;
        }

        /** Writes raw body bytes after {@link #head}. */
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            out.flush();
        }

        /** Starts a chunked response (for server-sent events); write the body with {@link #send}. */
        public void startStream(int status, Map<String, String> responseHeaders) throws IOException {
            StringBuilder head = statusLine(status, responseHeaders);
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            chunked = true;
        }

        /** Sends one chunk of the streamed body, at once. */
        public void send(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                return;
            }
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Ends the streamed body properly. */
        public void endStream() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            done = true;
        }

        /**
         * Breaks the connection as a crashed upstream or a broken proxy does: mid-response, the bytes sent so far are
         * delivered and the stream is cut off without its end (FIN, then a TCP RST once the client has read them or
         * after two seconds: an RST alone would let the client's kernel drop data it had not yet read); before a
         * response, an RST at once.
         */
        public void reset() throws IOException {
            keepOpen = false;
            if (chunked || done) {
                socket.shutdownOutput();
                socket.setSoTimeout(2000);
                try {
                    while (socket.getInputStream().read() != -1) {
                        // wait for the client to give up on the connection
                    }
                } catch (IOException timedOutOrReset) {
                    // either way, time to reset
                }
            }
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Holds the connection open, sending nothing, until the client gives up or the server closes. */
        public void stall() throws InterruptedException {
            keepOpen = false;
            try {
                while (socket.getInputStream().read() != -1) {
                    // discard; a client that gives up closes its end, which ends this
                }
            } catch (IOException e) {
                // closed
            }
        }

        boolean finish() throws IOException {
            if (!keepOpen) {
                return false;
            }
            if (chunked && !done) {
                endStream();
            }
            return done;
        }

        private static StringBuilder statusLine(int status, Map<String, String> headers) {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            return head;
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 402 -> "Payment Required";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 206 -> "Partial Content";
                case 416 -> "Range Not Satisfiable";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                case 529 -> "Overloaded";
                default -> "Status";
            };
        }
    }
}
