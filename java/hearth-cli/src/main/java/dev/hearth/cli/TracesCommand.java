package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.TraceEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** hearth traces: recent calls from the ledger with their trace events. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Show recent calls (newest first) with their trace events.")
final class TracesCommand implements Callable<Integer>, TakesEnvironment {
    private Map<String, String> env = Map.of();

    @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "how many calls (default: 10)")
    int last;

    @Option(names = "--call", paramLabel = "ID", description = "only the call with this id")
    String call;

    @Option(names = "--json", description = "print a JSON array")
    boolean json;

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (last < 1) {
            throw new IllegalArgumentException("--last takes a positive number of calls; got " + last);
        }
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode out = mapper.createArrayNode();
        try (Ledger ledger = dev.hearth.runtime.Hearth.openLedger(env)) {
            List<CallRecord> calls = call == null ? ledger.recentCalls(last)
                    : List.of(ledger.call(call).orElseThrow(() -> new IllegalArgumentException("no call " + call
                            + " in the ledger; hearth traces lists the recent ones")));
            for (CallRecord c : calls) {
                List<TraceEvent> events = ledger.events(c.id());
                if (json) {
                    out.add(toJson(mapper, c, events));
                } else {
                    print(c, events);
                }
            }
            if (calls.isEmpty() && !json) {
                System.out.println("no calls recorded yet");
            }
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        }
        return 0;
    }

    private static void print(CallRecord c, List<TraceEvent> events) {
        System.out.printf("%s %s %s/%s %s %s $%s%s%n", c.id(), c.startedAt(), Printable.of(c.provider()),
                Printable.of(c.model()), c.remote() ? "remote" : "local", c.outcome() == null ? "running"
                        : Printable.of(c.outcome()), c.costUsd().toPlainString(),
                c.totalMillis() == null ? "" : " " + c.totalMillis() + " ms");
        for (TraceEvent e : events) {
            long offset = e.at().toEpochMilli() - c.startedAt().toEpochMilli();
            System.out.printf("  +%d ms %s %s%n", offset, Printable.of(e.name()),
                    Printable.of(new TreeMap<>(e.attributes()).toString()));
        }
    }

    private static ObjectNode toJson(ObjectMapper mapper, CallRecord c, List<TraceEvent> events) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", c.id());
        o.put("started_at", c.startedAt().toString());
        o.put("ended_at", c.endedAt() == null ? null : c.endedAt().toString());
        o.put("entry_point", c.entryPoint().label());
        o.put("key", c.caller().keyName());
        o.put("agent", c.caller().agent());
        o.put("task_class", c.taskClass());
        o.put("route", c.route());
        o.put("route_reason", c.routeReason());
        o.put("model", c.model());
        o.put("provider", c.provider());
        o.put("remote", c.remote());
        o.put("input_tokens", c.tokens().input());
        o.put("output_tokens", c.tokens().output());
        o.put("cost_usd", c.costUsd());
        o.put("baseline_usd", c.baselineCostUsd());
        o.put("ttft_ms", c.firstTokenMillis());
        o.put("total_ms", c.totalMillis());
        o.put("outcome", c.outcome());
        o.put("fallback_hops", c.fallbackHops());
        ArrayNode list = o.putArray("events");
        for (TraceEvent e : events) {
            ObjectNode event = list.addObject();
            event.put("at", e.at().toString());
            event.put("name", e.name());
            ObjectNode attributes = event.putObject("attributes");
            new TreeMap<>(e.attributes()).forEach(attributes::put);
        }
        return o;
    }
}
