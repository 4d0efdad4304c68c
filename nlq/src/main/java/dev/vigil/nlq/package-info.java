/**
 * Natural-language diagnostics: a question ("why is checkout slow?", "为什么过去1小时我的服务响应变慢了?") is
 * parsed into entities, intent and time range ({@link dev.vigil.nlq.QuestionParser}), and answered
 * only from evidence Vigil holds: incidents with their ranked root causes and the latest windowed
 * features. Every answer cites the incidents and traces it used. The default answerer works offline
 * from templates, in English or Chinese as asked. When configured ({@link
 * dev.vigil.nlq.LlmProvider}), a language model words the answer from the same facts, and its reply
 * is kept only if a lexical grounding check finds every number, id and service in it among the
 * facts; otherwise the templated answer is given. This is the only module that uses langchain4j.
 */
package dev.vigil.nlq;
