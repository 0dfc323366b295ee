/** ONNX Runtime with Hugging Face tokenizers: sentence embeddings on the CPU (CUDA where the GPU runtime is present). */
module dev.hearth.onnx {
    requires transitive dev.hearth.api;
    requires com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.hearth.onnx;

    provides dev.hearth.api.spi.BackendProvider with dev.hearth.onnx.OnnxBackend;
}
