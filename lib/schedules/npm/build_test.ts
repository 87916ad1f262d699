/**
 * The npm build works for Node: the package compiles, Node imports both entry
 * points and computes the same rates as Deno, and a TypeScript consumer type
 * checks against the declarations (and is refused a wrong option). Runs where
 * `node` is installed and TypeScript can be fetched (`npm:typescript`, once,
 * into Deno's cache); skipped otherwise.
 *
 * @module
 */

import assert from "node:assert/strict";
import { buildNpm, TYPESCRIPT } from "./build.ts";
import { cosine, onecycleMomentum, sgdr, warmup } from "../mod.ts";

async function works(command: string, args: string[], cwd?: string): Promise<boolean> {
  try {
    return (await new Deno.Command(command, { args, cwd, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const node = await works("node", ["--version"]);
const probe = await Deno.makeTempDir();
const tsc = node &&
  await works(
    Deno.execPath(),
    ["run", "-A", "--no-config", `${TYPESCRIPT}/tsc`, "--version"],
    probe,
  );
await Deno.remove(probe, { recursive: true });
if (!node || !tsc) console.warn(`npm build test: skipped (node: ${node}, ${TYPESCRIPT}: ${tsc})`);

async function run(command: string, args: string[], cwd: string) {
  const out = await new Deno.Command(command, { args, cwd }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test({
  name: "npm build: Node imports the ES modules and gets Deno's rates; the .d.ts type check",
  ignore: !node || !tsc,
  async fn() {
    const scratch = await Deno.makeTempDir();
    const dist = `${scratch}/node_modules/@lr-scheduling/schedules`;
    const { manifest, files } = await buildNpm(dist);
    assert.equal(manifest.name, "@lr-scheduling/schedules");
    assert.deepEqual(manifest.exports, {
      ".": { types: "./mod.d.ts", default: "./mod.js" },
      "./tfjs": { types: "./tfjs.d.ts", default: "./tfjs.js" },
    });
    for (const file of ["mod.js", "mod.d.ts", "tfjs.js", "tfjs.d.ts", "README.md", "LICENSE"]) {
      assert.ok(files.includes(file), file);
    }
    assert.ok(!files.some((f) => f.includes("_test")), "no tests");
    const declarations = await Deno.readTextFile(`${dist}/mod.d.ts`);
    assert.ok(
      !/^export[^\n]*from "\.\/[\w.-]+\.ts"/m.test(declarations),
      "declarations import .js",
    );

    // Node, through the package's name and exports
    await Deno.writeTextFile(`${scratch}/package.json`, '{ "type": "module" }\n');
    await Deno.writeTextFile(
      `${scratch}/use.mjs`,
      `import { cosine, onecycleMomentum, sgdr, warmup } from "@lr-scheduling/schedules";
import { scheduleCallback, setHyperparameter } from "@lr-scheduling/schedules/tfjs";
const lr = warmup(cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 95 }), { steps: 5 });
const m = onecycleMomentum({ maxLr: 1, totalSteps: 100 });
const s = sgdr({ baseLr: 1, t0: 1, tMult: 100 });
let error = "";
try { cosine({ baseLr: 0.1, maxUpdate: 0 }); } catch (e) { error = e.name + ": " + e.message; }
console.log(JSON.stringify({
  rates: [0, 3, 5, 50, 100, 1e308].map(lr),
  momentum: [0, 29, 60].map(m),
  restart: s(101010101010101),
  error,
  tfjs: [typeof scheduleCallback, typeof setHyperparameter],
}));
`,
    );
    const ran = await run("node", ["use.mjs"], scratch);
    assert.ok(ran.success, ran.stderr);
    const lr = warmup(cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 95 }), { steps: 5 });
    assert.deepEqual(JSON.parse(ran.stdout), {
      rates: [0, 3, 5, 50, 100, 1e308].map(lr),
      momentum: [0, 29, 60].map(onecycleMomentum({ maxLr: 1, totalSteps: 100 })),
      restart: sgdr({ baseLr: 1, t0: 1, tMult: 100 })(101010101010101),
      error: "RangeError: cosine: maxUpdate (0) must be >= 1",
      tfjs: ["function", "function"],
    });

    // a TypeScript consumer, strict, resolving the package as Node does
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        lib: ["ES2022"],
        types: [],
      },
    };
    await Deno.writeTextFile(
      `${scratch}/tsconfig.json`,
      JSON.stringify({ ...tsconfig, files: ["good.ts"] }),
    );
    await Deno.writeTextFile(
      `${scratch}/good.ts`,
      `import { join, linear, piecewiseLinear, type Schedule } from "@lr-scheduling/schedules";
import { scheduleCallback, type ScheduleCallbackOptions } from "@lr-scheduling/schedules/tfjs";
const lr: Schedule = join([linear({ startLr: 0, endLr: 1, maxUpdate: 5 }), piecewiseLinear({ boundaries: [0], values: [1] })], [5]);
const options: ScheduleCallbackOptions = { per: "batch", schedule: lr };
class Callback { validationData = null; }
const callback = scheduleCallback({ Callback }, options);
const step: number = callback.state().step + lr(3);
export { step };
`,
    );
    const checked = await run(
      Deno.execPath(),
      ["run", "-A", "--no-config", `${TYPESCRIPT}/tsc`, "-p", "tsconfig.json"],
      scratch,
    );
    assert.ok(checked.success, checked.stdout + checked.stderr);
    await Deno.writeTextFile(
      `${scratch}/tsconfig.json`,
      JSON.stringify({ ...tsconfig, files: ["bad.ts"] }),
    );
    await Deno.writeTextFile(
      `${scratch}/bad.ts`,
      `import { cosine } from "@lr-scheduling/schedules";\nexport const lr = cosine({ baseLr: 0.1, maxUpdat: 90 });\n`,
    );
    const refused = await run(
      Deno.execPath(),
      ["run", "-A", "--no-config", `${TYPESCRIPT}/tsc`, "-p", "tsconfig.json"],
      scratch,
    );
    assert.ok(!refused.success, "a misspelt option is a type error");
    assert.match(refused.stdout, /maxUpdat/);
    await Deno.remove(scratch, { recursive: true });
  },
});
