package dev.hearth.runtime;

/**
 * One model Hearth knows, and where it came from ({@code hearth models list}).
 *
 * @param name         the name requests use for it
 * @param source       {@value #CACHE}, {@code dir:PATH}, {@value #CATALOG} (pullable, not pulled), {@value #DECLARED}
 *                     (hearth.toml or the environment) or {@code server:URL}
 * @param kind         {@code gguf} or {@code onnx} for a model on this machine; a remote model's provider
 * @param shape        what its metadata says of it (architecture, layers, width, trained context); "" when unknown
 * @param quantization e.g. {@code Q4_K_M}; "" when unknown
 * @param licence      its licence as the router sees it ({@code unknown} when nothing states one)
 * @param bytes        its size on this machine (0: not here)
 * @param memoryBytes  what running it would take by its backend's estimate (0: not estimated)
 * @param health       a server's model: {@code up}, or {@code down: WHY} since the last look; "" for the rest
 */
public record DiscoveredModel(String name, String source, String kind, String shape, String quantization,
        String licence, long bytes, long memoryBytes, String health) {
    public static final String CACHE = "cache";
    public static final String CATALOG = "catalog";
    public static final String DECLARED = "declared";

    /** The source of a model found in {@code dir}. */
    public static String dir(java.nio.file.Path dir) {
        return "dir:" + dir;
    }

    /** The source of a model a server lists. */
    public static String server(java.net.URI url) {
        return "server:" + url;
    }

    /** The same model with another health. */
    public DiscoveredModel withHealth(String h) {
        return new DiscoveredModel(name, source, kind, shape, quantization, licence, bytes, memoryBytes, h);
    }
}
