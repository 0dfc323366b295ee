package dev.hearth.llama;

/** How llama.cpp reads the weights ({@code enum llama_load_mode}). */
public enum LoadMode {
    /** llama.cpp chooses (mmap where the device allows it). */
    AUTO(-1),
    /** Read into allocated buffers. */
    NONE(0),
    /** Memory-map the file: fast to load, pages shared with the page cache. */
    MMAP(1),
    /** Read and lock in RAM so the weights are never swapped out. */
    MLOCK(2),
    /** Memory-map and lock. */
    MMAP_MLOCK(3),
    /** Direct I/O where the platform supports it. */
    DIRECT_IO(4);

    private final int value;

    LoadMode(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
