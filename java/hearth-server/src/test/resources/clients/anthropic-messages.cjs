// Speaks to a running `hearth serve` with the official Anthropic SDK and prints what it saw as one JSON object.
// Usage: node anthropic-messages.cjs BASE_URL LOCAL_MODEL REMOTE_MODEL SCHEMA_JSON
// (HEARTH_NPM_CLIENTS: where scripts/install-npm-clients.sh put the SDK)
const path = require('path');
const sdk = require(path.join(process.env.HEARTH_NPM_CLIENTS, 'node_modules', '@anthropic-ai', 'sdk'));
const Anthropic = sdk.default || sdk.Anthropic || sdk;

const [baseURL, model, remote, schemaText] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: 'unused-on-loopback', maxRetries: 0 });
const ask = {
  model, max_tokens: 8, temperature: 0, system: 'Be brief.',
  messages: [{ role: 'user', content: 'Say hello.' }],
};
const tools = [{ name: 'lookup', description: 'search', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];

async function failure(request) {
  try {
    await client.messages.create(request);
    return { error: 'none' };
  } catch (e) {
    return { error: e.constructor.name, status: e.status, message: e.message, type: e.error && e.error.error && e.error.error.type };
  }
}

(async () => {
  const { data, response } = await client.messages.create(ask).withResponse();
  const whole = {
    type: data.type, role: data.role, model: data.model, blocks: data.content.map((b) => b.type),
    text: data.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    stop_reason: data.stop_reason, usage: data.usage,
    call_id: response.headers.get('x-hearth-call-id'), route: response.headers.get('x-hearth-route'),
  };

  const stream = await client.messages.create({ ...ask, stream: true });
  const streamed = { text: '', events: [], stop_reason: null, output_tokens: null, input_tokens: null, call_id: null };
  for await (const event of stream) {
    streamed.events.push(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed.text += event.delta.text;
    if (event.type === 'message_delta') {
      streamed.stop_reason = event.delta.stop_reason;
      streamed.output_tokens = event.usage.output_tokens;
      streamed.input_tokens = event.usage.input_tokens;
      streamed.call_id = event.hearth && event.hearth.call_id;
    }
  }

  const counted = await client.messages.countTokens({ model, system: ask.system, messages: ask.messages }).withResponse();
  const count = { input_tokens: counted.data.input_tokens, kind: counted.response.headers.get('x-hearth-token-count') };
  const remoteCounted = await client.messages.countTokens({ model: remote, messages: ask.messages }).withResponse();
  count.remote = { input_tokens: remoteCounted.data.input_tokens, kind: remoteCounted.response.headers.get('x-hearth-token-count') };

  const schema = JSON.parse(schemaText);
  const shaped = await client.messages.create({
    ...ask, max_tokens: 400, messages: [{ role: 'user', content: 'How do you feel? Answer in JSON.' }],
    output_config: { format: { type: 'json_schema', schema } },
  });
  const json = { text: shaped.content.filter((b) => b.type === 'text').map((b) => b.text).join(''), stop_reason: shaped.stop_reason };

  const asked = { model: remote, max_tokens: 64, tools, messages: [{ role: 'user', content: 'Find Oslo' }] };
  const called = await client.messages.create({ ...asked, tool_choice: { type: 'tool', name: 'lookup' } });
  const use = called.content.find((b) => b.type === 'tool_use');
  const answered = await client.messages.create({
    ...asked,
    messages: [...asked.messages, { role: 'assistant', content: called.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Oslo: Norway' }] }],
  });
  const tool = {
    stop_reason: called.stop_reason, id: use.id, name: use.name, input: use.input,
    answer: answered.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
  };

  const badTemperature = await failure({ ...ask, temperature: 5 });
  const unknownModel = await failure({ ...ask, model: 'no-such-model' });
  let badCount;
  try {
    await client.messages.countTokens({ model, messages: [] });
    badCount = { error: 'none' };
  } catch (e) {
    badCount = { error: e.constructor.name, status: e.status, message: e.message };
  }
  const models = (await client.models.list()).data.map((m) => m.id);
  console.log(JSON.stringify({ whole, streamed, count, json, tool, badTemperature, unknownModel, badCount, models }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
