package dev.hearth.llama;

/** Whether the model may, must, or must not call a tool. */
public enum ToolChoice {
    AUTO("auto"), REQUIRED("required"), NONE("none");

    private final String wireName;

    ToolChoice(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
