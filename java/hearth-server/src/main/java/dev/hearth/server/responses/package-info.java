/**
 * OpenAI's Responses API ({@code POST /v1/responses}), translated to and from Hearth's one chat model: the request's
 * input items, the response object and its typed stream events. Stateless (no response is kept, so none can be named
 * later); the readers and shapes are plain functions, the stream writer is used by one request's thread.
 */
package dev.hearth.server.responses;
