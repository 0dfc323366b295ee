package dev.hearth.bench;

import java.util.Arrays;

/** {@code scripts/bench.sh SUITE [options]}: runs one benchmark suite. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.err.println("usage: scripts/bench.sh llama|peers|engine|kv|grammar|speculative|remote|router|onnx|ledger|server [--model PATH] [--threads 2] [--prefill 512]"
                    + " [--decode 128] [--runs 5]");
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "llama" -> LlamaBench.run(LlamaBench.Options.parse(rest));
            case "engine" -> EngineBench.run(LlamaBench.Options.parse(rest));
            case "kv" -> KvBench.run(LlamaBench.Options.parse(rest));
            case "gpu" -> GpuCheck.run(LlamaBench.Options.parse(rest)); // scripts/gpu-check.sh
            case "grammar" -> GrammarBench.run(LlamaBench.Options.parse(rest));
            case "speculative" -> SpeculativeBench.run(LlamaBench.Options.parse(rest));
            case "remote" -> RemoteBench.run(rest);
            case "router" -> RouterBench.run(rest);
            case "onnx" -> OnnxBench.run(rest);
            case "ledger" -> LedgerBench.run(rest);
            case "server" -> ServerBench.run(rest);
            case "peers" -> {
                java.nio.file.Path node = PeersBench.nodeDir();
                PeersBench.requireNode(node);
                PeersBench.run(LlamaBench.Options.parse(rest), node);
            }
            default -> {
                System.err.println("unknown suite " + args[0] + "; suites: llama, peers, engine, kv, grammar, speculative, remote, router, onnx, ledger, server");
                System.exit(2);
            }
        }
    }
}
