package dev.hearth.cli;

import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.Ledger;
import dev.hearth.runtime.Hearth;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth keys create|list|revoke: the virtual API keys kept in the ledger. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke Hearth's API keys (kept in the ledger; a secret is shown once).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hearth: keys needs a subcommand: create, list or revoke (hearth keys --help)");
        return 2;
    }

    /** The ledger the environment names (shared by the subcommands). */
    abstract static class LedgerCommand implements Callable<Integer>, TakesEnvironment {
        private Map<String, String> env = Map.of();

        @Override
        public void environment(Map<String, String> env) {
            this.env = env;
        }

        Ledger open() {
            return Hearth.openLedger(env);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key and print its secret, once: only its hash is kept.")
    static final class Create extends LedgerCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the key's name: letters, digits, . _ -")
        String name;

        @Option(names = "--monthly-usd", paramLabel = "USD", description = "the key's monthly budget in US dollars")
        BigDecimal monthlyUsd;

        @Option(names = "--rpm", paramLabel = "N", description = "requests per minute (default: unlimited)")
        Integer rpm;

        @Option(names = "--tpm", paramLabel = "N", description = "tokens per minute (default: unlimited)")
        Integer tpm;

        @Option(names = "--models", paramLabel = "A,B", split = ",",
                description = "the models the key may use (default: any)")
        List<String> models = List.of();

        @Option(names = "--allow-external", description = "let the key's requests go to remote providers")
        boolean allowExternal;

        @Option(names = "--admin", description = "let the key use the admin API (keys, budgets, models)")
        boolean admin;

        @Override
        public Integer call() {
            var spec = new ApiKeys.KeySpec(name, monthlyUsd, rpm, tpm, models, allowExternal, admin);
            try (Ledger ledger = open()) {
                ApiKeys.CreatedKey created = ledger.keys().create(spec);
                System.out.println(created.secret());
                System.err.println("hearth: created key " + name + "; its secret (above) is shown only this once");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never their secrets).")
    static final class ListKeys extends LedgerCommand {
        @Override
        public Integer call() {
            try (Ledger ledger = open()) {
                List<ApiKeys.ApiKey> keys = ledger.keys().list();
                if (keys.isEmpty()) {
                    System.out.println("no API keys; create one with: hearth keys create NAME");
                    return 0;
                }
                System.out.printf("%-20s %-12s %-8s %-12s %-6s %-8s %-8s %-5s %s%n", "NAME", "PREFIX", "STATUS",
                        "MONTHLY_USD", "RPM", "TPM", "EXTERNAL", "ADMIN", "MODELS");
                for (ApiKeys.ApiKey k : keys) {
                    System.out.printf("%-20s %-12s %-8s %-12s %-6s %-8s %-8s %-5s %s%n", Printable.of(k.name()),
                            Printable.of(k.prefix()) + "…", k.revoked() ? "revoked" : "active",
                            k.monthlyUsd() == null ? "-" : k.monthlyUsd().toPlainString(), orDash(k.rpm()),
                            orDash(k.tpm()), k.allowExternal() ? "yes" : "no", k.admin() ? "yes" : "no",
                            k.allowedModels().isEmpty() ? "any" : Printable.of(String.join(",", k.allowedModels())));
                }
            }
            return 0;
        }

        private static String orDash(Integer n) {
            return n == null ? "-" : n.toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static final class Revoke extends LedgerCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the key's name")
        String name;

        @Override
        public Integer call() {
            try (Ledger ledger = open()) {
                ledger.keys().revoke(name);
                System.out.println("revoked key " + Printable.of(name));
            }
            return 0;
        }
    }
}
