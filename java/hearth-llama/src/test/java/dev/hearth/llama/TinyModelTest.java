package dev.hearth.llama;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the test classes that share one tiny synthetic model, loaded once per class. */
public abstract class TinyModelTest {
    protected static LlamaModel model;

    @BeforeAll
    public static void loadTinyModel() {
        model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
    }

    @AfterAll
    public static void closeTinyModel() {
        model.close();
    }
}
