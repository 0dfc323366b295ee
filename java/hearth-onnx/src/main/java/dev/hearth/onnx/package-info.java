/**
 * Local models through ONNX Runtime: {@link dev.hearth.onnx.Embedder} turns texts into normalised vectors. One
 * OrtEnvironment per process; an embedder is thread-safe (ONNX Runtime sessions may be run concurrently).
 */
package dev.hearth.onnx;
