// The node-llama-cpp peer of `scripts/bench.sh peers`: the same model, threads, prompt tokens and greedy decoding
// as Hearth, through node-llama-cpp@3.22.1 (the same prebuilt libllama). One warm-up, then one counted run.
// Usage: node node_peer.mjs MODEL THREADS PREFILL DECODE  ->  prints {"ttft_s", "prefill_tps", "decode_tps"}
import {getLlama} from "node-llama-cpp";

const [modelPath, threadsArg, prefillArg, decodeArg] = process.argv.slice(2);
const threads = Number(threadsArg), nPrefill = Number(prefillArg), nDecode = Number(decodeArg);

const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: nPrefill + nDecode + 16, batchSize: nPrefill,
    threads, sequences: 1, flashAttention: "auto"});
const vocabSize = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
// Same prompt as the C and Java sides: token i is 1 + (i * 7919) % (n_vocab - 1).
const prompt = Array.from({length: nPrefill}, (_, i) => 1 + Number((BigInt(i) * 7919n) % BigInt(vocabSize - 1)));

let result;
for (let round = 0; round < 2; round++) {
    const sequence = context.getSequence();
    const t0 = performance.now();
    const tokens = sequence.evaluate(prompt, {temperature: 0});
    await tokens.next(); // prompt processed and the first token sampled
    const t1 = performance.now();
    for (let i = 0; i < nDecode; i++) {
        await tokens.next();
    }
    const t2 = performance.now();
    await tokens.return();
    sequence.dispose();
    result = {ttft_s: (t1 - t0) / 1000, prefill_tps: nPrefill / ((t1 - t0) / 1000), decode_tps: nDecode / ((t2 - t1) / 1000)};
}
console.log(JSON.stringify(result));
await context.dispose();
await model.dispose();
await llama.dispose();
