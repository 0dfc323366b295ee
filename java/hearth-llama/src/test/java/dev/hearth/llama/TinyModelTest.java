package dev.hearth.llama;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the test classes that share one tiny synthetic model, loaded once per class. */
abstract class TinyModelTest {
    static LlamaModel model;

    @BeforeAll
    static void loadTinyModel() {
        model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
    }

    @AfterAll
    static void closeTinyModel() {
        model.close();
    }
}
