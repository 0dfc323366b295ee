// Speaks to a running `hearth serve` with the official Ollama SDK and prints what it saw as one JSON object.
// Usage: node ollama-chat.cjs HOST LOCAL_MODEL REMOTE_MODEL SCHEMA_JSON EMBEDDING_MODEL
// (HEARTH_NPM_CLIENTS: where scripts/install-npm-clients.sh put the SDK)
const path = require('path');
const { Ollama } = require(path.join(process.env.HEARTH_NPM_CLIENTS, 'node_modules', 'ollama'));

const [host, model, remote, schemaText, embedder] = process.argv.slice(2);
let last = null; // the headers of the latest response
const client = new Ollama({
  host,
  fetch: async (...args) => {
    const res = await fetch(...args);
    last = res.headers;
    return res;
  },
});
const options = { temperature: 0, num_predict: 8, seed: 1 };
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }];
const tools = [{ type: 'function', function: { name: 'lookup', description: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];

async function failure(call) {
  try {
    await call();
    return { error: 'none' };
  } catch (e) {
    return { error: e.constructor.name, name: e.name, status: e.status_code, message: e.error || e.message };
  }
}

function stats(r) {
  return {
    done: r.done, done_reason: r.done_reason, prompt_eval_count: r.prompt_eval_count, eval_count: r.eval_count,
    total_duration: r.total_duration, eval_duration: r.eval_duration, prompt_eval_duration: r.prompt_eval_duration,
    load_duration: r.load_duration, hearth: r.hearth,
  };
}

(async () => {
  const w = await client.chat({ model, messages, options, stream: false });
  const whole = { ...stats(w), role: w.message.role, content: w.message.content, model: w.model,
    call_id_header: last.get('x-hearth-call-id'), route: last.get('x-hearth-route') };

  const parts = await client.chat({ model, messages, options, stream: true });
  const streamed = { content: '', lines: 0, content_type: last.get('content-type') };
  for await (const part of parts) {
    streamed.lines++;
    streamed.content += part.message.content;
    if (part.done) Object.assign(streamed, stats(part));
  }

  const g = await client.generate({ model: `${model}:latest`, prompt: 'Say hello.', system: 'Be brief.', options, stream: false });
  const generated = { ...stats(g), response: g.response };
  const gparts = await client.generate({ model, prompt: 'Say hello.', system: 'Be brief.', options, stream: true });
  const generatedStream = { response: '' };
  for await (const part of gparts) {
    generatedStream.response += part.response;
    if (part.done) Object.assign(generatedStream, stats(part));
  }

  const shaped = await client.chat({ model, messages: [{ role: 'user', content: 'How do you feel?' }],
    format: JSON.parse(schemaText), options: { temperature: 0, num_predict: 400 }, stream: false });
  const json = { content: shaped.message.content, done_reason: shaped.done_reason };

  const ask = [{ role: 'user', content: 'Find Oslo' }];
  const called = await client.chat({ model: remote, messages: ask, tools, stream: false });
  const answered = await client.chat({ model: remote, tools, stream: false, messages: [...ask, called.message,
    { role: 'tool', content: 'Oslo: Norway', tool_name: 'lookup' }] });
  const tool = { calls: called.message.tool_calls, answer: answered.message.content };

  const tags = (await client.list()).models.map((m) => m.name);
  const ps = (await client.ps()).models.map((m) => ({ name: m.name, size: m.size, expires_at: m.expires_at }));
  const shown = await client.show({ model });
  const show = { details: shown.details, capabilities: shown.capabilities, model_info: shown.model_info };
  const version = await client.version();
  const embedded = await client.embed({ model: embedder, input: ['a cat', 'a dog'] });
  const embed = { model: embedded.model, count: embedded.embeddings.length, dims: embedded.embeddings.map((e) => e.length) };

  const unknownModel = await failure(() => client.chat({ model: 'no-such-model', messages, stream: false }));
  const badTemperature = await failure(() => client.chat({ model, messages, options: { temperature: 5 }, stream: false }));
  const badMessages = await failure(() => client.chat({ model, messages: 'hello', stream: false }));
  const pull = await failure(() => client.pull({ model: 'llama3.2', stream: false }));
  console.log(JSON.stringify({ whole, streamed, generated, generatedStream, json, tool, tags, ps, show, version, embed,
    unknownModel, badTemperature, badMessages, pull }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
