// Speaks to a running `hearth serve` with the official OpenAI SDK and prints what it saw as one JSON object.
// Usage: node openai-chat.cjs BASE_URL MODEL   (HEARTH_NPM_CLIENTS: where scripts/install-npm-clients.sh put the SDK)
const path = require('path');
const OpenAI = require(path.join(process.env.HEARTH_NPM_CLIENTS, 'node_modules', 'openai'));

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused-on-loopback', maxRetries: 0 });
const ask = {
  model,
  messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }],
  max_tokens: 8, temperature: 0, seed: 1,
};

async function failure(request) {
  try {
    await client.chat.completions.create(request);
    return { error: 'none' };
  } catch (e) {
    return { error: e.constructor.name, status: e.status, message: e.message, code: e.code, param: e.param };
  }
}

(async () => {
  const { data, response } = await client.chat.completions.create(ask).withResponse();
  const whole = {
    id: data.id, object: data.object, model: data.model, content: data.choices[0].message.content,
    finish_reason: data.choices[0].finish_reason, usage: data.usage,
    call_id: response.headers.get('x-hearth-call-id'), route: response.headers.get('x-hearth-route'),
  };
  const stream = await client.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
  const streamed = { content: '', chunks: 0, role: null, finish_reason: null, usage: null, call_id: null };
  for await (const chunk of stream) {
    streamed.chunks++;
    const choice = chunk.choices[0];
    if (choice) {
      streamed.role = streamed.role || choice.delta.role || null;
      streamed.content += choice.delta.content || '';
      streamed.finish_reason = choice.finish_reason || streamed.finish_reason;
    }
    if (chunk.usage) {
      streamed.usage = chunk.usage;
      streamed.call_id = chunk.hearth && chunk.hearth.call_id;
    }
  }
  const badTemperature = await failure({ ...ask, temperature: 5 });
  const unknownModel = await failure({ ...ask, model: 'no-such-model' });
  const models = (await client.models.list()).data.map((m) => m.id);
  console.log(JSON.stringify({ whole, streamed, badTemperature, unknownModel, models }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
