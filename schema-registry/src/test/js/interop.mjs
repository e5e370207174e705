// Drives Confluent's JavaScript schema registry client and Avro serdes against a registry.
//
// Reads one JSON task from stdin:
//   { "url", "userInfo", "topic", "schema", "copySubject", "produce": [records],
//     "consume": [base64 messages] }
// registers "schema" under "<topic>-value" and under "copySubject", serializes each record of
// "produce" with the client's AvroSerializer and deserializes each message of "consume" with its
// AvroDeserializer. Prints one JSON object to stdout:
//   { "id", "copyId", "produced": [base64 messages], "consumed": [records] }
import registry from '@confluentinc/schemaregistry';

const {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
  SubjectNameStrategyType,
} = registry;

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function clientFor(task) {
  const config = { baseURLs: [task.url], maxRetries: 0 };
  if (task.userInfo) {
    config.basicAuthCredentials = { credentialsSource: 'USER_INFO', userInfo: task.userInfo };
  }
  return new SchemaRegistryClient(config);
}

function plain(key, value) {
  if (typeof value === 'bigint') {
    return Number(value);
  }
  return value;
}

async function run(task) {
  const client = clientFor(task);
  const info = { schemaType: 'AVRO', schema: task.schema };
  const id = await client.register(`${task.topic}-value`, info);
  const copyId = await client.register(task.copySubject, info);

  const strategy = { subjectNameStrategyType: SubjectNameStrategyType.TOPIC };
  const serializer = new AvroSerializer(client, SerdeType.VALUE, {
    ...strategy,
    autoRegisterSchemas: false,
    useLatestVersion: true,
  });
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, strategy);

  const produced = [];
  for (const record of task.produce) {
    produced.push((await serializer.serialize(task.topic, record)).toString('base64'));
  }
  const consumed = [];
  for (const message of task.consume) {
    consumed.push(await deserializer.deserialize(task.topic, Buffer.from(message, 'base64')));
  }
  return { id, copyId, produced, consumed };
}

try {
  const result = await run(await readStdin());
  process.stdout.write(JSON.stringify(result, plain) + '\n');
} catch (error) {
  process.stderr.write(`interop failed: ${error?.stack ?? error}\n`);
  process.exit(1);
}
