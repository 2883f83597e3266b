// Mounts the sequences given as JSON in argv[2] on the real musical-conductor and plays each one,
// printing the conductor's own console output (Node format) to stdout. Handlers named `fail*` throw,
// handlers named `slow*` await 60 ms, the rest set a key on the DataBaton.
import { initializeCommunicationSystem } from 'musical-conductor';

const spec = JSON.parse(process.argv[2]);
const { conductor } = initializeCommunicationSystem();
for (const { pluginId, sequence } of spec.mounts) {
  const handlers = {};
  for (const m of sequence.movements)
    for (const b of m.beats)
      handlers[b.handler] = b.handler.startsWith('fail')
        ? () => {
            throw new Error(`${b.handler} refused the payload`);
          }
        : b.handler.startsWith('slow')
          ? async (_data, ctx) => {
              await new Promise((r) => setTimeout(r, 60));
              ctx.payload[`${b.handler}Done`] = true;
            }
          : (_data, ctx) => {
              ctx.payload[b.handler] = b.beat;
            };
  await conductor.mount(sequence, handlers, pluginId);
}
for (const play of spec.plays) {
  conductor.play(play.pluginId, play.sequenceId, { n: 1 });
  if (play.waitMs) await new Promise((r) => setTimeout(r, play.waitMs));
}
await new Promise((r) => setTimeout(r, 400));
process.exit(0);
