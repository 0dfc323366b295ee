// Speaks to a running `hearth serve` with the official OpenAI SDK's Responses API, embeddings and model retrieval,
// and prints what it saw as one JSON object.
// Usage: node openai-responses.cjs BASE_URL MODEL EMBEDDER   (HEARTH_NPM_CLIENTS: where the SDK is installed)
const path = require('path');
const OpenAI = require(path.join(process.env.HEARTH_NPM_CLIENTS, 'node_modules', 'openai'));

const [baseURL, model, embedder] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused-on-loopback', maxRetries: 0 });
const ask = {
  model,
  instructions: 'Be brief.',
  input: [{ role: 'user', content: 'Say hello.' }],
  max_output_tokens: 8, temperature: 0,
};

async function failure(call) {
  try {
    await call();
    return { error: 'none' };
  } catch (e) {
    return { error: e.constructor.name, status: e.status, message: e.message, code: e.code, param: e.param };
  }
}

(async () => {
  const { data, response } = await client.responses.create(ask).withResponse();
  const whole = {
    id: data.id, object: data.object, status: data.status, model: data.model, text: data.output_text,
    output: data.output, usage: data.usage, store: data.store,
    call_id: response.headers.get('x-hearth-call-id'), route: response.headers.get('x-hearth-route'),
  };

  const raw = await client.responses.create({ ...ask, stream: true });
  const types = [];
  const sequence = [];
  let deltas = '';
  for await (const event of raw) {
    types.push(event.type);
    sequence.push(event.sequence_number);
    if (event.type === 'response.output_text.delta') deltas += event.delta;
  }

  const helper = client.responses.stream(ask);
  const final = await helper.finalResponse();
  const streamed = {
    types, sequence, deltas, text: final.output_text, status: final.status, usage: final.usage,
    call_id: final.hearth && final.hearth.call_id, items: final.output.map((i) => i.type),
  };

  const stateful = await failure(() => client.responses.create({ ...ask, previous_response_id: 'resp_123' }));
  const storeTrue = await failure(() => client.responses.create({ ...ask, store: true }));

  const vectors = await client.embeddings.create({ model: embedder, input: ['a red apple', 'the stock market'] });
  const embeddings = {
    count: vectors.data.length, width: vectors.data[0].embedding.length, first: vectors.data[0].embedding.slice(0, 4).map(Math.fround),
    usage: vectors.usage, model: vectors.model,
  };
  const floats = await client.embeddings.create({ model: embedder, input: 'a red apple', encoding_format: 'float' });
  embeddings.floatFirst = floats.data[0].embedding.slice(0, 4).map(Math.fround); // as float32, like base64

  const one = await client.models.retrieve(model);
  const missing = await failure(() => client.models.retrieve('no-such-model'));
  console.log(JSON.stringify({ whole, streamed, stateful, storeTrue, embeddings, model: one, missing }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
